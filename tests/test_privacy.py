"""The public build (`--public`, `public: 是`): no child's full name, no phone number, no ID
number and nobody who opted out, in any output file; the intranet build unchanged."""

from __future__ import annotations

import io
import re
import zipfile
from datetime import date
from pathlib import Path

import pytest
from conftest import MINIMAL_EVENTS, copy_sample, tree
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from quality import check_links, run_vnu, scan

from generator.cli import main
from generator.pipeline import load_site, render_site
from generator.transform.privacy import public_site, surname

TODAY = "2026-04-10"
# Independent of generator.privacy: what must never be found in a public build.
MOBILE = re.compile(r"(?<!\d)1[3-9]\d[- ]?\d{4}[- ]?\d{4}(?!\d)")
RESIDENT_ID = re.compile(r"(?<!\d)\d{17}[\dXx](?![\dA-Za-z])")
SAMPLE_PEOPLE = [
    # content/rosters/librarians.yaml (duties) and story-parents.yaml (people)
    *[
        "陈思远",
        "刘可馨",
        "黄子涵",
        "吴俊杰",
        "林雨桐",
        "郑浩然",
        "何佳怡",
        "马天宇",
        "杨梓萱",
        "许博文",
        "韩诗琪",
        "冯宇航",
    ],
    *["曹欣然", "彭子墨", "蒋语嫣", "谢明哲", "王丽娟", "赵建国", "孙晓燕", "周海峰"],
    *["李欣妍", "张子轩"],  # private_names in content/site.yaml (news)
]


def texts(folder: Path) -> dict[str, str]:
    """Every output file as text, whatever its type (pages, feeds, CSS, SVG, later indexes);
    a .docx as the text of every part of it (a zip: its names are compressed)."""
    found = {}
    for name, data in tree(folder).items():
        if name.endswith(".docx"):
            with zipfile.ZipFile(io.BytesIO(data)) as z:
                data = b"\n".join(z.read(n) for n in z.namelist())
        found[name] = data.decode("utf-8", "replace")
    return found


def build(site: Path, out: Path, *more: str) -> int:
    return main(["build", "--site", str(site), "--out", str(out), "--today", TODAY, *more])


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    site = tmp_path_factory.mktemp("sample")
    copy_sample(site)
    intranet, public = site / "intranet", site / "public-web"
    assert build(site, intranet) == 0
    assert build(site, public, "--public") == 0
    return site, intranet, public


def test_no_full_name_phone_or_id_in_any_file_of_the_public_sample(sample):
    _, _, public = sample
    files = texts(public)
    assert len(files) == 156  # 155 written (no reminder slips) and the output folder's marker file
    # every kind of output is scanned: pages, feeds, the search index, assets
    assert {".html", ".ics", ".js", ".css", ".svg", ".docx", ""} == {Path(n).suffix for n in files}
    found = [(n, who) for n, t in files.items() for who in SAMPLE_PEOPLE if who in t]
    found += [(n, m.group()) for n, t in files.items() for m in MOBILE.finditer(t)]
    found += [(n, m.group()) for n, t in files.items() for m in RESIDENT_ID.finditer(t)]
    assert found == []


def test_the_intranet_sample_still_shows_full_names(sample):
    _, intranet, _ = sample
    files = texts(intranet)
    roster = files["rosters/story-parents/index.html"]
    assert "<li>王丽娟（一(1)班家长）</li>" in roster
    assert "周海峰" not in roster  # public: 否 was already hidden on the intranet
    assert "<td>陈思远、刘可馨</td>" in files["rosters/librarians/index.html"]
    assert "五(2)班<strong>李欣妍</strong>同学" in files["news/2026-03-20-reading-award/index.html"]


def test_public_roster_pages_stay_useful(sample):
    _, _, public = sample
    files = texts(public)
    parents = files["rosters/story-parents/index.html"]
    assert '<ul class="people"><li>王女士（一(1)班家长）</li><li>赵先生（一(3)班家长）</li>' in (
        parents
    )
    assert "<li>孙家长（二(2)班家长）</li></ul>" in parents  # no gender given
    # dates, classes, the person's public form, the story and the month's theme
    assert (
        '<tr id="s-20260410-1"><td>4月10日 周五</td><td>08:10–08:30</td><td>一(4)班</td>'
        "<td>孙家长</td><td>神奇校车：水的故事</td><td>科技</td>" in parents
    )
    # the opted-out parent's session is the volunteers'
    assert (
        '<tr id="s-20260403-1"><td>4月3日 周五</td><td>08:10–08:30</td><td>一(4)班</td>'
        "<td>志愿者</td>" in parents
    )
    librarians = files["rosters/librarians/index.html"]
    # the duty sheet, by weekday, with four weeks of 签名 boxes
    assert (
        "<tr><td>周一</td><td> 12:20–12:50</td><td>三(1)班</td><td>陈同学、刘同学</td>"
        + '<td class="col-sign"></td>' * 4
        + "</tr>"
    ) in librarians
    news = files["news/2026-03-20-reading-award/index.html"]
    assert "五(2)班<strong>李</strong>同学的《红色精神文学经典共读》" in news
    assert "五(2)班李同学、六(1)班张同学获奖" in files["news/index.html"]  # the summary


def test_public_build_changes_only_the_pages_that_show_people(sample):
    _, intranet, public = sample
    a, b = tree(intranet), tree(public)
    # the reminder slips name each parent: the school's own build has them, the public not
    assert set(a) - set(b) == {"rosters/story-parents/slips/index.html"}
    assert set(b) < set(a)
    assert sorted(n for n in b if a[n] != b[n]) == [
        ".library-site",  # the manifest: the slips page
        "honours/index.html",  # the winners of the sample's two honours
        "news/2026-03-20-reading-award/index.html",
        "news/index.html",  # its summary names the two pupils, also under its tag
        "news/tags/t-525588eb/index.html",
        "rosters/librarians/index.html",
        "rosters/story-parents/index.html",
        "search-index.js",  # the news text it indexes names the pupils
        "stats/2025-2026-1/index.html",  # each class's total only, not its months
        "work-summary/index.html",  # its honours, in the page and its .docx
        "work-summary/work-summary-2025-2026-2.docx",
    ]


@pytest.mark.slow
def test_public_sample_is_valid_html_with_working_links(sample):
    _, _, public = sample
    checked, errors = run_vnu(public)
    assert (
        checked == 122
    )  # 115 pages (no reminder slips), the two style sheets, the display's SVG and the favicon
    assert errors == []
    report = check_links(public, scan(public))
    assert report.broken == []


def test_privacy_report_of_the_sample(sample, run_cli):
    site, _, _ = sample
    code, out, err = run_cli(
        "build", "--site", site, "--out", site / "again", "--today", TODAY, "--public"
    )
    assert code == 0
    assert err == ""
    assert out.splitlines()[0] == (
        "隐私（公开版）：隐去 21 个全名（学生 18，其中 private_names 2；家长 3），"
        "1 位不公开的人不出现；删去 4 个联系方式（电话 4、邮箱 0、身份证号 0）；"
        "说明文字里有 0 处全名（W900）"
    )
    code, out, _ = run_cli(
        "build",
        "--site",
        site,
        "--out",
        site / "again",
        "--today",
        TODAY,
        "--public",
        "--lang",
        "en",
    )
    assert out.splitlines()[0] == (
        "privacy (public build): 21 names masked (18 pupils of which 2 from private_names, "
        "3 parents), 1 opted-out people left out; 4 contacts removed (4 phone numbers, "
        "0 e-mail addresses, 0 ID numbers); 0 full names in free text (W900)"
    )


# --- contacts and names in free text, with positions ------------------------------------

ROSTER = """\
name: 故事爸妈团
kind: story_parents
summary: 本周由王丽娟妈妈讲故事，有事请打 138-0000-0001。
people:
  - name: 王丽娟
    role: 一(1)班家长
    gender: 女
    phone: "13800000001"
  - name: 欧阳娜娜
    role: 一(2)班家长
    phone: "0571-8888 8888"
  - name: 司马光
    role: 二(1)班家长
    gender: 男
    public: 否
sessions:
  - date: 2026-03-13
    class: 一(1)班
    person: 司马光
    title: 砸缸的故事
  - date: 2026-03-20
    class: 一(2)班
    person: "欧阳娜娜"
"""
LIBRARIANS = """\
name: 小管
kind: librarians
duties:
  - {class: 三(1)班, weekday: 周一, people: [诸葛明亮, 张三]}
"""
EVENTS = (
    MINIMAL_EVENTS
    + """\
  - title: 家长会
    date: 2026-03-03
    description: >-
      联系 +86 139 1234 5678 或 (0571)87654321，邮箱 lib@school.edu.cn，
      报名表上的身份证号 11010520150312345X 不要外传。小管张三同学负责签到。
"""
)
PAGE = """\
---
title: 联系我们
---
馆长电话 0571-8888 8888。

感谢诸葛明亮同学和王丽娟妈妈！
"""


def test_contacts_and_names_in_free_text_are_removed_and_reported(make_site, run_cli):
    site = make_site(
        {
            "events.yaml": EVENTS,
            "content/rosters/parents.yaml": ROSTER,
            "content/rosters/librarians.yaml": LIBRARIANS,
            "content/pages/contact.md": PAGE,
        }
    )
    code, out, err = run_cli(
        "build", "--site", site, "--out", site / "out", "--today", TODAY, "--public"
    )
    assert code == 0
    assert out.splitlines()[0] == (
        "隐私（公开版）：隐去 4 个全名（学生 2，其中 private_names 0；家长 2），"
        "1 位不公开的人不出现；删去 6 个联系方式（电话 4、邮箱 1、身份证号 1）；"
        "说明文字里有 4 处全名（W900）"
    )
    warnings = [line for line in err.splitlines() if "W900" in line]
    assert warnings == [
        "content/pages/contact.md:6:3: 警告 W900: 说明文字里有名单上的全名“诸葛明亮”",
        "content/pages/contact.md:6:10: 警告 W900: 说明文字里有名单上的全名“王丽娟”",
        "content/rosters/parents.yaml:3:13: 警告 W900: 说明文字里有名单上的全名“王丽娟”",
        "events.yaml:21:43: 警告 W900: 说明文字里有名单上的全名“张三”",
    ]
    files = texts(site / "out")
    every = "\n".join(files.values())
    for secret in (
        "王丽娟",
        "欧阳娜娜",
        "司马光",
        "诸葛明亮",
        "张三",
        "13800000001",
        "138-0000-0001",
        "139 1234 5678",
        "0571-8888 8888",
        "87654321",
        "lib@school.edu.cn",
        "11010520150312345X",
    ):
        assert secret not in every, secret
    roster = files["rosters/parents/index.html"]
    assert "本周由王妈妈讲故事，有事请打 （不公开）。" in roster
    assert (
        '<ul class="people"><li>王女士（一(1)班家长）</li><li>欧阳家长（一(2)班家长）</li></ul>'
        in (roster)
    )
    assert "<td>一(1)班</td><td>志愿者</td><td>砸缸的故事</td>" in roster
    assert "<td>诸葛同学、张同学</td>" in files["rosters/librarians/index.html"]
    assert "感谢诸葛同学和王妈妈！" in files["contact/index.html"]
    assert "小管张同学负责签到" in files["agenda/index.html"]


def test_a_roster_named_like_one_of_its_people_builds_public(make_site, run_cli):
    """A page's id is its file's name, not a text: a roster called after a person keeps its
    page and the calendar's links to it (a masked id once stopped the public build)."""
    roster = """\
name: 故事爸妈团
kind: story_parents
people:
  - {name: tom, role: 一(2)班家长}
sessions:
  - {date: 2026-03-20, class: 一(2)班, person: tom, title: 故事}
"""
    site = make_site(
        {
            "events.yaml": MINIMAL_EVENTS,
            "content/site.yaml": "school: 星光小学\n",
            "content/rosters/tom-stories.yaml": roster,
        }
    )
    code, out, err = run_cli(
        "build", "--site", site, "--out", site / "out", "--today", TODAY, "--public"
    )
    assert (code, err) == (0, "")
    assert out.splitlines()[0].startswith(
        "隐私（公开版）：隐去 1 个全名（学生 0，其中 private_names 0；家长 1）"
    )
    files = texts(site / "out")
    assert "rosters/tom-stories/index.html" in files
    march = files["calendar/2026-03/index.html"]
    assert 'href="../../rosters/tom-stories/index.html#s-20260320-1"' in march
    assert ">tom<" not in files["rosters/tom-stories/index.html"]


def test_a_named_tuple_with_a_name_in_it_is_masked_as_itself() -> None:
    from typing import NamedTuple

    from generator.transform.privacy import PrivacyReport, Who, _Masker

    class Pair(NamedTuple):
        left: str
        right: str

    masker = _Masker({"王小明": Who("王小明", "王同学", True, False)}, PrivacyReport())
    assert masker.walk(Pair("王小明的书法", "展")) == Pair("王同学的书法", "展")
    assert type(masker.walk(Pair("王小明", "x"))) is Pair


def test_public_yes_in_site_settings_is_the_public_build(make_site, run_cli):
    site = make_site(
        {
            "events.yaml": MINIMAL_EVENTS,
            "content/site.yaml": "public: 是\npublic_pupils: 班级\npublic_parents: 家长\n",
            "content/rosters/parents.yaml": ROSTER,
            "content/rosters/librarians.yaml": LIBRARIANS,
        }
    )
    code, out, _ = run_cli("build", "--site", site, "--out", site / "out", "--today", TODAY)
    assert code == 0
    assert out.startswith("隐私（公开版）：隐去 4 个全名")
    files = texts(site / "out")
    assert "<td>三(1)班同学、三(1)班同学</td>" in files["rosters/librarians/index.html"]
    assert (
        '<ul class="people"><li>家长（一(1)班家长）</li><li>家长（一(2)班家长）</li></ul>'
        in (files["rosters/parents/index.html"])
    )


def test_parents_by_class(make_site):
    site = make_site(
        {
            "events.yaml": MINIMAL_EVENTS,
            "content/site.yaml": "public_parents: class\n",
            "content/rosters/parents.yaml": ROSTER,
        }
    )
    loaded = load_site(site, date(2026, 4, 10))
    masked, _ = public_site(loaded)
    people = masked.content.of("roster")[0].roster.people
    assert [p.name for p in people] == ["一(1)班家长", "一(2)班家长"]
    assert [p.phone for p in people] == [None, None]
    # the input site is not changed
    assert [p.name for p in loaded.content.of("roster")[0].roster.people] == [
        "王丽娟",
        "欧阳娜娜",
        "司马光",
    ]


def test_a_wrong_setting_word_is_e900_at_its_value(make_site, run_cli):
    site = make_site(
        {"events.yaml": MINIMAL_EVENTS, "content/site.yaml": "school: 星光\npublic_pupils: 名字\n"}
    )
    code, _, err = run_cli("check", "--site", site)
    assert code == 1
    assert err.splitlines()[0] == ("content/site.yaml:2:16: 错误 E900: “名字”不是这一项可以写的值")
    assert "提示: 可以写：class、surname、姓、姓氏、班级。" in err


def test_the_default_build_does_not_mask(make_site, run_cli):
    site = make_site({"events.yaml": MINIMAL_EVENTS, "content/rosters/parents.yaml": ROSTER})
    code, out, _ = run_cli("build", "--site", site, "--out", site / "out", "--today", TODAY)
    assert code == 0
    assert not out.startswith("隐私")
    roster = texts(site / "out")["rosters/parents/index.html"]
    assert "本周由王丽娟妈妈讲故事，有事请打 138-0000-0001。" in roster


# --- surnames and generated names ---------------------------------------------------------

COMPOUND = ["欧阳", "司马", "诸葛", "上官", "东方", "皇甫", "尉迟", "公孙", "慕容", "令狐"]
SINGLE = list("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗")
GIVEN = "子轩欣妍浩然雨桐梓萱博文佳怡天宇诗琪俊杰思远可馨明哲语嫣"


@pytest.mark.parametrize(
    ("name", "family"),
    [
        ("王芳", "王"),
        ("张子轩", "张"),
        ("欧阳娜娜", "欧阳"),
        ("司马光", "司马"),
        ("诸葛亮", "诸葛"),
    ],
)
def test_surname(name, family):
    assert surname(name) == family


names = st.builds(
    lambda family, given: family + given,
    st.sampled_from(COMPOUND + SINGLE),
    st.text(GIVEN, min_size=1, max_size=2),
)


@pytest.mark.slow
@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(names, min_size=1, max_size=4, unique=True))
def test_generated_names_never_reach_the_public_site(make_site, people):
    # no name may contain another: each must be findable on its own
    assume(not any(a != b and a in b for a in people for b in people))
    duty = ", ".join(people)
    site = make_site(
        {
            "events.yaml": MINIMAL_EVENTS.replace(
                "category: routine", f"category: routine\n    description: 今天{people[0]}值日"
            ),
            "content/rosters/kids.yaml": (
                "name: 小管\nkind: librarians\n"
                f"summary: 表扬{people[-1]}同学。\n"
                f"duties:\n  - {{class: 三(1)班, weekday: 周一, people: [{duty}]}}\n"
            ),
        }
    )
    loaded = load_site(site, date(2026, 4, 10))
    masked, report = public_site(loaded)
    outputs = render_site(masked)
    every = "\n".join(b.decode("utf-8", "replace") for b in outputs.values())
    assert [p for p in people if p in every] == []
    family = [p[:2] if p[:2] in COMPOUND else p[0] for p in people]
    roster = outputs["rosters/kids/index.html"].decode("utf-8")
    assert f"<td>{'、'.join(f + '同学' for f in family)}</td>" in roster
    assert f"表扬{family[-1]}同学。" in roster
    assert report.pupils == len(people)
    assert [(str(w.position), w.params["name"]) for w in report.warnings] == [
        ("content/rosters/kids.yaml:3:12", people[-1]),
        ("events.yaml:17:20", people[0]),
    ]
