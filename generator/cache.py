"""The persistent build cache in `<site>/.cache/`: work a previous build did, kept by content hash.

What is kept, each keyed by a hash of everything its result depends on:

- `parse`: a file's parsed and validated model (file name + model + the file's text);
- `markdown`: rendered, sanitised Markdown (the text);
- `docx`, `feed-term`, `search-term-json`: a term's .docx, its part of every feed and its
  search entries (what its calendar is made of, `plan.feeds.term_key`, and what else each
  shows);
- `official-days`: China's official holidays and 调休 workdays of the current term's dates
  (the dates and the `holidays` package's version);
- `build`: a fingerprint of every input of the last successful build (events.yaml,
  content/, the themes, the build date and the output folder) with what that build wrote; when
  nothing changed and the output folder is as it was left, the next build does nothing at all;
  and each input file's digest with its size and times when it was read (`input_state`), so
  that a file whose times have not moved is not read again to find out whether it changed.

Not kept: `plain`, a Markdown text's plain text, which the process that rendered its HTML
(a render worker, the helper reading ahead) hands to the search index once (`HANDED`).
What other processes hand back waits in a scratch file until the save (`_Spill`).

Every key starts with `KEY` (the generator's version and a hash of its own source and
options), so a cache written by another version or with other options is never trusted. The
cache is only an accelerator: a missing, unreadable or corrupt file counts as empty, and the
folder is safe to delete. A namespace is one pickle file, replaced atomically, holding only the
entries the last build used, so it never grows without bound. A build hands it to its
stages as their `generator.memo.Memo`; the preview keeps its own results in memory.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import shutil
import sys
import tempfile
import time
import weakref
import zlib
from collections.abc import Callable, Hashable, Iterator
from datetime import date, timedelta
from functools import cache
from importlib.util import find_spec
from pathlib import Path
from typing import Any, TypeVar

import generator
from generator.memo import Kept, kept_value
from generator.resources import default_theme

T = TypeVar("T")
FOLDER = ".cache"
# What a build keeps for the next one: parsed files and rendered Markdown by their text, a
# term's .docx, feed parts and search entries by what its calendar is made of
# (`plan.feeds.term_key`), the official days of the current term's dates.
PERSISTED = frozenset(
    {"parse", "markdown", "docx", "feed-term", "search-term-json", "official-days"}
)
# What one build asks `keep` for more than once (the documents: for their pages, then for
# their .docx; a term's key: for its feeds, then for its search entries)
KEPT_IN_BUILD = frozenset({"documents", "term-key"})
# What one process makes for another in the same build, never saved (`offer`): a Markdown
# text's plain text, made by the process that rendered its HTML (a render worker, the
# helper reading ahead), for the search index, which the build's own process makes after the
# pages. Given once: the index asks once, and what it took is not held to the save.
HANDED = frozenset({"plain"})
_PROTOCOL = pickle.HIGHEST_PROTOCOL
_PACKAGE = generator.PACKAGE
_DEFAULT_THEME = default_theme()


def _code_key() -> str:
    """The version, and the generator's own source (so an edited checkout is never fooled)."""
    digest = hashlib.sha256(generator.__version__.encode())
    for path in sorted(_PACKAGE.rglob("*.py")):
        digest.update(path.relative_to(_PACKAGE).as_posix().encode() + path.read_bytes())
    return digest.hexdigest()[:16]


KEY = _code_key()


def digest(*parts: str | bytes) -> str:
    h = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        h.update(len(data).to_bytes(8, "little") + data)
    return h.hexdigest()


USER_CACHE_ENV = "LIBRARY_SITE_CACHE"
# Another version's compiled templates in the user's folder are removed once unused this
# long: two installed versions (or a checkout being edited, whose version changes with its
# source) take turns without removing what the other one is writing.
OTHER_VERSIONS_KEPT = timedelta(days=7)


def user_folder() -> Path | None:
    """This user's cache folder for what no site's inputs change: `LIBRARY_SITE_CACHE`,
    else %LOCALAPPDATA% on Windows, ~/Library/Caches on macOS, $XDG_CACHE_HOME or ~/.cache
    elsewhere (each with `library-site` in it); None when there is no home to find."""
    chosen = os.environ.get(USER_CACHE_ENV)
    if chosen:
        return Path(chosen)
    try:
        if sys.platform == "win32":
            local = os.environ.get("LOCALAPPDATA")
            base = Path(local) if local else Path.home() / "AppData" / "Local"
            return base / "library-site" / "Cache"
        if sys.platform == "darwin":
            return Path.home() / "Library" / "Caches" / "library-site"
        xdg = os.environ.get("XDG_CACHE_HOME")
        return (Path(xdg) if xdg else Path.home() / ".cache") / "library-site"
    except (RuntimeError, KeyError):  # no home folder (a service account)
        return None


@cache  # a process answers from the packages it imported, whatever is installed after
def installed(module: str, distribution: str) -> str | None:
    """Which `distribution` provides `module`, for the keys of what it makes: the name of
    its metadata folder beside it (`lunar_python-1.4.8.dist-info`), since importing
    `importlib.metadata` and asking it costs as much as what is kept by it; else (an
    egg-info, an editable install) its version as `importlib.metadata` says it. None when
    it is not installed as a distribution (a zip, a frozen program): nothing is kept."""
    spec = find_spec(module)
    if spec is not None and spec.origin:
        site = Path(spec.origin).parent  # a module's folder, or a package's parent's
        if spec.submodule_search_locations is not None:
            site = site.parent
        with contextlib.suppress(OSError):
            found = [p.name for p in site.glob(f"{distribution}-*.dist-info")]
            if len(found) == 1:
                return found[0]
    from importlib.metadata import PackageNotFoundError, version

    try:
        return f"{distribution}-{version(distribution)}"
    except PackageNotFoundError:
        return None


def kept_by_version(namespace: str, version: str | None) -> Path | None:
    """A folder in this user's cache for what depends on `version` alone (an installed
    package's, ours), no site's inputs: made when first written to. The folder in use is
    touched, and another version's is removed once unused for `OTHER_VERSIONS_KEPT`."""
    user = user_folder()
    if user is None or version is None:
        return None
    folder = user / f"{namespace}-{digest(version)[:16]}"
    with contextlib.suppress(OSError):  # in use: another installation's builds keep it
        os.utime(folder)
    try:
        _remove_others(user, namespace, folder, OTHER_VERSIONS_KEPT)
    except OSError:
        return None
    return folder


def kept_file(
    path: Path | None, read: Callable[[bytes], T], make: Callable[[], T], save: Callable[[T], bytes]
) -> T:
    """What the file `path` keeps (`read` of its bytes); when it is missing, damaged or not
    what `read` accepts (any error), `make()`, kept there (`save`) for the next build.
    `path` None: made, not kept."""
    if path is not None:
        try:
            return read(path.read_bytes())
        except Exception:
            pass
    made = make()
    if path is not None:
        keep_file(path, save(made))
    return made


def keep_file(path: Path, data: bytes) -> None:
    """`data` as the file `path` (its folder made), whole or not at all: render workers may
    write the same file at once. One that cannot be written (a read-only folder, not a
    folder) costs only making it again next time; no scratch file is left, even by Ctrl+C."""
    scratch = path.with_name(f"{path.stem}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        scratch.write_bytes(data)
        os.replace(scratch, path)
    except OSError:
        pass
    finally:  # gone once replaced
        with contextlib.suppress(OSError):
            scratch.unlink(missing_ok=True)


def lunar_tables() -> Path | None:
    """Where the lunar years' tables are kept (`render.lunar`): by the lunar-python
    installed. A site with no month grid leaves none."""
    return kept_by_version("lunar", installed("lunar_python", "lunar_python"))


def docx_skeletons() -> Path | None:
    """Where the blank .docx is kept, split where each document's own parts go
    (`render.docx`): by the python-docx and lxml installed (lxml wrote its XML), the zlib
    that deflated its entries, and our own code, which sets its page, fonts and numbering."""
    docx, lxml = installed("docx", "python_docx"), installed("lxml", "lxml")
    if docx is None or lxml is None:
        return None
    return kept_by_version("docx", "\0".join((docx, lxml, zlib.ZLIB_RUNTIME_VERSION, KEY)))


# what is kept in the user's folder by the versions of what makes it (`Memo.kept_for`)
KEPT_BY_VERSION: dict[str, Callable[[], Path | None]] = {
    "lunar": lunar_tables,
    "docx": docx_skeletons,
}


def _versioned(base: Path, namespace: str, version: str, keep: timedelta) -> Path | None:
    """`base/<namespace>-<version>`, made; the other versions' folders there removed once
    unchanged for `keep`. None when it cannot be made (a read-only folder: the build goes
    on without it)."""
    folder = base / f"{namespace}-{version}"
    try:
        _remove_others(base, namespace, folder, keep)
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return folder


def _remove_others(base: Path, namespace: str, folder: Path, keep: timedelta) -> None:
    """The other versions' folders of `namespace` in `base`, once unchanged for `keep`."""
    for old in base.glob(f"{namespace}-*"):
        if old != folder and _unchanged_for(old, keep):
            shutil.rmtree(old, ignore_errors=True)


def _unchanged_for(path: Path, keep: timedelta) -> bool:
    try:
        return time.time() - path.stat().st_mtime >= keep.total_seconds()
    except OSError:
        return False


def _ignore(folder: Path) -> None:
    ignore = folder / ".gitignore"
    if not ignore.exists():
        ignore.write_text("# the build cache: safe to delete\n*\n", encoding="utf-8")


# (namespace → key → value computed, pickled; namespace → keys read from the file) by a
# worker
Handback = tuple[dict[str, dict[str, bytes]], dict[str, set[str]]]


class BuildCache:
    """The cache of one site folder for one build; `save()` writes what this build used.

    Each entry is pickled on its own and written as a record of its own: an entry is
    unpickled only when a build asks for it, one read from the file is written back as the
    bytes it was, and neither a whole namespace's objects nor its pickled bytes are ever held
    at once (a pickler's memo of every object it wrote was most of a big site's peak
    memory)."""

    def __init__(self, root: Path | None, version: str = KEY) -> None:
        """`root` None: a cache in memory only, for one build (workers hand results back)."""
        self.folder = root / FOLDER if root is not None else None
        self.version = version
        # every entry pickled: as read from the file, or as this build made it
        self._stores: dict[str, dict[str, bytes]] = {}
        self._used: dict[str, dict[str, bytes]] = {}  # what the save writes
        self.fresh: dict[str, dict[str, bytes]] = {}  # made by this process, not loaded
        self.hits: dict[str, set[str]] = {}  # read from the file by this process
        self._taken: set[str] = set()  # namespaces given entries by `take`, to be written
        # entries on their way from another process (`generator.ahead`): takes those that
        # have come, says whether there were any
        self.incoming: Callable[[], bool] | None = None
        self._kept: Kept = {}  # `keep`'s
        self._handed: dict[str, dict[str, bytes]] = {}  # `offer`'s, pickled, until asked for
        self._spilled: dict[str, _Spill] = {}  # what other processes made, on disk till the save

    def folder_for(self, namespace: str) -> Path | None:
        """A folder of files for this version only (another version's is removed), for a
        library that keeps its own cache files."""
        if self.folder is None:
            return None
        folder = _versioned(self.folder, namespace, self.version, timedelta(0))
        if folder is not None:
            try:
                _ignore(self.folder)
            except OSError:
                return None
        return folder

    def compiled_templates(self) -> Path | None:
        """Where Jinja keeps compiled templates: in this user's cache folder (`user_folder`),
        so that every site built on this computer finds the theme compiled, as Python finds
        its modules compiled (Jinja's own default is a folder per user too); else in the
        site's. Jinja checks each template's source before using its code. None for a
        build without a cache."""
        if self.folder is None:
            return None
        user = user_folder()
        folder = None
        if user is not None:
            folder = _versioned(user, "templates", self.version, OTHER_VERSIONS_KEPT)
        if folder is None:
            return self.folder_for("templates")
        for old in self.folder.glob("templates-*"):  # the site's, from before
            shutil.rmtree(old, ignore_errors=True)
        return folder

    def kept_for(self, namespace: str) -> Path | None:
        """`KEPT_BY_VERSION`'s folder; None for a build without a cache."""
        return KEPT_BY_VERSION[namespace]() if self.folder is not None else None

    def _store(self, namespace: str) -> dict[str, bytes]:
        store = self._stores.get(namespace)
        if store is None:
            store = self._stores[namespace] = self._load(namespace)
            self._used[namespace] = {}
            self.fresh[namespace] = {}
            self.hits[namespace] = set()
        return store

    def _load(self, namespace: str) -> dict[str, bytes]:
        """A file is the version, then one (key, pickled value) record after another."""
        if self.folder is None:
            return {}
        entries: dict[str, bytes] = {}
        try:
            with open(self.folder / f"{namespace}.pickle", "rb") as f:
                records = pickle.Unpickler(f)
                if records.load() != self.version:
                    return {}
                while f.peek(1):
                    key, raw = records.load()
                    entries[key] = raw
        except Exception:  # missing, truncated, corrupt, or from an incompatible Python
            return {}
        return entries

    def get(self, namespace: str, key: str) -> Any | None:
        """An entry, unpickled from the file or from what this build made. What is unpickled
        is not kept here (whoever asked keeps it if it needs to): a big site's rendered
        Markdown is read once for the search index and needs no second copy besides the
        pickled bytes."""
        raw = self._store(namespace).get(key)
        if raw is None and self.incoming is not None and self.incoming():
            raw = self._store(namespace).get(key)
        spill = self._spilled.get(namespace)
        if raw is None and spill is not None and key in spill:
            try:
                return pickle.loads(spill.read(key))  # used: the save copies it
            except Exception:
                return None
        if raw is None:
            return None
        try:
            value = pickle.loads(raw)
        except Exception:  # a corrupt entry counts as missing
            return None
        self._used[namespace][key] = raw
        self.hits[namespace].add(key)
        return value

    def put(self, namespace: str, key: str, value: Any) -> None:
        """Pickled at once, as the file keeps it: the objects are not held to the end of the
        build for the save (a big site's parsed files, every value with its position, were
        held so, and inherited by every render worker), nor by a worker until it hands
        them back."""
        raw = pickle.dumps(value, _PROTOCOL)
        self._store(namespace)[key] = self._used[namespace][key] = raw
        self.fresh[namespace][key] = raw

    # --- the Memo a build hands its stages (generator.memo) ---------------------------------

    def load(self, name: str, read: Callable[[], T]) -> T:
        """A file is read every build: its parse is kept by its text (`lookup("parse", …)`)."""
        return read()

    def lookup(self, namespace: str, key: Hashable, compute: Callable[[], T]) -> T:
        """Kept on disk for `PERSISTED` namespaces, by a digest of `key` (texts and names);
        anything else is computed: a build asks once."""
        if namespace in HANDED:
            digest_key = _digest_key(key)
            raw = self._handed.get(namespace, {}).pop(digest_key, None)
            spill = self._spilled.get(namespace)
            if raw is None and spill is not None and digest_key in spill:
                raw = spill.read(digest_key, forget=True)
            return compute() if raw is None else pickle.loads(raw)  # type: ignore[no-any-return]
        if namespace not in PERSISTED:
            return compute()
        digest_key = _digest_key(key)
        found = self.get(namespace, digest_key)
        if found is not None:
            return found  # type: ignore[no-any-return]
        value = compute()
        self.put(namespace, digest_key, value)
        return value

    def keep(
        self, namespace: str, name: str, inputs: tuple[Any, ...], compute: Callable[[], T]
    ) -> T:
        """Nothing of the last build's objects is alive, but within this build the value of
        the last call for `name` is given back while its inputs are the same (`same_inputs`)
        for the namespaces a build asks twice (`KEPT_IN_BUILD`): a term's documents, made for
        their pages, are those of their .docx, in this process and in the render workers
        forked from it. Any other is computed: kept, a big site's search index would be
        held twice to the end of the build."""
        if namespace not in KEPT_IN_BUILD:
            return compute()
        return kept_value(self._kept, (namespace, name), inputs, compute)

    def files_under(self, name: str) -> object:
        return object()  # `keep` computes: never compared

    def offer(self, namespace: str, key: Hashable, make: Callable[[], Any]) -> None:
        """`HANDED` namespaces: made now, pickled, for this build's one `lookup` of it, in
        this process or, handed back, in the one it is merged into; others are ignored."""
        if namespace in HANDED:
            handed = self._handed.setdefault(namespace, {})
            handed[_digest_key(key)] = pickle.dumps(make(), _PROTOCOL)

    def handback(self) -> Handback:
        """What a worker process computed and read since it last handed back, for `merge`
        in the process that saves the cache; the worker forgets it then."""
        fresh = {ns: dict(entries) for ns, entries in (*self.fresh.items(), *self._handed.items())}
        hits = {ns: set(keys) for ns, keys in self.hits.items()}
        self.forget()
        return fresh, hits

    def forget(self) -> None:
        """Forget what was computed and read so far (a forked worker: its parent has it),
        the entries computed too: a worker does not grow by every page's Markdown it
        rendered, and the parent's parsed files are not a forked worker's to keep."""
        for namespace, entries in self.fresh.items():
            store, used = self._stores[namespace], self._used[namespace]
            for key in entries:
                store.pop(key, None)
                used.pop(key, None)
            entries.clear()
        for keys in self.hits.values():
            keys.clear()
        self._handed.clear()

    def merge(self, fresh: dict[str, dict[str, bytes]], hits: dict[str, set[str]]) -> None:
        """Entries a worker process computed (pickled), and the keys it read from the file:
        both are kept when the cache is saved; an entry is unpickled when asked for. A cache
        with a folder writes the entries to a scratch file of its own at once (`_Spill`)
        and reads one back only when asked for: the workers' Markdown, every page's, is not
        held in this process to the save."""
        for namespace, entries in fresh.items():
            if self._set_aside(namespace, entries):
                continue
            store = self._store(namespace)
            used, computed = self._used[namespace], self.fresh[namespace]
            for key, raw in entries.items():
                store[key] = used[key] = computed[key] = raw  # new: the file is written again
        for namespace, keys in hits.items():
            store, used = self._store(namespace), self._used[namespace]
            for key in keys:
                if key not in used and key in store:
                    used[key] = store[key]

    def take(self, fresh: dict[str, dict[str, bytes]], hits: dict[str, set[str]]) -> None:
        """Entries another process made for this build before any worker is forked (the
        Markdown rendered ahead, `generator.ahead`): kept as if read from the file, so
        that a forked worker has them too (`forget` drops only what a process made itself),
        and written when the cache is saved."""
        for namespace, entries in fresh.items():
            if entries and namespace not in HANDED:
                self._taken.add(namespace)
            if self._set_aside(namespace, entries):
                continue
            store, used = self._store(namespace), self._used[namespace]
            for key, raw in entries.items():
                store[key] = used[key] = raw
        self.merge({}, hits)

    def _set_aside(self, namespace: str, entries: dict[str, bytes]) -> bool:
        """Entries from another process that this one does not hold: a `HANDED` namespace's
        until their one lookup (on disk when they can be), any other's on disk until the
        save (`_spill`). Whether they were set aside; if not, the caller holds them."""
        if namespace in HANDED:
            if entries and not self._spill(namespace, entries):
                self._handed.setdefault(namespace, {}).update(entries)
            return True
        self._store(namespace)  # the namespace is the save's to write
        return bool(entries) and self._spill(namespace, entries)

    def _spill(self, namespace: str, entries: dict[str, bytes]) -> bool:
        """`entries` into the namespace's scratch file; False when it cannot be had (no
        folder, none can be made there): they are then held."""
        spill = self._spilled.get(namespace)
        if spill is None:
            if self.folder is None or not hasattr(os, "pread"):  # only forked processes merge
                return False
            try:
                self.folder.mkdir(exist_ok=True)
                spill = self._spilled[namespace] = _Spill(self.folder)
            except OSError:
                return False
        try:
            for key, raw in entries.items():
                spill.add(key, raw)
        except OSError:  # the disk full: the rest are held
            return False
        return True

    def save(self) -> None:
        """Write each namespace this build touched, keeping only the entries it used."""
        self._handed.clear()  # what no lookup asked for is not held while the files are written
        try:
            if self.folder is not None:
                self._save(self.folder)
        finally:
            for spill in self._spilled.values():
                spill.close()
            self._spilled.clear()

    def _save(self, folder: Path) -> None:
        try:
            folder.mkdir(exist_ok=True)
            _ignore(folder)
            for namespace, used in self._used.items():
                spill = self._spilled.get(namespace)
                if (
                    not self.fresh[namespace]
                    and namespace not in self._taken
                    and spill is None
                    and len(used) == len(self._stores[namespace])
                ):
                    continue  # nothing new and nothing dropped: leave the file alone
                target = folder / f"{namespace}.pickle"
                tmp = target.with_name(f".{target.name}.{os.getpid()}")
                with open(tmp, "wb") as f:
                    records = pickle.Pickler(f, _PROTOCOL)
                    records.dump(self.version)
                    for key, raw in used.items():
                        if spill is None or key not in spill:
                            records.dump((key, raw))
                            records.clear_memo()
                    if spill is not None:
                        spill.copy_to(f)  # records as these: one pickle each
                os.replace(tmp, target)
                self.fresh[namespace].clear()
                self._taken.discard(namespace)
        except OSError:
            pass  # a read-only site folder builds as before, only without the cache


class _Spill:
    """A namespace's entries from other processes, in a scratch file in the cache's folder,
    removed as soon as it is open (POSIX: only forked processes hand entries over), so that
    nothing is left of it once closed or the process ends; each entry as the cache file
    keeps it: one (key, pickled value) pickle after another, so the save copies the file's
    bytes. Read back with `os.pread`, which moves no shared offset: a forked worker reads the
    entries its parent took before the fork (the Markdown rendered ahead) from the same
    file."""

    BLOCK = 1 << 20  # bytes copied at a time by the save

    def __init__(self, folder: Path) -> None:
        self._fd, name = tempfile.mkstemp(prefix=".spill-", dir=folder)
        # closed by the save, else when this is collected (a cache that is never saved)
        self.close = weakref.finalize(self, os.close, self._fd)
        os.unlink(name)
        self._at: dict[str, tuple[int, int]] = {}  # key -> (offset, length) of its record
        self._end = 0

    def __contains__(self, key: str) -> bool:
        return key in self._at

    def add(self, key: str, raw: bytes) -> None:
        record = memoryview(pickle.dumps((key, raw), _PROTOCOL))
        start, done = self._end, 0
        while done < len(record):
            done += os.pwrite(self._fd, record[done:], start + done)
        self._at[key] = (start, len(record))
        self._end = start + len(record)

    def read(self, key: str, forget: bool = False) -> bytes:
        """The pickled value of `key` (`forget`: no longer found here after)."""
        start, size = self._at.pop(key) if forget else self._at[key]
        _, raw = pickle.loads(os.pread(self._fd, size, start))
        return raw  # type: ignore[no-any-return]

    def copy_to(self, out: Any) -> None:
        at = 0
        while at < self._end:
            block = os.pread(self._fd, min(self.BLOCK, self._end - at), at)
            if not block:
                raise OSError("the build cache's scratch file is shorter than written")
            out.write(block)
            at += len(block)


def _digest_key(key: Hashable) -> str:
    if isinstance(key, tuple):  # texts, or values whose repr says all of them (a .docx's)
        return digest(*(p if isinstance(p, str | bytes) else repr(p) for p in key))
    return digest(str(key))


# --- the whole build ---------------------------------------------------------------------


def input_files(root: Path) -> Iterator[Path]:
    """Every file a build can read: events.yaml, content/ and the themes."""
    events = root / "events.yaml"
    if events.is_file():
        yield events
    for folder in (root / "content", root / "themes", _DEFAULT_THEME):
        if folder.is_dir():
            for dirpath, dirnames, filenames in os.walk(folder):
                dirnames.sort()
                for name in sorted(filenames):
                    yield Path(dirpath, name)


# A file whose size, modification and change times and file number are what they were when
# the last build read it is taken to hold what it held then, as git's index does: its digest
# is the last one and it is not read (a 4,000-article site's inputs took 0.3 s to read and
# hash, on every build). Not when it was changed within this long before that reading: a
# file written in the same tick of a coarse clock (a network share's, FAT's 2 s) as it was
# read may have changed without its times moving.
SAME_TICK_NS = 3_000_000_000

# path -> (size, mtime_ns, ctime_ns, file number, digest), and when they were read
Known = tuple[dict[str, tuple[int, int, int, int, str]], int]


def input_state(
    root: Path, out: Path, today: date, options: str = "", known: Known | None = None
) -> tuple[str, dict[str, str], Known, int]:
    """A fingerprint of everything a build's result depends on (inputs, build date, output
    folder, options); a digest of each input file by its path (what changed since the last
    build, for the incremental build); what to give the next build as `known` (the files'
    times as well as their digests); how many files were read (the rest were `known`)."""
    h = hashlib.sha256(f"{today.isoformat()}\0{out.resolve()}\0{options}\0".encode())
    before, read_at = known if known is not None else ({}, 0)
    now = time.time_ns()
    files: dict[str, str] = {}
    stats: dict[str, tuple[int, int, int, int, str]] = {}
    read = 0
    for path in input_files(root):
        name = str(path)
        try:
            st = os.stat(path)
            stat = (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)
        except OSError:
            stat = None
        last = before.get(name)
        if (
            stat is not None
            and last is not None
            and last[:4] == stat
            and max(stat[1], stat[2]) < read_at - SAME_TICK_NS
        ):
            file_digest = last[4]
        else:
            read += 1
            try:
                data = path.read_bytes()
            except OSError:
                data, stat = b"\0unreadable", None
            file_digest = hashlib.sha256(data).hexdigest()
        if stat is not None:
            stats[name] = (*stat, file_digest)
        h.update(f"{name}\0{file_digest}\0".encode())
        files[name] = file_digest
    return h.hexdigest(), files, (stats, now), read


def output_state(out: Path) -> dict[str, tuple[int, int]] | None:
    """Each output entry's size and modification time: cheap proof nobody touched the folder.
    Links are not followed (`lstat`): a dangling link is an entry like any other, not an
    error, and the build that follows names it (E326)."""
    if not out.is_dir():
        return None
    state = {}
    for dirpath, dirnames, filenames in os.walk(out):
        for name in filenames + [d for d in dirnames if os.path.islink(os.path.join(dirpath, d))]:
            try:
                st = os.lstat(os.path.join(dirpath, name))
            except OSError:  # gone while we looked: the folder changed
                return None
            state[os.path.join(dirpath, name)] = (st.st_size, st.st_mtime_ns)
    return state
