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
from functools import cached_property
from typing import Any

from generator.assemble import calendar as cal
from generator.assemble.content import Dated, Link
from generator.model.categories import CATEGORIES, Category
from generator.model.term import (
    MAX_TERM_DAYS,
    Closure,
    Event,
    MakeupDay,
    RecurringEvent,
    Term,
    TermPlan,
    Vacation,
)
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
    vacation: Vacation | None = None  # the vacation it starts in, if not in the term
    last_week: int = 0  # a whole-week item over several weeks: its last week (else `week`)

    @property
    def weeks(self) -> tuple[int, int]:
        """The first and last teaching week of a whole-week item."""
        return (self.week, max(self.week, self.last_week))

    @cached_property  # asked for every class of the class list (kinds.classes)
    def classes(self) -> tuple[str, ...]:
        return tuple(self.event.classes)

    @cached_property
    def grades(self) -> tuple[str, ...]:
        return tuple(self.event.grades)

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
    """An undated 本月工作 item, in one month (an item over several months is one in each),
    numbered as the plans number a month's work: its `no:`, else in file order."""

    event: Event
    anchor: str
    origin: Position
    month: Month
    no: int = 0

    @property
    def classes(self) -> tuple[str, ...]:
        return tuple(self.event.classes)

    @property
    def grades(self) -> tuple[str, ...]:
        return tuple(self.event.grades)

    @property
    def title(self) -> str:
        return self.event.title


@dataclass(frozen=True)
class Day:
    date: date
    week: int
    closure: Closure | None
    makeup: MakeupDay | None
    occurrences: tuple[Occurrence, ...]
    vacation: Vacation | None = None

    @property
    def weekend(self) -> bool:
        return self.date.weekday() >= 5 and self.makeup is None

    @property
    def vacation_label(self) -> str | None:
        """The vacation's name where its band starts: its first day, a Monday, a 1st."""
        if self.vacation and (
            self.date == self.vacation.from_ or self.date.weekday() == 0 or self.date.day == 1
        ):
            return self.vacation.name
        return None

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
    vacations: tuple[Vacation, ...] = ()  # the vacations this month has days of

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
    def sheet_days(self) -> tuple[Day, ...]:
        """The rows of its 本周安排 sheet: the school week, and a weekend day with something
        on it (an item, a closure, a 调休)."""
        return tuple(
            d for d in self.days if d.shown or d.closure or d.makeup or d.date.weekday() < 5
        )

    @property
    def occurrences(self) -> list[Occurrence]:
        seen: dict[str, Occurrence] = {}
        for day in self.days:
            for occ in day.occurrences:
                seen.setdefault(occ.anchor, occ)
        return sorted(seen.values(), key=Occurrence.sort_key)


@dataclass(frozen=True)
class VacationView:
    """A vacation after the term: its weeks (Monday to Sunday) and what happens in it."""

    vacation: Vacation
    weeks: tuple[WeekView, ...]
    occurrences: tuple[Occurrence, ...]
    months: tuple[Month, ...]


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
    vacations: tuple[VacationView, ...] = ()

    @property
    def week_count(self) -> int:
        """The term's number of teaching weeks (a month page shows no more of its weeks)."""
        return len(self.weeks)

    @property
    def prefix(self) -> str:
        """Where this term's pages live: the site root for the current term."""
        return "" if self.current else f"terms/{self.term.id}/"

    def contains(self, day: date) -> bool:
        return self.term.first_day <= day <= self.term.last_day

    def vacation_at(self, day: date) -> VacationView | None:
        return next((v for v in self.vacations if v.vacation.contains(day)), None)

    def week_of(self, day: date) -> int:
        return cal.teaching_week(self.term.first_day, day)

    def starting_by_month(self) -> dict[Month, list[Occurrence]]:
        """Its items by the month they start in, in their order (the agenda's sections):
        one pass, not a filter of every item for each month."""
        found: dict[Month, list[Occurrence]] = {}
        for occ in self.occurrences:
            found.setdefault(Month.of(occ.start), []).append(occ)
        return found


class _TermCheck:
    """The problems of one term file, and the check every dated item needs."""

    def __init__(self, loaded: Loaded[TermPlan]) -> None:
        self.plan, self.term, self.marked = loaded.model, loaded.model.term, loaded.marked
        self.problems: list[Problem] = []

    def outside(self, day: date | None, path: tuple[str | int, ...]) -> bool:
        """E301 for a day neither in the term nor in one of its vacations."""
        term = self.term
        if day is not None and not self.plan.covers(day):
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
    _check_vacations(plan, check)
    _check_items(plan, check)
    anchors = _Anchors()
    month_items: list[MonthItem] = []
    occurrences = _dated_occurrences(plan, check, closed, makeups, anchors, month_items)
    occurrences += _recurring_occurrences(plan, check, closed, makeups, anchors)
    occurrences += _content_occurrences(plan, extra, anchors)
    occurrences.sort(key=Occurrence.sort_key)
    weeks, months, vacations = _grids(plan, occurrences, _numbered(month_items), closed, makeups)
    calendar = TermCalendar(
        term,
        loaded.name,
        current,
        weeks,
        months,
        tuple(occurrences),
        tuple(m for month in months for m in month.items),
        tuple(plan.closures),
        tuple(plan.makeup_days),
        frozenset((loaded.name, *(item.origin.file for item in extra))),
        vacations,
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


def _check_vacations(plan: TermPlan, check: _TermCheck) -> None:
    """A vacation comes after its term (E334), shares no day with it (E332) or with another
    of its vacations (E333), and ends within MAX_TERM_DAYS of the term's start (E339).
    Vacations of other files are checked by `assemble.site`."""
    term, marked = plan.term, check.marked
    for i, vacation in enumerate(plan.vacations):
        at: tuple[str | int, ...] = ("vacations", i, "from")
        said = _said(vacation)
        clash = vacation_meets_term(marked, i, vacation, term, marked.source.name, marked)
        if clash is not None:
            check.problems.append(clash)
            continue
        if vacation.to < term.first_day:
            check.problems.append(
                marked.problem(
                    "E334", at, **said, term=term.id, term_last=term.last_day.isoformat()
                )
            )
            continue
        days = (vacation.to - term.first_day).days + 1
        if days > MAX_TERM_DAYS:
            check.problems.append(
                marked.problem(
                    "E339", ("vacations", i, "to"), **said, days=days, limit=MAX_TERM_DAYS
                )
            )
            continue
        for j, other in enumerate(plan.vacations[:i]):
            clash = vacations_meet(marked, i, vacation, other, j, marked.source.name, marked)
            if clash is not None:
                check.problems.append(clash)
                break


def _said(vacation: Vacation) -> dict[str, Any]:
    return {
        "name": vacation.name,
        "first": vacation.from_.isoformat(),
        "last": vacation.to.isoformat(),
    }


def vacation_meets_term(
    marked: Marked, i: int, vacation: Vacation, term: Term, where: str, theirs: Marked
) -> Problem | None:
    """E332 at vacation `i` of `marked` when it shares a day with `term` (of the file
    `where`, whose positions `theirs` holds), else None."""
    if not (vacation.from_ <= term.last_day and term.first_day <= vacation.to):
        return None
    return marked.problem(
        "E332",
        ("vacations", i, "from"),
        **_said(vacation),
        term=term.id,
        other=f"{where}:{theirs.mark(('term', 'first_day')).line}",
        term_first=term.first_day.isoformat(),
        term_last=term.last_day.isoformat(),
    )


def vacations_meet(
    marked: Marked, i: int, vacation: Vacation, other: Vacation, j: int, where: str, theirs: Marked
) -> Problem | None:
    """E333 at vacation `i` of `marked` when it shares a day with vacation `j` of the file
    `where` (positions in `theirs`), else None."""
    if not (vacation.from_ <= other.to and other.from_ <= vacation.to):
        return None
    return marked.problem(
        "E333",
        ("vacations", i, "from"),
        **_said(vacation),
        other_name=other.name,
        other=f"{where}:{theirs.mark(('vacations', j)).line}",
        other_first=other.from_.isoformat(),
        other_last=other.to.isoformat(),
    )


def _when_key(event: Event | RecurringEvent) -> tuple[object, ...]:
    """What makes two items of a file the same item twice: the title and when it is."""
    if isinstance(event, RecurringEvent):
        return (
            "recurring",
            event.title,
            event.every,
            tuple(sorted(set(event.weekdays or ()))),
            event.weekday,
            event.nth,
            event.day,
            event.from_,
            event.to,
            event.time,
        )
    return ("events", event.title, event.span, event.teaching_weeks, event.month_span, event.time)


def _check_items(plan: TermPlan, check: _TermCheck) -> None:
    """W331: the same item twice (a copy-paste: same title, same dates and time), at the
    second with the first's line; E337: an `id:` given to two items."""
    marked = check.marked
    seen: dict[tuple[object, ...], tuple[str | int, ...]] = {}
    ids: dict[str, tuple[str | int, ...]] = {}
    for part in ("events", "recurring"):
        items: list[Event | RecurringEvent] = list(getattr(plan, part))
        for i, event in enumerate(items):
            path: tuple[str | int, ...] = (part, i)
            key = _when_key(event)
            if key in seen:
                first = marked.mark(seen[key])
                check.problems.append(
                    marked.problem(
                        "W331",
                        path,
                        title=event.title,
                        other=f"{marked.source.name}:{first.line}",
                    )
                )
            else:
                seen[key] = path
            if event.id is not None:
                if event.id in ids:
                    first = marked.mark(ids[event.id])
                    check.problems.append(
                        marked.problem(
                            "E337",
                            (*path, "id"),
                            value=event.id,
                            other=f"{marked.source.name}:{first.line}",
                        )
                    )
                else:
                    ids[event.id] = (*path, "id")


def _week_of(plan: TermPlan, day: date) -> tuple[int, Vacation | None]:
    """The teaching week of a day, and its vacation when it is in one (week 0)."""
    vacation = plan.vacation_at(day)
    return (0 if vacation else cal.teaching_week(plan.term.first_day, day)), vacation


def _dated_occurrences(
    plan: TermPlan,
    check: _TermCheck,
    closed: dict[date, Closure],
    makeups: dict[date, MakeupDay],
    anchors: _Anchors,
    month_items: list[MonthItem],
) -> list[Occurrence]:
    """The `events`: on a day or over days, in teaching weeks, or undated in months
    (本月工作, collected in `month_items`, one per month)."""
    term, marked = plan.term, check.marked
    n_weeks = cal.teaching_week(term.first_day, term.last_day)
    covered = cal.months_between(term.first_day, plan.last_covered)
    occurrences: list[Occurrence] = []
    for i, event in enumerate(plan.events):
        path: tuple[str | int, ...] = ("events", i)
        origin = _position(marked, path)
        if (span := event.month_span) is not None:
            key = "month" if event.month is not None else "months"
            wrong = [m for m in span if m not in covered]
            if wrong:
                check.problems.append(
                    marked.problem(
                        "E307",
                        (*path, key) if key == "month" else (*path, key, span.index(wrong[0])),
                        month=str(wrong[0]),
                        first=term.first_day.isoformat(),
                        last=plan.last_covered.isoformat(),
                    )
                )
                continue
            for month in cal.months_between(span[0].first_day, span[1].first_day):
                anchor = anchors.new(month.first_day, event.title, "m")
                month_items.append(MonthItem(event, anchor, origin, month, event.no or 0))
            continue
        if weeks := event.teaching_weeks:
            key = "week" if event.week is not None else "weeks"
            if weeks[-1] > n_weeks:
                check.problems.append(
                    marked.problem("E302", (*path, key), week=weeks[-1], weeks=n_weeks)
                )
                continue
            for first, last in _runs(weeks):
                monday = cal.week_monday(term.first_day, first)
                friday = cal.week_monday(term.first_day, last) + 4 * cal.ONE_DAY
                start, end = max(monday, term.first_day), min(friday, term.last_day)
                occurrences.append(
                    Occurrence(
                        event,
                        start,
                        end,
                        anchors.new(start, event.title),
                        origin,
                        first,
                        whole_week=True,
                        last_week=last,
                    )
                )
            continue
        assert event.span is not None  # neither weeks nor months: a date or a from/to span
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
        week, vacation = _week_of(plan, span_start)
        occurrences.append(
            Occurrence(
                event,
                span_start,
                span_end,
                anchors.new(span_start, event.title),
                origin,
                week,
                vacation=vacation,
            )
        )
    return occurrences


def _runs(weeks: tuple[int, ...]) -> list[tuple[int, int]]:
    """(1, 2, 3, 5) → [(1, 3), (5, 5)]: the unbroken stretches of sorted week numbers."""
    runs: list[tuple[int, int]] = []
    for week in weeks:
        if runs and runs[-1][1] == week - 1:
            runs[-1] = (runs[-1][0], week)
        else:
            runs.append((week, week))
    return runs


def _numbered(items: list[MonthItem]) -> list[MonthItem]:
    """Each month's items numbered 1, 2, 3… in file order, as the plans number them; an
    item's own `no:` wins, and the others' numbers go round it."""
    taken: dict[Month, set[int]] = defaultdict(set)
    for item in items:
        if item.no:
            taken[item.month].add(item.no)
    counter: dict[Month, int] = defaultdict(int)
    numbered = []
    for item in items:
        if not item.no:
            counter[item.month] += 1
            while counter[item.month] in taken[item.month]:
                counter[item.month] += 1
            item = MonthItem(item.event, item.anchor, item.origin, item.month, counter[item.month])
        numbered.append(item)
    return numbered


def _recurring_occurrences(
    plan: TermPlan,
    check: _TermCheck,
    closed: dict[date, Closure],
    makeups: dict[date, MakeupDay],
    anchors: _Anchors,
) -> list[Occurrence]:
    """The weekly items: every rule day from `from` to `to`, closures skipped, 调休 days
    following the weekday they stand for. The monthly ones: the rule's day of each month,
    a closure skipped and said (W330), a month without the day said (W332)."""
    follows = {d: m.follows for d, m in makeups.items()}
    occurrences: list[Occurrence] = []
    for i, rule in enumerate(plan.recurring):
        path = ("recurring", i)
        if check.outside(rule.from_, (*path, "from")) | check.outside(rule.to, (*path, "to")):
            continue
        origin = _position(check.marked, path)
        if rule.monthly:
            found, missing = cal.monthly_dates(
                rule.from_, rule.to, rule.weekday, rule.nth, rule.day or 0
            )
            skipped = [d for d in found if d in closed and d not in makeups]
            if skipped:
                check.problems.append(
                    check.marked.problem(
                        "W330",
                        path,
                        title=rule.title,
                        dates={
                            "zh": "、".join(
                                f"{d.isoformat()}（{closed[d].name}）" for d in skipped
                            ),
                            "en": ", ".join(f"{d.isoformat()} ({closed[d].name})" for d in skipped),
                        },
                    )
                )
            if missing:
                check.problems.append(
                    check.marked.problem(
                        "W332",
                        (*path, "day"),
                        title=rule.title,
                        day=rule.day,
                        months=[str(m) for m in missing],
                    )
                )
            days = [d for d in found if d not in skipped]
        else:
            days = cal.weekly_dates(set(rule.weekdays or ()), rule.from_, rule.to, closed, follows)
        for day in days:
            week, vacation = _week_of(plan, day)
            occurrences.append(
                Occurrence(
                    rule, day, day, anchors.new(day, rule.title), origin, week, vacation=vacation
                )
            )
    return occurrences


def _content_occurrences(
    plan: TermPlan, extra: tuple[Dated, ...], anchors: _Anchors
) -> list[Occurrence]:
    """The festival stages, roster sessions and displays that fall in the term."""
    occurrences = []
    for item in extra:
        ev = item.event
        first, last = (ev.date or ev.from_), (ev.date or ev.to)
        assert first is not None and last is not None
        week, vacation = _week_of(plan, first)
        occurrences.append(
            Occurrence(
                ev,
                first,
                last,
                anchors.new(first, ev.title),
                item.origin,
                week,
                part_of=item.link,
                vacation=vacation,
            )
        )
    return occurrences


def _grids(
    plan: TermPlan,
    occurrences: list[Occurrence],
    month_items: list[MonthItem],
    closed: dict[date, Closure],
    makeups: dict[date, MakeupDay],
) -> tuple[tuple[WeekView, ...], tuple[MonthView, ...], tuple[VacationView, ...]]:
    """The teaching weeks, the month grids (the vacations' months too), each day with what
    happens on it, and the vacations' weeks."""
    term = plan.term
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
            plan.vacation_at(day),
        )

    weeks = tuple(
        WeekView(w, tuple(day_info(d) for d in w.days))
        for w in cal.teaching_weeks(term.first_day, term.last_day)
    )
    months = []
    for month in cal.months_between(term.first_day, plan.last_covered):
        # a week neither in the term nor in one of its vacations is left out: February's
        # and July's sheets print only the weeks the term holds
        rows = tuple(
            tuple(day_info(d) if d else None for d in row)
            for row in cal.month_grid(month)
            if any(d and (term.first_day <= d <= term.last_day or plan.vacation_at(d)) for d in row)
        )
        spanned = sorted(
            {
                cal.teaching_week(term.first_day, d)
                for d in cal.days(
                    max(month.first_day, term.first_day), min(month.last_day, term.last_day)
                )
            }
        )
        items = tuple(m for m in month_items if m.month == month)
        touching = tuple(
            v for v in plan.vacations if v.from_ <= month.last_day and month.first_day <= v.to
        )
        months.append(MonthView(month, rows, items, tuple(w for w in spanned if w >= 1), touching))
    vacations = []
    for vacation in plan.vacations:
        if not term.last_day < vacation.from_:  # refused (E332/E334): no weeks of its own
            continue
        mondays = cal.days(cal.monday_of(vacation.from_), vacation.to)
        vacation_weeks = tuple(
            WeekView(
                cal.TeachingWeek(0, monday),
                tuple(day_info(monday + n * cal.ONE_DAY) for n in range(7)),
            )
            for monday in mondays
            if monday.weekday() == 0
        )
        inside = tuple(o for o in occurrences if o.vacation == vacation)
        vacations.append(
            VacationView(
                vacation,
                vacation_weeks,
                inside,
                tuple(cal.months_between(vacation.from_, vacation.to)),
            )
        )
    return weeks, tuple(months), tuple(vacations)


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
