"""`--help` fits an 80-column console, counting a Chinese character as two columns."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

from generator import cli
from generator.helpformat import columns, wrap
from generator.problems import troubleshooting
from generator.tools import json_schema

COMMANDS = [[], *([c] for c in cli.COMMANDS)]
CLOSING = "，。、；：）”"


def width(line: str) -> int:
    """Measured apart from the formatter: wide, full-width and ambiguous characters are two
    columns (as a Chinese Windows console draws them)."""
    return sum(2 if unicodedata.east_asian_width(c) in "WFA" else 1 for c in line)


def _help(main, args, capsys) -> str:
    with pytest.raises(SystemExit) as exited:
        main([*args, "--help"])
    assert exited.value.code == 0
    return capsys.readouterr().out


@pytest.mark.parametrize("terminal", ["80", "120", "200"])
@pytest.mark.parametrize("args", COMMANDS, ids=lambda a: a[0] if a else "top")
def test_no_help_line_is_wider_than_80_columns(args, terminal, capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", terminal)
    text = _help(cli.main, args, capsys)
    limit = min(int(terminal), 80)
    too_wide = [line for line in text.splitlines() if width(line) > limit]
    assert too_wide == []
    assert any(width(line) > 40 and columns(line) > len(line) for line in text.splitlines())
    # a line never starts with punctuation that closes the one before
    assert [line for line in text.splitlines() if line.strip() and line.strip()[0] in CLOSING] == []


@pytest.mark.parametrize("terminal", ["80", "200"])
def test_the_schema_tool_has_a_real_parser(terminal, tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("COLUMNS", terminal)
    text = _help(json_schema.main, [], capsys)
    assert text.startswith("usage: python -m generator.tools.json_schema [-h] [FOLDER ...]\n")
    assert [line for line in text.splitlines() if width(line) > 80] == []
    assert list(Path(tmp_path).iterdir()) == []  # no folder called --help


@pytest.mark.parametrize("terminal", ["80", "200"])
def test_the_troubleshooting_generator_has_a_real_parser(terminal, tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("COLUMNS", terminal)
    text = _help(troubleshooting.main, [], capsys)
    assert text.startswith("usage: python -m generator.problems.troubleshooting [-h] [FILE]\n")
    assert [line for line in text.splitlines() if width(line) > 80] == []
    assert list(Path(tmp_path).iterdir()) == []
    assert troubleshooting.main([str(tmp_path / "t.md")]) == 0
    assert (tmp_path / "t.md").read_text("utf-8") == troubleshooting.DOC.read_text("utf-8")


def test_the_schema_tool_refuses_an_unknown_option(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SystemExit) as exited:
        json_schema.main(["--out", "x"])
    assert exited.value.code == 2
    assert "unrecognized arguments: --out" in capsys.readouterr().err
    assert list(Path(tmp_path).iterdir()) == []


def test_wrap_counts_two_columns_for_a_chinese_character_and_keeps_words_whole():
    assert wrap("图书馆 library site 的网站", 10) == ["图书馆", "library", "site 的网", "站"]
    assert columns("图书馆") == 6 and columns("site") == 4 and columns("“”") == 4


def test_wrap_keeps_punctuation_with_its_character():
    # the comma may not start a line, the opening bracket may not end one
    assert wrap("一二三四，（五六）", 8) == ["一二三", "四，（五", "六）"]
    assert wrap("一二三（四五）", 8) == ["一二三", "（四五）"]
    assert wrap("aaaa（五）", 6) == ["aaaa", "（五）"]


def test_a_word_wider_than_the_line_stays_whole():
    assert wrap("content/rosters/story-parents.yaml 名单", 12) == [
        "content/rosters/story-parents.yaml",
        "名单",
    ]
