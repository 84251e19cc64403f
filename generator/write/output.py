"""The write stage: the rendered bytes → the output folder, swapped in whole.

The new site is assembled in a sibling temporary folder and renamed into place, so a
reader never sees a half-written site and a failed build leaves the old one exactly as
it was. Files whose bytes did not change are hard-linked (or copied with their times)
from the old site, so their modification times stay as they were; when nothing at all
changed, nothing is touched.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

MARKER = ".library-site"  # marks a folder we made, so we never replace anything else


class UnsafeOutput(Exception):
    """The output folder exists, is not empty, and was not made by us."""


@dataclass(frozen=True)
class WriteReport:
    written: int
    unchanged: int
    removed: int


class SiteWriter:
    """A new site, written file by file into a sibling temporary folder; `commit()` swaps it
    in. Pages need not be held in memory: each is written (or linked, when its bytes are the
    old file's) as soon as it is rendered, by whichever process rendered it. A forked worker
    calls `write` and hands the results back; the writing process records them with `add`.

    Use it as a context manager: leaving the block without `commit()` (an error) removes the
    temporary folder and leaves the old site exactly as it was."""

    def __init__(self, out: Path) -> None:
        if out.exists() and (
            not out.is_dir() or (any(out.iterdir()) and not (out / MARKER).is_file())
        ):
            raise UnsafeOutput(str(out))
        self.out = out
        self.tmp = out.with_name(f".{out.name}.tmp-{os.getpid()}")
        shutil.rmtree(self.tmp, ignore_errors=True)
        self.tmp.mkdir(parents=True)
        self._folders: set[str] = set()  # made in the temporary folder by this process
        self.files: dict[str, bool] = {}  # output path → its bytes changed

    def __enter__(self) -> SiteWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        shutil.rmtree(self.tmp, ignore_errors=True)  # gone already after a commit

    def put(self, path: str, data: bytes) -> None:
        self.add(path, self.write(path, data))

    def add(self, path: str, changed: bool) -> None:
        self.files[path] = changed

    def write(self, path: str, data: bytes) -> bool:
        """Write one file into the new site; whether its bytes differ from the old site's."""
        folder, _, _ = path.rpartition("/")
        if folder and folder not in self._folders:
            os.makedirs(self.tmp / folder, exist_ok=True)
            self._folders.add(folder)
        old, target = self.out / path, self.tmp / path
        try:
            same = old.stat().st_size == len(data) and old.read_bytes() == data
        except OSError:
            same = False
        if same:
            _keep(old, target)
        else:
            target.write_bytes(data)
        return not same

    def commit(self) -> WriteReport:
        """Swap the new site in, unless nothing at all changed (then nothing is touched)."""
        self.put(MARKER, b"library-site output folder; safe to delete and rebuild\n")
        stale = [p for p in _listing(self.out) if p not in self.files]
        written = sum(1 for p, changed in self.files.items() if changed and p != MARKER)
        report = WriteReport(written, len(self.files) - 1 - written, len(stale))
        if self.out.is_dir() and not written and not stale and not self.files[MARKER]:
            shutil.rmtree(self.tmp, ignore_errors=True)
        else:
            _swap(self.tmp, self.out)
        return report


def write_site(files: dict[str, bytes], out: Path) -> WriteReport:
    with SiteWriter(out) as writer:
        for path, data in files.items():
            writer.put(path, data)
        return writer.commit()


def _listing(out: Path) -> list[str]:
    if not out.is_dir():
        return []
    return [
        os.path.relpath(os.path.join(folder, name), out).replace(os.sep, "/")
        for folder, _, names in os.walk(out)
        for name in names
    ]


def _keep(old: Path, new: Path) -> None:
    try:
        os.link(old, new)
    except OSError:  # file systems without hard links (some network shares)
        shutil.copy2(old, new)


def _swap(tmp: Path, out: Path) -> None:
    if not out.exists():
        tmp.rename(out)
        return
    retired = out.with_name(f".{out.name}.old-{os.getpid()}")
    shutil.rmtree(retired, ignore_errors=True)
    out.rename(retired)
    try:
        tmp.rename(out)
    except BaseException:
        retired.rename(out)
        raise
    shutil.rmtree(retired, ignore_errors=True)
