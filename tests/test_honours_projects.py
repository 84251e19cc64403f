"""Honours (content/honours/) and projects (content/projects/): their pages, their links
from rosters and festivals, the public build's masking of the honoured, which project
phases reach the calendar, and the problems of bad files, each at its position."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from conftest import MINIMAL_EVENTS, copy_sample

from generator.cli import main
from generator.pipeline import load_site
from generator.plan import urls
from generator.problems.problem import BuildFailed

TODAY = date(2026, 4, 10)
SETTINGS = """\
school: 测试小学
library: 测试书屋
classes: [三(1)班, 三(2)班, 四(1)班]
"""
ROSTER = """\
name: 小管值日表
kind: librarians
duties:
  - {class: 三(1)班, weekday: 周一, people: [陈思远, 刘可馨]}
"""
FESTIVAL = """\
name: 科技读书节
from: 2026-04-01
to: 2026-04-30
stages:
  - {title: 启动仪式, date: 2026-04-01}
results:
  - {title: 擂台赛一等奖, winners: [三(2)班]}
"""
HONOUR = """\
title: 最优小管
level: 校级
term: 2025-2026-2
people:
  - {name: 陈思远, class: 三(1)班}
giver: 测试小学
"""
CLASS_HONOUR = """\
title: 优秀读书班级
level: 区级
date: 2026-04-30
classes: [三(2)班]
"""
PROJECT = """\
name: 少儿阅览室建设
owner: 储霞
phases:
  - {title: 整屋物品搬迁, from: 2026-03-09, to: 2026-03-13, status: 已完成}
  - {title: 地面改造, month: 2026-04, status: 进行中}
  - {title: 验收, date: 2026-05-06, status: 计划中}
  - {title: 开放仪式, date: 2026-06-01, calendar: 是, location: 二楼}
notes:
  - {date: 2026-03-13, text: 物品已全部搬出。}
"""


def make(make_site, **files: str) -> Path:
    return make_site(
        {
            "events.yaml": MINIMAL_EVENTS,
            "content/site.yaml": SETTINGS,
            "content/rosters/librarians.yaml": ROSTER,
            "content/festivals/science.yaml": FESTIVAL,
            **files,
        }
    )


def problems(root: Path) -> list[str]:
    with pytest.raises(BuildFailed) as failed:
        load_site(root, TODAY)
    return [p.render("en").splitlines()[0] for p in failed.value.report.sorted()]


def build(root: Path, out: Path, *more: str) -> Path:
    assert (
        main(["build", "--site", str(root), "--out", str(out), "--today", "2026-04-10", *more]) == 0
    )
    return out


def page(out: Path, path: str) -> str:
    return (out / path).read_text(encoding="utf-8")


# --- honours -----------------------------------------------------------------------------


def test_a_term_s_honours_page_lists_them_highest_level_first(make_site, tmp_path):
    root = make(
        make_site,
        **{"content/honours/librarians.yaml": HONOUR, "content/honours/class.yaml": CLASS_HONOUR},
    )
    site = load_site(root, TODAY)
    assert [(v.id, v.term_id) for v in site.content.of("honour")] == [
        ("class", "2025-2026-2"),
        ("librarians", "2025-2026-2"),
    ]
    html = page(build(root, tmp_path / "out"), "honours/index.html")
    rows = [line for line in html.splitlines() if '<tr id="h-' in line]
    assert rows == ['    <tr id="h-class">', '    <tr id="h-librarians">']  # 区级 before 校级
    assert "<td>陈思远</td>" in html and "<td>三(2)班</td>" in html
    assert '<time datetime="2026-04-30">2026年4月30日</time>' in html
    # each links to the roster and festival that name the same people or classes
    assert '<p class="see"><a href="../rosters/librarians/index.html">小管值日表</a></p>' in html
    assert '<p class="see"><a href="../festivals/science/index.html">科技读书节</a></p>' in html
    # in the menu of every page
    assert '<a href="../honours/index.html">荣誉</a>' in page(
        tmp_path / "out", "rosters/index.html"
    )


def test_rosters_and_festivals_link_to_the_honours_naming_their_people(make_site, tmp_path):
    root = make(
        make_site,
        **{"content/honours/librarians.yaml": HONOUR, "content/honours/class.yaml": CLASS_HONOUR},
    )
    out = build(root, tmp_path / "out")
    roster = page(out, "rosters/librarians/index.html")
    assert (
        '<li><a href="../../honours/index.html#h-librarians">最优小管（校级）：陈思远</a></li>'
        in roster
    )
    assert "优秀读书班级" not in roster
    festival = page(out, "festivals/science/index.html")
    assert (
        '<li><a href="../../honours/index.html#h-class">优秀读书班级（区级）：三(2)班</a></li>'
        in festival
    )
    assert "最优小管" not in festival
    # the link is made from the honour's file: the roster page is planned with it
    site = load_site(root, TODAY)
    from generator.plan.pages import plan

    (job,) = [j for j in plan(site) if j.path == urls.roster("librarians")]
    assert job.sources == {
        "content/rosters/librarians.yaml",
        "content/honours/librarians.yaml",
    }


def test_the_public_build_masks_the_honoured_like_roster_people(make_site, tmp_path):
    other = """\
title: 优秀故事爸妈
level: 校级
term: 2025-2026-2
people:
  - {name: 王丽娟, gender: 女}
  - {name: 刘静, role: 老师}
"""
    pupil = """\
title: 征文比赛三等奖
level: 市级
date: 2026-03-20
people: [{name: 李锦妍, class: 三(2)班}]
"""
    root = make(
        make_site,
        **{
            "content/honours/librarians.yaml": HONOUR,
            "content/honours/parents.yaml": other,
            "content/honours/essay.yaml": pupil,
        },
    )
    out = build(root, tmp_path / "public", "--public")
    html = page(out, "honours/index.html")
    assert "<td>李同学</td>" in html  # a pupil named only here
    assert "<td>陈同学</td>" in html  # on a roster too: the same public form
    assert "<td>王女士、刘静</td>" in html  # a parent (优秀故事爸妈); a teacher's name is public
    everything = "".join(
        p.read_text("utf-8") for p in out.rglob("*") if p.suffix in (".html", ".js", ".ics")
    )
    for name in ("李锦妍", "陈思远", "王丽娟"):
        assert name not in everything
    roster = page(out, "rosters/librarians/index.html")
    assert "最优小管（校级）：陈同学</a>" in roster


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "title: 阅读之星\nlevel: 校级\ndate: 2026-06-26\nterm: 2025-2026-2\npeople: [陈思远]\n",
            "content/honours/bad.yaml:4:7: error E830: the honour '阅读之星' needs one of date "
            "(the day given) or term (the term's id): both are given",
        ),
        (
            "title: 阅读之星\nlevel: 校级\npeople: [陈思远]\n",
            "content/honours/bad.yaml:1:8: error E830: the honour '阅读之星' needs one of date "
            "(the day given) or term (the term's id): neither is given",
        ),
        (
            "title: 阅读之星\nlevel: 校级\nterm: 2025-2026-2\n",
            "content/honours/bad.yaml:1:8: error E831: the honour '阅读之星' names no one: "
            "neither people nor classes",
        ),
        (
            "title: 阅读之星\nlevel: 国家级\nterm: 2025-2026-2\nclasses: [三(1)班]\n",
            "content/honours/bad.yaml:2:8: error E900: '国家级' is not one of the allowed values",
        ),
        (
            "title: 阅读之星\nlevel: 校级\nterm: 2025-2026-3\nclasses: [三(1)班]\n",
            "content/honours/bad.yaml:3:7: error E832: there is no term with the id '2025-2026-3'",
        ),
        (
            "title: 阅读之星\nlevel: 校级\ndate: 2026-09-20\nclasses: [三(1)班]\n",
            "content/honours/bad.yaml:3:7: error E407: 2026-09-20 is not inside any term",
        ),
        (
            "title: 阅读之星\nlevel: 校级\nterm: 2025-2026-2\npeople:\n"
            "  - 陈思远\n  - {name: 刘可馨, class: 三(9)班}\n",
            "content/honours/bad.yaml:6:24: error E408: the class '三(9)班' is not in the class "
            "list of content/site.yaml",
        ),
    ],
)
def test_bad_honour_files_are_reported_at_their_place(make_site, text, expected):
    assert problems(make(make_site, **{"content/honours/bad.yaml": text})) == [expected]


def test_e832_suggests_the_term_meant(make_site):
    root = make(
        make_site,
        **{
            "content/honours/bad.yaml": "title: 阅读之星\nlevel: 校级\nterm: 2025-2026-3\nclasses: [三(1)班]\n"
        },
    )
    with pytest.raises(BuildFailed) as failed:
        load_site(root, TODAY)
    [problem] = failed.value.report.problems
    assert problem.hint("zh") == (
        "是不是想写“2025-2026-2”？term 写 events.yaml 或 content/terms/ 里某个学期的 id，例如 2025-2026-2。"
    )


# --- projects ----------------------------------------------------------------------------


def test_only_the_phases_marked_for_the_calendar_are_in_it(make_site, tmp_path):
    root = make(make_site, **{"content/projects/reading-room.yaml": PROJECT})
    site = load_site(root, TODAY)
    placed = [
        (o.title, o.start.isoformat(), urls.link(o.part_of))
        for o in site.current.occurrences
        if o.part_of and o.part_of.kind == "project"
    ]
    assert placed == [
        (
            "少儿阅览室建设：开放仪式",
            "2026-06-01",
            "projects/reading-room/index.html#phase-4",
        )
    ]
    out = build(root, tmp_path / "out")
    feed = page(out, "calendar.ics")
    assert "SUMMARY:少儿阅览室建设：开放仪式" in feed
    for title in ("整屋物品搬迁", "地面改造", "验收"):
        assert title not in feed
        for month in ("2026-03", "2026-04", "2026-05"):
            assert title not in page(out, f"calendar/{month}/index.html")
    june = page(out, "calendar/2026-06/index.html")
    assert "少儿阅览室建设：开放仪式" in june
    assert "../../projects/reading-room/index.html#phase-4" in june
    html = page(out, "projects/reading-room/index.html")
    assert html.count('<li id="phase-') == 4
    assert '<a class="to-calendar" href="../../calendar/2026-06/index.html#' in html
    assert html.count('class="to-calendar"') == 1  # only the phase on the calendar
    assert '<h1>少儿阅览室建设 <span class="badge">进行中</span></h1>' in html
    index = page(out, "projects/index.html")
    assert "1/4 个阶段已完成" in index


@pytest.mark.parametrize(
    ("phase", "expected"),
    [
        (
            "  - {title: 开放, month: 2026-06, calendar: 是}\n",
            "content/projects/bad.yaml:4:24: error E833: the phase '开放' is to go in the "
            "calendar but gives only a month",
        ),
        (
            "  - {title: 开放, date: 2026-09-30, calendar: 是}\n",
            "content/projects/bad.yaml:4:23: error E407: 2026-09-30 is not inside any term",
        ),
        (
            "  - {title: 开放, date: 2026-06-01, month: 2026-06}\n",
            "content/projects/bad.yaml:4:5: error E214: the date of '开放' is unclear: "
            "given: date, month",
        ),
        (
            "  - {title: 开放, date: 2026-06-01, status: 搞定}\n",
            "content/projects/bad.yaml:4:43: error E900: '搞定' is not one of the allowed values",
        ),
        (
            "  - {title: 开放, date: 2026-06-01, calendar: 也许}\n",
            "content/projects/bad.yaml:4:45: error E213: 'calendar' must be yes or no, not '也许'",
        ),
    ],
)
def test_bad_project_files_are_reported_at_their_place(make_site, phase, expected):
    text = "name: 阅览室\nowner: 储霞\nphases:\n" + phase
    assert problems(make(make_site, **{"content/projects/bad.yaml": text})) == [expected]


def test_the_sample_has_two_honours_and_one_project(tmp_path):
    site_dir = tmp_path / "site"
    site_dir.mkdir()
    copy_sample(site_dir)
    site = load_site(site_dir, TODAY)
    assert [v.honour.title for v in site.content.of("honour")] == [
        "“红色经典”阅读活动三等奖",
        "最优小管",
    ]
    [project] = site.content.of("project")
    assert [(p.title, p.status_name, p.calendar) for p in project.model.phases] == [
        ("整屋物品搬迁", "已完成", False),
        ("地面改造", "进行中", False),
        ("墙面改造与粉刷", "计划中", False),
        ("安全防盗设施", "计划中", False),
        ("书架、图书的考察设计与购置", "进行中", False),
        ("少儿阅览室开放", "计划中", True),
    ]
    assert site.current.term.goals is not None
