"""Reading festivals (读书节): content/festivals/<id>.yaml, each stage a calendar item."""

from __future__ import annotations

from typing import Any

from generator.assemble.content import Dated, Doc, Link, Loader, position
from generator.kinds.base import Kind
from generator.memo import Memo
from generator.model.base import N_
from generator.model.festival import Festival
from generator.model.term import Event
from generator.plan import urls
from generator.plan.pages import Job, NavItem, Planner
from generator.read.words import Words
from generator.render.search_index import SearchEntry, joined, plain


class FestivalKind(Kind):
    """Each stage a calendar item linked to its place on the festival's page."""

    def load(self, loader: Loader) -> tuple[Doc[Festival], ...]:
        return tuple(self._festival(loader, *found) for found in loader.files(self, Festival))

    def _festival(self, loader: Loader, fid: str, festival: Festival, marked: Any) -> Doc[Festival]:
        for i, stage in enumerate(festival.stages):
            at: tuple[str | int, ...] = ("stages", i)
            if not loader.inside(marked, (*at, "date" if stage.date else "from"), stage.start):
                continue
            if not loader.inside(marked, (*at, "date" if stage.date else "to"), stage.end):
                continue
            event = Event.model_validate(
                {
                    "title": stage.title,
                    "date": stage.date,
                    "from": stage.from_,
                    "to": stage.to,
                    "time": stage.time,
                    "category": "festival",
                    "owner": stage.owner,
                    "location": stage.location,
                    "audience": stage.audience,
                    "description": stage.description,
                    "festival": fid,
                }
            )
            loader.dated.append(
                Dated(event, position(marked, at), Link("festival", fid, f"stage-{i + 1}"))
            )
        return Doc(fid, festival, marked.source.name)

    def nav(self, site: Any) -> list[NavItem]:
        return [NavItem(N_("读书节"), urls.festivals(), "festivals")]

    def jobs(self, planner: Planner, views: tuple[Doc[Festival], ...]) -> list[Job]:
        jobs = [
            Job(
                urls.festivals(),
                "festivals.html",
                {"festivals": views},
                "festivals",
                frozenset(f.source for f in views),
            )
        ]
        for f in views:
            feed = planner.own_feeds.get(Link("festival", f.id))
            stages = (
                Link("festival", f.id, f"stage-{i}") for i in range(1, len(f.model.stages) + 1)
            )
            related = planner.related(self.name, f.id)  # the honours naming its winners
            jobs.append(
                planner.linked_job(
                    urls.festival(f.id),
                    "festival.html",
                    {"doc": f, "feed": feed, "related": related},
                    "festivals",
                    frozenset((f.source, *(x.source for x in related))),
                    planner.links.of("festival", f.id, stages),
                    feed,
                )
            )
        return jobs

    def search(self, doc: Doc[Festival], w: Words, memo: Memo) -> list[SearchEntry]:
        f, page = doc.model, urls.festival(doc.id)
        entry = SearchEntry(
            "festival",
            f.name,
            page,
            w.span(f.from_, f.to),
            joined(f.theme, *f.organisers),
            joined(plain(memo, f.summary), *(a.title for a in f.results)),
        )
        return [
            entry,
            *(
                SearchEntry(
                    "stage",
                    s.title,
                    urls.festival(doc.id, f"stage-{i}"),
                    f"{f.name} · {w.span(s.start, s.end)}",
                    joined(s.location, s.audience),
                    plain(memo, s.description),
                )
                for i, s in enumerate(f.stages, start=1)
            ),
        ]

    def feed_of(self, doc: Doc[Festival]) -> tuple[str, str]:
        return doc.id, doc.model.name


KIND = FestivalKind(
    name="festival",
    folder="festivals",
    words={"zh": "读书节", "en": "festival"},
    linkable=True,
    schema=("festival", "读书节"),
    model=Festival,
    search_labels={"festival": N_("读书节"), "stage": N_("读书节活动")},
    feed_described=N_("%(library)s：%(name)s日程"),
    menu=10,
)
