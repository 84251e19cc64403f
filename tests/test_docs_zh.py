"""The Chinese guide (docs/zh/README.md) never goes stale: every command in its ```sh blocks
is run here, in order, in a temporary folder, as a librarian would type them; the ```bat
blocks (Windows only) are listed below and must match; its example message is reproduced;
its links, anchors, codes and `public/…` paths exist."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from conftest import ROOT
from openpyxl import Workbook

from generator import __version__
from generator.problems.catalogue import CATALOGUE

GUIDE = ROOT / "docs" / "zh" / "README.md"
# The guide's dates (the new-term example, the imported sheet) belong to the terms `init`
# makes on this day, so every command runs as on this day.
TODAY = "2026-12-02"
# Commands only a Windows computer runs: installing Python and the wheel, opening an editor,
# copying to the school's share. Each is listed here, so a new one is a decision.
WINDOWS_ONLY = [
    "py --version",
    r"cd /d %USERPROFILE%\Downloads",
    f"py -m pip install library_site-{__version__}-py3-none-any.whl",
    "code .",
    "notepad events.yaml",
    r"robocopy public \\server\图书馆网站 /MIR",
]
FENCE = re.compile(r"^```(\w*)\n(.*?)^```$", re.M | re.S)


def guide() -> str:
    return GUIDE.read_text(encoding="utf-8")


def blocks(lang: str) -> list[str]:
    return [body for kind, body in FENCE.findall(guide()) if kind == lang]


def commands(lang: str) -> list[str]:
    return [
        line.strip()
        for body in blocks(lang)
        for line in body.splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    ]


def test_every_block_says_what_it_is():
    assert {kind for kind, _ in FENCE.findall(guide())} == {"sh", "bat", "yaml", "text"}


def test_the_windows_only_commands_are_the_listed_ones():
    assert commands("bat") == WINDOWS_ONLY


def test_the_readme_links_the_guide_at_its_top():
    head = (ROOT / "README.md").read_text(encoding="utf-8").split("\n## ")[0]
    assert "(docs/zh/README.md)" in head


def _slug(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def test_links_anchors_and_codes_exist():
    text = guide()
    anchors = {_slug(h) for h in re.findall(r"^#+ (.+)$", text, re.M)}
    targets = re.findall(r"\]\(([^)]+)\)", text)
    assert targets
    for target in targets:
        if target.startswith("#"):
            assert target[1:] in anchors, target
        elif not target.startswith("http"):
            assert (GUIDE.parent / target).is_file(), target
    codes = set(re.findall(r"\b[EW]\d{3}\b", text))
    assert codes and codes <= set(CATALOGUE)


def _sheet(path: Path) -> None:
    """The table the guide shows under `<!-- 表格：NAME -->`, saved as that spreadsheet."""
    table = guide().split(f"<!-- 表格：{path.name} -->\n", 1)[1].split("\n\n", 1)[0]
    rows = [
        [cell.strip() for cell in line.strip().strip("|").split("|")] for line in table.splitlines()
    ]
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in [rows[0], *rows[2:]]:  # the |---| line is Markdown's, not the sheet's
        sheet.append(row)
    book.save(path)


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env["PYTHONPATH"] = str(ROOT)
    env["PYTHONIOENCODING"] = "utf-8"
    return env


def _library_site(args: list[str]) -> list[str]:
    # `library-site` is `python -m generator` with the checkout's code (the installed script
    # itself is tested in test_package.py); the date is pinned (see TODAY).
    return [sys.executable, "-m", "generator", *args, "--today", TODAY]


def _serve(argv: list[str], cwd: Path) -> str:
    """Start the preview on a free port, fetch its home page, stop it."""
    with subprocess.Popen(
        [*argv, "--port", "0"],
        cwd=cwd,
        env=_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        encoding="utf-8",
    ) as preview:
        try:
            assert preview.stdout is not None
            line = preview.stdout.readline()
            url = re.search(r"http://\S+?/", line)
            assert url, line
            deadline = time.monotonic() + 30
            while True:
                try:
                    with urllib.request.urlopen(url.group(), timeout=10) as response:
                        assert response.status == 200
                        return response.read().decode("utf-8")
                except OSError:
                    if time.monotonic() > deadline:
                        raise
                    time.sleep(0.2)
        finally:
            preview.terminate()
            preview.wait(timeout=30)


@pytest.fixture(scope="module")
def walked(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[tuple[str, str]]]:
    """Every ```sh command of the guide, run in order; returns the site and the outputs."""
    cwd = tmp_path_factory.mktemp("guide")
    outputs = []
    for command in commands("sh"):
        words = shlex.split(command)
        if words[0] == "cd":
            cwd = cwd / words[1]
            assert cwd.is_dir(), command
            continue
        assert words[0] == "library-site", f"the docs test cannot run: {command}"
        argv = _library_site(words[1:])
        if words[1] == "serve":
            page = _serve(argv, cwd)
            assert "阳光书屋" in page
            outputs.append((command, page))
            continue
        if words[1] in ("import", "import-loans"):
            _sheet(cwd / words[2])
        done = subprocess.run(
            argv, cwd=cwd, env=_env(), capture_output=True, text=True, encoding="utf-8", timeout=120
        )
        assert (done.returncode, done.stderr) == (0, ""), command
        outputs.append((command, done.stdout))
    return cwd, outputs


@pytest.mark.slow
def test_every_command_in_the_guide_runs(walked):
    site, outputs = walked
    assert [c for c, _ in outputs] == [
        "library-site --help",
        "library-site init 阳光小学网站 --school 阳光小学 --library 阳光书屋",
        "library-site check",
        "library-site serve",
        "library-site build",
        "library-site build --public --out 公开版",
        "library-site new-term --first-day 2027-09-01 --name 2027学年第一学期",
        "library-site check",
        "library-site import 故事爸妈排班.xlsx --roster autumn-parents",
        "library-site build",
        "library-site import-loans 借阅记录.xlsx",
        "library-site build",
    ]
    said = dict(outputs)
    assert said["library-site check"] == "检查通过（0 个警告）\n"
    assert said["library-site import 故事爸妈排班.xlsx --roster autumn-parents"].endswith(
        "导入 2 人、3 场 → content/rosters/autumn-parents.yaml\n"
    )
    assert (site / "content" / "rosters" / "autumn-parents.yaml").is_file()
    assert said["library-site import-loans 借阅记录.xlsx"].endswith(
        "已导入 4 次借阅（2 个班、2 个月、3 本最常借的书）→ content/stats/2027-2028-1.yaml\n"
    )
    stats = (site / "content" / "stats" / "2027-2028-1.yaml").read_text(encoding="utf-8")
    assert "王小明" not in stats and "J0101" not in stats
    assert (site / "公开版" / "index.html").is_file()


@pytest.mark.slow
def test_every_public_path_the_guide_names_is_built(walked):
    site, _ = walked
    paths = re.findall(r"`(public/[^`]+)`", guide())
    assert "public/calendar/print/index.html" in paths
    for path in paths:
        assert (site / path).exists(), path


@pytest.mark.slow
def test_the_example_message_is_what_check_says(walked, tmp_path):
    """The guide's example: the first dated event of a new site's events.yaml written as
    `date: 3月2日`, on the line the example names."""
    (example,) = blocks("text")
    where = re.match(r"events\.yaml:(\d+):", example)
    assert where
    site = tmp_path / "site"
    made = subprocess.run(
        _library_site(["init", str(site), "--today", "2026-12-02"]),
        env=_env(),
        capture_output=True,
        timeout=120,
    )
    assert made.returncode == 0
    lines = (site / "events.yaml").read_text(encoding="utf-8").split("\n")
    number = next(i for i, line in enumerate(lines, 1) if line.startswith("    date: "))
    assert number == int(where.group(1))
    lines[number - 1] = "    date: 3月2日"
    (site / "events.yaml").write_text("\n".join(lines), encoding="utf-8")
    checked = subprocess.run(
        _library_site(["check", "--site", str(site)]),
        env=_env(),
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
    )
    assert checked.returncode == 1
    assert checked.stderr.split("\n\n")[0] + "\n" == example
