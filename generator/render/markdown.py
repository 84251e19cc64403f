"""Markdown, one path for every page and every description field: render, then sanitise.

Raw HTML a teacher pastes, `javascript:`/`data:` links and event-handler attributes are
removed by an allow-list sanitiser (nh3, the Rust `ammonia` library) after rendering, so a
`<script>` in any field never reaches the output as markup.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html import unescape

from markupsafe import Markup

from generator.memo import NO_MEMO, Memo

# Ids the theme's templates give elements of a page; a heading never takes one of them.
TEMPLATE_IDS = frozenset(
    [
        "by-class",
        "by-date",
        "people-sheet",
        "week-month-work",
        "by-grade",
        "by-month",
        "by-person",
        "displays-now",
        "duties",
        "main",
        "mentions",
        "month-work",
        "people",
        "per-pupil",
        "programme",
        "related",
        "search-help",
        "search-q",
        "search-results",
        "search-status",
        "site-search-q",
        "themes",
        "top-books",
    ]
)


def render_markdown(text: str, memo: Memo = NO_MEMO) -> Markup:
    """The HTML of a Markdown text, through `memo` by the text: the pages and the search
    index ask for the same texts, and a build keeps them for the next."""
    return Markup(memo.lookup("markdown", text, lambda: _render(text, memo)))


def plain_markdown(text: str, memo: Memo = NO_MEMO) -> str:
    """A Markdown text as the plain text a reader sees (rendered and sanitised first),
    through `memo` by the text."""
    return memo.lookup("plain", text, lambda: plain_text(render_markdown(text, memo)))


def _render(text: str, memo: Memo) -> str:
    # Python-Markdown and nh3 imported on the first text not in the cache: a build after an
    # edit, whose texts are all kept, needs neither
    from generator.render.markdown_engine import render

    html = render(text)
    # the plain text made here, while the HTML is at hand: this is a render worker's or the
    # helper's work, the search index's is the build's own, after the pages, the others idle
    memo.offer("plain", text, lambda: plain_text(html))
    return html


_INLINE = {"a", "abbr", "b", "code", "del", "em", "i", "s", "span", "strong", "sub", "sup", "u"}
# The rendered Markdown has been through the sanitiser (nh3): only allow-listed tags with
# quoted attributes, no comments, no scripts, so a tag is exactly `<…>` and a regular
# expression reads it as well as an HTML parser would, at a tenth of the cost.
_TAG = re.compile(r"""<(/?)([a-zA-Z0-9]+)(?:[^>"']|"[^"]*"|'[^']*')*>""")
_APART = "\0"  # where a block tag was: a space, but not one a Chinese line break may eat
# A line break inside a Chinese paragraph is not a space: 合作，\n让 must stay searchable
# as one run of text.
_CJK_BREAK = re.compile(r"(?<=[^\x00-\x7f])[ \t]*\n\s*(?=[^\x00-\x7f])")


def _tag(match: re.Match[str]) -> str:
    return "" if match[2].lower() in _INLINE else _APART  # table cells, list items, <br>


def plain_text(html: str) -> str:
    """Sanitised HTML (`render_markdown`'s) as the plain text a reader sees: tags gone, a
    block's end a space, a line break between Chinese characters nothing."""
    text = _CJK_BREAK.sub("", _TAG.sub(_tag, str(html)))
    return " ".join(unescape(text).replace(_APART, " ").split())  # runs of space: one


# --- bounded work -------------------------------------------------------------------------
# Python-Markdown has no time limit and some inputs cost far more than their length: its link
# parser scans from every `[` to the end of the text, a `<` that opens a tag and is never
# closed makes the HTML parser look through the rest of the document, and each level of
# nesting re-parses what it holds. The numbers below were measured (tests/test_limits.py and
# the closing note of issue 16): at these limits the worst accepted text renders in about
# 0.3 s; 8,000 `[` took 6.7 s and a list 3,000 levels deep never finished.
MAX_MARKDOWN_CHARS = 100_000
MAX_MARKDOWN_DEPTH = 50
MAX_MARKDOWN_BRACKETS = 500  # `[` (links, images, footnotes) in one text
MAX_MARKDOWN_OPEN_TAGS = 50  # `<` + a letter with no `>` after it on its line

_QUOTE_OR_ITEM = re.compile(r"[ \t]*(?:>|[-*+][ \t]|\d{1,9}[.)][ \t])")
_OPEN_TAG = re.compile(r"</?[A-Za-z!?]")


@dataclass(frozen=True)
class MarkdownLimit:
    """Why a Markdown text is refused: a problem code (E706–E709), the line of the text it is
    on (1 is the text's first line), and the message's parameters."""

    code: str
    line: int
    params: dict[str, int]


def check_markdown(text: str) -> MarkdownLimit | None:
    """The first limit `text` exceeds, or None: run before rendering (when the file is
    loaded, so the problem has its position), in time linear in the text."""
    if len(text) > MAX_MARKDOWN_CHARS:
        return MarkdownLimit("E706", 1, {"length": len(text), "limit": MAX_MARKDOWN_CHARS})
    if _within_limits(text):
        return None
    brackets = open_tags = 0
    for number, line in enumerate(text.split("\n"), start=1):
        depth = _depth(line)
        if depth > MAX_MARKDOWN_DEPTH:
            return MarkdownLimit("E707", number, {"depth": depth, "limit": MAX_MARKDOWN_DEPTH})
        brackets += line.count("[")
        if brackets > MAX_MARKDOWN_BRACKETS:
            return MarkdownLimit(
                "E708", number, {"count": text.count("["), "limit": MAX_MARKDOWN_BRACKETS}
            )
        if "<" in line:
            open_tags += _open_tags(line)
            if open_tags > MAX_MARKDOWN_OPEN_TAGS:
                return MarkdownLimit(
                    "E709", number, {"count": open_tags, "limit": MAX_MARKDOWN_OPEN_TAGS}
                )
    return None


def _within_limits(text: str) -> bool:
    """True when no line can exceed a limit, found without going through the text line by
    line (nearly every text): the line-by-line walk then finds nothing, and it is only
    walked to say which line and limit. A line's depth is at most its length (each level
    is at least one character: `>`, a marker, a tab or four spaces), so only a line longer
    than the limit and starting as a nested line can; the brackets and the open tags are
    at most the text's `[` and `<`."""
    if text.count("[") > MAX_MARKDOWN_BRACKETS or text.count("<") > MAX_MARKDOWN_OPEN_TAGS:
        return False
    return all(_depth(line[0]) <= MAX_MARKDOWN_DEPTH for line in _MAY_NEST.finditer(text))


# a line that may nest deeper than the limit (`\d`: _QUOTE_OR_ITEM's digits are any digits)
_MAY_NEST = re.compile(rf"^[ \t>*+\-\d][^\n]{{{MAX_MARKDOWN_DEPTH},}}", re.MULTILINE)


def _depth(line: str) -> int:
    """How deeply a line nests: each `>` and list marker at its start is a level, and so is
    each four columns of indentation (Python-Markdown nests lists by four spaces). Counted
    generously: a deep code block is refused too, which no teacher's text needs."""
    depth = 0
    rest = line
    while True:
        match = _QUOTE_OR_ITEM.match(rest)
        if not match:
            break
        depth += 1
        rest = rest[match.end() :]
    indent = len(line) - len(line.lstrip(" \t"))
    return depth + line[:indent].expandtabs(4).count(" ") // 4


def _open_tags(line: str) -> int:
    """The tags on a line that are opened (`<a`, `</b`, `<!--`) with no `>` after them."""
    last_close = line.rfind(">")  # once per line: the check stays linear in the text
    return sum(1 for match in _OPEN_TAG.finditer(line) if match.start() > last_close)
