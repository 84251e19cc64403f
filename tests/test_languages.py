"""The theme in two languages: the catalogue covers every theme string, dates and weekdays
follow the site locale, and the sample built in English reads in English and passes the
HTML checker and axe. (The Chinese build is the golden test: unchanged by all this.)"""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pytest
from axe_playwright_python.base import AXE_FILE_PATH
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from conftest import tree
from quality import run_vnu

from generator.read.words import read_catalogue, site_language
from generator.render.environment import make_environment
from generator.serve.watch import Change, ChangeKind, classify_change

ROOT = Path(__file__).resolve().parent.parent
THEME = ROOT / "generator" / "themes" / "default"
CATALOGUE = THEME / "locale" / "en" / "LC_MESSAGES" / "messages.po"
TODAY = "2026-04-10"
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# Han characters and CJK punctuation (、。《》（）：，“” are the theme's own when present)
CHINESE = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")
WEEK = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def theme_messages(root: Path = ROOT) -> set[str]:
    """Every message id `pybabel extract -F babel.cfg -k N_` finds: the same config."""
    with (ROOT / "babel.cfg").open(encoding="utf-8") as f:
        method_map, options_map = parse_mapping_cfg(f)
    keywords = {"_": None, "gettext": None, "ngettext": (1, 2), "N_": None}
    return {
        msgid if isinstance(msgid, str) else msgid[0]
        for _, _, msgid, _, _ in extract_from_dir(
            str(root), method_map, options_map, keywords=keywords
        )
    }


# --- the catalogue ------------------------------------------------------------------------


def test_every_theme_string_has_an_english_translation():
    messages, english = theme_messages(), read_catalogue(CATALOGUE)
    assert sorted(messages - english.keys()) == []  # a new string needs its English
    assert sorted(english.keys() - messages) == []  # and a gone one leaves the catalogue
    assert len(english) == 296


def test_translations_keep_every_placeholder():
    wrong = {
        msgid: text
        for msgid, text in read_catalogue(CATALOGUE).items()
        if sorted(PLACEHOLDER.findall(msgid)) != sorted(PLACEHOLDER.findall(text))
    }
    assert wrong == {}


def test_no_english_translation_is_left_chinese():
    assert {m: t for m, t in read_catalogue(CATALOGUE).items() if CHINESE.search(t)} == {}


def test_an_untranslated_template_string_is_found(tmp_path):
    """The check above fails on a string someone adds without translating it."""
    (tmp_path / "babel.cfg").write_text(
        (ROOT / "babel.cfg").read_text(encoding="utf-8"), encoding="utf-8"
    )
    templates = tmp_path / "generator" / "themes" / "default" / "templates"
    templates.mkdir(parents=True)
    (templates / "new.html").write_text(
        '<p>{{ _("校历") }} {{ _("新的一句") }}</p>{% trans n=3 %}共{{ n }}本{% endtrans %}',
        encoding="utf-8",
    )
    found = theme_messages(tmp_path)
    assert found == {"校历", "新的一句", "共%(n)s本"}
    assert sorted(found - read_catalogue(CATALOGUE).keys()) == ["共%(n)s本", "新的一句"]


@pytest.mark.parametrize(
    ("setting", "tag", "catalogue", "locale"),
    [
        ("zh-CN", "zh-CN", None, "zh_Hans_CN"),
        ("zh", "zh-CN", None, "zh_Hans_CN"),
        ("en", "en", "en", "en"),
        ("EN-gb", "en-GB", "en", "en_GB"),
        ("en-US", "en-US", "en", "en_US"),
    ],
)
def test_site_language_setting(setting, tag, catalogue, locale):
    lang = site_language(setting)
    assert (lang.tag, lang.catalogue, str(lang.locale)) == (tag, catalogue, locale)


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("zh-CN", "第3周|2026年4月6日|4月6日|4月|2026年4月|周一 周日|第6–10周"),
        ("en", "Week 3|Apr 6, 2026|Apr 6|Apr|April 2026|Mon Sun|Weeks 6–10"),
        ("en-GB", "Week 3|6 Apr 2026|6 Apr|Apr|April 2026|Mon Sun|Weeks 6–10"),
    ],
)
def test_words_dates_and_weekdays_follow_the_site_language(language, expected):
    env = make_environment((THEME,), language=language)
    source = (
        '{% from "partials/macros.html" import week_span %}'
        "{{ _('第%(n)s周', n=3) }}|{{ d|date_label('yMMMd') }}|{{ d|date_label }}|"
        "{{ d|date_label('MMM') }}|{{ d|month_label }}|{{ d|weekday }} {{ weekday_names[6] }}|"
        "{{ week_span([6, 7, 8, 9, 10]) }}"
    )
    assert env.from_string(source).render(d=date(2026, 4, 6)) == expected


def test_translated_words_are_escaped_where_they_take_teacher_text():
    env = make_environment((THEME,), language="en")
    assert (
        env.from_string("{{ _('主题展示：%(title)s', title=t) }}").render(t="<b>书</b>")
        == "Themed display: &lt;b&gt;书&lt;/b&gt;"
    )


def test_a_changed_catalogue_rebuilds_the_whole_preview(tmp_path):
    theme = tmp_path / "themes" / "default"
    po = theme / "locale" / "en" / "LC_MESSAGES" / "messages.po"
    assert classify_change(po, tmp_path, [theme]) == Change(
        ChangeKind.SETTINGS, "locale/en/LC_MESSAGES/messages.po"
    )


# --- the sample, built in English ---------------------------------------------------------


@pytest.fixture(scope="module")
def english(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from conftest import copy_sample

    from generator.cli import main

    site = tmp_path_factory.mktemp("english")
    copy_sample(site)
    settings = site / "content" / "site.yaml"
    text = settings.read_text(encoding="utf-8")
    assert text.count("\nlanguage: zh-CN\n") == 1
    settings.write_text(text.replace("\nlanguage: zh-CN\n", "\nlanguage: en\n"), encoding="utf-8")
    out = site / "public"
    assert main(["build", "--site", str(site), "--out", str(out), "--today", TODAY]) == 0
    return out


def page(out: Path, path: str) -> str:
    return (out / path).read_text(encoding="utf-8")


def test_english_menu_and_search_box(english):
    html = page(english, "calendar/2026-04/index.html")
    assert '<html lang="en">' in html
    assert re.findall(r'<li><a href="[^"]*"(?: aria-current="page")?>([^<]*)</a></li>', html)[
        :16
    ] == [
        "Home",
        "Term calendar",
        "Month calendar",
        "Agenda",
        "Reading festivals",
        "Story parents/Student librarians",
        "Themed displays",
        "Projects",
        "Honours",
        "News",
        "Classes",
        "Loan statistics",
        "Plan and summary",
        "借阅规则",  # the school's own pages keep their titles
        "开放时间",
        "Past terms",
    ]
    assert '<nav class="site-nav" aria-label="Main menu">' in html
    assert (
        '<input id="site-search-q" name="q" type="search" placeholder="Events, book titles, authors">'
        '\n    <button type="submit">Search</button>'
    ) in html


def test_english_term_calendar(english):
    html = page(english, "calendar/index.html")
    assert "<title>Term calendar: 2025学年第二学期 · 星光小学图书馆</title>" in html
    assert "<h1>Term calendar: 2025学年第二学期</h1>" in html
    assert '<p class="lead">Feb 24, 2026 to Jul 3, 2026, 19 weeks.' in html
    assert (
        '<tr><th scope="col">Week</th><th scope="col">Month</th>'
        + "".join(f'<th scope="col">{d}</th>' for d in WEEK)
        + '<th scope="col">Notes</th></tr>'
    ) in html
    assert (
        '<th scope="row"><a href="week/07/index.html">Week 7</a></th>\n'
        '      <td class="month-cell">Apr</td>'
    ) in html
    assert (
        '<button type="button" class="print-button no-print" onclick="window.print()">Print</button>'
        in html
    )


def test_english_month_page(english):
    html = page(english, "calendar/2026-04/index.html")
    assert "<title>April 2026 calendar · 星光小学图书馆</title>" in html
    assert "<h1>April 2026 <small>2025学年第二学期 · Weeks 6–10</small></h1>" in html
    assert (
        '<tr><th scope="col" class="week-col">Week</th>'
        + "".join(f'<th scope="col">{d}</th>' for d in WEEK)
        + "</tr>"
    ) in html
    assert 'rel="prev">← Mar</a>' in html
    assert 'rel="next">May →</a>' in html
    assert '<caption class="visually-hidden">April 2026, one week per row</caption>' in html


def test_english_home_page_sentence(english):
    html = page(english, "index.html")
    assert (
        '<p class="lead">Today is Fri Apr 10, week 7 of 2025学年第二学期.\n'
        '  <a href="calendar/index.html">See this term\'s calendar</a></p>'
    ) in html
    assert '<h2 id="week-7">This week · Week 7 <small>Apr 6–Apr 12</small></h2>' in html
    assert '<h2 id="week-8">Next week · Week 8 ' in html


def test_english_search_page_sentences_and_kinds(english):
    html = page(english, "search/index.html")
    assert (
        'data-say-empty="Type the words to find." data-say-none="Nothing found for “{query}”."\n'
        '  data-say-found="{n} results." data-say-more="{n} results; showing the first {max}."'
    ) in html
    index = page(english, "search-index.js")
    assert index.startswith(
        'window.LIBRARY_SEARCH={"kinds":{"page":"Page","festival":"Reading festivals",'
        '"stage":"Festival event","roster":"Roster","session":"Stories",'
        '"display":"Themed displays","book":"Book on display","news":"News","class":"Classes",'
        '"stats":"Loan statistics","project":"Projects","event":"Term calendar",'
        '"month":"Work this month"},'
    )
    items = json.loads(index.removeprefix("window.LIBRARY_SEARCH=")[:-2])["items"]
    where = {(kind, title): where for kind, title, _, where, *_ in items}
    assert where[("roster", "小管值日表")] == "Student librarians"
    assert where[("festival", "2026年科技读书节")] == "Apr 1, 2026–Apr 30"
    assert where[("event", "学期初入馆礼仪整顿")] == "Week 1 (whole week) · 2025学年第二学期"
    assert where[("event", "故事哥哥姐姐午间故事会")] == (
        "every Wed Mar 18, 2026–Jun 24 · 2025学年第二学期"
    )
    assert where[("month", "部分新书录入、上架")] == "February 2026 · 2025学年第二学期"


def test_no_theme_string_is_left_chinese_in_the_english_build(english):
    """Every run of Han characters on an English page or in the search index is one the
    school wrote (in events.yaml or content/): none comes from the theme or the generator."""
    chinese_in_content: set[str] = set()
    for path in (ROOT / "content").rglob("*"):
        if path.suffix in (".yaml", ".md"):
            chinese_in_content.update(_runs(path.read_text(encoding="utf-8")))
    chinese_in_content.update(_runs((ROOT / "events.yaml").read_text(encoding="utf-8")))
    # A heading's id is made from its words (小管（学生图书管理员） is #小管学生图书管理员):
    # the school's text too, though not verbatim.
    shown = {
        name: re.sub(r' id="[^"]*"', "", data.decode("utf-8"))
        for name, data in tree(english).items()
        if name.endswith(".html")
    }
    shown["static/search.js"] = page(english, "static/search.js")
    # The index's titles, keys and bodies are the school's text (bodies with their line
    # breaks joined); the kinds and the `where` column are ours.
    index = json.loads(page(english, "search-index.js").removeprefix("window.LIBRARY_SEARCH=")[:-2])
    shown["search-index.js (ours)"] = " ".join(
        [*index["kinds"].values(), *(item[3] for item in index["items"])]
    )
    left = {
        name: sorted(set(_runs(text)) - chinese_in_content)
        for name, text in shown.items()
        if set(_runs(text)) - chinese_in_content
    }
    assert left == {}


def _runs(text: str) -> list[str]:
    """Runs of Han characters: what a reader would call a Chinese word or phrase."""
    return re.findall(r"[\u3400-\u9fff]+", text)


@pytest.mark.slow
def test_english_build_passes_the_html_checker(english):
    checked, errors = run_vnu(english)
    # 123 pages (the summer's two months, the class list and 24 classes among them), the two
    # style sheets, the sample display's picture and the favicon
    assert checked == 123
    assert errors == []


ENGLISH_PAGES = [
    "index.html",
    "calendar/index.html",
    "calendar/2026-04/index.html",
    "calendar/print/index.html",
    "agenda/index.html",
    "rosters/story-parents/index.html",
    "search/index.html",
]


@pytest.mark.browser
@pytest.mark.slow
def test_english_build_has_no_axe_violations(english, browser):
    assert all((english / p).is_file() for p in ENGLISH_PAGES)
    assert {p for p in ENGLISH_PAGES if '<html lang="en">' not in page(english, p)} == set()
    axe_js = AXE_FILE_PATH.read_text(encoding="utf-8")
    context = browser.new_context()
    tab = context.new_page()
    found = []
    for path in ENGLISH_PAGES:
        tab.goto((english / path).as_uri())
        tab.evaluate(axe_js)
        result = tab.evaluate(
            "opts => axe.run(document, opts)",
            {"runOnly": {"type": "tag", "values": WCAG_AA}, "resultTypes": ["violations"]},
        )
        found += [f"{path} {v['id']}: {v['help']}" for v in result["violations"]]
    context.close()
    assert found == []


@pytest.mark.browser
def test_english_search_says_its_sentences_in_english(english, browser):
    context = browser.new_context()
    tab = context.new_page()
    tab.goto((english / "search/index.html").as_uri() + "?q=zzzz")
    assert tab.text_content("#search-status") == "Nothing found for “zzzz”."
    tab.fill("#search-q", "")
    assert tab.text_content("#search-status") == "Type the words to find."
    context.close()


# --- a small English site: nothing the generator writes is Chinese ------------------------

SMALL_ENGLISH_SITE = {
    "content/site.yaml": """\
        school: 星光小学
        library: 图书馆
        language: en
        classes: [一(1)班, 一(2)班]
        """,
    "events.yaml": """\
        term:
          id: 2025-2026-2
          name: 第二学期
          first_day: 2026-02-24
          last_day: 2026-07-03
        events:
          - title: 入馆教育
            week: 2
            category: training
            owner: 陈敏
            audience: 一年级
        """,
    "content/festivals/spring.yaml": """\
        name: 春季读书节
        from: 2026-04-01
        to: 2026-04-30
        stages:
          - title: 启动仪式
            date: 2026-04-01
            time: 8:10-8:50
            owner: 陈敏
            location: 操场
            audience: 全校
        """,
    "content/rosters/parents.yaml": """\
        name: 故事爸妈团
        kind: story_parents
        owner: 储霞
        people:
          - name: 王丽娟
          - name: 周海峰
            public: 否
        sessions:
          - date: 2026-03-13
            time: 8:10-8:30
            class: 一(1)班
            person: 王丽娟
          - date: 2026-03-20
            time: 8:10-8:30
            class: 一(2)班
            person: 周海峰
        """,
    "content/displays/spring.yaml": """\
        title: 春天的书
        from: 2026-03-02
        to: 2026-03-27
        curator: 储霞
        """,
}
# Han characters, CJK punctuation and full-width forms
CJK_RUN = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]+")


def _unfolded(ics: str) -> str:
    """An iCalendar file's text as a reader sees it: lines unfolded, escapes undone."""
    text = ics.replace("\r\n ", "").replace("\r\n", "\n")
    return re.sub(r"\\([\\,;nN])", lambda m: "\n" if m[1] in "nN" else m[1], text)


@pytest.fixture(scope="module")
def small_english(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    """The small site built in English: (its folder, every page, feed and the search index
    as text)."""
    import textwrap

    from generator.cli import main

    site = tmp_path_factory.mktemp("small-english")
    for name, text in SMALL_ENGLISH_SITE.items():
        (site / name).parent.mkdir(parents=True, exist_ok=True)
        (site / name).write_text(textwrap.dedent(text), encoding="utf-8")
    out = site / "public"
    assert main(["build", "--site", str(site), "--out", str(out), "--today", "2026-03-10"]) == 0
    shown = {
        name: _unfolded(data.decode("utf-8")) if name.endswith(".ics") else data.decode("utf-8")
        for name, data in tree(out).items()
        if name.endswith((".html", ".ics", ".js"))
    }
    return site, shown


def test_the_english_feeds_say_their_own_words_in_english(small_english):
    _, shown = small_english
    everything = shown["calendar.ics"]
    assert "PRODID:-//library-site//School calendar iCalendar//EN\n" in everything
    assert "NAME:图书馆\n" in everything
    assert "X-WR-CALDESC:星光小学 图书馆: all events\n" in everything
    # what a VEVENT adds to the teacher's own words
    assert "DESCRIPTION:In charge: 陈敏\nFor: 一年级\nWeek 2 (whole week)\n" in everything
    assert "CATEGORIES:Training\n" in everything
    # the calendar items made from a display and from a roster's sessions
    assert "SUMMARY:Themed display: 春天的书\n" in everything
    assert "SUMMARY:故事爸妈团: 一(1)班\n" in everything
    assert "DESCRIPTION:In charge: 储霞\nFor: 一(2)班\n" in everything
    festival = shown["feeds/festival-spring.ics"]
    assert "X-WR-CALNAME:图书馆 · 春季读书节\n" in festival
    assert "X-WR-CALDESC:星光小学 图书馆: events of 春季读书节\n" in festival
    roster = shown["feeds/roster-parents.ics"]
    assert "X-WR-CALDESC:星光小学 图书馆: sessions of 故事爸妈团\n" in roster
    display = shown["feeds/display.ics"]
    assert "X-WR-CALNAME:图书馆 · Displays\n" in display
    assert "X-WR-CALDESC:星光小学 图书馆: Displays\n" in display
    assert "CATEGORIES:Displays\n" in display


def test_the_english_pages_show_the_calendar_items_in_english(small_english):
    _, shown = small_english
    month = shown["calendar/2026-03/index.html"]
    assert ">Themed display: 春天的书</a>" in month
    assert ">故事爸妈团: 一(1)班</a>" in month
    roster = shown["rosters/parents/index.html"]
    assert "周海峰" not in roster
    assert "(not shown)" in roster


def test_nothing_the_generator_writes_on_an_english_site_is_chinese(small_english):
    """Every run of Chinese in the pages, the feeds and the search index is one the teacher
    wrote in the YAML files (titles, names, places), never a word of the generator's."""
    site, shown = small_english
    written = set()
    for name in SMALL_ENGLISH_SITE:
        written.update(CJK_RUN.findall((site / name).read_text(encoding="utf-8")))
    left = {}
    for name, text in shown.items():
        # a heading's id is made from its words: the school's text, though not verbatim
        runs = set(CJK_RUN.findall(re.sub(r' id="[^"]*"', "", text))) - written
        if runs:
            left[name] = sorted(runs)
    assert left == {}
