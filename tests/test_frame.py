"""The shared frame (generator.render.frame): the header, menu, search box and footer are
made once for the pages that would get the same text, and never given to a page that
would get another (issue 21)."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from pathlib import Path

from conftest import tree
from test_themes import build, with_theme

from generator import pipeline
from generator.plan.feeds import feeds
from generator.plan.pages import plan
from generator.render.environment import make_environment, relative_url
from generator.render.frame import FRAME

TODAY = date(2026, 4, 10)
NAV = re.compile(r'<nav class="site-nav".*?</nav>', re.S)


def test_every_page_gets_its_own_menu_links_and_mark(make_site: Callable[..., Path]) -> None:
    """Each page's menu, read back: its links start from the page's folder and only the
    page itself is marked current, whichever page's text was shared with it."""
    site = make_site(sample=True)
    loaded = pipeline.load_site(site, TODAY)
    jobs = plan(loaded, feeds(loaded))
    pages = {p: d for p, d in build(site, "out").items() if isinstance(d, str)}
    nav = jobs[0].context["nav"]
    assert len(pages) == 119 and len(nav) > 5
    for job in jobs:
        menu = NAV.search(pages[job.path])
        assert menu is not None, job.path
        links = re.findall(r'<a href="([^"]+)"( aria-current="page")?', menu.group(0))
        assert [href for href, _ in links] == [relative_url(job.path, i.path) for i in nav]
        assert [bool(mark) for _, mark in links] == [i.path == job.path for i in nav], job.path


def test_the_frame_is_made_a_few_times_not_once_a_page(make_site: Callable[..., Path]) -> None:
    site = make_site(sample=True)
    loaded = pipeline.load_site(site, TODAY)
    jobs = plan(loaded, feeds(loaded))
    env = make_environment(loaded.theme_dirs, language=loaded.settings.language)
    for job in jobs:
        env.get_template(job.template).render(job.context)
    made = {name: env.get_template(name).root_render_func.count for name in FRAME}
    depths = {job.path.count("/") for job in jobs}
    # the footer once; the header once a depth (its link home), the search box too, and
    # once more for the search page (its link to itself is index.html); the menu once a
    # depth, folder beside a menu item's and marked item
    assert made["partials/footer.html"] == 1, made
    assert made["partials/header.html"] == len(depths), made
    assert made["partials/search_box.html"] == len(depths) + 1, made
    assert made["partials/nav.html"] < len(jobs) / 2, made


def test_a_school_partial_that_shows_the_page_s_own_values_is_never_shared(
    make_site: Callable[..., Path],
) -> None:
    """A footer reading `page_path` and the page's `title`, and one including another by a
    computed name: every page still gets its own (the same as made page by page)."""
    site = make_site(sample=True)
    with_theme(
        site,
        {
            "templates/partials/footer.html": (
                "<footer>{{ page_path }} · {{ url('index.html') }}"
                "{% include 'partials/' ~ 'extra.html' %}</footer>\n"
            ),
            "templates/partials/extra.html": " [{{ page_path }}]",
            "templates/partials/header.html": (
                "<p>{{ view.id if view is defined and view.id is defined else '' }}</p>\n"
            ),
        },
    )
    out = build(site, "themed")
    for path, data in out.items():
        if path.endswith(".html"):
            rel = relative_url(path, "index.html")
            assert f"<footer>{path} · {rel} [{path}]</footer>" in data, path
    shown = [re.search(r"<p>(.*?)</p>", d) for p, d in out.items() if p.endswith(".html")]
    ids = {m.group(1) for m in shown if m is not None}
    assert len(ids) > 20  # each class page, festival, roster… its own


def test_the_shared_frame_writes_the_same_bytes_as_a_page_by_page_render(
    make_site: Callable[..., Path],
) -> None:
    """Every page as Jinja renders it with nothing shared (the frame's sharing turned off
    by a theme partial of the same text that reads `page_path`)."""
    site = make_site(sample=True)
    shared = build(site, "shared")
    default = Path(pipeline.__file__).parent / "themes" / "default" / "templates" / "partials"
    partials = {}
    for name in FRAME:
        text = (default / name.removeprefix("partials/")).read_text("utf-8")
        partials[f"templates/{name}"] = "{% if page_path %}{% endif %}" + text
    with_theme(site, partials)
    assert build(site, "unshared") == shared
    assert tree(site.parent / "shared")
