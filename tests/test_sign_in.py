"""Roster sign-in sheets, printed in real headless Chromium: A4 portrait, the header row on
every sheet, no row split across two, an empty 签名 column wide enough to sign. A PNG of the
printed story-parents roster goes to test-artifacts/ for a person to look at."""

from __future__ import annotations

import io
import re
from datetime import date
from pathlib import Path

import pytest
from conftest import ROOT, copy_sample
from pypdf import PdfReader

from generator.cli import main
from generator.pipeline import load_site

pytestmark = pytest.mark.browser

ARTIFACTS = ROOT / "test-artifacts"
A4_PORTRAIT = (595, 842)  # points
# The printable area of a portrait sheet in CSS px: A4 less the 10 mm margins.
PORTRAIT_SHEET = {"width": 718, "height": 1047}
MM = 96 / 25.4  # CSS px per millimetre
HEADER = "日期 时间 班级 人员 内容 主题 签名"
ROW_START = re.compile(r"^(\d{1,2})月(\d{1,2})日 周[一二三四五六日]")


@pytest.fixture(scope="module")
def public(tmp_path_factory: pytest.TempPathFactory) -> Path:
    site = tmp_path_factory.mktemp("sign-in") / "site"
    site.mkdir()
    copy_sample(site)
    assert main(["build", "--site", str(site), "--today", "2026-04-10"]) == 0
    return site / "public"


def print_pdf(browser, page_file: Path) -> PdfReader:
    """Print like the browser's dialog does (CSS page size), on a fresh page."""
    page = browser.new_page()
    try:
        page.goto(page_file.as_uri())
        pdf = page.pdf(prefer_css_page_size=True, print_background=True)
    finally:
        page.close()
    return PdfReader(io.BytesIO(pdf))


def sizes(reader: PdfReader) -> list[tuple[int, int]]:
    return [(round(float(p.mediabox.width)), round(float(p.mediabox.height))) for p in reader.pages]


def sheet_lines(reader: PdfReader) -> list[list[str]]:
    return [[line for line in p.extract_text().split("\n") if line] for p in reader.pages]


def test_story_parents_roster_prints_as_one_a4_portrait_sign_in_sheet(browser, public):
    reader = print_pdf(browser, public / "rosters/story-parents/index.html")
    assert sizes(reader) == [A4_PORTRAIT]
    lines = sheet_lines(reader)[0]
    assert lines[:6] == [
        "杭州市滨江区星光小学 星光小学图书馆",
        "故事爸妈团（第二轮） 故事爸妈团",
        "负责老师：储霞",
        "按日期（签到表）",
        HEADER,
        "3月13日 周五 08:10–08:30 一(1)班 王丽娟",
    ]
    rows = [line for line in lines if ROW_START.match(line)]
    assert len(rows) == 13
    # public: 否: not the name, but the mark the parent knows (their role, here)
    assert rows[3] == "4月3日 周五 08:10–08:30 一(4)班 二(4)班家 长 科技"
    text = "\n".join(lines)
    for absent in ("周海峰", "138", "首页", "本页生成于", "打印", "校历", "按班级", "订阅"):
        assert absent not in text, absent


def test_printed_roster_hides_navigation_and_keeps_a_wide_empty_signature_column(browser, public):
    page = browser.new_page(viewport=PORTRAIT_SHEET)
    page.goto((public / "rosters/story-parents/index.html").as_uri())
    page.emulate_media(media="print")
    for hidden in (".site-header", ".site-footer", ".print-button", ".feed-links", "#by-class"):
        assert page.is_hidden(hidden), hidden
    layout = page.evaluate(
        """() => {
          const table = document.querySelector('table.sign-in');
          const sign = table.querySelector('thead th.col-sign');
          const rows = [...table.querySelectorAll('tbody tr')];
          return {
            head: getComputedStyle(table.tHead).display,
            breakInside: getComputedStyle(rows[0]).breakInside,
            sign: sign.textContent,
            signWidth: sign.getBoundingClientRect().width,
            cells: rows.map(r => r.querySelector('td.col-sign').textContent),
            lowest: Math.min(...rows.map(r => r.getBoundingClientRect().height)),
            width: table.getBoundingClientRect().width,
          };
        }"""
    )
    assert layout["head"] == "table-header-group"
    assert layout["breakInside"] == "avoid"
    assert layout["sign"] == "签名"
    assert layout["signWidth"] >= 40 * MM
    assert layout["cells"] == [""] * 13
    assert layout["lowest"] >= 12 * MM - 0.5
    assert layout["width"] <= PORTRAIT_SHEET["width"]
    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / "print-roster-story-parents.png"
    page.screenshot(path=str(shot), full_page=True)
    page.close()
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_on_screen_the_roster_has_a_print_button_and_no_signature_column(browser, public):
    page = browser.new_page()
    page.goto((public / "rosters/story-parents/index.html").as_uri())
    assert page.is_hidden("table.sign-in th.col-sign")
    assert page.is_visible("table.sign-in th:text('校历')")
    button = page.get_by_role("button", name="打印")
    assert button.is_visible()
    page.evaluate("window.print = () => { document.body.dataset.printed = 'yes'; }")
    button.click()
    assert page.get_attribute("body", "data-printed") == "yes"
    page.close()


TERM_WITH_CLOSURES = """\
term:
  id: 2025-2026-2
  name: 2025学年第二学期
  first_day: 2026-02-24
  last_day: 2026-07-03
closures:
  - name: 清明节
    from: 2026-04-04
    to: 2026-04-06
  - name: 劳动节
    from: 2026-05-01
    to: 2026-05-05
events: []
"""


LONG_ROSTER = """\
name: 晨读家长志愿者
kind: volunteers
owner: 储霞
people:
  - {name: 王丽娟}
  - {name: 赵建国}
  - {name: 周海峰, public: 否}
rota:
  - weekdays: [周一, 周二, 周三, 周四, 周五]
    from: 2026-03-02
    to: 2026-05-29
    time: 7:40-8:00
    classes: [一(1)班, 一(2)班, 一(3)班]
    people: [王丽娟, 赵建国, 周海峰]
    location: 各班教室
sessions:
  - date: 2026-03-10
    time: 7:40-8:00
    class: 一(1)班
    person: 王丽娟
    title: 一本很长很长的书名：小熊和最好的爸爸与他们在森林里度过的四季故事全集
"""


@pytest.mark.slow
def test_a_long_roster_repeats_the_header_on_every_sheet_and_splits_no_row(
    browser, make_site, tmp_path
):
    site = make_site(
        {
            "events.yaml": TERM_WITH_CLOSURES,
            "content/rosters/morning.yaml": LONG_ROSTER,
        }
    )
    assert main(["build", "--site", str(site), "--today", "2026-03-10"]) == 0
    view = load_site(site, date(2026, 3, 10)).content.of("roster")[0]
    sessions = view.sessions
    reader = print_pdf(browser, site / "public/rosters/morning/index.html")
    sheets = sheet_lines(reader)
    # 65 weekdays from 03-02 to 05-29, less 04-06, 05-01, 05-04 and 05-05 (closed)
    assert (len(sessions), len(sheets)) == (61, 3)
    assert sizes(reader) == [A4_PORTRAIT] * 3
    for n, lines in enumerate(sheets):
        first_row = next(i for i, line in enumerate(lines) if ROW_START.match(line))
        assert lines[first_row - 1] == HEADER, n  # the header row, then the sessions
        if n > 0:
            assert first_row == 1, n  # a continuation sheet starts with the header row
    # Every session's row is on exactly one sheet, all of it: its date, time, class, person.
    flat = ["".join(lines).replace(" ", "") for lines in sheets]
    for ps in sessions:
        label = f"{ps.date.month}月{ps.date.day}日 周{'一二三四五六日'[ps.date.weekday()]}"
        holders = [
            n
            for n, lines in enumerate(sheets)
            for line in lines
            if line == label or line.startswith(label + " ")
        ]
        assert len(holders) == 1, label
        cells = f"{label}07:40–08:00{ps.session.class_}{view.shown(ps.session.person)}"
        assert cells.replace(" ", "") in flat[holders[0]], label
    title = "一本很长很长的书名：小熊和最好的爸爸与他们在森林里度过的四季故事全集"
    assert [n for n, text in enumerate(flat) if title in text] == [0]
    assert "周海峰" not in "".join(flat)
    ARTIFACTS.mkdir(exist_ok=True)
    page = browser.new_page()
    page.goto((site / "public/rosters/morning/index.html").as_uri())
    (ARTIFACTS / "print-roster-long.pdf").write_bytes(page.pdf(prefer_css_page_size=True))
    page.close()
