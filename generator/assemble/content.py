"""Load and check the content around the calendar, one content kind at a time.

The kinds (festivals, rosters, displays, pages, news: `generator.kinds`) are handed in;
this module is what they share. Each file goes through the same read → parse → validate as
events.yaml (front matter of a .md file too, with the .md file's line numbers), through the
`Loader`, which also knows the terms (is a date inside one, its closures and 调休) and the
class list. What is dated comes out as `Dated` items, which `assemble.term` places in the
calendar of the term they fall in.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping, Sequence, Set
from dataclasses import dataclass, field
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any, Generic, NamedTuple, Protocol, TypeVar

from pydantic import BaseModel
from pydantic_core import PydanticCustomError

from generator.assemble import calendar as cal
from generator.memo import NO_MEMO, Memo
from generator.model.settings import SiteSettings
from generator.model.term import Event, TermPlan
from generator.model.values import class_name, did_you_mean, grade_of, parse_slug
from generator.problems.problem import Position, Problem
from generator.read.load import load_file, parse_and_validate
from generator.read.text import FrontAndBody, Source, read_source
from generator.read.words import Words
from generator.read.yamlio import Marked

M = TypeVar("M", bound=BaseModel)

# the top-level folders of the URL scheme (generator/plan/urls.py), which a page may not take
RESERVED = (
    "404",
    "agenda",
    "calendar",
    "classes",
    "displays",
    "festivals",
    "honours",
    "index",
    "media",
    "news",
    "projects",
    "rosters",
    "search",
    "static",
    "stats",
    "terms",
    "work-plan",
    "work-summary",
)


class Link(NamedTuple):
    """What a calendar item belongs to: a festival, roster or display, and where on its page.
    A tuple: made and looked up for every session of every roster on each preview edit."""

    kind: str  # the name of a linkable kind: "festival" | "roster" | "display"
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
    meta: Any  # the kind's front matter model
    body: str
    source: str


@dataclass(frozen=True)
class ImageFile:
    src: str  # its path under content/; published as `generator.plan.urls.media(src)`
    path: Path
    # what is published: the bytes that were checked (`generator.read.media`), never the
    # file read again (it may have changed since, and an SVG is published cleaned)
    data: bytes = field(default=b"", repr=False)


class ContentKind(Protocol):
    """What loading asks of a content kind (`generator.kinds` has the whole record)."""

    @property
    def name(self) -> str: ...

    @property
    def folder(self) -> str:  # content/<folder>/
        ...

    @property
    def suffix(self) -> str:  # ".yaml" or ".md"
        ...

    @property
    def words(self) -> Mapping[str, str]:  # how messages name it: {"zh": …, "en": …}
        ...

    @property
    def model(self) -> type[Any]:  # what validates a file (its front matter for .md)
        ...

    @property
    def linkable(self) -> bool:  # a calendar item may name one of its files
        ...

    def load(self, loader: Loader) -> tuple[Any, ...]: ...

    def ids(self, views: tuple[Any, ...]) -> list[str]: ...


@dataclass(frozen=True)
class Content:
    # each kind's views, in the order of the kinds: (kind name, views)
    views: tuple[tuple[str, tuple[Any, ...]], ...] = ()
    images: tuple[ImageFile, ...] = ()
    dated: tuple[Dated, ...] = ()
    # ids of every file present, valid or not: a broken festival file is reported once, in
    # itself, not again at every calendar item that names it
    present: frozenset[tuple[str, str]] = frozenset()

    def of(self, kind: str) -> tuple[Any, ...]:
        """The views of one kind, e.g. `of("festival")`; none when the site has no such kind."""
        return next((views for name, views in self.views if name == kind), ())


def file_id(name: str, stem: str) -> tuple[str | None, list[Problem]]:
    try:
        return parse_slug(stem), []
    except PydanticCustomError:
        return None, [Problem("E403", Position(name), {"value": stem})]


def content_files(root: Path, folder: str, suffix: str) -> list[Path]:
    """The files of content/<folder>/ that are read: named `*<suffix>` exactly, in that case
    (Windows' glob would take `hours.MD`, Linux' not: the same site builds the same
    everywhere, and `unread_files` names the others), not starting with a dot. Chosen by
    name, not by type: a FIFO, a device or a link leading out is read stage's to refuse, by
    name (E702/E703), not to pass over in silence."""
    base = root / "content" / folder
    if not base.is_dir():
        return []
    # the folder's entries say whether each is a folder (following a link, as Path.is_dir):
    # no stat per file, on each of the preview's saves, of a folder of 4,000 articles
    with os.scandir(base) as entries:
        names = [e.name for e in entries if _is_read(e.name, suffix) and not e.is_dir()]
    # by name: the same order as sorting the paths, without comparing 4,000 Paths part by part
    return [base / name for name in sorted(names)]


def _is_read(name: str, suffix: str) -> bool:
    return name.endswith(suffix) and len(name) > len(suffix) and not name.startswith(".")


# Left in content folders by the system, an editor or this tool, never by a teacher's
# intent: skipped without a word.
_SYSTEM_FILES = frozenset(
    {"thumbs.db", "desktop.ini", ".ds_store", ".gitkeep", ".keep", ".gitignore"}
)
_SCRATCH_PREFIXES = (".~lock.", "~$", "._", ".#", "#")
_SCRATCH_SUFFIXES = ("~", ".swp", ".swo", ".tmp")
# a display's pictures may sit next to its file (content/displays/science-future.svg)
_PICTURES = (".png", ".jpg", ".jpeg", ".gif", ".webp", ".svg")


def unread_files(
    root: Path, folder: str, suffix: str, referenced: Set[str] = frozenset()
) -> list[Problem]:
    """W324/W325: the files of content/<folder>/ that are not read, each by name: another
    extension (`.yml`, `.MD`, `.markdown`, `.txt`) or a name starting with a dot. Folders,
    pictures, files a content file names (`referenced`: paths under content/), import
    backups (`*.bak-…`) and system and editor files pass in silence."""
    base = root / "content" / folder
    if not base.is_dir():
        return []
    problems = []
    for path in sorted(base.iterdir(), key=lambda p: p.name):
        name = path.name
        lower = name.lower()
        if (
            _is_read(name, suffix)
            or lower in _SYSTEM_FILES
            or lower.startswith(_SCRATCH_PREFIXES)
            or lower.endswith(_SCRATCH_SUFFIXES)
            or lower.endswith(_PICTURES)
            or ".bak" in lower
            or f"{folder}/{name}" in referenced
            or not path.is_file()
        ):
            continue
        where = Position(f"content/{folder}/{name}")
        if name.startswith("."):
            problems.append(Problem("W325", where, {"name": name, "suggestion": name.lstrip(".")}))
            continue
        stem = name.rsplit(".", 1)[0] if "." in name else name
        problems.append(
            Problem(
                "W324",
                where,
                {"name": name, "suffix": suffix, "rename": _rename(stem + suffix)},
            )
        )
    return problems


def _rename(name: str) -> dict[str, str]:
    return {"zh": f"如果要网站读它，改名为 {name}。", "en": f"To have it read, rename it {name}. "}


def position(marked: Marked, path: tuple[str | int, ...]) -> Position:
    mark = marked.mark(path)
    return Position(marked.source.name, mark.line, mark.col)


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


@dataclass
class TermDays:
    """A term's dates as the rota helper and the checks need them."""

    source: str
    plan: TermPlan
    closed: dict[date, str] = field(default_factory=dict)
    follows: dict[date, int] = field(default_factory=dict)

    @classmethod
    def of(cls, source: str, plan: TermPlan) -> TermDays:
        days = cls(source, plan)
        for closure in plan.closures:
            for day in cal.days(closure.start, closure.end):
                days.closed.setdefault(day, closure.name)
        for m in plan.makeup_days:
            if m.date.weekday() >= 5 and m.date not in days.closed:
                days.follows[m.date] = m.follows
        return days

    def contains(self, day: date) -> bool:
        """In the term, or in one of its vacations (a summer programme's sessions)."""
        return self.plan.covers(day)


class Loader:
    """What every kind's loading shares: the files, the terms, the class list, the site's
    words; and what they find, collected: problems, calendar items, pictures, inputs."""

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
        self.settings = settings
        self.terms_complete = terms_complete
        self.terms = [TermDays.of(name, p) for name, p in plans]
        self._gettext = words.translations.gettext if words is not None else str
        self.problems: list[Problem] = []
        self.dated: list[Dated] = []
        self.images: list[ImageFile] = []
        self.referenced: set[str] = set()  # other files a content file names (under content/)
        self.inputs: dict[str, Marked | Source | FrontAndBody] = {}
        self._term_of: dict[date, TermDays | None] = {}  # asked for every session's date
        # the views of the kinds loaded so far, by kind name: a kind later in the order may
        # look at an earlier one's (an honour at the rosters naming its people)
        self.loaded: dict[str, tuple[Any, ...]] = {}

    @property
    def dates(self) -> tuple[tuple[Any, ...], ...]:
        """What a kind may read of the terms (`terms`: their ids, dates, vacations, closures
        and 调休), by value: an edit of a term's items changes none of it."""
        return tuple(
            (t.source, t.plan.term, t.plan.vacations, t.plan.closures, t.plan.makeup_days)
            for t in self.terms
        )

    def say(self, message: str) -> str:
        """A message id of the theme's catalogue in the site's language (for the titles of
        calendar items made from content files)."""
        return self._gettext(message)

    def files(self, kind: ContentKind, model: type[M]) -> Iterator[tuple[str, M, Marked]]:
        """The valid YAML files of the kind's folder: (id, model, marks); problems collected."""
        for path in content_files(self.root, kind.folder, kind.suffix):
            name = f"content/{kind.folder}/{path.name}"
            found_id, problems = file_id(name, path.stem)
            loaded, more = load_file(self.root, name, model, self.memo)
            self.problems.extend(problems + more)
            if loaded is not None:
                self.inputs[name] = loaded.marked
            if found_id is not None and loaded is not None:
                yield found_id, loaded.model, loaded.marked

    def markdown(
        self, kind: ContentKind, model: type[BaseModel], reserved: Sequence[str] = ()
    ) -> list[Markdown]:
        """The valid Markdown files of the kind's folder, their front matter validated by
        `model`; a slug among `reserved` is refused (E411)."""
        docs = []
        for path in content_files(self.root, kind.folder, kind.suffix):
            name = f"content/{kind.folder}/{path.name}"
            doc, problems, source = self.memo.load(
                name, partial(_markdown_file, self.root, name, model, reserved, self.memo)
            )
            self.problems.extend(problems)
            if source is not None:
                self.inputs[name] = source
            if doc is not None:
                docs.append(doc)
        return docs

    def term_of(self, day: date) -> TermDays | None:
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
        name = class_name(name) if name else name
        if name and classes and name not in classes:
            self.problems.append(
                marked.problem("E408", path, value=name, suggestion=did_you_mean(name, classes))
            )


def _markdown_file(
    root: Path, name: str, model: type[BaseModel], reserved: Sequence[str], memo: Memo = NO_MEMO
) -> tuple[Markdown | None, list[Problem], Source | FrontAndBody | None]:
    """One page or article, from its file alone; and its text, as read."""
    path = root / name
    slug, problems = file_id(name, path.stem)
    source = read_source(path, name, root)
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
    if slug in reserved:
        problems.append(
            Problem("E411", Position(name), {"value": slug, "reserved": list(reserved)})
        )
        return None, problems, source
    return Markdown(slug, loaded.model, body, name), problems, FrontAndBody(name, front.text, body)


def load_content(
    root: Path,
    settings: SiteSettings,
    plans: list[tuple[str, TermPlan]],
    kinds: Sequence[ContentKind],
    terms_complete: bool = True,
    memo: Memo = NO_MEMO,
    words: Words | None = None,
) -> tuple[Content, list[Problem], dict[str, Marked | Source | FrontAndBody]]:
    """Every content file of every kind, checked against the terms and the class list.

    When a term file could not be read (`terms_complete` false), a date outside the known
    terms is not reported: the teacher sees the broken term file's problems, not a flood of
    "outside every term" for each festival stage and roster session. `words`: the site's
    (Chinese when None), for the titles of the calendar items made from content files."""
    loader = Loader(root, settings, plans, terms_complete, memo, words)
    # What a kind's loading may look at besides its own folder: the settings, the words,
    # the terms' dates (`Loader.terms`) and the views of the kinds it names (`Kind.reads`).
    # While these and its folder are the same, the preview keeps its whole load: an edit
    # of events.yaml, or of one article, does not read the other 4,000 again.
    shared = (settings, words.key if words is not None else None, terms_complete, loader.dates)
    found = []
    for kind in kinds:
        folder = memo.files_under(f"content/{kind.folder}") if kind.folder else None
        reads = tuple(getattr(kind, "reads", ()))
        earlier = tuple(loader.loaded.get(name, ()) for name in reads)
        fresh: list[bool] = []
        made = memo.keep(
            "kind-load",
            kind.name,
            (folder, *shared, *earlier),
            partial(_load_kind, loader, kind, reads, fresh),
        )
        if not fresh:  # kept: what its loading found goes where it went the first time
            made.replay(loader)
        loader.loaded[kind.name] = made.views
        found.append((kind.name, made.views))
    views = tuple(found)
    referenced = frozenset(loader.referenced)
    present: set[tuple[str, str]] = set()
    for kind in kinds:
        if not kind.folder:  # a kind without files (classes) has no folder to look in
            continue
        folder = memo.files_under(f"content/{kind.folder}")
        loader.problems.extend(
            memo.keep(
                "kind-unread",
                kind.name,
                (folder, referenced),
                partial(unread_files, root, kind.folder, kind.suffix, referenced),
            )
        )
        if kind.linkable:
            present.update(
                memo.keep(
                    "kind-present",
                    kind.name,
                    (folder,),
                    partial(_present, root, kind.name, kind.folder, kind.suffix),
                )
            )
    content = Content(views, tuple(loader.images), tuple(loader.dated), frozenset(present))
    return content, loader.problems, loader.inputs


@dataclass(frozen=True)
class KindLoad:
    """A kind's views and what loading it added to the `Loader`, to add again when the
    preview keeps the load."""

    views: tuple[Any, ...]
    problems: tuple[Problem, ...]
    dated: tuple[Dated, ...]
    images: tuple[ImageFile, ...]
    referenced: frozenset[str]
    inputs: tuple[tuple[str, Marked | Source | FrontAndBody], ...]

    def replay(self, loader: Loader) -> None:
        loader.problems.extend(self.problems)
        loader.dated.extend(self.dated)
        loader.images.extend(self.images)
        loader.referenced.update(self.referenced)
        loader.inputs.update(self.inputs)


def _load_kind(
    loader: Loader, kind: ContentKind, reads: tuple[str, ...], fresh: list[bool]
) -> KindLoad:
    """`kind.load`, and what it added to `loader`. It sees the views of the kinds it
    `reads` only: any other's would not be among the inputs it is kept by."""
    fresh.append(True)
    before = (len(loader.problems), len(loader.dated), len(loader.images), len(loader.inputs))
    referenced = set(loader.referenced)
    loaded = loader.loaded
    loader.loaded = _Only(loaded, reads)
    try:
        views = kind.load(loader)
    finally:
        loader.loaded = loaded
    return KindLoad(
        views,
        tuple(loader.problems[before[0] :]),
        tuple(loader.dated[before[1] :]),
        tuple(loader.images[before[2] :]),
        frozenset(loader.referenced - referenced),
        tuple(list(loader.inputs.items())[before[3] :]),
    )


class _Only(dict[str, tuple[Any, ...]]):
    """The loaded views a kind declared it reads (`Kind.reads`); asking for another is a
    bug of the kind's record, not a kind that has no views."""

    def __init__(self, loaded: dict[str, tuple[Any, ...]], reads: tuple[str, ...]) -> None:
        super().__init__((name, loaded[name]) for name in reads if name in loaded)
        self.reads = reads

    def get(self, name: str, default: Any = None) -> Any:  # type: ignore[override]
        if name not in self.reads:
            raise KeyError(f"a kind reads {name!r}'s views without naming it in Kind.reads")
        return super().get(name, default)

    def __getitem__(self, name: str) -> tuple[Any, ...]:
        self.get(name)
        return super().__getitem__(name)


def _present(root: Path, kind: str, folder: str, suffix: str) -> frozenset[tuple[str, str]]:
    return frozenset((kind, path.stem) for path in content_files(root, folder, suffix))


def linked_ids(content: Content, kinds: Sequence[ContentKind]) -> dict[str, frozenset[str]]:
    """The ids a calendar item's `festival`/`roster`/`display` may name, by kind: made once
    for all terms (`check_links`)."""
    return {
        kind.name: frozenset(kind.ids(content.of(kind.name))) for kind in kinds if kind.linkable
    }


def check_links(
    plan: TermPlan,
    marked: Marked,
    known: Mapping[str, frozenset[str]],
    present: Set[tuple[str, str]],
    kinds: Sequence[ContentKind],
) -> list[Problem]:
    """E303: a calendar item's `festival`/`roster`/`display` names a file that is not there
    (`known`: `linked_ids`; `present`: every file there, valid or not, `Content.present`)."""
    by_name = {kind.name: kind for kind in kinds if kind.linkable}
    problems = []
    for part in ("events", "recurring"):
        for i, event in enumerate(getattr(plan, part)):
            for name, value in event.links:
                if value not in known[name] and (name, value) not in present:
                    problems.append(
                        marked.problem(
                            "E303",
                            (part, i, name),
                            kind=by_name[name].words,
                            value=value,
                            folder=by_name[name].folder,
                            suggestion=did_you_mean(value, sorted(known[name])),
                        )
                    )
    return problems


def class_grades(classes: Sequence[str]) -> dict[str, str]:
    """The grades the class list makes (三(1)班 → 三年级), each with its first class."""
    grades: dict[str, str] = {}
    for name in classes:
        grade = grade_of(name)
        if grade is not None:
            grades.setdefault(grade, name)
    return grades


def check_classes(plan: TermPlan, marked: Marked, settings: SiteSettings) -> list[Problem]:
    """E330/E331: an item's `classes`/`grades` names a class or grade that content/site.yaml's
    class list does not have (grades are made from the class names: 三(1)班 → 三年级)."""
    classes = list(settings.classes)
    grades = list(class_grades(classes))
    problems = []
    for part in ("events", "recurring"):
        for i, event in enumerate(getattr(plan, part)):
            for key, names, known, code in (
                ("classes", event.classes, classes, "E330"),
                ("grades", event.grades, grades, "E331"),
            ):
                for j, name in enumerate(names):
                    if name not in known:
                        problems.append(
                            marked.problem(
                                code,
                                (part, i, key, j),
                                value=name,
                                suggestion=did_you_mean(name, known),
                                known=known[:3] or ["—"],
                            )
                        )
    return problems


def check_menu(
    settings: SiteSettings, marked: Marked, content: Content, pages: ContentKind
) -> list[Problem]:
    """E303: a menu entry names a page that is not there."""
    slugs = pages.ids(content.of(pages.name))
    return [
        marked.problem(
            "E303",
            ("menu", i),
            kind=pages.words,
            value=slug,
            folder=pages.folder,
            suggestion=did_you_mean(slug, slugs),
        )
        for i, slug in enumerate(settings.menu)
        if slug not in slugs
    ]
