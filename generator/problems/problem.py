"""Problems found in a teacher's files, each with the place it was found.

A `Problem` is data: a stable code, the position, and the parameters of its message.
The words come from `catalogue.CATALOGUE` when it is rendered, in Chinese or English,
so every stage can report without knowing the reader's language.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any, Literal

from generator.problems.catalogue import CATALOGUE
from generator.problems.messages import fill, language, say


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True)
class Position:
    """A place in a source file. `line` and `col` count from 1, as editors do."""

    file: str
    line: int = 0
    col: int = 0

    def __str__(self) -> str:
        if not self.line:
            return self.file
        return f"{self.file}:{self.line}:{self.col}"


@dataclass(frozen=True)
class Problem:
    code: str
    position: Position
    params: Mapping[str, Any] = field(default_factory=dict)
    source_line: str | None = None

    @property
    def severity(self) -> Severity:
        """W-codes are warnings: listed, but they do not fail the build."""
        return Severity.WARNING if self.code.startswith("W") else Severity.ERROR

    def message(self, lang: str = "zh") -> str:
        return _text(self.code, "message", lang, self.params)

    def hint(self, lang: str = "zh") -> str:
        return _text(self.code, "hint", lang, self.params)

    def render(self, lang: str = "zh") -> str:
        """`file:line:col: 错误 E101: message`, the offending line, a caret, the hint."""
        word = say("I001" if self.is_error else "I002", lang)
        lines = [f"{self.position}: {word} {self.code}: {self.message(lang)}"]
        if self.source_line is not None and self.position.line:
            number = str(self.position.line)
            text = self.source_line.rstrip("\r\n")
            lines.append(f"  {number} | {_visible(text)}")
            lines.append(f"  {' ' * len(number)} | {caret_padding(text, self.position.col)}^")
        hint = self.hint(lang)
        if hint:
            lines.append(f"  {say('I003', lang)}: {hint}")
        return "\n".join(lines)

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.position.file, self.position.line, self.position.col, self.code)


def _text(code: str, part: Literal["message", "hint"], lang: str, params: Mapping[str, Any]) -> str:
    return fill(CATALOGUE[code][part][language(lang)], lang, params)


def _visible(text: str) -> str:
    """Show tabs and invisible characters, so the caret lines up and the culprit shows."""
    return "".join(
        _VISIBLE.get(ch) or ("␣" if unicodedata.category(ch) == "Cc" else ch) for ch in text
    )


_VISIBLE = {"\t": "→", "\u200b": "␣", "\u200c": "␣", "\u200d": "␣", "\ufeff": "␣"}


def caret_padding(text: str, col: int) -> str:
    """Spaces up to column `col` (1-based), counting CJK characters as two cells."""
    width = 0
    for ch in text[: max(col - 1, 0)]:
        width += 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
    return " " * width


class ProblemReport:
    """Every problem of one run, collected across files before anything is given up."""

    def __init__(self, problems: Iterable[Problem] = ()) -> None:
        self.problems: list[Problem] = list(problems)

    def add(self, problem: Problem) -> None:
        self.problems.append(problem)

    def extend(self, problems: Iterable[Problem]) -> None:
        self.problems.extend(problems)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if not p.is_error]

    def sorted(self) -> list[Problem]:
        unique = {
            (p.code, p.position, tuple(sorted(map(str, p.params.items())))): p
            for p in self.problems
        }
        return sorted(unique.values(), key=Problem.sort_key)

    def render(self, lang: str = "zh") -> str:
        return "\n\n".join(p.render(lang) for p in self.sorted())


class BuildFailed(Exception):
    """Raised between stages when a stage found errors; carries the whole report."""

    def __init__(self, report: ProblemReport) -> None:
        super().__init__(f"{len(report.errors)} error(s)")
        self.report = report


def relative_name(path: Path, root: Path) -> str:
    """The name a teacher knows a file by: relative to the site folder, with `/`."""
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()
