"""农历, 节气 and the traditional festivals under each day number (issue 19, item 2)."""

from __future__ import annotations

import json
import re
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from lunar_python import Solar

from generator.render.lunar import lunar_day
from tests.test_year import TERM

SETTINGS = "school: 星光小学\nlibrary: 星光小学图书馆\n"


@pytest.mark.parametrize(
    ("day", "full", "label"),
    [
        (date(2026, 2, 16), "农历腊月廿九", "除夕"),  # 腊月 has 29 days in 2026
        (date(2026, 2, 17), "农历正月初一", "春节"),
        (date(2026, 3, 3), "农历正月十五", "元宵"),
        (date(2026, 3, 5), "农历正月十七", "惊蛰"),
        (date(2026, 4, 5), "农历二月十八", "清明"),
        (date(2026, 4, 17), "农历三月初一", "三月"),  # a lunar month's first day names it
        (date(2026, 4, 18), "农历三月初二", "初二"),
        (date(2026, 6, 19), "农历五月初五", "端午"),
        (date(2026, 8, 19), "农历七月初七", "七夕"),
        (date(2026, 9, 25), "农历八月十五", "中秋"),
        (date(2026, 10, 18), "农历九月初九", "重阳"),
        (date(2026, 12, 22), "农历冬月十四", "冬至"),  # a 节气 lunar-python names in pinyin
        (date(2027, 1, 15), "农历腊月初八", "腊八"),
        (date(2025, 7, 25), "农历闰六月初一", "闰六月"),  # 2025 has a leap sixth month
    ],
)
def test_known_dates(day: date, full: str, label: str) -> None:
    assert (lunar_day(day).full, lunar_day(day).label) == (full, label)


def test_the_tables_agree_with_lunar_python_day_by_day() -> None:
    """The year tables (for speed) against the library's own conversion, 2024–2028."""
    wrong = []
    for n in range(365 * 5 + 1):
        day = date(2024, 1, 1) + timedelta(n)
        lunar = Solar.fromYmd(day.year, day.month, day.day).getLunar()
        ours = lunar_day(day)
        theirs = (abs(lunar.getMonth()), lunar.getMonth() < 0, lunar.getDay(), lunar.getJieQi())
        if (ours.month, ours.leap, ours.day, ours.solar_term) != theirs:
            wrong.append((day, ours, theirs))
    assert wrong == []


def _cell(html: str, day: int) -> str:
    """The day number line of a month grid's cell."""
    found = re.search(rf'<p class="daynum"><span class="num">{day}</span>(.*?)</p>', html)
    assert found, day
    return found.group(1)


def test_the_month_page_shows_them_and_site_yaml_turns_them_off(
    make_site: Any, run_cli: Any
) -> None:
    root: Path = make_site({"events.yaml": TERM + "events: []\n", "content/site.yaml": SETTINGS})
    assert run_cli("--site", root, "--today", "2026-03-10", "build")[0] == 0
    april = (root / "public/calendar/2026-04/index.html").read_text(encoding="utf-8")
    assert _cell(april, 5) == ' <span class="lunar festival" title="农历二月十八">清明</span>'
    assert _cell(april, 20) == ' <span class="lunar solar-term" title="农历三月初四">谷雨</span>'
    assert _cell(april, 21) == ' <span class="lunar" title="农历三月初五">初五</span>'

    (root / "content/site.yaml").write_text(SETTINGS + "lunar: 否\n", encoding="utf-8")
    assert run_cli("--site", root, "--today", "2026-03-10", "build")[0] == 0
    april = (root / "public/calendar/2026-04/index.html").read_text(encoding="utf-8")
    assert _cell(april, 5) == ""
    assert 'class="lunar' not in april


def _year_of_days(year: int, folder: Path | None) -> list[tuple[str, str]]:
    days = (date(year, 1, 1) + timedelta(n) for n in range(366))
    return [(d.full, d.label) for d in (lunar_day(day, folder) for day in days)]


_IN_A_NEW_PROCESS = """
import json, sys
from pathlib import Path
from generator.render.lunar import lunar_day
from datetime import date, timedelta
days = (date(2026, 1, 1) + timedelta(n) for n in range(366))
shown = [(d.full, d.label) for d in (lunar_day(day, Path(sys.argv[1])) for day in days)]
print(json.dumps({"imported": "lunar_python" in sys.modules, "days": shown}))
"""


def test_a_years_tables_are_kept_and_a_later_process_reads_them(tmp_path: Path) -> None:
    import subprocess
    import sys

    computed = _year_of_days(2026, None)
    assert _year_of_days(2026, tmp_path) == computed
    assert sorted(p.name for p in tmp_path.iterdir()) == ["2026.json", "2027.json"]
    kept = json.loads((tmp_path / "2026.json").read_text(encoding="utf-8"))
    assert kept["terms"]["2026-04-05"] == "清明"
    assert kept["terms"]["2026-12-22"] == "冬至"  # named in pinyin by lunar-python

    args = [sys.executable, "-c", _IN_A_NEW_PROCESS, str(tmp_path)]
    ran = subprocess.run(args, capture_output=True, check=True, cwd=Path(__file__).parent.parent)
    later = json.loads(ran.stdout)
    assert later["imported"] is False  # read back: lunar-python is not even imported
    assert [tuple(d) for d in later["days"]] == computed


def _other_tables(change: Any) -> str:
    """2025's tables, changed by `change` (their JSON) and saved again."""
    from generator.render import lunar

    data = json.loads(lunar._computed(2025).saved())
    change(data)
    return json.dumps(data)


def _later_start(data: dict[str, Any]) -> None:
    first = data["firsts"].index("2025-01-29")  # the first month begins after 1 January
    del data["firsts"][: first + 1], data["months"][: first + 1]


def _gap(data: dict[str, Any]) -> None:
    data["months"][5][2] = 29 if data["months"][5][2] == 30 else 30  # a month's length wrong


@pytest.mark.parametrize(
    "damage",
    [
        "",
        "{",
        '{"firsts": [], "months": [], "terms": {}}',
        '{"firsts": [1]}',
        "[]",
        '{"firsts": ["2024-12-01"], "months": [[1, false, 1e999]], "terms": {}}',
        "another year",
        _other_tables(lambda data: data.update(terms=[])),
        _other_tables(lambda data: data["terms"].pop("2025-04-04")),  # 23 节气
        _other_tables(_later_start),
        _other_tables(_gap),
        _other_tables(lambda data: data["months"][0].__setitem__(0, 13)),
        _other_tables(lambda data: data["terms"].update({"2026-01-05": "小寒"})),
    ],
)
def test_a_damaged_table_is_made_again(tmp_path: Path, damage: str) -> None:
    from generator.render import lunar

    if damage == "another year":  # well formed, but 2031's
        damage = lunar._computed(2031).saved()
    (tmp_path / "2025.json").write_text(damage, encoding="utf-8")
    assert _year_of_days(2025, tmp_path) == _year_of_days(2025, None)
    made = lunar._Year.read((tmp_path / "2025.json").read_text(encoding="utf-8"), 2025)
    assert made == lunar._computed(2025)  # written again, whole
    assert (date(2025, 7, 25), (6, True, 29)) in zip(made.firsts, made.months, strict=True)


def test_a_build_keeps_the_tables_in_the_users_cache_folder(
    make_site: Any, run_cli: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from generator import cache

    user = tmp_path / "user"
    monkeypatch.setenv(cache.USER_CACHE_ENV, str(user))
    root: Path = make_site({"events.yaml": TERM + "events: []\n", "content/site.yaml": SETTINGS})
    assert run_cli("--site", root, "--today", "2026-03-10", "build")[0] == 0
    (folder,) = user.glob("lunar-*")
    assert sorted(p.name for p in folder.iterdir()) == ["2026.json"]
    assert not list(root.glob(".cache/lunar*"))  # the user's, not the site's: any site


def test_a_cache_folder_that_cannot_be_made_only_costs_the_computing(tmp_path: Path) -> None:
    not_a_folder = tmp_path / "a-file"
    not_a_folder.write_text("", encoding="utf-8")
    assert _year_of_days(2024, not_a_folder / "lunar") == _year_of_days(2024, None)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a-file"]


def test_another_lunar_pythons_tables_are_removed_once_unused_for_a_week(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import os
    import time

    from generator import cache
    from tests.test_performance import other_versions

    user = tmp_path / "user"
    in_use, week_ago = other_versions(user, "lunar")
    monkeypatch.setenv(cache.USER_CACHE_ENV, str(user))
    ours = cache.BuildCache(tmp_path / "site").kept_for("lunar")
    assert ours is not None and ours.parent == user and ours.name.startswith("lunar-")
    assert sorted(p.name for p in user.iterdir()) == [in_use.name]  # ours made when used
    assert cache.BuildCache(None).kept_for("lunar") is None  # a build without a cache
    # ours, written to last a week ago but used since: another installation keeps it
    ours.mkdir()
    os.utime(ours, (week_ago, week_ago))
    assert cache.lunar_tables() == ours
    assert time.time() - ours.stat().st_mtime < 60
    monkeypatch.setenv(cache.USER_CACHE_ENV, str(tmp_path / "user"))  # as another one does
    os.utime(in_use, (week_ago, week_ago))
    assert cache.lunar_tables() == ours and ours.is_dir() and not in_use.exists()


def test_the_tables_are_kept_by_the_lunar_python_installed() -> None:
    from importlib.metadata import version

    from generator.cache import installed

    assert (
        installed("lunar_python", "lunar_python")
        == f"lunar_python-{version('lunar_python')}.dist-info"
    )
    assert installed("docx", "python_docx") == f"python_docx-{version('python-docx')}.dist-info"
    assert installed("no_such_module", "no_such") is None
    # a module of one file: its metadata beside it, not a folder up
    assert installed("typing_extensions", "typing_extensions") == (
        f"typing_extensions-{version('typing_extensions')}.dist-info"
    )


def test_a_table_being_written_when_the_build_is_stopped_leaves_no_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import os

    from generator.render import lunar

    def stopped(src: Any, dst: Any) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", stopped)
    with pytest.raises(KeyboardInterrupt):
        lunar._year(2027, tmp_path)
    assert list(tmp_path.iterdir()) == []  # its scratch file removed on the way out
