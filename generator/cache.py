"""The persistent build cache in `<site>/.cache/`: work a previous build did, kept by content hash.

Three things are kept, each keyed by a hash of everything its result depends on:

- `parse`: a file's parsed and validated model (file name + model + the file's text);
- `markdown`: rendered, sanitised Markdown (the text);
- `build`: a fingerprint of every input of the last successful build (events.yaml,
  content/, the themes, the build date and the output folder) with what that build wrote; when
  nothing changed and the output folder is as it was left, the next build does nothing at all.

Every key starts with `KEY` (the generator's version and a hash of its own source and
options), so a cache written by another version or with other options is never trusted. The
cache is only an accelerator: a missing, unreadable or corrupt file counts as empty, and the
folder is safe to delete. A namespace is one pickle file, replaced atomically, holding only the
entries the last build used, so it never grows without bound. Only `build` (not the preview,
which keeps its own results in memory) turns the cache on.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

import generator

T = TypeVar("T")
FOLDER = ".cache"
_PACKAGE = Path(generator.__file__).resolve().parent
_DEFAULT_THEME = _PACKAGE.parent / "themes"


def _code_key() -> str:
    """The version, and the generator's own source (so an edited checkout is never fooled)."""
    digest = hashlib.sha256(generator.__version__.encode())
    for path in sorted(_PACKAGE.glob("*.py")):
        digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()[:16]


KEY = _code_key()


def digest(*parts: str | bytes) -> str:
    h = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        h.update(len(data).to_bytes(8, "little") + data)
    return h.hexdigest()


class BuildCache:
    """The cache of one site folder for one build; `save()` writes what this build used."""

    def __init__(self, root: Path | None, version: str = KEY) -> None:
        """`root` None: a cache in memory only, for one build (workers hand results back)."""
        self.folder = root / FOLDER if root is not None else None
        self.version = version
        self._stores: dict[str, dict[str, Any]] = {}
        self._used: dict[str, dict[str, Any]] = {}
        self.fresh: dict[str, dict[str, Any]] = {}  # computed by this process, not loaded

    def _store(self, namespace: str) -> dict[str, Any]:
        store = self._stores.get(namespace)
        if store is None:
            store = self._stores[namespace] = self._load(namespace)
            self._used[namespace] = {}
            self.fresh[namespace] = {}
        return store

    def _load(self, namespace: str) -> dict[str, Any]:
        if self.folder is None:
            return {}
        try:
            with open(self.folder / f"{namespace}.pickle", "rb") as f:
                version, entries = pickle.load(f)
        except Exception:  # missing, truncated, corrupt, or from an incompatible Python
            return {}
        return entries if version == self.version and isinstance(entries, dict) else {}

    def get(self, namespace: str, key: str) -> Any | None:
        store = self._store(namespace)
        if key in store:
            value = store[key]
            self._used[namespace][key] = value
            return value
        return None

    def put(self, namespace: str, key: str, value: Any) -> None:
        self._store(namespace)[key] = value
        self._used[namespace][key] = value
        self.fresh[namespace][key] = value

    def lookup(self, namespace: str, key: str, compute: Callable[[], T]) -> T:
        found = self.get(namespace, key)
        if found is not None:
            return found  # type: ignore[no-any-return]
        value = compute()
        self.put(namespace, key, value)
        return value

    def merge(self, fresh: dict[str, dict[str, Any]]) -> None:
        """Entries a worker process computed."""
        for namespace, entries in fresh.items():
            for key, value in entries.items():
                self.put(namespace, key, value)

    def save(self) -> None:
        """Write each namespace this build touched, keeping only the entries it used."""
        if self.folder is None:
            return
        try:
            self.folder.mkdir(exist_ok=True)
            ignore = self.folder / ".gitignore"
            if not ignore.exists():
                ignore.write_text("# the build cache: safe to delete\n*\n", encoding="utf-8")
            for namespace, used in self._used.items():
                if not self.fresh[namespace] and len(used) == len(self._stores[namespace]):
                    continue  # nothing new and nothing dropped: leave the file alone
                target = self.folder / f"{namespace}.pickle"
                tmp = target.with_name(f".{target.name}.{os.getpid()}")
                with open(tmp, "wb") as f:
                    pickle.dump((self.version, used), f, protocol=pickle.HIGHEST_PROTOCOL)
                os.replace(tmp, target)
                self.fresh[namespace].clear()
        except OSError:
            pass  # a read-only site folder builds as before, only without the cache


_active: BuildCache | None = None


def active() -> BuildCache | None:
    return _active


@contextmanager
def activate(cache: BuildCache) -> Iterator[BuildCache]:
    global _active
    previous, _active = _active, cache
    try:
        yield cache
    finally:
        _active = previous


def cached(namespace: str, key: Callable[[], str], compute: Callable[[], T]) -> T:
    """`compute()`, through the active cache when a build turned one on."""
    cache = _active
    if cache is None:
        return compute()
    return cache.lookup(namespace, key(), compute)


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


def fingerprint(root: Path, out: Path, today: date, options: str = "") -> str:
    """Everything a build's result depends on: inputs, build date, output folder, options."""
    h = hashlib.sha256(f"{today.isoformat()}\0{out.resolve()}\0{options}\0".encode())
    for path in input_files(root):
        try:
            data = path.read_bytes()
        except OSError:
            data = b"\0unreadable"
        h.update(f"{path}\0{len(data)}\0".encode() + data)
    return h.hexdigest()


def output_state(out: Path) -> dict[str, tuple[int, int]] | None:
    """Each output file's size and modification time: cheap proof nobody touched the folder."""
    if not out.is_dir():
        return None
    state = {}
    for dirpath, _, filenames in os.walk(out):
        for name in filenames:
            st = os.stat(os.path.join(dirpath, name))
            state[os.path.join(dirpath, name)] = (st.st_size, st.st_mtime_ns)
    return state
