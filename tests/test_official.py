"""China's official holidays from the `holidays` package: named runs of days off, the 调休
workdays and the timetable they follow, years not yet published, and check's W350/W351."""

from __future__ import annotations

from datetime import date

import holidays
import pytest

from generator.assemble.official import (
    OfficialClosure,
    OfficialWorkday,
    official_days,
    published,
)


def _runs(first: date, last: date) -> list[tuple[str, str, str]]:
    return [
        (c.name, c.first.isoformat(), c.last.isoformat())
        for c in official_days(first, last).closures
    ]


def test_2026_as_the_state_council_published_it():
    found = official_days(date(2026, 1, 1), date(2026, 12, 31))
    assert [(c.name, c.first.isoformat(), c.last.isoformat()) for c in found.closures] == [
        ("元旦", "2026-01-01", "2026-01-03"),
        ("春节", "2026-02-15", "2026-02-23"),
        ("清明节", "2026-04-04", "2026-04-06"),
        ("劳动节", "2026-05-01", "2026-05-05"),
        ("端午节", "2026-06-19", "2026-06-21"),
        ("中秋节", "2026-09-25", "2026-09-27"),
        ("国庆节", "2026-10-01", "2026-10-07"),
    ]
    # each workday follows the timetable of the weekday it was swapped with (0 = Monday)
    assert found.makeup_days == (
        OfficialWorkday(date(2026, 1, 4), 4, "元旦调休"),
        OfficialWorkday(date(2026, 2, 14), 4, "春节调休"),
        OfficialWorkday(date(2026, 2, 28), 0, "春节调休"),
        OfficialWorkday(date(2026, 5, 9), 1, "劳动节调休"),
        OfficialWorkday(date(2026, 9, 20), 1, "国庆节调休"),
        OfficialWorkday(date(2026, 10, 10), 2, "国庆节调休"),
    )
    assert found.unpublished == ()


def test_2025_joins_national_day_and_mid_autumn_into_one_run():
    assert _runs(date(2025, 9, 1), date(2026, 1, 23)) == [
        ("国庆节、中秋节", "2025-10-01", "2025-10-08"),
        ("元旦", "2026-01-01", "2026-01-03"),
    ]
    found = official_days(date(2025, 9, 1), date(2026, 1, 23))
    assert [(m.date.isoformat(), m.name) for m in found.makeup_days] == [
        ("2025-09-28", "国庆节、中秋节调休"),
        ("2025-10-11", "国庆节、中秋节调休"),
        ("2026-01-04", "元旦调休"),
    ]


def test_a_run_overlapping_the_range_is_given_whole():
    # the sample term starts the day after 春节 ends: it is not inside; 清明 is, whole
    assert _runs(date(2026, 2, 24), date(2026, 4, 5))[0] == ("清明节", "2026-04-04", "2026-04-06")
    assert _runs(date(2026, 2, 20), date(2026, 2, 20)) == [("春节", "2026-02-15", "2026-02-23")]
    run = OfficialClosure("春节", date(2026, 2, 15), date(2026, 2, 23))
    assert [d.day for d in run.school_days] == [16, 17, 18, 19, 20, 23]


def test_an_unpublished_year_is_said_and_never_guessed():
    # the package answers 2030 from the lunar calendar and a weekend rule: guesses
    assert holidays.China(years=2030)
    assert not published(2030)
    assert official_days(date(2030, 1, 1), date(2030, 12, 31)) == ((), (), (2030,))
    found = official_days(date(2026, 9, 1), date(2031, 1, 31))
    assert {2028, 2029, 2030, 2031} <= set(found.unpublished)
    assert 2026 not in found.unpublished
    assert all(published(c.first.year) for c in found.closures)
    assert all(published(m.date.year) for m in found.makeup_days)
    assert ("国庆节", "2026-10-01", "2026-10-07") in [
        (c.name, c.first.isoformat(), c.last.isoformat()) for c in found.closures
    ]


EVENTS = """\
term:
  id: 2025-2026-2
  name: 2025学年第二学期
  first_day: 2026-02-24
  last_day: 2026-07-03
closures:
  - name: 清明节
    date: 2026-04-06
  - name: 端午节
    from: 2026-06-19
    to: 2026-06-21
makeup_days:
  - date: 2026-02-28
    follows: 周一
events:
  - title: 开馆准备
    date: 2026-02-24
"""


def test_check_warns_once_per_missing_holiday_at_the_key(make_site, run_cli):
    site = make_site({"events.yaml": EVENTS})
    code, out, err = run_cli("check", "--site", site, "--today", "2026-03-10")
    assert (code, out) == (0, "检查通过（2 个警告）\n")
    assert err == (
        "events.yaml:6:1: 警告 W350: 国家放假安排“劳动节”（2026-05-01 至 2026-05-05）的 "
        "2026-05-01、2026-05-04、2026-05-05 不在 closures（放假和闭馆）里\n"
        "  6 | closures:\n"
        "    | ^\n"
        "  提示: 这些日子按国务院的放假通知不上学。学校照常开放的话可以不管这条警告；否则在 "
        "closures 里加上：- name: 劳动节 / from: 2026-05-01 / to: 2026-05-05。\n"
        "\n"
        "events.yaml:12:1: 警告 W351: 国家放假安排的调休上班日 2026-05-09（劳动节调休）不在 "
        "makeup_days（调休上班）里\n"
        "  12 | makeup_days:\n"
        "     | ^\n"
        "  提示: 这一天按国务院的放假通知要上班上课。在 makeup_days 里加上 - date: … / "
        "follows: （按星期几的课表），每周重复的活动才会照常安排。\n"
        "\n"
    )
    # 清明 is covered on its one school day (Monday 04-06): the weekend is not asked for


def test_the_warning_says_which_dates_in_english(make_site, run_cli):
    site = make_site(
        {"events.yaml": EVENTS.replace("    date: 2026-04-06\n", "    date: 2026-04-05\n")}
    )
    _, _, err = run_cli("check", "--site", site, "--today", "2026-03-10", "--lang", "en")
    assert (
        "events.yaml:6:1: warning W350: the official holiday '清明节' (2026-04-04 to "
        "2026-04-06): 2026-04-06 not in closures\n"
    ) in err


def test_without_the_lists_the_warning_stands_at_the_term(make_site, run_cli):
    text = EVENTS.replace("makeup_days:\n  - date: 2026-02-28\n    follows: 周一\n", "")
    site = make_site({"events.yaml": text})
    _, _, err = run_cli("check", "--site", site, "--today", "2026-03-10")
    # one warning per holiday, each naming its own days
    assert [line for line in err.splitlines() if "W351" in line] == [
        "events.yaml:1:1: 警告 W351: 国家放假安排的调休上班日 2026-02-28（春节调休）不在 "
        "makeup_days（调休上班）里",
        "events.yaml:1:1: 警告 W351: 国家放假安排的调休上班日 2026-05-09（劳动节调休）不在 "
        "makeup_days（调休上班）里",
    ]


def test_a_plan_without_holidays_and_the_archive_are_not_asked(make_site, run_cli):
    bare = EVENTS.split("closures:")[0] + "events:\n  - title: 开馆准备\n    date: 2026-02-24\n"
    old = (
        EVENTS.replace("2025-2026-2", "2025-2026-1")
        .replace("2026-02-24", "2025-09-01")
        .replace("2026-07-03", "2026-01-23")
        .replace("清明节\n    date: 2026-04-06", "元旦\n    date: 2026-01-01")
        .replace("    from: 2026-06-19\n    to: 2026-06-21", "    date: 2025-12-01")
        .replace("2026-02-28", "2025-09-28")
    )
    site = make_site(
        {
            "events.yaml": bare,
            "content/terms/2025-2026-1.yaml": old,
            "content/site.yaml": "school: 星光小学\n",
        }
    )
    assert run_cli("check", "--site", site, "--today", "2026-03-10") == (
        0,
        "检查通过（0 个警告）\n",
        "",
    )


def test_the_sample_matches_the_official_2026_schedule(make_site, run_cli):
    site = make_site(sample=True)
    assert run_cli("check", "--site", site, "--today", "2026-03-10") == (
        0,
        "检查通过（0 个警告）\n",
        "",
    )


def test_china_is_imported_without_the_packages_other_countries() -> None:
    # holidays/countries/__init__.py imports all 250 countries; the build needs China's.
    # In a fresh process: only China's module, and the same days as the usual import.
    import subprocess
    import sys

    script = (
        "import sys\n"
        "from datetime import date\n"
        "from generator.assemble.official import official_days\n"
        "days = official_days(date(2001, 1, 1), date(2027, 12, 31))\n"
        "print(sorted(m for m in sys.modules if m.startswith('holidays.countries')))\n"
        "import holidays.countries  # still runs as usual afterwards\n"
        "print(len([m for m in sys.modules if m.startswith('holidays.countries.')]) > 200)\n"
        "print(len(days.makeup_days))\n"
    )
    found = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, encoding="utf-8"
    )
    assert found.returncode == 0, found.stderr
    lines = found.stdout.splitlines()
    assert lines[:2] == ["['holidays.countries.china']", "True"]
    # every 调休 workday of those years, as the usual import gives them
    table = holidays.China(years=range(2001, 2028), language="zh_CN")
    assert int(lines[2]) == len(table.weekend_workdays) > 100


def test_a_memo_keeps_the_official_days_by_the_dates_and_the_packages_version(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from generator.assemble import official
    from generator.serve.memo import PreviewMemo

    memo = PreviewMemo()
    first, last = date(2026, 2, 24), date(2026, 7, 3)
    kept = official._official_days(first, last, memo)
    assert kept == official_days(first, last)
    monkeypatch.setattr(official, "official_days", lambda *a: "made again")
    assert official._official_days(first, last, memo) is kept
    monkeypatch.setattr(official, "_holidays_version", lambda: "0.0-other")
    assert official._official_days(first, last, memo) == "made again"
