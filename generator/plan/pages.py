"""The plan stage: `Site` → render jobs. This module alone decides which pages exist.

Each job's context holds everything its template shows (no template asks the site for an
index while rendering), and says where that came from: `sources`, the input files whose
content the page shows, and `key`, the plain values it shows that no one of them decides
(links into another page's anchors, page counts). The live preview renders a page again
only when one of these changed; a build renders every page.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from generator.assemble.content import Link, Markdown
from generator.assemble.site import Site
from generator.assemble.term import Occurrence, TermCalendar, WeekView
from generator.model.base import N_
from generator.model.values import Month
from generator.plan import urls
from generator.plan.feeds import Feed, feeds

HOME_WEEKS = 3  # this week and the next two
NEWS_PER_PAGE = 10
_NO_FILES: frozenset[str] = frozenset()


@dataclass(frozen=True)
class NavItem:
    label: str  # a message id of the theme's catalogue, or a page's own title
    path: str
    section: str
    translate: bool = True


@dataclass(frozen=True)
class Job:
    path: str  # output path, `/`-separated, relative to the output folder
    template: str
    context: dict[str, Any] = field(default_factory=dict)
    section: str = ""
    sources: frozenset[str] = _NO_FILES  # the input files whose content the page shows
    key: tuple[Hashable, ...] = ()  # plain values it shows that no one of `sources` decides
    # what every page shows alike (menu, feed links): one object for all jobs of a plan
    shared: tuple[Hashable, ...] = field(default=(), compare=False, repr=False)


@dataclass(frozen=True)
class HomeState:
    """Where the build date falls: in a term, or before, between or after terms."""

    kind: str  # "in_term" | "before" | "between" | "after"
    term: TermCalendar | None
    weeks: tuple[WeekView, ...]
    next_term: TermCalendar | None = None


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
    return [d for d in site.content.displays if d.model.from_ <= site.today <= d.model.to]


class _Links:
    """Where each festival stage / roster session / display is shown on the calendar, and
    the calendar items that name each festival, roster and display: made once per plan."""

    def __init__(self, site: Site) -> None:
        self.calendar: dict[Link, str] = {}
        self.mentions: dict[tuple[str, str], list[Mention]] = defaultdict(list)
        for term in site.terms:
            for occ in term.occurrences:
                if occ.part_of is not None:
                    self.calendar.setdefault(occ.part_of, urls.occurrence(term, occ))
                else:
                    for link in dict.fromkeys(occ.event.links):
                        self.mentions[link].append(Mention(term, occ, urls.occurrence(term, occ)))

    def of(self, kind: str, item_id: str, links: Iterable[Link]) -> dict[str, Any]:
        """The context a festival's, roster's or display's page needs to link to the
        calendar: its own items' places and the items that name it."""
        found = {link: self.calendar[link] for link in links if link in self.calendar}
        mentions = self.mentions.get((kind, item_id), [])
        return {"calendar_links": found, "mentioned_in": mentions}


def _linked_job(
    path: str,
    template: str,
    context: dict[str, Any],
    section: str,
    sources: frozenset[str],
    linked: dict[str, Any],
    feed: Feed | None = None,
) -> Job:
    mentions: list[Mention] = linked["mentioned_in"]
    key = (
        tuple(linked["calendar_links"].items()),
        tuple(m.url for m in mentions),
        (feed.path, feed.name, feed.label) if feed is not None else None,
    )
    files = sources | {m.occurrence.origin.file for m in mentions}
    return Job(path, template, {**context, **linked}, section, files, key)


def plan(site: Site, published: list[Feed] | None = None) -> list[Job]:
    """Every page of the site. `published`: the site's feeds, as `plan.feeds.feeds` made
    them (made here when not given)."""
    current = site.current
    published = feeds(site) if published is None else published
    nav = (
        NavItem(N_("首页"), urls.home(), "home"),
        NavItem(N_("校历"), urls.calendar(current), "calendar"),
        NavItem(N_("月历"), urls.month(current, current_month(current, site.today)), "month"),
        NavItem(N_("日程"), urls.agenda(current), "agenda"),
        NavItem(N_("读书节"), urls.festivals(), "festivals"),
        NavItem(N_("故事爸妈团/名单"), urls.rosters(), "rosters"),
        NavItem(N_("主题展示"), urls.displays(), "displays"),
        NavItem(N_("新闻"), urls.news(), "news"),
        *(
            NavItem(page.meta.title, urls.page(page.slug), f"page-{page.slug}", False)
            for slug in site.settings.menu
            for page in site.content.pages
            if page.slug == slug
        ),
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
    jobs = [
        Job(
            urls.home(),
            "index.html",
            {"home": home, "displays_now": displays_now},
            "home",
            _files(*(t.sources for t in home_terms), (d.source for d in displays_now)),
            (home.kind,),
        ),
        Job(
            urls.terms(),
            "terms.html",
            {"terms": site.terms},
            "terms",
            frozenset(t.source for t in site.terms),
        ),
        # the current term is always at the site root: these two link to it without showing it
        Job(urls.not_found(), "404.html", {"current": current}, ""),
        Job(urls.search(), "search.html", {"current": current}, "search"),
    ]
    for term in site.terms:
        jobs.append(
            Job(urls.calendar(term), "calendar.html", {"term": term}, "calendar", term.sources)
        )
        jobs.append(Job(urls.agenda(term), "agenda.html", {"term": term}, "agenda", term.sources))
        jobs.append(
            Job(urls.calendar_print(term), "print.html", {"term": term}, "month", term.sources)
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
                )
            )
    jobs.extend(content_jobs(site, _Links(site), {f.page: f for f in published if f.page}))
    return [
        Job(
            j.path,
            j.template,
            {**common, **j.context, "page_path": j.path, "section": j.section},
            j.section,
            j.sources,
            j.key,
            shared,
        )
        for j in jobs
    ]


def _files(*groups: Iterable[str]) -> frozenset[str]:
    return frozenset(name for group in groups for name in group)


def content_jobs(site: Site, links: _Links, own_feeds: Mapping[Link | None, Feed]) -> list[Job]:
    """The pages of festivals, rosters, displays, pages and news, with their indexes.
    A festival/roster page gets its own feed (`feed`, None when it has nothing dated)."""
    content = site.content
    jobs = [
        Job(
            urls.festivals(),
            "festivals.html",
            {"festivals": content.festivals},
            "festivals",
            frozenset(f.source for f in content.festivals),
        ),
        Job(
            urls.rosters(),
            "rosters.html",
            {"rosters": content.rosters},
            "rosters",
            _files(*(r.sources for r in content.rosters)),
        ),
        Job(
            urls.displays(),
            "displays.html",
            {"displays": content.displays},
            "displays",
            frozenset(d.source for d in content.displays),
        ),
    ]
    for f in content.festivals:
        feed = own_feeds.get(Link("festival", f.id))
        stages = (Link("festival", f.id, f"stage-{i}") for i in range(1, len(f.model.stages) + 1))
        jobs.append(
            _linked_job(
                urls.festival(f.id),
                "festival.html",
                {"doc": f, "feed": feed},
                "festivals",
                frozenset((f.source,)),
                links.of("festival", f.id, stages),
                feed,
            )
        )
    for r in content.rosters:
        feed = own_feeds.get(Link("roster", r.id))
        sessions = (Link("roster", r.id, s.anchor) for s in r.sessions)
        jobs.append(
            _linked_job(
                urls.roster(r.id),
                "roster.html",
                {"view": r, "feed": feed},
                "rosters",
                r.sources,
                links.of("roster", r.id, sessions),
                feed,
            )
        )
    for d in content.displays:
        jobs.append(
            _linked_job(
                urls.display(d.id),
                "display.html",
                {"doc": d},
                "displays",
                frozenset((d.source,)),
                links.of("display", d.id, (Link("display", d.id),)),
            )
        )
    jobs += [
        Job(
            urls.page(p.slug),
            "page.html",
            {"doc": p},
            f"page-{p.slug}",
            frozenset((p.source,)),
        )
        for p in content.pages
    ]
    jobs += news_jobs(content.news)
    return jobs


def news_jobs(news: tuple[Markdown, ...]) -> list[Job]:
    """The news list, ten articles a page (newest first), each article, and a page per tag."""
    pages = [news[i : i + NEWS_PER_PAGE] for i in range(0, max(len(news), 1), NEWS_PER_PAGE)]
    jobs = []
    for n, items in enumerate(pages, start=1):
        jobs.append(
            Job(
                urls.news(n),
                "news_list.html",
                {
                    "items": items,
                    "number": n,
                    "count": len(pages),
                    "previous": urls.news(n - 1) if n > 1 else None,
                    "next": urls.news(n + 1) if n < len(pages) else None,
                },
                "news",
                frozenset(item.source for item in items),
                # which articles, in which order: an article dated anew moves to another page
                (n, len(pages), tuple(item.source for item in items)),
            )
        )
    jobs += [
        Job(
            urls.news_item(item.slug),
            "news_item.html",
            {"doc": item},
            "news",
            frozenset((item.source,)),
        )
        for item in news
    ]
    tags: dict[str, list[Markdown]] = defaultdict(list)
    for item in news:
        for tag in item.meta.tags:
            tags[tag].append(item)
    jobs += [
        Job(
            urls.news_tag(tag),
            "news_tag.html",
            {"tag": tag, "items": items},
            "news",
            frozenset(item.source for item in items),
            (tag, tuple(item.source for item in items)),
        )
        for tag, items in sorted(tags.items())
    ]
    return jobs
