"""`new-term`: shifting by teaching week, month items by months, the sample site end to end."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from generator.model.values import Month
from generator.tools.new_term import shift_date, shift_month, teaching_week, term_id_from_name

days = st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 12, 31))


@given(old_first=days, new_first=days, offset=st.integers(min_value=-30, max_value=200))
def test_shifted_dates_keep_their_teaching_week_and_weekday(old_first, new_first, offset):
    day = old_first + timedelta(days=offset)
    moved = shift_date(day, old_first, new_first)
    assert teaching_week(moved, new_first) == teaching_week(day, old_first)
    assert moved.weekday() == day.weekday()


@given(old_first=days, new_first=days, months=st.integers(min_value=0, max_value=11))
def test_month_items_land_in_the_corresponding_month(old_first, new_first, months):
    index = old_first.year * 12 + old_first.month - 1 + months
    month = Month(index // 12, index % 12 + 1)
    moved = shift_month(month, old_first, new_first)
    # as many months after the new term's start as the item was after the old one's
    assert (moved.year * 12 + moved.month) - (new_first.year * 12 + new_first.month) == months


def test_term_ids_from_names():
    assert term_id_from_name("2026学年第一学期") == "2026-2027-1"
    assert term_id_from_name("2025学年第二学期") == "2025-2026-2"
    assert term_id_from_name("秋季学期") is None


def test_new_term_on_the_sample_site_passes_check(make_site, run_cli):
    site = make_site(sample=True)
    old = (site / "events.yaml").read_text(encoding="utf-8")
    code, out, err = run_cli(
        "new-term", "--site", site, "--first-day", "2026-09-01", "--name", "2026学年第一学期"
    )
    assert code == 0
    lines = out.splitlines()
    # 46 items + 4 recurring moved, 3 festival/display drafts, 1 roster, 3 summary lines
    assert len(lines) == 57
    assert lines[0] == "  2026-02-24 → 2026-09-01  第1周 周二  开馆准备"
    assert "  2026-03-06 → 2026-09-11  第2周 周五  第二轮“故事爸妈团”开讲" in lines
    assert "  2026-04 → 2026-11  整月  故事爸妈团本月主题：科技" in lines
    assert "  第16周 → 第16周  整周  归还班级图书" in lines
    assert (
        "  2026-03-18 – 2026-06-24 → 2026-09-23 – 2026-12-30  第4–18周  故事哥哥姐姐午间故事会（每周）"
        in lines
    )
    assert lines[-3:-1] == [
        "放假和调休：按国务院公布的安排填了 2 段放假、2 个调休上班日。",
        "2027 年的放假安排国务院还没有公布：文件里留了 TODO，公布后请补上。",
    ]
    assert lines[-1].endswith(
        "：顺延活动 46 项、每周活动 4 项；名单 1 个（轮值 1 条，写明的场次 2 场，新学期自动排出 12 "
        "场）；读书节 1 个、主题展示 2 个带成了草稿；0 项不在新学期内，写成了 TODO 注释。"
    )
    # the 2027-02 items land in the new term's winter vacation (the summer, moved): none is out
    assert err == ""
    archived = (site / "content/terms/2025-2026-2.yaml").read_text(encoding="utf-8")
    assert archived == old.replace("$schema=schemas/", "$schema=../../schemas/", 1)
    new = (site / "events.yaml").read_text(encoding="utf-8")
    assert "term:\n  id: 2026-2027-1\n  name: 2026学年第一学期\n  first_day: 2026-09-01\n" in new
    assert "  last_day: 2027-01-08\n" in new
    assert "closures:\n  - name: 中秋节\n    from: 2026-09-25\n    to: 2026-09-27\n" in new
    assert "# TODO：国务院还没有公布 2027 年的放假安排" in new
    assert run_cli("check", "--site", site, "--today", "2026-09-10")[0] == 0
    # the teacher puts the old events.yaml back and runs it again: the archive is not overwritten
    (site / "events.yaml").write_text(old, encoding="utf-8")
    again = run_cli(
        "new-term", "--site", site, "--first-day", "2026-09-01", "--name", "2026学年第一学期"
    )
    assert again[:2] == (1, "")
    assert again[2].startswith(
        "content/terms/2025-2026-2.yaml: 错误 E990: content/terms/2025-2026-2.yaml 已经存在："
        "上学期的文件不能覆盖\n"
    )
    assert (site / "events.yaml").read_text(encoding="utf-8") == old
    assert (site / "content/terms/2025-2026-2.yaml").read_text(encoding="utf-8") == archived


def test_a_term_starting_on_a_saturday_clips_weekly_items(make_site, run_cli):
    site = make_site(sample=True)
    code, out, _ = run_cli(
        "new-term", "--site", site, "--first-day", "2027-02-20", "--name", "2026学年第二学期"
    )
    assert code == 0
    assert (
        "  2026-02-26 – 2026-03-12 → 2027-02-20 – 2027-03-04  第1–3周  新小管值日培训（每周）"
        in out.splitlines()
    )
    assert run_cli("check", "--site", site, "--today", "2027-03-01")[0] == 0


def test_a_term_id_in_use_is_refused(make_site, run_cli):
    site = make_site(sample=True)
    old = (site / "events.yaml").read_bytes()
    code, _, err = run_cli(
        "new-term",
        "--site",
        site,
        "--first-day",
        "2026-09-01",
        "--name",
        "x",
        "--id",
        "2025-2026-1",
        "--lang",
        "en",
    )
    assert code == 1
    assert err.startswith(
        "content/terms/2025-2026-1.yaml: error E991: the term id '2025-2026-1' is used already "
        "(content/terms/2025-2026-1.yaml)\n"
    )
    assert (site / "events.yaml").read_bytes() == old
    assert not (site / "content/terms/2025-2026-2.yaml").exists()


def test_a_failed_check_restores_events_yaml(make_site, run_cli):
    site = make_site(sample=True)
    old = (site / "events.yaml").read_bytes()
    # the story-parents roster names a month theme; break a festival so check fails afterwards
    broken = site / "content/festivals/science-2026.yaml"
    broken.write_text(broken.read_text(encoding="utf-8") + "oops: 1\n", encoding="utf-8")
    code, _, err = run_cli(
        "new-term", "--site", site, "--first-day", "2026-09-01", "--name", "2026学年第一学期"
    )
    assert code == 1
    assert "错误 E994: 新学期的文件没有通过检查，原来的 events.yaml 已恢复，什么都没有改" in err
    assert (site / "events.yaml").read_bytes() == old
    assert not (site / "content/terms/2025-2026-2.yaml").exists()
