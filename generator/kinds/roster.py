"""Rosters (名单): story parents, 小管, volunteers, class visits: content/rosters/<id>.yaml.

A roster lists its people and its sessions: written out, or generated from a rota (its
weekdays across its dates, the term's closures skipped, 调休 days following the weekday they
stand for, classes and people taken in turn). Each session is a calendar item; a person
booked twice at once is refused (E405).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, time
from functools import partial
from typing import Any

from generator.assemble import calendar as cal
from generator.assemble.content import Dated, Link, Loader, position
from generator.kinds.base import Kind
from generator.memo import Memo
from generator.model.base import N_
from generator.model.roster import ROSTER_KINDS, Roster, Rota, Session
from generator.model.term import Event
from generator.model.values import Month, TimeRange
from generator.plan import urls
from generator.plan.pages import Job, NavItem, Planner, covers
from generator.problems.problem import Position
from generator.read.words import Words
from generator.read.yamlio import Marked
from generator.render.search_index import SearchEntry, joined, plain


@dataclass(frozen=True)
class PlannedSession:
    session: Session
    anchor: str
    origin: Position
    generated: bool
    theme: str | None

    @property
    def date(self) -> date:
        return self.session.date


@dataclass(frozen=True)
class RosterView:
    id: str
    roster: Roster
    source: str
    sessions: tuple[PlannedSession, ...]
    # its file, and the term files whose closures and 调休 decided its generated sessions
    sources: frozenset[str] = frozenset()

    @property
    def hidden(self) -> frozenset[str]:
        return frozenset(p.name for p in self.roster.people if not p.public)

    def shown(self, name: str | None) -> str:
        """A person's name as the site shows it: never one who opted out (for them, a message
        id, translated where it is shown)."""
        if not name:
            return ""
        return N_("（不公开）") if name in self.hidden else name

    def mark(self, name: str) -> str | None:
        """What stands for one who opted out on the school's own sheets, so they can find
        their row: their `mark:` (周爸爸), else their role (二(4)班家长) or class; None when
        the file says neither. The public build has no such person left (privacy)."""
        person = next((p for p in self.roster.people if p.name == name and not p.public), None)
        if person is None:
            return None
        return person.mark or person.role or person.class_

    @property
    def duties_by_weekday(self) -> list[Any]:
        """The weekly duties as the sign-in sheet lists them: by weekday, then time, class."""
        return sorted(
            self.roster.duties,
            key=lambda d: (d.weekday, d.time.start if d.time else time(0), d.class_),
        )

    @property
    def reminders(self) -> list[tuple[str, list[PlannedSession]]]:
        """Each person with sessions and their own dates, in the order they first come: one
        reminder slip each (the intranet build only)."""
        groups: dict[str, list[PlannedSession]] = {}
        for s in self.sessions:
            if s.session.person:
                groups.setdefault(s.session.person, []).append(s)
        return list(groups.items())

    @property
    def public_people(self) -> list[Any]:
        return [p for p in self.roster.people if p.public]

    @property
    def by_class(self) -> list[tuple[str, list[PlannedSession]]]:
        groups: dict[str, list[PlannedSession]] = defaultdict(list)
        for s in self.sessions:
            if s.session.class_:
                groups[s.session.class_].append(s)
        return sorted(groups.items())

    @property
    def by_person(self) -> list[tuple[str, list[PlannedSession]]]:
        groups: dict[str, list[PlannedSession]] = defaultdict(list)
        for s in self.sessions:
            if s.session.person and s.session.person not in self.hidden:
                groups[s.session.person].append(s)
        return sorted(groups.items())


def generate_sessions(
    rota: Rota, closed: Mapping[date, str], follows: Mapping[date, int], themes: Mapping[Month, str]
) -> list[Session]:
    """The sessions a rota stands for: its weekdays from `from` to `to`, closures skipped,
    调休 days counted as the weekday they follow, classes and people taken in turn."""
    sessions = []
    days = cal.weekly_dates(set(rota.weekdays), rota.from_, rota.to, closed, follows)
    for n, day in enumerate(days):
        data: dict[str, Any] = {
            "date": day,
            "time": rota.time,
            "location": rota.location,
            "theme": themes.get(Month.of(day)),
        }
        if rota.classes:
            data["class"] = rota.classes[n % len(rota.classes)]
        if rota.people:
            data["person"] = rota.people[n % len(rota.people)]
        sessions.append(Session.model_validate(data))
    return sessions


def _session_events(
    roster: Roster, rid: str, sessions: tuple[Session, ...], titled: str
) -> list[Event]:
    """The calendar items of a roster's sessions. `titled`: how a session for a class is
    titled, in the site's words."""
    return [
        Event.model_validate(
            {
                "title": titled % {"name": roster.name, "class": s.class_}
                if s.class_
                else roster.name,
                "date": s.date,
                "time": s.time,
                "category": roster.category,
                "owner": roster.owner,
                "location": s.location,
                "audience": s.class_,
                "classes": [s.class_] if s.class_ else [],
                "roster": rid,
            }
        )
        for s in sessions
    ]


def _minutes(span: TimeRange | None) -> tuple[time, time]:
    if span is None:
        return time(0, 0), time(23, 59)
    return span.start, span.end or span.start


def _overlap(a: TimeRange | None, b: TimeRange | None) -> bool:
    """Whether two bookings of a day meet; no time means the whole day."""
    (s1, e1), (s2, e2) = _minutes(a), _minutes(b)
    if s1 == e1 or s2 == e2:
        return s1 <= e2 and s2 <= e1
    return s1 < e2 and s2 < e1


class RosterKind(Kind):
    """Sessions planned from the rotas and the terms' days, each a calendar item."""

    def load(self, loader: Loader) -> tuple[RosterView, ...]:
        views = []
        bookings: list[tuple[PlannedSession, str, Marked, tuple[str | int, ...]]] = []
        for rid, roster, marked in loader.files(self, Roster):
            view, placed = self._roster(loader, roster, rid, marked)
            views.append(view)
            bookings.extend(placed)
        self._check_clashes(loader, bookings)
        return tuple(views)

    def _roster(
        self, loader: Loader, roster: Roster, rid: str, marked: Marked
    ) -> tuple[RosterView, list[tuple[PlannedSession, str, Marked, tuple[str | int, ...]]]]:
        themes = {t.month: t.theme for t in roster.themes}
        for i, person in enumerate(roster.people):
            loader.check_class(marked, ("people", i, "class"), person.class_)
        for i, duty in enumerate(roster.duties):
            loader.check_class(marked, ("duties", i, "class"), duty.class_)
        # (session, path of the value to blame, whether generated)
        found: list[tuple[Session, tuple[str | int, ...], bool]] = []
        explicit_days = {s.date for s in roster.sessions}
        read_terms: set[str] = set()
        for i, rota in enumerate(roster.rota):
            at: tuple[str | int, ...] = ("rota", i)
            for j, name in enumerate(rota.classes):
                loader.check_class(marked, (*at, "classes", j), name)
            if not loader.inside(marked, (*at, "from"), rota.from_):
                continue
            term = loader.term_of(rota.from_)
            assert term is not None
            if not term.contains(rota.to):  # a rota stays inside one term
                loader.problems.append(
                    marked.problem("E407", (*at, "to"), date=rota.to.isoformat())
                )
                continue
            read_terms.add(term.source)
            sessions = loader.memo.keep(  # the preview's last, while nothing it uses changed
                "roster-rota",
                f"{rid}/{i}",
                (rota, term.closed, term.follows, themes),
                partial(generate_sessions, rota, term.closed, term.follows, themes),
            )
            for s in sessions:
                if s.date not in explicit_days:  # a written session replaces the generated one
                    found.append((s, at, True))
        for i, s in enumerate(roster.sessions):
            at = ("sessions", i)
            loader.check_class(marked, (*at, "class"), s.class_)
            if not loader.inside(marked, (*at, "date"), s.date):
                continue
            term = loader.term_of(s.date)
            assert term is not None
            read_terms.add(term.source)
            if s.date in term.closed and s.date not in term.follows:
                loader.problems.append(
                    marked.problem(
                        "E406",
                        (*at, "date"),
                        date=s.date.isoformat(),
                        closure=term.closed[s.date],
                        title=s.title or roster.name,
                    )
                )
                continue
            if s.theme is None and Month.of(s.date) in themes:
                s = s.model_copy(update={"theme": themes[Month.of(s.date)]})
            found.append((s, at, False))
        found.sort(key=lambda f: (f[0].date, _minutes(f[0].time)[0], f[0].class_ or ""))
        planned: list[PlannedSession] = []
        placed = []
        per_day: dict[date, int] = defaultdict(int)
        shown = tuple(s for s, _, _ in found)
        titled = loader.say(N_("%(name)s：%(class)s"))
        events = loader.memo.keep(
            "roster-events",
            rid,
            (roster, rid, shown, titled),
            partial(_session_events, roster, rid, shown, titled),
        )
        for (s, at, generated), event in zip(found, events, strict=True):
            per_day[s.date] += 1
            anchor = f"s-{s.date:%Y%m%d}-{per_day[s.date]}"
            ps = PlannedSession(s, anchor, position(marked, at), generated, s.theme)
            planned.append(ps)
            placed.append((ps, rid, marked, at))
            loader.dated.append(Dated(event, ps.origin, Link("roster", rid, anchor)))
        for i, theme in enumerate(roster.themes):
            if loader.terms_complete and not any(Month.of(p.date) == theme.month for p in planned):
                loader.problems.append(
                    marked.problem(
                        "W409", ("themes", i, "month"), month=str(theme.month), theme=theme.theme
                    )
                )
        name = marked.source.name
        view = RosterView(rid, roster, name, tuple(planned), frozenset((name, *read_terms)))
        return view, placed

    def _check_clashes(
        self,
        loader: Loader,
        bookings: list[tuple[PlannedSession, str, Marked, tuple[str | int, ...]]],
    ) -> None:
        seen: dict[tuple[str, date], list[PlannedSession]] = defaultdict(list)
        for ps, _rid, marked, at in bookings:
            person = ps.session.person
            if not person:
                continue
            for other in seen[(person, ps.date)]:
                if _overlap(other.session.time, ps.session.time):
                    when = str(ps.session.time) if ps.session.time else ""
                    loader.problems.append(
                        marked.problem(
                            "E405",
                            (*at, "person") if not ps.generated else (*at, "people"),
                            person=person,
                            date=ps.date.isoformat(),
                            time=when,
                            other=str(other.origin),
                        )
                    )
                    break
            seen[(person, ps.date)].append(ps)

    def nav(self, site: Any) -> list[NavItem]:
        """The menu names the kinds of roster the site has (故事爸妈团/小管); more than two,
        or none: 名单."""
        present = {r.roster.kind for r in site.content.of("roster")}
        kinds = [k for k in ROSTER_KINDS if k in present]
        if not 1 <= len(kinds) <= 2:
            return [NavItem(N_("名单"), urls.rosters(), "rosters")]
        label = "/".join(site.words._(ROSTER_KINDS[k]) for k in kinds)
        return [NavItem(label, urls.rosters(), "rosters", translate=False)]

    def jobs(self, planner: Planner, views: tuple[RosterView, ...]) -> list[Job]:
        jobs = [
            Job(
                urls.rosters(),
                "rosters.html",
                {"rosters": views},
                "rosters",
                frozenset(name for r in views for name in r.sources),
                # its rosters by value: an edit of the term file their sessions are planned
                # from leaves the list as it was while their sessions are the same
                values=(views,),
                covers=covers(("rosters",)),
            )
        ]
        for r in views:
            feed = planner.own_feeds.get(Link("roster", r.id))
            sessions = (Link("roster", r.id, s.anchor) for s in r.sessions)
            # names and dates: a slip for each person with sessions (`reminders`)
            slips = not planner.site.public and any(s.session.person for s in r.sessions)
            related = planner.related(self.name, r.id)  # the honours naming its people
            jobs.append(
                planner.linked_job(
                    urls.roster(r.id),
                    "roster.html",
                    {"view": r, "feed": feed, "slips": slips, "related": related},
                    "rosters",
                    r.sources | {x.source for x in related},
                    planner.links.of("roster", r.id, sessions),
                    feed,
                    paper="A4 portrait",
                )
            )
            if slips:
                jobs.append(
                    Job(
                        urls.roster_slips(r.id),
                        "roster_slips.html",
                        {"view": r},
                        "rosters",
                        r.sources,
                        paper="A4 portrait",
                        values=(r,),  # kept while its sessions are the same
                        covers=covers(("view",)),
                    )
                )
        return jobs

    def search(self, view: RosterView, w: Words, memo: Memo) -> list[SearchEntry]:
        r, page = view.roster, urls.roster(view.id)
        entry = SearchEntry(
            "roster",
            r.name,
            page,
            w._(r.kind_name),
            joined(w._(r.kind_name), *(t.theme for t in r.themes)),
            plain(memo, r.summary),
        )
        return [
            entry,
            *(
                SearchEntry(
                    "session",
                    ps.session.title,
                    urls.roster(view.id, ps.anchor),
                    joined(r.name, w.day(ps.date), ps.session.class_),
                    joined(ps.theme),
                )
                for ps in view.sessions
                if ps.session.title
            ),
        ]

    def feed_of(self, view: RosterView) -> tuple[str, str]:
        return view.id, view.roster.name


KIND = RosterKind(
    name="roster",
    folder="rosters",
    words={"zh": "名单", "en": "roster"},
    linkable=True,
    schema=("roster", "名单与轮值"),
    model=Roster,
    search_labels={"roster": N_("名单"), "session": N_("故事")},
    feed_described=N_("%(library)s：%(name)s场次"),
    menu=20,
)
