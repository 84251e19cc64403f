"""A `plan.documents.Document` as a Word file (python-docx), byte for byte the same for the
same document: headings in Word's Heading styles, numbered lists in List Number with real
Word numbering (1、2、… restarting at each month), tables in Table Grid, A4 portrait. The
dates in its properties are the document's date (the build date) and every zip entry has
one fixed timestamp, so the same inputs and `--today` give the same bytes.

python-docx gives the blank document, its styles, numbering and properties and writes the
package's parts; the body's XML and the zip are written here, each byte for byte what
python-docx's API and `zipfile` made of them (tests/test_docx_fast.py), because through
them each element was placed by searching its parent, and the template's styles (most of
every file) were serialised and deflated again for each document."""

from __future__ import annotations

import copy
import io
import re
import struct
import zipfile
import zlib
from datetime import datetime, time
from typing import Any

import docx
from docx.opc.part import XmlPart
from docx.opc.pkgwriter import PackageWriter
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Emu, Mm, Pt
from lxml import etree

from generator.plan.documents import Document, Heading, Items, Paragraph, Table

# the zip's timestamp for every entry: the earliest a zip can say (DOS time)
ZIP_TIME = (1980, 1, 1, 0, 0, 0)
_FONT = "SimSun"  # 宋体: what the office's Word has for Chinese text
_ABSTRACT_ID = "90"  # our list definition, clear of the template's own


def docx_bytes(doc: Document, author: str, zh: bool = True) -> bytes:
    blank = _template()
    word = blank.copy()
    numbering = _Numbering(word, "%1、" if zh else "%1.")
    _properties(word, doc, author)
    _Body(word, numbering, blank.ids).write(doc)
    return _zipped(word, blank)


class _Blank:
    """python-docx's template on A4 in 宋体, parsed once, and what every document made from
    it shares: its styles (a document reads a style's id and never changes them), their
    ids, the styles part serialised, and each of its zip entries deflated (most of a
    document's bytes are the template's styles, the same in every document)."""

    def __init__(self) -> None:
        word = docx.Document()
        _page(word)
        _fonts(word)
        self.word, self.styles = word, word.styles
        # each style's id looked up once: python-docx's lookup by name walks every style
        self.ids = {name: word.styles[name].style_id for name in _STYLES}
        self.styles_xml = next(
            part.blob
            for part in word.part.package.parts
            if isinstance(part, XmlPart) and part.element is self.styles.element
        )
        self.deflated = {name: (data, *_deflate(data)) for name, data in _entries(word, self) or ()}

    def copy(self) -> docx.document.Document:
        """A new document: a copy of the blank sharing its styles (a copy of them was most
        of the memory and the time a document took)."""
        styles = self.styles.element
        return copy.deepcopy(self.word, {id(styles): styles})


_BLANK: list[_Blank] = []


def _template() -> _Blank:
    if not _BLANK:
        _BLANK.append(_Blank())
    return _BLANK[0]


def _blank() -> docx.document.Document:
    """A new document as python-docx's template gives it, with our page and fonts."""
    return _template().copy()


def _page(word: docx.document.Document) -> None:
    for section in word.sections:
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.left_margin = section.right_margin = Mm(25)
        section.top_margin = section.bottom_margin = Mm(25)


def _fonts(word: docx.document.Document) -> None:
    """Chinese text in 宋体 (the template names only Latin fonts)."""
    for name in ("Normal", "Title", "Subtitle", "Heading 1", "Heading 2", "List Number"):
        style = word.styles[name]
        rpr = style.element.get_or_add_rPr()
        fonts = rpr.find(qn("w:rFonts"))
        if fonts is None:
            fonts = OxmlElement("w:rFonts")
            rpr.insert(0, fonts)
        fonts.set(qn("w:eastAsia"), _FONT)
    word.styles["Normal"].font.size = Pt(11)


def _properties(word: docx.document.Document, doc: Document, author: str) -> None:
    when = datetime.combine(doc.when, time(0, 0))
    props = word.core_properties
    props.title = doc.title
    props.subject = doc.subtitle
    props.author = author
    props.last_modified_by = author
    props.created = when
    props.modified = when
    props.last_printed = when
    props.revision = 1
    props.comments = ""
    props.keywords = ""
    props.category = ""


class _Numbering:
    """One list definition (1、 2、 …) and a numbering instance per list, each starting at
    its own number: Word restarts a month's list instead of running on from the last."""

    def __init__(self, word: docx.document.Document, text: str) -> None:
        self.root = word.part.numbering_part.element
        abstract = OxmlElement("w:abstractNum")
        abstract.set(qn("w:abstractNumId"), _ABSTRACT_ID)
        lvl = OxmlElement("w:lvl")
        lvl.set(qn("w:ilvl"), "0")
        for tag, value in (
            ("w:start", "1"),
            ("w:numFmt", "decimal"),
            ("w:lvlText", text),
            ("w:lvlJc", "left"),
        ):
            el = OxmlElement(tag)
            el.set(qn("w:val"), value)
            lvl.append(el)
        ppr = OxmlElement("w:pPr")
        ind = OxmlElement("w:ind")
        ind.set(qn("w:left"), "480")
        ind.set(qn("w:hanging"), "480")
        ppr.append(ind)
        lvl.append(ppr)
        abstract.append(lvl)
        # every abstractNum comes before the first num (the schema's order)
        first_num = self.root.find(qn("w:num"))
        if first_num is not None:
            first_num.addprevious(abstract)
        else:
            self.root.append(abstract)
        self.next_id = 1 + max(
            (int(n.get(qn("w:numId"))) for n in self.root.findall(qn("w:num"))), default=0
        )

    def new(self, start: int) -> int:
        num = OxmlElement("w:num")
        num_id = self.next_id
        self.next_id += 1
        num.set(qn("w:numId"), str(num_id))
        ref = OxmlElement("w:abstractNumId")
        ref.set(qn("w:val"), _ABSTRACT_ID)
        num.append(ref)
        override = OxmlElement("w:lvlOverride")
        override.set(qn("w:ilvl"), "0")
        start_el = OxmlElement("w:startOverride")
        start_el.set(qn("w:val"), str(start))
        override.append(start_el)
        num.append(override)
        self.root.append(num)
        return num_id


class _Body:
    """The body's paragraphs and tables, element for element what python-docx's
    `add_paragraph`, `add_run`, `Run.bold`, `add_table` and `_Cell.text` make, written as
    one XML text and parsed once. Made through python-docx's API, each element was placed
    by searching its parent for the children that must follow it, which was most of the
    time of a document; the text is parsed by python-docx's own parser, so the elements
    are its classes, and lxml serialises them as it did the ones python-docx made."""

    def __init__(
        self, word: docx.document.Document, numbering: _Numbering, ids: dict[str, str]
    ) -> None:
        self.word, self.numbering, self.ids = word, numbering, ids
        # a table's width as `add_table` gives it: between the margins as the section reads
        # them back, in whole twips (not the millimetres `_page` set)
        section = word.sections[-1]
        page, left, right = section.page_width, section.left_margin, section.right_margin
        if page is None or left is None or right is None:  # `_page` set all three
            raise ValueError("the blank document has no page width or margins")
        self.width = page - left - right
        self.xml: list[str] = []

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
                num = self.numbering.new(block.start)
                numpr = f'<w:numPr><w:ilvl w:val="0"/><w:numId w:val="{num}"/></w:numPr>'
                for text in block.items:
                    self._styled("List Number", text, numpr)
            elif isinstance(block, Table):
                self._table(block)
        self._place()

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
        twips = Emu(self.width // cols).twips if cols > 0 else 0
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
            xml.extend(f"{cell}<w:r>{_run(text)}</w:r></w:p></w:tc>" for text in values)
            xml.append("</w:tr>")
        xml.append("</w:tbl><w:p/>")
        self.xml.append("".join(xml))

    def _place(self) -> None:
        """The blocks into the body, in their order, before its section properties (where
        python-docx adds a paragraph or a table)."""
        try:
            parsed = parse_xml(f"<w:body {nsdecls('w')}>{''.join(self.xml)}</w:body>")
        except etree.XMLSyntaxError as error:
            # a character XML cannot hold: python-docx refuses it as lxml does, so do we
            raise ValueError(f"text a Word file cannot hold: {error}") from error
        body = self.word.element.body
        sect_pr = body.sectPr
        at = len(body) if sect_pr is None else body.index(sect_pr)
        for offset, element in enumerate(list(parsed)):
            body.insert(at + offset, element)


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


def _t(text: str) -> str:
    escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    if len(text.strip()) < len(text):
        return f'<w:t xml:space="preserve">{escaped}</w:t>'
    return f"<w:t>{escaped}</w:t>"


class _Entries:
    """What python-docx's package writer writes, kept as (name, bytes) in its order."""

    def __init__(self) -> None:
        self.entries: list[tuple[str, bytes]] = []

    def write(self, pack_uri: Any, blob: bytes) -> None:
        self.entries.append((pack_uri.membername, blob))


class _Serialised:
    """A part as the package writer reads it, its blob already made: the blank's styles,
    which every document shares unchanged, serialised once."""

    def __init__(self, part: Any, blob: bytes) -> None:
        self.partname, self.rels, self.blob = part.partname, part.rels, blob


def _zipped(word: docx.document.Document, blank: _Blank | None = None) -> bytes:
    """What `Document.save` writes, each entry stamped ZIP_TIME."""
    blank = blank or _template()
    entries = _entries(word, blank)
    if entries is None:
        return _saved(word)
    return _zip(entries, blank.deflated)


def _entries(word: docx.document.Document, blank: _Blank) -> list[tuple[str, bytes]] | None:
    """The parts as python-docx writes them (`OpcPackage.save`), as (name, bytes), to be
    zipped once (saving, reading the zip back and zipping it again with the fixed stamps
    did the compression twice). The package writer's steps are python-docx's own but not
    public: without them, None (the document is saved the public way, to the same
    bytes)."""
    steps = [getattr(PackageWriter, name, None) for name in _WRITER_STEPS]
    if not all(callable(step) for step in steps):
        return None
    package = word.part.package
    for part in package.parts:
        part.before_marshal()
    parts = package.parts
    found = _Entries()
    writer: Any = found  # what the package writer asks of its zip: `write(uri, blob)`
    write_types, write_rels, write_parts = steps
    write_types(writer, parts)  # type: ignore[misc]
    write_rels(writer, package.rels)  # type: ignore[misc]
    write_parts(  # type: ignore[misc]
        writer,
        [
            _Serialised(part, blank.styles_xml)
            if isinstance(part, XmlPart) and part.element is blank.styles.element
            else part
            for part in parts
        ],
    )
    return found.entries


_WRITER_STEPS = ("_write_content_types_stream", "_write_pkg_rels", "_write_parts")


def _saved(word: docx.document.Document) -> bytes:
    """`Document.save`, its zip written again with each entry stamped ZIP_TIME."""
    saved = io.BytesIO()
    word.save(saved)
    with zipfile.ZipFile(io.BytesIO(saved.getvalue())) as src:
        return _zip([(info.filename, src.read(info.filename)) for info in src.infolist()], {})


def _zip(entries: list[tuple[str, bytes]], kept: dict[str, tuple[bytes, int, bytes]]) -> bytes:
    """The entries, in their order, byte for byte as `zipfile` writes them with the
    attributes `_zipfile` gives them, but an entry the blank has with the same bytes
    (`kept`: name -> bytes, CRC, deflated) is not deflated again. A zip that would need
    zip64 records is left to `zipfile`."""
    if len(entries) > 0xFFFF or any(len(data) * 1.05 > _ZIP32 for _, data in entries):
        return _zipfile(entries)
    out, central = bytearray(), bytearray()
    for name, data in entries:
        known = kept.get(name)
        crc, deflated = known[1:] if known is not None and known[0] == data else _deflate(data)
        try:
            encoded, flags = name.encode("ascii"), 0
        except UnicodeEncodeError:
            encoded, flags = name.encode("utf-8"), _UTF8_NAME
        sizes = (crc, len(deflated), len(data), len(encoded))
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
        return _zipfile(entries)
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


def _zipfile(entries: list[tuple[str, bytes]]) -> bytes:
    """The entries, in their order, each with ZIP_TIME and the same attributes."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for name, data in entries:
            entry = zipfile.ZipInfo(name, ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = _MODE
            entry.create_system = 0
            dst.writestr(entry, data)
    return out.getvalue()
