"""农历, 节气 and the traditional festivals of a day, for the month grids (on screen and on
paper), from lunar-python (offline: its tables ship with it).

Converting a date with lunar-python costs about 2 ms (it recomputes the year's 节气 each
time), so the lunar months and the 节气 of a year are read once into tables and each day is
a lookup. tests/test_lunar.py checks the tables against lunar-python's own conversion.

A year's tables depend on nothing but the year and lunar-python: given a folder (this
user's cache, `cache.lunar_tables`), each is kept there as a small JSON file, so a build
neither computes them again nor imports lunar-python, which every process that shows a
month grid did before (a render worker too). A file that cannot be read is made again.
"""

from __future__ import annotations

import json
from bisect import bisect_right
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from pathlib import Path
from typing import Any

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
    from lunar_python import Solar

    s = Solar.fromJulianDay(julian_day)
    return date(s.getYear(), s.getMonth(), s.getDay())


@dataclass(frozen=True)
class _Year:
    """One Gregorian year's tables: the first days of the lunar months that touch it, each
    month's (number, leap, days), and its 节气 by day."""

    firsts: tuple[date, ...]
    months: tuple[tuple[int, bool, int], ...]
    solar_terms: dict[date, str]

    def saved(self) -> str:
        return json.dumps(
            {
                "firsts": [d.isoformat() for d in self.firsts],
                "months": self.months,
                "terms": {d.isoformat(): name for d, name in self.solar_terms.items()},
            },
            ensure_ascii=False,
        )

    @classmethod
    def read(cls, text: str, year: int) -> _Year:
        """The tables kept for `year`, checked to be whole: every month follows the last by
        its length, they cover the year, its 24 节气 fall in it (a file from elsewhere, or
        damaged, is a ValueError, and the tables are computed again)."""
        data: Any = json.loads(text)
        firsts = tuple(date.fromisoformat(d) for d in data["firsts"])
        months = tuple((int(m), bool(leap), int(n)) for m, leap, n in data["months"])
        terms = {date.fromisoformat(d): str(name) for d, name in dict(data["terms"]).items()}
        ends = [first + timedelta(days) for first, (_, _, days) in zip(firsts, months, strict=True)]
        if (
            not firsts
            or firsts[0] > date(year, 1, 1)
            or ends[-1] <= date(year, 12, 31)
            or list(firsts[1:]) != ends[:-1]
            or not all(1 <= m <= 12 and 29 <= n <= 30 for m, _, n in months)
            or len(terms) != 24  # every year has its 24 节气
            or not all(day.year == year and name for day, name in terms.items())
        ):
            raise ValueError(f"not the tables of {year}")
        return cls(firsts, months, terms)


def _computed(year: int) -> _Year:
    from lunar_python import Lunar, LunarYear

    # the lunar months that touch `year`
    starts: dict[date, tuple[int, bool, int]] = {}
    for y in (year - 1, year):
        for m in LunarYear.fromYear(y).getMonths():
            number = m.getMonth()
            starts[_solar(m.getFirstJulianDay())] = (abs(number), number < 0, m.getDayCount())
    ordered = sorted(starts)
    terms: dict[date, str] = {}
    for y in (year, year + 1):
        for name, solar in Lunar.fromYmd(y, 1, 1).getJieQiTable().items():
            day = date(solar.getYear(), solar.getMonth(), solar.getDay())
            if day.year == year:
                terms[day] = _PINYIN.get(name, name)
    return _Year(tuple(ordered), tuple(starts[d] for d in ordered), terms)


@cache
def _year(year: int, folder: Path | None) -> _Year:
    from generator.cache import kept_file

    return kept_file(
        folder / f"{year}.json" if folder is not None else None,
        lambda data: _Year.read(data.decode("utf-8"), year),
        lambda: _computed(year),
        lambda made: made.saved().encode("utf-8"),
    )


@cache
def lunar_day(day: date, folder: Path | None = None) -> LunarDay:
    """`folder`: where the years' tables are kept between builds (none: computed)."""
    year = _year(day.year, folder)
    i = bisect_right(year.firsts, day) - 1
    month, leap, length = year.months[i]
    number = (day - year.firsts[i]).days + 1
    term = year.solar_terms.get(day, "")
    festival = "" if leap else FESTIVALS.get((month, number), "")
    if not leap and month == 12 and number == length:
        festival = "除夕"
    if term == "清明":
        festival = "清明"
    return LunarDay(month, number, leap, term, festival)
