"""Watching the site folder and collecting its changes.

The watcher only records changes and raises a flag; one build loop (in `preview`) waits
until the saves settle and rebuilds once, so an editor's temp-file-and-rename save, which
fires several events, costs one rebuild.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path

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

# what a change is lives in `serve.changes` (the build uses it, without watchdog); the
# preview takes it from here with the watcher
from generator.serve.changes import Change, ChangeKind, _inside, classify_change

__all__ = ["Change", "ChangeKind", "ChangeSet", "Watcher", "classify_change"]


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
