"""content/festivals/<id>.yaml: a reading festival (读书节) and its stages."""

from __future__ import annotations

from typing import Any

from pydantic import Field, model_validator

from generator.model.base import Frozen, _one_when, _ordered
from generator.model.values import Date, MarkdownText, Text, Time


class _Dated(Frozen):
    """Something on a day (`date`) or over days (`from` + `to`)."""

    date: Date | None = Field(None, description="日期（只有一天）")
    from_: Date | None = Field(None, alias="from", description="开始日期（跨几天时）")
    to: Date | None = Field(None, description="结束日期（跨几天时）")

    @model_validator(mode="before")
    @classmethod
    def _when(cls, data: Any) -> Any:
        if isinstance(data, dict):
            _one_when(
                data, str(data.get("title") or data.get("name") or ""), ("date", "from", "to")
            )
        return data

    @model_validator(mode="after")
    def _order(self) -> _Dated:
        _ordered(self.from_, self.to)
        return self

    @property
    def start(self) -> Any:
        return self.date or self.from_

    @property
    def end(self) -> Any:
        return self.date or self.to


class Stage(_Dated):
    """One stage of a festival: it becomes a calendar item linked to the festival."""

    title: Text = Field(description="环节名称，例如 启动仪式")
    time: Time | None = Field(None, description="时间 12:30 或时间段 12:20-12:50")
    audience: Text | None = Field(None, description="对象")
    location: Text | None = Field(None, description="地点")
    owner: Text | None = Field(None, description="负责人")
    description: MarkdownText | None = Field(None, description="说明（可以用 Markdown）")


class Award(Frozen):
    title: Text = Field(description="奖项，例如 班级一等奖")
    winners: list[Text] = Field(default_factory=list, description="获奖班级或同学")
    description: MarkdownText | None = Field(None, description="说明（可以用 Markdown）")


class Festival(Frozen):
    """content/festivals/<id>.yaml."""

    name: Text = Field(description="读书节名称")
    theme: Text | None = Field(None, description="主题，例如 科技")
    from_: Date = Field(alias="from", description="开始日期")
    to: Date = Field(description="结束日期")
    organisers: list[Text] = Field(default_factory=list, description="主办和合作，例如 大队部")
    summary: MarkdownText | None = Field(None, description="简介（可以用 Markdown）")
    stages: list[Stage] = Field(default_factory=list, description="各项活动")
    results: list[Award] = Field(default_factory=list, description="结果与获奖")

    @model_validator(mode="after")
    def _order(self) -> Festival:
        _ordered(self.from_, self.to)
        return self
