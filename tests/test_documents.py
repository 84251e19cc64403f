"""The term's 工作计划 and 工作总结: made from the calendar, the festivals, rosters, honours
and projects, as a page and as a .docx that python-docx reads back with Word's own styles,
byte for byte the same across builds; and the pages print on A4 portrait in Chromium."""

from __future__ import annotations

import io
from pathlib import Path

import docx
import pytest
from conftest import MINIMAL_EVENTS, copy_sample
from docx.oxml.ns import qn
from pypdf import PdfReader

from generator.cli import main

EVENTS = (
    MINIMAL_EVENTS.replace(
        "  last_day: 2026-07-03\n",
        "  last_day: 2026-07-03\n  goals: |\n    把阅读活动和学校的各项工作相结合。\n\n    在老师中间推广阅读。\n",
    )
    + """\
    owner: 储霞
  - title: 部分新书录入、上架
    month: 2026-02
    owner: 储霞
  - title: 挑选班级图书角图书
    month: 2026-02
  - title: 入馆礼仪整顿
    week: 1
  - title: 召开“小管”会议
    date: 2026-02-26
    owner: [储霞, 刘静]
  - title: 与教导处商定阅读融入智慧课堂
    date: 2026-03-10
    owner: 李芳
  - title: 为儿童哲学教学研究提供资源支持
    month: 2026-03
recurring:
  - title: 午间故事会
    weekdays: [周三]
    from: 2026-03-04
    to: 2026-03-25
    category: story
"""
)
SETTINGS = """\
school: 测试小学
library: 测试书屋
classes: [一(1)班, 一(2)班]
"""
FESTIVAL = """\
name: 科技读书节
from: 2026-03-16
to: 2026-03-20
stages:
  - {title: 启动仪式, date: 2026-03-16, owner: 陈敏}
  - {title: 擂台赛, from: 2026-03-18, to: 2026-03-19}
results:
  - {title: 擂台赛一等奖, winners: [一(2)班]}
"""
ROSTER = """\
name: 故事爸妈团（第二轮）
kind: story_parents
owner: 储霞
rota:
  - weekdays: [周五]
    from: 2026-03-06
    to: 2026-03-27
    classes: [一(1)班, 一(2)班]
"""
HONOUR = """\
title: 最优小管
level: 校级
date: 2026-03-20
classes: [一(1)班]
giver: 测试小学
"""
PROJECT = """\
name: 少儿阅览室建设
owner: 储霞
phases:
  - {title: 整屋物品搬迁, from: 2026-03-09, to: 2026-03-13, status: 已完成}
  - {title: 地面改造, month: 2026-04, status: 进行中, owner: 总务处}
notes:
  - {date: 2026-03-13, text: 物品已全部搬出。}
"""
TODAY = "2026-03-31"

PLAN = [
    ("Title", "测试书屋2025学年第二学期工作计划"),
    ("Subtitle", "测试小学"),
    ("Heading 1", "一、工作目标"),
    ("Normal", "把阅读活动和学校的各项工作相结合。"),
    ("Normal", "在老师中间推广阅读。"),
    ("Heading 1", "二、每月工作"),
    ("Heading 2", "二月份："),
    ("List Number", "第1周：入馆礼仪整顿"),
    ("List Number", "2月24日：开馆准备（储霞负责）"),
    ("List Number", "2月26日：召开“小管”会议（储霞、刘静负责）"),
    ("Normal", "本月工作："),
    ("List Number", "部分新书录入、上架（储霞负责）"),
    ("List Number", "挑选班级图书角图书"),
    ("Heading 2", "三月份："),
    ("List Number", "每周三：午间故事会"),
    ("List Number", "3月10日：与教导处商定阅读融入智慧课堂（李芳负责）"),
    ("List Number", "3月16日：启动仪式（陈敏负责）"),
    ("List Number", "3月18日—3月19日：擂台赛"),
    ("Normal", "本月工作："),
    ("List Number", "为儿童哲学教学研究提供资源支持"),
    ("Heading 1", "三、读书节"),
    ("Heading 2", "科技读书节"),
    ("Normal", "3月16日—3月20日"),
    ("List Number", "3月16日：启动仪式（陈敏负责）"),
    ("List Number", "3月18日—3月19日：擂台赛"),
    ("Heading 1", "四、名单与轮值"),
    ("Heading 2", "故事爸妈团（第二轮）"),
    ("Normal", "故事爸妈团，负责：储霞，共 4 场"),
    ("List Number", "3月6日—3月27日，周五，4 场"),
    ("Heading 1", "五、项目"),
    ("Heading 2", "少儿阅览室建设"),
    ("Normal", "进行中，负责：储霞"),
    ("List Number", "3月9日—3月13日：整屋物品搬迁（已完成）"),
    ("List Number", "四月：地面改造（进行中，总务处负责）"),
]


def make(make_site, project: str = PROJECT) -> Path:
    return make_site(
        {
            "events.yaml": EVENTS,
            "content/site.yaml": SETTINGS,
            "content/festivals/science.yaml": FESTIVAL,
            "content/rosters/story.yaml": ROSTER,
            "content/honours/librarians.yaml": HONOUR,
            "content/projects/room.yaml": project,
        }
    )


def build(root: Path, out: Path, today: str = TODAY) -> Path:
    assert main(["build", "--site", str(root), "--out", str(out), "--today", today]) == 0
    return out


def paragraphs(path: Path) -> list[tuple[str, str]]:
    return [(p.style.name, p.text) for p in docx.Document(str(path)).paragraphs]


def test_the_plan_docx_has_the_headings_and_items_in_the_calendar_s_order(make_site, tmp_path):
    out = build(make(make_site), tmp_path / "out")
    path = out / "work-plan/work-plan-2025-2026-2.docx"
    assert paragraphs(path) == PLAN
    # the page shows the same document
    html = (out / "work-plan/index.html").read_text("utf-8")
    assert "<h3>二月份：</h3>" in html
    assert '<ol class="doc-items" start="4"><li>部分新书录入、上架（储霞负责）</li>' in html
    assert '<a href="work-plan-2025-2026-2.docx" download>' in html


def test_each_list_is_numbered_by_word_from_its_own_start(make_site, tmp_path):
    """Real Word numbering (1、2、…), a new instance per list: February's 本月工作 goes on
    from 4, March's list starts again at 1."""
    out = build(make(make_site), tmp_path / "out")
    document = docx.Document(str(out / "work-plan/work-plan-2025-2026-2.docx"))
    numbering = document.part.numbering_part.element
    starts = {
        n.get(qn("w:numId")): n.find(qn("w:lvlOverride"))
        .find(qn("w:startOverride"))
        .get(qn("w:val"))
        for n in numbering.findall(qn("w:num"))
        if n.find(qn("w:lvlOverride")) is not None
    }
    lists: list[tuple[str, str]] = []
    for p in document.paragraphs:
        num = p._p.pPr.numPr if p._p.pPr is not None else None
        if num is not None:
            num_id = num.numId.val
            if not lists or lists[-1][0] != str(num_id):
                lists.append((str(num_id), starts[str(num_id)]))
    assert [start for _, start in lists] == ["1", "4", "1", "5", "1", "1", "1"]
    assert len({num_id for num_id, _ in lists}) == len(lists)
    texts = {
        lvl.find(qn("w:lvlText")).get(qn("w:val"))
        for a in numbering.findall(qn("w:abstractNum"))
        if a.get(qn("w:abstractNumId")) == "90"
        for lvl in a.findall(qn("w:lvl"))
    }
    assert texts == {"%1、"}
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    props = document.core_properties
    assert (props.title, props.author, props.created.date().isoformat()) == (
        "测试书屋2025学年第二学期工作计划",
        "测试书屋",
        TODAY,
    )


def test_the_summary_says_what_was_held_by_the_build_date(make_site, tmp_path):
    out = build(make(make_site), tmp_path / "out")
    path = out / "work-summary/work-summary-2025-2026-2.docx"
    document = docx.Document(str(path))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert headings == [
        "一、开展的工作",
        "二月份：",
        "三月份：",
        "二、读书节",
        "科技读书节",
        "三、名单与场次",
        "四、荣誉",
        "五、项目进展",
        "少儿阅览室建设",
    ]
    tables = [[[c.text for c in row.cells] for row in t.rows] for t in document.tables]
    assert tables == [
        [
            ["月份", "常规", "活动", "读书节", "故事", "合计"],
            ["二月份", "1", "2", "0", "0", "3"],
            ["三月份", "0", "1", "2", "8", "11"],  # 8 stories: 4 故事会, 4 story sessions
            ["合计", "1", "3", "2", "8", "14"],
        ],
        [["奖项", "获奖"], ["擂台赛一等奖", "一(2)班"]],
        [
            ["名单", "种类", "已进行", "本学期共", "负责人"],
            ["故事爸妈团（第二轮）", "故事爸妈团", "4", "4", "储霞"],
        ],
        [
            ["荣誉", "级别", "获奖", "颁发", "日期"],
            ["最优小管", "校级", "一(1)班", "测试小学", "3月20日"],
        ],
    ]
    items = [p.text for p in document.paragraphs if p.style.name == "List Number"]
    assert "每周三：午间故事会（4 次）" in items
    assert "3月13日：物品已全部搬出。" in items
    assert all(t.style.name == "Table Grid" for t in document.tables)
    assert [p.text for p in document.paragraphs if p.text.startswith("截至")] == ["截至3月31日："]


def test_the_next_term_s_dates_close_an_archived_term_s_summary(make_site, tmp_path):
    root = make(make_site)
    (root / "content/terms").mkdir()
    (root / "content/terms/2025-2026-1.yaml").write_text(
        "term:\n  id: 2025-2026-1\n  name: 2025学年第一学期\n"
        "  first_day: 2025-09-01\n  last_day: 2026-01-23\n",
        encoding="utf-8",
    )
    out = build(root, tmp_path / "out")
    path = out / "terms/2025-2026-1/work-summary/work-summary-2025-2026-1.docx"
    assert paragraphs(path)[-2:] == [
        ("Heading 1", "一、下学期"),
        ("Normal", "2025学年第二学期：2026年2月24日开学，2026年7月3日结束。"),
    ]


def test_the_docx_bytes_are_the_same_across_builds(make_site, tmp_path):
    root = make(make_site)
    first = build(root, tmp_path / "one")
    (root / ".cache").exists() and __import__("shutil").rmtree(root / ".cache")
    second = build(root, tmp_path / "two")
    for name in (
        "work-plan/work-plan-2025-2026-2.docx",
        "work-summary/work-summary-2025-2026-2.docx",
    ):
        a, b = (first / name).read_bytes(), (second / name).read_bytes()
        assert a == b
        assert a[:2] == b"PK" and len(a) > 20_000
    # another build date is another document: the summary counts what was held by then
    later = build(root, tmp_path / "three", "2026-06-30")
    name = "work-summary/work-summary-2025-2026-2.docx"
    assert (later / name).read_bytes() != (first / name).read_bytes()


def test_the_stats_hook_adds_its_section_when_a_stats_kind_is_there(make_site):
    from dataclasses import replace

    from generator.assemble.site import Site
    from generator.pipeline import load_site
    from generator.plan import documents

    root = make(make_site)
    site: Site = load_site(root, __import__("datetime").date(2026, 3, 31))

    class Stats:
        name = "stats"

        def work_summary(self, site, term):
            return "借阅统计", [documents.Table(("班级", "借阅"), (("一(1)班", "120"),))]

    with_stats = replace(site, kinds=(*(k for k in site.kinds if k.name != "stats"), Stats()))
    blocks = documents.work_summary(with_stats, site.current).blocks
    headings = [b.text for b in blocks if isinstance(b, documents.Heading) and b.level == 1]
    assert headings[-1] == "六、借阅统计"
    assert blocks[-1] == documents.Table(("班级", "借阅"), (("一(1)班", "120"),))
    without = documents.work_summary(site, site.current).blocks
    assert [b.text for b in without if isinstance(b, documents.Heading) and b.level == 1][-1] == (
        "五、项目进展"
    )


# --- print -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def sample_out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    site = tmp_path_factory.mktemp("docs") / "site"
    site.mkdir()
    copy_sample(site)
    assert main(["build", "--site", str(site), "--today", "2026-04-10"]) == 0
    return site / "public"


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.parametrize("page", ["work-plan/index.html", "work-summary/index.html"])
def test_the_document_pages_print_on_a4_portrait(browser, sample_out, page):
    tab = browser.new_page()
    try:
        tab.goto((sample_out / page).as_uri())
        pdf = tab.pdf(prefer_css_page_size=True, print_background=True)
        tab.emulate_media(media="print")
        hidden = tab.evaluate(
            "() => [...document.querySelectorAll('.site-header, .document-links')]"
            ".map(e => getComputedStyle(e).display)"
        )
        wide = tab.evaluate(
            "() => [...document.querySelectorAll('.document *')]"
            ".filter(e => e.scrollWidth > e.clientWidth + 1 && e.clientWidth > 0).length"
        )
    finally:
        tab.close()
    sheets = [
        (round(float(p.mediabox.width)), round(float(p.mediabox.height)))
        for p in PdfReader(io.BytesIO(pdf)).pages
    ]
    assert sheets and set(sheets) == {(595, 842)}
    assert hidden == ["none", "none"]
    assert wide == 0


# --- made once, kept while what they show is the same (performance issue 21) -----------------


@pytest.fixture
def counted(monkeypatch):
    """What the documents' builders and the .docx writer were asked to make, in this process:
    ("plan" | "summary", term id) and ("docx", title)."""
    from generator.plan import documents
    from generator.render import docx as writer

    made: list[tuple[str, str]] = []

    def count(kind, make):
        def counting(arg, *rest):
            made.append((kind, arg.term.term.id if kind != "docx" else arg.title))
            return make(arg, *rest)

        return counting

    monkeypatch.setattr(documents, "_work_plan", count("plan", documents._work_plan))
    monkeypatch.setattr(documents, "_work_summary", count("summary", documents._work_summary))
    monkeypatch.setattr(writer, "docx_bytes", count("docx", writer.docx_bytes))
    return made


def _preview(tmp_path):
    from datetime import date

    from generator.serve.preview import Preview

    site = tmp_path / "site"
    site.mkdir()
    copy_sample(site)
    preview = Preview(site, tmp_path / "preview", date(2026, 3, 31))
    return site, preview


def _docx_files(out: Path) -> dict[str, bytes]:
    return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*.docx"))}


def test_the_preview_makes_again_only_the_edited_term_s_documents(tmp_path, counted):
    from generator.serve.watch import Change, ChangeKind

    site, preview = _preview(tmp_path)
    preview.build()
    # a full build: each term's two documents once, for its pages and its .docx alike
    assert sorted(counted) == sorted(
        [(k, t) for k in ("plan", "summary") for t in ("2025-2026-1", "2025-2026-2")]
        + [("docx", d.title) for d in _titles(preview)]
    )
    before = _docx_files(tmp_path / "preview")
    counted.clear()
    events = site / "events.yaml"
    events.write_text(
        events.read_text("utf-8").replace("title: 开馆准备", "title: 开馆准备工作", 1),
        encoding="utf-8",
    )
    preview.build({Change(ChangeKind.DATA, "events.yaml")})
    current = "2025-2026-2"
    assert sorted(k for k in counted if k[0] != "docx") == [("plan", current), ("summary", current)]
    assert sorted(k[1] for k in counted if k[0] == "docx") == [
        "星光小学图书馆2025学年第二学期工作总结",
        "星光小学图书馆2025学年第二学期工作计划",
    ]
    after = _docx_files(tmp_path / "preview")
    assert {p for p in after if after[p] != before[p]} == {
        "work-plan/work-plan-2025-2026-2.docx",
        "work-summary/work-summary-2025-2026-2.docx",
    }


def _titles(preview):
    from generator.plan import documents

    site = preview.site
    return [d for t in site.terms for d in documents.made(documents.shown(site, t))]


def test_an_honour_edit_makes_the_summary_again_and_only_its_docx(tmp_path, counted):
    from generator.serve.watch import Change, ChangeKind

    site, preview = _preview(tmp_path)
    preview.build()
    before = _docx_files(tmp_path / "preview")
    counted.clear()
    name = "content/honours/2026-spring-best-librarians.yaml"
    honour = site / name
    honour.write_text(
        honour.read_text("utf-8").replace("title: 最优小管", "title: 最优秀小管"), encoding="utf-8"
    )
    preview.build({Change(ChangeKind.DATA, name)})
    # the honour is the current term's: its documents are made again (they are kept as a
    # pair), the plan's .docx is the same document and is not written again
    current = "2025-2026-2"
    assert sorted(k for k in counted if k[0] != "docx") == [("plan", current), ("summary", current)]
    assert [k[0] for k in counted if k[0] == "docx"] == ["docx"]
    after = _docx_files(tmp_path / "preview")
    assert {p for p in after if after[p] != before[p]} == {
        "work-summary/work-summary-2025-2026-2.docx"
    }
    summary = docx.Document(str(tmp_path / "preview/work-summary/work-summary-2025-2026-2.docx"))
    cells = [c.text for t in summary.tables for row in t.rows for c in row.cells]
    assert "最优秀小管" in cells and "最优小管" not in cells


def test_a_build_makes_each_document_once_and_its_workers_write_the_docx(tmp_path, counted):
    from datetime import date

    from generator.pipeline import build as build_site

    site = tmp_path / "site"
    site.mkdir()
    copy_sample(site)
    build_site(site, tmp_path / "one", date(2026, 3, 31), workers=1, use_cache=False)
    terms = ("2025-2026-1", "2025-2026-2")
    assert sorted(k for k in counted if k[0] != "docx") == sorted(
        (k, t) for k in ("plan", "summary") for t in terms
    )
    assert len([k for k in counted if k[0] == "docx"]) == 4
    counted.clear()
    build_site(site, tmp_path / "two", date(2026, 3, 31), workers=2)
    # the models are made here, for the pages; the .docx by the two workers, not here
    assert [k for k in counted if k[0] == "docx"] == []
    one, two = _docx_files(tmp_path / "one"), _docx_files(tmp_path / "two")
    assert len(one) == 4 and one == two
    for data in two.values():
        docx.Document(io.BytesIO(data))  # python-docx reads it back


def test_the_blank_word_document_is_kept_in_the_users_folder_by_what_made_it(tmp_path, monkeypatch):
    import zlib
    from datetime import date

    from generator import cache
    from generator.pipeline import build as build_site

    user = tmp_path / "user"
    monkeypatch.setenv(cache.USER_CACHE_ENV, str(user))
    site = tmp_path / "site"
    site.mkdir()
    copy_sample(site)
    build_site(site, tmp_path / "no-cache", date(2026, 3, 31), use_cache=False)
    assert not user.exists()  # a build without a cache keeps nothing, here either
    build_site(site, tmp_path / "out", date(2026, 3, 31))
    kept = cache.docx_skeletons()
    assert kept is not None and sorted(p.name for p in kept.iterdir()) == ["skeleton.pickle"]
    assert _docx_files(tmp_path / "out") == _docx_files(tmp_path / "no-cache")
    # another zlib deflates otherwise: its skeleton is another one
    monkeypatch.setattr(zlib, "ZLIB_RUNTIME_VERSION", "0.0-other")
    assert cache.docx_skeletons() not in (None, kept)
