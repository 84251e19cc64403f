"""Parallel rendering, the build cache in <site>/.cache, and the benchmark runner's report."""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from browser import chromium_path
from conftest import MINIMAL_EVENTS, tree

from benchmarks import floor, search_latency, serve_profile
from benchmarks import run as bench
from benchmarks.synthetic import news_corpus, school_corpus
from generator import cache, pipeline
from generator.memo import NO_MEMO
from generator.render.environment import relative_url
from generator.render.markdown import plain_text, render_markdown
from generator.render.search_index import plain
from generator.serve.memo import PreviewMemo

TODAY = date(2026, 3, 10)
ROOT = Path(__file__).resolve().parent.parent
# what serve_latency.measure reports
LATENCY = {"median_ms", "min_ms", "max_ms", "pages", "rendered", "written"}
PAGE = "---\ntitle: 关于\n---\n正文"
EVENT = "title: 英文绘本入班登记"


def test_two_workers_write_the_same_bytes_as_one(make_site: Callable[..., Path]) -> None:
    site = make_site(sample=True)
    one = pipeline.build(site, site.parent / "one", TODAY, workers=1, use_cache=False)
    two = pipeline.build(site, site.parent / "two", TODAY, workers=2, use_cache=False)
    assert (one.pages, two.pages) == (119, 119)
    assert tree(site.parent / "one") == tree(site.parent / "two")


def test_a_big_news_site_renders_in_two_processes_identically(tmp_path: Path) -> None:
    site = news_corpus(tmp_path / "news", 120)
    one = pipeline.build(site, tmp_path / "one", TODAY, workers=1, use_cache=False)
    two = pipeline.build(site, tmp_path / "two", TODAY, workers=2)  # through the cache too
    assert (one.pages, two.pages) == (258, 258)
    assert tree(tmp_path / "one") == tree(tmp_path / "two")


def test_the_render_chunks_cover_every_job_once_and_get_smaller() -> None:
    from generator.render.pages import chunk_bounds

    # each a quarter of what is left (two workers), down to one job
    assert chunk_bounds(100, 2) == [
        (0, 25), (25, 44), (44, 58), (58, 69), (69, 77), (77, 83), (83, 88),
        (88, 91), (91, 94), (94, 96), (96, 97), (97, 98), (98, 99), (99, 100),
    ]  # fmt: skip
    # a big site's last chunks are 1/512 of it: the kinds' list pages at the end of the
    # plan are shared out, not one worker's last chunk
    sizes = [end - start for start, end in chunk_bounds(4526, 2)]
    assert sizes[:3] == [1132, 849, 637]
    assert sizes[-4:] == [9, 8, 8, 8]
    assert sum(sizes) == 4526
    assert chunk_bounds(3, 2) == [(0, 1), (1, 2), (2, 3)]
    assert chunk_bounds(0, 2) == []


def test_the_feeds_are_made_in_the_workers_term_by_term_and_come_out_the_same(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two workers make each term's VEVENTs of every feed beside the pages (the parent only
    joins them), and the feeds are byte for byte those of a one-process build."""
    from generator.render import ics

    site = school_corpus(tmp_path / "school", events=20, news=10, rosters=4, sessions=10)
    makers = tmp_path / "makers"
    real = ics.term_parts

    def recorded(*args: object, **kwargs: object) -> object:
        with open(makers, "a", encoding="utf-8") as f:
            f.write(f"{os.getpid()}\n")
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(ics, "term_parts", recorded)
    one = pipeline.build(site, tmp_path / "one", TODAY, workers=1, use_cache=False)
    made_by_one = makers.read_text("utf-8").split()
    makers.unlink()
    two = pipeline.build(site, tmp_path / "two", TODAY, workers=2, use_cache=False)
    made_by_two = makers.read_text("utf-8").split()
    assert made_by_one == [str(os.getpid())] * 10  # the sample's 2 terms and 8 earlier ones
    assert len(made_by_two) == 10 and str(os.getpid()) not in made_by_two
    assert one.pages == two.pages
    feeds = {p: b for p, b in tree(tmp_path / "one").items() if p.endswith(".ics")}
    assert len(feeds) == 29 and tree(tmp_path / "two") == tree(tmp_path / "one")
    assert all(b.count(b"BEGIN:VEVENT") for b in feeds.values())


def test_a_warm_rebuild_with_nothing_changed_writes_nothing(
    make_site: Callable[..., Path],
) -> None:
    site = make_site(sample=True)
    out = site / "public"
    first = pipeline.build(site, out, TODAY)
    before = {p: p.stat().st_mtime_ns for p in out.rglob("*")}
    cached = sorted(p.name for p in (site / ".cache").iterdir())
    assert cached == [
        ".gitignore",
        "build.pickle",
        "docx.pickle",  # the documents' Word files
        "feed-term.pickle",  # each term's part of every feed
        "markdown.pickle",
        "official-days.pickle",  # the current term's official holidays
        "parse.pickle",
        "search-term-json.pickle",  # each term's search entries
    ]  # the compiled templates are in the user's folder
    stamps = {p.name: p.stat().st_mtime_ns for p in (site / ".cache").iterdir()}

    again = pipeline.build(site, out, TODAY)
    assert again.site is None
    assert first.write == pipeline.WriteReport(156, 0, 0)
    assert (again.pages, again.write) == (119, pipeline.WriteReport(0, 156, 0))
    assert again.warnings == first.warnings
    assert {p: p.stat().st_mtime_ns for p in out.rglob("*")} == before
    assert {p.name: p.stat().st_mtime_ns for p in (site / ".cache").iterdir()} == stamps


def test_an_edit_after_a_cached_build_shows(make_site: Callable[..., Path]) -> None:
    site = make_site(sample=True)
    out = site / "public"
    pipeline.build(site, out, TODAY)
    events = site / "events.yaml"
    events.write_text(
        events.read_text(encoding="utf-8").replace(EVENT, EVENT + "二"), encoding="utf-8"
    )
    edited = pipeline.build(site, out, TODAY)
    assert edited.site is not None
    # the month, its week, both print pages, agenda, 2 feeds, search index, the plan and
    # summary (page, .docx)
    assert edited.write.written == 12
    assert tree(out) == tree(_fresh(site))


def test_the_cache_never_passes_an_intranet_build_off_as_a_public_one(
    make_site: Callable[..., Path],
) -> None:
    site = make_site(sample=True)
    out = site / "public"
    pipeline.build(site, out, TODAY)
    assert "王丽娟" in (out / "rosters/story-parents/index.html").read_text("utf-8")
    public = pipeline.build(site, out, TODAY, public=True)
    assert public.site is not None  # really built, not skipped as "nothing changed"
    assert "王丽娟" not in (out / "rosters/story-parents/index.html").read_text("utf-8")
    again = pipeline.build(site, out, TODAY, public=True)
    assert (again.site, again.write.written) == (None, 0)
    assert again.privacy == public.privacy  # the report is still printed for a no-op build


def test_a_changed_output_folder_is_rebuilt(make_site: Callable[..., Path]) -> None:
    site = make_site(sample=True)
    out = site / "public"
    pipeline.build(site, out, TODAY)
    (out / "index.html").write_text("edited by hand", encoding="utf-8")
    again = pipeline.build(site, out, TODAY)
    assert again.write.written == 1
    assert tree(out) == tree(_fresh(site))


def test_a_deleted_or_corrupt_cache_still_builds_the_same_site(
    make_site: Callable[..., Path],
) -> None:
    site = make_site(sample=True)
    out = site / "public"
    expected = tree(_fresh(site))
    pipeline.build(site, out, TODAY)
    for entry in (site / ".cache").glob("*.pickle"):
        entry.write_bytes(b"\x80\x05not a pickle at all")
    (out / "404.html").unlink()  # so the build cannot stop at its fingerprint
    assert pipeline.build(site, out, TODAY).write.written == 1
    assert tree(out) == expected
    for entry in (site / ".cache").glob("*.pickle"):
        entry.unlink()
    assert pipeline.build(site, out, TODAY).write.written == 0
    assert tree(out) == expected


def test_a_cache_from_another_version_is_ignored(make_site: Callable[..., Path]) -> None:
    site = make_site({"content/pages/extra.md": "---\ntitle: 额外\n---\n**你好**\n"}, sample=True)
    pipeline.build(site, site / "public", TODAY)
    key = cache.digest("**你好**\n")
    assert cache.BuildCache(site).get("markdown", key) == "<p><strong>你好</strong></p>"
    assert cache.BuildCache(site, version="another").get("markdown", key) is None
    # A poisoned entry under another version key is never used.
    other = cache.BuildCache(site, version="another")
    other.put("markdown", key, "<p>poisoned</p>")
    other.save()
    assert cache.BuildCache(site).get("markdown", key) is None
    (site / "public" / "404.html").unlink()
    pipeline.build(site, site / "public", TODAY)
    assert "poisoned" not in (site / "public" / "extra" / "index.html").read_text("utf-8")
    assert tree(site / "public") == tree(_fresh(site))


def test_entries_only_a_worker_read_or_made_are_saved(tmp_path: Path) -> None:
    first = cache.BuildCache(tmp_path)
    first.put("markdown", "read", "<p>read by a worker</p>")
    first.put("markdown", "dropped", "<p>used by nobody</p>")
    first.save()
    parent, worker = cache.BuildCache(tmp_path), cache.BuildCache(tmp_path)
    assert parent.get("parse", "unknown") is None
    assert worker.get("markdown", "read") == "<p>read by a worker</p>"
    worker.put("markdown", "made", "<p>made by a worker</p>")
    parent.merge(*worker.handback())
    assert worker.handback() == ({"markdown": {}}, {"markdown": set()})  # handed back once
    parent.save()
    saved = cache.BuildCache(tmp_path)
    assert saved.get("markdown", "read") == "<p>read by a worker</p>"
    assert saved.get("markdown", "made") == "<p>made by a worker</p>"
    assert saved.get("markdown", "dropped") is None  # only what the last build used is kept


def test_an_entry_is_kept_pickled_and_a_worker_forgets_what_it_handed_back(
    tmp_path: Path,
) -> None:
    worker, parent = cache.BuildCache(tmp_path), cache.BuildCache(tmp_path)
    made = ["<p>made by a worker</p>"]
    worker.put("markdown", "made", made)
    made.append("changed after it was put")  # pickled when put: the object is not kept
    assert worker.get("markdown", "made") == ["<p>made by a worker</p>"]
    parent.merge(*worker.handback())
    # handed back: the parent has it, the worker keeps nothing of it
    assert worker.get("markdown", "made") is None
    assert parent.get("markdown", "made") == ["<p>made by a worker</p>"]
    parent.put("parse", "file", {"title": "新书"})
    worker.forget()  # as a worker forked from this parent does first
    assert worker.get("parse", "file") is None


def _saved(site: Path, namespace: str) -> list[tuple[str, bytes]]:
    """The records of a namespace's cache file, in order."""
    with open(site / cache.FOLDER / f"{namespace}.pickle", "rb") as f:
        records = pickle.Unpickler(f)
        assert records.load() == cache.KEY
        found = []
        while f.peek(1):
            found.append(records.load())
    return found


def test_what_workers_hand_back_waits_on_disk_and_is_saved_once(tmp_path: Path) -> None:
    first = cache.BuildCache(tmp_path)
    first.put("markdown", "read", "<p>read</p>")
    first.save()
    parent, worker = cache.BuildCache(tmp_path), cache.BuildCache(tmp_path)
    assert parent.get("markdown", "read") == "<p>read</p>"
    worker.put("markdown", "made", "<p>made by a worker</p>")
    worker.put("markdown", "read", "<p>read</p>")  # made again by a worker that lacked it
    parent.merge(*worker.handback())
    parent.take({"parse": {"file": pickle.dumps({"title": "新书"})}}, {})  # the helper's
    # not held in this process: in its scratch file, read back when asked for
    assert "made" not in parent._used["markdown"] and "file" not in parent._used["parse"]
    assert parent.get("markdown", "made") == "<p>made by a worker</p>"
    assert parent.get("parse", "file") == {"title": "新书"}
    parent.save()
    assert _saved(tmp_path, "markdown") == [
        ("made", pickle.dumps("<p>made by a worker</p>", pickle.HIGHEST_PROTOCOL)),
        ("read", pickle.dumps("<p>read</p>", pickle.HIGHEST_PROTOCOL)),
    ]
    assert [key for key, _ in _saved(tmp_path, "parse")] == ["file"]
    again = cache.BuildCache(tmp_path)
    assert again.get("markdown", "made") == "<p>made by a worker</p>"


def test_a_workers_plain_text_is_handed_over_once_and_never_saved(tmp_path: Path) -> None:
    text = "**《小王子》**读后感，\n写在假期。\n\n- 一\n- 二 &amp; 三"
    worker, parent = cache.BuildCache(tmp_path), cache.BuildCache(tmp_path)
    html = render_markdown(text, worker)  # a page's Markdown, rendered by a worker
    fresh, _ = worker.handback()
    assert list(fresh["plain"].values()) == [
        pickle.dumps("《小王子》读后感，写在假期。 一 二 & 三", pickle.HIGHEST_PROTOCOL)
    ]
    parent.merge(fresh, {})
    made: list[str] = []

    def compute() -> str:
        made.append(text)
        return "made here"

    assert parent.lookup("plain", text, compute) == plain_text(html)
    assert made == []  # handed over: not made again
    assert parent.lookup("plain", text, compute) == "made here"  # given once
    assert plain(NO_MEMO, text) == "《小王子》读后感，写在假期。 一 二 & 三"
    parent.save()
    assert not (tmp_path / cache.FOLDER / "plain.pickle").exists()
    assert [key for key, _ in _saved(tmp_path, "markdown")] == [cache.digest(text)]


def test_a_kept_iterator_is_kept_as_what_it_gave() -> None:
    memo = PreviewMemo()

    def pieces() -> Iterator[bytes]:
        yield from (b"a", b"b")

    kept = memo.keep("search-kind-json", "news", ("views",), pieces)
    assert list(kept) == list(kept) == [b"a", b"b"]  # a list: gone through as often as asked
    assert memo.keep("search-kind-json", "news", ("views",), pieces) is kept
    passed = cache.BuildCache(None).keep("search-kind-json", "news", ("views",), pieces)
    assert isinstance(passed, Iterator) and list(passed) == [b"a", b"b"]  # not held


def _later(known: cache.Known) -> cache.Known:
    """`known` as if read a minute later: the files were not written in the tick they were
    read in (a test writes them a moment before)."""
    stats, read_at = known
    return stats, read_at + 60 * 10**9


def test_an_input_read_by_the_last_build_and_unchanged_is_not_read_again(
    make_site: Callable[..., Path], tmp_path: Path
) -> None:
    site = make_site({"events.yaml": MINIMAL_EVENTS, "content/pages/about.md": PAGE})
    out = tmp_path / "out"
    first, files, known, read = cache.input_state(site, out, TODAY)
    assert read == len(files) == len(list(cache.input_files(site)))
    again, same, _, read_again = cache.input_state(site, out, TODAY, "", _later(known))
    assert (again, same, read_again) == (first, files, 0)
    page = site / "content/pages/about.md"
    page.write_text(PAGE + "改", encoding="utf-8")
    changed, now, _, read_changed = cache.input_state(site, out, TODAY, "", _later(known))
    assert read_changed == 1 and changed != first
    assert {name for name in files if now[name] != files[name]} == {str(page)}
    assert now[str(page)] == hashlib.sha256(page.read_bytes()).hexdigest()


def test_an_input_with_its_time_put_back_or_written_in_the_tick_it_was_read_is_read_again(
    make_site: Callable[..., Path], tmp_path: Path
) -> None:
    site, out = make_site({"events.yaml": MINIMAL_EVENTS}), tmp_path / "out"
    events = site / "events.yaml"
    _, files, known, _ = cache.input_state(site, out, TODAY)
    # the same size and modification time, other bytes: its change time (on Windows its
    # creation time: a copy put back) gives it away
    before = events.stat()
    events.write_text(
        events.read_text(encoding="utf-8").replace("2025", "2024", 1), encoding="utf-8"
    )
    os.utime(events, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert events.stat().st_size == before.st_size
    _, now, known, read = cache.input_state(site, out, TODAY, "", _later(known))
    assert read == 1 and now[str(events)] != files[str(events)]
    # every time as it was, but written less than a coarse clock's tick before the reading
    stats, _ = known
    tick = max(stats[str(events)][1:3]) + cache.SAME_TICK_NS // 2
    in_tick = {name for name, st in stats.items() if max(st[1:3]) >= tick - cache.SAME_TICK_NS}
    assert str(events) in in_tick and len(in_tick) < len(stats)  # not the installed theme's
    _, _, _, read = cache.input_state(site, out, TODAY, "", (stats, tick))
    assert read == len(in_tick)


def other_versions(user: Path, namespace: str) -> tuple[Path, float]:
    """Two other versions' folders of `namespace` in the user's cache folder: one unused for
    longer than they are kept, one in use (given back, with the time a week and a minute
    ago)."""
    unused, in_use = user / f"{namespace}-0123456789abcdef", user / f"{namespace}-fedcba9876543210"
    for folder in (unused, in_use):
        folder.mkdir(parents=True)
    week_ago = time.time() - cache.OTHER_VERSIONS_KEPT.total_seconds() - 60
    os.utime(unused, (week_ago, week_ago))
    return in_use, week_ago


def test_compiled_templates_are_kept_in_the_users_folder_for_this_version_only(
    make_site: Callable[..., Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    user = tmp_path / "user"
    in_use, _ = other_versions(user, "templates")
    monkeypatch.setenv(cache.USER_CACHE_ENV, str(user))
    site = make_site(
        {
            "events.yaml": MINIMAL_EVENTS,
            "content/site.yaml": "school: 星光小学\ntheme: starlight\n",
            "themes/starlight/templates/404.html": "<p>找不到</p>\n",
            ".cache/templates-0123456789abcdef/__jinja2_old.cache": "the site's, from before",
        }
    )
    out = site / "public"
    pipeline.build(site, out, TODAY)
    # another version's, unused for a week, is removed; one in use by another version stays
    kept = sorted(p.name for p in user.glob("templates-*"))
    assert kept == sorted([in_use.name, f"templates-{cache.KEY}"])
    assert list((site / ".cache").glob("templates-*")) == []
    compiled = list((user / f"templates-{cache.KEY}").iterdir())
    assert len(compiled) == 22  # every template the pages used, 404.html among them
    # A template edited since: its compiled code is not used (Jinja compares the source).
    (site / "themes/starlight/templates/404.html").write_text("<p>没有这一页</p>\n", "utf-8")
    pipeline.build(site, out, TODAY)
    assert (out / "404.html").read_text("utf-8") == "<p>没有这一页</p>\n"
    assert tree(out) == tree(_fresh(site))


def test_a_second_site_finds_the_theme_compiled(
    make_site: Callable[..., Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import jinja2

    monkeypatch.setenv(cache.USER_CACHE_ENV, str(tmp_path / "user"))
    first = make_site({"events.yaml": MINIMAL_EVENTS})
    pipeline.build(first, first / "public", TODAY)
    compiled: list[str | None] = []
    real = jinja2.Environment.compile

    def compile(self: jinja2.Environment, source: str, name: str | None = None, *a: Any) -> Any:
        compiled.append(name)
        return real(self, source, name, *a)

    monkeypatch.setattr(jinja2.Environment, "compile", compile)
    second = tmp_path / "second"
    shutil.copytree(first, second, ignore=shutil.ignore_patterns("public", ".cache"))
    pipeline.build(second, second / "public", TODAY)
    assert compiled == []
    assert tree(second / "public") == tree(first / "public")


def test_without_a_users_folder_the_compiled_templates_go_in_the_sites(
    make_site: Callable[..., Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    not_a_folder = tmp_path / "a-file"
    not_a_folder.write_text("", "utf-8")
    monkeypatch.setenv(cache.USER_CACHE_ENV, str(not_a_folder))
    site = make_site({"events.yaml": MINIMAL_EVENTS})
    pipeline.build(site, site / "public", TODAY)
    folders = [p.name for p in (site / ".cache").glob("templates-*")]
    assert folders == [f"templates-{cache.KEY}"]
    assert len(list((site / ".cache" / folders[0]).iterdir())) == 22
    assert tree(site / "public") == tree(_fresh(site))


def test_the_preview_memo_keeps_a_file_until_the_watcher_names_it() -> None:
    memo = PreviewMemo()
    read: list[str] = []

    def reader(text: str) -> Callable[[], str]:
        return lambda: read.append(text) or text

    memo.begin(None)
    assert memo.load("events.yaml", reader("a")) == "a"
    memo.begin({"content/news/x.md"})
    assert memo.load("events.yaml", reader("b")) == "a"  # not named: not read again
    memo.begin({"events.yaml"})
    assert memo.load("events.yaml", reader("c")) == "c"
    assert (read, memo.loaded) == (["a", "c"], ["events.yaml"])
    assert memo.lookup("markdown", "**x**", lambda: "1") == "1"
    assert memo.lookup("markdown", "**x**", lambda: "2") == "1"  # by value
    assert NO_MEMO.lookup("markdown", "**x**", lambda: "3") == "3"


def test_a_build_with_nothing_to_do_loads_none_of_the_stages(
    make_site: Callable[..., Path],
) -> None:
    site = make_site(sample=True)
    pipeline.build(site, site / "public", TODAY)
    script = (
        "import sys\n"
        "from generator.cli import main\n"
        f"code = main(['--site', {str(site)!r}, '--today', '2026-03-10', '--lang', 'en'])\n"
        "heavy = sorted(m for m in ('pydantic', 'jinja2', 'markdown', 'icalendar', 'babel')"
        " if m in sys.modules)\n"
        "print(code, heavy)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, encoding="utf-8"
    )
    assert done.stderr == ""
    assert done.stdout.splitlines()[-1] == "0 []"
    assert "0 files written, 156 unchanged" in done.stdout


def test_markdown_through_the_cache_is_the_same_markup(tmp_path: Path) -> None:
    text = "**粗体** and <script>x</script> [a](javascript:alert(1))\n"
    plain = render_markdown(text)
    store = cache.BuildCache(tmp_path)
    assert render_markdown(text, store) == plain
    assert store.get("markdown", cache.digest(text)) == str(plain)
    assert str(plain) == "<p><strong>粗体</strong> and  <a>a</a></p>"


@pytest.mark.parametrize(
    ("page", "target", "link"),
    [
        ("index.html", "news/a/index.html", "news/a/index.html"),
        ("news/a/index.html", "index.html", "../../index.html"),
        ("news/a/index.html", "news/b/index.html#x", "../b/index.html#x"),
        ("news/a/index.html", "news/a/index.html", "index.html"),
        ("news/tags/t/index.html", "news/index.html", "../../index.html"),
        ("a/b/index.html", "a", ".."),
        ("a/index.html", "a", "."),
        ("a/index.html", "#top", "#top"),
    ],
)
def test_relative_links(page: str, target: str, link: str) -> None:
    assert relative_url(page, target) == link


@pytest.mark.browser  # the search page's latency, in Chromium
@pytest.mark.slow
def test_quick_benchmark_report_has_every_case(tmp_path: Path) -> None:
    report_file = tmp_path / "report.json"
    assert bench.main(["--quick", "--runs", "1", "--edits", "1", "--json", str(report_file)]) == 0
    report = json.loads(report_file.read_text(encoding="utf-8"))
    assert set(report) == {"machine", "quick", "corpora", "scaling"}
    assert set(report["machine"]) == {"nproc", "cpu", "python"}
    assert list(report["corpora"]) == ["school", "sample", "news-50", "news-200", "archive"]
    for name, entry in report["corpora"].items():
        cases = {"cold", "first", "warm", "edit"} | ({"serve"} if name != "news-50" else set())
        cases |= {"search"} if name == "archive" else set()
        assert set(entry) == cases
        for case in ("cold", "first", "warm", "edit"):
            assert set(entry[case]) == {"runs", "wall", "cpu", "rss_mb", "written"}
            assert set(entry[case]["wall"]) == {"median", "min", "max"}
            assert entry[case]["runs"] == 1
        assert entry["warm"]["written"] == 0
        assert entry["edit"]["written"] >= 1
        assert entry["first"]["written"] == entry["cold"]["written"]
    assert set(report["corpora"]["archive"]["serve"]) == LATENCY
    search = report["corpora"]["archive"]["search"]
    if chromium_path() is None and os.environ.get("REQUIRE_BROWSER") != "1":
        assert set(search) == {"error"}
    else:
        assert set(search) == {
            "median_ms",
            "min_ms",
            "max_ms",
            "queries",
            "found",
            "items",
            "index_bytes",
        }
        assert search["queries"] == len(search_latency.QUERIES)
        assert 0 < search["found"] <= search["queries"]
        assert search["items"] > 96  # the sample's, and 2 archive terms' events, rosters…
    assert report["scaling"] > 0


def test_the_floor_benchmark_times_every_stage_of_a_real_build(tmp_path: Path) -> None:
    report_file = tmp_path / "floor.json"
    assert floor.main(["--quick", "--runs", "1", "--news", "3", "--json", str(report_file)]) == 0
    report = json.loads(report_file.read_text(encoding="utf-8"))
    assert set(report) == {"machine", "corpus", "runs", "cases", "news corpus", "news"}
    assert (report["corpus"], report["runs"]) == ("school (quick)", 1)
    cases = report["cases"]
    assert list(cases) == [
        "interpreter",
        "cold libraries",
        "cold imports",
        "cold build",
        "cold staged",
        "edit libraries",
        "edit imports",
        "edit build",
        "edit staged",
    ]
    for case in ("cold", "edit"):
        staged, build = cases[f"{case} staged"], cases[f"{case} build"]
        assert set(staged["stages"]) == {
            "imports", "load", "plan", "changes", "render", "rest", "build"
        }  # fmt: skip
        # every stage was timed: pipeline still calls each by the name floor.STAGES gives
        assert all(staged["stages"][s] > 0 for s in ("load", "plan", "changes", "render"))
        # the staged build did the same work as build.py's
        assert staged["written"] == build["written"]
        # ours are ~75 of an edit build's modules: the libraries are the rest
        assert 100 < cases[f"{case} libraries"]["modules"] < cases[f"{case} imports"]["modules"]
    assert cases["edit build"]["written"] < cases["cold build"]["written"]
    # the workers' imports count for a cold build (Markdown, python-docx), not for an edit's
    assert cases["cold imports"]["modules"] > cases["edit imports"]["modules"] > 100
    # the news corpus: the sample's articles and the 3 made for it, each a page of the floor
    sample_news = len(list((ROOT / "content" / "news").glob("*.md")))
    assert report["news corpus"] == "news-3"
    assert list(report["news"]) == ["cold build", "articles"]  # no --hugo: no Hugo
    assert report["news"]["articles"]["pages"] == sample_news + 3


def test_the_articles_floor_does_the_build_s_work_for_each_article(tmp_path: Path) -> None:
    """floor.ARTICLES renders what the build's article pages show, and writes a page each,
    split over every core: the floor is the articles' own work, not a part of it."""
    site = news_corpus(tmp_path / "news", 5)
    out = tmp_path / "articles"
    done = subprocess.run(
        [sys.executable, "-c", floor.ARTICLES, str(site), str(out)],
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        encoding="utf-8",
    )
    assert (done.returncode, done.stderr) == (0, "")
    names = sorted(p.stem for p in (site / "content" / "news").glob("*.md"))
    assert sorted(p.parent.name for p in out.glob("news/*/index.html")) == names
    built = tmp_path / "built"
    pipeline.build(site, built, TODAY, workers=1, use_cache=False)
    for name in names:
        body = (out / "news" / name / "index.html").read_text(encoding="utf-8")
        assert body.startswith("<p>")
        assert body in (built / "news" / name / "index.html").read_text(encoding="utf-8")


@pytest.mark.slow
def test_the_preview_s_profile_covers_each_edit_s_build_until_it_is_served(
    tmp_path: Path,
) -> None:
    report_file = tmp_path / "profile.json"
    argv = ["--quick", "--edits", "2", "--top", "40", "--json", str(report_file)]
    assert serve_profile.main(argv) == 0
    report = json.loads(report_file.read_text(encoding="utf-8"))
    assert list(report["trees"]) == ["after"]  # no --before: this checkout alone
    found = report["trees"]["after"]
    assert found["tree"] == str(ROOT)
    assert set(found) == {"tree", "latency", "profiled", "window_ms", "top"}
    assert set(found["latency"]) == LATENCY
    assert found["profiled"] == 2  # each edit's first build, the first edit's left out
    rows = {row["function"].split("(")[-1].rstrip(")"): row for row in found["top"]}
    # the window is the build thread's: its build, opened once per edit, is all of it
    run_build = rows["_run_build"]
    assert run_build["function"].startswith("serve/preview.py:")
    assert (run_build["calls"], 0.9 < run_build["share"] <= 1.0) == (1.0, True)
    # ... and the whole edit's work is in it: the site loaded, the month page rendered
    assert rows["load_site"]["calls"] == 1.0
    assert any("templates/month.html:" in row["function"] for row in found["top"])
    assert [row["share"] for row in found["top"]] == sorted(
        (row["share"] for row in found["top"]), reverse=True
    )


def test_the_floor_s_libraries_are_the_imports_without_ours() -> None:
    modules = ["encodings", "generator", "yaml.reader", "generator.cli", "generators", "jinja2"]
    assert floor.libraries(modules) == ["encodings", "yaml.reader", "generators", "jinja2"]


def test_the_floor_reads_every_module_a_command_imports_in_its_order(tmp_path: Path) -> None:
    # tomllib: a package no interpreter imports as it starts
    names = floor.imported_modules([sys.executable, "-c", "import tomllib"], tmp_path)
    assert names[-3:] == ["tomllib._re", "tomllib._parser", "tomllib"]  # each once it is done
    assert names.index("tomllib._types") < names.index("tomllib._re")
    assert "imported package" not in names  # importtime's header
    assert len(names) == len(set(names))


def _fresh(site: Path) -> Path:
    out = site.parent / "fresh"
    pipeline.build(site, out, TODAY, workers=1, use_cache=False)
    return out


def test_the_school_corpus_is_one_school_over_five_years(tmp_path: Path) -> None:
    from benchmarks.synthetic import school_corpus

    one, two = school_corpus(tmp_path / "one"), school_corpus(tmp_path / "two")
    assert tree(one) == tree(two)  # deterministic
    content = one / "content"
    terms = sorted(p.stem for p in (content / "terms").glob("*.yaml"))
    assert terms[0] == "2021-2022-1" and len(terms) + 1 == 10  # and events.yaml's term
    rosters = sorted((content / "rosters").glob("roster-*.yaml"))
    assert len(rosters) + 2 == 20
    assert {p.read_text("utf-8").count("  - date:") for p in rosters} == {60}
    assert len(list((content / "displays").glob("*.yaml"))) == 10
    assert len(list((content / "news").glob("*.md"))) == 280
    built = pipeline.build(one, tmp_path / "out", TODAY, use_cache=False)
    assert (built.pages, len(built.warnings)) == (731, 0)


def test_a_build_runs_the_full_collections_rarely_and_gives_the_setting_back(
    make_site: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    import gc

    from generator import cli

    site = make_site({"events.yaml": MINIMAL_EVENTS})
    seen: list[tuple[int, ...]] = []
    real = pipeline.build

    def build(*args: object, **kwargs: object) -> pipeline.BuildResult:
        seen.append(gc.get_threshold())
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(pipeline, "build", build)
    young, middle, full = before = gc.get_threshold()
    assert cli.main(["build", "--site", str(site), "--today", "2026-03-10"]) == 0
    assert seen == [(young, middle, full * cli.FULL_COLLECTIONS_RARER)]
    assert gc.get_threshold() == before


def test_a_compiled_templates_folder_that_went_away_costs_a_compile_not_the_build(
    tmp_path: Path,
) -> None:
    from generator.render.environment import make_environment
    from generator.resources import default_theme

    folder = tmp_path / "templates-x"
    folder.mkdir()
    env = make_environment((default_theme(),), compiled=folder)
    folder.rmdir()  # e.g. another version's build removed it as unused
    assert env.get_template("404.html").name == "404.html"  # compiled, not kept
    assert not folder.exists()
