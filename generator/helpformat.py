"""`--help` wrapped by display width: a Chinese character takes two columns of a console.

argparse wraps with `textwrap`, which counts characters, so a line of Chinese help came out
twice as wide as the console. Here a wide or full-width character counts two columns, and so
does an ambiguous one (“ ” … —): a Chinese Windows console draws those wide too. Lines break
at spaces and between two Chinese characters, never before closing punctuation (，。）) nor
after opening punctuation (（“).
"""

from __future__ import annotations

import argparse
import re
import shutil
import unicodedata
from typing import Any

WIDEST = 80  # columns: a help screen stays readable on a wide console too
_CLOSING = set("，。、；：！？）」』】》〉”’…,.;:!?)]}")
_OPENING = set("（「『【《〈“‘([{")


def columns(text: str) -> int:
    """How many console columns `text` takes."""
    return sum(_char_columns(c) for c in text)


def _char_columns(char: str) -> int:
    if unicodedata.combining(char):
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F", "A") else 1


def _units(text: str) -> list[tuple[str, bool]]:
    """The pieces a line may break between, each with whether a space came before it: a run
    of narrow characters (a word), or one wide character with the punctuation that must stay
    with it."""
    units: list[tuple[str, bool]] = []
    space = False
    glue_next = False  # the last piece ended with opening punctuation
    for match in re.finditer(r"\s+|[^\s]", text):
        char = match.group()
        if char.isspace():
            space, glue_next = True, False
            continue
        wide = _char_columns(char) == 2
        if units and not space and (glue_next or char in _CLOSING):
            units[-1] = (units[-1][0] + char, units[-1][1])
        elif units and not space and not wide and _char_columns(units[-1][0][-1]) == 1:
            units[-1] = (units[-1][0] + char, units[-1][1])  # the same word goes on
        else:
            units.append((char, space))
        glue_next = char in _OPENING
        space = False
    return units


def wrap(text: str, width: int) -> list[str]:
    """`text` (its whitespace folded) in lines of at most `width` columns; a single word
    wider than that is left whole on its own line."""
    lines: list[str] = []
    line, used = "", 0
    for unit, spaced in _units(text):
        gap = 1 if spaced and line else 0
        need = columns(unit)
        if line and used + gap + need > width:
            lines.append(line)
            line, used = unit, need
        else:
            line, used = line + " " * gap + unit, used + gap + need
    if line:
        lines.append(line)
    return lines


class WidthHelpFormatter(argparse.HelpFormatter):
    def __init__(self, prog: str, **kwargs: Any) -> None:
        kwargs.setdefault("width", min(shutil.get_terminal_size().columns, WIDEST) - 2)
        super().__init__(prog, **kwargs)

    def _split_lines(self, text: str, width: int) -> list[str]:
        return wrap(text, width)

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        return "\n".join(indent + line for line in wrap(text, width - len(indent)))


class Parser(argparse.ArgumentParser):
    """An argument parser whose help, and its commands' help, is wrapped by display width."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", WidthHelpFormatter)
        super().__init__(*args, **kwargs)
