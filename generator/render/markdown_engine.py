"""Python-Markdown and the nh3 sanitiser, set up once: imported by `render.markdown` on the
first text it has to render (the rest of that module, the limits and the cache, needs
neither package)."""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as etree
from collections.abc import Callable
from functools import cache

import markdown
import nh3
from markdown.extensions import Extension
from markdown.extensions.toc import render_inner_html, slugify_unicode, strip_tags, unique
from markdown.treeprocessors import InlineProcessor, Treeprocessor
from markdown.util import AtomicString

from generator.render.markdown import TEMPLATE_IDS

# what the sanitiser lets through: everything else a teacher pastes is removed
_TAGS = {
    "a",
    "abbr",
    "b",
    "blockquote",
    "br",
    "code",
    "dd",
    "del",
    "div",
    "dl",
    "dt",
    "em",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "i",
    "img",
    "li",
    "ol",
    "p",
    "pre",
    "s",
    "span",
    "strong",
    "sub",
    "sup",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "tr",
    "u",
    "ul",
}
_ATTRIBUTES = {
    "*": {"id", "title", "lang"},
    "a": {"href"},
    "img": {"src", "alt", "width", "height"},
    "th": {"scope", "colspan", "rowspan", "align"},
    "td": {"colspan", "rowspan", "align"},
}
_SCHEMES = {"http", "https", "mailto", "tel"}


class _HeadingIds(Treeprocessor):
    """An id on every heading, from its words, so a link can point into a page: ## 借阅规则
    is #借阅规则 (Chinese kept, unlike the toc extension's default), made unique. This is the
    part of the toc extension we used, without building a table of contents for every text
    (a tenth of the Markdown time)."""

    def run(self, root: etree.Element) -> None:
        used = set(TEMPLATE_IDS) | {el.attrib["id"] for el in root.iter() if "id" in el.attrib}
        counters: dict[str, int] = {}
        for el in root.iter():
            if el.tag in _HEADINGS and "id" not in el.attrib:
                name = html.unescape(strip_tags(render_inner_html(el, self.md)))
                el.attrib["id"] = unique(slugify_unicode(name, "-"), used, counters)


# What each of Python-Markdown's inline patterns (its name and class) cannot match without,
# any one of these: a text holding none of them has no inline markup, and is left as it is
# without trying the patterns one by one. An image's pattern needs "![", so "[" too.
_NEEDS: dict[tuple[str, str], tuple[str, ...]] = {
    ("backtick", "BacktickInlineProcessor"): ("`",),
    ("escape", "EscapeInlineProcessor"): ("\\",),
    ("reference", "ReferenceInlineProcessor"): ("[",),
    ("link", "LinkInlineProcessor"): ("[",),
    ("image_link", "ImageInlineProcessor"): ("[",),
    ("image_reference", "ImageReferenceInlineProcessor"): ("[",),
    ("short_reference", "ShortReferenceInlineProcessor"): ("[",),
    ("short_image_ref", "ShortImageReferenceInlineProcessor"): ("[",),
    ("autolink", "AutolinkInlineProcessor"): ("<",),
    ("automail", "AutomailInlineProcessor"): ("<",),
    ("linebreak", "SubstituteTagInlineProcessor"): ("  \n",),
    ("html", "HtmlInlineProcessor"): ("<",),
    ("entity", "HtmlInlineProcessor"): ("&",),
    ("em_strong", "DelimiterProcessor"): ("*", "_"),
}


@cache
def markup_finder(patterns: tuple[tuple[str, str], ...]) -> re.Pattern[str] | None:
    """What a text must hold for one of the inline `patterns` (name, class name) to match
    in it, as one search; None when one is not a pattern we know (another Python-Markdown,
    an extension's): every text then tries them all."""
    if any(pattern not in _NEEDS for pattern in patterns):
        return None
    needs = {need for pattern in patterns for need in _NEEDS[pattern]}
    chars = "".join(sorted(need for need in needs if len(need) == 1))
    longer = sorted(re.escape(need) for need in needs if len(need) > 1)
    return re.compile("|".join([f"[{re.escape(chars)}]", *longer]))


def inline_patterns(md: markdown.Markdown) -> tuple[tuple[str, str], ...]:
    """The inline patterns of `md`, in order: (name, class name)."""
    registry = md.inlinePatterns  # its names in order are kept only in `_priority`
    return tuple((item.name, type(registry[item.name]).__name__) for item in registry._priority)  # type: ignore[attr-defined]


class _InlineMarkup(InlineProcessor):
    """Python-Markdown's inline stage, which tries each of its ~15 patterns on every piece
    of text (a table cell, a list item, the text after a link): a piece with none of the
    characters any pattern needs (`markup_finder`) is given back as it came, which is what
    trying them all gives (a quarter of the Markdown time on the news corpus), and in a
    piece with some, a pattern is tried only while the piece holds what it needs (a text
    with a link and bold is not searched for code, escapes, autolinks, HTML and entities).
    The same HTML (tests/test_markdown_engine.py)."""

    finder: re.Pattern[str] | None = None
    needs: tuple[tuple[str, ...], ...] | None = None

    def run(self, tree: etree.Element, ancestors: list[str] | None = None) -> etree.Element:
        # the patterns as they are when the text is converted (an extension registered
        # after this one may have added some)
        patterns = inline_patterns(self.md)
        self.finder = markup_finder(patterns)
        self.needs = tuple(_NEEDS[p] for p in patterns) if self.finder is not None else None
        return super().run(tree, ancestors)

    # Python-Markdown's own loop over the patterns, under its private (mangled) name: were
    # it renamed, this would no longer be called and every text would try every pattern
    # (the test that a plain text tries none would fail). The loop is Python-Markdown's,
    # but for the patterns skipped: one that cannot match is as one that did not.
    def _InlineProcessor__handleInline(self, data: str, patternIndex: int = 0) -> str:
        finder, needs = self.finder, self.needs
        if finder is None or needs is None:  # a pattern we do not know: Python-Markdown's loop
            return super()._InlineProcessor__handleInline(data, patternIndex)  # type: ignore[misc]
        if isinstance(data, AtomicString) or not finder.search(data):
            return data
        apply = self._InlineProcessor__applyPattern  # type: ignore[attr-defined]
        patterns = self.inlinePatterns
        start = 0
        while patternIndex < len(patterns):
            if not any(need in data for need in needs[patternIndex]):
                matched, start = False, 0
            else:
                data, matched, start = apply(patterns[patternIndex], data, patternIndex, start)
            if not matched:
                patternIndex += 1
        return data


# What a block processor (its name and class) cannot take a block without: one that lacks
# it is not tested (the tables extension split every block's first rows into cells to see
# whether it was a table: a tenth of the Markdown time on the news corpus).
_BLOCK_NEEDS: dict[tuple[str, str], str] = {("table", "TableProcessor"): "|"}


def _needing(test: Callable[[etree.Element, str], bool], need: str) -> Callable[..., bool]:
    def needing(parent: etree.Element, block: str) -> bool:
        return need in block and test(parent, block)

    return needing


class _Ours(Extension):
    """Listed after the extensions whose block processors it shortcuts (`_BLOCK_NEEDS`)."""

    def extendMarkdown(self, md: markdown.Markdown) -> None:
        md.treeprocessors.register(_HeadingIds(md), "heading_ids", 5)  # after inline markup
        md.treeprocessors.register(_InlineMarkup(md), "inline", 20)  # in place of Markdown's
        for name in md.parser.blockprocessors._priority:  # type: ignore[attr-defined]
            processor = md.parser.blockprocessors[name.name]
            need = _BLOCK_NEEDS.get((name.name, type(processor).__name__))
            if need is not None:
                processor.test = _needing(processor.test, need)  # type: ignore[method-assign]


_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
_md = markdown.Markdown(extensions=["tables", _Ours(), "sane_lists"])


def render(text: str) -> str:
    """Rendered and sanitised: the HTML a page shows."""
    _md.reset()
    html = _md.convert(text)
    clean = nh3.clean(
        html,
        tags=_TAGS,
        attributes=_ATTRIBUTES,
        url_schemes=_SCHEMES,
        link_rel=None,
        strip_comments=True,
    )
    return clean
