"""content/site.yaml: the school, its classes, language, theme and the public build."""

from __future__ import annotations

from typing import Annotated

from pydantic import BeforeValidator, Field

from generator.model.base import Frozen, choice
from generator.model.values import ClassName, Slug, Text, YesNo, _schema, words_schema

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
    classes: list[ClassName] = Field(
        default_factory=list,
        description="全校班级，例如 一(1)班（年级从班级名得出：三(1)班 属于 三年级）",
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
    private_names: list[Text] = Field(
        default_factory=list,
        description="公开版里也要隐去的学生全名（不在名单里的，例如新闻里的获奖同学）",
    )
