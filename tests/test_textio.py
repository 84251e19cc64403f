"""The read stage (bytes → text) and how a problem reads to a teacher (errors.py)."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from generator.problems.problem import (
    BuildFailed,
    Position,
    Problem,
    ProblemReport,
    Severity,
    caret_padding,
    relative_name,
)
from generator.read.text import Source, decode, read_source, read_text

TEXT = "term:\n  name: 春季学期\n  id: 2025-2026-2\n"

# --- decoding ---------------------------------------------------------------------------


def test_plain_utf8_is_read_as_is() -> None:
    assert decode(TEXT.encode("utf-8"), "events.yaml") == Source("events.yaml", TEXT)


def test_utf8_bom_is_dropped() -> None:
    result = decode(b"\xef\xbb\xbf" + TEXT.encode("utf-8"), "events.yaml")
    assert result == Source("events.yaml", TEXT)
    assert isinstance(result, Source)
    assert result.text.startswith("term:")


def test_crlf_becomes_lf() -> None:
    data = TEXT.replace("\n", "\r\n").encode("utf-8")
    assert decode(data, "events.yaml") == Source("events.yaml", TEXT)


def test_bom_and_crlf_together() -> None:
    data = b"\xef\xbb\xbf" + TEXT.replace("\n", "\r\n").encode("utf-8")
    assert decode(data, "events.yaml") == Source("events.yaml", TEXT)


def test_old_mac_cr_line_ends_become_lf() -> None:
    assert decode(b"a: 1\rb: 2\r", "x.yaml") == Source("x.yaml", "a: 1\nb: 2\n")


def test_gbk_file_is_e001_naming_gbk_at_first_bad_line() -> None:
    result = decode(TEXT.encode("gbk"), "events.yaml")
    assert result == Problem("E001", Position("events.yaml", 2, 1), {"encoding": "GBK/ANSI"})
    assert isinstance(result, Problem)
    assert "GBK" in result.message("zh")
    assert "GBK" in result.message("en")


def test_gbk_problem_renders_in_both_languages() -> None:
    result = decode(TEXT.encode("gbk"), "events.yaml")
    assert isinstance(result, Problem)
    assert result.render("zh") == (
        "events.yaml:2:1: 错误 E001: 文件不是 UTF-8 编码（看起来是 GBK/ANSI）\n"
        "  提示: 用记事本打开，选“另存为”，把“编码”改成 UTF-8 后保存；"
        "VS Code 中点右下角的编码，选“通过编码保存”→ UTF-8。"
    )
    assert result.render("en") == (
        "events.yaml:2:1: error E001: the file is not UTF-8 (it looks like GBK/ANSI)\n"
        "  hint: Open it in Notepad, choose Save As and set Encoding to UTF-8; in VS Code "
        "click the encoding in the status bar and choose Save with Encoding → UTF-8."
    )


def test_gbk_line_number_counts_lines_before_the_first_non_ascii_byte() -> None:
    text = "a: 1\nb: 2\n\nc: 读书节\n"
    result = decode(text.encode("gbk"), "content/site.yaml")
    assert isinstance(result, Problem)
    assert str(result.position) == "content/site.yaml:4:1"


def test_utf16_with_bom_is_e001() -> None:
    for encoding in ("utf-16", "utf-16-le", "utf-16-be"):
        data = TEXT.encode(encoding)
        if encoding != "utf-16":
            data = ("\ufeff" + TEXT).encode(encoding)
        result = decode(data, "events.yaml")
        assert result == Problem(
            "E001", Position("events.yaml"), {"encoding": "UTF-16 (Unicode)"}
        ), encoding


def test_utf16_without_bom_is_e001() -> None:
    result = decode(TEXT.encode("utf-16-le"), "events.yaml")
    assert isinstance(result, Problem)
    assert result.code == "E001"
    assert result.params == {"encoding": "UTF-16 (Unicode)"}
    assert str(result.position) == "events.yaml"


def test_utf16_problem_has_no_line_and_renders_the_file_name_only() -> None:
    result = decode(TEXT.encode("utf-16"), "events.yaml")
    assert isinstance(result, Problem)
    assert result.render("en").splitlines()[0] == (
        "events.yaml: error E001: the file is not UTF-8 (it looks like UTF-16 (Unicode))"
    )


@settings(database=None)
@given(
    text=st.text(
        st.characters(
            blacklist_categories=("Cs", "Cc"), blacklist_characters="\ufeff\u2028\u2029\x85"
        )
        | st.just("\n")
    ),
    bom=st.booleans(),
    crlf=st.booleans(),
)
def test_decoding_utf8_gives_back_the_text(text: str, bom: bool, crlf: bool) -> None:
    body = text.replace("\n", "\r\n") if crlf else text
    data = (b"\xef\xbb\xbf" if bom else b"") + body.encode("utf-8")
    assert decode(data, "f.yaml") == Source("f.yaml", text)


# --- files on disk ----------------------------------------------------------------------


def test_read_source_reads_a_file(tmp_path: Path) -> None:
    path = tmp_path / "events.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + TEXT.replace("\n", "\r\n").encode("utf-8"))
    assert read_source(path, "events.yaml") == Source("events.yaml", TEXT)


def test_read_source_of_a_missing_file_is_e002(tmp_path: Path) -> None:
    result = read_source(tmp_path / "nope.yaml", "nope.yaml")
    assert result == Problem("E002", Position("nope.yaml"), {"reason": "No such file or directory"})


def test_read_text_accepts_a_bom(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_bytes(b"\xef\xbb\xbf<p>\xe5\x9b\xbe\xe4\xb9\xa6\xe9\xa6\x86</p>\n")
    assert read_text(path) == "<p>图书馆</p>\n"


# --- Source -----------------------------------------------------------------------------


def test_source_lines_count_from_one() -> None:
    source = Source("events.yaml", TEXT)
    assert source.lines == ["term:", "  name: 春季学期", "  id: 2025-2026-2", ""]
    assert source.line(1) == "term:"
    assert source.line(2) == "  name: 春季学期"
    assert source.line(0) is None
    assert source.line(5) is None


def test_source_problem_carries_its_line() -> None:
    problem = Source("events.yaml", TEXT).problem("E218", 3, 7, value="x y")
    assert problem == Problem(
        "E218", Position("events.yaml", 3, 7), {"value": "x y"}, source_line="  id: 2025-2026-2"
    )


# --- Position and Problem (errors.py) ---------------------------------------------------


def test_position_text() -> None:
    assert str(Position("events.yaml", 12, 5)) == "events.yaml:12:5"
    assert str(Position("events.yaml")) == "events.yaml"
    assert Position("a.yaml", 2, 1) < Position("a.yaml", 10, 1) < Position("b.yaml", 1, 1)


def test_caret_padding_counts_cjk_as_two_columns() -> None:
    assert caret_padding("  name: 春季学期", 9) == " " * 8
    assert caret_padding("活动: 读书: x", 7) == " " * 10
    assert caret_padding("名称：读书节", 4) == " " * 6  # full-width colon is wide too
    assert caret_padding("abc", 1) == ""
    assert caret_padding("abc", 0) == ""


def test_render_puts_the_caret_under_the_value_after_chinese_text() -> None:
    source = Source("events.yaml", "events:\n  - 活动名: 读书节\n    date: 2026-02-30\n")
    problem = source.problem("E204", 2, 10, value="读书节")  # col 10 is 读
    assert problem.render("zh") == (
        "events.yaml:2:10: 错误 E204: 日期格式不对：“读书节”\n"
        "  2 |   - 活动名: 读书节\n"
        "    |             ^\n"
        "  提示: 日期写成 2026-03-02、2026/3/2 或 2026年3月2日。"
    )
    assert problem.render("en") == (
        "events.yaml:2:10: error E204: not a date: '读书节'\n"
        "  2 |   - 活动名: 读书节\n"
        "    |             ^\n"
        "  hint: Write dates as 2026-03-02, 2026/3/2 or 2026年3月2日."
    )


def test_render_shows_tabs_and_invisible_characters() -> None:
    source = Source("events.yaml", "a:\n\tb: 1\u200b\n")
    problem = source.problem("E101", 2, 1, detail="tab")
    lines = problem.render("en").splitlines()
    assert lines[1] == "  2 | →b: 1␣"
    assert lines[2] == "    | ^"


def test_line_number_gutter_widens_with_the_number() -> None:
    text = "\n" * 11 + "title: 故事会\n"
    problem = Source("events.yaml", text).problem("E202", 12, 7, field="title")
    assert problem.render("zh").splitlines()[1:3] == [
        "  12 | title: 故事会",
        "     |       ^",
    ]


def test_problem_without_hint_has_no_hint_line() -> None:
    problem = Problem("E216", Position("events.yaml", 3, 9), {"field": "week", "detail": "x"})
    assert problem.render("zh") == "events.yaml:3:9: 错误 E216: “week”不是有效的值：x"
    assert problem.render("en-GB") == "events.yaml:3:9: error E216: 'week' is not valid: x"


def test_params_in_two_languages_and_lists_are_joined() -> None:
    problem = Problem(
        "E203",
        Position("events.yaml", 1, 1),
        {
            "key": "x",
            "suggestion": {"zh": "是不是想写“y”？", "en": "Did you mean 'y'? "},
            "allowed": ["title", "date"],
        },
    )
    assert problem.hint("zh") == "是不是想写“y”？这里可以用的键有：title、date。"
    assert problem.hint("en") == "Did you mean 'y'? Keys allowed here: title, date."


def test_missing_param_shows_its_placeholder_instead_of_crashing() -> None:
    assert Problem("E202", Position("f.yaml", 1, 1)).message("en") == "'{field}' must not be empty"


def test_warnings_and_errors() -> None:
    warning = Problem(
        "W305",
        Position("events.yaml", 5, 11),
        {"title": "故事会", "date": "2026-04-06", "closure": "清明节"},
    )
    error = Problem(
        "E301",
        Position("events.yaml", 3, 11),
        {"date": "2027-01-01", "first": "2026-02-24", "last": "2026-07-03"},
    )
    assert warning.severity is Severity.WARNING
    assert not warning.is_error
    assert error.severity is Severity.ERROR
    assert warning.render("zh").splitlines()[0] == (
        "events.yaml:5:11: 警告 W305: “故事会”安排在 2026-04-06，那天是清明节"
    )
    report = ProblemReport([warning, error, warning])
    assert report.errors == [error]
    assert report.warnings == [warning, warning]
    assert report.sorted() == [error, warning]  # by position, duplicates once
    assert report.render("en") == error.render("en") + "\n\n" + warning.render("en")
    failed = BuildFailed(report)
    assert str(failed) == "1 error(s)"
    assert failed.report is report


def test_relative_name_uses_forward_slashes(tmp_path: Path) -> None:
    path = tmp_path / "content" / "terms" / "2025-2026-1.yaml"
    assert relative_name(path, tmp_path) == "content/terms/2025-2026-1.yaml"
    outside = Path("/elsewhere/x.yaml")
    assert relative_name(outside, tmp_path) == "/elsewhere/x.yaml"
