"""Printing, in real headless Chromium: one A4 landscape sheet per month, the 校历 on one A4
portrait sheet, nothing spilling out of its day cell. PNGs of a printed month go to
test-artifacts/ for a person to look at."""

from __future__ import annotations

import io
import textwrap
from datetime import date
from pathlib import Path

import pdfplumber
import pytest
from conftest import ROOT, copy_sample
from pypdf import PdfReader

from generator.cli import main
from generator.pipeline import load_site
from generator.render.printing import month_fit

pytestmark = [pytest.mark.browser, pytest.mark.slow]  # most take 1–5 s: PDFs and layouts

ARTIFACTS = ROOT / "test-artifacts"
A4_LANDSCAPE = (842, 595)  # points
A4_PORTRAIT = (595, 842)
# The printable area of a month sheet in CSS px: A4 landscape less the 8 mm margins.
SHEET = {"width": 1062, "height": 733}
SAMPLE_MONTHS = {
    "calendar/2026-02": 1,
    "calendar/2026-03": 1,
    "calendar/2026-04": 1,
    "calendar/2026-05": 1,
    "calendar/2026-06": 1,
    "calendar/2026-07": 1,
    "terms/2025-2026-1/calendar/2025-09": 1,
    "terms/2025-2026-1/calendar/2025-10": 1,
    "terms/2025-2026-1/calendar/2025-11": 1,
    "terms/2025-2026-1/calendar/2025-12": 1,
    "terms/2025-2026-1/calendar/2026-01": 1,
}


@pytest.fixture(scope="module")
def public(tmp_path_factory: pytest.TempPathFactory) -> Path:
    site = tmp_path_factory.mktemp("print") / "site"
    site.mkdir()
    copy_sample(site)
    assert main(["build", "--site", str(site), "--today", "2026-04-10"]) == 0
    return site / "public"


def print_pdf(browser, page_file: Path) -> list[tuple[int, int]]:
    """Print like the browser's dialog does (CSS page size) and return each sheet's size."""
    page = browser.new_page()
    try:
        page.goto(page_file.as_uri())
        pdf = page.pdf(prefer_css_page_size=True, print_background=True)
    finally:
        page.close()
    return [
        (round(float(p.mediabox.width)), round(float(p.mediabox.height)))
        for p in PdfReader(io.BytesIO(pdf)).pages
    ]


def print_layout(browser, page_file: Path, viewport: dict[str, int] = SHEET):
    page = browser.new_page(viewport=viewport)
    page.goto(page_file.as_uri())
    page.emulate_media(media="print")
    return page


OVERFLOW_JS = """() => {
  const out = [];
  const sheet = document.querySelector('.month-sheet').getBoundingClientRect();
  if (sheet.height > innerHeight) out.push('sheet ' + sheet.height);
  for (const td of document.querySelectorAll('td.day')) {
    const cell = td.getBoundingClientRect();
    if (td.scrollWidth > td.clientWidth || td.scrollHeight > td.clientHeight)
      out.push('cell ' + td.innerText.slice(0, 20));
    for (const el of td.querySelectorAll('li.event, li.event > *')) {
      const r = el.getBoundingClientRect();
      if (r.width === 0) continue;
      if (r.left < cell.left - 0.5 || r.right > cell.right + 0.5 || r.top < cell.top - 0.5
          || r.bottom > cell.bottom + 0.5 || el.scrollWidth > el.clientWidth + 1)
        out.push('event ' + el.textContent.trim().slice(0, 30));
    }
  }
  if (document.documentElement.scrollWidth > innerWidth) out.push('page width');
  return out;
}"""


def test_each_month_prints_on_one_a4_landscape_sheet(browser, public):
    counts = {}
    for month in SAMPLE_MONTHS:
        sheets = print_pdf(browser, public / month / "index.html")
        counts[month] = len(sheets)
        for width, height in sheets:
            assert abs(width - A4_LANDSCAPE[0]) <= 1 and abs(height - A4_LANDSCAPE[1]) <= 1
    assert counts == SAMPLE_MONTHS


def test_whole_term_prints_one_landscape_sheet_per_month_in_order(browser, public):
    for prefix, months in (
        (
            "",
            [
                "2026年2月",
                "2026年3月",
                "2026年4月",
                "2026年5月",
                "2026年6月",
                "2026年7月",
                "2026年8月",
            ],
        ),
        (
            "terms/2025-2026-1/",
            ["2025年9月", "2025年10月", "2025年11月", "2025年12月", "2026年1月", "2026年2月"],
        ),
    ):
        page = browser.new_page()
        page.goto((public / prefix / "calendar/print/index.html").as_uri())
        reader = PdfReader(io.BytesIO(page.pdf(prefer_css_page_size=True)))
        page.close()
        assert [
            (round(float(p.mediabox.width)), round(float(p.mediabox.height))) for p in reader.pages
        ] == [A4_LANDSCAPE] * len(months)
        for sheet, month in zip(reader.pages, months, strict=True):
            assert sheet.extract_text().startswith(f"杭州市滨江区星光小学 星光小学图书馆{month}")


def test_term_overview_prints_on_one_a4_portrait_sheet(browser, public):
    assert print_pdf(browser, public / "calendar/index.html") == [A4_PORTRAIT]
    assert print_pdf(browser, public / "terms/2025-2026-1/calendar/index.html") == [A4_PORTRAIT]


def test_nothing_overflows_its_day_cell_in_print(browser, public):
    for month in SAMPLE_MONTHS:
        page = print_layout(browser, public / month / "index.html")
        assert (month, page.evaluate(OVERFLOW_JS)) == (month, [])
        page.close()


def test_printed_sheet_has_header_markers_and_no_navigation(browser, public):
    page = print_layout(browser, public / "calendar/2026-04/index.html")
    header = page.inner_text(".month-header")
    assert [line for line in header.split("\n") if line] == [
        "杭州市滨江区星光小学 星光小学图书馆",
        "2026年4月 2025学年第二学期 · 第6–10周",
    ]
    for hidden in (".site-header", ".site-footer", ".pager", ".print-button", ".feed-links"):
        assert page.is_hidden(hidden), hidden
    markers = page.eval_on_selector_all(
        "td.day li.event", "els => els.map(e => e.querySelector('.marker').innerText)"
    )
    assert len(markers) == 25  # with 小管例会 (04-24) and 阅读课量化表回收 (04-13)
    assert set(markers) == {"◆", "★", "♪", "▲", "■", "○"}  # ■ meeting, ○ routine: the monthly items
    hatch = page.eval_on_selector_all(
        "td.closed", "els => els.map(e => getComputedStyle(e).backgroundImage.slice(0, 25))"
    )
    assert hatch == ["repeating-linear-gradient"] * 3  # closed days: a hatch, not a tint
    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / "print-2026-04.png"
    page.screenshot(path=str(shot), full_page=True)
    page.close()
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    page = print_layout(browser, public / "calendar/index.html", {"width": 718, "height": 1047})
    page.screenshot(path=str(ARTIFACTS / "print-term-2025-2026-2.png"), full_page=True)
    page.close()


def test_print_button_is_visible_on_screen_and_calls_print(browser, public):
    for path in ("calendar/2026-04/index.html", "calendar/index.html", "calendar/print/index.html"):
        page = browser.new_page()
        page.goto((public / path).as_uri())
        button = page.get_by_role("button", name="打印")
        assert button.is_visible()
        page.evaluate("window.print = () => { document.body.dataset.printed = 'yes'; }")
        button.click()
        assert page.get_attribute("body", "data-printed") == "yes"
        page.close()


CROWDED = textwrap.dedent("""\
    term:
      id: 2025-2026-2
      name: 2025学年第二学期
      first_day: 2026-02-24
      last_day: 2026-07-03
    events:
    """)


def paper(pdf: bytes) -> list[dict[str, float]]:
    """Each sheet as the PDF has it: how far down the printable height its lowest text
    reaches (0–1), the characters outside the printable area (margins), and the sizes (pt)
    of its text: smallest, median, largest (the day numbers)."""
    margin = 8 / 25.4 * 72
    sheets = []
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        for page in doc.pages:
            chars = [c for c in page.chars if c["text"].strip()]
            sizes = sorted(round(c["size"], 1) for c in chars)
            bottom = max(c["bottom"] for c in chars)
            outside = [
                c["text"]
                for c in chars
                if c["x0"] < margin - 1
                or c["x1"] > page.width - margin + 1
                or c["top"] < margin - 1
                or c["bottom"] > page.height - margin + 1
            ]
            sheets.append(
                {
                    "used": round((bottom - margin) / (page.height - 2 * margin), 3),
                    "outside": len(outside),
                    "smallest": sizes[0],
                    "median": sizes[len(sizes) // 2],
                    "largest": sizes[-1],
                }
            )
    return sheets


ITEM_SIZES_JS = """() => [...document.querySelectorAll('td.day')].map(td => [
  td.querySelector('.num').textContent,
  Math.round(parseFloat(getComputedStyle(td.querySelector(".daynum")).fontSize) * 0.75),
  [...td.querySelectorAll('li.event')].filter(li => li.offsetParent)
    .map(li => Math.round(parseFloat(getComputedStyle(li).fontSize) * 0.75)),
  td.querySelector('li.more') ? td.querySelector('li.more').textContent : ''])"""


def test_every_month_fills_its_sheet_in_type_readable_from_the_wall(browser, public):
    """≥ 90 % of the printable height used; day numbers 18 pt; items never below the 8 pt
    floor; April (the busiest) at a median of 11 pt or more."""
    used = {}
    for month in SAMPLE_MONTHS:
        page = browser.new_page()
        page.goto((public / month / "index.html").as_uri())
        (sheet,) = paper(page.pdf(prefer_css_page_size=True, print_background=True))
        page.close()
        used[month] = sheet["used"]
        assert sheet["smallest"] >= 8, (month, sheet)
        assert sheet["outside"] == 0, (month, sheet)
        assert sheet["largest"] == 18, (month, sheet)  # the day numbers
        page = print_layout(browser, public / month / "index.html")
        cells = page.evaluate(ITEM_SIZES_JS)
        page.close()
        assert {size for _, size, _, _ in cells} == {18}
        assert all(8 <= s <= 12 for _, _, items, _ in cells for s in items), month
        if month == "calendar/2026-04":
            items = sorted(s for _, _, sizes, _ in cells for s in sizes)
            assert items[len(items) // 2] >= 11, items
            assert sheet["median"] >= 11
    assert min(used.values()) >= 0.9, used
    assert max(used.values()) <= 1.0, used


def test_weeks_outside_the_term_and_its_vacations_are_left_out(browser, public):
    def row_heads(path: str) -> list[str]:
        page = browser.new_page()
        page.goto((public / path / "index.html").as_uri())
        heads = page.eval_on_selector_all(
            ".month-grid tbody th", "els => els.map(e => e.textContent.trim())"
        )
        page.close()
        return heads

    # the spring term starts on 02-24: its February is one week; the autumn term's February
    # is its 寒假 up to 02-23, and 2026-07 is the spring term's last week and its 暑假
    assert row_heads("calendar/2026-02") == ["第1周"]
    assert row_heads("terms/2025-2026-1/calendar/2026-02") == ["寒假"] * 5  # to 02-23, a Monday
    assert row_heads("calendar/2026-07") == ["第19周", "暑假", "暑假", "暑假", "暑假"]
    page = print_layout(browser, public / "calendar/2026-07/index.html")
    bands = page.eval_on_selector_all(
        "td.vacation",
        "els => els.map(e => [e.querySelector('.num').textContent,"
        " getComputedStyle(e).backgroundImage.slice(0, 15),"
        " (e.querySelector('.vacation-label') || {}).textContent || ''])",
    )
    page.close()
    assert len(bands) == 28  # 07-04 … 07-31
    assert {image for _, image, _ in bands} == {"linear-gradient"}  # the band, in black
    assert [(day, label) for day, _, label in bands if label] == [
        ("4", "暑假"),
        ("6", "暑假"),
        ("13", "暑假"),
        ("20", "暑假"),
        ("27", "暑假"),
    ]


def test_the_large_print_calendar_has_one_sheet_a_month_with_titles_only(browser, public):
    page = browser.new_page()
    page.goto((public / "calendar/print-large/index.html").as_uri())
    pdf = page.pdf(prefer_css_page_size=True, print_background=True)
    page.close()
    sheets = paper(pdf)
    assert len(sheets) == 7  # 2026-02 … 2026-08
    assert [(s["largest"], s["smallest"] >= 9, s["used"] >= 0.9, s["outside"]) for s in sheets] == [
        (28, True, True, 0)
    ] * 7
    page = print_layout(browser, public / "calendar/print-large/index.html")
    cells = page.evaluate(ITEM_SIZES_JS)
    times = page.eval_on_selector_all(".events .time", "els => els.filter(e => e.offsetParent)")
    page.close()
    assert {size for _, size, _, _ in cells} == {28}
    assert all(12 <= s <= 20 for _, _, items, _ in cells for s in items)
    assert times == []
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "print-large-2026.pdf").write_bytes(pdf)


@pytest.mark.parametrize(
    ("per_day", "sizes", "more"),
    [
        (1, {12}, set()),
        (2, {8, 9}, set()),
        (3, {8}, {"另有 1 项，见网站"}),
        (5, {8}, {"另有 3 项，见网站"}),
        (30, {8}, {"另有 28 项，见网站"}),
    ],
)
def test_a_crowded_day_shrinks_to_the_floor_then_counts_what_is_left(
    browser, tmp_path, per_day, sizes, more
):
    items = [
        f"  - title: 第{k}场班级读书分享会与图书漂流\n    date: 2026-03-{day:02d}\n"
        f"    time: 12:20-12:50\n"
        for day in range(2, 32)
        if date(2026, 3, day).weekday() < 5
        for k in range(per_day)
    ]
    site = tmp_path / "site"
    site.mkdir()
    (site / "events.yaml").write_text(CROWDED + "".join(items), encoding="utf-8")
    assert main(["build", "--site", str(site), "--today", "2026-03-10"]) == 0
    march = load_site(site, date(2026, 3, 10)).current.months[1]
    fit = month_fit(march)
    page_file = site / "public/calendar/2026-03/index.html"
    assert print_pdf(browser, page_file) == [A4_LANDSCAPE]
    page = print_layout(browser, page_file)
    assert page.evaluate(OVERFLOW_JS) == []
    cells = page.evaluate(ITEM_SIZES_JS)
    page.close()
    school_days = [c for c in cells if c[2] or c[3]]
    assert len(school_days) == 22
    assert {s for _, _, items, _ in school_days for s in items} == sizes
    assert {m for _, _, _, m in school_days if m} == more
    for num, _, shown, left in school_days:  # what prints and what is counted add up
        day = fit.day(date(2026, 3, int(num)))
        assert len(shown) == sum(day.printed) and len(shown) + day.hidden == per_day
        assert left == (f"另有 {day.hidden} 项，见网站" if day.hidden else "")
