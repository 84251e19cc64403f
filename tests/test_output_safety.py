"""The output folder survives kills, races and the user's own files (issue 16, items 2–4).

- kill -9 of a real `python build.py` at random moments: the output folder is always the
  whole old or the whole new site, and the next build heals what the killed one left (a
  build after an edit replaces its few files in place: one killed half way leaves a mixed
  site, which the next build puts right, see the in-place tests at the end);
- two builds at once: one waits for the other or stops with E327, never a mixed tree;
- a symlinked --out keeps its link; a folder of the user's own files is refused untouched;
- a dangling link inside public/ is reported, not a traceback.
- an OSError while writing (a file held open, no permission, a full disk) is E328, not a
  traceback: the site as it was, or, said so, healed by the next build.
"""

from __future__ import annotations

import errno
import os
import pickle
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from conftest import MINIMAL_EVENTS, ROOT, tree

from generator import cache, pipeline
from generator.problems.messages import say
from generator.problems.problem import BuildFailed, Position, Problem, ProblemReport
from generator.write import output
from generator.write.output import (
    MARKER,
    OutputLock,
    SiteWriter,
    WriteReport,
    check_output,
    heal,
    leftovers,
    read_manifest,
    write_site,
)

SUMMARY = "\n\n" + say("I102", "zh", errors=1, warnings=0) + "\n"  # 1 error, nothing changed
OLD, NEW = "2026-03-10", "2026-03-11"  # two build dates: two different whole sites


def siblings(out: Path, wait: float = 30.0) -> list[str]:
    """What lies beside the output folder, besides the site folder and its lock file, once
    the retired site's deleter (a detached process, see output.retire) is done: a retired
    folder still there after `wait` seconds is listed."""
    deadline = time.monotonic() + wait
    while True:
        found = sorted(
            p.name
            for p in out.parent.iterdir()
            if p.name.startswith(f".{out.name}") and p.name != f".{out.name}.lock"
        )
        if not any(".retired-" in name for name in found) or time.monotonic() > deadline:
            return found
        time.sleep(0.02)


def problem_text(code: str, out: Path, lang: str = "zh", **params: str) -> str:
    report = ProblemReport([Problem(code, Position(str(out)), {"value": str(out), **params})])
    return report.render(lang)


def minimal(make_site) -> Path:
    return make_site({"events.yaml": MINIMAL_EVENTS})


def reference(run_cli, site: Path, today: str, name: str) -> dict[str, bytes]:
    """Build into <site>/public (name "public") or a folder beside the site."""
    out = site / name if name == "public" else site.parent / name
    assert run_cli("build", "--site", site, "--out", out, "--today", today)[0] == 0
    return tree(out)


# --- the swap and healing ----------------------------------------------------------------


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="renameat2 is Linux's")
def test_renameat2_exchanges_two_folders_in_one_step(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir()
    b.mkdir()
    (a / "x").write_bytes(b"in a")
    (b / "y").write_bytes(b"in b")
    assert output.exchange(a, b) is True
    assert (sorted(os.listdir(a)), sorted(os.listdir(b))) == (["y"], ["x"])


def test_exchange_is_used_so_the_folder_is_never_missing(make_site, run_cli, monkeypatch):
    site = minimal(make_site)
    assert run_cli("build", "--site", site, "--today", OLD)[0] == 0
    renames: list[tuple[str, str]] = []
    real = os.rename
    monkeypatch.setattr(os, "rename", lambda a, b: (renames.append((a, b)), real(a, b))[1])
    assert run_cli("build", "--site", site, "--today", NEW)[0] == 0
    if sys.platform.startswith("linux"):
        # one renameat2, no two renames with a gap between them: the one rename after it
        # moves the old site (now under the new folder's name) aside for its deleter
        assert [(Path(a).name, Path(b).name.rsplit("-", 2)[0]) for a, b in renames] == [
            (".public.new", ".public.retired")
        ]
    assert siblings(site / "public") == []


def test_the_fallback_two_renames_build_the_same_site(make_site, run_cli, monkeypatch):
    site = minimal(make_site)
    expected = reference(run_cli, site, NEW, "expected")
    monkeypatch.setattr(output, "exchange", lambda a, b: False)
    assert run_cli("build", "--site", site, "--today", OLD)[0] == 0
    assert run_cli("build", "--site", site, "--today", NEW)[0] == 0
    assert tree(site / "public") == expected
    assert siblings(site / "public") == []


def test_a_kill_between_the_fallback_renames_is_healed(make_site, run_cli):
    site = minimal(make_site)
    out = site / "public"
    old = reference(run_cli, site, OLD, "public")
    new = reference(run_cli, site, NEW, "expected")
    # the moment the fallback leaves `out` missing: the old site retired, the new one whole
    os.rename(out, site / ".public.old")
    os.rename(site.parent / "expected", site / ".public.new")
    assert sorted(p.name for p in leftovers(out)) == [".public.new", ".public.old"]
    assert heal(out) == [site / ".public.old", site / ".public.new"]
    assert tree(out) == old
    assert siblings(out) == []
    code, _, err = run_cli("build", "--site", site, "--today", NEW)
    assert (code, err) == (0, "")
    assert tree(out) == new


def test_legacy_pid_named_leftovers_are_recognised_and_healed(make_site, run_cli):
    site = minimal(make_site)
    out = site / "public"
    old = reference(run_cli, site, OLD, "public")
    os.rename(out, site / ".public.old-4242")  # a build before fixed names, killed mid-swap
    (site / ".public.tmp-999" / "news").mkdir(parents=True)
    (site / ".public.tmp-999" / "news" / "index.html").write_bytes(b"half")
    code, _, err = run_cli("build", "--site", site, "--today", OLD)
    assert (code, err) == (0, "")
    assert tree(out) == old
    assert siblings(out) == []


def test_leftovers_beside_an_unchanged_site_are_removed_by_the_next_build(make_site, run_cli):
    site = minimal(make_site)
    out = site / "public"
    old = reference(run_cli, site, OLD, "public")
    (site / ".public.new").mkdir()  # a build killed while writing; `out` still the old site
    (site / ".public.new" / "index.html").write_bytes(b"half")
    code, text, err = run_cli("build", "--site", site, "--today", OLD)
    assert (code, err) == (0, "")
    assert "写入 0 个文件" in text  # nothing changed; only the leftovers went
    assert tree(out) == old
    assert siblings(out) == []


def test_the_retired_site_is_deleted_after_the_build_has_returned(make_site, run_cli, monkeypatch):
    """The old site is deleted by a detached process, not by the build: the build returns
    with the retired folder still there, a build then has nothing to do (the retired folder
    is no leftover), and once the deleter has run nothing is left."""
    site = minimal(make_site)
    out = site / "public"
    go = site.parent / "go"
    # a deleter that waits for the test's word: what the build leaves is seen before it runs
    waiting = (
        f"import pathlib, time\nwhile not pathlib.Path({str(go)!r}).exists(): time.sleep(0.01)\n"
    )
    monkeypatch.setattr(output, "_DELETER", waiting + output._DELETER.replace("; ", "\n"))
    old = reference(run_cli, site, OLD, "public")
    new = reference(run_cli, site, NEW, "expected")
    assert run_cli("build", "--site", site, "--today", NEW)[0] == 0
    assert tree(out) == new
    retired = [p for p in site.iterdir() if p.name.startswith(".public.retired-")]
    assert len(retired) == 1 and tree(retired[0]) == old
    assert leftovers(out) == []
    code, text, _ = run_cli("build", "--site", site, "--today", NEW, "--lang", "en")
    assert code == 0 and "0 files written" in text
    go.touch()
    assert siblings(out) == []
    assert tree(out) == new


def test_a_retired_site_whose_deleter_was_killed_is_deleted_by_the_next_build(make_site, run_cli):
    site = minimal(make_site)
    out = site / "public"
    expected = reference(run_cli, site, OLD, "public")
    left = site / ".public.retired-4242-0"
    (left / "calendar").mkdir(parents=True)
    (left / "calendar" / "index.html").write_bytes(b"the site before")
    assert run_cli("build", "--site", site, "--today", NEW)[0] == 0
    assert run_cli("build", "--site", site, "--today", OLD)[0] == 0
    assert siblings(out) == []
    assert tree(out) == expected


def test_without_a_process_to_delete_it_the_retired_site_is_deleted_at_once(
    make_site, run_cli, monkeypatch
):
    site = minimal(make_site)

    def refused(*args: object, **kwargs: object) -> None:
        raise OSError("no processes left")

    assert run_cli("build", "--site", site, "--today", OLD)[0] == 0
    monkeypatch.setattr(output.subprocess, "Popen", refused)
    assert run_cli("build", "--site", site, "--today", NEW)[0] == 0
    assert siblings(site / "public", wait=0) == []


# --- the output folder is the user's -----------------------------------------------------


def test_the_marker_is_a_manifest_of_every_file_written(make_site, run_cli):
    site = minimal(make_site)
    assert run_cli("build", "--site", site, "--today", OLD)[0] == 0
    written = sorted(p for p in tree(site / "public") if p != MARKER)
    assert output.read_manifest(site / "public") == set(written)
    assert len(written) == 48  # with the term's two documents, pages and .docx


def test_a_folder_of_the_users_own_files_is_refused_untouched(make_site, run_cli, tmp_path):
    site = minimal(make_site)
    mine = tmp_path / "mine"
    (mine / "photos").mkdir(parents=True)
    (mine / "notes.docx").write_bytes(b"my notes")
    (mine / "photos" / "a.jpg").write_bytes(b"\xff\xd8photo")
    before = {p: p.stat().st_mtime_ns for p in mine.rglob("*")}
    code, out, err = run_cli("build", "--site", site, "--out", mine, "--today", OLD)
    assert (code, out) == (1, "")
    assert err == problem_text("E313", mine) + SUMMARY
    assert tree(mine) == {"notes.docx": b"my notes", "photos/a.jpg": b"\xff\xd8photo"}
    assert {p: p.stat().st_mtime_ns for p in mine.rglob("*")} == before
    assert siblings(mine) == []


def test_a_stray_text_marker_no_longer_lets_a_build_delete_a_folder(make_site, run_cli, tmp_path):
    # the old guard: any file named .library-site let a build empty the folder. Now the old
    # marker's folder is replaced but kept whole beside (an upgrade), never emptied.
    site = minimal(make_site)
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / MARKER).write_bytes(b"library-site output folder; safe to delete and rebuild\n")
    (mine / "thesis.docx").write_bytes(b"years of work")
    code, out, _ = run_cli("build", "--site", site, "--out", mine, "--today", OLD)
    assert code == 0
    kept = tmp_path / "mine.before-upgrade"
    assert out.splitlines()[-1] == say("I104", "zh", kept=kept)
    assert (kept / "thesis.docx").read_bytes() == b"years of work"


def test_a_file_the_manifest_does_not_list_is_refused_with_its_name(make_site, run_cli):
    site = minimal(make_site)
    out = site / "public"
    assert run_cli("build", "--site", site, "--today", OLD)[0] == 0
    (out / "news" / "我的笔记.docx").write_bytes(b"mine")
    (out / "extra").mkdir()
    before = tree(out)
    code, text, err = run_cli("build", "--site", site, "--today", NEW, "--lang", "en")
    assert (code, text) == (1, "")
    assert err == (
        problem_text("E326", out, "en", files="extra, news/我的笔记.docx")
        + "\n\n"
        + say("I102", "en", errors=1, warnings=0)
        + "\n"
    )
    assert tree(out) == before


def test_a_symlinked_out_keeps_its_link_and_its_target_gets_the_site(make_site, run_cli, tmp_path):
    site = minimal(make_site)
    expected = reference(run_cli, site, NEW, "expected")
    www = tmp_path / "www" / "html"  # e.g. a web server's folder
    www.mkdir(parents=True)
    link = tmp_path / "site-link"
    link.symlink_to(www, target_is_directory=True)
    assert run_cli("build", "--site", site, "--out", link, "--today", OLD)[0] == 0
    assert run_cli("build", "--site", site, "--out", link, "--today", NEW)[0] == 0
    assert link.is_symlink() and os.readlink(link) == str(www)
    assert tree(www) == expected
    assert siblings(www) == [] and not [
        p for p in tmp_path.iterdir() if p.name.startswith(".") and not p.name.endswith(".lock")
    ]


def test_a_dangling_link_inside_public_is_reported_not_a_traceback(make_site, run_cli):
    site = minimal(make_site)
    out = site / "public"
    assert run_cli("build", "--site", site, "--today", OLD)[0] == 0
    old = tree(out)
    (out / "broken").symlink_to(site / "nowhere")
    state = cache.output_state(out)  # raised FileNotFoundError before
    assert state is not None and state[str(out / "broken")][0] == len(str(site / "nowhere"))
    code, text, err = run_cli("build", "--site", site, "--today", OLD)  # no change at all
    assert (code, text) == (1, "")
    assert err.startswith(problem_text("E326", out, files="broken"))
    assert os.path.islink(out / "broken") and tree(out) == old
    (out / "broken").unlink()
    code, text, err = run_cli("build", "--site", site, "--today", OLD)
    assert (code, err) == (0, "")
    assert "写入 0 个文件" in text


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="POSIX FIFOs")
def test_a_fifo_inside_public_is_named_never_read(make_site, run_cli):
    site = minimal(make_site)
    out = site / "public"
    assert run_cli("build", "--site", site, "--today", OLD)[0] == 0
    os.mkfifo(out / "pipe")  # reading it would hang the build
    code, _, err = run_cli("build", "--site", site, "--today", NEW)
    assert code == 1
    assert err.startswith(problem_text("E326", out, files="pipe"))


def test_a_file_in_place_of_the_output_folder_is_refused(make_site, run_cli, tmp_path):
    site = minimal(make_site)
    (tmp_path / "out").write_bytes(b"a file")
    code, _, err = run_cli("build", "--site", site, "--out", tmp_path / "out", "--today", OLD)
    assert code == 1
    assert err.startswith(problem_text("E313", tmp_path / "out"))
    assert (tmp_path / "out").read_bytes() == b"a file"


# --- one build at a time -----------------------------------------------------------------


def test_a_second_build_waits_then_stops_with_e321(make_site, run_cli, monkeypatch):
    site = minimal(make_site)
    out = site / "public"
    assert run_cli("build", "--site", site, "--today", OLD)[0] == 0
    before = tree(out)
    monkeypatch.setattr(output, "LOCK_WAIT", 0.3)
    with OutputLock(out):  # another build, in the middle of its work
        started = time.monotonic()
        code, text, err = run_cli("build", "--site", site, "--today", NEW)
        waited = time.monotonic() - started
    assert (code, text) == (1, "")
    assert err == problem_text("E327", out, seconds="0.3") + (SUMMARY)
    assert waited >= 0.3
    assert tree(out) == before and siblings(out) == []
    assert run_cli("build", "--site", site, "--today", NEW)[0] == 0  # the lock went with it


def test_a_writer_takes_the_lock_and_gives_it_back(tmp_path):
    out = tmp_path / "out"
    with SiteWriter(out, lock_wait=0) as writer:
        with pytest.raises(output.OutputBusy):
            SiteWriter(out, lock_wait=0.1)
        writer.put("index.html", b"<p>hi</p>")
        writer.commit()
    assert write_site({"index.html": b"<p>again</p>"}, out).written == 1
    assert tree(out)["index.html"] == b"<p>again</p>"


def test_a_file_given_in_parts_is_written_whole_and_kept_when_unchanged(tmp_path):
    out = tmp_path / "out"
    write_site({"search-index.js": b"window.X=[1,2];", "a.js": b"old"}, out)
    with SiteWriter(out, lock_wait=0) as writer:
        writer.put("search-index.js", iter([b"window.X=[", bytearray(b"1,2"), b"];"]))
        writer.put("a.js", iter([b"ne", b"w"]))
        writer.put("js/b.js", iter([b"b"]))
        report = writer.commit()
    assert (report.written, report.unchanged) == (2, 1)
    files = tree(out)
    assert files["search-index.js"] == b"window.X=[1,2];"
    assert (files["a.js"], files["js/b.js"]) == (b"new", b"b")


def test_the_preview_keeps_its_manifest_current(tmp_path):
    from generator.serve.preview import _write_changes

    out = tmp_path / "preview"
    write_site({"a.html": b"a", "b.html": b"b"}, out)
    _write_changes(out, {"a.html": b"A", "c.html": b"c"}, {"a.html": b"a", "b.html": b"b"})
    assert output.read_manifest(out) == {"a.html", "c.html"}
    output.check_output(out)  # a build may replace it: nothing foreign


# --- real processes ----------------------------------------------------------------------


def _spawn(site: Path, out: Path, today: str, capture: bool = True) -> subprocess.Popen[bytes]:
    command = [sys.executable, str(ROOT / "build.py"), "build", "--site", str(site)]
    return subprocess.Popen(
        [*command, "--out", str(out), "--today", today],
        cwd=ROOT,
        stdout=subprocess.PIPE if capture else subprocess.DEVNULL,
        stderr=subprocess.PIPE if capture else subprocess.DEVNULL,
        start_new_session=True,  # its own process group: the kill takes its workers too
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
    )


@pytest.fixture
def news_site(tmp_path, run_cli):
    """The sample plus 120 news articles: a build long enough (~1.5 s with the start) to be killed inside,
    with the two whole sites it can leave: `old` (built OLD) and `new` (built NEW)."""
    sys.path.insert(0, str(ROOT))
    try:
        from benchmarks.synthetic import news_corpus
    finally:
        sys.path.remove(str(ROOT))
    site = news_corpus(tmp_path / "news", 120)
    old = reference(run_cli, site, OLD, "ref-old")
    new = reference(run_cli, site, NEW, "ref-new")
    assert old != new
    return site, old, new


@pytest.mark.slow
def test_kill_9_at_random_moments_leaves_a_whole_site(news_site, run_cli, tmp_path):
    site, old, new = news_site
    sites = {OLD: old, NEW: new}
    out = tmp_path / "out"
    assert run_cli("build", "--site", site, "--out", out, "--today", OLD)[0] == 0
    started = time.monotonic()
    child = _spawn(site, out, NEW, capture=False)  # how long a whole build takes, child and all
    assert child.wait(timeout=120) == 0
    duration = time.monotonic() - started
    rng = random.Random(16)
    trials, whole, found_before, found_after = 0, 0, 0, 0
    now = NEW
    # at least 30 kills, and more (up to 80) until kills fell both before and after the swap:
    # on a loaded machine a build may take longer than the one measured
    while trials < 30 or (not (found_before and found_after) and trials < 80):
        trials += 1
        # each trial kills a build of the other date, so no build is spent only on setup
        goal = OLD if now == NEW else NEW
        child = _spawn(site, out, goal, capture=False)
        # the kills spread over a whole build; a loaded machine builds slower than measured,
        # so the span grows until kills also fall after the swap
        span = duration * 1.1 * (1.5 ** ((trials - 1) // 10 if not found_after else 0))
        time.sleep(rng.uniform(0.05, min(span, 30.0)))
        os.killpg(child.pid, signal.SIGKILL)
        child.wait(timeout=30)
        found = tree(out) if out.is_dir() else None
        found_before += found == sites[now]
        found_after += found == sites[goal]
        whole += found in (old, new)
        # the next build heals what the killed one left, and finishes the killed one's work
        code, _, err = run_cli("build", "--site", site, "--out", out, "--today", goal)
        assert (code, err) == (0, "")
        assert tree(out) == sites[goal] and siblings(out) == []
        now = goal
    print(
        f"kill -9 trials: {trials}, whole trees: {whole} (the site before the killed build: "
        f"{found_before}, after it: {found_after}), a whole build {duration:.2f} s"
    )
    counts = (trials, whole, found_before, found_after)
    assert whole == trials, counts
    assert found_before > 0 and found_after > 0, counts  # kills before and after the swap


@pytest.mark.slow
def test_two_builds_at_once_never_mix(news_site, tmp_path):
    site, old, new = news_site
    out = tmp_path / "out"
    outcomes = []
    for _ in range(2):
        first, second = _spawn(site, out, OLD), _spawn(site, out, NEW)
        results = [(p.wait(timeout=120), p.communicate()) for p in (first, second)]
        codes = [code for code, _ in results]
        outcomes.append(codes)
        busy = problem_text("E327", out, seconds=f"{output.LOCK_WAIT:g}")
        for code, (_, err) in results:
            assert code == 0 or err.decode("utf-8").startswith(busy), err.decode("utf-8")
        assert 0 in codes
        assert tree(out) in (old, new)
        assert siblings(out) == []
    print(f"two builds at once: exit codes {outcomes}")


@pytest.mark.parametrize("fallback", [False, True])
def test_a_site_an_earlier_version_wrote_is_replaced_and_kept(
    make_site, run_cli, monkeypatch, fallback
):
    """Upgrading must not ask a teacher to delete public/ by hand, nor delete anything: the
    folder with the marker of the builds before manifests is replaced, and kept beside."""
    if fallback:
        monkeypatch.setattr(output, "exchange", lambda a, b: False)
    site = make_site({"events.yaml": MINIMAL_EVENTS})
    old = site / "public"
    (old / "calendar").mkdir(parents=True)
    (old / "index.html").write_text("old home", encoding="utf-8")
    (old / "calendar/index.html").write_text("old calendar", encoding="utf-8")
    (old / MARKER).write_bytes(output.LEGACY_MARKER)
    before = tree(old)
    code, out, err = run_cli("build", "--site", site, "--today", OLD, "--lang", "en")
    assert (code, err) == (0, "")
    kept = site / "public.before-upgrade"
    assert out.splitlines()[-1] == (
        f"the output folder held a site an earlier version wrote: it was kept as {kept}; "
        "delete it once the new site looks right."
    )
    assert tree(kept) == before
    assert output.read_manifest(old) is not None and "old home" not in (
        old / "index.html"
    ).read_text("utf-8")
    # from then on the folder is ours: the next build keeps nothing more
    code, out, _ = run_cli("build", "--site", site, "--today", NEW, "--lang", "en")
    assert code == 0 and "kept as" not in out
    assert sorted(p.name for p in site.iterdir() if p.name.startswith("public")) == [
        "public",
        "public.before-upgrade",
    ]


def test_a_marker_that_is_not_ours_still_protects_the_folder(make_site, run_cli):
    site = make_site({"events.yaml": MINIMAL_EVENTS})
    folder = site / "public"
    folder.mkdir()
    (folder / "我的笔记.docx").write_bytes(b"mine")
    (folder / MARKER).write_text("anything\n", encoding="utf-8")
    before = tree(folder)
    code, _, err = run_cli("build", "--site", site, "--today", OLD)
    assert code == 1 and "E313" in err
    assert tree(folder) == before
    assert not (site / "public.before-upgrade").exists()


# --- a build after an edit: its files replaced in the old site (`in_place`) ---------------

FOUR = {"a/index.html": b"a", "b/index.html": b"b", "c/x/index.html": b"c", "d.txt": b"d"}


def _in_place(out: Path, puts: dict[str, bytes], keeps: tuple[str, ...] = ()) -> WriteReport:
    with SiteWriter(out, in_place=True) as writer:
        assert writer.in_place
        for path in keeps:
            writer.keep(path)
        for path, data in puts.items():
            writer.put(path, data)
        return writer.commit()


def test_an_in_place_commit_replaces_the_changed_files_and_deletes_the_stale_ones(tmp_path):
    out = tmp_path / "out"
    write_site(FOUR, out)
    before = {p: (out / p).stat().st_ino for p in ("", "b/index.html", "d.txt")}
    report = _in_place(
        out, {"a/index.html": b"A", "d.txt": b"d", "e/f/index.html": b"e"}, ("b/index.html",)
    )
    assert report == WriteReport(2, 2, 1)  # a and e written; b and d unchanged; c deleted
    files = {"a/index.html": b"A", "b/index.html": b"b", "d.txt": b"d", "e/f/index.html": b"e"}
    assert {p: d for p, d in tree(out).items() if p != MARKER} == files
    assert read_manifest(out) == set(files)
    assert not (out / "c").exists()  # the folder the stale page left empty is gone too
    assert check_output(out) is False  # nothing in it the manifest does not explain
    assert {p: (out / p).stat().st_ino for p in before} == before  # the same folder and files
    assert siblings(out) == []


def test_an_in_place_build_that_fails_writes_nothing(tmp_path):
    out = tmp_path / "out"
    write_site(FOUR, out)
    before = tree(out)
    with pytest.raises(RuntimeError), SiteWriter(out, in_place=True) as writer:
        writer.put("a/index.html", b"A")
        raise RuntimeError("a page failed")
    assert tree(out) == before
    assert siblings(out) == []


def test_an_in_place_commit_of_many_files_swaps_a_whole_new_tree(tmp_path, monkeypatch):
    monkeypatch.setattr(output, "IN_PLACE_MAX", 1)
    out = tmp_path / "out"
    write_site(FOUR, out)
    folder = out.stat().st_ino
    report = _in_place(out, {"a/index.html": b"A", "b/index.html": b"B"}, ("d.txt",))
    assert report == WriteReport(2, 1, 1)
    assert {p: d for p, d in tree(out).items() if p != MARKER} == {
        "a/index.html": b"A",
        "b/index.html": b"B",
        "d.txt": b"d",
    }
    assert out.stat().st_ino != folder  # seen all at once: the new tree swapped in
    assert siblings(out) == []


def test_in_place_only_into_a_site_of_ours(tmp_path):
    out = tmp_path / "out"
    with SiteWriter(out, in_place=True) as writer:  # no site yet: a new folder
        assert not writer.in_place
        writer.put("a/index.html", b"a")
        writer.commit()
    assert {p for p in tree(out) if p != MARKER} == {"a/index.html"}


def test_an_in_place_commit_killed_half_way_is_healed_by_the_next_build(
    make_site, run_cli, monkeypatch
):
    site = make_site(sample=True)
    out = site / "public"
    events = site / "events.yaml"

    def edit(old: str, new: str) -> None:
        events.write_text(events.read_text("utf-8").replace(old, new, 1), encoding="utf-8")

    assert run_cli("build", "--site", site, "--today", OLD)[0] == 0
    edit("英文绘本入班登记", "英文绘本入班登记（改）")  # the first build after: records reads
    assert run_cli("build", "--site", site, "--today", OLD)[0] == 0
    edit("英文绘本入班登记（改）", "英文绘本登记")  # this one replaces its files in place
    moved: list[str] = []
    real = os.replace

    def replace_then_die(src: Path, dst: Path) -> None:  # killed after the first file
        if moved:
            raise SystemExit(9)
        moved.append(str(dst))
        real(src, dst)

    monkeypatch.setattr(output.os, "replace", replace_then_die)
    with pytest.raises(SystemExit):
        pipeline.build(site, out, date.fromisoformat(OLD), workers=1)
    monkeypatch.setattr(output.os, "replace", real)
    assert len(moved) == 1  # a mixed site: one new file, the rest old
    code, _, err = run_cli("build", "--site", site, "--today", OLD)
    assert (code, err) == (0, "")
    assert tree(out) == reference(run_cli, site, OLD, "cold")
    assert siblings(out) == []


def test_an_in_place_commit_killed_after_placing_a_new_page_leaves_a_folder_of_ours(
    tmp_path, monkeypatch
):
    out = tmp_path / "out"
    write_site(FOUR, out)
    moved: list[str] = []
    real = os.replace

    def replace_then_die(src: Path, dst: Path) -> None:  # killed right after the new page
        if moved and moved[-1].endswith("e/f/index.html"):
            raise SystemExit(9)
        moved.append(Path(dst).as_posix())
        real(src, dst)

    monkeypatch.setattr(output.os, "replace", replace_then_die)
    with pytest.raises(SystemExit):
        _in_place(out, {"e/f/index.html": b"e"}, ("a/index.html", "b/index.html", "d.txt"))
    monkeypatch.setattr(output.os, "replace", real)
    # the manifest went first, listing the new page with the old ones: the folder is still
    # all ours (no E326 for the next build), and the next build finishes the work
    assert moved == [(out / MARKER).as_posix(), (out / "e/f/index.html").as_posix()]
    assert read_manifest(out) == {*FOUR, "e/f/index.html"}
    assert check_output(out) is False
    report = _in_place(out, {"e/f/index.html": b"e"}, ("a/index.html", "b/index.html", "d.txt"))
    assert report == WriteReport(0, 4, 1)  # the page there already; c deleted
    files = {
        **{p: FOUR[p] for p in ("a/index.html", "b/index.html", "d.txt")},
        "e/f/index.html": b"e",
    }
    assert {p: d for p, d in tree(out).items() if p != MARKER} == files
    assert read_manifest(out) == set(files)


# --- an OSError while writing: a problem (E328), the site as it was or healed next -------


def _refused(error: int, winerror: int | None = None) -> OSError:
    exc = PermissionError(error, "refused") if error == errno.EACCES else OSError(error, "x")
    if winerror is not None:
        exc.winerror = winerror  # type: ignore[attr-defined]  # what Windows sets
    return exc


def _state(out: Path) -> dict[str, tuple[bytes, int, int]]:
    return {
        p: ((out / p).read_bytes(), (out / p).stat().st_mtime_ns, (out / p).stat().st_ino)
        for p in tree(out)
    }


def _edited_twice(make_site, run_cli) -> tuple[Path, Callable[[str, str], None]]:
    """The sample built, then built after an edit: the next edit's build is in place."""
    site = make_site(sample=True)
    events = site / "events.yaml"

    def edit(old: str, new: str) -> None:
        events.write_text(events.read_text("utf-8").replace(old, new, 1), encoding="utf-8")

    assert run_cli("build", "--site", site, "--today", OLD)[0] == 0
    edit("英文绘本入班登记", "英文绘本入班登记（改）")
    assert run_cli("build", "--site", site, "--today", OLD)[0] == 0
    edit("英文绘本入班登记（改）", "英文绘本登记")
    return site, edit


def _replace_failing(
    monkeypatch, fails: Callable[[int], bool], error: OSError
) -> tuple[list[str], Callable[..., None]]:
    """`os.replace` raising `error` at the calls `fails` picks (1, 2, …): the names it was
    asked to replace, and the real `os.replace`, to put back."""
    real, calls = os.replace, []

    def replace(src, dst):
        calls.append(dst)
        if fails(len(calls)):
            raise error
        return real(src, dst)

    monkeypatch.setattr(output.os, "replace", replace)
    return calls, real


def test_a_file_held_open_in_an_in_place_commit_leaves_the_site_as_it_was(
    make_site, run_cli, monkeypatch
):
    site, _ = _edited_twice(make_site, run_cli)
    out = site / "public"
    before = _state(out)
    # Windows: the second file is open in another program
    calls, real = _replace_failing(monkeypatch, lambda n: n == 2, _refused(errno.EACCES, 32))
    code, text, err = run_cli("build", "--site", site, "--today", OLD)
    monkeypatch.setattr(output.os, "replace", real)
    assert (code, text) == (1, "")
    held = Path(calls[1]).relative_to(out).as_posix()
    assert err == (
        f"{out / held}: 错误 E328: 无法写入或替换这个文件：文件被其他程序占用。"
        "原来的网站没有改动。\n"
        "  提示: 关掉正在使用它的程序后再运行 python build.py：例如打开着它的 Word 或 WPS、"
        "正在提供这个网站的网页服务器（先停止它）、正在扫描这个文件夹的杀毒软件。" + SUMMARY
    )
    assert "Traceback" not in err
    assert _state(out) == before  # the same files, bytes, times: the first one put back
    assert siblings(out) == []
    code, _, err = run_cli("build", "--site", site, "--today", OLD)
    assert (code, err) == (0, "")
    assert tree(out) == reference(run_cli, site, OLD, "cold")


def test_an_in_place_commit_that_cannot_be_undone_says_so_and_the_next_build_heals(
    make_site, run_cli, monkeypatch
):
    site, _ = _edited_twice(make_site, run_cli)
    out = site / "public"
    before = tree(out)
    # the disk fills after the first file: nothing more goes
    calls, real = _replace_failing(
        monkeypatch, lambda n: n >= 2, OSError(errno.ENOSPC, "No space left on device")
    )
    code, _, err = run_cli("build", "--site", site, "--today", OLD, "--lang", "en")
    monkeypatch.setattr(output.os, "replace", real)
    assert code == 1
    assert err.split("\n")[:2] == [
        f"{calls[1]}: error E328: cannot write or replace this file: the disk is full. The "
        "site was updated only in part: some pages are still the old ones. Once this is "
        "solved, run python build.py again and the whole site is updated.",
        "  hint: Free some disk space (delete files you do not need, empty the Recycle Bin), "
        "or choose an output folder on a drive with room (--out), then run python build.py "
        "again.",
    ]
    assert tree(out) != before  # mixed: one file new
    # the summary does not say the site is unchanged
    assert err.endswith("\n\n1 error(s), 0 warning(s); what became of the site is said above.\n")
    code, _, err = run_cli("build", "--site", site, "--today", OLD)
    assert (code, err) == (0, "")
    assert tree(out) == reference(run_cli, site, OLD, "cold")
    assert siblings(out) == []


@pytest.mark.parametrize("fallback", [False, True])
def test_a_swap_refused_leaves_the_old_site_in_place(make_site, run_cli, monkeypatch, fallback):
    site = minimal(make_site)
    out = site / "public"
    assert run_cli("build", "--site", site, "--today", OLD)[0] == 0
    before = _state(out)
    real = os.rename

    def exchange(a, b):  # renameat2 refused, or (Windows) renaming the folder refused
        if not fallback:
            raise _refused(errno.EACCES)
        return False

    def rename(a, b):
        if Path(a) == out:
            raise _refused(errno.EACCES, 5)
        return real(a, b)

    monkeypatch.setattr(output, "exchange", exchange)
    monkeypatch.setattr(output.os, "rename", rename)
    code, _, err = run_cli("build", "--site", site, "--today", NEW)
    assert code == 1
    assert err.startswith(
        f"{out}: 错误 E328: 无法写入或替换这个文件夹：没有写入权限。原来的网站没有改动。\n"
        "  提示: 检查能否在这个文件夹里新建和修改文件："
    )
    assert _state(out) == before and siblings(out) == []


def test_a_fallback_swap_that_cannot_go_back_says_where_the_site_is(
    make_site, run_cli, monkeypatch
):
    site = minimal(make_site)
    out = site / "public"
    old = reference(run_cli, site, OLD, "public")
    real = os.rename

    def rename(a, b):  # the old site moves aside; then nothing more can be renamed
        if Path(a) == out:
            return real(a, b)
        raise _refused(errno.EIO)

    monkeypatch.setattr(output, "exchange", lambda a, b: False)
    monkeypatch.setattr(output.os, "rename", rename)
    code, _, err = run_cli("build", "--site", site, "--today", NEW)
    monkeypatch.undo()
    assert code == 1
    assert err.split("\n")[0] == (
        f"{out}: 错误 E328: 无法写入或替换这个文件夹：系统报告“x”。网站文件夹暂时不在原处，"
        f"原来的网站完整地保存在 {site / '.public.old'}；问题解决后再运行一次 python build.py，"
        "它就会放回原处并更新。"
    )
    assert not out.exists() and tree(site / ".public.old") == old
    assert run_cli("build", "--site", site, "--today", NEW)[0] == 0
    assert tree(out) == reference(run_cli, site, NEW, "cold") and siblings(out) == []


def test_a_full_disk_while_writing_the_new_site(make_site, run_cli, monkeypatch):
    site = minimal(make_site)
    out = site / "public"
    assert run_cli("build", "--site", site, "--today", OLD)[0] == 0
    before = _state(out)
    real = Path.write_bytes

    def write_bytes(self, data):
        if self.name == "index.html" and self.parent.name == "calendar":
            raise OSError(errno.ENOSPC, "No space left on device", str(self))
        return real(self, data)

    monkeypatch.setattr(Path, "write_bytes", write_bytes)
    code, _, err = run_cli("build", "--site", site, "--today", NEW)
    assert code == 1
    assert err.split("\n")[0] == (
        f"{out / 'calendar' / 'index.html'}: 错误 E328: 无法写入或替换这个文件：磁盘已满。"
        "原来的网站没有改动。"
    )
    assert _state(out) == before and siblings(out) == []


def test_write_failed_crosses_from_a_render_worker_whole():
    exc = output.WriteFailed.of(_refused(errno.EACCES, 32), "public/a.html")
    again = pickle.loads(pickle.dumps(exc))
    assert again.report.render("en") == exc.report.render("en")
    assert again.report.problems[0].code == "E328"


def test_a_read_only_folder_beside_a_real_build_is_a_problem_not_a_traceback(tmp_path):
    """A real `python build.py`, a real EACCES: the site's folder made read-only (as root,
    which chmod does not stop, the build runs as nobody)."""
    base = Path(tempfile.mkdtemp(prefix="ro-"))  # tmp_path's parents: root's only
    try:
        site = base / "site"
        site.mkdir()
        (site / "events.yaml").write_text(MINIMAL_EVENTS, encoding="utf-8")
        user = {}
        if os.geteuid() == 0:
            for p in [base, *base.rglob("*")]:
                os.chown(p, 65534, 65534)
            user = {"user": 65534, "group": 65534}
        os.chmod(base, 0o755)
        command = [sys.executable, str(ROOT / "build.py"), "build", "--site", str(site)]
        env = {**os.environ, "PYTHONIOENCODING": "utf-8", "HOME": str(base)}

        def build(today: str) -> subprocess.CompletedProcess[str]:
            return subprocess.run(
                [*command, "--today", today],
                cwd=ROOT,
                capture_output=True,
                text=True,
                env=env,
                **user,
            )

        try:
            assert build(OLD).returncode == 0
        except PermissionError:
            pytest.skip("cannot run as another user here")
        out = site / "public"
        before = tree(out)
        os.chmod(site, 0o555)  # nothing can be made beside public/
        done = build(NEW)
        os.chmod(site, 0o755)
        assert done.returncode == 1
        assert "Traceback" not in done.stderr
        assert done.stderr == (
            f"{out}: 错误 E328: 无法写入或替换这个文件夹：没有写入权限。原来的网站没有改动。\n"
            "  提示: " + say("I118") + SUMMARY
        )
        assert tree(out) == before
        assert build(NEW).returncode == 0
    finally:
        shutil.rmtree(base, ignore_errors=True)


def test_the_preview_reports_a_file_it_cannot_write(make_site, monkeypatch):
    from generator.serve.preview import Preview

    site = minimal(make_site)
    out = site.parent / "preview"
    preview = Preview(site, out, date.fromisoformat(OLD))
    preview.build()
    real = os.replace

    def replace(src, dst):
        raise _refused(errno.EACCES, 33)

    monkeypatch.setattr(os, "replace", replace)
    preview.fixed_today = date.fromisoformat(NEW)
    with pytest.raises(BuildFailed) as failed:
        preview.build()
    monkeypatch.setattr(os, "replace", real)
    (problem,) = failed.value.report.problems
    assert problem.code == "E328"
    assert problem.message("zh").endswith(
        "文件被其他程序占用。预览只更新了一部分；问题解决后保存任意一个文件，预览会再试一次。"
    )
    preview.build()  # solved: the next build writes it


def test_a_real_build_py_with_a_file_held_open_exits_1_without_a_traceback(make_site, tmp_path):
    """`python build.py` itself, Windows' refusal (winerror 32) put into its os.replace
    by a sitecustomize: the whole output is the problem and the summary, exit code 1."""
    site, _ = _edited_twice_cli(make_site)
    out = site / "public"
    before = _state(out)
    inject = tmp_path / "inject"
    inject.mkdir()
    (inject / "sitecustomize.py").write_text(
        "import errno, os\n"
        "real = os.replace\n"
        "def replace(a, b):\n"
        "    if str(b).endswith('.html'):\n"
        "        e = PermissionError(errno.EACCES, 'denied', str(a), None, str(b))\n"
        "        e.winerror = 32\n"
        "        raise e\n"
        "    return real(a, b)\n"
        "os.replace = replace\n",
        encoding="utf-8",
    )
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    env["PYTHONPATH"] = os.pathsep.join([str(inject), str(ROOT), env.get("PYTHONPATH", "")])
    command = [sys.executable, str(ROOT / "build.py"), "build", "--site", str(site)]
    done = subprocess.run(
        [*command, "--today", OLD], cwd=ROOT, capture_output=True, text=True, env=env
    )
    assert (done.returncode, done.stdout) == (1, "")
    assert "Traceback" not in done.stderr
    first = done.stderr.split("\n")[0]
    assert first.startswith(f"{out}{os.sep}") and first.endswith(
        ".html: 错误 E328: 无法写入或替换这个文件：文件被其他程序占用。原来的网站没有改动。"
    )
    assert done.stderr.endswith(SUMMARY)
    assert _state(out) == before


def _edited_twice_cli(make_site) -> tuple[Path, None]:
    site = make_site(sample=True)
    events = site / "events.yaml"
    command = [sys.executable, str(ROOT / "build.py"), "build", "--site", str(site)]
    for old, new in [(None, None), ("英文绘本入班登记", "英文绘本入班登记（改）")]:
        if old is not None:
            events.write_text(events.read_text("utf-8").replace(old, new, 1), encoding="utf-8")
        assert (
            subprocess.run([*command, "--today", OLD], cwd=ROOT, capture_output=True).returncode
            == 0
        )
    events.write_text(
        events.read_text("utf-8").replace("英文绘本入班登记（改）", "英文绘本登记", 1),
        encoding="utf-8",
    )
    return site, None
