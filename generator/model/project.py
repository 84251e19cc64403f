"""content/projects/<id>.yaml: a project that runs for months in phases (少儿阅览室建设)."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BeforeValidator, Field, model_validator

from generator.model.base import N_, Frozen, _one_when, _ordered, choice
from generator.model.categories import CategoryKey
from generator.model.values import (
    Date,
    MarkdownText,
    Month,
    MonthSpan,
    MonthValue,
    NameList,
    Text,
    YesNo,
    _schema,
    words_schema,
)

STATUSES: dict[str, str] = {
    "planned": N_("计划中"),
    "in_progress": N_("进行中"),
    "done": N_("已完成"),
}
_STATUS_WORDS = {
    "计划中": "planned",
    "进行中": "in_progress",
    "已完成": "done",
    "planned": "planned",
    "in progress": "in_progress",
    "done": "done",
}
Status = Annotated[
    str,
    BeforeValidator(choice(_STATUS_WORDS)),
    _schema(**words_schema(["计划中", "进行中", "已完成"], set(_STATUS_WORDS), "状态")),
]


class Phase(Frozen):
    """One phase: on a day, over days, in a month or over months; only a phase with
    `calendar: 是` (and a date) becomes a calendar item."""

    title: Text = Field(description="阶段名称，例如 地面改造")
    date: Date | None = Field(None, description="日期（只有一天）")
    from_: Date | None = Field(None, alias="from", description="开始日期（跨几天时）")
    to: Date | None = Field(None, description="结束日期（跨几天时）")
    month: MonthValue | None = Field(None, description="月份（不定日期），例如 2026-05")
    months: MonthSpan | None = Field(None, description="从哪个月到哪个月，例如 [2026-03, 2026-05]")
    status: Status = Field("planned", description="状态：计划中 / 进行中 / 已完成")
    owner: NameList | None = Field(None, description="负责人（不写就是项目的负责人）")
    calendar: YesNo = Field(False, description="写 是 则这一阶段进校历（要写日期）")
    category: CategoryKey = Field("activity", description="进校历时的类别")
    location: Text | None = Field(None, description="地点")
    description: MarkdownText | None = Field(None, description="说明（可以用 Markdown）")

    @model_validator(mode="before")
    @classmethod
    def _when(cls, data: Any) -> Any:
        if isinstance(data, dict):
            _one_when(
                data,
                str(data.get("title") or ""),
                ("date", "from", "to", "month", "months"),
            )
        return data

    @model_validator(mode="after")
    def _order(self) -> Phase:
        _ordered(self.from_, self.to)
        return self

    @property
    def start(self) -> Any:
        return self.date or self.from_

    @property
    def end(self) -> Any:
        return self.date or self.to

    @property
    def month_span(self) -> tuple[Month, Month]:
        """The first and last month the phase runs in."""
        if self.month is not None:
            return (self.month, self.month)
        if self.months is not None:
            return self.months
        return (Month.of(self.start), Month.of(self.end))

    @property
    def status_name(self) -> str:
        return STATUSES[self.status]


class Note(Frozen):
    """A dated progress note: what was done, what was decided."""

    date: Date = Field(description="日期")
    text: MarkdownText = Field(description="进展（可以用 Markdown）")


class Project(Frozen):
    """content/projects/<id>.yaml."""

    name: Text = Field(description="项目名称，例如 少儿阅览室建设")
    owner: NameList | None = Field(None, description="负责人")
    summary: MarkdownText | None = Field(None, description="简介（可以用 Markdown）")
    phases: list[Phase] = Field(default_factory=list, description="各个阶段")
    notes: list[Note] = Field(default_factory=list, description="进展记录")

    @property
    def status(self) -> str:
        """The project's state from its phases: done when all are, planned when none has
        started, else in progress."""
        states = {p.status for p in self.phases}
        if states and states == {"done"}:
            return "done"
        if not states or states == {"planned"}:
            return "planned"
        return "in_progress"

    @property
    def status_name(self) -> str:
        return STATUSES[self.status]
