"""Random and mutated YAML of every file type: only reported problems, never a traceback or
a hang, and a failed run leaves the previous output as it was."""

from __future__ import annotations

import shutil
import signal
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from conftest import copy_sample, tree
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator import pipeline
from generator.problems.problem import BuildFailed
from generator.tools.json_schema import FILE_TYPES

pytestmark = pytest.mark.slow  # 150 examples per file type, ~4 s each

TODAY = date(2026, 4, 10)
EXAMPLES = 150  # per file type
# What teachers' keyboards and chat apps add, and what YAML cares about.
PALETTE = [
    *":：,，-－—“”\"'[]{}#&*!|>%@`?\t\n \u3000\u00a0\u200b\ufeff\x07",
    *("2026-02-30", "24:00", "周八", "~", "null", "yes", "---", "  ", "- ", ": ", "讲座: 读书"),
]


@pytest.fixture(scope="module")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, Path]]:
    site = tmp_path_factory.mktemp("fuzz") / "site"
    site.mkdir()
    copy_sample(site)
    out = site / "public"
    pipeline.build(site, out, TODAY)
    yield site, out
    shutil.rmtree(site)


@st.composite
def mutated(draw: st.DrawFn, text: str) -> str:
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(text)))
        cut = draw(st.integers(0, 8))
        piece = draw(st.sampled_from(PALETTE) | st.text(max_size=6))
        text = text[:at] + piece + text[at + cut :]
    return text


def _timeout(signum: int, frame: object) -> None:
    raise TimeoutError("check took more than 10 s: a hang")


@pytest.mark.parametrize("kind", FILE_TYPES)
def test_fuzzed_files_give_problems_not_tracebacks(kind: str, built_site: tuple[Path, Path]):
    site, out = built_site
    target = FILE_TYPES[kind].files(site)[0]
    original = target.read_text(encoding="utf-8")
    before = tree(out)
    seen = {"failed": 0, "passed": 0}

    @settings(
        max_examples=EXAMPLES,
        deadline=None,  # a hang is caught by the 10 s alarm below, not by timing each example
        database=None,
        derandomize=True,
        suppress_health_check=[HealthCheck.too_slow],
    )
    @given(mutated(original) | st.lists(st.sampled_from([*PALETTE, *"abc"])).map("".join))
    def run(text: str) -> None:
        target.write_text(text, encoding="utf-8")
        previous = signal.signal(signal.SIGALRM, _timeout)
        signal.alarm(10)
        try:
            try:
                pipeline.check(site, TODAY)
            except BuildFailed as failed:
                assert failed.report.errors
                assert all(p.render("zh") and p.render("en") for p in failed.report.problems)
                with pytest.raises(BuildFailed):
                    pipeline.build(site, out, TODAY)
                seen["failed"] += 1
            else:
                seen["passed"] += 1
        finally:
            signal.alarm(0)
            signal.signal(signal.SIGALRM, previous)
            target.write_text(original, encoding="utf-8")
        assert tree(out) == before

    run()
    assert seen["failed"] + seen["passed"] >= EXAMPLES
    assert seen["failed"] > EXAMPLES // 2
