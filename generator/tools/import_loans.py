"""`import-loans`: a library system's export (.xlsx or .csv) → content/stats/<term-id>.yaml.

Two kinds of sheet are read, told apart by their columns (found by their header, in Chinese or
English, the way the roster import finds them: generator/tools/import_roster.py):

- a list of loans, one row each: 日期 and 班级, and any of 读者 / 借书证号, 书名, 条码, ISBN,
  作者 …: counted per class and month, readers per class (distinct names or card numbers:
  only how many), and the most borrowed titles;
- a table of totals: 班级, 月份 and 借阅册数, one row per class and month.

The term is the one the dates fall in (the term ids of events.yaml and content/terms/), or
`--term`. Every cell is checked (problems at `FILE:row:column`), and nothing is written unless
every row is good. The file written holds numbers only: a reader's name or card number never
leaves this module.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from pydantic_core import PydanticCustomError

from generator import SETTINGS_FILE
from generator.kinds.stats import TOP_BOOKS, term_months
from generator.model.display import isbn_digits
from generator.model.settings import SiteSettings
from generator.model.term import Term, TermPlan
from generator.model.values import (
    Month,
    class_name,
    did_you_mean,
    parse_date,
    parse_month,
    parse_text,
    problem,
)
from generator.problems.problem import Position, Problem
from generator.read.load import load_file
from generator.tools.import_roster import (
    Imported,
    Sheet,
    _cell,
    _write,
    cell_problem,
    find_header_row,
    header_words,
    map_columns,
    read_sheet,
)
from generator.tools.yamlwrite import scalar

STATS_DIR = "content/stats"

# field → the headers library systems (and teachers) write for it; docs/import-and-new-term.md
# lists them all.
HEADERS: dict[str, tuple[str, ...]] = {
    "date": (
        "日期",
        "借阅日期",
        "借书日期",
        "借出日期",
        "借阅时间",
        "借书时间",
        "借出时间",
        "date",
        "loan date",
        "borrowed",
    ),
    "class": ("班级", "班", "班别", "读者班级", "所在班级", "class"),
    "reader": ("读者", "读者姓名", "姓名", "学生姓名", "借阅人", "借书人", "reader", "name"),
    "card": (
        "借书证号",
        "借书证",
        "读者证号",
        "证号",
        "读者条码",
        "读者编号",
        "学号",
        "card",
        "card number",
        "reader id",
    ),
    "title": ("书名", "题名", "正题名", "图书名称", "书刊名称", "title", "book"),
    "barcode": ("条码", "条码号", "图书条码", "册条码", "条形码", "barcode"),
    "isbn": ("ISBN", "国际标准书号"),
    "author": ("作者", "责任者", "著者", "author"),
    "month": ("月份", "统计月份", "month"),
    "loans": ("借阅册数", "借阅量", "借阅次数", "借出册数", "借阅数", "册数", "loans", "count"),
}
# Columns exports often have that statistics need not: known, so not warned about.
NOT_IMPORTED: tuple[str, ...] = (
    "序号",
    "编号",
    "备注",
    "索书号",
    "应还日期",
    "还书日期",
    "归还日期",
    "读者类型",
    "馆藏地",
    "出版社",
    "价格",
    "分类号",
    "合计",
    "总计",
    "no",
    "notes",
    "call number",
    "due",
    "returned",
    "total",
)
# a totals table's own sum row: not a class (the sums are made again from the classes)
TOTAL_ROWS = frozenset({"合计", "总计", "小计", "全校", "total", "sum"})
_WORDS = header_words(HEADERS)
_NOT_IMPORTED = set(header_words({"": NOT_IMPORTED}))
_DATE_TIME = re.compile(r"^\s*(\S+)\s+\d{1,2}:\d{2}(?::\d{2})?\s*$")
_COUNT = re.compile(r"^\s*(\d{1,7})\s*(?:册|次|本)?\s*$")


@dataclass
class LoanCounts:
    """What the rows add up to: no reader in it, only how many per class."""

    term: Term | None = None
    loans: Counter[tuple[str, Month]] = field(default_factory=Counter)
    readers: dict[str, set[str]] = field(default_factory=dict)  # class → ids, never written
    books: Counter[str] = field(default_factory=Counter)
    authors: dict[str, str] = field(default_factory=dict)
    isbns: dict[str, str] = field(default_factory=dict)
    rows: int = 0


@dataclass
class LoanImport:
    problems: list[Problem]
    written: Path | None = None
    backup: Path | None = None
    loans: int = 0
    classes: int = 0
    months: int = 0
    books: int = 0
    readers_counted: bool = False  # the sheet named readers: only their number was kept


def _date_cell(value: Any) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        match = _DATE_TIME.match(value)  # 2025-09-08 10:23:45, as exports write a loan
        if match:
            value = match.group(1)
    return parse_date(value)


def _month_cell(value: Any) -> Month:
    if isinstance(value, datetime | date):
        return Month(value.year, value.month)
    return parse_month(value)


def _count_cell(value: Any) -> int:
    match = _COUNT.match(str(value))
    if not match:
        raise problem("E817", value=str(value))
    return int(match.group(1))


def _terms(root: Path) -> tuple[list[Term], list[Problem]]:
    """Every term the site has: events.yaml and the archived ones."""
    names = ["events.yaml"] if (root / "events.yaml").is_file() else []
    terms_dir = root / "content" / "terms"
    if terms_dir.is_dir():
        names += [f"content/terms/{p.name}" for p in sorted(terms_dir.glob("*.yaml"))]
    terms, problems = [], []
    for name in names:
        loaded, found = load_file(root, name, TermPlan)
        problems += found
        if loaded is not None:
            terms.append(loaded.model.term)
    return terms, problems


def count_loans(
    sheet: Sheet, classes: list[str], terms: list[Term], term_id: str | None = None
) -> tuple[LoanCounts, list[Problem]]:
    """The sheet's rows added up: per class and month, readers per class, titles. Problems
    name the row and column; `term_id` picks the term (else the one every date falls in)."""
    counts = LoanCounts()
    result = Imported()
    header = find_header_row(sheet, _WORDS)
    if header is None:
        return counts, [Problem("E810", Position(sheet.name), {"missing": _missing(["date"])})]
    header_at, header_cells = header
    titles = map_columns(sheet, header_at, header_cells, result, _WORDS, _NOT_IMPORTED, "W815")
    columns = set(result.columns)
    chosen = next((t for t in terms if t.id == term_id), None)
    wide = _month_headers(header_cells)
    if wide and "class" in columns and not {"date", "month"} & columns:
        # a column per month (班级 | 9月 | 10月 …): no header is unknown, every cell a total
        result.problems = [
            p for p in result.problems if not (p.code == "W815" and p.position.col in wide)
        ]
        return _count_wide(sheet, header_at, titles, result, wide, classes, terms, chosen)
    problems = result.problems
    totals = "date" not in columns and {"month", "loans"} <= columns
    needed = ["month", "class", "loans"] if totals else ["date", "class"]
    missing = [k for k in needed if k not in columns]
    if missing:
        at = Position(sheet.name, header_at, 1)
        return counts, [*problems, Problem("E810", at, {"missing": _missing(missing)})]
    parsers: dict[str, Callable[[Any], Any]] = {
        "date": _date_cell,
        "month": _month_cell,
        "loans": _count_cell,
        "class": _class_cell(classes),
    }
    by_term: dict[str, list[int]] = {}
    good: list[tuple[int, dict[str, Any]]] = []
    class_col = result.columns["class"]
    for number, cells in sheet.rows:
        if number <= header_at or all(_cell(c) is None for c in cells):
            continue
        if totals and _is_total_row(cells, class_col):
            continue
        values: dict[str, Any] = {}
        bad = False
        for key, col in result.columns.items():
            raw = _cell(cells[col - 1]) if col <= len(cells) else None
            if raw is None and key not in needed:
                continue
            try:
                if raw is None:
                    raise problem("E202", field=titles[col])
                values[key] = parsers.get(key, parse_text)(raw)
                if key in ("date", "month"):
                    term = _term_of(values[key], terms, chosen)
                    values["term"] = term
            except PydanticCustomError as exc:
                problems.append(cell_problem(sheet, number, col, titles[col], exc))
                bad = True
        if bad:
            continue
        by_term.setdefault(values["term"].id, []).append(number)
        good.append((number, values))
    return _counted(sheet, header_at, good, by_term, problems, totals)


def _counted(
    sheet: Sheet,
    header_at: int,
    good: list[tuple[int, dict[str, Any]]],
    by_term: dict[str, list[int]],
    problems: list[Problem],
    totals: bool,
) -> tuple[LoanCounts, list[Problem]]:
    """The good rows added up, if they are of one term (E812) and there are any (E814)."""
    counts = LoanCounts()
    if len(by_term) > 1:
        shown = {
            "zh": "、".join(f"{t}（{len(r)} 行）" for t, r in by_term.items()),
            "en": ", ".join(f"{t} ({len(r)} rows)" for t, r in by_term.items()),
        }
        problems.append(Problem("E812", Position(sheet.name), {"terms": shown}))
        return counts, problems
    if not good and not any(p.is_error for p in problems):
        problems.append(Problem("E814", Position(sheet.name, header_at, 1), {}))
    for _, values in good:
        _add(counts, values, totals)
    return counts, problems


_MONTH_HEADER = re.compile(r"^\s*(?:(\d{4})\s*[-/.年]\s*)?0?(\d{1,2})\s*(?:月份?)?\s*$")
_MONTH_WORDS = {w: i for i, w in enumerate("一二三四五六七八九十", start=1)} | {
    "十一": 11,
    "十二": 12,
}


def _month_headers(cells: list[Any]) -> dict[int, tuple[int | None, int]]:
    """The columns whose header is a month: 2025-09, 2025年9月, 9月, 九月 (or an Excel date),
    as (year or None, month). A bare number is not a month: it must say 月 or have a year."""
    found: dict[int, tuple[int | None, int]] = {}
    for col, cell in enumerate(cells, 1):
        if isinstance(cell, datetime | date):
            found[col] = (cell.year, cell.month)
            continue
        text = "" if cell is None else str(cell).strip()
        words = text.removesuffix("份").removesuffix("月")
        if text.endswith(("月", "月份")) and words in _MONTH_WORDS:
            found[col] = (None, _MONTH_WORDS[words])
            continue
        match = _MONTH_HEADER.match(text)
        if match and (match.group(1) or "月" in text) and 1 <= int(match.group(2)) <= 12:
            year = int(match.group(1)) if match.group(1) else None
            found[col] = (year, int(match.group(2)))
    return found


def _month_of_header(
    year: int | None, month: int, terms: list[Term], chosen: Term | None, numbers: set[int]
) -> Month:
    """A month header's month: with its year as written; without, the month of that number
    in `chosen`, or in the one term whose months have every number the headers name."""
    if year is not None:
        return Month(year, month)
    if chosen is not None:
        candidates = [chosen]
    else:
        candidates = [
            t for t in terms if numbers <= {m.month for m in term_months(t.first_day, t.last_day)}
        ]
    if len(candidates) != 1:
        names = "、".join(t.id for t in candidates) or "—"
        raise problem("E818", value=f"{month}月", terms=names)
    return next(
        m for m in term_months(candidates[0].first_day, candidates[0].last_day) if m.month == month
    )


def _count_wide(
    sheet: Sheet,
    header_at: int,
    titles: dict[int, str],
    result: Imported,
    wide: dict[int, tuple[int | None, int]],
    classes: list[str],
    terms: list[Term],
    chosen: Term | None,
) -> tuple[LoanCounts, list[Problem]]:
    """A table with a row per class and a column per month, each cell that month's loans."""
    problems = result.problems
    numbers = {m for _, m in wide.values()}
    months: dict[int, tuple[Month, Term]] = {}
    for col, (year, number) in wide.items():
        try:
            month = _month_of_header(year, number, terms, chosen, numbers)
            months[col] = (month, _term_of(month, terms, chosen))
        except PydanticCustomError as exc:
            problems.append(cell_problem(sheet, header_at, col, titles[col], exc))
    if len(months) < len(wide):
        return LoanCounts(), problems
    class_col = result.columns["class"]
    parse_class = _class_cell(classes)
    by_term: dict[str, list[int]] = {}
    good: list[tuple[int, dict[str, Any]]] = []
    for number, cells in sheet.rows:
        if number <= header_at or all(_cell(c) is None for c in cells):
            continue
        if _is_total_row(cells, class_col):
            continue
        raw = _cell(cells[class_col - 1]) if class_col <= len(cells) else None
        try:
            if raw is None:
                raise problem("E202", field=titles[class_col])
            klass = parse_class(raw)
        except PydanticCustomError as exc:
            problems.append(cell_problem(sheet, number, class_col, titles[class_col], exc))
            continue
        for col, (month, term) in months.items():
            value = _cell(cells[col - 1]) if col <= len(cells) else None
            if value is None:
                continue  # an empty cell: no loans that month
            try:
                loans = _count_cell(value)
            except PydanticCustomError as exc:
                problems.append(cell_problem(sheet, number, col, titles[col], exc))
                continue
            row = {"class": klass, "month": month, "loans": loans, "term": term}
            by_term.setdefault(term.id, []).append(number)
            good.append((number, row))
    return _counted(sheet, header_at, good, by_term, problems, totals=True)


def _is_total_row(cells: list[Any], class_col: int) -> bool:
    """A totals table's 合计 row (its class cell says so)."""
    raw = _cell(cells[class_col - 1]) if class_col <= len(cells) else None
    return str(raw).strip().lower() in TOTAL_ROWS


def _missing(keys: list[str]) -> dict[str, str]:
    zh = {"date": "日期", "class": "班级", "month": "月份", "loans": "借阅册数"}
    return {
        "zh": "“" + "”“".join(zh[k] for k in keys) + "”",
        "en": " / ".join(f"'{k}'" for k in keys),
    }


# how library systems write a class: 一年级2班, 一年级(2)班, 1年级2班, 一2班
_SYSTEM_CLASS = re.compile(r"^([一二三四五六七八九1-9])(?:年级)?[(（]?0*(\d{1,2})[)）]?班$")
_GRADE_WORDS = dict(zip("123456789", "一二三四五六七八九", strict=True))


def _site_class(name: str, classes: list[str]) -> str:
    """The class list's name for a class as a library system writes it (一年级2班 is
    一(2)班), when the list has it; else the name as written."""
    match = _SYSTEM_CLASS.match(name)
    if match is None or name in classes:
        return name
    grade = _GRADE_WORDS.get(match.group(1), match.group(1))
    shown = f"{grade}({int(match.group(2))})班"
    return shown if shown in classes else name


def _class_cell(classes: list[str]) -> Callable[[Any], str]:
    def parse(value: Any) -> str:
        name = _site_class(class_name(value), classes)
        if classes and name not in classes:
            raise problem("E408", value=name, suggestion=did_you_mean(name, classes))
        return name

    return parse


def _term_of(when: date | Month, terms: list[Term], chosen: Term | None) -> Term:
    """The term of a loan's date (or a total's month): `chosen`, if it was given."""
    if isinstance(when, Month):
        found = [t for t in terms if when in term_months(t.first_day, t.last_day)]
        shown = str(when)
    else:
        found = [t for t in terms if t.first_day <= when <= t.last_day]
        shown = when.isoformat()
    if chosen is not None:
        if chosen in found:
            return chosen
        raise problem(
            "E802",
            month=shown,
            term=chosen.name,
            first=chosen.first_day.isoformat(),
            last=chosen.last_day.isoformat(),
        )
    if not found:
        raise problem("E811", value=shown)
    return found[0]


def _add(counts: LoanCounts, values: dict[str, Any], totals: bool) -> None:
    counts.term = values["term"]
    klass = values["class"]
    if totals:
        counts.loans[(klass, values["month"])] += values["loans"]
        counts.rows += values["loans"]
        return
    counts.rows += 1
    counts.loans[(klass, Month.of(values["date"]))] += 1
    who = values.get("card") or values.get("reader")
    if who:
        counts.readers.setdefault(klass, set()).add(who)
    title = values.get("title")
    if title:
        counts.books[title] += 1
        if values.get("author"):
            counts.authors.setdefault(title, values["author"])
        isbn = values.get("isbn")
        if isbn and title not in counts.isbns:
            try:
                isbn_digits(isbn)
            except PydanticCustomError:
                pass  # a catalogue's typo is not a loan's problem: the title is enough
            else:
                counts.isbns[title] = isbn


def _flow(item: dict[str, Any]) -> str:
    parts = []
    for key, value in item.items():
        text = scalar(str(value))
        if any(c in text for c in ",[]{}"):  # they end a value inside { }
            text = json.dumps(str(value), ensure_ascii=False)
        parts.append(f"{key}: {text}")
    return "{" + ", ".join(parts) + "}"


def render_stats(counts: LoanCounts, source: str, classes: list[str]) -> str:
    """The statistics file in the house style: numbers only, in the class list's order."""
    assert counts.term is not None
    term = counts.term
    order = {name: i for i, name in enumerate(classes)}
    keys = sorted(counts.loans, key=lambda k: (order.get(k[0], len(order)), k[0], k[1]))
    lines = [
        "# yaml-language-server: $schema=../../schemas/stats.schema.json",
        f"# {term.name}借阅统计：从 {source} 导入（{counts.rows} 次借阅）。",
        "# 只有数字：每班每月借出的册数、每班借过书的人数和借得最多的书，没有读者的名字。",
        "",
        f"source: {scalar(source)}",
        "",
        "# 每班每月借出的册数",
        "loans:",
        *(f"  - {_flow({'class': c, 'month': m, 'loans': counts.loans[(c, m)]})}" for c, m in keys),
    ]
    if counts.readers:
        lines += ["", "# 每班借过书的学生人数（只记人数）", "readers:"]
        names = sorted(counts.readers, key=lambda c: (order.get(c, len(order)), c))
        lines += [f"  - {_flow({'class': c, 'readers': len(counts.readers[c])})}" for c in names]
    if counts.books:
        first_seen = {title: i for i, title in enumerate(counts.books)}
        top = sorted(counts.books, key=lambda t: (-counts.books[t], first_seen[t]))[:TOP_BOOKS]
        lines += ["", f"# 借得最多的 {len(top)} 本书", "books:"]
        for title in top:
            book: dict[str, Any] = {"title": title, "loans": counts.books[title]}
            if title in counts.authors:
                book["author"] = counts.authors[title]
            if title in counts.isbns:
                book["isbn"] = counts.isbns[title]
            lines.append(f"  - {_flow(book)}")
    return "\n".join(lines) + "\n"


def import_loans(
    root: Path, file: Path, *, term_id: str | None = None, force: bool = False
) -> LoanImport:
    """Read the sheet, count, and write content/stats/<term>.yaml (a backup of one there,
    with `force`); nothing is written when any row has a problem."""
    sheet = read_sheet(file, file.name)
    if isinstance(sheet, Problem):
        return LoanImport([sheet])
    settings, problems = load_file(root, SETTINGS_FILE, SiteSettings)
    if settings is None:
        return LoanImport(problems)
    terms, problems = _terms(root)
    if any(p.is_error for p in problems):  # a term file's warnings are `check`'s to say
        return LoanImport(problems)
    ids = [t.id for t in terms]
    if term_id is not None and term_id not in ids:
        params = {
            "value": term_id,
            "suggestion": did_you_mean(term_id, ids),
            "known": "、".join(ids[:3]) or "—",
        }
        return LoanImport([Problem("E816", Position(file.name), params)])
    classes = list(settings.model.classes)
    counts, problems = count_loans(sheet, classes, terms, term_id)
    if any(p.is_error for p in problems) or counts.term is None:
        return LoanImport(problems)
    target_name = f"{STATS_DIR}/{counts.term.id}.yaml"
    target = root / target_name
    if target.exists() and not force:
        return LoanImport(
            [*problems, Problem("E813", Position(target_name), {"file": target_name})]
        )
    backup = _write(target, render_stats(counts, file.name, classes))
    ranked = len(counts.books)
    return LoanImport(
        problems,
        written=target,
        backup=backup,
        loans=counts.rows,
        classes=len({c for c, _ in counts.loans}),
        months=len({m for _, m in counts.loans}),
        books=min(ranked, TOP_BOOKS),
        readers_counted=bool(counts.readers),
    )
