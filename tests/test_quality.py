"""Quality gates on the built sample site: valid HTML, accessible, no broken links,
nothing from another host, works from disk in any folder, reproducible, incremental.

The sample is built once per session and shared; every gate walks the whole output
folder, so page types added later are covered without touching this file.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname

import pytest
from axe_playwright_python.base import AXE_FILE_PATH
from conftest import copy_sample, tree
from quality import (
    Document,
    check_links,
    css_refs,
    external_references,
    output_files,
    representatives,
    run_vnu,
    scan,
)

from generator.cli import main
from generator.pipeline import load_site
from generator.plan.pages import plan

TODAY = "2026-04-10"
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BASE_TEMPLATES = {
    "index.html",
    "calendar.html",
    "month.html",
    "agenda.html",
    "terms.html",
    "404.html",
}
# A folder a teacher might really copy the site into: deep, with a space and CJK.
DEEP_FOLDER = ("a", "b", "c", "d", "学校 图书馆", "site")


@dataclass(frozen=True, repr=False)  # the scan is too long for failure messages
class Built:
    site: Path  # the sample's source folder (a copy)
    out: Path
    template_of: dict[str, str]  # output path → the template the plan rendered it with
    docs: dict[str, Document]


def build(site: Path, out: Path) -> None:
    assert main(["build", "--site", str(site), "--out", str(out), "--today", TODAY]) == 0


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    site = tmp_path_factory.mktemp("sample")
    copy_sample(site)
    out = tmp_path_factory.mktemp("built") / "public"
    build(site, out)
    jobs = plan(load_site(site, date.fromisoformat(TODAY)))
    return Built(site, out, {j.path: j.template for j in jobs}, scan(out))


@pytest.fixture(scope="session")
def deep_copy(built: Built, tmp_path_factory: pytest.TempPathFactory) -> Path:
    dest = tmp_path_factory.mktemp("tmp").joinpath(*DEEP_FOLDER)
    shutil.copytree(built.out, dest)
    return dest


# 1. HTML validity ----------------------------------------------------------------------


@pytest.mark.slow
def test_every_page_and_stylesheet_passes_the_nu_html_checker(built):
    checked, errors = run_vnu(built.out)
    assert checked == len(output_files(built.out, ".html", ".css", ".svg"))
    assert checked >= 19  # the sample's 18 pages and style.css, at least
    assert errors == []


@pytest.mark.slow
def test_the_nu_checker_reports_file_line_and_message(tmp_path):
    (tmp_path / "月份").mkdir()
    (tmp_path / "月份" / "index.html").write_text(
        '<!DOCTYPE html>\n<html lang="zh-CN">\n<head><title>t</title></head>\n'
        '<body>\n<p><div>x</div></p>\n<img src="a.png">\n</body>\n</html>\n',
        encoding="utf-8",
    )
    (tmp_path / "style.css").write_text("p {\n  color: red  blue;\n}\n", encoding="utf-8")
    assert run_vnu(tmp_path) == (
        2,
        [
            "style.css:2:15: error: CSS: “color”: Too many values or values are not recognized.",
            "月份/index.html:5:16: error: No “p” element in scope but a “p” end tag seen.",
            "月份/index.html:6:1: error: An “img” element must have an “alt” attribute, "
            "except under certain conditions. For details, consult guidance on providing text "
            "alternatives for images.",
        ],
    )


# 2. Accessibility ----------------------------------------------------------------------


def test_every_template_has_a_representative_page(built):
    chosen = representatives(output_files(built.out, ".html"), built.template_of)
    assert set(chosen) >= BASE_TEMPLATES
    assert chosen["month.html"] == "calendar/2026-02/index.html"
    assert chosen["index.html"] == "index.html"


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.parametrize("media", ["screen", "print"])
def test_no_axe_violations_at_wcag21_aa(built, browser, media):
    chosen = representatives(output_files(built.out, ".html"), built.template_of)
    axe_js = AXE_FILE_PATH.read_text(encoding="utf-8")
    context = browser.new_context()
    page = context.new_page()
    found = []
    for path in chosen.values():
        page.goto((built.out / path).as_uri())
        page.emulate_media(media=media)
        page.evaluate(axe_js)
        result = page.evaluate(
            "opts => axe.run(document, opts)",
            {"runOnly": {"type": "tag", "values": WCAG_AA}, "resultTypes": ["violations"]},
        )
        found += [
            f"{path} [{media}] {v['id']} ({v['impact']}): {v['help']} at "
            + ", ".join(str(n["target"]) for n in v["nodes"])
            for v in result["violations"]
        ]
    context.close()
    assert found == []


# 3. Links ------------------------------------------------------------------------------


def test_every_internal_link_asset_and_anchor_resolves(built):
    report = check_links(built.out, built.docs)
    assert report.broken == []
    assert report.files_checked >= 219  # the sample's count
    assert report.anchors_checked >= 18


def test_the_link_checker_finds_missing_files_folders_and_ids(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "index.html").write_text(
        '<p id="here">x</p>\n'
        '<a href="#here">ok</a><a href="#gone">missing id</a>\n'
        '<a href="../sub/">folder</a><a href="../nope.html">missing</a>\n'
        '<img src="a%20b.png" alt=""><a href="../../outside.html">outside</a>\n'
        '<a href="index.html#here">ok</a><a href="mailto:x@y.cn">mail</a>\n',
        encoding="utf-8",
    )
    (tmp_path / "sub" / "a b.png").write_bytes(b"png")
    (tmp_path / "style.css").write_text(
        "/* url(ignored.png)\n */ body { background: url('sub/a%20b.png'); }\n"
        '@import "gone.css";\n',
        encoding="utf-8",
    )
    report = check_links(tmp_path, scan(tmp_path))
    assert report.broken == [
        "style.css:3: @import='gone.css': no such file (gone.css)",
        "sub/index.html:2: <a href>='#gone': no id 'gone' in sub/index.html",
        "sub/index.html:3: <a href>='../sub/': a folder (sub)",
        "sub/index.html:3: <a href>='../nope.html': no such file (nope.html)",
        "sub/index.html:4: <a href>='../../outside.html': no such file (../outside.html)",
    ]
    assert (report.files_checked, report.anchors_checked) == (9, 3)


# 4. Offline and relocatable ------------------------------------------------------------


def test_nothing_loads_from_another_host_and_outside_links_are_listed(built):
    external = external_references(built.docs)
    assert [str(r) for r in external.loads] == []
    assert [str(r) for r in external.links] == []  # the sample's Markdown links no other site


def test_teacher_links_are_allowed_but_remote_images_are_not(make_site, run_cli):
    events = (
        (Path(__file__).parent.parent / "events.yaml")
        .read_text("utf-8")
        .replace(
            "      检查书架、借还系统和扫码枪，",
            "      [书单](https://example.org/books) ![封面](http://img.example.org/c.png)\n"
            "      检查书架、借还系统和扫码枪，",
            1,
        )
    )
    site = make_site({"events.yaml": events}, sample=True)
    assert run_cli("build", "--site", site, "--today", TODAY)[0] == 0
    external = external_references(scan(site / "public"))
    assert sorted({r.value for r in external.links}) == ["https://example.org/books"]
    assert sorted({r.value for r in external.loads}) == ["http://img.example.org/c.png"]
    assert {r.what for r in external.loads} == {"<img src>"}


def test_css_references_from_other_hosts_are_loads():
    refs = css_refs(
        "x.css",
        '@import "//cdn.example.org/a.css";\n'
        "@font-face { src: url(https://fonts.example.org/f.woff2); }\n",
    )
    external = external_references({"x.css": Document(refs=refs)})
    assert [str(r) for r in external.loads] == [
        "x.css:1: @import='//cdn.example.org/a.css'",
        "x.css:2: url()='https://fonts.example.org/f.woff2'",
    ]


def _open_offline(browser, start: Path):
    """A page that refuses every request not to a local file, and records it."""
    context = browser.new_context()
    page = context.new_page()
    refused: list[str] = []

    def guard(route):
        if route.request.url.startswith("file://"):
            route.continue_()
        else:
            refused.append(route.request.url)
            route.abort()

    page.route("**/*", guard)
    page.on("requestfailed", lambda request: refused.append(request.url))
    page.goto(start.as_uri())
    return context, page, refused


@pytest.fixture(params=["built", "deep"])
def site_on_disk(request, built, deep_copy) -> Path:
    return built.out if request.param == "built" else deep_copy


@pytest.mark.browser
def test_home_page_from_disk_clicks_through_to_a_month(browser, site_on_disk):
    context, page, refused = _open_offline(browser, site_on_disk / "index.html")
    header = page.locator(".site-header")
    assert header.evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(18, 63, 102)"
    page.get_by_role("navigation", name="主菜单").get_by_role("link", name="月历").click()
    page.wait_for_load_state()
    assert page.url == (site_on_disk / "calendar" / "2026-04" / "index.html").as_uri()
    assert page.locator("h1").inner_text().startswith("2026年4月")
    assert header.evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(18, 63, 102)"
    context.close()
    assert refused == []


def _click_through_to(browser, root: Path, folder: str) -> None:
    """From the home page, or else from a page the main menu links to, click the first
    link into `folder`/ and check the page it opens."""
    if not (root / folder).is_dir():
        pytest.skip(f"this build has no {folder}/ folder: nothing to click through to")
    context, page, refused = _open_offline(browser, root / "index.html")
    selector = f'main a[href*="{folder}/"]'
    menu = [a.get_attribute("href") for a in page.locator(".site-nav a").all()]
    for href in [None, *menu]:
        if href is not None:
            page.goto((root / "index.html").as_uri())
            page.locator(f'.site-nav a[href="{href}"]').click()
            page.wait_for_load_state()
        if page.locator(selector).count():
            break
    else:
        pytest.fail(f"no link into {folder}/ on the home page or any main-menu page")
    page.locator(selector).first.click()
    page.wait_for_load_state()
    assert page.url.startswith((root / folder).as_uri() + "/")
    assert Path(url2pathname(urlsplit(page.url).path)).is_file()
    assert page.locator("h1").count() == 1
    context.close()
    assert refused == []


@pytest.mark.browser
def test_home_page_from_disk_clicks_through_to_a_festival(browser, site_on_disk):
    _click_through_to(browser, site_on_disk, "festivals")


@pytest.mark.browser
def test_home_page_from_disk_clicks_through_to_a_roster(browser, site_on_disk):
    _click_through_to(browser, site_on_disk, "rosters")


# 5. Reproducible, 6. incremental -------------------------------------------------------


def test_same_inputs_in_another_folder_give_byte_identical_trees(built, tmp_path):
    site = tmp_path / "other place" / "样例"
    site.mkdir(parents=True)
    copy_sample(site)
    build(site, tmp_path / "again")
    assert tree(tmp_path / "again") == tree(built.out)


def test_second_build_writes_nothing(make_site, run_cli):
    site = make_site(sample=True)
    assert run_cli("build", "--site", site, "--today", TODAY)[0] == 0
    public = site / "public"

    def stats() -> dict[str, tuple[int, int]]:
        return {
            p.relative_to(site).as_posix(): (os.stat(p).st_mtime_ns, os.stat(p).st_ino)
            for p in [public, *public.rglob("*")]
        }

    before = stats()
    code, out, err = run_cli("build", "--site", site, "--today", TODAY)
    assert (code, err) == (0, "")
    assert "，写入 0 个文件，" in out
    assert "，删除 0 个；" in out
    assert stats() == before
