"""Calendar arithmetic: teaching weeks, month grids, weekly recurrence with 调休."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import example, given, settings
from hypothesis import strategies as st

from generator.assemble.calendar import (
    TeachingWeek,
    days,
    monday_of,
    month_grid,
    months_between,
    teaching_week,
    teaching_weeks,
    week_monday,
    weekly_dates,
)
from generator.model.values import Month

FIRST_DAY = date(2026, 2, 24)  # a Tuesday
MON, TUE, WED, THU, FRI, SAT, SUN = range(7)

# Dates far enough from date.min / date.max that a week either side still exists.
safe_dates = st.dates(min_value=date(1, 1, 8), max_value=date(9999, 12, 24))


# --- teaching weeks ---------------------------------------------------------------------


def test_week_one_starts_on_the_monday_before_a_tuesday_first_day() -> None:
    assert FIRST_DAY.weekday() == TUE
    assert monday_of(FIRST_DAY) == date(2026, 2, 23)
    assert teaching_week(FIRST_DAY, date(2026, 2, 23)) == 1  # Monday of week 1
    assert teaching_week(FIRST_DAY, FIRST_DAY) == 1
    assert teaching_week(FIRST_DAY, date(2026, 3, 1)) == 1  # Sunday still week 1
    assert teaching_week(FIRST_DAY, date(2026, 3, 2)) == 2
    assert teaching_week(FIRST_DAY, date(2026, 2, 22)) == 0  # the week before the term
    assert teaching_week(FIRST_DAY, date(2026, 2, 15)) == -1


def test_teaching_weeks_of_a_term() -> None:
    weeks = teaching_weeks(FIRST_DAY, date(2026, 3, 11))
    assert weeks == [
        TeachingWeek(1, date(2026, 2, 23)),
        TeachingWeek(2, date(2026, 3, 2)),
        TeachingWeek(3, date(2026, 3, 9)),
    ]
    assert weeks[0].sunday == date(2026, 3, 1)
    assert weeks[0].days == [date(2026, 2, 23) + timedelta(days=i) for i in range(7)]
    assert week_monday(FIRST_DAY, 3) == date(2026, 3, 9)


def test_a_spring_term_has_19_weeks() -> None:
    weeks = teaching_weeks(FIRST_DAY, date(2026, 7, 3))
    assert len(weeks) == 19
    assert weeks[-1] == TeachingWeek(19, date(2026, 6, 29))


def test_a_term_inside_one_week() -> None:
    assert teaching_weeks(date(2026, 3, 3), date(2026, 3, 5)) == [TeachingWeek(1, date(2026, 3, 2))]


@settings(database=None)
@given(first=safe_dates, day=safe_dates)
def test_teaching_week_goes_up_by_one_every_seven_days(first: date, day: date) -> None:
    week = teaching_week(first, day)
    if day + timedelta(days=7) <= date(9999, 12, 31):
        assert teaching_week(first, day + timedelta(days=7)) == week + 1
    assert teaching_week(first, day - timedelta(days=7)) == week - 1
    # the same number from Monday to Sunday
    monday = monday_of(day)
    assert {teaching_week(first, monday + timedelta(days=i)) for i in range(7)} == {week}
    assert teaching_week(first, first) == 1


@settings(database=None)
@given(first=safe_dates, a=safe_dates, b=safe_dates)
def test_teaching_week_is_monotonic(first: date, a: date, b: date) -> None:
    early, late = sorted((a, b))
    assert teaching_week(first, early) <= teaching_week(first, late)


@settings(database=None)
@given(
    first=st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 1, 1)),
    length=st.integers(0, 400),
)
def test_teaching_weeks_cover_the_term(first: date, length: int) -> None:
    last = first + timedelta(days=length)
    weeks = teaching_weeks(first, last)
    assert [w.number for w in weeks] == list(range(1, len(weeks) + 1))
    assert all(w.monday.weekday() == MON for w in weeks)
    assert weeks[0].monday <= first <= weeks[0].sunday
    assert weeks[-1].monday <= last <= weeks[-1].sunday
    for w in weeks:
        assert teaching_week(first, w.monday) == w.number


# --- months -----------------------------------------------------------------------------


def test_months_between_crosses_the_new_year() -> None:
    assert months_between(date(2025, 11, 30), date(2026, 2, 1)) == [
        Month(2025, 11),
        Month(2025, 12),
        Month(2026, 1),
        Month(2026, 2),
    ]
    assert months_between(date(2026, 3, 1), date(2026, 3, 31)) == [Month(2026, 3)]
    assert months_between(date(2026, 4, 1), date(2026, 3, 31)) == []


def test_month_grid_march_2026() -> None:
    assert date(2026, 3, 1).weekday() == SUN
    grid = month_grid(Month(2026, 3))
    assert grid[0] == [None, None, None, None, None, None, date(2026, 3, 1)]
    assert grid[1] == [date(2026, 3, d) for d in range(2, 9)]
    assert grid[-1] == [date(2026, 3, 30), date(2026, 3, 31), None, None, None, None, None]
    assert len(grid) == 6


def test_month_grid_february_2021_is_exactly_four_rows() -> None:
    grid = month_grid(Month(2021, 2))  # 1 Feb 2021 is a Monday, 28 days
    assert len(grid) == 4
    assert grid[0][0] == date(2021, 2, 1)
    assert grid[-1][-1] == date(2021, 2, 28)


def test_month_grid_at_the_ends_of_the_calendar() -> None:
    last = month_grid(Month(9999, 12))
    assert last[-1] == [
        date(9999, 12, 27),
        date(9999, 12, 28),
        date(9999, 12, 29),
        date(9999, 12, 30),
        date(9999, 12, 31),
        None,
        None,
    ]
    first = month_grid(Month(1, 1))
    assert first[0][0] == date(1, 1, 1)


@settings(database=None)
@given(st.integers(1, 9999), st.integers(1, 12))
@example(9999, 12)
@example(1, 1)
def test_month_grid_rows_hold_each_day_once_in_order(year: int, month: int) -> None:
    value = Month(year, month)
    grid = month_grid(value)
    assert 4 <= len(grid) <= 6
    assert all(len(row) == 7 for row in grid)
    cells = [cell for row in grid for cell in row]
    dated = [cell for cell in cells if cell is not None]
    assert dated == list(days(value.first_day, value.last_day))
    # columns are weekdays, Monday first
    for row in grid:
        for column, cell in enumerate(row):
            if cell is not None:
                assert cell.weekday() == column
    # the padding is only at the start and the end, and never a whole row
    first = cells.index(value.first_day)
    assert first == value.first_day.weekday()
    assert all(cell is None for cell in cells[:first])
    assert all(cell is None for cell in cells[first + len(dated) :])
    assert all(any(cell is not None for cell in row) for row in grid)


# --- weekly recurrence ------------------------------------------------------------------


def test_days_is_inclusive() -> None:
    assert list(days(date(2026, 2, 27), date(2026, 3, 2))) == [
        date(2026, 2, 27),
        date(2026, 2, 28),
        date(2026, 3, 1),
        date(2026, 3, 2),
    ]
    assert list(days(date(2026, 3, 2), date(2026, 3, 1))) == []
    assert list(days(date(9999, 12, 30), date.max)) == [date(9999, 12, 30), date.max]


def test_weekly_dates_every_wednesday() -> None:
    assert weekly_dates([WED], date(2026, 3, 1), date(2026, 3, 31)) == [
        date(2026, 3, 4),
        date(2026, 3, 11),
        date(2026, 3, 18),
        date(2026, 3, 25),
    ]


def test_weekly_dates_skip_closures_and_follow_a_saturday_makeup_day() -> None:
    # 清明 2026: closed Sat 4 – Mon 6 April; 调休: Saturday 11 April is worked following
    # Monday's timetable.
    closed = {date(2026, 4, 4), date(2026, 4, 5), date(2026, 4, 6)}
    makeups = {date(2026, 4, 11): MON}
    result = weekly_dates([MON, THU], date(2026, 3, 30), date(2026, 4, 16), closed, makeups)
    assert result == [
        date(2026, 3, 30),  # Mon
        date(2026, 4, 2),  # Thu
        # Mon 6 April is closed
        date(2026, 4, 9),  # Thu
        date(2026, 4, 11),  # Sat, worked as Monday
        date(2026, 4, 13),  # Mon
        date(2026, 4, 16),  # Thu
    ]


def test_makeup_day_following_another_weekday_is_not_included() -> None:
    result = weekly_dates(
        [WED], date(2026, 2, 23), date(2026, 3, 1), makeups={date(2026, 2, 28): MON}
    )
    assert result == [date(2026, 2, 25)]


def test_makeup_day_replaces_the_days_own_weekday() -> None:
    # A Sunday worked as Friday is no longer a Sunday for a Sunday activity.
    result = weekly_dates(
        [SUN], date(2026, 2, 9), date(2026, 2, 22), makeups={date(2026, 2, 15): FRI}
    )
    assert result == [date(2026, 2, 22)]


def test_closed_makeup_day_is_skipped() -> None:
    day = date(2026, 2, 28)
    assert weekly_dates([MON], day, day, closed={day}, makeups={day: MON}) == []


def test_start_and_end_are_inclusive() -> None:
    assert weekly_dates([MON, WED], date(2026, 3, 2), date(2026, 3, 4)) == [
        date(2026, 3, 2),
        date(2026, 3, 4),
    ]
    assert weekly_dates([MON], date(2026, 3, 3), date(2026, 3, 8)) == []


@st.composite
def recurrences(draw: st.DrawFn) -> tuple[set[int], date, date, set[date], dict[date, int]]:
    start = draw(st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 12, 31)))
    end = start + timedelta(days=draw(st.integers(-3, 150)))
    span = max((end - start).days, 0)
    in_range = st.integers(-3, span + 3).map(lambda n: start + timedelta(days=n))
    weekdays = draw(st.sets(st.integers(0, 6)))
    closed = draw(st.sets(in_range, max_size=30))
    makeups = draw(st.dictionaries(in_range, st.integers(0, 6), max_size=6))
    return weekdays, start, end, closed, makeups


@settings(database=None)
@given(recurrences())
def test_weekly_dates_properties(case: tuple[set[int], date, date, set[date], dict]) -> None:
    weekdays, start, end, closed, makeups = case
    result = weekly_dates(weekdays, start, end, closed, makeups)
    assert result == sorted(set(result))  # in order, each once
    for day in result:
        assert start <= day <= end
        assert day not in closed
        if day in makeups:
            assert makeups[day] in weekdays
        else:
            assert day.weekday() in weekdays
    # nothing that qualifies is left out
    for day in days(start, end):
        follows = makeups.get(day, day.weekday())
        if follows in weekdays and day not in closed:
            assert day in result


@settings(database=None)
@given(recurrences())
def test_weekly_dates_without_closures_or_makeups_is_every_such_weekday(
    case: tuple[set[int], date, date, set[date], dict],
) -> None:
    weekdays, start, end, _, _ = case
    result = weekly_dates(weekdays, start, end)
    assert result == [d for d in days(start, end) if d.weekday() in weekdays]
    assert weekly_dates(weekdays, start, end, (), {}) == result
