"""Load and check the content around the calendar: festivals, rosters, displays, pages, news.

Each file goes through the same read → parse → validate as events.yaml (front matter of a
.md file too, with the .md file's line numbers). What is dated comes out as `Dated` items,
which `site.assemble_term` places in the calendar of the term they fall in.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, time
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from pydantic import BaseModel
from pydantic_core import PydanticCustomError

from generator.assemble import calendar as cal
from generator.memo import NO_MEMO, Memo
from generator.model.base import N_
from generator.model.display import Display
from generator.model.festival import Festival
from generator.model.page import NewsMeta, PageMeta
from generator.model.roster import Roster, Rota, Session
from generator.model.settings import SiteSettings
from generator.model.term import Event, TermPlan
from generator.model.values import Month, TimeRange, did_you_mean, parse_slug
from generator.problems.problem import Position, Problem
from generator.read.load import load_file, parse_and_validate
from generator.read.text import FrontAndBody, Source, read_source
from generator.read.yamlio import Marked

if TYPE_CHECKING:
    from generator.render.words import Words

M = TypeVar("M", bound=BaseModel)
R = TypeVar("R")

FOLDERS = {"festival": "festivals", "roster": "rosters", "display": "displays"}
KIND_WORDS = {
    "festival": {"zh": "读书节", "en": "festival"},
    "roster": {"zh": "名单", "en": "roster"},
    "display": {"zh": "主题展示", "en": "display"},
    "page": {"zh": "页面", "en": "page"},
}
# the top-level folders of the URL scheme (generator/plan/urls.py), which a page may not take
RESERVED = (
    "404",
    "agenda",
    "calendar",
    "displays",
    "festivals",
    "index",
    "media",
    "news",
    "rosters",
    "search",
    "static",
    "terms",
)


@dataclass(frozen=True)
class Link:
    """What a calendar item belongs to: a festival, roster or display, and where on its page."""

    kind: str  # "festival" | "roster" | "display"
    id: str
    anchor: str = ""


@dataclass(frozen=True)
class Dated:
    """A content item bound for the calendar: an `Event` built from it, and its origin."""

    event: Event
    origin: Position
    link: Link


@dataclass(frozen=True)
class Doc(Generic[M]):
    """A validated file: its id (the file name), model, and name for messages."""

    id: str
    model: M
    source: str


@dataclass(frozen=True)
class Markdown:
    slug: str
    meta: PageMeta | NewsMeta
    body: str
    source: str


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


@dataclass(frozen=True)
class ImageFile:
    src: str  # its path under content/; copied to `generator.plan.urls.media(src)`
    path: Path


@dataclass(frozen=True)
class Content:
    festivals: tuple[Doc[Festival], ...] = ()
    rosters: tuple[RosterView, ...] = ()
    displays: tuple[Doc[Display], ...] = ()
    pages: tuple[Markdown, ...] = ()
    news: tuple[Markdown, ...] = ()  # newest first
    images: tuple[ImageFile, ...] = ()
    dated: tuple[Dated, ...] = ()
    # ids of every file present, valid or not: a broken festival file is reported once, in
    # itself, not again at every calendar item that names it
    present: frozenset[tuple[str, str]] = frozenset()

    def ids(self, kind: str) -> list[str]:
        if kind == "page":
            return [p.slug for p in self.pages]
        if kind == "roster":
            return [r.id for r in self.rosters]
        return [d.id for d in (self.festivals if kind == "festival" else self.displays)]


def split_front_matter(source: Source) -> tuple[Source | None, str, list[Problem]]:
    """`---` YAML `---` body → (YAML source padded so its lines are the .md lines, body)."""
    lines = source.text.split("\n")
    if not lines or lines[0].strip() != "---":
        return None, "", [source.problem("E401", 1, 1)]
    for i in range(1, len(lines)):
        if lines[i].rstrip() in ("---", "..."):
            front = Source(source.name, "\n".join(["", *lines[1:i]]))
            return front, "\n".join(lines[i + 1 :]), []
    return None, "", [source.problem("E402", 1, 1)]


def _file_id(name: str, stem: str) -> tuple[str | None, list[Problem]]:
    try:
        return parse_slug(stem), []
    except PydanticCustomError:
        return None, [Problem("E403", Position(name), {"value": stem})]


def _files(root: Path, folder: str, suffix: str) -> list[Path]:
    base = root / "content" / folder
    # by name: the same order as sorting the paths, without comparing 4,000 Paths part by part
    return sorted(base.glob(f"*{suffix}"), key=lambda p: p.name) if base.is_dir() else []


@dataclass
class _TermDays:
    """A term's dates as the rota helper and the checks need them."""

    source: str
    plan: TermPlan
    closed: dict[date, str] = field(default_factory=dict)
    follows: dict[date, int] = field(default_factory=dict)

    @classmethod
    def of(cls, source: str, plan: TermPlan) -> _TermDays:
        days = cls(source, plan)
        for closure in plan.closures:
            for day in cal.days(closure.start, closure.end):
                days.closed.setdefault(day, closure.name)
        for m in plan.makeup_days:
            if m.date.weekday() >= 5 and m.date not in days.closed:
                days.follows[m.date] = m.follows
        return days

    def contains(self, day: date) -> bool:
        return self.plan.term.first_day <= day <= self.plan.term.last_day


def _position(marked: Marked, path: tuple[str | int, ...]) -> Position:
    mark = marked.mark(path)
    return Position(marked.source.name, mark.line, mark.col)


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


class _Loader:
    def __init__(
        self,
        root: Path,
        settings: SiteSettings,
        plans: list[tuple[str, TermPlan]],
        terms_complete: bool,
        memo: Memo,
        words: Words | None = None,
    ) -> None:
        self.root = root
        self.memo = memo
        self.inputs: dict[str, Marked | Source | FrontAndBody] = {}
        # how the calendar items of a display and of a roster's session for a class are
        # titled, in the site's words
        gettext = words.translations.gettext if words is not None else str
        self.display_title = gettext("主题展示：%(title)s")
        self.session_title = gettext("%(name)s：%(class)s")
        self.terms_complete = terms_complete
        self.settings = settings
        self.terms = [_TermDays.of(name, p) for name, p in plans]
        self.problems: list[Problem] = []
        self.dated: list[Dated] = []
        self._term_of: dict[date, _TermDays | None] = {}  # asked for every session's date

    def files(self, folder: str, model: type[M]) -> Iterator[tuple[str, M, Marked]]:
        """The valid YAML files of content/<folder>/: (id, model, marks); problems collected."""
        for path in _files(self.root, folder, ".yaml"):
            name = f"content/{folder}/{path.name}"
            file_id, problems = _file_id(name, path.stem)
            loaded, more = load_file(self.root, name, model, self.memo)
            self.problems.extend(problems + more)
            if loaded is not None:
                self.inputs[name] = loaded.marked
            if file_id is not None and loaded is not None:
                yield file_id, loaded.model, loaded.marked

    def term_of(self, day: date) -> _TermDays | None:
        if day not in self._term_of:
            self._term_of[day] = next((t for t in self.terms if t.contains(day)), None)
        return self._term_of[day]

    def inside(self, marked: Marked, path: tuple[str | int, ...], day: date) -> bool:
        if self.term_of(day) is None:
            if self.terms_complete:
                self.problems.append(marked.problem("E407", path, date=day.isoformat()))
            return False
        return True

    def check_class(self, marked: Marked, path: tuple[str | int, ...], name: str | None) -> None:
        classes = self.settings.classes
        if name and classes and name not in classes:
            self.problems.append(
                marked.problem("E408", path, value=name, suggestion=did_you_mean(name, classes))
            )

    # --- festivals -----------------------------------------------------------------------
    def festivals(self) -> list[Doc[Festival]]:
        docs = []
        for fid, festival, marked in self.files("festivals", Festival):
            docs.append(self.festival(festival, fid, marked))
        return docs

    def festival(self, festival: Festival, fid: str, marked: Marked) -> Doc[Festival]:
        for i, stage in enumerate(festival.stages):
            at: tuple[str | int, ...] = ("stages", i)
            if not self.inside(marked, (*at, "date" if stage.date else "from"), stage.start):
                continue
            if not self.inside(marked, (*at, "date" if stage.date else "to"), stage.end):
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
            self.dated.append(
                Dated(event, _position(marked, at), Link("festival", fid, f"stage-{i + 1}"))
            )
        return Doc(fid, festival, marked.source.name)

    # --- rosters -------------------------------------------------------------------------
    def rosters(self) -> list[RosterView]:
        views = []
        bookings: list[tuple[PlannedSession, str, Marked, tuple[str | int, ...]]] = []
        for rid, roster, marked in self.files("rosters", Roster):
            view, placed = self.roster(roster, rid, marked)
            views.append(view)
            bookings.extend(placed)
        self.check_clashes(bookings)
        return views

    def roster(
        self, roster: Roster, rid: str, marked: Marked
    ) -> tuple[RosterView, list[tuple[PlannedSession, str, Marked, tuple[str | int, ...]]]]:
        themes = {t.month: t.theme for t in roster.themes}
        for i, person in enumerate(roster.people):
            self.check_class(marked, ("people", i, "class"), person.class_)
        for i, duty in enumerate(roster.duties):
            self.check_class(marked, ("duties", i, "class"), duty.class_)
        # (session, path of the value to blame, whether generated)
        found: list[tuple[Session, tuple[str | int, ...], bool]] = []
        explicit_days = {s.date for s in roster.sessions}
        read_terms: set[str] = set()
        for i, rota in enumerate(roster.rota):
            at: tuple[str | int, ...] = ("rota", i)
            for j, name in enumerate(rota.classes):
                self.check_class(marked, (*at, "classes", j), name)
            if not self.inside(marked, (*at, "from"), rota.from_):
                continue
            term = self.term_of(rota.from_)
            assert term is not None
            if not term.contains(rota.to):  # a rota stays inside one term
                self.problems.append(marked.problem("E407", (*at, "to"), date=rota.to.isoformat()))
                continue
            read_terms.add(term.source)
            sessions = generate_sessions(rota, term.closed, term.follows, themes)
            for s in sessions:
                if s.date not in explicit_days:  # a written session replaces the generated one
                    found.append((s, at, True))
        for i, s in enumerate(roster.sessions):
            at = ("sessions", i)
            self.check_class(marked, (*at, "class"), s.class_)
            if not self.inside(marked, (*at, "date"), s.date):
                continue
            term = self.term_of(s.date)
            assert term is not None
            read_terms.add(term.source)
            if s.date in term.closed and s.date not in term.follows:
                self.problems.append(
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
        events = _session_events(roster, rid, tuple(s for s, _, _ in found), self.session_title)
        for (s, at, generated), event in zip(found, events, strict=True):
            per_day[s.date] += 1
            anchor = f"s-{s.date:%Y%m%d}-{per_day[s.date]}"
            ps = PlannedSession(s, anchor, _position(marked, at), generated, s.theme)
            planned.append(ps)
            placed.append((ps, rid, marked, at))
            self.dated.append(Dated(event, ps.origin, Link("roster", rid, anchor)))
        for i, theme in enumerate(roster.themes):
            if self.terms_complete and not any(Month.of(p.date) == theme.month for p in planned):
                self.problems.append(
                    marked.problem(
                        "W409", ("themes", i, "month"), month=str(theme.month), theme=theme.theme
                    )
                )
        name = marked.source.name
        view = RosterView(rid, roster, name, tuple(planned), frozenset((name, *read_terms)))
        return view, placed

    def check_clashes(
        self, bookings: list[tuple[PlannedSession, str, Marked, tuple[str | int, ...]]]
    ) -> None:
        seen: dict[tuple[str, date], list[PlannedSession]] = defaultdict(list)
        for ps, _rid, marked, at in bookings:
            person = ps.session.person
            if not person:
                continue
            for other in seen[(person, ps.date)]:
                if _overlap(other.session.time, ps.session.time):
                    when = str(ps.session.time) if ps.session.time else ""
                    self.problems.append(
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

    # --- displays ------------------------------------------------------------------------
    def displays(self) -> tuple[list[Doc[Display]], list[ImageFile]]:
        docs, images = [], []
        content = (self.root / "content").resolve()
        for did, display, marked in self.files("displays", Display):
            for i, image in enumerate(display.images):
                file = (content / image.src).resolve()
                if not file.is_relative_to(content) or not file.is_file():
                    self.problems.append(
                        marked.problem("E410", ("images", i, "src"), value=image.src)
                    )
                    continue
                images.append(ImageFile(file.relative_to(content).as_posix(), file))
            docs.append(self.display(display, did, marked))
        return docs, images

    def display(self, display: Display, did: str, marked: Marked) -> Doc[Display]:
        if self.inside(marked, ("from",), display.from_) and self.inside(
            marked, ("to",), display.to
        ):
            event = Event.model_validate(
                {
                    "title": self.display_title % {"title": display.title},
                    "from": display.from_,
                    "to": display.to,
                    "category": "display",
                    "location": display.location,
                    "owner": display.curator,
                    "display": did,
                }
            )
            self.dated.append(Dated(event, _position(marked, ()), Link("display", did)))
        return Doc(did, display, marked.source.name)

    # --- pages and news ------------------------------------------------------------------
    def markdown(self, folder: str, model: type[PageMeta] | type[NewsMeta]) -> list[Markdown]:
        docs = []
        for path in _files(self.root, folder, ".md"):
            name = f"content/{folder}/{path.name}"
            doc, problems, source = self.memo.load(name, partial(self._markdown, name, model))
            self.problems.extend(problems)
            if source is not None:
                self.inputs[name] = source
            if doc is not None:
                docs.append(doc)
        return docs

    def _markdown(
        self, name: str, model: type[PageMeta] | type[NewsMeta]
    ) -> tuple[Markdown | None, list[Problem], Source | FrontAndBody | None]:
        return _markdown_file(self.root, name, model, self.memo)


def _markdown_file(
    root: Path, name: str, model: type[PageMeta] | type[NewsMeta], memo: Memo = NO_MEMO
) -> tuple[Markdown | None, list[Problem], Source | FrontAndBody | None]:
    """One page or article, from its file alone; and its text, as read."""
    path = root / name
    slug, problems = _file_id(name, path.stem)
    source = read_source(path, name)
    if isinstance(source, Problem):
        return None, [*problems, source], None
    front, body, split = split_front_matter(source)
    problems += split
    if front is None:
        return None, problems, source
    loaded, parsed = parse_and_validate(front, model, memo)
    problems += parsed
    if loaded is None or slug is None:
        return None, problems, source
    if model is PageMeta and slug in RESERVED:
        reserved = {"value": slug, "reserved": list(RESERVED)}
        problems.append(Problem("E411", Position(name), reserved))
        return None, problems, source
    return Markdown(slug, loaded.model, body, name), problems, FrontAndBody(name, front.text, body)


def load_content(
    root: Path,
    settings: SiteSettings,
    plans: list[tuple[str, TermPlan]],
    terms_complete: bool = True,
    memo: Memo = NO_MEMO,
    words: Words | None = None,
) -> tuple[Content, list[Problem], dict[str, Marked | Source | FrontAndBody]]:
    """Every content file, checked against the terms and the class list.

    When a term file could not be read (`terms_complete` false), a date outside the known
    terms is not reported: the teacher sees the broken term file's problems, not a flood of
    "outside every term" for each festival stage and roster session. `words`: the site's
    (Chinese when None), for the titles of the calendar items made from content files."""
    loader = _Loader(root, settings, plans, terms_complete, memo, words)
    festivals = loader.festivals()
    rosters = loader.rosters()
    displays, images = loader.displays()
    pages = loader.markdown("pages", PageMeta)
    news = loader.markdown("news", NewsMeta)
    news.sort(key=lambda n: (n.meta.date, n.slug), reverse=True)
    content = Content(
        tuple(festivals),
        tuple(rosters),
        tuple(displays),
        tuple(pages),
        tuple(news),
        tuple(images),
        tuple(loader.dated),
        frozenset(
            (kind, path.stem)
            for kind, folder in FOLDERS.items()
            for path in _files(root, folder, ".yaml")
        ),
    )
    return content, loader.problems, loader.inputs


def check_links(plan: TermPlan, marked: Marked, content: Content) -> list[Problem]:
    """E303: a calendar item's `festival`/`roster`/`display` names a file that is not there."""
    known = {kind: content.ids(kind) for kind in FOLDERS}
    return _check_links(plan, marked, known, content.present)


def _check_links(
    plan: TermPlan,
    marked: Marked,
    known: dict[str, list[str]],
    present: frozenset[tuple[str, str]],
) -> list[Problem]:
    problems = []
    for part in ("events", "recurring"):
        for i, event in enumerate(getattr(plan, part)):
            for kind, value in event.links:
                if value not in known[kind] and (kind, value) not in present:
                    problems.append(
                        marked.problem(
                            "E303",
                            (part, i, kind),
                            kind=KIND_WORDS[kind],
                            value=value,
                            folder=FOLDERS[kind],
                            suggestion=did_you_mean(value, known[kind]),
                        )
                    )
    return problems


def check_menu(settings: SiteSettings, marked: Marked, content: Content) -> list[Problem]:
    pages = content.ids("page")
    return [
        marked.problem(
            "E303",
            ("menu", i),
            kind=KIND_WORDS["page"],
            value=slug,
            folder="pages",
            suggestion=did_you_mean(slug, pages),
        )
        for i, slug in enumerate(settings.menu)
        if slug not in pages
    ]
