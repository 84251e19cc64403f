"""Honours (荣誉): content/honours/<id>.yaml, one honour each (阅读之星, 最优小管, a district
prize), in the term of its date or the term it names. A page per term lists them; a roster's
or festival's page links to the honours that name its people or winners, and the public
build masks the names like a roster's."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from generator.assemble.content import Loader
from generator.kinds.base import Kind, NamedPerson, Related
from generator.model.base import N_
from generator.model.honour import LEVELS, Honour, Honoured
from generator.model.values import did_you_mean
from generator.plan import urls
from generator.plan.pages import Job, NavItem, Planner

if TYPE_CHECKING:
    from generator.assemble.site import Site
    from generator.assemble.term import TermCalendar

_ADULT = ("家长", "爸", "妈", "义工", "志愿")
_STAFF = ("老师", "教师", "馆员", "校长")


@dataclass(frozen=True)
class HonourView:
    id: str
    honour: Honour
    source: str
    term_id: str
    # the rosters and festivals naming one of its people or classes (ids: kept as they are
    # by the public build, which masks the names they were matched by)
    rosters: frozenset[str] = frozenset()
    festivals: frozenset[str] = frozenset()

    @property
    def anchor(self) -> str:
        return f"h-{self.id}"

    @property
    def level_name(self) -> str:
        return LEVELS[self.honour.level]

    @property
    def rank(self) -> int:
        return list(LEVELS).index(self.honour.level)

    @property
    def names(self) -> list[str]:
        """Who it honours, as the site shows them: the people, then the classes."""
        return [p.name for p in self.honour.people] + list(self.honour.classes)


def is_pupil(person: Honoured, title: str) -> bool | None:
    """Whether a winner is a pupil (masked as 张同学), a parent (王女士), or staff (None: a
    teacher's name is public, like an item's owner). The role says; else the honour's title
    (优秀故事爸妈 honours parents); else a pupil."""
    role = person.role or ""
    if any(w in role for w in _STAFF):
        return None
    if any(w in role for w in _ADULT):
        return False
    if any(w in role for w in ("学生", "同学", "小管")):
        return True
    return not any(w in title for w in _ADULT)


def in_order(views: tuple[HonourView, ...]) -> list[HonourView]:
    """Highest level first, then by date (a term's honours without one last), then title."""
    return sorted(
        views,
        key=lambda v: (-v.rank, v.honour.date is None, v.honour.date or 0, v.honour.title, v.id),
    )


class HonourKind(Kind):
    def load(self, loader: Loader) -> tuple[HonourView, ...]:
        rosters = loader.loaded.get("roster", ())
        festivals = loader.loaded.get("festival", ())
        roster_names = {
            r.id: {p.name for p in r.roster.people}
            | {s.session.person for s in r.sessions if s.session.person}
            | {s.session.class_ for s in r.sessions if s.session.class_}
            | {n for d in r.roster.duties for n in d.people}
            for r in rosters
        }
        winners = {f.id: {w for a in f.model.results for w in a.winners} for f in festivals}
        term_ids = [t.plan.term.id for t in loader.terms]
        views = []
        for hid, honour, marked in loader.files(self, Honour):
            for i, name in enumerate(honour.classes):
                loader.check_class(marked, ("classes", i), name)
            for i, person in enumerate(honour.people):
                loader.check_class(marked, ("people", i, "class"), person.class_)
            if honour.date is not None:
                if not loader.inside(marked, ("date",), honour.date):
                    continue
                term = loader.term_of(honour.date)
                assert term is not None
                term_id = term.plan.term.id
            elif honour.term in term_ids:
                term_id = honour.term
            else:
                if loader.terms_complete:
                    loader.problems.append(
                        marked.problem(
                            "E832",
                            ("term",),
                            value=honour.term,
                            suggestion=did_you_mean(str(honour.term), term_ids),
                            known=term_ids[:2] or ["—"],
                        )
                    )
                continue
            named = {p.name for p in honour.people} | set(honour.classes)
            views.append(
                HonourView(
                    hid,
                    honour,
                    marked.source.name,
                    term_id,
                    frozenset(r for r, names in roster_names.items() if named & names),
                    frozenset(f for f, names in winners.items() if named & names),
                )
            )
        return tuple(views)

    def nav(self, site: Site) -> list[NavItem]:
        if not site.content.of(self.name):
            return []
        return [NavItem(N_("荣誉"), urls.honours(site.current), "honours")]

    def jobs(self, planner: Planner, views: tuple[HonourView, ...]) -> list[Job]:
        if not views:
            return []
        site = planner.site
        by_term = {
            t.term.id: in_order(tuple(v for v in views if v.term_id == t.term.id))
            for t in site.terms
        }
        shown = [t for t in site.terms if by_term[t.term.id] or t is site.current]
        others = tuple((t, len(by_term[t.term.id])) for t in shown)
        rosters = {r.id: r for r in site.content.of("roster")}
        festivals = {f.id: f for f in site.content.of("festival")}
        jobs = []
        for term in shown:
            honours = tuple(by_term[term.term.id])
            see = {
                v.id: [
                    ("roster", rid, rosters[rid].roster.name)
                    for rid in sorted(v.rosters)
                    if rid in rosters
                ]
                + [
                    ("festival", fid, festivals[fid].model.name)
                    for fid in sorted(v.festivals)
                    if fid in festivals
                ]
                for v in honours
            }
            sources = frozenset(v.source for v in honours)
            sources |= {rosters[k].source for v in honours for k in v.rosters if k in rosters}
            sources |= {festivals[k].source for v in honours for k in v.festivals if k in festivals}
            jobs.append(
                Job(
                    urls.honours(term),
                    "honours.html",
                    {"term": term, "honours": honours, "see": see, "terms": others},
                    "honours",
                    sources,
                    tuple((t.term.id, n) for t, n in others),
                )
            )
        return jobs

    def related(
        self, site: Site, views: tuple[HonourView, ...], kind: str, item_id: str
    ) -> list[Related]:
        terms = {t.term.id: t for t in site.terms}
        found = []
        for v in in_order(views):
            if item_id not in (
                v.rosters if kind == "roster" else v.festivals if kind == "festival" else ()
            ):
                continue
            term = terms[v.term_id]
            found.append(
                Related(
                    N_("%(title)s（%(level)s）：%(names)s"),
                    {
                        "title": v.honour.title,
                        "level": site.words._(v.level_name),
                        "names": "、".join(v.names),
                    },
                    f"{urls.honours(term)}#{v.anchor}",
                    v.source,
                )
            )
        return found

    def people(self, views: tuple[HonourView, ...]) -> list[NamedPerson]:
        found = []
        for v in views:
            for p in v.honour.people:
                pupil = is_pupil(p, v.honour.title)
                if pupil is not None:
                    found.append(NamedPerson(p.name, pupil, p.class_, p.gender))
        return found


def honours_of(site: Site, term: TermCalendar) -> list[HonourView]:
    """The term's honours, highest level first (the 工作总结's list)."""
    return in_order(tuple(v for v in site.content.of("honour") if v.term_id == term.term.id))


KIND = HonourKind(
    name="honour",
    folder="honours",
    words={"zh": "荣誉", "en": "honour"},
    schema=("honour", "荣誉"),
    model=Honour,
    menu=38,
    reads=("roster", "festival"),
)
