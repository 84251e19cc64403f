"""农历, 节气 and the traditional festivals of a day, for the month grids (on screen and on
paper), from lunar-python (offline: its tables ship with it).

Converting a date with lunar-python costs about 2 ms (it recomputes the year's 节气 each
time), so the lunar months and the 节气 of a year are read once into tables and each day is
a lookup. tests/test_lunar.py checks the tables against lunar-python's own conversion.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from datetime import date
from functools import cache

from lunar_python import Lunar, LunarYear, Solar

MONTH_NAMES = ("正", "二", "三", "四", "五", "六", "七", "八", "九", "十", "冬", "腊")
_TENS = ("初", "十", "廿", "三")
_UNITS = "一二三四五六七八九十"
DAY_NAMES = tuple(
    {10: "初十", 20: "二十", 30: "三十"}.get(n, _TENS[(n - 1) // 10] + _UNITS[(n - 1) % 10])
    for n in range(1, 31)
)
# The traditional festivals by lunar month and day (never in a leap month); 清明 is a 节气 and
# 除夕 the last day of 腊月, whichever day that is.
FESTIVALS = {
    (1, 1): "春节",
    (1, 15): "元宵",
    (2, 2): "龙抬头",
    (5, 5): "端午",
    (7, 7): "七夕",
    (8, 15): "中秋",
    (9, 9): "重阳",
    (12, 8): "腊八",
}
# lunar-python names the 节气 just outside its lunar year in pinyin
_PINYIN = {
    "DA_XUE": "大雪",
    "DONG_ZHI": "冬至",
    "XIAO_HAN": "小寒",
    "DA_HAN": "大寒",
    "LI_CHUN": "立春",
    "YU_SHUI": "雨水",
    "JING_ZHE": "惊蛰",
}


@dataclass(frozen=True)
class LunarDay:
    month: int  # 1–12
    day: int  # 1–30
    leap: bool
    solar_term: str  # 节气, or ""
    festival: str  # 春节 … 除夕, 清明; or ""

    @property
    def month_name(self) -> str:
        return ("闰" if self.leap else "") + MONTH_NAMES[self.month - 1] + "月"

    @property
    def day_name(self) -> str:
        return DAY_NAMES[self.day - 1]

    @property
    def label(self) -> str:
        """What the grid shows under the day number: the festival, else the 节气, else the
        lunar day (正月初一 style on a lunar month's first day)."""
        if self.festival:
            return self.festival
        if self.solar_term:
            return self.solar_term
        return self.month_name if self.day == 1 else self.day_name

    @property
    def full(self) -> str:
        """The whole date, for the cell's title and screen readers: 农历正月初一."""
        return f"农历{self.month_name}{self.day_name}"


def _solar(julian_day: float) -> date:
    s = Solar.fromJulianDay(julian_day)
    return date(s.getYear(), s.getMonth(), s.getDay())


@cache
def _months(year: int) -> tuple[tuple[date, ...], tuple[tuple[int, bool, int], ...]]:
    """The lunar months that touch Gregorian `year`: their first days, and (month, leap, days)."""
    starts: dict[date, tuple[int, bool, int]] = {}
    for y in (year - 1, year):
        for m in LunarYear.fromYear(y).getMonths():
            number = m.getMonth()
            starts[_solar(m.getFirstJulianDay())] = (abs(number), number < 0, m.getDayCount())
    ordered = sorted(starts)
    return tuple(ordered), tuple(starts[d] for d in ordered)


@cache
def _solar_terms(year: int) -> dict[date, str]:
    table: dict[date, str] = {}
    for y in (year, year + 1):
        for name, solar in Lunar.fromYmd(y, 1, 1).getJieQiTable().items():
            day = date(solar.getYear(), solar.getMonth(), solar.getDay())
            if day.year == year:
                table[day] = _PINYIN.get(name, name)
    return table


@cache
def lunar_day(day: date) -> LunarDay:
    firsts, months = _months(day.year)
    i = bisect_right(firsts, day) - 1
    month, leap, length = months[i]
    number = (day - firsts[i]).days + 1
    term = _solar_terms(day.year).get(day, "")
    festival = "" if leap else FESTIVALS.get((month, number), "")
    if not leap and month == 12 and number == length:
        festival = "除夕"
    if term == "清明":
        festival = "清明"
    return LunarDay(month, number, leap, term, festival)
