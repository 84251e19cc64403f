"""The editor and the checker agree: the real yaml-language-server, reading our schemas as
VS Code's YAML extension does, accepts and refuses the same small files as `check`.

Each file in tests/fixtures/editor/ names its schema on its first line (the modeline the
sample's files carry) and `check`'s verdict on its second (`# check: ok` or the error code).
The only files where the two may differ are in INHERENT: what needs the term, the other
files or YAML itself, which no JSON Schema can say.
"""

from __future__ import annotations

import re
import shutil
from datetime import date
from pathlib import Path

import pytest
from editor_lsp import LanguageServer

from generator import pipeline
from generator.problems.problem import BuildFailed

CORPUS = Path(__file__).parent / "fixtures" / "editor"
FILES = sorted(CORPUS.glob("*.yaml"))
TODAY = date(2026, 3, 10)

EVENTS = """\
term:
  id: 2025-2026-2
  name: 2025学年第二学期
  first_day: 2026-02-24
  last_day: 2026-07-03
"""

# where each kind of file goes in a site
PLACES = {
    "events": "events.yaml",
    "site": "content/site.yaml",
    "roster": "content/rosters/case.yaml",
    "festival": "content/festivals/case.yaml",
    "display": "content/displays/case.yaml",
}

# check refuses these, the schema cannot: the reason for each
INHERENT = {
    "anchor-and-alias": "YAML itself: anchors and aliases are valid YAML",
    "tag": "YAML itself: a !!str tag is valid YAML",
    "date-outside-term": "the term: whether a date is inside it",
    "month-outside-term": "the term: whether a month is inside it",
    "week-past-the-term": "the term: how many weeks it has",
    "makeup-on-a-weekday": "the calendar: which weekday a date is",
    "time-range-reversed": "comparing two values: the end of a time range after its start",
    "span-reversed": "comparing two values: `to` after `from`",
    "display-isbn-check-digit": "arithmetic: an ISBN's check digit",
    "display-image-missing": "the other files: whether the picture exists",
}

_MODELINE = re.compile(
    r"^# yaml-language-server: \$schema=\.\./\.\./\.\./schemas/(\w+)\.schema\.json$"
)
_VERDICT = re.compile(r"^# check: (ok|[EW]\d{3})$")


def _case(path: Path) -> tuple[str, str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    kind, verdict = _MODELINE.match(lines[0]), _VERDICT.match(lines[1])
    assert kind and verdict, f"{path.name}: the first two lines name the schema and the verdict"
    return kind.group(1), verdict.group(1)


def _checked(path: Path, kind: str, scratch: Path) -> str:
    """`check`'s verdict on a site holding this file: ok, or its first error's code."""
    site = scratch / path.stem
    target = site / PLACES[kind]
    target.parent.mkdir(parents=True)
    if kind != "events":
        (site / "events.yaml").write_text(EVENTS, encoding="utf-8")
    shutil.copyfile(path, target)
    try:
        pipeline.check(site, TODAY)
    except BuildFailed as failed:
        codes = [p.code for p in failed.report.errors if p.position.file == PLACES[kind]]
        return codes[0] if codes else "elsewhere"
    return "ok"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory):
    ls = LanguageServer(CORPUS)
    yield ls
    ls.close()


@pytest.fixture(scope="module")
def verdicts(server: LanguageServer, tmp_path_factory: pytest.TempPathFactory):
    """Per file: (expected, check's verdict, the server's diagnostics)."""
    scratch = tmp_path_factory.mktemp("editor")
    found = {}
    for path in FILES:
        kind, expected = _case(path)
        found[path.stem] = (expected, _checked(path, kind, scratch), server.open(path))
    return found


def test_the_corpus_is_large_enough_and_every_inherent_case_is_in_it():
    assert len(FILES) >= 40
    assert set(INHERENT) <= {p.stem for p in FILES}


@pytest.mark.slow
def test_check_gives_each_file_its_written_verdict(verdicts):
    wrong = {name: (exp, got) for name, (exp, got, _) in verdicts.items() if exp != got}
    assert wrong == {}


@pytest.mark.slow
def test_the_editor_and_the_checker_agree(verdicts):
    agree, inherent, disagree = [], [], {}
    for name, (_, checked, diagnostics) in verdicts.items():
        editor_ok = not [d for d in diagnostics if d.get("severity", 1) == 1]
        if editor_ok == (checked == "ok"):
            agree.append(name)
        elif name in INHERENT and editor_ok:
            inherent.append(name)
        else:
            disagree[name] = (checked, [d["message"] for d in diagnostics])
    print(
        f"editor agreement: {len(agree)} agree / {len(inherent)} inherent / {len(disagree)} disagree"
    )
    assert disagree == {}
    # an inherent case the editor now catches is no longer inherent: take it off the list
    assert sorted(inherent) == sorted(INHERENT)
