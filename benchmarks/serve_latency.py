"""Edit → served latency of `python build.py serve` (a benchmark, not a timed test).

From the moment a file is written to the response that shows the change, asked for as a
browser showing the page asks: its live-reload stream open (the page's own `since=`), the
page asked for again when the stream says so. Median over N edits, each made when the
preview is quiet (the last edit's other pages and .docx, which follow the page shown,
written), on the sample site and on the large synthetic site (20-term archive of 500 events
each, see benchmarks/synthetic.py).

    python -m benchmarks.serve_latency [--edits 25]
"""

from __future__ import annotations

import argparse
import http.client
import io
import re
import statistics
import tempfile
import time
from datetime import date
from pathlib import Path
from urllib.parse import quote

from benchmarks.synthetic import generate
from generator.serve.preview import LivePreview

TODAY = date(2026, 3, 10)
EDITS = (  # (file, title, page that shows it)
    ("events.yaml", "英文绘本入班登记", "calendar/2026-03/index.html"),
    ("content/terms/2023-2024-2.yaml", "故事会（第4项）", "terms/2023-2024-2/agenda/index.html"),
)


def fetch(host: str, port: int, path: str) -> str:
    conn = http.client.HTTPConnection(host, port, timeout=30)
    try:
        conn.request("GET", "/" + path)
        return conn.getresponse().read().decode("utf-8")
    finally:
        conn.close()


def listen(host: str, port: int, page: str) -> http.client.HTTPResponse:
    """The live-reload stream the page's script opens, past its first lines."""
    since = re.search(r"since=(\d+)", fetch(host, port, page))
    assert since is not None, "the page has no live-reload script"
    conn = http.client.HTTPConnection(host, port, timeout=30)
    conn.request("GET", f"/__livereload?since={since[1]}&page={quote('/' + page)}")
    stream = conn.getresponse()
    while stream.readline() not in (b"\n", b""):
        pass
    return stream


def announced(stream: http.client.HTTPResponse) -> None:
    """Read until the stream's `data:` line: the browser reloads the page then."""
    while not (line := stream.readline()).startswith(b"data:"):
        if not line:
            raise RuntimeError("the live-reload stream closed")


def measure(site: Path, file: str, title: str, page: str, edits: int) -> dict[str, float]:
    preview = LivePreview(
        site, port=0, out=site.parent / f"preview-{site.name}", today=TODAY, log=io.StringIO()
    )
    preview.start()
    host, port = preview.httpd.server_address[:2]
    source = site / file
    original = source.read_text("utf-8")
    assert original.count(title) >= 1, title
    times, rendered, written = [], [], []
    try:
        for i in range(edits):
            new = f"{title}#{i}"
            stream = listen(host, port, page)
            started = time.perf_counter()
            source.write_text(original.replace(title, new, 1), encoding="utf-8")
            deadline = started + 30
            announced(stream)
            while new not in fetch(host, port, page):  # a reload that came too soon
                if time.perf_counter() > deadline:
                    raise RuntimeError(f"edit {i} never showed on {page}")
                stream.close()
                announced(stream := listen(host, port, page))
            times.append(time.perf_counter() - started)
            stream.close()
            # each edit from a quiet preview, as a teacher's saves come: the last one's
            # other pages and .docx written (they follow the page shown), then a pause
            deadline = time.perf_counter() + 30
            state = preview.state
            while (state.building or state.finishing) and time.perf_counter() < deadline:
                time.sleep(0.002)
            time.sleep(0.05)
            assert preview.last is not None
            rendered.append(len(preview.last.rendered))
            written.append(preview.last.written)
    finally:
        source.write_text(original, encoding="utf-8")
        preview.stop()
    assert preview.last is not None
    return {
        "median_ms": statistics.median(times) * 1000,
        "min_ms": min(times) * 1000,
        "max_ms": max(times) * 1000,
        "pages": preview.last.pages,
        "rendered": statistics.median(rendered),
        "written": statistics.median(written),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--edits", type=int, default=25)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        sample = generate(Path(tmp) / "sample", terms=0)
        large = generate(Path(tmp) / "large")
        runs = [
            ("sample", sample, *EDITS[0]),
            ("large", large, *EDITS[0]),
            ("large", large, *EDITS[1]),
        ]
        for label, site, file, title, page in runs:
            r = measure(site, file, title, page, args.edits)
            print(
                f"{label:6} {file:32} pages={r['pages']:<4} rendered={r['rendered']:<4g} "
                f"written={r['written']:<3g} median={r['median_ms']:.0f} ms "
                f"(min {r['min_ms']:.0f}, max {r['max_ms']:.0f}) over {args.edits} edits"
            )


if __name__ == "__main__":
    main()
