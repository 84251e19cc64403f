"""`import`: a roster from a spreadsheet (.xlsx or .csv) → content/rosters/<id>.yaml.

Columns are found by their header, in Chinese or English. A sheet with a date column is a
list of sessions (and the people named in it); without one, a list of people. Every cell goes
through the same value parsers as the YAML files, and a problem names the spreadsheet row and
column. The file is written only when every row is valid and the whole site, with the new
roster in it, passes `check` (tried on a scratch copy first).
"""

from __future__ import annotations

import csv
import io
import os
import re
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from pydantic_core import PydanticCustomError

from generator import SETTINGS_FILE, pipeline
from generator.interrupt import held, mark_changed
from generator.model.roster import ROSTER_KINDS
from generator.model.settings import SiteSettings
from generator.model.values import (
    WEEKDAY_NAMES,
    did_you_mean,
    parse_date,
    parse_text,
    parse_time_range,
    parse_weekday,
    parse_yes_no,
    problem,
)
from generator.problems.messages import Message
from generator.problems.problem import BuildFailed, Position, Problem
from generator.read.load import load_file
from generator.tools.yamlwrite import Quoted, list_item_lines, scalar

ROSTERS_DIR = "content/rosters"

# field → the headers teachers write for it (compared without spaces, case or notes in
# brackets), from the sheets schools really keep; docs/import-and-new-term.md lists them all.
HEADERS: dict[str, tuple[str, ...]] = {
    "date": ("日期", "date", "day"),
    "week": ("周次", "第几周", "教学周", "week"),
    "weekday": ("星期", "星期几", "周几", "值日日", "weekday"),
    "time": ("时间", "时间段", "值日时间", "值班时间", "time"),
    "period": ("节次", "第几节", "课节", "period"),
    "class": ("班级", "班", "班别", "class"),
    "person": (
        "家长",
        "讲述人",
        "故事爸妈",
        "志愿者",
        "值班",
        "值班人",
        "值日生",
        "值日人员",
        "reader",
        "person",
        "parent",
    ),
    "title": ("故事", "书名", "故事名称", "绘本", "story", "title", "book"),
    "theme": ("主题", "theme"),
    "location": ("地点", "location", "place"),
    "name": ("姓名", "名字", "学生姓名", "家长姓名", "小管姓名", "志愿者姓名", "name"),
    "role": ("身份", "角色", "role"),
    "phone": (
        "电话",
        "手机",
        "手机号",
        "手机号码",
        "联系电话",
        "联系方式",
        "家长电话",
        "phone",
        "mobile",
        "tel",
    ),
    "public": ("公开", "public"),
}
# Columns a sheet often has that a roster has no place for: known, so not warned about
# (W983), and named once after the import (I308).
NOT_IMPORTED: tuple[str, ...] = ("序号", "编号", "备注", "说明", "签名", "no", "notes", "remarks")
_NOT_IMPORTED = {word.lower() for word in NOT_IMPORTED}
_HEADER_WORDS = {word.lower(): key for key, words in HEADERS.items() for word in words}
_SESSION_FIELDS = ("date", "time", "class", "person", "title", "theme", "location")
_NAMES_IN_A_CELL = re.compile(r"[、,，;；/／\n]+|\s+")


def parse_kind(text: str) -> str | None:
    """The roster kind a teacher names: its key (`story_parents`, `story-parents`, any
    case) or its Chinese name (`故事爸妈团`); None if it is none of them."""
    word = text.strip().lower().replace("-", "_")
    if word in ROSTER_KINDS:
        return word
    by_name = {name: key for key, name in ROSTER_KINDS.items()}
    return by_name.get(text.strip())


_NOTE = re.compile(r"[（(][^）)]*[）)]|[\s:：*＊]")


def normalise_header(text: str) -> str:
    return _NOTE.sub("", text).lower()


@dataclass
class Sheet:
    """Rows of cells as the spreadsheet program numbers them (row 1 is the first)."""

    name: str
    rows: list[tuple[int, list[Any]]]
    is_csv: bool


@dataclass
class Imported:
    """What a sheet gave: the roster's people and sessions, and the row each came from."""

    people: list[tuple[int, dict[str, str]]] = field(default_factory=list)
    sessions: list[tuple[int, dict[str, str]]] = field(default_factory=list)
    duties: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    # the known columns a roster has no place for (序号, 备注 …), in both languages
    ignored: list[dict[str, str]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    bad_rows: set[int] = field(default_factory=set)
    columns: dict[str, int] = field(default_factory=dict)  # field → 1-based column


def read_sheet(path: Path, name: str) -> Sheet | Problem:
    suffix = path.suffix.lower()
    try:
        if suffix == ".csv":
            return Sheet(name, _csv_rows(path.read_bytes()), is_csv=True)
        if suffix in (".xlsx", ".xlsm"):
            book = load_workbook(path, read_only=True, data_only=True)
            try:
                sheet = book.worksheets[0]
                rows = [
                    (n, list(cells))
                    for n, cells in enumerate(sheet.iter_rows(min_row=1, values_only=True), 1)
                ]
            finally:
                book.close()
            return Sheet(name, rows, is_csv=False)
    except UnicodeError:
        return Problem("E980", Position(name), {"reason": Message("I305")})
    except Exception as exc:  # openpyxl raises many kinds for a damaged or foreign file
        return Problem("E980", Position(name), {"reason": str(exc) or type(exc).__name__})
    return Problem("E980", Position(name), {"reason": Message("I306", {"suffix": suffix})})


def _csv_rows(data: bytes) -> list[tuple[int, list[Any]]]:
    """UTF-8 (with or without BOM), else GBK as Excel on Chinese Windows saves a CSV."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise UnicodeError("UTF-16")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("gb18030")  # a superset of GBK; raises UnicodeError if not that
    return [(n, list(r)) for n, r in enumerate(csv.reader(io.StringIO(text, newline="")), 1)]


def _cell(value: Any) -> Any:
    """A cell as a value parser takes it: text stripped, empty as None, numbers as typed."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, str):
        return value.strip() or None
    return value  # datetime, date, time from openpyxl


def _date_cell(value: Any) -> str:
    if isinstance(value, datetime):
        return value.date().isoformat()
    return parse_date(value).isoformat()


def _time_cell(value: Any) -> str:
    if isinstance(value, datetime):  # a time-only cell read as a day in 1899 or 1900
        value = value.time()
    if isinstance(value, time):
        return f"{value.hour}:{value.minute:02d}"
    if not isinstance(value, str):
        raise problem("E206", value=str(value))
    parsed = parse_time_range(value)
    shown = [f"{t.hour}:{t.minute:02d}" for t in (parsed.start, parsed.end) if t]
    return "-".join(shown)


def _text_cell(value: Any) -> str:
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    return parse_text(value)


def _yes_no_cell(value: Any) -> str:
    return "是" if parse_yes_no(value) else "否"


def _weekday_cell(value: Any) -> str:
    return WEEKDAY_NAMES[parse_weekday(_text_cell(value))]


_WEEK_NUMBER = re.compile(r"^\s*第?\s*0*(\d{1,2})\s*周?\s*$")


def _week_cell(value: Any) -> str:
    """A teaching week as a sheet writes it: 3, 第3周, 3周."""
    match = _WEEK_NUMBER.match(_text_cell(value))
    if not match or not 1 <= int(match.group(1)) <= 30:
        raise problem("E210", field="周次", value=_text_cell(value))
    return match.group(1)


def header_words(headers: dict[str, tuple[str, ...]]) -> dict[str, str]:
    """Each header a teacher may write, as `normalise_header` makes it → its field."""
    return {normalise_header(word): key for key, words in headers.items() for word in words}


def find_header_row(
    sheet: Sheet, words: dict[str, str] | None = None
) -> tuple[int, list[Any]] | None:
    """The first row naming a known column (a title row above the table is common); `words`:
    the headers of the sheet's kind (a roster's by default)."""
    words = _HEADER_WORDS if words is None else words
    first = None
    for number, cells in sheet.rows[:20]:
        texts = [str(c).strip() for c in cells if c is not None and str(c).strip()]
        if texts and first is None:
            first = (number, cells)
        if any(normalise_header(t) in words for t in texts):
            return number, cells
    return first


def parse_sheet(sheet: Sheet, classes: list[str], first_day: date | None = None) -> Imported:
    """The sheet's rows as people, sessions or weekly duties, by the columns it has: a date
    (or a teaching week and a weekday, counted from the term's `first_day`) makes each row a
    session; a weekday alone, a weekly duty; neither, a person."""
    result = Imported()
    header = find_header_row(sheet)
    if header is None:
        result.problems.append(Problem("E982", Position(sheet.name), {}))
        return result
    header_row, header_cells = header
    titles = map_columns(sheet, header_row, header_cells, result)
    columns = set(result.columns)
    by_week = "date" not in columns and {"week", "weekday"} <= columns
    sessions = "date" in columns or by_week
    duties = not sessions and "weekday" in columns
    at_header = Position(sheet.name, header_row, 1)
    if not sessions and not duties and not {"name", "person"} & columns:
        result.problems.append(Problem("E982", at_header, {}))
        return result
    if by_week and first_day is None:
        result.problems.append(Problem("E420", at_header, {}))
        return result
    if duties and "class" not in columns:
        col = result.columns["weekday"]
        where = cell_where(sheet, header_row, col)
        result.problems.append(
            Problem(
                "E422",
                Position(sheet.name, header_row, col),
                {**where, "header": titles[col]},
            )
        )
        return result
    parsers: dict[str, Callable[[Any], str]] = {
        "date": _date_cell,
        "time": _time_cell,
        "public": _yes_no_cell,
        "weekday": _weekday_cell,
        "week": _week_cell,
    }
    if sessions:
        required = ("week", "weekday") if by_week else ("date",)
    elif duties:
        required = ("weekday", "class")
    else:
        required = ("name",) if "name" in columns else ("person",)
    people: dict[str, tuple[int, dict[str, str]]] = {}
    rota: dict[tuple[str, ...], tuple[int, dict[str, Any]]] = {}
    for number, cells in sheet.rows:
        if number <= header_row or all(_cell(c) is None for c in cells):
            continue
        values: dict[str, str] = {}
        for key, col in result.columns.items():
            raw = _cell(cells[col - 1]) if col <= len(cells) else None
            if raw is None and key not in required:
                continue
            try:
                if raw is None:
                    raise problem("E202", field=titles[col])
                value = parsers.get(key, _text_cell)(raw)
                if key == "class" and classes and value not in classes:
                    raise problem("E408", value=value, suggestion=did_you_mean(value, classes))
            except PydanticCustomError as exc:
                result.problems.append(cell_problem(sheet, number, col, titles[col], exc))
                result.bad_rows.add(number)
                continue
            values[key] = value
        if number in result.bad_rows:
            continue
        if sessions:
            try:
                _date_of_row(values, first_day)
            except PydanticCustomError as exc:
                col = result.columns["weekday"]
                result.problems.append(cell_problem(sheet, number, col, titles[col], exc))
                result.bad_rows.add(number)
                continue
            result.sessions.append((number, {k: values[k] for k in _SESSION_FIELDS if k in values}))
            who = values.get("person") or values.get("name")
            if who:
                values["person"] = who
                result.sessions[-1][1]["person"] = who
                person = {"name": who, **_person_fields(values, with_class=False)}
                _merge_person(people, number, person)
        elif duties:
            names = [n for n in _NAMES_IN_A_CELL.split(values.get("name") or "") if n]
            names += [n for n in _NAMES_IN_A_CELL.split(values.get("person") or "") if n]
            slot = tuple(values.get(k, "") for k in ("class", "weekday", "time", "period"))
            duty = rota.setdefault(
                slot,
                (
                    number,
                    {k: values[k] for k in ("class", "weekday", "time", "period") if k in values},
                ),
            )[1]
            duty.setdefault("people", [])
            duty["people"] += [n for n in names if n not in duty["people"]]
            for n in names:
                fields = _person_fields(values, with_class=True)
                if len(names) > 1:  # one phone in a cell of several names is nobody's
                    fields.pop("phone", None)
                _merge_person(people, number, {"name": n, **fields})
        else:
            if "name" not in values:
                values["name"] = values.pop("person")
            person = {"name": values["name"], **_person_fields(values, with_class=True)}
            _merge_person(people, number, person)
    result.people = list(people.values())
    result.duties = [(row, {k: v for k, v in d.items() if v}) for row, d in rota.values()]
    return result


def map_columns(
    sheet: Sheet,
    header_row: int,
    header_cells: list[Any],
    result: Imported,
    words: dict[str, str] | None = None,
    not_imported: set[str] | None = None,
    unknown: str = "W983",
) -> dict[int, str]:
    """Each column's header as written, and the field it is (in `result.columns`); an
    unknown header is `unknown` (a roster's W983), a second column for one field E984.
    `words` and `not_imported`: the sheet kind's headers (a roster's by default)."""
    words = _HEADER_WORDS if words is None else words
    not_imported = _NOT_IMPORTED if not_imported is None else not_imported
    titles: dict[int, str] = {}
    for col, cell in enumerate(header_cells, 1):
        text = "" if cell is None else str(cell).strip()
        if not text:
            continue
        titles[col] = text
        word = normalise_header(text)
        key = words.get(word)
        at = Position(sheet.name, header_row, col)
        where = cell_where(sheet, header_row, col)
        if key is None and word in not_imported:
            letter = get_column_letter(col)
            result.ignored.append(
                {"zh": f"{text}（{letter} 列）", "en": f"{text} (column {letter})"}
            )
        elif key is None:
            result.problems.append(
                Problem(
                    unknown,
                    at,
                    {**where, "header": text, "suggestion": did_you_mean(word, list(words))},
                )
            )
        elif key in result.columns:
            first = titles[result.columns[key]]
            result.problems.append(Problem("E984", at, {**where, "header": text, "first": first}))
        else:
            result.columns[key] = col
    return titles


def _date_of_row(values: dict[str, str], first_day: date | None) -> None:
    """A session's date from its teaching week and weekday (week 1 is the week, Monday to
    Sunday, of the term's first day), or the written date checked against the weekday."""
    weekday = values.pop("weekday", None)
    week = values.pop("week", None)
    if "date" not in values:
        assert first_day is not None and week is not None and weekday is not None
        monday = first_day - timedelta(days=first_day.weekday())
        day = monday + timedelta(weeks=int(week) - 1, days=WEEKDAY_NAMES.index(weekday))
        values["date"] = day.isoformat()
        return
    day = date.fromisoformat(values["date"])
    if weekday is not None and WEEKDAY_NAMES[day.weekday()] != weekday:
        raise problem(
            "E421", date=values["date"], actual=WEEKDAY_NAMES[day.weekday()], written=weekday
        )


def _person_fields(values: dict[str, str], with_class: bool) -> dict[str, str]:
    keys = ("class", "role", "phone", "public") if with_class else ("role", "phone", "public")
    return {k: values[k] for k in keys if k in values}


def _merge_person(people: dict[str, tuple[int, dict[str, str]]], row: int, person: dict) -> None:
    """A person named on several rows is listed once, with what any row says about them."""
    if person["name"] in people:
        known = people[person["name"]][1]
        for key, value in person.items():
            known.setdefault(key, value)
    else:
        people[person["name"]] = (row, person)


def cell_where(sheet: Sheet, row: int, col: int) -> dict[str, Any]:
    return {"row": row, "index": col, "letter": get_column_letter(col)}


def cell_problem(
    sheet: Sheet, row: int, col: int, header: str, exc: PydanticCustomError
) -> Problem:
    """E981: a cell's value is wrong, at the cell, with the value check's own words."""
    inner = Problem(exc.type, Position(sheet.name), exc.context or {})
    return Problem(
        "E981",
        Position(sheet.name, row, col),
        {
            **cell_where(sheet, row, col),
            "header": header,
            "code": exc.type,
            "detail": {"zh": inner.message("zh"), "en": inner.message("en")},
            "hint": {"zh": inner.hint("zh"), "en": inner.hint("en")},
        },
    )


def render_roster(
    roster_id: str, kind: str, name: str, source: str, imported: Imported
) -> tuple[str, dict[int, int]]:
    """The roster file in the house style, and which spreadsheet row each line came from."""
    lines = [
        "# yaml-language-server: $schema=../../schemas/roster.schema.json",
        f"# {name}：从 {source} 导入。",
        "# 电话只给老师看，网站上不显示；public: 否 的人，名字也不会显示。",
        "",
        f"name: {scalar(name)}",
        f"kind: {kind}",
    ]
    rows: dict[int, int] = {}

    def block(title: str, comment: str, items: list[tuple[int, dict[str, str]]]) -> None:
        lines.extend(["", f"# {comment}", f"{title}:"])
        for row, item in items:
            for line in list_item_lines(item, 2):
                lines.append(line)
                rows[len(lines)] = row

    if imported.people:
        people = [
            (row, {k: Quoted(v) if k == "phone" else v for k, v in person.items()})
            for row, person in imported.people
        ]
        block("people", "名单：每人一项。", people)
    if imported.sessions:
        block("sessions", "场次：表格里的每一行是一场。", imported.sessions)
    if imported.duties:
        block("duties", "每周值日：同一班、同一天、同一时间的人合为一项。", imported.duties)
    return "\n".join(lines) + "\n", rows


@dataclass
class ImportResult:
    problems: list[Problem]
    written: Path | None = None
    backup: Path | None = None
    people: int = 0
    sessions: int = 0
    duties: int = 0
    skipped: list[int] = field(default_factory=list)
    ignored: list[dict[str, str]] = field(default_factory=list)  # columns not imported


def import_roster(
    root: Path,
    file: Path,
    roster_id: str,
    *,
    kind: str = "story_parents",
    name: str | None = None,
    force: bool = False,
    skip_bad: bool = False,
    today: date | None = None,
) -> ImportResult:
    shown = file.name
    target = root / ROSTERS_DIR / f"{roster_id}.yaml"
    target_name = f"{ROSTERS_DIR}/{roster_id}.yaml"
    if target.exists() and not force:
        return ImportResult([Problem("E985", Position(target_name), {"file": target_name})])
    sheet = read_sheet(file, shown)
    if isinstance(sheet, Problem):
        return ImportResult([sheet])
    settings, problems = load_file(root, SETTINGS_FILE, SiteSettings)
    if settings is None:
        return ImportResult(problems)
    imported = parse_sheet(sheet, list(settings.model.classes), _first_day(root))
    roster_name = name or ROSTER_KINDS[kind]
    if any(p.is_error and p.code != "E981" for p in imported.problems):
        return ImportResult(imported.problems)  # a problem with the sheet, not with a row
    while True:
        # The good rows are checked with the whole site too, so every problem shows at once.
        text, line_rows = render_roster(roster_id, kind, roster_name, shown, imported)
        later = _check_with(root, target_name, text, line_rows, sheet, imported, today)
        new_bad = {p.position.line for p in later} - imported.bad_rows
        imported.problems += later
        if not new_bad:
            break
        imported.bad_rows |= new_bad
        imported.people = [(r, p) for r, p in imported.people if r not in new_bad]
        imported.sessions = [(r, s) for r, s in imported.sessions if r not in new_bad]
        imported.duties = [(r, d) for r, d in imported.duties if r not in new_bad]
    if any(p.is_error for p in imported.problems) and not (skip_bad and not later):
        return ImportResult(imported.problems)
    backup = _write(target, text)
    return ImportResult(
        imported.problems,
        written=target,
        backup=backup,
        people=len(imported.people),
        sessions=len(imported.sessions),
        duties=len(imported.duties),
        skipped=sorted(imported.bad_rows),
        ignored=imported.ignored,
    )


def _first_day(root: Path) -> date | None:
    """The current term's first day, for a sheet that gives teaching weeks (周次) instead of
    dates; None without a readable events.yaml (the sheet is then refused, E420)."""
    from generator.model.term import TermPlan

    if not (root / "events.yaml").is_file():
        return None
    loaded, _ = load_file(root, "events.yaml", TermPlan)
    return loaded.model.term.first_day if loaded is not None else None


def _check_with(
    root: Path,
    target_name: str,
    text: str,
    line_rows: dict[int, int],
    sheet: Sheet,
    imported: Imported,
    today: date | None,
) -> list[Problem]:
    """Problems `check` finds in the new roster (term dates, closures, clashes), at the
    spreadsheet rows they came from. Tried on a scratch copy: the site is not touched."""
    with tempfile.TemporaryDirectory(prefix="import-") as scratch:
        copy = Path(scratch) / "site"
        copy.mkdir()
        if (root / "events.yaml").exists():
            shutil.copy2(root / "events.yaml", copy / "events.yaml")
        if (root / "content").is_dir():
            shutil.copytree(root / "content", copy / "content", ignore=_not_yaml)
        (copy / target_name).parent.mkdir(parents=True, exist_ok=True)
        (copy / target_name).write_text(text, encoding="utf-8")
        try:
            pipeline.check(copy, today or date.today())
        except BuildFailed as failed:
            found = [p for p in failed.report.errors if p.position.file == target_name]
        else:
            return []
    problems = []
    col = imported.columns.get("date", 1)
    for p in found:
        row = line_rows.get(p.position.line, 0)
        problems.append(
            Problem(
                "E988",
                Position(sheet.name, row, col),
                {
                    "row": row,
                    "code": p.code,
                    "detail": {"zh": p.message("zh"), "en": p.message("en")},
                    "hint": {"zh": p.hint("zh"), "en": p.hint("en")},
                },
            )
        )
    return problems


def _not_yaml(folder: str, names: list[str]) -> list[str]:
    """Only the YAML files and folders matter to `check`; images and backups stay behind."""
    return [n for n in names if not (n.endswith(".yaml") or os.path.isdir(Path(folder) / n))]


def _write(target: Path, text: str) -> Path | None:
    """Keep the old file as `<id>.yaml.bak-YYYYMMDD-HHMMSS`, then swap the new one in.
    Ctrl+C waits for it (milliseconds): never a backup or a scratch file left alone."""
    with held():
        backup = _write_held(target, text)
    mark_changed()
    return backup


def _write_held(target: Path, text: str) -> Path | None:
    target.parent.mkdir(parents=True, exist_ok=True)
    backup = None
    if target.exists():
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        backup = target.with_name(f"{target.name}.bak-{stamp}")
        n = 1
        while backup.exists():
            n += 1
            backup = target.with_name(f"{target.name}.bak-{stamp}-{n}")
        shutil.copy2(target, backup)
    temp = target.with_name(f".{target.name}.tmp")
    temp.write_text(text, encoding="utf-8", newline="\n")
    os.replace(temp, target)
    return backup
