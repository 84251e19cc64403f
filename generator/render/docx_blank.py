"""The blank .docx that `render.docx` writes each document into, made by python-docx: its
template on A4 in 宋体 with our list definition, a marker paragraph where the body goes and
the properties marked, saved once (`made`). Imported only to make it: a build that finds it
kept in the user's cache folder imports neither python-docx nor lxml."""

from __future__ import annotations

import io
import zipfile
from datetime import datetime, time
from typing import Any

import docx
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Mm, Pt

from generator.plan.documents import Document
from generator.render.docx import (
    _ABSTRACT_ID,
    _AUTHOR_MARK,
    _BODY_MARK,
    _CORE,
    _DOCUMENT,
    _FONT,
    _LEVEL_MARK,
    _MARK_DAY,
    _NUMBERING,
    _NUMBERING_END,
    _STYLES,
    _SUBJECT_MARK,
    _TITLE_MARK,
    _packed,
    _Skeleton,
)


def made() -> _Skeleton:
    """The skeleton from python-docx: its template on A4 in 宋体 with our list definition,
    a marker paragraph where the body goes, the properties marked, saved."""
    word = docx.Document()
    page(word)
    fonts(word)
    ids = {name: word.styles[name].style_id for name in _STYLES}
    # a table's width as `add_table` gives it: between the margins as the section reads
    # them back, in whole twips (not the millimetres `page` set)
    section = word.sections[-1]
    width, left, right = section.page_width, section.left_margin, section.right_margin
    if width is None or left is None or right is None:  # `page` set all three
        raise ValueError("the blank document has no page width or margins")
    numbering = Numbering(word, _LEVEL_MARK)
    properties(word, Document("plan", _TITLE_MARK, _SUBJECT_MARK, (), _MARK_DAY), _AUTHOR_MARK)
    mark = f"<w:p><w:r><w:t>{_BODY_MARK}</w:t></w:r></w:p>"
    place(word, mark)
    saved = io.BytesIO()
    word.save(saved)
    with zipfile.ZipFile(io.BytesIO(saved.getvalue())) as package:
        parts = {info.filename: package.read(info) for info in package.infolist()}
    head, found, tail = parts[_DOCUMENT].partition(mark.encode())
    if not found or mark.encode() in tail or not parts[_NUMBERING].endswith(_NUMBERING_END):
        raise ValueError("python-docx saved the blank document otherwise than expected")
    return _Skeleton(
        ids,
        int(width - left - right),  # a plain number: the skeleton is kept as plain values
        numbering.next_id,
        tuple(
            name if name in (_DOCUMENT, _NUMBERING, _CORE) else _packed(name, data)
            for name, data in parts.items()
        ),
        head,
        tail,
        parts[_NUMBERING][: -len(_NUMBERING_END)],
        parts[_CORE].decode(),
    )


def place(word: Any, xml: str) -> None:
    """Blocks into the body, before its section properties (where python-docx adds a
    paragraph or a table)."""
    parsed = parse_xml(f"<w:body {nsdecls('w')}>{xml}</w:body>")
    body = word.element.body
    sect_pr = body.sectPr
    at = len(body) if sect_pr is None else body.index(sect_pr)
    for offset, element in enumerate(list(parsed)):
        body.insert(at + offset, element)


def page(word: Any) -> None:
    for section in word.sections:
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.left_margin = section.right_margin = Mm(25)
        section.top_margin = section.bottom_margin = Mm(25)


def fonts(word: Any) -> None:
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


def properties(word: Any, doc: Document, author: str) -> None:
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


class Numbering:
    """One list definition (1、 2、 …) and a numbering instance per list, each starting at
    its own number: Word restarts a month's list instead of running on from the last."""

    def __init__(self, word: Any, text: str) -> None:
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
        # the first numbering instance a document's lists take (`render.docx._Body._list`)
        self.next_id = 1 + max(
            (int(n.get(qn("w:numId"))) for n in self.root.findall(qn("w:num"))), default=0
        )
