"""China's official holidays and 调休 workdays, as the State Council publishes them each year.

The dates come from the `holidays` package, which ships each year's published schedule
(its `special_public_holidays` table holds the year's 调休 swaps). For a year the State
Council has not published yet the package still answers, from the lunar calendar and a rule
for weekends; those dates are guesses, so this module leaves such a year out and says so
(`unpublished`): schools must wait for the notice, not plan on an estimate.

The official notice names each holiday as one run of days off, weekends included ("春节：
2月15日至23日放假调休，共9天"); the package lists the weekday days off only, so a run is the
package's days off joined with the weekend days around and between them that are not
worked. A 调休 workday follows the timetable of the weekday it was swapped with (the
package's label of that day off names the workday).

`official_days` is what `new-term`, `init` and `check` call.
"""

from __future__ import annotations

import importlib
import importlib.util
import re
import sys
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache, partial
from types import ModuleType
from typing import NamedTuple

from generator.memo import NO_MEMO, Memo
from generator.model.term import TermPlan
from generator.problems.problem import Problem
from generator.read.load import Loaded


def _china() -> ModuleType:
    """`holidays.countries.china`, without running `holidays/countries/__init__.py` when
    nothing has yet: that imports all of the package's 250 countries (to offer `from
    holidays.countries import X`), which doubled the time and memory the package takes in
    every command. The package folder stands in, unrun, while China's module is imported;
    a later `import holidays.countries` runs it as usual. Should the package be laid out
    otherwise one day, it is imported the usual way."""
    name = "holidays.countries"
    if name not in sys.modules:
        try:
            spec = importlib.util.find_spec(name)
            if spec is not None and spec.submodule_search_locations:
                sys.modules[name] = importlib.util.module_from_spec(spec)
                try:
                    return importlib.import_module(f"{name}.china")
                finally:
                    del sys.modules[name]
        except ImportError:
            pass
    return importlib.import_module(f"{name}.china")


@lru_cache(maxsize=1)
def _china_module() -> ModuleType:
    """China's module, imported when a date is first asked about: a build keeps what
    `official_days` gave in its cache (`missing_official_days`), and one after an edit
    then imports no part of the package."""
    return _china()


def _holidays_version() -> str:
    """The package's version, in the cache's key: a newer one may hold a newly published
    year, and a kept answer from an older one must not hide it. Read once a process
    (`cache.installed`: the package's metadata parsed each time was a tenth of the
    preview's load after an edit, and importing `importlib.metadata` 8 ms of every process)."""
    from generator.cache import installed

    return installed("holidays", "holidays") or ""  # not a distribution: never kept


_SWAPPED = re.compile(r"(\d{4}-\d{2}-\d{2})")
# the package's words for a day that is not a holiday of its own name
_DAY_OFF = "休息日"
_SUFFIXES = ("（补假）", "（推定）", "（补假，推定）")
_SAME_HOLIDAY = {"农历除夕": "春节"}


@dataclass(frozen=True)
class OfficialClosure:
    """One run of official days off, e.g. 春节 2026-02-15 – 2026-02-23."""

    name: str
    first: date
    last: date

    @property
    def days(self) -> list[date]:
        return [self.first + timedelta(n) for n in range((self.last - self.first).days + 1)]

    @property
    def school_days(self) -> list[date]:
        """Its Mondays to Fridays: the days a school would otherwise be open."""
        return [d for d in self.days if d.weekday() < 5]


@dataclass(frozen=True)
class OfficialWorkday:
    """A weekend day worked in exchange for a day off (调休上班)."""

    date: date
    follows: int | None  # the weekday (0 = Monday) of the day off it was swapped with
    name: str  # e.g. 春节调休


class OfficialDays(NamedTuple):
    closures: tuple[OfficialClosure, ...]
    makeup_days: tuple[OfficialWorkday, ...]
    unpublished: tuple[int, ...]  # the years in the range with no published schedule


def published(year: int) -> bool:
    """Whether the package holds the State Council's schedule for `year` (its 调休 table;
    every published year since 2001 has one)."""
    return year in _china_module().ChinaStaticHolidays.special_public_holidays


def _name(label: str) -> str | None:
    if label.startswith(_DAY_OFF):
        return None
    for suffix in _SUFFIXES:
        label = label.removesuffix(suffix)
    return _SAME_HOLIDAY.get(label, label)


@lru_cache(maxsize=64)  # check asks on every build, the preview on every change
def official_days(first: date, last: date) -> OfficialDays:
    """The official closures overlapping `first`..`last` (whole runs, even where they begin
    before or end after it), the 调休 workdays inside it, and the years of the range whose
    schedule is not published (nothing is given for those)."""
    years = range(first.year, last.year + 1)
    unpublished = tuple(y for y in years if not published(y))
    # a run may cross New Year (元旦 from 12-30): look one year either side
    wide = [y for y in range(first.year - 1, last.year + 2) if published(y)]
    labels: dict[date, list[str]] = {}
    workdays: set[date] = set()
    if wide:
        table = _china_module().China(years=wide, language="zh_CN")
        for day, label in sorted(table.items()):
            if day.year in wide:
                labels.setdefault(day, []).extend(label.split("; "))
        workdays = {d for d in table.weekend_workdays if d.year in wide}

    def off(day: date) -> bool:
        return day in labels or (day.weekday() >= 5 and day not in workdays)

    closures: list[OfficialClosure] = []
    swapped: dict[date, date] = {}  # workday → the day off it pays for
    for day in sorted(labels):
        for label in labels[day]:
            if label.startswith(_DAY_OFF) and (found := _SWAPPED.search(label)):
                swapped[date.fromisoformat(found.group(1))] = day
        if closures and closures[-1].first <= day <= closures[-1].last:
            continue
        start, end = day, day
        while off(start - timedelta(1)) and start - timedelta(1) not in workdays:
            start -= timedelta(1)
        while off(end + timedelta(1)):
            end += timedelta(1)
        run = [start + timedelta(n) for n in range((end - start).days + 1)]
        names = [n for d in run for label in labels.get(d, []) if (n := _name(label))]
        name = "、".join(dict.fromkeys(names)) or _DAY_OFF
        closures.append(OfficialClosure(name, start, end))

    def run_of(day: date) -> OfficialClosure | None:
        return next((c for c in closures if c.first <= day <= c.last), None)

    makeup = []
    for day in sorted(workdays):
        if first <= day <= last:
            paid = swapped.get(day)
            paid_run = run_of(paid) if paid else None
            name = f"{paid_run.name}调休" if paid_run else "调休"
            makeup.append(OfficialWorkday(day, paid.weekday() if paid else None, name))
    inside = tuple(c for c in closures if c.first <= last and first <= c.last)
    return OfficialDays(inside, tuple(makeup), unpublished)


def _official_days(first: date, last: date, memo: Memo) -> OfficialDays:
    held = _holidays_version()
    if not held:
        return official_days(first, last)
    key = (first.isoformat(), last.isoformat(), held)
    return memo.lookup("official-days", key, partial(official_days, first, last))


def _dates(days: list[date]) -> str:
    return "、".join(d.isoformat() for d in days)


def missing_official_days(loaded: Loaded[TermPlan], memo: Memo = NO_MEMO) -> list[Problem]:
    """W350/W351: an official holiday of the term's school days not among its closures, an
    official 调休 workday not among its make-up days; one warning per holiday, at the
    `closures:` / `makeup_days:` key (else at `term:`). Warnings only: a school may open on
    an official holiday, or a province move a day. A plan with neither list is not asked:
    it keeps no holidays at all. `memo` keeps the official days by the term's dates and
    the package's version (the warnings are made again: their positions are the file's)."""
    plan, marked = loaded.model, loaded.marked
    term = plan.term
    if not plan.closures and not plan.makeup_days:
        return []  # a plan that keeps no holidays at all (a first try, a test): nothing to match
    found = _official_days(term.first_day, term.last_day, memo)
    closed: set[date] = set()
    for closure in plan.closures:
        closed.update(OfficialClosure("", closure.start, closure.end).days)
    worked = {m.date for m in plan.makeup_days}
    data = marked.data if isinstance(marked.data, dict) else {}
    problems = []
    for run in found.closures:
        missing = [
            d
            for d in run.school_days
            if term.first_day <= d <= term.last_day and d not in closed and d not in worked
        ]
        if missing:
            at = ("closures",) if "closures" in data else ("term",)
            problems.append(
                marked.problem(
                    "W350",
                    at,
                    at_key=True,
                    name=run.name,
                    first=run.first.isoformat(),
                    last=run.last.isoformat(),
                    dates=_dates(missing),
                )
            )
    by_name: dict[str, list[date]] = {}
    for workday in found.makeup_days:
        if workday.date not in worked:
            by_name.setdefault(workday.name, []).append(workday.date)
    for name, days in by_name.items():
        at = ("makeup_days",) if "makeup_days" in data else ("term",)
        problems.append(marked.problem("W351", at, at_key=True, name=name, dates=_dates(days)))
    return problems
