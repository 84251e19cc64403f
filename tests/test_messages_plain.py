"""Messages that say what the mistake is, wholly in the chosen language: a missing space
after a colon, text after a closing quote, 周1–周7, and a value outside a fixed list said
with its Chinese name (never pydantic's English inside a Chinese message)."""

from __future__ import annotations

import re
import shutil

import pytest
from test_invalid_inputs import CASES

from generator.model.values import parse_weekday

TERM = "term:\n  id: x\n  name: y\n  first_day: 2026-02-24\n  last_day: 2026-07-03\n"


def _check(make_site, run_cli, files: dict[str, str], lang: str) -> str:
    site = make_site({"events.yaml": TERM, **files})
    code, _, err = run_cli("check", "--site", site, "--today", "2026-03-10", "--lang", lang)
    assert code == 1
    return err


def test_no_space_after_the_colon_is_said_at_the_colon(make_site, run_cli):
    events = TERM + "events:\n  - title:开馆准备\n    date: 2026-02-24\n"
    assert _check(make_site, run_cli, {"events.yaml": events}, "zh") == (
        "events.yaml:7:10: 错误 E219: “title”后面的冒号和值之间少了一个空格\n"
        "  7 |   - title:开馆准备\n"
        "    |          ^\n"
        "  提示: 冒号后面要有一个空格：title: 开馆准备\n"
        "\n"
        "发现 1 个错误、0 个警告；网站没有改动。\n"
    )
    assert _check(make_site, run_cli, {"events.yaml": events}, "en").splitlines()[0] == (
        "events.yaml:7:10: error E219: no space between the colon after 'title' and the value"
    )


def test_a_single_key_without_its_space_is_found_though_the_yaml_parses(make_site, run_cli):
    events = TERM + "events:\n  - title:开馆准备\n"
    err = _check(make_site, run_cli, {"events.yaml": events}, "zh")
    assert err.splitlines()[0] == (
        "events.yaml:7:10: 错误 E219: “title”后面的冒号和值之间少了一个空格"
    )


def test_text_after_a_closing_quote_is_a_quoting_problem(make_site, run_cli):
    events = TERM + 'events:\n  - title: "小管"会议\n    date: 2026-02-24\n'
    assert _check(make_site, run_cli, {"events.yaml": events}, "zh") == (
        "events.yaml:7:16: 错误 E220: 引号在这里已经结束，后面还有文字“会议”\n"
        '  7 |   - title: "小管"会议\n'
        "    |                  ^\n"
        "  提示: 引号只能把整个值括起来。把整个值放进单引号：title: '\"小管\"会议'；"
        "或者改用中文引号“”，就不需要英文引号了。\n"
        "\n"
        "发现 1 个错误、0 个警告；网站没有改动。\n"
    )
    en = _check(make_site, run_cli, {"events.yaml": events}, "en")
    assert en.splitlines()[0] == (
        "events.yaml:7:16: error E220: the quotes end here, but the text '会议' follows them"
    )


def test_the_fixed_quoting_passes(make_site, run_cli):
    events = TERM + "events:\n  - title: '\"小管\"会议'\n    date: 2026-02-24\n"
    site = make_site({"events.yaml": events})
    assert run_cli("check", "--site", site, "--today", "2026-03-10")[0] == 0


@pytest.mark.parametrize(
    ("text", "day"),
    [("周1", 0), ("周5", 4), ("周7", 6), ("星期1", 0), ("星期3", 2), ("星期7", 6), (" 周 5", None)],
)
def test_weekdays_written_with_a_digit(text, day):
    if day is None:
        with pytest.raises(Exception):  # noqa: B017 - the E212 problem itself is tested below
            parse_weekday(text)
    else:
        assert parse_weekday(text) == day


def test_a_weekday_number_out_of_range_gets_no_wrong_guess(make_site, run_cli):
    events = TERM + "recurring:\n  - title: a\n    weekdays: [周5, 周8]\n"
    events += "    from: 2026-03-02\n    to: 2026-03-30\n"
    assert _check(make_site, run_cli, {"events.yaml": events}, "zh") == (
        "events.yaml:8:20: 错误 E212: 不认识的星期“周8”\n"
        "  8 |     weekdays: [周5, 周8]\n"
        "    |                     ^\n"
        "  提示: 写成 周一 … 周日，或 星期一、周1、星期1（周7 是周日）、Mon、Monday。\n"
        "\n"
        "发现 1 个错误、0 个警告；网站没有改动。\n"
    )


ROSTER = "name: 小管值日表\nkind: 小管\n"


def test_a_value_outside_the_list_is_said_with_its_chinese_names(make_site, run_cli):
    files = {"content/rosters/r.yaml": ROSTER, "content/site.yaml": "school: 星光小学\n"}
    assert _check(make_site, run_cli, files, "zh") == (
        "content/rosters/r.yaml:2:7: 错误 E221: “kind”不能写“小管”\n"
        "  2 | kind: 小管\n"
        "    |       ^\n"
        "  提示: 这里要写英文的“librarians”（小管）。可以写：story_parents（故事爸妈团）、"
        "storytellers（故事哥哥姐姐）、librarians（小管）、volunteers（家长义工）、"
        "class_visits（阅读课）。\n"
        "\n"
        "发现 1 个错误、0 个警告；网站没有改动。\n"
    )
    assert _check(make_site, run_cli, files, "en").splitlines()[:4] == [
        "content/rosters/r.yaml:2:7: error E221: 'kind' cannot be '小管'",
        "  2 | kind: 小管",
        "    |       ^",
        "  hint: Write the English key 'librarians' (小管). Allowed: story_parents, "
        "storytellers, librarians, volunteers, class_visits.",
    ]


def test_a_misspelt_key_value_gets_the_close_one(make_site, run_cli):
    files = {"content/rosters/r.yaml": "name: x\nkind: librarian\n"}
    err = _check(make_site, run_cli, files, "zh")
    assert err.splitlines()[3].startswith("  提示: 是不是想写“librarians”？可以写：story_parents")


def test_a_number_out_of_range_in_both_languages(make_site, run_cli):
    events = TERM + "events:\n  - title: a\n    week: 31\n"
    zh = _check(make_site, run_cli, {"events.yaml": events}, "zh")
    en = _check(make_site, run_cli, {"events.yaml": events}, "en")
    assert (
        zh.splitlines()[0] == "events.yaml:8:11: 错误 E216: “week”不是有效的值：应在 1 到 30 之间"
    )
    assert (
        en.splitlines()[0]
        == "events.yaml:8:11: error E216: 'week' is not valid: it should be from 1 to 30"
    )


# three English words in a row: a library's sentence inside a Chinese message
_ENGLISH = re.compile(r"[A-Za-z]{2,}(?: [A-Za-z]{2,}){2,}")


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_no_english_sentence_in_a_chinese_message(case, tmp_path, run_cli):
    site = tmp_path / "site"
    shutil.copytree(case, site, ignore=shutil.ignore_patterns("expected.txt"))
    _, _, err = run_cli("check", "--site", site, "--today", "2026-03-10", "--lang", "zh")
    said = [
        line
        for line in err.splitlines()
        if not re.match(r"\s+\d+ \|", line) and not line.strip().startswith("|")
    ]
    assert [line for line in said if _ENGLISH.search(line)] == []


def test_text_in_a_list_may_hold_a_colon_without_a_space(make_site, run_cli):
    """`- QQ:12345678` in a list of texts is text; only where a mapping was wanted is it E219."""
    festival = "name: 读书节\nfrom: 2026-04-07\nto: 2026-04-30\norganisers:\n  - QQ:12345678\n"
    site = make_site({"events.yaml": TERM, "content/festivals/f.yaml": festival})
    assert run_cli("check", "--site", site, "--today", "2026-03-10")[0] == 0


def test_a_whole_file_of_one_key_without_its_space(make_site, run_cli):
    err = _check(make_site, run_cli, {"content/site.yaml": "school:星光小学\n"}, "zh")
    assert err.splitlines()[:4] == [
        "content/site.yaml:1:7: 错误 E219: “school”后面的冒号和值之间少了一个空格",
        "  1 | school:星光小学",
        "    |       ^",
        "  提示: 冒号后面要有一个空格：school: 星光小学",
    ]
