"""`build` after an edit renders only the pages the edit can alter, by the dependency record
the last build kept in .cache/ (plan.depends, the preview's rule), and writes exactly what
a cold build writes (issue 21)."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from conftest import tree

from generator import pipeline

TODAY = date(2026, 3, 10)
PAGES = 119


def edit(site: Path, name: str, old: str, new: str) -> None:
    path = site / name
    text = path.read_text("utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def built(site: Path) -> pipeline.BuildResult:
    return pipeline.build(site, site / "public", TODAY, workers=1)


def assert_as_cold(site: Path, tmp_path: Path) -> None:
    """The incremental build's output, byte for byte a cold build's (no cache, fresh folder)."""
    cold = tmp_path / "cold"
    shutil.rmtree(cold, ignore_errors=True)
    pipeline.build(site, cold, TODAY, workers=1, use_cache=False)
    assert tree(site / "public") == tree(cold)


@pytest.fixture
def site(make_site: Callable[..., Path]) -> Path:
    site = make_site(sample=True)
    first = built(site)
    assert (first.pages, first.rendered) == (PAGES, None)  # cold: every page
    return site


def test_an_event_edit_renders_its_month_and_the_term_wide_pages(
    site: Path, tmp_path: Path
) -> None:
    edit(site, "events.yaml", "title: 英文绘本入班登记", "title: 英文绘本入班登记（改）")
    # the cold build recorded no reads: every page showing events.yaml is rendered once,
    # and from then on only what the edit can alter
    first = built(site)
    assert first.rendered is not None and 10 < first.rendered < PAGES
    assert_as_cold(site, tmp_path)
    edit(site, "events.yaml", "title: 英文绘本入班登记（改）", "title: 英文绘本登记")
    second = built(site)
    # the March page, its week and the six term-wide pages (the preview's TERM_WIDE)
    assert second.rendered == 8
    assert second.write.written == 12  # as the preview writes (test_preview)
    assert "英文绘本登记" in (site / "public/calendar/2026-03/index.html").read_text("utf-8")
    assert_as_cold(site, tmp_path)


def test_a_build_after_an_edit_replaces_its_files_in_the_old_site(site: Path) -> None:
    edit(site, "events.yaml", "title: 英文绘本入班登记", "title: 英文绘本入班登记（改）")
    built(site)  # the first after the cold build records what each page reads
    out = site / "public"
    march, rules = out / "calendar/2026-03/index.html", out / "rules/index.html"
    before = {p: p.stat().st_ino for p in (out, march, rules)}
    edit(site, "events.yaml", "title: 英文绘本入班登记（改）", "title: 英文绘本登记")
    assert built(site).write.written == 12
    # no new tree swapped in: the folder and its unchanged files are the same ones, the
    # changed page a new file in their place; nothing is left beside the folder
    after = {p: p.stat().st_ino for p in before}
    assert {p: after[p] == before[p] for p in before} == {out: True, march: False, rules: True}
    assert sorted(p.name for p in site.iterdir() if p.name.startswith(".public")) == [
        ".public.lock"
    ]


@pytest.mark.parametrize(
    ("name", "old", "new"),
    [
        ("events.yaml", "date: 2026-03-12\n", "date: 2026-04-14\n"),  # to another month
        ("events.yaml", "title: 三年级小管培训", "title: 三年级小管集中培训"),  # two classes'
        (
            "events.yaml",
            "title: 与大队部策划读书节",
            "title: 与大队部一起策划读书节",
        ),  # a festival's
        ("events.yaml", "from: 2026-04-04", "from: 2026-04-03"),  # a closure: sessions
        ("content/terms/2025-2026-1.yaml", "name: 2025学年第一学期", "name: 2025学年 第一学期"),
        ("content/rosters/story-parents.yaml", "name:", "name: 新"),
    ],
)
def test_every_kind_of_edit_builds_what_a_cold_build_builds(
    site: Path, tmp_path: Path, name: str, old: str, new: str
) -> None:
    edit(site, "events.yaml", "title: 英文绘本入班登记", "title: 英文绘本登记")
    built(site)  # records the reads of the pages the first edit rendered
    edit(site, name, old, new)
    result = built(site)
    assert result.rendered is not None and result.rendered < PAGES
    assert_as_cold(site, tmp_path)


def test_a_template_edit_renders_the_pages_that_loaded_it(site: Path, tmp_path: Path) -> None:
    edit(site, "events.yaml", "title: 英文绘本入班登记", "title: 英文绘本登记")
    built(site)
    theme = site / "themes/starlight/templates"
    edit(site, "content/site.yaml", "# theme: xingguang\n", "theme: starlight\n")
    theme.mkdir(parents=True)
    default = Path(pipeline.__file__).parent / "themes/default/templates/month.html"
    (theme / "month.html").write_text(default.read_text("utf-8"), "utf-8")
    assert built(site).rendered is None  # a setting: every page
    month = default.read_text("utf-8").replace(
        "{% block main %}",
        "{% block main %}<p>{{ term.occurrences|map(attribute='title')|join('|') }}</p>",
        1,
    )
    (theme / "month.html").write_text(month.replace("|join('|')", "|join(' | ')"), "utf-8")
    # the build after a setting recorded no templates: every page
    assert built(site).rendered == PAGES
    assert_as_cold(site, tmp_path)
    (theme / "month.html").write_text(month, "utf-8")
    months = [p for p in tree(site / "public") if "calendar/20" in p]
    assert built(site).rendered == len(months) == 13  # the two terms' month pages, only
    assert_as_cold(site, tmp_path)
    # that month page reads more of its term than its values cover: an edit in April
    # renders March again too
    edit(site, "events.yaml", "title: 结合森林课堂的阅读活动", "title: 森林课堂里的阅读")
    built(site)
    assert "森林课堂里的阅读" in (site / "public/calendar/2026-03/index.html").read_text("utf-8")
    assert_as_cold(site, tmp_path)


def test_new_and_removed_files_and_a_touched_output_build_everything(
    site: Path, tmp_path: Path
) -> None:
    news = site / "content/news/2026-03-20-reading-award.md"
    moved = news.read_text("utf-8")
    news.unlink()
    assert built(site).rendered is None  # a page fewer: every page
    assert_as_cold(site, tmp_path)
    news.write_text(moved, "utf-8")
    assert built(site).rendered is None
    assert_as_cold(site, tmp_path)
    page = site / "public/calendar/2026-05/index.html"
    page.write_text("changed by hand", "utf-8")  # the folder is not as the build left it
    edit(site, "events.yaml", "title: 英文绘本入班登记", "title: 英文绘本登记")
    assert built(site).rendered is None
    assert_as_cold(site, tmp_path)


def test_an_edit_makes_only_its_terms_feed_parts_and_search_entries_again(
    site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from generator.render import ics, search_index

    made: list[str] = []
    feeds, entries = ics._term_parts, search_index._calendar

    def feed_parts(items: ics.TermItems, *args: object) -> ics.TermParts:
        made.append("feeds " + next(iter(items.values()))[0].term.term.id)
        return feeds(items, *args)  # type: ignore[arg-type]

    def calendar(term: search_index.TermCalendar, *args: object) -> object:
        made.append("search " + term.term.id)
        return entries(term, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(ics, "_term_parts", feed_parts)
    monkeypatch.setattr(search_index, "_calendar", calendar)
    edit(site, "events.yaml", "title: 英文绘本入班登记", "title: 英文绘本登记")
    built(site)
    # the cold build kept both terms' parts: only the edited (current) term's are made
    assert made == ["feeds 2025-2026-2", "search 2025-2026-2"]
    assert_as_cold(site, tmp_path)
    made.clear()
    edit(
        site, "content/terms/2025-2026-1.yaml", "name: 2025学年第一学期", "name: 2025学年 第一学期"
    )
    built(site)
    assert made == ["feeds 2025-2026-1", "search 2025-2026-1"]
    assert_as_cold(site, tmp_path)
    made.clear()
    # a roster's sessions are in the terms they fall in: each such term's parts again
    edit(site, "content/rosters/story-parents.yaml", "name:", "name: 新")
    built(site)
    assert sorted(made) == ["feeds 2025-2026-2", "search 2025-2026-2"]
    assert_as_cold(site, tmp_path)


def test_a_public_build_makes_every_terms_feed_parts(
    make_site: Callable[..., Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A public site's calendars are masked with the names every roster gives: its terms'
    parts are not kept by their own files (a roster's new member would not be masked)."""
    from generator.render import ics

    site = make_site(sample=True)
    public = site / "public"
    pipeline.build(site, public, TODAY, public=True, workers=1)
    made: list[str] = []
    feeds = ics._term_parts

    def feed_parts(items: ics.TermItems, *args: object) -> ics.TermParts:
        made.append(next(iter(items.values()))[0].term.term.id)
        return feeds(items, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(ics, "_term_parts", feed_parts)
    edit(site, "events.yaml", "title: 英文绘本入班登记", "title: 英文绘本登记")
    pipeline.build(site, public, TODAY, public=True, workers=1)
    assert sorted(made) == ["2025-2026-1", "2025-2026-2"]
    cold = tmp_path / "cold"
    pipeline.build(site, cold, TODAY, public=True, workers=1, use_cache=False)
    assert tree(public) == tree(cold)


def test_a_build_after_an_edit_asks_the_holidays_package_nothing(site: Path) -> None:
    """The official days of the current term come from the cache (by its dates and the
    package's version): the warnings they give are the cold build's, the package unread.
    Its texts all kept, it imports neither Python-Markdown nor nh3 either."""
    import subprocess
    import sys

    edit(site, "events.yaml", "title: 英文绘本入班登记", "title: 英文绘本登记")
    script = (
        "import sys\n"
        "from generator import pipeline\n"
        "from datetime import date\n"
        f"r = pipeline.build(__import__('pathlib').Path({str(site)!r}),"
        f" __import__('pathlib').Path({str(site / 'public')!r}), date(2026, 3, 10), workers=1)\n"
        "print(r.rendered is not None, [p.code for p in r.warnings],"
        " any(m.startswith(('holidays', 'markdown', 'nh3')) for m in sys.modules))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, encoding="utf-8"
    )
    assert done.returncode == 0, done.stderr
    cold = pipeline.build(site, site.parent / "cold", TODAY, workers=1, use_cache=False)
    assert done.stdout.splitlines()[-1] == f"True {[p.code for p in cold.warnings]} False"
