"""One JSON Schema per file type, generated from the model so it can never drift.

`FILE_TYPES` is the registry of the files a teacher edits: the model that validates each
and where they live. VS Code (the YAML extension) reads the schemas through the
`# yaml-language-server: $schema=…` line at the top of each file and shows the Chinese
field descriptions while she types. Regenerate with `python -m generator.tools.json_schema`
(`--help` says where it writes).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel

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
    _as_typed(schema)
    return {"$schema": DRAFT, **schema, "title": file_type.title}


def render(name: str) -> str:
    return json.dumps(json_schema(name), ensure_ascii=False, indent=2) + "\n"


def schema_path(name: str, folder: Path = SCHEMA_DIR) -> Path:
    return folder / f"{name}.schema.json"


def _as_typed(node: Any) -> None:
    """Accept what the validator accepts, as a YAML-aware editor sees it: `week: 5` is an
    integer to the editor and the text "5" to our reader; and an empty optional field
    (`owner:`) is null, which the model treats as absent."""
    if isinstance(node, list):
        for item in node:
            _as_typed(item)
        return
    if not isinstance(node, dict):
        return
    for value in node.values():
        _as_typed(value)
    if isinstance(node.get("title"), str):  # pydantic's English titles; the descriptions speak
        del node["title"]
    if node.get("type") == "integer":
        bounds = {k: node.pop(k) for k in ("minimum", "maximum") if k in node}
        node.pop("type")
        digits = r"\d+"
        if {"minimum", "maximum"} <= set(bounds):  # keep the range in the text form too
            numbers = range(bounds["minimum"], bounds["maximum"] + 1)
            digits = "0*(?:" + "|".join(str(n) for n in reversed(numbers)) + ")"
        pattern = rf"^\s*{digits}\s*$"
        node["anyOf"] = [{"type": "integer", **bounds}, {"type": "string", "pattern": pattern}]
    properties = node.get("properties")
    if isinstance(properties, dict):
        required = set(node.get("required", ()))
        for key, prop in properties.items():
            if key not in required and not _allows_null(prop):
                described = {k: prop.pop(k) for k in ("description", "default") if k in prop}
                properties[key] = {**described, "anyOf": [prop, {"type": "null"}]}


def _allows_null(prop: dict[str, Any]) -> bool:
    return prop.get("type") == "null" or any(_allows_null(p) for p in prop.get("anyOf", ()))


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
