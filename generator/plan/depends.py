"""Which pages a change can alter: the rule the preview and the incremental build share.

A page's record (`PageRecord`) is what its last rendering depended on: its job (template,
input files, plain key, values), the templates it loaded and the reads it made (None when
they were not recorded: a page rendered by a cold build). A page is rendered again when it
is new, its template, files or key changed, a template it loaded changed (or, unrecorded,
any template), or one of its files changed, unless it has values, its last rendering read
only what its covers name, and its values are equal.
"""

from __future__ import annotations

import pickle
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from generator.plan.pages import Job, Read


@dataclass(frozen=True)
class PageRecord:
    template: str
    sources: frozenset[str]
    key: tuple[Any, ...]
    values: tuple[Any, ...] | bytes | None  # bytes: pickled (the build's record on disk)
    templates: frozenset[str] | None  # the templates it loaded (`template_input` names)
    reads: frozenset[Read] | None  # the reads it made (`serve.templates`)

    @classmethod
    def of(
        cls, job: Job, templates: frozenset[str] | None, reads: frozenset[Read] | None
    ) -> PageRecord:
        return cls(job.template, job.sources, job.key, job.values, templates, reads)

    def unvalued(self) -> PageRecord:
        """The record without values: a cold build's (pickling every page's values took a
        tenth of it; the first incremental build renders the pages its change reaches and
        records theirs)."""
        return PageRecord(self.template, self.sources, self.key, None, self.templates, self.reads)

    def kept(self) -> PageRecord:
        """The record as the build keeps it on disk: its values pickled, unpickled only for
        a page whose files changed (a site's values, unpickled, took longer than the build
        it saves)."""
        if self.values is None or isinstance(self.values, bytes):
            return self
        values = pickle.dumps(self.values, pickle.HIGHEST_PROTOCOL)
        return PageRecord(self.template, self.sources, self.key, values, self.templates, self.reads)

    def shown(self) -> tuple[Any, ...] | None:
        if isinstance(self.values, bytes):
            return pickle.loads(self.values)  # type: ignore[no-any-return]
        return self.values


def covered(reads: frozenset[Read] | None, covers: frozenset[Read]) -> bool:
    """Whether every read is one `covers` names (an attribute, or "*": any of it)."""
    return reads is not None and all(r in covers or (r[0], "*") in covers for r in reads)


def stale(
    job: Job,
    old: PageRecord | None,
    changed: Collection[str],
    templates_changed: bool,
) -> bool:
    """Whether `job` may show something else than its last rendering (`old`) did, after a
    change to the inputs `changed` (file names and `template_input` names);
    `templates_changed`: whether any of `changed` is a template."""
    if old is None or old.template != job.template or old.sources != job.sources:
        return True
    if old.key != job.key:
        return True
    if templates_changed and (old.templates is None or not old.templates.isdisjoint(changed)):
        return True
    if job.sources.isdisjoint(changed):
        return False
    return not (
        job.values is not None
        and old.values is not None
        and covered(old.reads, job.covers)
        and old.shown() == job.values
    )
