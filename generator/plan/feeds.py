"""Which iCalendar feeds the site publishes, and what goes in each (`render.ics` writes them).

Everything dated (`calendar.ics`), one feed per category in use (`feeds/<category>.ics`),
and one per festival and per roster that has anything dated (`feeds/festival-<id>.ics`,
`feeds/roster-<id>.ics`: its stages or sessions, plus the calendar items that name it),
linked from that festival's or roster's page. An empty VCALENDAR is not valid, so a feed
with no items is not published.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from generator.assemble.content import Link
from generator.assemble.site import Site
from generator.assemble.term import Occurrence, TermCalendar
from generator.memo import NO_MEMO, Memo
from generator.model.base import N_
from generator.model.categories import CATEGORIES
from generator.plan import urls
from generator.read.yamlio import Marked

CALENDAR_FEED = urls.calendar_feed()


@dataclass(frozen=True)
class FeedItem:
    term: TermCalendar
    occurrence: Occurrence


@dataclass(frozen=True)
class Feed:
    """A named group of occurrences, written to `path` (relative to the site root)."""

    path: str
    name: str
    label: str  # the link text on pages: a message id when `page` is None
    description: str
    items: tuple[FeedItem, ...] = field(repr=False)
    page: Link | None = None  # the festival/roster page this feed belongs to, if any


def feeds(site: Site, memo: Memo = NO_MEMO) -> list[Feed]:
    """Every feed the site publishes: the whole calendar, one per category in use, then one
    per festival and per roster that has anything dated (an empty VCALENDAR is not valid).

    Made once per build by the plan, in one pass over the occurrences; the render stage
    writes what the plan made. `memo`: the preview's, which keeps each term's items (the
    same FeedItems while its calendar is the same object) and the kinds' picks in them."""
    library = f"{site.settings.school} {site.settings.library}"
    w = site.words
    every: list[FeedItem] = []
    by_category: dict[str, list[FeedItem]] = defaultdict(list)
    by_page: dict[tuple[str, str], list[FeedItem]] = defaultdict(list)
    placed = [
        # by identity (the id beside it): the render stage finds an item's term by its id
        memo.keep("feed-placed", term.term.id, (id(term), term), partial(_placed, term))
        for term in site.terms
    ]
    for term_items in placed:
        for item, key, pages in term_items:
            every.append(item)
            by_category[key].append(item)
            for page in pages:
                by_page[page].append(item)
    everything = w._("%(library)s全部日程", library=library)
    result = [Feed(CALENDAR_FEED, site.settings.library, N_("全部日程"), everything, tuple(every))]
    for key, category in CATEGORIES.items():
        if by_category[key]:
            shown = w._(category.name)
            result.append(
                Feed(
                    category_feed_path(key),
                    f"{site.settings.library} · {shown}",
                    category.name,
                    w._("%(library)s：%(category)s类日程", library=library, category=shown),
                    tuple(by_category[key]),
                )
            )
    for kind in site.kinds:
        if kind.feed_described is None:
            continue
        views = site.content.of(kind.name)
        # the items the kind says are each view's (a class's), picked for all views at once
        picked = _picked(kind, views, site, placed, memo) if kind.picks else None
        for k, view in enumerate(views):
            item_id, name = kind.feed_of(view)
            named = by_page[(kind.name, item_id)]
            items = tuple(named)
            if picked is not None:  # the items that name it, and those the kind picks
                chosen = {id(i) for i in named}
                mine = picked[k]
                if chosen:
                    ids = {id(every[i]) for i in mine} | chosen
                    items = tuple(i for i in every if id(i) in ids)
                else:
                    items = tuple(every[i] for i in mine)
            if not items:
                continue
            feed = Feed(
                content_feed_path(kind.name, item_id),
                f"{site.settings.library} · {name}",
                name,
                w._(kind.feed_described, library=library, name=name),
                items,
                Link(kind.name, item_id),
            )
            result.append(feed)
    return result


_Placed = tuple[FeedItem, str, tuple[tuple[str, str], ...]]  # an item, its category and pages


def _picked(
    kind: Any,
    views: tuple[Any, ...],
    site: Site,
    placed: list[tuple[_Placed, ...]],
    memo: Memo,
) -> list[list[int]]:
    """`kind.picked` over every term's items (indexes into them all, in the terms' order),
    a term at a time: the last build's picks of a term whose items are the same."""
    picked: list[list[int]] = [[] for _ in views]
    offset = 0
    for term, items in zip(site.terms, placed, strict=True):
        occurrences = [item.occurrence for item, _, _ in items]
        mine = memo.keep(
            "feed-picks",
            f"{kind.name}/{term.term.id}",
            (views, items),
            partial(kind.picked, views, occurrences),
        )
        for k, found in enumerate(mine):
            picked[k] += (offset + i for i in found)
        offset += len(items)
    return picked


def _placed(term: TermCalendar) -> tuple[_Placed, ...]:
    placed = []
    for occ in term.occurrences:
        # a stage/session built from the file, or an events.yaml item that names it
        pages = set(occ.event.links)
        if occ.part_of is not None:
            pages.add((occ.part_of.kind, occ.part_of.id))
        placed.append((FeedItem(term, occ), occ.event.category, tuple(sorted(pages))))
    return tuple(placed)


def content_feed_path(kind: str, item_id: str) -> str:
    return urls.content_feed(kind, item_id)


def category_feed_path(key: str) -> str:
    return urls.category_feed(key)


def term_key(site: Site, term: TermCalendar, memo: Memo = NO_MEMO) -> str | None:
    """What `term`'s calendar was assembled from (`assemble_term`'s arguments), as one text:
    its file's text, whether it is the current term, and the festival stages, roster
    sessions and displays that fall in it. What is made from the calendar alone (its part
    of every feed, its search entries) is kept in the build cache by it, so a build after
    an edit makes only the edited term's again. None for a public site: its calendars are
    masked with what every roster names, which the key does not say."""
    marked = site.inputs.get(term.source)
    if site.public or not isinstance(marked, Marked):
        return None
    return memo.keep("term-key", term.term.id, (term,), partial(_term_key, term, marked))


def _term_key(term: TermCalendar, marked: Marked) -> str:
    extra = [(o.event, o.origin, o.part_of) for o in term.occurrences if o.part_of is not None]
    return "\0".join((term.source, marked.source.text, str(term.current), repr(extra)))
