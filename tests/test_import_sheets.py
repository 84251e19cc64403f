"""`import` on sheets as teachers make them: header synonyms (家长姓名, 联系电话, 手机号 …), a
weekly duty rota by weekday, sessions by teaching week, `--kind` in Chinese or with hyphens,
phone numbers written quoted. Real .xlsx files (openpyxl: a merged title row, a 序号 column)
and a GBK CSV as Excel on Chinese Windows saves it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from openpyxl import Workbook

from generator.read.text import read_source
from generator.read.yamlio import parse_yaml
from generator.tools.import_roster import HEADERS, NOT_IMPORTED, parse_kind

ROOT = Path(__file__).resolve().parent.parent


def _xlsx(path: Path, rows: list[list[object]], merge: str | None = None) -> Path:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    if merge:
        sheet.merge_cells(merge)
    book.save(path)
    return path


DUTY_ROWS: list[list[object]] = [
    ["2026春 小管值日表", None, None, None, None, None],
    ["序号", "星期", "班级", "学生姓名", "值日时间", "备注"],
    [1, "星期一", "三(1)班", "陈思远", "12:20-12:50", None],
    [2, "星期一", "三(1)班", "刘可馨", "12:20-12:50", "组长"],
    [3, "周2", "三(2)班", "黄子涵、吴俊杰", "12:20-12:50", None],
    [None, None, None, None, None, None],
    [4, "Wed ", "四(1)班 ", "杨梓萱", None, None],
]

DUTY_ROSTER = """\
# yaml-language-server: $schema=../../schemas/roster.schema.json
# 小管：从 duty.xlsx 导入。
# 电话只给老师看，网站上不显示；public: 否 的人，名字也不会显示。

name: 小管
kind: librarians

# 名单：每人一项。
people:
  - name: 陈思远
    class: 三(1)班
  - name: 刘可馨
    class: 三(1)班
  - name: 黄子涵
    class: 三(2)班
  - name: 吴俊杰
    class: 三(2)班
  - name: 杨梓萱
    class: 四(1)班

# 每周值日：同一班、同一天、同一时间的人合为一项。
duties:
  - class: 三(1)班
    weekday: 周一
    time: 12:20-12:50
    people: [陈思远, 刘可馨]
  - class: 三(2)班
    weekday: 周二
    time: 12:20-12:50
    people: [黄子涵, 吴俊杰]
  - class: 四(1)班
    weekday: 周三
    people: [杨梓萱]
"""


def test_a_duty_rota_by_weekday_imports_as_the_rosters_duties(make_site, run_cli, tmp_path):
    site = make_site(sample=True)
    sheet = _xlsx(tmp_path / "duty.xlsx", DUTY_ROWS, merge="A1:F1")
    code, out, err = run_cli("import", sheet, "--roster", "duty", "--kind", "小管", "--site", site)
    assert (code, err) == (0, "")
    target = site / "content/rosters/duty.yaml"
    assert out == (
        f"这些列没有导入：序号（A 列）、备注（F 列）\n已导入 5 人、3 项每周值日 → {target}\n"
    )
    assert target.read_text(encoding="utf-8") == DUTY_ROSTER
    assert run_cli("check", "--site", site, "--today", "2026-03-10")[0] == 0


def test_the_duty_summary_in_english(make_site, run_cli, tmp_path):
    site = make_site(sample=True)
    sheet = _xlsx(tmp_path / "duty.xlsx", DUTY_ROWS)
    code, out, _ = run_cli(
        "import", sheet, "--roster", "d", "--kind", "小管", "--site", site, "--lang", "en"
    )
    assert code == 0
    assert out.splitlines() == [
        "columns not imported: 序号 (column A), 备注 (column F)",
        f"imported 5 people, 3 weekly duties → {site / 'content/rosters/d.yaml'}",
    ]


def test_a_duty_rota_needs_a_class_column(make_site, run_cli, tmp_path):
    site = make_site(sample=True)
    sheet = tmp_path / "d.csv"
    sheet.write_text("星期,姓名\n周一,陈思远\n", encoding="utf-8")
    code, out, err = run_cli("import", sheet, "--roster", "d", "--site", site)
    assert (code, out) == (1, "")
    assert err == (
        "d.csv:1:1: 错误 E422: 第 1 行 A 列（第 1 列“星期”）：值日表还要有“班级”列\n"
        "  提示: 按星期排的值日表，每一行写 星期、班级 和 值日的人（姓名），例如 周一,三(1)班,陈思远；"
        "如果这是场次表，请加一列“日期”（或“周次”）。\n\n没有写入任何文件。\n"
    )


PARENTS_CSV = (
    "2026春 家长义工名单,,,\n"
    "序号,家长姓名,班级,联系电话\n"
    "1,王丽娟,一(1)班,13800000001\n"
    "2,赵建国 ,一(3)班,0571-88886666\n"
    ",,,\n"
    "3,孙晓燕,二(2)班,\n"
)

PARENTS_ROSTER = """\
# yaml-language-server: $schema=../../schemas/roster.schema.json
# 家长义工：从 parents.csv 导入。
# 电话只给老师看，网站上不显示；public: 否 的人，名字也不会显示。

name: 家长义工
kind: volunteers

# 名单：每人一项。
people:
  - name: 王丽娟
    class: 一(1)班
    phone: "13800000001"
  - name: 赵建国
    class: 一(3)班
    phone: "0571-88886666"
  - name: 孙晓燕
    class: 二(2)班
"""


def test_a_gbk_list_of_parents_with_chinese_headers(make_site, run_cli, tmp_path):
    """家长姓名 and 联系电话 are the parents and their phones (the issue saw "0 people")."""
    site = make_site(sample=True)
    sheet = tmp_path / "parents.csv"
    sheet.write_bytes(PARENTS_CSV.replace("\n", "\r\n").encode("gbk"))
    code, out, err = run_cli("import", sheet, "--roster", "p", "--kind", "家长义工", "--site", site)
    assert (code, err) == (0, "")
    assert out.splitlines() == [
        "这些列没有导入：序号（A 列）",
        f"已导入 3 人、0 场 → {site / 'content/rosters/p.yaml'}",
    ]
    text = (site / "content/rosters/p.yaml").read_text(encoding="utf-8")
    assert text == PARENTS_ROSTER
    assert run_cli("check", "--site", site, "--today", "2026-03-10")[0] == 0


def test_phone_numbers_are_written_quoted_and_read_back_as_typed(make_site, run_cli, tmp_path):
    site = make_site(sample=True)
    rows: list[list[object]] = [
        ["姓名", "手机号"],
        ["王丽娟", 13800000001],
        ["李明", "057188886666"],
    ]
    sheet = _xlsx(tmp_path / "p.xlsx", rows)
    assert run_cli("import", sheet, "--roster", "p", "--site", site)[0] == 0
    text = (site / "content/rosters/p.yaml").read_text(encoding="utf-8")
    assert '    phone: "13800000001"\n' in text
    assert '    phone: "057188886666"\n' in text
    source = read_source(site / "content/rosters/p.yaml", "content/rosters/p.yaml")
    marked, problems = parse_yaml(source)  # type: ignore[arg-type]
    assert problems == []
    assert [p["phone"] for p in marked.data["people"]] == ["13800000001", "057188886666"]


WEEK_ROWS: list[list[object]] = [
    ["周次", "星期", "节次", "班级", "讲述人", "手机", "故事"],
    ["第3周", "周五", "第1节", "一(1)班", "李明", "13800000001", "小蓝和小黄"],
    [4, "星期5", None, "一(2)班", "陈静", None, "猜猜我有多爱你"],
]


def test_sessions_by_teaching_week_and_weekday_get_their_dates_from_the_term(
    make_site, run_cli, tmp_path
):
    """The sample's term starts on Tuesday 2026-02-24: week 1 is 23 February to 1 March."""
    site = make_site(sample=True)
    sheet = _xlsx(tmp_path / "w.xlsx", WEEK_ROWS)
    code, out, err = run_cli("import", sheet, "--roster", "w", "--site", site)
    assert (code, err) == (0, "")
    assert out == f"已导入 2 人、2 场 → {site / 'content/rosters/w.yaml'}\n"
    text = (site / "content/rosters/w.yaml").read_text(encoding="utf-8")
    assert text.split("sessions:\n")[1] == (
        "  - date: 2026-03-13\n    class: 一(1)班\n    person: 李明\n    title: 小蓝和小黄\n"
        "  - date: 2026-03-20\n    class: 一(2)班\n    person: 陈静\n    title: 猜猜我有多爱你\n"
    )
    assert '  - name: 李明\n    phone: "13800000001"\n' in text
    assert run_cli("check", "--site", site, "--today", "2026-03-10")[0] == 0


def test_weeks_without_a_term_are_refused(make_site, run_cli, tmp_path):
    site = make_site({"content/site.yaml": "school: 星光小学\n"})
    sheet = _xlsx(tmp_path / "w.xlsx", WEEK_ROWS)
    code, _, err = run_cli("import", sheet, "--roster", "w", "--site", site, "--lang", "en")
    assert code == 1
    assert err.startswith(
        "w.xlsx:1:1: error E420: the sheet gives teaching weeks and weekdays, but the term's "
        "first day is unknown\n"
    )


def test_a_date_and_a_weekday_that_disagree(make_site, run_cli, tmp_path):
    site = make_site(sample=True)
    sheet = tmp_path / "s.csv"
    sheet.write_text("日期,星期,班级,家长\n2026-03-06,周四,一(1)班,王丽娟\n", encoding="utf-8")
    code, _, err = run_cli("import", sheet, "--roster", "s", "--site", site)
    assert code == 1
    assert err.startswith(
        "s.csv:2:2: 错误 E981: 第 2 行 B 列（第 2 列“星期”）：2026-03-06 是周五，表格里写的是周四"
        "（E421）\n  提示: 检查这一行的日期和星期，改对其中一个。\n"
    )


@pytest.mark.parametrize(
    ("written", "kind"),
    [
        ("故事爸妈团", "story_parents"),
        ("故事哥哥姐姐", "storytellers"),
        ("小管", "librarians"),
        ("家长义工", "volunteers"),
        ("阅读课", "class_visits"),
        ("story-parents", "story_parents"),
        ("Class-Visits", "class_visits"),
        ("librarians", "librarians"),
        ("小管理员", None),
        ("story parents", None),
    ],
)
def test_kind_names(written, kind):
    assert parse_kind(written) == kind


def test_a_kind_by_its_chinese_name_on_the_command_line(make_site, run_cli, tmp_path):
    site = make_site(sample=True)
    sheet = tmp_path / "p.csv"
    sheet.write_text("姓名\n王小明\n", encoding="utf-8")
    code, _, _ = run_cli("import", sheet, "--roster", "p", "--kind", "故事哥哥姐姐", "--site", site)
    assert code == 0
    text = (site / "content/rosters/p.yaml").read_text(encoding="utf-8")
    assert "\nname: 故事哥哥姐姐\nkind: storytellers\n" in text


def test_an_unknown_kind_lists_the_kinds_with_their_names(run_cli, tmp_path, capsys):
    with pytest.raises(SystemExit) as stopped:
        run_cli("import", tmp_path / "p.csv", "--roster", "p", "--kind", "小管理员")
    assert stopped.value.code == 2
    err = capsys.readouterr().err
    assert err.splitlines()[-1].endswith(
        "argument --kind: 名单种类只能是：story_parents（故事爸妈团）、storytellers（故事哥哥姐姐）、"
        "librarians（小管）、volunteers（家长义工）、class_visits（阅读课）（写的是“小管理员”） / "
        "the kind is one of: story_parents (故事爸妈团), storytellers (故事哥哥姐姐), "
        "librarians (小管), volunteers (家长义工), class_visits (阅读课) (not '小管理员')"
    )


def _docs_table(section: str = "## 从表格导入名单") -> dict[str, list[str]]:
    """The header table of one section of the import docs (a roster's, or the loans')."""
    doc = (ROOT / "docs/import-and-new-term.md").read_text(encoding="utf-8")
    doc = doc.split(section, 1)[1].split("\n## ", 1)[0]
    rows = re.findall(r"^\| `(\w+)` \| (.+) \|$", doc, flags=re.M)
    return {field: [w.strip() for w in words.split("、")] for field, words in rows}


def test_the_docs_list_every_header_the_import_knows():
    table = _docs_table()
    assert table.pop("not_imported") == list(NOT_IMPORTED)
    assert table == {field: list(words) for field, words in HEADERS.items()}
