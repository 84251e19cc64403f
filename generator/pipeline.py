"""The stages in execution order. `check` stops after assemble; `build` goes on to write.

read → parse → validate → assemble (assemble.site.load_site) → [transform.privacy.public_site]
→ plan → render → write. The public build (`--public` or `public: 是`) masks people and
contacts in between.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import date
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from generator import cache
from generator.memo import NO_MEMO, Memo
from generator.problems.problem import BuildFailed, Position, Problem, ProblemReport
from generator.write import output
from generator.write.output import (
    ForeignFiles,
    OutputBusy,
    SiteWriter,
    UnsafeOutput,
    WriteReport,
)

if TYPE_CHECKING:
    from generator.assemble.site import Site
    from generator.plan.depends import PageRecord
    from generator.plan.feeds import Feed
    from generator.plan.pages import Job
    from generator.transform.privacy import PrivacyReport

# The stages are imported by the functions that run them, not here: a build with nothing to
# do (its inputs and output as the last build left them) then answers in a fifth of a
# second, without loading pydantic, Jinja, Markdown and iCalendar (0.2 s of imports).


@dataclass(frozen=True)
class BuildResult:
    site: Site | None  # None when nothing had changed since the last build
    pages: int
    write: WriteReport
    seconds: float
    warnings: tuple[Problem, ...] = ()
    privacy: PrivacyReport | None = None  # the public build's report
    rendered: int | None = None  # pages rendered again by an incremental build (None: all)
    pdfs: int = 0  # PDFs beside the printable pages (`pdf=True`)


def load_site(
    root: Path, today: date, themes_root: Path | None = None, memo: Memo = NO_MEMO
) -> Site:
    """read → assemble with the site's content kinds (`generator.kinds.KINDS`)."""
    from generator.assemble import site
    from generator.kinds import KINDS

    return site.load_site(root, today, KINDS, themes_root, memo)


def check(root: Path, today: date) -> Site:
    return load_site(root, today)


def render_site(
    site: Site,
    workers: int | None = 1,
    writer: SiteWriter | None = None,
    store: cache.BuildCache | None = None,
    planned: tuple[list[Feed], list[Job]] | None = None,
    pdf: bool = False,
) -> dict[str, bytes]:
    """Every output file by path; with a `writer`, written there as made (returns {}).
    plan → render: the pages, then the feeds, the pictures and the search index.
    `planned`: the feeds and pages `plan_site` gave, when the caller planned already.
    `pdf`: the printable pages link to their PDFs (which `print_pdfs` makes)."""
    from generator.render.pages import render

    memo = store if store is not None else NO_MEMO
    published, jobs = planned if planned is not None else plan_site(site, pdf, memo)
    return render(
        jobs,
        _environment(site, store),
        site.theme_dirs,
        workers,
        **_not_pages(site, published, memo),
        writer=writer,
        store=store,
    )


def plan_site(site: Site, pdf: bool = False, memo: Memo = NO_MEMO) -> tuple[list[Feed], list[Job]]:
    from generator.plan.feeds import feeds
    from generator.plan.pages import plan

    published = feeds(site)
    return published, plan(site, published, pdf=pdf, memo=memo)


def _environment(site: Site, store: cache.BuildCache | None, cls: type | None = None) -> Any:
    from generator.render.environment import make_environment

    memo = store if store is not None else NO_MEMO
    compiled = store.compiled_templates() if store is not None else None
    lunar = store.kept_for("lunar") if store is not None else None
    language = site.settings.language
    if cls is None:
        return make_environment(
            site.theme_dirs, language=language, compiled=compiled, memo=memo, lunar=lunar
        )
    return make_environment(
        site.theme_dirs, cls, language, compiled, memo, shared_frame=False, lunar=lunar
    )


def _not_pages(site: Site, published: list[Feed], memo: Memo) -> dict[str, Any]:
    """What `render` makes besides the pages: the feeds' VEVENTs term by term and the
    kinds' files (`Kind.file_tasks`: the documents' .docx), made by the workers beside the
    pages (the parent joins each feed from its terms' parts), the pictures, and after the
    pages the search index (it reads the Markdown they rendered, which the workers handed
    back to the cache)."""
    from generator.plan import urls
    from generator.render.ics import by_term, join_feeds, term_parts
    from generator.render.search_index import search_index_parts

    terms = by_term(site, published)
    files = [task for kind in site.kinds for task in kind.file_tasks(site, memo)]

    def combine(parts: list[Any]) -> dict[str, bytes]:
        feed_parts, file_parts = parts[: len(terms)], parts[len(terms) :]
        return {
            **join_feeds(site, published, {k: v for part in feed_parts for k, v in part.items()}),
            **images(site),
            **{path: data for part in file_parts for path, data in part.items()},
        }

    return {
        "tasks": [*(partial(term_parts, site, items, memo) for items in terms), *files],
        "combine": combine,
        "after": lambda: {urls.search_index(): search_index_parts(site, memo)},
    }


def feeds_and_images(site: Site, published: list[Feed], memo: Memo = NO_MEMO) -> dict[str, bytes]:
    """The outputs that are not pages and need none rendered first: the iCalendar feeds,
    the displays' pictures and the kinds' own files (`Kind.files`)."""
    from generator.render.ics import render_feeds

    return {**render_feeds(site, published, memo), **images(site), **kind_files(site, memo)}


def kind_files(site: Site, memo: Memo) -> dict[str, bytes]:
    """The kinds' files that are not pages (the documents' .docx)."""
    return {path: data for kind in site.kinds for path, data in kind.files(site, memo).items()}


def images(site: Site) -> dict[str, bytes]:
    """The displays' pictures, as the bytes checked when the site was read."""
    from generator.plan import urls

    return {urls.media(image.src): image.data for image in site.content.images}


def build(
    root: Path,
    out: Path,
    today: date,
    public: bool = False,
    workers: int | None = None,
    use_cache: bool = True,
    pdf: bool = False,
) -> BuildResult:
    """`public`: the copy for a public web host (generator.privacy). `workers`: None uses
    every core for a big site; a number forces that many processes. With `use_cache`,
    <site>/.cache keeps parsed files, rendered Markdown and a fingerprint of the inputs and
    options: a build whose inputs, options and output folder are unchanged does nothing."""
    started = time.perf_counter()
    store = cache.BuildCache(root if use_cache else None)
    files: dict[str, str] = {}
    earlier = None
    if use_cache:
        options = f"public={public} pdf={pdf}"
        known = store.get("build", "inputs")
        fingerprint, files, inputs, read = cache.input_state(root, out, today, options, known)
        if read:  # the files read again, with their times, for the next build
            store.put("build", "inputs", inputs)
        del known, inputs  # pickled: not held through the build (4,000 files' are ~2 MB)
        last = store.get("build", "last")
        if (
            last is not None
            and last["fingerprint"] == fingerprint
            and cache.output_state(out) == last["state"]
            and not output.leftovers(out)  # a killed build's leftovers: heal them first
        ):  # nothing to do, nothing written (the files read again are read again next time)
            return BuildResult(
                None,
                last["pages"],
                WriteReport(0, last["files"], 0),
                time.perf_counter() - started,
                last["warnings"],
                last["privacy"],
                pdfs=last.get("pdfs", 0),
            )
        if (
            last is not None
            and cache.output_state(out) == last["state"]
            and not output.leftovers(out)
        ):  # the output folder as the last build left it: its pages can be kept
            earlier = store.get("build", "pages")
    try:
        result, pages = _build(
            root, out, today, public, workers, started, store, earlier, files, pdf
        )
    except BaseException:
        store.save()  # what was parsed is still right; the next try reuses it
        raise
    if use_cache:
        store.put(
            "build",
            "last",
            {
                "fingerprint": fingerprint,
                "state": cache.output_state(out),
                "pages": result.pages,
                "files": result.write.written + result.write.unchanged,
                "warnings": result.warnings,
                "privacy": result.privacy,
                "pdfs": result.pdfs,
            },
        )
        store.put("build", "pages", pages)
        store.save()
    return result


def _build(
    root: Path,
    out: Path,
    today: date,
    public: bool,
    workers: int | None,
    started: float,
    store: cache.BuildCache,
    earlier: dict[str, Any] | None = None,
    files: dict[str, str] | None = None,
    pdf: bool = False,
) -> tuple[BuildResult, dict[str, Any]]:
    """The build, and its record for the next one (`earlier`: the last build's): each
    page's dependencies (`plan.depends`), the input files' digests, the shared parts.
    With the last build's record, only the pages a change can alter are rendered again;
    the others are kept as the last build wrote them."""
    from generator.transform.privacy import public_site

    build = (today, str(out.resolve()), public, pdf)
    # a pdf build prints every page again: it keeps none of the last build's
    same_build = earlier is not None and earlier.get("build") == build and not pdf
    ahead = None
    # every page is rendered (a public build's texts are masked first: not these)
    if not same_build and not public and workers != 1:
        from generator import ahead as read_ahead
        from generator.kinds import KINDS

        ahead = read_ahead.start(root, KINDS, store)
    try:
        site = load_site(root, today, memo=store)
        privacy = None
        if public or site.settings.public:
            site, privacy = public_site(site)
        published, jobs = plan_site(site, pdf, store)
        changed = _changes(root, site, earlier if same_build else None, files or {}, jobs)
        if ahead is not None:
            ahead.finish()
    finally:
        if ahead is not None:
            ahead.stop()
    record: dict[str, Any] = {
        # what every page depends on: the build date, the output folder, the options
        "build": build,
        "files": files or {},
        "themes": site.theme_dirs,
        "shared": jobs[0].shared if jobs else None,
        "pages": {},
    }
    # after an edit, the few files it changed replace theirs in the old site
    writer = open_writer(out, in_place=changed is not None)
    rendered = None
    with writer:
        if changed is None:
            from generator.plan.depends import PageRecord

            render_site(site, workers, writer, store, (published, jobs))
            record["pages"] = {j.path: PageRecord.of(j, None, None).unvalued() for j in jobs}
            if pdf:
                print_pdfs(site, jobs, writer, root)
        else:
            assert earlier is not None
            record["pages"], rendered = _render_changed(
                site, published, jobs, earlier, changed, writer, store
            )
        report = writer.commit()
    pages = sum(1 for p in writer.files if p.endswith(".html"))
    pdfs = sum(1 for p in writer.files if p.endswith(".pdf"))
    seconds = time.perf_counter() - started
    warnings = tuple(site.warnings)
    result = BuildResult(site, pages, report, seconds, warnings, privacy, rendered, pdfs)
    return result, record


def print_pdfs(site: Site, jobs: list[Job], writer: SiteWriter, root: Path) -> None:
    """The PDFs of the pages that have paper, printed from the new site before the swap:
    a problem (E760–E762), and the old site untouched, when they cannot be."""
    from generator.write import pdf

    pages = [job.path for job in jobs if job.paper]
    try:
        made = pdf.print_pages(writer.tmp, pages, site.today)
    except pdf.PdfUnavailable as exc:
        where = f" ({exc.value})" if exc.value else ""
        params = {"value": where, "env": pdf.BROWSER_ENV}
        problem = Problem(exc.code, Position(str(root)), params)
        raise BuildFailed(ProblemReport([problem])) from None
    except pdf.PrintFailed as exc:
        params = {"value": exc.page, "reason": exc.reason, "env": pdf.BROWSER_ENV}
        raise BuildFailed(ProblemReport([Problem("E762", Position(str(root)), params)])) from None
    for path, data in made.items():
        writer.put(path, data)


def _changes(
    root: Path,
    site: Site,
    earlier: dict[str, Any] | None,
    files: dict[str, str],
    jobs: list[Job],
) -> set[str] | None:
    """The inputs changed since the last build (names as the pages' dependencies name
    them), or None when every page is rendered: no record, other pages or menu, a setting,
    a catalogue or a static file changed."""
    from generator.serve.changes import ChangeKind, classify_change

    if earlier is None or earlier["themes"] != site.theme_dirs or not jobs:
        return None
    if earlier["shared"] != jobs[0].shared or earlier["pages"].keys() != {j.path for j in jobs}:
        return None
    before: dict[str, str] = earlier["files"]
    changed: set[str] = set()
    for path in before.keys() ^ files.keys() | {p for p in files if before.get(p) != files[p]}:
        change = classify_change(Path(path), root, site.theme_dirs)
        if change is None:
            continue
        if change.kind in (ChangeKind.SETTINGS, ChangeKind.STATIC):
            return None
        changed.add(change.name)
    return changed


def _render_changed(
    site: Site,
    published: list[Feed],
    jobs: list[Job],
    earlier: dict[str, Any],
    changed: set[str],
    writer: SiteWriter,
    store: cache.BuildCache,
) -> tuple[dict[str, PageRecord], int]:
    """The pages `changed` can alter rendered again, recording what each loaded and read;
    the others kept from the last build; the feeds, pictures and search index made again.
    Returns the pages' records and how many were rendered."""
    from generator.plan.depends import PageRecord, stale
    from generator.render.pages import render
    from generator.serve.templates import TEMPLATE, RecordingEnvironment

    env = _environment(site, store, RecordingEnvironment)
    templates_changed = any(name.startswith(TEMPLATE) for name in changed)
    records: dict[str, PageRecord] = {}
    rendered = 0
    for job in jobs:
        old: PageRecord = earlier["pages"][job.path]
        if not stale(job, old, changed, templates_changed):
            writer.keep(job.path)
            if old.values is None and job.values is not None:
                old = PageRecord.of(job, old.templates, old.reads).kept()
            # its values are the last build's (its files did not change, or its values
            # were compared equal): the record as it was, its pickled values too
            records[job.path] = old
            continue
        with env.recording() as loaded, env.reading(job.context) as read:
            render([job], env, (), writer=writer)
        records[job.path] = PageRecord.of(job, frozenset(loaded), frozenset(read)).kept()
        rendered += 1
    render([], env, site.theme_dirs, 1, **_not_pages(site, published, store), writer=writer)
    return records, rendered


def open_writer(out: Path, lock_wait: float | None = None, in_place: bool = False) -> SiteWriter:
    """The output folder, locked, healed and checked; a problem instead of an exception
    when it is another build's for now or not ours to replace."""
    try:
        return SiteWriter(out, lock_wait, in_place)
    except OutputBusy as exc:
        wait = output.LOCK_WAIT if lock_wait is None else lock_wait
        problem = Problem("E327", Position(str(out)), {"value": str(exc), "seconds": f"{wait:g}"})
    except ForeignFiles as exc:
        problem = Problem("E326", Position(str(out)), {"value": exc.out, "files": exc.shown()})
    except UnsafeOutput as exc:
        problem = Problem("E313", Position(str(out)), {"value": str(exc)})
    raise BuildFailed(ProblemReport([problem])) from None
