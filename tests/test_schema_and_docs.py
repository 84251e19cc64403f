"""JSON Schemas and the troubleshooting page: generated, committed, and kept in step."""

from __future__ import annotations

from pathlib import Path

import jsonschema
import pytest

from generator.problems import troubleshooting
from generator.problems.catalogue import CATALOGUE
from generator.read.text import read_source
from generator.read.yamlio import parse_yaml
from generator.resources import packaged
from generator.tools.json_schema import (
    FILE_TYPES,
    SAMPLE_SCHEMA_DIR,
    SCHEMA_DIR,
    json_schema,
    render,
    schema_path,
)

ROOT = Path(__file__).resolve().parent.parent
INVALID = Path(__file__).parent / "fixtures" / "invalid"

# The invalid cases that are a schema matter (unknown key, wrong type, missing required), and
# the file of each that the schema must reject.
SCHEMA_CASES = {
    "bad-id": "events.yaml",
    "category-misspelled": "events.yaml",
    "chinese-key": "events.yaml",
    "empty-term": "events.yaml",
    "empty-title": "events.yaml",
    "missing-required": "events.yaml",
    "misspelled-key": "events.yaml",
    "name-is-a-list": "events.yaml",
    "site-unknown-key": "content/site.yaml",
    "term-is-text": "events.yaml",
    "top-level-list": "events.yaml",
    "week-not-a-number": "events.yaml",
    "week-zero": "events.yaml",
    "weekday-misspelled": "events.yaml",
    "weekdays-not-a-list": "events.yaml",
}


def _loaded(path: Path, name: str) -> object:
    source = read_source(path, name)
    marked, problems = parse_yaml(source)  # type: ignore[arg-type]
    assert problems == []
    return marked.data


def _type_of(name: str) -> str:
    return next(t for t, ft in FILE_TYPES.items() if any(Path(name).match(g) for g in ft.globs))


@pytest.mark.parametrize("folder", [SCHEMA_DIR, SAMPLE_SCHEMA_DIR], ids=["package", "sample"])
@pytest.mark.parametrize("name", FILE_TYPES)
def test_committed_schema_is_the_generated_one(name, folder):
    assert schema_path(name, folder).read_text(encoding="utf-8") == render(name), (
        "run `python -m generator.tools.json_schema`"
    )


@pytest.mark.parametrize("folder", [SCHEMA_DIR, SAMPLE_SCHEMA_DIR], ids=["package", "sample"])
def test_schemas_folder_holds_exactly_the_registered_types(folder):
    assert sorted(p.name for p in folder.glob("*.json")) == sorted(
        f"{n}.schema.json" for n in FILE_TYPES
    )


def test_the_package_s_schemas_are_its_package_data():
    assert SCHEMA_DIR == packaged("schemas") == ROOT / "generator" / "schemas"
    assert SAMPLE_SCHEMA_DIR == ROOT / "schemas"


def test_sample_files_point_at_their_schema():
    for name, file_type in FILE_TYPES.items():
        for path in file_type.files(ROOT):
            first = path.read_text(encoding="utf-8").splitlines()[0]
            target = first.removeprefix("# yaml-language-server: $schema=")
            assert (path.parent / target).resolve() == schema_path(name, SAMPLE_SCHEMA_DIR), path


def test_every_sample_file_is_valid_against_its_schema():
    checked = []
    for name, file_type in FILE_TYPES.items():
        validator = jsonschema.Draft202012Validator(json_schema(name))
        for path in file_type.files(ROOT):
            data = _loaded(path, path.relative_to(ROOT).as_posix())
            assert [e.message for e in validator.iter_errors(data)] == [], path
            checked.append(path.relative_to(ROOT).as_posix())
    assert checked == [
        "content/terms/2025-2026-1.yaml",
        "events.yaml",
        "content/site.yaml",
        "content/festivals/science-2026.yaml",
        "content/rosters/librarians.yaml",
        "content/rosters/story-parents.yaml",
        "content/displays/careers.yaml",
        "content/displays/science-future.yaml",
        "content/stats/2025-2026-1.yaml",
        "content/honours/2026-red-classics-reading.yaml",
        "content/honours/2026-spring-best-librarians.yaml",
        "content/projects/children-reading-room.yaml",
    ]


def test_schema_accepts_numbers_as_the_editor_sees_them():
    validator = jsonschema.Draft202012Validator(json_schema("events"))
    plan = {
        "term": {"id": "x", "name": "y", "first_day": "2026-02-24", "last_day": "2026-07-03"},
        "events": [{"title": "a", "week": 5}, {"title": "b", "week": "5"}],
        "recurring": [
            {
                "title": "c",
                "weekdays": ["Wednesday", "星期三"],
                "from": "2026-03-02",
                "to": "2026-06-29",
            }
        ],
    }
    assert list(validator.iter_errors(plan)) == []


@pytest.mark.parametrize("case", sorted(SCHEMA_CASES))
def test_schema_rejects_the_invalid_case(case):
    name = SCHEMA_CASES[case]
    validator = jsonschema.Draft202012Validator(json_schema(_type_of(name)))
    data = _loaded(INVALID / case / name, name)
    assert not validator.is_valid(data)


def test_troubleshooting_page_is_the_generated_one():
    doc = troubleshooting.DOC.read_text(encoding="utf-8")
    assert doc == troubleshooting.render(), "run `python -m generator.problems.troubleshooting`"


def test_troubleshooting_page_lists_every_code_with_two_examples():
    doc = troubleshooting.DOC.read_text(encoding="utf-8")
    headings = [line[3:] for line in doc.splitlines() if line.startswith("## ")]
    assert headings == list(CATALOGUE)
    assert doc.count("错误 / wrong:") == doc.count("正确 / right:") == len(CATALOGUE)


def test_cli_flag_wins_over_the_site_language(run_cli):
    site = INVALID / "site-english-messages"
    code, _, err = run_cli("check", "--site", site, "--lang", "zh")
    assert code == 1
    assert err.splitlines()[0] == "events.yaml:15:11: 错误 E205: 日期不存在：2026-02-30"


def test_site_language_is_used_even_when_site_yaml_has_other_problems(make_site, run_cli):
    site = make_site(
        {
            "events.yaml": "term: x\n",
            "content/site.yaml": "language: en\nschool: 星光小学\nschool_name: 星光\n",
        }
    )
    code, _, err = run_cli("check", "--site", site)
    assert code == 1
    assert err.splitlines()[0] == "content/site.yaml:3:1: error E203: unknown key 'school_name'"
    assert "events.yaml:1:7: error E209: 'term' should be 'key: value' pairs" in err
