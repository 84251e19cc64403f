"""The Markdown rendered ahead while the site is read (`render.markdown_ahead`): what it puts
in the cache is what the pages would render, it never renders a body the load refuses, it
stops when asked and leaves no process behind, and a build with it makes the same site and
the same cache as a build without it."""

from __future__ import annotations

import multiprocessing
import pickle
import shutil
from datetime import date
from pathlib import Path

import pytest
from conftest import copy_sample, tree

from benchmarks.synthetic import news_article
from generator import cache, pipeline
from generator.assemble.content import split_front_matter
from generator.kinds import KINDS
from generator.read.text import Source
from generator.render import markdown_ahead
from generator.render.markdown_engine import render

TODAY = date(2026, 3, 10)
ARTICLES = markdown_ahead.MIN_FILES + 10

pytestmark = pytest.mark.skipif(
    "fork" not in multiprocessing.get_all_start_methods(), reason="no fork here (Windows)"
)


@pytest.fixture
def site(tmp_path: Path) -> Path:
    site = tmp_path / "site"
    site.mkdir()
    copy_sample(site)
    news = site / "content" / "news"
    for n in range(ARTICLES):
        (news / f"bench-{n:05d}.md").write_text(news_article(n), encoding="utf-8")
    return site


def _body(path: Path) -> str:
    front, body, _ = split_front_matter(Source(path.name, path.read_text("utf-8")))
    assert front is not None
    return body


def _bodies(site: Path) -> list[str]:
    return [
        _body(p) for folder in ("news", "pages") for p in (site / "content" / folder).glob("*.md")
    ]


def _markdown_entries(site: Path) -> dict[str, bytes]:
    with open(site / ".cache" / "markdown.pickle", "rb") as f:
        records = pickle.Unpickler(f)
        records.load()  # the version
        entries = {}
        while f.peek(1):
            key, raw = records.load()
            entries[key] = raw
    return entries


def test_what_it_renders_is_what_the_pages_render(site: Path) -> None:
    store = cache.BuildCache(None)
    ahead = markdown_ahead.start(site, KINDS, store)
    assert ahead is not None
    ahead._process.join(60)  # let it reach the end of the files
    bodies = _bodies(site)
    assert ahead.finish(store) == len(set(bodies))
    for body in bodies:
        assert store.get("markdown", cache.digest(body)) == render(body)
    assert not ahead._process.is_alive()


def test_a_body_over_the_limits_is_not_rendered(site: Path) -> None:
    too_many = site / "content" / "news" / "brackets.md"
    too_many.write_text("---\ntitle: 括号\ndate: 2026-03-01\n---\n" + "[" * 501, encoding="utf-8")
    store = cache.BuildCache(None)
    ahead = markdown_ahead.start(site, KINDS, store)
    assert ahead is not None
    ahead._process.join(60)
    ahead.finish(store)
    assert store.get("markdown", cache.digest(_body(too_many))) is None
    assert store.get("markdown", cache.digest(_bodies(site)[0])) is not None


def test_stopped_at_once_it_ends_and_gives_what_it_made(site: Path) -> None:
    store = cache.BuildCache(None)
    ahead = markdown_ahead.start(site, KINDS, store)
    assert ahead is not None
    ahead.stop()
    assert not ahead._process.is_alive()
    assert ahead._process.exitcode == 0  # stopped, not killed
    assert 0 <= ahead.finish(store) < len(_bodies(site))
    assert multiprocessing.active_children() == []


def test_not_started_for_a_few_files_or_without_fork(
    site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = cache.BuildCache(None)
    over = len(_bodies(site)) - (markdown_ahead.MIN_FILES - 1)
    for extra in sorted((site / "content" / "news").glob("bench-*.md"))[:over]:
        extra.unlink()
    assert len(_bodies(site)) == markdown_ahead.MIN_FILES - 1
    assert markdown_ahead.start(site, KINDS, store) is None
    (site / "content" / "news" / "one-more.md").write_text(news_article(1), encoding="utf-8")
    ahead = markdown_ahead.start(site, KINDS, store)
    assert ahead is not None  # MIN_FILES
    ahead.stop()
    monkeypatch.setattr(multiprocessing, "get_all_start_methods", lambda: ["spawn"])
    assert markdown_ahead.start(site, KINDS, store) is None


def test_a_build_with_it_makes_the_site_and_cache_a_build_without_it_makes(
    site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    alone = tmp_path / "alone"
    shutil.copytree(site, alone)
    started = []
    real_start = markdown_ahead.start

    def counted(*args: object) -> markdown_ahead.Ahead | None:
        made = real_start(*args)  # type: ignore[arg-type]
        started.append(made)
        return made

    monkeypatch.setattr(markdown_ahead, "start", counted)
    with_it = pipeline.build(site, site / "public", TODAY, workers=2)
    assert len(started) == 1 and started[0] is not None
    monkeypatch.setattr(markdown_ahead, "MIN_FILES", 10**6)
    without = pipeline.build(alone, alone / "public", TODAY, workers=2)
    assert started[1] is None
    assert with_it.pages == without.pages
    assert tree(site / "public") == tree(alone / "public")
    assert _markdown_entries(site) == _markdown_entries(alone)
    assert multiprocessing.active_children() == []


def test_a_build_that_fails_while_reading_stops_it(
    site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    made = []
    real_start = markdown_ahead.start
    monkeypatch.setattr(
        markdown_ahead, "start", lambda *args: made.append(real_start(*args)) or made[-1]
    )
    (site / "events.yaml").write_text("term: [", encoding="utf-8")
    with pytest.raises(pipeline.BuildFailed):
        pipeline.build(site, site / "public", TODAY)
    assert made[0] is not None and not made[0]._process.is_alive()
    assert multiprocessing.active_children() == []
    assert not (site / "public").exists()


def test_what_it_made_is_kept_by_a_worker_and_saved_though_nothing_else_is_new(
    tmp_path: Path,
) -> None:
    store = cache.BuildCache(tmp_path)
    raw = pickle.dumps("<p>读书</p>")
    store.take({"markdown": {"key": raw}}, {})
    store.forget()  # what a forked render worker does first
    assert store.get("markdown", "key") == "<p>读书</p>"
    store.save()
    assert _markdown_entries(tmp_path) == {"key": raw}
