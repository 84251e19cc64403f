"""The render stage: jobs → bytes per output path. Template errors become problems.

A big site is rendered by several processes: forked workers inherit the jobs, the Jinja
environment and the site writer (nothing is pickled on the way in), each renders contiguous
chunks of jobs and writes its pages itself, handing back only which paths it wrote (and the
Markdown it rendered, for the cache). A page's bytes do not depend on which process made
it, so the output is the same as one process's.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

from jinja2 import Environment, TemplateError, TemplateSyntaxError

from generator.cache import BuildCache, Handback
from generator.interrupt import held, worker_start
from generator.plan.pages import Job
from generator.problems.problem import BuildFailed, Position, Problem, ProblemReport
from generator.render.environment import static_files
from generator.write.output import SiteWriter

# Below this many pages a second process costs more (fork, sending the pages back) than it
# saves. Measured on 2 cores (news corpora of 72-485 pages): break-even near 250 pages when
# the Markdown is rendered too, near 350 when it comes from the cache.
PARALLEL_MIN_JOBS = 300
# Chunks are handed out as workers come free: the last one to finish is what the others
# wait for, and the heavy pages come together in the plan (a term's print sheets, its
# agenda; a kind's lists and tag pages, at the end). So the chunks get smaller as they go,
# each a share of what is left (guided scheduling), down to a 1/SMALLEST_SHARE of the
# jobs per worker: a last chunk as big as the others, holding the kinds' lists, ran alone
# on its core for the last tenth of a big build's render. Runs of jobs, not every n-th:
# a worker then touches its own part of what it inherited (interleaved, a cold build
# took more CPU).
SHARE_PER_WORKER = 2
SMALLEST_SHARE = 256

# what forked workers inherit: set only while a pool renders
_work: tuple[list[Job], Environment, SiteWriter | None, BuildCache | None] | None = None
_tasks: Sequence[Callable[[], Any]] = ()
_worker_pid = 0  # the process whose cache entries were last handed back


# a file's bytes, or its parts (`SiteWriter.put` writes each as it comes)
Outputs = Callable[[], dict[str, bytes | Iterator[bytes | bytearray]]]


def render(
    jobs: list[Job],
    env: Environment,
    theme_dirs: tuple[Path, ...],
    workers: int | None = 1,
    tasks: Sequence[Callable[[], Any]] = (),
    combine: Callable[[list[Any]], dict[str, bytes]] | None = None,
    after: Outputs | None = None,
    writer: SiteWriter | None = None,
    store: BuildCache | None = None,
) -> dict[str, bytes]:
    """Every job's page, the theme's static files, the outputs `combine` makes of what the
    `tasks` gave (each task is work that needs no page and that any process may do: the
    workers do them beside the pages, a task's result comes back to this process), then
    those `after()` makes (after the pages, so it finds the Markdown they rendered in the
    cache). `workers=None` uses every core when there are enough pages to pay for it; a
    number forces that many.

    With a `writer`, every file goes straight into the new site as it is made (by the worker
    that rendered it) and nothing is returned: a big site is never held in memory. `store`:
    the build's cache, which the templates' Markdown goes through; what forked workers add
    to their copies of it is handed back to this one."""
    count = _workers(len(jobs)) if workers is None else workers
    if count > 1 and "fork" in multiprocessing.get_all_start_methods():
        outputs, problems, results = _render_parallel(jobs, env, count, writer, tasks, store)
    else:
        outputs, problems = _render_jobs(jobs, env, writer)
        results = [task() for task in tasks]
    report = ProblemReport(problems)
    if report.errors:
        raise BuildFailed(report)
    for path, source in static_files(theme_dirs).items():
        outputs[path] = source.read_bytes()
    if combine is not None:
        outputs.update(combine(results))
    later = after() if after is not None else {}
    if writer is None:
        joined = {
            path: data if isinstance(data, bytes) else b"".join(data)
            for path, data in later.items()
        }
        return {**outputs, **joined}
    for path, data in (*outputs.items(), *later.items()):
        writer.put(path, data)
    return {}


def _workers(jobs: int) -> int:
    if jobs < PARALLEL_MIN_JOBS:
        return 1
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def _render_jobs(
    jobs: list[Job], env: Environment, writer: SiteWriter | None = None
) -> tuple[dict[str, bytes], list[Problem]]:
    """Pages by output path; with a `writer`, each is written and recorded there instead."""
    outputs: dict[str, bytes] = {}
    problems = []
    for job in jobs:
        try:
            html = env.get_template(job.template).render(job.context)
        except TemplateError as exc:
            problems.append(_template_problem(exc, job))
            continue
        data = html.encode("utf-8")
        if writer is None:
            outputs[job.path] = data
        else:
            writer.add(job.path, writer.write(job.path, data))
    return outputs, problems


def _render_parallel(
    jobs: list[Job],
    env: Environment,
    workers: int,
    writer: SiteWriter | None,
    tasks: Sequence[Callable[[], Any]],
    store: BuildCache | None,
) -> tuple[dict[str, bytes], list[Problem], list[Any]]:
    global _work, _tasks
    bounds = chunk_bounds(len(jobs), workers)
    _work, _tasks = (jobs, env, writer, store), tasks
    outputs: dict[str, bytes] = {}
    problems: list[Problem] = []
    results: list[Any] = []
    try:
        context = multiprocessing.get_context("fork")
        pool = ProcessPoolExecutor(
            workers, mp_context=context, initializer=worker_start, initargs=(os.getpid(),)
        )
        try:
            # submitted one by one, not `map`: a `map` interrupted cancels the chunks left,
            # which races with the pool's own handling of its killed workers (Python 3.11
            # then prints an InvalidStateError traceback from the pool's thread). The tasks
            # first: they are the longer pieces, the pages' chunks then even the load out.
            # The first submit forks the workers: a signal is held until they are all
            # started, since one raised inside a fork leaves its Popen's finalizer half made,
            # and Python, calling it later, prints "Exception ignored … Traceback".
            with held():
                done = [pool.submit(_run_task, i) for i in range(len(tasks))]
                futures = [pool.submit(_render_chunk, chunk) for chunk in bounds]
            for task in done:
                result, handback = task.result()
                results.append(result)
                if store is not None:
                    store.merge(*handback)
            for future in futures:
                pages, written, found, handback = future.result()
                outputs.update(pages)
                if writer is not None:
                    for path, changed in written:
                        writer.add(path, changed)
                problems.extend(found)
                if store is not None:
                    store.merge(*handback)
        except BaseException:
            _kill_workers(pool)  # an interrupt: no worker renders on for a build that is over
            raise
        pool.shutdown()
    finally:
        _work, _tasks = None, ()
    return outputs, problems, results


def _kill_workers(pool: ProcessPoolExecutor) -> None:
    # The pool has no public way to stop chunks already running; its processes are killed
    # (they ignore SIGINT and SIGTERM) and waited for, so none still writes into the new
    # folder while the writer removes it. The pool then finds itself broken and fails the
    # chunks left (they are not cancelled: see `_render_parallel`).
    processes = list((getattr(pool, "_processes", None) or {}).values())
    for process in processes:
        with contextlib.suppress(OSError, ValueError):
            process.kill()
    for process in processes:
        with contextlib.suppress(OSError, ValueError, AssertionError):
            process.join(timeout=5)
    # A worker killed while it sent a chunk's result leaves half a message in the results
    # pipe, and the pool's thread waits for the rest, which no one will send: `shutdown`
    # then waited for that thread for ever (one build in ~80 interrupted ones hung). With
    # this process's own end of the pipe closed as well, no writer is left: the thread
    # reads the end of the pipe, finds the pool broken and stops.
    results = getattr(getattr(pool, "_result_queue", None), "_writer", None)
    if results is not None:
        with contextlib.suppress(OSError):
            results.close()
    pool.shutdown()


def _forked_store() -> BuildCache | None:
    """The worker's copy of the build cache, emptied of the parent's entries the first time."""
    global _worker_pid
    assert _work is not None, "a render worker must be forked from render()"
    store = _work[3]
    if store is not None and _worker_pid != os.getpid():
        _worker_pid = os.getpid()
        store.forget()  # the parent's own: it has them already
    return store


def chunk_bounds(jobs: int, workers: int) -> list[tuple[int, int]]:
    """(start, end) of each chunk of `jobs` for `workers`, smaller as they go."""
    smallest = max(1, jobs // (workers * SMALLEST_SHARE))
    bounds, start = [], 0
    while start < jobs:
        size = max(smallest, -(-(jobs - start) // (workers * SHARE_PER_WORKER)))
        bounds.append((start, min(jobs, start + size)))
        start += size
    return bounds


def _render_chunk(
    bounds: tuple[int, int],
) -> tuple[dict[str, bytes], list[tuple[str, bool]], list[Problem], Handback]:
    store = _forked_store()
    assert _work is not None
    jobs, env, writer, _ = _work
    if writer is not None:
        writer.files = {}
    pages, problems = _render_jobs(jobs[bounds[0] : bounds[1]], env, writer)
    written = list(writer.files.items()) if writer is not None else []
    # what this chunk computed and read goes back to the parent's cache, which is saved
    handback = store.handback() if store is not None else ({}, {})
    return pages, written, problems, handback


def _run_task(index: int) -> tuple[Any, Handback]:
    store = _forked_store()
    result = _tasks[index]()
    return result, store.handback() if store is not None else ({}, {})


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
