"""A build that renders every page reads ahead on the core that is idle while the site is
read, validated and planned (that work is one process's): a forked helper parses and
validates the site's YAML files from the last one back (`assemble.site.files_read`), while
the build reads them from the first, then renders the Markdown files' bodies as their
pages will. Each result goes through the build's cache by what it is made of (a file's text, a
body's text: `read.load.parse_and_validate`, `render_markdown`) and comes back through a
pipe as it is made; the build takes what has come whenever the cache lacks an entry, and
all of it before it renders. Nothing depends on the helper: a file it did not reach is read
as without it, so the site and its problems are the same (tests/test_ahead.py).
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import pickle
import time
from collections.abc import Sequence
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from generator.cache import BuildCache, Handback
from generator.interrupt import Interrupted, held, worker_start

# Below this many files the fork costs about what reading ahead saves.
MIN_FILES = 50
MARKDOWN_BATCH = 8  # rendered bodies per message back (a parsed file goes back alone)
WAIT = 10.0  # seconds for the helper to finish the file it is on (at most ~0.3 s: the limits)
# what the pipe holds (Linux; elsewhere the system's 64 KB): the helper writes on while the
# build is busy elsewhere than its cache (planning), ~500 rendered bodies
PIPE_BYTES = 1 << 20

Files = list[tuple[str, type[Any], bool]]  # (name, model, Markdown?) as `files_read` gives


class Ahead:
    """The helper at work; `pull` takes what it sent so far into the cache, `finish` stops
    it and takes the rest, `stop` only stops it. Read in this thread, when the cache lacks
    an entry: a thread of its own to read would take turns at the interpreter with the
    build's reading."""

    def __init__(self, root: Path, files: Files, store: BuildCache) -> None:
        context = multiprocessing.get_context("fork")
        self._stop = context.Event()
        self._reader, writer = context.Pipe(duplex=False)
        with contextlib.suppress(ImportError, AttributeError, OSError):  # not Linux, not allowed
            import fcntl

            fcntl.fcntl(writer.fileno(), fcntl.F_SETPIPE_SZ, PIPE_BYTES)
        self._process = context.Process(
            target=_helper,
            args=(os.getpid(), root, files, store, writer, self._stop),
            daemon=True,
        )
        self._store = store
        self.taken = 0  # entries taken
        try:
            with held():  # a fork is not cut in half (see `render.pages._render_parallel`)
                self._process.start()
        except Interrupted:
            self.stop()  # started: it does not read on for a build that is over
            raise
        writer.close()  # the helper's end: the reader sees the end of it when the helper exits
        store.incoming = self.pull

    def pull(self, wait: float = 0) -> bool:
        """Take the entries that have come (waiting up to `wait` seconds for the end of
        them); whether there were any."""
        came = False
        deadline = time.monotonic() + wait
        with contextlib.suppress(EOFError, OSError):  # the helper has ended
            while self._reader.poll(max(0.0, deadline - time.monotonic())):
                for fresh, hits in pickle.loads(self._reader.recv_bytes()):
                    self._store.take(fresh, hits)
                    self.taken += sum(len(entries) for entries in fresh.values())
                    came = True
        return came

    def finish(self) -> int:
        """Stop the helper, take everything it sent (what it sends as it stops too); the
        number of entries taken."""
        self._stop.set()
        self.pull(WAIT)
        self.stop()
        return self.taken

    def stop(self) -> None:
        """Stop the helper and wait for it (killed if it does not stop in time)."""
        self._store.incoming = None
        self._stop.set()
        self._reader.close()  # a helper writing into a full pipe stops at once
        self._process.join(WAIT)
        if self._process.is_alive():
            self._process.kill()
            self._process.join()


def start(root: Path, kinds: Sequence[Any], store: BuildCache) -> Ahead | None:
    """The helper for the site's files, when there are enough of them and this system can
    fork (Linux: not Windows, whose processes start empty) with a core to spare."""
    if "fork" not in multiprocessing.get_all_start_methods() or (os.cpu_count() or 1) < 2:
        return None
    from generator.assemble.site import files_read

    files = files_read(root, kinds)
    if len(files) < MIN_FILES:
        return None
    return Ahead(root, files, store)


def _helper(
    parent: int, root: Path, files: Files, store: BuildCache, writer: Connection, stop: Any
) -> None:
    worker_start(parent)
    from generator.assemble.content import split_front_matter
    from generator.read.load import parse_and_validate
    from generator.read.text import Source, read_source
    from generator.render.markdown import check_markdown, render_markdown

    store.forget()  # what the parent read so far is the parent's to save, not ours to send
    batch: list[Handback] = []

    def made(size: int) -> None:
        batch.append(store.handback())
        if len(batch) >= size:
            writer.send_bytes(pickle.dumps(batch, pickle.HIGHEST_PROTOCOL))
            batch.clear()

    with writer, contextlib.suppress(OSError):  # the build gone: nothing left to do
        # the YAML files first, from the last one back (the build reads from the first):
        # each parsed once, mostly; then the Markdown files' bodies, which only the pages
        # need. A Markdown file's front matter is not parsed here: it is a few lines, and
        # taking its parse costs the build about half what parsing it does
        yaml = [(name, model) for name, model, markdown in reversed(files) if not markdown]
        for name, model in yaml:
            if stop.is_set():
                break
            source = read_source(root / name, name, root)
            if isinstance(source, Source):
                parse_and_validate(source, model, store)
                made(1)
        for name in (name for name, _, markdown in files if markdown):
            if stop.is_set():
                break
            source = read_source(root / name, name, root)
            if not isinstance(source, Source):
                continue
            front, body, _ = split_front_matter(source)
            # a body over the limits is refused when its file is loaded, never rendered
            if front is not None and check_markdown(body) is None:
                render_markdown(body, store)
                made(MARKDOWN_BATCH)
        made(1)  # the rest
