"""Loan statistics: `import-loans` from loan files made here (exact numbers per class and
month, top books in order), the stats file's checks, the charts' SVG bars, the public build's
privacy, and the pages in the HTML checker and in Chromium's print."""

from __future__ import annotations

import io
import shutil
import textwrap
import xml.etree.ElementTree as ET
from datetime import date
from pathlib import Path

import pytest
from conftest import MINIMAL_EVENTS, ROOT, copy_sample
from openpyxl import Workbook
from pypdf import PdfReader
from quality import run_vnu

from generator.cli import main
from generator.kinds.stats import term_stats
from generator.pipeline import load_site
from generator.render.charts import SVG_NS
from generator.transform.privacy import public_site

TODAY = date(2026, 3, 10)
SITE_YAML = """\
school: 星光小学
library: 星光小学图书馆
stats_minimum: 3
classes:
  - 一(1)班: 40
  - 一(2)班: 38
  - 二(1)班
"""
# One row per loan, as a library system exports it: the time of day, the reader's name and
# card number, the barcode of the copy, columns the statistics need not (应还日期), and a
# class written the system's way (一年级2班, 1年级(2)班 for the class list's 一(2)班).
LOANS = """\
借阅日期,读者姓名,借书证号,班级,书名,作者,条码,应还日期
2026-03-02 08:15:00,欧阳娜娜,J0101,一(1)班,猜猜我有多爱你,山姆·麦克布雷尼,X00101,2026-03-16
2026-03-02 08:16:00,司马光明,J0102,一(1)班,好饿的毛毛虫,艾瑞克·卡尔,X00201,2026-03-16
2026/3/9,欧阳娜娜,J0101,一(1)班,好饿的毛毛虫,艾瑞克·卡尔,X00202,2026-03-23
2026年3月10日,诸葛晓月,J0103,一(1)班,"大卫，不可以",大卫·香农,X00301,2026-03-24
2026-04-01,司马光明,J0102,一(1)班,猜猜我有多爱你,山姆·麦克布雷尼,X00102,2026-04-15
2026-04-02,上官云朵,J0201,一年级2班,好饿的毛毛虫,艾瑞克·卡尔,X00203,2026-04-16
2026-04-02,上官云朵,J0201,1年级(2)班,"Frog, Toad",Arnold Lobel,X00401,2026-04-16
2026-04-03,慕容小雪,J0202,一(2)班,猜猜我有多爱你,山姆·麦克布雷尼,X00103,2026-04-17
2026-05-06,皇甫一诺,J0301,二(1)班,没头脑和不高兴,任溶溶,X00501,2026-05-20
"""
IMPORTED = """\
# yaml-language-server: $schema=../../schemas/stats.schema.json
# 2025学年第二学期借阅统计：从 借阅.csv 导入（9 次借阅）。
# 只有数字：每班每月借出的册数、每班借过书的人数和借得最多的书，没有读者的名字。

source: 借阅.csv

# 每班每月借出的册数
loans:
  - {class: 一(1)班, month: 2026-03, loans: 4}
  - {class: 一(1)班, month: 2026-04, loans: 1}
  - {class: 一(2)班, month: 2026-04, loans: 3}
  - {class: 二(1)班, month: 2026-05, loans: 1}

# 每班借过书的学生人数（只记人数）
readers:
  - {class: 一(1)班, readers: 3}
  - {class: 一(2)班, readers: 2}
  - {class: 二(1)班, readers: 1}

# 借得最多的 5 本书
books:
  - {title: 猜猜我有多爱你, loans: 3, author: 山姆·麦克布雷尼}
  - {title: 好饿的毛毛虫, loans: 3, author: 艾瑞克·卡尔}
  - {title: 大卫，不可以, loans: 1, author: 大卫·香农}
  - {title: "Frog, Toad", loans: 1, author: Arnold Lobel}
  - {title: 没头脑和不高兴, loans: 1, author: 任溶溶}
"""
NAMES = ("欧阳娜娜", "司马光明", "诸葛晓月", "上官云朵", "慕容小雪", "皇甫一诺")
CARDS = ("J0101", "J0102", "J0103", "J0201", "J0202", "J0301")


@pytest.fixture
def loan_site(make_site, tmp_path: Path) -> Path:
    return make_site({"events.yaml": MINIMAL_EVENTS, "content/site.yaml": SITE_YAML})


def run(*args: str | Path) -> int:
    return main([str(a) for a in args])


def import_csv(site: Path, text: str, *extra: str, name: str = "借阅.csv") -> int:
    sheet = site.parent / name
    sheet.write_text(text, encoding="utf-8-sig")  # as Excel saves "CSV UTF-8"
    return run("import-loans", sheet, "--site", site, *extra)


# --- the import -------------------------------------------------------------------------


def test_a_loan_list_is_counted_per_class_and_month_and_top_books_in_order(loan_site, capsys):
    assert import_csv(loan_site, LOANS) == 0
    out = capsys.readouterr().out
    assert (loan_site / "content/stats/2025-2026-2.yaml").read_text(encoding="utf-8") == IMPORTED
    assert out.splitlines()[-2:] == [
        "读者姓名和借书证号没有写进统计文件，只记了每班借书的人数。",
        f"已导入 9 次借阅（3 个班、3 个月、5 本最常借的书）→ "
        f"{loan_site / 'content/stats/2025-2026-2.yaml'}",
    ]
    stats = term_stats(load_site(loan_site, TODAY), "2025-2026-2")
    assert stats is not None
    assert [str(m) for m in stats.months] == [
        "2026-02",
        "2026-03",
        "2026-04",
        "2026-05",
        "2026-06",
        "2026-07",
    ]
    assert stats.by_month == (0, 4, 4, 1, 0, 0)
    assert [
        (c.name, c.months, c.loans, c.readers, c.pupils, c.per_pupil) for c in stats.classes
    ] == [
        ("一(1)班", (0, 4, 1, 0, 0, 0), 5, 3, 40, 0.1),
        ("一(2)班", (0, 0, 3, 0, 0, 0), 3, 2, 38, 0.1),
        ("二(1)班", (0, 0, 0, 1, 0, 0), 1, 1, None, None),
    ]
    assert [(g.name, g.loans, g.pupils, g.per_pupil) for g in stats.grades] == [
        ("一年级", 8, 78, 0.1),
        ("二年级", 1, None, None),
    ]
    assert (stats.total, stats.readers, stats.pupils, stats.hidden) == (9, 6, None, 0)
    # most loans first; among equals, the one borrowed first
    assert [(b.title, b.loans) for b in stats.books] == [
        ("猜猜我有多爱你", 3),
        ("好饿的毛毛虫", 3),
        ("大卫，不可以", 1),
        ("Frog, Toad", 1),
        ("没头脑和不高兴", 1),
    ]


def test_an_xlsx_table_of_totals_per_class_and_month(loan_site, capsys):
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in [
        ["2026年春季学期 各班借阅统计"],  # a title row above the table
        ["Class", "Month", "Loans", "备注"],
        ["一(1)班", "2026-03", 120, None],
        ["一(1)班", "2026年4月", "98册", "含绘本"],
        ["一(2)班", date(2026, 3, 1), 77, None],
    ]:
        sheet.append(row)
    book.save(loan_site.parent / "totals.xlsx")
    assert run("import-loans", loan_site.parent / "totals.xlsx", "--site", loan_site) == 0
    text = (loan_site / "content/stats/2025-2026-2.yaml").read_text(encoding="utf-8")
    assert text.split("loans:\n")[1] == (
        "  - {class: 一(1)班, month: 2026-03, loans: 120}\n"
        "  - {class: 一(1)班, month: 2026-04, loans: 98}\n"
        "  - {class: 一(2)班, month: 2026-03, loans: 77}\n"
    )
    assert "已导入 295 次借阅（2 个班、2 个月、0 本最常借的书）" in capsys.readouterr().out


def test_a_table_with_a_column_per_month_and_a_sum_row(loan_site, capsys):
    wide = (
        "班级,3月,4月份,2026年5月,合计\n"
        "一年级1班,120,98,,218\n"
        "一(2)班,77,80册,65,222\n"
        "合计,197,178,65,440\n"
    )
    assert import_csv(loan_site, wide) == 0
    text = (loan_site / "content/stats/2025-2026-2.yaml").read_text(encoding="utf-8")
    assert text.split("loans:\n")[1] == (
        "  - {class: 一(1)班, month: 2026-03, loans: 120}\n"
        "  - {class: 一(1)班, month: 2026-04, loans: 98}\n"
        "  - {class: 一(2)班, month: 2026-03, loans: 77}\n"
        "  - {class: 一(2)班, month: 2026-04, loans: 80}\n"
        "  - {class: 一(2)班, month: 2026-05, loans: 65}\n"
    )
    out, err = capsys.readouterr()
    assert err == ""  # 合计 is known: neither its column nor its row is a class's
    assert "已导入 440 次借阅（2 个班、3 个月、0 本最常借的书）" in out


def test_month_headers_without_a_year_need_one_term(loan_site, capsys):
    autumn = MINIMAL_EVENTS.replace("2025-2026-2", "2024-2025-2").replace("2025学年", "2024学年")
    autumn = autumn.replace("2026-02-24", "2025-02-17").replace("2026-07-03", "2025-06-27")
    (loan_site / "content/terms").mkdir(parents=True)
    (loan_site / "content/terms/2024-2025-2.yaml").write_text(
        autumn.split("closures:")[0], encoding="utf-8"
    )
    wide = "班级,3月,4月\n一(1)班,120,98\n"
    assert import_csv(loan_site, wide) == 1
    assert problems(capsys.readouterr().err) == [
        "借阅.csv:1:2: 错误 E981: 第 1 行 B 列（第 2 列“3月”）："
        "表头“3月”没有写年份，不知道是哪个学期的（可能是：2025-2026-2、2024-2025-2）（E818）",
        "借阅.csv:1:3: 错误 E981: 第 1 行 C 列（第 3 列“4月”）："
        "表头“4月”没有写年份，不知道是哪个学期的（可能是：2025-2026-2、2024-2025-2）（E818）",
    ]
    assert import_csv(loan_site, wide, "--term", "2024-2025-2") == 0
    text = (loan_site / "content/stats/2024-2025-2.yaml").read_text(encoding="utf-8")
    assert "  - {class: 一(1)班, month: 2025-03, loans: 120}\n" in text


def problems(err: str) -> list[str]:
    """The first line of each problem the command printed."""
    return [line for line in err.splitlines() if ": 错误 " in line or ": 警告 " in line]


def test_bad_rows_are_reported_at_their_cells_and_nothing_is_written(loan_site, capsys):
    bad = (
        "日期,班级,读者,书名,借阅地点\n"
        "2026-03-31,一(1)班,王小明,草房子,\n"
        "2026-02-30,一(1)班,王小明,草房子,\n"
        "2026-03-05,七(1)班,王小明,草房子,\n"
        "2026-08-20,一(2)班,王小明,草房子,\n"
        "2026-03-06,,王小明,草房子,\n"
    )
    assert import_csv(loan_site, bad) == 1
    err = capsys.readouterr().err
    assert problems(err) == [
        "借阅.csv:1:5: 警告 W815: 第 1 行 E 列（第 5 列）的表头“借阅地点”不认识，这一列没有导入",
        "借阅.csv:3:1: 错误 E981: 第 3 行 A 列（第 1 列“日期”）：日期不存在：2026-02-30（E205）",
        "借阅.csv:4:2: 错误 E981: 第 4 行 B 列（第 2 列“班级”）："
        "班级“七(1)班”不在 content/site.yaml 的班级名单里（E408）",
        "借阅.csv:5:1: 错误 E981: 第 5 行 A 列（第 1 列“日期”）：日期 2026-08-20 不在任何学期里（E811）",
        "借阅.csv:6:2: 错误 E981: 第 6 行 B 列（第 2 列“班级”）：“班级”不能为空（E202）",
    ]
    assert "没有写入任何文件。" in err
    assert not (loan_site / "content/stats").exists()


def test_a_sheet_without_the_columns_it_needs(loan_site, capsys):
    assert import_csv(loan_site, "书名,条码\n草房子,X001\n") == 1
    assert problems(capsys.readouterr().err) == [
        "借阅.csv:1:1: 错误 E810: 表格里没有找到“日期”“班级”列"
    ]
    assert import_csv(loan_site, "班级,月份\n一(1)班,2026-03\n") == 1
    assert problems(capsys.readouterr().err) == ["借阅.csv:1:1: 错误 E810: 表格里没有找到“日期”列"]
    assert import_csv(loan_site, "日期,班级,书名\n") == 1
    assert problems(capsys.readouterr().err) == ["借阅.csv:1:1: 错误 E814: 表格里没有一行借阅记录"]
    assert import_csv(loan_site, "班级,月份,借阅册数\n一(1)班,2026-03,很多\n") == 1
    assert problems(capsys.readouterr().err) == [
        "借阅.csv:2:3: 错误 E981: 第 2 行 C 列（第 3 列“借阅册数”）：数量“很多”不是 0 或正整数（E817）"
    ]


def test_loans_in_two_terms_need_a_term_and_an_existing_file_needs_force(loan_site, capsys):
    autumn = MINIMAL_EVENTS.replace("2025-2026-2", "2025-2026-1").replace("第二", "第一")
    autumn = autumn.replace("2026-02-24", "2025-09-01").replace("2026-07-03", "2026-01-23")
    autumn = autumn.split("closures:")[0]
    (loan_site / "content/terms").mkdir(parents=True)
    (loan_site / "content/terms/2025-2026-1.yaml").write_text(autumn, encoding="utf-8")
    both = "日期,班级\n2025-12-01,一(1)班\n2026-03-02,一(1)班\n2026-03-03,一(2)班\n"
    assert import_csv(loan_site, both) == 1
    assert problems(capsys.readouterr().err) == [
        "借阅.csv: 错误 E812: 借阅日期跨了几个学期：2025-2026-1（1 行）、2025-2026-2（2 行）"
    ]
    assert import_csv(loan_site, both, "--term", "2025-2026-9") == 1
    assert problems(capsys.readouterr().err) == [
        "借阅.csv: 错误 E816: 没有编号为“2025-2026-9”的学期"
    ]
    assert import_csv(loan_site, both, "--term", "2025-2026-2") == 1
    assert problems(capsys.readouterr().err) == [
        "借阅.csv:2:1: 错误 E981: 第 2 行 A 列（第 1 列“日期”）："
        "2025-12-01 不在学期 2025学年第二学期（2026-02-24 至 2026-07-03）里（E802）"
    ]
    spring = "日期,班级\n2026-03-02,一(1)班\n2026-03-03,一(2)班\n"
    assert import_csv(loan_site, spring) == 0
    assert import_csv(loan_site, spring) == 1
    assert problems(capsys.readouterr().err) == [
        "content/stats/2025-2026-2.yaml: 错误 E813: content/stats/2025-2026-2.yaml 已经存在，没有覆盖"
    ]
    assert import_csv(loan_site, spring, "--force") == 0
    assert "旧文件备份为" in capsys.readouterr().out
    assert len(list((loan_site / "content/stats").glob("2025-2026-2.yaml.bak-*"))) == 1


def test_the_loan_file_s_names_and_cards_never_reach_the_stats_file_or_any_build(loan_site):
    assert import_csv(loan_site, LOANS) == 0
    written = (loan_site / "content/stats/2025-2026-2.yaml").read_text(encoding="utf-8")
    for build in (["--out", loan_site / "intranet"], ["--public", "--out", loan_site / "pub"]):
        assert run("build", "--site", loan_site, "--today", "2026-03-10", *build) == 0
    outputs = [p for p in (loan_site / "intranet").rglob("*") if p.is_file()]
    outputs += [p for p in (loan_site / "pub").rglob("*") if p.is_file()]
    assert len(outputs) > 40
    for who in (*NAMES, *CARDS):
        assert who not in written
        assert [p for p in outputs if who.encode() in p.read_bytes()] == [], who


def test_the_public_build_shows_class_totals_only_and_hides_small_classes(loan_site):
    assert import_csv(loan_site, LOANS) == 0
    site = load_site(loan_site, TODAY)
    intranet = term_stats(site, "2025-2026-2")
    public = term_stats(public_site(site)[0], "2025-2026-2")
    assert intranet is not None and public is not None
    assert [c.name for c in intranet.classes] == ["一(1)班", "一(2)班", "二(1)班"]
    # stats_minimum: 3 — 一(2)班 (2 readers) and 二(1)班 (1) are left out, but still counted
    assert [c.name for c in public.classes] == ["一(1)班"]
    assert (public.hidden, public.total, public.by_month) == (2, 9, intranet.by_month)
    assert [(g.name, g.loans) for g in public.grades] == [("一年级", 8), ("二年级", 1)]
    assert run("build", "--site", loan_site, "--today", "2026-03-10", "--public") == 0
    html = (loan_site / "public/stats/2025-2026-2/index.html").read_text(encoding="utf-8")
    assert "各班每月借阅册数" not in html  # no class's months, only its total
    assert "一(2)班" not in html and "二(1)班" not in html
    assert "公开版不单独列出借书人数少于 3 的班级（2 个班）" in html
    assert run("build", "--site", loan_site, "--today", "2026-03-10") == 0
    html = (loan_site / "public/stats/2025-2026-2/index.html").read_text(encoding="utf-8")
    assert "各班每月借阅册数" in html and "二(1)班" in html


def test_the_docs_list_every_header_the_loan_import_knows():
    from test_import_sheets import _docs_table

    from generator.tools.import_loans import HEADERS, NOT_IMPORTED

    table = _docs_table("## 导入借阅记录")
    assert table.pop("not_imported") == list(NOT_IMPORTED)
    assert table == {field: list(words) for field, words in HEADERS.items()}


# --- the stats file and site.yaml -------------------------------------------------------


def test_the_stats_file_is_checked_with_positions(loan_site, capsys):
    files = {
        "content/stats/2025-2026-2.yaml": """\
            loans:
              - {class: 一(1)班, month: 2026-03, loans: 4}
              - {class: 一(3)班, month: 2026-03, loans: 4}
              - {class: 一(1)班, month: 2026-09, loans: 4}
              - {class: 一(1)班, month: 2026-03, loans: 2}
              - {class: 一(2)班, month: 2026-04, loans: 3}
            readers:
              - {class: 一(1)班, readers: 41}
              - {class: 一(1)班, readers: 3}
            """,
        "content/stats/2025-autumn.yaml": "loans: []\n",
    }
    for name, text in files.items():
        (loan_site / name).parent.mkdir(parents=True, exist_ok=True)
        (loan_site / name).write_text(textwrap.dedent(text), encoding="utf-8")
    assert run("check", "--site", loan_site, "--today", "2026-03-10") == 1
    assert problems(capsys.readouterr().err) == [
        "content/stats/2025-2026-2.yaml:3:13: 错误 E408: 班级“一(3)班”不在 content/site.yaml 的班级名单里",
        "content/stats/2025-2026-2.yaml:4:27: 错误 E802: 2026-09 不在学期 2025学年第二学期"
        "（2026-02-24 至 2026-07-03）里",
        "content/stats/2025-2026-2.yaml:5:5: 错误 E803: 一(1)班 2026-03 的借阅册数写了两次（第 2 行已经写过）",
        "content/stats/2025-2026-2.yaml:8:29: 警告 W805: 一(1)班 借过书的有 41 人，比全班人数 40 还多",
        "content/stats/2025-2026-2.yaml:9:5: 错误 E804: 一(1)班 的借书人数写了两次（第 8 行已经写过）",
        "content/stats/2025-autumn.yaml:1:1: 错误 E801: 没有编号为“2025-autumn”的学期："
        "借阅统计的文件名要是学期编号",
    ]
    (loan_site / "content/stats/2025-autumn.yaml").unlink()
    (loan_site / "content/stats/2025-2026-2.yaml").write_text(
        "loans:\n  - {class: 一(1)班, month: 2026-03, loans: -1}\n", encoding="utf-8"
    )
    assert run("check", "--site", loan_site, "--today", "2026-03-10") == 1
    assert problems(capsys.readouterr().err) == [
        "content/stats/2025-2026-2.yaml:2:43: 错误 E216: “loans”不是有效的值：应在 0 到 1000000 之间"
    ]


def test_a_class_s_number_of_pupils_and_the_plain_class_list(make_site, capsys):
    site = make_site(
        {
            "events.yaml": MINIMAL_EVENTS,
            "content/site.yaml": "classes:\n  - 一(1)班: 四十\n  - 一（2）班: 38人\n  - 二(1)班\n",
        }
    )
    assert run("check", "--site", site, "--today", "2026-03-10") == 1
    assert problems(capsys.readouterr().err) == [
        "content/site.yaml:2:5: 错误 E800: 班级人数“四十”不对：应是 1 到 100 的整数"
    ]
    (site / "content/site.yaml").write_text(
        "classes:\n  - 一(1)班: 40\n  - 一（2）班: 38人\n  - 二(1)班\n", encoding="utf-8"
    )
    loaded = load_site(site, TODAY)
    assert loaded.settings.classes == ["一(1)班", "一(2)班", "二(1)班"]
    assert loaded.settings.pupils == {"一(1)班": 40, "一(2)班": 38}


# --- the charts -------------------------------------------------------------------------


def bars(svg: str) -> list[tuple[float, float, float, float]]:
    """(x, y, width, height) of each bar of a pygal chart, in drawing order."""
    root = ET.fromstring(svg)
    found = []
    for rect in root.iter(f"{{{SVG_NS}}}rect"):
        if "rect" in (rect.get("class") or "").split():
            found.append(tuple(float(rect.get(k) or 0) for k in ("x", "y", "width", "height")))
    return found  # type: ignore[return-value]


def test_the_class_chart_has_one_bar_per_class_with_heights_in_proportion(loan_site):
    assert import_csv(loan_site, LOANS) == 0
    stats = term_stats(load_site(loan_site, TODAY), "2025-2026-2")
    assert stats is not None
    svg = stats.chart("class").svg
    found = bars(svg)
    assert len(found) == 3  # one per class
    assert [x for x, *_ in found] == sorted(x for x, *_ in found)  # in the class list's order
    heights = [h for *_, h in found]
    per_loan = heights[0] / 5
    assert heights == pytest.approx([5 * per_loan, 3 * per_loan, 1 * per_loan])
    bottoms = {round(y + h, 6) for _, y, _, h in found}
    assert len(bottoms) == 1  # all standing on the axis
    root = ET.fromstring(svg)
    labels = [t.text for t in root.iter(f"{{{SVG_NS}}}text") if (t.text or "").endswith("班")]
    assert labels == ["一(1)班", "一(2)班", "二(1)班"]
    values = [t.text for t in root.iter(f"{{{SVG_NS}}}text") if "value" in (t.get("class") or "")]
    assert values == ["5", "3", "1"]  # each bar says its number: no colour needed
    # plain markup: no script, no comment with the day it was drawn, the same every time
    assert "<script" not in svg and "<!--" not in svg and "pygal.config" not in svg
    again = term_stats(load_site(loan_site, TODAY), "2025-2026-2")
    assert again is not None and again.chart("class").svg == svg


def test_the_top_books_chart_lists_the_most_borrowed_first(loan_site):
    assert import_csv(loan_site, LOANS) == 0
    stats = term_stats(load_site(loan_site, TODAY), "2025-2026-2")
    assert stats is not None
    found = bars(stats.chart("books").svg)
    # horizontal bars, top to bottom: the widths are the loans 3, 3, 1, 1, 1
    ordered = sorted(found, key=lambda b: b[1])
    widths = [w for _, _, w, _ in ordered]
    assert widths == pytest.approx([widths[0]] * 2 + [widths[0] / 3] * 3)


# --- the preview ------------------------------------------------------------------------


def test_the_preview_renders_only_the_stats_pages_when_the_stats_file_changes(make_site, tmp_path):
    from generator.serve.preview import Preview
    from generator.serve.watch import Change, ChangeKind

    site = make_site(sample=True)
    preview = Preview(site, tmp_path / "preview", TODAY)
    preview.build()
    name = "content/stats/2025-2026-1.yaml"
    path = site / name
    path.write_text(
        path.read_text("utf-8").replace("month: 2025-09, loans: 47}", "month: 2025-09, loans: 48}"),
        encoding="utf-8",
    )
    result = preview.build({Change(ChangeKind.DATA, name)})
    assert sorted(result.rendered) == [
        "stats/2025-2026-1/index.html",
        "stats/2025-2026-1/print/index.html",
        "stats/index.html",
        # the term's 工作总结 has a section on its loans
        "terms/2025-2026-1/work-summary/index.html",
    ]
    html = (tmp_path / "preview/stats/2025-2026-1/index.html").read_text("utf-8")
    assert '<td class="num">48</td>' in html
    # the term's name is on the stats pages; its items are not
    term = site / "content/terms/2025-2026-1.yaml"
    term.write_text(
        term.read_text("utf-8").replace("name: 2025学年第一学期", "name: 2025学年秋季学期"),
        encoding="utf-8",
    )
    renamed = preview.build({Change(ChangeKind.DATA, "content/terms/2025-2026-1.yaml")})
    assert {p for p in renamed.rendered if p.startswith("stats/")} == {
        "stats/2025-2026-1/index.html",
        "stats/2025-2026-1/print/index.html",
        "stats/index.html",
    }
    html = (tmp_path / "preview/stats/index.html").read_text("utf-8")
    assert "2025学年秋季学期" in html


# --- the sample -------------------------------------------------------------------------


def test_the_sample_s_statistics_are_the_import_of_its_made_up_loan_export(tmp_path):
    import loans_sample

    site = tmp_path / "site"
    site.mkdir()
    copy_sample(site)
    (site / "content/stats/2025-2026-1.yaml").unlink()
    sheet = tmp_path / "借阅记录-2025秋.csv"
    sheet.write_text(loans_sample.loan_csv(), encoding="utf-8-sig")
    assert run("import-loans", sheet, "--site", site) == 0
    made = (site / "content/stats/2025-2026-1.yaml").read_text(encoding="utf-8")
    assert made == (ROOT / "content/stats/2025-2026-1.yaml").read_text(encoding="utf-8")
    stats = term_stats(load_site(site, TODAY), "2025-2026-1")
    assert stats is not None
    assert len(stats.classes) == 24 and stats.pupils == sum(loans_sample.PUPILS)
    assert stats.total == 12190


# --- the pages in the checker and the browser ---------------------------------------------


@pytest.fixture(scope="module")
def sample_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    site = tmp_path_factory.mktemp("stats") / "site"
    site.mkdir()
    copy_sample(site)
    assert main(["build", "--site", str(site), "--today", "2026-04-10"]) == 0
    return site / "public"


@pytest.mark.slow
def test_the_stats_pages_pass_the_html_checker(sample_build, tmp_path):
    only = tmp_path / "only"
    shutil.copytree(sample_build / "stats", only / "stats")
    shutil.copytree(sample_build / "static", only / "static")
    checked, errors = run_vnu(only)
    # the three stats pages; style.css, custom.css and the favicon (the charts are inline)
    assert checked == 3 + 3
    assert errors == []


@pytest.mark.browser
@pytest.mark.slow
def test_the_stats_sheet_prints_on_one_a4_portrait_page(browser, sample_build):
    page = browser.new_page()
    try:
        page.goto((sample_build / "stats/2025-2026-1/print/index.html").as_uri())
        pdf = page.pdf(prefer_css_page_size=True, print_background=True)
        page.emulate_media(media="print")
        hidden = page.evaluate(
            "() => [...document.querySelectorAll('.site-header, .print-intro')]"
            ".map(e => getComputedStyle(e).display)"
        )
    finally:
        page.close()
    sheets = [
        (round(float(p.mediabox.width)), round(float(p.mediabox.height)))
        for p in PdfReader(io.BytesIO(pdf)).pages
    ]
    assert sheets == [(595, 842)]
    assert set(hidden) == {"none"}
    artifacts = ROOT / "test-artifacts"
    artifacts.mkdir(exist_ok=True)
    (artifacts / "stats-sheet.pdf").write_bytes(pdf)
