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
from typing import TYPE_CHECKING

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
    from generator.plan.feeds import Feed
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
) -> dict[str, bytes]:
    """Every output file by path; with a `writer`, written there as made (returns {}).
    plan → render: the pages, then the feeds, the pictures and the search index."""
    from generator.plan import urls
    from generator.plan.feeds import feeds
    from generator.plan.pages import plan
    from generator.render.environment import make_environment
    from generator.render.ics import by_term, join_feeds, term_parts
    from generator.render.pages import render
    from generator.render.search_index import search_index

    memo = store if store is not None else NO_MEMO
    env = make_environment(
        site.theme_dirs,
        language=site.settings.language,
        compiled=store.folder_for("templates") if store is not None else None,
        memo=memo,
    )
    published = feeds(site)
    # the feeds' VEVENTs term by term, made by the workers beside the pages; the parent
    # joins each feed from its terms' parts
    terms = by_term(site, published)
    return render(
        plan(site, published),
        env,
        site.theme_dirs,
        workers,
        tasks=[partial(term_parts, site, items, memo) for items in terms],
        combine=lambda parts: {
            **join_feeds(site, published, {k: v for part in parts for k, v in part.items()}),
            **images(site),
        },
        # after the pages: the search index reads the Markdown they rendered, which the
        # workers handed back to `store`
        after=lambda: {urls.search_index(): search_index(site, memo)},
        writer=writer,
        store=store,
    )


def feeds_and_images(site: Site, published: list[Feed], memo: Memo = NO_MEMO) -> dict[str, bytes]:
    """The outputs that are not pages and need none rendered first: the iCalendar feeds
    and the displays' pictures."""
    from generator.render.ics import render_feeds

    return {**render_feeds(site, published, memo), **images(site)}


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
) -> BuildResult:
    """`public`: the copy for a public web host (generator.privacy). `workers`: None uses
    every core for a big site; a number forces that many processes. With `use_cache`,
    <site>/.cache keeps parsed files, rendered Markdown and a fingerprint of the inputs and
    options: a build whose inputs, options and output folder are unchanged does nothing."""
    started = time.perf_counter()
    store = cache.BuildCache(root if use_cache else None)
    if use_cache:
        fingerprint = cache.fingerprint(root, out, today, options=f"public={public}")
        last = store.get("build", "last")
        if (
            last is not None
            and last["fingerprint"] == fingerprint
            and cache.output_state(out) == last["state"]
            and not output.leftovers(out)  # a killed build's leftovers: heal them first
        ):  # nothing to do, nothing written
            return BuildResult(
                None,
                last["pages"],
                WriteReport(0, last["files"], 0),
                time.perf_counter() - started,
                last["warnings"],
                last["privacy"],
            )
    try:
        result = _build(root, out, today, public, workers, started, store)
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
            },
        )
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
) -> BuildResult:
    from generator.transform.privacy import public_site

    site = load_site(root, today, memo=store)
    privacy = None
    if public or site.settings.public:
        site, privacy = public_site(site)
    writer = open_writer(out)
    with writer:
        render_site(site, workers, writer, store)
        report = writer.commit()
    pages = sum(1 for p in writer.files if p.endswith(".html"))
    return BuildResult(
        site, pages, report, time.perf_counter() - started, tuple(site.warnings), privacy
    )


def open_writer(out: Path, lock_wait: float | None = None) -> SiteWriter:
    """The output folder, locked, healed and checked; a problem instead of an exception
    when it is another build's for now or not ours to replace."""
    try:
        return SiteWriter(out, lock_wait)
    except OutputBusy as exc:
        wait = output.LOCK_WAIT if lock_wait is None else lock_wait
        problem = Problem("E327", Position(str(out)), {"value": str(exc), "seconds": f"{wait:g}"})
    except ForeignFiles as exc:
        problem = Problem("E326", Position(str(out)), {"value": exc.out, "files": exc.shown()})
    except UnsafeOutput as exc:
        problem = Problem("E313", Position(str(out)), {"value": str(exc)})
    raise BuildFailed(ProblemReport([problem])) from None
