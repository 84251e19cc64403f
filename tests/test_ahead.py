"""The files read and the Markdown rendered ahead while the site is read (`generator.ahead`):
what it puts in the cache is what the build would make, it never renders a body the load
refuses, it stops when asked and leaves no process behind, and a build with it makes the
same site, problems and cache as a build without it."""

from __future__ import annotations

import multiprocessing
import pickle
import shutil
from datetime import date
from pathlib import Path

import pytest
from conftest import copy_sample, tree

from benchmarks.synthetic import news_article
from generator import ahead as read_ahead
from generator import cache, pipeline
from generator.assemble.content import split_front_matter
from generator.assemble.site import files_read
from generator.kinds import KINDS
from generator.read.load import parse_and_validate
from generator.read.text import Source, read_source
from generator.render.markdown import plain_text
from generator.render.markdown_engine import render

TODAY = date(2026, 3, 10)
ARTICLES = read_ahead.MIN_FILES + 10

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


def test_what_it_makes_is_what_the_build_makes(site: Path) -> None:
    store = cache.BuildCache(None)
    ahead = read_ahead.start(site, KINDS, store)
    assert ahead is not None
    ahead._process.join(60)  # let it reach the end of the files
    files = files_read(site, KINDS)
    yaml = [(name, model) for name, model, markdown in files if not markdown]
    bodies = _bodies(site)
    # a parse per YAML file; per body its HTML, and its plain text for the search index
    assert ahead.finish() == len(yaml) + 2 * len(set(bodies))
    assert not ahead._process.is_alive()
    for body in bodies:
        assert store.get("markdown", cache.digest(body)) == render(body)
        assert store.lookup("plain", body, lambda: "not handed") == plain_text(render(body))
    alone = cache.BuildCache(None)  # each file's parse, as the build's own would be
    for name, model in yaml:
        source = read_source(site / name, name, site)
        assert isinstance(source, Source)
        key = (source.name, f"{model.__module__}.{model.__qualname__}", source.text)
        found = store.get("parse", cache.digest(*key))
        assert found is not None, name
        assert found == parse_and_validate(source, model, alone), name


def test_a_body_over_the_limits_is_not_rendered(site: Path) -> None:
    too_many = site / "content" / "news" / "brackets.md"
    too_many.write_text("---\ntitle: 括号\ndate: 2026-03-01\n---\n" + "[" * 501, encoding="utf-8")
    store = cache.BuildCache(None)
    ahead = read_ahead.start(site, KINDS, store)
    assert ahead is not None
    ahead._process.join(60)
    ahead.finish()
    assert store.get("markdown", cache.digest(_body(too_many))) is None
    assert store.get("markdown", cache.digest(_bodies(site)[0])) is not None


def test_stopped_at_once_it_ends_and_gives_what_it_made(site: Path) -> None:
    store = cache.BuildCache(None)
    ahead = read_ahead.start(site, KINDS, store)
    assert ahead is not None
    ahead.stop()
    assert not ahead._process.is_alive()
    assert ahead._process.exitcode == 0  # stopped, not killed
    assert 0 <= ahead.finish() < len(files_read(site, KINDS)) + len(_bodies(site))
    assert multiprocessing.active_children() == []


def test_not_started_for_a_few_files_or_without_fork(
    site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = cache.BuildCache(None)
    over = len(files_read(site, KINDS)) - (read_ahead.MIN_FILES - 1)
    for extra in sorted((site / "content" / "news").glob("bench-*.md"))[:over]:
        extra.unlink()
    assert len(files_read(site, KINDS)) == read_ahead.MIN_FILES - 1
    assert read_ahead.start(site, KINDS, store) is None
    (site / "content" / "news" / "one-more.md").write_text(news_article(1), encoding="utf-8")
    ahead = read_ahead.start(site, KINDS, store)
    assert ahead is not None  # MIN_FILES
    ahead.stop()
    monkeypatch.setattr(multiprocessing, "get_all_start_methods", lambda: ["spawn"])
    assert read_ahead.start(site, KINDS, store) is None


def test_a_build_with_it_makes_the_site_and_cache_a_build_without_it_makes(
    site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    alone = tmp_path / "alone"
    shutil.copytree(site, alone)
    started = []
    real_start = read_ahead.start

    def counted(*args: object) -> read_ahead.Ahead | None:
        made = real_start(*args)  # type: ignore[arg-type]
        started.append(made)
        return made

    monkeypatch.setattr(read_ahead, "start", counted)
    with_it = pipeline.build(site, site / "public", TODAY, workers=2)
    assert len(started) == 1 and started[0] is not None
    monkeypatch.setattr(read_ahead, "MIN_FILES", 10**6)
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
    real_start = read_ahead.start
    monkeypatch.setattr(
        read_ahead, "start", lambda *args: made.append(real_start(*args)) or made[-1]
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


def _cache_keys(site: Path, namespace: str) -> set[str]:
    with open(site / ".cache" / f"{namespace}.pickle", "rb") as f:
        records = pickle.Unpickler(f)
        records.load()
        keys = set()
        while f.peek(1):
            keys.add(records.load()[0])
    return keys


def test_the_same_files_parsed_and_kept(site: Path, tmp_path: Path) -> None:
    alone = tmp_path / "alone"
    shutil.copytree(site, alone)
    pipeline.build(site, site / "public", TODAY, workers=2)
    pipeline.build(alone, alone / "public", TODAY, workers=1)  # no helper
    assert _cache_keys(site, "parse") == _cache_keys(alone, "parse")


def test_the_same_problems_where_and_in_the_order_a_build_without_it_finds_them(
    site: Path, tmp_path: Path
) -> None:
    rosters = sorted((site / "content" / "rosters").glob("*.yaml"))
    broken = rosters[-1]  # among the first files the helper parses
    broken.write_text(broken.read_text("utf-8").replace("\n", "\n  bad: [\n", 1), encoding="utf-8")
    article = site / "content" / "news" / f"bench-{ARTICLES - 1:05d}.md"
    article.write_text(
        article.read_text("utf-8").replace("date:", "date: 2026-13-01\nx:", 1), "utf-8"
    )
    alone = tmp_path / "alone"
    shutil.copytree(site, alone)
    with pytest.raises(pipeline.BuildFailed) as with_it:
        pipeline.build(site, site / "public", TODAY, workers=2)
    with pytest.raises(pipeline.BuildFailed) as without:
        pipeline.build(alone, alone / "public", TODAY, workers=1)
    found = [(p.code, p.position.file, p.position.line) for p in with_it.value.report.problems]
    assert found == [
        (p.code, p.position.file, p.position.line) for p in without.value.report.problems
    ]
    assert found == [
        ("E101", f"content/rosters/{broken.name}", 10),
        ("E204", f"content/news/{article.name}", 3),
        ("E203", f"content/news/{article.name}", 4),
    ]
