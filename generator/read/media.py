"""A display's pictures checked by what they are, not by their names: bytes → the bytes to
publish, or why not.

Whatever is under media/ is served from the site's own origin: an `.html` file, or an SVG
with a script, opened there runs as the site. So a picture is accepted only when its first
bytes say PNG, JPEG, GIF or WebP and its name ends like a picture, or when it is an SVG
(parsed with defusedxml: no entity expansion, no external entities) that is cleaned of
everything that runs or fetches: scripts, `on…` handlers, `<foreignObject>`, links and
`url(…)` to anything but `#fragment`. The cleaned bytes are what is published.

Pure functions: the caller reads the file (at most `MAX_IMAGE_BYTES`) and reports.
"""

from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException

MAX_IMAGE_BYTES = 10 * 1024 * 1024  # a poster photo is 1–5 MB; more is a mistake
MAX_SVG_DEPTH = 100  # drawing programs nest a few levels; serialising recurses per level
RASTER_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif", ".webp")

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
XML_NS = "http://www.w3.org/XML/1998/namespace"
XHTML_NS = "http://www.w3.org/1999/xhtml"

# elements that run code or embed another document: removed with everything inside
_REMOVED = frozenset(
    {"script", "foreignobject", "iframe", "embed", "object", "handler", "listener"}
)
_ANIMATIONS = frozenset({"animate", "set", "animatemotion", "animatetransform", "discard"})
_LINKS = frozenset({"href", "src", "action", "formaction", "base"})
_URL = re.compile(r"url\s*\(\s*['\"]?\s*([^'\")\s]*)", re.IGNORECASE)
# CSS that fetches without url(…), or hides a word behind an escape
_CSS_FETCH = re.compile(r"@import|image-set|\\|image\s*\(|src\s*\(", re.IGNORECASE)
# after the XML declaration: a processing instruction or a DOCTYPE/ENTITY/ATTLIST/CDATA
_MARKUP = re.compile(rb"<\?|<!(?!--)")
_DECLARATION = re.compile(rb"\A(?:\xef\xbb\xbf)?\s*<\?xml[^>]*\?>")
_ENCODING = re.compile(rb"encoding\s*=\s*[\"']([^\"']*)")


def _words(zh: str, en: str) -> dict[str, str]:
    return {"zh": zh, "en": en}


@dataclass(frozen=True)
class Accepted:
    kind: str  # "png", "jpeg", "gif", "webp" or "svg"
    data: bytes  # what to publish: the file's bytes, or the cleaned SVG
    removed: tuple[str, ...] = ()  # what was taken out of an SVG, e.g. "<script>", "onload"


@dataclass(frozen=True)
class Refused:
    code: str  # E412 not a picture, E413 too big, E414 an SVG that cannot be read safely
    params: dict[str, Any] = field(default_factory=dict)


def raster_kind(data: bytes) -> str | None:
    """The picture format its first bytes name (its "magic number"), if one the site shows."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if data[:6] in (b"GIF87a", b"GIF89a"):
        return "gif"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    return None


def check_image(src: str, data: bytes) -> Accepted | Refused:
    """`data`, the file named `src`: a picture to publish, or the problem with it."""
    if len(data) > MAX_IMAGE_BYTES:
        return too_big(len(data))
    suffix = PurePosixPath(src).suffix.lower()
    kind = raster_kind(data)
    if kind is not None:
        if suffix in RASTER_SUFFIXES:
            return Accepted(kind, data)
        # a PNG named .html is still opened as a page
        return Refused(
            "E412",
            {
                "detail": _words(
                    f"内容是 {kind.upper()} 图片，但文件名以“{suffix}”结尾",
                    f"it is a {kind.upper()} picture but its name ends in '{suffix}'",
                )
            },
        )
    if suffix == ".svg":
        return clean_svg(data)
    return Refused("E412", {"detail": _not_picture(data, suffix)})


def too_big(size: int) -> Refused:
    mb = f"{math.ceil(size * 10 / 1024 / 1024) / 10:.1f}"  # up: a byte over is "10.1"
    limit = f"{MAX_IMAGE_BYTES // 1024 // 1024}"
    return Refused("E413", {"size": mb, "limit": limit})


def _not_picture(data: bytes, suffix: str) -> dict[str, str]:
    head = data[:512].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith((b"<!doctype html", b"<html")) or b"<script" in head:
        return _words("内容是网页（HTML），不是图片", "it is a web page (HTML), not a picture")
    if suffix in RASTER_SUFFIXES:
        return _words(
            f"文件名以“{suffix}”结尾，但内容不是这种图片（可能只是改了文件名）",
            f"its name ends in '{suffix}' but it is not such a picture (perhaps only renamed)",
        )
    return _words(
        f"“{suffix or '（没有扩展名）'}”不是网站能显示的图片",
        f"'{suffix or '(no extension)'}' is not a picture the site can show",
    )


def clean_svg(data: bytes) -> Accepted | Refused:
    """An SVG without anything that runs or fetches, or why it cannot be read safely.

    When nothing had to go, the file's own bytes are published (a DOCTYPE or processing
    instruction, which the parsed tree does not show, also sends it through the cleaner)."""
    try:
        root = SafeET.fromstring(data)
    except DefusedXmlException:
        return Refused("E414", {"detail": _words("定义了实体（ENTITY）", "it declares entities")})
    except (LookupError, ValueError):
        # an encoding the declaration names that Python does not know (LookupError) or
        # expat cannot read (ValueError: GBK and other multi-byte encodings)
        return Refused(
            "E414",
            {
                "detail": _words(
                    "声明的编码无法读取（请存成 UTF-8）",
                    "its declared encoding cannot be read (save it as UTF-8)",
                )
            },
        )
    except ET.ParseError as exc:
        line, col = exc.position
        return Refused(
            "E414",
            {
                "detail": _words(
                    f"第 {line} 行第 {col + 1} 列不是正确的 XML",
                    f"it is not well-formed XML at line {line}, column {col + 1}",
                )
            },
        )
    namespace, _, name = (
        root.tag[1:].rpartition("}") if root.tag.startswith("{") else ("", "", root.tag)
    )
    if name != "svg" or namespace not in (SVG_NS, ""):
        return Refused(
            "E414", {"detail": _words("最外层不是 <svg>", "its outer element is not <svg>")}
        )
    removed: list[str] = []
    changed = _clean(root, namespace, removed)
    if isinstance(changed, Refused):
        return changed
    if b"<?xml-stylesheet" in data:
        removed.append("<?xml-stylesheet?>")
    if not changed and not removed and _as_it_is(data):
        return Accepted("svg", data)
    # the cleaned tree (no DOCTYPE, processing instructions or comments), every element in
    # the one namespace left, written as the default one: ElementTree's `default_namespace`
    # refuses unprefixed attributes, and `ns0:rect` would puzzle whoever opens the file
    for element in root.iter():
        element.tag = _local(element.tag)[1]
    if namespace:
        root.attrib = {"xmlns": namespace, **root.attrib}
    text = ET.tostring(root, encoding="utf-8", xml_declaration=False)
    return Accepted("svg", text, tuple(dict.fromkeys(removed)))


def _as_it_is(data: bytes) -> bool:
    """Whether the file's own bytes may be published for its parsed tree: UTF-8 (so the byte
    search below sees every `<`; a UTF-16 or single-byte-codec file is written anew), and
    nothing after the declaration that the tree does not show."""
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    declaration = _DECLARATION.match(data)
    if declaration is not None:
        encoding = _ENCODING.search(declaration.group())
        if encoding is not None and encoding.group(1).lower() not in (b"utf-8", b"utf8"):
            return False
    return not _MARKUP.search(data[declaration.end() if declaration else 0 :])


def _local(name: str) -> tuple[str, str]:
    """(namespace, local name) of an ElementTree tag or attribute name."""
    if name.startswith("{"):
        namespace, _, local = name[1:].partition("}")
        return namespace, local
    return "", name


def _clean(root: ET.Element, namespace: str, removed: list[str]) -> bool | Refused:
    """Removes what runs or fetches from `root`'s tree, naming it in `removed`; whether the
    tree changed at all. Iterative: a deep file must not exhaust Python's stack."""
    changed = False
    stack = [(root, 1)]
    while stack:
        element, depth = stack.pop()
        if depth > MAX_SVG_DEPTH:
            return Refused(
                "E414",
                {
                    "detail": _words(
                        f"嵌套超过 {MAX_SVG_DEPTH} 层",
                        f"it nests deeper than {MAX_SVG_DEPTH} levels",
                    )
                },
            )
        changed |= _clean_attributes(element, removed)
        kept: ET.Element | None = None  # the last child kept: a removed one's tail goes to it
        for child in list(element):
            ns, local = _local(child.tag)
            why = _unwanted(child, ns, local, namespace)
            if why is None:
                stack.append((child, depth + 1))
                kept = child
                continue
            if child.tail:  # the text after it stays: <text>a<script/>b</text> keeps "b"
                if kept is not None:
                    kept.tail = (kept.tail or "") + child.tail
                else:
                    element.text = (element.text or "") + child.tail
            element.remove(child)
            changed = True
            if why:
                removed.append(why)
    return changed


def _unwanted(element: ET.Element, ns: str, local: str, namespace: str) -> str | None:
    """Why `element` goes ("" when it goes unnamed: an editor's own inert markup), or None."""
    if ns == XHTML_NS:
        return f"<html:{local}>"  # XHTML inside an SVG runs as a page's
    if ns != namespace:
        return ""  # Inkscape's, Illustrator's, RDF metadata: never drawn
    low = local.lower()
    if low in _REMOVED:
        return f"<{local}>"
    if low in _ANIMATIONS:
        target = element.get("attributeName", "").rpartition(":")[2].strip().lower()
        if target in _LINKS or target.startswith("on") or target == "style":
            return f"<{local} attributeName={target}>"
    if low == "style" and not _safe_css(element.text or ""):
        return "<style>"
    return None


def _clean_attributes(element: ET.Element, removed: list[str]) -> bool:
    changed = False
    for name, value in list(element.attrib.items()):
        ns, local = _local(name)
        low = local.lower()
        why: str | None = None
        if low.startswith("on"):
            why = low
        elif low in _LINKS:
            if not value.strip().startswith("#"):
                why = f'{low}="{value.strip()[:40]}"'
            elif ns == XLINK_NS and "href" not in element.attrib:
                # SVG 2 reads a plain href: the cleaned file needs no xlink namespace
                del element.attrib[name]
                element.set("href", value)
                changed = True
                continue
        elif ns not in ("", XML_NS):
            why = ""  # an editor's attribute
        elif (low == "style" and not _safe_css(value)) or not _local_urls(value):
            why = f"{low}={value.strip()[:40]}"
        if why is not None:
            del element.attrib[name]
            changed = True
            if why:
                removed.append(why)
    return changed


def _local_urls(value: str) -> bool:
    """Every url(…) in `value` points into the file itself (`url(#gradient)`)."""
    return all(target.startswith("#") for target in _URL.findall(value))


def _safe_css(css: str) -> bool:
    return _local_urls(css) and not _CSS_FETCH.search(css)
