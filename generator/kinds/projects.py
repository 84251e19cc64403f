"""Projects (项目): content/projects/<id>.yaml, work that runs for months in phases (少儿阅览室
搬迁、地面改造、墙面粉刷…), with a status per phase and dated progress notes. A page each and an
index; only the phases marked `calendar: 是` become calendar items (building works are not
events for the pupils' calendar unless the teacher says so)."""

from __future__ import annotations

from typing import Any

from generator.assemble.content import Dated, Doc, Link, Loader, position
from generator.kinds.base import Kind
from generator.memo import Memo
from generator.model.base import N_
from generator.model.project import Project
from generator.model.term import Event
from generator.plan import urls
from generator.plan.pages import Job, NavItem, Planner
from generator.read.words import Words
from generator.render.search_index import SearchEntry, joined, plain


class ProjectKind(Kind):
    def load(self, loader: Loader) -> tuple[Doc[Project], ...]:
        return tuple(self._project(loader, *found) for found in loader.files(self, Project))

    def _project(self, loader: Loader, pid: str, project: Project, marked: Any) -> Doc[Project]:
        titled = loader.say(N_("%(project)s：%(phase)s"))
        for i, phase in enumerate(project.phases):
            if not phase.calendar:
                continue
            at: tuple[str | int, ...] = ("phases", i)
            if phase.start is None:
                key = "month" if phase.month is not None else "months"
                loader.problems.append(marked.problem("E833", (*at, key), title=phase.title))
                continue
            if not loader.inside(marked, (*at, "date" if phase.date else "from"), phase.start):
                continue
            if not loader.inside(marked, (*at, "date" if phase.date else "to"), phase.end):
                continue
            event = Event.model_validate(
                {
                    "title": titled % {"project": project.name, "phase": phase.title},
                    "date": phase.date,
                    "from": phase.from_,
                    "to": phase.to,
                    "category": phase.category,
                    "owner": phase.owner or project.owner,
                    "location": phase.location,
                    "description": phase.description,
                }
            )
            loader.dated.append(
                Dated(event, position(marked, at), Link("project", pid, f"phase-{i + 1}"))
            )
        return Doc(pid, project, marked.source.name)

    def nav(self, site: Any) -> list[NavItem]:
        if not site.content.of(self.name):
            return []
        return [NavItem(N_("项目"), urls.projects(), "projects")]

    def jobs(self, planner: Planner, views: tuple[Doc[Project], ...]) -> list[Job]:
        if not views:
            return []
        jobs = [
            Job(
                urls.projects(),
                "projects.html",
                {"projects": views},
                "projects",
                frozenset(p.source for p in views),
            )
        ]
        for p in views:
            phases = (
                Link("project", p.id, f"phase-{i}") for i in range(1, len(p.model.phases) + 1)
            )
            jobs.append(
                planner.linked_job(
                    urls.project(p.id),
                    "project.html",
                    {"doc": p},
                    "projects",
                    frozenset((p.source,)),
                    planner.links.of("project", p.id, phases),
                )
            )
        return jobs

    def search(self, doc: Doc[Project], w: Words, memo: Memo) -> list[SearchEntry]:
        p = doc.model
        return [
            SearchEntry(
                "project",
                p.name,
                urls.project(doc.id),
                w._(p.status_name),
                joined(str(p.owner) if p.owner else None, *(ph.title for ph in p.phases)),
                joined(plain(memo, p.summary), *(plain(memo, n.text) for n in p.notes)),
            )
        ]


KIND = ProjectKind(
    name="project",
    folder="projects",
    words={"zh": "项目", "en": "project"},
    schema=("project", "项目"),
    model=Project,
    search_labels={"project": N_("项目")},
    menu=35,
)
