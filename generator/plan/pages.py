"""The plan stage: `Site` → render jobs. This module alone decides which pages exist."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from generator.assemble.content import Link
from generator.assemble.site import Site, TermCalendar, WeekView
from generator.model.base import N_
from generator.model.values import Month
from generator.plan import urls
from generator.render.ics import Feed, feeds

HOME_WEEKS = 3  # this week and the next two


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
    # What `context` was merged from: the part every page shares (one object) and the job's
    # own. The preview compares these, not 4,000 whole contexts, to find changed jobs.
    shared: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)
    own: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)


@dataclass(frozen=True)
class HomeState:
    """Where the build date falls: in a term, or before, between or after terms."""

    kind: str  # "in_term" | "before" | "between" | "after"
    term: TermCalendar | None
    weeks: tuple[WeekView, ...]
    next_term: TermCalendar | None = None


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


def plan(site: Site) -> list[Job]:
    current = site.current
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
    published = feeds(site)
    common = {
        "settings": site.settings,
        "nav": nav,
        "site": site,
        "today": site.today,
        # calendar pages offer the whole calendar and the categories; a festival's or a
        # roster's own feed is offered on its page
        "feeds": [f for f in published if f.page is None],
    }
    jobs = [
        Job(
            urls.home(),
            "index.html",
            {"home": home_state(site), "displays_now": current_displays(site)},
            "home",
        ),
        Job(urls.terms(), "terms.html", {}, "terms"),
        Job(urls.not_found(), "404.html", {}, ""),
        Job(urls.search(), "search.html", {}, "search"),
    ]
    for term in site.terms:
        jobs.append(Job(urls.calendar(term), "calendar.html", {"term": term}, "calendar"))
        jobs.append(Job(urls.agenda(term), "agenda.html", {"term": term}, "agenda"))
        jobs.append(Job(urls.calendar_print(term), "print.html", {"term": term}, "month"))
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
                )
            )
    jobs.extend(content_jobs(site, {f.page: f for f in published if f.page}))
    return [
        Job(
            j.path,
            j.template,
            {**common, **j.context, "page_path": j.path, "section": j.section},
            j.section,
            common,
            j.context,
        )
        for j in jobs
    ]


def current_displays(site: Site) -> list[Any]:
    return [d for d in site.content.displays if d.model.from_ <= site.today <= d.model.to]


def content_jobs(site: Site, own_feeds: dict[Link, Feed]) -> list[Job]:
    """The pages of festivals, rosters, displays, pages and news, with their indexes.
    A festival/roster page gets its own feed (`feed`, None when it has nothing dated)."""
    content = site.content
    jobs = [
        Job(urls.festivals(), "festivals.html", {}, "festivals"),
        Job(urls.rosters(), "rosters.html", {}, "rosters"),
        Job(urls.displays(), "displays.html", {}, "displays"),
    ]
    jobs += [
        Job(
            urls.festival(f.id),
            "festival.html",
            {"doc": f, "feed": own_feeds.get(Link("festival", f.id))},
            "festivals",
        )
        for f in content.festivals
    ]
    jobs += [
        Job(
            urls.roster(r.id),
            "roster.html",
            {"view": r, "feed": own_feeds.get(Link("roster", r.id))},
            "rosters",
        )
        for r in content.rosters
    ]
    jobs += [
        Job(urls.display(d.id), "display.html", {"doc": d}, "displays") for d in content.displays
    ]
    jobs += [
        Job(urls.page(p.slug), "page.html", {"doc": p}, f"page-{p.slug}") for p in content.pages
    ]
    pages = content.news_pages
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
            )
        )
    jobs += [
        Job(urls.news_item(item.slug), "news_item.html", {"doc": item}, "news")
        for item in content.news
    ]
    jobs += [
        Job(
            urls.news_tag(tag),
            "news_tag.html",
            {"tag": tag, "items": items},
            "news",
        )
        for tag, items in content.tags.items()
    ]
    return jobs
