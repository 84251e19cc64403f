"""Query latency of the search page (a benchmark, not a timed test).

The search runs in the reader's browser: headless Chromium (Debian's `chromium`, driven by
Playwright, as in the tests) opens a built site's search page from disk, and each query of
QUERIES goes through `LibrarySearch.search`, timed with `performance.now()` over REPEAT
calls (Chromium's clock ticks in 0.1 ms); median, min and max over `runs` rounds of every
query. Alone, on the sample site plus a 20-term archive of 500 events each
(benchmarks/synthetic.py):

    python -m benchmarks.search_latency [--runs 5]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from benchmarks.synthetic import generate

ROOT = Path(__file__).resolve().parent.parent
TODAY = "2026-03-10"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run"]
QUERIES = [  # words a teacher or a pupil types, from one character to a phrase
    "绘本",
    "故事会",
    "读书",
    "小管培训",
    "第123项",
    "图书 整理",
    "科技",
    "新书上架",
    "magic",
    "家长义工",
    "阅读课",
    "恐龙",
    "主题展示",
    "第7",
    "借阅统计",
    "班级图书角",
    "职业",
    "joanna",
    "（第4",
    "开馆",
]
REPEAT = 10
TIME_QUERIES = """([qs, repeat]) => qs.map(q => {
    let hits = 0;
    const t = performance.now();
    for (let i = 0; i < repeat; i++) hits = LibrarySearch.search(q).length;
    return [(performance.now() - t) / repeat, hits];
})"""


def measure(out: Path, runs: int) -> dict[str, Any]:
    """Time every query `runs` times on the search page of the built site in `out`, in a
    process of its own (Playwright's sync API refuses to start inside a process that already
    drives a browser, such as a test session's).

    Raises RuntimeError without Chromium or Playwright: the runner reports it as the result.
    """
    argv = [sys.executable, "-m", "benchmarks.search_latency", "--measure", str(out)]
    done = subprocess.run(
        [*argv, "--runs", str(runs)],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        encoding="utf-8",
    )
    if done.returncode != 0:
        lines = done.stderr.strip().splitlines() or [f"exit status {done.returncode}"]
        raise RuntimeError(lines[-1])
    result: dict[str, Any] = json.loads(done.stdout)
    return result


def _measure_here(out: Path, runs: int) -> dict[str, Any]:
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        raise RuntimeError("chromium is not installed (apt-get install -y chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        raise RuntimeError("playwright is not installed (pip install -e '.[test]')") from None
    index = out / "search-index.js"
    times: list[float] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            errors: list[str] = []
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.goto((out / "search" / "index.html").as_uri())
            items = page.evaluate("LIBRARY_SEARCH.items.length")
            hits: list[int] = []
            for _ in range(runs):
                timed = page.evaluate(TIME_QUERIES, [QUERIES, REPEAT])
                times += [t for t, _ in timed]
                hits = [n for _, n in timed]
        finally:
            browser.close()
    if errors:
        raise RuntimeError(f"the search page failed: {errors[0]}")
    return {
        "median_ms": statistics.median(times),
        "min_ms": min(times),
        "max_ms": max(times),
        "queries": len(QUERIES),
        "found": sum(1 for n in hits if n),  # queries with at least one hit
        "items": items,
        "index_bytes": index.stat().st_size,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--measure", type=Path, help="only this built site; print JSON")
    args = parser.parse_args()
    if args.measure is not None:
        try:
            print(json.dumps(_measure_here(args.measure, args.runs)))
        except RuntimeError as exc:
            sys.exit(str(exc))
        return
    with tempfile.TemporaryDirectory(prefix="library-bench-") as tmp:
        site = generate(Path(tmp) / "archive", terms=20, events=500)
        argv = [sys.executable, str(ROOT / "build.py"), "--site", str(site), "--today", TODAY]
        subprocess.run(argv, check=True, stdout=subprocess.DEVNULL)
        r = measure(site / "public", args.runs)
    print(
        f"archive search: median query {r['median_ms']:.2f} ms "
        f"(min {r['min_ms']:.2f}, max {r['max_ms']:.2f}) over {r['queries']} queries × "
        f"{args.runs}; {r['found']} found something; {r['items']} items, "
        f"index {r['index_bytes']} bytes"
    )


if __name__ == "__main__":
    main()
