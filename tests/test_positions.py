"""Positions and silence (issue 16, item 8): each problem at the file, line and column an
editor shows, and no file in a content folder left unread without a word."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from conftest import MINIMAL_EVENTS

from generator.pipeline import load_site
from generator.problems.problem import BuildFailed, Position
from generator.read.text import Source
from generator.read.yamlio import parse_yaml

TODAY = date(2026, 3, 10)
SETTINGS = "school: 阳光小学\n"


def found(root: Path) -> list[tuple[str, str, int, int]]:
    """(code, file, line, column) of every problem, errors or else warnings, by file
    (0, 0: the whole file)."""
    try:
        problems = load_site(root, TODAY).warnings
    except BuildFailed as failed:
        problems = tuple(failed.report.sorted())
    return sorted(
        ((p.code, p.position.file, p.position.line, p.position.col) for p in problems),
        key=lambda found: found[1:],
    )


def parsed(text: str) -> list[tuple[str, int | None, int | None]]:
    _, problems = parse_yaml(Source("events.yaml", text))
    return [(p.code, p.position.line, p.position.col) for p in problems]


# --- an unclosed quote: at the quote, not at the end of the file ---------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # runs to the end of the file
        ('a: 1\ntitle: "开馆\nb: 2\nc: 3\n', [("E320", 2, 8)]),
        ("a: 1\ntitle: '开馆\nb: 2\nc: 3\n", [("E320", 2, 8)]),
        # closed by the next value's opening quote: the parser fails on that line
        ('a: 1\nb: "x\nc: "y"\nd: 3\n', [("E320", 2, 4)]),
        ('events:\n  - title: "读书会\n    date: 2026-03-04\n', [("E320", 2, 12)]),
    ],
)
def test_an_unclosed_quote_is_e320_where_it_opens(text: str, expected: list) -> None:
    assert parsed(text) == expected


def test_e320_names_the_quote_and_shows_its_line() -> None:
    _, [problem] = parse_yaml(Source("events.yaml", "a: 1\ntitle: '开馆\nb: 2\n"))
    assert problem.render("en").splitlines() == [
        "events.yaml:2:8: error E320: the ' quote opened here is never closed",
        "  2 | title: '开馆",
        "    |        ^",
        "  hint: Add the same quote ' at the end of this value, or remove the opening one "
        "(most values need no quotes).",
    ]


def test_a_quoted_value_over_two_lines_that_is_closed_is_not_e320() -> None:
    marked, problems = parse_yaml(Source("events.yaml", 'a: "x\n  y"\nb: 2\n'))
    assert problems == []
    assert marked.data == {"a": "x y", "b": "2"}


# --- U+0085, U+2028, U+2029 end no line -------------------------------------------------


@pytest.mark.parametrize("char", ["\x85", "\u2028", "\u2029"])
def test_a_line_break_yaml_knows_but_editors_do_not_moves_no_later_mark(char: str) -> None:
    text = f'a: "开{char}馆"\nb: 2\nc: 3\n'
    marked, problems = parse_yaml(Source("events.yaml", text))
    assert problems == []
    assert marked.values[("c",)] == marked.mark(("c",))
    assert (marked.keys[("c",)].line, marked.keys[("c",)].col) == (3, 1)
    assert (marked.values[("c",)].line, marked.values[("c",)].col) == (3, 4)
    assert (marked.values[("b",)].line, marked.values[("b",)].col) == (2, 4)


def test_after_a_line_separator_an_error_is_at_the_editor_s_line() -> None:
    # PyYAML says line 4 (it counts the NEL); Notepad shows the `[` on line 2 and the end at 3
    assert parsed('a: "x\x85y"\nb: [1\n') == [("E101", 3, 1)]


def test_columns_after_a_line_separator_count_from_the_real_line_start() -> None:
    marked, _ = parse_yaml(Source("events.yaml", 'a: "x\u2028y" \nb: [1, 22]\n'))
    assert [(m.line, m.col) for m in (marked.values[("b", 0)], marked.values[("b", 1)])] == [
        (2, 5),
        (2, 8),
    ]


def test_a_line_separator_inside_a_plain_value_is_named_at_its_place() -> None:
    # YAML ends the line there (`x` then `y` is a key without a colon); the editor shows one
    _, [problem] = parse_yaml(Source("events.yaml", "a: x\u2028y\nb: 2\nc: [\n"))
    assert (problem.code, problem.position.line, problem.position.col) == ("E606", 1, 5)
    assert (
        problem.message("en") == "there is an invisible character here: a line separator (U+2028)"
    )


def test_a_line_separator_in_events_yaml_keeps_the_later_line_in_a_site(make_site) -> None:
    events = MINIMAL_EVENTS.replace("title: 开馆准备", 'title: "开馆\u2028准备"') + (
        "  - title: 读书会\n    date: 2026-09-01\n"
    )
    root = make_site({"events.yaml": events, "content/site.yaml": SETTINGS})
    # line 18 as the editor numbers it (PyYAML says 19: it counts the U+2028 on line 14)
    assert found(root) == [("E301", "events.yaml", 18, 11)]


# --- E308 at theme: -------------------------------------------------------------------------


def test_a_missing_theme_is_e308_at_the_theme_line(make_site) -> None:
    root = make_site(
        {
            "events.yaml": MINIMAL_EVENTS,
            "content/site.yaml": "school: 阳光小学\n# 主题\ntheme:   xingguan\n",
        }
    )
    assert found(root) == [("E308", "content/site.yaml", 3, 10)]


# --- overlapping terms --------------------------------------------------------------------

ARCHIVED = """\
term:
  id: 2025-2026-1
  name: 2025学年第一学期
  first_day: 2025-09-01
  last_day: {last}
"""


def test_terms_that_share_a_day_are_e321_with_both_positions(make_site) -> None:
    root = make_site(
        {
            "events.yaml": MINIMAL_EVENTS,
            "content/site.yaml": SETTINGS,
            "content/terms/2025-2026-1.yaml": ARCHIVED.format(last="2026-03-31"),
        }
    )
    try:
        load_site(root, TODAY)
    except BuildFailed as failed:
        [problem] = failed.report.sorted()
    else:  # pragma: no cover - the assertion below says what went wrong
        pytest.fail("overlapping terms were accepted")
    assert problem.position == Position("content/terms/2025-2026-1.yaml", 4, 14)
    assert problem.message("en") == (
        "the term '2025-2026-1' (2025-09-01 to 2026-03-31) overlaps the term '2025-2026-2' "
        "in events.yaml:4 (2026-02-24 to 2026-07-03)"
    )


def test_terms_that_meet_but_do_not_share_a_day_are_fine(make_site) -> None:
    root = make_site(
        {
            "events.yaml": MINIMAL_EVENTS,
            "content/site.yaml": SETTINGS,
            "content/terms/2025-2026-1.yaml": ARCHIVED.format(last="2026-02-23"),
        }
    )
    assert found(root) == []


def test_one_shared_day_is_enough(make_site) -> None:
    root = make_site(
        {
            "events.yaml": MINIMAL_EVENTS,
            "content/site.yaml": SETTINGS,
            "content/terms/2025-2026-1.yaml": ARCHIVED.format(last="2026-02-24"),
        }
    )
    assert found(root) == [("E321", "content/terms/2025-2026-1.yaml", 4, 14)]


# --- site.yaml missing or empty -----------------------------------------------------------


def test_a_site_with_content_but_no_site_yaml_gets_w322_and_builds(make_site) -> None:
    root = make_site({"events.yaml": MINIMAL_EVENTS, "content/pages/.keep": ""})
    # a placeholder that keeps an empty folder in git passes in silence
    assert found(root) == [("W322", "content/site.yaml", 0, 0)]
    assert load_site(root, TODAY).settings.school == "我们的学校"


def test_a_folder_with_only_events_yaml_needs_no_site_yaml(make_site) -> None:
    assert found(make_site({"events.yaml": MINIMAL_EVENTS})) == []


@pytest.mark.parametrize("text", ["", "\n\n", "# 以后再写\n", "{}\n"])
def test_an_empty_site_yaml_is_w323_and_the_defaults_are_used(make_site, text: str) -> None:
    root = make_site({"events.yaml": MINIMAL_EVENTS, "content/site.yaml": text})
    assert found(root) == [("W323", "content/site.yaml", 0, 0)]
    assert load_site(root, TODAY).settings.school == "我们的学校"


def test_w322_in_the_teacher_s_words(make_site, run_cli) -> None:
    root = make_site({"events.yaml": MINIMAL_EVENTS, "content/news/.gitkeep": ""})
    (root / "content" / "news" / ".gitkeep").unlink()
    code, _, err = run_cli("check", "--site", root)
    assert code == 0
    assert err.splitlines()[:2] == [
        "content/site.yaml: 警告 W322: 找不到 content/site.yaml，使用默认设置",
        "  提示: 学校名称、班级列表、菜单和语言都写在 content/site.yaml 里；"
        "可以复制示例站点的那一份来改。",
    ]


# --- files in content folders that are not read ---------------------------------------------

PAGE = "---\ntitle: 开放时间\n---\n正文\n"


def test_each_unread_file_is_named_with_the_extension_that_is_read(make_site) -> None:
    root = make_site(
        {
            "events.yaml": MINIMAL_EVENTS,
            "content/site.yaml": SETTINGS,
            "content/pages/hours.MD": PAGE,
            "content/pages/rules.markdown": PAGE,
            "content/pages/notes.txt": "x",
            "content/pages/.draft.md": PAGE,
            "content/rosters/parents.yml": "name: x\n",
            "content/terms/2024-2025-2.YAML": "x\n",
        }
    )
    assert found(root) == [
        ("W325", "content/pages/.draft.md", 0, 0),
        ("W324", "content/pages/hours.MD", 0, 0),
        ("W324", "content/pages/notes.txt", 0, 0),
        ("W324", "content/pages/rules.markdown", 0, 0),
        ("W324", "content/rosters/parents.yml", 0, 0),
        ("W324", "content/terms/2024-2025-2.YAML", 0, 0),
    ]


def test_w324_says_which_name_would_be_read(make_site) -> None:
    root = make_site(
        {
            "events.yaml": MINIMAL_EVENTS,
            "content/site.yaml": SETTINGS,
            "content/pages/rules.markdown": PAGE,
        }
    )
    [warning] = load_site(root, TODAY).warnings
    assert warning.render("en").splitlines() == [
        "content/pages/rules.markdown: warning W324: 'rules.markdown' is not read: this folder "
        "reads .md files only",
        "  hint: To have it read, rename it rules.md. If the file is not part of the site, move "
        "it out of the content/ folder.",
    ]
    assert warning.render("zh").splitlines()[1] == (
        "  提示: 如果要网站读它，改名为 rules.md。如果这个文件不是网站的内容，把它移出 content/ 文件夹。"
    )


def test_a_dot_file_is_not_read_even_with_the_right_extension(make_site) -> None:
    root = make_site(
        {
            "events.yaml": MINIMAL_EVENTS,
            "content/site.yaml": SETTINGS,
            "content/pages/.hours.md": "not front matter at all",
        }
    )
    site = load_site(root, TODAY)  # read, it would be E401
    [warning] = site.warnings
    assert warning.message("en") == (
        "'.hours.md' is not read: files whose name starts with a dot are skipped"
    )
    assert warning.hint("en") == (
        "If it is part of the site, remove the dot at the start of its name, e.g. hours.md."
    )
    assert site.content.of("page") == ()


def test_the_case_of_the_extension_decides_on_every_system(make_site) -> None:
    root = make_site(
        {"events.yaml": MINIMAL_EVENTS, "content/site.yaml": SETTINGS, "content/pages/a.MD": PAGE}
    )
    assert load_site(root, TODAY).content.of("page") == ()


@pytest.mark.parametrize(
    "name",
    [
        ".~lock.hours.md#",
        "hours.md~",
        ".hours.md.swp",
        "~$名单.xlsx",
        "Thumbs.db",
        "desktop.ini",
        ".DS_Store",
        "._hours.md",
        "parents.yaml.bak-20260301-101500",
        "photo.JPG",
        "cover.png",
        "logo.svg",
    ],
)
def test_scratch_system_backup_and_picture_files_pass_in_silence(make_site, name: str) -> None:
    root = make_site(
        {
            "events.yaml": MINIMAL_EVENTS,
            "content/site.yaml": SETTINGS,
            f"content/pages/{name}": "x",
            f"content/rosters/{name}": "x",
        }
    )
    assert found(root) == []


def test_a_folder_inside_a_content_folder_passes_in_silence(make_site) -> None:
    root = make_site(
        {
            "events.yaml": MINIMAL_EVENTS,
            "content/site.yaml": SETTINGS,
            "content/displays/pictures/cover.png": "x",
        }
    )
    assert found(root) == []


def test_the_sample_site_has_nothing_unread() -> None:
    root = Path(__file__).resolve().parent.parent
    assert [p.code for p in load_site(root, TODAY).warnings] == []
