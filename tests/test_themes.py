"""A school's theme: a partial, a page template's block or custom.css overrides the default,
and everything else falls back to it (README, "Themes")."""

from __future__ import annotations

import posixpath
from collections.abc import Callable
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

from conftest import ROOT, tree
from quality import run_vnu

from generator import pipeline

TODAY = date(2026, 4, 10)
PAGES = 119  # the sample's
DEFAULT_FOOTER = (
    '<footer class="site-footer">\n'
    "  <p>杭州市滨江区星光小学 星光小学图书馆 · 本页生成于 2026年4月10日</p>\n"
    "</footer>\n"
)
# The README's example, as a school writes it, and as every page then shows it.
SCHOOL_FOOTER = """\
<footer class="site-footer">
  <p>{{ settings.school }} 图书馆 · 开放时间：周一至周五 7:50–16:30</p>
</footer>
"""
SCHOOL_FOOTER_SHOWN = (
    '<footer class="site-footer">\n'
    "  <p>杭州市滨江区星光小学 图书馆 · 开放时间：周一至周五 7:50–16:30</p>\n"
    "</footer>\n"
)
SCHOOL_CSS = ".site-header { background: #7a1f2b; }\n"
DEFAULT_CSS = ROOT / "generator" / "themes" / "default" / "static" / "custom.css"


def build(site: Path, name: str) -> dict[str, str | bytes]:
    """Build the site into a folder of its own: output path → text (pages) or bytes."""
    out = site.parent / name
    result = pipeline.build(site, out, TODAY, workers=1, use_cache=False)
    assert (result.pages, result.warnings) == (PAGES, ())
    return {
        path: data.decode("utf-8") if path.endswith(".html") else data
        for path, data in tree(out).items()
    }


def with_theme(site: Path, files: dict[str, str]) -> None:
    """Choose the theme `starlight` in content/site.yaml and write its files."""
    settings = site / "content" / "site.yaml"
    text = settings.read_text("utf-8")
    assert text.count("# theme: xingguang\n") == 1
    settings.write_text(text.replace("# theme: xingguang\n", "theme: starlight\n"), "utf-8")
    for name, content in files.items():
        path = site / "themes" / "starlight" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content, "utf-8")


def pages(built: dict[str, str | bytes]) -> dict[str, str]:
    return {path: data for path, data in built.items() if isinstance(data, str)}


class _Stylesheets(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []
        self.in_head = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "head":
            self.in_head = True
        elif tag == "link" and values.get("rel") == "stylesheet":
            assert self.in_head, "a style sheet outside <head>"
            self.hrefs.append(values["href"] or "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "head":
            self.in_head = False


def stylesheets(html: str) -> list[str]:
    """The `<link rel="stylesheet">` hrefs of a page, in order (all in <head>)."""
    parser = _Stylesheets()
    parser.feed(html)
    parser.close()
    return parser.hrefs


def expected_stylesheets(page: str) -> list[str]:
    here = posixpath.dirname(page) or "."
    return [posixpath.relpath(f"static/{name}", here) for name in ("style.css", "custom.css")]


def test_a_school_footer_partial_changes_every_page_s_footer_and_nothing_else(
    make_site: Callable[..., Path],
) -> None:
    site = make_site(sample=True)
    plain = build(site, "plain")
    with_theme(site, {"templates/partials/footer.html": SCHOOL_FOOTER})
    themed = build(site, "themed")

    assert sorted(themed) == sorted(plain)
    assert len(pages(plain)) == PAGES
    for path, data in plain.items():
        if isinstance(data, bytes):
            assert themed[path] == data, path
        else:  # every line the same but the footer's
            assert data.count(DEFAULT_FOOTER) == 1, path
            assert themed[path] == data.replace(DEFAULT_FOOTER, SCHOOL_FOOTER_SHOWN), path


def test_a_school_page_template_overrides_one_block_of_base_html(
    make_site: Callable[..., Path],
) -> None:
    # The child-template route: the school's 404.html extends the default base.html and
    # replaces its footer block only; header, menu and search box stay the default's.
    site = make_site(sample=True)
    plain = build(site, "plain")
    default_404 = (ROOT / "generator" / "themes" / "default" / "templates" / "404.html").read_text(
        "utf-8"
    )
    assert default_404.count("{% block main %}") == 1
    own = default_404.replace(
        "{% block main %}",
        '{% block footer %}<footer class="site-footer"><p>{{ _("找不到页面") }}</p></footer>\n'
        "{% endblock %}\n{% block main %}",
    )
    with_theme(site, {"templates/404.html": own})
    themed = build(site, "themed")

    assert themed["404.html"] == plain["404.html"].replace(
        DEFAULT_FOOTER, '<footer class="site-footer"><p>找不到页面</p></footer>\n'
    )
    assert {p: d for p, d in themed.items() if p != "404.html"} == {
        p: d for p, d in plain.items() if p != "404.html"
    }


def test_a_school_custom_css_is_copied_and_linked_after_style_css_on_every_page(
    make_site: Callable[..., Path],
) -> None:
    site = make_site(sample=True)
    plain = build(site, "plain")
    with_theme(site, {"static/custom.css": SCHOOL_CSS})
    themed = build(site, "themed")

    assert themed["static/custom.css"] == SCHOOL_CSS.encode()
    assert themed["static/style.css"] == plain["static/style.css"]
    for path, html in pages(themed).items():
        assert stylesheets(html) == expected_stylesheets(path), path
    # the same pages as without the theme: the link was there already
    assert {p: d for p, d in themed.items() if p != "static/custom.css"} == {
        p: d for p, d in plain.items() if p != "static/custom.css"
    }


def test_the_default_custom_css_is_empty_and_linked_after_style_css_on_every_page(
    make_site: Callable[..., Path],
) -> None:
    built = build(make_site(sample=True), "public")
    assert built["static/custom.css"] == DEFAULT_CSS.read_bytes()
    css = DEFAULT_CSS.read_text("utf-8")
    assert css.startswith("/* custom.css：") and css.endswith("*/\n")
    assert css.count("*/") == 1  # one comment and no rules
    assert len(pages(built)) == PAGES
    for path, html in pages(built).items():
        assert stylesheets(html) == expected_stylesheets(path), path
    assert stylesheets(built["calendar/2026-04/index.html"]) == [
        "../../static/style.css",
        "../../static/custom.css",
    ]


def test_a_themed_build_passes_the_nu_html_checker(make_site: Callable[..., Path]) -> None:
    site = make_site(sample=True)
    with_theme(
        site,
        {"templates/partials/footer.html": SCHOOL_FOOTER, "static/custom.css": SCHOOL_CSS},
    )
    build(site, "themed")
    checked, errors = run_vnu(site.parent / "themed")
    assert checked == PAGES + 4  # the two style sheets, the sample display's SVG, the favicon
    assert errors == []


def test_the_readme_s_footer_example_is_the_one_tested() -> None:
    readme = (ROOT / "README.md").read_text("utf-8")
    assert f"```html\n{SCHOOL_FOOTER}```\n" in readme
