"""The validate stage: parsed YAML → TermPlan, or our problem codes at the exact place."""

from __future__ import annotations

from datetime import date, time

from generator.model.settings import SiteSettings
from generator.model.term import TermPlan
from generator.model.values import Month, TimeRange
from generator.problems.problem import Position, Problem
from generator.read.text import Source
from generator.read.validate import validate
from generator.read.yamlio import parse_yaml

TERM = """\
term:
  id: 2025-2026-2
  name: 2025学年第二学期
  first_day: 2026-02-24
  last_day: 2026-07-03
"""  # five lines: whatever follows starts on line 6


def check(text: str, model: type = TermPlan):
    marked, problems = parse_yaml(Source("events.yaml", text))
    assert problems == []  # these tests are about validation, not YAML syntax
    return validate(marked, model)


def problems_of(text: str, model: type = TermPlan) -> list[Problem]:
    obj, problems = check(text, model)
    assert obj is None
    assert problems
    return problems


def only(text: str) -> Problem:
    [problem] = problems_of(text)
    return problem


def where(problem: Problem) -> tuple[str, str]:
    return problem.code, str(problem.position)


# --- a valid plan -----------------------------------------------------------------------


def test_a_valid_plan_gives_the_model() -> None:
    plan, problems = check(
        TERM
        + """\
closures:
  - name: 清明节
    from: 2026-04-04
    to: 2026-04-06
  - name: 劳动节
    date: 2026/5/1
makeup_days:
  - date: 2026-02-28
    follows: 周一
events:
  - title: 故事会
    date: 2026年3月4日
    time: 12:20-12:50
    category: 故事
    owner:
    location: 图书馆
  - title: 读书节
    from: 2026-04-20
    to: 2026-04-24
    category: festival
  - title: 整理书架
    week: 3
  - title: 新书上架
    month: 2026-03
recurring:
  - title: 午间阅读
    weekdays: [周三, Fri]
    from: 2026-03-02
    to: 2026-06-30
    time: 12:30
"""
    )
    assert problems == []
    assert isinstance(plan, TermPlan)
    assert plan.term.id == "2025-2026-2"
    assert plan.term.first_day == date(2026, 2, 24)
    assert [(c.name, c.start, c.end) for c in plan.closures] == [
        ("清明节", date(2026, 4, 4), date(2026, 4, 6)),
        ("劳动节", date(2026, 5, 1), date(2026, 5, 1)),
    ]
    assert plan.makeup_days[0].date == date(2026, 2, 28)
    assert plan.makeup_days[0].follows == 0
    story, festival, shelves, new_books = plan.events
    assert story.date == date(2026, 3, 4)
    assert story.time == TimeRange(time(12, 20), time(12, 50))
    assert story.category == "story"
    assert story.owner is None  # `owner:` left empty is simply absent
    assert story.location == "图书馆"
    assert (festival.from_, festival.to, festival.category) == (
        date(2026, 4, 20),
        date(2026, 4, 24),
        "festival",
    )
    assert shelves.week == 3
    assert shelves.category == "activity"  # the default
    assert new_books.month == Month(2026, 3)
    [reading] = plan.recurring
    assert reading.weekdays == [2, 4]
    assert reading.time == TimeRange(time(12, 30))


def test_empty_optional_field_is_absent_not_an_error() -> None:
    plan, problems = check(
        TERM
        + """\
events:
  - title: 故事会
    date: 2026-03-04
    owner:
    location: ~
    description:
"""
    )
    assert problems == []
    assert plan is not None
    assert plan.events[0].owner is None
    assert plan.events[0].location is None
    assert plan.events[0].description is None


def test_text_that_looks_like_a_number_stays_text() -> None:
    plan, problems = check(
        TERM
        + """\
events:
  - title: 0571
    date: 2026-03-04
    location: no
    owner: on
"""
    )
    assert problems == []
    assert plan is not None
    assert (plan.events[0].title, plan.events[0].location, str(plan.events[0].owner)) == (
        "0571",
        "no",
        "on",
    )


def test_site_settings_defaults() -> None:
    settings, problems = check("school: 实验小学\nclasses: [一(1)班, 一(2)班]\n", SiteSettings)
    assert problems == []
    assert isinstance(settings, SiteSettings)
    assert settings.school == "实验小学"
    assert settings.library == "图书馆"
    assert settings.classes == ["一(1)班", "一(2)班"]


# --- unknown keys -----------------------------------------------------------------------


def test_misspelt_key_is_e203_at_the_key_with_did_you_mean() -> None:
    problem = only(
        TERM
        + """\
events:
  - title: 故事会
    date: 2026-03-04
    categroy: story
"""
    )
    assert where(problem) == ("E203", "events.yaml:9:5")
    assert problem.params["key"] == "categroy"
    assert problem.params["suggestion"] == {
        "zh": "是不是想写“category”？",
        "en": "Did you mean 'category'? ",
    }
    allowed = (
        "title、time、category、owner、location、audience、description、festival、roster、"
        "display、classes、grades、id、date、from、to、week、weeks、month、months、no"
    )
    assert problem.render("zh") == (
        "events.yaml:9:5: 错误 E203: 不认识的键“categroy”\n"
        "  9 |     categroy: story\n"
        "    |     ^\n"
        f"  提示: 是不是想写“category”？这里可以用的键有：{allowed}。"
    )
    assert problem.render("en") == (
        "events.yaml:9:5: error E203: unknown key 'categroy'\n"
        "  9 |     categroy: story\n"
        "    |     ^\n"
        "  hint: Did you mean 'category'? Keys allowed here: " + allowed.replace("、", ", ") + "."
    )


def test_chinese_key_is_pointed_at_the_english_one() -> None:
    problems = problems_of(
        TERM
        + """\
events:
  - title: 故事会
    日期: 2026-03-04
"""
    )
    e203 = [p for p in problems if p.code == "E203"]
    assert [where(p) for p in e203] == [("E203", "events.yaml:8:5")]
    [problem] = e203
    assert problem.params["key"] == "日期"
    assert problem.hint("zh").startswith("键要用英文：“日期”应写成“date”。")
    assert problem.hint("en").startswith("Keys are English: write 'date' for '日期'. ")
    assert problem.render("zh").split("\n")[1:3] == [
        "  8 |     日期: 2026-03-04",
        "    |     ^",
    ]


def test_chinese_key_in_a_mapping_without_date_rules() -> None:
    [problem] = problems_of("school: 实验小学\n标题: 图书馆\n", SiteSettings)
    assert where(problem) == ("E203", "events.yaml:2:1")
    assert problem.hint("en") == (
        "Keys allowed here: school, library, language, timezone, theme, classes, menu, "
        "lunar, public, public_pupils, public_parents, stats_minimum, private_names."
    )


def test_unknown_key_in_the_term() -> None:
    problem = only(TERM + "  first_dya: 2026-02-24\n")
    assert where(problem) == ("E203", "events.yaml:6:3")
    assert problem.params["suggestion"]["en"] == "Did you mean 'first_day'? "


# --- missing and empty ------------------------------------------------------------------


def test_empty_required_field_is_e202_at_the_colon() -> None:
    problem = only(
        TERM
        + """\
events:
  - title:
    date: 2026-03-04
"""
    )
    assert problem == Problem(
        "E202", Position("events.yaml", 7, 11), {"field": "title"}, source_line="  - title:"
    )
    assert problem.render("en") == (
        "events.yaml:7:11: error E202: 'title' must not be empty\n"
        "  7 |   - title:\n"
        "    |           ^\n"
        "  hint: Fill in a value after the colon, or remove the whole line if it is not needed."
    )


def test_blank_required_text_is_e202() -> None:
    problem = only(TERM + "events:\n  - title: '  '\n    date: 2026-03-04\n")
    assert where(problem) == ("E202", "events.yaml:7:12")


def test_missing_required_field_is_e201_at_its_mapping() -> None:
    problem = only(
        TERM
        + """\
events:
  - date: 2026-03-04
    location: 图书馆
"""
    )
    assert where(problem) == ("E201", "events.yaml:7:5")
    assert problem.params == {"field": "title"}
    assert problem.message("zh") == "缺少必填项“title”"
    assert problem.hint("en") == "Add a line 'title: …' to this entry."


def test_missing_term_in_an_empty_file() -> None:
    obj, problems = validate(parse_yaml(Source("events.yaml", ""))[0], TermPlan)
    assert obj is None
    assert [where(p) for p in problems] == [("E201", "events.yaml:1:1")]
    assert problems[0].params == {"field": "term"}


def test_missing_last_day() -> None:
    text = "term:\n  id: x\n  name: 春季\n  first_day: 2026-02-24\n"
    problem = only(text)
    assert where(problem) == ("E201", "events.yaml:2:3")
    assert problem.params == {"field": "last_day"}


def test_from_without_to_is_e201_for_to() -> None:
    problem = only(TERM + "events:\n  - title: 读书节\n    from: 2026-04-20\n")
    assert where(problem) == ("E201", "events.yaml:7:5")
    assert problem.params == {"field": "to"}


# --- when: exactly one way --------------------------------------------------------------


def test_two_ways_of_giving_the_date_is_e214() -> None:
    problem = only(
        TERM
        + """\
events:
  - title: 故事会
    date: 2026-03-04
    week: 3
"""
    )
    assert where(problem) == ("E214", "events.yaml:7:5")
    assert problem.message("zh") == "“故事会”的日期写法不对：写了 date、week"
    assert problem.message("en") == "the date of '故事会' is unclear: given: date, week"


def test_no_date_at_all_is_e214() -> None:
    problem = only(TERM + "events:\n  - title: 故事会\n")
    assert where(problem) == ("E214", "events.yaml:7:5")
    assert problem.message("zh") == "“故事会”的日期写法不对：没有写日期"


def test_week_in_a_closure_is_named_as_the_unknown_key() -> None:
    # "no date given" would mislead: the teacher wrote a key that closures don't have.
    (e203,) = problems_of(TERM + "closures:\n  - name: 运动会\n    week: 5\n")
    assert where(e203) == ("E203", "events.yaml:8:5")
    assert e203.hint("en") == "Keys allowed here: name, date, from, to."


def test_end_before_start_is_e215_at_to() -> None:
    problem = only(
        TERM
        + """\
events:
  - title: 读书节
    from: 2026-04-20
    to: 2026-04-10
"""
    )
    assert problem == Problem(
        "E215",
        Position("events.yaml", 9, 9),
        {"start": "2026-04-20", "end": "2026-04-10", "field": "to"},
        source_line="    to: 2026-04-10",
    )
    assert problem.render("zh") == (
        "events.yaml:9:9: 错误 E215: 结束早于开始：2026-04-20 到 2026-04-10\n"
        "  9 |     to: 2026-04-10\n"
        "    |         ^\n"
        "  提示: 检查两个日期（或时间）是否写反了。"
    )


def test_term_ending_before_it_starts_is_e215_at_last_day() -> None:
    problem = only(
        "term:\n  id: x\n  name: 春季\n  first_day: 2026-07-03\n  last_day: 2026-02-24\n"
    )
    assert where(problem) == ("E215", "events.yaml:5:13")


def test_reversed_time_range_is_e215_at_the_time() -> None:
    problem = only(
        TERM + "events:\n  - title: 故事会\n    date: 2026-03-04\n    time: 12:50-12:20\n"
    )
    assert where(problem) == ("E215", "events.yaml:9:11")
    assert problem.params == {"start": "12:50", "end": "12:20", "field": "time"}


# --- bad values -------------------------------------------------------------------------


def test_bad_weekday_is_e212_at_the_item() -> None:
    problem = only(
        TERM
        + """\
recurring:
  - title: 午间故事
    weekdays: [周三, 周八]
    from: 2026-03-02
    to: 2026-06-30
"""
    )
    assert where(problem) == ("E212", "events.yaml:8:20")
    assert problem.params["value"] == "周八"
    assert problem.message("zh") == "不认识的星期“周八”"
    assert problem.render("zh").split("\n")[1:3] == [
        "  8 |     weekdays: [周三, 周八]",
        "    |" + " " * 22 + "^",
    ]


def test_empty_weekdays_is_e202() -> None:
    problem = only(
        TERM + "recurring:\n  - title: 午间故事\n    weekdays: []\n"
        "    from: 2026-03-02\n    to: 2026-06-30\n"
    )
    assert where(problem) == ("E202", "events.yaml:8:15")
    assert problem.params["field"] == "weekdays"


def test_bad_category_is_e211_with_suggestion() -> None:
    problem = only(
        TERM
        + """\
events:
  - title: 故事会
    date: 2026-03-04
    category: festivl
"""
    )
    assert where(problem) == ("E211", "events.yaml:9:15")
    assert problem.params["value"] == "festivl"
    assert problem.hint("zh") == (
        "是不是想写“festival”？可以用的类别有：routine（常规）、activity（活动）、"
        "festival（读书节）、story（故事）、display（展示）、meeting（会议）、training（培训）。"
    )
    assert problem.hint("en").startswith("Did you mean 'festival'? Categories: routine（常规）, ")


def test_time_24_00_is_e610() -> None:
    problem = only(
        TERM
        + """\
events:
  - title: 故事会
    date: 2026-03-04
    time: 24:00
"""
    )
    assert problem == Problem(
        "E610",
        Position("events.yaml", 9, 11),
        {"value": "24:00", "field": "time"},
        source_line="    time: 24:00",
    )
    assert problem.message("zh") == "没有 24:00 这个时间"


def test_week_abc_is_e210() -> None:
    problem = only(TERM + "events:\n  - title: 整理书架\n    week: abc\n")
    assert problem == Problem(
        "E210",
        Position("events.yaml", 8, 11),
        {"field": "week", "value": "abc"},
        source_line="    week: abc",
    )
    assert problem.render("zh") == (
        "events.yaml:8:11: 错误 E210: “week”应该是整数，写的是“abc”\n"
        "  8 |     week: abc\n"
        "    |           ^\n"
        "  提示: 只写数字，例如 5。"
    )
    assert problem.render("en") == (
        "events.yaml:8:11: error E210: 'week' should be a whole number, not 'abc'\n"
        "  8 |     week: abc\n"
        "    |           ^\n"
        "  hint: Write digits only, for example 5."
    )


def test_week_out_of_range_is_e216() -> None:
    problem = only(TERM + "events:\n  - title: 整理书架\n    week: 0\n")
    assert where(problem) == ("E216", "events.yaml:8:11")
    assert problem.message("zh") == "“week”不是有效的值：应在 1 到 30 之间"


def test_impossible_date_is_e205_with_the_month_length() -> None:
    problem = only(TERM + "events:\n  - title: 故事会\n    date: 2026-02-30\n")
    assert where(problem) == ("E205", "events.yaml:8:11")
    assert problem.render("zh") == (
        "events.yaml:8:11: 错误 E205: 日期不存在：2026-02-30\n"
        "  8 |     date: 2026-02-30\n"
        "    |           ^\n"
        "  提示: 2026 年 2 月只有 28 天。"
    )
    assert problem.render("en").split("\n")[-1] == "  hint: 2/2026 has only 28 days."


def test_not_a_date_is_e204() -> None:
    problem = only(TERM + "events:\n  - title: 故事会\n    date: 下周三\n")
    assert problem == Problem(
        "E204",
        Position("events.yaml", 8, 11),
        {"value": "下周三", "field": "date"},
        source_line="    date: 下周三",
    )


def test_not_a_month_is_e207() -> None:
    problem = only(TERM + "events:\n  - title: 新书上架\n    month: 2026-13\n")
    assert where(problem) == ("E207", "events.yaml:8:12")


def test_bad_id_is_e218() -> None:
    problem = only(TERM.replace("id: 2025-2026-2", "id: 2025 第二学期"))
    assert where(problem) == ("E218", "events.yaml:2:7")
    assert problem.params == {"value": "2025 第二学期", "field": "id"}


def test_list_where_text_belongs_is_e217() -> None:
    problem = only(TERM + "events:\n  - title: [故事, 会]\n    date: 2026-03-04\n")
    assert where(problem) == ("E217", "events.yaml:7:12")
    assert problem.params == {"field": "title"}


def test_text_where_a_list_belongs_is_e208() -> None:
    problem = only(TERM + "events: 故事会\n")
    assert where(problem) == ("E208", "events.yaml:6:9")
    assert problem.params == {"field": "events", "value": "故事会"}


def test_text_where_a_mapping_belongs_is_e209() -> None:
    problem = only("term: 2026春季\n")
    assert where(problem) == ("E209", "events.yaml:1:7")
    assert problem.params == {"field": "term", "value": "2026春季"}


def test_top_level_list_is_e106() -> None:
    marked, _ = parse_yaml(Source("events.yaml", "- title: 故事会\n"))
    obj, problems = validate(marked, TermPlan)
    assert obj is None
    assert [where(p) for p in problems] == [("E106", "events.yaml:1:1")]


# --- several problems at once -----------------------------------------------------------


def test_every_problem_of_a_file_is_reported_at_its_place() -> None:
    problems = problems_of(
        TERM
        + """\
events:
  - title: 故事会
    date: 2026-02-30
  - title: 读书节
    week: abc
  - title:
    date: 2026-03-04
    categroy: story
"""
    )
    assert sorted(where(p) for p in problems) == [
        ("E202", "events.yaml:11:11"),
        ("E203", "events.yaml:13:5"),
        ("E205", "events.yaml:8:11"),
        ("E210", "events.yaml:10:11"),
    ]
