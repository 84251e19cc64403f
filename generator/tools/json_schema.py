"""One JSON Schema per file type, generated from the model so it can never drift.

`FILE_TYPES` is the registry of the files a teacher edits: the model that validates each
and where they live. VS Code (the YAML extension) reads the schemas through the
`# yaml-language-server: $schema=…` line at the top of each file and shows the Chinese
field descriptions while she types. Regenerate with `python -m generator.tools.json_schema`
(`--help` says where it writes).

The schemas say what `check` says wherever JSON Schema can, and everything they say comes
from the models: each value type's annotation carries its schema (the date, month and time
patterns, the accepted spellings of a choice, text that may be a number: model/values.py);
the "exactly one way of saying when" rule is found by asking each model's validator which
sets of keys it accepts; optional fields accept an empty value without offering `null`.
tests/test_editor_agreement.py runs the real yaml-language-server to hold them to it.
"""

from __future__ import annotations

import argparse
import copy
import itertools
import json
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from types import UnionType
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import BaseModel, ValidationError, WithJsonSchema

from generator import PROJECT
from generator.helpformat import Parser
from generator.kinds import KINDS
from generator.model.settings import SiteSettings
from generator.model.term import TermPlan
from generator.resources import schema_folder

# The package's copy (what `init` gives a new site), and, in a checkout, the sample site's own
# copy beside its files, where the sample's `$schema=` lines point.
SCHEMA_DIR = schema_folder()
SAMPLE_SCHEMA_DIR = PROJECT / "schemas"
DRAFT = "https://json-schema.org/draft/2020-12/schema"


@dataclass(frozen=True)
class FileType:
    model: type[BaseModel]
    globs: tuple[str, ...]  # relative to the site folder
    title: str

    def files(self, root: Path) -> list[Path]:
        return sorted(p for pattern in self.globs for p in root.glob(pattern) if p.is_file())


FILE_TYPES: dict[str, FileType] = {
    "events": FileType(TermPlan, ("events.yaml", "content/terms/*.yaml"), "校历（一个学期）"),
    "site": FileType(SiteSettings, ("content/site.yaml",), "网站设置"),
    # and one per content kind whose files are YAML
    **{
        kind.schema[0]: FileType(
            kind.model, (f"content/{kind.folder}/*{kind.suffix}",), kind.schema[1]
        )
        for kind in KINDS
        if kind.schema is not None and kind.model is not None
    },
}


def json_schema(name: str) -> dict[str, Any]:
    file_type = FILE_TYPES[name]
    schema = file_type.model.model_json_schema(by_alias=True)
    models = _models(file_type.model)
    nodes = [(schema, file_type.model)] + [
        (node, models[d]) for d, node in schema.get("$defs", {}).items() if d in models
    ]
    for node, model in nodes:
        _with_examples(node, model)
    _as_typed(schema)
    for node, model in nodes:
        _add_when_rule(node, model)
    _one_hover(schema)
    return {"$schema": DRAFT, **schema, "title": file_type.title}


def render(name: str) -> str:
    return json.dumps(json_schema(name), ensure_ascii=False, indent=2) + "\n"


def schema_path(name: str, folder: Path = SCHEMA_DIR) -> Path:
    return folder / f"{name}.schema.json"


# Only null is none of these: an empty optional field (`owner:`) is accepted, and yet the
# editor does not offer `null` as a value the way it does for {"type": "null"}.
NULL_ONLY: dict[str, Any] = {"not": {"type": ["string", "number", "boolean", "object", "array"]}}
NOT_NULL: dict[str, Any] = {"not": {"type": "null"}}


def _as_typed(node: Any, *, described: bool = False, text_beside: bool = False) -> None:
    """Accept what the validator accepts, as a YAML-aware editor sees it, and say each
    thing once: `week: 5` is an integer to the editor and the text "5" to our reader; an
    empty optional field (`owner:`) is null, which the model treats as absent; a completion
    inserts no `null`; and a field's hover shows its own description only.

    `described`: an enclosing node (the field) has a description already; `text_beside`:
    the node is an alternative next to a text one, so its integer needs no text form."""
    if isinstance(node, list):
        for item in node:
            _as_typed(item, described=described)
        return
    if not isinstance(node, dict):
        return
    if isinstance(node.get("title"), str):  # pydantic's English titles; the descriptions speak
        del node["title"]
    if "default" in node and node["default"] in (None, []):  # a completion would insert it
        del node["default"]
    if node.get("type") == "object" and "properties" in node:
        # a model's docstring is for programmers (and English); its fields speak to teachers
        node.pop("description", None)
    elif described:
        node.pop("description", None)
    here = described or "description" in node
    for key, value in node.items():
        if key == "properties" and isinstance(value, dict):
            for prop in value.values():
                _as_typed(prop)
        elif key == "$defs" and isinstance(value, dict):
            for definition in value.values():
                _as_typed(definition)
        elif key == "anyOf" and isinstance(value, list):
            beside = any(isinstance(a, dict) and a.get("type") == "string" for a in value)
            for alternative in value:
                _as_typed(alternative, described=here, text_beside=beside)
        else:
            _as_typed(value, described=here)
    if node.get("type") == "null" and len(node) == 1:
        node.clear()
        node.update(copy.deepcopy(NULL_ONLY))
    if node.get("type") == "integer" and not text_beside:
        bounds = {k: node.pop(k) for k in ("minimum", "maximum") if k in node}
        node.pop("type")
        digits = r"\d+"
        if {"minimum", "maximum"} <= set(bounds):  # keep the range in the text form too
            low, high = bounds["minimum"], bounds["maximum"]
            if high - low <= 100:
                digits = "0*(?:" + "|".join(str(n) for n in range(high, low - 1, -1)) + ")"
            else:  # a wide range (an ISBN as a number): as many digits as its ends have
                digits = rf"\d{{{len(str(max(low, 0)))},{len(str(high))}}}"
        pattern = rf"^\s*{digits}\s*$"
        node["anyOf"] = [{"type": "integer", **bounds}, {"type": "string", "pattern": pattern}]
    properties = node.get("properties")
    if isinstance(properties, dict):
        required = set(node.get("required", ()))
        for key, prop in properties.items():
            if key not in required and not _allows_null(prop):
                moved = {k: prop.pop(k) for k in ("description", "default") if k in prop}
                properties[key] = {**moved, "anyOf": [prop, copy.deepcopy(NULL_ONLY)]}


def _one_hover(node: Any) -> None:
    """Each field's hover shows its heading and description once.

    yaml-language-server takes two alternatives of an `anyOf` that have no title,
    description or properties for the same one; when one of them matches it believes all
    did and repeats the heading for each ("名单与轮值 || 名单与轮值"). So the alternatives of
    an optional field are flattened into one `anyOf`, and each alternative carries a
    `properties` of its own, which tells them apart and constrains no scalar."""
    if isinstance(node, list):
        for item in node:
            _one_hover(item)
        return
    if not isinstance(node, dict):
        return
    for key in ("properties", "$defs"):
        for name, prop in list(node.get(key, {}).items()):
            if isinstance(prop, dict):
                node[key][name] = _flat_optional(prop)
    for key, value in node.items():
        if key not in ("properties", "$defs"):
            _one_hover(value)
        else:
            for prop in value.values():
                _one_hover(prop)
    for alternative in node.get("anyOf", ()):
        if isinstance(alternative, dict) and "properties" not in alternative:
            alternative["properties"] = {}


def _flat_optional(prop: dict[str, Any]) -> dict[str, Any]:
    """`{anyOf: [{anyOf: [A, B]}, null]}` as `{anyOf: [A, B, null]}`: one level of choice."""
    alternatives = prop.get("anyOf")
    if not isinstance(alternatives, list) or len(alternatives) != 2 or alternatives[1] != NULL_ONLY:
        return prop
    inner = alternatives[0]
    if "anyOf" not in inner or not set(inner) <= {"anyOf", "type"}:
        return prop
    kind = inner.get("type")
    branches = [{"type": kind, **b} if kind and "type" not in b else b for b in inner["anyOf"]]
    rest = {k: v for k, v in prop.items() if k != "anyOf"}
    return {**rest, "anyOf": [*branches, copy.deepcopy(NULL_ONLY)]}


def _allows_null(prop: dict[str, Any]) -> bool:
    return prop == NULL_ONLY or any(_allows_null(p) for p in prop.get("anyOf", ()))


def _models(root: type[BaseModel]) -> dict[str, type[BaseModel]]:
    """Every model a file's model holds, by the name pydantic gives its definition."""
    found: dict[str, type[BaseModel]] = {}

    def visit(annotation: Any) -> None:
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            if annotation.__name__ not in found:
                found[annotation.__name__] = annotation
                for f in annotation.model_fields.values():
                    visit(f.annotation)
            return
        for arg in getattr(annotation, "__args__", ()):
            visit(arg)

    visit(root)
    return found


def _with_examples(node: dict[str, Any], model: type[BaseModel]) -> None:
    """A field's description, and after it the examples its type gives ("日期（只有一天），
    例如 2026-03-02、2026/3/2 或 2026年3月2日"), so that the one description the hover shows
    also says how to write it."""
    properties = node.get("properties", {})
    for name, info in model.model_fields.items():
        prop = properties.get(info.alias or name)
        own = prop.get("description") if isinstance(prop, dict) else None
        if not own or "例如" in own:
            continue
        typed = _type_description(info.annotation, info.metadata)
        if typed and "例如" in typed:
            prop["description"] = f"{own}，例如{typed.split('例如', 1)[1]}"


def _type_description(annotation: Any, metadata: list[Any]) -> str | None:
    """The description a value type's annotation gives its schema (`WithJsonSchema`)."""
    for item in metadata:
        if isinstance(item, WithJsonSchema) and item.json_schema:
            found = item.json_schema.get("description")
            if found:
                return str(found)
    if get_origin(annotation) is Annotated:
        return _type_description(get_args(annotation)[0], list(annotation.__metadata__))
    if get_origin(annotation) in (Union, UnionType):
        for arg in get_args(annotation):
            found = _type_description(arg, [])
            if found:
                return found
    return None


def when_ways(model: type[BaseModel]) -> tuple[list[str], list[list[str]]] | None:
    """The keys a model's "exactly one way of saying when" rule is about, and each set of
    them it accepts (`date`; `from` + `to`; `week`; …), found by asking the model itself:
    its before-validator refuses a set of keys at once, whatever their values. None when
    the model has no such rule."""
    optional = [f.alias or n for n, f in model.model_fields.items() if not f.is_required()]

    def refusal(keys: tuple[str, ...]) -> list[tuple[str, str]] | None:
        try:
            model.model_validate(dict.fromkeys(keys, "?"))
        except ValidationError as exc:
            found = [
                (str(e["type"]), repr(e.get("ctx")))
                for e in exc.errors(include_url=False)
                if not e["loc"] and str(e["type"])[:1] in "EW"
            ]
            return found or None
        return None

    nothing = refusal(())
    if nothing is None:
        return None
    keys = [k for k in optional if refusal((k,)) != nothing]
    if len(keys) > 10:  # not a when-rule: every field changes it
        return None
    ways = [
        list(combo)
        for size in range(1, len(keys) + 1)
        for combo in itertools.combinations(keys, size)
        if refusal(combo) is None
    ]
    return keys, ways


def _add_when_rule(node: dict[str, Any], model: type[BaseModel]) -> None:
    """`anyOf` one branch per accepted set of when-keys: those present (not empty), every
    other when-key absent or empty, so that the editor refuses `date` with `week`, `from`
    without `to`, and an item with no date at all, as the checker does."""
    found = when_ways(model)
    if not found:
        return
    keys, ways = found
    node["anyOf"] = [
        {
            "title": " + ".join(way),  # the editor offers each way as a completion
            "required": way,
            "properties": {k: copy.deepcopy(NOT_NULL if k in way else NULL_ONLY) for k in keys},
        }
        for way in ways
    ]


def _parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog="python -m generator.tools.json_schema",
        description="由数据模型生成每种文件的 JSON Schema（编辑器提示用）/ "
        "write one JSON Schema per file type, generated from the model.",
    )
    parser.add_argument(
        "folders",
        nargs="*",
        type=Path,
        metavar="FOLDER",
        help="写到这些文件夹 / write into these folders (default: the package's "
        "generator/schemas, and the sample site's schemas/ when run in a checkout)",
    )
    return parser


def default_folders() -> list[Path]:
    folders = [SCHEMA_DIR]
    if (PROJECT / "events.yaml").is_file():  # a checkout: the sample site keeps its own copy
        folders.append(SAMPLE_SCHEMA_DIR)
    return folders


def write_schemas(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name in FILE_TYPES:
        path = schema_path(name, folder)
        path.write_text(render(name), encoding="utf-8")
        written.append(path)
    return written


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    for folder in args.folders or default_folders():
        for path in write_schemas(folder):
            print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
