"""`library-site init`: a new school's site that checks clean and builds at once."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from datetime import date

import jsonschema
import pytest
from conftest import ROOT, tree

from generator import pipeline
from generator.read.text import read_source
from generator.read.yamlio import parse_yaml
from generator.resources import schema_folder
from generator.tools.init_site import (
    autumn_term,
    coming_term,
    init_site,
    spring_term,
)
from generator.tools.json_schema import FILE_TYPES

MODELINE = "# yaml-language-server: $schema="


@pytest.mark.parametrize(
    ("today", "term"),
    [
        # before, on and after each term's first day
        (
            date(2026, 1, 5),
            ("2025-2026-2", "2025学年第二学期", date(2026, 2, 23), date(2026, 7, 3)),
        ),
        (
            date(2026, 2, 23),
            ("2025-2026-2", "2025学年第二学期", date(2026, 2, 23), date(2026, 7, 3)),
        ),
        (
            date(2026, 2, 24),
            ("2026-2027-1", "2026学年第一学期", date(2026, 9, 1), date(2027, 1, 22)),
        ),
        (
            date(2026, 9, 1),
            ("2026-2027-1", "2026学年第一学期", date(2026, 9, 1), date(2027, 1, 22)),
        ),
        (
            date(2026, 12, 2),
            ("2026-2027-2", "2026学年第二学期", date(2027, 2, 22), date(2027, 7, 2)),
        ),
        # 1 September 2029 is a Saturday: the term starts on Monday the 3rd
        (
            date(2029, 6, 1),
            ("2029-2030-1", "2029学年第一学期", date(2029, 9, 3), date(2030, 1, 18)),
        ),
    ],
)
def test_the_coming_term_is_the_next_to_start(today, term):
    coming = coming_term(today)
    assert (coming.id, coming.name, coming.first_day, coming.last_day) == term
    assert coming.first_day.weekday() == 0 or coming.first_day.day == 1
    assert coming.last_day.weekday() == 4


def test_terms_begin_on_a_school_day_and_end_on_a_friday():
    for year in range(2024, 2040):
        for term in (autumn_term(year), spring_term(year)):
            assert term.first_day.weekday() < 5
            assert term.last_day.weekday() == 4
            assert 17 <= (term.last_day - term.first_day).days // 7 <= 22


def test_init_prints_what_it_made_and_what_to_do_next(run_cli, tmp_path):
    site = tmp_path / "阳光小学网站"
    code, out, err = run_cli(
        "init", site, "--school", "阳光小学", "--library", "阳光书屋", "--today", "2026-12-02"
    )
    assert (code, err) == (0, "")
    assert out == (
        f"新网站已建好：{site}（18 个文件；学期 2026学年第二学期，2027-02-22 至 2027-07-02）\n"
        f"下一步：先读 {site / '使用说明.md'}；学期起止和放假日请按教育局的校历核对（events.yaml）。\n"
        f"  cd {site}\n"
        "  library-site serve    预览网站\n"
        "  library-site build    生成网站到 public/\n"
    )
    assert sorted(p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()) == [
        "content/displays/new-books.yaml",
        "content/festivals/reading-2027.yaml",
        "content/honours/reading-class.yaml",
        "content/news/2027-02-22-welcome.md",
        "content/pages/hours.md",
        "content/projects/digital-catalogue.yaml",
        "content/rosters/story-parents.yaml",
        "content/site.yaml",
        "events.yaml",
        "schemas/display.schema.json",
        "schemas/events.schema.json",
        "schemas/festival.schema.json",
        "schemas/honour.schema.json",
        "schemas/project.schema.json",
        "schemas/roster.schema.json",
        "schemas/site.schema.json",
        "schemas/stats.schema.json",  # every kind's, though a new site has no statistics yet
        "使用说明.md",
    ]


@pytest.mark.parametrize(
    "today", ["2026-01-05", "2026-02-23", "2026-06-30", "2026-09-01", "2026-12-02", "2029-06-01"]
)
def test_a_new_site_checks_clean_and_builds_whatever_day_it_is_made(run_cli, tmp_path, today):
    site = tmp_path / "site"
    assert (
        run_cli("init", site, "--school", "阳光小学", "--library", "阳光书屋", "--today", today)[0]
        == 0
    )
    # checked on the day it is made and on the term's first day
    assert run_cli("check", "--site", site, "--today", today) == (0, "检查通过（0 个警告）\n", "")
    first = coming_term(date.fromisoformat(today)).first_day.isoformat()
    assert run_cli("check", "--site", site, "--today", first) == (0, "检查通过（0 个警告）\n", "")


def test_the_built_site_has_a_page_for_each_example(tmp_path):
    site = tmp_path / "site"
    init_site(site, "阳光小学", "阳光书屋", date(2026, 12, 2))
    result = pipeline.build(site, site / "public", date(2027, 3, 1))
    assert result.warnings == ()
    pages = {p.relative_to(site / "public").as_posix() for p in (site / "public").rglob("*.html")}
    for page in (
        "index.html",
        "festivals/reading-2027/index.html",
        "rosters/story-parents/index.html",
        "displays/new-books/index.html",
        "honours/index.html",
        "projects/digital-catalogue/index.html",
        "work-plan/index.html",
        "work-summary/index.html",
        "hours/index.html",
        "news/2027-02-22-welcome/index.html",
        "classes/index.html",
        "classes/1-1/index.html",
    ):
        assert page in pages, sorted(pages)
    home = (site / "public" / "index.html").read_text("utf-8")
    assert "阳光小学" in home and "阳光书屋" in home
    assert (
        result.pages == len(pages) == 54
    )  # with the 4 example classes and their list, 2 documents


def test_every_schema_line_points_at_a_schema_next_to_the_files(tmp_path):
    site = tmp_path / "site"
    init_site(site, "阳光小学", "阳光书屋", date(2026, 12, 2))
    assert tree(site / "schemas") == tree(schema_folder())
    seen = {}
    for name, file_type in FILE_TYPES.items():
        for path in file_type.files(site):
            first = path.read_text(encoding="utf-8").splitlines()[0]
            assert first.startswith(MODELINE), path
            target = (path.parent / first.removeprefix(MODELINE)).resolve()
            assert target == (site / "schemas" / f"{name}.schema.json").resolve(), path
            assert target.is_file()
            seen[path.relative_to(site).as_posix()] = target.name
    assert seen == {
        "events.yaml": "events.schema.json",
        "content/site.yaml": "site.schema.json",
        "content/festivals/reading-2027.yaml": "festival.schema.json",
        "content/rosters/story-parents.yaml": "roster.schema.json",
        "content/displays/new-books.yaml": "display.schema.json",
        "content/honours/reading-class.yaml": "honour.schema.json",
        "content/projects/digital-catalogue.yaml": "project.schema.json",
    }


def test_every_new_file_is_valid_against_the_schema_its_line_names(tmp_path):
    """What the editor shows (the schema) agrees with the checker on the new files: none."""
    site = tmp_path / "site"
    init_site(site, "阳光小学", "阳光书屋", date(2026, 12, 2))
    for path in site.rglob("*.yaml"):
        first = path.read_text(encoding="utf-8").splitlines()[0]
        schema = json.loads((path.parent / first.removeprefix(MODELINE)).read_text("utf-8"))
        marked, problems = parse_yaml(read_source(path, path.name))  # type: ignore[arg-type]
        assert problems == []
        errors = [
            e.message for e in jsonschema.Draft202012Validator(schema).iter_errors(marked.data)
        ]
        assert errors == [], path


def test_names_that_need_quotes_in_yaml_are_written_quoted(run_cli, tmp_path):
    site = tmp_path / "site"
    school, library = "阳光: 小学 #1", "[阳光] 书屋"
    assert (
        run_cli("init", site, "--school", school, "--library", library, "--today", "2026-12-02")[0]
        == 0
    )
    text = (site / "content" / "site.yaml").read_text("utf-8")
    assert 'school: "阳光: 小学 #1"\n' in text and 'library: "[阳光] 书屋"\n' in text
    result = pipeline.build(site, site / "public", date(2027, 3, 1))
    assert result.warnings == ()
    home = (site / "public" / "index.html").read_text("utf-8")
    assert "阳光: 小学 #1" in home and "[阳光] 书屋" in home


def test_a_folder_that_is_not_empty_is_refused_and_left_as_it_was(run_cli, tmp_path):
    site = tmp_path / "已有的网站"
    (site / "content").mkdir(parents=True)
    (site / "events.yaml").write_text("term: {}\n", encoding="utf-8")
    (site / ".git").mkdir()
    (site / "我的笔记.txt").write_text("不要动", encoding="utf-8")
    before = tree(site)
    code, out, err = run_cli("init", site, "--school", "阳光小学", "--today", "2026-12-02")
    assert (code, out) == (1, "")
    assert err == (
        f"{site}: 错误 E750: 这个文件夹不是空的（有 4 项：.git, content, events.yaml, …），没有建新网站\n"
        "  提示: init 只在空文件夹里建新网站，不会和已有的文件混在一起。换一个新的文件夹名，例如 "
        "library-site init 新网站 --school 学校名称 --library 图书馆名称。\n"
    )
    assert tree(site) == before and (site / "content").is_dir()


def test_a_file_is_refused_in_english_too(run_cli, tmp_path):
    target = tmp_path / "使用说明.md"
    target.write_text("# 说明\n", encoding="utf-8")
    code, out, err = run_cli("init", target, "--lang", "en", "--today", "2026-12-02")
    assert (code, out) == (1, "")
    assert err == (
        f"{target}: error E751: this is a file, not a folder; no site was made\n"
        "  hint: Give init the name of a new folder (one that does not exist yet, or an empty one).\n"
    )
    assert target.read_text("utf-8") == "# 说明\n"


def test_an_empty_folder_is_used(run_cli, tmp_path):
    site = tmp_path / "empty"
    site.mkdir()
    assert run_cli("init", site, "--today", "2026-12-02")[0] == 0
    assert "school: 我们的学校\n" in (site / "content" / "site.yaml").read_text("utf-8")


def test_the_official_holidays_and_makeup_days_are_filled_in_and_check(run_cli, tmp_path):
    """From assemble.official: 2026's published days are written, 2027 (not yet published
    when holidays 0.108 was made) is a TODO, and the site checks and builds clean."""
    site = tmp_path / "site"
    assert run_cli("init", site, "--today", "2026-06-30")[0] == 0
    text = (site / "events.yaml").read_text("utf-8")
    assert (
        "# TODO：国务院还没有公布 2027 年的放假安排，这一年的放假和调休没有填，公布后请补上。\n"
        "# 下面是国家规定的节假日，学校自己的闭馆日请接着写。\n"
        "closures:\n"
        "  - name: 中秋节\n    from: 2026-09-25\n    to: 2026-09-27\n"
        "  - name: 国庆节\n    from: 2026-10-01\n    to: 2026-10-07\n"
    ) in text
    assert (
        "makeup_days:\n"
        "  - date: 2026-09-20\n    follows: 周二\n    name: 国庆节调休\n"
        "  - date: 2026-10-10\n    follows: 周三\n    name: 国庆节调休\n"
    ) in text
    assert run_cli("check", "--site", site, "--today", "2026-09-01") == (
        0,
        "检查通过（0 个警告）\n",
        "",
    )
    site_built = pipeline.build(site, site / "public", date(2026, 9, 1))
    calendar = (site / "public" / "calendar" / "index.html").read_text("utf-8")
    assert "国庆节" in calendar and site_built.warnings == ()


def test_a_term_in_an_unpublished_year_is_a_todo(tmp_path):
    init_site(tmp_path / "site", "阳光小学", "阳光书屋", date(2027, 6, 30))
    text = (tmp_path / "site" / "events.yaml").read_text("utf-8")
    assert "# TODO：国务院还没有公布 2027、2028 年的放假安排" in text
    assert "# TODO：请按教育局公布的校历填写本学期的放假日" in text
    assert "\nclosures: []\n" in text and "\nmakeup_days: []\n" in text


def test_init_then_build_as_a_librarian_runs_them(tmp_path):
    """Two fresh processes, as typed at a command line; the time is printed (pytest -s)."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env["PYTHONPATH"] = str(ROOT)
    env["PYTHONIOENCODING"] = "utf-8"
    site = tmp_path / "新网站"
    started = time.perf_counter()
    for args in (
        ["init", site, "--school", "阳光小学", "--library", "阳光书屋"],
        ["build", "--site", site],
    ):
        done = subprocess.run(
            [sys.executable, "-m", "generator", *map(str, args)],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            encoding="utf-8",
            timeout=120,
        )
        assert done.returncode == 0, done.stderr
        assert done.stderr == ""
    seconds = time.perf_counter() - started
    assert "个页面" in done.stdout and "0 个警告" in done.stdout, done.stdout
    print(f"\ninit → build on a fresh folder: {seconds:.2f} s")
    assert (site / "public" / "index.html").is_file()


def test_a_folder_that_cannot_be_made_is_a_problem_not_a_traceback(run_cli, tmp_path):
    (tmp_path / "笔记.txt").write_text("不要动", encoding="utf-8")
    target = tmp_path / "笔记.txt" / "新网站"  # inside a file: no folder can be made there
    code, out, err = run_cli("init", target, "--today", "2026-12-02")
    assert (code, out) == (1, "")
    assert err == (
        f"{target / 'content'}: 错误 E752: 无法在这里写入新网站的文件\n"
        "  提示: 换一个可以写入的文件夹（例如“文档”里的新文件夹）；U 盘满了或是只读的也会这样。"
        "已经写了一半的文件夹可以删掉再重来。\n"
    )
    assert (tmp_path / "笔记.txt").read_text("utf-8") == "不要动"


def test_the_short_guide_names_the_next_term_for_new_term(tmp_path):
    init_site(tmp_path / "site", "阳光小学", "阳光书屋", date(2026, 12, 2))
    guide = (tmp_path / "site" / "使用说明.md").read_text("utf-8")
    assert guide.startswith("# 使用说明（阳光小学 阳光书屋）\n")
    assert "`library-site new-term --first-day 2027-09-01 --name 2027学年第一学期`" in guide
