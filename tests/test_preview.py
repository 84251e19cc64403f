"""serve's incremental build: change classification and the dependency map."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from conftest import tree

from benchmarks.synthetic import archive_corpus
from generator import pipeline
from generator.plan import pages as pages_plan
from generator.problems.problem import BuildFailed
from generator.serve.preview import Preview
from generator.serve.watch import Change, ChangeKind, classify_change

TODAY = date(2026, 3, 10)
ROOT = Path("/site")
THEMES = (Path("/site/themes/xingguang"), Path("/site/themes/default"))

CURRENT_PAGES = {
    "index.html",
    "terms/index.html",
    "calendar/index.html",
    "calendar/print/index.html",
    "calendar/print-large/index.html",
    "agenda/index.html",
    *(f"calendar/2026-0{m}/index.html" for m in range(2, 9)),  # to the summer's August
    *(f"calendar/week/{n:02d}/index.html" for n in range(1, 20)),  # 本周安排, 19 weeks
    "work-plan/index.html",  # the term's documents show its calendar
    "work-summary/index.html",
}
ARCHIVE_PAGES = {
    "terms/2025-2026-1/calendar/index.html",
    "terms/2025-2026-1/calendar/print/index.html",
    "terms/2025-2026-1/calendar/print-large/index.html",
    "terms/2025-2026-1/agenda/index.html",
    *(
        f"terms/2025-2026-1/calendar/{m}/index.html"
        for m in ("2025-09", "2025-10", "2025-11", "2025-12", "2026-01", "2026-02")  # 寒假
    ),
    *(f"terms/2025-2026-1/calendar/week/{n:02d}/index.html" for n in range(1, 22)),
    "terms/2025-2026-1/work-plan/index.html",
    "terms/2025-2026-1/work-summary/index.html",
}
# Festival, roster and display pages list the calendar items that name them; these three
# list items of the current term (events.yaml).
LINKED_PAGES = {
    "festivals/science-2026/index.html",
    "rosters/librarians/index.html",
    "rosters/story-parents/index.html",
    "rosters/story-parents/slips/index.html",  # its sessions' dates, as the term decides them
    "displays/careers/index.html",
    "displays/science-future/index.html",
}
OTHER_PAGES = {
    "404.html",
    "festivals/index.html",
    "rosters/index.html",
    "displays/index.html",
    "news/index.html",
    "news/2026-03-20-reading-award/index.html",
    "news/2026-04-01-festival-opening/index.html",
    "news/tags/t-525588eb/index.html",
    "news/tags/t-c00da5c4/index.html",
    "news/tags/t-da3c4cb2/index.html",
    "rules/index.html",
    "hours/index.html",
    "library-card/index.html",
    "duties/index.html",
    "search/index.html",
    "honours/index.html",
    "projects/index.html",
    "projects/children-reading-room/index.html",
}
NAMING_CURRENT = LINKED_PAGES - {
    "displays/careers/index.html",
    "displays/science-future/index.html",
}
# The list of rosters shows each roster's number of sessions, which the closures and 调休
# of the term decide: it shows a part of every term file a roster falls in.
# Class pages: grades 1 to 4 show items of events.yaml (for their grade), 5 and 6 none.
CLASS_PAGES = {
    "classes/index.html",
    *(f"classes/{g}-{n}/index.html" for g in range(1, 7) for n in range(1, 5)),
}
# The loan statistics of the archived term: they show its file and content/site.yaml only.
STATS_PAGES = {
    "stats/index.html",
    "stats/2025-2026-1/index.html",
    "stats/2025-2026-1/print/index.html",
}
CLASSES_CURRENT = {f"classes/{g}-{n}/index.html" for g in range(1, 5) for n in range(1, 5)}
SHOWING_CURRENT = CURRENT_PAGES | NAMING_CURRENT | {"rosters/index.html"} | CLASSES_CURRENT
ALL_PAGES = CURRENT_PAGES | ARCHIVE_PAGES | LINKED_PAGES | OTHER_PAGES | CLASS_PAGES | STATS_PAGES
MONTH_PAGES = {p for p in ALL_PAGES if "calendar/20" in p}
WEEK_PAGES = {p for p in ALL_PAGES if "calendar/week/" in p}
SLIPS = "rosters/story-parents/slips/index.html"
# An edit of events.yaml renders the pages that show the whole term or read it as they
# render (the agenda, the print pages, the term's calendar: the first two keep the parts
# of the months it did not change); the home page, the list of rosters, a month page, a
# class page, the list of terms and the pages of festivals and rosters that its items name
# are kept while what they show is the same (Job.values).
TERM_WIDE = {
    "calendar/index.html",
    "agenda/index.html",
    "calendar/print/index.html",
    "calendar/print-large/index.html",
    "work-plan/index.html",
    "work-summary/index.html",
}


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/site/events.yaml", Change(ChangeKind.DATA, "events.yaml")),
        (
            "/site/content/terms/2025-2026-1.yaml",
            Change(ChangeKind.DATA, "content/terms/2025-2026-1.yaml"),
        ),
        (
            "/site/content/festivals/2026-science.yml",
            Change(ChangeKind.DATA, "content/festivals/2026-science.yml"),
        ),
        ("/site/content/site.yaml", Change(ChangeKind.SETTINGS, "content/site.yaml")),
        ("/site/content/pages/about.md", Change(ChangeKind.CONTENT, "content/pages/about.md")),
        ("/site/content/pages/logo.png", Change(ChangeKind.CONTENT, "content/pages/logo.png")),
        (
            "/site/themes/default/templates/month.html",
            Change(ChangeKind.TEMPLATE, "template:month.html"),
        ),
        (
            "/site/themes/xingguang/templates/partials/macros.html",
            Change(ChangeKind.TEMPLATE, "template:partials/macros.html"),
        ),
        ("/site/themes/default/static/style.css", Change(ChangeKind.STATIC, "static/style.css")),
        (
            "/site/themes/xingguang/static/img/logo.svg",
            Change(ChangeKind.STATIC, "static/img/logo.svg"),
        ),
        # not part of the site, or an editor's scratch file
        ("/site/themes/other/templates/month.html", None),
        ("/site/public/index.html", None),
        ("/site/.preview/index.html", None),
        ("/site/build.py", None),
        ("/site/README.md", None),
        ("/site/.events.yaml.swp", None),
        ("/site/events.yaml~", None),
        ("/site/content/.~lock.site.yaml#", None),
        ("/site/content/terms/2025-2026-1.yaml.tmp", None),
        ("/site/content/.git/HEAD", None),
        ("/elsewhere/events.yaml", None),
    ],
)
def test_classify_change(path: str, expected: Change | None) -> None:
    assert classify_change(Path(path), ROOT, THEMES) == expected


@pytest.fixture
def preview(make_site, tmp_path: Path) -> Preview:
    site = make_site(sample=True)
    p = Preview(site, tmp_path / "preview", TODAY)
    first = p.build()
    assert (first.full, first.pages, set(first.rendered)) == (True, 119, ALL_PAGES)
    return p


def edit(site: Path, name: str, old: str, new: str) -> None:
    path = site / name
    text = path.read_text("utf-8")
    assert text.count(old) >= 1
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def mtimes(folder: Path) -> dict[str, int]:
    return {
        p.relative_to(folder).as_posix(): p.stat().st_mtime_ns
        for p in folder.rglob("*")
        if p.is_file()
    }


def test_event_title_rerenders_the_current_term_and_rewrites_only_what_shows_it(
    preview: Preview,
) -> None:
    before = mtimes(preview.out)
    edit(preview.root, "events.yaml", "title: 英文绘本入班登记", "title: 英文绘本入班登记（改）")
    result = preview.build({Change(ChangeKind.DATA, "events.yaml")})
    assert result.full is False
    # its month, not the term's other six; no class page (the item names no class)
    assert set(result.rendered) == TERM_WIDE | {
        "calendar/2026-03/index.html",
        "calendar/week/02/index.html",
    }
    after = mtimes(preview.out)
    changed = {p for p in after if after[p] != before.get(p)}
    # the March grid, the whole-term print pages and the agenda show the event; so do the
    # feeds of everything and of its category, and the search index
    assert changed == {
        "calendar/2026-03/index.html",
        "calendar/week/02/index.html",
        "calendar/print/index.html",
        "calendar/print-large/index.html",
        "agenda/index.html",
        "calendar.ics",
        "feeds/routine.ics",
        "search-index.js",
        # and the term's plan and summary (held by the build date), pages and .docx
        "work-plan/index.html",
        "work-plan/work-plan-2025-2026-2.docx",
        "work-summary/index.html",
        "work-summary/work-summary-2025-2026-2.docx",
    }
    assert result.written == 12
    assert "英文绘本入班登记（改）" in (preview.out / "calendar/2026-03/index.html").read_text(
        "utf-8"
    )


def kept_parts(preview: Preview) -> dict[tuple[str, str], str]:
    """The `{% kept %}` parts the preview holds: (page, part) → its text (the object)."""
    env = preview._env
    assert env is not None
    return {(slot[1], slot[2]): entry[1] for slot, entry in env.__dict__["_kept"].items()}


def test_the_print_pages_render_again_only_the_month_an_edit_changed(
    preview: Preview, tmp_path: Path
) -> None:
    # The whole-term print pages show every month's sheet: a March edit renders March's
    # sheet on each, and gives back the other months' texts (the same objects) as they were.
    before = kept_parts(preview)
    sheets = {(page, part) for page, part in before if page == "calendar/print/index.html"}
    assert {part for _, part in sheets} == {f"2026-0{m}" for m in range(2, 9)}
    edit(preview.root, "events.yaml", "title: 英文绘本入班登记", "title: 英文绘本入班登记（改）")
    result = preview.build({Change(ChangeKind.DATA, "events.yaml")})
    assert {"calendar/print/index.html", "calendar/print-large/index.html"} <= set(result.rendered)
    after = kept_parts(preview)
    assert after.keys() == before.keys()
    renewed = {slot for slot in after if after[slot] is not before[slot]}
    assert renewed == {
        ("calendar/print/index.html", "2026-03"),
        ("calendar/print-large/index.html", "2026-03"),
        ("agenda/index.html", "2026-03"),  # the agenda's March, its months kept alike
        ("calendar/index.html", 2),  # the term's calendar: the row of week 2, its weeks kept
    }
    assert "英文绘本入班登记（改）" in after[("calendar/print/index.html", "2026-03")]
    assert_equals_a_fresh_build(preview, tmp_path)


def test_a_full_build_renders_every_kept_part_again(preview: Preview, tmp_path: Path) -> None:
    # Another build date (a full build): the sheets show the date ("今天"), not in their values.
    before = kept_parts(preview)
    preview.fixed_today = date(2026, 3, 11)
    assert preview.build({Change(ChangeKind.DATA, "events.yaml")}).full
    after = kept_parts(preview)
    assert not any(after[slot] is before[slot] for slot in after.keys() & before.keys())
    fresh = tmp_path / "fresh"
    pipeline.build(preview.root, fresh, date(2026, 3, 11))
    assert tree(preview.out) == tree(fresh)


def test_archive_term_edit_touches_only_that_term(preview: Preview) -> None:
    edit(preview.root, "content/terms/2025-2026-1.yaml", "title: 开馆准备", "title: 开馆准备！")
    result = preview.build({Change(ChangeKind.DATA, "content/terms/2025-2026-1.yaml")})
    # no festival, roster or display page shows an item of that term; of its months and
    # weeks, only September and the item's week
    assert set(result.rendered) == (ARCHIVE_PAGES - MONTH_PAGES - WEEK_PAGES) | {
        "terms/2025-2026-1/calendar/2025-09/index.html",
        "terms/2025-2026-1/calendar/week/01/index.html",
    }
    # the month, its week, the two print pages, the agenda, two feeds, the search index
    # and the term's plan and summary (pages and .docx)
    assert result.written == 12


def test_template_change_rerenders_the_pages_that_load_it(preview: Preview) -> None:
    month = preview.build({Change(ChangeKind.TEMPLATE, "template:month.html")})
    assert set(month.rendered) == MONTH_PAGES
    assert month.written == 0
    macros = preview.build({Change(ChangeKind.TEMPLATE, "template:partials/macros.html")})
    assert set(macros.rendered) == MONTH_PAGES | WEEK_PAGES | (LINKED_PAGES - {SLIPS}) | (
        CLASS_PAGES - {"classes/index.html"}
    ) | {
        "index.html",
        "agenda/index.html",
        "terms/2025-2026-1/agenda/index.html",
        "calendar/print/index.html",
        "calendar/print-large/index.html",
        "terms/2025-2026-1/calendar/print/index.html",
        "terms/2025-2026-1/calendar/print-large/index.html",
        "news/index.html",
        "news/tags/t-525588eb/index.html",
        "news/tags/t-c00da5c4/index.html",
        "news/tags/t-da3c4cb2/index.html",
        "projects/children-reading-room/index.html",  # a project's page links to the calendar
    }
    base = preview.build({Change(ChangeKind.TEMPLATE, "template:base.html")})
    assert set(base.rendered) == ALL_PAGES


def test_unchanged_input_rewrites_nothing(preview: Preview) -> None:
    before = mtimes(preview.out)
    result = preview.build({Change(ChangeKind.DATA, "events.yaml")})
    assert (set(result.rendered), result.written) == (TERM_WIDE, 0)
    assert mtimes(preview.out) == before


def test_a_page_linking_into_the_calendar_follows_the_link_not_every_file(
    preview: Preview, tmp_path: Path
) -> None:
    # The display page links to its calendar item (`calendar_links`, a plain value of its
    # job's `key`): a new event of the same title on the same day takes the item's anchor,
    # so that link changes; editing an item the display page does not show leaves it alone.
    display = "displays/careers/index.html"
    edit(preview.root, "events.yaml", "title: 英文绘本入班登记", "title: 英文绘本入班登记（改）")
    assert display not in preview.build({Change(ChangeKind.DATA, "events.yaml")}).rendered
    before = (preview.out / display).read_text("utf-8")
    edit(
        preview.root,
        "events.yaml",
        "events:\n",
        "events:\n  - title: 主题展示：有趣的职业介绍\n    date: 2026-05-11\n    category: display\n",
    )
    result = preview.build({Change(ChangeKind.DATA, "events.yaml")})
    assert display in result.rendered
    after = (preview.out / display).read_text("utf-8")
    assert 'href="../../calendar/2026-05/index.html#e20260511-2d72d7"' in before
    assert 'href="../../calendar/2026-05/index.html#e20260511-2d72d7-2"' in after
    fresh = tmp_path / "fresh"
    pipeline.build(preview.root, fresh, TODAY)
    assert tree(preview.out) == tree(fresh)


def test_settings_and_new_files_rebuild_everything(preview: Preview) -> None:
    edit(preview.root, "content/site.yaml", "library: 星光小学图书馆", "library: 星光图书馆")
    result = preview.build({Change(ChangeKind.SETTINGS, "content/site.yaml")})
    # all 112 pages show the library name, and so do the 27 feeds (8 calendar, 3 festival/roster,
    # 16 class) and the 4 documents' .docx
    assert (result.full, set(result.rendered), result.written) == (True, ALL_PAGES, 150)
    (preview.root / "content/terms/2024-2025-2.yaml").write_text(
        "term:\n  id: 2024-2025-2\n  name: 2024学年第二学期\n"
        "  first_day: 2025-02-17\n  last_day: 2025-03-28\n",
        encoding="utf-8",
    )
    grown = preview.build({Change(ChangeKind.DATA, "content/terms/2024-2025-2.yaml")})
    assert (grown.full, grown.pages) == (True, 133)
    assert "terms/2024-2025-2/calendar/2025-03/index.html" in grown.rendered


def test_incremental_output_equals_a_fresh_build(preview: Preview, tmp_path: Path) -> None:
    edit(preview.root, "events.yaml", "title: 开馆准备", "title: 开馆准备工作")
    edit(preview.root, "events.yaml", "date: 2026-03-03", "date: 2026-04-08")
    preview.build({Change(ChangeKind.DATA, "events.yaml")})
    fresh = tmp_path / "fresh"
    pipeline.build(preview.root, fresh, TODAY)
    assert tree(preview.out) == tree(fresh)
    edit(preview.root, "content/terms/2025-2026-1.yaml", "title: 开馆准备", "title: 开馆")
    edit(preview.root, "content/terms/2025-2026-1.yaml", "2025-09-01", "2025-09-02")
    preview.build({Change(ChangeKind.DATA, "content/terms/2025-2026-1.yaml")})
    pipeline.build(preview.root, fresh, TODAY)
    assert tree(preview.out) == tree(fresh)


def test_failed_rebuild_keeps_the_last_site_and_remembers_its_changes(preview: Preview) -> None:
    before = tree(preview.out)
    edit(preview.root, "events.yaml", "title: 英文绘本入班登记", "title: 英文绘本入班登记二")
    good = (preview.root / "events.yaml").read_text("utf-8")
    edit(preview.root, "events.yaml", "    date: 2026-03-03", "    date: [2026-03-03")
    with pytest.raises(BuildFailed) as failed:
        preview.build({Change(ChangeKind.DATA, "events.yaml")})
    assert [p.code for p in failed.value.report.errors] == ["E101"]
    assert failed.value.report.errors[0].position.file == "events.yaml"
    assert tree(preview.out) == before
    # a template save alone now still brings the data change that failed
    (preview.root / "events.yaml").write_text(good, encoding="utf-8")
    result = preview.build({Change(ChangeKind.TEMPLATE, "template:404.html")})
    assert "calendar/2026-03/index.html" in result.rendered
    assert "英文绘本入班登记二" in (preview.out / "calendar/2026-03/index.html").read_text("utf-8")


def _own_month_template(make_site, tmp_path: Path) -> tuple[Preview, Path]:
    """A preview of the sample built with a theme's own month.html (`_break_month`
    then breaks it: E309)."""
    ours = Path(__file__).resolve().parent.parent / "generator/themes/default/templates/month.html"
    site = make_site({"themes/mine/templates/month.html": ours.read_text("utf-8")}, sample=True)
    edit(site, "content/site.yaml", "# theme: xingguang", "theme: mine")
    preview = Preview(site, tmp_path / "preview", TODAY)
    preview.build()
    return preview, site


def _break_month(site: Path) -> None:
    edit(
        site,
        "themes/mine/templates/month.html",
        "{% block main %}",
        "{% block main %}{{ month.nope( }}",
    )


def test_template_error_keeps_the_last_site(make_site, tmp_path: Path) -> None:
    preview, site = _own_month_template(make_site, tmp_path)
    before = tree(preview.out)
    _break_month(site)
    with pytest.raises(BuildFailed) as failed:
        preview.build({Change(ChangeKind.TEMPLATE, "template:month.html")})
    assert {(p.code, p.position.file) for p in failed.value.report.errors} == {
        ("E309", str(site / "themes/mine/templates/month.html"))
    }
    assert tree(preview.out) == before


def test_a_festival_edit_leaves_the_list_of_terms_alone(preview: Preview) -> None:
    # The list of terms shows what each term file says (`sources`: the term files), not the
    # festival items in its calendar.
    edit(preview.root, "content/festivals/science-2026.yaml", "操场", "大操场")
    result = preview.build({Change(ChangeKind.DATA, "content/festivals/science-2026.yaml")})
    assert "terms/index.html" not in result.rendered
    assert {"festivals/science-2026/index.html", "calendar/2026-04/index.html"} <= set(
        result.rendered
    )


def article(n: int) -> str:
    return (
        f"---\ntitle: 活动简报 {n}\ndate: 2025-10-{n + 1:02d}\ntags: [读书会]\n---\n第 {n} 期。\n"
    )


@pytest.fixture
def news_preview(make_site, tmp_path: Path) -> Preview:
    files = {f"content/news/brief-{n:02d}.md": article(n) for n in range(20)}
    p = Preview(make_site(files, sample=True), tmp_path / "preview", TODAY)
    p.build()
    assert len(p.memo.loaded) == 38  # 20 + 2 articles, 4 pages, 12 YAML files: all read
    return p


def assert_equals_a_fresh_build(preview: Preview, tmp_path: Path) -> None:
    fresh = tmp_path / "fresh"
    pipeline.build(preview.root, fresh, TODAY)
    assert tree(preview.out) == tree(fresh)


def test_an_event_edit_reads_only_events_yaml(news_preview: Preview, tmp_path: Path) -> None:
    edit(news_preview.root, "events.yaml", "title: 英文绘本入班登记", "title: 英文绘本登记")
    news_preview.build({Change(ChangeKind.DATA, "events.yaml")})
    assert news_preview.memo.loaded == ["events.yaml"]
    assert_equals_a_fresh_build(news_preview, tmp_path)


def test_an_event_edit_visits_only_the_pages_that_show_it(news_preview: Preview) -> None:
    edit(news_preview.root, "events.yaml", "title: 英文绘本入班登记", "title: 英文绘本登记")
    result = news_preview.build({Change(ChangeKind.DATA, "events.yaml")})
    # not the 22 article pages, the news lists, the archive term's pages or the displays'
    assert set(result.rendered) == TERM_WIDE | {
        "calendar/2026-03/index.html",
        "calendar/week/02/index.html",
    }
    assert result.pages == 142  # 27 of them the class pages and the class list


def test_the_search_index_makes_again_only_the_parts_an_edit_changed(
    news_preview: Preview, tmp_path: Path
) -> None:
    # The index is made a kind's or a term's items at a time (`memo.keep`): an event edit
    # makes the current term's items again and gives back the articles' as they were; an
    # article edit makes the articles' again.
    def part(namespace: str, name: str) -> bytes:
        return news_preview.memo._kept[(namespace, name)][1]  # type: ignore[no-any-return]

    news, term = part("search-kind-json", "news"), part("search-term-json", "2025-2026-2")
    edit(news_preview.root, "events.yaml", "title: 英文绘本入班登记", "title: 英文绘本登记")
    news_preview.build({Change(ChangeKind.DATA, "events.yaml")})
    assert part("search-kind-json", "news") is news
    assert part("search-term-json", "2025-2026-2") is not term
    assert "英文绘本登记".encode() in b"".join(part("search-term-json", "2025-2026-2"))
    name = "content/news/brief-07.md"
    edit(news_preview.root, name, "title: 活动简报 7", "title: 第七期简报")
    news_preview.build({Change(ChangeKind.CONTENT, name)})
    assert "第七期简报".encode() in b"".join(part("search-kind-json", "news"))
    assert_equals_a_fresh_build(news_preview, tmp_path)


def test_an_article_edit_reads_only_that_article(news_preview: Preview, tmp_path: Path) -> None:
    name = "content/news/brief-07.md"
    edit(news_preview.root, name, "title: 活动简报 7", "title: 第七期简报")
    result = news_preview.build({Change(ChangeKind.CONTENT, name)})
    assert news_preview.memo.loaded == [name]
    assert "news/brief-07/index.html" in result.rendered
    assert_equals_a_fresh_build(news_preview, tmp_path)


def test_an_article_moved_to_the_top_renders_the_news_lists_again(
    news_preview: Preview, tmp_path: Path
) -> None:
    name = "content/news/brief-07.md"
    edit(news_preview.root, name, "date: 2025-10-08", "date: 2025-10-30")
    result = news_preview.build({Change(ChangeKind.CONTENT, name)})
    lists = {p for p in result.rendered if p.startswith("news/") and "brief" not in p}
    # the first page gains it (its file it did not read before), the second loses it, and
    # it moves to the top of its tag's page
    assert lists == {
        "news/index.html",
        "news/page/2/index.html",
        "news/tags/t-24fb9305/index.html",
    }
    assert_equals_a_fresh_build(news_preview, tmp_path)


def test_new_deleted_and_broken_articles_under_the_shortcut(
    news_preview: Preview, tmp_path: Path
) -> None:
    root = news_preview.root
    added, gone = "content/news/brief-40.md", "content/news/brief-03.md"
    (root / added).write_text(article(25), encoding="utf-8")
    (root / gone).unlink()
    grown = news_preview.build(
        {Change(ChangeKind.CONTENT, added), Change(ChangeKind.CONTENT, gone)}
    )
    assert news_preview.memo.loaded == [added]
    assert "news/brief-40/index.html" in grown.rendered
    assert_equals_a_fresh_build(news_preview, tmp_path)

    broken = "content/news/brief-11.md"
    edit(root, broken, "tags: [读书会]\n---\n", "tags: [读书会]\n")
    for change in (Change(ChangeKind.CONTENT, broken), Change(ChangeKind.DATA, "events.yaml")):
        # the unchanged broken article is still reported when another file changes
        with pytest.raises(BuildFailed) as failed:
            news_preview.build({change})
        assert [(p.code, p.position.file) for p in failed.value.report.errors] == [("E402", broken)]
    edit(root, broken, "tags: [读书会]\n", "tags: [读书会]\n---\n")
    news_preview.build({Change(ChangeKind.CONTENT, broken)})
    assert news_preview.memo.loaded == ["events.yaml", broken]  # events.yaml: still unapplied
    assert_equals_a_fresh_build(news_preview, tmp_path)


def test_settings_change_reads_every_file_again(news_preview: Preview) -> None:
    edit(news_preview.root, "content/site.yaml", "library: 星光小学图书馆", "library: 星光图书馆")
    news_preview.build({Change(ChangeKind.SETTINGS, "content/site.yaml")})
    assert len(news_preview.memo.loaded) == 38


def test_a_term_with_festival_and_roster_items_is_rendered_again_only_when_they_change(
    preview: Preview, tmp_path: Path
) -> None:
    assert preview.site is not None
    current = preview.site.current
    kinds = {o.part_of.kind for o in current.occurrences if o.part_of}
    assert kinds == {"festival", "roster", "display", "project"}
    assert current.sources == {
        "events.yaml",
        "content/festivals/science-2026.yaml",
        "content/rosters/story-parents.yaml",
        "content/displays/careers.yaml",
        "content/displays/science-future.yaml",
        "content/projects/children-reading-room.yaml",  # its phase on the calendar
    }
    edit(preview.root, "content/terms/2025-2026-1.yaml", "title: 开馆准备", "title: 开馆准备！")
    result = preview.build({Change(ChangeKind.DATA, "content/terms/2025-2026-1.yaml")})
    assert not set(result.rendered) & CURRENT_PAGES - {"terms/index.html"}
    assert_equals_a_fresh_build(preview, tmp_path)
    edit(preview.root, "content/festivals/science-2026.yaml", "操场", "大操场")
    result = preview.build({Change(ChangeKind.DATA, "content/festivals/science-2026.yaml")})
    assert "calendar/2026-04/index.html" in result.rendered
    assert_equals_a_fresh_build(preview, tmp_path)


def test_a_rota_follows_its_term_s_closures(preview: Preview, tmp_path: Path) -> None:
    def generated() -> int:
        assert preview.site is not None
        (view,) = [r for r in preview.site.content.of("roster") if r.id == "story-parents"]
        assert view.sources == {"content/rosters/story-parents.yaml", "events.yaml"}
        return sum(1 for p in view.sessions if p.generated)

    before = generated()
    page = "rosters/story-parents/index.html"
    edit(preview.root, "events.yaml", "title: 英文绘本入班登记", "title: 英文绘本登记")
    stamp = (preview.out / page).stat().st_mtime_ns
    result = preview.build({Change(ChangeKind.DATA, "events.yaml")})
    # it shows a part of events.yaml, the closures, through its sessions: the same
    # sessions, the page is kept without rendering it
    assert page not in result.rendered
    assert (preview.out / page).stat().st_mtime_ns == stamp
    assert generated() == before > 0
    edit(preview.root, "events.yaml", "from: 2026-04-04", "from: 2026-04-03")  # 清明节, longer
    result = preview.build({Change(ChangeKind.DATA, "events.yaml")})
    assert generated() == before - 1  # the Friday 2026-04-03 is closed now
    assert page in result.rendered
    assert_equals_a_fresh_build(preview, tmp_path)


def content_views(preview: Preview) -> dict[str, object]:
    assert preview.site is not None
    content = preview.site.content
    return {
        **{f"festival {d.id}": d for d in content.of("festival")},
        **{f"roster {r.id}": r for r in content.of("roster")},
        **{f"display {d.id}": d for d in content.of("display")},
    }


@pytest.mark.slow
def test_an_event_edit_on_an_archive_site_renders_no_archived_term(tmp_path: Path) -> None:
    site = archive_corpus(tmp_path / "archive", terms=2, events=50)
    preview = Preview(site, tmp_path / "preview", TODAY)
    preview.build()
    assert len(content_views(preview)) == 5 + 2 + 20 + 10  # the sample's, then the 2 terms'
    edit(site, "events.yaml", "title: 英文绘本入班登记", "title: 英文绘本登记")
    result = preview.build({Change(ChangeKind.DATA, "events.yaml")})
    assert result.pages == 235
    assert not [p for p in result.rendered if p.startswith("terms/2")]
    assert not [p for p in result.rendered if "2023-2024" in p]
    assert_equals_a_fresh_build(preview, tmp_path)

    edit(site, "events.yaml", "from: 2026-04-04", "from: 2026-04-03")  # 清明节, longer
    result = preview.build({Change(ChangeKind.DATA, "events.yaml")})
    assert "rosters/story-parents/index.html" in result.rendered
    assert_equals_a_fresh_build(preview, tmp_path)

    roster = "content/rosters/roster-2023-2024-2-0.yaml"
    edit(site, roster, "title: 故事1\n", "title: 故事一\n")
    result = preview.build({Change(ChangeKind.DATA, roster)})
    assert "rosters/roster-2023-2024-2-0/index.html" in result.rendered
    index = (preview.out / "search-index.js").read_text("utf-8")
    assert (index.count('"故事一"'), index.count('"故事1"')) == (1, 19)
    assert_equals_a_fresh_build(preview, tmp_path)


def test_a_kept_roster_still_reports_its_problems(make_site, tmp_path: Path) -> None:
    site = make_site(sample=True)
    edit(
        site,
        "content/rosters/story-parents.yaml",
        "themes:\n",
        "themes:\n  - month: 2026-08\n    theme: 暑假\n",
    )
    preview = Preview(site, tmp_path / "preview", TODAY)
    preview.build()
    assert preview.site is not None
    warned = [(w.code, w.position.file) for w in preview.site.warnings]
    assert warned == [("W409", "content/rosters/story-parents.yaml")]
    for title in ("英文绘本登记", "英文绘本入班"):
        edit(site, "events.yaml", "title: 英文绘本", f"title: {title}")
        preview.build({Change(ChangeKind.DATA, "events.yaml")})
        assert [(w.code, w.position.file) for w in preview.site.warnings] == warned


def test_an_unchanged_term_file_is_checked_again_when_a_file_it_names_goes(
    preview: Preview,
) -> None:
    (preview.root / "content/rosters/librarians.yaml").unlink()
    with pytest.raises(BuildFailed) as failed:
        preview.build({Change(ChangeKind.DATA, "content/rosters/librarians.yaml")})
    found = [(p.code, p.position.file, p.position.line) for p in failed.value.report.errors]
    assert found == [("E303", "events.yaml", n) for n in (103, 193, 413, 438)]


def test_an_unchanged_term_file_keeps_reporting_its_problems(preview: Preview) -> None:
    """The checks of a term file the save did not touch are kept, problems and all."""
    archived = "content/terms/2025-2026-1.yaml"
    edit(
        preview.root,
        archived,
        "    category: routine\n    owner: 储霞\n",
        "    category: routine\n    roster: nobody\n    classes: [九(9)班]\n    owner: 储霞\n",
    )
    expected = [("E303", archived, 56, 13), ("E330", archived, 57, 15)]
    for change in (archived, "events.yaml"):
        if change == "events.yaml":
            edit(preview.root, change, "title: 英文绘本", "title: 英文绘本入班")
        with pytest.raises(BuildFailed) as failed:
            preview.build({Change(ChangeKind.DATA, change)})
        found = [
            (p.code, p.position.file, p.position.line, p.position.col)
            for p in failed.value.report.errors
        ]
        assert found == expected


def test_an_edit_plans_again_only_the_pages_of_its_own_term(preview: Preview) -> None:
    """Another term's calendar pages are the last plan's jobs (the same objects); the
    edited term's are made again, and a date or a menu change makes every term's again."""
    before = dict(preview.jobs)
    archived = [
        p
        for p in before
        if p.startswith(("terms/2025-2026-1/calendar/", "terms/2025-2026-1/agenda/"))
    ]
    assert len(archived) == 31  # its calendar, agenda, two prints, 21 weeks and 6 months
    edit(preview.root, "events.yaml", "title: 英文绘本入班登记", "title: 英文绘本登记")
    preview.build({Change(ChangeKind.DATA, "events.yaml")})
    assert all(preview.jobs[p] is before[p] for p in archived)
    assert preview.jobs[MARCH] is not before[MARCH]
    preview.fixed_today = date(2026, 3, 11)
    preview.build({Change(ChangeKind.DATA, "events.yaml")})
    assert not any(preview.jobs[p] is before[p] for p in archived)


def test_a_catalogue_edit_reaches_the_search_entries_of_unchanged_terms(
    make_site, tmp_path: Path
) -> None:
    ours = Path(__file__).resolve().parent.parent / "generator/themes/default"
    site = make_site(sample=True)
    shutil.copytree(ours, site / "themes/default")
    edit(site, "content/site.yaml", "\nlanguage: zh-CN\n", "\nlanguage: en\n")
    preview = Preview(site, tmp_path / "preview", TODAY)
    preview.build()
    assert preview.site is not None
    assert "every " in (preview.out / "search-index.js").read_text("utf-8")
    po = "themes/default/locale/en/LC_MESSAGES/messages.po"
    edit(site, po, 'msgstr "every %(days)s"', 'msgstr "each %(days)s"')
    preview.build({Change(ChangeKind.SETTINGS, "locale/en/LC_MESSAGES/messages.po")})
    index = (preview.out / "search-index.js").read_text("utf-8")
    assert ("every " in index, "each " in index) == (False, True)
    assert_equals_a_fresh_build(preview, tmp_path)


def test_the_language_and_the_catalogue_reach_the_feeds_and_the_titles_of_unchanged_files(
    make_site, tmp_path: Path
) -> None:
    """The feeds' words and the titles of the calendar items made from a display or a
    roster's sessions are the site's words: kept with the unchanged files that give them,
    and made again when the language or a translation changes."""
    ours = Path(__file__).resolve().parent.parent / "generator/themes/default"
    site = make_site(sample=True)
    shutil.copytree(ours, site / "themes/default")
    preview = Preview(site, tmp_path / "preview", TODAY)
    preview.build()

    def said() -> tuple[bool, ...]:
        ics = (preview.out / "calendar.ics").read_text("utf-8").replace("\r\n ", "")
        april = (preview.out / "calendar/2026-04/index.html").read_text("utf-8")
        return (
            "\\n负责人：储霞" in ics,
            "\\nIn charge: 储霞" in ics,
            "\\nOwner: 储霞" in ics,
            ">主题展示：科技创造未来<" in april,
            ">Themed display: 科技创造未来<" in april,
            ">Display: 科技创造未来<" in april,
            "故事爸妈团（第二轮）：一(1)班" in ics,
            "故事爸妈团（第二轮）: 一(1)班" in ics,
            "故事爸妈团（第二轮）\\, 一(1)班" in ics,  # a comma is escaped
        )

    assert said() == (True, False, False, True, False, False, True, False, False)
    edit(site, "content/site.yaml", "\nlanguage: zh-CN\n", "\nlanguage: en\n")
    preview.build({Change(ChangeKind.SETTINGS, "content/site.yaml")})
    assert said() == (False, True, False, False, True, False, False, True, False)
    assert_equals_a_fresh_build(preview, tmp_path / "en")
    po = "themes/default/locale/en/LC_MESSAGES/messages.po"
    edit(site, po, 'msgstr "In charge: %(name)s"', 'msgstr "Owner: %(name)s"')
    edit(site, po, 'msgstr "Themed display: %(title)s"', 'msgstr "Display: %(title)s"')
    edit(site, po, 'msgstr "%(name)s: %(class)s"', 'msgstr "%(name)s, %(class)s"')
    preview.build({Change(ChangeKind.SETTINGS, "locale/en/LC_MESSAGES/messages.po")})
    assert said() == (False, False, True, False, False, True, False, False, True)
    assert_equals_a_fresh_build(preview, tmp_path / "edited")


# --- pages kept by what they show (Job.values) -----------------------------------------


def test_a_class_page_is_rendered_again_only_when_its_own_items_change(
    preview: Preview, tmp_path: Path
) -> None:
    edit(preview.root, "events.yaml", "title: 三年级小管培训", "title: 三年级小管集中培训")
    result = preview.build({Change(ChangeKind.DATA, "events.yaml")})
    # the item names 三(1)班 and 三(2)班: their pages, not the other fourteen with items
    # of events.yaml
    assert set(result.rendered) & CLASS_PAGES == {
        "classes/3-1/index.html",
        "classes/3-2/index.html",
    }
    assert set(result.rendered) & MONTH_PAGES == {"calendar/2026-03/index.html"}
    shown = (preview.out / "classes/3-1/index.html").read_text("utf-8")
    assert "三年级小管集中培训" in shown
    assert_equals_a_fresh_build(preview, tmp_path)


def test_an_item_moved_to_another_month_renders_both_months(
    preview: Preview, tmp_path: Path
) -> None:
    edit(preview.root, "events.yaml", "date: 2026-03-12\n", "date: 2026-04-14\n")
    result = preview.build({Change(ChangeKind.DATA, "events.yaml")})
    assert set(result.rendered) & MONTH_PAGES == {
        "calendar/2026-03/index.html",
        "calendar/2026-04/index.html",
    }
    assert "三年级小管培训" in (preview.out / "calendar/2026-04/index.html").read_text("utf-8")
    assert "三年级小管培训" not in (preview.out / "calendar/2026-03/index.html").read_text("utf-8")
    assert_equals_a_fresh_build(preview, tmp_path)


def test_a_school_month_page_showing_more_of_its_term_is_rendered_again_on_every_edit(
    preview: Preview, tmp_path: Path
) -> None:
    """A theme's month page that lists every title of the term reads more of the term than
    a month page's values cover: an edit in April renders March again too."""
    settings = preview.root / "content/site.yaml"
    text = settings.read_text("utf-8")
    settings.write_text(text.replace("# theme: xingguang\n", "theme: starlight\n"), "utf-8")
    default = Path(pipeline.__file__).parent / "themes/default/templates/month.html"
    month = default.read_text("utf-8").replace(
        "{% block main %}",
        "{% block main %}<p>{{ term.occurrences|map(attribute='title')|join('|') }}</p>",
        1,
    )
    assert "join('|')" in month
    (preview.root / "themes/starlight/templates").mkdir(parents=True)
    (preview.root / "themes/starlight/templates/month.html").write_text(month, "utf-8")
    preview.build({Change(ChangeKind.SETTINGS, "content/site.yaml")})
    assert_equals_a_fresh_build(preview, tmp_path)
    edit(preview.root, "events.yaml", "title: 结合森林课堂的阅读活动", "title: 森林课堂里的阅读")
    result = preview.build({Change(ChangeKind.DATA, "events.yaml")})
    assert {p for p in MONTH_PAGES if p.startswith("calendar/")} <= set(result.rendered)
    assert "森林课堂里的阅读" in (preview.out / "calendar/2026-03/index.html").read_text("utf-8")
    assert_equals_a_fresh_build(preview, tmp_path)


def test_a_festival_page_is_rendered_again_when_an_item_naming_it_changes_only(
    preview: Preview, tmp_path: Path
) -> None:
    page = "festivals/science-2026/index.html"
    edit(preview.root, "events.yaml", "title: 英文绘本入班登记", "title: 英文绘本登记")
    assert page not in preview.build({Change(ChangeKind.DATA, "events.yaml")}).rendered
    edit(preview.root, "events.yaml", "title: 与大队部策划读书节", "title: 与大队部一起策划读书节")
    result = preview.build({Change(ChangeKind.DATA, "events.yaml")})
    assert page in result.rendered
    assert "rosters/librarians/index.html" not in result.rendered
    assert "与大队部一起策划读书节" in (preview.out / page).read_text("utf-8")
    assert_equals_a_fresh_build(preview, tmp_path)


def test_the_list_of_terms_follows_a_term_s_name_not_its_items(
    preview: Preview, tmp_path: Path
) -> None:
    name = "content/terms/2025-2026-1.yaml"
    edit(preview.root, name, "title: 开馆准备", "title: 开馆准备！")
    assert "terms/index.html" not in preview.build({Change(ChangeKind.DATA, name)}).rendered
    edit(preview.root, name, "name: 2025学年第一学期", "name: 2025学年 第一学期")
    result = preview.build({Change(ChangeKind.DATA, name)})
    assert "terms/index.html" in result.rendered
    assert "2025学年 第一学期" in (preview.out / "terms/index.html").read_text("utf-8")
    assert_equals_a_fresh_build(preview, tmp_path)


def kept_load(preview: Preview, kind: str) -> object:
    """The kept load of a kind (`assemble.content.KindLoad`), as the memo holds it."""
    return preview.memo._kept[("kind-load", kind)][1]


def test_a_kind_s_load_is_kept_while_its_folder_and_the_terms_dates_are_the_same(
    news_preview: Preview, tmp_path: Path
) -> None:
    loads = {k: kept_load(news_preview, k) for k in ("news", "page", "roster", "honour")}
    edit(news_preview.root, "events.yaml", "title: 英文绘本入班登记", "title: 英文绘本登记")
    news_preview.build({Change(ChangeKind.DATA, "events.yaml")})
    # an item's title is no term date: every kind's load is the last one, problems and all
    assert all(kept_load(news_preview, k) is load for k, load in loads.items())
    assert_equals_a_fresh_build(news_preview, tmp_path)

    name = "content/news/brief-07.md"
    edit(news_preview.root, name, "title: 活动简报 7", "title: 第七期简报")
    news_preview.build({Change(ChangeKind.CONTENT, name)})
    assert kept_load(news_preview, "news") is not loads["news"]
    assert kept_load(news_preview, "page") is loads["page"]
    assert_equals_a_fresh_build(news_preview, tmp_path)

    edit(news_preview.root, "events.yaml", "from: 2026-04-04", "from: 2026-04-03")  # a closure
    news_preview.build({Change(ChangeKind.DATA, "events.yaml")})
    assert kept_load(news_preview, "roster") is not loads["roster"]  # its sessions move
    assert_equals_a_fresh_build(news_preview, tmp_path)


def test_a_kept_kind_load_follows_the_kinds_it_reads(preview: Preview, tmp_path: Path) -> None:
    honours = kept_load(preview, "honour")
    roster = "content/rosters/story-parents.yaml"
    edit(preview.root, roster, "name: 王丽娟", "name: 王丽")
    preview.build({Change(ChangeKind.DATA, roster)})
    assert kept_load(preview, "honour") is not honours  # it looks at the rosters' people
    assert_equals_a_fresh_build(preview, tmp_path)


def test_the_news_jobs_are_kept_until_an_article_changes(
    news_preview: Preview, tmp_path: Path
) -> None:
    jobs = dict(news_preview.jobs)
    edit(news_preview.root, "events.yaml", "title: 英文绘本入班登记", "title: 英文绘本登记")
    news_preview.build({Change(ChangeKind.DATA, "events.yaml")})
    assert news_preview.jobs["news/index.html"] is jobs["news/index.html"]
    assert news_preview.jobs["rules/index.html"] is jobs["rules/index.html"]  # a page's
    assert news_preview.jobs["calendar/index.html"] is not jobs["calendar/index.html"]
    name = "content/news/brief-07.md"
    edit(news_preview.root, name, "title: 活动简报 7", "title: 第七期简报")
    result = news_preview.build({Change(ChangeKind.CONTENT, name)})
    assert news_preview.jobs["news/index.html"] is not jobs["news/index.html"]
    assert news_preview.jobs["rules/index.html"] is jobs["rules/index.html"]
    assert "news/brief-07/index.html" in result.rendered
    assert_equals_a_fresh_build(news_preview, tmp_path)
    edit(news_preview.root, "content/site.yaml", "library: 星光小学图书馆", "library: 星光图书馆")
    news_preview.build({Change(ChangeKind.SETTINGS, "content/site.yaml")})
    assert news_preview.jobs["rules/index.html"] is not jobs["rules/index.html"]
    assert_equals_a_fresh_build(news_preview, tmp_path)


def test_the_home_page_and_the_list_of_rosters_follow_what_they_show(
    preview: Preview, tmp_path: Path
) -> None:
    # kept through an edit of a week the home page does not show (test_event_title_…), the
    # home page renders again for an item of this week or the next two; the list of
    # rosters for a roster's name or its sessions, not for a term item
    edit(preview.root, "events.yaml", "title: 三年级小管培训", "title: 三年级小管集中培训")
    result = preview.build({Change(ChangeKind.DATA, "events.yaml")})
    assert "index.html" in result.rendered
    assert "rosters/index.html" not in result.rendered
    assert "三年级小管集中培训" in (preview.out / "index.html").read_text("utf-8")
    assert_equals_a_fresh_build(preview, tmp_path)
    roster = "content/rosters/story-parents.yaml"
    edit(preview.root, roster, "name: 故事爸妈团（第二轮）", "name: 故事爸妈团（第三轮）")
    result = preview.build({Change(ChangeKind.DATA, roster)})
    assert "rosters/index.html" in result.rendered
    assert_equals_a_fresh_build(preview, tmp_path)
    edit(preview.root, "events.yaml", "from: 2026-04-04", "from: 2026-04-03")  # 清明节
    result = preview.build({Change(ChangeKind.DATA, "events.yaml")})
    assert "rosters/index.html" in result.rendered  # a session of the Friday is gone
    assert_equals_a_fresh_build(preview, tmp_path)


@pytest.mark.parametrize("part", ["feed-placed", "class-picks"])  # feeds' items, class pages'
def test_a_term_s_share_is_kept_while_its_calendar_is_the_same_object(
    preview: Preview, tmp_path: Path, part: str
) -> None:
    def placed(term: str) -> object:
        return preview.memo._kept[(part, term)][1]

    current, archived = placed("2025-2026-2"), placed("2025-2026-1")
    edit(preview.root, "events.yaml", "title: 英文绘本入班登记", "title: 英文绘本登记")
    preview.build({Change(ChangeKind.DATA, "events.yaml")})
    assert placed("2025-2026-1") is archived
    assert placed("2025-2026-2") is not current
    assert_equals_a_fresh_build(preview, tmp_path)
    # a comment: the term's calendar is made again, equal to the last, and not the same
    # object; its feeds' items are made again with it (the feeds find a term by identity)
    current = placed("2025-2026-2")
    with (preview.root / "events.yaml").open("a", encoding="utf-8") as f:
        f.write("# 备注\n")
    preview.build({Change(ChangeKind.DATA, "events.yaml")})
    assert placed("2025-2026-2") is not current
    assert_equals_a_fresh_build(preview, tmp_path)


# --- the documents' .docx after the pages (`late`, `finish`) ------------------------------

PLAN_DOCX = "work-plan/work-plan-2025-2026-2.docx"
SUMMARY_DOCX = "work-summary/work-summary-2025-2026-2.docx"


def test_a_late_build_writes_the_pages_first_and_the_docx_on_finish(
    preview: Preview, tmp_path: Path
) -> None:
    before = {p: (preview.out / p).read_bytes() for p in (PLAN_DOCX, SUMMARY_DOCX)}
    edit(preview.root, "events.yaml", "title: 英文绘本入班登记", "title: 英文绘本入班登记（改）")
    result = preview.build({Change(ChangeKind.DATA, "events.yaml")}, late=True)
    # the pages and feeds are written: the March page shows the edit, the .docx are the
    # last build's (10 files of the 12 an edit writes)
    march = (preview.out / "calendar/2026-03/index.html").read_text("utf-8")
    assert "英文绘本入班登记（改）" in march
    assert result.written == 10
    assert {p: (preview.out / p).read_bytes() for p in before} == before
    assert preview.finish() == 2  # the term's plan and summary
    assert preview.finish() == 0  # nothing left
    assert {p: (preview.out / p).read_bytes() != before[p] for p in before} == {
        PLAN_DOCX: True,
        SUMMARY_DOCX: True,
    }
    assert_equals_a_fresh_build(preview, tmp_path)


def test_the_next_build_finishes_what_a_late_one_left(preview: Preview, tmp_path: Path) -> None:
    edit(preview.root, "events.yaml", "title: 英文绘本入班登记", "title: 英文绘本入班登记（改）")
    preview.build({Change(ChangeKind.DATA, "events.yaml")}, late=True)
    edit(preview.root, "events.yaml", "title: 三年级小管培训", "title: 三年级小管集中培训")
    preview.build({Change(ChangeKind.DATA, "events.yaml")})  # not late: everything written
    assert_equals_a_fresh_build(preview, tmp_path)


def test_a_full_build_is_never_late(preview: Preview, tmp_path: Path) -> None:
    edit(preview.root, "content/site.yaml", "\nlanguage: zh-CN\n", "\nlanguage: en\n")
    result = preview.build({Change(ChangeKind.SETTINGS, "content/site.yaml")}, late=True)
    assert result.full
    assert preview.finish() == 0
    assert_equals_a_fresh_build(preview, tmp_path)


# --- the pages open in a browser first (`first`, `publish`) --------------------------------

MARCH = "calendar/2026-03/index.html"


def test_the_pages_shown_are_made_first_and_published_before_the_rest(
    preview: Preview, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rules = (preview.out / "rules/index.html").read_bytes()
    old_march = (preview.out / MARCH).read_bytes()
    published: list[tuple[dict[str, bytes], bytes, int]] = []
    steps: list[str] = []

    def publish(pages: dict[str, bytes]) -> None:
        # the disk as the last build left it; the other pages not made yet
        published.append((pages, (preview.out / MARCH).read_bytes(), len(preview.pages)))
        steps.append("published " + ", ".join(sorted(pages)))

    links = pages_plan.Links.__init__

    def kinds_planned(self: pages_plan.Links, *args: object) -> None:
        steps.append("the kinds' pages planned")
        links(self, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(pages_plan.Links, "__init__", kinds_planned)
    edit(preview.root, "events.yaml", "title: 英文绘本入班登记", "title: 英文绘本入班登记（改）")
    shown = {MARCH, "rules/index.html", "no/such/index.html"}
    result = preview.build({Change(ChangeKind.DATA, "events.yaml")}, first=shown, publish=publish)
    # the month page before the kinds are planned, then the page of a kind with it
    assert steps == [
        f"published {MARCH}",
        "the kinds' pages planned",
        f"published {MARCH}, rules/index.html",
    ]
    (first, first_disk, _), (pages, on_disk, _) = published
    assert first == {MARCH: pages[MARCH]}
    assert pages.keys() == {MARCH, "rules/index.html"}  # a page this build does not make: none
    assert "英文绘本入班登记（改）" in pages[MARCH].decode("utf-8")
    assert pages["rules/index.html"] == rules  # unchanged by the edit: its bytes are final too
    assert first_disk == on_disk == old_march
    assert result.rendered[0] == MARCH and len(result.rendered) == 8
    assert pages[MARCH] == (preview.out / MARCH).read_bytes()
    assert_equals_a_fresh_build(preview, tmp_path)


def test_a_kind_page_shown_is_published_before_the_next_kinds_are_planned(
    preview: Preview, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from generator.kinds.roster import RosterKind

    steps: list[str] = []
    roster_jobs = RosterKind.jobs

    def planned(self: RosterKind, *args: Any) -> Any:
        steps.append("the rosters' pages planned")
        return roster_jobs(self, *args)

    monkeypatch.setattr(RosterKind, "jobs", planned)
    festival = "festivals/science-2026/index.html"
    edit(preview.root, "content/festivals/science-2026.yaml", "2026年科技读书节", "科技读书节")
    preview.build(
        {Change(ChangeKind.DATA, "content/festivals/science-2026.yaml")},
        first={festival},
        publish=lambda pages: steps.append("published " + ", ".join(pages)),
    )
    # the festivals come before the rosters (`generator.kinds.KINDS`)
    assert steps == [f"published {festival}", "the rosters' pages planned"]
    assert "科技读书节" in (preview.out / festival).read_text("utf-8")
    assert_equals_a_fresh_build(preview, tmp_path)


def test_a_page_of_a_kind_that_comes_makes_the_build_whole_after_publishing(
    preview: Preview, tmp_path: Path
) -> None:
    """A new article is a new page, which makes every page again (the links on them): known
    only once the kinds are planned, after the month page was published. That page is made
    from its own job alone, the same either way: it is kept, and equals a fresh build's."""
    news = preview.root / "content/news"
    shutil.copy(news / "2026-03-20-reading-award.md", news / "2026-03-21-second-award.md")
    published: list[dict[str, bytes]] = []
    result = preview.build(
        {Change(ChangeKind.CONTENT, "content/news/2026-03-21-second-award.md")},
        first={MARCH},
        publish=published.append,
    )
    # every page made again but the month page, unchanged by an article (its last bytes)
    assert (result.full, result.pages, len(result.rendered)) == (True, 120, 119)
    assert MARCH not in result.rendered
    assert [list(pages) for pages in published] == [[MARCH]]
    assert published[0][MARCH] == (preview.out / MARCH).read_bytes()
    assert "news/2026-03-21-second-award/index.html" in result.rendered
    assert_equals_a_fresh_build(preview, tmp_path)


def test_a_build_that_fails_after_publishing_leaves_the_last_site(
    make_site, tmp_path: Path
) -> None:
    preview, site = _own_month_template(make_site, tmp_path)
    before = tree(preview.out)
    _break_month(site)
    published: list[set[str]] = []
    with pytest.raises(BuildFailed) as failed:
        preview.build(
            {Change(ChangeKind.TEMPLATE, "template:month.html")},
            first={"agenda/index.html"},
            publish=lambda pages: published.append(set(pages)),
        )
    assert published == [{"agenda/index.html"}]  # shown first, then the month pages failed
    assert {p.code for p in failed.value.report.errors} == {"E309"}
    assert tree(preview.out) == before


def test_a_full_build_publishes_nothing_first(preview: Preview) -> None:
    published: list[dict[str, bytes]] = []
    edit(preview.root, "content/site.yaml", "\nlanguage: zh-CN\n", "\nlanguage: en\n")
    result = preview.build(
        {Change(ChangeKind.SETTINGS, "content/site.yaml")}, first={MARCH}, publish=published.append
    )
    assert (result.full, published) == (True, [])
    # made all the same, with every other page: it is not left out of the output
    assert MARCH in result.rendered and len(result.rendered) == result.pages
    assert 'lang="en"' in (preview.out / MARCH).read_text("utf-8")
