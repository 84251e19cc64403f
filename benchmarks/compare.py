"""Two checkouts side by side: every case of `benchmarks.run` for each, the cold builds of
both (and Hugo's, on news-4000) alternating run by run, so the two see the same machine.

    python -m benchmarks.compare BEFORE_CHECKOUT [--corpora school,news-1000,news-4000]
        [--runs 5] [--json out.json]

This checkout's `benchmarks/synthetic.py` makes the corpora (one copy for each checkout);
each build is `python build.py` of its own checkout, measured from outside (`run.run_process`).
For each checkout: cold builds (no output, no .cache; the user's compiled templates kept),
first builds on the computer (those removed too), a build with nothing changed, a build
after one event edit (measured from the second such build on: the first after a cold build
records what each page read), and edit → served over HTTP (`serve_latency`, in a process of
its own checkout; not for news-1000).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from benchmarks import hugo, run
from benchmarks.synthetic import news_corpus, school_corpus

ROOT = Path(__file__).resolve().parent.parent
# Both trees' previews measured by this tree's serve_latency (the same measurement), each
# tree's own generator imported (PYTHONPATH).
SERVE = (
    "import importlib.util, json, sys; from pathlib import Path; "
    "spec = importlib.util.spec_from_file_location('serve_latency', {script!r}); "
    "m = importlib.util.module_from_spec(spec); spec.loader.exec_module(m); "
    "print(json.dumps(m.measure(Path({site!r}), 'events.yaml', "
    "'英文绘本入班登记', 'calendar/2026-03/index.html', 15)))"
)


def _env_of(tree: Path) -> Callable[[], dict[str, str]]:
    def env() -> dict[str, str]:
        found = dict(os.environ)
        found["PYTHONPATH"] = str(tree)
        found.pop("PYTHONDONTWRITEBYTECODE", None)
        if run._user_cache:  # a checkout that keeps nothing there ignores it
            found[run.USER_CACHE_ENV] = str(run._user_cache[0])
        return found

    return env


def _argv(tree: Path, site: Path) -> list[str]:
    return [sys.executable, str(tree / "build.py"), "--site", str(site), "--today", run.TODAY]


def _in(tree: Path, work: Callable[[], Any]) -> Any:
    """`work` with the builds run from `tree`."""
    before = run._env
    run._env = _env_of(tree)
    try:
        return work()
    finally:
        run._env = before


def _corpus(name: str, folder: Path) -> Path:
    return school_corpus(folder) if name == "school" else news_corpus(folder, int(name[5:]))


class ChildFailed(RuntimeError):
    """A script run in a checkout ended with an error: `stderr` is what it printed."""

    def __init__(self, tree: Path, stderr: str) -> None:
        super().__init__(f"the script in {tree} failed:\n{stderr[-3000:]}")
        self.stderr = stderr


def json_in(tree: Path, argv: list[str]) -> dict[str, Any]:
    """Run `argv` in checkout `tree` (its own generator importable) and read the JSON object
    it prints last."""
    done = subprocess.run(
        argv, cwd=tree, env=_env_of(tree)(), capture_output=True, text=True, encoding="utf-8"
    )
    if done.returncode:
        raise ChildFailed(tree, done.stderr)
    return json.loads(done.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def _serve(tree: Path, site: Path) -> dict[str, Any]:
    script = SERVE.format(script=str(ROOT / "benchmarks" / "serve_latency.py"), site=str(site))
    try:
        return json_in(tree, [sys.executable, "-c", script])
    except ChildFailed as failed:
        return {"error": failed.stderr[-2000:]}


def compare(before: Path, corpora: list[str], runs: int, tmp: Path) -> dict[str, Any]:
    report: dict[str, Any] = {"machine": run.machine(), "before": str(before), "corpora": {}}
    run._trash[:] = [tmp / "discarded"]
    run._user_cache[:] = [tmp / "user-cache"]
    trees = {"after": ROOT, "before": before}
    for name in corpora:
        sites = {label: _corpus(name, tmp / name / label) for label in trees}
        peer = hugo.prepare(sites["after"]) if name == "news-4000" else None
        found: dict[str, list[dict[str, Any]]] = {label: [] for label in (*trees, "hugo")}
        for _ in range(runs):
            for label, tree in trees.items():
                run.clean(sites[label])
                argv = _argv(tree, sites[label])
                found[label].append(_in(tree, lambda a=argv, s=sites[label]: run.run_process(a, s)))
            if peer is not None:
                peer.clean()
                found["hugo"].append(run.run_process(peer.argv, peer.site))
        entry: dict[str, Any] = {f"cold {label}": run.summarise(found[label]) for label in trees}
        first: dict[str, list[dict[str, Any]]] = {label: [] for label in trees}
        for _ in range(runs):  # the site's first build on the computer: no compiled templates
            for label, tree in trees.items():
                run.clean_first(sites[label])
                argv = _argv(tree, sites[label])
                first[label].append(_in(tree, lambda a=argv, s=sites[label]: run.run_process(a, s)))
        entry.update({f"first {label}": run.summarise(first[label]) for label in trees})
        if peer is not None:
            entry["hugo"] = {"version": peer.version, "cold": run.summarise(found["hugo"])}
        for label, tree in trees.items():
            entry.update(_rebuilds(name, label, tree, sites[label], runs))
        report["corpora"][name] = entry
        run.stop_launcher()
        print(f"… {name} done", file=sys.stderr, flush=True)
    return report


def _rebuilds(name: str, label: str, tree: Path, site: Path, runs: int) -> dict[str, Any]:
    source = site / run.EDIT_FILE
    original = source.read_text(encoding="utf-8")

    def edit(i: int) -> None:
        new = f"{run.EDIT_TITLE}#{i}"
        source.write_text(original.replace(run.EDIT_TITLE, new, 1), encoding="utf-8")

    argv = _argv(tree, site)
    entry: dict[str, Any] = {}
    _in(tree, lambda: run.run_process(argv, site))  # the last cold build's output, cached
    edit(runs)
    _in(tree, lambda: run.run_process(argv, site))  # the first build after it records reads
    entry[f"warm {label}"] = _in(tree, lambda: run.repeat(runs, lambda _: None, argv, site))
    entry[f"edit {label}"] = _in(tree, lambda: run.repeat(runs, edit, argv, site))
    source.write_text(original, encoding="utf-8")
    if name != "news-1000":
        run.clean(site)
        entry[f"serve {label}"] = _serve(tree, site)
    return entry


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("before", type=Path, help="the other checkout (git worktree add …)")
    parser.add_argument("--corpora", default="school,news-1000,news-4000")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="library-site-compare-") as tmp:
        report = compare(args.before.resolve(), args.corpora.split(","), args.runs, Path(tmp))
    text = json.dumps(report, indent=1, ensure_ascii=False)
    if args.json:
        args.json.write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
