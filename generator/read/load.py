"""read → parse → validate for one file: the single way every YAML file and front matter is
loaded, so the preview server's read log (generator.deps) sees them all."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Generic, TypeVar

from pydantic import BaseModel

from generator import cache
from generator.problems.problem import Problem
from generator.read.text import Source, read_source
from generator.read.validate import validate
from generator.read.yamlio import Marked, parse_yaml
from generator.serve import deps

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


def load_file(root: Path, name: str, model: type[M]) -> tuple[Loaded[M] | None, list[Problem]]:
    # The preview gives an unchanged file's last result again without reading it.
    return deps.track_load(name, _load_file, root, name, model)


def _load_file(root: Path, name: str, model: type[M]) -> tuple[Loaded[M] | None, list[Problem]]:
    source = read_source(root / name, name)
    if isinstance(source, Problem):
        return None, [source]
    return parse_and_validate(source, model)


def parse_and_validate(source: Source, model: type[M]) -> tuple[Loaded[M] | None, list[Problem]]:
    # The preview server's read log sees every file here (and skips unchanged ones).
    return deps.track_read(source, model, _parse_and_validate)


def _parse_and_validate(source: Source, model: type[M]) -> tuple[Loaded[M] | None, list[Problem]]:
    # A build keeps the result by the file's text (the preview keeps its own, in memory).
    return cache.cached(
        "parse",
        lambda: cache.digest(source.name, f"{model.__module__}.{model.__qualname__}", source.text),
        lambda: _parse_uncached(source, model),
    )


def _parse_uncached(source: Source, model: type[M]) -> tuple[Loaded[M] | None, list[Problem]]:
    marked, problems = parse_yaml(source)
    if problems:
        return None, problems
    obj, problems = validate(marked, model)
    return (Loaded(obj, marked) if obj is not None else None), problems
