"""The front matter of pages and news (content/pages/*.md, content/news/*.md)."""

from __future__ import annotations

from pydantic import Field

from generator.model.base import Frozen
from generator.model.values import Date, Text


class PageMeta(Frozen):
    """The front matter of content/pages/*.md."""

    title: Text = Field(description="标题")
    date: Date | None = Field(None, description="更新日期")
    tags: list[Text] = Field(default_factory=list, description="标签")
    summary: Text | None = Field(None, description="摘要")


class NewsMeta(Frozen):
    """The front matter of content/news/*.md."""

    title: Text = Field(description="标题")
    date: Date = Field(description="日期")
    tags: list[Text] = Field(default_factory=list, description="标签")
    summary: Text | None = Field(None, description="摘要")
