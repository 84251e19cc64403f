"""`library-site pdf` and `build --pdf`: a PDF beside each printable page, printed by the
Chromium installed here (no download), each page linking to its own; the same input gives
the same bytes; without a browser, a plain message and the old site untouched."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from browser import chromium_path
from conftest import ROOT, copy_sample, tree
from pypdf import PdfReader

from generator.write.pdf import fixed_stamp

pytestmark = [pytest.mark.browser, pytest.mark.slow]

TODAY = "2026-04-10"
A4_LANDSCAPE = (842, 595)
A4_PORTRAIT = (595, 842)
CLASSES = [f"classes/{g}-{n}" for g in range(1, 7) for n in range(1, 5)]  # the sample's 24
# every page that has paper, in the sample: the two terms' 校历, months, weeks and print
# pages, the rosters' sign-in sheets and reminder slips, and each class's sheet
PRINTABLE = sorted(
    [
        "calendar",
        "calendar/print",
        "calendar/print-large",
        *(f"calendar/2026-0{m}" for m in range(2, 9)),
        "terms/2025-2026-1/calendar",
        "terms/2025-2026-1/calendar/print",
        "terms/2025-2026-1/calendar/print-large",
        *(f"terms/2025-2026-1/calendar/{m}" for m in ("2025-09", "2025-10", "2025-11")),
        *(f"terms/2025-2026-1/calendar/{m}" for m in ("2025-12", "2026-01", "2026-02")),
        *(f"calendar/week/{n:02d}" for n in range(1, 20)),
        *(f"terms/2025-2026-1/calendar/week/{n:02d}" for n in range(1, 22)),
        "rosters/librarians",
        "rosters/story-parents",
        "rosters/story-parents/slips",
        *CLASSES,
        "stats/2025-2026-1/print",
    ]
)


def library_site(
    *args: str | Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess:
    """The command as a teacher runs it (its own process: Playwright's sync API wants a
    thread without another Playwright in it)."""
    return subprocess.run(
        [sys.executable, "-m", "generator", *map(str, args)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env={**os.environ, "PYTHONPATH": str(ROOT), **(env or {})},
        timeout=300,
    )


@pytest.fixture(scope="module")
def printed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if chromium_path() is None:
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail("chromium is not installed (apt-get install -y chromium)")
        pytest.skip("chromium is not installed")
    site = tmp_path_factory.mktemp("pdf") / "site"
    site.mkdir()
    copy_sample(site)
    done = library_site("pdf", "--site", site, "--today", TODAY)
    assert (done.returncode, done.stderr) == (0, ""), done.stderr
    assert done.stdout.splitlines()[-1] == (
        f"PDF：{len(PRINTABLE)} 个，每个放在它的页面旁边，页面上点“下载 PDF”就能拿到。"
    )
    return site


def sheets(data: bytes) -> list[tuple[int, int]]:
    reader = PdfReader(io.BytesIO(data))
    return [(round(float(p.mediabox.width)), round(float(p.mediabox.height))) for p in reader.pages]


def test_each_printable_page_has_its_pdf_beside_it_and_links_to_it(printed):
    out = printed / "public"
    pdfs = sorted(p.parent.relative_to(out).as_posix() for p in out.rglob("*.pdf"))
    assert pdfs == PRINTABLE
    for folder in PRINTABLE:
        name = folder.replace("/", "-") + ".pdf"
        assert (out / folder / name).is_file()
        html = (out / folder / "index.html").read_text("utf-8")
        link = f'<a class="pdf-link no-print" href="{name}" download type="application/pdf">'
        assert html.count(link + "下载 PDF</a>") == 1, folder
    # a page without paper has no link
    for page in ("index.html", "agenda/index.html", "news/index.html", "rosters/index.html"):
        assert "pdf-link" not in (out / page).read_text("utf-8"), page


def test_each_pdf_is_on_the_paper_its_page_prints_on(printed):
    out = printed / "public"
    got = {
        folder: sheets((out / folder / (folder.replace("/", "-") + ".pdf")).read_bytes())
        for folder in PRINTABLE
    }
    assert got["calendar/2026-04"] == [A4_LANDSCAPE]
    assert got["calendar"] == [A4_PORTRAIT]
    assert got["calendar/print"] == [A4_LANDSCAPE] * 7
    assert got["calendar/print-large"] == [A4_LANDSCAPE] * 7
    assert got["terms/2025-2026-1/calendar/print"] == [A4_LANDSCAPE] * 6
    assert all(got[f] == [A4_LANDSCAPE] for f in PRINTABLE if "calendar/20" in f)
    assert all(set(got[f]) == {A4_PORTRAIT} for f in CLASSES)
    assert got["stats/2025-2026-1/print"] == [A4_PORTRAIT]
    assert set(got["rosters/librarians"]) == {A4_PORTRAIT}
    assert all(got[f] == [A4_PORTRAIT] for f in PRINTABLE if "/week/" in f)
    assert got["rosters/story-parents/slips"] == [A4_PORTRAIT]


def test_the_same_input_prints_the_same_bytes(printed, tmp_path):
    again = library_site("build", "--pdf", "--site", printed, "--out", tmp_path / "again")
    assert again.returncode == 0, again.stderr
    # --today differs (the default is today): only the build date stamps the PDFs, so build
    # once more with the first one's date
    again = library_site(
        "build", "--pdf", "--site", printed, "--out", tmp_path / "same", "--today", TODAY
    )
    assert again.returncode == 0, again.stderr
    first, second = tree(printed / "public"), tree(tmp_path / "same")
    pdfs = [p for p in first if p.endswith(".pdf")]
    assert len(pdfs) == len(PRINTABLE)
    assert {p: first[p] for p in pdfs} == {p: second[p] for p in pdfs}
    data = first["calendar/2026-04/calendar-2026-04.pdf"]
    assert b"/CreationDate (D:20260410000000" in data and b"/ModDate (D:20260410000000" in data
    # no link into the folder the PDFs were printed from
    assert [p for p in pdfs if b"/URI" in first[p] or str(printed).encode() in first[p]] == []


def test_without_a_browser_the_build_says_what_to_install_and_keeps_the_site(printed):
    before = tree(printed / "public")
    done = library_site(
        "pdf", "--site", printed, "--today", "2026-04-11", env={"LIBRARY_SITE_BROWSER": "/nope"}
    )
    assert done.returncode == 1
    assert done.stderr.splitlines()[:2] == [
        f"{printed}: 错误 E760: 找不到用来打印 PDF 的浏览器 (/nope)",
        "  提示: 生成 PDF 要用电脑上已经装好的 Chromium、Google Chrome 或 Microsoft Edge"
        "（Windows 自带 Edge）。装好其中一个再运行；装在别的位置时，把浏览器程序的完整路径写进"
        "环境变量 LIBRARY_SITE_BROWSER。网站没有改动。",
    ]
    assert "Traceback" not in done.stderr
    assert tree(printed / "public") == before
    # none on PATH either (and Linux has no install folders to look in)
    empty = printed.parent / "empty-bin"
    empty.mkdir(exist_ok=True)
    done = library_site(
        "pdf",
        "--site",
        printed,
        "--lang",
        "en",
        env={"PATH": str(empty), "LIBRARY_SITE_BROWSER": ""},
    )
    assert done.returncode == 1
    assert (
        done.stderr.splitlines()[0] == f"{printed}: error E760: no browser to print the PDFs with"
    )
    assert tree(printed / "public") == before


def test_a_build_without_pdf_has_no_pdf_and_no_link(printed, tmp_path):
    done = library_site("build", "--site", printed, "--out", tmp_path / "plain", "--today", TODAY)
    assert done.returncode == 0, done.stderr
    files = tree(tmp_path / "plain")
    assert not [p for p in files if p.endswith(".pdf")]
    assert not [p for p, data in files.items() if p.endswith(".html") and b"pdf-link" in data]


def test_the_print_time_becomes_the_build_date_at_the_same_length():
    from datetime import date

    pdf = b"<< /CreationDate (D:20261202111804+08'00')\n/ModDate (D:20261202111804Z) >>"
    fixed = fixed_stamp(pdf, date(2026, 4, 10))
    assert fixed == b"<< /CreationDate (D:20260410000000+00'00')\n/ModDate (D:20260410000000Z) >>"
    assert len(fixed) == len(pdf)
