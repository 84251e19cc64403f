"""Class views (班级): for every class of content/site.yaml, a page with what is on for
it, and a feed. No files of its own: the class list is the settings', and what a class
sees is what names it: calendar items with `classes:`/`grades:` (三(1)班 is in 三年级),
roster sessions for the class (reading lessons, story sessions) and its weekly duties."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any

from generator import SETTINGS_FILE
from generator.assemble.content import Link, Loader
from generator.assemble.term import MonthItem, Occurrence, TermCalendar
from generator.kinds.base import Kind
from generator.memo import Memo
from generator.model.base import N_
from generator.model.roster import Duty
from generator.model.values import grade_of
from generator.plan import urls
from generator.plan.pages import (
    FEED_LINK,
    Job,
    NavItem,
    Planner,
    covers,
    term_values,
)
from generator.read.words import Words
from generator.render.search_index import SearchEntry


@dataclass(frozen=True)
class SchoolClass:
    """One class of the class list: its name as site.yaml writes it, its grade if its name
    tells it, and the id of its page and feed."""

    name: str
    id: str
    grade: str | None

    def has(self, item: Occurrence | MonthItem) -> bool:
        """Whether a calendar item is for this class: it names the class or its grade."""
        return self.name in item.classes or (self.grade is not None and self.grade in item.grades)


@dataclass(frozen=True)
class ClassTerm:
    """What one term holds for a class."""

    term: TermCalendar
    occurrences: tuple[Occurrence, ...]
    month_items: tuple[MonthItem, ...]


@dataclass(frozen=True)
class ClassDuty:
    """A roster's weekly duty of the class (小管值日, a 阅读课 period)."""

    roster_id: str
    roster_name: str
    duty: Duty
    source: str  # the roster's file


# what a class page may read and still be kept by its values (its items, its duties)
CLASS_COVERS = covers(("view", "terms", "duties")) | {("feed", a) for a in FEED_LINK}


class ClassKind(Kind):
    """One view per class of site.yaml; the calendar items are picked when planning, from
    the terms as assembled."""

    def load(self, loader: Loader) -> tuple[SchoolClass, ...]:
        return tuple(
            SchoolClass(name, urls.class_slug(name), grade_of(name))
            for name in loader.settings.classes
        )

    def nav(self, site: Any) -> list[NavItem]:
        if not site.content.of(self.name):
            return []
        return [NavItem(N_("各班级"), urls.classes(), "classes")]

    def belongs(self, view: SchoolClass, occ: Occurrence) -> bool:
        return view.has(occ)

    def picked(
        self, views: tuple[SchoolClass, ...], items: Sequence[Occurrence | MonthItem]
    ) -> list[list[int]]:
        """`SchoolClass.has` for every class at once: an item is looked at once, by the
        classes and grades it names (most name none), not once per class (40 classes times
        a 20-term archive's items was most of the feeds' and the class pages' planning)."""
        by_name: dict[str, list[int]] = defaultdict(list)
        by_grade: dict[str, list[int]] = defaultdict(list)
        for k, view in enumerate(views):
            by_name[view.name].append(k)
            if view.grade is not None:
                by_grade[view.grade].append(k)
        picked: list[list[int]] = [[] for _ in views]
        for i, item in enumerate(items):
            classes, grades = item.classes, item.grades
            if not classes and not grades:
                continue
            hit = {k for name in classes for k in by_name.get(name, ())}
            hit.update(k for grade in grades for k in by_grade.get(grade, ()))
            for k in hit:
                picked[k].append(i)
        return picked

    def _term_picks(
        self, views: tuple[SchoolClass, ...], term: TermCalendar
    ) -> tuple[list[list[int]], list[list[int]]]:
        return self.picked(views, term.occurrences), self.picked(views, term.month_items)

    def jobs(self, planner: Planner, views: tuple[SchoolClass, ...]) -> list[Job]:
        if not views:
            return []
        site = planner.site
        settings_file = frozenset((SETTINGS_FILE,))
        rosters = site.content.of("roster")
        jobs = [
            Job(
                urls.classes(),
                "classes.html",
                {"classes": views},
                "classes",
                settings_file,
            )
        ]
        # a term's picks are the last build's while its calendar is the same object (see
        # `Links`): an edit re-picks the edited term's items only
        picks = [
            (
                t,
                *planner.memo.keep(
                    "class-picks", t.term.id, (t, id(t), views), partial(self._term_picks, views, t)
                ),
            )
            for t in site.terms
        ]
        for k, view in enumerate(views):
            per_term = tuple(
                ClassTerm(
                    t,
                    tuple(t.occurrences[i] for i in occurrences[k]),
                    tuple(t.month_items[i] for i in month_items[k]),
                )
                for t, occurrences, month_items in picks
            )
            shown = tuple(t for t in per_term if t.occurrences or t.month_items)
            duties = tuple(
                ClassDuty(r.id, r.roster.name, d, r.source)
                for r in rosters
                for d in r.roster.duties
                if d.class_ == view.name
            )
            feed = planner.own_feeds.get(Link(self.name, view.id))
            # The files of what it shows; which items it shows is the key: an item given
            # this class in any file, or no longer, changes it.
            files = settings_file | {
                origin.file
                for t in shown
                for origin in (
                    *(o.origin for o in t.occurrences),
                    *(m.origin for m in t.month_items),
                )
            }
            key = (
                tuple(
                    (
                        t.term.term.id,
                        *(o.anchor for o in t.occurrences),
                        *(m.anchor for m in t.month_items),
                    )
                    for t in shown
                ),
                tuple((d.roster_id, d.roster_name) for d in duties),
                (feed.path, feed.name) if feed is not None else None,
            )
            jobs.append(
                Job(
                    urls.class_page(view.id),
                    "class.html",
                    {"view": view, "terms": shown, "duties": duties, "feed": feed},
                    "classes",
                    files | {d.source for d in duties},
                    key,
                    paper="A4 portrait",
                    # its items and duties by value: an edit of another item of the same
                    # file leaves the page as it was
                    values=(
                        view,
                        tuple((*term_values(t.term), t.occurrences, t.month_items) for t in shown),
                        duties,
                        (feed.path, feed.name, feed.label, feed.description, feed.page)
                        if feed
                        else None,
                    ),
                    covers=CLASS_COVERS,
                )
            )
        return jobs

    def search(self, view: SchoolClass, w: Words, memo: Memo) -> SearchEntry:
        return SearchEntry("class", view.name, urls.class_page(view.id), view.grade or "")

    def feed_of(self, view: SchoolClass) -> tuple[str, str]:
        return view.id, view.name


KIND = ClassKind(
    name="class",
    folder="",  # no files: the classes are content/site.yaml's
    words={"zh": "班级", "en": "class"},
    model=SchoolClass,
    search_labels={"class": N_("各班级")},
    feed_described=N_("%(library)s：%(name)s日程"),
    menu=45,  # after the news, before the pages
    picks=True,
)
