"""How a month's printed sheet is laid out: every row as tall as an even share of one A4
landscape sheet, and each day's type as large as its own items allow.

The wall calendar is read from two metres, so a quiet day keeps large type and only a
crowded day shrinks, step by step to a floor (8 pt); past the floor its last items give way
to "另有 N 项，见网站" (with the count), so no text is ever cut off or pushed onto a second
sheet. The estimate counts a Chinese character (and full-width punctuation) as 1 em and any
other character as 0.6 em, and reserves room for an unbreakable time at a line's end; the
stylesheet's sizes are the ones named here, and tests/test_print.py measures the result in
Chromium (every sample month, and crowded ones) rather than trusting the estimate.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from math import ceil, floor

from generator.assemble.term import Day, MonthView, Occurrence, WeekView

PT = 25.4 / 72  # mm per point
LINE = 1.22  # the stylesheet's line-height for items (print)
ITEM_GAP = 0.35  # mm below each item


@dataclass(frozen=True)
class Layout:
    """One kind of sheet: its printable size and type, all in mm and pt."""

    name: str  # "normal" or "large": the class the template puts on the grid
    width: float  # printable width (A4 landscape less 8 mm margins)
    height: float
    sizes: tuple[int, ...]  # item type, largest first; the last is the floor
    daynum: float  # the day number's line, mm (its 18 or 28 pt type and the 农历 beside it)
    week_col: float  # the 周次 column
    weekend_col: float  # Saturday's and Sunday's columns, narrower: they hold less
    above: float  # header, legend and the grid's head row
    work_pt: float  # the 本月工作 line's type
    titles_only: bool = False  # no times, classes or "至4月30日": the notice-board sheet
    cell_pad: float = 2.6  # a cell's padding and borders, across
    row_pad: float = 1.5  # and down
    slack: float = 0.012  # of the height, left for the estimate's error


NORMAL = Layout(
    "normal",
    width=281,
    height=194,
    sizes=(12, 11, 10, 9, 8),
    daynum=7.6,
    week_col=12,
    weekend_col=27,
    above=21.5,
    work_pt=10,
)
LARGE = Layout(
    "large",
    width=281,
    height=194,
    sizes=(20, 18, 16, 14, 12),
    daynum=11,
    week_col=12,
    weekend_col=30,
    above=16,
    work_pt=14,
    titles_only=True,
)
LAYOUTS = {"normal": NORMAL, "large": LARGE}


@dataclass(frozen=True)
class DayFit:
    size: int  # pt of its items
    printed: tuple[bool, ...]  # for each of `Day.shown`: whether the sheet prints it
    hidden: int  # how many more items "另有 N 项，见网站" counts


@dataclass(frozen=True)
class MonthFit:
    layout: Layout
    rows: tuple[float, ...]  # each row's height, mm
    work_pt: float
    days: dict[date, DayFit]

    def day(self, when: date) -> DayFit:
        return self.days[when]


@lru_cache(maxsize=16384)  # titles recur on every day, sheet and layout they are on
def em(text: str) -> float:
    """Its width in em: CJK characters and full-width punctuation 1, the rest 0.6."""
    return sum(1.0 if ord(c) >= 0x2E80 else 0.6 for c in text)


def item_em(occ: Occurrence, day: date, layout: Layout) -> float:
    width = 1.3 + em(occ.title)  # the marker and its space
    if layout.titles_only:
        return width
    if occ.time:
        width += em(str(occ.time)) + 0.3
    if occ.multi_day:
        width += em(f"（续）至{occ.end.month}月{occ.end.day}日") if day > occ.start else 6.5
    names = [*occ.grades, *occ.classes]
    if names:
        width += em("（" + "、".join(names) + "）")
    return width


def _lines(widths: list[float], per_line: float) -> int:
    # a line holds whole characters, and loses up to half of one to the rule that ）：，
    # may not start a line; an unbreakable run (a time, a date) can push 1 em onward
    per_line = max(1.0, floor(per_line) - 0.5)
    return sum(max(1, ceil((w + 1.0) / per_line)) for w in widths)


def column_width(layout: Layout, weekday: int) -> float:
    """The text width of a day's cell, mm."""
    weekdays = (layout.width - layout.week_col - 2 * layout.weekend_col) / 5
    return (layout.weekend_col if weekday >= 5 else weekdays) - layout.cell_pad


def work_lines(month: MonthView, layout: Layout, pt: float) -> int:
    """The 本月工作 line under the grid: its items run on, each with its marker, owner
    （储霞）, classes and months."""
    per_line = layout.width / (pt * PT) * 0.92  # a line seldom ends flush
    words = 5.0  # the heading
    for item in month.items:
        words += 2.6 + em(item.event.title)
        if item.event.owner:
            words += 2 + em("、".join(item.event.owner))
        if item.classes or item.grades:
            words += 2 + em("、".join([*item.grades, *item.classes]))
        if item.event.months:
            words += 5
    return max(1, ceil(words / per_line))


class _Cell:
    """One day's cell: how tall its text is at each size."""

    def __init__(self, day: Day, layout: Layout) -> None:
        self.day = day
        self.fixed = [em(f"✕ {day.closure.name}")] if day.closure else []
        if day.makeup:
            self.fixed.append(em("调休上班（按周三）"))
        if day.vacation_label:
            self.fixed.append(em(day.vacation_label))
        # the notice-board sheet names a span only on its first day (and on the 1st)
        self.printed = [
            not layout.titles_only or o.start == day.date or day.date.day == 1 for o in day.shown
        ]
        self.widths = [
            item_em(o, day.date, layout) for o, p in zip(day.shown, self.printed, strict=True) if p
        ]
        self.width = column_width(layout, day.date.weekday())
        self.sizes = layout.sizes
        # all items at a size: asked again as the row shrinks and when the day is fitted
        self._full: dict[int, float] = {}

    def height(self, size: int, shown: int | None = None, more: int = 0) -> float:
        """mm below the day number, with the first `shown` items (all) and `more` lines."""
        if shown is None and not more:
            full = self._full.get(size)
            if full is None:
                full = self._full[size] = self._height(size, None, 0)
            return full
        return self._height(size, shown, more)

    def _height(self, size: int, shown: int | None, more: int) -> float:
        items = self.widths[:shown]
        per_line = self.width / (size * PT)
        lines = _lines(self.fixed, per_line) + _lines(items, per_line) + more
        return lines * size * PT * LINE + (len(items) + more) * ITEM_GAP

    def fit(self, inner: float) -> DayFit:
        """The largest size whose items fit in `inner` mm; past the floor, the items that
        fit and the count of the rest."""
        count = len(self.widths)
        inner += 0.1  # the row's height was rounded down to 0.1 mm
        for size in self.sizes:
            if self.height(size) <= inner:
                break
        else:  # item by item (not `height` over and over: a day may hold thousands)
            line = size * PT * LINE
            per_line = self.width / (size * PT)
            used = self.height(size, 0, more=1)
            count = 0
            for width in self.widths:
                used += _lines([width], per_line) * line + ITEM_GAP
                if used > inner:
                    break
                count += 1
        # which of `Day.shown` print: the first `count` of those this sheet names
        flags, left = [], count
        for p in self.printed:
            flags.append(p and left > 0)
            left -= flags[-1]
        return DayFit(size, tuple(flags), len(self.widths) - count)


def _share(needs: list[float], room: float) -> list[float]:
    """Past the floor: a row that needs less than an even share keeps what it needs, and the
    crowded rows share the rest evenly (max-min fair)."""
    given = list(needs)
    left, open_rows = room, sorted(range(len(needs)), key=needs.__getitem__)
    while open_rows:
        share = left / len(open_rows)
        i = open_rows.pop(0)
        given[i] = min(needs[i], share)
        left -= given[i]
    return given


def month_fit(month: MonthView, name: str = "normal") -> MonthFit:
    """Each row as tall as its fullest day needs at the largest type the sheet allows it,
    the rest of the sheet shared evenly (past the floor: `_share`). Each day then takes the
    largest type its row's height allows."""
    layout = LAYOUTS[name]
    work_pt = layout.work_pt
    while work_lines(month, layout, work_pt) > 3 and work_pt > 8:
        work_pt -= 1
    work = (work_lines(month, layout, work_pt) * work_pt * PT * 1.3) + 2.5
    cells = [[_Cell(d, layout) for d in row if d] for row in month.rows]
    base = layout.row_pad + layout.daynum  # padding and the day number's line
    room = layout.height * (1 - layout.slack) - layout.above - work - base * len(cells)
    one_line = layout.sizes[0] * PT * LINE

    def need(row: list[_Cell], level: int) -> float:
        return max([one_line] + [c.height(layout.sizes[level]) for c in row])

    # every row at the largest type; while they overflow the sheet, the tallest row that can
    # still shrink goes one size down
    levels = [0] * len(cells)
    needs = [need(row, 0) for row in cells]
    floor_level = len(layout.sizes) - 1
    while sum(needs) > room:
        shrinkable = [i for i, level in enumerate(levels) if level < floor_level]
        if not shrinkable:
            needs = _share(needs, room)
            break
        i = max(shrinkable, key=lambda i: needs[i])
        levels[i] += 1
        needs[i] = need(cells[i], levels[i])
    extra = max(0.0, room - sum(needs)) / len(cells)
    heights = tuple(floor((base + n + extra) * 10) / 10 for n in needs)
    days = {c.day.date: c.fit(h - base) for row, h in zip(cells, heights, strict=True) for c in row}
    return MonthFit(layout, heights, work_pt, days)


# 本周安排 (A4 portrait, 10 mm margins): lines of text the sheet holds at each size, below its
# heading; the largest size whose estimate fits is used, the smallest past them all.
WEEK_SIZES = ((16, 26), (14, 30), (12, 36), (10, 46))
WEEK_WIDTH = 150  # mm of an item's line (the sheet less the day column)


def week_print_size(week: WeekView) -> int:
    """The pt of the week sheet's items: 16 or 14 for a usual week, less for a crowded one."""
    days = [
        (max(1, bool(d.closure) + bool(d.makeup)), [_week_item_em(o) for o in d.shown])
        for d in week.sheet_days
    ]
    for size, capacity in WEEK_SIZES:
        per_line = WEEK_WIDTH / (size * PT)
        if sum(fixed + _lines(widths, per_line) for fixed, widths in days) <= capacity:
            return size
    return WEEK_SIZES[-1][0]


def _week_item_em(occ: Occurrence) -> float:
    width = 1.3 + em(occ.title) + (em(str(occ.time)) + 0.3 if occ.time else 0)
    if occ.event.location:
        width += 3.5 + em(occ.event.location)
    if occ.event.owner:
        width += 2.5 + em("、".join(occ.event.owner))
    return width + (7 if occ.multi_day else 0) + em("、".join([*occ.grades, *occ.classes]))
