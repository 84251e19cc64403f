"""The assemble stage: validated files → one `Site`, with the checks that span files.

Reads every input (read → parse → validate per file), collects every problem of every
file, then builds the calendars of each term. Nothing here renders or writes.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel

from generator import BUILTIN_THEMES, SETTINGS_FILE, cache
from generator.assemble import calendar as cal
from generator.assemble.content import Content, Dated, Link, check_links, check_menu, load_content
from generator.model.categories import CATEGORIES, Category
from generator.model.settings import SiteSettings
from generator.model.term import Closure, Event, MakeupDay, RecurringEvent, Term, TermPlan
from generator.model.values import WEEKDAY_NAMES, Month, TimeRange
from generator.problems.problem import BuildFailed, Position, Problem, ProblemReport
from generator.read.load import Loaded, load_file
from generator.read.yamlio import Marked
from generator.render.words import Words
from generator.serve import deps

M = TypeVar("M", bound=BaseModel)
T = TypeVar("T")

EVENTS_FILE = "events.yaml"
TERMS_DIR = "content/terms"
DEFAULT_THEME = "default"


@dataclass(frozen=True)
class Occurrence:
    """One dated appearance of an event on the calendar."""

    event: Event | RecurringEvent
    start: date
    end: date
    anchor: str
    origin: Position
    week: int
    whole_week: bool = False
    part_of: Link | None = None  # the festival stage / roster session / display it comes from

    @property
    def title(self) -> str:
        return self.event.title

    @property
    def time(self) -> TimeRange | None:
        return self.event.time

    @property
    def category(self) -> Category:
        return CATEGORIES[self.event.category]

    @property
    def links(self) -> tuple[Link, ...]:
        """The pages this item links to: where it comes from, else the ids it names."""
        if self.part_of is not None:
            return (self.part_of,)
        return tuple(Link(kind, value) for kind, value in self.event.links)

    @property
    def recurring(self) -> bool:
        return isinstance(self.event, RecurringEvent)

    @property
    def multi_day(self) -> bool:
        return self.end > self.start

    def on(self, day: date) -> bool:
        return self.start <= day <= self.end

    def sort_key(self) -> tuple[date, bool, str, str]:
        # Whole-day and multi-day items first, then by time, then by title.
        return (
            self.start,
            self.time is not None,
            self.time.start.isoformat() if self.time else "",
            self.title,
        )


@dataclass(frozen=True)
class MonthItem:
    """An undated 本月工作 item."""

    event: Event
    anchor: str
    origin: Position


@dataclass(frozen=True)
class Day:
    date: date
    week: int
    closure: Closure | None
    makeup: MakeupDay | None
    occurrences: tuple[Occurrence, ...]

    @property
    def weekend(self) -> bool:
        return self.date.weekday() >= 5 and self.makeup is None

    @property
    def shown(self) -> tuple[Occurrence, ...]:
        """What the day's cell lists: a span only where it starts, and again at the start of
        each week and month, so a month-long display doesn't fill every cell."""
        if self.date.weekday() == 0 or self.date.day == 1:
            return self.occurrences
        return tuple(o for o in self.occurrences if o.start == self.date)


@dataclass(frozen=True)
class MonthView:
    month: Month
    rows: tuple[tuple[Day | None, ...], ...]
    items: tuple[MonthItem, ...]
    weeks: tuple[int, ...]  # the teaching weeks this month spans

    @property
    def slug(self) -> str:
        return str(self.month)

    @property
    def occurrences(self) -> list[Occurrence]:
        seen: dict[str, Occurrence] = {}
        for row in self.rows:
            for day in row:
                for occ in day.occurrences if day else ():
                    seen.setdefault(occ.anchor, occ)
        return sorted(seen.values(), key=Occurrence.sort_key)


@dataclass(frozen=True)
class WeekView:
    week: cal.TeachingWeek
    days: tuple[Day, ...]

    @property
    def closures(self) -> list[Closure]:
        return list({id(d.closure): d.closure for d in self.days if d.closure}.values())

    @property
    def makeups(self) -> list[MakeupDay]:
        return [d.makeup for d in self.days if d.makeup]

    @property
    def occurrences(self) -> list[Occurrence]:
        seen: dict[str, Occurrence] = {}
        for day in self.days:
            for occ in day.occurrences:
                seen.setdefault(occ.anchor, occ)
        return sorted(seen.values(), key=Occurrence.sort_key)


@dataclass(frozen=True)
class TermCalendar:
    term: Term
    source: str
    current: bool
    weeks: tuple[WeekView, ...]
    months: tuple[MonthView, ...]
    occurrences: tuple[Occurrence, ...]
    month_items: tuple[MonthItem, ...]
    closures: tuple[Closure, ...]
    makeup_days: tuple[MakeupDay, ...]

    @property
    @deps.reads("current", "term")
    def prefix(self) -> str:
        """Where this term's pages live: the site root for the current term."""
        return "" if self.current else f"terms/{self.term.id}/"

    def contains(self, day: date) -> bool:
        return self.term.first_day <= day <= self.term.last_day

    def week_of(self, day: date) -> int:
        return cal.teaching_week(self.term.first_day, day)


@dataclass(frozen=True)
class Site:
    root: Path
    settings: SiteSettings
    theme_dirs: tuple[Path, ...]  # the school's theme first, then the default
    current: TermCalendar
    archive: tuple[TermCalendar, ...]
    today: date
    warnings: tuple[Problem, ...] = field(default=())
    content: Content = field(default_factory=Content)

    @deps.query(lambda target: target)
    def calendar_link(self, link: Link) -> str | None:
        """The month page and anchor where a festival stage / roster session is shown."""
        return self._calendar_links.get(link)

    # What a page reads of the items is recorded as it reads it; the key says which they are.
    @deps.query(lambda found: tuple((term.source, occ.anchor) for term, occ in found))
    def mentions(self, kind: str, item_id: str) -> list[tuple[TermCalendar, Occurrence]]:
        """Calendar items that name this festival/roster/display without coming from it."""
        return list(self._mentions.get((kind, item_id), ()))

    # Both indexes are made once per site: pages asked for them one link at a time, scanning
    # every occurrence of every term (most of a 20-term archive's build time).
    @cached_property
    def _calendar_links(self) -> dict[Link, str]:
        index: dict[Link, str] = {}
        for term in self.terms:
            for link, url in _term_indexes(term)[0].items():
                index.setdefault(link, url)
        return index

    @cached_property
    def _mentions(self) -> dict[tuple[str, str], list[tuple[TermCalendar, Occurrence]]]:
        index: dict[tuple[str, str], list[tuple[TermCalendar, Occurrence]]] = defaultdict(list)
        for term in self.terms:
            for link, found in _term_indexes(term)[1].items():
                index[link].extend(found)
        return dict(index)

    @property
    def terms(self) -> tuple[TermCalendar, ...]:
        return (self.current, *self.archive)

    def term_at(self, day: date) -> TermCalendar | None:
        return next((t for t in self.terms if t.contains(day)), None)


_TermIndexes = tuple[
    dict[Link, str], dict[tuple[str, str], list[tuple["TermCalendar", "Occurrence"]]]
]
_INDEXES: cache.Kept[_TermIndexes] = cache.Kept(1_000)


def _term_indexes(term: TermCalendar) -> _TermIndexes:
    """A term's part of the site's indexes, kept while it is the same object (the preview
    gives back the calendars of unchanged terms)."""
    return _INDEXES.get(term, lambda: _indexes(term))


def _indexes(term: TermCalendar) -> _TermIndexes:
    links: dict[Link, str] = {}
    mentions: dict[tuple[str, str], list[tuple[TermCalendar, Occurrence]]] = defaultdict(list)
    for occ in term.occurrences:
        if occ.part_of is not None:
            if occ.part_of not in links:
                links[occ.part_of] = (
                    f"{term.prefix}calendar/{occ.start:%Y-%m}/index.html#{occ.anchor}"
                )
        else:
            for link in dict.fromkeys(occ.event.links):
                mentions[link].append((term, occ))
    return links, dict(mentions)


def load_site(root: Path, today: date, themes_root: Path | None = None) -> Site:
    """Read, validate and assemble everything; raise `BuildFailed` with every error found."""
    report = ProblemReport()
    settings = SiteSettings()
    loaded_settings = None
    if (root / SETTINGS_FILE).exists():
        loaded_settings, problems = load_file(root, SETTINGS_FILE, SiteSettings)
        report.extend(problems)
        if loaded_settings:
            settings = loaded_settings.model
            report.extend(_check_settings(loaded_settings))
    theme_dirs = _theme_dirs(root, themes_root, settings, report)

    plans: list[Loaded[TermPlan]] = []
    if (root / EVENTS_FILE).exists():
        current, problems = load_file(root, EVENTS_FILE, TermPlan)
        report.extend(problems)
    else:
        current = None
        report.add(Problem("E311", Position(EVENTS_FILE)))
    archived = sorted((root / TERMS_DIR).glob("*.yaml")) if (root / TERMS_DIR).is_dir() else []
    for path in archived:
        loaded, problems = load_file(root, f"{TERMS_DIR}/{path.name}", TermPlan)
        report.extend(problems)
        if loaded:
            plans.append(loaded)

    loaded_plans = [p for p in (current, *plans) if p is not None]
    terms_complete = len(loaded_plans) == 1 + len(archived)
    words = Words(theme_dirs, settings.language)  # the titles of items made from content
    content, problems = load_content(
        root, settings, [p.model for p in loaded_plans], terms_complete, words
    )
    report.extend(problems)
    for loaded in loaded_plans:
        report.extend(check_links(loaded.model, loaded.marked, content))
    if loaded_settings:
        report.extend(check_menu(settings, loaded_settings.marked, content))

    calendars = []
    seen_ids: dict[str, str] = {}
    dated = [(span[0], d) for d in content.dated if (span := d.event.span)]
    for plan, is_current in ((current, True), *((p, False) for p in plans)):
        if plan is None:
            continue
        term_id = plan.model.term.id
        if term_id in seen_ids:
            report.add(
                plan.marked.problem("E304", ("term", "id"), value=term_id, other=seen_ids[term_id])
            )
            continue
        seen_ids[term_id] = plan.name
        term = plan.model.term
        extra = [d for start, d in dated if term.first_day <= start <= term.last_day]
        if extra:  # items from festival/roster files: not a function of this file alone
            term_calendar, problems, used = deps.track_combined(
                plan.name, _assemble_with, plan, is_current, tuple(extra)
            )
            for item in used:  # the preview may give back the items of an earlier load
                deps.attribute(item.origin.file, item.event)
        else:
            term_calendar, problems = deps.track_derived(plan.name, assemble_term, plan, is_current)
        report.extend(problems)
        calendars.append(term_calendar)

    if report.errors or current is None:
        raise BuildFailed(report)
    archive = sorted(calendars[1:], key=lambda t: t.term.first_day, reverse=True)
    return Site(
        root,
        settings,
        theme_dirs,
        calendars[0],
        tuple(archive),
        today,
        tuple(report.warnings),
        content,
    )


def _check_settings(loaded: Loaded[SiteSettings]) -> list[Problem]:
    problems = []
    seen: set[str] = set()
    for i, name in enumerate(loaded.model.classes):
        if name in seen:
            problems.append(loaded.marked.problem("E310", ("classes", i), value=name))
        seen.add(name)
    if not _known_timezone(loaded.model.timezone):
        problems.append(loaded.marked.problem("E500", ("timezone",), value=loaded.model.timezone))
    return problems


def _known_timezone(name: str) -> bool:
    """The iCalendar feeds put timed events in this zone (with its VTIMEZONE)."""
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


def _theme_dirs(
    root: Path, themes_root: Path | None, settings: SiteSettings, report: ProblemReport
) -> tuple[Path, ...]:
    themes = themes_root or root / "themes"
    default = themes / DEFAULT_THEME
    if not default.is_dir():  # a site folder without its own themes/ uses ours
        default = BUILTIN_THEMES / DEFAULT_THEME
    if settings.theme and settings.theme != DEFAULT_THEME:
        chosen = themes / settings.theme
        if not chosen.is_dir():
            report.add(Problem("E308", Position(SETTINGS_FILE), {"value": settings.theme}))
            return (default,)
        return (chosen, default)
    return (default,)


def _assemble_with(
    loaded: Loaded[TermPlan], current: bool, extra: tuple[Dated, ...]
) -> tuple[TermCalendar, list[Problem], tuple[Dated, ...]]:
    return (*assemble_term(loaded, current, extra), extra)


def assemble_term(
    loaded: Loaded[TermPlan], current: bool, extra: Iterable[Dated] = ()
) -> tuple[TermCalendar, list[Problem]]:
    """The term's calendar: its own plan, plus the festival stages, roster sessions and
    displays (`extra`) that fall in it, already checked by `sections.load_content`."""
    plan, marked = loaded.model, loaded.marked
    term = plan.term
    problems: list[Problem] = []
    n_weeks = cal.teaching_week(term.first_day, term.last_day)
    term_months = cal.months_between(term.first_day, term.last_day)

    def outside(day: date | None, path: tuple[str | int, ...]) -> bool:
        if day is not None and not term.first_day <= day <= term.last_day:
            problems.append(
                marked.problem(
                    "E301",
                    path,
                    date=day.isoformat(),
                    first=term.first_day.isoformat(),
                    last=term.last_day.isoformat(),
                )
            )
            return True
        return False

    closed: dict[date, Closure] = {}
    for closure in plan.closures:
        for day in cal.days(closure.start, closure.end):
            closed.setdefault(day, closure)
    makeups: dict[date, MakeupDay] = {}
    for i, makeup in enumerate(plan.makeup_days):
        if makeup.date.weekday() < 5:
            problems.append(
                marked.problem(
                    "E306",
                    ("makeup_days", i, "date"),
                    date=makeup.date.isoformat(),
                    weekday=WEEKDAY_NAMES[makeup.date.weekday()],
                )
            )
        elif makeup.date in closed:
            problems.append(
                marked.problem(
                    "E312",
                    ("makeup_days", i, "date"),
                    date=makeup.date.isoformat(),
                    closure=closed[makeup.date].name,
                )
            )
        else:
            makeups[makeup.date] = makeup

    anchors = _Anchors()
    occurrences: list[Occurrence] = []
    month_items: list[MonthItem] = []
    for i, event in enumerate(plan.events):
        path: tuple[str | int, ...] = ("events", i)
        origin = _position(marked, path)
        if event.month is not None:
            if event.month not in term_months:
                problems.append(
                    marked.problem(
                        "E307",
                        (*path, "month"),
                        month=str(event.month),
                        first=term.first_day.isoformat(),
                        last=term.last_day.isoformat(),
                    )
                )
                continue
            month_items.append(
                MonthItem(event, anchors.new(event.month.first_day, event.title, "m"), origin)
            )
            continue
        if event.week is not None:
            if event.week > n_weeks:
                problems.append(
                    marked.problem("E302", (*path, "week"), week=event.week, weeks=n_weeks)
                )
                continue
            monday = cal.week_monday(term.first_day, event.week)
            start, end = max(monday, term.first_day), min(monday + 4 * cal.ONE_DAY, term.last_day)
            occurrences.append(
                Occurrence(
                    event,
                    start,
                    end,
                    anchors.new(start, event.title),
                    origin,
                    event.week,
                    whole_week=True,
                )
            )
            continue
        assert event.span is not None  # neither week nor month: a date or a from/to span
        span_start, span_end = event.span
        bad = outside(span_start, (*path, "date" if event.date else "from"))
        bad = outside(span_end, (*path, "to")) if event.to and not bad else bad
        if bad:
            continue
        if event.date and event.date in closed and event.date not in makeups:
            problems.append(
                marked.problem(
                    "W305",
                    (*path, "date"),
                    title=event.title,
                    date=event.date.isoformat(),
                    closure=closed[event.date].name,
                )
            )
        occurrences.append(
            Occurrence(
                event,
                span_start,
                span_end,
                anchors.new(span_start, event.title),
                origin,
                cal.teaching_week(term.first_day, span_start),
            )
        )

    for i, rule in enumerate(plan.recurring):
        path = ("recurring", i)
        if outside(rule.from_, (*path, "from")) | outside(rule.to, (*path, "to")):
            continue
        origin = _position(marked, path)
        follows = {d: m.follows for d, m in makeups.items()}
        for day in cal.weekly_dates(set(rule.weekdays), rule.from_, rule.to, closed, follows):
            occurrences.append(
                Occurrence(
                    rule,
                    day,
                    day,
                    anchors.new(day, rule.title),
                    origin,
                    cal.teaching_week(term.first_day, day),
                )
            )

    for item in extra:
        ev = item.event
        first, last = (ev.date or ev.from_), (ev.date or ev.to)
        assert first is not None and last is not None
        occurrences.append(
            Occurrence(
                ev,
                first,
                last,
                anchors.new(first, ev.title),
                item.origin,
                cal.teaching_week(term.first_day, first),
                part_of=item.link,
            )
        )

    occurrences.sort(key=Occurrence.sort_key)
    by_day: dict[date, list[Occurrence]] = defaultdict(list)
    for occ in occurrences:
        for day in cal.days(occ.start, occ.end):
            by_day[day].append(occ)

    def day_info(day: date) -> Day:
        return Day(
            day,
            cal.teaching_week(term.first_day, day),
            closed.get(day),
            makeups.get(day),
            tuple(by_day.get(day, ())),
        )

    weeks = tuple(
        WeekView(w, tuple(day_info(d) for d in w.days))
        for w in cal.teaching_weeks(term.first_day, term.last_day)
    )
    months = []
    for month in term_months:
        rows = tuple(
            tuple(day_info(d) if d else None for d in row) for row in cal.month_grid(month)
        )
        spanned = sorted(
            {
                cal.teaching_week(term.first_day, d)
                for d in cal.days(
                    max(month.first_day, term.first_day), min(month.last_day, term.last_day)
                )
            }
        )
        items = tuple(m for m in month_items if m.event.month == month)
        months.append(MonthView(month, rows, items, tuple(w for w in spanned if w >= 1)))
    return TermCalendar(
        term,
        loaded.name,
        current,
        weeks,
        tuple(months),
        tuple(occurrences),
        tuple(month_items),
        tuple(plan.closures),
        tuple(plan.makeup_days),
    ), problems


def _position(marked: Marked, path: tuple[str | int, ...]) -> Position:
    mark = marked.mark(path)
    return Position(marked.source.name, mark.line, mark.col)


class _Anchors:
    """Stable `id`s for calendar items: derived from date and title, not from order."""

    def __init__(self) -> None:
        self.used: set[str] = set()

    def new(self, day: date, title: str, prefix: str = "e") -> str:
        digest = hashlib.sha1(title.encode("utf-8")).hexdigest()[:6]
        base = f"{prefix}{day:%Y%m%d}-{digest}"
        anchor, n = base, 1
        while anchor in self.used:
            n += 1
            anchor = f"{base}-{n}"
        self.used.add(anchor)
        return anchor
