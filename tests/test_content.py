"""Festivals, rosters, displays, pages and news: validation, checks, calendar placement."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from conftest import MINIMAL_EVENTS

from generator.assemble.site import Site
from generator.model.display import isbn_digits
from generator.pipeline import load_site
from generator.plan import urls
from generator.plan.pages import plan
from generator.problems.problem import BuildFailed
from generator.render.markdown import TEMPLATE_IDS, render_markdown

TODAY = date(2026, 3, 10)
SETTINGS = """\
school: 测试小学
classes: [一(1)班, 一(2)班, 二(1)班]
"""


def first_lines(root) -> list[str]:
    """The first line (position, code, message) of every problem, in English, in order."""
    try:
        site = load_site(root, TODAY)
    except BuildFailed as failed:
        return [p.render("en").splitlines()[0] for p in failed.report.sorted()]
    return [p.render("en").splitlines()[0] for p in site.warnings]


def loaded(root) -> Site:
    return load_site(root, TODAY)


def site_with(make_site, files: dict[str, str]):
    return make_site({"events.yaml": MINIMAL_EVENTS, "content/site.yaml": SETTINGS, **files})


# --- festivals ---------------------------------------------------------------------------

FESTIVAL = """\
name: 科技读书节
from: 2026-04-01
to: 2026-04-30
stages:
  - title: 启动仪式
    date: 2026-04-01
    time: 8:10-8:50
  - title: 初赛
    from: 2026-04-13
    to: 2026-04-17
"""


def test_festival_stages_are_placed_in_the_calendar_with_their_link(make_site):
    site = loaded(site_with(make_site, {"content/festivals/science-2026.yaml": FESTIVAL}))
    placed = [
        (o.title, o.start.isoformat(), o.end.isoformat(), urls.link(o.part_of))
        for o in site.current.occurrences
        if o.part_of
    ]
    assert placed == [
        ("启动仪式", "2026-04-01", "2026-04-01", "festivals/science-2026/index.html#stage-1"),
        ("初赛", "2026-04-13", "2026-04-17", "festivals/science-2026/index.html#stage-2"),
    ]
    occ = next(o for o in site.current.occurrences if o.title == "启动仪式")
    (job,) = [j for j in plan(site) if j.path == "festivals/science-2026/index.html"]
    assert job.context["calendar_links"][occ.part_of] == f"calendar/2026-04/index.html#{occ.anchor}"
    assert job.sources == {"content/festivals/science-2026.yaml"}


def test_festival_stage_outside_every_term(make_site):
    bad = FESTIVAL.replace("date: 2026-04-01\n    time", "date: 2026-09-01\n    time")
    assert first_lines(site_with(make_site, {"content/festivals/science-2026.yaml": bad})) == [
        "content/festivals/science-2026.yaml:6:11: error E407: 2026-09-01 is not inside any term",
    ]


def test_festival_value_problems_have_positions(make_site):
    bad = (
        FESTIVAL
        + """\
  - title: 决赛
    date: 2026-04-31
"""
    )
    assert first_lines(site_with(make_site, {"content/festivals/science-2026.yaml": bad})) == [
        "content/festivals/science-2026.yaml:12:11: error E205: no such date: 2026-04-31"
    ]


def test_a_file_name_that_is_not_an_id(make_site):
    assert first_lines(site_with(make_site, {"content/festivals/Science 2026.yaml": FESTIVAL})) == [
        "content/festivals/Science 2026.yaml: error E403: "
        "the file name 'Science 2026' cannot be used as an id"
    ]


def test_unknown_festival_id_in_events_is_e303(make_site):
    events = MINIMAL_EVENTS + "    festival: sciense-2026\n"
    root = make_site(
        {
            "events.yaml": events,
            "content/site.yaml": "school: 阳光小学\n",  # not W322: only E303 is this test's
            "content/festivals/science-2026.yaml": FESTIVAL,
        }
    )
    assert first_lines(root) == [
        "events.yaml:17:15: error E303: no festival with the id 'sciense-2026'"
    ]


# --- rosters -----------------------------------------------------------------------------

ROSTER = """\
name: 故事爸妈团
kind: story_parents
people:
  - name: 王丽娟
  - name: 周海峰
    phone: "13800000004"
    public: 否
themes:
  - month: 2026-04
    theme: 科技
rota:
  - weekdays: [周五]
    from: 2026-03-27
    to: 2026-04-17
    time: 8:10-8:30
    classes: [一(1)班, 一(2)班, 二(1)班]
    people: [王丽娟, 周海峰]
"""


def test_rota_generates_sessions_in_turn_and_skips_closures(make_site):
    root = site_with(
        make_site,
        {
            "content/rosters/story.yaml": ROSTER,
            # 4/3 is a Friday; close it to see it skipped
            "events.yaml": MINIMAL_EVENTS.replace("from: 2026-04-04", "from: 2026-04-03"),
        },
    )
    view = loaded(root).content.of("roster")[0]
    assert [
        (s.date.isoformat(), s.session.class_, s.session.person, s.theme) for s in view.sessions
    ] == [
        ("2026-03-27", "一(1)班", "王丽娟", None),
        ("2026-04-10", "一(2)班", "周海峰", "科技"),
        ("2026-04-17", "二(1)班", "王丽娟", "科技"),
    ]
    assert [s.anchor for s in view.sessions] == ["s-20260327-1", "s-20260410-1", "s-20260417-1"]


def test_explicit_session_replaces_the_generated_one(make_site):
    roster = (
        ROSTER
        + """\
sessions:
  - date: 2026-04-10
    time: 8:10-8:30
    class: 二(1)班
    person: 王丽娟
    title: 神奇校车
"""
    )
    view = loaded(site_with(make_site, {"content/rosters/story.yaml": roster})).content.of(
        "roster"
    )[0]
    assert [
        (s.date.isoformat(), s.session.class_, s.session.title, s.generated, s.theme)
        for s in view.sessions
    ] == [
        ("2026-03-27", "一(1)班", None, True, None),
        ("2026-04-03", "一(2)班", None, True, "科技"),
        ("2026-04-10", "二(1)班", "神奇校车", False, "科技"),
        ("2026-04-17", "一(1)班", None, True, "科技"),
    ]


def test_roster_sessions_appear_in_the_calendar_and_link_back(make_site):
    site = loaded(site_with(make_site, {"content/rosters/story.yaml": ROSTER}))
    occs = [o for o in site.current.occurrences if o.part_of and o.part_of.kind == "roster"]
    assert [(o.title, o.start.isoformat(), urls.link(o.part_of)) for o in occs] == [
        ("故事爸妈团：一(1)班", "2026-03-27", "rosters/story/index.html#s-20260327-1"),
        ("故事爸妈团：一(2)班", "2026-04-03", "rosters/story/index.html#s-20260403-1"),
        ("故事爸妈团：二(1)班", "2026-04-10", "rosters/story/index.html#s-20260410-1"),
        ("故事爸妈团：一(1)班", "2026-04-17", "rosters/story/index.html#s-20260417-1"),
    ]


def test_unknown_class_suggests_the_closest(make_site):
    roster = ROSTER.replace("classes: [一(1)班, 一(2)班, 二(1)班]", "classes: [一(1)班, 一(2)斑]")
    assert first_lines(site_with(make_site, {"content/rosters/story.yaml": roster})) == [
        "content/rosters/story.yaml:16:22: error E408: the class '一(2)斑' is not in the class "
        "list of content/site.yaml"
    ]
    problem = _only_problem(site_with(make_site, {"content/rosters/story.yaml": roster}))
    assert problem.hint("en").startswith("Did you mean '一(2)班'? ")


def _only_problem(root):
    with pytest.raises(BuildFailed) as failed:
        load_site(root, TODAY)
    [problem] = failed.value.report.problems
    return problem


def test_session_on_a_closure_day_and_outside_the_term(make_site):
    roster = (
        ROSTER
        + """\
sessions:
  - date: 2026-04-06
    person: 王丽娟
  - date: 2026-08-07
    person: 王丽娟
"""
    )
    assert first_lines(site_with(make_site, {"content/rosters/story.yaml": roster})) == [
        "content/rosters/story.yaml:19:11: error E406: '故事爸妈团' is on 2026-04-06, "
        "which is 清明节",
        "content/rosters/story.yaml:21:11: error E407: 2026-08-07 is not inside any term",
    ]


def test_same_person_booked_twice_at_the_same_time(make_site):
    other = """\
name: 家长义工
kind: volunteers
sessions:
  - date: 2026-04-03
    time: 8:00-9:00
    person: 周海峰
  - date: 2026-04-03
    time: 9:00-10:00
    person: 周海峰
"""
    root = site_with(
        make_site, {"content/rosters/story.yaml": ROSTER, "content/rosters/volunteers.yaml": other}
    )
    assert first_lines(root) == [
        "content/rosters/volunteers.yaml:6:13: error E405: 周海峰 is booked twice on 2026-04-03 "
        "at 08:00–09:00 (the other booking is at content/rosters/story.yaml:12:5)"
    ]


def test_theme_month_without_sessions_is_a_warning(make_site):
    roster = ROSTER.replace("themes:\n", "themes:\n  - month: 2026-05\n    theme: 职业\n")
    assert first_lines(site_with(make_site, {"content/rosters/story.yaml": roster})) == [
        "content/rosters/story.yaml:9:12: warning W409: the theme '职业' for 2026-05 has no "
        "sessions"
    ]


def test_opted_out_person_is_never_shown(make_site, run_cli):
    root = site_with(make_site, {"content/rosters/story.yaml": ROSTER})
    code, _, _ = run_cli("build", "--site", root, "--today", "2026-03-10")
    assert code == 0
    html = (root / "public" / "rosters" / "story" / "index.html").read_text("utf-8")
    assert "周海峰" not in html
    assert "13800000004" not in html
    assert html.count("（不公开）") == 4  # two sessions, by date and by class
    assert "王丽娟" in html


# --- displays and ISBNs ------------------------------------------------------------------


@pytest.mark.parametrize(
    "isbn", ["978-7-5448-1734-9", "9787500096573", "0-590-40360-5", "0 8044 2957 X", "080442957x"]
)
def test_valid_isbns(isbn):
    assert isbn_digits(isbn) == isbn.replace("-", "").replace(" ", "").upper()


@pytest.mark.parametrize(
    ("isbn", "message"),
    [
        (
            "978-7-5448-1734-8",
            "the ISBN '978-7-5448-1734-8' is wrong: the check digit should be 9, not 8",
        ),
        ("0-590-40360-4", "the ISBN '0-590-40360-4' is wrong: the check digit should be 5, not 4"),
        ("978-7-5448", "the ISBN '978-7-5448' is wrong: it needs 10 or 13 digits"),
        ("97875448173X9", "the ISBN '97875448173X9' is wrong: it needs 10 or 13 digits"),
    ],
)
def test_isbn_problems_in_a_display(make_site, isbn, message):
    display = f"""\
title: 科技创造未来
from: 2026-04-01
to: 2026-04-30
books:
  - title: 万物简史
    isbn: {isbn}
"""
    assert first_lines(site_with(make_site, {"content/displays/science.yaml": display})) == [
        f"content/displays/science.yaml:6:11: error E404: {message}"
    ]


def test_display_image_is_copied_and_a_missing_one_reported(make_site, run_cli):
    display = """\
title: 科技创造未来
from: 2026-04-01
to: 2026-04-30
images:
  - src: displays/poster.svg
    alt: 海报
"""
    root = site_with(
        make_site,
        {"content/displays/science.yaml": display, "content/displays/poster.svg": "<svg/>"},
    )
    code, _, _ = run_cli("build", "--site", root, "--today", "2026-04-10")
    assert code == 0
    assert (root / "public" / "media" / "displays" / "poster.svg").read_text("utf-8") == "<svg/>"
    html = (root / "public" / "displays" / "science" / "index.html").read_text("utf-8")
    assert '<img src="../../media/displays/poster.svg" alt="海报">' in html
    home = (root / "public" / "index.html").read_text("utf-8")
    assert '<a href="displays/science/index.html">科技创造未来</a>' in home
    (root / "content" / "displays" / "poster.svg").unlink()
    assert first_lines(root) == [
        "content/displays/science.yaml:5:10: error E410: image 'displays/poster.svg' not found"
    ]


# --- pages and news: front matter --------------------------------------------------------


def test_front_matter_problems_carry_md_line_numbers(make_site):
    root = site_with(
        make_site,
        {
            "content/news/opening.md": "---\ntitle: 开幕\ndate: 2026-04-31\n---\n正文\n",
            "content/news/no-front.md": "# 标题\n",
            "content/pages/open.md": "---\ntitle: 规则\n",
            "content/pages/rules.md": "---\ntitle: 规则\ncolour: red\n---\n",
            "content/pages/calendar.md": "---\ntitle: 校历\n---\n",
        },
    )
    assert first_lines(root) == [
        "content/news/no-front.md:1:1: error E401: no front matter found "
        "(the first line should be ---)",
        "content/news/opening.md:3:7: error E205: no such date: 2026-04-31",
        "content/pages/calendar.md: error E411: the page id 'calendar' is already used by a "
        "built-in section",
        "content/pages/open.md:1:1: error E402: the front matter is not closed "
        "(the second --- line is missing)",
        "content/pages/rules.md:3:1: error E203: unknown key 'colour'",
    ]


def test_news_newest_first_paginated_with_tag_pages(make_site, run_cli):
    files = {
        f"content/news/n{i:02d}.md": f"---\ntitle: 新闻{i}\ndate: 2026-03-{i:02d}\n"
        f"tags: [{'获奖' if i % 2 else 'award'}]\n---\n正文{i}\n"
        for i in range(1, 13)
    }
    root = site_with(make_site, files)
    code, _, _ = run_cli("build", "--site", root, "--today", "2026-03-10")
    assert code == 0
    public = root / "public"
    first = (public / "news" / "index.html").read_text("utf-8")
    assert [f"新闻{i}<" in first for i in (12, 3, 2, 1)] == [True, True, False, False]
    second = (public / "news" / "page" / "2" / "index.html").read_text("utf-8")
    assert '<a href="../../n02/index.html">新闻2</a>' in second
    assert 'href="../../index.html" rel="prev"' in second
    assert sorted(p.parent.name for p in (public / "news" / "tags").glob("*/index.html")) == [
        "award",
        "t-525588eb",
    ]
    assert (public / "news" / "tags" / "award" / "index.html").read_text("utf-8").count(
        'class="news-item"'
    ) == 6


def test_menu_pages_come_from_settings_and_unknown_ones_are_e303(make_site, run_cli):
    hours = "---\ntitle: 开放时间\n---\n7:50 开馆\n"
    root = site_with(
        make_site,
        {"content/site.yaml": SETTINGS + "menu: [hours]\n", "content/pages/hours.md": hours},
    )
    code, _, _ = run_cli("build", "--site", root, "--today", "2026-03-10")
    assert code == 0
    html = (root / "public" / "hours" / "index.html").read_text("utf-8")
    assert '<li><a href="index.html" aria-current="page">开放时间</a></li>' in html
    (root / "content" / "site.yaml").write_text(SETTINGS + "menu: [hour]\n", encoding="utf-8")
    assert first_lines(root) == ["content/site.yaml:3:8: error E303: no page with the id 'hour'"]


# --- sanitising --------------------------------------------------------------------------

EVIL = (
    '<script>alert(1)</script> <img src=x onerror="alert(2)"> '
    "[点我](javascript:alert(3)) [数据](data:text/html;base64,PHNjcmlwdD4=) "
    '<![CDATA[<script>alert(4)</script>]]> <a href="#" onclick="alert(5)">a</a>'
)


def test_teacher_markup_never_reaches_the_output(make_site, run_cli):
    root = site_with(
        make_site,
        {
            "content/festivals/fest.yaml": f"name: 'x<script>alert(0)</script>'\nfrom: 2026-04-01\n"
            f"to: 2026-04-02\nsummary: '{EVIL}'\n",
            "content/pages/evil.md": f"---\ntitle: <script>alert(6)</script>\n---\n{EVIL}\n",
        },
    )
    code, _, _ = run_cli("build", "--site", root, "--today", "2026-03-10")
    assert code == 0
    for page in ("festivals/fest/index.html", "evil/index.html", "festivals/index.html"):
        html = (root / "public" / page).read_text("utf-8").lower()
        assert "<script" not in html
        assert "javascript:" not in html
        assert "data:text" not in html
        assert "onerror" not in html
        assert "onclick" not in html
        assert "<![cdata[" not in html
    title = (root / "public" / "evil" / "index.html").read_text("utf-8")
    assert "<h1>&lt;script&gt;alert(6)&lt;/script&gt;</h1>" in title


def test_headings_get_ids_from_their_words() -> None:
    text = "## 借阅规则（一）\n\n## Reading 读书 Time!\n\n### 借阅规则（一）\n\n## Main\n"
    assert str(render_markdown(text)) == (
        '<h2 id="借阅规则一">借阅规则（一）</h2>\n'
        '<h2 id="reading-读书-time">Reading 读书 Time!</h2>\n'
        '<h3 id="借阅规则一_1">借阅规则（一）</h3>\n'
        '<h2 id="main_1">Main</h2>'  # "main" is the page's own (the skip link's target)
    )


def test_heading_ids_avoid_every_id_the_theme_gives() -> None:
    templates = Path(__file__).parent.parent / "generator" / "themes" / "default" / "templates"
    fixed = {
        m
        for path in templates.rglob("*.html")
        for m in re.findall(r'\bid="([^"{]*)"', path.read_text(encoding="utf-8"))
    }
    assert fixed == TEMPLATE_IDS
