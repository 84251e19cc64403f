"""One term's plan: events.yaml (the current term) and content/terms/<id>.yaml."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from pydantic import BeforeValidator, Field, model_validator

from generator.model.base import Frozen, _one_when, _ordered, choice
from generator.model.categories import CategoryKey
from generator.model.values import (
    ClassName,
    Date,
    MarkdownText,
    Month,
    MonthSpan,
    MonthValue,
    NameList,
    Slug,
    Text,
    Time,
    Weekday,
    WeekList,
    _schema,
    problem,
)

# The longest term accepted: a school year's term is about 140 days, a whole year 366; more
# is a typo in a year, and every day of a term is work for the calendar.
MAX_TERM_DAYS = 400


class Term(Frozen):
    id: Slug = Field(description="学期编号，用于网址，例如 2025-2026-2")
    name: Text = Field(description="学期名称，例如 2025学年第二学期")
    first_day: Date = Field(description="学期第一天（第1周所在的那一周）")
    last_day: Date = Field(description="学期最后一天")
    goals: MarkdownText | None = Field(
        None, description="工作目标：一小段话，印在本学期工作计划的开头（一、工作目标）"
    )

    @model_validator(mode="after")
    def _order(self) -> Term:
        _ordered(self.first_day, self.last_day, at="last_day")
        days = (self.last_day - self.first_day).days + 1
        if days > MAX_TERM_DAYS:  # a year's typo: the calendar would do a page a week for it
            raise problem("E705", days=days, limit=MAX_TERM_DAYS, at="last_day")
        return self


class Closure(Frozen):
    """A holiday or a day the library is shut."""

    name: Text = Field(description="名称，例如 清明节")
    date: Date | None = Field(None, description="只有一天时写这一天")
    from_: Date | None = Field(None, alias="from", description="第一天")
    to: Date | None = Field(None, description="最后一天")

    @model_validator(mode="before")
    @classmethod
    def _when(cls, data: Any) -> Any:
        if isinstance(data, dict):
            _one_when(data, str(data.get("name") or ""), ("date", "from", "to"))
        return data

    @model_validator(mode="after")
    def _order(self) -> Closure:
        _ordered(self.from_, self.to)
        return self

    @property
    def start(self) -> dt.date:
        return self.date or self.from_  # type: ignore[return-value]

    @property
    def end(self) -> dt.date:
        return self.date or self.to  # type: ignore[return-value]


class Vacation(Frozen):
    """寒假/暑假 after the term: no teaching weeks, but the library's programme may run."""

    name: Text = Field(description="名称，例如 暑假")
    from_: Date = Field(alias="from", description="第一天")
    to: Date = Field(description="最后一天")

    @model_validator(mode="after")
    def _order(self) -> Vacation:
        _ordered(self.from_, self.to)
        return self

    def contains(self, day: dt.date) -> bool:
        return self.from_ <= day <= self.to


class MakeupDay(Frozen):
    """调休: a weekend day that is worked, following another weekday's timetable."""

    date: Date = Field(description="调休上班的日期（周六或周日）")
    follows: Weekday = Field(description="这一天按星期几的课表上课，例如 周一")
    name: Text | None = Field(None, description="说明，例如 春节调休")


# the ways of saying when an `events` item happens (exactly one of them, or from + to)
WHEN_KEYS = ("date", "from", "to", "week", "weeks", "month", "months")

_EVERY = {
    "week": "week",
    "weekly": "week",
    "每周": "week",
    "month": "month",
    "monthly": "month",
    "每月": "month",
}


class _EventFields(Frozen):
    title: Text = Field(description="活动名称")
    time: Time | None = Field(None, description="时间 12:30 或时间段 12:20-12:50")
    category: CategoryKey = Field("activity", description="类别")
    owner: NameList | None = Field(None, description="负责人：一个人，或 [刘静, 储霞]")
    location: Text | None = Field(None, description="地点")
    audience: Text | None = Field(None, description="对象，例如 三年级 或 全校")
    description: MarkdownText | None = Field(None, description="说明（可以用 Markdown）")
    festival: Slug | None = Field(None, description="所属读书节的编号")
    roster: Slug | None = Field(None, description="相关名单的编号")
    display: Slug | None = Field(None, description="相关主题展示的编号")
    classes: list[ClassName] = Field(
        default_factory=list, description="只给这些班级，例如 [三(1)班, 三(2)班]"
    )
    grades: list[ClassName] = Field(default_factory=list, description="只给这些年级，例如 [三年级]")
    id: Slug | None = Field(
        None, description="订阅日历里的固定编号：写了以后改标题、改日期，手机日历里仍是同一项"
    )

    @property
    def links(self) -> list[tuple[str, str]]:
        return [
            (kind, getattr(self, kind))
            for kind in ("festival", "roster", "display")
            if getattr(self, kind)
        ]


class Event(_EventFields):
    """One item of the plan: on a day, over days, in a teaching week, or sometime in a month."""

    date: Date | None = Field(None, description="日期（只有一天）")
    from_: Date | None = Field(None, alias="from", description="开始日期（跨几天时）")
    to: Date | None = Field(None, description="结束日期（跨几天时）")
    week: int | None = Field(None, ge=1, le=30, description="第几周（整周的工作）")
    weeks: WeekList | None = Field(None, description="几个教学周（整周的工作），例如 1-2 或 [1, 2]")
    month: MonthValue | None = Field(None, description="月份（本月工作，不定日期）")
    months: MonthSpan | None = Field(
        None, description="从哪个月到哪个月，每月都是本月工作，例如 [2026-03, 2026-05]"
    )
    no: int | None = Field(
        None, ge=1, le=99, description="本月工作的序号（不写就按文件里的顺序 1、2、3…）"
    )

    @model_validator(mode="before")
    @classmethod
    def _when(cls, data: Any) -> Any:
        if isinstance(data, dict):
            _one_when(data, str(data.get("title") or ""), WHEN_KEYS)
        return data

    @model_validator(mode="after")
    def _order(self) -> Event:
        _ordered(self.from_, self.to)
        if self.no is not None and self.month is None and self.months is None:
            raise problem("E336", title=self.title, at="no")
        return self

    @property
    def teaching_weeks(self) -> tuple[int, ...]:
        """The teaching weeks of a whole-week item (`week` or `weeks`), else none."""
        if self.week is not None:
            return (self.week,)
        return self.weeks or ()

    @property
    def month_span(self) -> tuple[Month, Month] | None:
        """The first and last month of a 本月工作 item (`month` or `months`), else None."""
        if self.month is not None:
            return (self.month, self.month)
        return self.months

    @property
    def span(self) -> tuple[dt.date, dt.date] | None:
        """First and last day of a dated event; None for week- and month-only items."""
        start, end = self.date or self.from_, self.date or self.to
        return (start, end) if start and end else None


Every = Annotated[
    str,
    BeforeValidator(choice(_EVERY)),
    _schema(type="string", enum=sorted(_EVERY), description="week 每周（默认）或 month 每月"),
]


class RecurringEvent(_EventFields):
    """The same item every week on given weekdays, or every month on a day or on the nth
    weekday; closures skipped, 调休 honoured (weekly)."""

    every: Every = Field("week", description="week 每周（默认）或 month 每月")
    weekdays: list[Weekday] | None = Field(
        None, min_length=1, description="每周的星期几，例如 [周三]（每周重复时）"
    )
    weekday: Weekday | None = Field(None, description="每月的星期几（每月重复时，和 nth 一起写）")
    # the bounds for the editor only: a wrong nth is E335, which says what the rule needs
    nth: Annotated[int, _schema(type="integer", minimum=-1, maximum=4)] | None = Field(
        None, description="每月第几个星期几：1 到 4，-1 是最后一个（每月重复时）"
    )
    day: int | None = Field(None, ge=1, le=31, description="每月几号：1 到 31（每月重复时）")
    from_: Date = Field(alias="from", description="第一次的日期（或更早）")
    to: Date = Field(description="最后一次的日期（或更晚）")

    @model_validator(mode="after")
    def _order(self) -> RecurringEvent:
        _ordered(self.from_, self.to)
        if self.every == "week":
            if not self.weekdays or any(v is not None for v in (self.weekday, self.nth, self.day)):
                raise problem("E335", title=self.title, rule=_RULES["week"], at=_first_wrong(self))
        else:
            by_weekday = (
                self.weekday is not None and self.nth in (1, 2, 3, 4, -1) and self.day is None
            )
            by_day = self.day is not None and self.weekday is None and self.nth is None
            if self.weekdays or by_weekday == by_day:
                raise problem("E335", title=self.title, rule=_RULES["month"], at=_first_wrong(self))
        return self

    @property
    def monthly(self) -> bool:
        return self.every == "month"


_RULES = {
    "week": {"zh": "每周重复写 weekdays（例如 [周三]）", "en": "a weekly rule takes weekdays"},
    "month": {
        "zh": "每月重复写 weekday 和 nth（例如 周五 和 -1 = 最后一个周五），或只写 day（几号）",
        "en": "a monthly rule takes weekday with nth (e.g. 周五 and -1, the last Friday), "
        "or day alone",
    },
}


def _first_wrong(rule: RecurringEvent) -> str:
    """Where E335 points: the key that does not fit the rule, else `every`."""
    if rule.every == "week":
        for key in ("weekday", "nth", "day"):
            if getattr(rule, key) is not None:
                return key
        return "every"
    if rule.weekdays:
        return "weekdays"
    if rule.nth is not None and rule.nth not in (1, 2, 3, 4, -1):
        return "nth"
    if rule.day is not None and (rule.weekday is not None or rule.nth is not None):
        return "day"
    return "every"


class TermPlan(Frozen):
    """events.yaml (the current term) and content/terms/<id>.yaml (earlier terms)."""

    term: Term = Field(description="学期")
    closures: list[Closure] = Field(default_factory=list, description="放假和闭馆的日子")
    makeup_days: list[MakeupDay] = Field(default_factory=list, description="调休上班日")
    vacations: list[Vacation] = Field(
        default_factory=list,
        description="学期后的寒暑假：没有教学周，但图书馆的活动照常写在 events 里",
    )
    events: list[Event] = Field(default_factory=list, description="活动和工作安排")
    recurring: list[RecurringEvent] = Field(
        default_factory=list, description="每周或每月重复的活动"
    )

    @property
    def last_covered(self) -> dt.date:
        """The term's last day, or its last vacation's."""
        return max((self.term.last_day, *(v.to for v in self.vacations)))

    def vacation_at(self, day: dt.date) -> Vacation | None:
        return next((v for v in self.vacations if v.contains(day)), None)

    def covers(self, day: dt.date) -> bool:
        """Whether an item on `day` belongs to this file: in the term or in its vacations."""
        term = self.term
        return term.first_day <= day <= term.last_day or self.vacation_at(day) is not None
