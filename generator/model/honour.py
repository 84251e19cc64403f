"""content/honours/<id>.yaml: an honour (荣誉): 阅读之星, 最优小管, 优秀故事爸妈, a prize."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BeforeValidator, Field, model_validator

from generator.model.base import N_, Frozen, choice
from generator.model.roster import Gender
from generator.model.values import (
    ClassName,
    Date,
    LazySchema,
    MarkdownText,
    Slug,
    Text,
    _schema,
    problem,
    words_schema,
)

# The levels, lowest first: the order a term's honours page and the 工作总结 list them in
# reverse (a province award first).
LEVELS: dict[str, str] = {
    "班级": N_("班级"),
    "校级": N_("校级"),
    "区级": N_("区级"),
    "市级": N_("市级"),
    "省级": N_("省级"),
}
_LEVEL_WORDS = {
    **{k: k for k in LEVELS},
    "class": "班级",
    "school": "校级",
    "district": "区级",
    "city": "市级",
    "province": "省级",
}
Level = Annotated[
    str,
    BeforeValidator(choice(_LEVEL_WORDS)),
    _schema(
        **words_schema(list(LEVELS), set(_LEVEL_WORDS), "级别：班级 / 校级 / 区级 / 市级 / 省级")
    ),
]


def _person(value: Any) -> Any:
    """`- 李欣妍` is a person with a name only; `- {name: 李欣妍, class: 三(1)班}` says more."""
    return {"name": value} if isinstance(value, str | int | float) else value


class Honoured(Frozen):
    """One person an honour names."""

    name: Text = Field(description="姓名")
    class_: ClassName | None = Field(None, alias="class", description="班级（学生或孩子所在班）")
    role: Text | None = Field(None, description="身份，例如 学生、一(2)班家长、老师")
    gender: Gender | None = Field(None, description="性别：女 或 男（只用于公开版的称呼）")


def _person_schema() -> dict[str, Any]:
    person = Honoured.model_json_schema(by_alias=True)
    return {
        "anyOf": [
            {"type": ["string", "number"], "pattern": r"\S"},
            # the person's keys, written out: a WithJsonSchema cannot refer to a model
            {k: v for k, v in person.items() if k != "title"},
        ],
        "description": "姓名，或 {name: 姓名, class: 班级, role: 身份}",
    }


HonouredPerson = Annotated[Honoured, BeforeValidator(_person), LazySchema(_person_schema)]


class Honour(Frozen):
    """content/honours/<id>.yaml."""

    title: Text = Field(description="荣誉名称，例如 阅读之星、最优小管、征文比赛三等奖")
    level: Level = Field(description="级别：班级 / 校级 / 区级 / 市级 / 省级")
    date: Date | None = Field(None, description="颁发日期（或写 term）")
    term: Slug | None = Field(None, description="所属学期的编号，例如 2025-2026-2（或写 date）")
    people: list[HonouredPerson] = Field(default_factory=list, description="获奖的人")
    classes: list[ClassName] = Field(default_factory=list, description="获奖的班级")
    giver: Text | None = Field(None, description="颁发单位，例如 学校、区教育局、省图书馆学会")
    description: MarkdownText | None = Field(None, description="说明（可以用 Markdown）")

    @model_validator(mode="before")
    @classmethod
    def _when(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return data
        given = [k for k in ("date", "term") if data.get(k) is not None]
        if len(given) != 1:
            raise problem(
                "E830",
                # at the second when both are given; at the title when neither is
                at="term" if given else "title",
                title=str(data.get("title") or ""),
                found={
                    "zh": "两个都写了" if given else "都没有写",
                    "en": "both are given" if given else "neither is given",
                },
            )
        return data

    @model_validator(mode="after")
    def _who(self) -> Honour:
        if not self.people and not self.classes:
            raise problem("E831", title=self.title, at="title")
        return self
