"""The categories of calendar items: key, name, colour and a print marker."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from pydantic import BeforeValidator, WithJsonSchema

from generator.model.base import N_
from generator.model.values import did_you_mean, problem, words_schema


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
    # the editor offers each key and its Chinese name, and accepts `Story` as the checker does
    WithJsonSchema(
        words_schema(
            [*CATEGORIES, *(c.name for c in CATEGORIES.values())],
            set(_CATEGORY_WORDS),
            "类别：" + "、".join(f"{k}（{c.name}）" for k, c in CATEGORIES.items()),
        )
    ),
]
