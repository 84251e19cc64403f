"""The assemble stage: validated files → one frozen `Site`, with the checks that span files.

`build_site` reads every input through the read stage (`read.load`, via the build's memo),
collects every problem of every file, checks what spans files (ids, links, dates inside a
term), and builds each term's calendar (`assemble.term`). Nothing here renders or writes.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from generator import SETTINGS_FILE
from generator.assemble.content import (
    Content,
    ContentKind,
    check_classes,
    check_links,
    check_menu,
    content_files,
    linked_ids,
    load_content,
    unread_files,
)
from generator.assemble.official import missing_official_days
from generator.assemble.term import (
    TermCalendar,
    assemble_term,
    vacation_meets_term,
    vacations_meet,
)
from generator.memo import NO_MEMO, Memo
from generator.model.settings import SiteSettings
from generator.model.term import TermPlan
from generator.problems.problem import BuildFailed, Position, Problem, ProblemReport
from generator.read.load import Loaded, load_file
from generator.read.text import FrontAndBody, Source
from generator.read.words import Words
from generator.read.yamlio import Marked
from generator.resources import default_theme

EVENTS_FILE = "events.yaml"
TERMS_DIR = "content/terms"
DEFAULT_THEME = "default"
PAGES = "page"  # the kind whose files the menu of content/site.yaml names


@dataclass(frozen=True)
class Site:
    root: Path
    settings: SiteSettings
    theme_dirs: tuple[Path, ...]  # the school's theme first, then the default
    current: TermCalendar
    archive: tuple[TermCalendar, ...]
    today: date
    warnings: tuple[Problem, ...] = field(default=())
    content: Content = field(default_factory=Content)
    # every file read, as read: a YAML file's marks (with its text), a Markdown file's text;
    # the public build finds names in them without reading a file again
    inputs: Mapping[str, Marked | Source | FrontAndBody] = field(default_factory=dict, repr=False)
    # the theme's words in the site's language, read once: what Python writes (feed texts,
    # the search index's `where`, calendar titles of displays) says it in them
    words: Words = field(default_factory=lambda: Words((), "zh-CN"), repr=False, compare=False)
    # the content kinds it was assembled with (`generator.kinds.Kind`): the plan, the feeds
    # and the search index ask each for its part
    kinds: tuple[Any, ...] = field(default=(), repr=False, compare=False)
    public: bool = False  # masked for a public web host (generator.transform.privacy)

    @property
    def terms(self) -> tuple[TermCalendar, ...]:
        return (self.current, *self.archive)

    def term_at(self, day: date) -> TermCalendar | None:
        return next((t for t in self.terms if t.contains(day)), None)


def files_read(root: Path, kinds: Sequence[ContentKind]) -> list[tuple[str, type[Any], bool]]:
    """The files `load_site` reads, in its order, each with the model that validates it (a
    Markdown file's front matter) and whether it is Markdown: what a build may read ahead
    in another process (`generator.ahead`)."""
    terms = content_files(root, TERMS_DIR.removeprefix("content/"), ".yaml")
    return [
        (SETTINGS_FILE, SiteSettings, False),
        (EVENTS_FILE, TermPlan, False),
        *((f"{TERMS_DIR}/{path.name}", TermPlan, False) for path in terms),
        *(
            (f"content/{kind.folder}/{path.name}", kind.model, kind.suffix == ".md")
            for kind in kinds
            if kind.folder
            for path in content_files(root, kind.folder, kind.suffix)
        ),
    ]


def load_site(
    root: Path,
    today: date,
    kinds: Sequence[ContentKind],
    themes_root: Path | None = None,
    memo: Memo = NO_MEMO,
) -> Site:
    """Read, validate and assemble everything, the content of each of `kinds`
    (`generator.kinds.KINDS`); raise `BuildFailed` with every error found."""
    report = ProblemReport()
    inputs: dict[str, Marked | Source | FrontAndBody] = {}
    settings = SiteSettings()
    loaded_settings = None
    if (root / SETTINGS_FILE).exists():
        loaded_settings, problems = load_file(root, SETTINGS_FILE, SiteSettings, memo)
        report.extend(problems)
        if loaded_settings:
            settings = loaded_settings.model
            inputs[loaded_settings.name] = loaded_settings.marked
            report.extend(_check_settings(loaded_settings))
            if not loaded_settings.marked.data:  # empty, or only comments
                report.add(Problem("W323", Position(SETTINGS_FILE)))
    elif (root / "content").is_dir():
        # a site with content but no settings lost or misnamed its site.yaml; a folder with
        # only events.yaml is the smallest site there is, and needs none
        report.add(Problem("W322", Position(SETTINGS_FILE)))
    theme_dirs = _theme_dirs(
        root, themes_root, settings, report, loaded_settings.marked if loaded_settings else None
    )

    plans: list[Loaded[TermPlan]] = []
    if (root / EVENTS_FILE).exists():
        current, problems = load_file(root, EVENTS_FILE, TermPlan, memo)
        report.extend(problems)
    else:
        current = None
        report.add(Problem("E311", Position(EVENTS_FILE)))
    archived = content_files(root, TERMS_DIR.removeprefix("content/"), ".yaml")
    report.extend(unread_files(root, TERMS_DIR.removeprefix("content/"), ".yaml"))
    for path in archived:
        loaded, problems = load_file(root, f"{TERMS_DIR}/{path.name}", TermPlan, memo)
        report.extend(problems)
        if loaded:
            plans.append(loaded)

    loaded_plans = [p for p in (current, *plans) if p is not None]
    inputs.update((p.name, p.marked) for p in loaded_plans)
    terms_complete = len(loaded_plans) == 1 + len(archived)
    words = Words(theme_dirs, settings.language)  # the titles of items made from content
    content, problems, read = load_content(
        root,
        settings,
        [(p.name, p.model) for p in loaded_plans],
        kinds,
        terms_complete,
        memo,
        words,
    )
    report.extend(problems)
    inputs.update(read)
    known = linked_ids(content, kinds)
    for loaded in loaded_plans:
        # an unchanged term file (the same object) naming the same files and classes has
        # the same problems: the preview checks the file it was given again, not all ten
        report.extend(
            memo.keep(
                "term-checks",
                loaded.name,
                (loaded, known, content.present, settings.classes),
                partial(_term_checks, loaded, known, content.present, kinds, settings),
            )
        )
    pages = next((kind for kind in kinds if kind.name == PAGES), None)
    if loaded_settings and pages is not None:
        report.extend(check_menu(settings, loaded_settings.marked, content, pages))

    calendars = []
    seen_ids: dict[str, str] = {}
    accepted: list[Loaded[TermPlan]] = []
    dated = [(span[0], d) for d in content.dated if (span := d.event.span)]
    # by first day, for the terms' share of them (each in `dated`'s own order)
    by_start = sorted(range(len(dated)), key=lambda i: dated[i][0])
    starts = [dated[i][0] for i in by_start]
    for plan, is_current in ((current, True), *((p, False) for p in plans)):
        if plan is None:
            continue
        term_id = plan.model.term.id
        if term_id in seen_ids:
            report.add(
                plan.marked.problem("E304", ("term", "id"), value=term_id, other=seen_ids[term_id])
            )
            continue
        seen_ids[term_id] = plan.name
        report.extend(_overlaps(plan, accepted))
        report.extend(_vacation_overlaps(plan, accepted))
        accepted.append(plan)
        # the days the file covers lie between these: most items of a 20-term archive are
        # passed over by two bisections, not by asking each vacation
        first = min((plan.model.term.first_day, *(v.from_ for v in plan.model.vacations)))
        last = plan.model.last_covered
        between = sorted(by_start[bisect_left(starts, first) : bisect_right(starts, last)])
        extra = tuple(dated[i][1] for i in between if plan.model.covers(dated[i][0]))
        # an unchanged term file with the same festival stages, sessions and displays in it
        # gives the same calendar (the preview keeps it: every page and feed of the term
        # made from it is then kept too)
        term_calendar, problems = memo.keep(
            "term",
            plan.name,
            (plan, is_current, extra),
            partial(assemble_term, plan, is_current, extra),
        )
        report.extend(problems)
        if is_current:  # an archived term is history: its holidays are not asked about
            report.extend(missing_official_days(plan, memo))
        calendars.append(term_calendar)

    if report.errors or current is None:
        raise BuildFailed(report)
    archive = sorted(calendars[1:], key=lambda t: t.term.first_day, reverse=True)
    return Site(
        root,
        settings,
        theme_dirs,
        calendars[0],
        tuple(archive),
        today,
        tuple(report.warnings),
        content,
        inputs,
        words,
        tuple(kinds),
    )


def _term_checks(
    loaded: Loaded[TermPlan],
    known: dict[str, frozenset[str]],
    present: frozenset[tuple[str, str]],
    kinds: Sequence[ContentKind],
    settings: SiteSettings,
) -> list[Problem]:
    return [
        *check_links(loaded.model, loaded.marked, known, present, kinds),
        *check_classes(loaded.model, loaded.marked, settings),
    ]


def _overlaps(plan: Loaded[TermPlan], earlier: list[Loaded[TermPlan]]) -> list[Problem]:
    """E321: a term sharing a day with one already accepted (each day belongs to one term's
    calendar); at the later file's first_day, naming the other file's line."""
    term = plan.model.term
    problems = []
    for other in earlier:
        them = other.model.term
        if term.first_day <= them.last_day and them.first_day <= term.last_day:
            mark = other.marked.mark(("term", "first_day"))
            problems.append(
                plan.marked.problem(
                    "E321",
                    ("term", "first_day"),
                    value=term.id,
                    first=term.first_day.isoformat(),
                    last=term.last_day.isoformat(),
                    other=f"{other.name}:{mark.line}",
                    other_id=them.id,
                    other_first=them.first_day.isoformat(),
                    other_last=them.last_day.isoformat(),
                )
            )
    return problems


def _vacation_overlaps(plan: Loaded[TermPlan], earlier: list[Loaded[TermPlan]]) -> list[Problem]:
    """E332/E333 across files: a vacation of one file sharing a day with another file's
    term or vacation (each day belongs to one calendar), at the vacation, naming the other
    file's line. A file's own vacations are checked by `assemble.term`."""
    problems = []
    for other in earlier:
        for mine, theirs in ((plan, other), (other, plan)):
            term = theirs.model.term
            for i, vacation in enumerate(mine.model.vacations):
                met = vacation_meets_term(
                    mine.marked, i, vacation, term, theirs.name, theirs.marked
                )
                problems += [met] if met else []
        for i, vacation in enumerate(plan.model.vacations):
            for j, them in enumerate(other.model.vacations):
                met = vacations_meet(plan.marked, i, vacation, them, j, other.name, other.marked)
                problems += [met] if met else []
    return problems


def _check_settings(loaded: Loaded[SiteSettings]) -> list[Problem]:
    problems = []
    seen: set[str] = set()
    for i, name in enumerate(loaded.model.classes):
        if name in seen:
            problems.append(loaded.marked.problem("E310", ("classes", i), value=name))
        seen.add(name)
    if not _known_timezone(loaded.model.timezone):
        problems.append(loaded.marked.problem("E500", ("timezone",), value=loaded.model.timezone))
    return problems


def _known_timezone(name: str) -> bool:
    """The iCalendar feeds put timed events in this zone (with its VTIMEZONE)."""
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


def _theme_dirs(
    root: Path,
    themes_root: Path | None,
    settings: SiteSettings,
    report: ProblemReport,
    marked: Marked | None = None,
) -> tuple[Path, ...]:
    themes = themes_root or root / "themes"
    defaults = default_theme_dirs(themes)
    if settings.theme and settings.theme != DEFAULT_THEME:
        chosen = themes / settings.theme
        if not chosen.is_dir():
            if marked is not None:  # at the `theme:` line of content/site.yaml
                report.add(marked.problem("E308", ("theme",), value=settings.theme))
            else:
                report.add(Problem("E308", Position(SETTINGS_FILE), {"value": settings.theme}))
            return defaults
        return (chosen, *defaults)
    return defaults


def theme_dirs_now(
    root: Path, themes_root: Path | None, settings: SiteSettings
) -> tuple[Path, ...]:
    """The theme folders `load_site` would give a site with `settings` now, problems aside:
    a folder made or removed (`themes/default`) changes them with no setting changed."""
    return _theme_dirs(root, themes_root, settings, ProblemReport())


def default_theme_dirs(themes: Path) -> tuple[Path, ...]:
    """The packaged default theme, under the site's own `themes/default` if it has one: a
    school overrides one template, one stylesheet or the catalogue, and keeps the rest."""
    own = themes / DEFAULT_THEME
    return (own, default_theme()) if own.is_dir() else (default_theme(),)
