"""`new-term` carries the whole term: rosters in place, festivals and displays as drafts
(`--carry`), links re-pointed, comments kept, out-of-term items written under a TODO, the
official holidays pre-filled, and every file put back when the result fails `check`."""

from __future__ import annotations

import os
import signal
import sys
from datetime import date
from pathlib import Path

import pytest
from conftest import MINIMAL_EVENTS

from generator.interrupt import Interrupted, handling, held
from generator.tools.new_term import new_term

AUTUMN = ("--first-day", "2026-09-01", "--name", "2026学年第一学期")


def _tree(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def test_the_sample_is_carried_whole(make_site):
    site = make_site(sample=True)
    result = new_term(site, date(2026, 9, 1), "2026学年第一学期", today=date(2026, 9, 10))
    assert result.written == site / "events.yaml"
    c = result.carried
    assert (c.events, c.recurring, c.closures, c.todo) == (46, 4, 1, 0)
    assert (c.rosters, c.rota, c.themes, c.sessions, c.generated) == (1, 1, 2, 2, 12)
    assert (c.festivals, c.stages, c.displays) == (1, 8, 2)
    assert (c.official_closures, c.official_makeup, c.unpublished) == (2, 2, (2027,))
    assert sorted(p.relative_to(site).as_posix() for p in result.files) == [
        "content/displays/careers-2026-2027-1.yaml",
        "content/displays/science-future-2026-2027-1.yaml",
        "content/festivals/science-2026-2027-1.yaml",
        "content/rosters/story-parents.yaml",
        "content/rosters/story-parents.yaml.bak-2025-2026-2",
        "content/terms/2025-2026-2.yaml",
        "events.yaml",
    ]
    assert [p.code for p in result.problems] == []  # 2027-02 is in the new winter vacation


def test_comments_survive_and_links_point_at_the_drafts(make_site, run_cli):
    site = make_site(sample=True)
    old_roster = (site / "content/rosters/story-parents.yaml").read_text(encoding="utf-8")
    code, _, _ = run_cli("new-term", "--site", site, *AUTUMN)
    assert code == 0
    events = (site / "events.yaml").read_text(encoding="utf-8")
    assert "\n  # ===== 三月份：故事团开讲、筹备读书节 =====\n" in events
    assert "#   · 缩进用空格，不要用 Tab；同一层的行要对齐。\n" in events
    assert events.count("    festival: science-2026-2027-1\n") == 2
    assert "festival: science-2026\n" not in events
    assert (
        "  - title: 与大队部策划读书节\n    festival: science-2026-2027-1\n    date: 2026-09-24\n"
    ) in events
    roster = (site / "content/rosters/story-parents.yaml").read_text(encoding="utf-8")
    assert "# rota 写一次规则，场次会按周自动生成（跳过放假日，调休日按所跟的星期几）；\n" in roster
    assert "  - weekdays: [周五]\n    from: 2026-09-18\n    to: 2026-12-18\n" in roster
    assert "  - month: 2026-11\n    theme: 科技\n" in roster
    assert "  - name: 周海峰\n    role: 二(4)班家长\n" in roster  # people kept
    backup = site / "content/rosters/story-parents.yaml.bak-2025-2026-2"
    assert backup.read_text(encoding="utf-8") == old_roster
    festival = (site / "content/festivals/science-2026-2027-1.yaml").read_text(encoding="utf-8")
    assert festival.splitlines()[1:3] == [
        "# 草稿：由 python build.py new-term 从 content/festivals/science-2026.yaml（上学期）"
        "带过来，日期按教学周顺延。",
        "# TODO：请核对名称、主题、日期和各项安排；用不上就删掉这个文件（上学期的还在原处）。",
    ]
    assert "from: 2026-10-07\nto: 2026-11-05\n" in festival
    assert "# 获奖结果是上学期的，没有带过来。\nresults: []\n" in festival
    # the old festival stays with last term; its archived events still point at it
    assert (site / "content/festivals/science-2026.yaml").exists()
    archived = (site / "content/terms/2025-2026-2.yaml").read_text(encoding="utf-8")
    assert archived.count("    festival: science-2026\n") == 2
    code, out, err = run_cli("check", "--site", site, "--today", "2026-09-10")
    assert (code, out) == (0, "检查通过（1 个警告）\n")
    # the last Friday of September 2026 is 中秋节: the monthly meeting says it is skipped
    assert err.startswith(
        "events.yaml:414:5: 警告 W330: 每月重复的“小管例会”有几次落在放假/闭馆日，这几次不安排：2026-09-25（中秋节）\n"
    )


def test_an_item_outside_the_new_term_is_written_under_a_todo(make_site, run_cli):
    # a plan without vacations: the sample's summer moves to a winter that holds 2027-02
    summary = "  - title: 撰写图书馆学期工作总结\n    month: 2026-07\n    category: routine\n"
    alone = make_site({"events.yaml": MINIMAL_EVENTS + summary + "    owner: 储霞\n"})
    code, _, err = run_cli("new-term", "--site", alone, *AUTUMN)
    assert code == 0
    assert err.count("警告 W352") == 1
    assert (
        "\n  # TODO：移到新学期后是 2027-02，不在新学期内（2026-09-01 至 2027-01-08）。"
        "改成新学期里的日子后去掉下面各行开头的“# ”，用不上就删掉。\n"
        "  # - title: 撰写图书馆学期工作总结\n"
        "  #   month: 2027-02\n"
        "  #   category: routine\n"
        "  #   owner: 储霞\n"
    ) in (alone / "events.yaml").read_text(encoding="utf-8")


def test_the_official_holidays_are_filled_in_and_the_schools_closure_moved(make_site, run_cli):
    site = make_site(sample=True)
    run_cli("new-term", "--site", site, *AUTUMN)
    events = (site / "events.yaml").read_text(encoding="utf-8")
    # the official holidays of 2026, the school's own closure moved, 2027 a TODO
    assert (
        "# TODO：国务院还没有公布 2027 年的放假安排，这一年的放假和调休没有填，公布后请补上。\n"
        "closures:\n"
        "  - name: 中秋节\n    from: 2026-09-25\n    to: 2026-09-27\n"
        "  - name: 国庆节\n    from: 2026-10-01\n    to: 2026-10-07\n"
        "  - name: 期末图书清点闭馆\n    date: 2026-12-30\n"
        "\n# ───────────── 调休上班 ─────────────\n"
    ) in events
    assert (
        "makeup_days:\n"
        "  - date: 2026-09-20\n    follows: 周二\n    name: 国庆节调休\n"
        "  - date: 2026-10-10\n    follows: 周三\n    name: 国庆节调休\n"
    ) in events


def test_a_shorter_term_cuts_the_rota_and_keeps_a_theme_in_the_vacation(make_site, run_cli):
    site = make_site(sample=True)
    code, _, err = run_cli(
        "new-term", "--site", site, *AUTUMN, "--last-day", "2026-11-27", "--no-carry"
    )
    assert code == 0
    roster = (site / "content/rosters/story-parents.yaml").read_text(encoding="utf-8")
    # December is the new winter vacation's (it starts the day after 2026-11-27): kept
    assert "  - month: 2026-12\n    theme: 有趣的职业介绍\n" in roster
    assert "story-parents.yaml:" not in err  # no TODO in the roster
    # the rota is cut to the shorter term, not left out
    assert "  - weekdays: [周五]\n    from: 2026-09-18\n    to: 2026-11-27\n" in roster


def test_no_carry_leaves_festivals_and_displays_in_the_archive(make_site, run_cli):
    site = make_site(sample=True)
    code, out, _ = run_cli("new-term", "--site", site, *AUTUMN, "--carry", "none")
    assert code == 0
    assert sorted(p.name for p in (site / "content/festivals").iterdir()) == ["science-2026.yaml"]
    assert sorted(p.name for p in (site / "content/displays").glob("*.yaml")) == [
        "careers.yaml",
        "science-future.yaml",
    ]
    events = (site / "events.yaml").read_text(encoding="utf-8")
    assert events.count("    festival: science-2026\n") == 2
    assert "读书节 0 个、主题展示 0 个带成了草稿" in out
    assert run_cli("check", "--site", site, "--today", "2026-09-10")[0] == 0


def test_carry_displays_only(make_site, run_cli):
    site = make_site(sample=True)
    code, out, _ = run_cli("new-term", "--site", site, *AUTUMN, "--carry", "主题展示")
    assert code == 0
    assert not (site / "content/festivals/science-2026-2027-1.yaml").exists()
    assert (site / "content/displays/careers-2026-2027-1.yaml").read_text(encoding="utf-8").count(
        "from: 2026-11-16\nto: 2026-12-04\n"
    ) == 1
    assert "读书节 0 个、主题展示 2 个带成了草稿" in out


def test_an_unknown_carry_word_is_refused(make_site, run_cli, capsys):
    site = make_site(sample=True)
    before = _tree(site)
    with pytest.raises(SystemExit) as stop:
        run_cli("new-term", "--site", site, *AUTUMN, "--carry", "festivals,rosters")
    assert stop.value.code == 2
    assert "不认识“rosters”：可以写 festivals、displays 或 none" in capsys.readouterr().err
    assert _tree(site) == before


def test_a_failed_check_puts_every_file_back(make_site, run_cli):
    site = make_site(sample=True)
    # a session on Friday 2026-03-27 is fine; moved by week it falls on 国庆节 (E406)
    roster = site / "content/rosters/story-parents.yaml"
    roster.write_text(
        roster.read_text(encoding="utf-8").replace(
            "sessions:\n", "sessions:\n  - date: 2026-03-27\n    class: 一(1)班\n", 1
        ),
        encoding="utf-8",
    )
    assert run_cli("check", "--site", site, "--today", "2026-03-10")[0] == 0
    before = _tree(site)
    code, _out, err = run_cli("new-term", "--site", site, *AUTUMN)
    assert code == 1
    assert (
        "content/rosters/story-parents.yaml:48:11: 错误 E406: 2026-10-02 是国庆节，"
        "不能安排“故事爸妈团（第二轮）”\n"
    ) in err
    assert (
        "events.yaml: 错误 E994: 新学期的文件没有通过检查，原来的 events.yaml 已恢复，什么都没有改\n"
    ) in err
    assert "W352" not in err  # the TODO lines it speaks of were put back with their files
    assert err.endswith("没有改动任何文件。\n")
    assert _tree(site) == before


def test_a_draft_left_from_an_earlier_run_is_not_overwritten(make_site, run_cli):
    site = make_site(sample=True)
    draft = site / "content/displays/careers-2026-2027-1.yaml"
    draft.write_text("title: 我的草稿\nfrom: 2026-11-16\nto: 2026-11-20\n", encoding="utf-8")
    before = _tree(site)
    code, _, err = run_cli("new-term", "--site", site, *AUTUMN)
    assert code == 1
    assert err.startswith(
        "content/displays/careers-2026-2027-1.yaml: 错误 E350: "
        "content/displays/careers-2026-2027-1.yaml 已经存在：new-term 不覆盖它\n"
    )
    assert _tree(site) == before


def test_a_file_with_list_items_at_the_key_s_column_keeps_its_layout(make_site, run_cli):
    text = (
        "term:\n  id: 2025-2026-2\n  name: 2025学年第二学期\n  first_day: 2026-02-24\n"
        "  last_day: 2026-07-03\n"
        "events:\n"
        "# 开学\n"
        "- title: 开馆准备  # 第一天\n"
        "  date: 2026-02-24\n"
    )
    site = make_site({"events.yaml": text, "content/site.yaml": "school: 星光小学\n"})
    code, _, _ = run_cli("new-term", "--site", site, *AUTUMN)
    assert code == 0
    new = (site / "events.yaml").read_text(encoding="utf-8")
    assert new.endswith("events:\n# 开学\n- title: 开馆准备  # 第一天\n  date: 2026-09-01\n")


@pytest.mark.skipif(sys.platform == "win32", reason="os.kill with SIGINT is POSIX")
def test_ctrl_c_waits_until_the_files_in_hand_are_written():
    done = []
    before = signal.getsignal(signal.SIGINT)
    with pytest.raises(Interrupted), handling(), held():
        os.kill(os.getpid(), signal.SIGINT)
        done.append("all files written")
    assert done == ["all files written"]
    assert signal.getsignal(signal.SIGINT) is before


YEAR = """\
term:
  id: 2025-2026-2
  name: 2025学年第二学期
  first_day: 2026-02-24
  last_day: 2026-07-03
closures:
  - {name: 清明节, from: 2026-04-04, to: 2026-04-06}
  - {name: 劳动节, from: 2026-05-01, to: 2026-05-05}
  - {name: 端午节, from: 2026-06-19, to: 2026-06-21}
makeup_days:
  - {date: 2026-02-28, follows: 周一}
  - {date: 2026-05-09, follows: 周二}
vacations:
  - name: 暑假
    from: 2026-07-04
    to: 2026-08-31
events:
  - title: 开学前处理丢卡、补办借书证
    weeks: 1-2
  - title: 第二轮故事爸妈团
    months: [2026-03, 2026-05]
  # 暑期开放
  - title: 少儿阅览室暑期开放
    from: 2026-07-06
    to: 2026-08-28
recurring:
  - title: 小管例会
    every: month
    weekday: 周五
    nth: -1
    from: 2026-03-01
    to: 2026-06-30
    time: 15:40-16:20
"""


def test_weeks_months_vacations_and_monthly_repeats_are_carried(make_site, run_cli):
    site = make_site({"events.yaml": YEAR, "content/site.yaml": "school: 星光小学\n"})
    code, out, err = run_cli("new-term", "--site", site, *AUTUMN)
    assert (code, err) == (0, "")
    assert out.splitlines()[:4] == [
        "  第1–2周 → 第1–2周  整周  开学前处理丢卡、补办借书证",
        "  2026-03 – 2026-05 → 2026-10 – 2026-12  整月  第二轮故事爸妈团",
        "  2026-07-06 – 2026-08-28 → 2027-01-11 – 2027-03-05  寒假 周一  少儿阅览室暑期开放",
        "  2026-03-01 – 2026-06-30 → 2026-09-06 – 2027-01-05  第1–19周  小管例会（每月）",
    ]
    new = (site / "events.yaml").read_text(encoding="utf-8")
    assert new.endswith(
        "# TODO：假期按上学期的假期顺延（从新学期最后一天的第二天起），寒假、暑假长短不同：请按校历"
        "改日子。\n"
        "vacations:\n  - name: 寒假\n    from: 2027-01-09\n    to: 2027-03-08\n"
        "events:\n"
        "  - title: 开学前处理丢卡、补办借书证\n    weeks: 1-2\n"
        "  - title: 第二轮故事爸妈团\n    months: [2026-10, 2026-12]\n"
        "  # 暑期开放\n"
        "  - title: 少儿阅览室暑期开放\n    from: 2027-01-11\n    to: 2027-03-05\n"
        "recurring:\n"
        "  - title: 小管例会\n    every: month\n    weekday: 周五\n    nth: -1\n"
        "    from: 2026-09-06\n    to: 2027-01-05\n    time: 15:40-16:20\n"
    )
    # the last Friday of September 2026 is 中秋节: the model says the meeting is skipped
    code, out, err = run_cli("check", "--site", site, "--today", "2026-09-10")
    assert (code, out) == (0, "检查通过（1 个警告）\n")
    assert err.startswith(
        "events.yaml:42:5: 警告 W330: 每月重复的“小管例会”有几次落在放假/闭馆日，这几次不安排："
        "2026-09-25（中秋节）\n"
    )


def test_the_roster_s_values_stay_as_typed(make_site, run_cli):
    """ruamel.yaml is told not to read numbers: a phone with its + and a leading zero, an
    empty value, a quoted one come back exactly as the teacher typed them."""
    roster = (
        "name: 故事爸妈团\nkind: story_parents\n"
        "people:\n"
        "  - name: 王丽娟\n    phone: +8613800000001\n    role:\n"
        "  - name: 赵建国\n    phone: 0571-88880000  # 家里\n    gender: '男'\n"
        "rota:\n"
        "  - weekdays: [周五]\n    from: 2026-03-13\n    to: 2026-06-12\n"
        "    people: [王丽娟, 赵建国]\n"
    )
    site = make_site(
        {
            "events.yaml": YEAR,
            "content/site.yaml": "school: 星光小学\n",
            "content/rosters/story.yaml": roster,
        }
    )
    code, _, _ = run_cli("new-term", "--site", site, *AUTUMN)
    assert code == 0
    new = (site / "content/rosters/story.yaml").read_text(encoding="utf-8")
    assert new == (
        "# new-term 按教学周顺延了轮值、每月主题和场次；上学期的这个文件另存为 "
        "content/rosters/story.yaml.bak-2025-2026-2。\n"
        + roster.replace(
            "from: 2026-03-13\n    to: 2026-06-12", "from: 2026-09-18\n    to: 2026-12-18"
        )
    )
