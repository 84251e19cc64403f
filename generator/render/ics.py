"""iCalendar feeds: `Site` → {output path: bytes}. Pure; built with the `icalendar` library.

A feed is a named group of occurrences (`Feed`). `feeds()` alone decides which feeds exist:
everything dated (`calendar.ics`), one per category (`feeds/<category>.ics`), and one per
festival and per roster (`feeds/festival-<id>.ics`, `feeds/roster-<id>.ics`: its stages or
sessions, plus the events.yaml items that name it), linked from that festival's/roster's page.

What the phone sees must equal what the site shows:
- a recurring entry is ONE VEVENT: RRULE over the entry's weekdays, EXDATE where the site
  skips a rule day (closures), RDATE where it adds a day (调休 Saturdays worked "as Monday");
- all-day and multi-day items are DATE values with an exclusive DTEND;
- timed items carry the site's time zone, with its VTIMEZONE in the file;
- UIDs come from term id, title and first date, DTSTAMP from the build date, so the same
  inputs and the same --today give the same bytes;
- 本月工作 (month-only items) have no date and stay out.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event, Timezone, TimezoneStandard, vRecur

from generator import cache
from generator.assemble import calendar as cal
from generator.assemble.content import Link
from generator.assemble.site import Occurrence, Site, TermCalendar
from generator.model.base import N_
from generator.model.categories import CATEGORIES
from generator.model.term import RecurringEvent
from generator.render.words import Words

CALENDAR_FEED = "calendar.ics"
PRODID = N_("-//library-site//校历 iCalendar//ZH")  # the language of its text at the end
RRULE_DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
UTC = ZoneInfo("UTC")
# How a festival's or roster's feed describes itself (message ids, in the site's words)
DESCRIBED = {"festival": N_("%(library)s：%(name)s日程"), "roster": N_("%(library)s：%(name)s场次")}


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
    # The preview fingerprints a job's context by repr: what a page shows of a feed is its
    # path, name and label; the items are tracked through their own data files.
    items: tuple[FeedItem, ...] = field(repr=False)
    page: Link | None = None  # the festival/roster page this feed belongs to, if any


def feeds(site: Site) -> list[Feed]:
    """Every feed the site publishes: the whole calendar, one per category in use, then one
    per festival and per roster that has anything dated (an empty VCALENDAR is not valid).

    Asked by the plan (for the links) and by the render stage (for the files): made once per
    site, in one pass over the occurrences."""
    global _last
    if _last is not None and _last[0] is site:
        return _last[1]
    library = f"{site.settings.school} {site.settings.library}"
    w = Words.of(site)
    everything = w._("%(library)s全部日程", library=library)
    every: list[FeedItem] = []
    by_category: dict[str, list[FeedItem]] = defaultdict(list)
    by_page: dict[tuple[str, str], list[FeedItem]] = defaultdict(list)
    for term in site.terms:
        for item, key, pages in _term_items(term):
            every.append(item)
            by_category[key].append(item)
            for page in pages:
                by_page[page].append(item)
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
    named = [("festival", f.id, f.model.name) for f in site.content.festivals]
    named += [("roster", r.id, r.roster.name) for r in site.content.rosters]
    for kind, item_id, name in named:
        if by_page[(kind, item_id)]:
            feed = Feed(
                content_feed_path(kind, item_id),
                f"{site.settings.library} · {name}",
                name,
                w._(DESCRIBED[kind], library=library, name=name),
                tuple(by_page[(kind, item_id)]),
                Link(kind, item_id),
            )
            result.append(_kept(feed))
    _last = (site, result)
    return result


_PAGE_FEEDS: dict[str, Feed] = {}


def _kept(feed: Feed) -> Feed:
    """The last build's feed of this page if it is the same (its items the very same):
    the preview then sees the page's context unchanged without comparing it."""
    if cache.active():  # a build asks once
        return feed
    old = _PAGE_FEEDS.get(feed.path)
    if (
        old is not None
        and old.name == feed.name
        and old.label == feed.label
        and old.description == feed.description
        and old.page == feed.page
        and len(old.items) == len(feed.items)
        and all(
            a.term is b.term and a.occurrence is b.occurrence
            for a, b in zip(old.items, feed.items, strict=True)
        )
    ):
        return old
    if len(_PAGE_FEEDS) > 10_000:
        _PAGE_FEEDS.clear()
    _PAGE_FEEDS[feed.path] = feed
    return feed


_last: tuple[Site, list[Feed]] | None = None
_Placed = tuple[FeedItem, str, tuple[tuple[str, str], ...]]  # an item, its category and pages
_TERM_ITEMS: cache.Kept[tuple[_Placed, ...]] = cache.Kept(1_000)


def _term_items(term: TermCalendar) -> tuple[_Placed, ...]:
    """A term's items with the feeds they go in. The preview keeps each term's by identity:
    it gives back the calendars of unchanged terms, and an archive has 10,000 items."""
    return _TERM_ITEMS.get(term, lambda: _placed(term))


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
    return f"feeds/{kind}-{item_id}.ics"


def category_feed_path(key: str) -> str:
    return f"feeds/{key}.ics"


@dataclass(frozen=True)
class _Said:
    """The words a feed adds to the items' own text, in the site's language: the VEVENTs
    are kept by what they are made of, these words too (equal, not the same object, from
    one build of the preview to the next)."""

    prodid: str
    owner: str
    audience: str
    whole_week: str
    categories: tuple[tuple[str, str], ...]  # (key, name)

    @classmethod
    def of(cls, w: Words) -> _Said:
        return cls(
            w._(PRODID),
            w.translations.gettext("负责人：%(name)s"),
            w.translations.gettext("对象：%(audience)s"),
            w.translations.gettext("第%(n)s周（整周）"),
            tuple((key, w._(c.name)) for key, c in CATEGORIES.items()),
        )

    def category(self, key: str) -> str:
        return next(name for k, name in self.categories if k == key)


def render_feeds(site: Site) -> dict[str, bytes]:
    return {feed.path: _kept_bytes(feed, site) for feed in feeds(site)}


_PAGE_BYTES: cache.Kept[bytes] = cache.Kept(10_000)


def _kept_bytes(feed: Feed, site: Site) -> bytes:
    """A page's feed's bytes, kept with the feed by the preview (which keeps the feeds of
    unchanged festivals and rosters: 200 of them in an archive) while the time zone and the
    day (its DTSTAMP) are the same."""
    if feed.page is None:
        return feed_bytes(feed, site)
    words = (site.settings.timezone, site.today, _Said.of(Words.of(site)))
    return _PAGE_BYTES.get(feed, lambda: feed_bytes(feed, site), words)


def feed_bytes(feed: Feed, site: Site) -> bytes:
    tz = ZoneInfo(site.settings.timezone)
    stamp = datetime.combine(site.today, time(0, 0), tzinfo=UTC)
    said = _Said.of(Words.of(site))
    # Each term's items are together (`feeds` goes term by term), and a VEVENT groups
    # items of one term only: the events are the terms' parts one after the other.
    parts = [
        _term_part(feed.path, group[0].term, group, tz, stamp, said)
        for group in _by_term(feed.items)
    ]
    span = None
    if any(part.timed for part in parts):
        first = min(part.years[0] for part in parts if part.years)
        last = max(part.years[1] for part in parts if part.years)
        span = (first, last)
    # A calendar's text is its properties, then each component's own text in order: the
    # VEVENTs are serialised once each (an item stands in up to three feeds, and the preview
    # rebuilds the feeds on every save) and put in before the end line.
    head, end = _head(said.prodid, feed.name, feed.description, site.settings.timezone, span)
    return head + b"".join(part.events for part in parts) + end


@lru_cache(maxsize=1024)
def _head(
    prodid: str, name: str, description: str, timezone: str, span: tuple[int, int] | None
) -> tuple[bytes, bytes]:
    """A feed's text before and after its VEVENTs (the VTIMEZONE of `span`'s years, if any
    item has a time), made once per feed and span: the same for every save of the preview."""
    ical = Calendar()
    ical.add("prodid", prodid)
    ical.add("version", "2.0")
    ical.add("calscale", "GREGORIAN")
    ical.add("name", name)
    ical.add("x-wr-calname", name)
    ical.add("description", description)
    ical.add("x-wr-caldesc", description)
    ical.add("x-wr-timezone", timezone)
    if span is not None:
        ical.add_component(_vtimezone(timezone, *span))
    text, end = ical.to_ical(), b"END:VCALENDAR\r\n"
    return text[: -len(end)], end


@dataclass(frozen=True)
class _TermPart:
    events: bytes  # the VEVENTs
    timed: bool  # whether any item has a time of day
    years: tuple[int, int] | None  # the first and last year of the items' starts


_PARTS: cache.Kept[_TermPart] = cache.Kept(20_000)


def _by_term(items: Iterable[FeedItem]) -> list[list[FeedItem]]:
    groups: list[list[FeedItem]] = []
    for item in items:
        if groups and groups[-1][0].term is item.term:
            groups[-1].append(item)
        else:
            groups.append([item])
    return groups


def _term_part(
    path: str,
    term: TermCalendar,
    items: list[FeedItem],
    tz: ZoneInfo,
    stamp: datetime,
    said: _Said,
) -> _TermPart:
    """The part of feed `path` that `term` gives. Which of the term's items are in it
    follows from the path alone, so the preview keeps a part while its term is the same
    object (the calendar of an unchanged term file)."""
    return _PARTS.get(
        term, lambda: _part(items, tz, stamp, said), said, slot=(path, id(term), str(tz), stamp)
    )


def _part(items: list[FeedItem], tz: ZoneInfo, stamp: datetime, said: _Said) -> _TermPart:
    years = [item.occurrence.start.year for item in items]
    return _TermPart(
        b"".join(_vevent_bytes(group, tz, stamp, said) for group in _groups(items)),
        any(item.occurrence.time for item in items),
        (min(years), max(years)) if years else None,
    )


_VEVENTS: dict[tuple[object, ...], bytes] = {}
_TEXTS: dict[int, tuple[object, str]] = {}


def _event_text(event: object) -> str:
    """`repr(event)`, kept by identity: the preview reuses the models of unchanged files,
    and a pydantic repr of every event on every save cost more than the feeds' other work."""
    known = _TEXTS.get(id(event))
    if known is not None and known[0] is event:
        return known[1]
    if len(_TEXTS) > 200_000:
        _TEXTS.clear()
    text = repr(event)
    _TEXTS[id(event)] = (event, text)
    return text


def _vevent_bytes(group: list[FeedItem], tz: ZoneInfo, stamp: datetime, said: _Said) -> bytes:
    """`_vevent(...).to_ical()`, kept while everything it is made from stays the same."""
    key = (
        group[0].term.term.id,
        str(tz),
        stamp,
        said,
        _event_text(group[0].occurrence.event),
        tuple(
            (
                i.occurrence.anchor,
                i.occurrence.start,
                i.occurrence.end,
                i.occurrence.week,
                i.occurrence.whole_week,
            )
            for i in group
        ),
    )
    found = _VEVENTS.get(key)
    if found is None:
        if len(_VEVENTS) > 200_000:  # a long preview session edits many versions
            _VEVENTS.clear()
        found = _VEVENTS[key] = _vevent(group, tz, stamp, said).to_ical()
    return found


@lru_cache(maxsize=32)
def _vtimezone(tzid: str, first_year: int, last_year: int) -> Timezone:
    """The VTIMEZONE of the years a feed covers (one from 1970 would be mostly noise).

    Made once per zone and span: icalendar works out every transition from tzdata, which
    cost more than the rest of all the feeds together; the feeds of a site share it. A zone
    whose offset does not change in those years (China's, since 1991) is written here, as
    icalendar writes it: icalendar looks for the next transition up to the year 9999 (9 ms)."""
    first, last = date(first_year, 1, 1), date(last_year + 1, 1, 1)
    zone = ZoneInfo(tzid)
    start = datetime(first_year, 1, 1, tzinfo=zone)
    offset = start.utcoffset()
    days = (last - first).days
    if offset is None or any(
        (start + timedelta(days=n)).utcoffset() != offset for n in range(1, days + 1)
    ):  # a change of offset lasts longer than a day: checking each day finds it
        return Timezone.from_tzid(tzid, first_date=first, last_date=last)
    standard = TimezoneStandard()
    standard.add("dtstart", start.replace(tzinfo=None))
    standard.add("tzname", start.tzname() or str(offset))
    standard.add("tzoffsetfrom", offset)
    standard.add("tzoffsetto", offset)
    found = Timezone()
    found.add("tzid", tzid)
    found.add("comment", f"This timezone only works from {first} to {last}.")
    found.add_component(standard)
    return found


def _groups(items: Iterable[FeedItem]) -> list[list[FeedItem]]:
    """One group per VEVENT: a recurring entry's occurrences together, anything else alone."""
    groups: dict[tuple[str, str], list[FeedItem]] = defaultdict(list)
    for item in items:
        occ = item.occurrence
        key = str(occ.origin) if occ.recurring else occ.anchor
        groups[(item.term.term.id, key)].append(item)
    return [sorted(g, key=lambda i: i.occurrence.start) for g in groups.values()]


def uid(term: TermCalendar, occ: Occurrence) -> str:
    """Stable across builds: the term, then the page anchor (first date + title digest)."""
    return f"{term.term.id}-{occ.anchor}@library-site"


def _vevent(group: list[FeedItem], tz: ZoneInfo, stamp: datetime, said: _Said) -> Event:
    first = group[0]
    occ, event = first.occurrence, first.occurrence.event
    vevent = Event()
    vevent.add("uid", uid(first.term, occ))
    vevent.add("dtstamp", stamp)
    vevent.add("summary", event.title)
    vevent.add("categories", [said.category(occ.category.key)])
    if event.location:
        vevent.add("location", event.location)
    if details := _description(occ, said):
        vevent.add("description", details)

    start_day = occ.start
    if isinstance(event, RecurringEvent):
        days = [item.occurrence.start for item in group]
        start_day = _recurrence(vevent, event, days, occ.time is not None, tz)
    if occ.time is None:
        vevent.add("dtstart", start_day)
        vevent.add("dtend", (occ.end if not occ.recurring else start_day) + cal.ONE_DAY)
        return vevent
    vevent.add("dtstart", datetime.combine(start_day, occ.time.start, tzinfo=tz))
    if occ.time.end:
        vevent.add("dtend", datetime.combine(start_day, occ.time.end, tzinfo=tz))
    if occ.multi_day:
        # A timed item over several days happens at that time on each day.
        vevent.add("rrule", {"freq": "daily", "count": (occ.end - occ.start).days + 1})
    return vevent


def _recurrence(
    vevent: Event, rule: RecurringEvent, days: list[date], timed: bool, tz: ZoneInfo
) -> date:
    """RRULE + EXDATE + RDATE whose expansion is exactly `days`; returns DTSTART's date."""
    rule_days = [d for d in cal.days(rule.from_, rule.to) if d.weekday() in rule.weekdays]
    shown = set(days)
    kept = [d for d in rule_days if d in shown]
    if not kept:  # every rule day is closed: only 调休 days remain
        start = days[0]
        extra = [d for d in days if d != start]
    else:
        start = kept[0]
        until: date | datetime = rule.to
        if timed:
            # With a TZID'd DTSTART, RFC 5545 wants UNTIL in UTC.
            until = datetime.combine(rule.to, time(23, 59, 59), tzinfo=tz).astimezone(UTC)
        vevent.add(
            "rrule",
            vRecur(
                freq="WEEKLY",
                until=until,
                byday=[RRULE_DAYS[w] for w in sorted(set(rule.weekdays))],
            ),
        )
        skipped = [d for d in rule_days if d > start and d not in shown]
        if skipped:
            vevent.add("exdate", [_at(d, rule, timed, tz) for d in skipped])
        extra = [d for d in days if d not in set(rule_days)]
    if extra:
        vevent.add("rdate", [_at(d, rule, timed, tz) for d in extra])
    return start


def _at(day: date, rule: RecurringEvent, timed: bool, tz: ZoneInfo) -> date | datetime:
    return datetime.combine(day, rule.time.start, tzinfo=tz) if timed and rule.time else day


def _description(occ: Occurrence, said: _Said) -> str:
    event = occ.event
    lines = [event.description.strip()] if event.description else []
    if event.owner:
        lines.append(said.owner % {"name": event.owner})
    if event.audience:
        lines.append(said.audience % {"audience": event.audience})
    if occ.whole_week:
        lines.append(said.whole_week % {"n": occ.week})
    return "\n".join(lines)
