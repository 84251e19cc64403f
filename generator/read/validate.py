"""The validate stage: marked data → a frozen model object, or every problem in it.

Pydantic does the checking; this module only translates its findings into our problem
codes, each placed at the key or value it is about.
"""

from __future__ import annotations

import re
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from generator.model.roster import ROSTER_KINDS
from generator.model.values import did_you_mean
from generator.problems.problem import Problem
from generator.read.lint import no_space_after_colon
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
        return None, [_no_space(marked, (), marked.data) or marked.problem("E106", ())]
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
    if kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        low, high = _bounds(model, loc)
        return marked.problem("E216", loc, field=field, detail=_range_words(low, high))
    if kind in ("literal_error", "enum"):
        return _not_allowed(marked, loc, field, value, re.findall(r"'([^']*)'", ctx["expected"]))
    code = _TYPE_CODES.get(kind)
    if code == "E209":
        found = _no_space(marked, loc, value)
        if found is not None:
            return found
    if code:
        return marked.problem(code, loc, field=field, value=_short(value))
    # pydantic's own words are English: the Chinese message says it in Chinese
    return marked.problem(
        "E216", loc, field=field, detail={"zh": "这个值不符合要求", "en": str(err["msg"])}
    )


# The Chinese name of each value a field may take, shown beside the value in a message.
VALUE_NAMES: dict[str, str] = dict(ROSTER_KINDS)


def _not_allowed(
    marked: Marked, loc: tuple[str | int, ...], field: str, value: Any, allowed: list[str]
) -> Problem:
    """E221: a value outside a fixed list, the list given with each value's Chinese name
    (`librarians（小管）`), and the key meant when the name itself was written."""
    text = _short(value).strip()
    by_name = {VALUE_NAMES[a]: a for a in allowed if a in VALUE_NAMES}
    if text in by_name:
        meant = by_name[text]
        suggestion = {
            "zh": f"这里要写英文的“{meant}”（{text}）。",
            "en": f"Write the English key '{meant}' ({text}). ",
        }
    else:
        suggestion = did_you_mean(text.lower(), allowed)
    return marked.problem(
        "E221",
        loc,
        field=field,
        value=text,
        suggestion=suggestion,
        allowed={
            "zh": "、".join(f"{a}（{VALUE_NAMES[a]}）" if a in VALUE_NAMES else a for a in allowed),
            "en": ", ".join(allowed),
        },
    )


def _bounds(model: type[BaseModel], loc: tuple[str | int, ...]) -> tuple[Any, Any]:
    """The smallest and largest value the field at `loc` allows (ge / le), None if open."""
    current: Any = model
    info = None
    for part in loc:
        if isinstance(part, int) or current is None:
            continue
        fields = {(f.alias or name): f for name, f in current.model_fields.items()}
        info = fields.get(str(part))
        current = _inner_model(info.annotation) if info is not None else None
    low = high = None
    for rule in getattr(info, "metadata", ()):
        low = getattr(rule, "ge", low)
        high = getattr(rule, "le", high)
    return low, high


def _range_words(low: Any, high: Any) -> dict[str, str]:
    if low is not None and high is not None:
        return {"zh": f"应在 {low} 到 {high} 之间", "en": f"it should be from {low} to {high}"}
    if low is not None:
        return {"zh": f"不能小于 {low}", "en": f"it should be at least {low}"}
    return {"zh": f"不能大于 {high}", "en": f"it should be at most {high}"}


def _no_space(marked: Marked, loc: tuple[str | int, ...], value: Any) -> Problem | None:
    """E219 at the colon, for a text that is a `key:value` missing its space where a mapping
    was wanted."""
    found = no_space_after_colon(value) if isinstance(value, str) else None
    if found is None:
        return None
    offset, key, fixed = found
    mark = marked.mark(loc)
    return marked.source.problem("E219", mark.line, mark.col + offset, key=key, fixed=fixed)


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
