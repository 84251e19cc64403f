"""The read stage: bytes on disk → text, whatever Notepad did to it.

UTF-8 with or without a BOM, LF or CRLF. Anything else is a reported problem that names
the likely encoding; the platform's default encoding is never used.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from generator.problems.problem import Position, Problem


@dataclass(frozen=True)
class Source:
    """A file's text with the name a teacher knows it by (relative to the site folder)."""

    name: str
    text: str

    @property
    def lines(self) -> list[str]:
        return self.text.split("\n")

    def line(self, number: int) -> str | None:
        lines = self.lines
        return lines[number - 1] if 0 < number <= len(lines) else None

    def problem(self, code: str, line: int, col: int, **params: object) -> Problem:
        return Problem(code, Position(self.name, line, col), params, source_line=self.line(line))


@dataclass(frozen=True)
class FrontAndBody:
    """A Markdown file's text as its front matter (padded so its lines are the file's, as
    `split_front_matter` makes it) and its body: what the public build scans for names,
    kept without a second copy of the body (a site may have thousands of articles)."""

    name: str
    front: str
    body: str

    @property
    def text(self) -> str:
        return "---" + self.front + "\n---\n" + self.body


def decode(data: bytes, name: str) -> Source | Problem:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or _looks_utf16(data):
        return Problem("E001", Position(name), {"encoding": "UTF-16 (Unicode)"})
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        return Problem("E001", Position(name, line, 1), {"encoding": _guess(data)})
    return Source(name, text.replace("\r\n", "\n").replace("\r", "\n"))


def read_source(path: Path, name: str) -> Source | Problem:
    try:
        data = path.read_bytes()
    except OSError as exc:
        return Problem("E002", Position(name), {"reason": exc.strerror or str(exc)})
    return decode(data, name)


def read_text(path: Path) -> str:
    """Read one of our own files (templates, assets): UTF-8, BOM accepted."""
    return path.read_text(encoding="utf-8-sig")


def _looks_utf16(data: bytes) -> bool:
    sample = data[:200]
    return len(sample) >= 4 and sample.count(0) >= len(sample) // 4


def _guess(data: bytes) -> str:
    for encoding, label in (("gb18030", "GBK/ANSI"), ("big5", "Big5")):
        try:
            data.decode(encoding)
        except UnicodeDecodeError:
            continue
        return label
    return "GBK/ANSI"
