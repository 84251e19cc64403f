"""The school's real year (issue 17): vacations, several weeks or months, monthly repeats,
classes and grades, owner lists, each month's numbering, duplicates, ids in the feeds."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from generator.pipeline import load_site
from generator.problems.problem import BuildFailed

SHANGHAI = ZoneInfo("Asia/Shanghai")
TODAY = date(2026, 3, 10)

SETTINGS = """\
school: 星光小学
library: 星光小学图书馆
classes: [三(1)班, 三(2)班, 四（1）班]
"""

TERM = """\
term:
  id: 2025-2026-2
  name: 2025学年第二学期
  first_day: 2026-02-24
  last_day: 2026-07-03
closures:
  - {name: 清明节, from: 2026-04-04, to: 2026-04-06}
  - {name: 劳动节, from: 2026-05-01, to: 2026-05-05}
  - {name: 端午节, from: 2026-06-19, to: 2026-06-21}
makeup_days:
  - {date: 2026-02-28, follows: 周一}
  - {date: 2026-05-09, follows: 周二}
vacations:
  - name: 暑假
    from: 2026-07-04
    to: 2026-08-31
"""


def site(make_site: Any, events: str, settings: str = SETTINGS, **more: str) -> Path:
    return make_site({"events.yaml": TERM + events, "content/site.yaml": settings, **more})


def problems(root: Path, lang: str = "zh") -> list[str]:
    """Every problem of the site, as `check` prints its first line."""
    try:
        built = load_site(root, TODAY)
    except BuildFailed as failed:
        found = failed.report.problems
    else:
        found = list(built.warnings)
    return [p.render(lang).split("\n")[0] for p in found]


# --- vacations ----------------------------------------------------------------------------
SUMMER = """\
events:
  - title: 少儿阅览室暑期开放
    from: 2026-07-06
    to: 2026-07-17
    time: 9:00-11:30
  - title: 图书数字化投入使用
    date: 2026-08-03
  - title: 暑期阅读打卡
    month: 2026-08
"""


def test_items_inside_a_vacation_are_accepted_and_get_month_pages(make_site: Any) -> None:
    root = site(make_site, SUMMER)
    assert problems(root) == []
    built = load_site(root, TODAY)
    term = built.current
    assert [str(m.month) for m in term.months][-3:] == ["2026-06", "2026-07", "2026-08"]
    august = term.months[-1]
    assert august.weeks == () and [v.name for v in august.vacations] == ["暑假"]
    assert [i.title for i in august.items] == ["暑期阅读打卡"]
    [opening] = [o for o in term.occurrences if o.title == "少儿阅览室暑期开放"]
    assert (opening.week, opening.vacation and opening.vacation.name) == (0, "暑假")
    [summer] = term.vacations
    assert [w.week.monday for w in summer.weeks][:2] == [date(2026, 6, 29), date(2026, 7, 6)]
    assert len(summer.weeks) == 10
    assert [o.title for o in summer.occurrences] == ["少儿阅览室暑期开放", "图书数字化投入使用"]


def test_a_date_after_the_vacation_is_still_outside(make_site: Any) -> None:
    root = site(make_site, "events:\n  - title: 开学\n    date: 2026-09-01\n")
    assert problems(root) == [
        "events.yaml:19:11: 错误 E301: 日期 2026-09-01 不在本学期内（2026-02-24 至 2026-07-03）"
    ]


@pytest.mark.parametrize(
    ("vacations", "expected"),
    [
        (
            "  - name: 暑假\n    from: 2026-07-01\n    to: 2026-08-31\n",
            "events.yaml:15:11: 错误 E332: 假期“暑假”（2026-07-01 至 2026-08-31）与 "
            "events.yaml:4 的学期“2025-2026-2”（2026-02-24 至 2026-07-03）有同一天",
        ),
        (
            "  - name: 寒假\n    from: 2026-01-24\n    to: 2026-02-23\n",
            "events.yaml:15:11: 错误 E334: 假期“寒假”（2026-01-24 至 2026-02-23）在学期"
            "“2025-2026-2”之前，应该写在上一个学期的文件里",
        ),
        (
            "  - name: 暑假\n    from: 2026-07-04\n    to: 2026-08-31\n"
            "  - name: 暑期托管\n    from: 2026-08-01\n    to: 2026-08-20\n",
            "events.yaml:18:11: 错误 E333: 假期“暑期托管”（2026-08-01 至 2026-08-20）与 "
            "events.yaml:14 的假期“暑假”（2026-07-04 至 2026-08-31）有同一天",
        ),
        (
            "  - name: 暑假\n    from: 2026-07-04\n    to: 2027-08-31\n",
            "events.yaml:16:9: 错误 E339: 假期“暑假”结束得太晚：从学期第一天算起 554 天"
            "（最多 400 天）",
        ),
    ],
    ids=["overlaps-its-term", "before-its-term", "overlaps-a-vacation", "too-long"],
)
def test_a_vacation_must_follow_its_term_alone(
    make_site: Any, vacations: str, expected: str
) -> None:
    text = TERM.split("vacations:\n")[0] + "vacations:\n" + vacations
    root = make_site({"events.yaml": text, "content/site.yaml": SETTINGS})
    assert problems(root) == [expected]


def test_a_vacation_overlapping_another_file_s_term_is_an_error(make_site: Any) -> None:
    autumn = """\
term:
  id: 2025-2026-1
  name: 2025学年第一学期
  first_day: 2025-09-01
  last_day: 2026-01-23
vacations:
  - name: 寒假
    from: 2026-01-24
    to: 2026-02-25
"""
    root = site(make_site, "", **{"content/terms/2025-2026-1.yaml": autumn})
    assert problems(root) == [
        "content/terms/2025-2026-1.yaml:8:11: 错误 E332: 假期“寒假”（2026-01-24 至 "
        "2026-02-25）与 events.yaml:4 的学期“2025-2026-2”（2026-02-24 至 2026-07-03）有同一天"
    ]


# --- several weeks, several months, the plans' numbering ------------------------------------
def test_weeks_and_months_and_numbering(make_site: Any) -> None:
    events = """\
events:
  - title: 开学前处理丢卡、补办借书证
    weeks: 1-2
  - title: 入馆礼仪强化
    weeks: [1, 3, 4]
  - title: 部分新书录入、上架
    month: 2026-03
  - title: 第二轮故事爸妈团
    months: [2026-03, 2026-05]
    owner: [刘静, 储霞]
  - title: 家长义工排班调整
    month: 2026-03
    no: 1
  - title: 英文绘本入班登记
    month: 2026-04
"""
    root = site(make_site, events)
    assert problems(root) == []
    term = load_site(root, TODAY).current
    spans = [(o.title, o.start, o.end, o.weeks) for o in term.occurrences if o.whole_week]
    assert spans == [
        ("入馆礼仪强化", date(2026, 2, 24), date(2026, 2, 27), (1, 1)),
        ("开学前处理丢卡、补办借书证", date(2026, 2, 24), date(2026, 3, 6), (1, 2)),
        ("入馆礼仪强化", date(2026, 3, 9), date(2026, 3, 20), (3, 4)),
    ]
    by_month = {
        str(m.month): [(i.no, i.title, str(i.event.owner or "")) for i in m.items]
        for m in term.months
    }
    assert by_month["2026-03"] == [
        (2, "部分新书录入、上架", ""),
        (3, "第二轮故事爸妈团", "刘静、储霞"),
        (1, "家长义工排班调整", ""),
    ]
    assert by_month["2026-04"] == [
        (1, "第二轮故事爸妈团", "刘静、储霞"),
        (2, "英文绘本入班登记", ""),
    ]
    assert by_month["2026-05"] == [(1, "第二轮故事爸妈团", "刘静、储霞")]


@pytest.mark.parametrize(
    ("item", "expected"),
    [
        (
            "    weeks: 18-21\n",
            "events.yaml:19:12: 错误 E302: 本学期没有第 21 周（共 19 周）",
        ),
        (
            "    months: [2026-06, 2026-09]\n",
            "events.yaml:19:23: 错误 E307: 月份 2026-09 不在本学期内（2026-02-24 至 2026-08-31）",
        ),
        (
            "    months: [2026-05, 2026-03]\n",
            "events.yaml:19:13: 错误 E215: 结束早于开始：2026-05 到 2026-03",
        ),
        (
            "    date: 2026-03-02\n    no: 3\n",
            "events.yaml:20:9: 错误 E336: “整理”写了序号 no，但它不是本月工作",
        ),
        ("    weeks: 1-2\n    week: 3\n", None),
    ],
    ids=[
        "weeks-past-the-term",
        "months-past-the-vacation",
        "months-reversed",
        "no-on-a-date",
        "two-ways",
    ],
)
def test_weeks_and_months_are_checked(make_site: Any, item: str, expected: str | None) -> None:
    root = site(make_site, "events:\n  - title: 整理\n" + item)
    found = problems(root)
    if expected is None:
        assert [line.split(": ")[1].split(" ")[1] for line in found] == ["E214"]
    else:
        assert found == [expected]


# --- classes and grades ---------------------------------------------------------------------
def test_classes_and_grades_are_checked_against_site_yaml(make_site: Any) -> None:
    events = """\
events:
  - title: 三年级小管培训
    date: 2026-03-12
    classes: [三(1)班, 三（2）班]
  - title: 四年级森林课堂
    date: 2026-04-21
    grades: [四年级]
recurring:
  - title: 午间故事会
    weekdays: [周三]
    from: 2026-03-04
    to: 2026-03-25
    classes: [三(3)班]
    grades: [三年纪]
"""
    root = site(make_site, events)
    assert problems(root) == [
        "events.yaml:29:15: 错误 E330: 班级“三(3)班”不在 content/site.yaml 的班级名单里",
        "events.yaml:30:14: 错误 E331: 年级“三年纪”不在 content/site.yaml 的班级名单里",
    ]
    with pytest.raises(BuildFailed) as failed:
        load_site(root, TODAY)
    hints = [p.hint("zh") for p in failed.value.report.problems]
    assert hints[0] == (
        "是不是想写“三(2)班”？classes 里的班级要和 site.yaml 的 classes 写法一样"
        "（例如 三(1)班、三(2)班、四(1)班）；新班级请先加到 site.yaml。"
    )
    assert hints[1].startswith("是不是想写“三年级”？")
    en = [p.render("en").split("\n")[0] for p in failed.value.report.problems]
    assert en[0] == (
        "events.yaml:29:15: error E330: the class '三(3)班' is not in the class list of "
        "content/site.yaml"
    )


# --- monthly repeats ------------------------------------------------------------------------
MONTHLY = """\
recurring:
  - title: 小管例会
    every: month
    weekday: 周五
    nth: -1
    time: 15:40-16:20
    from: 2026-02-24
    to: 2026-07-03
  - title: 阅读课量化表回收
    every: 每月
    weekday: 周五
    nth: 1
    from: 2026-03-01
    to: 2026-06-30
  - title: 图书馆月报
    every: month
    day: 31
    from: 2026-03-01
    to: 2026-06-30
"""


def test_monthly_repeats_skip_closures_and_say_so(make_site: Any) -> None:
    root = site(make_site, MONTHLY)
    assert problems(root) == [
        "events.yaml:25:5: 警告 W330: 每月重复的“阅读课量化表回收”有几次落在放假/闭馆日，"
        "这几次不安排：2026-05-01（劳动节）",
        "events.yaml:33:10: 警告 W332: 每月重复的“图书馆月报”写的是每月 31 日，"
        "2026-04、2026-06 没有这一天，这几个月不安排",
    ]
    term = load_site(root, TODAY).current

    def dates(title: str) -> list[date]:
        return [o.start for o in term.occurrences if o.title == title]

    assert dates("小管例会") == [
        date(2026, 2, 27),
        date(2026, 3, 27),
        date(2026, 4, 24),
        date(2026, 5, 29),
        date(2026, 6, 26),
    ]
    assert dates("阅读课量化表回收") == [date(2026, 3, 6), date(2026, 4, 3), date(2026, 6, 5)]
    assert dates("图书馆月报") == [date(2026, 3, 31), date(2026, 5, 31)]


@pytest.mark.parametrize(
    ("rule", "at"),
    [
        ("    every: month\n    weekdays: [周五]\n", "events.yaml:22:15"),
        ("    every: month\n    weekday: 周五\n    nth: 5\n", "events.yaml:23:10"),
        ("    every: month\n    weekday: 周五\n    nth: 1\n    day: 3\n", "events.yaml:24:10"),
        ("    weekdays: [周五]\n    day: 3\n", "events.yaml:22:10"),
        ("    every: month\n", "events.yaml:21:12"),
    ],
    ids=["weekdays-monthly", "nth-5", "day-and-nth", "day-weekly", "nothing"],
)
def test_a_rule_that_does_not_fit_its_every_is_e335(make_site: Any, rule: str, at: str) -> None:
    text = f"recurring:\n  - title: 例会\n    from: 2026-03-01\n    to: 2026-06-30\n{rule}"
    found = problems(site(make_site, text))
    assert [line.split(": ")[0] + " " + line.split(": ")[1].split(" ")[1] for line in found] == [
        f"{at} E335"
    ]


# --- duplicates and ids ---------------------------------------------------------------------
def test_a_copy_pasted_item_is_a_warning_with_both_positions(make_site: Any) -> None:
    events = """\
events:
  - title: 故事会
    date: 2026-03-04
    time: 12:20-12:50
  - title: 故事会
    date: 2026-03-04
    time: 12:20-12:50
  - title: 故事会
    date: 2026-03-04
    time: 13:00-13:30
"""
    assert problems(site(make_site, events)) == [
        "events.yaml:21:5: 警告 W331: “故事会”写了两次（和 events.yaml:18 那一项的名称、日期、时间都一样）"
    ]


def test_an_id_given_twice_is_e337(make_site: Any) -> None:
    events = """\
events:
  - title: 暑期开放
    date: 2026-07-06
    id: summer
  - title: 暑假阅读作业
    date: 2026-06-30
    id: summer
"""
    assert problems(site(make_site, events)) == [
        "events.yaml:23:9: 错误 E337: 编号 id “summer”用了两次（events.yaml:20 也用了）"
    ]


# --- feeds ------------------------------------------------------------------------------------
def _vevents(root: Path) -> list[Any]:
    from icalendar import Calendar

    from generator.pipeline import build

    build(root, root / "public", TODAY)
    return Calendar.from_ical((root / "public/calendar.ics").read_bytes()).walk("VEVENT")


def test_an_id_keeps_the_uid_through_a_new_title_and_date(make_site: Any) -> None:
    item = "events:\n  - title: {title}\n    date: {date}\n    id: reading-day\n"
    first = _vevents(site(make_site, item.format(title="读书日", date="2026-03-04")))
    assert [str(e["UID"]) for e in first] == ["2025-2026-2-reading-day@library-site"]
    moved = _vevents(site(make_site, item.format(title="世界读书日", date="2026-04-23")))
    assert [(str(e["UID"]), str(e["SUMMARY"])) for e in moved] == [
        ("2025-2026-2-reading-day@library-site", "世界读书日")
    ]


def test_a_timed_span_is_one_vevent_per_open_weekday(make_site: Any) -> None:
    events = "events:\n  - title: 图书漂流\n    from: 2026-04-02\n    to: 2026-04-08\n"
    found = _vevents(site(make_site, events + "    time: 12:00-12:40\n"))
    shanghai = ZoneInfo("Asia/Shanghai")
    # 04-04..04-06 清明节 (a Saturday, Sunday and Monday): left out
    assert [e.decoded("DTSTART") for e in found] == [
        datetime(2026, 4, d, 12, 0, tzinfo=shanghai) for d in (2, 3, 7, 8)
    ]
    assert str(found[0]["UID"]).endswith("-20260402@library-site")


def test_a_monthly_rule_is_one_vevent_with_its_rrule_and_skips(make_site: Any) -> None:
    from dateutil.rrule import rrulestr

    found = _vevents(site(make_site, MONTHLY))
    by = {str(e["SUMMARY"]): e for e in found}
    first = by["阅读课量化表回收"]
    assert first["RRULE"].to_ical() == b"FREQ=MONTHLY;UNTIL=20260630;BYDAY=1FR"
    assert first["EXDATE"].to_ical() == b"20260501"
    start = datetime.combine(first.decoded("DTSTART"), datetime.min.time())
    days = [d.date() for d in rrulestr(first["RRULE"].to_ical().decode(), dtstart=start)]
    assert [d for d in days if d != date(2026, 5, 1)] == [
        date(2026, 3, 6),
        date(2026, 4, 3),
        date(2026, 6, 5),
    ]
