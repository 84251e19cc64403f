"""The preview server under load and abuse: many connections at once, clients that
hang up, pages of other sites (DNS rebinding), IPv6 loopback, no CORS. Only loopback
addresses are used."""

from __future__ import annotations

import errno
import http.client
import io
import socket
import struct
import threading
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from conftest import copy_sample

from generator.serve.preview import LivePreview
from generator.serve.server import PreviewHandler, PreviewHTTPServer, host_allowed

TODAY = date(2026, 3, 10)
REFUSED = (
    "预览只回答本机地址（localhost、127.0.0.1、[::1]）的请求，不回答其他网站。\n"
    "The preview answers only requests for this computer's address (localhost, "
    "127.0.0.1, [::1]), not for other sites.\n"
).encode()


def _start(folder: Path, host: str = "127.0.0.1") -> tuple[LivePreview, io.StringIO]:
    site = folder / "site"
    site.mkdir()
    copy_sample(site)
    log = io.StringIO()
    preview = LivePreview(site, host=host, port=0, out=folder / "preview", today=TODAY, log=log)
    preview.start()
    return preview, log


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[LivePreview, io.StringIO]]:
    preview, log = _start(tmp_path_factory.mktemp("hardening"))
    try:
        yield preview, log
    finally:
        preview.stop()


def _port(preview: LivePreview) -> int:
    return int(preview.httpd.server_address[1])


def _get(
    port: int, path: str = "/", host: str | None = None, address: str = "127.0.0.1", **headers: str
) -> tuple[int, dict[str, str], bytes]:
    """One request; `host` None sends the usual Host header, "" sends none."""
    conn = http.client.HTTPConnection(address, port, timeout=20)
    try:
        conn.putrequest("GET", path, skip_host=host is not None, skip_accept_encoding=True)
        if host:
            conn.putheader("Host", host)
        for name, value in headers.items():
            conn.putheader(name.replace("_", "-"), value)
        conn.endheaders()
        response = conn.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        conn.close()


def _reset(sock: socket.socket) -> None:
    """Close with a TCP reset, as a browser tab closed mid-load does."""
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    sock.close()


@pytest.mark.slow
def test_200_concurrent_requests_are_all_answered(
    served: tuple[LivePreview, io.StringIO],
) -> None:
    preview, _ = served
    port = _port(preview)
    expected = _get(port, "/calendar/2026-03/")[2]
    count = 200
    start = threading.Barrier(count)
    results: list[tuple[int, bytes, float]] = []
    failures: list[BaseException] = []
    lock = threading.Lock()

    def one() -> None:
        start.wait(timeout=30)
        began = time.perf_counter()
        try:
            status, _, body = _get(port, "/calendar/2026-03/")
        except BaseException as exc:  # every failure is counted, not just the first
            with lock:
                failures.append(exc)
            return
        with lock:
            results.append((status, body, time.perf_counter() - began))

    threads = [threading.Thread(target=one) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    slowest = max((seconds for _, _, seconds in results), default=0.0)
    print(
        f"\n{count} concurrent requests: {len(results)} answered, {len(failures)} failed, "
        f"slowest {slowest:.3f} s"
    )
    assert failures == []
    assert len(results) == count
    assert {status for status, _, _ in results} == {200}
    assert all(body == expected for _, body, _ in results)
    # A backlog of 5 left connections unanswered past the 20 s timeout; 128 still cost a
    # SYN retransmission (1.1 s); 1024 answers all in about 0.2 s on an idle machine.
    assert slowest < 5.0


@pytest.mark.slow
def test_aborted_connections_print_nothing_and_the_server_keeps_answering(
    served: tuple[LivePreview, io.StringIO], capfd: pytest.CaptureFixture[str]
) -> None:
    preview, log = served
    port = _port(preview)
    before = log.getvalue()
    capfd.readouterr()
    request = f"GET /calendar/print/ HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n".encode()
    for i in range(50):
        sock = socket.create_connection(("127.0.0.1", port), timeout=10)
        if i % 2 == 0:  # mid-request: half the headers, then the reset
            sock.sendall(request[: len(request) // 2])
            time.sleep(0.01)
        else:  # mid-response: the first bytes of the answer, then the reset
            sock.sendall(request)
            assert sock.recv(1) == b"H"
        _reset(sock)
    time.sleep(0.5)  # the handler threads meet the reset after the loop
    status, _, _ = _get(port, "/")
    assert status == 200
    captured = capfd.readouterr()
    assert (captured.out, captured.err) == ("", "")
    assert log.getvalue() == before


def test_a_request_that_only_connects_is_dropped_quietly(
    served: tuple[LivePreview, io.StringIO], capfd: pytest.CaptureFixture[str]
) -> None:
    preview, log = served
    port = _port(preview)
    capfd.readouterr()
    before = log.getvalue()
    for _ in range(5):
        socket.create_connection(("127.0.0.1", port), timeout=10).close()
    time.sleep(0.2)
    assert _get(port, "/")[0] == 200
    assert capfd.readouterr().err == ""
    assert log.getvalue() == before


def test_an_idle_connection_is_closed_after_the_timeout(
    served: tuple[LivePreview, io.StringIO],
    capfd: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A connection that never sends its request must not hold a thread for ever."""
    preview, log = served
    before = log.getvalue()
    capfd.readouterr()
    monkeypatch.setattr(PreviewHandler, "timeout", 0.3)
    with socket.create_connection(("127.0.0.1", _port(preview)), timeout=10) as sock:
        began = time.perf_counter()
        assert sock.recv(1) == b""  # the server closed it
        waited = time.perf_counter() - began
    assert 0.2 < waited < 5.0
    assert capfd.readouterr().err == ""
    assert log.getvalue() == before


@pytest.mark.parametrize(
    "host",
    [
        "evil.example:{port}",
        "evil.example",
        "127.0.0.1.evil.example:{port}",
        "localhost.evil.example:{port}",
        "127.0.0.1:1",  # this computer, another port
        "localhost",  # port 80, not ours
        "127.0.0.1:{port}@evil.example",
        "[::1]x:{port}",
        "",  # no Host at all
    ],
)
def test_a_foreign_host_is_refused_with_421(
    served: tuple[LivePreview, io.StringIO], host: str
) -> None:
    preview, _ = served
    port = _port(preview)
    status, headers, body = _get(port, "/calendar/2026-03/", host=host.format(port=port))
    assert status == 421
    assert headers["Content-Type"] == "text/plain; charset=utf-8"
    assert headers["Connection"] == "close"
    assert body == REFUSED


@pytest.mark.parametrize(
    "host", ["127.0.0.1:{port}", "localhost:{port}", "LocalHost:{port}", "[::1]:{port}"]
)
def test_this_computers_names_are_answered(
    served: tuple[LivePreview, io.StringIO], host: str
) -> None:
    preview, _ = served
    port = _port(preview)
    status, _, body = _get(port, "/calendar/2026-03/", host=host.format(port=port))
    assert status == 200
    assert body.startswith(b"<!DOCTYPE html>")


def test_the_live_reload_stream_refuses_a_foreign_host(
    served: tuple[LivePreview, io.StringIO],
) -> None:
    preview, _ = served
    port = _port(preview)
    status, _, body = _get(port, "/__livereload?since=0", host=f"evil.example:{port}")
    assert (status, body) == (421, REFUSED)


@pytest.mark.parametrize(
    ("listen", "host", "allowed"),
    [
        ("127.0.0.1", "127.0.0.1:8000", True),
        ("127.0.0.1", "127.0.0.1:8001", False),
        ("127.0.0.1", "localhost:8000", True),
        ("127.0.0.1", "[::1]:8000", True),
        ("127.0.0.1", "192.168.1.20:8000", False),
        ("127.0.0.1", "evil.example:8000", False),
        ("::1", "[::1]:8000", True),
        ("::1", "[0:0:0:0:0:0:0:1]:8000", True),
        ("::1", "::1:8000", False),  # not a valid Host: an IPv6 address needs brackets
        ("192.168.1.20", "192.168.1.20:8000", True),
        ("0.0.0.0", "192.168.1.20:8000", True),  # on the network: any address of the machine
        ("0.0.0.0", "0.0.0.0:8000", True),
        ("0.0.0.0", "[fe80::1]:8000", False),  # an IPv4 server has no IPv6 address
        ("::", "[fe80::1]:8000", True),
        ("0.0.0.0", "evil.example:8000", False),  # a rebound name stays refused
        ("0.0.0.0", "192.168.1.20:8001", False),
        ("127.0.0.1", "127.0.0.1:08000", False),
        ("127.0.0.1", "127.0.0.1:+8000", False),
        ("127.0.0.1", "127.0.0.1:", False),
        ("127.0.0.1", None, False),
    ],
)
def test_host_allowed(listen: str, host: str | None, allowed: bool) -> None:
    assert host_allowed(host, listen, 8000) is allowed


def test_no_cors_headers_are_sent(served: tuple[LivePreview, io.StringIO]) -> None:
    preview, _ = served
    port = _port(preview)
    origin = {"Origin": "http://evil.example"}
    answers = [
        _get(port, path, **origin)
        for path in ("/", "/calendar/2026-03/", "/static/style.css", "/nope.html")
    ]
    answers.append(_get(port, "/", host="evil.example", **origin))
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:  # the live-reload stream: its headers only
        conn.request("GET", "/__livereload?since=999", headers=origin)
        stream = conn.getresponse()
        answers.append((stream.status, dict(stream.getheaders()), b""))
    finally:
        conn.close()
    assert [status for status, _, _ in answers] == [200, 200, 200, 404, 421, 200]
    sent = {name.lower() for _, headers, _ in answers for name in headers}
    assert {name for name in sent if name.startswith("access-control-")} == set()
    assert "content-type" in sent  # the headers were read at all


def _has_ipv6_loopback() -> bool:
    if not socket.has_ipv6:
        return False
    try:
        with socket.socket(socket.AF_INET6, socket.SOCK_STREAM) as sock:
            sock.bind(("::1", 0))
    except OSError:
        return False
    return True


@pytest.mark.slow
@pytest.mark.skipif(not _has_ipv6_loopback(), reason="this machine has no IPv6 loopback")
def test_ipv6_loopback_starts_and_answers(tmp_path: Path) -> None:
    preview, _ = _start(tmp_path, host="::1")
    try:
        port = _port(preview)
        assert preview.httpd.address_family == socket.AF_INET6
        assert preview.httpd.url == f"http://[::1]:{port}/"
        status, _, body = _get(port, "/calendar/2026-03/", address="::1")
        assert status == 200
        assert body.startswith(b"<!DOCTYPE html>")
        assert _get(port, "/", host=f"localhost:{port}", address="::1")[0] == 200
        assert _get(port, "/", host=f"evil.example:{port}", address="::1")[0] == 421
    finally:
        preview.stop()


def test_brackets_around_an_ipv6_host_are_taken_off(tmp_path: Path) -> None:
    if not _has_ipv6_loopback():
        pytest.skip("this machine has no IPv6 loopback")
    from generator.serve.server import BuildState

    server = PreviewHTTPServer(("[::1]", 0), tmp_path, BuildState())
    try:
        assert server.server_address[0] == "::1"
        assert server.url == f"http://[::1]:{server.server_address[1]}/"
    finally:
        server.server_close()


def test_url_of_an_ipv4_server(tmp_path: Path) -> None:
    from generator.serve.server import BuildState

    server = PreviewHTTPServer(("127.0.0.1", 0), tmp_path, BuildState())
    try:
        assert server.address_family == socket.AF_INET
        assert server.request_queue_size == 1024
        assert server.daemon_threads is True
        assert PreviewHandler.timeout == 60.0
        assert server.url == f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.server_close()


def test_cli_says_plainly_when_ipv6_loopback_is_missing(
    make_site, run_cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = make_site(sample=True)

    def no_ipv6(self: PreviewHTTPServer) -> None:
        raise OSError(errno.EADDRNOTAVAIL, "Cannot assign requested address")

    monkeypatch.setattr(PreviewHTTPServer, "server_bind", no_ipv6)
    code, out, err = run_cli(
        "serve", "--site", site, "--host", "::1", "--port", "0", "--lang", "en"
    )
    assert code == 1
    assert out == ""
    assert err == (
        "cannot start the preview on ::1: this computer has no IPv6 loopback. "
        "Leave out --host (the default is 127.0.0.1) or use --host 127.0.0.1.\n"
    )


def test_a_bug_in_a_request_is_one_line_not_a_traceback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
) -> None:
    from generator.serve.server import BuildState

    def broken(self: PreviewHandler, send_body: bool) -> None:
        raise ValueError("boom")

    monkeypatch.setattr(PreviewHandler, "_respond", broken)
    log = io.StringIO()
    server = PreviewHTTPServer(("127.0.0.1", 0), tmp_path, BuildState(), "en", log=log)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        with pytest.raises(http.client.RemoteDisconnected):
            _get(int(server.server_address[1]), "/")
        deadline = time.monotonic() + 5
        while not log.getvalue() and time.monotonic() < deadline:
            time.sleep(0.01)
    finally:
        server.shutdown()
        server.server_close()
    assert log.getvalue() == "the preview failed to answer a request: ValueError: boom\n"
    assert capfd.readouterr().err == ""
