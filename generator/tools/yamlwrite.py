"""Writing a teacher's YAML file in the house style: plain scalars where YAML reads them as
the text typed, double quotes otherwise, `|` blocks for several lines.

Our reader keeps every scalar as text (generator.yamlio), so only YAML syntax decides
whether a value needs quotes, never what it looks like (`2026-03-02`, `否`, `0571` stay plain).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from typing import Any

# Characters that start something else in YAML, or end a plain scalar early.
_START = set("-?:,[]{}#&*!|>'\"%@`")
_PLAIN_SAFE = re.compile(r"^[^\n\t#\[\]{}]*$")


class Quoted(str):
    """Text written in double quotes though it could be plain: a phone number, which every
    other YAML reader (and a YAML-aware editor) takes for a number, dropping a leading 0."""


def scalar(text: str) -> str:
    """One value on one line: plain when YAML would read back exactly `text`, else quoted."""
    if (
        not isinstance(text, Quoted)
        and text
        and text == text.strip()
        and text[0] not in _START
        and _PLAIN_SAFE.match(text)
        and ": " not in text
        and " #" not in text
        and not text.endswith(":")
        and text not in ("~", "null", "Null", "NULL")
    ):
        return text
    return json.dumps(text, ensure_ascii=False)


def _flow(items: Sequence[Any]) -> str:
    parts = []
    for item in items:
        text = str(item)
        plain = scalar(text)
        # a comma ends a flow item, so quote it there even if plain is fine in a block
        parts.append(json.dumps(text, ensure_ascii=False) if "," in plain else plain)
    return "[" + ", ".join(parts) + "]"


def mapping_lines(data: Mapping[str, Any], indent: int) -> list[str]:
    """`key: value` lines of one mapping of scalars, flow lists of scalars and text blocks."""
    pad = " " * indent
    lines = []
    for key, value in data.items():
        if value is None:
            continue
        if isinstance(value, list | tuple):
            lines.append(f"{pad}{key}: {_flow(value)}")
        elif "\n" in str(value).strip():
            lines.append(f"{pad}{key}: |")
            lines += [f"{pad}  {line}".rstrip() for line in str(value).strip().split("\n")]
        else:
            # a one-line `|` block ends with a newline the reader strips anyway
            text = value.strip() if isinstance(value, str) else str(value).strip()
            lines.append(
                f"{pad}{key}: {scalar(Quoted(text) if isinstance(value, Quoted) else text)}"
            )
    return lines


def list_item_lines(data: Mapping[str, Any], indent: int) -> list[str]:
    """A mapping as one item of a block list: `- first: …` then the other keys under it."""
    lines = mapping_lines(data, indent + 2)
    if lines:
        lines[0] = " " * indent + "- " + lines[0][indent + 2 :]
    return lines
