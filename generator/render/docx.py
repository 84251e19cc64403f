"""A `plan.documents.Document` as a Word file (python-docx), byte for byte the same for the
same document: headings in Word's Heading styles, numbered lists in List Number with real
Word numbering (1、2、… restarting at each month), tables in Table Grid, A4 portrait. The
dates in its properties are the document's date (the build date) and every zip entry has
one fixed timestamp, so the same inputs and `--today` give the same bytes."""

from __future__ import annotations

import copy
import io
import zipfile
from datetime import datetime, time
from typing import Any

import docx
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.pkgwriter import PackageWriter
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.text.paragraph import Paragraph as WordParagraph

from generator.plan.documents import Document, Heading, Items, Paragraph, Table

# the zip's timestamp for every entry: the earliest a zip can say (DOS time)
ZIP_TIME = (1980, 1, 1, 0, 0, 0)
_FONT = "SimSun"  # 宋体: what the office's Word has for Chinese text
_ABSTRACT_ID = "90"  # our list definition, clear of the template's own


def docx_bytes(doc: Document, author: str, zh: bool = True) -> bytes:
    word = _blank()
    numbering = _Numbering(word, "%1、" if zh else "%1.")
    _properties(word, doc, author)
    # each style's id looked up once: python-docx's lookup by name walks every style, for
    # every paragraph (four fifths of the time of a term's document)
    ids = {name: word.styles[name].style_id for name in _STYLES}
    styled = _Styled(word, ids)
    styled("Title", doc.title)
    if doc.subtitle:
        styled("Subtitle", doc.subtitle).alignment = WD_ALIGN_PARAGRAPH.CENTER
    for block in doc.blocks:
        if isinstance(block, Heading):
            styled(f"Heading {block.level}", block.text)
        elif isinstance(block, Paragraph):
            p = word.add_paragraph()
            run = p.add_run(block.text)
            run.bold = block.label
        elif isinstance(block, Items):
            num = numbering.new(block.start)
            for text in block.items:
                _number(styled("List Number", text), num)
        elif isinstance(block, Table):
            _table(word, block)
    return _zipped(word)


_BLANK: list[docx.document.Document] = []  # python-docx's template, on A4, in 宋体


def _blank() -> docx.document.Document:
    """A new document as python-docx's template gives it, with our page and fonts: a copy
    of one made the first time (its template's parts are parsed once, not per document).
    The copy shares the blank's styles: a document reads them (a style's id) and never
    changes them, and they are most of the template, so a copy of them was most of the
    memory a document took."""
    if not _BLANK:
        word = docx.Document()
        _page(word)
        _fonts(word)
        _BLANK.append(word)
    styles = _BLANK[0].styles.element
    return copy.deepcopy(_BLANK[0], {id(styles): styles})


_STYLES = ("Title", "Subtitle", "Heading 1", "Heading 2", "List Number")


class _Styled:
    """A new paragraph in one of `_STYLES`, its style set by id."""

    def __init__(self, word: docx.document.Document, ids: dict[str, str]) -> None:
        self.word, self.ids = word, ids

    def __call__(self, style: str, text: str) -> WordParagraph:
        paragraph = self.word.add_paragraph(text)
        paragraph._p.style = self.ids[style]
        return paragraph


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


def _number(paragraph: WordParagraph, num_id: int) -> None:
    ppr = paragraph._p.get_or_add_pPr()
    numpr = OxmlElement("w:numPr")
    ilvl = OxmlElement("w:ilvl")
    ilvl.set(qn("w:val"), "0")
    num = OxmlElement("w:numId")
    num.set(qn("w:val"), str(num_id))
    numpr.append(ilvl)
    numpr.append(num)
    ppr.append(numpr)


def _table(word: docx.document.Document, block: Table) -> None:
    table = word.add_table(rows=1 + len(block.rows), cols=len(block.header))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, block.header, strict=True):
        cell.text = ""
        cell.paragraphs[0].add_run(text).bold = True
    # the header row repeats on each page a long table runs over
    trpr = table.rows[0]._tr.get_or_add_trPr()
    trpr.append(OxmlElement("w:tblHeader"))
    for row, values in zip(table.rows[1:], block.rows, strict=True):
        for cell, text in zip(row.cells, values, strict=True):
            cell.text = text
    word.add_paragraph()


class _Entries:
    """What python-docx's package writer writes, kept as (name, bytes) in its order."""

    def __init__(self) -> None:
        self.entries: list[tuple[str, bytes]] = []

    def write(self, pack_uri: Any, blob: bytes) -> None:
        self.entries.append((pack_uri.membername, blob))


def _zipped(word: docx.document.Document) -> bytes:
    """What `Document.save` writes, each entry stamped ZIP_TIME: the parts as python-docx
    writes them (`OpcPackage.save`), zipped once (saving, reading the zip back and zipping
    it again with the fixed stamps did the compression twice). The package writer's steps
    are python-docx's own but not public: a version without them is saved the public way,
    to the same bytes."""
    steps = [getattr(PackageWriter, name, None) for name in _WRITER_STEPS]
    if not all(callable(step) for step in steps):
        return _saved(word)
    package = word.part.package
    for part in package.parts:
        part.before_marshal()
    parts = package.parts
    found = _Entries()
    writer: Any = found  # what the package writer asks of its zip: `write(uri, blob)`
    write_types, write_rels, write_parts = steps
    write_types(writer, parts)  # type: ignore[misc]
    write_rels(writer, package.rels)  # type: ignore[misc]
    write_parts(writer, parts)  # type: ignore[misc]
    return _zip(found.entries)


_WRITER_STEPS = ("_write_content_types_stream", "_write_pkg_rels", "_write_parts")


def _saved(word: docx.document.Document) -> bytes:
    """`Document.save`, its zip written again with each entry stamped ZIP_TIME."""
    saved = io.BytesIO()
    word.save(saved)
    with zipfile.ZipFile(io.BytesIO(saved.getvalue())) as src:
        return _zip([(info.filename, src.read(info.filename)) for info in src.infolist()])


def _zip(entries: list[tuple[str, bytes]]) -> bytes:
    """The entries, in their order, each with ZIP_TIME and the same attributes."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for name, data in entries:
            entry = zipfile.ZipInfo(name, ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            entry.create_system = 0
            dst.writestr(entry, data)
    return out.getvalue()
