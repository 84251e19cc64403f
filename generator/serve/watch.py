"""Watching the site folder: what kind of change a saved file is, and collecting changes.

The watcher only records changes and raises a flag; one build loop (in `preview`) waits
until the saves settle and rebuilds once, so an editor's temp-file-and-rename save, which
fires several events, costs one rebuild.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable
from enum import StrEnum
from pathlib import Path
from typing import NamedTuple

from watchdog.events import (
    DirCreatedEvent,
    DirDeletedEvent,
    DirMovedEvent,
    FileClosedEvent,
    FileCreatedEvent,
    FileDeletedEvent,
    FileModifiedEvent,
    FileMovedEvent,
    FileSystemEvent,
    FileSystemEventHandler,
)
from watchdog.observers import Observer

from generator import SETTINGS_FILE
from generator.serve.templates import template_input

EVENTS_FILE = "events.yaml"
CONTENT_DIR = "content"
# Editors' backup, swap and temporary files: their final rename is what counts.
_SCRATCH_SUFFIXES = ("~", ".swp", ".swx", ".swo", ".tmp", ".bak", ".part", ".crdownload")


class ChangeKind(StrEnum):
    DATA = "data"  # events.yaml and the YAML files under content/
    CONTENT = "content"  # any other file under content/ (pages, pictures)
    TEMPLATE = "template"
    STATIC = "static"  # a theme's static/ file, copied as is
    SETTINGS = "settings"  # content/site.yaml or a theme's catalogue: everything


class Change(NamedTuple):
    kind: ChangeKind
    name: str  # the input's name as dependencies record it


def classify_change(path: Path, root: Path, theme_dirs: Iterable[Path]) -> Change | None:
    """What a changed file means for the site, or None when it does not matter to it."""
    if _scratch(path.name):
        return None
    for theme in theme_dirs:
        for part, kind in (("templates", ChangeKind.TEMPLATE), ("static", ChangeKind.STATIC)):
            rel = _inside(path, theme / part)
            if rel is not None:
                name = template_input(rel) if kind is ChangeKind.TEMPLATE else f"static/{rel}"
                return Change(kind, name)
        rel = _inside(path, theme / "locale")
        if rel is not None and rel.endswith(".po"):  # the words of every page
            return Change(ChangeKind.SETTINGS, f"locale/{rel}")
    rel = _inside(path, root)
    if rel is None:
        return None
    if rel == EVENTS_FILE:
        return Change(ChangeKind.DATA, rel)
    if rel == SETTINGS_FILE:
        return Change(ChangeKind.SETTINGS, rel)
    if rel.startswith(CONTENT_DIR + "/"):
        if rel.endswith((".yaml", ".yml")):
            return Change(ChangeKind.DATA, rel)
        return Change(ChangeKind.CONTENT, rel)
    return None


def _scratch(name: str) -> bool:
    return (
        name.startswith((".", "~$", "#"))
        or name.endswith(_SCRATCH_SUFFIXES)
        or ".bak-" in name  # backups kept by `import --force` (generator/importer.py)
    )


def _inside(path: Path, folder: Path) -> str | None:
    try:
        rel = path.relative_to(folder)
    except ValueError:
        return None
    parts = rel.parts
    if not parts or any(p.startswith(".") for p in parts):
        return None
    return rel.as_posix()


class ChangeSet:
    """Changes seen since the last build; `take()` hands them over and starts afresh."""

    def __init__(self, on_change: Callable[[], None]) -> None:
        self._lock = threading.Lock()
        self._changes: set[Change] = set()
        self._on_change = on_change
        self.last_seen = 0.0
        # Set while the last event was a file closed after writing: that save is complete.
        self.finished = threading.Event()

    def add(self, change: Change, finished: bool = False) -> None:
        with self._lock:
            self._changes.add(change)
            self.last_seen = time.monotonic()
            if finished:
                self.finished.set()
            else:
                self.finished.clear()
        self._on_change()

    def take(self) -> set[Change]:
        with self._lock:
            taken, self._changes = self._changes, set()
            self.finished.clear()
            return taken


# Asked of the kernel by type: unfiltered, inotify also reports every open and read-only
# close, and a rebuild that reads 4,000 files then shares the interpreter with a watcher
# thread turning 8,000 events into objects (a third of an edit's time on a news site).
# The folder events stay so that watchdog keeps following new and moved folders.
WATCHED_EVENTS = [
    FileClosedEvent,  # closed after writing (inotify's IN_CLOSE_WRITE): the save is whole
    FileCreatedEvent,
    FileModifiedEvent,
    FileMovedEvent,
    FileDeletedEvent,
    DirCreatedEvent,
    DirMovedEvent,
    DirDeletedEvent,
]


class _Handler(FileSystemEventHandler):
    RELEVANT = frozenset({"created", "modified", "moved", "deleted", "closed"})

    def __init__(
        self, root: Path, theme_dirs: Callable[[], tuple[Path, ...]], changes: ChangeSet
    ) -> None:
        self.root, self.theme_dirs, self.changes = root, theme_dirs, changes

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.is_directory or event.event_type not in self.RELEVANT:
            return
        for raw in (event.src_path, getattr(event, "dest_path", "")):
            if raw:
                path = Path(raw if isinstance(raw, str) else raw.decode())
                change = classify_change(path, self.root, self.theme_dirs())
                if change is not None:
                    self.changes.add(change, finished=event.event_type == "closed")


class Watcher:
    """A watchdog observer over the site folder (and the default theme, if it is elsewhere)."""

    def __init__(
        self,
        root: Path,
        theme_dirs: Callable[[], tuple[Path, ...]],
        changes: ChangeSet,
        extra: Iterable[Path] = (),
    ) -> None:
        self.root = root.resolve()
        self._observer = Observer()
        handler = _Handler(self.root, theme_dirs, changes)
        self._observer.schedule(
            handler, str(self.root), recursive=True, event_filter=WATCHED_EVENTS
        )
        for folder in extra:
            folder = folder.resolve()
            if folder.is_dir() and _inside(folder, self.root) is None:
                self._observer.schedule(
                    handler, str(folder), recursive=True, event_filter=WATCHED_EVENTS
                )

    def start(self) -> None:
        self._observer.start()

    def stop(self) -> None:
        self._observer.stop()
        self._observer.join(timeout=5)
