"""`serve`: keep the last site and what each page read, re-render only what a change touches.

`Preview` is the incremental build. Its memo (`serve.memo.PreviewMemo`) gives back the last
result of every file the watcher did not name, so a save reads one file; the whole site is
then assembled and planned again, which is cheap, and a page is rendered again only when
an input file it shows changed (`Job.sources`), a template it loaded changed, or the plain
values it shows (`Job.key`) differ. A new or removed page, a changed menu, the settings or
the date render everything. The other pages keep their bytes, and `_write_changes` writes
only files whose bytes changed. The pages open in a browser are made first and served
before the rest, each as soon as its part of the plan is made (`plan.pages.plan_parts`:
the calendar's pages, then each kind's). `LivePreview` drives it: a watcher raises a flag,
one build loop waits for the saves to settle and builds, and the HTTP server holds requests
while a build runs, but for the pages it published and the themes' static files a build
leaves as they are.
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
from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import TextIO

from generator.assemble.site import Site, default_theme_dirs, theme_dirs_now
from generator.pipeline import images, kind_files, load_site
from generator.plan import urls
from generator.plan.depends import PageRecord, stale
from generator.plan.feeds import feeds
from generator.plan.pages import Job, plan_parts
from generator.problems.messages import say
from generator.problems.problem import BuildFailed, Position, Problem, ProblemReport
from generator.render.environment import make_environment, static_files
from generator.render.ics import render_feeds
from generator.render.pages import render
from generator.render.search_index import search_index
from generator.serve.memo import PreviewMemo
from generator.serve.server import BuildState, PreviewHTTPServer
from generator.serve.templates import TEMPLATE, RecordingEnvironment
from generator.serve.watch import Change, ChangeKind, ChangeSet, Watcher
from generator.write.output import (
    PREVIEW,
    UnsafeOutput,
    failed_file,
    reported,
    write_manifest,
    write_site,
)

DEBOUNCE = 0.03  # seconds of quiet after the last file event before building
# How long the build thread keeps the GIL while a server thread waits for it (Python's
# default is 5 ms). Answering a reload is several hand-overs (the live-reload stream, the
# accept loop, the request's thread), each waiting out the interval while the build goes
# on making the rest of the site after the page shown: with the default they were most
# of an edit's time from the save to the page served.
SWITCH_INTERVAL = 0.0005


@dataclass(frozen=True)
class Rebuild:
    full: bool
    pages: int  # pages in the site
    rendered: tuple[str, ...]  # the pages rendered again
    written: int  # files whose bytes changed on disk
    seconds: float


class Preview:
    """The incremental build behind `serve`. Not thread-safe: one build loop calls it."""

    def __init__(
        self, root: Path, out: Path, today: date | None = None, themes_root: Path | None = None
    ) -> None:
        self.root, self.out, self.themes_root = root, out, themes_root
        self.fixed_today = today
        self.memo = PreviewMemo()
        self.site: Site | None = None
        self.jobs: dict[str, Job] = {}
        self.pages: dict[str, bytes] = {}
        self.files: dict[str, bytes] = {}  # everything in the output folder now
        self.templates: dict[str, frozenset[str]] = {}  # output path → the templates it loaded
        self.reads: dict[str, frozenset[tuple[str, str]]] = {}  # output path → its reads
        self._unapplied: set[Change] = set()
        self._env: RecordingEnvironment | None = None
        self._env_themes: tuple[tuple[Path, ...], str] = ((), "")
        self._kind_paths: set[str] = set()  # the kinds' own files among `files`
        self._late: Site | None = None  # the site whose kinds' files `finish` writes
        self._calendar: frozenset[str] = frozenset()  # the calendar's pages (`plan_parts`)

    @property
    def theme_dirs(self) -> tuple[Path, ...]:
        if self.site is not None:
            return self.site.theme_dirs
        themes = self.themes_root or self.root / "themes"
        return default_theme_dirs(themes)

    def build(
        self,
        changes: Iterable[Change] | None = None,
        late: bool = False,
        first: Collection[str] = (),
        publish: Callable[[dict[str, bytes]], None] | None = None,
    ) -> Rebuild:
        """Build everything (`changes` None) or what `changes` touch. Raises `BuildFailed`
        and leaves the last good site as it was when anything is wrong. `late`: the kinds'
        own files (the documents' .docx) are left for `finish()`, after an incremental
        build has written the pages: the page being looked at is served without waiting for
        the Word files (a term's two were most of an edit's time). `first`: the pages
        (output paths) an incremental build makes before any other, handed to `publish`
        as soon as they are final: the pages open in a browser are served before the rest
        of the site (its other pages, feeds and search index) is made."""
        self.finish()  # an earlier build's files first
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
        site, jobs, calendar = self.site, self.jobs, self._calendar
        rest: Iterator[list[Job]] = iter(())  # the plan's parts after the calendar's pages
        if full or kinds & {ChangeKind.DATA, ChangeKind.CONTENT}:
            self.memo.begin(None if full else names)
            site = load_site(self.root, today, self.themes_root, self.memo)
            published = feeds(site, self.memo)
            rest = plan_parts(site, published, memo=self.memo)
            jobs = {j.path: j for j in next(rest)}
            calendar = frozenset(jobs)
        else:
            assert site is not None
            published = feeds(site, self.memo)
        # A new or removed page, or another menu, changes links on every page (a kind's
        # page: known once the kinds are planned, below).
        full = full or calendar != self._calendar or _shared(jobs) != _shared(self.jobs)

        env = self._environment(
            site.theme_dirs,
            site.settings.language,
            bool(kinds & {ChangeKind.TEMPLATE, ChangeKind.SETTINGS}),
        )
        if full:
            env.forget_kept()
        templated = any(c.startswith(TEMPLATE) for c in names)

        def todo(path: str) -> bool:
            return full or self._stale(jobs[path], names, templated)

        pages = {} if full else dict(self.pages)
        templates = {} if full else dict(self.templates)
        reads = {} if full else dict(self.reads)
        report = ProblemReport()
        rendered: list[str] = []
        shown: list[str] = []  # the pages published

        def render_pages(paths: Iterable[str]) -> None:
            for path in paths:
                job = jobs[path]
                rendered.append(path)
                with env.recording() as loaded, env.reading(job.context) as read:
                    try:
                        pages.update(render([job], env, ()))
                    except BuildFailed as failed:
                        report.extend(failed.report.problems)
                templates[path] = frozenset(loaded)
                reads[path] = frozenset(read)

        def show() -> None:
            """The pages of `first` planned so far, made and published (with those before)."""
            if full or publish is None:
                return
            new = sorted(p for p in first if p in jobs and p not in shown)
            render_pages(p for p in new if todo(p))
            shown.extend(new)
            if new and not report.errors:
                publish({p: pages[p] for p in shown})

        show()  # a calendar page is final before the kinds' pages are planned
        for part in rest:  # and a kind's page before the next kinds' pages
            jobs.update((j.path, j) for j in part)
            show()
        if not full and jobs.keys() != self.jobs.keys():  # a kind's page came or went
            full = True  # `todo`: every page; the pages shown are the same jobs, made already
            env.forget_kept()
            pages = {p: pages[p] for p in shown if p in pages}
            templates = {p: templates[p] for p in shown if p in templates}
            reads = {p: reads[p] for p in shown if p in reads}
        render_pages(p for p in jobs if p not in shown and todo(p))
        if report.errors:
            raise BuildFailed(report)

        files = {
            **pages,
            **_static(site.theme_dirs),
            **render_feeds(site, published, self.memo),
            **images(site),
            urls.search_index(): search_index(site, self.memo),
        }
        late = late and bool(self.files) and not full
        kind_paths = self._kind_paths
        if late:  # the last build's own files stay until `finish` makes them again
            files.update((p, self.files[p]) for p in kind_paths if p in self.files)
        else:
            own = kind_files(site, self.memo)
            kind_paths = set(own)
            files.update(own)
        if self.files:
            written = _write_changes(self.out, files, self.files)
        else:
            try:  # the first time through `write_site`: it refuses a folder not ours
                written = write_site(files, self.out).written
            except UnsafeOutput as exc:
                raise BuildFailed(
                    ProblemReport([Problem("E313", Position(str(self.out)), {"value": str(exc)})])
                ) from None
        self.files, self.site, self.jobs, self.pages = files, site, jobs, pages
        self._late, self._kind_paths = (site if late else None), kind_paths
        self.templates, self.reads = templates, reads
        self._calendar = calendar
        self._unapplied = set()
        seconds = time.perf_counter() - started
        return Rebuild(full, len(pages), tuple(rendered), written, seconds)

    def keeps_static(self, changes: Iterable[Change] | None) -> bool:
        """Whether a build of `changes` leaves the themes' static files (the stylesheets,
        the scripts, the icon) as they are on disk: no static file and no setting (another
        theme) changed, in them or in a failed build's changes it still owes."""
        if changes is None or self.site is None:
            return False
        unsettled = {ChangeKind.STATIC, ChangeKind.SETTINGS}
        if any(c.kind in unsettled for c in (*changes, *self._unapplied)):
            return False
        # a theme folder made or removed (a school's own themes/default) comes with no
        # change the watcher names: the static files are the last build's only while the
        # theme folders are
        site = self.site
        return theme_dirs_now(self.root, self.themes_root, site.settings) == site.theme_dirs

    def finish(self) -> int:
        """The kinds' own files a `late` build left, written: how many changed."""
        site, self._late = self._late, None
        if site is None:
            return 0
        own = kind_files(site, self.memo)
        files = {p: d for p, d in self.files.items() if p not in self._kind_paths} | own
        written = _write_changes(self.out, files, self.files)
        self.files, self._kind_paths = files, set(own)
        return written

    def _stale(self, job: Job, changed: set[str], templates_changed: bool) -> bool:
        """Whether `job` may show something else than its last rendering did
        (`plan.depends.stale`): a page with `values` is kept through a change to its sources
        while they are the same and it read nothing else (a month page through an edit of
        another month of its term)."""
        old = self.jobs.get(job.path)
        if (  # most pages of a big site: no file of theirs changed (`stale`'s first questions)
            old is not None
            and job.sources.isdisjoint(changed)
            and not templates_changed
            and (  # a kept job (`plan`'s memo) is its own last job
                old is job
                or (
                    old.template == job.template
                    and old.key == job.key
                    and old.sources == job.sources
                )
            )
        ):
            return False
        record = (
            None
            if old is None
            else PageRecord.of(old, self.templates.get(job.path), self.reads.get(job.path))
        )
        return stale(job, record, changed, templates_changed)

    def _environment(
        self, theme_dirs: tuple[Path, ...], language: str, templates_changed: bool
    ) -> RecordingEnvironment:
        """The last environment, with its compiled templates, unless templates (or the
        catalogues beside them) or the site language changed."""
        if self._env is None or templates_changed or self._env_themes != (theme_dirs, language):
            env = make_environment(
                theme_dirs,
                RecordingEnvironment,
                language,
                memo=self.memo,
                shared_frame=False,
                lunar=self.memo.kept_for("lunar"),
            )
            assert isinstance(env, RecordingEnvironment)
            self._env, self._env_themes = env, (theme_dirs, language)
        return self._env


def _shared(jobs: dict[str, Job]) -> object:
    """What every page shows alike (the menu, the feed links): one object per plan."""
    return next(iter(jobs.values())).shared if jobs else None


@reported(failed_file, PREVIEW)  # a file it cannot write: E328, not a bug (E550)
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
    if files.keys() != previous.keys():  # the manifest lists what is there, or a build refuses
        write_manifest(out, list(files))
    return written


def _bug(exc: Exception) -> ProblemReport:
    detail = "".join(traceback.format_exception_only(exc)).strip()
    return ProblemReport([Problem("E550", Position("build.py"), {"detail": detail})])


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
        self.httpd = PreviewHTTPServer((host, port), self.out, self.state, lang, log=self.log)
        self._threads: list[threading.Thread] = []
        self._watcher: Watcher | None = None
        self.last: Rebuild | None = None  # the last successful build, for the terminal
        self._switch_interval: float | None = None  # Python's, while the preview runs

    @property
    def url(self) -> str:
        return self.httpd.url  # an IPv6 address in brackets

    def start(self) -> None:
        """The first build, then watching and serving, each in its own thread."""
        self.state.begin_build()
        self._run_build(None)
        # What the first build made (compiled templates, caches, the unchanged files' models)
        # lives all session: spare the collector scanning it again in every rebuild (on a
        # 4,000-page site that was a third of an edit's time).
        gc.collect()
        gc.freeze()
        self._switch_interval = sys.getswitchinterval()
        sys.setswitchinterval(min(SWITCH_INTERVAL, self._switch_interval))
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
        if self._switch_interval is not None:
            sys.setswitchinterval(self._switch_interval)
            self._switch_interval = None
        if self._made_out:
            shutil.rmtree(self.out.parent, ignore_errors=True)

    def _build_loop(self) -> None:
        while self.state.wait_for_changes():
            self._settle()
            # Mark the build first: a save arriving after `take()` must raise the flag again.
            self.state.begin_build()
            changes = self.changes.take()
            # the page a browser reloads asks for its stylesheets at once: served then
            self.state.keep_static(self.preview.keeps_static(changes))
            self._run_build(changes)

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
            result = self.preview.build(
                changes, late=True, first=self.state.watched(), publish=self.state.publish
            )
        except BuildFailed as failed:
            problems = failed.report
        except Exception as exc:  # a bug must not stop the preview; show it like a problem
            problems = _bug(exc)
        # the pages are served from here on; any other file waits for the kinds' own
        # files (the documents' .docx), written next
        self.state.end_build(problems, finishing=problems is None)
        if problems is None:
            try:
                written = self.preview.finish()
            except BuildFailed as failed:  # a file it cannot write (E328)
                problems = failed.report
            except Exception as exc:  # a bug: shown like a problem, the pages stay
                problems = _bug(exc)
            else:
                result = replace(result, written=result.written + written)
                self.last = result
            self.state.end_finish(problems)
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
