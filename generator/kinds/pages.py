"""Pages and news: Markdown files with front matter, content/pages/*.md and content/news/*.md.

A page is a top-level folder of the site (its slug may not be one the URL scheme uses); the
menu of content/site.yaml names pages. News is listed newest first, ten to a page, with a
page per tag.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace
from functools import partial
from typing import Any

from generator.assemble.content import RESERVED, Loader, Markdown
from generator.kinds.base import Kind
from generator.memo import Memo
from generator.model.base import N_
from generator.model.page import NewsMeta, PageMeta
from generator.plan import urls
from generator.plan.pages import Job, NavItem, Planner
from generator.problems.problem import Position, Problem
from generator.read.text import FrontAndBody
from generator.read.words import Words
from generator.render.markdown import check_markdown
from generator.render.search_index import SearchEntry, page_entry

NEWS_PER_PAGE = 10


class PageKind(Kind):
    """A page of its own; the menu names some."""

    def load(self, loader: Loader) -> tuple[Markdown, ...]:
        return tuple(bounded(loader, loader.markdown(self, PageMeta, RESERVED)))

    def ids(self, views: tuple[Markdown, ...]) -> list[str]:
        return [p.slug for p in views]

    def nav(self, site: Any) -> list[NavItem]:
        """The pages content/site.yaml's `menu` names, in its order, by their own titles."""
        pages = {p.slug: p for p in site.content.of(self.name)}
        return [
            NavItem(pages[slug].meta.title, urls.page(slug), f"page-{slug}", False)
            for slug in site.settings.menu
            if slug in pages
        ]

    def jobs(self, planner: Planner, views: tuple[Markdown, ...]) -> list[Job]:
        return [
            Job(
                urls.page(p.slug), "page.html", {"doc": p}, f"page-{p.slug}", frozenset((p.source,))
            )
            for p in views
        ]

    def search(self, doc: Markdown, w: Words, memo: Memo) -> SearchEntry:
        return page_entry(doc, urls.page(doc.slug), "page", w, memo)


class NewsKind(Kind):
    """Newest first, ten to a list page, a page per tag."""

    def load(self, loader: Loader) -> tuple[Markdown, ...]:
        news = bounded(loader, loader.markdown(self, NewsMeta))
        news.sort(key=lambda n: (n.meta.date, n.slug), reverse=True)  # newest first
        return tuple(news)

    def ids(self, views: tuple[Markdown, ...]) -> list[str]:
        return [n.slug for n in views]

    def nav(self, site: Any) -> list[NavItem]:
        return [NavItem(N_("新闻"), urls.news(), "news")]

    def jobs(self, planner: Planner, news: tuple[Markdown, ...]) -> list[Job]:
        """The news list, ten articles a page, each article, and a page per tag."""
        pages = [news[i : i + NEWS_PER_PAGE] for i in range(0, max(len(news), 1), NEWS_PER_PAGE)]
        jobs = []
        for n, items in enumerate(pages, start=1):
            jobs.append(
                Job(
                    urls.news(n),
                    "news_list.html",
                    {
                        "items": items,
                        "number": n,
                        "count": len(pages),
                        "previous": urls.news(n - 1) if n > 1 else None,
                        "next": urls.news(n + 1) if n < len(pages) else None,
                    },
                    "news",
                    frozenset(item.source for item in items),
                    # which articles, in which order: an article dated anew moves to another page
                    (n, len(pages), tuple(item.source for item in items)),
                )
            )
        jobs += [
            Job(
                urls.news_item(item.slug),
                "news_item.html",
                {"doc": item},
                "news",
                frozenset((item.source,)),
            )
            for item in news
        ]
        tags: dict[str, list[Markdown]] = defaultdict(list)
        for item in news:
            for tag in item.meta.tags:
                tags[tag].append(item)
        jobs += [
            Job(
                urls.news_tag(tag),
                "news_tag.html",
                {"tag": tag, "items": items},
                "news",
                frozenset(item.source for item in items),
                (tag, tuple(item.source for item in items)),
            )
            for tag, items in sorted(tags.items())
        ]
        return jobs

    def search(self, doc: Markdown, w: Words, memo: Memo) -> SearchEntry:
        return page_entry(doc, urls.news_item(doc.slug), "news", w, memo)


def bounded(loader: Loader, docs: list[Markdown]) -> list[Markdown]:
    """The documents, each body checked against the Markdown limits (E706–E709) when it is
    loaded, so the problem has the file's line: rendering comes later, with no position, and
    a pathological body would stall the build (and the preview) there. A refused body is
    kept empty, so nothing renders it even where a build goes on to show the problems."""
    checked = []
    for doc in docs:
        # by the body's text: the preview checks again only the bodies that changed (the
        # same objects, their hashes kept), not every article of the site on each save
        limit = loader.memo.lookup("markdown-limit", doc.body, partial(check_markdown, doc.body))
        if limit is not None:
            source = loader.inputs.get(doc.source)
            # the body starts after the front matter's own lines and its two `---` lines
            first = source.front.count("\n") + 3 if isinstance(source, FrontAndBody) else 1
            body_lines = doc.body.split("\n")
            loader.problems.append(
                Problem(
                    limit.code,
                    Position(doc.source, first + limit.line - 1, 1),
                    limit.params,
                    source_line=body_lines[limit.line - 1][:200],
                )
            )
            doc = replace(doc, body="")
        checked.append(doc)
    return checked


PAGES = PageKind(
    name="page",
    folder="pages",
    suffix=".md",
    words={"zh": "页面", "en": "page"},
    model=PageMeta,
    search_labels={"page": N_("页面")},
    menu=50,
    jobs_from_views=True,
)
NEWS = NewsKind(
    name="news",
    folder="news",
    suffix=".md",
    words={"zh": "新闻", "en": "news"},
    model=NewsMeta,
    search_labels={"news": N_("新闻")},
    menu=40,
    jobs_from_views=True,
)
