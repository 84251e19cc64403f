"""The plan stage: `Site` → render jobs. This module alone decides which pages exist."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from generator.assemble.content import Link, news_page_path, tag_slug
from generator.assemble.site import Site, TermCalendar, WeekView
from generator.model.base import N_
from generator.render.ics import Feed, feeds
from generator.render.search_index import SEARCH_PAGE

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


def month_path(term: TermCalendar, slug: str) -> str:
    return f"{term.prefix}calendar/{slug}/index.html"


def calendar_path(term: TermCalendar) -> str:
    return f"{term.prefix}calendar/index.html"


def print_path(term: TermCalendar) -> str:
    """The whole term's month calendars on one page, one month per printed sheet."""
    return f"{term.prefix}calendar/print/index.html"


def agenda_path(term: TermCalendar) -> str:
    return f"{term.prefix}agenda/index.html"


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


def current_month_slug(term: TermCalendar, today: date) -> str:
    slugs = [m.slug for m in term.months]
    this = f"{today:%Y-%m}"
    return this if this in slugs else slugs[0]


def plan(site: Site) -> list[Job]:
    current = site.current
    nav = (
        NavItem(N_("首页"), "index.html", "home"),
        NavItem(N_("校历"), calendar_path(current), "calendar"),
        NavItem(N_("月历"), month_path(current, current_month_slug(current, site.today)), "month"),
        NavItem(N_("日程"), agenda_path(current), "agenda"),
        NavItem(N_("读书节"), "festivals/index.html", "festivals"),
        NavItem(N_("故事爸妈团/名单"), "rosters/index.html", "rosters"),
        NavItem(N_("主题展示"), "displays/index.html", "displays"),
        NavItem(N_("新闻"), "news/index.html", "news"),
        *(
            NavItem(page.meta.title, f"{page.slug}/index.html", f"page-{page.slug}", False)
            for slug in site.settings.menu
            for page in site.content.pages
            if page.slug == slug
        ),
        NavItem(N_("往期学期"), "terms/index.html", "terms"),
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
            "index.html",
            "index.html",
            {"home": home_state(site), "displays_now": current_displays(site)},
            "home",
        ),
        Job("terms/index.html", "terms.html", {}, "terms"),
        Job("404.html", "404.html", {}, ""),
        Job(SEARCH_PAGE, "search.html", {}, "search"),
    ]
    for term in site.terms:
        jobs.append(Job(calendar_path(term), "calendar.html", {"term": term}, "calendar"))
        jobs.append(Job(agenda_path(term), "agenda.html", {"term": term}, "agenda"))
        jobs.append(Job(print_path(term), "print.html", {"term": term}, "month"))
        for i, month in enumerate(term.months):
            neighbours = {
                "previous": term.months[i - 1] if i > 0 else None,
                "next": term.months[i + 1] if i + 1 < len(term.months) else None,
            }
            jobs.append(
                Job(
                    month_path(term, month.slug),
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
        Job("festivals/index.html", "festivals.html", {}, "festivals"),
        Job("rosters/index.html", "rosters.html", {}, "rosters"),
        Job("displays/index.html", "displays.html", {}, "displays"),
    ]
    jobs += [
        Job(
            f"festivals/{f.id}/index.html",
            "festival.html",
            {"doc": f, "feed": own_feeds.get(Link("festival", f.id))},
            "festivals",
        )
        for f in content.festivals
    ]
    jobs += [
        Job(
            f"rosters/{r.id}/index.html",
            "roster.html",
            {"view": r, "feed": own_feeds.get(Link("roster", r.id))},
            "rosters",
        )
        for r in content.rosters
    ]
    jobs += [
        Job(f"displays/{d.id}/index.html", "display.html", {"doc": d}, "displays")
        for d in content.displays
    ]
    jobs += [
        Job(f"{p.slug}/index.html", "page.html", {"doc": p}, f"page-{p.slug}")
        for p in content.pages
    ]
    pages = content.news_pages
    for n, items in enumerate(pages, start=1):
        jobs.append(
            Job(
                news_page_path(n),
                "news_list.html",
                {
                    "items": items,
                    "number": n,
                    "count": len(pages),
                    "previous": news_page_path(n - 1) if n > 1 else None,
                    "next": news_page_path(n + 1) if n < len(pages) else None,
                },
                "news",
            )
        )
    jobs += [
        Job(f"news/{item.slug}/index.html", "news_item.html", {"doc": item}, "news")
        for item in content.news
    ]
    jobs += [
        Job(
            f"news/tags/{tag_slug(tag)}/index.html",
            "news_tag.html",
            {"tag": tag, "items": items},
            "news",
        )
        for tag, items in content.tags.items()
    ]
    return jobs
