"""The preview's HTTP side: serve the output folder, live reload, the error overlay.

Only files inside the output folder are served. Requests wait while a build is pending
or running, so a half-built site is never seen: the one exception is a page the running
build has already made (`BuildState.publish`: the pages open in a browser, made first), which
is answered with its new bytes from memory at once. HTML responses get a small script (and,
while the last build failed, an overlay listing the problems) before `</body>`; this
happens here, in serve only, never in the files `build` writes.

The server answers only requests addressed to this computer (a Host header naming the
address it listens on, `localhost` or a loopback address, with its port): a page of another
site whose name was rebound to 127.0.0.1 (DNS rebinding) is refused with 421 and cannot read
the preview. It sends no CORS headers, so no other origin may read an answer either.
"""

from __future__ import annotations

import errno
import html
import ipaddress
import json
import mimetypes
import os
import socket
import sys
import threading
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TextIO
from urllib.parse import unquote, urlsplit

from generator.plan import urls
from generator.problems.messages import say
from generator.problems.problem import ProblemReport

LIVERELOAD_PATH = "/__livereload"
REQUEST_WAIT = 30.0  # at most this long a request waits for a running build
KEEPALIVE = 10.0  # seconds between comments on an idle live-reload stream
IDLE_TIMEOUT = 60.0  # a connection that sends nothing this long is closed (keeps threads few)
BACKLOG = 1024  # connections the OS holds until accepted (socketserver's default: 5)
_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".ics": "text/calendar; charset=utf-8",
    ".json": "application/json",
    ".svg": "image/svg+xml",
    ".txt": "text/plain; charset=utf-8",
}


class BuildState:
    """What the build loop and the request threads share, under one condition."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self.pending = False
        self.building = False
        self.stopping = False
        self.generation = 0  # successful or failed builds finished so far
        self.problems: ProblemReport | None = None  # of the last build, if it failed
        # the pages are written, the kinds' own files (.docx) not yet: only pages are served
        self.finishing = False
        # pages the running build made first, by output path, served before it ends; they
        # reach the disk with the rest of the build, or not at all if it fails
        self.early: dict[str, bytes] = {}
        self.static_kept = False  # the running build leaves the themes' static files as is
        self._open: dict[str, int] = {}  # pages with a live-reload stream open: shown now
        self._last_page: str | None = None  # the page asked for last

    def saw(self, page: str) -> None:
        """A page was asked for (an output path such as `calendar/2026-03/index.html`)."""
        with self._cond:
            self._last_page = page

    def watching(self, page: str | None, delta: int) -> None:
        """A live-reload stream of `page` opened (`delta` 1) or closed (-1)."""
        if page is None:
            return
        with self._cond:
            count = self._open.get(page, 0) + delta
            if count > 0:
                self._open[page] = count
            else:
                self._open.pop(page, None)

    def watched(self) -> frozenset[str]:
        """The pages a browser shows now and the page asked for last: made first."""
        with self._cond:
            last = {self._last_page} if self._last_page is not None else set()
            return frozenset(self._open) | last

    def publish(self, pages: dict[str, bytes]) -> None:
        """Pages of the running build that are final (its other pages are still being made):
        served from here on. Their live-reload streams say so now (`wait_for_newer`), so
        the browser showing one reloads it before the rest is made; they are the next
        generation's, so it does not reload them again when the build ends."""
        with self._cond:
            self.early = dict(pages)
            self._cond.notify_all()

    def mark_pending(self) -> None:
        with self._cond:
            self.pending = True
            self._cond.notify_all()

    def begin_build(self) -> None:
        with self._cond:
            self.pending, self.building = False, True
            self.early = {}
            self.static_kept = False
            self._cond.notify_all()

    def keep_static(self, kept: bool) -> None:
        """The running build leaves the themes' static files as they are (`kept`): a page
        it published is shown with its stylesheets, not held until the build's .docx."""
        with self._cond:
            self.static_kept = kept
            self._cond.notify_all()

    def end_build(self, problems: ProblemReport | None, finishing: bool = False) -> None:
        """The pages are written (`finishing`: the kinds' own files follow, `end_finish`)."""
        with self._cond:
            self.building, self.finishing = False, finishing
            self.problems = problems
            # a failed build whose first pages were shown: one generation more, so those
            # pages reload and show the last good site with the problems over it
            self.generation += 2 if problems is not None and self.early else 1
            self.early = {}
            self._cond.notify_all()

    def end_finish(self, problems: ProblemReport | None) -> None:
        with self._cond:
            self.finishing = False
            if problems is not None:
                self.problems = problems
                self.generation += 1  # the pages say so
            self._cond.notify_all()

    def stop(self) -> None:
        with self._cond:
            self.stopping = True
            self._cond.notify_all()

    def wait_for_changes(self) -> bool:
        """Block until a change is pending; False when stopping."""
        with self._cond:
            self._cond.wait_for(lambda: self.pending or self.stopping)
            return not self.stopping

    def wait_until_current(
        self, page: bool = True, path: str | None = None, static: bool = False
    ) -> tuple[int, ProblemReport | None, bytes | None]:
        """Wait for the build running or about to run; a file that is not a page waits for
        the kinds' files too (`finishing`). The page at output `path`, when the running
        build published it (`publish`), is answered at once: the generation it belongs
        to, no problems, and its bytes (None: read the file). So is a theme's `static`
        file while the running build keeps them (`keep_static`) and no save waits."""
        with self._cond:
            self._cond.wait_for(
                lambda: (
                    self.stopping
                    or self._published(path)
                    or (static and self.static_kept and not self.pending)
                    or not (self.pending or self.building or (self.finishing and not page))
                ),
                timeout=REQUEST_WAIT,
            )
            if path is not None and self._published(path):
                return self.generation + 1, None, self.early[path]
            return self.generation, self.problems, None

    def _published(self, page: str | None) -> bool:
        """The running build published this page: it is the next generation's now."""
        return self.building and page in self.early

    def wait_for_newer(self, since: int, timeout: float, page: str | None = None) -> int | None:
        """The generation newer than `since` that the page at output path `page` now has:
        a build newer than `since` finished, or the running one published that page
        (`publish`: the browser showing it reloads before the rest of the build is made).
        None on timeout or stop."""

        def newer() -> int | None:
            if self._published(page):
                return self.generation + 1 if self.generation + 1 > since else None
            return self.generation if self.generation > since else None

        with self._cond:
            self._cond.wait_for(lambda: self.stopping or newer() is not None, timeout=timeout)
            return None if self.stopping else newer()


def resolve_request(out: Path, url: str) -> Path | None:
    """The file inside `out` a URL names (a folder gives its index.html), or None.

    Anything that could step outside is refused: `..` in any spelling, backslashes,
    NUL bytes, and symlinks that resolve outside the output folder.
    """
    raw = unquote(urlsplit(url).path, errors="strict")
    if "\\" in raw or "\0" in raw:
        return None
    parts = [p for p in raw.split("/") if p]
    if any(p in (".", "..") for p in parts):
        return None
    base = out.resolve()
    target = base.joinpath(*parts) if parts else base
    if target.is_dir():
        target = target / "index.html"
    try:
        real = target.resolve(strict=True)
    except (OSError, RuntimeError):
        return None
    if not real.is_file() or not real.is_relative_to(base):
        return None
    return real


def page_path(url: str) -> str | None:
    """The output path of the page a URL names without looking at the disk (`/calendar/`
    → `calendar/index.html`), or None when it names no page."""
    try:
        raw = unquote(urlsplit(url).path, errors="strict")
    except UnicodeDecodeError:
        return None
    parts = [p for p in raw.split("/") if p]
    if raw.endswith("/") or not parts:
        parts.append("index.html")
    if not parts[-1].endswith(".html") or any(p in (".", "..") or "\\" in p for p in parts):
        return None
    return "/".join(parts)


def inject(page: bytes, snippet: str) -> bytes:
    """`snippet` just before the last `</body>` (or at the end, if there is none)."""
    data = snippet.encode("utf-8")
    at = page.lower().rfind(b"</body>")
    return page + data if at < 0 else page[:at] + data + page[at:]


def client_snippet(generation: int, problems: ProblemReport | None, lang: str) -> str:
    script = (
        "<script>(function(){var s=new EventSource("
        + json.dumps(LIVERELOAD_PATH)
        + "+'?since="
        + str(generation)
        + "&page='+encodeURIComponent(location.pathname));"
        "s.onmessage=function(){s.close();location.reload();};})();</script>"
    )
    return (overlay(problems, lang) if problems else "") + script


def overlay(problems: ProblemReport, lang: str) -> str:
    title = say("I207", lang, errors=len(problems.errors))
    items = "".join(
        f'<li style="margin:0 0 1em"><pre style="margin:0;white-space:pre-wrap;'
        f'font:inherit">{html.escape(p.render(lang))}</pre></li>'
        for p in problems.sorted()
    )
    return (
        '<div id="library-preview-overlay" role="alert" style="position:fixed;inset:0;'
        "z-index:2147483647;overflow:auto;margin:0;padding:2em;background:#fff8f6;"
        'color:#5c0a00;border:6px solid #c0392b;font:15px/1.6 monospace;box-sizing:border-box">'
        f'<p style="margin:0 0 1em;font-weight:bold">{html.escape(title)}</p>'
        f'<ol style="margin:0;padding-left:1.5em">{items}</ol></div>'
    )


def _split_host(value: str) -> tuple[str, int] | None:
    """A Host header's name and port (80 when it has none), or None when it is malformed.

    An IPv6 address must be in brackets, the port plain digits (no sign, no leading zero).
    """
    if value.startswith("["):
        name, bracket, rest = value[1:].partition("]")
        if not bracket or (rest and not rest.startswith(":")):
            return None
        port = rest[1:] if rest else "80"
        try:
            if ipaddress.ip_address(name).version != 6:
                return None
        except ValueError:
            return None
    else:
        name, _, port = value.rpartition(":") if ":" in value else (value, "", "80")
        if ":" in name or not name:
            return None
    if not port.isascii() or not port.isdigit() or str(int(port)) != port:
        return None
    return name.lower(), int(port)


def _ip(name: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(name)
    except ValueError:
        return None


def host_allowed(value: str | None, listen: str, port: int) -> bool:
    """Whether a request's Host header names this server: its address, `localhost` or a
    loopback address, always with its port.

    A server listening on every address (`0.0.0.0`, `::`) is reached by the computer's
    own addresses, so any address literal of its family is answered (and the computer's
    name): a rebinding attack needs a name of its own, and every other name is refused.
    """
    if not value:
        return False
    split = _split_host(value.strip())
    if split is None:
        return False
    name, asked_port = split
    if asked_port != port:
        return False
    if name == "localhost":
        return True
    ip, own = _ip(name), _ip(listen.strip("[]"))
    if ip is None:
        return own is not None and own.is_unspecified and name == socket.gethostname().lower()
    if ip.is_loopback or ip == own:
        return True
    # "::" also takes IPv4 on a dual-stack system; "0.0.0.0" takes IPv4 only.
    return own is not None and own.is_unspecified and (own.version == 6 or ip.version == 4)


class NoIPv6Loopback(OSError):
    """`--host ::1` on a computer without IPv6: said plainly, not as a socket error."""


class PreviewHTTPServer(ThreadingHTTPServer):
    daemon_threads = True  # a hung-up browser's thread never holds up Ctrl+C
    request_queue_size = BACKLOG
    # On Windows SO_REUSEADDR lets a second program bind the same port and take over half
    # the requests; there a busy port must be an error, as it is elsewhere without it.
    allow_reuse_address = os.name != "nt"

    def __init__(
        self,
        address: tuple[str, int],
        out: Path,
        state: BuildState,
        lang: str = "zh",
        log: TextIO | None = None,
    ) -> None:
        self.out, self.state, self.lang, self._log = out, state, lang, log
        host = address[0].strip("[]")  # `--host [::1]` as a URL spells it
        ip = _ip(host)
        if ip is not None and ip.version == 6:
            self.address_family = socket.AF_INET6
        try:
            super().__init__((host, address[1]), PreviewHandler)
        except OSError as exc:
            # A busy or forbidden port is the same on IPv6; anything else means no ::1.
            busy = exc.errno in (errno.EADDRINUSE, errno.EACCES)
            if ip is not None and ip.version == 6 and ip.is_loopback and not busy:
                raise NoIPv6Loopback(exc.errno, str(exc)) from exc
            raise

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        name = host.decode() if isinstance(host, bytes) else host
        return f"http://[{name}]:{port}/" if ":" in name else f"http://{name}:{port}/"

    @property
    def log(self) -> TextIO:
        return self._log or sys.stderr

    def handle_error(self, request: object, client_address: object) -> None:
        """A browser that hangs up (a closed tab, a reload mid-page) is no error: say
        nothing. Anything else is one line, never a traceback in the teacher's terminal."""
        exc = sys.exc_info()[1]
        if exc is None or isinstance(exc, (ConnectionError, TimeoutError)):
            return
        detail = f"{type(exc).__name__}: {exc}"
        print(say("I210", self.lang, detail=detail), file=self.log, flush=True)


class PreviewHandler(BaseHTTPRequestHandler):
    server: PreviewHTTPServer
    protocol_version = "HTTP/1.1"
    timeout = IDLE_TIMEOUT

    def do_GET(self) -> None:
        self._respond(send_body=True)

    def do_HEAD(self) -> None:
        self._respond(send_body=False)

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: the terminal is for the teacher's problems, not for every request."""

    def _respond(self, send_body: bool) -> None:
        hosts = self.headers.get_all("Host") or []
        listen = self.server.server_address[0]
        listen_name = listen.decode() if isinstance(listen, bytes) else str(listen)
        if len(hosts) != 1 or not host_allowed(
            hosts[0], listen_name, int(self.server.server_address[1])
        ):
            self._refuse_host(send_body)
            return
        if urlsplit(self.path).path == LIVERELOAD_PATH:
            self._livereload()
            return
        url_path = urlsplit(self.path).path
        page = url_path.endswith(("/", ".html"))  # a page: not a .docx the build still writes
        key = page_path(self.path) if page else None
        static = url_path.startswith("/" + urls.static(""))
        generation, problems, early = self.server.state.wait_until_current(page, key, static)
        if early is not None:
            self._send(HTTPStatus.OK, _TYPES[".html"], early, generation, problems, send_body)
            return
        try:
            path = resolve_request(self.server.out, self.path)
        except UnicodeDecodeError:
            path = None
        status = HTTPStatus.OK
        if (
            path is not None
            and path.name == "index.html"
            and not url_path.endswith(("/", "index.html"))
        ):
            self._redirect(url_path + "/")  # a folder: relative links need the slash
            return
        if path is None:
            status = HTTPStatus.NOT_FOUND
            path = resolve_request(self.server.out, "/404.html")
        elif key is not None:
            self.server.state.saw(key)
        body = (
            path.read_bytes()
            if path is not None
            else b"<!DOCTYPE html><title>404</title><body><p>404</p></body>"
        )
        ctype = (
            _TYPES.get(path.suffix if path else ".html")
            or (mimetypes.guess_type(path.name)[0] if path else None)
            or "application/octet-stream"
        )
        self._send(status, ctype, body, generation, problems, send_body)

    def _send(
        self,
        status: HTTPStatus,
        ctype: str,
        body: bytes,
        generation: int,
        problems: ProblemReport | None,
        send_body: bool,
    ) -> None:
        if ctype.startswith("text/html"):
            body = inject(body, client_snippet(generation, problems, self.server.lang))
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        if send_body:
            self.wfile.write(body)

    def _refuse_host(self, send_body: bool) -> None:
        """421 with a short text in both languages: the asking page is not ours to know."""
        body = (say("I208", "zh") + "\n" + say("I208", "en") + "\n").encode("utf-8")
        self.close_connection = True
        self.send_response(HTTPStatus.MISDIRECTED_REQUEST)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("Connection", "close")
        self.end_headers()
        if send_body:
            self.wfile.write(body)

    def _redirect(self, location: str) -> None:
        self.send_response(HTTPStatus.MOVED_PERMANENTLY)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _livereload(self) -> None:
        """Server-Sent Events: one `data:` line when the page has a newer generation (a
        build finished, or the running one published the page)."""
        query = dict(p.partition("=")[::2] for p in urlsplit(self.path).query.split("&"))
        try:
            since = int(query.get("since", ""))
        except ValueError:
            since = self.server.state.generation
        shown = page_path(query["page"]) if query.get("page") else None
        self.server.state.watching(shown, 1)  # its page is made first by the next build
        try:
            self._stream(since, shown)
        finally:
            self.server.state.watching(shown, -1)

    def _stream(self, since: int, page: str | None) -> None:
        self.close_connection = True
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        try:
            self.wfile.write(b"retry: 300\n\n")
            self.wfile.flush()
            while not self.server.state.stopping:
                newer = self.server.state.wait_for_newer(since, KEEPALIVE, page)
                if newer is not None:
                    self.wfile.write(f"data: {newer}\n\n".encode())
                    self.wfile.flush()
                    return
                self.wfile.write(b": keepalive\n\n")
                self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            return
