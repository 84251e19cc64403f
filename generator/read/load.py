"""read → parse → validate for one file: the single way every YAML file and front matter is
loaded, through the build's `Memo` (a build keeps parses by text; the preview skips files
that did not change)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Generic, TypeVar

from pydantic import BaseModel

from generator.memo import NO_MEMO, Memo
from generator.problems.problem import Problem
from generator.read.text import Source, read_source
from generator.read.validate import validate
from generator.read.yamlio import Marked, parse_yaml

M = TypeVar("M", bound=BaseModel)
T = TypeVar("T")


@dataclass(frozen=True)
class Loaded(Generic[T]):
    """A validated file and where its parts were written."""

    model: T
    marked: Marked

    @property
    def name(self) -> str:
        return self.marked.source.name


def load_file(
    root: Path, name: str, model: type[M], memo: Memo = NO_MEMO
) -> tuple[Loaded[M] | None, list[Problem]]:
    return memo.load(name, lambda: _load_file(root, name, model, memo))


def _load_file(
    root: Path, name: str, model: type[M], memo: Memo
) -> tuple[Loaded[M] | None, list[Problem]]:
    source = read_source(root / name, name, root)
    if isinstance(source, Problem):
        return None, [source]
    return parse_and_validate(source, model, memo)


def parse_and_validate(
    source: Source, model: type[M], memo: Memo = NO_MEMO
) -> tuple[Loaded[M] | None, list[Problem]]:
    key = (source.name, f"{model.__module__}.{model.__qualname__}", source.text)
    return memo.lookup("parse", key, lambda: _parse(source, model))


def _parse(source: Source, model: type[M]) -> tuple[Loaded[M] | None, list[Problem]]:
    marked, problems = parse_yaml(source)
    if problems:
        return None, problems
    obj, problems = validate(marked, model)
    return (Loaded(obj, marked) if obj is not None else None), problems
