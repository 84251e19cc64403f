"""Safe media and plain-text feeds: a display's pictures are published only when their
content is a picture (an SVG only cleaned), and a feed's DESCRIPTION carries no markup."""

from __future__ import annotations

import os
import struct
import time
import zlib
from pathlib import Path

import pytest
from conftest import MINIMAL_EVENTS
from hypothesis import given, settings
from hypothesis import strategies as st
from icalendar import Calendar

from generator.kinds.display import _checked
from generator.read import media

SETTINGS = "school: 测试小学\nclasses: [一(1)班]\n"
DISPLAY = """\
title: 科技创造未来
from: 2026-04-01
to: 2026-04-30
images:
  - src: displays/{name}
    alt: 海报
"""
WHERE = "content/displays/science.yaml:5:10"


def png() -> bytes:
    """A real 1×1 white PNG: signature, IHDR, IDAT (zlib), IEND, each chunk with its CRC."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)  # 1×1, 8-bit RGB
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00\xff\xff\xff"))
        + chunk(b"IEND", b"")
    )


# A 1×1 GIF (the classic transparent pixel), a 1×1 lossless WebP, and a JPEG's start of
# image, JFIF header and end of image: real files' first bytes, made here, not fixtures.
GIF = (
    b"GIF89a\x01\x00\x01\x00\x80\x00\x00\xff\xff\xff\x00\x00\x00!\xf9\x04\x01\x00\x00\x00"
    b"\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;"
)
_VP8L = b"\x2f\x00\x00\x00\x10\x07\x10\x11\x11\x88\x88\xfe\x07\x00"
WEBP = (
    b"RIFF"
    + struct.pack("<I", 4 + 8 + len(_VP8L))
    + b"WEBPVP8L"
    + struct.pack("<I", len(_VP8L))
    + _VP8L
)
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"
HTML = b"<!DOCTYPE html>\n<html><body><script>alert(document.cookie)</script></body></html>\n"


def site_with(make_site, name: str, data: bytes) -> Path:
    return make_site(
        {
            "events.yaml": MINIMAL_EVENTS,
            "content/site.yaml": SETTINGS,
            "content/displays/science.yaml": DISPLAY.format(name=name),
            f"content/displays/{name}": data,
        }
    )


def build(run_cli, root: Path) -> tuple[int, list[str]]:
    """Exit code and the first line of each problem (or warning) printed, in English."""
    code, out, err = run_cli("build", "--site", root, "--today", "2026-04-10", "--lang", "en")
    text = out + err
    return code, [line for line in text.splitlines() if ": error " in line or ": warning " in line]


# --- accepted by content --------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "data", "kind"),
    [
        ("poster.png", png(), "png"),
        ("poster.jpg", JPEG, "jpeg"),
        ("poster.jpeg", JPEG, "jpeg"),
        ("poster.gif", GIF, "gif"),
        ("poster.webp", WEBP, "webp"),
        ("poster.PNG", png(), "png"),  # the suffix in any case
        ("poster.png", JPEG, "jpeg"),  # a picture under another picture's name: still one
    ],
    ids=["png", "jpg", "jpeg", "gif", "webp", "PNG", "jpeg-as-png"],
)
def test_each_picture_type_is_recognised_by_its_first_bytes(name, data, kind):
    assert media.check_image(f"displays/{name}", data) == media.Accepted(kind, data)


@pytest.mark.parametrize(
    ("name", "data"),
    [("poster.png", png()), ("poster.jpg", JPEG), ("poster.gif", GIF), ("poster.webp", WEBP)],
    ids=["png", "jpeg", "gif", "webp"],
)
def test_an_accepted_picture_is_published_byte_for_byte(make_site, run_cli, name, data):
    root = site_with(make_site, name, data)
    assert build(run_cli, root) == (0, [])
    assert (root / "public" / "media" / "displays" / name).read_bytes() == data


# --- refused -----------------------------------------------------------------------------


def test_a_web_page_renamed_png_is_refused_at_its_src_and_nothing_is_written(make_site, run_cli):
    root = site_with(make_site, "poster.png", HTML)
    assert build(run_cli, root) == (
        1,
        [
            f"{WHERE}: error E412: 'displays/poster.png' is not a picture the site can "
            "publish: it is a web page (HTML), not a picture"
        ],
    )
    assert not (root / "public").exists()


@pytest.mark.parametrize(
    ("name", "data", "detail"),
    [
        (
            "poster.png",
            b"just some text",
            "its name ends in '.png' but it is not such a picture (perhaps only renamed)",
        ),
        ("poster.html", png(), "it is a PNG picture but its name ends in '.html'"),
        ("poster.svg", GIF, "it is a GIF picture but its name ends in '.svg'"),
        ("poster.js", b"alert(1)", "'.js' is not a picture the site can show"),
        ("poster", b"\x00\x01", "'(no extension)' is not a picture the site can show"),
    ],
    ids=["text-as-png", "png-as-html", "gif-as-svg", "js", "no-extension"],
)
def test_anything_but_a_picture_under_a_picture_name_is_refused(
    make_site, run_cli, name, data, detail
):
    root = site_with(make_site, name, data)
    code, lines = build(run_cli, root)
    assert (code, lines) == (
        1,
        [f"{WHERE}: error E412: 'displays/{name}' is not a picture the site can publish: {detail}"],
    )


def test_a_picture_of_ten_megabytes_is_published_and_one_byte_more_refused(make_site, run_cli):
    limit = media.MAX_IMAGE_BYTES
    assert limit == 10 * 1024 * 1024
    exactly = png() + b"\x00" * (limit - len(png()))  # trailing bytes after IEND: still a PNG
    root = site_with(make_site, "poster.png", exactly)
    assert build(run_cli, root) == (0, [])
    assert (root / "public" / "media" / "displays" / "poster.png").stat().st_size == limit
    (root / "content" / "displays" / "poster.png").write_bytes(exactly + b"\x00")
    assert build(run_cli, root) == (
        1,
        [
            f"{WHERE}: error E413: the picture 'displays/poster.png' is too big: 10.1 MB (at most 10 MB)"
        ],
    )
    assert media.check_image("a.png", exactly + b"\x00") == media.Refused(
        "E413", {"size": "10.1", "limit": "10"}
    )


# --- SVG ---------------------------------------------------------------------------------

HOSTILE_SVG = b"""<?xml version="1.0"?>
<?xml-stylesheet href="http://evil.example/a.css"?>
<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" \
xmlns:inkscape="http://www.inkscape.org/namespaces/inkscape" \
xmlns:h="http://www.w3.org/1999/xhtml" width="10" height="10" onload="alert(1)" \
inkscape:version="1.0">
<script>alert(2)</script>
<defs><linearGradient id="g"><stop offset="0" stop-color="red"/></linearGradient></defs>
<rect width="10" height="10" fill="url(#g)" ONCLICK="alert(3)" \
style="fill:url(http://evil.example/x.svg)"/>
<a href="javascript:alert(4)"><text>hi<script>alert(7)</script> there</text></a>
<use xlink:href="#g"/>
<image xlink:href="http://evil.example/track.png"/>
<image href="data:image/svg+xml;base64,PHN2Zy8+"/>
<foreignObject><h:p>x</h:p></foreignObject>
<h:script>alert(5)</h:script>
<set attributeName="xlink:href" to="javascript:alert(6)"/>
<style>@import url(http://evil.example/a.css);</style>
<style>rect { fill: url(#g) }</style>
<style>rect { background: u\\72l(http://evil.example/) }</style>
</svg>"""
CLEANED_SVG = b"""<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">

<defs><linearGradient id="g"><stop offset="0" stop-color="red" /></linearGradient></defs>
<rect width="10" height="10" fill="url(#g)" />
<a><text>hi there</text></a>
<use href="#g" />
<image />
<image />




<style>rect { fill: url(#g) }</style>

</svg>"""


def test_a_hostile_svg_is_published_cleaned_with_a_warning_naming_what_went(make_site, run_cli):
    root = site_with(make_site, "poster.svg", HOSTILE_SVG)
    code, lines = build(run_cli, root)
    assert code == 0
    assert lines == [
        f"{WHERE}: warning W415: the SVG picture 'displays/poster.svg' had parts that run or "
        "load from elsewhere; removed: onload, <script>, <foreignObject>, <html:script>, "
        '<set attributeName=href>, <style>, href="data:image/svg+xml;base64,PHN2Zy8+", '
        'href="http://evil.example/track.png", href="javascript:alert(4)", onclick, '
        "style=fill:url(http://evil.example/x.svg), <?xml-stylesheet?>"
    ]
    published = (root / "public" / "media" / "displays" / "poster.svg").read_bytes()
    assert published == CLEANED_SVG
    for bad in (b"script", b"alert", b"on", b"evil", b"foreignObject", b"javascript", b"data:"):
        assert bad not in published.replace(b"linearGradient", b"").replace(b"xmlns", b"")


def test_a_clean_svg_is_published_as_it_is():
    svg = (
        b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 2 2"><!-- logo -->'
        b'<circle r="1" fill="url(#g)"/></svg>'
    )
    assert media.check_image("a.svg", svg) == media.Accepted("svg", svg)


@pytest.mark.parametrize(
    ("svg", "detail"),
    [
        (
            b'<!DOCTYPE svg [<!ENTITY a "aaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>'
            b'<svg xmlns="http://www.w3.org/2000/svg">&b;</svg>',
            "it declares entities",
        ),
        (
            b'<!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
            b'<svg xmlns="http://www.w3.org/2000/svg">&x;</svg>',
            "it declares entities",
        ),
        (
            b'<svg xmlns="http://www.w3.org/2000/svg">\n<rect></svg>',
            "it is not well-formed XML at line 2, column 9",
        ),
        (b"<html><script>alert(1)</script></html>", "its outer element is not <svg>"),
        (
            b'<svg xmlns="http://www.w3.org/2000/svg">' + b"<g>" * 150 + b"</g>" * 150 + b"</svg>",
            "it nests deeper than 100 levels",
        ),
    ],
    ids=["entity-expansion", "external-entity", "not-xml", "not-svg", "too-deep"],
)
def test_an_svg_that_cannot_be_read_safely_is_refused(make_site, run_cli, svg, detail):
    root = site_with(make_site, "poster.svg", svg)
    assert build(run_cli, root) == (
        1,
        [
            f"{WHERE}: error E414: the SVG picture 'displays/poster.svg' cannot be read safely: {detail}"
        ],
    )


def test_the_published_svg_is_the_checked_bytes_not_the_file_read_again(make_site):
    from datetime import date

    from generator.pipeline import feeds_and_images, load_site
    from generator.plan.feeds import feeds

    root = site_with(make_site, "poster.svg", b'<svg xmlns="http://www.w3.org/2000/svg"/>')
    site = load_site(root, date(2026, 4, 10))
    # swapped after the check: what is published is what was checked
    (root / "content" / "displays" / "poster.svg").write_bytes(HOSTILE_SVG)
    outputs = feeds_and_images(site, feeds(site))
    assert outputs["media/displays/poster.svg"] == b'<svg xmlns="http://www.w3.org/2000/svg"/>'


# --- feeds -------------------------------------------------------------------------------

EVENTS_WITH_MARKUP = (
    MINIMAL_EVENTS
    + """\
  - title: 故事会
    date: 2026-03-04
    category: story
    owner: 王老师
    description: |
      <script>alert(1)</script>讲**《神奇校车》**，<img src=x onerror="alert(2)">欢迎参加。

      地点 [图书馆](https://example.org/) <b onclick="alert(3)">二楼</b>
"""
)


def test_a_feed_description_is_plain_text_without_markup(make_site, run_cli):
    root = make_site({"events.yaml": EVENTS_WITH_MARKUP, "content/site.yaml": SETTINGS})
    assert build(run_cli, root) == (0, [])
    raw = (root / "public" / "calendar.ics").read_bytes()
    for bad in (b"<", b">", b"script", b"onerror", b"onclick", b"alert", b"**", b"](", b"https"):
        assert bad not in raw
    cal = Calendar.from_ical(raw)
    story = next(e for e in cal.walk("VEVENT") if str(e["SUMMARY"]) == "故事会")
    assert (
        str(story["DESCRIPTION"]) == "讲《神奇校车》， 欢迎参加。 地点 图书馆 二楼\n负责人：王老师"
    )


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs are POSIX")
def test_a_fifo_in_a_pictures_place_is_refused_without_waiting(tmp_path):
    """`is_file()` keeps FIFOs out; one swapped in after it must not hang the read."""
    fifo = tmp_path / "poster.png"
    os.mkfifo(fifo)
    started = time.perf_counter()
    assert _checked(fifo, "displays/poster.png") == media.Refused(
        "E412", {"detail": {"zh": "不是普通文件", "en": "it is not a regular file"}}
    )
    assert time.perf_counter() - started < 0.5


def test_an_svg_not_in_utf8_is_written_anew_in_utf8_and_one_unreadable_refused():
    """The byte search for processing instructions sees only UTF-8: a UTF-16 file's
    `<?xml-stylesheet?>` is dropped by writing the parsed tree."""
    utf16 = (
        '<?xml version="1.0" encoding="UTF-16"?><?xml-stylesheet href="http://evil.example/"?>'
        '<svg xmlns="http://www.w3.org/2000/svg"><text>科技</text></svg>'
    ).encode("utf-16")
    assert media.check_image("a.svg", utf16) == media.Accepted(
        "svg", '<svg xmlns="http://www.w3.org/2000/svg"><text>科技</text></svg>'.encode()
    )
    unreadable = media.Refused(
        "E414",
        {
            "detail": {
                "zh": "声明的编码无法读取（请存成 UTF-8）",
                "en": "its declared encoding cannot be read (save it as UTF-8)",
            }
        },
    )
    for encoding in ("GBK", "bogus"):
        svg = f'<?xml version="1.0" encoding="{encoding}"?><svg/>'.encode()
        assert media.check_image("a.svg", svg) == unreadable


# the parts a hostile or broken SVG is made of, shuffled by hypothesis
_PIECES = [
    '<svg xmlns="http://www.w3.org/2000/svg">',
    "</svg>",
    "<g>",
    "</g>",
    "<script>alert(1)</script>",
    '<rect onload="alert(1)" fill="url(#a)"/>',
    '<a xlink:href="javascript:alert(1)">',
    "</a>",
    '<image href="http://evil.example/x.png"/>',
    '<foreignObject><p xmlns="http://www.w3.org/1999/xhtml">x</p></foreignObject>',
    '<set attributeName="href" to="javascript:alert(1)"/>',
    "<style>@import url(http://evil.example/);</style>",
    '<!DOCTYPE svg [<!ENTITY a "b">]>',
    '<?xml version="1.0"?>',
    '<?xml-stylesheet href="http://evil.example/"?>',
    "&a;",
    "<![CDATA[<script>alert(1)</script>]]>",
    "科技",
    "<",
    '"',
]


@pytest.mark.slow
@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=12).map("".join), st.booleans())
def test_any_svg_is_refused_or_published_with_nothing_that_runs_or_fetches(text, utf16):
    data = text.encode("utf-16" if utf16 else "utf-8")
    checked = media.check_image("a.svg", data)  # never an exception
    if isinstance(checked, media.Accepted):
        published = checked.data.decode("utf-16" if checked.data == data and utf16 else "utf-8")
        for bad in ("<script", "onload", "javascript:", "evil.example", "foreignObject", "<set"):
            assert bad not in published.replace("&lt;script", "")
