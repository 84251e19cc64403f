"""The render stage: jobs → bytes per output path. Template errors become problems.

A big site is rendered by several processes: forked workers inherit the jobs and the Jinja
environment (nothing is pickled on the way in), each renders contiguous chunks of jobs, and
the parent puts the pages together in job order, so the output is the same as one process's.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

from jinja2 import Environment, TemplateError, TemplateSyntaxError

from generator import cache
from generator.errors import BuildFailed, Position, Problem, ProblemReport
from generator.plan import Job
from generator.templates import static_files

# Below this many pages a second process costs more (fork, sending the pages back) than it
# saves. Measured on 2 cores (news corpora of 72-485 pages): break-even near 250 pages when
# the Markdown is rendered too, near 350 when it comes from the cache.
PARALLEL_MIN_JOBS = 300
CHUNKS_PER_WORKER = 4

_work: tuple[list[Job], Environment] | None = None  # what forked workers inherit
_worker_pid = 0  # the process whose cache entries were last handed back


def render(
    jobs: list[Job],
    env: Environment,
    theme_dirs: tuple[Path, ...],
    workers: int | None = 1,
    also: Callable[[], dict[str, bytes]] | None = None,
) -> dict[str, bytes]:
    """Every job's page, the theme's static files, then the outputs `also()` makes (the
    parent makes them while its workers render). `workers=None` uses every core when there
    are enough pages to pay for it; a number forces that many processes."""
    count = _workers(len(jobs)) if workers is None else workers
    extra: dict[str, bytes] = {}
    if count > 1 and "fork" in multiprocessing.get_all_start_methods():
        outputs, problems, extra = _render_parallel(jobs, env, count, also)
    else:
        outputs, problems = _render_jobs(jobs, env)
    report = ProblemReport(problems)
    if report.errors:
        raise BuildFailed(report)
    for path, source in static_files(theme_dirs).items():
        outputs[path] = source.read_bytes()
    if also is not None and count <= 1:
        extra = also()
    return {**outputs, **extra}


def _workers(jobs: int) -> int:
    if jobs < PARALLEL_MIN_JOBS:
        return 1
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def _render_jobs(jobs: list[Job], env: Environment) -> tuple[dict[str, bytes], list[Problem]]:
    outputs: dict[str, bytes] = {}
    problems = []
    for job in jobs:
        try:
            html = env.get_template(job.template).render(job.context)
        except TemplateError as exc:
            problems.append(_template_problem(exc, job))
            continue
        outputs[job.path] = html.encode("utf-8")
    return outputs, problems


def _render_parallel(
    jobs: list[Job], env: Environment, workers: int, also: Callable[[], dict[str, bytes]] | None
) -> tuple[dict[str, bytes], list[Problem], dict[str, bytes]]:
    global _work
    size = max(1, -(-len(jobs) // (workers * CHUNKS_PER_WORKER)))
    bounds = [(i, min(i + size, len(jobs))) for i in range(0, len(jobs), size)]
    _work = (jobs, env)
    outputs: dict[str, bytes] = {}
    problems: list[Problem] = []
    active = cache.active()
    try:
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(workers, mp_context=context) as pool:
            results = pool.map(_render_chunk, bounds)
            extra = also() if also is not None else {}
            for pages, found, fresh in results:
                outputs.update(pages)
                problems.extend(found)
                if active is not None:
                    active.merge(fresh)
    finally:
        _work = None
    return outputs, problems, extra


def _render_chunk(
    bounds: tuple[int, int],
) -> tuple[dict[str, bytes], list[Problem], dict[str, dict[str, Any]]]:
    global _worker_pid
    assert _work is not None, "a render worker must be forked from render()"
    jobs, env = _work
    active = cache.active()
    if active is not None and _worker_pid != os.getpid():
        _worker_pid = os.getpid()
        for entries in active.fresh.values():  # the parent's own: it has them already
            entries.clear()
    pages, problems = _render_jobs(jobs[bounds[0] : bounds[1]], env)
    fresh: dict[str, dict[str, Any]] = {}
    if active is not None:  # hand what this chunk computed back to the parent's cache
        fresh = {ns: dict(entries) for ns, entries in active.fresh.items()}
        for entries in active.fresh.values():
            entries.clear()
    return pages, problems, fresh


def _template_problem(exc: TemplateError, job: Job) -> Problem:
    if isinstance(exc, TemplateSyntaxError):
        name = exc.filename or exc.name or job.template
        return Problem(
            "E309",
            Position(name, exc.lineno or 0, 1),
            {"detail": exc.message or ""},
            source_line=exc.source.splitlines()[exc.lineno - 1]
            if exc.source and exc.lineno
            else None,
        )
    return Problem("E309", Position(f"templates/{job.template}"), {"detail": f"{exc} ({job.path})"})
