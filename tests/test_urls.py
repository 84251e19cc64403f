"""The URL scheme (generator/plan/urls.py) and `url_for`, the templates' way to it."""

from __future__ import annotations

import posixpath
from collections.abc import Callable
from datetime import date
from types import SimpleNamespace

import pytest
from conftest import ROOT
from jinja2 import TemplateRuntimeError

from generator.assemble.content import RESERVED, Link
from generator.assemble.site import Site, TermCalendar
from generator.model.values import Month
from generator.pipeline import load_site
from generator.plan import urls
from generator.plan.pages import plan
from generator.render.environment import make_environment, static_files

TODAY = date(2026, 3, 10)
ARCHIVED = "2025-2026-1"


@pytest.fixture(scope="module")
def site() -> Site:
    return load_site(ROOT, TODAY)


@pytest.fixture(scope="module")
def current(site: Site) -> TermCalendar:
    return site.current


@pytest.fixture(scope="module")
def archived(site: Site) -> TermCalendar:
    (term,) = (t for t in site.archive if t.term.id == ARCHIVED)
    return term


def item(anchor: str, **fields: object) -> SimpleNamespace:
    """An occurrence or a 本月工作 item as the URL functions read it."""
    return SimpleNamespace(anchor=anchor, **fields)


# (function, arguments: "current"/"archived" stand for those terms) → the exact path
TABLE: list[tuple[Callable[..., str], tuple[object, ...], str]] = [
    (urls.home, (), "index.html"),
    (urls.not_found, (), "404.html"),
    (urls.terms, (), "terms/index.html"),
    (urls.calendar, ("current",), "calendar/index.html"),
    (urls.calendar, ("archived",), "terms/2025-2026-1/calendar/index.html"),
    (urls.month, ("current", Month(2026, 3)), "calendar/2026-03/index.html"),
    (urls.month, ("archived", Month(2025, 9)), "terms/2025-2026-1/calendar/2025-09/index.html"),
    (urls.day, ("current", date(2026, 4, 30)), "calendar/2026-04/index.html"),
    (urls.day, ("archived", date(2026, 1, 5)), "terms/2025-2026-1/calendar/2026-01/index.html"),
    (
        urls.occurrence,
        ("current", item("e20260331-0a1b2c", start=date(2026, 3, 31))),
        "calendar/2026-03/index.html#e20260331-0a1b2c",
    ),
    (
        urls.occurrence,
        ("archived", item("e20251103-abcdef-2", start=date(2025, 11, 3))),
        "terms/2025-2026-1/calendar/2025-11/index.html#e20251103-abcdef-2",
    ),
    (
        urls.month_item,
        ("archived", item("m20251001-123456", month=Month(2025, 10))),
        "terms/2025-2026-1/calendar/2025-10/index.html#m20251001-123456",
    ),
    (urls.calendar_print, ("current",), "calendar/print/index.html"),
    (urls.calendar_print, ("archived",), "terms/2025-2026-1/calendar/print/index.html"),
    (urls.calendar_print_large, ("current",), "calendar/print-large/index.html"),
    (urls.week, ("current", 7), "calendar/week/07/index.html"),
    (urls.week, ("archived", 21), "terms/2025-2026-1/calendar/week/21/index.html"),
    (urls.roster_slips, ("story-parents",), "rosters/story-parents/slips/index.html"),
    (urls.pdf, ("calendar/2026-04/index.html",), "calendar/2026-04/calendar-2026-04.pdf"),
    (urls.pdf, ("rosters/librarians/index.html",), "rosters/librarians/rosters-librarians.pdf"),
    (
        urls.calendar_print_large,
        ("archived",),
        "terms/2025-2026-1/calendar/print-large/index.html",
    ),
    (urls.agenda, ("current",), "agenda/index.html"),
    (urls.agenda, ("archived",), "terms/2025-2026-1/agenda/index.html"),
    (urls.festivals, (), "festivals/index.html"),
    (urls.festival, ("science-2026",), "festivals/science-2026/index.html"),
    (urls.festival, ("science-2026", "stage-2"), "festivals/science-2026/index.html#stage-2"),
    (urls.rosters, (), "rosters/index.html"),
    (urls.roster, ("story-parents",), "rosters/story-parents/index.html"),
    (
        urls.roster,
        ("story-parents", "s-20260327-1"),
        "rosters/story-parents/index.html#s-20260327-1",
    ),
    (urls.displays, (), "displays/index.html"),
    (urls.display, ("careers",), "displays/careers/index.html"),
    (urls.display, ("careers", "book-3"), "displays/careers/index.html#book-3"),
    (
        urls.link,
        (Link("festival", "science-2026", "stage-1"),),
        "festivals/science-2026/index.html#stage-1",
    ),
    (
        urls.link,
        (Link("roster", "librarians", "s-20260302-1"),),
        "rosters/librarians/index.html#s-20260302-1",
    ),
    (urls.link, (Link("display", "careers"),), "displays/careers/index.html"),
    (
        urls.link,
        (Link("project", "children-reading-room", "phase-6"),),
        "projects/children-reading-room/index.html#phase-6",
    ),
    (urls.honours, ("current",), "honours/index.html"),
    (urls.honours, ("archived",), "terms/2025-2026-1/honours/index.html"),
    (urls.projects, (), "projects/index.html"),
    (urls.project, ("children-reading-room",), "projects/children-reading-room/index.html"),
    (
        urls.project,
        ("children-reading-room", "phase-2"),
        "projects/children-reading-room/index.html#phase-2",
    ),
    (urls.work_plan, ("current",), "work-plan/index.html"),
    (urls.work_plan, ("archived",), "terms/2025-2026-1/work-plan/index.html"),
    (urls.work_plan_docx, ("current",), "work-plan/work-plan-2025-2026-2.docx"),
    (
        urls.work_plan_docx,
        ("archived",),
        "terms/2025-2026-1/work-plan/work-plan-2025-2026-1.docx",
    ),
    (urls.work_summary, ("current",), "work-summary/index.html"),
    (urls.work_summary, ("archived",), "terms/2025-2026-1/work-summary/index.html"),
    (urls.work_summary_docx, ("current",), "work-summary/work-summary-2025-2026-2.docx"),
    (
        urls.work_summary_docx,
        ("archived",),
        "terms/2025-2026-1/work-summary/work-summary-2025-2026-1.docx",
    ),
    (urls.classes, (), "classes/index.html"),
    (urls.class_page, ("3-1",), "classes/3-1/index.html"),
    (urls.stats, (), "stats/index.html"),
    (urls.stats_term, ("2025-2026-1",), "stats/2025-2026-1/index.html"),
    (urls.stats_term, ("2025-2026-1", "top-books"), "stats/2025-2026-1/index.html#top-books"),
    (urls.stats_print, ("2025-2026-1",), "stats/2025-2026-1/print/index.html"),
    (urls.page, ("hours",), "hours/index.html"),
    (urls.news, (), "news/index.html"),
    (urls.news, (1,), "news/index.html"),
    (urls.news, (2,), "news/page/2/index.html"),
    (urls.news, (12,), "news/page/12/index.html"),
    (urls.news_item, ("2026-03-20-reading-award",), "news/2026-03-20-reading-award/index.html"),
    (urls.news_tag, ("读书节",), "news/tags/t-da3c4cb2/index.html"),
    (urls.news_tag, ("科技",), "news/tags/t-c00da5c4/index.html"),
    (urls.news_tag, ("Reading-Club",), "news/tags/reading-club/index.html"),
    (urls.news_tag, ("Reading Club",), "news/tags/t-d4093105/index.html"),
    (urls.calendar_feed, (), "calendar.ics"),
    (urls.category_feed, ("festival",), "feeds/festival.ics"),
    (urls.content_feed, ("festival", "science-2026"), "feeds/festival-science-2026.ics"),
    (urls.content_feed, ("roster", "librarians"), "feeds/roster-librarians.ics"),
    (urls.content_feed, ("class", "3-1"), "feeds/class-3-1.ics"),
    (urls.search, (), "search/index.html"),
    (urls.search_index, (), "search-index.js"),
    (urls.media, ("displays/science-future.svg",), "media/displays/science-future.svg"),
    (urls.static, ("style.css",), "static/style.css"),
    (urls.static, ("img/logo.svg",), "static/img/logo.svg"),
]


@pytest.mark.parametrize(
    ("function", "args", "path"),
    TABLE,
    ids=[f"{f.__name__}-{i}" for i, (f, _, _) in enumerate(TABLE)],
)
def test_each_kind_of_output_has_one_exact_path(
    function: Callable[..., str],
    args: tuple[object, ...],
    path: str,
    current: TermCalendar,
    archived: TermCalendar,
) -> None:
    terms = {"current": current, "archived": archived}
    assert function(*(terms.get(a, a) if isinstance(a, str) else a for a in args)) == path


def test_every_route_is_in_the_table() -> None:
    assert set(urls.ROUTES) == {f.__name__ for f, _, _ in TABLE}
    assert all(urls.ROUTES[name].__name__ == name for name in urls.ROUTES)


def test_tag_slug_keeps_a_plain_id_and_digests_anything_else() -> None:
    assert urls.tag_slug(" Science-2026 ") == "science-2026"
    assert urls.tag_slug("获奖") == "t-525588eb"
    assert urls.tag_slug("科技 节") == "t-0c257e53"
    assert urls.tag_slug("-x") != "-x"  # a folder name never starts with a dash


def test_every_planned_page_comes_from_the_scheme(site: Site) -> None:
    """The plan's pages are exactly what the URL functions give for the site's content."""
    content = site.content
    expected = {urls.home(), urls.terms(), urls.not_found(), urls.search()}
    for term in site.terms:
        expected |= {urls.calendar(term), urls.agenda(term), urls.calendar_print(term)}
        expected.add(urls.calendar_print_large(term))
        expected |= {urls.month(term, m.month) for m in term.months}
        expected |= {urls.week(term, w.week.number) for w in term.weeks}
        expected |= {urls.work_plan(term), urls.work_summary(term)}
    # a term's honours: the current term's, and each other term that has some
    expected |= {urls.honours(site.current)}
    expected |= {urls.projects(), *(urls.project(p.id) for p in content.of("project"))}
    expected |= {urls.festivals(), urls.rosters(), urls.displays()}
    expected |= {urls.festival(f.id) for f in content.of("festival")}
    expected |= {urls.roster(r.id) for r in content.of("roster")}
    # reminder slips: a roster whose sessions name people (the intranet build)
    expected |= {
        urls.roster_slips(r.id)
        for r in content.of("roster")
        if any(s.session.person for s in r.sessions)
    }
    expected |= {urls.display(d.id) for d in content.of("display")}
    expected |= {urls.page(p.slug) for p in content.of("page")}
    expected |= {urls.news(n) for n in range(1, -(-len(content.of("news")) // 10) + 1)}
    expected |= {urls.news_item(n.slug) for n in content.of("news")}
    expected |= {urls.news_tag(tag) for n in content.of("news") for tag in n.meta.tags}
    expected |= {urls.classes(), *(urls.class_page(c.id) for c in content.of("class"))}
    stats = content.of("stats")
    expected |= {urls.stats(), *(urls.stats_term(s.id) for s in stats)} if stats else set()
    expected |= {urls.stats_print(s.id) for s in stats}
    assert {job.path for job in plan(site)} == expected


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("三(1)班", "3-1"),
        ("六(12)班", "6-12"),
        ("class-3a", "class-3a"),
        ("3A", "3a"),
        ("三年级(1)班", "c-" + __import__("hashlib").sha1("三年级(1)班".encode()).hexdigest()[:8]),
    ],
)
def test_a_class_s_folder_is_short_and_plain(name: str, slug: str) -> None:
    assert urls.class_slug(name) == slug


def test_reserved_page_slugs_are_the_top_level_names_of_the_scheme(
    current: TermCalendar, archived: TermCalendar
) -> None:
    """A page may not take a top-level folder another page's path is in (RESERVED, which
    the assemble stage checks); and RESERVED names nothing the scheme does not use."""
    terms = {"current": current, "archived": archived}
    paths = [
        f(*(terms.get(a, a) if isinstance(a, str) else a for a in args))
        for f, args, _ in TABLE
        if f is not urls.page
    ]
    tops = {path.split("/")[0] for path in paths}
    clashing = {top for top in tops if f"{top}/index.html" in paths}  # "calendar", "news", …
    used = {posixpath.splitext(top)[0] for top in tops}  # also "index", "404", "media", …
    assert clashing <= set(RESERVED) <= used


def test_static_files_are_copied_to_their_static_path() -> None:
    files = static_files((ROOT / "generator" / "themes" / "default",))
    assert files
    for path, source in files.items():
        name = source.relative_to(ROOT / "generator" / "themes" / "default" / "static").as_posix()
        assert path == urls.static(name)


# --- url_for ---------------------------------------------------------------------------------
NESTED = "terms/2025-2026-1/calendar/2025-09/index.html"


@pytest.fixture(scope="module")
def render() -> Callable[..., str]:
    env = make_environment((ROOT / "generator" / "themes" / "default",))

    def render(source: str, page_path: str = NESTED, **values: object) -> str:
        return env.from_string(source).render(page_path=page_path, **values)

    return render


@pytest.mark.parametrize(
    ("call", "link"),
    [
        ("url_for('home')", "../../../../index.html"),
        ("url_for('terms')", "../../../index.html"),
        ("url_for('calendar', archived)", "../index.html"),
        ("url_for('month', archived, month)", "../2025-10/index.html"),
        ("url_for('day', archived, day)", "../2026-01/index.html"),
        ("url_for('occurrence', archived, occ)", "index.html#e20250901-0a1b2c"),
        ("url_for('calendar_print', archived)", "../print/index.html"),
        ("url_for('agenda', archived)", "../../agenda/index.html"),
        ("url_for('calendar', current)", "../../../../calendar/index.html"),
        ("url_for('month', current, current_month)", "../../../../calendar/2026-03/index.html"),
        (
            "url_for('festival', 'science-2026', 'stage-1')",
            "../../../../festivals/science-2026/index.html#stage-1",
        ),
        (
            "url_for('link', link_to('roster', 'librarians', 's-1'))",
            "../../../../rosters/librarians/index.html#s-1",
        ),
        ("url_for('news')", "../../../../news/index.html"),
        ("url_for('news', 2)", "../../../../news/page/2/index.html"),
        ("url_for('news_tag', '读书节')", "../../../../news/tags/t-da3c4cb2/index.html"),
        (
            "url_for('media', 'displays/science-future.svg')",
            "../../../../media/displays/science-future.svg",
        ),
        ("url_for('static', 'search.js')", "../../../../static/search.js"),
        ("url_for('search_index')", "../../../../search-index.js"),
        ("url_for('calendar_feed')", "../../../../calendar.ics"),
    ],
)
def test_url_for_links_relative_to_a_nested_page(
    render: Callable[..., str],
    current: TermCalendar,
    archived: TermCalendar,
    call: str,
    link: str,
) -> None:
    values = {
        "current": current,
        "archived": archived,
        "month": Month(2025, 10),
        "current_month": Month(2026, 3),
        "day": date(2026, 1, 5),
        "occ": item("e20250901-0a1b2c", start=date(2025, 9, 1)),
    }
    assert render("{{ " + call + " }}", **values) == link


def test_url_for_from_the_root_and_from_its_own_page(
    render: Callable[..., str], current: TermCalendar
) -> None:
    assert render("{{ url_for('calendar', t) }}", "index.html", t=current) == "calendar/index.html"
    assert render("{{ url_for('search') }}", "search/index.html") == "index.html"
    assert render("{{ url_for('news', 3) }}", "news/page/2/index.html") == "../3/index.html"


def test_url_for_names_what_is_wrong(render: Callable[..., str], current: TermCalendar) -> None:
    with pytest.raises(TemplateRuntimeError, match=r"no page kind 'moon'.*known: agenda, "):
        render("{{ url_for('moon') }}")
    with pytest.raises(TemplateRuntimeError, match=r"url_for\('month', …\).*month\(term"):
        render("{{ url_for('month', t) }}", t=current)
