"""The write stage: the rendered bytes → the output folder, swapped in whole.

The new site is assembled in a sibling folder `.<name>.new` and swapped into place, so a
reader never sees a half-written site and a failed build leaves the old one exactly as it
was. Files whose bytes did not change are hard-linked (or copied with their times) from the
old site, so their modification times stay as they were; when nothing at all changed,
nothing is touched.

The swap. On Linux it is one `renameat2(RENAME_EXCHANGE)`: at every instant the output
folder is the whole old or the whole new site. Where the OS or the file system has no
exchange (Windows, macOS, some network shares), it is two renames, `out → .<name>.old` and
`.<name>.new → out`, with a moment between them in which `out` is missing. A build killed in
that moment leaves both sites whole beside it, and the next build puts the old one back.
The sibling folders have fixed names, whatever the process, so the next build always
recognises and heals what a killed one left (`heal`).

A build after an edit (`in_place`) rewrites a handful of files of a site that may hold
thousands: making the whole new tree for them (a folder and a link for every unchanged
file, or a copy of it on a share without links) was most of such a build. Its changed files
wait in the sibling folder until `commit()`, then each replaces its old file in one rename,
the manifest last (and first too when files are added, listing old and new); a reader
sees every file whole, old or new, and a failed build still writes nothing. A commit that
would replace more files than `IN_PLACE_MAX` makes the new tree and swaps it instead, so a
big change is still seen all at once.

The retired site is not deleted by the build: deleting thousands of files took 0.5–1.7 s
of every rebuild, after the new site was already in place. It is renamed
`.<name>.retired-<pid>-<n>` (a name no later build reuses) and a detached process deletes
it (`retire`), so the build ends at the swap. A retired folder whose deleter was killed
is handed to a new one by the next build; it never counts as a leftover to heal first:
the site beside it is whole.

One build at a time (`OutputLock`): a lock file `.<name>.lock` beside the output folder.
The lock goes with the process: a killed build never leaves a folder locked.

The output folder is the user's. A symlinked output folder stays a link: the site goes into
its target. The marker `.library-site` is a manifest, the list of every file the tool
wrote; a folder is replaced only when it is empty or when every file in it is listed there,
so nothing the tool did not write is ever deleted.
"""

from __future__ import annotations

import atexit
import contextlib
import ctypes
import errno
import hashlib
import itertools
import json
import os
import shutil
import stat
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from types import TracebackType
from typing import Any

from generator.interrupt import held, mark_changed
from generator.problems.messages import Message
from generator.problems.problem import BuildFailed, Position, Problem, ProblemReport

MARKER = ".library-site"  # the manifest: what we wrote, so we never delete anything else
# What the marker said before it was a manifest: a folder carrying exactly this is taken as
# a site an earlier version wrote, and kept beside the new one rather than deleted.
LEGACY_MARKER = b"library-site output folder; safe to delete and rebuild\n"
MANIFEST_FORMAT = "library-site output manifest 1"
LOCK_WAIT = 5.0  # seconds a second build waits for the first before it gives up
IN_PLACE_MAX = 100  # files an `in_place` commit replaces one by one; more: a swap
_SHOWN = 5  # foreign files named in a message


class UnsafeOutput(Exception):
    """The output folder exists, is not empty, and was not made by us (E313)."""

    code = "E313"


class ForeignFiles(UnsafeOutput):
    """The output folder is ours, but holds files our manifest does not list (E326)."""

    code = "E326"

    def __init__(self, out: str, files: list[str]) -> None:
        super().__init__(out)
        self.out, self.files = out, files

    def shown(self) -> str:
        more = f" …(+{len(self.files) - _SHOWN})" if len(self.files) > _SHOWN else ""
        return ", ".join(self.files[:_SHOWN]) + more


class OutputBusy(Exception):
    """Another build holds the output folder's lock (E327)."""

    code = "E327"


# Windows' own reasons, beside errno (which Python maps them to, both as EACCES)
_SHARING_VIOLATION, _LOCK_VIOLATION, _ACCESS_DENIED = 32, 33, 5
# what the site is after a failed write: E328's {state}
UNTOUCHED, PARTIAL, MOVED, PREVIEW = "I122", "I123", "I124", "I125"


class WriteFailed(BuildFailed):
    """An `OSError` while writing the output folder, as the problem E328: the file (or
    folder) that could not be written or replaced, why in plain words, what to do, and what
    the site is now (`UNTOUCHED`, `PARTIAL`, `MOVED`, `PREVIEW`). A `BuildFailed`, so the
    build and the preview report it like any other problem. Made of plain values, so a
    forked render worker can hand it back."""

    code = "E328"

    def __init__(
        self,
        file: str,
        error: int | None,
        winerror: int | None,
        detail: str,
        state: str = UNTOUCHED,
        kept: str = "",
        folder: bool = False,
    ) -> None:
        self.values = (file, error, winerror, detail, state, kept, folder)
        self.file, self.state = file, state
        reason, advice = _why(error, winerror)
        params = {
            "what": Message("I111" if folder else "I110"),
            "reason": Message(reason, {"detail": detail}),
            "advice": Message(advice),
            "state": Message(state, {"kept": kept}),
        }
        super().__init__(ProblemReport([Problem(self.code, Position(file), params)]))

    def __reduce__(self) -> tuple[type[WriteFailed], tuple[Any, ...]]:
        return (type(self), self.values)

    @classmethod
    def of(
        cls, exc: OSError, file: str, state: str = UNTOUCHED, kept: str = "", folder: bool = False
    ) -> WriteFailed:
        detail = exc.strerror or str(exc)
        return cls(file, exc.errno, getattr(exc, "winerror", None), detail, state, kept, folder)


def _why(error: int | None, winerror: int | None) -> tuple[str, str]:
    """E328's reason and advice (I-codes) for an `OSError`'s errno and, on Windows, its
    winerror: a file held open, no permission, a full disk, a read-only drive, or else the
    system's own words."""
    if winerror in (_SHARING_VIOLATION, _LOCK_VIOLATION) or error in (errno.EBUSY, errno.ETXTBSY):
        return "I112", "I117"
    if winerror == _ACCESS_DENIED or error in (errno.EACCES, errno.EPERM):
        return "I113", "I118"
    if error in (errno.ENOSPC, errno.EDQUOT):
        return "I114", "I119"
    if error == errno.EROFS:
        return "I115", "I120"
    return "I116", "I121"


@contextlib.contextmanager
def reported(file: Callable[[OSError], str], state: str = UNTOUCHED) -> Iterator[None]:
    """An `OSError` inside the block raised as `WriteFailed` (E328), naming `file(error)`;
    a decorator too (the preview's own writes)."""
    try:
        yield
    except OSError as exc:
        raise WriteFailed.of(exc, file(exc), state) from None


def failed_file(exc: OSError) -> str:
    """The file an `OSError` names: of a rename, the one it was to replace."""
    name = exc.filename2 if exc.filename2 is not None else exc.filename
    return os.fsdecode(name) if name is not None else ""


@dataclass(frozen=True)
class WriteReport:
    written: int
    unchanged: int
    removed: int
    kept: Path | None = None  # where the site an earlier version wrote was kept, if it was


# --- names beside the output folder ------------------------------------------------------


def target(out: Path) -> Path:
    """The folder the site really goes into: a symlinked output folder's target (the link
    stays: it may be a web server's folder)."""
    return Path(os.path.realpath(out))


def new_folder(out: Path) -> Path:
    return out.with_name(f".{out.name}.new")


def old_folder(out: Path) -> Path:
    return out.with_name(f".{out.name}.old")


def lock_file(out: Path) -> Path:
    return out.with_name(f".{out.name}.lock")


_retired_count = itertools.count()


def retired_folder(out: Path) -> Path:
    """A name for a retired site that no other build, now or later, uses."""
    return out.with_name(f".{out.name}.retired-{os.getpid()}-{next(_retired_count)}")


def _retired(out: Path) -> list[Path]:
    try:
        names = os.listdir(out.parent)
    except OSError:
        return []
    prefix = f".{out.name}.retired-"
    return [out.parent / n for n in sorted(names) if n.startswith(prefix)]


def _legacy(out: Path) -> tuple[list[Path], list[Path]]:
    """Temporary and retired folders of the builds before fixed names (`.<name>.tmp-<pid>`,
    `.<name>.old-<pid>`), newest first."""
    try:
        names = os.listdir(out.parent)
    except OSError:
        return [], []

    def newest(prefix: str) -> list[Path]:
        found = [out.parent / n for n in names if n.startswith(prefix)]
        return sorted(found, key=_mtime, reverse=True)

    return newest(f".{out.name}.tmp-"), newest(f".{out.name}.old-")


def _mtime(path: Path) -> float:
    try:
        return path.lstat().st_mtime
    except OSError:
        return 0.0


def leftovers(out: Path) -> list[Path]:
    """What a killed build left beside the output folder (its target, if a link)."""
    out = target(out)
    tmps, olds = _legacy(out)
    found = [p for p in (new_folder(out), old_folder(out)) if os.path.lexists(p)]
    return found + tmps + olds


def heal(out: Path) -> list[Path]:
    """Undo what a killed build left: the old site back in place when the output folder is
    missing (a kill between the two renames of the fallback), the rest removed. Call it
    holding the lock. Returns what was restored or removed."""
    out = target(out)
    tmps, olds = _legacy(out)
    retired = [p for p in (old_folder(out), *olds) if p.is_dir() and not p.is_symlink()]
    touched: list[Path] = []
    if not os.path.lexists(out) and retired:
        os.rename(retired[0], out)
        touched.append(retired[0])
    for left in (new_folder(out), old_folder(out), *tmps, *olds):
        if os.path.lexists(left):
            _remove(left)
            touched.append(left)
    for left in _retired(out):  # a deleter killed before it finished: a new one takes over
        if not _being_deleted(left):
            retire(left)
    return touched


# --- deleting a retired site, after the build --------------------------------------------

# `shutil.rmtree` in a process of its own; "-I -S": no site-packages, nothing of the user's.
_DELETER = "import shutil, sys; shutil.rmtree(sys.argv[1], ignore_errors=True)"
_deleters: list[tuple[Path, subprocess.Popen[bytes]]] = []


def retire(folder: Path, out: Path | None = None) -> Path:
    """Delete a site folder in the background: renamed out of the way (`retired_folder`),
    then removed by a detached process, so no build waits for it (nor is it stopped by the
    Ctrl+C that stops the build); `out`: the output folder it was retired from, for its
    name (None: it has a retired name already). Where no process can be started it is
    removed here."""
    if out is not None:
        gone = retired_folder(out)
        os.rename(folder, gone)
        folder = gone
    _reap()
    try:
        process = subprocess.Popen(
            [sys.executable, "-I", "-S", "-c", _DELETER, str(folder)],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
    except OSError:
        _remove(folder)
    else:
        _deleters.append((folder, process))
    return folder


@atexit.register
def _let_deleters_finish() -> None:
    """A long-lived process (the preview, a test run) that ends while a deleter runs waits
    for it a moment: it is not left a zombie, nor is its Popen reported still running.
    `python build.py` ends without this teardown, so a build never waits."""
    for _, process in _deleters:
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(5)
        if process.returncode is None:
            process.returncode = 0  # let go: the deleter finishes on its own


def _being_deleted(folder: Path) -> bool:
    _reap()
    return any(path == folder for path, _ in _deleters)


def _reap() -> None:
    _deleters[:] = [(f, p) for f, p in _deleters if p.poll() is None]


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)


# --- one build at a time -----------------------------------------------------------------


class OutputLock:
    """An exclusive lock on one output folder, held by a lock file beside it (never
    deleted: removing a lock file while another process waits on it would let two in).
    Waits up to `wait` seconds, then raises `OutputBusy`."""

    def __init__(self, out: Path, wait: float | None = None) -> None:
        self.out = target(out)
        self.path = lock_file(self.out)
        self.wait = LOCK_WAIT if wait is None else wait
        self._fd: int | None = None

    def acquire(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        deadline = time.monotonic() + self.wait
        while True:
            try:
                _lock(fd)
                break
            except OSError:
                if time.monotonic() >= deadline:
                    os.close(fd)
                    raise OutputBusy(str(self.out)) from None
                time.sleep(0.05)
        self._fd = fd

    def release(self) -> None:
        if self._fd is not None:
            fd, self._fd = self._fd, None
            try:
                _unlock(fd)
            finally:
                os.close(fd)

    def __enter__(self) -> OutputLock:
        self.acquire()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.release()


if sys.platform == "win32":
    import msvcrt

    def _lock(fd: int) -> None:
        os.lseek(fd, 0, os.SEEK_SET)  # msvcrt locks bytes from the file position
        msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)

    def _unlock(fd: int) -> None:
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _lock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)


# --- the manifest ------------------------------------------------------------------------


def read_manifest(out: Path) -> set[str] | None:
    """The files the tool wrote into `out`, or None when `out` holds no manifest of ours
    (a text marker of the builds before manifests counts as none: anyone can make one)."""
    path = out / MARKER
    try:
        if not stat.S_ISREG(path.lstat().st_mode):
            return None
        data = json.loads(path.read_bytes().decode("utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("format") != MANIFEST_FORMAT:
        return None
    files = data.get("files")
    if not isinstance(files, list) or not all(isinstance(f, str) for f in files):
        return None
    return set(files)


def manifest_bytes(files: list[str]) -> bytes:
    text = json.dumps({"format": MANIFEST_FORMAT, "files": sorted(files)}, ensure_ascii=False)
    return (text.replace('", "', '",\n "') + "\n").encode("utf-8")


def write_manifest(out: Path, files: list[str]) -> None:
    """Replace the manifest of a folder written in place (the preview), in one rename."""
    scratch = out / f"{MARKER}.tmp"
    scratch.write_bytes(manifest_bytes([f for f in files if f != MARKER]))
    os.replace(scratch, out / MARKER)


def check_output(out: Path) -> bool:
    """Raise unless `out` may be replaced: missing, an empty folder, or a folder whose every
    entry our manifest lists. True: a folder an earlier version wrote (its old marker, no
    manifest), which is replaced but kept (`kept_folder`), never deleted."""
    if not os.path.lexists(out):
        return False
    if not out.is_dir():
        raise UnsafeOutput(str(out))
    entries = _entries(out)
    if not entries:
        return False
    listed = read_manifest(out)
    if listed is None:
        if _legacy_marker(out):
            return True
        raise UnsafeOutput(str(out))
    folders = {p.rpartition("/")[0] for p in listed}
    folders |= {f[:i] for f in folders for i in range(len(f)) if f[i] == "/"}
    foreign = [
        p
        for p, is_dir in entries
        if p != MARKER and (p not in folders if is_dir else p not in listed)
    ]
    if foreign:
        raise ForeignFiles(str(out), sorted(foreign))
    return False


def _legacy_marker(out: Path) -> bool:
    path = out / MARKER
    try:
        return stat.S_ISREG(path.lstat().st_mode) and path.read_bytes() == LEGACY_MARKER
    except OSError:
        return False


def kept_folder(out: Path) -> Path:
    """Where the site of an earlier version is kept: `<name>.before-upgrade` (then -2, -3…)."""
    kept, n = out.with_name(f"{out.name}.before-upgrade"), 1
    while os.path.lexists(kept):
        n += 1
        kept = out.with_name(f"{out.name}.before-upgrade-{n}")
    return kept


def _entries(out: Path, prefix: str = "") -> list[tuple[str, bool]]:
    """Every entry under `out` (path, is a real folder), links not followed: a link, FIFO or
    device is an entry like a file, never read or entered."""
    found: list[tuple[str, bool]] = []
    with os.scandir(out) as it:
        for entry in it:
            path = prefix + entry.name
            if entry.is_dir(follow_symlinks=False):
                found.append((path, True))
                found.extend(_entries(Path(entry.path), path + "/"))
            else:
                found.append((path, False))
    return found


# --- writing -----------------------------------------------------------------------------


class SiteWriter:
    """A new site, written file by file into the sibling folder `.<name>.new`; `commit()`
    swaps it in. Pages need not be held in memory: each is written (or linked, when its
    bytes are the old file's) as soon as it is rendered, by whichever process rendered it.
    A forked worker calls `write` and hands the results back; the writing process records
    them with `add`.

    Making one takes the output folder's lock (`OutputBusy` after `lock_wait` seconds),
    heals what a killed build left and refuses a folder that is not ours (`UnsafeOutput`).
    Use it as a context manager: leaving the block without `commit()` (an error) removes the
    new folder, releases the lock and leaves the old site exactly as it was.

    Any `OSError` of the file system (a file another program holds open, no permission, a
    full disk, a read-only share) is raised as `WriteFailed` (E328), naming the file as the
    output folder `out` names it, and saying what the site is: as it was, unless an
    `in_place` commit could not put back what it had replaced (see `_replace_in_place`).

    `in_place`: the new folder holds only the changed files (flat, by a name made from
    their path), which `commit()` moves into the old site (see the module's docstring);
    an unchanged file is left where it is. Ignored unless the output folder is a site of
    ours with its manifest."""

    def __init__(self, out: Path, lock_wait: float | None = None, in_place: bool = False) -> None:
        self.given = out  # the output folder as the user named it, for the messages
        self.out = target(out)
        self.lock = OutputLock(self.out, lock_wait)
        with self._reported():
            self.lock.acquire()
        try:
            with self._reported():
                heal(self.out)
                self.keep_old = check_output(self.out)
                self.in_place = (
                    in_place and not self.keep_old and read_manifest(self.out) is not None
                )
                self.tmp = new_folder(self.out)
                self.tmp.mkdir(parents=True)
        except BaseException:
            self.lock.release()
            raise
        self._folders: set[str] = set()  # made in the new folder by this process
        self.files: dict[str, bool] = {}  # output path → its bytes changed

    def __enter__(self) -> SiteWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        try:
            _remove(self.tmp)  # gone already after a commit
        finally:
            self.lock.release()

    def shown(self, path: str = "") -> str:
        """An output path as the user knows it: under the output folder they named."""
        return str(self.given / path) if path else str(self.given)

    def _reported(self, path: str | None = None, state: str = UNTOUCHED) -> Any:
        """`reported` for this output folder: naming `path` (an output path), else the file
        the error names if it is inside the output folder, else the output folder."""

        def file(exc: OSError) -> str:
            if path is not None:
                return self.shown(path)
            with contextlib.suppress(ValueError):
                return self.shown(Path(failed_file(exc)).relative_to(self.out).as_posix())
            return self.shown()

        return reported(file, state)

    def put(self, path: str, data: bytes | Iterator[bytes | bytearray]) -> None:
        """`data`: the file's bytes, or its parts, each written as it comes (a big file need
        not be held whole)."""
        changed = (
            self.write(path, data)
            if isinstance(data, bytes | bytearray)
            else self._write_parts(path, data)
        )
        self.add(path, changed)

    def add(self, path: str, changed: bool) -> None:
        self.files[path] = changed

    def keep(self, path: str) -> None:
        """The old site's file, as it is, in the new site (a page the build did not render
        again: its bytes are the same)."""
        if not self.in_place:  # in place, it stays where it is
            with self._reported(path):
                _keep(*self._paths(path))
        self.add(path, False)

    def write(self, path: str, data: bytes) -> bool:
        """Write one file into the new site; whether its bytes differ from the old site's."""
        with self._reported(path):
            old, new = self._paths(path)
            same = _unchanged(old, len(data), lambda: old.read_bytes() == data)
            if not same:
                new.write_bytes(data)
            elif not self.in_place:
                _keep(old, new)
        return not same

    def _write_parts(self, path: str, parts: Iterator[bytes | bytearray]) -> bool:
        """`write` for a file given in parts: written, then compared with the old site's."""
        with self._reported(path):
            old, new = self._paths(path)
            with open(new, "wb") as f:
                for part in parts:
                    f.write(part)
            same = _unchanged(old, new.stat().st_size, lambda: _same(old, new))
            if same:
                new.unlink()
                if not self.in_place:
                    _keep(old, new)
        return not same

    def _paths(self, path: str) -> tuple[Path, Path]:
        """The file in the old site and where its new bytes go: the new site (its folder
        made), or `in_place`, where it waits for the commit (`_waiting`)."""
        if self.in_place:
            return self.out / path, self._waiting(path)
        folder, _, _ = path.rpartition("/")
        if folder and folder not in self._folders:
            os.makedirs(self.tmp / folder, exist_ok=True)
            self._folders.add(folder)
        return self.out / path, self.tmp / path

    def _waiting(self, path: str) -> Path:
        """Where an `in_place` build's changed file waits for the commit: one flat folder
        (no folder made per page), a name any process derives from the path alike."""
        return self.tmp / hashlib.sha1(path.encode("utf-8")).hexdigest()

    def _replaced(self, path: str) -> Path:
        """Where an `in_place` commit keeps the old site's file it replaced or deleted, until
        the commit is done: put back from there when a later file fails."""
        return self.tmp / ("old-" + hashlib.sha1(path.encode("utf-8")).hexdigest())

    def _replace_in_place(self, stale: list[str], listed: set[str]) -> None:
        """The changed files moved into the old site, the stale ones deleted (and the
        folders they leave empty: an empty folder the manifest does not explain would be
        refused as foreign), the manifest last (and first as well, listing the old files
        and the new, when there are new ones).

        A file that cannot be replaced (on Windows: one another program holds open) must
        not leave a mixed site: each step is undone, last first, and the site is as it was
        (the files put back are the same files, their times too). Only when a step cannot
        be undone either is the site left mixed, and said so (`PARTIAL`); its manifest is
        then still the old one and the output folder no longer as the last build left it,
        so the next build writes the whole site again and swaps it in, as after a kill."""
        undo: list[Callable[[], object]] = []
        path = MARKER
        # A build killed after placing a new file, before the manifest, would leave a file
        # the old manifest does not list: the next build would refuse the folder (E326).
        # So the manifest first lists the old and the new files (one not there yet is no harm).
        added = [p for p, new in self.files.items() if new and p != MARKER and p not in listed]
        try:
            if added:
                first = self.tmp / "manifest-first"
                first.write_bytes(manifest_bytes([*listed, *added]))
                self._move_in(MARKER, undo, first, self.tmp / "old-manifest-first")
            for path, changed in self.files.items():
                if changed and path != MARKER:
                    self._move_in(path, undo)
            for path in stale:
                self._delete(path, undo)
            path = MARKER
            if self.files[MARKER]:
                self._move_in(MARKER, undo)
        except OSError as exc:
            whole = _undo(undo)
            raise WriteFailed.of(exc, self.shown(path), UNTOUCHED if whole else PARTIAL) from None
        _remove(self.tmp)

    def _move_in(
        self,
        path: str,
        undo: list[Callable[[], object]],
        src: Path | None = None,
        old: Path | None = None,
    ) -> None:
        """A changed file (`src`, else the one waiting for `path`) into the old site, in one
        rename; the old file kept (a hard link: the same file; at `old`, else the path's own
        place) to be put back."""
        dst = self.out / path
        self._make_folders(dst.parent, undo)
        old = old or self._replaced(path)
        there = os.path.lexists(dst)
        if there:
            _keep(dst, old)
        os.replace(src or self._waiting(path), dst)
        undo.append(partial(os.replace, old, dst) if there else partial(_unlink, dst))

    def _delete(self, path: str, undo: list[Callable[[], object]]) -> None:
        dst = self.out / path
        if os.path.lexists(dst):
            os.replace(dst, self._replaced(path))
            undo.append(partial(os.replace, self._replaced(path), dst))
        folder = dst.parent
        while folder != self.out and not any(folder.iterdir()):
            folder.rmdir()
            undo.append(partial(folder.mkdir))
            folder = folder.parent

    def _make_folders(self, folder: Path, undo: list[Callable[[], object]]) -> None:
        missing = []
        while folder != self.out and not os.path.lexists(folder):
            missing.append(folder)
            folder = folder.parent
        for made in reversed(missing):
            made.mkdir()
            undo.append(partial(made.rmdir))

    def _whole_tree(self) -> None:
        """An `in_place` build with too much changed: the new site made whole after all."""
        waiting = {path: self._waiting(path) for path, changed in self.files.items() if changed}
        self.in_place = False
        for path in self.files:
            with self._reported(path):
                old, new = self._paths(path)
                if path in waiting:
                    os.replace(waiting[path], new)
                else:
                    _keep(old, new)

    def _swap(self, keep: Path | None = None) -> None:
        """`swap`, its failure a problem naming the output folder: the old site in its place,
        or (when even the rename back failed) kept whole beside it for the next build."""
        try:
            swap(self.tmp, self.out, keep)
        except SiteMoved as moved:
            beside = not self.given.is_symlink()  # else beside the link's target
            kept = str(self.given.with_name(moved.kept.name) if beside else moved.kept)
            raise WriteFailed.of(moved.error, self.shown(), MOVED, kept, folder=True) from None
        except OSError as exc:
            raise WriteFailed.of(exc, self.shown(), folder=True) from None

    def commit(self) -> WriteReport:
        """Swap the new site in, unless nothing at all changed (then nothing is touched);
        `in_place`, its changed files replace theirs. The manifest is written last, so it
        comes with the files it lists: never a manifest without its files."""
        self.put(MARKER, manifest_bytes([p for p in self.files if p != MARKER]))
        listed = read_manifest(self.out) or set()
        stale = [p for p in listed if p not in self.files]
        written = sum(1 for p, changed in self.files.items() if changed and p != MARKER)
        report = WriteReport(written, len(self.files) - 1 - written, len(stale))
        if self.in_place and written + len(stale) > IN_PLACE_MAX:
            self._whole_tree()
        with held():  # Ctrl+C waits for the swap: the site is the old one or the new one
            if self.in_place:
                self._replace_in_place(stale, listed)
                if written or stale or self.files[MARKER]:
                    mark_changed()
            elif self.keep_old:  # the site of an earlier version: kept, whatever changed
                report = WriteReport(written, report.unchanged, 0, kept_folder(self.out))
                self._swap(report.kept)
                mark_changed()
            elif self.out.is_dir() and not written and not stale and not self.files[MARKER]:
                _remove(self.tmp)
            else:
                self._swap()
                mark_changed()
        return report


def _undo(steps: list[Callable[[], object]]) -> bool:
    """Each step, last first; whether every one succeeded."""
    whole = True
    for step in reversed(steps):
        try:
            step()
        except OSError:
            whole = False
    return whole


def _unlink(path: Path) -> None:
    path.unlink(missing_ok=True)


def write_site(files: dict[str, bytes], out: Path) -> WriteReport:
    with SiteWriter(out) as writer:
        for path, data in files.items():
            writer.put(path, data)
        return writer.commit()


def _unchanged(old: Path, size: int, equal: Callable[[], bool]) -> bool:
    """Whether the old site's file is the new one: `size` bytes, `equal` when compared."""
    try:  # only a regular file is compared: a FIFO would hang, a link lead elsewhere
        st = old.lstat()
        return stat.S_ISREG(st.st_mode) and st.st_size == size and equal()
    except OSError:
        return False


def _same(a: Path, b: Path) -> bool:
    with open(a, "rb") as f, open(b, "rb") as g:
        while True:
            block = f.read(1 << 16)
            if block != g.read(1 << 16):
                return False
            if not block:
                return True


def _keep(old: Path, new: Path) -> None:
    try:
        os.link(old, new, follow_symlinks=False)
    except (OSError, NotImplementedError):  # file systems without hard links (network shares)
        shutil.copy2(old, new, follow_symlinks=False)


# --- the swap ----------------------------------------------------------------------------

_AT_FDCWD = -100
_RENAME_EXCHANGE = 2
_renameat2: Any = False  # False: not looked up yet


def _find_renameat2() -> Any:
    global _renameat2
    if _renameat2 is False:
        _renameat2 = None
        if sys.platform.startswith("linux"):
            try:
                fn = ctypes.CDLL(None, use_errno=True).renameat2
            except (OSError, AttributeError):  # a C library older than glibc 2.28
                pass
            else:
                fn.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p]
                fn.argtypes += [ctypes.c_uint]
                fn.restype = ctypes.c_int
                _renameat2 = fn
    return _renameat2 if _renameat2 else None


def exchange(a: Path, b: Path) -> bool:
    """Swap two folders' names in one step; False where the OS or file system cannot."""
    fn = _find_renameat2()
    if fn is None:
        return False
    if fn(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP, errno.EOPNOTSUPP):
        return False  # an old kernel, or a file system without exchange: the fallback
    raise OSError(err, os.strerror(err), str(a), None, str(b))


class SiteMoved(Exception):
    """The fallback swap failed half way and could not go back: the output folder is
    missing, the old site whole in `kept` (`heal` puts it back)."""

    def __init__(self, error: OSError, kept: Path) -> None:
        super().__init__(error, kept)
        self.error, self.kept = error, kept


def swap(new: Path, out: Path, keep: Path | None = None) -> None:
    """`new` becomes `out`; the old site is deleted after, or moved to `keep`. An `OSError`
    leaves the old site in place (`SiteMoved`: beside it), unless the new one is in place
    already: deleting the old one is then the deleter's, or the next build's (`heal`)."""
    if not os.path.lexists(out):
        os.rename(new, out)
        return
    if exchange(new, out):  # the old site is now under the new folder's name
        if keep is None:
            with contextlib.suppress(OSError):  # else the writer removes it on its way out
                retire(new, out)
            return
        try:
            os.rename(new, keep)
        except OSError:
            exchange(new, out)  # the earlier version's site back in place, never deleted
            raise
        return
    # The fallback: two renames, with a moment between them in which `out` is missing; a
    # build killed there leaves the old site in `.<name>.old`, which `heal` puts back (or,
    # an earlier version's site, already where it is kept).
    retired = old_folder(out) if keep is None else keep
    _remove(old_folder(out))
    os.rename(out, retired)
    try:
        os.rename(new, out)
    except BaseException as exc:
        try:
            os.rename(retired, out)
        except OSError:
            if isinstance(exc, OSError):
                raise SiteMoved(exc, retired) from exc
        raise
    if keep is None:
        with contextlib.suppress(OSError):  # left in `.<name>.old`, the next build removes it
            retire(retired, out)
