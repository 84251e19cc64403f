"""iCalendar feeds, parsed back with the `icalendar` library and expanded with dateutil."""

from __future__ import annotations

from datetime import date, datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from conftest import MINIMAL_EVENTS, tree
from dateutil.rrule import rruleset, rrulestr
from icalendar import Calendar, Timezone

from generator.assemble.site import Site
from generator.assemble.term import Occurrence
from generator.pipeline import load_site
from generator.render.ics import _vtimezone
from generator.render.ics import uid as uid_of

SHANGHAI = ZoneInfo("Asia/Shanghai")
# What the calendar pages offer: everything, then one feed per category.
CALENDAR_PAGE_FEEDS = [
    "calendar.ics",
    "feeds/activity.ics",
    "feeds/display.ics",
    "feeds/festival.ics",
    "feeds/meeting.ics",
    "feeds/routine.ics",
    "feeds/story.ics",
    "feeds/training.ics",
]
# One per festival and roster, offered on its own page (tests/test_content_feeds.py).
CONTENT_FEEDS = [
    "feeds/festival-science-2026.ics",
    "feeds/roster-librarians.ics",
    "feeds/roster-story-parents.ics",
]
# One per class that has anything (tests/test_classes.py): the classes of grades 1 to 4.
CLASS_FEEDS = [f"feeds/class-{grade}-{n}.ics" for grade in range(1, 5) for n in range(1, 5)]
SAMPLE_FEEDS = sorted(CALENDAR_PAGE_FEEDS + CONTENT_FEEDS + CLASS_FEEDS)


@pytest.fixture
def sample(make_site, run_cli) -> tuple[Path, Site]:
    site = make_site(sample=True)
    code, _, err = run_cli("build", "--site", site, "--today", "2026-04-10")
    assert (code, err) == (0, "")
    return site / "public", load_site(site, date(2026, 4, 10))


def parse(path: Path) -> Calendar:
    return Calendar.from_ical(path.read_bytes())


def events(cal: Calendar) -> dict[str, object]:
    return {str(e["UID"]): e for e in cal.walk("VEVENT")}


def expand(vevent) -> list[date | datetime]:
    """Every start the VEVENT stands for: DTSTART, RRULE, RDATE less EXDATE (RFC 5545)."""
    start = vevent.decoded("DTSTART")
    dtstart = start if isinstance(start, datetime) else datetime.combine(start, time())
    rules = rruleset()
    if "RRULE" in vevent:
        rules.rrule(rrulestr(vevent["RRULE"].to_ical().decode(), dtstart=dtstart))
    else:
        rules.rdate(dtstart)
    for key, add in (("RDATE", rules.rdate), ("EXDATE", rules.exdate)):
        for prop in _list(vevent.get(key)):
            for d in prop.dts:
                add(d.dt if isinstance(d.dt, datetime) else datetime.combine(d.dt, time()))
    result = list(rules)
    return result if isinstance(start, datetime) else [d.date() for d in result]


def _list(value) -> list:
    return [] if value is None else value if isinstance(value, list) else [value]


def starts(occs: list[Occurrence]) -> list[date | datetime]:
    return [
        datetime.combine(o.start, o.time.start, tzinfo=SHANGHAI) if o.time else o.start
        for o in occs
    ]


def test_sample_feed_list(sample):
    public, _ = sample
    assert sorted(p for p in tree(public) if p.endswith(".ics")) == SAMPLE_FEEDS


def test_calendar_feed_has_one_vevent_per_item_and_one_per_recurring_entry(sample):
    public, site = sample
    cal = parse(public / "calendar.ics")
    occs = [o for t in site.terms for o in t.occurrences]
    single = [o for o in occs if not o.recurring]
    rules = {(o.origin.file, o.origin.line) for o in occs if o.recurring}
    assert (len(occs), len(single), len(rules)) == (
        114,
        64,
        6,
    )  # with the project's phase on the calendar
    # one VEVENT per single item, but a timed one over several days (少儿阅览室暑期开放:
    # 40 weekdays) is one per day it happens; one per recurring entry
    assert len(cal.walk("VEVENT")) == 63 + 40 + 6
    assert str(cal["X-WR-CALNAME"]) == "星光小学图书馆"
    assert str(cal["NAME"]) == "星光小学图书馆"
    assert str(cal["X-WR-CALDESC"]) == "杭州市滨江区星光小学 星光小学图书馆全部日程"
    assert str(cal["X-WR-TIMEZONE"]) == "Asia/Shanghai"
    assert [str(tz["TZID"]) for tz in cal.walk("VTIMEZONE")] == ["Asia/Shanghai"]


def test_every_item_matches_the_model(sample):
    public, site = sample
    by_uid = events(parse(public / "calendar.ics"))
    for term in site.terms:
        for occ in term.occurrences:
            if occ.recurring or (occ.multi_day and occ.time):  # per day: tests/test_year.py
                continue
            vevent = by_uid[uid_of(term, occ)]
            assert str(vevent["SUMMARY"]) == occ.title
            start, end = vevent.decoded("DTSTART"), vevent.decoded("DTEND", None)
            if occ.time is None:
                assert (type(start), start, end) == (
                    date,
                    occ.start,
                    date.fromordinal(occ.end.toordinal() + 1),
                )
            else:
                assert start == datetime.combine(occ.start, occ.time.start, tzinfo=SHANGHAI)
                assert str(start.tzinfo) == "Asia/Shanghai"
                assert vevent["DTSTART"].params["TZID"] == "Asia/Shanghai"
                if occ.time.end:
                    assert end == datetime.combine(occ.start, occ.time.end, tzinfo=SHANGHAI)
            assert expand(vevent) == [start]


def test_recurring_entries_expand_to_exactly_the_sites_occurrences(sample):
    public, site = sample
    by_uid = events(parse(public / "calendar.ics"))
    checked = 0
    for term in site.terms:
        groups: dict[tuple[str, int], list[Occurrence]] = {}
        for occ in term.occurrences:
            if occ.recurring:
                groups.setdefault((occ.origin.file, occ.origin.line), []).append(occ)
        for occs in groups.values():
            occs.sort(key=lambda o: o.start)
            vevent = by_uid[uid_of(term, occs[0])]
            assert expand(vevent) == starts(occs)
            checked += 1
    assert checked == 6  # four weekly, two monthly


def test_recurring_entry_is_one_rule_with_closures_and_makeup_days(sample):
    public, _ = sample
    text = (public / "calendar.ics").read_text("utf-8").replace("\r\n ", "")
    story = text[text.index("SUMMARY:故事哥哥姐姐午间故事会") :]
    story = story[: story.index("END:VEVENT")]
    assert story.splitlines() == [
        "SUMMARY:故事哥哥姐姐午间故事会",
        "DTSTART;TZID=Asia/Shanghai:20260318T122000",
        "DTEND;TZID=Asia/Shanghai:20260318T125000",
        "DTSTAMP:20260410T000000Z",
        "UID:2025-2026-2-e20260318-ef000e@library-site",
        "RRULE:FREQ=WEEKLY;UNTIL=20260624T155959Z;BYDAY=WE",
        "EXDATE;TZID=Asia/Shanghai:20260624T122000",  # 期末图书清点闭馆, a Wednesday
        "CATEGORIES:故事",
        "DESCRIPTION:对象：一、二年级",
        "LOCATION:图书馆故事角",
    ]
    training = text[text.index("SUMMARY:新小管值日培训") :]
    training = training[: training.index("END:VEVENT")].splitlines()
    assert training[4:7] == [
        "UID:2025-2026-2-e20260226-1fe428@library-site",
        "RRULE:FREQ=WEEKLY;UNTIL=20260312T155959Z;BYDAY=MO,TH",
        "RDATE;TZID=Asia/Shanghai:20260228T122000",  # 调休: Saturday worked as Monday
    ]


def test_all_day_span_has_an_exclusive_end_and_month_items_stay_out(sample):
    public, site = sample
    cal = parse(public / "calendar.ics")
    by_title = {str(e["SUMMARY"]): e for e in cal.walk("VEVENT")}
    show = by_title["寒假作业上交及展示"]
    assert (show.decoded("DTSTART"), show.decoded("DTEND")) == (date(2026, 2, 25), date(2026, 3, 7))
    assert show["DTSTART"].params["VALUE"] == "DATE"
    month_titles = {m.event.title for t in site.terms for m in t.month_items}
    assert len(month_titles) == 27
    assert month_titles & set(by_title) == set()


def test_category_feeds_split_the_whole_calendar(sample):
    public, _ = sample
    everything = events(parse(public / "calendar.ics"))
    seen: list[str] = []
    for path in CALENDAR_PAGE_FEEDS[1:]:
        cal = parse(public / path)
        key = path.removeprefix("feeds/").removesuffix(".ics")
        uids = events(cal)
        assert uids, path
        assert {str(e["CATEGORIES"].cats[0]) for e in uids.values()} == {
            {
                "activity": "活动",
                "display": "展示",
                "festival": "读书节",
                "meeting": "会议",
                "routine": "常规",
                "story": "故事",
                "training": "培训",
            }[key]
        }
        for uid, vevent in uids.items():
            assert vevent.to_ical() == everything[uid].to_ical()
        seen.extend(uids)
    assert sorted(seen) == sorted(everything)
    story = parse(public / "feeds/story.ics")
    assert str(story["X-WR-CALNAME"]) == "星光小学图书馆 · 故事"
    assert str(story["DESCRIPTION"]) == "杭州市滨江区星光小学 星光小学图书馆：故事类日程"


def test_feeds_are_byte_identical_for_the_same_today_and_uids_survive_edits(
    make_site, run_cli, tmp_path
):
    site = make_site(sample=True)
    run_cli("build", "--site", site, "--out", tmp_path / "a", "--today", "2026-04-10")
    run_cli("build", "--site", site, "--out", tmp_path / "b", "--today", "2026-04-10")
    run_cli("build", "--site", site, "--out", tmp_path / "c", "--today", "2026-05-01")
    a, b = tree(tmp_path / "a"), tree(tmp_path / "b")
    assert {p: a[p] for p in SAMPLE_FEEDS} == {p: b[p] for p in SAMPLE_FEEDS}
    c = parse(tmp_path / "c" / "calendar.ics")
    assert {str(e["DTSTAMP"].to_ical(), "ascii") for e in c.walk("VEVENT")} == {"20260501T000000Z"}
    assert sorted(events(c)) == sorted(events(parse(tmp_path / "a" / "calendar.ics")))

    # Moving an entry to the end of the file and editing another's time keeps every UID.
    text = (site / "events.yaml").read_text("utf-8")
    block = text[text.index("  - title: 寒假作业上交及展示") :]
    block = block[: block.index("\n\n") + 2]
    text = text.replace(block, "").replace("time: 8:10-8:30", "time: 8:15-8:35")
    text = text.replace("\nrecurring:", "\n" + block.rstrip("\n") + "\n\nrecurring:")
    (site / "events.yaml").write_text(text, encoding="utf-8")
    run_cli("build", "--site", site, "--out", tmp_path / "d", "--today", "2026-04-10")
    d = parse(tmp_path / "d" / "calendar.ics")
    assert sorted(events(d)) == sorted(events(parse(tmp_path / "a" / "calendar.ics")))


EDGE_EVENTS = (
    MINIMAL_EVENTS.replace(
        "makeup_days:\n",
        """\
makeup_days:
  - date: 2026-03-14
    follows: 周二
""",
    )
    + """\
  - title: 图书漂流站
    from: 2026-03-10
    to: 2026-03-12
    time: 12:00-12:40
  - title: 班级图书角检查
    week: 3
    category: routine
recurring:
  - title: 周六义工
    weekdays: [周六]
    from: 2026-02-24
    to: 2026-03-21
    time: 9:00
  - title: 调休补课
    weekdays: [周一]
    from: 2026-02-27
    to: 2026-03-01
  - title: 清明停课
    weekdays: [周一]
    from: 2026-04-06
    to: 2026-04-06
"""
)


def test_timed_span_weekly_work_and_rules_around_makeup_days(make_site, run_cli):
    site = make_site({"events.yaml": EDGE_EVENTS})
    code, _, err = run_cli("build", "--site", site, "--today", "2026-03-10")
    assert (code, err) == (0, "")
    by_title = {str(e["SUMMARY"]): e for e in parse(site / "public/calendar.ics").walk("VEVENT")}
    assert sorted(by_title) == ["周六义工", "图书漂流站", "开馆准备", "班级图书角检查", "调休补课"]

    # a time over several days: one VEVENT a day at that time, no daily rule
    drift = [
        e
        for e in parse(site / "public/calendar.ics").walk("VEVENT")
        if e["SUMMARY"] == "图书漂流站"
    ]
    assert [(e.decoded("DTSTART"), e.decoded("DTEND")) for e in drift] == [
        (
            datetime(2026, 3, d, 12, 0, tzinfo=SHANGHAI),
            datetime(2026, 3, d, 12, 40, tzinfo=SHANGHAI),
        )
        for d in (10, 11, 12)
    ]
    assert all("RRULE" not in e for e in drift)
    assert len({str(e["UID"]) for e in drift}) == 3

    week = by_title["班级图书角检查"]
    assert (week.decoded("DTSTART"), week.decoded("DTEND")) == (date(2026, 3, 9), date(2026, 3, 14))

    loaded = load_site(site, date(2026, 3, 10))

    def site_starts(title: str) -> list[date | datetime]:
        return starts(
            sorted(
                (o for o in loaded.current.occurrences if o.title == title), key=lambda o: o.start
            )
        )

    # Saturdays 2026-02-28 and 03-14 are worked as Monday and as Tuesday: no Saturday rule.
    saturday = by_title["周六义工"]
    assert "DTEND" not in saturday
    assert saturday["RRULE"].to_ical() == b"FREQ=WEEKLY;UNTIL=20260321T155959Z;BYDAY=SA"
    assert saturday["EXDATE"].to_ical() == b"20260314T090000"
    assert (
        expand(saturday)
        == site_starts("周六义工")
        == [datetime(2026, 3, d, 9, 0, tzinfo=SHANGHAI) for d in (7, 21)]
    )

    # No Monday in the range, but the 调休 Saturday follows Monday: a date with no rule.
    makeup = by_title["调休补课"]
    assert "RRULE" not in makeup
    assert (makeup.decoded("DTSTART"), makeup.decoded("DTEND")) == (
        date(2026, 2, 28),
        date(2026, 3, 1),
    )
    assert expand(makeup) == site_starts("调休补课") == [date(2026, 2, 28)]


def test_calendar_pages_link_to_the_feeds_relatively(sample):
    public, _ = sample
    for page, up in (
        ("calendar/2026-04/index.html", "../../"),
        ("calendar/index.html", "../"),
        ("terms/2025-2026-1/calendar/2025-10/index.html", "../../../../"),
    ):
        html = (public / page).read_text("utf-8")
        assert (
            f'<link rel="alternate" type="text/calendar" title="星光小学图书馆" '
            f'href="{up}calendar.ics">'
        ) in html
        assert (
            f'<a href="{up}calendar.ics" type="text/calendar" class="feed-all">全部日程</a>'
            f' · <a href="{up}feeds/routine.ics" type="text/calendar">常规</a>'
        ) in html
        for feed in SAMPLE_FEEDS:
            expected = {"calendar.ics": 2}.get(feed, int(feed in CALENDAR_PAGE_FEEDS))
            assert html.count(f'href="{up}{feed}"') == expected


def test_unknown_time_zone_is_reported_where_it_is_written(make_site, run_cli):
    site = make_site(
        {
            "events.yaml": MINIMAL_EVENTS,
            "content/site.yaml": "school: 星光小学\ntimezone: Asia/Beijing\n",
        }
    )
    code, _, err = run_cli("check", "--site", site, "--today", "2026-03-10")
    assert code == 1
    assert err.splitlines()[0] == "content/site.yaml:2:11: 错误 E500: 时区“Asia/Beijing”不认识"


@pytest.mark.parametrize(
    "zone",
    ["Asia/Shanghai", "Asia/Hong_Kong", "UTC", "Asia/Kolkata", "Europe/London", "America/New_York"],
)
@pytest.mark.parametrize("years", [(2026, 2026), (2025, 2026), (2016, 2026)])
def test_a_vtimezone_is_what_icalendar_makes(zone: str, years: tuple[int, int]) -> None:
    # A zone without a change of offset in the years is written by us (icalendar looks for
    # the next change up to the year 9999); the text must be icalendar's own.
    first, last = date(years[0], 1, 1), date(years[1] + 1, 1, 1)
    expected = Timezone.from_tzid(zone, first_date=first, last_date=last).to_ical()
    assert _vtimezone.__wrapped__(zone, *years).to_ical() == expected


# Text that exercises escaping and folding: commas, semicolons, backslashes (a written
# `\N` is a line break to icalendar), carets, line breaks of each kind, CJK (3 octets),
# accents (2) and emoji (4) at and around the 75-octet fold.
AWKWARD = (
    "",
    "读书节",
    "a,b;c\\d\\Ne^f",
    "一\r\n二\n三\r四",
    "图书馆" * 30,
    "x" * 73 + "\\,图" * 20,
    "é" * 40 + "😀" * 25,
    "a" * 72 + "\\" + "b" * 10,
    "^" * 150,
)
SHANGHAI = ZoneInfo("Asia/Shanghai")
UTC = ZoneInfo("UTC")
WHENS = (
    {"dtstart": date(2026, 3, 2), "dtend": date(2026, 3, 6)},
    {
        "dtstart": date(2026, 3, 2),
        "rrule": {"FREQ": "MONTHLY", "UNTIL": date(2026, 6, 30), "BYMONTHDAY": [15]},
        "exdate": [date(2026, 4, 15), date(2026, 5, 15)],
    },
    {
        "dtstart": datetime(2026, 3, 2, 12, 20, tzinfo=SHANGHAI),
        "dtend": datetime(2026, 3, 2, 12, 50, tzinfo=SHANGHAI),
        "rrule": {
            "FREQ": "WEEKLY",
            "UNTIL": datetime(2026, 6, 30, 15, 59, 59, tzinfo=UTC),
            "BYDAY": ["MO", "TH"],
        },
        "exdate": [datetime(2026, 4, 6, 12, 20, tzinfo=SHANGHAI)],
        "rdate": [datetime(2026, 3, 7, 12, 20, tzinfo=SHANGHAI)],
    },
    {
        "dtstart": date(2026, 3, 27),
        "rrule": {"FREQ": "MONTHLY", "UNTIL": date(2026, 6, 30), "BYDAY": ["-1FR"]},
        "rdate": [date(2026, 3, 28)],
    },
)


@pytest.mark.parametrize("when", WHENS)
@pytest.mark.parametrize("text", AWKWARD)
def test_a_vevent_is_written_as_icalendar_writes_it(text: str, when: dict[str, object]) -> None:
    # The feeds write their VEVENTs themselves (icalendar's objects were most of their
    # time): the bytes must be icalendar's own for the same properties.
    from icalendar import Event, vRecur

    from generator.render.ics import new_vevent

    ours, theirs = new_vevent(), Event()
    properties = {
        "uid": f"{text[:20]}@library-site",
        "dtstamp": datetime(2026, 4, 10, tzinfo=UTC),
        "summary": text,
        "categories": [text[:12]],
        "location": text[3:],
        "description": text[::-1],
        **when,
    }
    for name, value in properties.items():
        ours.add(name, value)  # type: ignore[arg-type]
        if isinstance(value, dict):
            value = vRecur({k.lower(): v for k, v in value.items()})
        theirs.add(name, value)
    assert ours.to_ical() == theirs.to_ical()
