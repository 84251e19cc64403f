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


class BookList(Frozen):
    title: Text = Field(description="书单")
    books: list[Text] = Field(default_factory=list, description="书目")


class BookListKind(Kind):
    """A kind the generator does not have, written as a school's programmer would."""

    def load(self, loader: Loader) -> tuple[Doc[BookList], ...]:
        return tuple(Doc(hid, h, m.source.name) for hid, h, m in loader.files(self, BookList))

    def nav(self, site: Any) -> list[NavItem]:
        return [NavItem("书单", "booklists/index.html", "booklists")]

    def jobs(self, planner: Planner, views: tuple[Doc[BookList], ...]) -> list[Job]:
        return [
            Job(
                f"booklists/{h.id}/index.html",
                "booklist.html",
                {"doc": h},
                "booklists",
                frozenset((h.source,)),
            )
            for h in views
        ] + [Job("booklists/index.html", "booklists.html", {"booklists": views}, "booklists")]

    def search(self, doc: Doc[BookList], w: Words, memo: Memo) -> SearchEntry:
        url = f"booklists/{doc.id}/index.html"
        return SearchEntry("booklist", doc.model.title, url, keys=joined(*doc.model.books))


BOOKLISTS = BookListKind(
    name="booklist",
    folder="booklists",
    words={"zh": "书单", "en": "booklist"},
    model=BookList,
    search_labels={"booklist": "书单"},
    menu=32,  # between the displays and the news
)
BOOKLIST_PAGE = """{% extends "base.html" %}
{% block title %}{{ doc.model.title }}{% endblock %}
{% block main %}<h1>{{ doc.model.title }}</h1><p>{{ doc.model.books|join("、") }}</p>{% endblock %}
"""
BOOKLISTS_PAGE = """{% extends "base.html" %}
{% block title %}书单{% endblock %}
{% block main %}{% for h in booklists %}<a href="{{ url('booklists/' ~ h.id ~ '/index.html') }}">{{ h.model.title }}</a>{% endfor %}{% endblock %}
"""


def booklist_site(make_site: Any, booklist: str) -> Path:
    site = make_site(
        {
            "content/booklists/summer-list.yaml": booklist,
            "themes/mine/templates/booklist.html": BOOKLIST_PAGE,
            "themes/mine/templates/booklists.html": BOOKLISTS_PAGE,
        },
        sample=True,
    )
    settings = site / "content/site.yaml"
    text = settings.read_text("utf-8").replace("# theme: xingguang", "theme: mine")
    settings.write_text(text, encoding="utf-8")
    return site


def test_a_new_kind_is_one_record_and_its_templates(make_site: Any) -> None:
    site = booklist_site(make_site, "title: 暑假书单\nbooks: [三(1)班, 四(2)班]\n")
    built = assemble.load_site(site, TODAY, (*KINDS, BOOKLISTS))
    outputs = render_site(built)
    page = outputs["booklists/summer-list/index.html"].decode("utf-8")
    assert "<h1>暑假书单</h1><p>三(1)班、四(2)班</p>" in page
    index = outputs["booklists/index.html"].decode("utf-8")
    assert '<a href="summer-list/index.html">暑假书单</a>' in index
    # in the menu of every page, between the displays and the news
    home = outputs["index.html"].decode("utf-8")
    assert home.index(">主题展示</a>") < home.index(">书单</a>") < home.index(">新闻</a>")
    search = outputs[urls.search_index()].decode("utf-8")
    assert '"booklist":"书单"' in search
    assert (
        '["booklist","暑假书单","booklists/summer-list/index.html","","三(1)班 四(2)班",""]'
        in search
    )
    # the other kinds' pages are as they were, but for the menu
    plain = render_site(assemble.load_site(site, TODAY, KINDS))
    festival = "festivals/science-2026/index.html"
    assert main(outputs[festival]) == main(plain[festival])
    assert outputs.keys() - plain.keys() == {
        "booklists/index.html",
        "booklists/summer-list/index.html",
    }


def main(page: bytes) -> bytes:
    return page[page.index(b'<main id="main">') : page.index(b"</main>")]


def test_a_new_kind_s_files_are_checked_like_any_other(make_site: Any) -> None:
    site = booklist_site(make_site, "title: 暑假书单\nbook: [三(1)班]\n")
    with pytest.raises(BuildFailed) as failed:
        assemble.load_site(site, TODAY, (*KINDS, BOOKLISTS))
    found = [(p.code, str(p.position)) for p in failed.value.report.errors]
    assert found == [("E203", "content/booklists/summer-list.yaml:2:1")]


def test_the_kinds_in_the_order_the_site_lists_them() -> None:
    assert [k.name for k in KINDS] == [
        "page",
        "festival",
        "roster",
        "display",
        "news",
        "class",
        "stats",
        "honour",
        "project",
        "document",
    ]
    assert sorted((k.menu, k.name) for k in KINDS if k.menu is not None) == [
        (10, "festival"),
        (20, "roster"),
        (30, "display"),
        (35, "project"),
        (38, "honour"),
        (40, "news"),
        (45, "class"),
        (47, "stats"),
        (48, "document"),
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
        "honour": ("content/honours/*.yaml",),
        "project": ("content/projects/*.yaml",),
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


def test_the_classes_pick_their_items_as_belongs_does(make_site: Any) -> None:
    # `ClassKind.picked` looks at each item once; `Kind.picked` asks `belongs` of every
    # class and item: the same picks, in the same order, over every term's items
    site = assemble.load_site(make_site(sample=True), date(2026, 3, 10), KINDS)
    kind = next(k for k in KINDS if k.name == "class")
    views = site.content.of("class")
    every = []
    for term in site.terms:
        for items in (term.occurrences, term.month_items):
            picked = kind.picked(views, items)
            assert picked == Kind.picked(kind, views, items)
            every += picked
    assert any(every) and not all(every)  # items for some classes, not for every one
