"""content/site.yaml: the school, its classes, language, theme and the public build."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BeforeValidator, Field, PlainSerializer, PlainValidator

from generator.model.base import Frozen, choice
from generator.model.values import (
    TEXT_SCHEMA,
    Slug,
    Text,
    YesNo,
    _schema,
    class_name,
    problem,
    words_schema,
)

MAX_PUPILS = 100  # a class of more is a typo (420 for 42)


class ClassEntry(str):
    """A class of the class list: its name, as every check and page compares it (it is the
    str), and its number of pupils when site.yaml gives it (`- 三(1)班: 42`), for the
    loans per pupil of the statistics."""

    pupils: int | None

    def __new__(cls, name: str, pupils: int | None = None) -> ClassEntry:
        entry = super().__new__(cls, name)
        entry.pupils = pupils
        return entry


def parse_class_entry(value: Any) -> ClassEntry:
    """`三(1)班`, or `三(1)班: 42` with its number of pupils (E800 for a count that is not a
    whole number from 1 to MAX_PUPILS)."""
    if isinstance(value, ClassEntry):
        return value
    if isinstance(value, dict) and len(value) == 1:
        ((name, pupils),) = value.items()
        if isinstance(pupils, bool) or not isinstance(pupils, int | str):
            raise problem("E800", value="" if pupils is None else str(pupils), max=MAX_PUPILS)
        text = str(pupils).strip().removesuffix("人").strip()
        if not text.isdigit() or not 1 <= int(text) <= MAX_PUPILS:
            raise problem("E800", value=str(pupils), max=MAX_PUPILS)
        return ClassEntry(class_name(name), int(text))
    if isinstance(value, dict):
        raise problem("E800", value=", ".join(map(str, value)), max=MAX_PUPILS)
    return ClassEntry(class_name(value))


# a str to every reader of the class list; `SiteSettings.pupils` has the counts
ClassListEntry = Annotated[
    str,
    PlainValidator(parse_class_entry),
    PlainSerializer(str, return_type=str),
    _schema(
        anyOf=[
            TEXT_SCHEMA,
            {
                "type": "object",
                "minProperties": 1,
                "maxProperties": 1,
                "additionalProperties": {
                    "anyOf": [
                        {"type": "integer", "minimum": 1, "maximum": MAX_PUPILS},
                        {"type": "string", "pattern": r"^\s*0*([1-9]\d?|100)\s*人?\s*$"},
                    ]
                },
            },
        ],
        description="班级，例如 三(1)班；写 三(1)班: 42 同时给出全班人数（借阅统计算人均借阅）",
    ),
]

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
        **words_schema(
            sorted(_PUPILS),
            set(_PUPILS),
            "公开版里学生怎样显示：姓（张同学）或 班级（三(1)班同学）",
        )
    ),
]


ParentsShown = Annotated[
    str,
    BeforeValidator(choice(_PARENTS)),
    _schema(
        **words_schema(
            sorted(_PARENTS),
            set(_PARENTS),
            "公开版里家长怎样显示：称呼（王女士、李先生，不知性别时 王家长）、"
            "家长 或 班级（一(1)班家长）",
        )
    ),
]


class SiteSettings(Frozen):
    """content/site.yaml."""

    school: Text = Field("我们的学校", description="学校名称")
    library: Text = Field("图书馆", description="图书馆名称")
    language: Text = Field("zh-CN", description="语言：zh-CN 或 en")
    timezone: Text = Field("Asia/Shanghai", description="时区")
    theme: Text | None = Field(None, description="自己的主题文件夹（themes/ 下的名字）")
    classes: list[ClassListEntry] = Field(
        default_factory=list,
        description="全校班级，例如 一(1)班（年级从班级名得出：三(1)班 属于 三年级）；"
        "写 一(1)班: 42 同时给出全班人数",
    )
    menu: list[Slug] = Field(
        default_factory=list, description="放进主菜单的页面（content/pages/ 里的文件名）"
    )
    lunar: YesNo = Field(
        True,
        description="中文网站的月历在日期下面写农历、节气和传统节日"
        "（春节、清明、中秋……）；写 否 则不写",
    )
    public: YesNo = Field(
        False,
        description="公开版：写 是 则生成可以放到公网的网站"
        "（学生、家长不显示全名，去掉电话、邮箱和身份证号，不公开的人不出现）",
    )
    public_pupils: PupilsShown = Field("surname", description="公开版里学生的显示方式")
    public_parents: ParentsShown = Field("title", description="公开版里家长的显示方式")
    stats_minimum: int = Field(
        5,
        ge=1,
        le=100,
        description="公开版的借阅统计：借书学生（不知道人数时是借阅册数）少于这个数的班级"
        "不单独显示",
    )
    private_names: list[Text] = Field(
        default_factory=list,
        description="公开版里也要隐去的学生全名（不在名单里的，例如新闻里的获奖同学）",
    )

    @property
    def pupils(self) -> dict[str, int]:
        """Each class's number of pupils, where the class list gives it."""
        return {
            str(c): c.pupils
            for c in self.classes
            if isinstance(c, ClassEntry) and c.pupils is not None
        }
