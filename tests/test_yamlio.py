"""The parse stage: YAML text → plain data where every scalar is text, with positions."""

from __future__ import annotations

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from generator.problems.problem import Position, Problem
from generator.read.text import Source
from generator.read.yamlio import Mark, parse_yaml


def parse(text: str, name: str = "events.yaml"):
    return parse_yaml(Source(name, text))


def codes_at(problems: list[Problem]) -> list[tuple[str, str]]:
    return [(p.code, str(p.position)) for p in problems]


# --- scalars stay the text that was typed -----------------------------------------------


def test_every_scalar_is_the_text_typed() -> None:
    marked, problems = parse(
        "time: 12:30\n"
        "slot: 12:20-12:50\n"
        "answer: no\n"
        "switch: on\n"
        "sure: yes\n"
        "flag: true\n"
        "phone: 0571-88886666\n"
        "area: 0571\n"
        "octal: 0o17\n"
        "big: 1_000\n"
        "float: 1e3\n"
        "day: 2026-03-02\n"
        "inf: .inf\n"
    )
    assert problems == []
    assert marked.data == {
        "time": "12:30",
        "slot": "12:20-12:50",
        "answer": "no",
        "switch": "on",
        "sure": "yes",
        "flag": "true",
        "phone": "0571-88886666",
        "area": "0571",
        "octal": "0o17",
        "big": "1_000",
        "float": "1e3",
        "day": "2026-03-02",
        "inf": ".inf",
    }


def test_sexagesimal_time_is_not_a_number() -> None:
    marked, _ = parse("time: 12:30\n")
    assert marked.data["time"] == "12:30"
    assert marked.data["time"] != 750


def test_keys_are_text_too() -> None:
    marked, problems = parse("1: a\nno: b\n2026-03-02: c\n")
    assert problems == []
    assert marked.data == {"1": "a", "no": "b", "2026-03-02": "c"}


def test_empty_and_null_values_are_none_but_quoted_empty_is_text() -> None:
    marked, problems = parse(
        "empty:\ntilde: ~\nword: null\nWord: Null\nquoted: ''\ndouble: \"\"\nnull_text: 'null'\n"
    )
    assert problems == []
    assert marked.data == {
        "empty": None,
        "tilde": None,
        "word": None,
        "Word": None,
        "quoted": "",
        "double": "",
        "null_text": "null",
    }


def test_quoted_and_block_scalars_are_kept() -> None:
    marked, problems = parse(
        "title: '故事会: 第一期'\nnote: \"a\\tb\"\ndescription: |\n  第一行\n  第二行\n"
    )
    assert problems == []
    assert marked.data == {
        "title": "故事会: 第一期",
        "note": "a\tb",
        "description": "第一行\n第二行\n",
    }


def test_nested_lists_and_mappings() -> None:
    marked, problems = parse(
        "events:\n  - title: 故事会\n    weekdays: [周三, 周五]\n  - title: 读书节\n"
    )
    assert problems == []
    assert marked.data == {
        "events": [{"title": "故事会", "weekdays": ["周三", "周五"]}, {"title": "读书节"}]
    }


def test_a_top_level_list_is_parsed_as_a_list() -> None:
    marked, problems = parse("- a\n- b\n")
    assert problems == []
    assert marked.data == ["a", "b"]


def test_an_empty_file_has_no_data_and_no_problem() -> None:
    marked, problems = parse("")
    assert problems == []
    assert marked.data is None
    marked, problems = parse("# 只有注释\n")
    assert problems == []
    assert marked.data is None


@settings(database=None)
@given(st.from_regex(r"\A[0-9]([0-9:/.\-]{0,12}[0-9])?\Z"))
@example("12:30")
@example("0571")
@example("12:20-12:50")
@example("2026-3-2")
@example("1:00:00")
def test_plain_digit_scalars_come_back_unchanged(text: str) -> None:
    marked, problems = parse(f"value: {text}\n")
    assert problems == []
    assert marked.data == {"value": text}


@settings(database=None)
@given(st.sampled_from(["yes", "no", "on", "off", "y", "n", "true", "False", "NO", "Yes"]))
def test_yaml11_booleans_stay_words(word: str) -> None:
    marked, problems = parse(f"- {word}\n- [{word}]\n- {{k: {word}}}\n")
    assert problems == []
    assert marked.data == [word, [word], {"k": word}]


# --- marks: where each key and value was written ----------------------------------------


def test_marks_of_keys_and_values_count_characters_not_bytes() -> None:
    marked, _ = parse(
        "term:\n  名称: 春季学期\n  id: x\nevents:\n  - title: 故事会\n    date: 2026-03-04\n"
    )
    assert marked.values[()] == Mark(1, 1)
    assert marked.keys[("term",)] == Mark(1, 1)
    assert marked.values[("term",)] == Mark(2, 3)
    assert marked.keys[("term", "名称")] == Mark(2, 3)
    assert marked.values[("term", "名称")] == Mark(2, 7)
    assert marked.values[("term", "id")] == Mark(3, 7)
    assert marked.values[("events",)] == Mark(5, 3)
    assert marked.values[("events", 0)] == Mark(5, 5)
    assert marked.keys[("events", 0, "date")] == Mark(6, 5)
    assert marked.values[("events", 0, "date")] == Mark(6, 11)


def test_flow_list_items_have_their_own_marks() -> None:
    marked, _ = parse("weekdays: [周三, 周五]\n")
    assert marked.values[("weekdays", 0)] == Mark(1, 12)
    assert marked.values[("weekdays", 1)] == Mark(1, 16)


def test_mark_falls_back_to_the_nearest_parent() -> None:
    marked, _ = parse("events:\n  - title: 故事会\n")
    assert marked.mark(("events", 0, "date")) == Mark(2, 5)
    assert marked.mark(("events", 0, "title"), at_key=True) == Mark(2, 5)
    assert marked.mark(("events", 0, "title")) == Mark(2, 12)
    assert marked.mark(("nothing", 3)) == Mark(1, 1)
    empty, _ = parse("")
    assert empty.mark(("term",)) == Mark(1, 1)


def test_marked_problem_points_at_the_value_or_the_key() -> None:
    marked, _ = parse("events:\n  - title: 故事会\n")
    at_value = marked.problem("E202", ("events", 0, "title"), field="title")
    at_key = marked.problem("E203", ("events", 0, "title"), at_key=True, key="title")
    assert at_value.position == Position("events.yaml", 2, 12)
    assert at_key.position == Position("events.yaml", 2, 5)
    assert at_key.source_line == "  - title: 故事会"


# --- refused: duplicates, anchors and aliases, tags, second documents --------------------


def test_duplicate_key_is_e102_at_the_second_key() -> None:
    marked, problems = parse("title: 故事会\ndate: 2026-03-04\ntitle: 读书会\n")
    assert problems == [
        Problem(
            "E102",
            Position("events.yaml", 3, 1),
            {"key": "title", "first_line": 1},
            source_line="title: 读书会",
        )
    ]
    assert marked.data == {"title": "故事会", "date": "2026-03-04"}  # the first one is kept


def test_duplicate_key_renders_in_chinese_and_english() -> None:
    _, problems = parse("events:\n  - 标题: 故事会\n    标题: 读书会\n")
    [problem] = problems
    assert problem.render("zh") == (
        "events.yaml:3:5: 错误 E102: 重复的键“标题”（第 2 行已经写过）\n"
        "  3 |     标题: 读书会\n"
        "    |     ^\n"
        "  提示: 同一层里每个键只能写一次；删掉其中一个，或把第二个改成别的键。"
    )
    assert problem.render("en") == (
        "events.yaml:3:5: error E102: duplicate key '标题' (already given on line 2)\n"
        "  3 |     标题: 读书会\n"
        "    |     ^\n"
        "  hint: Each key may appear once at the same level; remove one of them or rename it."
    )


def test_duplicate_mapping_is_reported_once_not_for_each_key_inside_it() -> None:
    marked, problems = parse("term:\n  id: a\n  name: 上学期\nterm:\n  id: b\n  name: 下学期\n")
    assert codes_at(problems) == [("E102", "events.yaml:4:1")]
    assert problems[0].params == {"key": "term", "first_line": 1}
    assert marked.data == {"term": {"id": "a", "name": "上学期"}}


def test_same_key_in_different_mappings_is_fine() -> None:
    marked, problems = parse(
        "events:\n  - title: a\n    date: 2026-03-02\n  - title: b\n    date: 2026-03-03\n"
    )
    assert problems == []
    assert [e["title"] for e in marked.data["events"]] == ["a", "b"]


def test_anchor_and_alias_are_e103_where_written() -> None:
    marked, problems = parse("a: &x 1\nb: *x\n")
    assert codes_at(problems) == [("E103", "events.yaml:1:4"), ("E103", "events.yaml:2:4")]
    assert marked.data == {"a": "1", "b": None}  # the alias is never expanded


def test_anchor_on_a_mapping_and_merge_key() -> None:
    _, problems = parse("base: &b\n  x: 1\nc:\n  <<: *b\n")
    assert codes_at(problems) == [("E103", "events.yaml:1:7"), ("E103", "events.yaml:4:7")]


def test_anchor_problem_renders() -> None:
    _, problems = parse("owner: &wang 王老师\n")
    assert problems[0].render("zh") == (
        "events.yaml:1:8: 错误 E103: 不支持 YAML 锚点和别名（& 和 *）\n"
        "  1 | owner: &wang 王老师\n"
        "    |        ^\n"
        "  提示: 请把要重复的内容直接再写一遍；如果 & 或 * 是文字的一部分，请给整段文字加上引号。"
    )


def test_python_object_tag_is_e104() -> None:
    marked, problems = parse("a: !!python/object:os.system {}\n")
    assert problems == [
        Problem(
            "E104",
            Position("events.yaml", 1, 4),
            {"tag": "!!python/object:os.system"},
            source_line="a: !!python/object:os.system {}",
        )
    ]
    assert marked.data == {"a": {}}  # nothing was constructed
    assert problems[0].message("en") == (
        "YAML tags such as '!!python/object:os.system' are not supported"
    )


def test_other_tags_are_e104_too() -> None:
    _, problems = parse("a: !!str 12:30\nb: !local x\nc: !!seq [1]\n")
    assert codes_at(problems) == [
        ("E104", "events.yaml:1:4"),
        ("E104", "events.yaml:2:4"),
        ("E104", "events.yaml:3:4"),
    ]
    assert [p.params["tag"] for p in problems] == ["!!str", "!local", "!!seq"]


def test_second_document_is_e105_and_ignored() -> None:
    marked, problems = parse("a: 1\n---\nb: 2\n")
    assert problems == [Problem("E105", Position("events.yaml", 2, 1), {}, source_line="---")]
    assert marked.data == {"a": "1"}


def test_second_explicit_document_after_end_marker() -> None:
    _, problems = parse("---\na: 1\n...\n---\nb: 2\n")
    assert codes_at(problems) == [("E105", "events.yaml:4:1")]


def test_one_explicit_document_is_fine() -> None:
    marked, problems = parse("---\na: 1\n")
    assert problems == []
    assert marked.data == {"a": "1"}


# --- syntax errors ----------------------------------------------------------------------


def test_syntax_error_is_e101_with_caret_under_the_wide_text() -> None:
    marked, problems = parse("活动: 读书: x\n")
    assert marked.data is None
    [problem] = problems
    assert problem.position == Position("events.yaml", 1, 7)
    assert problem.params == {
        "detail": {
            "zh": "这里不能出现“键: 值”",
            "en": "mapping values are not allowed in this context",
        }
    }
    assert problem.render("zh") == (
        "events.yaml:1:7: 错误 E101: YAML 格式错误：这里不能出现“键: 值”\n"
        "  1 | 活动: 读书: x\n"
        "    |           ^\n"
        "  提示: 检查这一行和上一行的缩进（只用空格）、冒号后面是否有一个空格、引号是否成对。"
    )
    assert problem.render("en") == (
        "events.yaml:1:7: error E101: YAML syntax error: mapping values are not allowed in this "
        "context\n"
        "  1 | 活动: 读书: x\n"
        "    |           ^\n"
        "  hint: Check the indentation of this line and the one above (spaces only), that each "
        "colon is followed by a space, and that quotes are paired."
    )


def test_tab_indentation_is_e607_and_the_tab_is_shown() -> None:
    _, problems = parse("term:\n\tid: x\n")
    [problem] = problems
    assert problem.code == "E607"
    assert problem.position == Position("events.yaml", 2, 1)
    assert problem.render("en").splitlines()[1] == "  2 | →id: x"


def test_unclosed_quote_is_e320_at_the_quote() -> None:
    marked, problems = parse("title: '故事会\ndate: 2026-03-04\n")
    assert marked.data is None
    assert [(p.code, p.position, p.params) for p in problems] == [
        ("E320", Position("events.yaml", 1, 8), {"quote": "'"})
    ]


def test_control_character_is_e606_at_its_place_not_a_crash() -> None:
    marked, problems = parse("term:\n  name: 春季\x0c学期\n")
    assert marked.data is None
    [problem] = problems
    assert problem.code == "E606"
    assert problem.position == Position("events.yaml", 2, 11)
    assert problem.message("en") == (
        "there is an invisible character here: a control character (U+000C)"
    )
    assert problem.render("en").split("\n")[1:3] == [
        "  2 |   name: 春季␣学期",
        "    | " + " " * 12 + "^",
    ]


def test_non_text_key_is_e101() -> None:
    _, problems = parse("[a, b]: x\n~: y\n")
    assert codes_at(problems) == [("E101", "events.yaml:1:1"), ("E101", "events.yaml:2:1")]
    assert problems[0].params == {
        "detail": {"zh": "键必须是文字", "en": "a key must be plain text"}
    }
    assert problems[0].message("zh") == "YAML 格式错误：键必须是文字"


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("title：开馆准备\n", [("E601", 1, 6)]),  # the whole file one plain scalar
        ("- title：开馆\n", [("E601", 1, 8)]),  # a list item
        ("notes: 第一行\n  tip：第二行\n", [("E601", 2, 6)]),  # a value's second line
        ("tags:\n- 读书\n- name:张三\n  role: x\n", [("E219", 3, 7)]),  # a key lost its space
        ("x:\n  - a\n    b:c\n", [("E219", 3, 6)]),  # plain ASCII, but a colon
        ("\u00a0title: x\n", [("E605", 1, 1)]),  # a key's odd space
        ("title: 开\u200b馆\n", [("E606", 1, 9)]),  # a zero-width space in a value's first line
        ("items: [读书，写字]\n", [("E602", 1, 11)]),  # a full-width comma in a flow list
        ("title: x\ndate: 2026-03-20\ntags: [a, b]\n", []),  # ASCII with no colon: not looked at
    ],
)
def test_the_hints_inside_parsed_scalars_are_found_where_they_can_be(
    text: str, found: list[tuple[str, int, int]]
) -> None:
    _, problems = parse_yaml(Source("f.yaml", text))
    assert [(p.code, p.position.line, p.position.col) for p in problems] == found
