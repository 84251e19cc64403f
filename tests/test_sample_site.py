"""The whole sample site: it builds cleanly, every link resolves, nothing shows twice."""

from __future__ import annotations

import posixpath
import re
from pathlib import Path

import pytest

HREF = re.compile(r'(?:href|src)="([^"]+)"')
ID = re.compile(r'\bid="([^"]+)"')


@pytest.fixture(scope="module")
def public(tmp_path_factory) -> Path:
    from conftest import copy_sample

    from generator.cli import main

    site = tmp_path_factory.mktemp("sample")
    copy_sample(site)
    assert main(["build", "--site", str(site), "--today", "2026-04-10"]) == 0
    return site / "public"


def test_sample_builds_every_content_page(public):
    pages = {p.relative_to(public).as_posix() for p in public.rglob("index.html")}
    assert {
        "festivals/index.html",
        "festivals/science-2026/index.html",
        "rosters/index.html",
        "rosters/story-parents/index.html",
        "rosters/librarians/index.html",
        "displays/index.html",
        "displays/science-future/index.html",
        "displays/careers/index.html",
        "news/index.html",
        "news/2026-04-01-festival-opening/index.html",
        "news/2026-03-20-reading-award/index.html",
        "rules/index.html",
        "hours/index.html",
        "library-card/index.html",
        "duties/index.html",
    } <= pages
    assert (public / "404.html").is_file()
    assert (public / "media" / "displays" / "science-future.svg").is_file()


def test_every_relative_link_and_anchor_resolves(public):
    ids: dict[str, set[str]] = {}
    broken = []
    for page in sorted(public.rglob("*.html")):
        name = page.relative_to(public).as_posix()
        for link in HREF.findall(page.read_text("utf-8")):
            if link.startswith(("mailto:", "tel:")):
                continue
            assert "://" not in link, (name, link)
            path, _, anchor = link.partition("#")
            target = (
                posixpath.normpath(posixpath.join(posixpath.dirname(name), path)) if path else name
            )
            file = public / target
            if not file.is_file():
                broken.append((name, link))
                continue
            if anchor:
                if target not in ids:
                    ids[target] = set(ID.findall(file.read_text("utf-8")))
                if anchor not in ids[target]:
                    broken.append((name, link))
    assert broken == []


def test_festival_stages_show_once_and_link_both_ways(public):
    april = (public / "calendar" / "2026-04" / "index.html").read_text("utf-8")
    assert april.count("科技读书节启动仪式</a>") == 1
    assert april.count("科技读书节启动仪式") == 1
    link = '<a href="../../festivals/science-2026/index.html#stage-1">科技读书节启动仪式</a>'
    assert link in april
    festival = (public / "festivals" / "science-2026" / "index.html").read_text("utf-8")
    assert festival.count('class="to-calendar"') == 8
    assert re.search(
        r'href="../../calendar/2026-04/index.html#e20260401-[0-9a-f]{6}">在月历中查看', festival
    )
    assert "与大队部策划读书节" in festival  # an events.yaml item naming the festival


def test_story_parent_roster_in_the_calendar(public):
    roster = (public / "rosters" / "story-parents" / "index.html").read_text("utf-8")
    assert roster.count('<tr id="s-') == 13  # 14 Fridays, 5/1 closed
    assert roster.count("在月历中查看") == 13
    assert "神奇校车：水的故事" in roster
    assert "13800000001" not in roster
    may = (public / "calendar" / "2026-05" / "index.html").read_text("utf-8")
    assert may.count("rosters/story-parents/index.html#s-2026") == 4


def test_current_display_on_the_home_page(public):
    home = (public / "index.html").read_text("utf-8")
    assert '<a href="displays/science-future/index.html">科技创造未来</a>' in home
    assert "有趣的职业介绍</a>" not in home
