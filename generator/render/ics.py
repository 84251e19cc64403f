"""iCalendar feeds: the plan's `Feed`s → {output path: bytes}, with the `icalendar` library.

Which feeds exist and what is in each is decided by `plan.feeds`; this module only writes
them.

What the phone sees must equal what the site shows:
- a recurring entry is ONE VEVENT: RRULE over the entry's weekdays (weekly) or its day of
  the month (monthly: BYDAY=-1FR, BYMONTHDAY=15), EXDATE where the site skips a rule day
  (closures), RDATE where it adds a day (调休 Saturdays worked "as Monday");
- all-day and multi-day items are DATE values with an exclusive DTEND;
- a timed item over several days is one VEVENT per day it happens on, at its time: not
  on closure days, nor at the weekend (unless 调休, or the item is at the weekend only).
  Not one span: a phone would show one block from the first day's start to the last
  day's end, through the nights; and not one daily RRULE: it would put instances on
  清明节 and on Saturdays, which the month page does not list;
- timed items carry the site's time zone, with its VTIMEZONE in the file;
- UIDs come from the item's `id:` when it has one (kept through any edit), else from the
  term id, the title and the first date (a new title or first date is a new UID: the phone
  drops the old entry and adds a new one); a per-day VEVENT adds its date. DTSTAMP comes
  from the build date, so the same inputs and the same --today give the same bytes;
- 本月工作 (month-only items) have no date and stay out.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache, partial
from typing import Any
from zoneinfo import ZoneInfo

from generator.assemble import calendar as cal
from generator.assemble.site import Site
from generator.assemble.term import Occurrence, TermCalendar
from generator.memo import NO_MEMO, Memo, Remembering
from generator.model.base import N_
from generator.model.categories import CATEGORIES
from generator.model.term import RecurringEvent
from generator.plan.feeds import Feed, FeedItem, term_key
from generator.read.words import Words
from generator.render.search_index import plain

PRODID = N_("-//library-site//校历 iCalendar//ZH")  # the language of its text at the end
RRULE_DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
UTC = ZoneInfo("UTC")


@dataclass(frozen=True)
class _Said:
    """The words a feed adds to the items' own text, in the site's language: the VEVENTs
    are kept by what they are made of, these words too (equal, not the same object, from
    one build of the preview to the next)."""

    prodid: str
    owner: str
    audience: str
    whole_week: str
    weeks: str
    span: str
    categories: tuple[tuple[str, str], ...]  # (key, name)

    @classmethod
    def of(cls, w: Words) -> _Said:
        return cls(
            w._(PRODID),
            w.translations.gettext("负责人：%(name)s"),
            w.translations.gettext("对象：%(audience)s"),
            w.translations.gettext("第%(n)s周（整周）"),
            w.translations.gettext("第%(first)s–%(last)s周（整周）"),
            w.translations.gettext("%(first)s 至 %(last)s，每天"),
            tuple((key, w._(c.name)) for key, c in CATEGORIES.items()),
        )

    def category(self, key: str) -> str:
        return next(name for k, name in self.categories if k == key)


def render_feeds(site: Site, feeds: list[Feed], memo: Memo = NO_MEMO) -> dict[str, bytes]:
    """Each feed's file. `memo` may keep each VEVENT's text by everything it is made from
    (an item stands in up to three feeds, and the preview writes the feeds on every save)."""
    terms = by_term(site, feeds)
    each = Remembering(memo)
    parts: TermParts = {}
    said = (_Said.of(site.words), site.settings.timezone, site.today)
    for calendar, items in zip(site.terms, terms, strict=True):
        # a term's part of every feed is the last build's while the term's calendar is the
        # same object (`assemble.site` keeps it) and each feed has the same of its items
        shares = tuple(
            (slot, tuple(id(i.occurrence) for i in group)) for slot, group in items.items()
        )
        parts.update(
            each.keep(
                "feed-term",
                calendar.term.id,
                (calendar, shares, said),
                partial(term_parts, site, items, each),
            )
        )
    return join_feeds(site, feeds, parts)


# (feed, term) → what that term gives that feed: the unit of work a render worker can make
# alone, since a VEVENT groups the items of one term only.
TermParts = dict[tuple[int, int], "_TermPart"]
# one term's items of each feed that has any: (feed, term) → the items, in the feed's order
TermItems = dict[tuple[int, int], list[FeedItem]]


def by_term(site: Site, feeds: list[Feed]) -> list[TermItems]:
    """Each term's share of every feed (`site.terms`' order). A feed's items are a term's
    after another's (`plan.feeds` goes term by term)."""
    index = {id(calendar): t for t, calendar in enumerate(site.terms)}
    terms: list[TermItems] = [{} for _ in site.terms]
    for f, feed in enumerate(feeds):
        for item in feed.items:
            t = index[id(item.term)]
            terms[t].setdefault((f, t), []).append(item)
    return terms


def term_parts(site: Site, items: TermItems, memo: Memo = NO_MEMO) -> TermParts:
    """Every feed's VEVENTs of one term (`by_term`), each VEVENT serialised once whichever
    feeds it is in. The terms are independent: the render workers make them in parallel,
    and `join_feeds` puts each feed together."""
    said = _Said.of(site.words)
    each = memo if isinstance(memo, Remembering) else Remembering(memo)
    make = partial(_term_parts, items, site.settings.timezone, site.today, said, each)
    term = next((group[0].term for group in items.values()), None)
    key = term_key(site, term, memo) if term is not None else None
    if key is None:
        return make()
    # kept by what the term's calendar is made of, and where its items go in each feed
    index = {id(occ): i for i, occ in enumerate(term.occurrences)}  # type: ignore[union-attr]
    shares = tuple(
        (slot, tuple(index[id(i.occurrence)] for i in group)) for slot, group in items.items()
    )
    return each.lookup(
        "feed-term", (key, repr(shares), repr(said), site.settings.timezone, repr(site.today)), make
    )


def _term_parts(
    items: TermItems, timezone: str, today: date, said: _Said, memo: Remembering
) -> TermParts:
    tz = ZoneInfo(timezone)
    stamp = datetime.combine(today, time(0, 0), tzinfo=UTC)
    return {slot: _part(group, tz, stamp, said, memo) for slot, group in items.items()}


def join_feeds(site: Site, feeds: list[Feed], parts: TermParts) -> dict[str, bytes]:
    """Each feed's file from its terms' parts (`term_parts`), in the terms' order."""
    said = _Said.of(site.words)
    terms = range(len(site.terms))
    return {
        feed.path: _feed(feed, site, said, [parts[(f, t)] for t in terms if (f, t) in parts])
        for f, feed in enumerate(feeds)
    }


def _feed(feed: Feed, site: Site, said: _Said, parts: list[_TermPart]) -> bytes:
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
    ical = Component("VCALENDAR", _CALENDAR_ORDER)
    ical.add("prodid", prodid)
    ical.add("version", "2.0")
    ical.add("calscale", "GREGORIAN")
    ical.add("name", name)
    ical.add("x-wr-calname", name)
    ical.add("description", description)
    ical.add("x-wr-caldesc", description)
    ical.add("x-wr-timezone", timezone)
    if span is not None:
        ical.parts.append(_vtimezone(timezone, *span).to_ical())
    text, end = ical.to_ical(), b"END:VCALENDAR\r\n"
    return text[: -len(end)], end


@dataclass(frozen=True)
class _TermPart:
    events: bytes  # the VEVENTs
    timed: bool  # whether any item has a time of day
    years: tuple[int, int] | None  # the first and last year of the items' starts


def _part(
    items: list[FeedItem], tz: ZoneInfo, stamp: datetime, said: _Said, memo: Remembering
) -> _TermPart:
    """What one term gives a feed: its items' VEVENTs."""
    years = [item.occurrence.start.year for item in items]
    return _TermPart(
        b"".join(_vevent_bytes(group, tz, stamp, said, memo) for group in _groups(items)),
        any(item.occurrence.time for item in items),
        (min(years), max(years)) if years else None,
    )


def _vevent_bytes(
    group: list[FeedItem], tz: ZoneInfo, stamp: datetime, said: _Said, memo: Remembering
) -> bytes:
    """`_vevent(...).to_ical()`, made once per call for the items' group (an item stands in
    up to three feeds). Not kept beyond: writing it costs no more than a key made of
    everything it shows would, and the preview keeps each unchanged term's part whole."""
    occ = group[0].occurrence

    def make() -> bytes:
        if occ.multi_day and occ.time is not None and not occ.recurring:
            days = _open_days(group[0].term, occ)  # one VEVENT each
            return b"".join(_vevent(group, tz, stamp, said, memo, day).to_ical() for day in days)
        return _vevent(group, tz, stamp, said, memo).to_ical()

    return memo.once(tuple(id(i.occurrence) for i in group), make)


@lru_cache(maxsize=32)
def _vtimezone(tzid: str, first_year: int, last_year: int) -> Component | Any:
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
        from icalendar import Timezone  # only for a zone that changes its offset

        return Timezone.from_tzid(tzid, first_date=first, last_date=last)
    standard = Component("STANDARD")
    standard.add("dtstart", start.replace(tzinfo=None))
    standard.add("tzname", start.tzname() or str(offset))
    standard.add("tzoffsetfrom", offset)
    standard.add("tzoffsetto", offset)
    found = Component("VTIMEZONE", ("TZID",))
    found.add("tzid", tzid)
    found.add("comment", f"This timezone only works from {first} to {last}.")
    found.parts.append(standard.to_ical())
    return found


def _open_days(term: TermCalendar, occ: Occurrence) -> list[date]:
    """The days a timed multi-day item happens on: its span without closure days, and
    without weekend days (but 调休 days) unless it is at the weekend only."""
    closed = {d for c in term.closures for d in cal.days(c.start, c.end)}
    worked = {m.date for m in term.makeup_days}
    span = [d for d in cal.days(occ.start, occ.end) if d not in closed]
    weekdays = [d for d in span if d.weekday() < 5 or d in worked]
    return weekdays or span


def _groups(items: Iterable[FeedItem]) -> list[list[FeedItem]]:
    """One group per VEVENT: a recurring entry's occurrences together, anything else alone."""
    groups: dict[tuple[str, str], list[FeedItem]] = defaultdict(list)
    for item in items:
        occ = item.occurrence
        key = str(occ.origin) if occ.recurring else occ.anchor
        groups[(item.term.term.id, key)].append(item)
    return [sorted(g, key=lambda i: i.occurrence.start) for g in groups.values()]


def uid(term: TermCalendar, occ: Occurrence, day: date | None = None) -> str:
    """Stable across builds: the term, then the item's `id:` (stable through any edit) or
    the page anchor (first date + title digest); `day` for one day of a timed span. A
    whole-week item over separate stretches of weeks (`weeks: [2, 5]`) is one VEVENT per
    stretch: the later ones add their first week to the `id:`."""
    event = occ.event
    if event.id:
        key = event.id
        if occ.whole_week and event.teaching_weeks[0] != occ.week:  # type: ignore[union-attr]
            key = f"{key}-w{occ.week}"
    else:
        key = occ.anchor
    if day is not None:
        key = f"{key}-{day:%Y%m%d}"
    return f"{term.term.id}-{key}@library-site"


# The order icalendar writes the properties of a component in (its `canonical_order`,
# then the others alphabetically), and an RRULE's parts (`vRecur.canonical_order`).
_EVENT_ORDER = ("SUMMARY", "DTSTART", "DTEND", "DTSTAMP", "UID", "RRULE", "RDATE", "EXDATE")
_CALENDAR_ORDER = ("VERSION", "PRODID", "CALSCALE", "DESCRIPTION", "X-WR-CALDESC", "NAME")
_RECUR_ORDER = ("FREQ", "UNTIL", "BYDAY", "BYMONTHDAY")
Value = str | date | datetime | timedelta | list[str] | list[date] | list[datetime] | dict[str, Any]


class Component:
    """A calendar, VEVENT or time zone, written the way the icalendar library writes it
    (the same escaping, folding and order; tests/test_ics.py holds our bytes equal to
    icalendar's), without its property objects: making and serialising those was most of
    the feeds' time. For the few kinds of value a feed has: text, DATE, DATE-TIME (in UTC,
    with a TZID, or floating), a UTC offset, a list of dates or of texts, an RRULE."""

    def __init__(self, name: str, order: tuple[str, ...] = ()) -> None:
        self.name = name
        self.order = order
        self.lines: dict[str, str] = {}
        self.parts: list[bytes] = []  # its components, written

    def add(self, name: str, value: Value) -> None:
        key = name.upper()
        self.lines[key] = key + _formatted(value)

    def to_ical(self) -> bytes:
        keys = [k for k in self.order if k in self.lines]
        keys += sorted(k for k in self.lines if k not in self.order)
        body = "".join(_folded(self.lines[k]) + "\r\n" for k in keys)
        head = f"BEGIN:{self.name}\r\n{body}".encode()
        return head + b"".join(self.parts) + f"END:{self.name}\r\n".encode()


def new_vevent() -> Component:
    return Component("VEVENT", _EVENT_ORDER)


def _formatted(value: Value) -> str:
    """`;parameters:value` of a property."""
    if isinstance(value, dict):  # an RRULE
        parts = (f"{k}={_recur_part(value[k])}" for k in _RECUR_ORDER if k in value)
        return ":" + ";".join(parts)
    if isinstance(value, list) and value and not isinstance(value[0], str):
        params, _ = _when(value[0])
        return params + ":" + ",".join(_when(v)[1] for v in value)  # type: ignore[arg-type]
    if isinstance(value, list):  # CATEGORIES
        return ":" + ",".join(_escaped(v) for v in value)  # type: ignore[arg-type]
    if isinstance(value, date):
        params, text = _when(value)
        return f"{params}:{text}"
    if isinstance(value, timedelta):  # a UTC offset: +0800
        sign, seconds = ("-", -value) if value < timedelta(0) else ("+", value)
        hours, rest = divmod(int(seconds.total_seconds()), 3600)
        minutes, extra = divmod(rest, 60)
        return f":{sign}{hours:02}{minutes:02}" + (f"{extra:02}" if extra else "")
    return ":" + _escaped(value)


def _when(value: date | datetime) -> tuple[str, str]:
    if not isinstance(value, datetime):
        return ";VALUE=DATE", f"{value:%Y%m%d}"
    if value.tzinfo is None:
        return "", f"{value:%Y%m%dT%H%M%S}"
    if value.tzinfo is UTC:
        return "", f"{value:%Y%m%dT%H%M%S}Z"
    return f";TZID={value.tzinfo}", f"{value:%Y%m%dT%H%M%S}"


def _recur_part(value: str | date | list[str] | list[int]) -> str:
    if isinstance(value, list):
        return ",".join(str(v) for v in value)
    if isinstance(value, date):
        return _when(value)[1]
    return value


def _escaped(text: str) -> str:
    """RFC 5545 TEXT, escaped in icalendar's order (a written `\\N` is a line break)."""
    return (
        text.replace(r"\N", "\n")
        .replace("\\", "\\\\")
        .replace(";", r"\;")
        .replace(",", r"\,")
        .replace("\r\n", r"\n")
        .replace("\n", r"\n")
        .replace("\r", r"\n")
    )


def _folded(line: str, limit: int = 75) -> str:
    """RFC 5545 folding as icalendar does it: a line of `limit` octets or more is cut before
    the character that reaches it, never right after a backslash or caret (an escape stays
    whole), each continuation starting with a space."""
    if len(line) * 4 < limit or len(line.encode()) < limit:
        return line
    parts: list[str] = []
    current: list[str] = []
    count = 0
    for char in line:
        size = 1 if char < "\x80" else 2 if char < "\u0800" else 3 if char < "\U00010000" else 4
        if current and count + size >= limit:
            if len(current) > 1 and current[-1] in "\\^":
                carried = current.pop()
                parts.append("".join(current))
                current, count = [carried], 1
            else:
                parts.append("".join(current))
                current, count = [], 0
        current.append(char)
        count += size
    if current:
        parts.append("".join(current))
    return "\r\n ".join(parts)


def _vevent(
    group: list[FeedItem],
    tz: ZoneInfo,
    stamp: datetime,
    said: _Said,
    memo: Memo = NO_MEMO,
    day: date | None = None,
) -> Component:
    """The VEVENT of one group (`_groups`); `day`: the one day of a timed multi-day item."""
    first = group[0]
    occ, event = first.occurrence, first.occurrence.event
    vevent = new_vevent()
    vevent.add("uid", uid(first.term, occ, day if occ.multi_day else None))
    vevent.add("dtstamp", stamp)
    vevent.add("summary", event.title)
    vevent.add("categories", [said.category(occ.category.key)])
    if event.location:
        vevent.add("location", event.location)
    if details := _description(occ, said, memo):
        vevent.add("description", details)

    start_day = day or occ.start
    if isinstance(event, RecurringEvent):
        days = [item.occurrence.start for item in group]
        timed = occ.time is not None
        if event.monthly:
            start_day = _monthly(vevent, event, days, timed, tz)
        else:
            start_day = _recurrence(vevent, event, days, timed, tz)
    if occ.time is None:
        vevent.add("dtstart", start_day)
        vevent.add("dtend", (occ.end if not occ.recurring else start_day) + cal.ONE_DAY)
        return vevent
    vevent.add("dtstart", datetime.combine(start_day, occ.time.start, tzinfo=tz))
    if occ.time.end:
        vevent.add("dtend", datetime.combine(start_day, occ.time.end, tzinfo=tz))
    return vevent


def _until(rule: RecurringEvent, timed: bool, tz: ZoneInfo) -> date | datetime:
    if timed:
        # With a TZID'd DTSTART, RFC 5545 wants UNTIL in UTC.
        return datetime.combine(rule.to, time(23, 59, 59), tzinfo=tz).astimezone(UTC)
    return rule.to


def _monthly(
    vevent: Component, rule: RecurringEvent, days: list[date], timed: bool, tz: ZoneInfo
) -> date:
    """RRULE FREQ=MONTHLY (BYDAY=-1FR, or BYMONTHDAY=15) + EXDATE for the rule days the site
    skips (closures); `days` is never empty (a feed has no group without items)."""
    rule_days, _ = cal.monthly_dates(rule.from_, rule.to, rule.weekday, rule.nth, rule.day or 0)
    start = days[0]
    recur: dict[str, Any] = {"FREQ": "MONTHLY", "UNTIL": _until(rule, timed, tz)}
    if rule.day is not None:
        recur["BYMONTHDAY"] = [rule.day]
    else:
        assert rule.weekday is not None and rule.nth is not None
        recur["BYDAY"] = [f"{rule.nth}{RRULE_DAYS[rule.weekday]}"]
    vevent.add("rrule", recur)
    shown = set(days)
    skipped = [d for d in rule_days if d > start and d not in shown]
    if skipped:
        vevent.add("exdate", [_at(d, rule, timed, tz) for d in skipped])
    return start


def _recurrence(
    vevent: Component, rule: RecurringEvent, days: list[date], timed: bool, tz: ZoneInfo
) -> date:
    """RRULE + EXDATE + RDATE whose expansion is exactly `days`; returns DTSTART's date."""
    weekdays = rule.weekdays or []
    rule_days = [d for d in cal.days(rule.from_, rule.to) if d.weekday() in weekdays]
    shown = set(days)
    kept = [d for d in rule_days if d in shown]
    if not kept:  # every rule day is closed: only 调休 days remain
        start = days[0]
        extra = [d for d in days if d != start]
    else:
        start = kept[0]
        vevent.add(
            "rrule",
            {
                "FREQ": "WEEKLY",
                "UNTIL": _until(rule, timed, tz),
                "BYDAY": [RRULE_DAYS[w] for w in sorted(set(weekdays))],
            },
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


def _description(occ: Occurrence, said: _Said, memo: Memo = NO_MEMO) -> str:
    """Plain text: the description as the page shows it (Markdown rendered and sanitised),
    without its markup. Calendar clients differ in whether they read DESCRIPTION as HTML;
    text with no tags left means the same in all of them."""
    event = occ.event
    text = plain(memo, event.description)
    lines = [text] if text else []
    if occ.multi_day and occ.time is not None and not occ.whole_week:
        lines.append(said.span % {"first": occ.start.isoformat(), "last": occ.end.isoformat()})
    if event.owner:
        lines.append(said.owner % {"name": event.owner})
    if event.audience:
        lines.append(said.audience % {"audience": event.audience})
    if occ.whole_week:
        first, last = occ.weeks
        if last > first:
            lines.append(said.weeks % {"first": first, "last": last})
        else:
            lines.append(said.whole_week % {"n": occ.week})
    return "\n".join(lines)
