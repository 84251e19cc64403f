"""Regenerate tests/golden/sample/ from the sample site: `python -m tests.regen_golden`."""

import shutil
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from test_golden import GOLDEN, build_sample

if __name__ == "__main__":
    shutil.rmtree(GOLDEN, ignore_errors=True)
    build_sample(GOLDEN)
    print(f"regenerated {GOLDEN}")
