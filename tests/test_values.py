"""What a teacher's text means: dates, months, times, weekdays, yes/no, ids, text."""

from __future__ import annotations

from datetime import date, time
from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from pydantic import TypeAdapter, ValidationError
from pydantic_core import PydanticCustomError

from generator.model.values import (
    Date,
    Month,
    TimeRange,
    Weekday,
    did_you_mean,
    parse_date,
    parse_month,
    parse_slug,
    parse_text,
    parse_time_range,
    parse_weekday,
    parse_yes_no,
)
from generator.problems.problem import Position, Problem


def refusal(parser: Any, value: Any) -> tuple[str, dict[str, Any]]:
    """The problem code and parameters a parser raises (never a bare ValueError)."""
    with pytest.raises(PydanticCustomError) as info:
        parser(value)
    assert type(info.value) is PydanticCustomError
    return info.value.type, dict(info.value.context or {})


# --- dates ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "2026-03-02",
        "2026-3-2",
        "2026/3/2",
        "2026年3月2日",
        "2026年3月2",
        "2026.3.2",
        " 2026-03-02 ",
        "2026 年 3 月 2 日",
    ],
)
def test_date_spellings(text: str) -> None:
    assert parse_date(text) == date(2026, 3, 2)


def test_a_date_object_passes_through() -> None:
    assert parse_date(date(2026, 3, 2)) == date(2026, 3, 2)


def test_february_30_is_e205_not_a_value_error() -> None:
    code, params = refusal(parse_date, "2026-02-30")
    assert code == "E205"
    assert params == {"value": "2026-02-30", "year": 2026, "month": 2, "days": 28}


def test_february_30_hint_says_february_2026_has_28_days() -> None:
    _, params = refusal(parse_date, "2026-02-30")
    problem = Problem("E205", Position("events.yaml", 3, 11), params)
    assert problem.message("zh") == "日期不存在：2026-02-30"
    assert problem.hint("zh") == "2026 年 2 月只有 28 天。"
    assert problem.message("en") == "no such date: 2026-02-30"
    assert problem.hint("en") == "2/2026 has only 28 days."


@pytest.mark.parametrize(
    ("text", "days"),
    [
        ("2026-04-31", 30),
        ("2100-02-29", 28),
        ("2026年6月31日", 30),
        ("2026-01-32", 31),
    ],
)
def test_days_past_the_end_of_the_month_are_e205(text: str, days: int) -> None:
    code, params = refusal(parse_date, text)
    assert code == "E205"
    assert params["days"] == days


def test_leap_day_exists_in_leap_years() -> None:
    assert parse_date("2024-02-29") == date(2024, 2, 29)
    assert parse_date("2000-02-29") == date(2000, 2, 29)


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("2026-13-01", "2026-13-01"),
        ("2026-00-10", "2026-00-10"),
        ("2026-3", "2026-3"),
        ("3月2日", "3月2日"),
        ("26-3-2", "26-3-2"),
        ("2026-03-02 12:30", "2026-03-02 12:30"),
        ("下周一", "下周一"),
        ("", ""),
        (None, ""),
        ("0000-01-01", "0000-01-01"),
    ],
)
def test_not_dates_are_e204(value: Any, shown: str) -> None:
    assert refusal(parse_date, value) == ("E204", {"value": shown})


@settings(database=None)
@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2200, 12, 31)))
def test_every_date_reads_back_in_every_spelling(day: date) -> None:
    y, m, d = day.year, day.month, day.day
    for text in (day.isoformat(), f"{y:04d}-{m}-{d}", f"{y:04d}/{m}/{d}", f"{y:04d}年{m}月{d}日"):
        assert parse_date(text) == day, text


@settings(database=None)
@given(st.integers(0, 9999), st.integers(0, 99), st.integers(0, 99))
@example(0, 1, 1)
def test_any_date_shaped_text_is_a_date_or_a_problem(year: int, month: int, day: int) -> None:
    text = f"{year:04d}-{month:02d}-{day:02d}"
    try:
        result = parse_date(text)
    except PydanticCustomError as exc:
        assert exc.type in ("E204", "E205", "E704")
        in_range = 1900 <= year <= 2200  # E704 outside, before the day is looked at
        assert (exc.type == "E704") == (1 <= month <= 12 and year >= 1 and not in_range)
    else:
        assert (result.year, result.month, result.day) == (year, month, day)


# --- months -----------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["2026-03", "2026-3", "2026/3", "2026年3月", "2026 年 3 月"])
def test_month_spellings(text: str) -> None:
    assert parse_month(text) == Month(2026, 3)


@pytest.mark.parametrize("text", ["2026-13", "2026-00", "3月", "2026-03-02", "", None])
def test_not_months_are_e207(text: Any) -> None:
    code, params = refusal(parse_month, text)
    assert code == "E207"
    assert params == {"value": "" if text is None else text}


def test_month_value() -> None:
    month = Month(2026, 2)
    assert str(month) == "2026-02"
    assert month.first_day == date(2026, 2, 1)
    assert month.last_day == date(2026, 2, 28)
    assert Month(2024, 2).last_day == date(2024, 2, 29)
    assert Month.of(date(2026, 3, 17)) == Month(2026, 3)
    assert Month(2025, 12) < Month(2026, 1) < Month(2026, 2)
    assert parse_month(month) is month


# --- times ------------------------------------------------------------------------------


def test_a_single_time_is_a_time_not_750() -> None:
    result = parse_time_range("12:30")
    assert result == TimeRange(time(12, 30))
    assert result.end is None
    assert str(result) == "12:30"


def test_a_time_range() -> None:
    result = parse_time_range("12:20-12:50")
    assert result == TimeRange(time(12, 20), time(12, 50))
    assert str(result) == "12:20–12:50"


@pytest.mark.parametrize(
    "text",
    [
        "12:20-12:50",
        "12:20 - 12:50",
        "12：20-12：50",
        "12:20～12:50",
        "12:20~12:50",
        "12:20—12:50",
        "12:20 至 12:50",
        "12:20到12:50",
    ],
)
def test_time_range_spellings(text: str) -> None:
    assert parse_time_range(text) == TimeRange(time(12, 20), time(12, 50))


def test_one_digit_hour() -> None:
    assert parse_time_range("7:05") == TimeRange(time(7, 5))
    assert str(parse_time_range("7:05-8:00")) == "07:05–08:00"


@pytest.mark.parametrize("text", ["12:60", "25:10"])
def test_impossible_times_are_e206(text: str) -> None:
    assert refusal(parse_time_range, text) == ("E206", {"value": text})


@pytest.mark.parametrize("text", ["24:00", "23:30-24:00"])
def test_midnight_as_24_00_is_e610_naming_the_bad_time(text: str) -> None:
    assert refusal(parse_time_range, text) == ("E610", {"value": "24:00"})


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("1230", "1230"),
        ("noon", "noon"),
        ("12.30", "12.30"),
        ("12:3", "12:3"),
        ("12:30 12:50", "12:30 12:50"),
        ("", ""),
        (None, ""),
    ],
)
def test_not_times_are_e206(value: Any, shown: str) -> None:
    assert refusal(parse_time_range, value) == ("E206", {"value": shown})


def test_reversed_range_is_e215() -> None:
    assert refusal(parse_time_range, "12:50-12:20") == ("E215", {"start": "12:50", "end": "12:20"})
    assert refusal(parse_time_range, "12:30-12:30") == ("E215", {"start": "12:30", "end": "12:30"})


@settings(database=None)
@given(st.integers(0, 99), st.integers(0, 99))
@example(24, 0)  # midnight as printed timetables write it: a hint of its own
@example(24, 1)
@example(23, 60)
def test_times_are_read_exactly_or_refused(hour: int, minute: int) -> None:
    text = f"{hour}:{minute:02d}"
    if hour <= 23 and minute <= 59:
        assert parse_time_range(text) == TimeRange(time(hour, minute))
    elif (hour, minute) == (24, 0):
        assert refusal(parse_time_range, text) == ("E610", {"value": text})
    else:
        assert refusal(parse_time_range, text) == ("E206", {"value": text})


# --- weekdays ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("周一", 0),
        ("星期二", 1),
        ("礼拜三", 2),
        ("四", 3),
        ("Fri", 4),
        ("saturday", 5),
        ("周日", 6),
        ("周天", 6),
        ("星期天", 6),
        ("SUN", 6),
        (" 周三 ", 2),
        ("Wednesday", 2),
    ],
)
def test_weekday_words(text: str, number: int) -> None:
    assert parse_weekday(text) == number


def test_bad_weekday_is_e212_with_suggestion() -> None:
    assert refusal(parse_weekday, "周 三") == (
        "E212",
        {
            "value": "周 三",
            "suggestion": {"zh": "是不是想写“周三”？", "en": "Did you mean '周三'? "},
        },
    )


def test_weekday_far_from_any_name_has_no_suggestion() -> None:
    assert refusal(parse_weekday, "Wendsday") == (
        "E212",
        {
            "value": "Wendsday",
            "suggestion": {"zh": "", "en": ""},
        },
    )


def test_weekday_renders_as_chinese() -> None:
    adapter = TypeAdapter(Weekday)
    assert adapter.validate_python("星期三") == 2
    assert adapter.dump_python(2) == "周三"


# --- yes / no ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "meaning"),
    [
        ("yes", True),
        ("Yes", True),
        ("on", True),
        ("true", True),
        ("是", True),
        ("要", True),
        ("1", True),
        ("no", False),
        ("NO", False),
        ("off", False),
        ("false", False),
        ("否", False),
        ("不要", False),
        ("0", False),
    ],
)
def test_yes_no_in_a_yes_no_field(text: str, meaning: bool) -> None:
    assert parse_yes_no(text) is meaning


@pytest.mark.parametrize("text", ["maybe", "", "是的吧"])
def test_other_words_in_a_yes_no_field_are_e213(text: str) -> None:
    assert refusal(parse_yes_no, text) == ("E213", {"value": text})


# --- ids and text -----------------------------------------------------------------------


def test_slugs() -> None:
    assert parse_slug("2025-2026-2") == "2025-2026-2"
    assert parse_slug(" science-2026 ") == "science-2026"
    for bad in ("Science", "读书节", "a b", "-x", "", None):
        assert refusal(parse_slug, bad) == ("E218", {"value": "" if bad is None else bad})


def test_text_is_stripped_and_must_not_be_empty() -> None:
    assert parse_text("  故事会 ") == "故事会"
    assert parse_text("0571-88886666") == "0571-88886666"
    assert refusal(parse_text, None) == ("E202", {})
    assert refusal(parse_text, "   ") == ("E202", {})
    assert refusal(parse_text, ["a"]) == ("E217", {})
    assert refusal(parse_text, {"a": "b"}) == ("E217", {})


# --- did you mean -----------------------------------------------------------------------


def test_did_you_mean() -> None:
    assert did_you_mean("categroy", ["title", "category", "date"]) == {
        "zh": "是不是想写“category”？",
        "en": "Did you mean 'category'? ",
    }
    assert did_you_mean("xyz", ["title", "category"]) == {"zh": "", "en": ""}


# --- through pydantic: our codes come out as the error type -----------------------------


def test_pydantic_reports_our_code_as_the_error_type() -> None:
    adapter = TypeAdapter(Date)
    assert adapter.validate_python("2026年3月2日") == date(2026, 3, 2)
    assert adapter.dump_python(date(2026, 3, 2)) == "2026-03-02"
    with pytest.raises(ValidationError) as info:
        adapter.validate_python("2026-02-30")
    [error] = info.value.errors()
    assert error["type"] == "E205"
    assert error["ctx"] == {"value": "2026-02-30", "year": 2026, "month": 2, "days": 28}
