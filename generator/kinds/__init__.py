"""The content kinds, in the order the site lists them (search results of equal rank, the
calendar items they add, problems): one module each. A new kind is a new module here, with
a `Kind` record, plus its templates; add it to `KINDS`.

Honours come after the festivals and rosters, whose views they look at when loaded (the
people they name); the documents come last and are made from all of them."""

from __future__ import annotations

from generator.kinds.base import Kind
from generator.kinds.classes import KIND as CLASSES
from generator.kinds.display import KIND as DISPLAYS
from generator.kinds.documents import KIND as DOCUMENTS
from generator.kinds.festival import KIND as FESTIVALS
from generator.kinds.honours import KIND as HONOURS
from generator.kinds.pages import NEWS, PAGES
from generator.kinds.projects import KIND as PROJECTS
from generator.kinds.roster import KIND as ROSTERS
from generator.kinds.stats import KIND as STATS

KINDS: tuple[Kind, ...] = (
    PAGES,
    FESTIVALS,
    ROSTERS,
    DISPLAYS,
    NEWS,
    CLASSES,
    STATS,
    HONOURS,
    PROJECTS,
    DOCUMENTS,
)

__all__ = ["KINDS", "Kind"]
