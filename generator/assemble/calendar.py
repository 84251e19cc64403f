"""Pure calendar arithmetic: teaching weeks, month grids, weekly recurrence. No I/O, no state."""

from __future__ import annotations

import calendar as _cal
from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from generator.model.values import Month

ONE_DAY = timedelta(days=1)


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def teaching_week(first_day: date, day: date) -> int:
    """第N周 of `day`: week 1 is the Monday-to-Sunday week holding the term's first day.

    Days before that week give 0 or less; callers decide whether that is a problem.
    """
    return (monday_of(day) - monday_of(first_day)).days // 7 + 1


@dataclass(frozen=True)
class TeachingWeek:
    number: int
    monday: date

    @property
    def sunday(self) -> date:
        return self.monday + timedelta(days=6)

    @property
    def days(self) -> list[date]:
        return [self.monday + timedelta(days=i) for i in range(7)]


def teaching_weeks(first_day: date, last_day: date) -> list[TeachingWeek]:
    count = teaching_week(first_day, last_day)
    start = monday_of(first_day)
    return [TeachingWeek(n, start + timedelta(weeks=n - 1)) for n in range(1, count + 1)]


def week_monday(first_day: date, number: int) -> date:
    return monday_of(first_day) + timedelta(weeks=number - 1)


def months_between(first: date, last: date) -> list[Month]:
    months = []
    year, month = first.year, first.month
    while (year, month) <= (last.year, last.month):
        months.append(Month(year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def month_grid(month: Month) -> list[list[date | None]]:
    """Monday-first rows of the month; days of the neighbouring months are None."""
    # Day numbers, not dates: the neighbouring months of 9999-12 and 0001-01 do not exist.
    rows = _cal.Calendar(firstweekday=0).monthdayscalendar(month.year, month.month)
    return [[date(month.year, month.month, d) if d else None for d in row] for row in rows]


def days(start: date, end: date) -> Iterator[date]:
    for n in range((end - start).days + 1):  # no step past `end`: date.max has no next day
        yield start + timedelta(days=n)


def weekly_dates(
    weekdays: Collection[int],
    start: date,
    end: date,
    closed: Collection[date] = (),
    makeups: Mapping[date, int] | None = None,
) -> list[date]:
    """Every date in [start, end] on one of `weekdays` (0 = Monday), skipping closed days.

    A make-up working day (调休) counts as the weekday whose timetable it follows, so a
    Monday activity also happens on a Saturday worked "as Monday".
    """
    makeups = makeups or {}
    result = []
    for day in days(start, end):
        follows = makeups.get(day, day.weekday())
        if follows in weekdays and day not in closed:
            result.append(day)
    return result


def monthly_dates(
    start: date, end: date, weekday: int | None = None, nth: int | None = None, day: int = 0
) -> tuple[list[date], list[Month]]:
    """The rule's date in each month from `start`'s to `end`'s, inside [start, end]: the
    `nth` `weekday` (1–4, -1 = the last), or the `day`-th. Months without that day (31 in
    April) give none, as RRULE BYMONTHDAY does; they are returned second."""
    found, missing = [], []
    for month in months_between(start, end):
        if weekday is not None and nth is not None:
            same = [d for d in days(month.first_day, month.last_day) if d.weekday() == weekday]
            candidate: date | None = same[nth if nth < 0 else nth - 1]
        elif day <= month.last_day.day:
            candidate = date(month.year, month.month, day)
        else:
            candidate = None
            if month.first_day <= end and month.last_day >= start:
                missing.append(month)
        if candidate is not None and start <= candidate <= end:
            found.append(candidate)
    return found, missing
