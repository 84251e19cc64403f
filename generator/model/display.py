"""content/displays/<id>.yaml: a themed book display (主题展示)."""

from __future__ import annotations

import re
from typing import Annotated, Any

from pydantic import BeforeValidator, Field, model_validator

from generator.model.base import Frozen, _ordered
from generator.model.values import Date, MarkdownText, Text, _schema, problem

_ISBN_CHARS = re.compile(r"^[0-9Xx\- ]+$")
_ISBN_PATTERN = r"^\s*[- ]*(?:(?:[0-9][- ]*){9}[0-9Xx]|(?:[0-9][- ]*){12}[0-9])[- ]*\s*$"


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
    _schema(
        anyOf=[
            # 10 or 13 digits with hyphens or spaces between (an ISBN-10 may end in X); the
            # check digit is arithmetic, the checker's alone
            {"type": "string", "pattern": _ISBN_PATTERN},
            # `isbn: 9787544817349` is a number to the editor (a leading 0 already dropped)
            {"type": "integer", "minimum": 10**8, "maximum": 10**13 - 1},
        ],
        description="ISBN（10 位或 13 位，可带连字符）",
    ),
]


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
    description: MarkdownText | None = Field(None, description="说明（可以用 Markdown）")
    books: list[Book] = Field(default_factory=list, description="书目")
    images: list[Image] = Field(default_factory=list, description="图片")

    @model_validator(mode="after")
    def _order(self) -> Display:
        _ordered(self.from_, self.to)
        return self
