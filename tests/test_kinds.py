"""The registry of content kinds: every stage asks the kinds, so a new kind is one record."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from conftest import tree
from pydantic import Field

from generator.assemble import site as assemble
from generator.assemble.content import Doc, Loader
from generator.kinds import KINDS, Kind
from generator.memo import Memo
from generator.model.base import Frozen
from generator.model.values import Text
from generator.pipeline import render_site
from generator.plan import urls
from generator.plan.pages import Job, NavItem, Planner
from generator.problems.problem import BuildFailed
from generator.read.words import Words
from generator.render.search_index import SearchEntry, joined
from generator.tools.json_schema import FILE_TYPES

TODAY = date(2026, 3, 10)


class Honour(Frozen):
    title: Text = Field(description="荣誉")
    winners: list[Text] = Field(default_factory=list, description="获奖者")


class HonourKind(Kind):
    """A kind the generator does not have, written as a school's programmer would."""

    def load(self, loader: Loader) -> tuple[Doc[Honour], ...]:
        return tuple(Doc(hid, h, m.source.name) for hid, h, m in loader.files(self, Honour))

    def nav(self, site: Any) -> list[NavItem]:
        return [NavItem("荣誉", "honours/index.html", "honours")]

    def jobs(self, planner: Planner, views: tuple[Doc[Honour], ...]) -> list[Job]:
        return [
            Job(
                f"honours/{h.id}/index.html",
                "honour.html",
                {"doc": h},
                "honours",
                frozenset((h.source,)),
            )
            for h in views
        ] + [Job("honours/index.html", "honours.html", {"honours": views}, "honours")]

    def search(self, doc: Doc[Honour], w: Words, memo: Memo) -> SearchEntry:
        url = f"honours/{doc.id}/index.html"
        return SearchEntry("honour", doc.model.title, url, keys=joined(*doc.model.winners))


HONOURS = HonourKind(
    name="honour",
    folder="honours",
    words={"zh": "荣誉", "en": "honour"},
    model=Honour,
    search_labels={"honour": "荣誉"},
    menu=35,  # between the displays and the news
)
HONOUR_PAGE = """{% extends "base.html" %}
{% block title %}{{ doc.model.title }}{% endblock %}
{% block main %}<h1>{{ doc.model.title }}</h1><p>{{ doc.model.winners|join("、") }}</p>{% endblock %}
"""
HONOURS_PAGE = """{% extends "base.html" %}
{% block title %}荣誉{% endblock %}
{% block main %}{% for h in honours %}<a href="{{ url('honours/' ~ h.id ~ '/index.html') }}">{{ h.model.title }}</a>{% endfor %}{% endblock %}
"""


def honour_site(make_site: Any, honour: str) -> Path:
    site = make_site(
        {
            "content/honours/reading-stars.yaml": honour,
            "themes/mine/templates/honour.html": HONOUR_PAGE,
            "themes/mine/templates/honours.html": HONOURS_PAGE,
        },
        sample=True,
    )
    settings = site / "content/site.yaml"
    text = settings.read_text("utf-8").replace("# theme: xingguang", "theme: mine")
    settings.write_text(text, encoding="utf-8")
    return site


def test_a_new_kind_is_one_record_and_its_templates(make_site: Any) -> None:
    site = honour_site(make_site, "title: 阅读之星\nwinners: [三(1)班, 四(2)班]\n")
    built = assemble.load_site(site, TODAY, (*KINDS, HONOURS))
    outputs = render_site(built)
    page = outputs["honours/reading-stars/index.html"].decode("utf-8")
    assert "<h1>阅读之星</h1><p>三(1)班、四(2)班</p>" in page
    index = outputs["honours/index.html"].decode("utf-8")
    assert '<a href="reading-stars/index.html">阅读之星</a>' in index
    # in the menu of every page, between the displays and the news
    home = outputs["index.html"].decode("utf-8")
    assert home.index(">主题展示</a>") < home.index(">荣誉</a>") < home.index(">新闻</a>")
    search = outputs[urls.search_index()].decode("utf-8")
    assert '"honour":"荣誉"' in search
    assert (
        '["honour","阅读之星","honours/reading-stars/index.html","","三(1)班 四(2)班",""]' in search
    )
    # the other kinds' pages are as they were, but for the menu
    plain = render_site(assemble.load_site(site, TODAY, KINDS))
    festival = "festivals/science-2026/index.html"
    assert main(outputs[festival]) == main(plain[festival])
    assert outputs.keys() - plain.keys() == {
        "honours/index.html",
        "honours/reading-stars/index.html",
    }


def main(page: bytes) -> bytes:
    return page[page.index(b'<main id="main">') : page.index(b"</main>")]


def test_a_new_kind_s_files_are_checked_like_any_other(make_site: Any) -> None:
    site = honour_site(make_site, "title: 阅读之星\nwinner: [三(1)班]\n")
    with pytest.raises(BuildFailed) as failed:
        assemble.load_site(site, TODAY, (*KINDS, HONOURS))
    found = [(p.code, str(p.position)) for p in failed.value.report.errors]
    assert found == [("E203", "content/honours/reading-stars.yaml:2:1")]


def test_the_kinds_in_the_order_the_site_lists_them() -> None:
    assert [k.name for k in KINDS] == [
        "page",
        "festival",
        "roster",
        "display",
        "news",
        "class",
        "stats",
    ]
    assert sorted((k.menu, k.name) for k in KINDS if k.menu is not None) == [
        (10, "festival"),
        (20, "roster"),
        (30, "display"),
        (40, "news"),
        (45, "class"),
        (47, "stats"),
        (50, "page"),
    ]


def test_the_schemas_are_made_for_the_kinds_whose_files_are_yaml() -> None:
    assert {name: t.globs for name, t in FILE_TYPES.items()} == {
        "events": ("events.yaml", "content/terms/*.yaml"),
        "site": ("content/site.yaml",),
        "festival": ("content/festivals/*.yaml",),
        "roster": ("content/rosters/*.yaml",),
        "display": ("content/displays/*.yaml",),
        "stats": ("content/stats/*.yaml",),
    }


def test_a_build_with_the_kinds_equals_the_command_line_build(
    make_site: Any, tmp_path: Path
) -> None:
    from generator.pipeline import build

    site = make_site(sample=True)
    build(site, tmp_path / "out", TODAY)
    built = render_site(assemble.load_site(site, TODAY, KINDS))
    on_disk = tree(tmp_path / "out")
    assert {p: on_disk[p] for p in built} == built
