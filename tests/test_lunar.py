"""农历, 节气 and the traditional festivals under each day number (issue 19, item 2)."""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from lunar_python import Solar

from generator.render.lunar import lunar_day
from tests.test_year import TERM

SETTINGS = "school: 星光小学\nlibrary: 星光小学图书馆\n"


@pytest.mark.parametrize(
    ("day", "full", "label"),
    [
        (date(2026, 2, 16), "农历腊月廿九", "除夕"),  # 腊月 has 29 days in 2026
        (date(2026, 2, 17), "农历正月初一", "春节"),
        (date(2026, 3, 3), "农历正月十五", "元宵"),
        (date(2026, 3, 5), "农历正月十七", "惊蛰"),
        (date(2026, 4, 5), "农历二月十八", "清明"),
        (date(2026, 4, 17), "农历三月初一", "三月"),  # a lunar month's first day names it
        (date(2026, 4, 18), "农历三月初二", "初二"),
        (date(2026, 6, 19), "农历五月初五", "端午"),
        (date(2026, 8, 19), "农历七月初七", "七夕"),
        (date(2026, 9, 25), "农历八月十五", "中秋"),
        (date(2026, 10, 18), "农历九月初九", "重阳"),
        (date(2026, 12, 22), "农历冬月十四", "冬至"),  # a 节气 lunar-python names in pinyin
        (date(2027, 1, 15), "农历腊月初八", "腊八"),
        (date(2025, 7, 25), "农历闰六月初一", "闰六月"),  # 2025 has a leap sixth month
    ],
)
def test_known_dates(day: date, full: str, label: str) -> None:
    assert (lunar_day(day).full, lunar_day(day).label) == (full, label)


def test_the_tables_agree_with_lunar_python_day_by_day() -> None:
    """The year tables (for speed) against the library's own conversion, 2024–2028."""
    wrong = []
    for n in range(365 * 5 + 1):
        day = date(2024, 1, 1) + timedelta(n)
        lunar = Solar.fromYmd(day.year, day.month, day.day).getLunar()
        ours = lunar_day(day)
        theirs = (abs(lunar.getMonth()), lunar.getMonth() < 0, lunar.getDay(), lunar.getJieQi())
        if (ours.month, ours.leap, ours.day, ours.solar_term) != theirs:
            wrong.append((day, ours, theirs))
    assert wrong == []


def _cell(html: str, day: int) -> str:
    """The day number line of a month grid's cell."""
    found = re.search(rf'<p class="daynum"><span class="num">{day}</span>(.*?)</p>', html)
    assert found, day
    return found.group(1)


def test_the_month_page_shows_them_and_site_yaml_turns_them_off(
    make_site: Any, run_cli: Any
) -> None:
    root: Path = make_site({"events.yaml": TERM + "events: []\n", "content/site.yaml": SETTINGS})
    assert run_cli("--site", root, "--today", "2026-03-10", "build")[0] == 0
    april = (root / "public/calendar/2026-04/index.html").read_text(encoding="utf-8")
    assert _cell(april, 5) == ' <span class="lunar festival" title="农历二月十八">清明</span>'
    assert _cell(april, 20) == ' <span class="lunar solar-term" title="农历三月初四">谷雨</span>'
    assert _cell(april, 21) == ' <span class="lunar" title="农历三月初五">初五</span>'

    (root / "content/site.yaml").write_text(SETTINGS + "lunar: 否\n", encoding="utf-8")
    assert run_cli("--site", root, "--today", "2026-03-10", "build")[0] == 0
    april = (root / "public/calendar/2026-04/index.html").read_text(encoding="utf-8")
    assert _cell(april, 5) == ""
    assert 'class="lunar' not in april
