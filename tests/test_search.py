"""Search: the index built from the site, and the search page in real Chromium from disk."""

from __future__ import annotations

import json
import re
import shutil
from datetime import date
from pathlib import Path
from urllib.parse import quote, urlsplit

import pytest
from conftest import MINIMAL_EVENTS, copy_sample, tree

from benchmarks.synthetic import generate
from generator.cli import main
from generator.pipeline import load_site
from generator.render.search_index import SearchEntry, search_entries, search_index

TODAY = "2026-04-10"
SAMPLE_BUDGET = 1_000_000  # bytes

SMALL_SITE = {
    "events.yaml": MINIMAL_EVENTS
    + """\
  - title: 新书上架
    week: 3
    category: routine
  - title: 图书整理
    month: 2026-03
    category: routine
    description: |
      把**绘本区**整理好，
      再贴标签。
  - title: <b>Open Day</b>
    date: 2026-03-02
    location: 图书馆
    owner: 王老师
recurring:
  - title: 午间故事会
    weekdays: [周三]
    from: 2026-03-04
    to: 2026-03-18
    category: story
""",
    "content/festivals/spring.yaml": """\
name: 春季读书节
theme: 阅读点亮童年
from: 2026-04-01
to: 2026-04-30
organisers: [大队部]
stages:
  - title: 启动仪式
    date: 2026-04-01
    location: 操场
    owner: 陈敏
results:
  - title: 一等奖
    winners: [李小明]
""",
    "content/rosters/parents.yaml": """\
name: 故事爸妈团
kind: story_parents
owner: 储霞
people:
  - name: 张三妈妈
  - name: 李四爸爸
    public: 否
themes:
  - month: 2026-03
    theme: 动物
sessions:
  - date: 2026-03-13
    person: 张三妈妈
    class: 一(1)班
    title: 好饿的毛毛虫
  - date: 2026-03-20
    person: 李四爸爸
""",
    "content/displays/animals.yaml": """\
title: 动物朋友
from: 2026-03-02
to: 2026-03-27
location: 门厅
curator: 储霞
books:
  - title: 恐龙大百科
    author: Dougal Dixon
""",
    "content/pages/hours.md": "---\ntitle: 开放时间\nsummary: 每天几点开\n---\n"
    "| 时间 | 对象 |\n| --- | --- |\n| 12:20 | 全校 |\n",
    "content/news/2026-03-01-open.md": "---\ntitle: 图书馆开学啦\ndate: 2026-03-01\n"
    "tags: [开学]\n---\n新学期开馆。\n",
}

SMALL_ENTRIES = [
    SearchEntry("page", "开放时间", "hours/index.html", "", "每天几点开", "时间 对象 12:20 全校"),
    SearchEntry(
        "festival",
        "春季读书节",
        "festivals/spring/index.html",
        "2026年4月1日–4月30日",
        "阅读点亮童年 大队部",
        "一等奖",
    ),
    SearchEntry(
        "stage",
        "启动仪式",
        "festivals/spring/index.html#stage-1",
        "春季读书节 · 2026年4月1日",
        "操场",
    ),
    SearchEntry(
        "roster", "故事爸妈团", "rosters/parents/index.html", "故事爸妈团", "故事爸妈团 动物"
    ),
    SearchEntry(
        "session",
        "好饿的毛毛虫",
        "rosters/parents/index.html#s-20260313-1",
        "故事爸妈团 2026年3月13日 一(1)班",
        "动物",
    ),
    SearchEntry(
        "display", "动物朋友", "displays/animals/index.html", "2026年3月2日–3月27日 门厅", "门厅"
    ),
    SearchEntry(
        "book", "恐龙大百科", "displays/animals/index.html#book-1", "动物朋友", "Dougal Dixon"
    ),
    SearchEntry(
        "news",
        "图书馆开学啦",
        "news/2026-03-01-open/index.html",
        "2026年3月1日",
        "开学",
        "新学期开馆。",
    ),
    SearchEntry(
        "event",
        "开馆准备",
        "calendar/2026-02/index.html#e20260224-22cab4",
        "2026年2月24日 周二 · 2025学年第二学期",
        "常规",
    ),
    SearchEntry(
        "event",
        "<b>Open Day</b>",
        "calendar/2026-03/index.html#e20260302-8d09de",
        "2026年3月2日 周一 · 2025学年第二学期",
        "活动 图书馆",
    ),
    SearchEntry(
        "event",
        "午间故事会",
        "calendar/2026-03/index.html#e20260304-5027f9",
        "每周三 2026年3月4日–3月18日 · 2025学年第二学期",
        "故事",
    ),
    SearchEntry(
        "event",
        "新书上架",
        "calendar/2026-03/index.html#e20260309-1e98e7",
        "第3周（整周） · 2025学年第二学期",
        "常规",
    ),
    SearchEntry(
        "month",
        "图书整理",
        "calendar/2026-03/index.html#m20260301-aa2355",
        "2026年3月 · 2025学年第二学期",
        "常规",
        "把绘本区整理好，再贴标签。",
    ),
]


def build(site: Path, out: Path) -> None:
    assert main(["build", "--site", str(site), "--out", str(out), "--today", TODAY]) == 0


def index_data(raw: bytes) -> dict:
    text = raw.decode("utf-8")
    assert text.startswith("window.LIBRARY_SEARCH=")
    assert text.endswith(";\n")
    return json.loads(text[len("window.LIBRARY_SEARCH=") : -2])


def ids_in(html: str) -> set[str]:
    return set(re.findall(r'\bid="([^"]+)"', html))


# --- the index -------------------------------------------------------------------------


def test_index_entries_of_a_small_site(make_site):
    site = load_site(make_site(SMALL_SITE), date.fromisoformat(TODAY))
    assert search_entries(site) == SMALL_ENTRIES


def test_no_person_is_indexed(make_site):
    raw = search_index(load_site(make_site(SMALL_SITE), date.fromisoformat(TODAY)))
    text = raw.decode("utf-8")
    for name in ("张三妈妈", "李四爸爸", "储霞", "陈敏", "王老师", "李小明"):
        assert name not in text


def test_every_index_link_opens_a_page_with_that_anchor(make_site, tmp_path):
    build(make_site(SMALL_SITE), tmp_path / "out")
    data = index_data((tmp_path / "out" / "search-index.js").read_bytes())
    assert len(data["items"]) == len(SMALL_ENTRIES)
    for item in data["items"]:
        path, _, anchor = item[2].partition("#")
        html = (tmp_path / "out" / path).read_text(encoding="utf-8")
        assert not anchor or anchor in ids_in(html), item[2]


def test_the_sample_index_has_these_entries_and_fits_the_budget(tmp_path):
    site = tmp_path / "site"  # a copy, not the checkout: a build writes <site>/.cache
    site.mkdir()
    copy_sample(site)
    build(site, tmp_path / "out")
    raw = (tmp_path / "out" / "search-index.js").read_bytes()
    assert len(raw) < SAMPLE_BUDGET
    items = index_data(raw)["items"]
    assert len(items) == 133  # 24 of them the classes, 1 the loan statistics, 1 the project
    assert [
        "book",
        "The Magic School Bus at the Waterworks",
        "displays/science-future/index.html#book-5",
        "科技创造未来",
        "Joanna Cole 0-590-40360-5 H319.4/1",
        "",
    ] in items
    assert [
        "stage",
        "科技读书节启动仪式",
        "festivals/science-2026/index.html#stage-1",
        "2026年科技读书节 · 2026年4月1日",
        "操场 全校",
        "升旗仪式后举行。公布读书节活动安排： 全员科技体验活动 第三届“小牛顿”科普知识竞赛 "
        "科技主题班级读书会 主题展示“科技创造未来”",
    ] in items
    assert [
        "event",
        "新小管值日培训",
        "terms/2025-2026-1/calendar/2025-09/index.html#e20250918-1fe428",
        "每周四 2025年9月18日–10月16日 · 2025学年第一学期",
        "培训 图书馆 三年级新小管",
        "",
    ] in items
    # a session with a story title; the person reading it is not in the index
    assert [
        "session",
        "神奇校车：水的故事",
        "rosters/story-parents/index.html#s-20260410-1",
        "故事爸妈团（第二轮） 2026年4月10日 一(4)班",
        "科技",
        "",
    ] in items
    for item in items:
        path, _, anchor = item[2].partition("#")
        html = (tmp_path / "out" / path).read_text(encoding="utf-8")
        assert not anchor or anchor in ids_in(html), item[2]


def test_the_index_is_byte_identical_across_builds(make_site, tmp_path):
    site = make_site(SMALL_SITE)
    build(site, tmp_path / "a")
    build(site, tmp_path / "b")
    first, second = tree(tmp_path / "a"), tree(tmp_path / "b")
    assert first["search-index.js"] == second["search-index.js"]
    assert "search/index.html" in first


# --- the page, in Chromium from disk ---------------------------------------------------


@pytest.fixture(scope="module")
def sample_out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    site = tmp_path_factory.mktemp("sample")
    copy_sample(site)
    out = tmp_path_factory.mktemp("built") / "站点 public"
    build(site, out)
    return out


def open_search(browser, out: Path, query: str):
    context = browser.new_context()
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.route("**/*", lambda r: r.continue_() if r.request.url.startswith("file:") else r.abort())
    page.goto((out / "search" / "index.html").as_uri() + "?q=" + quote(query))
    return context, page, errors


def found(page, query: str) -> list[list[str]]:
    return page.evaluate(
        "q => LibrarySearch.search(q).map(h => [h.item.kind, h.item.title])", query
    )


@pytest.mark.browser
def test_chinese_substrings_authors_and_ascii_case(browser, sample_out):
    context, page, errors = open_search(browser, sample_out, "读书")
    assert found(page, "读书")[:3] == [
        ["festival", "2026年科技读书节"],
        ["stage", "科技读书节启动仪式"],
        ["stage", "科技读书节全员体验活动"],
    ]
    assert len(found(page, "读书")) == 23  # the project too (爱读书)
    # part of an author's name finds the display's book
    assert found(page, "柯尔") == [["book", "神奇校车·图画书版"]]
    magic = [["book", "The Magic School Bus at the Waterworks"]]
    assert found(page, "magic SCHOOL") == magic
    assert found(page, "JOANNA cole") == magic
    assert found(page, "恐龙") == []
    context.close()
    assert errors == []


@pytest.mark.browser
def test_title_matches_rank_before_keyword_and_body_matches(browser, sample_out):
    context, page, errors = open_search(browser, sample_out, "义工")
    # in index order the page 图书馆工作职责 (body: 家长义工) comes first
    assert found(page, "义工") == [
        ["stage", "世界读书日：校长为图书馆当一天义工"],  # title
        ["month", "家长义工排班调整"],
        ["month", "家长义工招募与排班"],
        ["page", "图书馆工作职责"],  # keywords (its summary)
        ["event", "师生家长现场挑选图书"],  # keywords (audience)
        ["page", "开放时间"],  # body
    ]
    assert page.locator("#search-status").inner_text() == "找到 6 条结果。"
    context.close()
    assert errors == []


@pytest.mark.browser
def test_results_show_teacher_text_as_text_with_marks(browser, make_site, tmp_path):
    out = tmp_path / "out"
    build(make_site(SMALL_SITE), out)
    context, page, errors = open_search(browser, out, "open")
    link = page.locator("#search-results a")
    assert link.count() == 1
    assert link.inner_text() == "<b>Open Day</b>"
    assert link.locator("b").count() == 0
    assert link.locator("mark").all_inner_texts() == ["Open"]
    assert link.get_attribute("href") == "../calendar/2026-03/index.html#e20260302-8d09de"
    context.close()
    assert errors == []


@pytest.mark.browser
@pytest.mark.slow
def test_from_the_home_page_box_to_the_exact_item(browser, sample_out):
    context = browser.new_context()
    page = context.new_page()
    page.goto((sample_out / "index.html").as_uri())
    page.get_by_role("search", name="全站搜索").get_by_role("searchbox").fill("揭秘")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert urlsplit(page.url).path.endswith("/search/index.html")
    assert page.locator("#search-q").input_value() == "揭秘"
    assert page.locator("#search-status").inner_text() == "找到 1 条结果。"
    assert page.locator("#search-results mark").all_inner_texts() == ["揭秘"]
    # keyboard: ↓ from the box to the first result, Enter follows it
    page.locator("#search-q").focus()
    page.keyboard.press("ArrowDown")
    assert page.evaluate("document.activeElement.textContent") == "揭秘职业"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url == (sample_out / "displays" / "careers" / "index.html").as_uri() + "#book-1"
    assert page.locator("#book-1").inner_text().startswith("《揭秘职业》")
    context.close()


@pytest.mark.browser
def test_arrow_keys_move_between_results(browser, sample_out):
    context, page, errors = open_search(browser, sample_out, "义工")
    page.locator("#search-q").focus()
    titles = []
    for key in ("ArrowDown", "ArrowDown", "ArrowDown", "ArrowUp", "End", "Home", "ArrowUp"):
        page.keyboard.press(key)
        titles.append(page.evaluate("(e => e.id || e.textContent)(document.activeElement)"))
    assert titles == [
        "世界读书日：校长为图书馆当一天义工",
        "家长义工排班调整",
        "家长义工招募与排班",
        "家长义工排班调整",
        "开放时间",
        "世界读书日：校长为图书馆当一天义工",
        "search-q",  # back in the box
    ]
    context.close()
    assert errors == []


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.parametrize("media", ["screen", "print"])
def test_no_axe_violations_with_results_shown(browser, sample_out, media):
    from axe_playwright_python.base import AXE_FILE_PATH

    context, page, errors = open_search(browser, sample_out, "科技")
    assert page.locator("#search-results li").count() > 5
    page.emulate_media(media=media)
    page.evaluate(AXE_FILE_PATH.read_text(encoding="utf-8"))
    result = page.evaluate(
        "opts => axe.run(document, opts)",
        {
            "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
            "resultTypes": ["violations"],
        },
    )
    assert [v["id"] for v in result["violations"]] == []
    context.close()
    assert errors == []


@pytest.mark.browser
@pytest.mark.slow
def test_a_20_term_archive_is_searched_whole(browser, sample_out, tmp_path):
    """All of a big index is searched, term by term. How fast: benchmarks/search_latency.py
    (`python -m benchmarks.run` reports it for the archive corpus), not a timed test."""
    corpus = generate(tmp_path / "archive", terms=20, events=500)
    raw = search_index(load_site(corpus, date.fromisoformat(TODAY)))
    out = tmp_path / "out"
    shutil.copytree(sample_out, out)
    (out / "search-index.js").write_bytes(raw)
    context, page, errors = open_search(browser, out, "")
    assert page.evaluate("LIBRARY_SEARCH.items.length") == 10_133
    # Each of the 20 terms has events 第1项…第500项, their topics in turn (benchmarks/synthetic.py)
    assert found(page, "第123项") == [["event", "小管培训（第123项）"]] * 20
    assert len(found(page, "小管培训")) == 50 * 20 + 1  # and the sample's 三年级小管培训
    assert len(found(page, "（第4")) == (1 + 10 + 100) * 20  # 第4, 第40–49, 第400–499
    assert found(page, "恐龙") == []
    context.close()
    assert errors == []


def test_the_index_in_pieces_of_any_size_is_the_same_script(make_site, monkeypatch):
    # written a piece at a time as it is made: the pieces' commas fall between items, and
    # between a kind's part and the next, whatever the pieces' size
    from generator.render import search_index as module

    site = load_site(make_site(SMALL_SITE), date.fromisoformat(TODAY))
    whole = search_index(site)
    pieces = list(module.search_index_parts(site))
    monkeypatch.setattr(module, "PIECE_BYTES", 1)  # every item a piece of its own
    single = list(module.search_index_parts(site))
    assert b"".join(single) == whole
    assert len(single) > len(pieces)
    assert [item[1] for item in index_data(whole)["items"]] == [e.title for e in SMALL_ENTRIES]
