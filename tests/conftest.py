"""Shared fixtures: build real sites from files written in the test."""

from __future__ import annotations

import os
import shutil
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from hypothesis import settings

from generator.cache import USER_CACHE_ENV
from generator.cli import main

# Hypothesis fails an example that runs longer than its deadline (200 ms unless a test says
# otherwise): a timing assertion, and a flaky one on a loaded machine or under pytest -n.
# Speed is measured in benchmarks/; a test that must not hang has its own generous timeout.
settings.register_profile("library", deadline=None)
settings.load_profile("library")


@pytest.fixture(autouse=True, scope="session")
def _user_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """The builds keep compiled templates in a folder of this test run, not the user's
    (subprocesses inherit it)."""
    before = os.environ.get(USER_CACHE_ENV)
    os.environ[USER_CACHE_ENV] = str(tmp_path_factory.mktemp("user-cache"))
    yield
    if before is None:
        os.environ.pop(USER_CACHE_ENV, None)
    else:
        os.environ[USER_CACHE_ENV] = before


ROOT = Path(__file__).resolve().parent.parent
SAMPLE_FILES = ("events.yaml", "content")

MINIMAL_EVENTS = """\
term:
  id: 2025-2026-2
  name: 2025学年第二学期
  first_day: 2026-02-24
  last_day: 2026-07-03
closures:
  - {name: 清明节, from: 2026-04-04, to: 2026-04-06}
  - {name: 劳动节, from: 2026-05-01, to: 2026-05-05}
  - {name: 端午节, from: 2026-06-19, to: 2026-06-21}
makeup_days:
  - {date: 2026-02-28, follows: 周一}
  - {date: 2026-05-09, follows: 周二}
events:
  - title: 开馆准备
    date: 2026-02-24
    category: routine
"""


@pytest.fixture
def make_site(tmp_path: Path) -> Callable[..., Path]:
    """Write `files` (name → text; dedented) into a fresh site folder and return it."""

    def make(files: dict[str, str | bytes] | None = None, *, sample: bool = False) -> Path:
        site = tmp_path / "site"
        site.mkdir(exist_ok=True)
        if sample:
            copy_sample(site)
        for name, text in (files or {}).items():
            path = site / name
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(text, bytes):
                path.write_bytes(text)
            else:
                path.write_text(textwrap.dedent(text), encoding="utf-8")
        return site

    return make


def copy_sample(dest: Path) -> None:
    for name in SAMPLE_FILES:
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(src, dest / name, dirs_exist_ok=True)
        else:
            shutil.copy2(src, dest / name)


@pytest.fixture
def run_cli(capsys: pytest.CaptureFixture[str]) -> Callable[..., tuple[int, str, str]]:
    """Run `python build.py ARGS` in-process; return (exit code, stdout, stderr)."""

    def run(*args: str | Path) -> tuple[int, str, str]:
        code = main([str(a) for a in args])
        out = capsys.readouterr()
        return code, out.out, out.err

    return run


def tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


from browser import browser  # noqa: E402,F401  - the shared Chromium fixture


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """A test that takes the `browser` fixture is marked `browser` (by itself or its module),
    so that `-m "not browser"` really leaves Chromium out."""
    unmarked = [
        item.nodeid
        for item in items
        if "browser" in getattr(item, "fixturenames", ())
        and item.get_closest_marker("browser") is None
    ]
    if unmarked:
        raise pytest.UsageError(
            "these tests use the browser fixture but are not marked @pytest.mark.browser:\n  "
            + "\n  ".join(unmarked)
        )
