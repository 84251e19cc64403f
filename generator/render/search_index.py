"""The search index: `Site` → `search-index.js`, one script that assigns a global.

The search page must work from file:// (no fetch of JSON there) and under any URL prefix,
so the index is a plain script loaded with a relative `<script src>`, and every link in it
is relative to the site root; the page's script turns it into a page-relative link.

What is indexed: calendar items (linked to their anchor on the month page), festivals and
their stages, rosters and their story sessions, displays and their books, pages and news.
People are never indexed: not roster members, not the person reading a story, not an
event's owner, a display's curator or a festival's winners. A roster is found by its name,
kind, monthly themes and the titles of its stories.

An entry is `[kind, title, url, where, keys, body]`: `title` ranks highest, then `keys`
(author, location, themes, tags), then `body` (the description as plain text); `where` is
only shown. Items come in a fixed order (pages, festivals, rosters, displays, news, then
the calendar of each term, current first), which is the order of equal-ranked results.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import partial

from generator.assemble.content import Doc, Markdown, RosterView
from generator.assemble.site import Site
from generator.assemble.term import Occurrence, TermCalendar
from generator.memo import NO_MEMO, Memo
from generator.model.base import N_
from generator.model.categories import CATEGORIES
from generator.model.display import Display
from generator.model.festival import Festival
from generator.model.term import RecurringEvent
from generator.plan import urls
from generator.render.markdown import render_markdown
from generator.render.words import Words

GLOBAL = "LIBRARY_SEARCH"
KINDS = {
    "page": N_("页面"),
    "festival": N_("读书节"),
    "stage": N_("读书节活动"),
    "roster": N_("名单"),
    "session": N_("故事"),
    "display": N_("主题展示"),
    "book": N_("展出图书"),
    "news": N_("新闻"),
    "event": N_("校历"),
    "month": N_("本月工作"),
}


@dataclass(frozen=True)
class SearchEntry:
    kind: str  # a key of KINDS
    title: str
    url: str  # relative to the site root, with `#anchor` where the item has one
    where: str = ""  # when / which term / part of what: shown, not searched
    keys: str = ""
    body: str = ""


def search_entries(site: Site, memo: Memo = NO_MEMO) -> list[SearchEntry]:
    entries: list[SearchEntry] = []
    for group in _groups(site, memo):
        if isinstance(group, SearchEntry):
            entries.append(group)
        else:
            entries += group
    return entries


def _groups(site: Site, memo: Memo) -> Iterator[SearchEntry | list[SearchEntry]]:
    """The entries a page's or a group at a time: a festival's with its stages, a roster's
    with its sessions, a display's with its books, a term's items. One at a time: a big
    site's entries (and their plain text) need not all be kept."""
    content = site.content
    w = site.words
    yield from (_page(p, urls.page(p.slug), w, memo) for p in content.pages)
    yield from (_festival(doc, w, memo) for doc in content.festivals)
    yield from (_roster(view, w, memo) for view in content.rosters)
    yield from (_display(doc, w, memo) for doc in content.displays)
    yield from (_page(n, urls.news_item(n.slug), w, memo, "news") for n in content.news)
    for term in site.terms:
        yield _calendar(term, w, memo)


def _festival(doc: Doc[Festival], w: Words, memo: Memo) -> list[SearchEntry]:
    f, page = doc.model, urls.festival(doc.id)
    entry = SearchEntry(
        "festival",
        f.name,
        page,
        w.span(f.from_, f.to),
        _words(f.theme, *f.organisers),
        _words(_text(memo, f.summary), *(a.title for a in f.results)),
    )
    return [
        entry,
        *(
            SearchEntry(
                "stage",
                s.title,
                urls.festival(doc.id, f"stage-{i}"),
                f"{f.name} · {w.span(s.start, s.end)}",
                _words(s.location, s.audience),
                _text(memo, s.description),
            )
            for i, s in enumerate(f.stages, start=1)
        ),
    ]


def _roster(view: RosterView, w: Words, memo: Memo) -> list[SearchEntry]:
    r, page = view.roster, urls.roster(view.id)
    entry = SearchEntry(
        "roster",
        r.name,
        page,
        w._(r.kind_name),
        _words(w._(r.kind_name), *(t.theme for t in r.themes)),
        _text(memo, r.summary),
    )
    return [
        entry,
        *(
            SearchEntry(
                "session",
                ps.session.title,
                urls.roster(view.id, ps.anchor),
                _words(r.name, w.day(ps.date), ps.session.class_),
                _words(ps.theme),
            )
            for ps in view.sessions
            if ps.session.title
        ),
    ]


def _display(display: Doc[Display], w: Words, memo: Memo) -> list[SearchEntry]:
    d, page = display.model, urls.display(display.id)
    entry = SearchEntry(
        "display",
        d.title,
        page,
        _words(w.span(d.from_, d.to), d.location),
        _words(d.location),
        _words(_text(memo, d.description), *(img.alt for img in d.images)),
    )
    return [
        entry,
        *(
            SearchEntry(
                "book",
                b.title,
                urls.display(display.id, f"book-{i}"),
                d.title,
                _words(b.author, b.isbn, b.call_number),
            )
            for i, b in enumerate(d.books, start=1)
        ),
    ]


def _page(doc: Markdown, url: str, w: Words, memo: Memo, kind: str = "page") -> SearchEntry:
    """A page's or article's entry, through `memo` by what it is made of (the preview
    makes the index again on every save; a site may have 4,000 articles)."""
    meta = doc.meta
    key = (kind, url, meta.title, meta.date, tuple(meta.tags), meta.summary, doc.body, w.locale)
    return memo.lookup("search-page", key, lambda: _page_entry(doc, url, w, memo, kind))


def _page_entry(doc: Markdown, url: str, w: Words, memo: Memo, kind: str) -> SearchEntry:
    meta = doc.meta
    return SearchEntry(
        kind,
        meta.title,
        url,
        w.day(meta.date) if meta.date else "",
        _words(*meta.tags, meta.summary),
        _text(memo, doc.body),
    )


def _calendar(term: TermCalendar, w: Words, memo: Memo) -> list[SearchEntry]:
    """A term's own items: one entry per item, a weekly rule once (at its first day).
    Items that come from a festival, roster or display are found there instead."""
    entries = []
    seen: set[str] = set()
    name = term.term.name
    for occ in term.occurrences:
        if occ.part_of is not None:
            continue
        if occ.recurring:
            if str(occ.origin) in seen:
                continue
            seen.add(str(occ.origin))
        event = occ.event
        entries.append(
            SearchEntry(
                "event",
                event.title,
                urls.occurrence(term, occ),
                f"{_when(occ, w)} · {name}",
                _words(w._(CATEGORIES[event.category].name), event.location, event.audience),
                _text(memo, event.description),
            )
        )
    for item in term.month_items:
        event = item.event
        assert event.month is not None
        entries.append(
            SearchEntry(
                "month",
                event.title,
                urls.month_item(term, item),
                f"{w.month(event.month.year, event.month.month)} · {name}",
                _words(w._(CATEGORIES[event.category].name), event.location, event.audience),
                _text(memo, event.description),
            )
        )
    return entries


def _when(occ: Occurrence, w: Words) -> str:
    _ = w._  # the name pybabel extract looks for
    event = occ.event
    if isinstance(event, RecurringEvent):
        days = _("、").join(w.weekdays[d] for d in sorted(set(event.weekdays)))
        every = _("每%(days)s", days=days)
        return f"{every} {w.span(event.from_, event.to)}"
    if occ.whole_week:
        return _("第%(n)s周（整周）", n=occ.week)
    if occ.multi_day:
        return w.span(occ.start, occ.end)
    return f"{w.day(occ.start)} {w.weekdays[occ.start.weekday()]}"


def _words(*parts: str | None) -> str:
    return " ".join(p for p in parts if p)


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


def _text(memo: Memo, markdown: str | None) -> str:
    """A Markdown field as the plain text a reader sees (rendered and sanitised first)."""
    if not markdown:
        return ""
    return memo.lookup("plain", markdown, lambda: _plain_text(markdown, memo))


def _plain_text(markdown: str, memo: Memo) -> str:
    text = _CJK_BREAK.sub("", _TAG.sub(_tag, str(render_markdown(markdown, memo))))
    return " ".join(html.unescape(text).replace(_APART, " ").split())  # runs of space: one


def search_index(site: Site, memo: Memo = NO_MEMO) -> bytes:
    """The index script: the same site always gives the same bytes. Made an entry at a time
    (the JSON of `{"kinds": …, "items": [entry, …]}`), so a big site's index is never held
    as one string as well as the bytes."""
    words = site.words
    kinds = {key: words._(label) for key, label in KINDS.items()}
    index = bytearray(f'window.{GLOBAL}={{"kinds":'.encode())
    index += _json(kinds) + b',"items":['
    first = True
    for group in _groups(site, memo):
        if not group:
            continue
        if not first:
            index += b","
        entries = (group,) if isinstance(group, SearchEntry) else group
        index += b",".join(memo.lookup("search-json", e, partial(_item_json, e)) for e in entries)
        first = False
    index += b"]};\n"
    return bytes(index)  # grown in place: the items are never all kept besides the index


def _json(value: object) -> bytes:
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    # JSON allows these two line separators inside strings; older JavaScript does not.
    return text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029").encode()


def _item_json(entry: SearchEntry) -> bytes:
    return _json([entry.kind, entry.title, entry.url, entry.where, entry.keys, entry.body])
