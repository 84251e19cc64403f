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

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import partial
from itertools import chain
from typing import TYPE_CHECKING, Any

from generator.assemble.content import Markdown
from generator.assemble.site import Site
from generator.assemble.term import Occurrence, TermCalendar
from generator.memo import NO_MEMO, Memo
from generator.model.base import N_
from generator.model.categories import CATEGORIES
from generator.model.term import RecurringEvent
from generator.plan import urls
from generator.plan.feeds import term_key
from generator.read.words import Words
from generator.render.markdown import plain_markdown

if TYPE_CHECKING:
    from generator.kinds.base import Kind

GLOBAL = "LIBRARY_SEARCH"
# the kinds of entry the calendar itself gives; each content kind adds its own
# (`Kind.search_labels`), before these
CALENDAR_LABELS = {"event": N_("校历"), "month": N_("本月工作")}


@dataclass(frozen=True)
class SearchEntry:
    kind: str  # a key of the labels: a content kind's `search_labels`, or CALENDAR_LABELS
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
    w = site.words
    for kind in site.kinds:
        yield from (kind.search(view, w, memo) for view in site.content.of(kind.name))
    for term in site.terms:  # an unchanged term's entries are the last build's
        yield _term_entries(term, w, memo)


def page_entry(doc: Markdown, url: str, kind: str, w: Words, memo: Memo) -> SearchEntry:
    """A page's or article's entry, through `memo` by what it is made of (the preview
    makes the index again on every save; a site may have 4,000 articles)."""
    meta = doc.meta
    key = (kind, url, meta.title, meta.date, tuple(meta.tags), meta.summary, doc.body, w.locale)
    return memo.lookup("search-page", key, lambda: _page_entry(doc, url, kind, w, memo))


def _page_entry(doc: Markdown, url: str, kind: str, w: Words, memo: Memo) -> SearchEntry:
    meta = doc.meta
    return SearchEntry(
        kind,
        meta.title,
        url,
        w.day(meta.date) if meta.date else "",
        joined(*meta.tags, meta.summary),
        plain(memo, doc.body),
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
                joined(
                    w._(CATEGORIES[event.category].name),
                    event.location,
                    event.audience,
                    *event.grades,
                    *event.classes,
                ),
                plain(memo, event.description),
            )
        )
    for item in term.month_items:
        event = item.event
        entries.append(
            SearchEntry(
                "month",
                event.title,
                urls.month_item(term, item),
                f"{w.month(item.month.year, item.month.month)} · {name}",
                joined(
                    w._(CATEGORIES[event.category].name),
                    event.location,
                    event.audience,
                    *event.grades,
                    *event.classes,
                ),
                plain(memo, event.description),
            )
        )
    return entries


def rule_words(event: RecurringEvent, w: Words) -> str:
    """每周三 / 每月最后一个周五 / 每月15日: a repeating item's rule, in the site's words."""
    _ = w._  # the name pybabel extract looks for
    if event.monthly:
        if event.day is not None:
            return _("每月%(day)s日", day=event.day)
        assert event.weekday is not None and event.nth is not None
        weekday = w.weekdays[event.weekday]
        if event.nth == -1:
            return _("每月最后一个%(weekday)s", weekday=weekday)
        return _("每月第%(n)s个%(weekday)s", n=event.nth, weekday=weekday)
    days = _("、").join(w.weekdays[d] for d in sorted(set(event.weekdays or ())))
    return _("每%(days)s", days=days)


def _when(occ: Occurrence, w: Words) -> str:
    _ = w._  # the name pybabel extract looks for
    event = occ.event
    if isinstance(event, RecurringEvent):
        return f"{rule_words(event, w)} {w.span(event.from_, event.to)}"
    if occ.whole_week:
        first, last = occ.weeks
        if last > first:
            return _("第%(first)s–%(last)s周（整周）", first=first, last=last)
        return _("第%(n)s周（整周）", n=occ.week)
    if occ.multi_day:
        return w.span(occ.start, occ.end)
    return f"{w.day(occ.start)} {w.weekdays[occ.start.weekday()]}"


def joined(*parts: str | None) -> str:
    """The parts that are there, with a space between."""
    return " ".join(p for p in parts if p)


def plain(memo: Memo, markdown: str | None) -> str:
    """A Markdown field as the plain text a reader sees (rendered and sanitised first)."""
    return plain_markdown(markdown, memo) if markdown else ""


def search_index(site: Site, memo: Memo = NO_MEMO) -> bytes:
    """The index script: the same site always gives the same bytes: the JSON of
    `{"kinds": …, "items": [entry, …]}`, joined once from `search_index_parts`."""
    return b"".join(search_index_parts(site, memo))


def search_index_parts(site: Site, memo: Memo = NO_MEMO) -> Iterator[bytes | bytearray]:
    """The index script a part at a time (a kind's or a term's items): a build writes each
    as it comes, so a 4,000-article site's index is never held whole, nor twice when joined."""
    words = site.words
    labels = {key: label for kind in site.kinds for key, label in kind.search_labels.items()}
    kinds = {key: words._(label) for key, label in {**labels, **CALENDAR_LABELS}.items()}
    yield f'window.{GLOBAL}={{"kinds":'.encode() + _json(kinds) + b',"items":['
    # a kind's or a term's items at a time, the last build's while its views are the same
    # objects (or equal): the preview makes the index again on every save, and an edit of
    # one term need not look up the 4,000 articles' entries again
    parts = (
        memo.keep(
            "search-kind-json",
            kind.name,
            (views, words.key),
            partial(_kind_json, kind, views, words, memo),
        )
        for kind in site.kinds
        for views in (site.content.of(kind.name),)
    )
    terms = (
        memo.keep(
            "search-term-json",
            term.term.id,
            (term, words.key),
            partial(_term_json, site, term, words, memo),
        )
        for term in site.terms
    )
    after = False  # a piece before: the next part's first is after a comma
    for part in chain(parts, terms):
        for i, piece in enumerate(part):
            if after and not i:
                yield b","
            yield piece
            after = True
    yield b"]};\n"


def _term_entries(term: TermCalendar, w: Words, memo: Memo) -> list[SearchEntry]:
    """A term's calendar entries, the last build's while the term is the same."""
    return memo.keep("search-term", term.term.id, (term, w.key), partial(_calendar, term, w, memo))


def _term_json(site: Site, term: TermCalendar, w: Words, memo: Memo) -> list[bytearray]:
    """A term's items, in the build cache by what its calendar is made of (`term_key`)."""

    def make() -> list[bytearray]:
        return list(_part_json((_term_entries(term, w, memo),), memo))

    key = term_key(site, term, memo)
    if key is None:
        return make()
    return memo.lookup("search-term-json", (key, repr(w.key)), make)


def _kind_json(kind: Kind, views: tuple[Any, ...], w: Words, memo: Memo) -> Iterator[bytearray]:
    return _part_json((kind.search(view, w, memo) for view in views), memo)


# The JSON of a kind's or a term's items in pieces of about this size, each written as it is
# made: a piece is grown in place an item at a time (joined from a list, a big kind's items
# were held twice), and a 4,000-article kind's 6 MB held whole was the top of a build's
# memory.
PIECE_BYTES = 1 << 16


def _part_json(
    groups: Iterable[SearchEntry | list[SearchEntry]], memo: Memo
) -> Iterator[bytearray]:
    """The items of `groups` (a page's entry, or a group's: `_groups`), comma-separated, in
    pieces of about `PIECE_BYTES`, each given as it is full; none when there are no items."""
    out, first = bytearray(), True
    for group in groups:
        for e in (group,) if isinstance(group, SearchEntry) else group:
            if not first:
                out += b","
            out += memo.lookup("search-json", e, partial(_item_json, e))
            first = False
            if len(out) >= PIECE_BYTES:
                yield out
                out = bytearray()
    if out:
        yield out


def _json(value: object) -> bytes:
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    # JSON allows these two line separators inside strings; older JavaScript does not.
    return text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029").encode()


def _item_json(entry: SearchEntry) -> bytes:
    return _json([entry.kind, entry.title, entry.url, entry.where, entry.keys, entry.body])
