"""`new-term`: archive this term's events.yaml and carry the whole term into the next.

Dated items move by whole teaching weeks (week 3 stays week 3, on the same weekday): the
shift is the distance between the Mondays of the two first weeks. Month items move by as
many months as the term start moved. How each date key moves is one entry of `DATE_KEYS`,
so a new key is one line there, not a case in every file kind.

What is carried: events.yaml (its items, the school's own closures); every roster in place
(rota patterns and month themes moved, people and duties kept, the explicit sessions moved;
the generated sessions follow from the moved rota), its old text kept beside it as
`<id>.yaml.bak-<old term>`; festivals and displays of the old term, as new draft files
(`--carry`), whose events point at the new ids. The official closures and 调休 come from
`assemble.official` for the new term's dates; a year not yet published is a TODO.

Files are written with ruamel.yaml's round-trip writer, so the teacher's comments and layout
stay; the build keeps reading them with its own fast reader. An item that lands outside the
new term is written commented out under a TODO line (W352), never dropped. If the new site
fails `check`, every file is put back as it was.
"""

from __future__ import annotations

import io
import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from pydantic import BaseModel
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.resolver import VersionedResolver

from generator import pipeline
from generator.assemble.official import OfficialDays, official_days
from generator.assemble.site import EVENTS_FILE, TERMS_DIR
from generator.interrupt import held, mark_changed
from generator.model.display import Display
from generator.model.festival import Festival
from generator.model.roster import Roster
from generator.model.term import TermPlan
from generator.model.values import WEEKDAY_NAMES, Month
from generator.problems.messages import WEEKDAYS, Message
from generator.problems.problem import BuildFailed, Position, Problem
from generator.read.load import load_file
from generator.read.text import Source

_TERM_NAME = re.compile(r"(\d{4})\s*学年\s*第\s*([一二12])\s*学期")
ROSTERS_DIR = "content/rosters"
# the kinds whose files can be carried as drafts (`--carry`), by folder
CARRIABLE: dict[str, type[BaseModel]] = {"festivals": Festival, "displays": Display}
_LINK_KEY = {"festivals": "festival", "displays": "display"}


def monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def teaching_week(day: date, first_day: date) -> int:
    """Week 1 is the week (Monday to Sunday) of the term's first day."""
    return (day - monday(first_day)).days // 7 + 1


def shift_date(day: date, old_first: date, new_first: date) -> date:
    return day + (monday(new_first) - monday(old_first))


def shift_month(month: Month, old_first: date, new_first: date) -> Month:
    moved = (new_first.year - old_first.year) * 12 + new_first.month - old_first.month
    index = month.year * 12 + month.month - 1 + moved
    return Month(index // 12, index % 12 + 1)


def term_id_from_name(name: str) -> str | None:
    """2026学年第一学期 → 2026-2027-1, as the school year is named by the year it starts."""
    match = _TERM_NAME.search(name)
    if not match:
        return None
    year = int(match.group(1))
    half = 1 if match.group(2) in ("一", "1") else 2
    return f"{year}-{year + 1}-{half}"


# --- how each kind of date key moves --------------------------------------------------


@dataclass(frozen=True)
class Shift:
    """From the old term to the new one (and the new term's vacations: items dated in them
    belong to it too)."""

    old_first: date
    first: date
    last: date
    vacations: tuple[tuple[str, date, date], ...] = ()  # name, first and last day

    @property
    def covered(self) -> date:
        """The last day the new term's file holds: its last vacation's, else its own."""
        return max((self.last, *(to for _, _, to in self.vacations)))

    def day(self, day: date) -> date:
        return shift_date(day, self.old_first, self.first)

    def month(self, month: Month) -> Month:
        return shift_month(month, self.old_first, self.first)

    def has_day(self, day: date) -> bool:
        return self.first <= day <= self.last or self.vacation_at(day) is not None

    def vacation_at(self, day: date) -> str | None:
        return next((name for name, a, b in self.vacations if a <= day <= b), None)

    def has_month(self, month: Month) -> bool:
        return month.first_day <= self.covered and self.first <= month.last_day

    def has_week(self, week: int) -> bool:
        return teaching_week(self.last, self.first) >= week


@dataclass(frozen=True)
class DateKey:
    """One date key: how its value moves, how the moved value is written (given the value
    as the file had it; None: the file's own words stay), whether it fits the new term, and
    how the report shows it."""

    move: Callable[[Shift, Any], Any]
    write: Callable[[Any, Any], Any] | None
    fits: Callable[[Shift, Any], bool]
    show: Callable[[Any], str | Message]
    kind: str  # "day", "month" or "week": the report's words for the item


def _iso(day: date) -> str:
    return day.isoformat()


def _months_written(raw: Any, months: tuple[Month, Month]) -> Any:
    """`months:` as the file wrote it: a list stays a list (flow style), one month stays one."""
    if not isinstance(raw, list):
        return str(months[0])
    written = CommentedSeq(dict.fromkeys(str(m) for m in months))
    written.fa.set_flow_style()
    return written


def _weeks_shown(weeks: tuple[int, ...]) -> Message:
    return Message("I406", {"week": "–".join(dict.fromkeys((str(weeks[0]), str(weeks[-1]))))})


_DAY = DateKey(Shift.day, lambda _, d: d, Shift.has_day, _iso, "day")
# every key that says when, and how it moves: week N stays week N, a day moves by whole
# teaching weeks, a month by as many months as the term's start
DATE_KEYS: dict[str, DateKey] = {
    "date": _DAY,
    "from": _DAY,
    "to": _DAY,
    "month": DateKey(Shift.month, lambda _, m: str(m), Shift.has_month, str, "month"),
    "months": DateKey(
        lambda shift, span: tuple(shift.month(m) for m in span),
        _months_written,
        lambda shift, span: shift.has_month(span[0]) or shift.has_month(span[-1]),
        lambda span: " – ".join(dict.fromkeys(str(m) for m in span)),
        "month",
    ),
    "week": DateKey(
        lambda _, w: w, None, Shift.has_week, lambda w: Message("I406", {"week": w}), "week"
    ),
    "weeks": DateKey(
        lambda _, weeks: weeks,
        None,
        lambda shift, weeks: shift.has_week(max(weeks)),
        _weeks_shown,
        "week",
    ),
}


def _attr(model: BaseModel, key: str) -> str | None:
    for name, info in type(model).model_fields.items():
        if (info.alias or name) == key:
            return name
    return None


@dataclass
class Moved:
    fits: bool
    old: str | Message
    new: str | Message
    when: Message
    start: date | None = None


def move_item(raw: CommentedMap, model: BaseModel, shift: Shift, *, clip: bool = False) -> Moved:
    """Moves every date key of one item in place (`raw`, as ruamel read it) by `DATE_KEYS`.
    `clip`: a weekly pattern (`from`/`to` of recurring items and rota) is cut to the new
    term, and is out only when none of it is left."""
    keys: list[str] = []
    olds: list[Any] = []
    news: list[Any] = []
    kinds: list[str] = []
    fits = True
    for key, rule in DATE_KEYS.items():
        attr = _attr(model, key)
        value = getattr(model, attr) if attr and raw.get(key) is not None else None
        if value is None:
            continue
        new = rule.move(shift, value)
        keys.append(key)
        olds.append(value)
        news.append(new)
        kinds.append(rule.kind)
        if not clip:
            fits = fits and rule.fits(shift, new)
    if clip and len(news) == 2 and all(k == "day" for k in kinds):
        start, end = news
        # weekly patterns belong to teaching weeks: the checker holds them to the term (not
        # its vacations), so they are cut to it
        fits = start <= shift.last and end >= shift.first
        if fits:
            news = [max(start, shift.first), min(end, shift.last)]
    for key, new in zip(keys, news, strict=True):
        write = DATE_KEYS[key].write
        if write is not None:
            raw[key] = write(raw[key], new)
    return Moved(fits, *_said(olds, news, keys, shift))


def _said(
    olds: list[Any], news: list[Any], keys: list[str], shift: Shift
) -> tuple[str | Message, str | Message, Message, date | None]:
    if not keys:
        return "", "", Message("I407"), None
    rule = DATE_KEYS[keys[0]]  # an item says when in one way (from and to alike)
    kinds = [rule.kind]

    def show(values: list[Any]) -> str | Message:
        shown = [rule.show(v) for v in dict.fromkeys(values)]
        return shown[0] if len(shown) == 1 else " – ".join(str(s) for s in shown)

    if kinds[0] == "day":
        start = news[0]
        weekday = Message(WEEKDAYS[start.weekday()])
        if not shift.first <= start <= shift.last and (name := shift.vacation_at(start)):
            return (
                show(olds),
                show(news),
                Message("I441", {"name": name, "weekday": weekday}),
                start,
            )
        week = teaching_week(start, shift.first)
        return show(olds), show(news), Message("I405", {"week": week, "weekday": weekday}), start
    if kinds[0] == "month":
        return show(olds), show(news), Message("I408"), None
    return show(olds), show(news), Message("I407"), None


# --- reading and writing with comments --------------------------------------------------


_KEPT_TAGS = ("tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:null")


class _TextResolver(VersionedResolver):
    """Every scalar stays the text the teacher typed, as our own reader keeps it: YAML's
    numbers and booleans are not read (`+8613800000001` would be written back as a number
    without its `+`). Dates are, so that moved dates are written plain, like the teacher's."""

    @property
    def versioned_resolver(self) -> Any:
        table = super().versioned_resolver
        kept = getattr(self, "_kept", None)
        if kept is None or kept[0] is not table:
            only = {
                ch: [(t, r) for t, r in rules if t in _KEPT_TAGS] for ch, rules in table.items()
            }
            kept = self._kept = (table, only)
        return kept[1]


def _yaml(text: str) -> YAML:
    """A round-trip reader/writer set to the file's own indentation of list items."""
    yaml = YAML()
    yaml.Resolver = _TextResolver
    yaml.preserve_quotes = True
    # one date object written twice (a term's first day, a weekly item cut to it) must not
    # become an anchor and alias: our reader refuses them (E103); lists and maps are never
    # shared, and counting them keeps an empty value written empty, not `null`
    yaml.representer.ignore_aliases = lambda data: not isinstance(data, dict | list)
    yaml.width = 4096
    offset = 2
    key_indent = None  # of the last `key:` line with nothing after it
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        indent = len(line) - len(line.lstrip(" "))
        if stripped.startswith("- ") and key_indent is not None:
            offset = indent - key_indent
            break
        key_indent = indent if re.match(r"[^\s#-][^:]*:$", stripped) else None
    yaml.indent(mapping=2, sequence=offset + 2, offset=offset)
    return yaml


def _dump(yaml: YAML, data: Any) -> str:
    out = io.StringIO()
    yaml.dump(data, out)
    return out.getvalue()


def _trailing(parent: Any, key: Any) -> Any:
    """The comment lines after `parent[key]` (ruamel keeps them on its last scalar), taken
    off so that they can be put after what replaces it."""
    node, at = parent, key
    while True:
        comments = node.ca.items.get(at)
        slot = 0 if isinstance(node, CommentedSeq) else 2
        if comments and len(comments) > slot and comments[slot] is not None:
            token = comments[slot]
            comments[slot] = None
            return token
        child = node[at]
        if isinstance(child, CommentedMap) and len(child):
            node, at = child, list(child)[-1]
        elif isinstance(child, CommentedSeq) and len(child):
            node, at = child, len(child) - 1
        else:
            return None


def _put_trailing(parent: Any, key: Any, token: Any) -> None:
    if token is None:
        return
    node, at = parent, key
    while True:
        child = node[at]
        if isinstance(child, CommentedMap) and len(child):
            node, at = child, list(child)[-1]
        elif isinstance(child, CommentedSeq) and len(child):
            node, at = child, len(child) - 1
        else:
            break
    slot = 0 if isinstance(node, CommentedSeq) else 2
    comments = node.ca.items.setdefault(at, [None, None, None, None])
    while len(comments) <= slot:
        comments.append(None)
    comments[slot] = token


@dataclass
class _Todo:
    path: tuple[str | int, ...]  # of the list item, in the written data
    title: str
    new: str | Message


@dataclass
class _Written:
    name: str
    text: str
    todo_lines: list[tuple[int, _Todo]] = field(default_factory=list)  # 1-based TODO lines


def _render(
    name: str, yaml: YAML, data: Any, todos: list[_Todo], shift: Shift, header: list[str]
) -> _Written:
    """The file's text: `data` written, each out-of-term item commented out under a TODO
    line, `header` comment lines after the schema line."""
    text = _dump(yaml, data)
    lines = text.splitlines()
    again = yaml.load(text)
    spans: list[tuple[int, int, int, _Todo]] = []  # first line, last line, indent (0-based)
    for todo in todos:
        node = again
        for part in todo.path[:-1]:
            node = node[part]
        index = todo.path[-1]
        assert isinstance(index, int)
        line = node.lc.item(index)[0]
        dash = len(lines[line]) - len(lines[line].lstrip(" "))
        end = line
        for n in range(line + 1, len(lines)):
            stripped = lines[n].strip()
            indent = len(lines[n]) - len(lines[n].lstrip(" "))
            if stripped and not stripped.startswith("#") and indent <= dash:
                break
            if stripped and not stripped.startswith("#"):
                end = n
            elif stripped and indent > dash + 1 and end == n - 1:
                end = n  # a comment inside the item
        spans.append((line, end, dash, todo))
    said: list[tuple[int, _Todo]] = []
    for first, last, dash, todo in sorted(spans, key=lambda s: s[0], reverse=True):
        for n in range(first, last + 1):
            lines[n] = " " * dash + "# " + lines[n][dash:] if lines[n].strip() else lines[n]
        note = Message(
            "I430",
            {
                "new": todo.new,
                "first": shift.first.isoformat(),
                "last": shift.last.isoformat(),
            },
        ).say("zh")
        lines.insert(first, " " * dash + "# TODO：" + note)
    for k, (first, _, _, todo) in enumerate(sorted(spans, key=lambda s: s[0])):
        said.append((first + k + 1, todo))
    at = 1 if lines and lines[0].startswith("# yaml-language-server:") else 0
    if len(lines) > at and lines[at] == "#":  # the file's own comment block starts there
        at += 1
    lines[at:at] = header
    said = [(line + len(header), todo) for line, todo in said]
    return _Written(name, "\n".join(lines) + "\n", said)


# --- the command ------------------------------------------------------------------------


@dataclass
class Carried:
    """What was carried over, for the report and the tests."""

    events: int = 0
    recurring: int = 0
    closures: int = 0  # the school's own closures moved
    rosters: int = 0
    rota: int = 0
    themes: int = 0
    sessions: int = 0  # explicit sessions moved
    generated: int = 0  # roster sessions on the new term's calendar
    vacations: int = 0  # moved to after the new term
    festivals: int = 0
    stages: int = 0
    displays: int = 0
    todo: int = 0
    official_closures: int = 0
    official_makeup: int = 0
    unpublished: tuple[int, ...] = ()


@dataclass
class NewTerm:
    problems: list[Problem] = field(default_factory=list)
    shifted: list[Message] = field(default_factory=list)  # one line per item, for the report
    archive: Path | None = None
    written: Path | None = None
    carried: Carried = field(default_factory=Carried)
    files: list[Path] = field(default_factory=list)  # every file written or replaced


def new_term(
    root: Path,
    first_day: date,
    name: str,
    term_id: str | None = None,
    last_day: date | None = None,
    today: date | None = None,
    carry: tuple[str, ...] = tuple(CARRIABLE),
) -> NewTerm:
    result = NewTerm()
    loaded, problems = load_file(root, EVENTS_FILE, TermPlan)
    if loaded is None:
        result.problems = problems
        return result
    old = loaded.model.term
    new_id = term_id or term_id_from_name(name)
    if new_id is None:
        result.problems.append(Problem("E992", Position(EVENTS_FILE), {"name": name}))
        return result
    new_last = last_day or shift_date(old.last_day, old.first_day, first_day)
    if new_last < first_day:
        result.problems.append(
            Problem(
                "E993",
                Position(EVENTS_FILE),
                {"first": first_day.isoformat(), "last": new_last.isoformat()},
            )
        )
        return result
    archive_name = f"{TERMS_DIR}/{old.id}.yaml"
    archive = root / archive_name
    if archive.exists():
        result.problems.append(Problem("E990", Position(archive_name), {"file": archive_name}))
        return result
    for used, file in [(old.id, EVENTS_FILE), *_archived_ids(root)]:
        if used == new_id:
            result.problems.append(Problem("E991", Position(file), {"id": new_id, "file": file}))
            return result

    vacations = _new_vacations(loaded.model, Shift(old.first_day, first_day, new_last), new_id)
    shift = Shift(old.first_day, first_day, new_last, tuple(vacations))
    carried = result.carried
    # content files: festivals/displays of the old term carried as drafts, rosters in place
    drafts: list[_Written] = []
    renamed: dict[tuple[str, str], str] = {}
    for folder in carry:
        for written, old_id, new_file_id in _carry_folder(root, folder, old, shift, new_id, result):
            drafts.append(written)
            renamed[(_LINK_KEY[folder], old_id)] = new_file_id
    rosters = _move_rosters(root, shift, old.id, result)
    files_said, result.shifted = result.shifted, []
    events = _move_events(
        loaded.marked.source.text, loaded.model, shift, renamed, vacations, result
    )
    result.shifted += files_said  # the items first, as the old term listed them
    events_file = _render_events(events, old.name, new_id, name, shift, result)
    if events_file is None:
        return result

    archived_text = _archived_text(loaded.marked.source.text)
    # the files made new (a roster's backup byte for byte, as the teacher saved it), and
    # the files replaced
    created: list[tuple[Path, bytes]] = [(archive, archived_text.encode("utf-8"))]
    created += [(root / w.name, w.text.encode("utf-8")) for w in drafts]
    replaced: list[tuple[Path, str]] = [(root / EVENTS_FILE, events_file.text)]
    for w, backup in rosters:
        created.append((root / backup, (root / w.name).read_bytes()))
        replaced.append((root / w.name, w.text))
    for path, _ in created:
        if path.exists():
            shown = path.relative_to(root).as_posix()
            result.problems.append(Problem("E350", Position(shown), {"file": shown}))
    if result.problems and any(p.is_error for p in result.problems):
        return result
    for written in (events_file, *drafts, *(w for w, _ in rosters)):
        for line, todo in written.todo_lines:
            result.problems.append(_todo_problem(written, line, todo, shift))
    carried.todo = sum(len(w.todo_lines) for w in (events_file, *drafts, *(w for w, _ in rosters)))

    originals = {path: path.read_bytes() for path, _ in replaced}
    try:
        with held():
            for path, data in created:
                path.parent.mkdir(parents=True, exist_ok=True)
                with path.open("xb") as out:  # never over a file that appeared meanwhile
                    out.write(data)
                result.files.append(path)
            for path, text in replaced:
                _replace(path, text)
                result.files.append(path)
        try:
            site = pipeline.check(root, today or date.today())
        except BuildFailed as failed:
            # the files are put back: their TODO lines are gone too
            result.problems = [p for p in result.problems if p.code != "W352"]
            result.problems += failed.report.problems
            result.problems.append(Problem("E994", Position(EVENTS_FILE), {}))
            raise
    except BaseException:
        with held():
            for path, data in originals.items():
                path.write_bytes(data)
            for path, _ in created:
                if path in result.files:
                    path.unlink(missing_ok=True)
        result.files = []
        if result.problems and result.problems[-1].code == "E994":
            return result
        raise
    mark_changed()  # an interrupt from here on did not stop the new term
    carried.generated = sum(
        1 for o in site.current.occurrences if o.part_of is not None and o.part_of.kind == "roster"
    )
    result.archive, result.written = archive, root / EVENTS_FILE
    return result


def _todo_problem(written: _Written, line: int, todo: _Todo, shift: Shift) -> Problem:
    text = written.text.splitlines()[line - 1]
    return Source(written.name, written.text).problem(
        "W352",
        line,
        1 + len(text) - len(text.lstrip()),
        title=todo.title,
        new=todo.new,
        first=shift.first.isoformat(),
        last=shift.last.isoformat(),
        file=written.name,
    )


@dataclass
class _Events:
    yaml: YAML
    data: CommentedMap
    todos: list[_Todo]
    official: OfficialDays


_HALVES = {"暑假": "寒假", "寒假": "暑假"}


def _new_vacations(plan: TermPlan, shift: Shift, new_id: str) -> list[tuple[str, date, date]]:
    """The old term's vacations moved by week like everything else, starting no earlier than
    the day after the new term (a vacation comes after its term). From a spring term to an
    autumn one 暑假 becomes 寒假 (and back): the teacher corrects the dates (a TODO says so)."""
    swap = plan.term.id[-2:] != new_id[-2:]
    moved = []
    start_after = shift.last + timedelta(days=1)
    for vacation in plan.vacations:
        first, last = shift.day(vacation.from_), shift.day(vacation.to)
        first = max(first, start_after)
        last = max(last, first)
        name = vacation.name
        if swap:
            name = re.sub("暑假|寒假", lambda m: _HALVES[m.group(0)], name)
        moved.append((name, first, last))
        start_after = last + timedelta(days=1)
    return moved


def _move_events(
    text: str,
    plan: TermPlan,
    shift: Shift,
    renamed: dict[tuple[str, str], str],
    vacations: list[tuple[str, date, date]],
    result: NewTerm,
) -> _Events:
    yaml = _yaml(text)
    data = yaml.load(text)
    todos: list[_Todo] = []
    carried = result.carried
    for raw, (name, first, last) in zip(data.get("vacations") or [], vacations, strict=True):
        raw["name"], raw["from"], raw["to"] = name, first, last
    if vacations:
        data.yaml_set_comment_before_after_key(
            "vacations", before="TODO：" + Message("I440").say("zh"), indent=0
        )
        carried.vacations = len(vacations)
    for i, (raw, event) in enumerate(zip(data.get("events") or [], plan.events, strict=True)):
        moved = move_item(raw, event, shift)
        for (key, old_id), new_id in renamed.items():
            if raw.get(key) == old_id:
                raw[key] = new_id
        if moved.fits:
            carried.events += 1
            said = {"old": moved.old, "new": moved.new, "when": moved.when, "title": event.title}
            result.shifted.append(Message("I403", said))
        else:
            todos.append(_Todo(("events", i), event.title, moved.new))
    for i, (raw, rec) in enumerate(zip(data.get("recurring") or [], plan.recurring, strict=True)):
        moved = move_item(raw, rec, shift, clip=True)
        if not moved.fits:
            todos.append(_Todo(("recurring", i), rec.title, moved.new))
            continue
        carried.recurring += 1
        start, end = raw["from"], raw["to"]
        weekly = {
            "old": moved.old,
            "new": f"{start.isoformat()} – {end.isoformat()}",
            "first": teaching_week(start, shift.first),
            "last": teaching_week(end, shift.first),
            "title": rec.title,
        }
        result.shifted.append(Message("I442" if getattr(rec, "monthly", False) else "I404", weekly))
    official = official_days(shift.first, shift.covered)  # vacations have holidays too
    _replace_holidays(data, plan, shift, official, todos, result)
    return _Events(yaml, data, todos, official)


# the official holidays by name: how a closure is told official when its year's schedule
# is not in the package (a holiday moved by weeks would land on no holiday at all)
_OFFICIAL_NAME = re.compile(r"元旦|春节|清明|劳动节|五一|端午|中秋|国庆")


def _official_old(plan: TermPlan) -> tuple[set[date], set[date]]:
    """The old term's official days off and 调休 workdays, to tell the school's own."""
    # whole years: 春节 may end the day before the term starts, and a school may list it
    found = official_days(
        date(plan.term.first_day.year, 1, 1), date(plan.term.last_day.year, 12, 31)
    )
    days = {d for c in found.closures for d in c.days}
    return days, {m.date for m in found.makeup_days}


def _replace_holidays(
    data: CommentedMap,
    plan: TermPlan,
    shift: Shift,
    official: OfficialDays,
    todos: list[_Todo],
    result: NewTerm,
) -> None:
    """closures and makeup_days: the official ones of the new term's years, then the
    school's own (a closure that is no official holiday of the old year) moved by week."""
    off, worked = _official_old(plan)
    closures = CommentedSeq()
    for run in official.closures:
        item = CommentedMap()
        item["name"] = run.name
        if run.first == run.last:
            item["date"] = run.first
        else:
            item["from"], item["to"] = run.first, run.last
        closures.append(item)
    own = []
    for raw, closure in zip(data.get("closures") or [], plan.closures, strict=True):
        if closure.start in off or closure.end in off or _OFFICIAL_NAME.search(closure.name):
            continue  # an official holiday of the old year: replaced by the new year's
        moved = move_item(raw, closure, shift)
        own.append((moved, raw, closure.name))
    for moved, raw, _ in own:
        closures.append(raw)
        result.carried.closures += moved.fits
    for i, (moved, _, title) in enumerate(own):
        if not moved.fits:
            todos.append(_Todo(("closures", len(official.closures) + i), title, moved.new))
    makeup = CommentedSeq()
    for workday in official.makeup_days:
        item = CommentedMap()
        item["date"] = workday.date
        item["follows"] = WEEKDAY_NAMES[workday.follows if workday.follows is not None else 0]
        item["name"] = workday.name
        makeup.append(item)
    for raw, day in zip(data.get("makeup_days") or [], plan.makeup_days, strict=True):
        if day.date in worked:
            continue
        moved = move_item(raw, day, shift)
        makeup.append(raw)
        if not moved.fits:
            todos.append(_Todo(("makeup_days", len(makeup) - 1), day.name or "", moved.new))
    result.carried.official_closures = len(official.closures)
    result.carried.official_makeup = len(official.makeup_days)
    result.carried.unpublished = official.unpublished
    for key, items in (("closures", closures), ("makeup_days", makeup)):
        token = _trailing(data, key) if key in data else None
        if not items:
            items.fa.set_flow_style()
        if key in data:
            data[key] = items
        else:  # where the sample has it: after the term (and the closures)
            keys = list(data)
            after = max((keys.index(k) for k in ("term", "closures") if k in data), default=-1)
            data.insert(after + 1, key, items)
        _put_trailing(data, key, token)
        data.yaml_set_comment_before_after_key(key, before=_holiday_note(key, official), indent=0)


def _holiday_note(key: str, official: OfficialDays) -> str:
    years = "、".join(map(str, official.unpublished))
    parts = [Message("I431" if key == "closures" else "I432").say("zh")]
    if official.unpublished:
        parts.append("TODO：" + Message("I433", {"years": years}).say("zh"))
    return "\n".join(parts)


def _render_events(
    events: _Events, old_name: str, new_id: str, name: str, shift: Shift, result: NewTerm
) -> _Written | None:
    data = events.data
    term = data["term"]
    term["id"], term["name"] = new_id, name
    term["first_day"], term["last_day"] = shift.first, shift.last
    header = [
        "# " + Message("I434", {"old": old_name, "new": name}).say("zh"),
        "# " + Message("I435").say("zh"),
        "#",
    ]
    written = _render(EVENTS_FILE, events.yaml, data, events.todos, shift, header)
    from generator.read.load import parse_and_validate

    checked, problems = parse_and_validate(Source(EVENTS_FILE, written.text), TermPlan)
    if checked is None:  # our own writing went wrong: nothing has been touched yet
        result.problems += problems
        return None
    return written


def _move_rosters(
    root: Path, shift: Shift, old_id: str, result: NewTerm
) -> list[tuple[_Written, str]]:
    """Every roster, moved in place; its old text is kept as `<id>.yaml.bak-<old term>`."""
    out = []
    folder = root / ROSTERS_DIR
    for path in sorted(folder.glob("*.yaml")) if folder.is_dir() else []:
        if path.name.startswith("."):
            continue
        file = f"{ROSTERS_DIR}/{path.name}"
        loaded, _ = load_file(root, file, Roster)
        if loaded is None:
            continue  # check reports it; nothing to move
        roster = loaded.model
        text = loaded.marked.source.text
        yaml = _yaml(text)
        data = yaml.load(text)
        todos: list[_Todo] = []
        parts = (
            ("rota", roster.rota, True),
            ("themes", roster.themes, False),
            ("sessions", roster.sessions, False),
        )
        counts = {"rota": 0, "themes": 0, "sessions": 0}
        for key, models, clip in parts:
            for i, (raw, model) in enumerate(zip(data.get(key) or [], models, strict=True)):
                moved = move_item(raw, model, shift, clip=clip)
                if moved.fits:
                    counts[key] += 1
                else:
                    title = getattr(model, "title", None) or getattr(model, "theme", None)
                    todos.append(_Todo((key, i), f"{roster.name}：{title or moved.old}", moved.new))
        if not any(counts.values()) and not todos:
            continue  # a roster without dates (小管 duties): nothing to move
        carried = result.carried
        carried.rosters += 1
        carried.rota += counts["rota"]
        carried.themes += counts["themes"]
        carried.sessions += counts["sessions"]
        backup = f"{ROSTERS_DIR}/{path.name}.bak-{old_id}"
        header = ["# " + Message("I436", {"file": backup}).say("zh")]
        written = _render(file, yaml, data, todos, shift, header)
        result.shifted.append(
            Message(
                "I421",
                {
                    "file": file,
                    "rota": counts["rota"],
                    "themes": counts["themes"],
                    "sessions": counts["sessions"],
                },
            )
        )
        out.append((written, backup))
    return out


def _carry_folder(
    root: Path, folder: str, old: Any, shift: Shift, new_id: str, result: NewTerm
) -> Iterator[tuple[_Written, str, str]]:
    """The festivals or displays of the old term, as new draft files moved by week."""
    model_type = CARRIABLE[folder]
    base = root / "content" / folder
    for path in sorted(base.glob("*.yaml")) if base.is_dir() else []:
        if path.name.startswith("."):
            continue
        file = f"content/{folder}/{path.name}"
        loaded, _ = load_file(root, file, model_type)
        if loaded is None:
            continue
        model: Any = loaded.model
        if not old.first_day <= model.from_ <= old.last_day:
            continue  # another term's: stays where it is
        text = loaded.marked.source.text
        yaml = _yaml(text)
        data = yaml.load(text)
        moved = move_item(data, model, shift, clip=True)
        title = getattr(model, "name", None) or getattr(model, "title", "")
        file_id = _carried_id(path.stem, new_id)
        new_file = f"content/{folder}/{file_id}.yaml"
        if not moved.fits:
            result.problems.append(
                Problem(
                    "W353",
                    Position(file),
                    {
                        "title": title,
                        "new": moved.new,
                        "first": shift.first.isoformat(),
                        "last": shift.last.isoformat(),
                    },
                )
            )
            continue
        todos: list[_Todo] = []
        stages = 0
        for i, (raw, stage) in enumerate(
            zip(data.get("stages") or [], getattr(model, "stages", []), strict=True)
        ):
            stage_moved = move_item(raw, stage, shift)
            if stage_moved.fits:
                stages += 1
            else:
                todos.append(_Todo(("stages", i), stage.title, stage_moved.new))
        if data.get("results"):
            token = _trailing(data, "results")
            data["results"] = CommentedSeq()
            data["results"].fa.set_flow_style()
            _put_trailing(data, "results", token)
            data.yaml_set_comment_before_after_key(
                "results", before=Message("I437").say("zh"), indent=0
            )
        header = [
            "# " + Message("I438", {"file": file}).say("zh"),
            "# TODO：" + Message("I439").say("zh"),
        ]
        written = _render(new_file, yaml, data, todos, shift, header)
        carried = result.carried
        if folder == "festivals":
            carried.festivals += 1
            carried.stages += stages
        else:
            carried.displays += 1
        result.shifted.append(
            Message("I420", {"old": file, "new": new_file, "from": moved.new, "title": title})
        )
        yield written, path.stem, file_id


def _carried_id(stem: str, new_id: str) -> str:
    """science-2026 → science-2026-2027-1: the new term's id after the name (without a year
    or a term id it ended with), so it is new and says which term it is for."""
    base = re.sub(r"-\d{4}(-\d{4}-[12])?$", "", stem) or stem
    return f"{base}-{new_id}"


def _archived_ids(root: Path) -> list[tuple[str, str]]:
    folder = root / TERMS_DIR
    found = []
    for path in sorted(folder.glob("*.yaml")) if folder.is_dir() else []:
        name = f"{TERMS_DIR}/{path.name}"
        loaded, _ = load_file(root, name, TermPlan)
        found.append((loaded.model.term.id if loaded else path.stem, name))
    return found


def _archived_text(text: str) -> str:
    """The same file, its schema line pointing at the schemas from content/terms/."""
    return re.sub(
        r"\A# yaml-language-server: \$schema=schemas/",
        "# yaml-language-server: $schema=../../schemas/",
        text,
    )


def _replace(path: Path, text: str) -> None:
    temp = path.with_name(f".{path.name}.tmp")
    with held():  # Ctrl+C waits: no scratch file is left beside the file
        temp.write_text(text, encoding="utf-8", newline="\n")
        os.replace(temp, path)
