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


def write_site(files: dict[str, bytes], out: Path) -> WriteReport:
    files = {**files, MARKER: b"library-site output folder; safe to delete and rebuild\n"}
    old = _existing(out)
    changed = [p for p, data in files.items() if old.get(p) != data]
    stale = [p for p in old if p not in files]
    if out.is_dir() and not changed and not stale:
        return WriteReport(0, len(files) - 1, 0)

    tmp = out.with_name(f".{out.name}.tmp-{os.getpid()}")
    shutil.rmtree(tmp, ignore_errors=True)
    try:
        for path, data in sorted(files.items()):
            target = tmp / path
            target.parent.mkdir(parents=True, exist_ok=True)
            if path in old and old[path] == data:
                _keep(out / path, target)
            else:
                target.write_bytes(data)
        _swap(tmp, out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    written = len([p for p in changed if p != MARKER])
    return WriteReport(written, len(files) - 1 - written, len(stale))


def _existing(out: Path) -> dict[str, bytes]:
    if not out.exists():
        return {}
    if not out.is_dir() or (any(out.iterdir()) and not (out / MARKER).is_file()):
        raise UnsafeOutput(str(out))
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()}


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
