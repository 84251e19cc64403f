"""`serve`: keep the last `Site` and the dependency map, re-run only what a change touches.

`Preview` is the incremental build: it renders a job again only when an input it read
changed (or it is new, or its plain context changed), keeps the bytes of every other
page, and writes through `output.write_site`, which leaves unchanged files alone.
`LivePreview` drives it: a watcher raises a flag, one build loop waits for the saves to
settle and builds, and the HTTP server holds requests while a build runs.
"""

from __future__ import annotations

import gc
import os
import shutil
import sys
import tempfile
import threading
import time
import traceback
from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TextIO

from generator import BUILTIN_THEMES
from generator.assemble.site import DEFAULT_THEME, Site, load_site
from generator.pipeline import extra_outputs
from generator.plan.pages import Job, plan
from generator.problems.catalogue import say
from generator.problems.problem import BuildFailed, Position, Problem, ProblemReport
from generator.render.environment import make_environment, static_files
from generator.render.pages import render
from generator.serve.deps import (
    PlainFingerprint,
    Provenance,
    QueryCall,
    ReadLog,
    RecordingEnvironment,
    answer,
    plain_fingerprint,
    reading,
)
from generator.serve.server import BuildState, PreviewHTTPServer
from generator.serve.watch import Change, ChangeKind, ChangeSet, Watcher
from generator.write.output import UnsafeOutput, write_site

DEBOUNCE = 0.03  # seconds of quiet after the last file event before building


@dataclass(frozen=True)
class Rebuild:
    full: bool
    pages: int  # pages in the site
    rendered: tuple[str, ...]  # the pages rendered again
    written: int  # files whose bytes changed on disk
    seconds: float
    compared: int = 0  # jobs whose own context was not the last build's objects, so compared


class Preview:
    """The incremental build behind `serve`. Not thread-safe: one build loop calls it."""

    def __init__(
        self, root: Path, out: Path, today: date | None = None, themes_root: Path | None = None
    ) -> None:
        self.root, self.out, self.themes_root = root, out, themes_root
        self.fixed_today = today
        self.log = ReadLog()
        self.site: Site | None = None
        self.jobs: dict[str, Job] = {}
        self.pages: dict[str, bytes] = {}
        self.files: dict[str, bytes] = {}  # everything in the output folder now
        self.inputs: dict[str, frozenset[str]] = {}  # output path → the inputs it read
        self.queries: dict[str, dict[QueryCall, Hashable]] = {}  # ...and the site queries it asked
        self.dependents: dict[str, set[str]] = {}  # input → the output paths that read it
        self.asking: set[str] = set()  # the output paths that asked the site a query
        self.shared_prints: dict[int, PlainFingerprint] = {}  # id(Job.shared) → its fingerprint
        self.known_files: frozenset[str] = frozenset()
        self.provenance = Provenance({})
        self._unapplied: set[Change] = set()
        self._env: RecordingEnvironment | None = None
        self._env_themes: tuple[tuple[Path, ...], str] = ((), "")
        self._compared = 0

    @property
    def theme_dirs(self) -> tuple[Path, ...]:
        if self.site is not None:
            return self.site.theme_dirs
        themes = self.themes_root or self.root / "themes"
        return (
            themes / DEFAULT_THEME,
            BUILTIN_THEMES / DEFAULT_THEME,
        )

    def build(self, changes: Iterable[Change] | None = None) -> Rebuild:
        """Build everything (`changes` None) or what `changes` touch. Raises `BuildFailed`
        and leaves the last good site as it was when anything is wrong."""
        started = time.perf_counter()
        # Changes a failed build could not apply still count, whatever fixes the failure.
        changes = None if changes is None or self.site is None else set(changes) | self._unapplied
        self._unapplied = set() if changes is None else changes
        today = self.fixed_today or date.today()
        kinds = {c.kind for c in changes} if changes is not None else set()
        names = {c.name for c in changes} if changes is not None else set()
        full = (
            changes is None
            or self.site is None
            or ChangeKind.SETTINGS in kinds
            or today != self.site.today
        )
        reload = full or bool(kinds & {ChangeKind.DATA, ChangeKind.CONTENT})

        site, jobs, provenance, known = self.site, self.jobs, self.provenance, self.known_files
        if reload:
            # Files the watcher did not name are as the log last read them: not read again.
            with reading(self.log, None if full else names):
                site = load_site(self.root, today, self.themes_root)
            provenance = Provenance(self.log.origins(), self.provenance)
            known = frozenset(self.log.files)
            names |= self.log.touched
            jobs = {j.path: j for j in plan(site)}
            # A new or removed page changes menus and links anywhere; so does a file that
            # appeared, went away, or is read somewhere the log does not see.
            data_names = {
                c.name for c in changes or () if c.kind in (ChangeKind.DATA, ChangeKind.CONTENT)
            }
            if jobs.keys() != self.jobs.keys() or not data_names <= (known & self.known_files):
                full = True
        assert site is not None

        env = self._environment(
            site.theme_dirs,
            site.settings.language,
            bool(kinds & {ChangeKind.TEMPLATE, ChangeKind.SETTINGS}),
        )
        env.provenance = provenance
        self._compared = 0
        if full:
            todo = set(jobs)
            pages: dict[str, bytes] = {}
            inputs: dict[str, frozenset[str]] = {}
            queries: dict[str, dict[QueryCall, Hashable]] = {}
        else:
            # Only the pages that read a changed input, asked a query whose answer changed,
            # or whose plain context changed: the rest keep their bytes without a visit.
            todo = set()
            for name in names:
                todo |= self.dependents.get(name, _NOBODY)
            if reload:
                todo |= {p for p in self.asking if self._answers_changed(site, p)}
                todo |= self._contexts_changed(jobs, provenance)
            pages, inputs, queries = dict(self.pages), dict(self.inputs), dict(self.queries)
        report = ProblemReport()
        rendered: list[str] = []
        for path, job in jobs.items():
            if path not in todo:
                continue
            rendered.append(path)
            with env.recording() as read:
                try:
                    pages.update(render([job], env, ()))
                except BuildFailed as failed:
                    report.extend(failed.report.problems)
            inputs[path], queries[path] = frozenset(read.inputs), read.queries
        if report.errors:
            raise BuildFailed(report)

        files = {**pages, **_static(site.theme_dirs), **extra_outputs(site)}
        if self.files:
            written = _write_changes(self.out, files, self.files)
        else:
            try:  # the first time through `write_site`: it refuses a folder not ours
                written = write_site(files, self.out).written
            except UnsafeOutput as exc:
                raise BuildFailed(
                    ProblemReport([Problem("E313", Position(str(self.out)), {"value": str(exc)})])
                ) from None
        self.files = files
        self._index(rendered, inputs, queries, full)
        self.site, self.jobs, self.pages, self.inputs = site, jobs, pages, inputs
        self.queries = queries
        self.shared_prints = {
            id(j.shared): self._shared_print(j.shared, provenance) for j in _one_per_shared(jobs)
        }
        self.provenance, self.known_files = provenance, known
        self._unapplied = set()
        self.log.touched.clear()  # kept by a failed build: the next one still owes those pages
        provenance.forget_previous()
        seconds = time.perf_counter() - started
        return Rebuild(full, len(pages), tuple(rendered), written, seconds, self._compared)

    def _contexts_changed(self, jobs: dict[str, Job], provenance: Provenance) -> set[str]:
        """The jobs whose plain context (what no data file accounts for) changed.

        The shared part is one object for all jobs: fingerprinted once. A job's own values
        that are the very objects of the last build (an unchanged article) are unchanged.
        """
        changed: set[str] = set()
        self._compared = 0
        shared_same: dict[int, bool] = {}
        for path, job in jobs.items():
            old = self.jobs[path]
            if job is old:
                continue
            same = shared_same.get(id(job.shared))
            if same is None:
                same = shared_same[id(job.shared)] = self._shared_print(
                    job.shared, provenance
                ) == self.shared_prints.get(id(old.shared))
            if not same or job.section != old.section or job.template != old.template:
                changed.add(path)
                continue
            own, before = job.own, old.own
            if len(own) == len(before) and all(
                _same(before.get(k, _MISSING), v) for k, v in own.items()
            ):
                continue
            self._compared += 1
            if plain_fingerprint(own, provenance) != plain_fingerprint(
                before, self.provenance
            ) or _members(own, provenance) != _members(before, self.provenance):
                changed.add(path)
        return changed

    def _shared_print(self, shared: dict[str, object], provenance: Provenance) -> PlainFingerprint:
        known = self.shared_prints.get(id(shared))
        return known if known is not None else plain_fingerprint(shared, provenance)

    def _index(
        self,
        rendered: list[str],
        inputs: dict[str, frozenset[str]],
        queries: dict[str, dict[QueryCall, Hashable]],
        full: bool,
    ) -> None:
        """Bring `dependents` and `asking` up to date with what the pages just rendered read."""
        if full:
            self.dependents, self.asking = {}, set()
        else:
            for path in rendered:
                for name in self.inputs.get(path, _NOBODY):
                    self.dependents[name].discard(path)
        for path in rendered:
            for name in inputs[path]:
                self.dependents.setdefault(name, set()).add(path)
            if queries[path]:
                self.asking.add(path)
            else:
                self.asking.discard(path)

    def _answers_changed(self, site: Site, path: str) -> bool:
        asked = self.queries[path]
        return bool(asked) and any(answer(site, call) != key for call, key in asked.items())

    def _environment(
        self, theme_dirs: tuple[Path, ...], language: str, templates_changed: bool
    ) -> RecordingEnvironment:
        """The last environment, with its compiled templates, unless templates (or the
        catalogues beside them) or the site language changed."""
        if self._env is None or templates_changed or self._env_themes != (theme_dirs, language):
            env = make_environment(theme_dirs, RecordingEnvironment, language)
            assert isinstance(env, RecordingEnvironment)
            self._env, self._env_themes = env, (theme_dirs, language)
        return self._env


_NOBODY: frozenset[str] = frozenset()
_MISSING = object()


def _members(context: dict[str, object], provenance: Provenance) -> list[object]:
    """The files of each item of a context's lists, in order. A list of items from several
    files (a news list page's articles) has no plain text; which items it holds, and in
    what order, is not read from any one of them either: an article dated anew moves to a
    page that never read its file."""
    return [
        (key, [provenance.of(item) for item in value])
        for key, value in context.items()
        if isinstance(value, list | tuple)
    ]


def _same(before: object, value: object) -> bool:
    """The last build's very object, or an equal number or text (a news list page's count
    and links, made anew on every load): its plain text is the same."""
    return before is value or (
        type(value) in (str, int) and type(before) is type(value) and before == value
    )


def _one_per_shared(jobs: dict[str, Job]) -> list[Job]:
    seen: dict[int, Job] = {}
    for job in jobs.values():
        seen.setdefault(id(job.shared), job)
    return list(seen.values())


def _write_changes(out: Path, files: dict[str, bytes], previous: dict[str, bytes]) -> int:
    """Write only what changed, each file replaced whole. In place, not swapped like
    `write_site`: requests wait while a build runs, and a preview edit touches a few files
    of a folder that may hold thousands."""
    written = 0
    for path, data in files.items():
        if previous.get(path) == data:
            continue
        target = out / path
        target.parent.mkdir(parents=True, exist_ok=True)
        scratch = target.with_name(f".{target.name}.tmp")
        scratch.write_bytes(data)
        os.replace(scratch, target)
        written += 1
    for path in previous.keys() - files.keys():
        (out / path).unlink(missing_ok=True)
    return written


def _static(theme_dirs: tuple[Path, ...]) -> dict[str, bytes]:
    return {path: source.read_bytes() for path, source in static_files(theme_dirs).items()}


class LivePreview:
    """Build, serve, watch, rebuild: the whole of `python build.py serve`."""

    def __init__(
        self,
        root: Path,
        *,
        host: str = "127.0.0.1",
        port: int = 8000,
        out: Path | None = None,
        today: date | None = None,
        lang: str = "zh",
        log: TextIO | None = None,
        debounce: float = DEBOUNCE,
    ) -> None:
        self._made_out = out is None
        self.out = out or Path(tempfile.mkdtemp(prefix="library-preview-")) / "site"
        self.root, self.lang, self.debounce = root.resolve(), lang, debounce
        self.log = log or sys.stderr
        self.preview = Preview(self.root, self.out, today)
        self.state = BuildState()
        self.changes = ChangeSet(self.state.mark_pending)
        self.httpd = PreviewHTTPServer((host, port), self.out, self.state, lang)
        self._threads: list[threading.Thread] = []
        self._watcher: Watcher | None = None
        self.last: Rebuild | None = None  # the last successful build, for the terminal

    @property
    def url(self) -> str:
        host, port = self.httpd.server_address[:2]
        name = host.decode() if isinstance(host, bytes) else host
        return f"http://{name}:{port}/"

    def start(self) -> None:
        """The first build, then watching and serving, each in its own thread."""
        self.state.begin_build()
        self._run_build(None)
        # What the first build made (compiled templates, caches, the unchanged files' models)
        # lives all session: spare the collector scanning it again in every rebuild (on a
        # 4,000-page site that was a third of an edit's time).
        gc.collect()
        gc.freeze()
        self._watcher = Watcher(
            self.root,
            lambda: tuple(d.resolve() for d in self.preview.theme_dirs),
            self.changes,
            extra=self.preview.theme_dirs,
        )
        self._watcher.start()
        for target in (self._build_loop, self.httpd.serve_forever):
            thread = threading.Thread(target=target, daemon=True)
            thread.start()
            self._threads.append(thread)

    def stop(self) -> None:
        self.state.stop()
        self.httpd.shutdown()
        self.httpd.server_close()
        if self._watcher is not None:
            self._watcher.stop()
        for thread in self._threads:
            thread.join(timeout=5)
        if self._made_out:
            shutil.rmtree(self.out.parent, ignore_errors=True)

    def _build_loop(self) -> None:
        while self.state.wait_for_changes():
            self._settle()
            # Mark the build first: a save arriving after `take()` must raise the flag again.
            self.state.begin_build()
            self._run_build(self.changes.take())

    def _settle(self) -> None:
        """Wait until no file event came for `debounce` seconds, or the last one closed a
        file its writer had written: one save, one build.

        An editor's save ends in one of two ways: the file written in place and closed (VS
        Code, Sublime, Notepad++; vim and Emacs after renaming the old file aside), or a
        scratch file renamed over it (gedit, Kate). The close says the bytes are all there,
        so the build starts at once; a rename, or a file left open, waits for the quiet.
        """
        while not self.changes.finished.is_set():
            quiet = time.monotonic() - self.changes.last_seen
            if quiet >= self.debounce:
                return
            self.changes.finished.wait(self.debounce - quiet)

    def _run_build(self, changes: set[Change] | None) -> None:
        problems: ProblemReport | None = None
        try:
            result = self.preview.build(changes)
        except BuildFailed as failed:
            problems = failed.report
        except Exception as exc:  # a bug must not stop the preview; show it like a problem
            detail = "".join(traceback.format_exception_only(exc)).strip()
            problems = ProblemReport([Problem("E550", Position("build.py"), {"detail": detail})])
        if problems is None:
            self.last = result
        self.state.end_build(problems)
        self._say(changes, problems, None if problems else result)

    def _say(
        self, changes: set[Change] | None, problems: ProblemReport | None, result: Rebuild | None
    ) -> None:
        what = ", ".join(sorted(c.name for c in changes)) if changes else say("I206", self.lang)
        if problems is not None:
            print(problems.render(self.lang), file=self.log)
            print(say("I204", self.lang, errors=len(problems.errors)), file=self.log, flush=True)
        elif result is not None:
            print(
                say(
                    "I205",
                    self.lang,
                    what=what,
                    rendered=len(result.rendered),
                    pages=result.pages,
                    written=result.written,
                    ms=result.seconds * 1000,
                ),
                file=self.log,
                flush=True,
            )
