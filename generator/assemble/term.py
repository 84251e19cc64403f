"""A term's calendar: its teaching weeks and months, every dated item placed on its days.

`assemble_term` takes one validated term file and the items of the festival, roster and
display files that fall in the term (`Dated`, from `assemble.content`), and checks what only
the whole term can tell (dates inside it, weeks and months it has, 调休 on a weekend).
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from generator.assemble import calendar as cal
from generator.assemble.content import Dated, Link
from generator.model.categories import CATEGORIES, Category
from generator.model.term import Closure, Event, MakeupDay, RecurringEvent, Term, TermPlan
from generator.model.values import WEEKDAY_NAMES, Month, TimeRange
from generator.problems.problem import Position, Problem
from generator.read.load import Loaded
from generator.read.yamlio import Marked


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
    # the files its items come from: the term file, and the festival/roster/display files
    # whose items fall in it
    sources: frozenset[str] = frozenset()

    @property
    def prefix(self) -> str:
        """Where this term's pages live: the site root for the current term."""
        return "" if self.current else f"terms/{self.term.id}/"

    def contains(self, day: date) -> bool:
        return self.term.first_day <= day <= self.term.last_day

    def week_of(self, day: date) -> int:
        return cal.teaching_week(self.term.first_day, day)


class _TermCheck:
    """The problems of one term file, and the check every dated item needs."""

    def __init__(self, loaded: Loaded[TermPlan]) -> None:
        self.term, self.marked = loaded.model.term, loaded.marked
        self.problems: list[Problem] = []

    def outside(self, day: date | None, path: tuple[str | int, ...]) -> bool:
        term = self.term
        if day is not None and not term.first_day <= day <= term.last_day:
            self.problems.append(
                self.marked.problem(
                    "E301",
                    path,
                    date=day.isoformat(),
                    first=term.first_day.isoformat(),
                    last=term.last_day.isoformat(),
                )
            )
            return True
        return False


def assemble_term(
    loaded: Loaded[TermPlan], current: bool, extra: Iterable[Dated] = ()
) -> tuple[TermCalendar, list[Problem]]:
    """The term's calendar: its own plan, plus the festival stages, roster sessions and
    displays (`extra`) that fall in it, already checked by `assemble.content`."""
    plan, term = loaded.model, loaded.model.term
    check = _TermCheck(loaded)
    extra = tuple(extra)
    closed, makeups = _closures_and_makeups(plan, check)
    anchors = _Anchors()
    month_items: list[MonthItem] = []
    occurrences = _dated_occurrences(plan, check, closed, makeups, anchors, month_items)
    occurrences += _recurring_occurrences(plan, check, closed, makeups, anchors)
    occurrences += _content_occurrences(term, extra, anchors)
    occurrences.sort(key=Occurrence.sort_key)
    weeks, months = _grids(term, occurrences, month_items, closed, makeups)
    calendar = TermCalendar(
        term,
        loaded.name,
        current,
        weeks,
        months,
        tuple(occurrences),
        tuple(month_items),
        tuple(plan.closures),
        tuple(plan.makeup_days),
        frozenset((loaded.name, *(item.origin.file for item in extra))),
    )
    return calendar, check.problems


def _closures_and_makeups(
    plan: TermPlan, check: _TermCheck
) -> tuple[dict[date, Closure], dict[date, MakeupDay]]:
    closed: dict[date, Closure] = {}
    for closure in plan.closures:
        for day in cal.days(closure.start, closure.end):
            closed.setdefault(day, closure)
    makeups: dict[date, MakeupDay] = {}
    for i, makeup in enumerate(plan.makeup_days):
        if makeup.date.weekday() < 5:
            check.problems.append(
                check.marked.problem(
                    "E306",
                    ("makeup_days", i, "date"),
                    date=makeup.date.isoformat(),
                    weekday=WEEKDAY_NAMES[makeup.date.weekday()],
                )
            )
        elif makeup.date in closed:
            check.problems.append(
                check.marked.problem(
                    "E312",
                    ("makeup_days", i, "date"),
                    date=makeup.date.isoformat(),
                    closure=closed[makeup.date].name,
                )
            )
        else:
            makeups[makeup.date] = makeup
    return closed, makeups


def _dated_occurrences(
    plan: TermPlan,
    check: _TermCheck,
    closed: dict[date, Closure],
    makeups: dict[date, MakeupDay],
    anchors: _Anchors,
    month_items: list[MonthItem],
) -> list[Occurrence]:
    """The `events`: on a day or over days, in a teaching week, or undated in a month
    (本月工作, collected in `month_items`)."""
    term, marked = plan.term, check.marked
    n_weeks = cal.teaching_week(term.first_day, term.last_day)
    term_months = cal.months_between(term.first_day, term.last_day)
    occurrences: list[Occurrence] = []
    for i, event in enumerate(plan.events):
        path: tuple[str | int, ...] = ("events", i)
        origin = _position(marked, path)
        if event.month is not None:
            if event.month not in term_months:
                check.problems.append(
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
                check.problems.append(
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
        bad = check.outside(span_start, (*path, "date" if event.date else "from"))
        bad = check.outside(span_end, (*path, "to")) if event.to and not bad else bad
        if bad:
            continue
        if event.date and event.date in closed and event.date not in makeups:
            check.problems.append(
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
    return occurrences


def _recurring_occurrences(
    plan: TermPlan,
    check: _TermCheck,
    closed: dict[date, Closure],
    makeups: dict[date, MakeupDay],
    anchors: _Anchors,
) -> list[Occurrence]:
    """The weekly items: every rule day from `from` to `to`, closures skipped, 调休 days
    following the weekday they stand for."""
    first_day = plan.term.first_day
    follows = {d: m.follows for d, m in makeups.items()}
    occurrences: list[Occurrence] = []
    for i, rule in enumerate(plan.recurring):
        path = ("recurring", i)
        if check.outside(rule.from_, (*path, "from")) | check.outside(rule.to, (*path, "to")):
            continue
        origin = _position(check.marked, path)
        for day in cal.weekly_dates(set(rule.weekdays), rule.from_, rule.to, closed, follows):
            occurrences.append(
                Occurrence(
                    rule,
                    day,
                    day,
                    anchors.new(day, rule.title),
                    origin,
                    cal.teaching_week(first_day, day),
                )
            )
    return occurrences


def _content_occurrences(
    term: Term, extra: tuple[Dated, ...], anchors: _Anchors
) -> list[Occurrence]:
    """The festival stages, roster sessions and displays that fall in the term."""
    occurrences = []
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
    return occurrences


def _grids(
    term: Term,
    occurrences: list[Occurrence],
    month_items: list[MonthItem],
    closed: dict[date, Closure],
    makeups: dict[date, MakeupDay],
) -> tuple[tuple[WeekView, ...], tuple[MonthView, ...]]:
    """The teaching weeks and the month grids, each day with what happens on it."""
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
    for month in cal.months_between(term.first_day, term.last_day):
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
    return weeks, tuple(months)


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
