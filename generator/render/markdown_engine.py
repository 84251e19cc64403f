"""Python-Markdown and the nh3 sanitiser, set up once: imported by `render.markdown` on the
first text it has to render (the rest of that module, the limits and the cache, needs
neither package)."""

from __future__ import annotations

import html
import xml.etree.ElementTree as etree

import markdown
import nh3
from markdown.extensions import Extension
from markdown.extensions.toc import render_inner_html, slugify_unicode, strip_tags, unique
from markdown.treeprocessors import Treeprocessor

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


class _HeadingIdsExtension(Extension):
    def extendMarkdown(self, md: markdown.Markdown) -> None:
        md.treeprocessors.register(_HeadingIds(md), "heading_ids", 5)  # after inline markup


_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
_md = markdown.Markdown(extensions=["tables", _HeadingIdsExtension(), "sane_lists"])


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
