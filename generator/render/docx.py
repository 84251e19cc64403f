"""A `plan.documents.Document` as a Word file, byte for byte the same for the same document:
headings in Word's Heading styles, numbered lists in List Number with real Word numbering
(1、2、… restarting at each month), tables in Table Grid, A4 portrait. The dates in its
properties are the document's date (the build date) and every zip entry has one fixed
timestamp, so the same inputs and `--today` give the same bytes.

python-docx gives the blank document (its styles, page, numbering and properties), saved
once with a marker where each document's own parts go (`_Skeleton`): its body, its lists'
numbering and its properties. A document is the skeleton with those parts written in, each
byte for byte what python-docx's API and `zipfile` made of it (tests/test_docx_fast.py),
and zipped with the skeleton's other entries deflated once. The skeleton is kept in this
user's cache folder (`cache.docx_skeletons`) by the python-docx installed and our code, so
a build that finds it imports neither python-docx nor lxml."""

from __future__ import annotations

import hashlib
import io
import pickle
import re
import struct
import zipfile
import zlib
from dataclasses import astuple, dataclass
from datetime import date, datetime, time
from functools import cache
from pathlib import Path
from typing import Any

from generator.plan.documents import Document, Heading, Items, Paragraph, Table

# the zip's timestamp for every entry: the earliest a zip can say (DOS time)
ZIP_TIME = (1980, 1, 1, 0, 0, 0)

_FONT = "SimSun"  # 宋体: what the office's Word has for Chinese text
_ABSTRACT_ID = "90"  # our list definition, clear of the template's own


# markers in the skeleton where a document's own parts go: private-use characters, written
# in by position or in one pass (a document's own text that holds one is not read again)
_BODY_MARK = "\ue000"
_LEVEL_MARK = "\ue001"  # a list's number: 1、 or 1.
_TITLE_MARK, _SUBJECT_MARK, _AUTHOR_MARK = "\ue002", "\ue003", "\ue004"
_MARK_DAY = date(1901, 2, 3)
_DOCUMENT, _NUMBERING, _CORE = "word/document.xml", "word/numbering.xml", "docProps/core.xml"
_NUMBERING_END = b"</w:numbering>"
_EMUS_PER_TWIP = 635
# what XML 1.0 cannot hold (python-docx refuses it as lxml does, so do we)
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_PROPERTY_LIMIT = 255  # characters: python-docx refuses a longer core property


def docx_bytes(doc: Document, author: str, zh: bool = True, folder: Path | None = None) -> bytes:
    """`folder`: where the skeleton is kept between builds (none: made by python-docx)."""
    skeleton = _skeleton(folder)
    body = _Body(skeleton)
    body.write(doc)
    xml = "".join(body.xml)
    if _NOT_XML.search(xml):
        raise ValueError("text a Word file cannot hold")
    level = ("%1、" if zh else "%1.").encode()
    own = {
        _DOCUMENT: skeleton.head + xml.encode() + skeleton.tail,
        _NUMBERING: skeleton.numbering.replace(_LEVEL_MARK.encode(), level)
        + "".join(body.nums).encode()
        + _NUMBERING_END,
        _CORE: _core(skeleton.core, doc, author).encode(),
    }
    return _zip([_packed(e, own[e]) if isinstance(e, str) else e for e in skeleton.entries])


def _core(core: str, doc: Document, author: str) -> str:
    """The properties as python-docx's `core_properties` set them (`docx_blank.properties`)."""
    said = {
        _TITLE_MARK: _property(doc.title),
        _SUBJECT_MARK: _property(doc.subtitle),
        _AUTHOR_MARK: _property(author),
        _MARK_WHEN: _w3cdtf(doc.when),
    }
    return _MARKS.sub(lambda found: said[found[0]], core)


def _w3cdtf(day: date) -> str:
    """A date as python-docx writes a core property's time: midnight, UTC."""
    return datetime.combine(day, time(0, 0)).strftime("%Y-%m-%dT%H:%M:%SZ")


_MARK_WHEN = _w3cdtf(_MARK_DAY)
_CORE_MARKS = (_TITLE_MARK, _SUBJECT_MARK, _AUTHOR_MARK, _MARK_WHEN)
_MARKS = re.compile("|".join(re.escape(m) for m in _CORE_MARKS))


def _property(value: Any) -> str:
    """A core property's text as python-docx sets it and lxml writes it."""
    text = value if isinstance(value, str) else str(value)
    if len(text) > _PROPERTY_LIMIT or _NOT_XML.search(text):
        raise ValueError(f"a property a Word file cannot hold: {text[:40]!r}")
    return _escaped(text).replace("\r", "&#13;")


Packed = tuple[str, int, int, bytes]  # a zip entry: its name, size, CRC and deflated bytes


@dataclass(frozen=True)
class _Skeleton:
    """The blank document saved, and what a document made from it needs to know of it."""

    ids: dict[str, str]  # each of `_STYLES` by its id: python-docx's lookup walks them all
    width: int  # between the margins, in EMU, as the section reads them back
    next_num: int  # the first numbering instance a document's lists may take
    entries: tuple[Packed | str, ...]  # in the package's order; a document's own by name
    head: bytes  # word/document.xml before the body's blocks
    tail: bytes  # and after them (the section's properties)
    numbering: bytes  # word/numbering.xml but its end, with our list, its text `_LEVEL_MARK`
    core: str  # docProps/core.xml, the properties marked

    def saved(self) -> bytes:
        data = pickle.dumps(astuple(self), pickle.HIGHEST_PROTOCOL)
        return hashlib.sha256(data).digest() + data

    @classmethod
    def read(cls, saved: bytes) -> _Skeleton:
        """What `saved` wrote, whole (its digest) and of the right kinds, else an error;
        plain values only: a pickle that names a class or a function is refused."""
        digest, data = saved[:32], saved[32:]
        if hashlib.sha256(data).digest() != digest:
            raise ValueError("a damaged skeleton")
        made = cls(*_Plain(io.BytesIO(data)).load())
        own = [e for e in made.entries if isinstance(e, str)]
        if (
            sorted(own) != sorted((_DOCUMENT, _NUMBERING, _CORE))
            or set(made.ids) != set(_STYLES)
            or not all(isinstance(v, str) for v in made.ids.values())
            or not (isinstance(made.width, int) and made.width > 0)
            or not isinstance(made.next_num, int)
            or not all(isinstance(b, bytes) for b in (made.head, made.tail, made.numbering))
            or not (isinstance(made.core, str) and all(m in made.core for m in _CORE_MARKS))
            or _LEVEL_MARK.encode() not in made.numbering
        ):
            raise ValueError("not a skeleton")
        return made


class _Plain(pickle.Unpickler):
    def find_class(self, module: str, name: str) -> Any:
        raise pickle.UnpicklingError(f"{module}.{name} in a skeleton")


@cache
def _skeleton(folder: Path | None) -> _Skeleton:
    from generator.cache import kept_file

    return kept_file(
        folder / "skeleton.pickle" if folder is not None else None,
        _Skeleton.read,
        _made,
        _Skeleton.saved,
    )


def _made() -> _Skeleton:
    from generator.render.docx_blank import made  # python-docx and lxml: only to make it

    return made()


class _Body:
    """The body's paragraphs and tables, element for element what python-docx's
    `add_paragraph`, `add_run`, `Run.bold`, `add_table` and `_Cell.text` make, and the
    numbering instance of each list, as XML text written where the skeleton says."""

    def __init__(self, skeleton: _Skeleton) -> None:
        self.ids, self.width, self.next_num = skeleton.ids, skeleton.width, skeleton.next_num
        self.xml: list[str] = []
        self.nums: list[str] = []

    def write(self, doc: Document) -> None:
        self._styled("Title", doc.title)
        if doc.subtitle:
            self._styled("Subtitle", doc.subtitle, '<w:jc w:val="center"/>')
        for block in doc.blocks:
            if isinstance(block, Heading):
                self._styled(f"Heading {block.level}", block.text)
            elif isinstance(block, Paragraph):
                bold = "<w:b/>" if block.label else '<w:b w:val="0"/>'
                self.xml.append(f"<w:p><w:r><w:rPr>{bold}</w:rPr>{_run(block.text)}</w:r></w:p>")
            elif isinstance(block, Items):
                num = self._list(block.start)
                numpr = f'<w:numPr><w:ilvl w:val="0"/><w:numId w:val="{num}"/></w:numPr>'
                for text in block.items:
                    self._styled("List Number", text, numpr)
            elif isinstance(block, Table):
                self._table(block)

    def _list(self, start: int) -> int:
        """A numbering instance of our list definition that starts at `start`, appended to
        the numbering part's end."""
        num = self.next_num + len(self.nums)
        self.nums.append(
            f'<w:num w:numId="{num}"><w:abstractNumId w:val="{_ABSTRACT_ID}"/>'
            f'<w:lvlOverride w:ilvl="0"><w:startOverride w:val="{int(start)}"/>'
            "</w:lvlOverride></w:num>"
        )
        return num

    def _styled(self, style: str, text: str, ppr: str = "") -> None:
        """A paragraph in one of `_STYLES` (`add_paragraph(text)`, its style set by id),
        with `ppr` after the style in its properties."""
        run = f"<w:r>{_run(text)}</w:r>" if text else ""
        pstyle = f'<w:pStyle w:val="{self.ids[style]}"/>'
        self.xml.append(f"<w:p><w:pPr>{pstyle}{ppr}</w:pPr>{run}</w:p>")

    def _table(self, block: Table) -> None:
        """`add_table` in Table Grid, the header's cells emptied (`cell.text = ""`) and given
        a bold run, the header row repeating on each page a long table runs over, the
        other cells' text set (`cell.text`), then an empty paragraph."""
        cols = len(block.header)
        twips = round(self.width // cols / _EMUS_PER_TWIP) if cols > 0 else 0
        cell = f'<w:tc><w:tcPr><w:tcW w:type="dxa" w:w="{twips}"/></w:tcPr><w:p>'
        xml = [
            f'<w:tbl><w:tblPr><w:tblStyle w:val="{self.ids["Table Grid"]}"/>'
            '<w:tblW w:type="auto" w:w="0"/><w:tblLook w:firstColumn="1" w:firstRow="1"'
            ' w:lastColumn="0" w:lastRow="0" w:noHBand="0" w:noVBand="1" w:val="04A0"/>'
            "</w:tblPr><w:tblGrid>",
            f'<w:gridCol w:w="{twips}"/>' * cols,
            "</w:tblGrid><w:tr><w:trPr><w:tblHeader/></w:trPr>",
        ]
        for text in block.header:
            xml.append(f"{cell}<w:r/><w:r><w:rPr><w:b/></w:rPr>{_run(text)}</w:r></w:p></w:tc>")
        xml.append("</w:tr>")
        for values in block.rows:
            if len(values) != cols:
                raise ValueError(f"a row of {len(values)} cells in a table of {cols} columns")
            xml.append("<w:tr>")
            xml.extend(f"{cell}{_r(_run(text))}</w:p></w:tc>" for text in values)
            xml.append("</w:tr>")
        xml.append("</w:tbl><w:p/>")
        self.xml.append("".join(xml))


_STYLES = ("Title", "Subtitle", "Heading 1", "Heading 2", "List Number", "Table Grid")
# what `Run.text` turns into elements of their own: a tab, a line break (each of \r, \n)
_BREAKS = re.compile("([\t\r\n])")
_BREAK_XML = {"\t": "<w:tab/>", "\r": "<w:br/>", "\n": "<w:br/>"}


def _run(text: str) -> str:
    """A run's content as `Run.text = text` makes it: each tab and line break an element,
    the text between them in a <w:t>, kept as it is (xml:space) when it starts or ends
    with white space."""
    if "\t" not in text and "\r" not in text and "\n" not in text:
        return _t(text) if text else ""
    return "".join(
        _BREAK_XML[piece] if piece in _BREAK_XML else _t(piece)
        for piece in _BREAKS.split(text)
        if piece
    )


def _r(content: str) -> str:
    """A run; an empty one as lxml writes an empty element (python-docx's XML is written
    by lxml: each part's text here is what it would write)."""
    return f"<w:r>{content}</w:r>" if content else "<w:r/>"


def _t(text: str) -> str:
    escaped = _escaped(text)
    if len(text.strip()) < len(text):
        return f'<w:t xml:space="preserve">{escaped}</w:t>'
    return f"<w:t>{escaped}</w:t>"


def _escaped(text: str) -> str:
    """Text as lxml writes it in an element's content."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _packed(name: str, data: bytes) -> Packed:
    crc, deflated = _deflate(data)
    return name, len(data), crc, deflated


def _zip(entries: list[Packed]) -> bytes:
    """The entries, in their order, byte for byte as `zipfile` writes them deflated, each
    stamped ZIP_TIME with the same attributes (tests/test_docx_fast.py). A document is
    never big enough for zip64 records."""
    if len(entries) > 0xFFFF or any(size > _ZIP32 for _, size, _, _ in entries):
        raise ValueError("a document too big for a .docx")
    out, central = bytearray(), bytearray()
    for name, size, crc, deflated in entries:
        try:
            encoded, flags = name.encode("ascii"), 0
        except UnicodeEncodeError:
            encoded, flags = name.encode("utf-8"), _UTF8_NAME
        sizes = (crc, len(deflated), size, len(encoded))
        central += _CENTRAL.pack(
            b"PK\x01\x02", 20, 0, 20, 0, flags, zipfile.ZIP_DEFLATED, *_DOS_STAMP,
            *sizes, 0, 0, 0, 0, _MODE, len(out),
        )  # fmt: skip
        central += encoded
        out += _LOCAL.pack(
            b"PK\x03\x04", 20, 0, flags, zipfile.ZIP_DEFLATED, *_DOS_STAMP, *sizes, 0
        )
        out += encoded
        out += deflated
    start = len(out)
    if start + len(central) > _ZIP32:
        raise ValueError("a document too big for a .docx")
    out += central
    out += _END.pack(b"PK\x05\x06", 0, 0, len(entries), len(entries), len(central), start, 0)
    return bytes(out)


def _deflate(data: bytes) -> tuple[int, bytes]:
    """The CRC and the deflated bytes, as `zipfile` makes them (one compressor per entry,
    the default level, raw deflate)."""
    compressor = zlib.compressobj(zlib.Z_DEFAULT_COMPRESSION, zlib.DEFLATED, -15)
    return zlib.crc32(data), compressor.compress(data) + compressor.flush()


# the zip's records (APPNOTE 4.3.7, 4.3.12, 4.3.16), as `zipfile` packs them
_LOCAL = struct.Struct("<4s2B4HL2L2H")
_CENTRAL = struct.Struct("<4s4B4HL2L5H2L")
_END = struct.Struct("<4s4H2LH")
_DOS_STAMP = (  # ZIP_TIME as a DOS time, then date
    ZIP_TIME[3] << 11 | ZIP_TIME[4] << 5 | ZIP_TIME[5] // 2,
    (ZIP_TIME[0] - 1980) << 9 | ZIP_TIME[1] << 5 | ZIP_TIME[2],
)
_MODE = 0o644 << 16  # rw-r--r--, in the high word of the external attributes
_UTF8_NAME = 0x800  # the flag for a name in UTF-8
_ZIP32 = (1 << 31) - 1  # zipfile's ZIP64_LIMIT: past it, zipfile writes zip64 records
