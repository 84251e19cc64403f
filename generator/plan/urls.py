"""The URL scheme: the output path of every page and file of the site, and nothing else.

One function per kind of output. A path is `/`-separated and relative to the output folder,
and a page's path names its file (`calendar/2026-03/index.html`): opened from file://, a
link to a folder does not open its index.html. An anchor follows a `#`.

The plan, the feeds, the search index and the file copies take their paths from here, and
templates reach the same functions by name: `url_for("month", term, m.month)` is the link
from the page being rendered to `month(term, m.month)` (`generator.render.environment`).

Two parts of the scheme stay with the assemble stage, which must not import the plan: a
term's folder, `TermCalendar.prefix` ("" for the current term, `terms/<id>/` for an archived
one), and `RESERVED`, the top-level folders a page's slug may not take (checked when the
page is read). The tests hold both to what this module makes.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING

from generator.model.values import Month

if TYPE_CHECKING:
    from generator.assemble.content import Link
    from generator.assemble.term import MonthItem, Occurrence, TermCalendar

INDEX = "index.html"


def _page(folder: str) -> str:
    return f"{folder}/{INDEX}"


def _at(path: str, anchor: str) -> str:
    return f"{path}#{anchor}" if anchor else path


# --- the site ------------------------------------------------------------------------------
def home() -> str:
    return INDEX


def not_found() -> str:
    """The page a web server shows for a missing path."""
    return "404.html"


def terms() -> str:
    """The list of terms, the current and the archived ones."""
    return _page("terms")


# --- a term's calendar -----------------------------------------------------------------------
def calendar(term: TermCalendar) -> str:
    """A term's overview (校历): under the term's prefix, like all of its pages."""
    return _page(f"{term.prefix}calendar")


def month(term: TermCalendar, which: Month) -> str:
    """A month's page of a term (the month's folder is `YYYY-MM`)."""
    return _page(f"{term.prefix}calendar/{which}")


def day(term: TermCalendar, when: date) -> str:
    """The month page that shows the day `when`."""
    return month(term, Month.of(when))


def occurrence(term: TermCalendar, occ: Occurrence) -> str:
    """A calendar item where its month page lists it: the month it starts in, at its anchor."""
    return _at(day(term, occ.start), occ.anchor)


def month_item(term: TermCalendar, item: MonthItem) -> str:
    """An undated 本月工作 item on its month's page (an item over months: on each one's)."""
    return _at(month(term, item.month), item.anchor)


def calendar_print(term: TermCalendar) -> str:
    """The whole term's month calendars on one page, one month per printed sheet."""
    return _page(f"{term.prefix}calendar/print")


def week(term: TermCalendar, number: int) -> str:
    """本周安排: a teaching week's sheet for the notice board (the folder is its number)."""
    return _page(f"{term.prefix}calendar/week/{number:02d}")


def calendar_print_large(term: TermCalendar) -> str:
    """The same in large type, titles only: for a corridor notice board."""
    return _page(f"{term.prefix}calendar/print-large")


def pdf(page: str) -> str:
    """The PDF of a printable page, beside it and named after its folder (a download called
    calendar-2026-04.pdf, not index.pdf): `calendar/2026-04/calendar-2026-04.pdf`."""
    folder = page.rpartition("/")[0]
    return f"{folder}/{folder.replace('/', '-')}.pdf" if folder else "index.pdf"


def agenda(term: TermCalendar) -> str:
    return _page(f"{term.prefix}agenda")


# --- festivals, rosters, displays ------------------------------------------------------------
FESTIVALS, ROSTERS, DISPLAYS = "festivals", "rosters", "displays"


def festivals() -> str:
    return _page(FESTIVALS)


def festival(festival_id: str, anchor: str = "") -> str:
    """A festival's page (its file's name is its id), at `anchor` if one is given."""
    return _at(_page(f"{FESTIVALS}/{festival_id}"), anchor)


def rosters() -> str:
    return _page(ROSTERS)


def roster(roster_id: str, anchor: str = "") -> str:
    return _at(_page(f"{ROSTERS}/{roster_id}"), anchor)


def roster_slips(roster_id: str) -> str:
    """A roster's reminder slips, one per person with their own dates, to cut apart."""
    return _page(f"{ROSTERS}/{roster_id}/slips")


def displays() -> str:
    return _page(DISPLAYS)


def display(display_id: str, anchor: str = "") -> str:
    return _at(_page(f"{DISPLAYS}/{display_id}"), anchor)


# --- classes ---------------------------------------------------------------------------------
CLASSES = "classes"
_GRADE_NUMBERS = {c: str(i) for i, c in enumerate("一二三四五六七八九", start=1)}


def classes() -> str:
    """The class list: a link to each class's page."""
    return _page(CLASSES)


def class_page(class_id: str) -> str:
    """A class's page (its id: `class_slug` of its name)."""
    return _page(f"{CLASSES}/{class_id}")


def class_slug(name: str) -> str:
    """A folder name for a class: 三(1)班 → 3-1; a plain id stays; anything else a digest."""
    match = re.fullmatch(r"([一二三四五六七八九])\((\d+)\)班", name)
    if match:
        return f"{_GRADE_NUMBERS[match.group(1)]}-{int(match.group(2))}"
    text = name.strip().lower()
    if re.fullmatch(r"[a-z0-9][a-z0-9-]*", text):
        return text
    return "c-" + hashlib.sha1(name.encode("utf-8")).hexdigest()[:8]


# --- honours, projects and the term's documents ----------------------------------------------
PROJECTS = "projects"


def honours(term: TermCalendar) -> str:
    """A term's honours (荣誉): the current term's at the root, like its calendar."""
    return _page(f"{term.prefix}honours")


def projects() -> str:
    return _page(PROJECTS)


def project(project_id: str, anchor: str = "") -> str:
    return _at(_page(f"{PROJECTS}/{project_id}"), anchor)


def work_plan(term: TermCalendar) -> str:
    """The term's 工作计划, a page that prints on A4 portrait."""
    return _page(f"{term.prefix}work-plan")


def work_plan_docx(term: TermCalendar) -> str:
    return f"{term.prefix}work-plan/work-plan-{term.term.id}.docx"


def work_summary(term: TermCalendar) -> str:
    """The term's 工作总结."""
    return _page(f"{term.prefix}work-summary")


def work_summary_docx(term: TermCalendar) -> str:
    return f"{term.prefix}work-summary/work-summary-{term.term.id}.docx"


def link(to: Link) -> str:
    """The page a calendar item belongs to (a festival, roster or display), at its anchor."""
    return _ITEM_PAGES[to.kind](to.id, to.anchor)


_ITEM_PAGES: dict[str, Callable[[str, str], str]] = {
    "festival": festival,
    "roster": roster,
    "display": display,
    "project": project,
}


# --- loan statistics -------------------------------------------------------------------------
STATS = "stats"


def stats() -> str:
    """The terms that have loan statistics."""
    return _page(STATS)


def stats_term(term_id: str, anchor: str = "") -> str:
    """A term's loan statistics: charts and tables (the id is the term's)."""
    return _at(_page(f"{STATS}/{term_id}"), anchor)


def stats_print(term_id: str) -> str:
    """A term's loan statistics on one A4 sheet."""
    return _page(f"{STATS}/{term_id}/print")


# --- pages and news --------------------------------------------------------------------------
def page(slug: str) -> str:
    """A page of content/pages/: a top-level folder named by its slug (not one of RESERVED)."""
    return _page(slug)


def news(number: int = 1) -> str:
    """The list of news, page `number` (newest first): the first is the news folder's own."""
    return _page("news") if number == 1 else _page(f"news/page/{number}")


def news_item(slug: str) -> str:
    return _page(f"news/{slug}")


def news_tag(tag: str) -> str:
    """The articles with a tag."""
    return _page(f"news/tags/{tag_slug(tag)}")


def tag_slug(tag: str) -> str:
    """A folder name for a tag: the tag itself when it is a plain id, else a short digest."""
    text = tag.strip().lower()
    if re.fullmatch(r"[a-z0-9][a-z0-9-]*", text):
        return text
    return "t-" + hashlib.sha1(tag.encode("utf-8")).hexdigest()[:8]


# --- feeds, search, files --------------------------------------------------------------------
def calendar_feed() -> str:
    """The iCalendar feed of everything dated, in every term."""
    return "calendar.ics"


def category_feed(key: str) -> str:
    """The feed of one category (a key of `CATEGORIES`)."""
    return f"feeds/{key}.ics"


def content_feed(kind: str, item_id: str) -> str:
    """The feed of one festival, roster or class (`kind` "festival", "roster", "class")."""
    return f"feeds/{kind}-{item_id}.ics"


def search() -> str:
    return _page("search")


def search_index() -> str:
    """The search index: a script, so the search page works from file:// too."""
    return "search-index.js"


def media(src: str) -> str:
    """Where a content file shown on a page (a display's picture) is copied: `src` is its
    path under content/."""
    return f"media/{src}"


def static(name: str) -> str:
    """A theme's static file: `name` is its path under the theme's static/ folder."""
    return f"static/{name}"


# What templates may ask `url_for` for, by name: every function above that makes a path.
ROUTES: dict[str, Callable[..., str]] = {
    f.__name__: f
    for f in (
        home,
        not_found,
        terms,
        calendar,
        month,
        day,
        occurrence,
        month_item,
        calendar_print,
        calendar_print_large,
        week,
        pdf,
        agenda,
        festivals,
        festival,
        rosters,
        roster,
        roster_slips,
        displays,
        display,
        classes,
        class_page,
        honours,
        projects,
        project,
        work_plan,
        work_plan_docx,
        work_summary,
        work_summary_docx,
        link,
        stats,
        stats_term,
        stats_print,
        page,
        news,
        news_item,
        news_tag,
        calendar_feed,
        category_feed,
        content_feed,
        search,
        search_index,
        media,
        static,
    )
}
