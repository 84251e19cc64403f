"""Where the preview's edit → served time goes, on the school corpus: cProfile of the
preview's build thread from the start of the build an edit sets off until the page being
looked at is published (or, in a preview that publishes nothing early, until the build
ends), over the edits of `serve_latency.measure`, beside that latency measured without the
profiler.

    python -m benchmarks.serve_profile [--before ../before] [--edits 15] [--top 20]

Each checkout's preview runs in a process of its own (its own generator and benchmarks on
PYTHONPATH), on the school corpus made by that checkout's own `benchmarks/synthetic.py` (an
older generator does not read the sample content of a newer one), measured by that
checkout's own `serve_latency` (a preview's live-reload stream is read as the pages of its
own version read it). The profiler slows what it watches: its figures say where the time
goes (shares of the window), the latency row says how long it takes.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path
from typing import Any

from benchmarks.compare import json_in

ROOT = Path(__file__).resolve().parent.parent
EDIT = ("events.yaml", "英文绘本入班登记", "calendar/2026-03/index.html")
QUICK = {"events": 20, "news": 10, "rosters": 4, "sessions": 10}  # as benchmarks.run --quick
SKIPPED = 1  # edits not profiled: the first one's build (the preview's first after its start)

# Run in the checkout, its generator and benchmarks importable; argv: a folder for the corpus,
# the corpus's sizes as JSON ({} for the defaults), edits, top, the edit (file, title, page) as
# JSON, the edits not profiled. Each edit's first build is profiled: one save can set off a
# second build (the editor's write seen as two changes), which is not the one a teacher waits
# for, and the preview's own start is not an edit.
PROFILE = """
import cProfile, json, pstats, statistics, sys, time
from pathlib import Path
from benchmarks import serve_latency as latency
from benchmarks.synthetic import school_corpus
from generator.serve import preview as pv
site = school_corpus(Path(sys.argv[1]), **json.loads(sys.argv[2]))
edits, top = int(sys.argv[3]), int(sys.argv[4])
file, title, page = json.loads(sys.argv[5])
skipped = int(sys.argv[6])
plain = latency.measure(site, file, title, page, edits)
profile, windows, edited = cProfile.Profile(), [], (site / file).resolve()
saves, handled = [0], [0]  # the edits written, and those whose first build has begun
run_build, write_text = pv.LivePreview._run_build, Path.write_text

def saving(path, data, *args, **kwargs):
    if f"{title}#" in data and path.resolve() == edited:  # an edit, not the file put back
        saves[0] += 1
    return write_text(path, data, *args, **kwargs)

def profiled(self, changes):
    first = saves[0] > handled[0]
    handled[0] = saves[0]
    if not first or saves[0] <= skipped:
        return run_build(self, changes)
    state, started, open_ = self.state, time.perf_counter(), [True]

    def stop():
        if open_[0]:
            profile.disable()
            open_[0] = False
            windows.append(time.perf_counter() - started)

    def stopping(method):
        def call(*args, **kwargs):
            stop()
            return method(*args, **kwargs)
        return call

    names = [n for n in ("publish", "end_build") if hasattr(state, n)]
    for name in names:  # the instance's attribute, found before the class's method
        setattr(state, name, stopping(getattr(state, name)))
    profile.enable()
    try:
        return run_build(self, changes)
    finally:
        stop()
        for name in names:
            delattr(state, name)

Path.write_text = saving
pv.LivePreview._run_build = profiled
latency.measure(site, file, title, page, edits + skipped)
stats = pstats.Stats(profile).stats
window = sum(windows)
rows = []
for (where, line, name), (_, calls, _, total, _) in stats.items():
    if "/generator/" in where or "/site-packages/" in where:
        short = where.split("/generator/" if "/generator/" in where else "/site-packages/")[-1]
        rows.append({"function": f"{short}:{line}({name})", "calls": calls / len(windows),
                     "share": total / window})
rows.sort(key=lambda r: -r["share"])
print(json.dumps({"latency": plain, "profiled": len(windows),
                  "window_ms": statistics.median(windows) * 1000, "top": rows[:top]}))
"""


def profile(tree: Path, dest: Path, sizes: dict[str, int], edits: int, top: int) -> dict[str, Any]:
    """The preview of checkout `tree` on its school corpus (made in `dest`, of `sizes`):
    latency, and its build thread's profile."""
    argv = [sys.executable, "-c", PROFILE, str(dest), json.dumps(sizes), str(edits), str(top)]
    return json_in(tree, [*argv, json.dumps(EDIT, ensure_ascii=False), str(SKIPPED)])


def render_text(report: dict[str, Any]) -> str:
    lines = []
    for label, found in report["trees"].items():
        lat = found["latency"]
        lines += [
            f"{label} ({found['tree']}): edit → served {lat['median_ms']:.0f} ms "
            f"(min {lat['min_ms']:.0f}, max {lat['max_ms']:.0f}), {lat['pages']} pages, "
            f"{lat['rendered']:g} rendered per edit",
            f"  profiled: {found['profiled']} builds, window {found['window_ms']:.0f} ms "
            "(median, under the profiler); share of the window, calls per edit:",
        ]
        lines += [
            f"  {row['share'] * 100:5.1f} %  {row['calls']:8.1f}  {row['function']}"
            for row in found["top"]
        ]
        lines.append("")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--before", type=Path, default=None, help="another checkout too")
    parser.add_argument("--edits", type=int, default=15)
    parser.add_argument("--top", type=int, default=20)
    parser.add_argument("--quick", action="store_true", help="a small school corpus")
    parser.add_argument("--json", type=Path, default=None, help="also write the report here")
    args = parser.parse_args(argv)
    trees = {"after": ROOT}
    if args.before is not None:
        trees = {"before": args.before.resolve(), **trees}
    sizes = QUICK if args.quick else {}
    report: dict[str, Any] = {"trees": {}}
    with tempfile.TemporaryDirectory(prefix="library-serve-profile-") as folder:
        for label, tree in trees.items():
            found = profile(tree, Path(folder) / label, sizes, args.edits, args.top)
            report["trees"][label] = {"tree": str(tree), **found}
    text = render_text(report)
    print(text)
    if args.json is not None:
        args.json.write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
