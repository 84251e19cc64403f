"""Golden test: the built sample site equals the tree in tests/golden/sample/.

After an intended change, regenerate it with:

    python -m tests.regen_golden

and review the diff in git before committing.
"""

from __future__ import annotations

import difflib
import tempfile
from pathlib import Path

from conftest import copy_sample, tree

from generator.cli import main

GOLDEN = Path(__file__).resolve().parent / "golden" / "sample"
TODAY = "2026-04-10"


def build_sample(out: Path) -> None:
    """Build a copy of the sample: a build keeps its cache in <site>/.cache, and neither the
    tests nor two of them at once under pytest -n may write into the checkout."""
    with tempfile.TemporaryDirectory(prefix="library-golden-") as site:
        copy_sample(Path(site))
        assert main(["build", "--site", site, "--out", str(out), "--today", TODAY]) == 0


def test_sample_site_matches_golden_tree(tmp_path, capsys):
    build_sample(tmp_path / "out")
    capsys.readouterr()
    built, golden = tree(tmp_path / "out"), tree(GOLDEN)
    assert sorted(built) == sorted(golden), "file lists differ; run python -m tests.regen_golden"
    diffs = []
    for name in sorted(built):
        if built[name] != golden[name]:
            diffs.extend(
                difflib.unified_diff(
                    golden[name].decode("utf-8", "replace").splitlines(),
                    built[name].decode("utf-8", "replace").splitlines(),
                    f"golden/{name}",
                    f"built/{name}",
                    lineterm="",
                    n=2,
                )
            )
    assert not diffs, "\n".join(diffs[:200])
