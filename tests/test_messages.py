"""The command line's own words (I-codes): one catalogue, both languages, the same
parameters in each, every code used, none of them in docs/troubleshooting.md."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest

from generator.problems import troubleshooting
from generator.problems.catalogue import CATALOGUE
from generator.problems.messages import MESSAGES, WEEKDAYS, Message, say
from generator.problems.problem import Position, Problem

PACKAGE = Path(__file__).resolve().parent.parent / "generator"
CODE = re.compile(r"""["'](I\d{3})["']""")


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


@pytest.mark.parametrize("code", sorted(MESSAGES))
def test_every_message_has_both_languages_with_the_same_parameters(code):
    words = MESSAGES[code]
    assert set(words) == {"zh", "en"}
    assert words["zh"].strip() and words["en"].strip()
    assert _fields(words["zh"]) == _fields(words["en"])


def test_message_codes_are_their_own_and_every_one_is_used():
    assert all(re.fullmatch(r"I\d{3}", code) for code in MESSAGES)
    assert not MESSAGES.keys() & CATALOGUE.keys()
    used = set(WEEKDAYS)
    for path in PACKAGE.rglob("*.py"):
        if path.name != "messages.py":
            used.update(CODE.findall(path.read_text(encoding="utf-8")))
    assert sorted(used - MESSAGES.keys()) == []  # said but not in the catalogue
    assert sorted(MESSAGES.keys() - used) == []  # in the catalogue but never said


def test_troubleshooting_lists_problems_only():
    doc = troubleshooting.render()
    assert not re.search(r"^## I", doc, flags=re.MULTILINE)


def test_say_fills_in_the_parameters_in_the_language_asked():
    assert say("I101", "zh", warnings=2) == "检查通过（2 个警告）"
    assert say("I101", "en", warnings=2) == "check passed (2 warnings)"
    assert say("I101", "en-GB", warnings=0) == "check passed (0 warnings)"
    assert say("I205", "en", what="events.yaml", rendered=3, pages=39, written=4, ms=81.6) == (
        "updated events.yaml: 3/39 pages rendered, 4 files written, 82 ms"
    )


def test_a_message_is_data_said_in_the_language_it_is_shown_in():
    week = Message("I405", {"week": 3, "weekday": Message(WEEKDAYS[4])})
    line = Message("I403", {"old": "2026-03-13", "new": "2026-09-18", "when": week, "title": "x"})
    assert line.say("zh") == "2026-03-13 → 2026-09-18  第3周 周五  x"
    assert line.say("en") == "2026-03-13 → 2026-09-18  week 3 Fri  x"
    # a problem's parameter too
    problem = Problem("E980", Position("a.xls"), {"reason": Message("I306", {"suffix": ".xls"})})
    assert problem.message("zh") == "无法读取这个表格：不认识“.xls”文件"
    assert problem.message("en") == "cannot read the spreadsheet: '.xls' is not supported"


def test_new_term_reports_its_items_in_the_language_of_the_messages(make_site, run_cli):
    site = make_site(sample=True)
    code, out, _ = run_cli(
        "new-term",
        "--site",
        site,
        "--first-day",
        "2026-09-01",
        "--name",
        "2026学年第一学期",
        "--lang",
        "en",
    )
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "  2026-02-24 → 2026-09-01  week 1 Tue  开馆准备"
    assert "  2026-04 → 2026-11  whole month  故事爸妈团本月主题：科技" in lines
    assert "  week 16 → week 16  whole week  归还班级图书" in lines
    assert (
        "  2026-03-18 – 2026-06-24 → 2026-09-23 – 2026-12-30  weeks 4–18  故事哥哥姐姐午间故事会"
        " (weekly)"
    ) in lines
    assert lines[-1] == (
        f"last term archived as {site / 'content/terms/2025-2026-2.yaml'}; new term in "
        f"{site / 'events.yaml'}. Moved: 46 items, 4 weekly items; rosters: 1 (1 rota "
        "patterns, 2 sessions; 12 sessions generated in the new term); carried as drafts: 1 "
        "festivals, 2 displays; outside the new term, written as TODO comments: 0."
    )
