"""The content types around the calendar: festivals, rosters, themed displays, pages, news.

One schema per file type, sharing the value types of `values` and the frozen base of `model`.
Field descriptions are Chinese, as in `model`, for the JSON Schema a teacher's editor shows.
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Field, model_validator

from generator.i18n import N_
from generator.model import CategoryKey, Frozen, _one_when, _ordered, choice
from generator.values import (
    Date,
    MonthValue,
    Text,
    Time,
    Weekday,
    YesNo,
    _schema,
    problem,
)

_ISBN_CHARS = re.compile(r"^[0-9Xx\- ]+$")


def isbn_digits(value: str) -> str:
    """The ISBN without hyphens or spaces, if its check digit is right; else a problem."""
    shown = value.strip()
    digits = re.sub(r"[- ]", "", shown).upper()
    if not _ISBN_CHARS.match(shown) or len(digits) not in (10, 13) or "X" in digits[:-1]:
        raise problem(
            "E404",
            value=shown,
            detail={"zh": "应是 10 位或 13 位数字", "en": "it needs 10 or 13 digits"},
        )
    if len(digits) == 13:
        if "X" in digits:
            raise problem(
                "E404", value=shown, detail={"zh": "13 位 ISBN 不能有 X", "en": "ISBN-13 has no X"}
            )
        total = sum(int(d) * (1 if i % 2 == 0 else 3) for i, d in enumerate(digits[:12]))
        check = str((10 - total % 10) % 10)
    else:
        total = sum(int(d) * (10 - i) for i, d in enumerate(digits[:9]))
        remainder = (11 - total % 11) % 11
        check = "X" if remainder == 10 else str(remainder)
    if digits[-1] != check:
        raise problem(
            "E404",
            value=shown,
            detail={
                "zh": f"校验位应是 {check}，不是 {digits[-1]}",
                "en": f"the check digit should be {check}, not {digits[-1]}",
            },
        )
    return digits


def _parse_isbn(value: Any) -> str:
    if not isinstance(value, str):
        raise problem(
            "E404",
            value="" if value is None else str(value),
            detail={"zh": "应是 10 位或 13 位数字", "en": "it needs 10 or 13 digits"},
        )
    isbn_digits(value)
    return value.strip()


Isbn = Annotated[
    str,
    BeforeValidator(_parse_isbn),
    _schema(type="string", description="ISBN（10 位或 13 位，可带连字符）"),
]


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


# --- festivals ---------------------------------------------------------------------------


class Stage(_Dated):
    """One stage of a festival: it becomes a calendar item linked to the festival."""

    title: Text = Field(description="环节名称，例如 启动仪式")
    time: Time | None = Field(None, description="时间 12:30 或时间段 12:20-12:50")
    audience: Text | None = Field(None, description="对象")
    location: Text | None = Field(None, description="地点")
    owner: Text | None = Field(None, description="负责人")
    description: Text | None = Field(None, description="说明（可以用 Markdown）")


class Award(Frozen):
    title: Text = Field(description="奖项，例如 班级一等奖")
    winners: list[Text] = Field(default_factory=list, description="获奖班级或同学")
    description: Text | None = Field(None, description="说明（可以用 Markdown）")


class Festival(Frozen):
    """content/festivals/<id>.yaml."""

    name: Text = Field(description="读书节名称")
    theme: Text | None = Field(None, description="主题，例如 科技")
    from_: Date = Field(alias="from", description="开始日期")
    to: Date = Field(description="结束日期")
    organisers: list[Text] = Field(default_factory=list, description="主办和合作，例如 大队部")
    summary: Text | None = Field(None, description="简介（可以用 Markdown）")
    stages: list[Stage] = Field(default_factory=list, description="各项活动")
    results: list[Award] = Field(default_factory=list, description="结果与获奖")

    @model_validator(mode="after")
    def _order(self) -> Festival:
        _ordered(self.from_, self.to)
        return self


# --- rosters -----------------------------------------------------------------------------

RosterKind = Literal["story_parents", "storytellers", "librarians", "volunteers", "class_visits"]
ROSTER_KINDS: dict[str, str] = {
    "story_parents": N_("故事爸妈团"),
    "storytellers": N_("故事哥哥姐姐"),
    "librarians": N_("小管"),
    "volunteers": N_("家长义工"),
    "class_visits": N_("阅读课"),
}


_GENDERS = {"女": "女", "男": "男", "f": "女", "m": "男", "female": "女", "male": "男"}
Gender = Annotated[
    str,
    BeforeValidator(choice(_GENDERS)),
    _schema(type="string", enum=sorted(_GENDERS), description="性别：女 或 男"),
]


class Person(Frozen):
    name: Text = Field(description="姓名")
    class_: Text | None = Field(None, alias="class", description="班级（学生或孩子所在班）")
    role: Text | None = Field(None, description="身份，例如 一(2)班家长")
    phone: Text | None = Field(None, description="联系电话（不会公开显示）")
    public: YesNo = Field(True, description="写 否 则名字不在网站上显示")
    gender: Gender | None = Field(None, description="性别：女 或 男（只用于公开版的称呼）")


class Session(Frozen):
    """One booked session: a story read to a class, a shift, a storytelling."""

    date: Date = Field(description="日期")
    time: Time | None = Field(None, description="时间段，例如 8:10-8:30")
    class_: Text | None = Field(None, alias="class", description="班级，例如 一(1)班")
    person: Text | None = Field(None, description="谁来讲 / 谁值班")
    title: Text | None = Field(None, description="故事或活动名称")
    theme: Text | None = Field(None, description="主题")
    location: Text | None = Field(None, description="地点")


class MonthTheme(Frozen):
    month: MonthValue = Field(description="月份，例如 2026-04")
    theme: Text = Field(description="这个月的主题")


class Rota(Frozen):
    """A pattern written once; the sessions are generated across the term."""

    weekdays: list[Weekday] = Field(min_length=1, description="每周的星期几，例如 [周三]")
    from_: Date = Field(alias="from", description="第一次的日期（或更早）")
    to: Date = Field(description="最后一次的日期（或更晚）")
    time: Time | None = Field(None, description="时间段，例如 12:20-12:50")
    classes: list[Text] = Field(default_factory=list, description="轮流的班级，按顺序")
    people: list[Text] = Field(default_factory=list, description="轮流的人，按顺序")
    location: Text | None = Field(None, description="地点")

    @model_validator(mode="after")
    def _order(self) -> Rota:
        _ordered(self.from_, self.to)
        return self


class Duty(Frozen):
    """A weekly duty: 小管 of a class on a weekday, or a class's 阅读课 period."""

    class_: Text = Field(alias="class", description="班级")
    weekday: Weekday = Field(description="星期几")
    time: Time | None = Field(None, description="时间段")
    period: Text | None = Field(None, description="第几节课，例如 第3节")
    people: list[Text] = Field(default_factory=list, description="值日的人")


class Roster(Frozen):
    """content/rosters/<id>.yaml: people on a rota, one model for every kind."""

    name: Text = Field(description="名单名称，例如 故事爸妈团（第二轮）")
    kind: RosterKind = Field(
        description="种类：story_parents / storytellers / librarians / volunteers / class_visits"
    )
    owner: Text | None = Field(None, description="负责老师")
    summary: Text | None = Field(None, description="简介（可以用 Markdown）")
    category: CategoryKey = Field("story", description="在校历中的类别")
    people: list[Person] = Field(default_factory=list, description="名单")
    themes: list[MonthTheme] = Field(default_factory=list, description="每月主题")
    rota: list[Rota] = Field(default_factory=list, description="轮值规则（自动生成场次）")
    sessions: list[Session] = Field(
        default_factory=list, description="写明的场次（同一天会替换自动生成的）"
    )
    duties: list[Duty] = Field(default_factory=list, description="每周固定值日")

    @property
    def kind_name(self) -> str:
        return ROSTER_KINDS[self.kind]


# --- themed displays ---------------------------------------------------------------------


class Book(Frozen):
    title: Text = Field(description="书名")
    author: Text | None = Field(None, description="作者")
    isbn: Isbn | None = Field(None, description="ISBN")
    call_number: Text | None = Field(None, description="索书号")


class Image(Frozen):
    src: Text = Field(description="图片路径，从 content/ 写起，例如 displays/science.svg")
    alt: Text = Field(description="图片说明（给看不见图片的读者）")


class Display(Frozen):
    """content/displays/<id>.yaml."""

    title: Text = Field(description="展示名称")
    from_: Date = Field(alias="from", description="开始日期")
    to: Date = Field(description="结束日期")
    location: Text | None = Field(None, description="地点")
    curator: Text | None = Field(None, description="策展人")
    description: Text | None = Field(None, description="说明（可以用 Markdown）")
    books: list[Book] = Field(default_factory=list, description="书目")
    images: list[Image] = Field(default_factory=list, description="图片")

    @model_validator(mode="after")
    def _order(self) -> Display:
        _ordered(self.from_, self.to)
        return self


# --- pages and news (front matter) -------------------------------------------------------


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
