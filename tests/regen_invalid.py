"""Rewrite tests/fixtures/invalid/*/expected.txt from the current messages.

Run `python tests/regen_invalid.py`, then read `git diff` before committing: each file is
what a teacher sees, so check the position and the words, not only that it changed.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from test_invalid_inputs import CASES, check_case

for case in CASES:
    (case / "expected.txt").write_text(check_case(case)[1], encoding="utf-8")
    print(case.name)
