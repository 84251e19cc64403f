"""The installable package: the default theme and the schemas are package data, and a wheel
installed into a fresh virtual environment builds a site anywhere with `library-site`."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from conftest import ROOT, copy_sample, tree

from generator import pipeline
from generator.assemble.site import default_theme_dirs
from generator.resources import default_theme, packaged, schema_folder

TODAY = date(2026, 3, 10)


def test_the_default_theme_and_the_schemas_are_found_inside_the_package():
    assert default_theme() == ROOT / "generator" / "themes" / "default"
    assert schema_folder() == ROOT / "generator" / "schemas"
    assert (default_theme() / "templates" / "base.html").is_file()
    assert (default_theme() / "locale" / "en" / "LC_MESSAGES" / "messages.po").is_file()
    assert packaged("schemas", "events.schema.json").is_file()


def test_the_top_level_themes_folder_holds_no_default_theme():
    """It is where a school's own theme goes; the checkout's sample has none."""
    assert sorted(p.name for p in (ROOT / "themes").iterdir()) == ["README.md"]


def test_a_site_s_own_default_folder_overrides_the_packaged_default_file_by_file(tmp_path):
    assert default_theme_dirs(tmp_path / "themes") == (default_theme(),)
    (tmp_path / "themes" / "default" / "static").mkdir(parents=True)
    assert default_theme_dirs(tmp_path / "themes") == (
        tmp_path / "themes" / "default",
        default_theme(),
    )


def test_a_site_s_default_custom_css_replaces_only_that_file(make_site):
    css = "/* 本校 */ body { background: #fffdf5; }\n"
    site = make_site({"themes/default/static/custom.css": css}, sample=True)
    out = site / "public"
    result = pipeline.build(site, out, TODAY)
    assert result.pages == 119
    assert (out / "static" / "custom.css").read_text("utf-8") == css
    assert (out / "static" / "style.css").read_bytes() == (
        default_theme() / "static" / "style.css"
    ).read_bytes()


# --- the wheel, installed into a fresh virtual environment ---------------------------------


def _scripts(venv: Path) -> Path:
    return venv / ("Scripts" if os.name == "nt" else "bin")


def _run(args: list[str | Path], cwd: Path, timeout: float = 600) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
    env["PYTHONIOENCODING"] = "utf-8"
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    return subprocess.run(
        [str(a) for a in args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=timeout,
    )


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The package built as a wheel from a copy of the checkout's files (so the build leaves
    nothing behind in the checkout), installed into a fresh venv with its dependencies."""
    work = tmp_path_factory.mktemp("wheel")
    source = work / "source"
    source.mkdir()
    shutil.copy2(ROOT / "pyproject.toml", source)
    shutil.copytree(
        ROOT / "generator",
        source / "generator",
        ignore=shutil.ignore_patterns("__pycache__", "*.pyc"),
    )
    dist = work / "dist"
    built = _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-w", dist, source], work)
    assert built.returncode == 0, built.stdout + built.stderr
    (wheel,) = dist.glob("library_site-*.whl")
    venv = work / "venv"
    made = _run([sys.executable, "-m", "venv", venv], work)
    assert made.returncode == 0, made.stderr
    python = _scripts(venv) / "python"
    done = _run([python, "-m", "pip", "install", "-q", wheel], work)
    assert done.returncode == 0, done.stdout + done.stderr
    return venv


@pytest.mark.slow
def test_the_installed_package_is_the_venv_s_own(installed, tmp_path):
    found = _run(
        [_scripts(installed) / "python", "-c", "import generator; print(generator.__file__)"],
        tmp_path,
    )
    assert found.returncode == 0, found.stderr
    path = Path(found.stdout.strip())
    assert installed in path.parents and ROOT not in path.parents


@pytest.mark.slow
def test_library_site_builds_a_copy_of_the_sample_elsewhere(installed, tmp_path):
    site = tmp_path / "elsewhere" / "星光小学网站"
    site.mkdir(parents=True)
    copy_sample(site)
    expected = pipeline.build(site, tmp_path / "in-process", TODAY)
    work = tmp_path / "work"
    work.mkdir()
    checked = _run(
        [_scripts(installed) / "library-site", "check", "--site", site, "--today", "2026-03-10"],
        work,
    )
    assert (checked.returncode, checked.stdout, checked.stderr) == (0, "检查通过（0 个警告）\n", "")
    built = _run(
        [_scripts(installed) / "library-site", "build", "--site", site, "--today", "2026-03-10"],
        work,
    )
    assert built.returncode == 0, built.stderr
    assert built.stderr == ""
    assert re.fullmatch(
        r"完成：119 个页面，写入 \d+ 个文件，0 个未变，删除 0 个；0 个警告；用时 [\d.]+ 秒 → .*\n",
        built.stdout,
    ), built.stdout
    assert expected.pages == 119
    # the same site, byte for byte, as the checkout's generator builds
    assert tree(site / "public") == tree(tmp_path / "in-process")


@pytest.mark.slow
def test_python_m_generator_and_the_schema_tool_run_from_the_wheel(installed, tmp_path):
    python = _scripts(installed) / "python"
    helped = _run([python, "-m", "generator", "--help"], tmp_path)
    assert helped.returncode == 0 and helped.stdout.startswith("usage: "), helped.stderr
    schemas = _run([python, "-m", "generator.tools.json_schema", tmp_path / "out"], tmp_path)
    assert schemas.returncode == 0, schemas.stderr
    assert tree(tmp_path / "out") == tree(schema_folder())


@pytest.mark.slow
def test_library_site_init_then_build_from_the_wheel(installed, tmp_path):
    site = tmp_path / "阳光小学网站"
    script = _scripts(installed) / "library-site"
    made = _run([script, "init", site, "--school", "阳光小学", "--library", "阳光书屋"], tmp_path)
    assert made.returncode == 0 and made.stderr == "", made.stderr
    assert tree(site / "schemas") == tree(schema_folder())
    built = _run([script, "build", "--site", site], tmp_path)
    assert built.returncode == 0 and built.stderr == "", built.stderr
    assert "个页面" in built.stdout and "；0 个警告；" in built.stdout, built.stdout


# --- the favicon --------------------------------------------------------------------------

ICON_LINK = re.compile(r'<link rel="icon" href="([^"]+)" type="image/svg\+xml">')


@pytest.fixture(scope="module")
def built_sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    site = tmp_path_factory.mktemp("favicon")
    copy_sample(site)
    pipeline.build(site, site / "public", TODAY)
    return site / "public"


def test_every_page_links_the_theme_s_icon_by_a_relative_url(built_sample):
    icon = built_sample / "static" / "favicon.svg"
    assert icon.read_bytes() == (default_theme() / "static" / "favicon.svg").read_bytes()
    text = icon.read_text("utf-8")
    assert text.startswith("<svg ") and "href" not in text  # nothing loaded from elsewhere
    pages = sorted(built_sample.rglob("*.html"))
    assert len(pages) == 119
    for page in pages:
        links = ICON_LINK.findall(page.read_text("utf-8"))
        assert len(links) == 1, page
        assert not links[0].startswith(("/", "http:", "https:")), links[0]
        assert (page.parent / links[0]).resolve() == icon.resolve(), page


@pytest.mark.browser
def test_the_icon_resolves_in_chromium_over_http_and_from_disk(built_sample, browser):
    import functools
    import threading
    from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            pass

    handler = functools.partial(Quiet, directory=str(built_sample))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    page = browser.new_page()
    try:
        failed: list[str] = []
        page.on("response", lambda r: r.status >= 400 and failed.append(f"{r.status} {r.url}"))
        for path in ("", "calendar/", "rosters/story-parents/"):
            page.goto(base + path)
            href = page.eval_on_selector('link[rel="icon"]', "l => l.href")
            assert href == base + "static/favicon.svg"
            status, kind, width = page.evaluate(
                """async (href) => {
                    const r = await fetch(href);
                    const img = new Image();
                    img.src = href;
                    await img.decode();
                    return [r.status, r.headers.get('content-type'), img.naturalWidth];
                }""",
                href,
            )
            assert (status, kind, width > 0) == (200, "image/svg+xml", True)
        assert failed == []
        # opened straight from the shared folder, as on a classroom computer
        page.goto((built_sample / "calendar" / "index.html").as_uri())
        href = page.eval_on_selector('link[rel="icon"]', "l => l.href")
        assert href == (built_sample / "static" / "favicon.svg").as_uri()
        width = page.evaluate(
            "async (h) => { const i = new Image(); i.src = h; await i.decode(); return i.naturalWidth; }",
            href,
        )
        assert width > 0
    finally:
        page.close()
        server.shutdown()
        server.server_close()
