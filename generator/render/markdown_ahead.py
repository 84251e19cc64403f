"""A build that renders every page renders its articles' and pages' Markdown ahead, on the
core that is idle while the site is read, validated and planned (that work is one
process's): a forked helper reads the `.md` files, renders each body as the page will
(`render_markdown`, through the build's cache, by the body's text) and hands the HTML back
as it goes; the build takes what is done when it starts rendering, and the pages find it
in the cache. Nothing depends on the helper: a text it did not reach, or rendered for a
file the load then refused, is rendered or not exactly as without it, so the site is the
same (tests/test_markdown_ahead.py).
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import pickle
import threading
from collections.abc import Sequence
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from generator.cache import BuildCache
from generator.interrupt import worker_start

# Below this many .md files the fork and the thread cost about what rendering ahead saves.
MIN_FILES = 50
BATCH = 16  # texts per message back: fewer, larger writes through the pipe
WAIT = 10.0  # seconds for the helper to finish the text it is on (at most ~0.3 s: the limits)


class Ahead:
    """The helper rendering; `finish` takes what it made into the cache, `stop` ends it."""

    def __init__(self, root: Path, names: list[str], store: BuildCache) -> None:
        context = multiprocessing.get_context("fork")
        self._stop = context.Event()
        reader, writer = context.Pipe(duplex=False)
        self._process = context.Process(
            target=_helper,
            args=(os.getpid(), root, names, store, writer, self._stop),
            daemon=True,
        )
        self._process.start()
        writer.close()  # the helper's end: the reader sees the end of it when the helper exits
        self._messages: list[bytes] = []
        self._reader = threading.Thread(target=_drain, args=(reader, self._messages), daemon=True)
        self._reader.start()

    def finish(self, store: BuildCache) -> int:
        """Stop the helper and put what it rendered into `store`; the number of texts."""
        self.stop()
        count = 0
        for message in self._messages:
            for fresh, hits in pickle.loads(message):
                store.take(fresh, hits)
                count += len(fresh.get("markdown", {}))
        self._messages.clear()
        return count

    def stop(self) -> None:
        """Ask the helper to stop after the text it is on, and wait for it (killed if it
        does not stop in time)."""
        self._stop.set()
        self._process.join(WAIT)
        if self._process.is_alive():
            self._process.kill()
            self._process.join()
        self._reader.join(WAIT)


def start(root: Path, kinds: Sequence[Any], store: BuildCache) -> Ahead | None:
    """The helper for the `.md` files of `kinds`, when there are enough of them and this
    system can fork (Linux: not Windows, whose processes start empty) with a core to spare."""
    if "fork" not in multiprocessing.get_all_start_methods() or (os.cpu_count() or 1) < 2:
        return None
    from generator.assemble.content import content_files

    names = [
        f"content/{kind.folder}/{path.name}"
        for kind in kinds
        if kind.folder and kind.suffix == ".md"
        for path in content_files(root, kind.folder, kind.suffix)
    ]
    if len(names) < MIN_FILES:
        return None
    return Ahead(root, names, store)


def _drain(reader: Connection, messages: list[bytes]) -> None:
    with reader:
        while True:
            try:
                messages.append(reader.recv_bytes())
            except (EOFError, OSError):
                return


def _helper(
    parent: int,
    root: Path,
    names: list[str],
    store: BuildCache,
    writer: Connection,
    stop: Any,
) -> None:
    worker_start(parent)
    from generator.assemble.content import split_front_matter
    from generator.read.text import Source, read_source
    from generator.render.markdown import check_markdown, render_markdown

    store.forget()  # what the parent read so far is the parent's to save, not ours to send
    batch = []
    with writer, contextlib.suppress(BrokenPipeError, OSError):
        for i, name in enumerate(names, 1):
            if stop.is_set():
                break
            source = read_source(root / name, name, root)
            if not isinstance(source, Source):
                continue
            front, body, _ = split_front_matter(source)
            # a body over the limits is refused when the file is loaded, never rendered
            if front is None or check_markdown(body) is not None:
                continue
            render_markdown(body, store)
            batch.append(store.handback())
            if i % BATCH == 0:
                writer.send_bytes(pickle.dumps(batch, pickle.HIGHEST_PROTOCOL))
                batch = []
        if batch:
            writer.send_bytes(pickle.dumps(batch, pickle.HIGHEST_PROTOCOL))
