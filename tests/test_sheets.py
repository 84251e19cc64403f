"""The sheets people ask for, printed in real headless Chromium: 本周安排 for every teaching
week, a sheet per class, a reminder slip per story parent, and the 小管 duty rota as a
sign-in sheet by weekday. PNGs of each kind go to test-artifacts/ for a person to look at."""

from __future__ import annotations

import io
from pathlib import Path

import pdfplumber
import pytest
from conftest import ROOT, copy_sample
from pypdf import PdfReader

from generator.cli import main

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ARTIFACTS = ROOT / "test-artifacts"
A4_PORTRAIT = (595, 842)
PORTRAIT = {"width": 718, "height": 1047}  # the printable area in CSS px (10 mm margins)


@pytest.fixture(scope="module")
def public(tmp_path_factory: pytest.TempPathFactory) -> Path:
    site = tmp_path_factory.mktemp("sheets") / "site"
    site.mkdir()
    copy_sample(site)
    assert main(["build", "--site", str(site), "--today", "2026-04-10"]) == 0
    return site / "public"


def printed(browser, page_file: Path) -> bytes:
    page = browser.new_page()
    try:
        page.goto(page_file.as_uri())
        return page.pdf(prefer_css_page_size=True, print_background=True)
    finally:
        page.close()


def sizes(pdf: bytes) -> list[tuple[int, int]]:
    return [
        (round(float(p.mediabox.width)), round(float(p.mediabox.height)))
        for p in PdfReader(io.BytesIO(pdf)).pages
    ]


def smallest_type(pdf: bytes) -> float:
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        return min(round(c["size"], 1) for p in doc.pages for c in p.chars if c["text"].strip())


def in_print(browser, page_file: Path, script: str, shot: str | None = None):
    page = browser.new_page(viewport=PORTRAIT)
    page.goto(page_file.as_uri())
    page.emulate_media(media="print")
    result = page.evaluate(script)
    if shot:
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / shot), full_page=True)
    page.close()
    return result


ROWS_JS = """() => [...document.querySelectorAll('.week-table tbody tr')].map(tr => [
  tr.querySelector('th').innerText.replace(/\\s+/g, ' ').trim(),
  tr.querySelectorAll('.week-items li').length])"""


def test_every_teaching_week_has_its_sheet_on_one_a4_portrait_page(browser, public):
    weeks = {
        "calendar/week": 19,  # 2026-02-24 to 07-03
        "terms/2025-2026-1/calendar/week": 21,  # 2025-09-01 to 2026-01-23
    }
    for folder, count in weeks.items():
        assert sorted(p.name for p in (public / folder).iterdir()) == [
            f"{n:02d}" for n in range(1, count + 1)
        ]
    for n in range(1, 20):
        pdf = printed(browser, public / f"calendar/week/{n:02d}/index.html")
        assert sizes(pdf) == [A4_PORTRAIT], n
        assert smallest_type(pdf) >= 10, n
    rows = in_print(browser, public / "calendar/week/06/index.html", ROWS_JS, "print-week-06.png")
    # the school week, and the weekend where something happens (清明 closes both days)
    assert rows == [
        ["周一 3月30日", 0],
        ["周二 3月31日", 0],
        ["周三 4月1日", 3],
        ["周四 4月2日", 0],
        ["周五 4月3日", 1],
        ["周六 4月4日", 0],
        ["周日 4月5日", 0],
    ]
    html = (public / "calendar/week/06/index.html").read_text("utf-8")
    assert "<h1>本周安排：第6周 <small>3月30日–4月5日 · 2025学年第二学期</small></h1>" in html
    assert html.count('<p class="closure">') == 2  # 清明节 on the Saturday and Sunday


def test_each_class_prints_its_current_term_on_one_sheet(browser, public):
    classes = sorted(p.name for p in (public / "classes").iterdir() if p.is_dir())
    assert len(classes) == 24
    for name in classes:
        assert sizes(printed(browser, public / "classes" / name / "index.html")) == [A4_PORTRAIT]
    shown = in_print(
        browser,
        public / "classes/3-1/index.html",
        "() => [...document.querySelectorAll('.class-term')].filter(s => s.offsetParent)"
        ".map(s => [s.querySelector('h2').innerText, s.querySelectorAll('tbody tr').length])",
        "print-class-3-1.png",
    )
    assert shown == [["2025学年第二学期", 8]]  # the archived term stays on screen only


def test_each_story_parent_gets_a_slip_with_their_own_dates(browser, public):
    page_file = public / "rosters/story-parents/slips/index.html"
    pdf = printed(browser, page_file)
    assert sizes(pdf) == [A4_PORTRAIT]  # four slips, two across
    slips = in_print(
        browser,
        page_file,
        "() => [...document.querySelectorAll('.slip')].map(s => [s.querySelector('h2').innerText,"
        " s.querySelectorAll('.slip-dates li').length, getComputedStyle(s).borderRightStyle])",
        "print-slips-story-parents.png",
    )
    # the opted-out parent's slip is headed with their mark, not their name
    assert slips == [
        ["王丽娟", 3, "dashed"],
        ["赵建国", 3, "dashed"],
        ["孙晓燕", 4, "dashed"],
        ["二(4)班家长", 3, "dashed"],
    ]
    html = page_file.read_text("utf-8")
    assert "周海峰" not in html and "138" not in html
    roster = (public / "rosters/story-parents/index.html").read_text("utf-8")
    assert '<a href="slips/index.html">打印每个人的提醒条</a>' in roster
    # a roster without sessions (小管 by duty) has no slips
    assert not (public / "rosters/librarians/slips").exists()


def test_the_duty_rota_prints_by_weekday_with_signature_columns(browser, public):
    page_file = public / "rosters/librarians/index.html"
    assert sizes(printed(browser, page_file)) == [A4_PORTRAIT]
    table = in_print(
        browser,
        page_file,
        "() => { const t = document.querySelector('table.duty-sheet');"
        " return [[...t.tHead.rows[0].cells].map(c => c.innerText),"
        " [...t.tBodies[0].rows].map(r => r.cells[0].innerText + ' ' + r.cells[2].innerText),"
        " t.getBoundingClientRect().right <= innerWidth + 0.5]; }",
        "print-roster-librarians.png",
    )
    head, rows, fits = table
    assert head == ["星期", "时间", "班级", "人员", *["第　周签名"] * 4]
    assert rows == [
        "周一 三(1)班",
        "周一 四(2)班",
        "周二 三(2)班",
        "周二 五(1)班",
        "周三 三(3)班",
        "周三 六(1)班",
        "周四 三(4)班",
        "周五 四(1)班",
    ]
    assert fits


def test_the_menu_names_the_kinds_of_roster_the_site_has(public):
    html = (public / "index.html").read_text("utf-8")
    assert '<li><a href="rosters/index.html">故事爸妈团/小管</a></li>' in html
