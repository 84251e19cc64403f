"""The domain: frozen, validated types. Templates only ever see these (or things built from them).

One schema per file type: `SiteSettings` (content/site.yaml) and `TermPlan` (events.yaml and
content/terms/*.yaml). Field descriptions are Chinese: they become the JSON Schema that
VS Code shows while a teacher types.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_validator

from generator.i18n import N_
from generator.values import (
    Date,
    MonthValue,
    Slug,
    Text,
    Time,
    Weekday,
    YesNo,
    _schema,
    did_you_mean,
    problem,
)


@dataclass(frozen=True)
class Category:
    key: str
    name: str  # as shown on pages: a message id, translated there
    colour: str
    marker: str  # a glyph that survives black-and-white printing


CATEGORIES: dict[str, Category] = {
    c.key: c
    for c in (
        Category("routine", N_("常规"), "#5b6770", "○"),
        Category("activity", N_("活动"), "#1f6fb2", "◆"),
        Category("festival", N_("读书节"), "#b3261e", "★"),
        Category("story", N_("故事"), "#7b3fa0", "♪"),
        Category("display", N_("展示"), "#2e7d32", "▲"),
        Category("meeting", N_("会议"), "#8a5a00", "■"),
        Category("training", N_("培训"), "#00695c", "✎"),
        Category("holiday", N_("放假"), "#6d6d6d", "✕"),
    )
}
_CATEGORY_WORDS = {c.key: c.key for c in CATEGORIES.values()} | {
    c.name: c.key for c in CATEGORIES.values()
}


def parse_category(value: Any) -> str:
    text = value.strip().lower() if isinstance(value, str) else ""
    if text in _CATEGORY_WORDS:
        return _CATEGORY_WORDS[text]
    choices = [k for k in CATEGORIES if k != "holiday"]
    raise problem(
        "E211",
        value="" if value is None else str(value),
        suggestion=did_you_mean(text, [*choices, *(CATEGORIES[k].name for k in choices)]),
        allowed=[f"{k}（{CATEGORIES[k].name}）" for k in choices],
    )


CategoryKey = Annotated[
    str,
    BeforeValidator(parse_category),
    Field(
        json_schema_extra={
            "enum": [k for k in CATEGORIES if k != "holiday"]
            + [c.name for k, c in CATEGORIES.items() if k != "holiday"]
        }
    ),
]


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=False)

    @model_validator(mode="before")
    @classmethod
    def _empty_means_absent(cls, data: Any) -> Any:
        """`owner:` left empty means no owner; an empty required field is still reported."""
        if not isinstance(data, dict):
            return data
        optional = {f.alias or n for n, f in cls.model_fields.items() if not f.is_required()}
        return {k: v for k, v in data.items() if not (v is None and k in optional)}


def _one_when(data: Any, title: str, allowed: tuple[str, ...]) -> None:
    """Exactly one way of saying when: `date`, `from`+`to`, `week` or `month`."""
    if not isinstance(data, dict):
        return
    given = [k for k in ("date", "from", "to", "week", "month") if data.get(k) is not None]
    ways = {"date", "week", "month"} & set(given)
    has_span = "from" in given or "to" in given
    found = "、".join(given) if given else "—"
    if len(ways) + has_span != 1:
        raise problem(
            "E214",
            title=title,
            found={
                "zh": f"写了 {found}" if given else "没有写日期",
                "en": f"given: {', '.join(given) or 'none'}",
            },
        )
    if has_span and not ("from" in given and "to" in given):
        missing = "to" if "from" in given else "from"
        raise problem("E201", field=missing)
    if not set(given) <= set(allowed):
        raise problem(
            "E214",
            title=title,
            found={"zh": f"这里不能用 {found}", "en": f"{', '.join(given)} not allowed here"},
        )


def _ordered(start: dt.date | None, end: dt.date | None, at: str = "to") -> None:
    if start and end and end < start:
        raise problem("E215", start=start.isoformat(), end=end.isoformat(), at=at)


class Term(Frozen):
    id: Slug = Field(description="学期编号，用于网址，例如 2025-2026-2")
    name: Text = Field(description="学期名称，例如 2025学年第二学期")
    first_day: Date = Field(description="学期第一天（第1周所在的那一周）")
    last_day: Date = Field(description="学期最后一天")

    @model_validator(mode="after")
    def _order(self) -> Term:
        _ordered(self.first_day, self.last_day, at="last_day")
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
    description: Text | None = Field(None, description="说明（可以用 Markdown）")
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


def choice(words: dict[str, str]) -> Callable[[Any], str]:
    """A parser for a setting with a few allowed values, written in English or Chinese
    (`姓` = `surname`); anything else is E900 with the allowed words."""
    shown = sorted(set(words))

    def parse(value: Any) -> str:
        text = value.strip().lower() if isinstance(value, str) else ""
        if text in words:
            return words[text]
        raise problem(
            "E900",
            value="" if value is None else str(value),
            allowed=shown,
            suggestion=did_you_mean(text, shown),
        )

    return parse


_PUPILS = {
    "surname": "surname",
    "姓": "surname",
    "姓氏": "surname",
    "class": "class",
    "班级": "class",
}
_PARENTS = {
    "title": "title",
    "称呼": "title",
    "姓": "title",
    "parent": "parent",
    "家长": "parent",
    "class": "class",
    "班级": "class",
}
PupilsShown = Annotated[
    str,
    BeforeValidator(choice(_PUPILS)),
    _schema(
        type="string",
        enum=sorted(_PUPILS),
        description="公开版里学生怎样显示：姓（张同学）或 班级（三(1)班同学）",
    ),
]
ParentsShown = Annotated[
    str,
    BeforeValidator(choice(_PARENTS)),
    _schema(
        type="string",
        enum=sorted(_PARENTS),
        description="公开版里家长怎样显示：称呼（王女士、李先生，不知性别时 王家长）、"
        "家长 或 班级（一(1)班家长）",
    ),
]


class SiteSettings(Frozen):
    """content/site.yaml."""

    school: Text = Field("我们的学校", description="学校名称")
    library: Text = Field("图书馆", description="图书馆名称")
    language: Text = Field("zh-CN", description="语言：zh-CN 或 en")
    timezone: Text = Field("Asia/Shanghai", description="时区")
    theme: Text | None = Field(None, description="自己的主题文件夹（themes/ 下的名字）")
    classes: list[Text] = Field(default_factory=list, description="全校班级，例如 一(1)班")
    menu: list[Slug] = Field(
        default_factory=list, description="放进主菜单的页面（content/pages/ 里的文件名）"
    )
    public: YesNo = Field(
        False,
        description="公开版：写 是 则生成可以放到公网的网站"
        "（学生、家长不显示全名，去掉电话、邮箱和身份证号，不公开的人不出现）",
    )
    public_pupils: PupilsShown = Field("surname", description="公开版里学生的显示方式")
    public_parents: ParentsShown = Field("title", description="公开版里家长的显示方式")
    private_names: list[Text] = Field(
        default_factory=list,
        description="公开版里也要隐去的学生全名（不在名单里的，例如新闻里的获奖同学）",
    )
