"""The read stage: bytes on disk → text, whatever Notepad did to it.

UTF-8 with or without a BOM, LF or CRLF. Anything else is a reported problem that names
the likely encoding; the platform's default encoding is never used.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Sequence
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


# A teacher's YAML or Markdown file is a few KB; this is a thousand times that. More is the
# wrong file (a picture, an export), and is refused before it is read into memory (E701).
MAX_FILE_BYTES = 1024 * 1024

# O_NONBLOCK: opening a FIFO that slipped past the check must not wait for a writer; neither
# flag exists on Windows, where there are no FIFOs to open and files need no binary flag.
_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)


def read_source(path: Path, name: str, root: Path | None = None) -> Source | Problem:
    """The text of a teacher's file `name` (relative to the site folder `root`; by default
    the folder `path` is `name` inside). Only a regular file inside the site folder is read,
    and at most MAX_FILE_BYTES of it: a FIFO, a device or a link to elsewhere on the disk is
    refused unread (E702, E703), so it neither hangs the build nor is published."""
    if root is None:
        root = _root_of(path, name)
    try:
        data = _read_bounded(path, root)
    except _Refused as refused:
        return Problem(refused.code, Position(name), refused.params)
    except OSError as exc:
        return Problem("E002", Position(name), {"reason": exc.strerror or str(exc)})
    return decode(data, name)


class _Refused(Exception):
    def __init__(self, code: str, **params: object) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


def _root_of(path: Path, name: str) -> Path:
    parts = len(Path(name).parts)
    return path.parents[parts - 1] if 0 < parts <= len(path.parents) else path.parent


def _read_bounded(path: Path, root: Path) -> bytes:
    # a link is followed only while it stays in the site folder (a teacher's shortcut to
    # another file of the site is fine; one to D:\ or /etc is never published)
    linked = os.path.islink(path) or any(os.path.islink(p) for p in _between(path, root))
    if linked and not _inside(os.path.realpath(path), os.path.realpath(root)):
        raise _Refused("E703")
    info = os.stat(path)  # raises FileNotFoundError for a missing file or a dangling link
    if not stat.S_ISREG(info.st_mode):
        raise _Refused("E702", kind=_kind(info.st_mode))
    if info.st_size > MAX_FILE_BYTES:
        raise _Refused("E701", size=info.st_size, limit=MAX_FILE_BYTES)
    fd = os.open(path, _OPEN_FLAGS)
    with os.fdopen(fd, "rb") as file:
        # checked again on what was opened: the file may have been swapped since the stat
        if not stat.S_ISREG(os.fstat(file.fileno()).st_mode):
            raise _Refused("E702", kind=_kind(os.fstat(file.fileno()).st_mode))
        # as much as the stat said, and one byte more to see whether it grew: asking for
        # MAX_FILE_BYTES + 1 at once would have every read allocate a buffer that large
        data = file.read(info.st_size + 1)
        if len(data) > info.st_size:  # it grew after the stat: read on, to the limit
            data += file.read(MAX_FILE_BYTES + 1 - len(data))
    if len(data) > MAX_FILE_BYTES:
        raise _Refused("E701", size=len(data), limit=MAX_FILE_BYTES)
    return data


def _inside(real: str, top: str) -> bool:
    try:
        return os.path.commonpath([real, top]) == top
    except ValueError:  # Windows: on another drive (D:\ against C:\) there is no common path
        return False


def _between(path: Path, root: Path) -> list[str]:
    """The folders from `root` (excluded) down to `path`'s own folder: a linked folder
    inside the site may lead out of it as well as a linked file."""
    # As text: split from the path when it is spelt as `root` and more (as the loaders make
    # it), without a Path made for each folder of every file read; else by `relative_to`
    # (Windows: the case of a name may differ)
    folder, top = os.path.dirname(os.fspath(path)), os.fspath(root)
    if folder == top:
        return []
    if folder.startswith(top + os.sep) and not top.endswith(os.sep):
        parts: Sequence[str] = folder[len(top) + 1 :].split(os.sep)
    else:
        try:
            parts = path.parent.relative_to(root).parts
        except ValueError:
            return []
    folders, current = [], top
    for part in parts:
        current = os.path.join(current, part)
        folders.append(current)
    return folders


def _kind(mode: int) -> dict[str, str]:
    if stat.S_ISDIR(mode):
        return {"zh": "文件夹", "en": "a folder"}
    if stat.S_ISFIFO(mode):
        return {"zh": "命名管道", "en": "a FIFO"}
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return {"zh": "设备", "en": "a device"}
    if stat.S_ISSOCK(mode):
        return {"zh": "套接字", "en": "a socket"}
    return {"zh": "特殊文件", "en": "a special file"}


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
