"""What a build cannot go below, measured beside the builds themselves, in one run.

    python -m benchmarks.floor [--quick] [--runs 5] [--news 4000 [--hugo]] [--json floor.json]

On the school corpus: the interpreter alone (`python -c pass`), a process that only imports
the modules a build imports (the list read from the build itself with `python -X
importtime`, in its order), the same without our own modules (the libraries the build
stands on: pydantic, Jinja, PyYAML, Babel… and the standard library), and the build, for a
cold build and for a build after one event edit. Then the same builds in one process with
those imports done first, each stage timed (`load`: reading and assembling the site;
`plan`: its pages; `changes`: what an edit changed; `render`: the pages, written as they
are made; `rest`: the cache, the swap), so what is left after the imports is split by stage.

`--news N`: also a news corpus of N articles, its cold build beside the work no build of
those articles can skip (`ARTICLES`: each article read, its front matter parsed by PyYAML's
C loader, its body rendered by the Markdown engine the build uses, Python-Markdown and nh3,
and the HTML written to a page of its own, on every core), and with `--hugo` Hugo's cold
build of the same articles.

A floor is what a case costs before the build does any of its own work: a target below the
imports alone needs a process that stays (or fewer imports), not a faster build, and a
ratio to Hugo below the articles' floor needs another Markdown renderer. Runs are
interleaved as in `benchmarks.run`, so every case sees the same machine.
"""

from __future__ import annotations

import argparse
import itertools
import json
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from benchmarks import hugo
from benchmarks import run as bench
from benchmarks.synthetic import news_corpus, school_corpus

# pipeline's stages, as generator.pipeline._build calls them (looked up at call time)
STAGES = {
    "load_site": "load",
    "plan_site": "plan",
    "_changes": "changes",
    "render_site": "render",
    "_render_changed": "render",
}

# ended as build.py ends (os._exit), without tearing the modules down
IMPORTS = """
import importlib, json, os, sys
for name in json.loads(open(sys.argv[1], encoding="utf-8").read()):
    try:
        importlib.import_module(name)
    except Exception:  # a module that only its importer can load: the floor stays a floor
        pass
os._exit(0)
"""

# A build as build.py runs it (cli.main), after the same imports, its stages timed.
STAGED = """
import importlib, json, os, sys, time
started = time.perf_counter()
for name in json.loads(open(sys.argv[1], encoding="utf-8").read()):
    try:
        importlib.import_module(name)
    except Exception:
        pass
imported = time.perf_counter()
from generator import cli, pipeline
took = {}
def timed(name, label):
    inner = getattr(pipeline, name)
    def stage(*args, **kwargs):
        begun = time.perf_counter()
        try:
            return inner(*args, **kwargs)
        finally:
            took[label] = took.get(label, 0.0) + time.perf_counter() - begun
    setattr(pipeline, name, stage)
for name, label in json.loads(sys.argv[2]).items():
    timed(name, label)
code = cli.main(sys.argv[3:])
took["build"] = time.perf_counter() - imported
took["imports"] = imported - started
print("FLOOR " + json.dumps(took), flush=True)
os._exit(code)
"""


# The articles' unavoidable work, split over every core as the build splits its own (fork:
# this benchmark runs on Linux): read, front matter by PyYAML's C loader (no positions, no
# validation), body by the build's Markdown engine, page written. argv: site, output folder.
ARTICLES = """
import os, sys
from pathlib import Path
import yaml
from generator.assemble.content import split_front_matter
from generator.read.text import read_source
from generator.render.markdown_engine import render
site, out = Path(sys.argv[1]), Path(sys.argv[2])
names = sorted(p.name for p in (site / "content" / "news").glob("*.md"))
cores = len(os.sched_getaffinity(0))
share, children = 0, []
for n in range(1, cores):
    pid = os.fork()
    if pid == 0:
        share, children = n, []
        break
    children.append(pid)
for name in names[share::cores]:
    source = read_source(site / "content" / "news" / name, "content/news/" + name, site)
    front, body, _ = split_front_matter(source)
    yaml.load(front.text, Loader=yaml.CSafeLoader)
    folder = out / "news" / name[:-3]
    os.makedirs(folder)
    (folder / "index.html").write_text(render(body), encoding="utf-8")
for pid in children:
    _, status = os.waitpid(pid, 0)
    if status:
        os._exit(1)
os._exit(0)
"""


def libraries(modules: list[str]) -> list[str]:
    """`modules` without ours: what the build's imports cost before any module of its own."""
    return [name for name in modules if name != "generator" and not name.startswith("generator.")]


def imported_modules(argv: list[str], cwd: Path) -> list[str]:
    """Every module the command imports (its forked workers' too), in the order it did."""
    proc = subprocess.run(
        [argv[0], "-X", "importtime", *argv[1:]],
        cwd=cwd,
        env=bench._env(),
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=True,
    )
    names: dict[str, None] = {}
    for line in proc.stderr.splitlines():
        if line.startswith("import time:") and line.count("|") == 2:
            name = line.rsplit("|", 1)[1].strip()
            if name != "imported package":  # the header
                names[name] = None
    return list(names)


def _stages(runs: list[dict[str, Any]]) -> dict[str, Any]:
    found = []
    for r in runs:
        line = next(x for x in r["output"].splitlines() if x.startswith("FLOOR "))
        took = json.loads(line.removeprefix("FLOOR "))
        took["rest"] = took["build"] - sum(took.get(s, 0.0) for s in set(STAGES.values()))
        found.append(took)
    return {
        key: statistics.median(t.get(key, 0.0) for t in found)
        for key in ("imports", "load", "plan", "changes", "render", "rest", "build")
    }


def measure(site: Path, runs: int, tmp: Path) -> dict[str, Any]:
    argv = bench.build_argv(site)
    source = site / bench.EDIT_FILE
    original = source.read_text(encoding="utf-8")
    edits = itertools.count()

    def edit(_: int) -> None:
        title = f"{bench.EDIT_TITLE}#{next(edits)}"
        source.write_text(original.replace(bench.EDIT_TITLE, title, 1), encoding="utf-8")

    def cold(_: int) -> None:
        bench.clean(site)

    bench.run_process(argv, site)  # the cache and the user's compiled templates
    lists = {}
    for case, before in (("edit", edit), ("cold", cold)):
        before(0)
        modules = imported_modules(argv, site)
        lists[case] = tmp / f"{case}-modules.json"
        lists[case].write_text(json.dumps(modules), encoding="utf-8")
        lists[f"{case} libraries"] = tmp / f"{case}-libraries.json"
        lists[f"{case} libraries"].write_text(json.dumps(libraries(modules)), encoding="utf-8")
    stages = json.dumps(STAGES)

    def staged(case: str) -> list[str]:
        return [sys.executable, "-c", STAGED, str(lists[case]), stages, *argv[2:]]

    def imports(case: str) -> list[str]:
        return [sys.executable, "-c", IMPORTS, str(lists[case])]

    nothing: Callable[[int], None] = lambda _: None  # noqa: E731
    names = [
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
    cases: list[bench.Case] = [
        (nothing, [sys.executable, "-c", "pass"], site),
        (nothing, imports("cold libraries"), site),
        (nothing, imports("cold"), site),
        (cold, argv, site),
        (cold, staged("cold"), site),
        (nothing, imports("edit libraries"), site),
        (nothing, imports("edit"), site),
        (edit, argv, site),  # after the staged cold build: its cache and its output
        (edit, staged("edit"), site),
    ]
    found = bench.interleaved_runs(runs, cases)
    source.write_text(original, encoding="utf-8")
    report: dict[str, Any] = {
        name: bench.summarise(results) for name, results in zip(names, found, strict=True)
    }
    for case in ("cold", "edit"):
        report[f"{case} staged"]["stages"] = _stages(found[names.index(f"{case} staged")])
        for name in (f"{case} imports", f"{case} libraries"):
            listed = lists[case if name.endswith("imports") else name]
            report[name]["modules"] = len(json.loads(listed.read_text("utf-8")))
    return report


def measure_news(site: Path, runs: int, peer: hugo.Peer | None) -> dict[str, Any]:
    """The news corpus's cold build, the articles' floor (`ARTICLES`) and Hugo, interleaved."""
    argv = bench.build_argv(site)
    out = site.parent / f"{site.name}-articles"
    bench.run_process(argv, site)  # the user's compiled templates, as for the school's builds
    names = ["cold build", "articles"]
    cases: list[bench.Case] = [
        (lambda _: bench.clean(site), argv, site),
        (lambda _: bench.discard(out), [sys.executable, "-c", ARTICLES, str(site), str(out)], site),
    ]
    if peer is not None:
        names.append("hugo")
        cases.append((peer.clean, peer.argv, peer.site))
    found = bench.interleaved_runs(runs, cases)
    report: dict[str, Any] = {
        name: bench.summarise(results) for name, results in zip(names, found, strict=True)
    }
    report["articles"]["pages"] = sum(1 for _ in out.glob("news/*/index.html"))
    if peer is not None:
        report["hugo"]["version"] = peer.version
    return report


def render_text(report: dict[str, Any]) -> str:
    m = report["machine"]
    lines = [
        f"machine: {m['nproc']} cores, {m['cpu']}, Python {m['python']}; "
        f"{report['corpus']}, medians of {report['runs']} (min–max)",
        "",
        f"{'process':44} {'wall s (min–max)':20} {'cpu s':>6}",
    ]
    shown = ("interpreter", "cold libraries", "cold imports", "cold build")
    for name in (*shown, "edit libraries", "edit imports", "edit build"):
        c = report["cases"][name]
        w = c["wall"]
        label = {
            "interpreter": "python -c pass",
            "cold libraries": f"cold build's libraries alone ({c.get('modules')} modules)",
            "cold imports": f"cold build's imports alone ({c.get('modules')} modules)",
            "edit libraries": f"edit build's libraries alone ({c.get('modules')} modules)",
            "edit imports": f"edit build's imports alone ({c.get('modules')} modules)",
        }.get(name, name)
        lines.append(
            f"{label:44} {w['median']:6.2f} ({w['min']:.2f}–{w['max']:.2f}){'':5} "
            f"{c['cpu']['median']:6.2f}"
        )
    head = "imports  load  plan  changes  render  rest"
    lines += ["", f"{'one process, imports first (s):':41} {head}"]
    for case in ("cold", "edit"):
        s = report["cases"][f"{case} staged"]["stages"]
        lines.append(
            f"{case:41} {s['imports']:7.2f} {s['load']:5.2f} {s['plan']:5.2f} "
            f"{s['changes']:8.2f} {s['render']:7.2f} {s['rest']:5.2f}"
        )
    news = report.get("news")
    if news:
        lines += ["", f"{report['news corpus']}: {'':28} {'wall s (min–max)':20} {'cpu s':>6}"]
        peer = news.get("hugo")
        for name in ("cold build", "articles", "hugo"):
            if name not in news:
                continue
            w = news[name]["wall"]
            label = name
            if name == "articles":
                label = f"articles' floor ({news['articles']['pages']} pages)"
            elif name == "hugo":
                label = f"Hugo {news['hugo'].get('version', '').split('-')[0]}"
            ratio = f"  = {w['median'] / peer['wall']['median']:.2f}× Hugo" if peer else ""
            lines.append(
                f"{label:44} {w['median']:6.2f} ({w['min']:.2f}–{w['max']:.2f}){'':5} "
                f"{news[name]['cpu']['median']:6.2f}{ratio}"
            )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="a small school corpus (CI smoke)")
    parser.add_argument("--runs", type=int, default=None, help="runs per case (default 5)")
    parser.add_argument("--json", type=Path, default=None, help="also write the report here")
    parser.add_argument(
        "--news", type=int, default=0, help="also a news corpus of this many articles"
    )
    parser.add_argument("--hugo", action="store_true", help="and Hugo's build of its articles")
    args = parser.parse_args(argv)
    runs = args.runs or (2 if args.quick else 5)
    bench.run_process([sys.executable, "-c", "import generator.cli"], bench.ROOT)
    try:
        with tempfile.TemporaryDirectory(prefix="library-floor-") as folder:
            tmp = Path(folder)
            bench._trash[:] = [tmp / "discarded"]
            bench._user_cache[:] = [tmp / "user-cache"]
            if args.quick:
                site = school_corpus(tmp / "school", events=20, news=10, rosters=4, sessions=10)
            else:
                site = school_corpus(tmp / "school")
            cases = measure(site, runs, tmp)
            news = None
            if args.news:
                news_site = news_corpus(tmp / f"news-{args.news}", args.news)
                peer = hugo.prepare(news_site) if args.hugo else None
                news = measure_news(news_site, runs, peer)
    finally:
        bench.stop_launcher()
    report = {
        "machine": bench.machine(),
        "corpus": "school (quick)" if args.quick else "school",
        "runs": runs,
        "cases": cases,
    }
    if news is not None:
        report["news corpus"] = f"news-{args.news}"
        report["news"] = news
    bench.show(report, render_text(report), args.json)
    return 0


if __name__ == "__main__":
    sys.exit(main())
