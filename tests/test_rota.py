"""The rota helper, by property: whatever the term, closures and 调休 days."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from generator.kinds.roster import generate_sessions
from generator.model.roster import Rota
from generator.model.values import Month

FIRST = date(2026, 2, 24)
TERM_DAYS = 130
CLASSES = ["一(1)班", "一(2)班", "一(3)班", "二(1)班", "二(2)班"]

offsets = st.integers(min_value=0, max_value=TERM_DAYS)


@st.composite
def rotas(draw):
    start, end = sorted((draw(offsets), draw(offsets)))
    closed = {FIRST + timedelta(days=d) for d in draw(st.sets(offsets, max_size=30))}
    weekends = [
        FIRST + timedelta(days=d)
        for d in range(TERM_DAYS + 1)
        if (FIRST + timedelta(days=d)).weekday() >= 5
    ]
    makeup_days = draw(st.sets(st.sampled_from(weekends), max_size=4)) - closed
    follows = {d: draw(st.integers(0, 4)) for d in sorted(makeup_days)}
    classes = draw(st.lists(st.sampled_from(CLASSES), min_size=1, max_size=5))
    rota = Rota.model_validate(
        {
            "weekdays": sorted(draw(st.sets(st.integers(0, 4), min_size=1))),
            "from": FIRST + timedelta(days=start),
            "to": FIRST + timedelta(days=end),
            "time": "12:20-12:50",
            "classes": classes,
        }
    )
    return rota, closed, follows


@settings(max_examples=200, deadline=None)
@given(rotas())
def test_generated_sessions_respect_term_closures_and_turns(case):
    rota, closed, follows = case
    sessions = generate_sessions(rota, {d: "闭馆" for d in closed}, follows, {})
    days = [s.date for s in sessions]
    assert not set(days) & closed
    assert all(rota.from_ <= d <= rota.to for d in days)
    assert all(follows.get(d, d.weekday()) in rota.weekdays for d in days)
    assert days == sorted(set(days))
    assert [s.class_ for s in sessions] == [
        rota.classes[k % len(rota.classes)] for k in range(len(sessions))
    ]


@settings(max_examples=100, deadline=None)
@given(rotas())
def test_every_open_matching_day_gets_a_session(case):
    rota, closed, follows = case
    sessions = generate_sessions(rota, {d: "闭馆" for d in closed}, follows, {})
    expected = [rota.from_ + timedelta(days=i) for i in range((rota.to - rota.from_).days + 1)]
    expected = [
        d for d in expected if d not in closed and follows.get(d, d.weekday()) in rota.weekdays
    ]
    assert [s.date for s in sessions] == expected


def test_themes_follow_the_month():
    rota = Rota.model_validate({"weekdays": ["周五"], "from": "2026-03-27", "to": "2026-04-03"})
    sessions = generate_sessions(rota, {}, {}, {Month(2026, 4): "科技"})
    assert [(s.date.isoformat(), s.theme) for s in sessions] == [
        ("2026-03-27", None),
        ("2026-04-03", "科技"),
    ]


def test_a_duty_weekday_written_with_a_digit():
    """A rota imported from a timetable says 周1 … 周7 or 星期1 … 星期7 (7 is Sunday)."""
    from generator.model.roster import Duty

    days = [
        Duty.model_validate({"class": "三(1)班", "weekday": w}).weekday
        for w in ("周1", "星期2", "周5", "星期7")
    ]
    assert days == [0, 1, 4, 6]
