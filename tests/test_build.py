"""The whole pipeline through the CLI: outputs, atomic writes, exit codes, messages."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from conftest import MINIMAL_EVENTS, tree


def test_build_writes_the_calendar_pages(make_site, run_cli):
    site = make_site({"events.yaml": MINIMAL_EVENTS})
    code, out, err = run_cli("build", "--site", site, "--today", "2026-03-10")
    assert (code, err) == (0, "")
    assert sorted(tree(site / "public")) == [
        ".library-site",
        "404.html",
        "agenda/index.html",
        "calendar.ics",
        "calendar/2026-02/index.html",
        "calendar/2026-03/index.html",
        "calendar/2026-04/index.html",
        "calendar/2026-05/index.html",
        "calendar/2026-06/index.html",
        "calendar/2026-07/index.html",
        "calendar/index.html",
        "calendar/print-large/index.html",
        "calendar/print/index.html",
        *(f"calendar/week/{n:02d}/index.html" for n in range(1, 20)),  # 02-24 to 07-03
        "displays/index.html",
        "feeds/routine.ics",
        "festivals/index.html",
        "index.html",
        "news/index.html",
        "rosters/index.html",
        "search-index.js",
        "search/index.html",
        "static/custom.css",
        "static/favicon.svg",
        "static/search.js",
        "static/style.css",
        "terms/index.html",
        "work-plan/index.html",
        "work-plan/work-plan-2025-2026-2.docx",
        "work-summary/index.html",
        "work-summary/work-summary-2025-2026-2.docx",
    ]
    assert out.startswith("完成：39 个页面，写入 48 个文件，0 个未变，删除 0 个；0 个警告；用时 ")


def test_no_command_means_build(make_site, run_cli):
    site = make_site({"events.yaml": MINIMAL_EVENTS})
    code, _, _ = run_cli("--site", site, "--today", "2026-03-10")
    assert code == 0
    assert (site / "public" / "index.html").is_file()


def test_options_before_the_command_are_kept(make_site, run_cli, tmp_path, monkeypatch):
    # argparse lets a subcommand's defaults overwrite options parsed before it: `--site X
    # build` used to build the current folder instead of X.
    site = make_site({"events.yaml": MINIMAL_EVENTS})
    monkeypatch.chdir(tmp_path)  # "." has no events.yaml
    code, out, err = run_cli("--site", site, "--today", "2026-03-10", "build")
    assert (code, err) == (0, "")
    assert out.endswith(f"→ {site / 'public'}\n")
    assert (site / "public" / "calendar" / "2026-03" / "index.html").is_file()
    assert not (tmp_path / "public").exists()
    # given twice, the one after the command wins
    code, _, _ = run_cli("--site", tmp_path, "build", "--site", site, "--today", "2026-03-10")
    assert code == 0


def test_today_and_kind_options_are_checked(make_site, run_cli, capsys):
    site = make_site({"events.yaml": MINIMAL_EVENTS})
    code, out, err = run_cli("check", "--site", site, "--today", "2026年3月10日")
    assert (code, out, err) == (0, "检查通过（0 个警告）\n", "")
    with pytest.raises(SystemExit):
        run_cli("check", "--site", site, "--today", "2026-02-30")
    assert "不是日期 / not a date: '2026-02-30' (2026-03-10)" in capsys.readouterr().err
    with pytest.raises(SystemExit):  # an ISO week date is not one a teacher writes
        run_cli("check", "--site", site, "--today", "2026-W10-2")
    assert "不是日期 / not a date: '2026-W10-2' (2026-03-10)" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        run_cli("import", "x.csv", "--roster", "helpers", "--kind", "parents", "--site", site)
    assert (
        "名单种类只能是：story_parents（故事爸妈团）、storytellers（故事哥哥姐姐）、librarians（小管）、"
        "volunteers（家长义工）、class_visits（阅读课）（写的是“parents”） / the kind is one of: "
        "story_parents (故事爸妈团), storytellers (故事哥哥姐姐), librarians (小管), "
        "volunteers (家长义工), class_visits (阅读课) (not 'parents')"
    ) in capsys.readouterr().err


def test_links_are_relative_and_name_the_file(make_site, run_cli):
    site = make_site({"events.yaml": MINIMAL_EVENTS})
    run_cli("build", "--site", site, "--today", "2026-03-10")
    html = (site / "public" / "calendar" / "2026-03" / "index.html").read_text("utf-8")
    assert '<link rel="stylesheet" href="../../static/style.css">' in html
    assert '<a href="../../index.html">' in html
    assert 'href="../2026-04/index.html" rel="next"' in html
    assert "http://" not in html and "https://" not in html


def test_an_edit_rewrites_only_changed_files(make_site, run_cli):
    site = make_site({"events.yaml": MINIMAL_EVENTS})
    run_cli("build", "--site", site, "--today", "2026-03-10")
    public = site / "public"
    css_inode = (public / "static" / "style.css").stat().st_ino
    may = (public / "calendar" / "2026-05" / "index.html").stat().st_mtime_ns
    events = (site / "events.yaml").read_text("utf-8").replace("开馆准备", "开馆准备工作")
    (site / "events.yaml").write_text(events, encoding="utf-8")
    code, _out, _ = run_cli("build", "--site", site, "--today", "2026-03-10")
    assert code == 0
    assert "开馆准备工作" in (public / "calendar" / "2026-02" / "index.html").read_text("utf-8")
    assert (public / "static" / "style.css").stat().st_ino == css_inode
    assert (public / "calendar" / "2026-05" / "index.html").stat().st_mtime_ns == may


def test_failed_build_leaves_previous_output_byte_identical(make_site, run_cli):
    site = make_site(sample=True)
    assert run_cli("build", "--site", site, "--today", "2026-04-10")[0] == 0
    before = tree(site / "public")
    mtimes = {p: p.stat().st_mtime_ns for p in (site / "public").rglob("*")}
    events = site / "events.yaml"
    events.write_text(
        events.read_text("utf-8").replace("first_day: 2026-02-24", "first_day: 2026-02-30"), "utf-8"
    )
    code, out, err = run_cli("build", "--site", site, "--today", "2026-04-11")
    assert code == 1
    assert out == ""
    assert "E205" in err
    assert tree(site / "public") == before
    assert {p: p.stat().st_mtime_ns for p in (site / "public").rglob("*")} == mtimes
    # the lock file stays (deleting it could let two builds in); no folder is left behind
    assert [p.name for p in site.iterdir() if p.name.startswith(".public")] == [".public.lock"]


def test_check_reports_every_problem_in_every_file_and_writes_nothing(make_site, run_cli):
    site = make_site(
        {
            "events.yaml": """\
            term:
              id: 2025-2026-2
              name: 2025学年第二学期
              first_day: 2026-02-24
              last_day: 2026-07-03
            events:
              - title: 读书节
                date: 2026-02-30
              - title: 小管会议
                date: 2026-03-05
                categroy: meeting
              - title: 期末
                date: 2026-09-01
            """,
            "content/site.yaml": "school: 阳光小学\n",
            "content/terms/2025-2026-1.yaml": """\
            term:
              id: 2025-2026-1
              name: 2025学年第一学期
              first_day: 2025-09-01
              last_day: 2025-08-01
            """,
        }
    )
    code, out, err = run_cli("check", "--site", site)
    assert code == 1
    assert out == ""
    assert not (site / "public").exists()
    assert (
        err
        == """\
content/terms/2025-2026-1.yaml:5:13: 错误 E215: 结束早于开始：2025-09-01 到 2025-08-01
  5 |   last_day: 2025-08-01
    |             ^
  提示: 检查两个日期（或时间）是否写反了。

events.yaml:8:11: 错误 E205: 日期不存在：2026-02-30
  8 |     date: 2026-02-30
    |           ^
  提示: 2026 年 2 月只有 28 天。

events.yaml:11:5: 错误 E203: 不认识的键“categroy”
  11 |     categroy: meeting
     |     ^
  提示: 是不是想写“category”？这里可以用的键有：title、time、category、owner、location、audience、description、festival、roster、display、classes、grades、id、date、from、to、week、weeks、month、months、no。

发现 3 个错误、0 个警告；网站没有改动。
"""
    )


def test_cross_checks_run_once_each_file_is_valid(make_site, run_cli):
    site = make_site(
        {
            "events.yaml": MINIMAL_EVENTS
            + """\
  - title: 暑假阅读作业
    date: 2026-09-01
  - title: 清明节故事会
    date: 2026-04-05
  - title: 第30周
    week: 25
recurring:
  - title: 阅读课
    weekdays: [周一]
    from: 2026-03-02
    to: 2026-06-29
"""
        }
    )
    code, _, err = run_cli("check", "--site", site, "--lang", "en")
    assert code == 1
    assert err.splitlines()[0] == (
        "events.yaml:18:11: error E301: 2026-09-01 is outside the term (2026-02-24 to 2026-07-03)"
    )
    assert (
        "events.yaml:20:11: warning W305: '清明节故事会' is on 2026-04-05, which is 清明节" in err
    )
    assert "events.yaml:22:11: error E302: the term has no week 25 (it has 19)" in err
    assert err.endswith("2 error(s), 1 warning(s); the site was not changed.\n")


def test_a_warning_does_not_fail_the_build(make_site, run_cli):
    site = make_site(
        {"events.yaml": MINIMAL_EVENTS + "  - title: 清明节故事会\n    date: 2026-04-05\n"}
    )
    code, out, err = run_cli("build", "--site", site, "--today", "2026-04-01")
    assert code == 0
    assert err.startswith("events.yaml:18:11: 警告 W305:")
    assert "1 个警告" in out


def test_missing_events_file_is_a_problem_not_a_traceback(make_site, run_cli):
    site = make_site({"content/site.yaml": "school: 星光小学\n"})
    code, _, err = run_cli("check", "--site", site)
    assert code == 1
    assert err.startswith("events.yaml: 错误 E311: 找不到 events.yaml\n")


def test_refuses_to_replace_a_folder_it_did_not_make(make_site, run_cli):
    site = make_site({"events.yaml": MINIMAL_EVENTS, "content/notes.txt": "keep me"})
    code, _, err = run_cli("build", "--site", site, "--out", site / "content")
    assert code == 1
    assert "E313" in err
    assert (site / "content" / "notes.txt").read_text("utf-8") == "keep me"


def test_school_theme_overrides_one_template_and_falls_back_for_the_rest(make_site, run_cli):
    site = make_site(
        {
            "events.yaml": MINIMAL_EVENTS,
            "content/site.yaml": "school: 星光小学\ntheme: starlight\n",
            "themes/starlight/templates/404.html": "<p>星光小学：找不到</p>\n",
            "themes/starlight/static/style.css": "body { color: navy; }\n",
        }
    )
    code, _, _ = run_cli("build", "--site", site, "--today", "2026-03-10")
    assert code == 0
    public = site / "public"
    assert (public / "404.html").read_text("utf-8") == "<p>星光小学：找不到</p>\n"
    assert (public / "static" / "style.css").read_text("utf-8") == "body { color: navy; }\n"
    assert "星光小学" in (public / "index.html").read_text("utf-8")


def test_unknown_theme_is_reported(make_site, run_cli):
    site = make_site({"events.yaml": MINIMAL_EVENTS, "content/site.yaml": "theme: nosuch\n"})
    code, _, err = run_cli("check", "--site", site)
    assert code == 1
    assert err.startswith("content/site.yaml:1:8: 错误 E308: 找不到主题文件夹“nosuch”")


def test_home_page_says_when_there_is_no_term(make_site, run_cli):
    site = make_site({"events.yaml": MINIMAL_EVENTS})
    run_cli("build", "--site", site, "--today", "2026-08-01")
    html = (site / "public" / "index.html").read_text("utf-8")
    assert "2025学年第二学期已于 7月3日结束" in html
    run_cli("build", "--site", site, "--today", "2026-02-01")
    html = (site / "public" / "index.html").read_text("utf-8")
    assert "2025学年第二学期将于 2月24日开始" in html


def test_home_page_lists_this_week_and_the_next_two(make_site, run_cli):
    site = make_site({"events.yaml": MINIMAL_EVENTS})
    run_cli("build", "--site", site, "--today", "2026-02-25")
    html = (site / "public" / "index.html").read_text("utf-8")
    assert "2025学年第二学期第1周" in html
    assert [h for h in ("本周 · 第1周", "下周 · 第2周", "再下周 · 第3周") if h in html] == [
        "本周 · 第1周",
        "下周 · 第2周",
        "再下周 · 第3周",
    ]
    assert "调休上班，按周一课表" in html
    assert "第4周" not in html


def test_gbk_file_gets_a_clear_message(make_site, run_cli):
    site = make_site({"events.yaml": MINIMAL_EVENTS.encode("gbk")})
    code, _, err = run_cli("check", "--site", site, "--lang", "en")
    assert code == 1
    assert err.startswith(
        "events.yaml:3:1: error E001: the file is not UTF-8 (it looks like "
        "GBK/ANSI)\n  hint: Open it in Notepad, choose Save As"
    )


def test_bom_and_crlf_are_accepted(make_site, run_cli):
    data = b"\xef\xbb\xbf" + MINIMAL_EVENTS.replace("\n", "\r\n").encode("utf-8")
    site = make_site({"events.yaml": data})
    code, out, err = run_cli("check", "--site", site)
    assert (code, err) == (0, "")
    assert out == "检查通过（0 个警告）\n"


def test_help_for_each_command(run_cli, capsys):
    for args in (["--help"], ["build", "--help"], ["check", "--help"]):
        try:
            main_exit = run_cli(*args)[0]
        except SystemExit as exc:
            main_exit = exc.code
        assert main_exit == 0


def test_build_py_is_thin():
    source = (Path(__file__).resolve().parent.parent / "build.py").read_text("utf-8")
    assert "from generator.cli import run" in source
    assert len(source.splitlines()) < 12


def test_a_broken_file_is_reported_once_not_again_where_others_lean_on_it(make_site, run_cli):
    # events.yaml and the festival file are both broken. Their own errors are listed; the
    # roster's sessions, its themed months and the events naming the festival are not
    # reported again as "outside every term", "no sessions" or "no such festival". Valid
    # Chinese quotes further down the broken festival file are not suspects either.
    site = make_site(sample=True)
    events = site / "events.yaml"
    events.write_text(
        events.read_text("utf-8").replace("    date: 2026-03-03", "    date: [2026-03-03"), "utf-8"
    )
    festival = site / "content" / "festivals" / "science-2026.yaml"
    festival.write_text(festival.read_text("utf-8").replace("name:", "name: [", 1), "utf-8")
    code, _, err = run_cli("check", "--site", site)
    assert code == 1
    headers = [line for line in err.splitlines() if line[:1] not in (" ", "") and ": 错误 " in line]
    assert headers == [
        "content/festivals/science-2026.yaml:6:6: 错误 E101: YAML 格式错误：方括号 [ 没有配对的 ]，"
        "或者两项之间少了英文逗号",
        "events.yaml:160:13: 错误 E101: YAML 格式错误：方括号 [ 没有配对的 ]，或者两项之间少了英文逗号",
    ]
    assert err.endswith("发现 2 个错误、0 个警告；网站没有改动。\n")


def test_build_py_exits_with_the_build_s_code_and_all_its_output(make_site, tmp_path):
    # `run` leaves without the interpreter's teardown: its output must still all be there.
    script = Path(__file__).resolve().parent.parent / "build.py"
    site = make_site({"events.yaml": MINIMAL_EVENTS})
    done = subprocess.run(
        [sys.executable, str(script), "--site", str(site), "--today", "2026-03-10"],
        capture_output=True,
        text=True,
        encoding="utf-8",
    )
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout.startswith("完成：39 个页面，写入 48 个文件，0 个未变，删除 0 个；")
    done = subprocess.run(
        [sys.executable, str(script), "check", "--site", str(tmp_path)],
        capture_output=True,
        text=True,
        encoding="utf-8",
    )
    assert (done.returncode, done.stdout) == (1, "")
    assert done.stderr == (
        "events.yaml: 错误 E311: 找不到 events.yaml\n"
        "  提示: 在站点文件夹里放一个 events.yaml（本学期校历）；可以复制示例站点的那一份来改。\n"
        "\n发现 1 个错误、0 个警告；网站没有改动。\n"
    )
