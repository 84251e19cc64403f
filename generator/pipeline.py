"""The stages in execution order. `check` stops after assemble; `build` goes on to write.

read → parse → validate → assemble (site.load_site) → [privacy.public_site] → plan → render
→ write. The public build (`--public` or `public: 是`) masks people and contacts in between.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from generator.errors import BuildFailed, Position, Problem, ProblemReport
from generator.ics import render_feeds
from generator.output import UnsafeOutput, WriteReport, write_site
from generator.plan import plan
from generator.privacy import PrivacyReport, public_site, source_texts
from generator.render import render
from generator.search import SEARCH_INDEX, search_index
from generator.site import Site, load_site
from generator.templates import make_environment


@dataclass(frozen=True)
class BuildResult:
    site: Site
    pages: int
    write: WriteReport
    seconds: float
    privacy: PrivacyReport | None = None  # the public build's report


def check(root: Path, today: date) -> Site:
    return load_site(root, today)


def render_site(site: Site) -> dict[str, bytes]:
    env = make_environment(site.theme_dirs, language=site.settings.language)
    return {**render(plan(site), env, site.theme_dirs), **extra_outputs(site)}


def extra_outputs(site: Site) -> dict[str, bytes]:
    """Outputs that are not pages: the iCalendar feeds, the search index and the displays'
    pictures."""
    outputs = render_feeds(site)
    outputs[SEARCH_INDEX] = search_index(site)
    for image in site.content.images:  # copied from content/
        outputs[image.output] = image.path.read_bytes()
    return outputs


def build(root: Path, out: Path, today: date, public: bool = False) -> BuildResult:
    started = time.perf_counter()
    site = load_site(root, today)
    privacy = None
    if public or site.settings.public:
        site, privacy = public_site(site, site.settings, source_texts(site, root))
    outputs = render_site(site)
    try:
        report = write_site(outputs, out)
    except UnsafeOutput as exc:
        raise BuildFailed(
            ProblemReport([Problem("E313", Position(str(out)), {"value": str(exc)})])
        ) from None
    pages = sum(1 for p in outputs if p.endswith(".html"))
    return BuildResult(site, pages, report, time.perf_counter() - started, privacy)
