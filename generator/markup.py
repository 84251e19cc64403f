"""Markdown, one path for every page and every description field: render, then sanitise.

Raw HTML a teacher pastes, `javascript:`/`data:` links and event-handler attributes are
removed by an allow-list sanitiser (nh3, the Rust `ammonia` library) after rendering, so a
`<script>` in any field never reaches the output as markup.
"""

from __future__ import annotations

from functools import lru_cache

import markdown
import nh3
from markupsafe import Markup

from generator import cache

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

_md = markdown.Markdown(
    extensions=["tables", "toc", "sane_lists"], extension_configs={"toc": {"permalink": False}}
)


def render_markdown(text: str) -> Markup:
    # The persistent cache is asked first, so a build records every text it used even when
    # this process rendered it before.
    return Markup(cache.cached("markdown", lambda: cache.digest(text), lambda: _render(text)))


@lru_cache(maxsize=4096)
def _render(text: str) -> str:
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
