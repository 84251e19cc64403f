"""The frozen base of every file's model, and the checks several models share."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from pydantic import BaseModel, ConfigDict, model_validator

from generator.model.values import did_you_mean, problem


def N_(message: str) -> str:
    """Marks a message id of the theme's catalogue for extraction (pybabel -k N_); it is
    translated where it is shown."""
    return message


class Frozen(BaseModel):
    # defer_build: a model's validator is built the first time it validates, not when the
    # module is imported: a build that finds its files parsed in the cache (or the preview,
    # which parses only the files saved) never builds most of them
    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=False, defer_build=True)

    @model_validator(mode="before")
    @classmethod
    def _empty_means_absent(cls, data: Any) -> Any:
        """`owner:` left empty means no owner; an empty required field is still reported."""
        if not isinstance(data, dict):
            return data
        optional = {f.alias or n for n, f in cls.model_fields.items() if not f.is_required()}
        return {k: v for k, v in data.items() if not (v is None and k in optional)}


def _one_when(data: Any, title: str, allowed: tuple[str, ...]) -> None:
    """Exactly one way of saying when: `date`, `from`+`to`, `week(s)` or `month(s)`."""
    if not isinstance(data, dict):
        return
    keys = ("date", "from", "to", "week", "weeks", "month", "months")
    given = [k for k in keys if data.get(k) is not None]
    ways = {"date", "week", "weeks", "month", "months"} & set(given)
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
