"""Lint before parse: the characters a Chinese keyboard, WeChat and Word put into YAML.

PyYAML reports where it gave up, in English, often a line after the mistake. These checks
find the culprit character itself (a full-width colon, a tab, an ideographic space, a
zero-width space...) and name it in the teacher's words. `after_failure` scans the text
line by line once the parser has failed; `in_scalar` looks inside one parsed scalar, for
the mistakes that still parse (`title：开馆` is a valid plain scalar, but not a key).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from generator.problems.problem import Problem
from generator.read.text import Source

CODES = frozenset({*(f"E60{n}" for n in range(1, 10)), "E219"})
ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff"
_ZERO_WIDTH = re.compile(f"[{ZERO_WIDTH}]")
ODD_SPACES = "\u3000\u00a0"
DASHES = "－—–﹣"
_NAMES = {
    "\u3000": {"zh": "全角空格", "en": "an ideographic (full-width) space"},
    "\u00a0": {"zh": "不换行空格", "en": "a no-break space"},
    "\u200b": {"zh": "零宽空格 (U+200B)", "en": "a zero-width space (U+200B)"},
    "\u200c": {"zh": "零宽字符 (U+200C)", "en": "a zero-width non-joiner (U+200C)"},
    "\u200d": {"zh": "零宽字符 (U+200D)", "en": "a zero-width joiner (U+200D)"},
    "\u2060": {"zh": "零宽字符 (U+2060)", "en": "a word joiner (U+2060)"},
    "\ufeff": {"zh": "零宽字符 (U+FEFF)", "en": "a zero-width no-break space (U+FEFF)"},
    # line breaks to YAML, not to Notepad: pasted from Word or a web page
    "\x85": {"zh": "换行控制符 (U+0085)", "en": "a next-line control (U+0085)"},
    "\u2028": {"zh": "行分隔符 (U+2028)", "en": "a line separator (U+2028)"},
    "\u2029": {"zh": "段落分隔符 (U+2029)", "en": "a paragraph separator (U+2029)"},
}
# Valid YAML in Chinese text can hold these (“小牛顿”擂台赛, a comma inside a title, an odd
# indent the parser accepts): after a parse failure they are suspects only near it.
NEAR_FAILURE_ONLY = frozenset({"E602", "E604", "E609"})

_KEY = r"[A-Za-z_][A-Za-z0-9_-]*"
_WIDE_COLON = re.compile(rf"^(?:-\s+)?{_KEY}[ \t]*(：)")
_ODD_AFTER_COLON = re.compile(rf"^(?:-\s+)?{_KEY}:([{ODD_SPACES}])")
_DASH = re.compile(rf"^([{DASHES}])[ \t{ODD_SPACES}]")
_CURLY = re.compile(rf"^(?:-\s+)?(?:{_KEY}:\s+)?([“‘”’])")
_VALUE = re.compile(rf"^(?:-\s+)?({_KEY}):[ \t]+(?P<value>[^\s'\"\[{{|>&*!#].*)$")
_INNER_COLON = re.compile(r":(?=[ \t]|$)")
# `title:开馆准备`: a key, its colon and the value with no space between (a URL's `://` and a
# time's `12:30` are not keys)
_NO_SPACE = re.compile(rf"^(?:-\s+)?({_KEY}):(?P<value>[^\s:/\\#].*)$")
# `title: "小管"会议`: text after the closing quote of a quoted value
_QUOTED_VALUE = re.compile(
    rf"""^(?:-\s+)?({_KEY}):[ \t]+(?P<quoted>"(?:[^"\\]|\\.)*"|'(?:[^']|'')*')(?P<rest>.*)$"""
)
_BLOCK_START = re.compile(r"(?:^|:|-)[ \t]*[|>][0-9+-]*[ \t]*(?:#.*)?$")


def name(ch: str) -> dict[str, str]:
    code = f"U+{ord(ch):04X}"
    return _NAMES.get(ch, {"zh": f"控制字符 ({code})", "en": f"a control character ({code})"})


def after_failure(source: Source) -> list[Problem]:
    """Every hint in a file the parser refused, each at its culprit character."""
    problems: list[Problem] = []
    open_indents: list[int] = [0]
    opens_block = True  # the line before was `key:` or `- ` with nothing after: a child may follow
    block_indent: int | None = None  # inside a `|` or `>` block: its lines are text, not YAML
    for number, line in enumerate(source.lines, start=1):
        stripped = line.lstrip(" ")
        indent = len(line) - len(stripped)
        if block_indent is not None:
            if not stripped or indent > block_indent:
                continue
            block_indent = None
        if not stripped.strip() or stripped.startswith("#"):
            continue
        found = list(_line_hints(source, number, line, indent))
        problems.extend(found)
        body = stripped.rstrip()
        if not found:
            off = _off_by_one(open_indents, indent, opens_block)
            if off is not None:
                problems.append(
                    source.problem("E609", number, indent + 1, expected=off, found=indent)
                )
                indent = off
        while open_indents[-1] > indent:
            open_indents.pop()
        if open_indents[-1] < indent:
            open_indents.append(indent)
        item = re.match(r"-[ \t]+", body)
        if item and ":" in body:  # `- title: x` opens a mapping at the key's column
            open_indents.append(indent + item.end())
        opens_block = body.endswith(":") or body == "-"
        if _BLOCK_START.search(body):
            block_indent = indent
    return problems


def _off_by_one(open_indents: list[int], indent: int, opens_block: bool) -> int | None:
    """The indentation a line most likely meant, when it is one space from a level in use."""
    if indent in open_indents or (opens_block and indent > open_indents[-1]):
        return None
    for level in reversed(open_indents):
        if abs(level - indent) == 1:
            return level
    return None


def _line_hints(source: Source, number: int, line: str, indent: int) -> Iterator[Problem]:
    for col, ch in enumerate(line, start=1):
        if ch in ZERO_WIDTH:
            yield source.problem("E606", number, col, char=name(ch))
    lead = re.match(rf"[ \t{ODD_SPACES}{ZERO_WIDTH}]*", line)
    assert lead is not None
    for col, ch in enumerate(lead.group(), start=1):
        if ch == "\t":
            yield source.problem("E607", number, col)
            break
        if ch in ODD_SPACES:
            yield source.problem("E605", number, col, char=name(ch))
            break
    rest = line[lead.end() :]
    yield from _text_hints(source, number, lead.end(), rest, in_flow=False)
    curly = _CURLY.match(rest)
    if curly:
        yield source.problem("E604", number, lead.end() + curly.start(1) + 1, quote=curly.group(1))
    flow = rest.find("[")
    comma = rest.find("，", flow) if flow >= 0 else -1
    if comma >= 0:
        yield source.problem("E602", number, lead.end() + comma + 1)
    closed = _QUOTED_VALUE.match(rest)
    if closed:
        after = closed.group("rest")
        text = after.split(" #")[0].rstrip() if not after.startswith("#") else ""
        if text.strip():
            whole = closed.group("quoted") + text
            fixed = "'" + whole.replace("'", "''") + "'"
            yield source.problem(
                "E220",
                number,
                lead.end() + closed.start("rest") + len(text) - len(text.lstrip()) + 1,
                rest=text.strip(),
                fixed=f"{closed.group(1)}: {fixed}",
            )
    value = _VALUE.match(rest)
    if value and not curly:
        text = value.group("value").split(" #")[0].rstrip()
        inner = _INNER_COLON.search(text)
        if inner:
            quoted = f'"{text}"' if '"' not in text else "'" + text.replace("'", "''") + "'"
            yield source.problem(
                "E608",
                number,
                lead.end() + value.start("value") + inner.start() + 1,
                key=value.group(1),
                fixed=f"{value.group(1)}: {quoted}",
            )


def _text_hints(
    source: Source, number: int, offset: int, text: str, *, in_flow: bool, lost_key: bool = True
) -> Iterator[Problem]:
    """Hints for one line of YAML text starting at column `offset + 1` (no indentation).

    `lost_key`: a `key:value` here is a key that lost its space (E219). Not so for a list
    item or a key that parsed: `- QQ:12345` may be text; where a mapping was wanted, the
    validate stage says E219 (see `no_space_after_colon`)."""
    dash = _DASH.match(text)
    if dash:
        yield source.problem("E603", number, offset + 1, dash=dash.group(1))
        body = text[dash.end() :].lstrip(" ")
        offset, text = offset + len(text) - len(body), body
    colon = _WIDE_COLON.match(text)
    if colon:
        yield source.problem("E601", number, offset + colon.start(1) + 1)
    odd = _ODD_AFTER_COLON.match(text)
    if odd:
        yield source.problem("E605", number, offset + odd.start(1) + 1, char=name(odd.group(1)))
    squeezed = _NO_SPACE.match(text) if lost_key and not in_flow else None
    if squeezed and not odd:
        key, value = squeezed.group(1), squeezed.group("value").rstrip()
        yield source.problem(
            "E219", number, offset + squeezed.end(1) + 1, key=key, fixed=f"{key}: {value}"
        )
    if in_flow:
        comma = text.find("，")
        if comma >= 0:
            yield source.problem("E602", number, offset + comma + 1)


def has_zero_width(text: str) -> bool:
    """Whether `text` holds a zero-width character anywhere (`in_scalar` then looks in every
    scalar)."""
    return _ZERO_WIDTH.search(text) is not None


def looks_inside(text: str, start: int, end: int, *, plain: bool, is_value: bool) -> bool:
    """Whether `in_scalar` looks at the lines of the scalar `text[start:end]` (besides its
    zero-width characters): a plain key, list item or value of more than one line, and
    not plain ASCII with no colon (`title`, `2026-03-20`), since every hint there needs a
    colon or a character beyond ASCII (a full-width colon, comma or dash, an odd space)."""
    if not plain or (is_value and text.find("\n", start, end) < 0):
        return False
    piece = text[start:end]
    return not piece.isascii() or ":" in piece


def in_scalar(
    source: Source,
    start: int,
    end: int,
    line: int,
    col: int,
    *,
    plain: bool,
    is_key: bool,
    is_value: bool,
    in_flow: bool,
) -> list[Problem]:
    """Hints for a scalar that parsed: `start`/`end` are its character offsets in the text,
    `line`/`col` (1-based) where it starts.

    A mapping value's first line is text (`note: Tip：…` is fine); its continuation lines,
    and every line of a key or a list item, are where a `key：` means a lost key."""
    problems: list[Problem] = []
    text = source.text
    for found in _ZERO_WIDTH.finditer(text, start, end):  # rare: placed the slow way
        at_line, at_col = place(text, found.start())
        problems.append(source.problem("E606", at_line, at_col, char=name(found[0])))
    if not looks_inside(text, start, end, plain=plain, is_value=is_value):
        return problems  # e.g. a mapping value's first line is text: nothing to look at
    for n, piece in enumerate(text[start:end].split("\n")):
        body = piece.lstrip(" \t")
        # counted from the scalar's own start: place() counts from the top of the file,
        # once per line of every scalar, which was most of the time a big file took
        at_line, at_col = line + n, (col if n == 0 else 1) + len(piece) - len(body)
        if is_key and body[:1] in ODD_SPACES and body:
            problems.append(source.problem("E605", at_line, at_col, char=name(body[0])))
        if n or not is_value:
            problems.extend(
                _text_hints(source, at_line, at_col - 1, body, in_flow=in_flow, lost_key=n > 0)
            )
    return problems


def no_space_after_colon(text: str) -> tuple[int, str, str] | None:
    """For a text where a mapping was wanted (`- title:开馆准备` parses as the text
    "title:开馆准备"): the colon's offset, the key and the fixed line; else None."""
    squeezed = _NO_SPACE.match(text)
    if squeezed is None or "\n" in text:
        return None
    key, value = squeezed.group(1), squeezed.group("value").rstrip()
    return squeezed.end(1), key, f"{key}: {value}"


def place(text: str, index: int) -> tuple[int, int]:
    """1-based line and column of a character offset."""
    return text.count("\n", 0, index) + 1, index - text.rfind("\n", 0, index)
