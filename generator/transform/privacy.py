"""The public build: one stage between assemble and plan that masks people and contacts.

`public_site(site)` returns a new frozen `Site` in which every roster
person's full name is replaced by its public form (张同学, 王女士, 一(1)班家长 …), people with
`public: 否` are gone (their sessions say 志愿者), and every phone number, e-mail address
and resident ID number is removed from every text field, Markdown body included. Templates
and feeds need no special case: they only ever see the masked objects.

Full names written in free text (a summary, a news item) are masked too, and reported as
W900 at the name in the source file, so the teacher can take them out of the intranet site
as well.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel

from generator import SETTINGS_FILE
from generator.assemble.content import ImageFile, Link
from generator.assemble.site import Site
from generator.model.roster import Person, Roster
from generator.model.settings import SiteSettings
from generator.problems.messages import say
from generator.problems.problem import Position, Problem
from generator.read.text import FrontAndBody, Source
from generator.read.yamlio import Marked

# The common two-character (复姓) surnames: 欧阳娜娜 is 欧阳同学, not 欧同学.
_COMPOUND = (
    "欧阳司马诸葛上官东方皇甫尉迟公孙慕容长孙宇文司徒夏侯轩辕令狐钟离端木独孤南宫西门百里"
    "呼延澹台公冶太史申屠闻人万俟赫连濮阳仲孙东郭第五拓跋司空左丘鲜于闾丘亓官梁丘宗政公羊"
    "微生谷梁羊舌段干巫马乐正公良漆雕壤驷公西颛孙子车司寇淳于单于太叔叔孙完颜纳兰"
)
COMPOUND_SURNAMES = frozenset(_COMPOUND[i : i + 2] for i in range(0, len(_COMPOUND), 2))
PUPIL_KINDS = frozenset({"librarians", "storytellers", "class_visits"})
HIDDEN = "志愿者"  # what a session of someone who opted out shows
REMOVED = "（不公开）"  # what a removed phone number / e-mail / ID number shows

_DIGIT_EDGE = r"(?<![0-9A-Za-z])", r"(?![0-9A-Za-z])"
CONTACTS: dict[str, re.Pattern[str]] = {
    # 18-digit resident ID: area, birth date, sequence, check digit (X allowed)
    "id": re.compile(
        _DIGIT_EDGE[0] + r"[1-9]\d{5}(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])"
        r"\d{3}[\dXx]" + _DIGIT_EDGE[1]
    ),
    # mainland mobile 1[3-9]x xxxx xxxx, with -/space separators and an optional +86
    "phone": re.compile(
        r"(?<![\d+])(?:(?:\+|00)86[- ]?|86-)?1[3-9]\d(?:[- ]?\d{4}){2}(?!\d)"
        # landline with area code: 0571-8888 8888, (0571)88888888, 010-12345678
        r"|(?<!\d)(?:\(0\d{2,3}\) ?|（0\d{2,3}）|0\d{2,3}[- ]?)[2-9]\d{3}[- ]?\d{3,4}(?!\d)"
    ),
    "email": re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}"),
}
# Identifiers and paths (a str under one of these names): not text a reader sees.
_KEEP = frozenset(
    {
        "id",
        "slug",
        "source",
        "anchor",
        "origin",
        "src",
        "output",
        "path",
        "isbn",
        "call_number",
        "festival",
        "roster",
        "display",
        "category",
        "kind",
    }
)
# Where a roster or honour file names a person rather than mentions one (not W900).
_NAME_PATHS = (
    ("people", int, "name"),
    ("people", int),  # an honour's `people: [李欣妍]`
    ("sessions", int, "person"),
    ("rota", int, "people", int),
    ("duties", int, "people", int),
)


def surname(name: str) -> str:
    """The family name: 欧阳 of 欧阳娜娜, 王 of 王芳; the last word of a Western name."""
    name = name.strip()
    if " " in name or name.isascii():
        return name.split()[-1] if name.split() else name
    if len(name) >= 3 and name[:2] in COMPOUND_SURNAMES:
        return name[:2]
    return name[:1]


_CLASS = re.compile(r"[一二三四五六七八九]+[(（]\d+[)）]班|\d+[-—]\d+班|[^\s，,]+班")


@dataclass(frozen=True)
class Who:
    """One roster person as the public site shows them."""

    name: str
    shown: str
    pupil: bool
    hidden: bool
    on_roster: bool = True  # False: from `private_names`, which are not reported (W900)


_CALLED = ("同学", "家长", "妈妈", "爸爸", "女士", "先生")


def in_text(who: Who, text: str, end: int) -> str:
    """The public form of a name inside a sentence: 李欣妍同学 → 李同学, 王丽娟妈妈 → 王妈妈
    (not 李同学同学, 王女士妈妈)."""
    after = text[end:].lstrip("*_")[:2]  # **李欣妍**同学 too
    if who.hidden or after not in _CALLED:
        return who.shown
    for called in _CALLED:
        if who.shown.endswith(called):
            return who.shown[: -len(called)]
    return who.shown


def public_form(
    name: str,
    pupil: bool,
    settings: SiteSettings,
    klass: str | None = None,
    gender: str | None = None,
) -> str:
    if pupil:
        if settings.public_pupils == "class":
            return f"{klass or ''}同学"
        return f"{surname(name)}同学"
    if settings.public_parents == "parent":
        return "家长"
    if settings.public_parents == "class":
        return f"{klass}家长" if klass else "家长"
    return surname(name) + {"女": "女士", "男": "先生"}.get(gender or "", "家长")


def _is_pupil(kind: str, role: str | None) -> bool:
    role = role or ""
    if any(w in role for w in ("家长", "爸", "妈", "义工", "志愿")):
        return False
    if any(w in role for w in ("学生", "同学", "小管")):
        return True
    return kind in PUPIL_KINDS


def roster_people(
    rosters: Iterable[Roster], settings: SiteSettings, others: Iterable[Any] = ()
) -> dict[str, Who]:
    """Everyone a roster names (listed, on a rota, a session or a duty), with the public form.
    One opted out anywhere is hidden everywhere; a pupil on any roster is shown as a pupil.
    `others`: the people other kinds name (`Kind.people`: an honour's winners), after the
    rosters' (a roster says more about a person)."""
    found: dict[str, Who] = {}

    def add(
        name: str,
        pupil: bool,
        klass: str | None,
        gender: str | None,
        hidden: bool,
        on_roster: bool = True,
    ) -> None:
        name = name.strip()
        if not name or name == HIDDEN:
            return
        before = found.get(name)
        if before and (before.hidden or (before.pupil and not hidden)):
            return
        shown = HIDDEN if hidden else public_form(name, pupil, settings, klass, gender)
        found[name] = Who(name, shown, pupil, hidden, on_roster)

    rosters = list(rosters)
    for r in rosters:  # the listed people first: they say role, class, gender
        for p in r.people:
            pupil = _is_pupil(r.kind, p.role)
            match = _CLASS.search(p.role or "")
            klass = p.class_ or (match.group() if match else None)
            add(p.name, pupil, klass, p.gender, not p.public)
    for r in rosters:
        pupil = r.kind in PUPIL_KINDS
        for d in r.duties:
            for name in d.people:
                if name not in found:
                    add(name, pupil, d.class_ if pupil else None, None, False)
        names = [s.person for s in r.sessions if s.person] + [n for x in r.rota for n in x.people]
        for name in names:
            if name not in found:
                add(name, pupil, None, None, False)
    for name in settings.private_names:
        if name not in found:
            add(name, True, None, None, False, on_roster=False)
    for other in others:  # masked, but not on a roster: free text naming them is not W900
        if other.name.strip() not in found:
            add(other.name, other.pupil, other.klass, other.gender, False, on_roster=False)
    return found


@dataclass
class PrivacyReport:
    """What the public build took out: printed after the build."""

    pupils: int = 0  # pupils whose full name is masked (`private_names` included)
    parents: int = 0  # roster parents whose full name is masked
    left_out: int = 0  # people with `public: 否`, not shown at all
    named: int = 0  # of the pupils: from `private_names` in content/site.yaml
    contacts: dict[str, set[str]] = field(
        default_factory=lambda: {kind: set() for kind in CONTACTS}
    )
    warnings: list[Problem] = field(default_factory=list)  # W900, at the name in the source

    @property
    def masked(self) -> int:
        return self.pupils + self.parents

    @property
    def removed(self) -> int:
        return sum(len(v) for v in self.contacts.values())

    def render(self, lang: str = "zh") -> str:
        return say(
            "I501",
            lang,
            masked=self.masked,
            pupils=self.pupils,
            named=self.named,
            parents=self.parents,
            left_out=self.left_out,
            removed=self.removed,
            phone=len(self.contacts["phone"]),
            email=len(self.contacts["email"]),
            id=len(self.contacts["id"]),
            full_names=len(self.warnings),
        )


class _Masker:
    def __init__(self, people: Mapping[str, Who], report: PrivacyReport) -> None:
        self.people = people
        self.report = report
        names = sorted(people, key=len, reverse=True)  # 欧阳娜娜 before 欧阳娜
        self.names = re.compile("|".join(map(re.escape, names))) if names else None
        self.memo: dict[int, Any] = {}

    def text(self, value: str) -> str:
        for kind, pattern in CONTACTS.items():
            for m in pattern.finditer(value):
                self.report.contacts[kind].add(re.sub(r"[^0-9A-Za-z@.]", "", m.group()))
            value = pattern.sub(REMOVED, value)
        if self.names is None:
            return value
        if value.strip() in self.people:  # a name field: the person themself
            return self.people[value.strip()].shown
        return self.names.sub(lambda m: in_text(self.people[m.group()], m.string, m.end()), value)

    def contact_field(self, value: str | None) -> None:
        """A `phone:` is removed whatever it looks like; counted under what it is."""
        if value:
            kind = next((k for k, p in CONTACTS.items() if p.fullmatch(value.strip())), "phone")
            self.report.contacts[kind].add(re.sub(r"[^0-9A-Za-z@.]", "", value))

    def person(self, p: Person) -> Person:
        self.contact_field(p.phone)
        return self._fields(p.model_copy(update={"phone": None}))

    def walk(self, obj: Any) -> Any:
        """A copy of `obj` with every text masked; shared parts stay shared."""
        if isinstance(obj, str):
            return self.text(obj)
        if isinstance(obj, Position | ImageFile | Link):
            return obj  # positions, pictures, a page's file name and anchor: nothing to mask
        if isinstance(obj, tuple | list):
            items = [self.walk(x) for x in obj]
            if all(a is b for a, b in zip(items, obj, strict=True)):
                return obj
            # a named tuple is made from its fields, a tuple or list from its items
            return type(obj)(*items) if hasattr(obj, "_fields") else type(obj)(items)
        if not (isinstance(obj, BaseModel) or dataclasses.is_dataclass(obj)):
            return obj  # dates, times, paths, categories: nothing to mask
        key = id(obj)
        if key not in self.memo:
            self.memo[key] = self._copy(obj)
        return self.memo[key]

    def _copy(self, obj: Any) -> Any:
        if isinstance(obj, Person):
            return self.person(obj)
        if isinstance(obj, Roster):
            for p in obj.people:
                if not p.public:
                    self.contact_field(p.phone)
            obj = obj.model_copy(update={"people": [p for p in obj.people if p.public]})
        return self._fields(obj)

    def _fields(self, obj: Any) -> Any:
        if isinstance(obj, BaseModel):
            names: Iterable[str] = type(obj).model_fields
        else:
            names = [f.name for f in dataclasses.fields(obj)]
        changed = {}
        for name in names:
            value = getattr(obj, name)
            if name in _KEEP and isinstance(value, str | list | tuple | frozenset):
                continue
            new = self.walk(value)
            if new is not value:
                changed[name] = new
        if not changed:
            return obj
        if isinstance(obj, BaseModel):
            return obj.model_copy(update=changed)
        return dataclasses.replace(obj, **changed)


def public_site(site: Site) -> tuple[Site, PrivacyReport]:
    """The site as it may be published: see the module docstring. W900 finds the line and
    column of a name in the files as the read stage read them (`Site.inputs`)."""
    settings = site.settings
    report = PrivacyReport()
    others = [p for kind in site.kinds for p in kind.people(site.content.of(kind.name))]
    people = roster_people((v.roster for v in site.content.of("roster")), settings, others)
    report.pupils = sum(1 for w in people.values() if w.pupil and not w.hidden)
    private = set(settings.private_names)
    report.named = sum(1 for w in people.values() if not w.on_roster and w.name in private)
    report.parents = sum(1 for w in people.values() if not w.pupil and not w.hidden)
    report.left_out = sum(1 for w in people.values() if w.hidden)
    masker = _Masker(people, report)
    current = masker.walk(site.current)
    archive = masker.walk(site.archive)
    content = masker.walk(site.content)
    kinds = {kind.name: kind for kind in site.kinds}
    content = dataclasses.replace(
        content,
        views=tuple(
            (name, kinds[name].publish(views, settings) if name in kinds else views)
            for name, views in content.views
        ),
    )
    on_rosters = {n: w for n, w in people.items() if w.on_roster}
    texts = {name: read for name, read in site.inputs.items() if name != SETTINGS_FILE}
    report.warnings = free_text_names(texts, on_rosters)
    masked = dataclasses.replace(
        site,
        current=current,
        archive=archive,
        content=content,
        warnings=(*site.warnings, *report.warnings),
        public=True,
    )
    return masked, report


def free_text_names(
    sources: Mapping[str, Marked | Source | FrontAndBody], people: Mapping[str, Who]
) -> list[Problem]:
    """W900 at each full name written in free text: anywhere in a file whose text can reach
    a page, except where a roster names its people (`name:`, `person:`, `people:`) and YAML
    comments. `sources`: each file as read, with its marks when it is YAML."""
    if not people:
        return []
    pattern = re.compile("|".join(map(re.escape, sorted(people, key=len, reverse=True))))
    problems = []
    for name, read in sorted(sources.items()):
        yaml_file = isinstance(read, Marked)
        text = read.source.text if isinstance(read, Marked) else read.text
        named = _name_marks(read) if isinstance(read, Marked) else set()
        for number, line in enumerate(text.split("\n"), start=1):
            comment = _comment_start(line) if yaml_file else len(line)
            for m in pattern.finditer(line):
                col = m.start() + 1
                if m.start() >= comment or (number, col) in named:
                    continue
                who = people[m.group()]
                problems.append(
                    Problem(
                        "W900", Position(name, number, col), {"name": who.name, "masked": who.shown}
                    )
                )
    return problems


def _name_marks(marked: Marked) -> set[tuple[int, int]]:
    found = set()
    for path, mark in marked.values.items():
        if any(_matches(path, shape) for shape in _NAME_PATHS):
            # a quoted scalar's mark is at the quote
            found |= {(mark.line, mark.col), (mark.line, mark.col + 1)}
    return found


def _matches(path: tuple[str | int, ...], shape: tuple[Any, ...]) -> bool:
    return len(path) == len(shape) and all(
        isinstance(p, int) if s is int else p == s for p, s in zip(path, shape, strict=True)
    )


def _comment_start(line: str) -> int:
    """Where a YAML comment starts on the line (outside quotes), else its length."""
    quote = ""
    for i, ch in enumerate(line):
        if quote:
            quote = "" if ch == quote else quote
        elif ch in "'\"":
            quote = ch
        elif ch == "#" and (i == 0 or line[i - 1] in " \t"):
            return i
    return len(line)
