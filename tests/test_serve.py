"""`python build.py serve`: the HTTP side, live reload and the error overlay, in a real
server and (for the end-to-end test) real headless Chromium."""

from __future__ import annotations

import http.client
import io
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from conftest import copy_sample

from generator import pipeline
from generator.problems.problem import Position, Problem, ProblemReport
from generator.serve.preview import DEBOUNCE, SWITCH_INTERVAL, LivePreview, Preview
from generator.serve.server import BuildState, inject, page_path, resolve_request
from generator.serve.watch import Change, ChangeKind

TODAY = date(2026, 3, 10)
MARCH = "calendar/2026-03/index.html"
OTHER = "calendar/2026-04/index.html"


def _started(folder: Path, debounce: float = DEBOUNCE) -> LivePreview:
    site = folder / "site"
    site.mkdir()
    copy_sample(site)
    preview = LivePreview(
        site, port=0, out=folder / "preview", today=TODAY, log=io.StringIO(), debounce=debounce
    )
    preview.start()
    return preview


def _quiet(live: LivePreview) -> None:
    """Until the running build and its .docx are done (at most 10 s)."""
    deadline = time.monotonic() + 10
    while (live.state.building or live.state.finishing) and time.monotonic() < deadline:
        time.sleep(0.01)


@pytest.fixture
def live(tmp_path: Path) -> Iterator[LivePreview]:
    preview = _started(tmp_path)
    try:
        yield preview
    finally:
        preview.stop()


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LivePreview]:
    """One server for the tests that only read."""
    preview = _started(tmp_path_factory.mktemp("served"))
    (preview.out / "static" / "leak.txt").symlink_to(preview.root / "events.yaml")
    try:
        yield preview
    finally:
        preview.stop()


def request(live: LivePreview, path: str, method: str = "GET") -> tuple[int, dict[str, str], bytes]:
    host, port = live.httpd.server_address[:2]
    conn = http.client.HTTPConnection(host, port, timeout=10)
    try:
        conn.putrequest(method, path, skip_host=False, skip_accept_encoding=True)
        conn.endheaders()
        response = conn.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        conn.close()


@pytest.mark.parametrize(
    "path",
    [
        "/../events.yaml",
        "/../../../../etc/passwd",
        "/%2e%2e/events.yaml",
        "/%2E%2E/%2E%2E/etc/passwd",
        "/calendar/..%2f..%2fevents.yaml",
        "/calendar/%2e%2e%2f%2e%2e%2fevents.yaml",
        "/..\\events.yaml",
        "/calendar/..%5c..%5cevents.yaml",
        "/static/%5c..%5c..%5cevents.yaml",
        "/index.html%00.css",
        "/%ff%fe",
        "/static/leak.txt",  # a symlink out of the output folder
        "/static/",  # a folder without index.html
        "/nope.html",
    ],
)
def test_traversal_and_missing_files_are_404(served: LivePreview, path: str) -> None:
    status, headers, body = request(served, path)
    assert status == 404
    assert "term:" not in body.decode("utf-8", "replace")
    assert "root:" not in body.decode("utf-8", "replace")
    assert headers["Content-Type"] == "text/html; charset=utf-8"


@pytest.mark.parametrize(
    ("path", "file", "ctype"),
    [
        ("/", "index.html", "text/html; charset=utf-8"),
        ("/index.html", "index.html", "text/html; charset=utf-8"),
        ("/index.html?from=menu", "index.html", "text/html; charset=utf-8"),
        ("/calendar/2026-03/", MARCH, "text/html; charset=utf-8"),
        ("/calendar/2026-03/index.html#e20260303", MARCH, "text/html; charset=utf-8"),
        ("/%63alendar/2026-03/index.html", MARCH, "text/html; charset=utf-8"),
        (
            "/terms/2025-2026-1/agenda/index.html",
            "terms/2025-2026-1/agenda/index.html",
            "text/html; charset=utf-8",
        ),
        ("/static/style.css", "static/style.css", "text/css; charset=utf-8"),
        ("/404.html", "404.html", "text/html; charset=utf-8"),
    ],
)
def test_legitimate_requests_are_served(
    served: LivePreview, path: str, file: str, ctype: str
) -> None:
    status, headers, body = request(served, path)
    on_disk = (served.out / file).read_bytes()
    assert (status, headers["Content-Type"], headers["Cache-Control"]) == (200, ctype, "no-store")
    if file.endswith(".html"):
        assert body.count(b'new EventSource("/__livereload"') == 1
        assert (
            body.replace(body[body.index(b"<script>") : body.index(b"</script>") + 9], b"")
            == on_disk
        )
    else:
        assert body == on_disk
    assert int(headers["Content-Length"]) == len(body)


def test_folder_without_slash_redirects_and_head_has_no_body(served: LivePreview) -> None:
    status, headers, body = request(served, "/calendar/2026-03")
    assert (status, headers["Location"], body) == (301, "/calendar/2026-03/", b"")
    status, headers, body = request(served, "/index.html", method="HEAD")
    assert (status, body) == (200, b"")
    assert int(headers["Content-Length"]) > 1000


def test_build_output_has_no_live_reload(make_site, tmp_path: Path) -> None:
    site = make_site(sample=True)
    pipeline.build(site, tmp_path / "public", TODAY)
    pages = sorted((tmp_path / "public").rglob("*.html"))
    assert len(pages) == 119
    assert [p for p in pages if b"__livereload" in p.read_bytes()] == []


def test_resolve_request_stays_inside(tmp_path: Path) -> None:
    out = tmp_path / "out"
    (out / "a").mkdir(parents=True)
    (out / "a" / "index.html").write_text("x", encoding="utf-8")
    (tmp_path / "secret.txt").write_text("s", encoding="utf-8")
    assert resolve_request(out, "/a/") == (out / "a" / "index.html").resolve()
    assert resolve_request(out, "/a/../../secret.txt") is None
    assert resolve_request(out, "/a/%2e%2e/%2e%2e/secret.txt") is None
    assert resolve_request(out, "/a\\..\\..\\secret.txt") is None


def test_inject_goes_before_the_last_body_end() -> None:
    assert inject(b"<p></body></html>", "<script></script>") == (
        b"<p><script></script></body></html>"
    )
    assert inject(b"<p>no body", "<s>") == b"<p>no body<s>"


def test_requests_wait_while_a_build_runs() -> None:
    state = BuildState()
    state.begin_build()
    answers: list[tuple[int, object]] = []
    waiter = threading.Thread(target=lambda: answers.append(state.wait_until_current()))
    waiter.start()
    waiter.join(timeout=0.2)
    assert answers == []  # still waiting: the build has not finished
    state.end_build(None)
    waiter.join(timeout=5)
    assert answers == [(1, None, None)]


@pytest.mark.slow
def test_livereload_stream_announces_the_next_build(live: LivePreview) -> None:
    host, port = live.httpd.server_address[:2]
    conn = http.client.HTTPConnection(host, port, timeout=10)
    conn.request("GET", f"/__livereload?since={live.state.generation}")
    response = conn.getresponse()
    assert (response.status, response.getheader("Content-Type")) == (200, "text/event-stream")
    assert response.readline() == b"retry: 300\n"
    assert response.readline() == b"\n"
    events = live.root / "events.yaml"
    events.write_text(events.read_text("utf-8").replace("开馆准备", "开馆准备了"), encoding="utf-8")
    assert response.readline() == b"data: 2\n"
    conn.close()
    status, _, body = request(live, "/calendar/2026-02/")
    assert status == 200
    assert "开馆准备了" in body.decode("utf-8")


@pytest.mark.slow
def test_editor_save_by_rename_is_one_rebuild(tmp_path: Path) -> None:
    # The quiet time is the preview's own setting: a long one here (the renames take well
    # under a millisecond), so that a loaded machine, or pytest -n, pausing this test
    # between two renames does not split the save in two.
    live = _started(tmp_path, debounce=1.0)
    try:
        events = live.root / "events.yaml"
        text = events.read_text("utf-8").replace("英文绘本入班登记", "英文绘本登记")
        for i in range(3):  # an editor writing a temp file and renaming it over, three times
            tmp = live.root / f".events.yaml.{i}.tmp"
            tmp.write_text(text, encoding="utf-8")
            tmp.replace(events)
        _, _, body = request(live, "/" + MARCH)
        deadline = time.monotonic() + 10  # it must not hang; how fast is benchmarks/' part
        while "英文绘本登记" not in body.decode("utf-8") and time.monotonic() < deadline:
            time.sleep(0.05)
            _, _, body = request(live, "/" + MARCH)
        assert "英文绘本登记" in body.decode("utf-8")
        _quiet(live)  # the page may be served before its build ends (published first)
        assert live.state.generation == 2  # the first build, then one rebuild
    finally:
        live.stop()


@pytest.mark.slow
def test_a_save_written_in_place_builds_at_once_on_its_close(tmp_path: Path) -> None:
    # A quiet time far longer than the wait below: only the file's close can start the build.
    live = _started(tmp_path, debounce=30.0)
    try:
        events = live.root / "events.yaml"
        started = time.monotonic()
        events.write_text(
            events.read_text("utf-8").replace("英文绘本入班登记", "英文绘本登记"), encoding="utf-8"
        )
        _, _, body = request(live, "/" + MARCH)  # held while the build runs
        while "英文绘本登记" not in body.decode("utf-8") and time.monotonic() < started + 10:
            time.sleep(0.05)
            _, _, body = request(live, "/" + MARCH)
        assert "英文绘本登记" in body.decode("utf-8")
        assert time.monotonic() - started < 10
        _quiet(live)
        assert live.state.generation == 2
    finally:
        live.stop()


@pytest.mark.browser
@pytest.mark.slow
def test_browser_reloads_on_save_and_shows_the_overlay_until_fixed(
    live: LivePreview, browser
) -> None:
    events = live.root / "events.yaml"
    good = events.read_text("utf-8")
    page = browser.new_page()
    try:
        page.goto(live.url + MARCH)
        assert page.locator("text=英文绘本入班登记").count() == 1

        events.write_text(
            good.replace("英文绘本入班登记", "英文绘本入班登记（已改）"), encoding="utf-8"
        )
        page.wait_for_function(
            "document.body.innerText.includes('英文绘本入班登记（已改）')", timeout=5000
        )

        events.write_text(
            good.replace("    date: 2026-03-03", "    date: [2026-03-03"), encoding="utf-8"
        )
        page.wait_for_selector("#library-preview-overlay", timeout=5000)
        overlay = page.inner_text("#library-preview-overlay")
        assert "events.yaml:160:13: 错误 E101: YAML 格式错误" in overlay
        assert "160 |     category: routine" in overlay
        assert "提示: 检查这一行和上一行的缩进" in overlay
        assert "英文绘本入班登记（已改）" in page.inner_text("main")  # the last good site

        events.write_text(
            good.replace("英文绘本入班登记", "英文绘本入班登记（修好）"), encoding="utf-8"
        )
        page.wait_for_function(
            "!document.getElementById('library-preview-overlay')"
            " && document.body.innerText.includes('英文绘本入班登记（修好）')",
            timeout=5000,
        )
        assert page.locator("#library-preview-overlay").count() == 0
    finally:
        page.close()


@pytest.mark.browser
@pytest.mark.slow
def test_the_browser_shows_the_saved_page_before_the_rest_of_the_site_is_made(
    live: LivePreview, browser
) -> None:
    release = threading.Event()
    publish = live.state.publish

    def published(pages: dict[str, bytes]) -> None:
        publish(pages)
        release.wait(10)  # the rest of the build waits until the browser has shown it

    live.state.publish = published  # type: ignore[method-assign]
    events = live.root / "events.yaml"
    page = browser.new_page()
    try:
        page.goto(live.url + MARCH)
        page.wait_for_function("document.body.innerText.includes('英文绘本入班登记')")
        events.write_text(
            events.read_text("utf-8").replace("英文绘本入班登记", "英文绘本入班登记（已改）"),
            encoding="utf-8",
        )
        page.wait_for_function(
            "document.body.innerText.includes('英文绘本入班登记（已改）')", timeout=5000
        )
        # with its stylesheets: a browser paints nothing while they are still asked for
        page.wait_for_function(
            "[...document.querySelectorAll('link[rel=stylesheet]')].every(l => l.sheet)"
            " && getComputedStyle(document.body).margin === '0px'",
            timeout=5000,
        )
        assert live.state.building  # shown while the build is held after publishing it
        page.evaluate("window.reloaded = false")
        release.set()
        _quiet(live)
        assert not live.state.building
        time.sleep(0.5)  # a reload at the build's end would have cleared the mark by now
        assert page.evaluate("window.reloaded") is False
    finally:
        release.set()
        page.close()


def test_the_preview_hands_the_gil_over_quickly_while_it_runs(tmp_path: Path) -> None:
    before = sys.getswitchinterval()
    live = _started(tmp_path)
    try:
        assert sys.getswitchinterval() == min(SWITCH_INTERVAL, before)
    finally:
        live.stop()
    assert sys.getswitchinterval() == before


@pytest.mark.slow
def test_cli_serve_warns_for_the_network_and_stops_on_ctrl_c(make_site) -> None:
    site = make_site(sample=True)
    command = [
        sys.executable,
        "build.py",
        "serve",
        "--site",
        str(site),
        "--port",
        "0",
        "--host",
        "0.0.0.0",
        "--today",
        "2026-03-10",
        "--lang",
        "en",
    ]
    with subprocess.Popen(
        command,
        cwd=Path(__file__).resolve().parent.parent,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
    ) as proc:
        try:
            assert proc.stderr is not None and proc.stdout is not None
            assert proc.stderr.readline() == (
                "warning: --host 0.0.0.0 lets other computers on the network see the preview.\n"
            )
            line = proc.stdout.readline()
            assert line.startswith("preview at http://0.0.0.0:") and line.endswith(
                "/ (Ctrl+C to stop)\n"
            )
            port = int(line.split(":")[2].split("/")[0])
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            conn.request("GET", "/calendar/2026-03/")
            assert conn.getresponse().status == 200
            conn.close()
            proc.send_signal(signal.SIGINT)
            # Ctrl+C ends every command the same way (issue 22): one line, 130, no traceback
            assert proc.wait(timeout=15) == 130
            err = proc.stderr.read()  # the preview's log, then the one line
            assert err.endswith("ms\ninterrupted: the site was not changed\n"), err
            assert "Traceback" not in err
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait(timeout=5)


@pytest.mark.slow
def test_the_watcher_hears_saves_and_renames_but_not_reads(tmp_path: Path) -> None:
    """A rebuild reads every file of the site: those reads must not wake the watcher."""
    from watchdog.events import FileSystemEvent, FileSystemEventHandler
    from watchdog.observers import Observer

    from generator.serve.watch import WATCHED_EVENTS

    heard: list[tuple[str, str]] = []

    class Heard(FileSystemEventHandler):
        def on_any_event(self, event: FileSystemEvent) -> None:
            if not event.is_directory:
                heard.append((event.event_type, Path(str(event.src_path)).name))

    for n in range(20):
        (tmp_path / f"{n}.md").write_text("x", encoding="utf-8")
    observer = Observer()
    observer.schedule(Heard(), str(tmp_path), recursive=True, event_filter=WATCHED_EVENTS)
    observer.start()
    try:
        for n in range(20):
            (tmp_path / f"{n}.md").read_bytes()
        (tmp_path / "new").mkdir()
        (tmp_path / "new" / "a.md").touch()
        time.sleep(0.3)  # inotify hands events over asynchronously
        (tmp_path / ".a.tmp").touch()
        (tmp_path / ".a.tmp").replace(tmp_path / "a.md")
        deadline = time.monotonic() + 5
        while ("moved", ".a.tmp") not in heard and time.monotonic() < deadline:
            time.sleep(0.02)
    finally:
        observer.stop()
        observer.join(timeout=5)
    # (a file made in a new folder may be heard twice, or its close missed: watchdog also
    # scans the new folder, after the file may have been closed)
    assert set(heard) - {("closed", "a.md")} == {
        ("created", "a.md"),
        ("created", ".a.tmp"),
        ("closed", ".a.tmp"),
        ("moved", ".a.tmp"),
    }


def test_a_file_that_is_not_a_page_waits_for_the_kinds_files() -> None:
    # between the pages and the .docx (`finishing`) a page is served, a .docx waits
    state = BuildState()
    state.begin_build()
    state.end_build(None, finishing=True)
    assert state.wait_until_current(page=True) == (1, None, None)
    answers: list[tuple[int, object]] = []
    waiter = threading.Thread(target=lambda: answers.append(state.wait_until_current(False)))
    waiter.start()
    waiter.join(timeout=0.2)
    assert answers == []  # still waiting for the .docx
    state.end_finish(None)
    waiter.join(timeout=5)
    assert answers == [(1, None, None)]


@pytest.mark.slow
def test_a_docx_asked_for_as_soon_as_its_page_shows_the_edit_is_the_new_one(
    live: LivePreview, tmp_path: Path
) -> None:
    events = live.root / "events.yaml"
    events.write_text(events.read_text("utf-8").replace("开馆准备", "开馆准备了"), encoding="utf-8")
    deadline = time.monotonic() + 30
    while "开馆准备了" not in request(live, "/work-plan/")[2].decode("utf-8"):
        assert time.monotonic() < deadline
        time.sleep(0.002)
    status, _, body = request(live, "/work-plan/work-plan-2025-2026-2.docx")
    fresh = tmp_path / "fresh"
    pipeline.build(live.root, fresh, TODAY)
    assert status == 200
    assert body == (fresh / "work-plan/work-plan-2025-2026-2.docx").read_bytes()


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("/", "index.html"),
        ("/calendar/2026-03/", "calendar/2026-03/index.html"),
        ("/calendar/2026-03/index.html?x=1", "calendar/2026-03/index.html"),
        ("%2Fcalendar%2F2026-03%2F", "calendar/2026-03/index.html"),  # encodeURIComponent
        ("/news/%E6%96%B0/", "news/新/index.html"),
        ("/404.html", "404.html"),
        ("/calendar/2026-03", None),  # a folder without its slash: redirected, not a page
        ("/work-plan/work-plan-2025-2026-2.docx", None),
        ("/a/../index.html", None),
        ("/a\\b/", None),
        ("/%FF/", None),
    ],
)
def test_page_path_names_the_output_file_of_a_page_url(url: str, expected: str | None) -> None:
    assert page_path(url) == expected


def test_a_static_file_the_running_build_keeps_is_answered_at_once() -> None:
    state = BuildState()
    state.begin_build()
    waits: list[object] = []
    waiter = threading.Thread(target=lambda: waits.append(state.wait_until_current(False)))
    waiter.start()
    waiter.join(timeout=0.2)
    assert waits == []  # not said yet whether the build keeps them: it waits
    state.keep_static(True)
    assert state.wait_until_current(False, None, static=True) == (0, None, None)
    waiter.join(timeout=0.2)
    assert waits == []  # a file that is not a theme's static file (a feed) still waits
    state.mark_pending()  # another save: its build may change them
    pending: list[object] = []
    second = threading.Thread(
        target=lambda: pending.append(state.wait_until_current(False, None, static=True))
    )
    second.start()
    second.join(timeout=0.2)
    assert pending == []
    state.end_build(None)
    state.begin_build()  # the next build starts without saying
    assert not state.static_kept
    state.end_build(None)
    for thread in (waiter, second):
        thread.join(timeout=5)
    assert waits == pending == [(2, None, None)]


def test_the_preview_says_which_builds_keep_the_static_files(make_site, tmp_path: Path) -> None:
    preview = Preview(make_site(sample=True), tmp_path / "out", TODAY)
    data = Change(ChangeKind.DATA, "events.yaml")
    assert not preview.keeps_static({data})  # the first build writes them
    preview.build()
    assert preview.keeps_static({data}) and preview.keeps_static(set())
    assert not preview.keeps_static(None)
    for kind, name in ((ChangeKind.STATIC, "static:style.css"), (ChangeKind.SETTINGS, "x")):
        assert not preview.keeps_static({data, Change(kind, name)})
    # the school's own default theme made: no watcher event names it, its stylesheet is new
    own = preview.root / "themes/default/static"
    own.mkdir(parents=True)
    (own / "style.css").write_text("body { margin: 1em; }\n", encoding="utf-8")
    assert not preview.keeps_static({data})
    preview.build({data})
    assert preview.keeps_static({data})


def test_a_page_the_running_build_published_is_answered_at_once_and_others_wait() -> None:
    state = BuildState()
    state.begin_build()
    state.publish({MARCH: b"<p>new</p>"})
    # the next generation's page, from memory, while the build still runs
    assert state.wait_until_current(True, MARCH) == (1, None, b"<p>new</p>")
    answers: list[tuple[int, object, object]] = []
    waiter = threading.Thread(target=lambda: answers.append(state.wait_until_current(True, OTHER)))
    waiter.start()
    waiter.join(timeout=0.2)
    assert answers == []  # not made yet: it waits for the build
    state.end_build(None)
    waiter.join(timeout=5)
    assert answers == [(1, None, None)]
    assert (state.early, state.wait_until_current(True, MARCH)) == ({}, (1, None, None))


def test_a_live_reload_stream_fires_when_its_page_is_published_and_not_again() -> None:
    state = BuildState()
    assert state.wait_for_newer(0, 0.01, MARCH) is None  # nothing newer yet
    state.begin_build()
    assert state.wait_for_newer(0, 0.01, MARCH) is None  # building, its page not made yet
    state.publish({MARCH: b"<p>new</p>"})
    # the page is generation 1 now; another page's stream waits for the build's end
    assert (state.wait_for_newer(0, 0.01, MARCH), state.wait_for_newer(0, 0.01, OTHER)) == (
        1,
        None,
    )
    # the reloaded page asks since 1: the build's end (generation 1) is not newer for it
    assert state.wait_for_newer(1, 0.01, MARCH) is None
    state.end_build(None)
    assert (state.wait_for_newer(1, 0.01, MARCH), state.wait_for_newer(0, 0.01, OTHER)) == (
        None,
        1,
    )
    state.begin_build()
    state.publish({MARCH: b"<p>newer</p>"})
    problems = ProblemReport([Problem("E550", Position("build.py"), {"detail": "x"})])
    assert state.wait_for_newer(1, 0.01, MARCH) == 2
    state.end_build(problems)  # failed after publishing: 3, so the page shows the problems
    assert state.wait_for_newer(2, 0.01, MARCH) == 3
    state.stop()
    assert state.wait_for_newer(0, 0.01, MARCH) is None


def test_a_failed_build_after_its_first_pages_were_shown_reloads_them() -> None:
    state = BuildState()
    state.begin_build()
    state.end_build(None)
    state.begin_build()
    state.publish({MARCH: b"<p>new</p>"})
    assert state.wait_until_current(True, MARCH)[0] == 2  # served as generation 2
    problems = ProblemReport([Problem("E550", Position("build.py"), {"detail": "x"})])
    state.end_build(problems)
    # 3 > 2: the page shown early reloads, and shows the last good site under the problems
    assert state.wait_until_current(True, MARCH) == (3, problems, None)
    state.begin_build()
    state.end_build(problems)  # a failure with nothing shown early counts once
    assert state.generation == 4


def test_the_pages_made_first_are_those_open_in_a_browser_and_the_last_asked_for() -> None:
    state = BuildState()
    assert state.watched() == frozenset()
    state.watching("a/index.html", 1)
    state.watching("a/index.html", 1)  # two tabs
    state.watching("b/index.html", 1)
    state.watching(None, 1)  # a stream that named no page
    state.saw("c/index.html")
    state.saw("d/index.html")
    assert state.watched() == {"a/index.html", "b/index.html", "d/index.html"}
    state.watching("a/index.html", -1)
    state.watching("b/index.html", -1)
    assert state.watched() == {"a/index.html", "d/index.html"}  # one tab of a still open
    state.watching("a/index.html", -1)
    assert state.watched() == {"d/index.html"}


@pytest.mark.slow
def test_the_page_open_in_a_browser_is_made_first_and_served_before_the_build_ends(
    live: LivePreview,
) -> None:
    host, port = live.httpd.server_address[:2]
    stream = http.client.HTTPConnection(host, port, timeout=10)
    stream.request("GET", f"/__livereload?since={live.state.generation}&page=%2Fagenda%2F")
    response = stream.getresponse()
    assert (response.readline(), response.readline()) == (b"retry: 300\n", b"\n")
    shown: list[tuple[bool, bytes]] = []
    waiting: list[bytes] = []
    announced = threading.Event()
    publish = live.state.publish

    def published(pages: dict[str, bytes]) -> None:
        # the build thread, the agenda made: another page asked for now waits for the
        # build; the agenda is answered at once with its new bytes
        threading.Thread(target=lambda: waiting.append(request(live, "/calendar/")[2])).start()
        publish(pages)
        announced.wait(5)  # the build holds here until the stream has said so
        shown.append((live.state.building, request(live, "/agenda/")[2]))
        time.sleep(0.2)
        shown.append((live.state.building, b"".join(waiting)))

    live.state.publish = published  # type: ignore[method-assign]
    events = live.root / "events.yaml"
    events.write_text(events.read_text("utf-8").replace("开馆准备", "开馆准备了"), encoding="utf-8")
    # the agenda's stream says so as soon as the agenda is published, while the build goes
    # on (the browser reloads it then), and once only: the build's end is that generation
    assert (response.readline(), live.state.building) == (b"data: 2\n", True)
    announced.set()
    stream.close()
    deadline = time.monotonic() + 10
    while (live.last is None or live.last.full) and time.monotonic() < deadline:
        time.sleep(0.01)  # its .docx written after the pages, then its result kept
    assert live.last is not None
    assert live.last.rendered[0] == "agenda/index.html"  # made before any other page
    assert "calendar/index.html" in live.last.rendered
    [(building, early), (still_building, nothing)] = shown
    assert (building, still_building, nothing) == (True, True, b"")
    assert "开馆准备了" in early.decode("utf-8")
    assert b"since=2&page=" in early  # the new generation's: it does not reload again
    assert early == request(live, "/agenda/")[2]  # what the disk holds after the build
    deadline = time.monotonic() + 10
    while not waiting and time.monotonic() < deadline:
        time.sleep(0.01)
    assert b"since=2&page=" in waiting[0]  # the calendar as the build left it
