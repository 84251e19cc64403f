"""How dense a month's printed sheet is, so the stylesheet can shrink its type to keep the
month on one A4 landscape page instead of spilling onto a second.

The numbers are calibrated against real Chromium print layout (tests/test_print.py measures
every sample month and a deliberately crowded one); they estimate, the tests measure.
"""

from __future__ import annotations

from math import ceil

from generator.assemble.term import Day, MonthView

# Characters of 8pt text that fit on one line of a day cell on A4 landscape.
CHARS_PER_LINE = 11
# Lines of 8pt text a row keeps even when empty (the 22 mm minimum row height).
ROW_MIN_LINES = 6
# The most estimated lines each print size holds on one sheet (8pt, 7pt, 6pt, 5pt type),
# measured in Chromium: 50 lines print 674 px tall at 8pt, of the 733 px a sheet has.
LEVELS = (50, 60, 80, 108)


def cell_lines(day: Day) -> int:
    lines = 1 + (day.closure is not None) + (day.makeup is not None) * 2
    for occ in day.shown:
        text = len(occ.title) + (12 if occ.time else 0) + (8 if occ.multi_day else 0) + 2
        lines += ceil(text / CHARS_PER_LINE)
    return lines


def month_lines(month: MonthView) -> int:
    """The grid's estimated height in lines of 8pt text: each row as tall as its fullest day."""
    return sum(max(ROW_MIN_LINES, *(cell_lines(d) for d in row if d)) for row in month.rows)


def print_density(month: MonthView) -> int:
    """0 for the normal size, up to 3 for the smallest type (also past what it holds)."""
    lines = month_lines(month) + ceil(sum(len(i.event.title) + 4 for i in month.items) / 120)
    return next((level for level, limit in enumerate(LEVELS) if lines <= limit), len(LEVELS) - 1)
