"""One term's plan: events.yaml (the current term) and content/terms/<id>.yaml."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import Field, model_validator

from generator.model.base import Frozen, _one_when, _ordered
from generator.model.categories import CategoryKey
from generator.model.values import (
    Date,
    MarkdownText,
    MonthValue,
    Slug,
    Text,
    Time,
    Weekday,
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


class MakeupDay(Frozen):
    """调休: a weekend day that is worked, following another weekday's timetable."""

    date: Date = Field(description="调休上班的日期（周六或周日）")
    follows: Weekday = Field(description="这一天按星期几的课表上课，例如 周一")
    name: Text | None = Field(None, description="说明，例如 春节调休")


class _EventFields(Frozen):
    title: Text = Field(description="活动名称")
    time: Time | None = Field(None, description="时间 12:30 或时间段 12:20-12:50")
    category: CategoryKey = Field("activity", description="类别")
    owner: Text | None = Field(None, description="负责人")
    location: Text | None = Field(None, description="地点")
    audience: Text | None = Field(None, description="对象，例如 三年级 或 全校")
    description: MarkdownText | None = Field(None, description="说明（可以用 Markdown）")
    festival: Slug | None = Field(None, description="所属读书节的编号")
    roster: Slug | None = Field(None, description="相关名单的编号")
    display: Slug | None = Field(None, description="相关主题展示的编号")

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
    month: MonthValue | None = Field(None, description="月份（本月工作，不定日期）")

    @model_validator(mode="before")
    @classmethod
    def _when(cls, data: Any) -> Any:
        if isinstance(data, dict):
            _one_when(data, str(data.get("title") or ""), ("date", "from", "to", "week", "month"))
        return data

    @model_validator(mode="after")
    def _order(self) -> Event:
        _ordered(self.from_, self.to)
        return self

    @property
    def span(self) -> tuple[dt.date, dt.date] | None:
        """First and last day of a dated event; None for week- and month-only items."""
        start, end = self.date or self.from_, self.date or self.to
        return (start, end) if start and end else None


class RecurringEvent(_EventFields):
    """The same item every week on given weekdays, skipping closures, honouring 调休."""

    weekdays: list[Weekday] = Field(min_length=1, description="每周的星期几，例如 [周三]")
    from_: Date = Field(alias="from", description="第一次的日期（或更早）")
    to: Date = Field(description="最后一次的日期（或更晚）")

    @model_validator(mode="after")
    def _order(self) -> RecurringEvent:
        _ordered(self.from_, self.to)
        return self


class TermPlan(Frozen):
    """events.yaml (the current term) and content/terms/<id>.yaml (earlier terms)."""

    term: Term = Field(description="学期")
    closures: list[Closure] = Field(default_factory=list, description="放假和闭馆的日子")
    makeup_days: list[MakeupDay] = Field(default_factory=list, description="调休上班日")
    events: list[Event] = Field(default_factory=list, description="活动和工作安排")
    recurring: list[RecurringEvent] = Field(default_factory=list, description="每周重复的活动")
