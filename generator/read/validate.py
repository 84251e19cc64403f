"""The validate stage: marked data → a frozen model object, or every problem in it.

Pydantic does the checking; this module only translates its findings into our problem
codes, each placed at the key or value it is about.
"""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from generator.model.values import did_you_mean
from generator.problems.problem import Problem
from generator.read.yamlio import Marked

M = TypeVar("M", bound=BaseModel)

# A teacher may write the key in Chinese; point her at the English key it stands for.
_CHINESE_KEYS = {
    "日期": "date",
    "标题": "title",
    "名称": "name",
    "活动": "title",
    "时间": "time",
    "地点": "location",
    "负责人": "owner",
    "负责": "owner",
    "类别": "category",
    "分类": "category",
    "对象": "audience",
    "说明": "description",
    "描述": "description",
    "周": "week",
    "第几周": "week",
    "月份": "month",
    "月": "month",
    "开始": "from",
    "结束": "to",
    "星期": "weekdays",
    "学期": "term",
    "放假": "closures",
    "调休": "makeup_days",
}

_TYPE_CODES = {
    "list_type": "E208",
    "model_type": "E209",
    "dict_type": "E209",
    "model_attributes_type": "E209",
    "string_type": "E217",
    "int_parsing": "E210",
    "int_type": "E210",
    "int_from_float": "E210",
    "too_short": "E202",
    "string_too_short": "E202",
}


def validate(marked: Marked, model: type[M]) -> tuple[M | None, list[Problem]]:
    if marked.data is None:
        marked.data = {}
    if not isinstance(marked.data, dict):
        return None, [marked.problem("E106", ())]
    try:
        return model.model_validate(marked.data), []
    except ValidationError as exc:
        errors = exc.errors(include_url=False)
        problems = [_problem(marked, model, err) for err in errors]
        # A before-validator's "no date given" hides a misspelt `date:` key: name the key.
        for err, found in zip(errors, list(problems), strict=True):
            if err["type"] in ("E214", "E201") and isinstance(err["input"], dict):
                loc = tuple(err["loc"])
                allowed = _allowed_keys(model, loc)
                unknown = [k for k in err["input"] if allowed and k not in allowed]
                if unknown:
                    problems.remove(found)
                    problems.extend(_unknown_key(marked, (*loc, k), allowed) for k in unknown)
        return None, problems


def _problem(marked: Marked, model: type[BaseModel], err: Any) -> Problem:
    loc: tuple[str | int, ...] = tuple(err["loc"])
    kind: str = err["type"]
    ctx = dict(err.get("ctx") or {})
    field = next((str(p) for p in reversed(loc) if isinstance(p, str)), "")
    value = err.get("input")
    if kind.startswith(("E", "W")) and kind[1:].isdigit():
        at = ctx.pop("at", None)
        if at is not None:
            loc = (*loc, at)
        ctx.setdefault("field", at or field)
        return marked.problem(kind, loc, **ctx)
    if kind == "missing":
        return marked.problem("E201", loc[:-1], field=field)
    if kind == "extra_forbidden":
        return _unknown_key(marked, loc, _allowed_keys(model, loc[:-1]))
    if value is None and kind.endswith("_type"):
        return marked.problem("E202", loc, field=field)
    if kind in ("greater_than_equal", "less_than_equal"):
        top = 31 if field == "day" else 30  # a day of the month runs to 31, a teaching week to 30
        return marked.problem(
            "E216",
            loc,
            field=field,
            # a day of the month (`day:`) runs to 31, a teaching week to 30
            detail={
                "zh": f"应在 {ctx.get('ge', 1)} 到 {ctx.get('le', top)} 之间",
                "en": err["msg"],
            },
        )
    code = _TYPE_CODES.get(kind)
    if code:
        return marked.problem(code, loc, field=field, value=_short(value))
    return marked.problem("E216", loc, field=field, detail=err["msg"])


def _unknown_key(marked: Marked, loc: tuple[str | int, ...], allowed: list[str]) -> Problem:
    field = str(loc[-1])
    suggestion = did_you_mean(field, allowed)
    if field in _CHINESE_KEYS and _CHINESE_KEYS[field] in allowed:
        english = _CHINESE_KEYS[field]
        suggestion = {
            "zh": f"键要用英文：“{field}”应写成“{english}”。",
            "en": f"Keys are English: write '{english}' for '{field}'. ",
        }
    return marked.problem(
        "E203", loc, at_key=True, key=field, suggestion=suggestion, allowed=allowed
    )


def _allowed_keys(model: type[BaseModel], loc: tuple[str | int, ...]) -> list[str]:
    """The keys the model accepts at `loc`, by following the field types down."""
    current: Any = model
    for part in loc:
        if isinstance(part, int):
            continue
        fields = {(f.alias or name): f for name, f in current.model_fields.items()}
        annotation = fields[part].annotation
        current = _inner_model(annotation)
        if current is None:
            return []
    return [f.alias or name for name, f in current.model_fields.items()]


def _inner_model(annotation: Any) -> Any:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()):
        found = _inner_model(arg)
        if found is not None:
            return found
    return None


def _short(value: Any) -> str:
    if isinstance(value, dict):
        return "{…}"
    if isinstance(value, list):
        return "[…]"
    return "" if value is None else str(value)
