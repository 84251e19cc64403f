"""What a teacher's text means, field by field: dates, times, months, weekdays, yes/no.

Each parser takes the scalar exactly as typed and either returns a value or raises a
`PydanticCustomError` whose type is one of our problem codes, so the validate stage can
report it with the position of the value.
"""

from __future__ import annotations

import calendar as _cal
import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, time
from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator, PlainSerializer, WithJsonSchema
from pydantic_core import PydanticCustomError

from generator.render.markdown import check_markdown

_DATE = re.compile(r"^\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?\s*$")
_MONTH = re.compile(r"^\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?\s*$")
_TIME = r"(\d{1,2})\s*[:：]\s*(\d{2})"
_TIME_RANGE = re.compile(rf"^\s*{_TIME}\s*(?:[-–—~～至到]+\s*{_TIME})?\s*$")
_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]*$")


def problem(code: str, **params: Any) -> PydanticCustomError:
    return PydanticCustomError(code, code, params)


# Every date a teacher writes lies in these years. Outside them the calendar does work for
# every day in between (`first_day: 0001-01-01` built 24,340 pages; `9999-12-31` ran 44 s and
# overflowed), so a typo such as 0026 for 2026 is refused at once (E704).
FIRST_YEAR = 1900
LAST_YEAR = 2200


def parse_date(value: Any) -> date:
    if isinstance(value, date):
        _in_range(value.year, value.isoformat())
        return value
    match = _DATE.match(value) if isinstance(value, str) else None
    if not match:
        raise problem("E204", value=_shown(value))
    year, month, day = (int(g) for g in match.groups())
    if not 1 <= month <= 12 or year < 1:  # there is no year 0 (date() would raise)
        raise problem("E204", value=value.strip())
    _in_range(year, value.strip(), f"-{month:02d}-{day:02d}")
    days = _cal.monthrange(year, month)[1]
    if not 1 <= day <= days:
        raise problem("E205", value=value.strip(), year=year, month=month, days=days)
    return date(year, month, day)


@dataclass(frozen=True, order=True)
class Month:
    year: int
    month: int

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def first_day(self) -> date:
        return date(self.year, self.month, 1)

    @property
    def last_day(self) -> date:
        return date(self.year, self.month, _cal.monthrange(self.year, self.month)[1])

    @classmethod
    def of(cls, day: date) -> Month:
        return cls(day.year, day.month)


def parse_month(value: Any) -> Month:
    if isinstance(value, Month):
        return value
    match = _MONTH.match(value) if isinstance(value, str) else None
    if not match or not 1 <= int(match.group(2)) <= 12:
        raise problem("E207", value=_shown(value))
    _in_range(int(match.group(1)), value.strip(), f"-{int(match.group(2)):02d}")
    return Month(int(match.group(1)), int(match.group(2)))


def _in_range(year: int, shown: str, rest: str = "") -> None:
    """E704 for a year outside FIRST_YEAR…LAST_YEAR; a two-digit year (0026, 26) is most
    likely 2026, and the message says so."""
    if FIRST_YEAR <= year <= LAST_YEAR:
        return
    suggestion = {"zh": "", "en": ""}
    if year < 100:
        guess = f"{2000 + year:04d}{rest}"
        suggestion = {"zh": f"是不是想写“{guess}”？", "en": f"Did you mean '{guess}'? "}
    raise problem("E704", value=shown, first=FIRST_YEAR, last=LAST_YEAR, suggestion=suggestion)


@dataclass(frozen=True)
class TimeRange:
    start: time
    end: time | None = None

    def __str__(self) -> str:
        text = self.start.strftime("%H:%M")
        return f"{text}–{self.end.strftime('%H:%M')}" if self.end else text


def parse_time_range(value: Any) -> TimeRange:
    if isinstance(value, TimeRange):
        return value
    match = _TIME_RANGE.match(value) if isinstance(value, str) else None
    if not match:
        raise problem("E206", value=_shown(value))
    numbers = [int(g) if g is not None else None for g in match.groups()]
    times = []
    for hour, minute in ((numbers[0], numbers[1]), (numbers[2], numbers[3])):
        if hour is None or minute is None:
            continue
        if hour == 24 and minute == 0:  # "24:00" for midnight, common on printed timetables
            raise problem("E610", value=f"{hour}:{minute:02d}")
        if hour > 23 or minute > 59:
            raise problem("E206", value=value.strip())
        times.append(time(hour, minute))
    if len(times) == 2 and times[1] <= times[0]:
        raise problem("E215", start=times[0].strftime("%H:%M"), end=times[1].strftime("%H:%M"))
    return TimeRange(times[0], times[1] if len(times) == 2 else None)


WEEKDAY_NAMES = ["周一", "周二", "周三", "周四", "周五", "周六", "周日"]
_WEEKDAY_WORDS: dict[str, int] = {}
for _i, (_zh, _en) in enumerate(
    zip("一二三四五六日", ("mon", "tue", "wed", "thu", "fri", "sat", "sun"), strict=True)
):
    for _word in (
        f"周{_zh}",
        f"星期{_zh}",
        f"礼拜{_zh}",
        _zh,
        _en,
        ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")[_i],
    ):
        _WEEKDAY_WORDS[_word] = _i
for _word in ("周天", "星期天", "礼拜天", "天"):
    _WEEKDAY_WORDS[_word] = 6
for _n in range(1, 8):  # 周1 … 周7 and 星期1 … 星期7, as timetables print them (7 is Sunday)
    _WEEKDAY_WORDS[f"周{_n}"] = _WEEKDAY_WORDS[f"星期{_n}"] = _n - 1


def parse_weekday(value: Any) -> int:
    if isinstance(value, int):
        return value
    text = value.strip().lower() if isinstance(value, str) else ""
    if text in _WEEKDAY_WORDS:
        return _WEEKDAY_WORDS[text]
    # `周8` is no misspelt 周日: a number is said in the hint's list of ways, not guessed at
    guess = {"zh": "", "en": ""} if re.search(r"\d", text) else did_you_mean(text, WEEKDAY_NAMES)
    raise problem("E212", value=_shown(value), suggestion=guess)


_YES = {"yes", "y", "true", "on", "是", "对", "要", "1"}
_NO = {"no", "n", "false", "off", "否", "不", "不要", "0"}


def parse_yes_no(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = value.strip().lower() if isinstance(value, str) else ""
    if text in _YES:
        return True
    if text in _NO:
        return False
    raise problem("E213", value=_shown(value))


def parse_slug(value: Any) -> str:
    if not isinstance(value, str) or not _SLUG.match(value.strip()):
        raise problem("E218", value=_shown(value))
    return value.strip()


def parse_text(value: Any) -> str:
    if value is None:
        raise problem("E202")
    if not isinstance(value, str):
        raise problem("E217")
    text = value.strip()
    if not text:
        raise problem("E202")
    return text


def parse_markdown(value: Any) -> str:
    """A text field rendered as Markdown: a text, and one that renders in bounded time
    (E706–E709, checked here so the problem has the field's position)."""
    text = parse_text(value)
    limit = check_markdown(text)
    if limit is not None:
        raise problem(limit.code, **limit.params)
    return text


def did_you_mean(word: str, choices: list[str] | tuple[str, ...]) -> dict[str, str]:
    """Both languages' "did you mean" sentence, or empty strings when nothing is close."""
    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.5)
    if not close:
        return {"zh": "", "en": ""}
    return {"zh": f"是不是想写“{close[0]}”？", "en": f"Did you mean '{close[0]}'? "}


def _shown(value: Any) -> str:
    if isinstance(value, dict):
        return "{…}"
    if isinstance(value, list):
        return "[…]"
    return "" if value is None else str(value).strip()


def _schema(**schema: Any) -> WithJsonSchema:
    return WithJsonSchema(schema)


@dataclass(frozen=True)
class LazySchema:
    """What the editor is told of a value, made when the JSON Schema is written
    (`tools.json_schema`), not when the model is imported: a schema that includes a
    model's own costs building that model's (a build never writes one)."""

    make: Callable[[], dict[str, Any]]

    def __get_pydantic_json_schema__(self, core_schema: Any, handler: Any) -> dict[str, Any]:
        return self.make()


# --- what the editor is told: the parsers above, as JSON Schema patterns ----------------
# The schemas (generator/tools/json_schema.py) are built from these annotations, so each
# pattern sits next to the parser it mirrors; tests/test_editor_agreement.py compares the
# two on many strings. A YAML-aware editor reads `2026`, `101` or `true` as a number or a
# boolean where our reader keeps the text, so the types a field accepts say that too.

_SPACE = r"\s*"


def _alternatives(words: list[str]) -> str:
    return "(?:" + "|".join(words) + ")"


def _years() -> str:
    """FIRST_YEAR … LAST_YEAR (1900 … 2200), four digits."""
    assert (FIRST_YEAR, LAST_YEAR) == (1900, 2200)  # the pattern below is written for these
    return r"(?:19\d\d|2[01]\d\d|2200)"


def _leap_years() -> str:
    """The leap years from 1900 to 2200: every fourth, but not 1900, 2100 or 2200."""
    in_century = r"(?:0[48]|[2468][048]|[13579][26])"
    return rf"(?:19{in_century}|20(?:[02468][048]|[13579][26])|21{in_century})"


def _number(low: int, high: int) -> str:
    """One of low … high in one or two digits, as `(\\d{1,2})` and int() read it (07 is 7)."""
    return _alternatives([str(n) if n > 9 else f"0?{n}" for n in range(high, low - 1, -1)])


def date_pattern() -> str:
    """The days parse_date accepts: 2026-03-02, 2026/3/2, 2026.3.2, 2026年3月2日, each
    day checked against its month (30 February is no day, 29 February only in leap years)."""
    first, second = rf"{_SPACE}[-/.年]{_SPACE}", rf"{_SPACE}[-/.月]{_SPACE}"
    end = rf"{_SPACE}日?{_SPACE}"
    long_months = _alternatives(["12", "10", "0?8", "0?7", "0?5", "0?3", "0?1"])
    short_months = _alternatives(["11", "0?9", "0?6", "0?4"])
    ways = [
        rf"{_years()}{first}{long_months}{second}{_number(1, 31)}",
        rf"{_years()}{first}{short_months}{second}{_number(1, 30)}",
        rf"{_years()}{first}0?2{second}{_number(1, 28)}",
        rf"{_leap_years()}{first}0?2{second}29",
    ]
    return rf"^{_SPACE}{_alternatives(ways)}{end}$"


def month_pattern() -> str:
    """The months parse_month accepts: 2026-03, 2026/3, 2026.03, 2026年3月."""
    return rf"^{_SPACE}{_years()}{_SPACE}[-/.年]{_SPACE}{_number(1, 12)}{_SPACE}月?{_SPACE}$"


def time_pattern() -> str:
    """A time or a time range parse_time_range accepts: 0:00 … 23:59 (24:00 is E610);
    that a range ends after it starts is checked by the checker only."""
    one = rf"{_number(0, 23)}{_SPACE}[:：]{_SPACE}[0-5]\d"
    return rf"^{_SPACE}{one}(?:{_SPACE}[-–—~～至到]+{_SPACE}{one})?{_SPACE}$"


def words_pattern(words: list[str] | set[str] | tuple[str, ...]) -> str:
    """Any of `words`, in any case, with spaces around: what `.strip().lower()` finds."""
    spelled = [
        "".join(f"[{c.upper()}{c}]" if c.isascii() and c.isalpha() else re.escape(c) for c in word)
        for word in sorted(words, key=lambda w: (-len(w), w))
    ]
    return rf"^{_SPACE}{_alternatives(spelled)}{_SPACE}$"


def words_schema(
    offered: list[str], accepted: list[str] | set[str] | tuple[str, ...], description: str
) -> dict[str, Any]:
    """A choice of a few words: the editor offers `offered` (its completions) and accepts
    every spelling in `accepted`, in any case, as the parser does."""
    # the pattern leaves out the offered words as written, so that one alternative matches
    exact = "|".join(re.escape(w) for w in offered)
    other_spellings = words_pattern(accepted).replace("^", f"^(?!(?:{exact})$)", 1)
    return {
        "type": "string",
        "anyOf": [{"enum": offered}, {"pattern": other_spellings}],
        "description": description,
    }


# Text as our reader keeps it: `title: 2026` or `phone: 13800000001` is the text typed,
# while the editor sees a number (`true` a boolean); only an empty text is refused (E202).
TEXT_SCHEMA: dict[str, Any] = {"type": ["string", "number", "boolean"], "pattern": r"\S"}

_STR = PlainSerializer(str, return_type=str)

Date = Annotated[
    date,
    BeforeValidator(parse_date),
    PlainSerializer(date.isoformat),
    _schema(
        type="string",
        pattern=date_pattern(),
        description="日期，例如 2026-03-02、2026/3/2 或 2026年3月2日",
    ),
]
MonthValue = Annotated[
    Month,
    BeforeValidator(parse_month),
    _STR,
    _schema(
        # `month: 2026.03` is a number to the editor and the text 2026.03 to our reader
        anyOf=[
            {"type": "string", "pattern": month_pattern()},
            {"type": "number", "minimum": FIRST_YEAR + 0.01, "maximum": LAST_YEAR + 0.12},
        ],
        description="月份，例如 2026-03、2026.03 或 2026年3月",
    ),
]
Time = Annotated[
    TimeRange,
    BeforeValidator(parse_time_range),
    _STR,
    _schema(type="string", pattern=time_pattern(), description="时间 12:30 或时间段 12:20-12:50"),
]
Weekday = Annotated[
    int,
    BeforeValidator(parse_weekday),
    PlainSerializer(lambda i: WEEKDAY_NAMES[i], return_type=str),
    # the editor offers 周一 … 周日; every other spelling is accepted too
    _schema(**words_schema(WEEKDAY_NAMES, list(_WEEKDAY_WORDS), "星期几，例如 周三")),
]
YesNo = Annotated[
    bool,
    BeforeValidator(parse_yes_no),
    _schema(
        # `true` is a boolean to the editor, `1` a number, `是` and `yes` text
        anyOf=[
            {"type": "boolean"},
            {"type": "integer", "enum": [0, 1]},
            {"type": "string", "enum": ["是", "否"]},
            {
                "type": "string",
                "pattern": words_pattern(_YES | _NO).replace("^", "^(?!是$|否$)", 1),
            },
        ],
        description="是 / 否",
    ),
]
Slug = Annotated[
    str,
    BeforeValidator(parse_slug),
    _schema(
        # `id: 2026` is a number to the editor, the id "2026" to the checker
        anyOf=[
            {"type": "string", "pattern": rf"^{_SPACE}[a-z0-9][a-z0-9-]*{_SPACE}$"},
            {"type": "integer", "minimum": 0},
        ],
        description="编号：小写英文字母、数字和连字符",
    ),
]
Text = Annotated[str, BeforeValidator(parse_text), _schema(**TEXT_SCHEMA)]
MarkdownText = Annotated[str, BeforeValidator(parse_markdown), _schema(**TEXT_SCHEMA)]


# --- classes, grades, several owners, several weeks or months -------------------------------
_FULL_WIDTH = str.maketrans({"（": "(", "）": ")"})
_CLASS = re.compile(r"^(.+?)\((\d+)\)班$")


def class_name(value: Any) -> str:
    """A class as the site writes it: 三（1）班 typed with a Chinese keyboard's brackets is
    三(1)班, so the class list, the events and the rosters name one class alike."""
    return parse_text(value).translate(_FULL_WIDTH).replace(" ", "")


def grade_of(name: str) -> str | None:
    """三(1)班 → 三年级: the grade a class of the usual pattern belongs to, else None."""
    match = _CLASS.match(name)
    return f"{match.group(1)}年级" if match else None


class Names(tuple[str, ...]):
    """One name or several (`owner: [刘静, 储霞]`), shown joined with 、 as the plans write them."""

    def __str__(self) -> str:
        return "、".join(self)


def parse_names(value: Any) -> Names:
    if isinstance(value, Names):
        return value
    items = value if isinstance(value, list | tuple) else [value]
    names = [parse_text(v) for v in items]
    if not names:
        raise problem("E202")
    return Names(dict.fromkeys(names))


_WEEK_RANGE = re.compile(r"^\s*(\d{1,2})\s*(?:[-–—~～至到]\s*(\d{1,2}))?\s*$")


def parse_weeks(value: Any) -> tuple[int, ...]:
    """`weeks: 1-2`, `weeks: [1, 2]` or `weeks: 3`: the teaching weeks, sorted, each once."""
    if isinstance(value, bool):
        raise problem("E210", value=str(value))
    if isinstance(value, int):
        found = [value]
    elif isinstance(value, str) and (match := _WEEK_RANGE.match(value)):
        first, last = int(match.group(1)), int(match.group(2) or match.group(1))
        if last < first:
            raise problem("E215", start=str(first), end=str(last))
        found = list(range(first, last + 1))
    elif isinstance(value, list) and value:
        found = []
        for item in value:
            if isinstance(item, bool) or not isinstance(item, int | str):
                raise problem("E210", value=_shown(item))
            if isinstance(item, str) and not item.strip().isdigit():
                raise problem("E210", value=item.strip())
            found.append(int(item))
    else:
        raise problem("E210", value=_shown(value))
    for week in found:
        if not 1 <= week <= 30:
            raise problem("E216", detail={"zh": "应在 1 到 30 之间", "en": "between 1 and 30"})
    return tuple(sorted(set(found)))


def parse_months(value: Any) -> tuple[Month, Month]:
    """`months: [2026-03, 2026-05]`: from the first month to the last, each month between
    (a list of every month, or one month, means the same)."""
    items = value if isinstance(value, list) else [value]
    if not items:
        raise problem("E202")
    months = [parse_month(v) for v in items]
    if months[-1] < months[0]:
        raise problem("E215", start=str(months[0]), end=str(months[-1]))
    return min(months), max(months)


ClassName = Annotated[
    str,
    BeforeValidator(class_name),
    _schema(**TEXT_SCHEMA, description="班级，例如 三(1)班"),
]
NameList = Annotated[
    tuple[str, ...],
    BeforeValidator(parse_names),
    AfterValidator(Names),
    PlainSerializer(lambda n: list(n), return_type=list[str]),
    _schema(
        anyOf=[
            TEXT_SCHEMA,
            {"type": "array", "items": TEXT_SCHEMA, "minItems": 1},
        ],
        description="一个人，或几个人的列表，例如 [刘静, 储霞]",
    ),
]
WeekList = Annotated[
    tuple[int, ...],
    BeforeValidator(parse_weeks),
    PlainSerializer(lambda w: list(w), return_type=list[int]),
    _schema(
        anyOf=[
            {"type": "integer", "minimum": 1, "maximum": 30},
            {"type": "string", "pattern": r"^\s*\d{1,2}\s*[-–—~～至到]\s*\d{1,2}\s*$"},
            {"type": "array", "items": {"type": "integer", "minimum": 1, "maximum": 30}},
        ],
        description="几个教学周：1-2 或 [1, 2]",
    ),
]
MonthSpan = Annotated[
    tuple[Month, Month],
    BeforeValidator(parse_months),
    PlainSerializer(lambda m: [str(m[0]), str(m[1])], return_type=list[str]),
    _schema(
        type="array",
        items={
            "anyOf": [
                {"type": "string", "pattern": month_pattern()},
                {"type": "number", "minimum": FIRST_YEAR + 0.01, "maximum": LAST_YEAR + 0.12},
            ]
        },
        minItems=1,
        description="从第一个月到最后一个月，每月都是本月工作，例如 [2026-03, 2026-05]",
    ),
]
