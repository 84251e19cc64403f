"""`import`: rosters from .xlsx and .csv sheets made here, every bad-row case at its place."""

from __future__ import annotations

from datetime import datetime, time
from pathlib import Path

from openpyxl import Workbook

from generator.serve.watch import classify_change

XLSX_ROSTER = """\
# yaml-language-server: $schema=../../schemas/roster.schema.json
# 故事爸妈团：从 r.xlsx 导入。
# 电话只给老师看，网站上不显示；public: 否 的人，名字也不会显示。

name: 故事爸妈团
kind: story_parents

# 名单：每人一项。
people:
  - name: 李明
    phone: "13900000001"
  - name: 陈静
    phone: "13900000002"

# 场次：表格里的每一行是一场。
sessions:
  - date: 2026-04-17
    time: 8:10
    class: 一(2)班
    person: 李明
    title: 小蓝和小黄
  - date: 2026-04-24
    time: 8:10-8:30
    class: 二(3)班
    person: 陈静
    title: "我爸爸: 超人"
"""


def _xlsx(path: Path, rows: list[list[object]]) -> Path:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


GOOD_ROWS: list[list[object]] = [
    ["2026春 故事爸妈排班"],  # a title row above the table
    ["日期", "时间", "班级", "讲述人", "书名", "电话"],
    [datetime(2026, 4, 17), time(8, 10), "一(2)班", "李明", "小蓝和小黄", 13900000001],
    ["2026/4/24", "8:10-8:30", "二(3)班", "陈静", "我爸爸: 超人", "13900000002"],
    [None, None, None, None, None, None],  # an empty row is no session
    ["2026年5月8日", "8:10-8:30", "一(1)班", "李明", None, None],
]


def test_xlsx_with_chinese_headers_writes_a_roster_that_passes_check(make_site, run_cli, tmp_path):
    site = make_site(sample=True)
    sheet = _xlsx(tmp_path / "r.xlsx", GOOD_ROWS)
    code, out, err = run_cli("import", sheet, "--roster", "autumn", "--site", site)
    assert (code, err) == (0, "")
    assert out == f"已导入 2 人、3 场 → {site / 'content/rosters/autumn.yaml'}\n"
    text = (site / "content/rosters/autumn.yaml").read_text(encoding="utf-8")
    assert text == XLSX_ROSTER.replace(
        '    title: "我爸爸: 超人"\n',
        '    title: "我爸爸: 超人"\n  - date: 2026-05-08\n    time: 8:10-8:30\n'
        "    class: 一(1)班\n    person: 李明\n",
    )
    assert run_cli("check", "--site", site, "--today", "2026-03-10")[0] == 0


PEOPLE_CSV = "Name,Class,Phone,Public,Role\n王小明,三(1)班,0571-1234,no,小管\n李华,三(2)班,,是,\n"
PEOPLE_ROSTER = """\
# yaml-language-server: $schema=../../schemas/roster.schema.json
# 小管：从 p.csv 导入。
# 电话只给老师看，网站上不显示；public: 否 的人，名字也不会显示。

name: 小管
kind: librarians

# 名单：每人一项。
people:
  - name: 王小明
    class: 三(1)班
    role: 小管
    phone: "0571-1234"
    public: 否
  - name: 李华
    class: 三(2)班
    public: 是
"""


def test_csv_in_gbk_with_english_headers_is_a_list_of_people(make_site, run_cli, tmp_path):
    site = make_site(sample=True)
    sheet = tmp_path / "p.csv"
    sheet.write_bytes(PEOPLE_CSV.replace("\n", "\r\n").encode("gbk"))
    code, out, err = run_cli(
        "import", sheet, "--roster", "helpers", "--kind", "librarians", "--site", site
    )
    assert (code, err) == (0, "")
    assert out.endswith("已导入 2 人、0 场 → " + str(site / "content/rosters/helpers.yaml") + "\n")
    assert (site / "content/rosters/helpers.yaml").read_text(encoding="utf-8") == PEOPLE_ROSTER
    assert run_cli("check", "--site", site, "--today", "2026-03-10")[0] == 0


def test_csv_in_utf8_with_bom(make_site, run_cli, tmp_path):
    site = make_site(sample=True)
    sheet = tmp_path / "p.csv"
    sheet.write_bytes(b"\xef\xbb\xbf" + PEOPLE_CSV.encode("utf-8"))
    code, _, _ = run_cli(
        "import", sheet, "--roster", "helpers", "--kind", "librarians", "--site", site
    )
    assert code == 0
    assert (site / "content/rosters/helpers.yaml").read_text(encoding="utf-8") == PEOPLE_ROSTER


BAD_ROWS: list[list[object]] = [
    ["日期", "时间", "班级", "讲述人", "备注", "dat", "date"],
    ["2026-04-17", "8:10", "一(2)班", "李明", "", None, None],
    ["3月2日", "中午", "一（1）班", "陈静", None, None, None],
    ["2026/4/31", "8:10", "一(1)班", None, None, None, None],
    [None, "8:10", "一(1)班", "李明", None, None, None],
    ["2026-09-20", "8:10", "一(1)班", "李明", None, None, None],
]

BAD_REPORT = """\
bad.xlsx:1:6: warning W983: row 1, column F (column 6): unknown header 'dat'; the column was not imported
  hint: Did you mean 'date'? Known headers: date, week, weekday, time, period, class, person, reader, story, title, theme, location, name, role, phone, public, or the Chinese words (all of them in docs/import-and-new-term.md).

bad.xlsx:1:7: error E984: row 1, column G (column 7): 'date' means the same as the column '日期' before it
  hint: Remove one of the two columns, or give the extra one another header (e.g. notes).
"""


def test_a_duplicate_column_stops_the_import_and_unknown_headers_are_warned(
    make_site, run_cli, tmp_path
):
    site = make_site(sample=True)
    sheet = _xlsx(tmp_path / "bad.xlsx", BAD_ROWS[:2])
    code, out, err = run_cli("import", sheet, "--roster", "x", "--site", site, "--lang", "en")
    assert (code, out) == (1, "")
    assert err == BAD_REPORT + "\nnothing was written.\n"
    assert not (site / "content/rosters/x.yaml").exists()


ROWS_REPORT = """\
bad.xlsx:3:1: error E981: row 3, column A (column 1, '日期'): not a date: '3月2日' (E204)
  hint: Write dates as 2026-03-02, 2026/3/2 or 2026年3月2日.

bad.xlsx:3:2: error E981: row 3, column B (column 2, '时间'): not a time: '中午' (E206)
  hint: Write a time as 12:30 and a time range as 12:20-12:50 (24-hour clock).

bad.xlsx:3:3: error E981: row 3, column C (column 3, '班级'): the class '一（1）班' is not in the class list of content/site.yaml (E408)
  hint: Did you mean '一(1)班'? Write the class exactly as in site.yaml's classes, e.g. 一(1)班.

bad.xlsx:4:1: error E981: row 4, column A (column 1, '日期'): no such date: 2026/4/31 (E205)
  hint: 4/2026 has only 30 days.

bad.xlsx:5:1: error E981: row 5, column A (column 1, '日期'): '日期' must not be empty (E202)
  hint: Fill in a value after the colon, or remove the whole line if it is not needed.

bad.xlsx:6:1: error E988: row 6: 2026-09-20 is not inside any term (E407)
  hint: Check the year and month; terms are set in events.yaml and content/terms/.
"""


def test_every_bad_row_is_reported_at_its_row_and_column(make_site, run_cli, tmp_path):
    site = make_site(sample=True)
    rows = [r[:4] for r in BAD_ROWS]
    sheet = _xlsx(tmp_path / "bad.xlsx", rows)
    code, out, err = run_cli("import", sheet, "--roster", "x", "--site", site, "--lang", "en")
    assert (code, out) == (1, "")
    assert err == ROWS_REPORT + "\nnothing was written.\n"
    assert not (site / "content/rosters/x.yaml").exists()


def test_csv_columns_in_chinese_positions(make_site, run_cli, tmp_path):
    site = make_site(sample=True)
    sheet = tmp_path / "s.csv"
    sheet.write_text("班级,日期\n一(1)班,2026-02-30\n", encoding="utf-8")
    code, _, err = run_cli("import", sheet, "--roster", "x", "--site", site)
    assert code == 1
    assert err.startswith(
        "s.csv:2:2: 错误 E981: 第 2 行 B 列（第 2 列“日期”）：日期不存在：2026-02-30（E205）\n"
        "  提示: 2026 年 2 月只有 28 天。\n"
    )


def test_skip_bad_leaves_the_bad_rows_out(make_site, run_cli, tmp_path):
    site = make_site(sample=True)
    sheet = _xlsx(tmp_path / "bad.xlsx", [r[:4] for r in BAD_ROWS])
    code, out, _ = run_cli("import", sheet, "--roster", "x", "--site", site, "--skip-bad")
    assert code == 0
    assert out == (f"跳过的行：3, 4, 5, 6\n已导入 1 人、1 场 → {site / 'content/rosters/x.yaml'}\n")
    text = (site / "content/rosters/x.yaml").read_text(encoding="utf-8")
    assert text.endswith(
        "sessions:\n  - date: 2026-04-17\n    time: 8:10\n    class: 一(2)班\n    person: 李明\n"
    )
    assert run_cli("check", "--site", site, "--today", "2026-03-10")[0] == 0


def test_no_overwrite_without_force_and_a_backup_with_it(make_site, run_cli, tmp_path):
    site = make_site(sample=True)
    target = site / "content/rosters/story-parents.yaml"
    old = target.read_bytes()
    sheet = _xlsx(tmp_path / "r.xlsx", GOOD_ROWS)
    code, out, err = run_cli("import", sheet, "--roster", "story-parents", "--site", site)
    assert (code, out) == (1, "")
    assert err == (
        "content/rosters/story-parents.yaml: 错误 E985: content/rosters/story-parents.yaml "
        "已经存在，没有覆盖\n  提示: 确实要换成表格里的内容，就加上 --force（旧文件会另存一份 "
        ".bak 备份）；否则换一个 --roster 编号。\n\n没有写入任何文件。\n"
    )
    assert target.read_bytes() == old
    code, out, _ = run_cli("import", sheet, "--roster", "story-parents", "--site", site, "--force")
    assert code == 0
    backups = sorted((site / "content/rosters").glob("story-parents.yaml.bak-*"))
    assert len(backups) == 1
    assert backups[0].read_bytes() == old
    assert out.startswith(f"旧文件备份为 {backups[0]}\n")
    assert target.read_text(encoding="utf-8").startswith(XLSX_ROSTER[:60])
    # the backup is neither built nor watched
    assert run_cli("check", "--site", site, "--today", "2026-03-10")[0] == 0
    assert classify_change(backups[0], site, []) is None


def test_a_spreadsheet_that_is_not_one(make_site, run_cli, tmp_path):
    site = make_site(sample=True)
    sheet = tmp_path / "r.xlsx"
    sheet.write_bytes(b"not a zip file")
    code, _, err = run_cli("import", sheet, "--roster", "x", "--site", site, "--lang", "en")
    assert code == 1
    assert err.startswith(
        "r.xlsx: error E980: cannot read the spreadsheet: File is not a zip file\n"
    )


def test_a_sheet_without_date_or_name_column(make_site, run_cli, tmp_path):
    site = make_site(sample=True)
    sheet = tmp_path / "s.csv"
    sheet.write_text("电话,班级\n1390000,一(1)班\n", encoding="utf-8")
    code, _, err = run_cli("import", sheet, "--roster", "x", "--site", site, "--lang", "en")
    assert code == 1
    assert err.startswith(
        "s.csv:1:1: error E982: the sheet has neither a date column nor a name column\n"
    )
