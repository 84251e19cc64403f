"""content/rosters/<id>.yaml: story parents, 小管, volunteers and their sessions."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BeforeValidator, Field, model_validator

from generator.model.base import N_, Frozen, _ordered, choice
from generator.model.categories import CategoryKey
from generator.model.values import (
    ClassName,
    Date,
    MarkdownText,
    MonthValue,
    Text,
    Time,
    Weekday,
    YesNo,
    _schema,
    words_schema,
)

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
    _schema(**words_schema(["女", "男"], set(_GENDERS), "性别：女 或 男")),
]


class Person(Frozen):
    name: Text = Field(description="姓名")
    class_: ClassName | None = Field(None, alias="class", description="班级（学生或孩子所在班）")
    role: Text | None = Field(None, description="身份，例如 一(2)班家长")
    phone: Text | None = Field(None, description="联系电话（不会公开显示）")
    public: YesNo = Field(True, description="写 否 则名字不在网站上显示")
    mark: Text | None = Field(
        None,
        description="不公开的人在校内签到表上显示的记号，例如 周爸爸（不写时用身份或班级）",
    )
    gender: Gender | None = Field(None, description="性别：女 或 男（只用于公开版的称呼）")


class Session(Frozen):
    """One booked session: a story read to a class, a shift, a storytelling."""

    date: Date = Field(description="日期")
    time: Time | None = Field(None, description="时间段，例如 8:10-8:30")
    class_: ClassName | None = Field(None, alias="class", description="班级，例如 一(1)班")
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
    classes: list[ClassName] = Field(default_factory=list, description="轮流的班级，按顺序")
    people: list[Text] = Field(default_factory=list, description="轮流的人，按顺序")
    location: Text | None = Field(None, description="地点")

    @model_validator(mode="after")
    def _order(self) -> Rota:
        _ordered(self.from_, self.to)
        return self


class Duty(Frozen):
    """A weekly duty: 小管 of a class on a weekday, or a class's 阅读课 period."""

    class_: ClassName = Field(alias="class", description="班级")
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
    summary: MarkdownText | None = Field(None, description="简介（可以用 Markdown）")
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
