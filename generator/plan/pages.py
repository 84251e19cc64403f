"""The plan stage: `Site` → render jobs. This module alone decides which pages exist.

Each job's context holds everything its template shows (no template asks the site for an
index while rendering), and says where that came from: `sources`, the input files whose
content the page shows, and `key`, the plain values it shows that no one of them decides
(links into another page's anchors, page counts). The live preview renders a page again
only when one of these changed; a build renders every page.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import partial
from typing import Any

from generator.assemble.content import Link
from generator.assemble.site import Site
from generator.assemble.term import MonthItem, Occurrence, TermCalendar, VacationView, WeekView
from generator.memo import NO_MEMO, Memo
from generator.model.base import N_
from generator.model.values import Month
from generator.plan import urls
from generator.plan.feeds import Feed, feeds

HOME_WEEKS = 3  # this week and the next two
_NO_FILES: frozenset[str] = frozenset()


@dataclass(frozen=True)
class NavItem:
    label: str  # a message id of the theme's catalogue, or a page's own title
    path: str
    section: str
    translate: bool = True


# A read a template made (recorded by the preview): (the context variable read, or the
# type of a term calendar, month or feed reached through another, the attribute); "*" for
# the attribute: any of it.
Read = tuple[str, str]


@dataclass(frozen=True)
class Job:
    path: str  # output path, `/`-separated, relative to the output folder
    template: str
    context: dict[str, Any] = field(default_factory=dict)
    section: str = ""
    sources: frozenset[str] = _NO_FILES  # the input files whose content the page shows
    key: tuple[Hashable, ...] = ()  # plain values it shows that no one of `sources` decides
    # the sheet it prints on ("A4 landscape", "A4 portrait"); "" for a page that does not
    paper: str = ""
    # what every page shows alike (menu, feed links): one object for all jobs of a plan
    shared: tuple[Hashable, ...] = field(default=(), compare=False, repr=False)
    # What the page shows of its sources, by value (its month, its items): when every read
    # its template made is one `covers` names, a change to its sources renders it again
    # only when these differ. None: any change to its sources renders it again.
    values: tuple[Any, ...] | None = field(default=None, compare=False, repr=False)
    covers: frozenset[Read] = field(default=frozenset(), compare=False, repr=False)


@dataclass(frozen=True)
class HomeState:
    """Where the build date falls: in a term, or before, between or after terms."""

    kind: str  # "in_term" | "vacation" | "before" | "between" | "after"
    term: TermCalendar | None
    weeks: tuple[WeekView, ...]
    next_term: TermCalendar | None = None
    vacation: VacationView | None = None  # the vacation of `term` the build date is in
    # in a vacation: its programme from the build date on, and its months' 本月工作
    programme: tuple[Occurrence, ...] = ()
    month_items: tuple[MonthItem, ...] = ()


@dataclass(frozen=True)
class Mention:
    """A calendar item that names a festival, roster or display without coming from it."""

    term: TermCalendar
    occurrence: Occurrence
    url: str  # its place on its month page


def home_state(site: Site) -> HomeState:
    today = site.today
    term = site.term_at(today)
    if term is not None:
        number = term.week_of(today)
        weeks = tuple(w for w in term.weeks if number <= w.week.number < number + HOME_WEEKS)
        return HomeState("in_term", term, weeks)
    terms = sorted(site.terms, key=lambda t: t.term.first_day)
    upcoming = [t for t in terms if t.term.first_day > today]
    for t in terms:
        vacation = t.vacation_at(today)
        if vacation is not None:  # the next term's start, if a term file says it
            return HomeState(
                "vacation",
                t,
                (),
                next_term=upcoming[0] if upcoming else None,
                vacation=vacation,
                programme=tuple(o for o in vacation.occurrences if o.end >= today),
                month_items=tuple(
                    item
                    for m in t.months
                    if m.month in vacation.months and m.month >= Month.of(today)
                    for item in m.items
                ),
            )
    if not upcoming:
        return HomeState("after", terms[-1], ())
    if upcoming[0] is terms[0]:
        return HomeState("before", upcoming[0], (), next_term=upcoming[0])
    return HomeState("between", upcoming[0], (), next_term=upcoming[0])


def current_month(term: TermCalendar, today: date) -> Month:
    months = [m.month for m in term.months]
    this = Month.of(today)
    return this if this in months else months[0]


def current_displays(site: Site) -> list[Any]:
    return [d for d in site.content.of("display") if d.model.from_ <= site.today <= d.model.to]


class Links:
    """Where each festival stage / roster session / display is shown on the calendar, and
    the calendar items that name each festival, roster and display: made once per plan."""

    def __init__(self, site: Site, memo: Memo = NO_MEMO) -> None:
        self.calendar: dict[Link, str] = {}
        self.mentions: dict[tuple[str, str], list[Mention]] = defaultdict(list)
        for term in site.terms:
            # a term's part is the last build's while its calendar is the same object
            # (`assemble.site` keeps it; its id first: an equal one is not the same, and
            # an edited one is told apart without comparing the two whole calendars)
            placed, mentions = memo.keep(
                "links", term.term.id, (id(term), term), partial(_term_links, term)
            )
            for link, url in placed:
                self.calendar.setdefault(link, url)
            for key, mention in mentions:
                self.mentions[key].append(mention)

    def of(self, kind: str, item_id: str, links: Iterable[Link]) -> dict[str, Any]:
        """The context a festival's, roster's or display's page needs to link to the
        calendar: its own items' places and the items that name it."""
        found = {link: self.calendar[link] for link in links if link in self.calendar}
        mentions = self.mentions.get((kind, item_id), [])
        return {"calendar_links": found, "mentioned_in": mentions}


def _term_links(
    term: TermCalendar,
) -> tuple[list[tuple[Link, str]], list[tuple[tuple[str, str], Mention]]]:
    """One term's share of `Links`: its items' places, and the items that name a page."""
    placed: list[tuple[Link, str]] = []
    mentions: list[tuple[tuple[str, str], Mention]] = []
    for occ in term.occurrences:
        if occ.part_of is not None:
            placed.append((occ.part_of, urls.occurrence(term, occ)))
        else:
            for link in dict.fromkeys(occ.event.links):
                mentions.append((link, Mention(term, occ, urls.occurrence(term, occ))))
    return placed, mentions


def linked_job(
    path: str,
    template: str,
    context: dict[str, Any],
    section: str,
    sources: frozenset[str],
    linked: dict[str, Any],
    feed: Feed | None = None,
    paper: str = "",
) -> Job:
    mentions: list[Mention] = linked["mentioned_in"]
    key = (
        tuple(linked["calendar_links"].items()),
        tuple(m.url for m in mentions),
        (feed.path, feed.name, feed.label) if feed is not None else None,
    )
    files = sources | {m.occurrence.origin.file for m in mentions}
    # what it shows by value: its own context (its file's view, its feed's link) and the
    # items naming it
    values = (
        tuple((k, feed_link(v) if isinstance(v, Feed) else v) for k, v in context.items()),
        key,
        tuple((m.occurrence, m.url, *term_values(m.term)) for m in mentions),
    )
    roots = [k for k, v in context.items() if not isinstance(v, Feed)]
    feeds_read = {(k, a) for k, v in context.items() if isinstance(v, Feed) for a in FEED_LINK}
    return Job(
        path,
        template,
        {**context, **linked},
        section,
        files,
        key,
        paper,
        values=values,
        covers=covers((*roots, "calendar_links", "mentioned_in")) | feeds_read,
    )


# what a page shows of a feed of its own: its link
FEED_LINK = ("path", "name", "label", "description", "page")


def feed_link(feed: Feed) -> tuple[Any, ...]:
    return tuple(getattr(feed, a) for a in FEED_LINK)


@dataclass(frozen=True)
class Planner:
    """What a content kind's pages are planned with (`Kind.jobs`)."""

    site: Site
    links: Links
    own_feeds: Mapping[Link | None, Feed]
    # the build's memo: what a kind makes for its pages and again for its files (`Kind.files`)
    # is made once, and the preview keeps what did not change since its last build
    memo: Memo = NO_MEMO

    linked_job = staticmethod(linked_job)

    def related(self, kind: str, item_id: str) -> tuple[Any, ...]:
        """What other kinds' pages say about a view's page (`Kind.related`: the honours
        naming a roster's people), to link to from it."""
        site = self.site
        return tuple(
            found
            for k in site.kinds
            for found in k.related(site, site.content.of(k.name), kind, item_id)
        )


def plan(
    site: Site, published: list[Feed] | None = None, pdf: bool = False, memo: Memo = NO_MEMO
) -> list[Job]:
    """Every page of the site. `published`: the site's feeds, as `plan.feeds.feeds` made
    them (made here when not given). `pdf`: the build prints a PDF of each page that has
    paper (`library-site pdf`), and the page links to it. `memo`: the build's or the
    preview's (`Planner`); the preview's keeps the jobs of a kind made from its views alone
    (`Kind.jobs_from_views`)."""
    return [job for part in plan_parts(site, published, pdf, memo) for job in part]


def plan_parts(
    site: Site, published: list[Feed] | None = None, pdf: bool = False, memo: Memo = NO_MEMO
) -> Iterator[list[Job]]:
    """`plan` in parts, as it goes: the calendar's pages (the home page, the terms' list,
    each term's calendar, agenda, weeks and months), then each kind's pages, in the order
    of the kinds. No part needs a later one: the preview serves a month page open in a
    browser before any kind's pages are planned, a festival's before the rosters'."""
    current = site.current
    published = feeds(site) if published is None else published
    menu = [kind for kind in site.kinds if kind.menu is not None]
    nav = (
        NavItem(N_("首页"), urls.home(), "home"),
        NavItem(N_("校历"), urls.calendar(current), "calendar"),
        NavItem(N_("月历"), urls.month(current, current_month(current, site.today)), "month"),
        NavItem(N_("日程"), urls.agenda(current), "agenda"),
        *(item for kind in sorted(menu, key=lambda k: k.menu) for item in kind.nav(site)),
        NavItem(N_("往期学期"), urls.terms(), "terms"),
    )
    # calendar pages offer the whole calendar and the categories; a festival's or a
    # roster's own feed is offered on its page
    calendar_feeds = [f for f in published if f.page is None]
    common = {
        "settings": site.settings,
        "nav": nav,
        "today": site.today,
        "feeds": calendar_feeds,
    }
    shared = (nav, tuple((f.path, f.name, f.label) for f in calendar_feeds))
    home = home_state(site)
    displays_now = current_displays(site)
    home_terms = [t for t in (home.term, home.next_term) if t is not None]
    vacation_key = (home.vacation.vacation.name,) if home.vacation else ()
    jobs = [
        Job(
            urls.home(),
            "index.html",
            {"home": home, "displays_now": displays_now},
            "home",
            _files(*(t.sources for t in home_terms), (d.source for d in displays_now)),
            (home.kind, *vacation_key),
            values=(
                home.kind,
                home.weeks,
                home.vacation,
                home.programme,
                home.month_items,
                *(term_values(t) if t is not None else None for t in (home.term, home.next_term)),
                tuple(displays_now),
            ),
            covers=covers(("home", "displays_now")),
        ),
        Job(
            urls.terms(),
            "terms.html",
            {"terms": site.terms},
            "terms",
            frozenset(t.source for t in site.terms),
            values=tuple(term_values(t) for t in site.terms),
            covers=covers(()),
        ),
        # the current term is always at the site root: these two link to it without showing it
        Job(urls.not_found(), "404.html", {"current": current}, ""),
        Job(urls.search(), "search.html", {"current": current}, "search"),
    ]
    planned = _completed(jobs, common, shared, pdf)
    for term in site.terms:
        # An unchanged term (the same calendar object, kept by `assemble.site`) has the last
        # build's jobs while what every page shows is the same, as a kind's jobs are kept
        # (`Kind.jobs_from_views`, below): the preview makes only the edited term's again.
        planned += memo.keep(
            "term-jobs",
            term.term.id,
            (id(term), term, site.settings, nav, site.today, shared, pdf),
            partial(_made_completed, partial(_term_jobs, term), common, shared, pdf),
        )
    yield planned
    planner = Planner(site, Links(site, memo), {f.page: f for f in published if f.page}, memo)
    for kind in site.kinds:
        views = site.content.of(kind.name)
        if not kind.jobs_from_views:
            yield _completed(kind.jobs(planner, views), common, shared, pdf)
            continue
        # The preview's last jobs while its views (the same objects, kept with the kind's
        # load) and what every page shows are the same: the 6,000 jobs of 4,000 articles
        # are not made again on each save. The feeds they hold are the last build's, which
        # show the same links (`shared`), all a page reads of them (`COMMON_COVERS`).
        yield memo.keep(
            "kind-jobs",
            kind.name,
            (views, site.settings, nav, site.today, shared, pdf),
            partial(_made_completed, partial(kind.jobs, planner, views), common, shared, pdf),
        )


def _term_jobs(term: TermCalendar) -> list[Job]:
    """A term's calendar pages: its calendar, agenda, whole-term prints, weeks, months."""
    jobs = [
        Job(
            urls.calendar(term),
            "calendar.html",
            {"term": term},
            "calendar",
            term.sources,
            paper="A4 portrait",
        ),
        Job(urls.agenda(term), "agenda.html", {"term": term}, "agenda", term.sources),
    ]
    for path, layout in (
        (urls.calendar_print(term), "normal"),
        (urls.calendar_print_large(term), "large"),
    ):
        jobs.append(
            Job(
                path,
                "print.html",
                {"term": term, "layout": layout},
                "month",
                term.sources,
                paper="A4 landscape",
            )
        )
    for i, week in enumerate(term.weeks):
        touched = {Month.of(week.week.monday), Month.of(week.week.sunday)}
        month_items = [m for m in term.month_items if m.month in touched]
        around = {
            "previous": term.weeks[i - 1] if i > 0 else None,
            "next": term.weeks[i + 1] if i + 1 < len(term.weeks) else None,
        }
        jobs.append(
            Job(
                urls.week(term, week.week.number),
                "week.html",
                {"term": term, "week": week, "month_items": month_items, **around},
                "calendar",
                term.sources,
                paper="A4 portrait",
                values=(
                    week,
                    tuple(month_items),
                    *(w.week if w is not None else None for w in around.values()),
                    *term_values(term),
                ),
                covers=WEEK_COVERS,
            )
        )
    for i, month in enumerate(term.months):
        neighbours = {
            "previous": term.months[i - 1] if i > 0 else None,
            "next": term.months[i + 1] if i + 1 < len(term.months) else None,
        }
        jobs.append(
            Job(
                urls.month(term, month.month),
                "month.html",
                {"term": term, "month": month, **neighbours},
                "month",
                term.sources,
                paper="A4 landscape",
                values=(
                    month,
                    *(n.month if n is not None else None for n in neighbours.values()),
                    *term_values(term),
                ),
                covers=MONTH_COVERS,
            )
        )
    return jobs


def _made_completed(
    make: Callable[[], list[Job]],
    common: dict[str, Any],
    shared: tuple[Hashable, ...],
    pdf: bool,
) -> list[Job]:
    """`_completed` of the jobs `make()` gives: what `memo.keep` computes for a term's or a
    kind's jobs."""
    return _completed(make(), common, shared, pdf)


def _completed(
    jobs: list[Job], common: dict[str, Any], shared: tuple[Hashable, ...], pdf: bool
) -> list[Job]:
    """The jobs with what every page shows (`common`, `shared`) and its own path."""
    return [
        Job(
            j.path,
            j.template,
            {
                **common,
                **j.context,
                "page_path": j.path,
                "section": j.section,
                "pdf_file": urls.pdf(j.path) if pdf and j.paper else None,
            },
            j.section,
            j.sources,
            j.key,
            paper=j.paper,
            shared=shared,
            values=j.values,
            covers=j.covers,
        )
        for j in jobs
    ]


# What a page may read of a term calendar and still be kept by its `values`: the term
# itself (its name, dates, id), whether it is current and its number of weeks; the week a
# day falls in (`week_of`) is its first day's.
TERM_FIELDS = ("term", "current", "week_count", "prefix", "week_of")
# What every page may read: what a change of renders every page (the settings, the menu,
# the date, the calendar feeds' links: `Job.shared`; they belong to no page), and its own
# path and section.
COMMON_COVERS = frozenset(
    {
        *((name, "*") for name in ("settings", "nav", "today", "page_path", "section", "feeds")),
        *(("Feed", a) for a in ("path", "name", "label", "page")),
    }
)


def covers(roots: Iterable[str], terms: Iterable[str] = ("TermCalendar",)) -> frozenset[Read]:
    """COMMON_COVERS, every attribute of the context variables `roots`, and the
    TERM_FIELDS of the term calendars `terms` (context variables, or the type)."""
    return COMMON_COVERS | {(r, "*") for r in roots} | {(t, f) for t in terms for f in TERM_FIELDS}


MONTH_COVERS = covers(("month",), ("term", "TermCalendar")) | {
    ("previous", "month"),
    ("next", "month"),
}
WEEK_COVERS = covers(("week", "month_items"), ("term", "TermCalendar")) | {
    ("previous", "week"),
    ("next", "week"),
}


def term_values(term: TermCalendar) -> tuple[Any, ...]:
    """`TERM_FIELDS` of a term, by value."""
    return (term.term, term.current, term.week_count)


def _files(*groups: Iterable[str]) -> frozenset[str]:
    return frozenset(name for group in groups for name in group)
