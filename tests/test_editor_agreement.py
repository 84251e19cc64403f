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
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic_core import PydanticCustomError

from generator import pipeline
from generator.model import values
from generator.problems.problem import BuildFailed
from generator.tools.json_schema import FILE_TYPES, json_schema

ROOT = Path(__file__).resolve().parent.parent
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
    "stats": "content/stats/2025-2026-2.yaml",  # named by the term of EVENTS
    "honour": "content/honours/case.yaml",
    "project": "content/projects/case.yaml",
}

# check refuses these, the schema cannot: the reason for each
INHERENT = {
    "anchor-and-alias": "YAML itself: anchors and aliases are valid YAML",
    "tag": "YAML itself: a !!str tag is valid YAML",
    "date-outside-term": "the term: whether a date is inside it",
    "month-outside-term": "the term: whether a month is inside it",
    "stats-month-outside-term": "the term: whether a month is inside it",
    "week-past-the-term": "the term: how many weeks it has",
    "makeup-on-a-weekday": "the calendar: which weekday a date is",
    "time-range-reversed": "comparing two values: the end of a time range after its start",
    "span-reversed": "comparing two values: `to` after `from`",
    "display-isbn-check-digit": "arithmetic: an ISBN's check digit",
    "display-image-missing": "the other files: whether the picture exists",
    "link-unknown": "the other files: whether a festival with that id exists",
    "site-timezone-unknown": "the time-zone database: which names it holds",
    "honour-unknown-term": "the other files: which terms there are",
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


def _walk(node, path=()):
    if isinstance(node, dict):
        yield path, node
        for key, value in node.items():
            yield from _walk(value, (*path, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _walk(value, (*path, i))


@pytest.mark.parametrize("name", FILE_TYPES)
def test_no_null_default_and_no_null_value_offered(name):
    schema = json_schema(name)
    assert [p for p, n in _walk(schema) if "default" in n and n["default"] is None] == []
    assert [p for p, n in _walk(schema) if None in n.get("enum", ())] == []
    # `not: {type: null}` (a when-key that must be given) offers nothing
    offered = [(p, n) for p, n in _walk(schema) if not p or p[-1] != "not"]
    assert [p for p, n in offered if n.get("type") == "null" or "null" in n.get("type", ())] == []


def _keys(path: Path) -> list[tuple[int, int, str]]:
    """(line, character, key) of every `key:` in a YAML file, 0-based as LSP counts."""
    found = []
    for number, line in enumerate(path.read_text(encoding="utf-8").split("\n")):
        match = re.match(r"^(\s*(?:-\s+)?)([A-Za-z_]+):", line)
        if match:
            found.append((number, len(match.group(1)), match.group(2)))
    return found


SAMPLE = [p for ft in FILE_TYPES.values() for p in ft.files(ROOT)]


@pytest.mark.slow
def test_every_hover_in_the_sample_says_its_heading_and_description_once(server):
    """Over every key of the sample's files: one heading, the field's own description once
    (not the model's English docstring, not its type's description beside it)."""
    said = 0
    for path in SAMPLE:
        server.open(path)
        for line, character, key in _keys(path):
            # inside the key: at its first column the server may find the node before it
            text = server.hover(path, line, character + 1)
            assert text, (path.name, line + 1, key)
            heading, _, rest = text.partition("\n\n")
            assert " || " not in heading, (path.name, line + 1, key, text)
            description = rest.split("\n\n")[0]
            assert description and not description.startswith("Source:"), (path.name, key)
            assert rest.count(description) == 1, (path.name, line + 1, key, text)
            assert not re.search(r"[A-Za-z]{3,} [A-Za-z]{3,} [A-Za-z]{3,}", description), text
            said += 1
    assert said > 200


COMPLETE = (
    "# yaml-language-server: $schema=../../../schemas/events.schema.json\n"
    "term:\n  id: 2025-2026-2\n  name: 2025学年第二学期\n"
    "  first_day: 2026-02-24\n  last_day: 2026-07-03\n"
    "events:\n  - title: 开馆准备\n    date: 2026-02-24\n"
    "    category: \n    owner: \n    l\n"
)


@pytest.mark.slow
def test_completion_offers_no_null_and_inserts_none(server):
    path = CORPUS / "zz-completion.yaml"  # never written: the text is sent to the server
    server.open(path, COMPLETE)
    values = server.completions(path, 9, 14)
    assert [i["label"] for i in values][:8] == [
        "activity",
        "routine",
        "festival",
        "story",
        "display",
        "meeting",
        "training",
        "holiday",
    ]
    assert "null" not in [i["label"] for i in values]
    assert "null" not in [i["label"] for i in server.completions(path, 10, 11)]
    keys = server.completions(path, 11, 5)
    inserted = {i["label"]: i.get("insertText", "") for i in keys}
    assert {"time", "location", "audience", "description"} <= set(inserted)
    assert [text for text in inserted.values() if "null" in text] == []
    assert inserted["location"] == "location: "


# --- the schemas' patterns say what the parsers say, on many strings -----------------------

_YEARS = st.sampled_from(["1899", "1900", "2024", "2026", "2100", "2200", "2201", "0026", "26"])
_SEPARATORS = st.sampled_from([("-", "-"), ("/", "/"), (".", "."), ("年", "月"), (" - ", " - ")])
_SMALL = st.one_of(
    st.integers(0, 33).map(str), st.integers(0, 13).map(lambda n: f"{n:02d}"), st.just("003")
)


def _accepts(parse, text: str) -> bool:
    try:
        parse(text)
    except PydanticCustomError:
        return False
    return True


@pytest.mark.slow
@settings(max_examples=1500)
@given(_YEARS, _SEPARATORS, _SMALL, _SMALL, st.sampled_from(["", "日", " "]))
def test_the_date_pattern_is_the_date_parser(year, separators, month, day, end):
    text = f"{year}{separators[0]}{month}{separators[1]}{day}{end}"
    assert bool(re.match(values.date_pattern(), text)) == _accepts(values.parse_date, text)


@pytest.mark.slow
@settings(max_examples=500)
@given(_YEARS, _SEPARATORS, _SMALL, st.sampled_from(["", "月", " "]))
def test_the_month_pattern_is_the_month_parser(year, separators, month, end):
    text = f"{year}{separators[0]}{month}{end}"
    assert bool(re.match(values.month_pattern(), text)) == _accepts(values.parse_month, text)


_CLOCK = st.tuples(st.integers(0, 25), st.integers(0, 61), st.sampled_from([":", "："]))


@pytest.mark.slow
@settings(max_examples=1000)
@given(_CLOCK, st.one_of(st.none(), _CLOCK), st.sampled_from(["-", "～", "至", " - "]))
def test_the_time_pattern_is_the_time_parser_but_for_the_order(start, end, dash):
    text = f"{start[0]}{start[2]}{start[1]:02d}"
    if end is not None:
        text += f"{dash}{end[0]}{end[2]}{end[1]:02d}"
    try:
        values.parse_time_range(text)
        parsed = True
    except PydanticCustomError as problem:
        if problem.type == "E215":  # the end before the start: INHERENT, the checker's alone
            return
        parsed = False
    assert bool(re.match(values.time_pattern(), text)) == parsed


@pytest.mark.parametrize(
    "text", [*values._WEEKDAY_WORDS, " 周 三", "周8", "星期0", "Mon.", "MONDAY", "sunday "]
)
def test_the_weekday_pattern_is_the_weekday_parser(text):
    schema = values.words_schema(values.WEEKDAY_NAMES, list(values._WEEKDAY_WORDS), "")
    enum, pattern = schema["anyOf"][0]["enum"], schema["anyOf"][1]["pattern"]
    in_schema = text in enum or bool(re.match(pattern, text))
    assert in_schema == _accepts(values.parse_weekday, text)
