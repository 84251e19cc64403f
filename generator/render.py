"""The render stage: jobs → bytes per output path. Template errors become problems."""

from __future__ import annotations

from pathlib import Path

from jinja2 import Environment, TemplateError, TemplateSyntaxError

from generator.errors import BuildFailed, Position, Problem, ProblemReport
from generator.plan import Job
from generator.templates import static_files


def render(jobs: list[Job], env: Environment, theme_dirs: tuple[Path, ...]) -> dict[str, bytes]:
    outputs: dict[str, bytes] = {}
    report = ProblemReport()
    for job in jobs:
        try:
            html = env.get_template(job.template).render(job.context)
        except TemplateError as exc:
            report.add(_template_problem(exc, job))
            continue
        outputs[job.path] = html.encode("utf-8")
    if report.errors:
        raise BuildFailed(report)
    for path, source in static_files(theme_dirs).items():
        outputs[path] = source.read_bytes()
    return outputs


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
