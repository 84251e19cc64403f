"""The corpus of teacher mistakes: each case folder is a site, `expected.txt` what `check`
prints for it (in Chinese, the default). Regenerate with `python tests/regen_invalid.py`."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest

from generator.cli import main

CASES = sorted(p for p in (Path(__file__).parent / "fixtures" / "invalid").iterdir() if p.is_dir())


def check_case(case: Path) -> tuple[int, str]:
    """Run `check` on a copy of the case's site; return the exit code and stderr."""
    import contextlib
    import io

    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp) / "site"
        shutil.copytree(case, site, ignore=shutil.ignore_patterns("expected.txt"))
        err = io.StringIO()
        with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
            code = main(["check", "--site", str(site), "--today", "2026-03-10"])
    return code, err.getvalue()


def test_the_corpus_is_large_enough():
    assert len(CASES) >= 40


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_invalid_input_gets_its_exact_message(case: Path):
    code, err = check_case(case)
    assert code == 1
    assert err == (case / "expected.txt").read_text(encoding="utf-8")
