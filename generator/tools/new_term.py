"""`new-term`: archive this term's events.yaml and start the next from it.

Dated items move by whole teaching weeks (week 3 stays week 3, on the same weekday): the
shift is the distance between the Mondays of the two first weeks. Month-only items move by
as many months as the term start moved. Holidays and 调休 differ every year, so they are
left empty for the teacher. An item that would land outside the new term is left out and
reported (W995) — it is still in the archived file.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from generator import pipeline
from generator.assemble.site import EVENTS_FILE, TERMS_DIR
from generator.model.term import TermPlan
from generator.model.values import Month
from generator.problems.messages import WEEKDAYS, Message
from generator.problems.problem import BuildFailed, Position, Problem
from generator.read.load import load_file, parse_and_validate
from generator.read.text import Source
from generator.read.yamlio import Mark
from generator.tools.yamlwrite import list_item_lines, scalar

_TERM_NAME = re.compile(r"(\d{4})\s*学年\s*第\s*([一二12])\s*学期")


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


@dataclass
class NewTerm:
    problems: list[Problem] = field(default_factory=list)
    shifted: list[Message] = field(default_factory=list)  # one line per item, for the report
    archive: Path | None = None
    written: Path | None = None


def new_term(
    root: Path,
    first_day: date,
    name: str,
    term_id: str | None = None,
    last_day: date | None = None,
    today: date | None = None,
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

    original = (root / EVENTS_FILE).read_bytes()
    archived_text = _archived_text(loaded.marked.source.text)
    # Positions of left-out items point into the archived file: same lines, its new name.
    source = Source(archive_name, archived_text)
    marks = loaded.marked  # the archived file has the same lines
    data = marks.data
    term = {
        "id": new_id,
        "name": name,
        "first_day": first_day.isoformat(),
        "last_day": new_last.isoformat(),
    }
    span = (first_day, new_last)
    events: list[dict[str, Any]] = []
    for i, (raw, event) in enumerate(
        zip(data.get("events") or [], loaded.model.events, strict=True)
    ):
        moved = dict(raw)
        old_text: str | Message
        new_text: str | Message
        if event.span:
            start, end = (shift_date(d, old.first_day, first_day) for d in event.span)
            when = {"date": start} if event.date else {"from": start, "to": end}
            for key, value in when.items():
                moved[key] = value.isoformat()
            old_text = " – ".join(d.isoformat() for d in dict.fromkeys(event.span))
            new_text = " – ".join(d.isoformat() for d in dict.fromkeys((start, end)))
            weekday = Message(WEEKDAYS[start.weekday()])
            week = Message("I405", {"week": teaching_week(start, first_day), "weekday": weekday})
            fits = first_day <= start and end <= new_last
        elif event.month_span:  # `month`, or `months: [first, last]`
            first, last = (shift_month(m, old.first_day, first_day) for m in event.month_span)
            if event.month:
                moved["month"] = str(first)
            else:
                moved["months"] = [str(first), str(last)]
            old_text = " – ".join(dict.fromkeys(str(m) for m in event.month_span))
            new_text = " – ".join(dict.fromkeys((str(first), str(last))))
            week = Message("I408")
            fits = first.first_day <= new_last and first_day <= last.last_day
        else:  # teaching weeks (`week`, `weeks`): the same weeks of the new term
            weeks = event.teaching_weeks
            old_text = new_text = Message(
                "I406", {"week": "–".join(dict.fromkeys((str(weeks[0]), str(weeks[-1]))))}
            )
            week = Message("I407")
            fits = teaching_week(new_last, first_day) >= weeks[-1]
        if fits:
            events.append(moved)
            said = {"old": old_text, "new": new_text, "when": week, "title": event.title}
            result.shifted.append(Message("I403", said))
        else:
            result.problems.append(
                _left_out(source, marks.mark(("events", i)), event.title, new_text, span)
            )
    recurring: list[dict[str, Any]] = []
    for i, (raw, rec) in enumerate(
        zip(data.get("recurring") or [], loaded.model.recurring, strict=True)
    ):
        start, end = (shift_date(d, old.first_day, first_day) for d in (rec.from_, rec.to))
        new_text = f"{start.isoformat()} – {end.isoformat()}"
        if end < first_day or start > new_last:
            result.problems.append(
                _left_out(source, marks.mark(("recurring", i)), rec.title, new_text, span)
            )
            continue
        # a weekly item may not start before the term or end after it (E301)
        start, end = max(start, first_day), min(end, new_last)
        new_text = f"{start.isoformat()} – {end.isoformat()}"
        recurring.append({**raw, "from": start.isoformat(), "to": end.isoformat()})
        weekly = {
            "old": f"{rec.from_.isoformat()} – {rec.to.isoformat()}",
            "new": new_text,
            "first": teaching_week(start, first_day),
            "last": teaching_week(end, first_day),
            "title": rec.title,
        }
        result.shifted.append(Message("I404", weekly))
    text = render_events(term, old.name, events, recurring)
    checked, problems = parse_and_validate(Source(EVENTS_FILE, text), TermPlan)
    if checked is None:  # our own writing went wrong: nothing has been touched yet
        result.problems += problems
        return result

    # The archive is written first, beside the untouched events.yaml; the new events.yaml
    # replaces the old one in one step; a failed check puts everything back.
    archive.parent.mkdir(parents=True, exist_ok=True)
    with archive.open("x", encoding="utf-8", newline="\n") as out:
        out.write(archived_text)
    try:
        _replace(root / EVENTS_FILE, text)
        try:
            pipeline.check(root, today or date.today())
        except BuildFailed as failed:
            result.problems += failed.report.problems
            result.problems.append(Problem("E994", Position(EVENTS_FILE), {}))
            raise
    except BaseException:
        (root / EVENTS_FILE).write_bytes(original)
        archive.unlink(missing_ok=True)
        if result.problems and result.problems[-1].code == "E994":
            return result
        raise
    result.archive, result.written = archive, root / EVENTS_FILE
    return result


def _left_out(
    source: Source, at: Mark, title: str, new: str | Message, span: tuple[date, date]
) -> Problem:
    return source.problem(
        "W995",
        at.line,
        at.col,
        title=title,
        new=new,
        first=span[0].isoformat(),
        last=span[1].isoformat(),
    )


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
    temp.write_text(text, encoding="utf-8", newline="\n")
    os.replace(temp, path)


_MONTHS = "一二三四五六七八九十"


def _month_word(month: int) -> str:
    return {10: "十", 11: "十一", 12: "十二"}.get(month, _MONTHS[month - 1 : month])


def render_events(
    term: dict[str, str],
    old_name: str,
    events: list[dict[str, Any]],
    recurring: list[dict[str, Any]],
) -> str:
    lines = [
        "# yaml-language-server: $schema=schemas/events.schema.json",
        "#",
        f"# 行事历 —— 本学期（{term['name']}）",
        f"# 由 python build.py new-term 从上学期（{old_name}）的安排生成：",
        "# 日期按教学周顺延（上学期第3周周五的活动，现在是本学期第3周周五），",
        "# 月份按学期开始推后的月数顺延。请逐项核对，用不上的删掉。",
        "# 上学期的文件在 content/terms/ 文件夹里。",
        "",
        "# ───────────── 学期 ─────────────",
        "# id 用于网址，只能用小写英文字母、数字和连字符。",
        "term:",
        *(f"  {k}: {scalar(v)}" for k, v in term.items()),
        "",
        "# ───────────── 放假和闭馆 ─────────────",
        "# TODO：请按本学期的校历填写放假和闭馆的日子（每年都不一样，没有从上学期带过来）。",
        "# 一天写 date；连续几天写 from（第一天）和 to（最后一天）。例如：",
        "#   - name: 国庆节",
        "#     from: 2026-10-01",
        "#     to: 2026-10-07",
        "closures: []",
        "",
        "# ───────────── 调休上班 ─────────────",
        "# TODO：周六或周日上班时写在这里；follows 写这一天按星期几的课表上课。例如：",
        "#   - date: 2026-10-10",
        "#     follows: 周五",
        "makeup_days: []",
        "",
        "# ───────────── 活动和工作安排 ─────────────",
        "# 每一项写 title（名称），再用 date / from+to / week / month 中的一种说明时间。",
        "events:",
    ]
    group = None
    for event in sorted(events, key=_order):
        key = _group(event)
        if key != group:
            group = key
            lines += [*([""] if lines[-1] else []), f"  # ===== {key} ====="]
        lines += list_item_lines(event, 2)
        lines.append("")
    if not events:
        lines[-1] = "events: []"
    lines += [
        *([""] if lines[-1] else []),
        "# ───────────── 每周重复的活动 ─────────────",
        "# weekdays 写星期几；from 和 to 写起止日期。放假和闭馆的日子会自动跳过。",
        "recurring:" if recurring else "recurring: []",
    ]
    for item in recurring:
        lines += [*list_item_lines(item, 2), ""]
    return "\n".join(lines).rstrip("\n") + "\n"


def _order(event: dict[str, Any]) -> tuple[str, int, str]:
    """Months in order; in a month, dated items first by date, then month-only items."""
    when = event.get("date") or event.get("from")
    if when:
        return (when[:7], 0, when)
    if event.get("month"):
        return (event["month"], 1, "")
    if event.get("months"):
        return (str(event["months"][0]), 1, "")
    if event.get("week"):
        return ("", int(event["week"]), "")
    weeks = event["weeks"]  # `weeks: 1-2` or [1, 2]: by its first week
    return ("", int(str(weeks[0] if isinstance(weeks, list) else weeks).split("-")[0]), "")


def _group(event: dict[str, Any]) -> str:
    months = event.get("months")
    when = event.get("date") or event.get("from") or event.get("month") or (months and months[0])
    if not when:
        return "按教学周"
    return f"{_month_word(int(when[5:7]))}月份"
