"""`render.docx` writes the body's XML itself instead of through python-docx's API (which was
most of the time of a document): its bytes are pinned here to what python-docx's public API
makes of the same document and saves, zipped again by `zipfile` with the fixed stamps, for
documents with every kind of block and the text that needs care (white space kept, tabs and
line breaks, markup characters, characters XML cannot hold)."""

from __future__ import annotations

import io
import zipfile
from datetime import date
from pathlib import Path

import docx
import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from generator.plan.documents import Block, Document, Heading, Items, Paragraph, Table
from generator.render import docx as writer
from generator.render import docx_blank as blank

AUTHOR = "星光小学图书馆"
WHEN = date(2026, 3, 10)


def reference(doc: Document, author: str, zh: bool = True) -> bytes:
    """The .docx as python-docx's public API makes it and `Document.save` writes it, each zip
    entry stamped `ZIP_TIME` by `zipfile`: the way `docx_bytes` made it before it wrote the
    body's XML and the zip itself. The page, fonts, properties and the list definitions are
    the module's own (python-docx has no API for numbering)."""
    word = docx.Document()
    blank.page(word)
    blank.fonts(word)
    numbering = blank.Numbering(word, "%1、" if zh else "%1.")
    blank.properties(word, doc, author)
    word.add_paragraph(doc.title, style="Title")
    if doc.subtitle:
        word.add_paragraph(doc.subtitle, style="Subtitle").alignment = WD_ALIGN_PARAGRAPH.CENTER
    for block in doc.blocks:
        if isinstance(block, Heading):
            word.add_paragraph(block.text, style=f"Heading {block.level}")
        elif isinstance(block, Paragraph):
            word.add_paragraph().add_run(block.text).bold = block.label
        elif isinstance(block, Items):
            num_id = _new_list(numbering, block.start)
            for text in block.items:
                _numbered(word.add_paragraph(text, style="List Number"), num_id)
        elif isinstance(block, Table):
            table = word.add_table(rows=1 + len(block.rows), cols=len(block.header))
            table.style = "Table Grid"
            for cell, text in zip(table.rows[0].cells, block.header, strict=True):
                cell.text = ""
                cell.paragraphs[0].add_run(text).bold = True
            table.rows[0]._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))
            for row, values in zip(table.rows[1:], block.rows, strict=True):
                for cell, text in zip(row.cells, values, strict=True):
                    cell.text = text
            word.add_paragraph()
    return restamped(word)


def restamped(word: docx.document.Document) -> bytes:
    """`word` as python-docx's `save` writes it, each zip entry stamped `ZIP_TIME` again by
    `zipfile`."""
    saved = io.BytesIO()
    word.save(saved)
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(saved.getvalue())) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for info in src.infolist():
            entry = zipfile.ZipInfo(info.filename, writer.ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            entry.create_system = 0
            dst.writestr(entry, src.read(info.filename))
    return out.getvalue()


def _new_list(numbering: blank.Numbering, start: int) -> int:
    """A numbering instance of the list definition that starts at `start`, made of
    python-docx's elements at the numbering part's end."""
    num = OxmlElement("w:num")
    num_id = numbering.next_id
    numbering.next_id += 1
    num.set(qn("w:numId"), str(num_id))
    ref = OxmlElement("w:abstractNumId")
    ref.set(qn("w:val"), writer._ABSTRACT_ID)
    num.append(ref)
    override = OxmlElement("w:lvlOverride")
    override.set(qn("w:ilvl"), "0")
    start_el = OxmlElement("w:startOverride")
    start_el.set(qn("w:val"), str(start))
    override.append(start_el)
    num.append(override)
    numbering.root.append(num)
    return num_id


def _numbered(paragraph, num_id: int) -> None:
    numpr = OxmlElement("w:numPr")
    for tag, value in (("w:ilvl", "0"), ("w:numId", str(num_id))):
        el = OxmlElement(tag)
        el.set(qn("w:val"), value)
        numpr.append(el)
    paragraph._p.get_or_add_pPr().append(numpr)


# text that python-docx's `Run.text` treats specially, or that XML must escape or keep
AWKWARD = (
    "",
    " ",
    "  leading and trailing  ",
    "\u3000全角空格开头",
    "ends in a no-break space\xa0",
    "a < b & c > d; \"quoted\" 'single' ]]>",
    "tab\tbetween",
    "\ttab first",
    "tab last\t",
    "two\t\ttabs",
    "line\nbreak",
    "windows\r\nline end",
    "carriage\rreturn",
    "\n",
    "\t",
    "mixed \t spaced \n lines ",
    "emoji 📚 and 中文，标点：“引号”",
    "x" * 3000,
)


def _document(blocks: tuple[Block, ...], title: str = "2026学年第二学期工作计划", **kw) -> Document:
    return Document(kw.get("kind", "plan"), title, kw.get("subtitle", ""), blocks, WHEN)


DOCUMENTS = {
    "empty": _document(()),
    "subtitle": _document((), subtitle="星光小学图书馆 · 2026年3月"),
    "every block": _document(
        (
            Heading("一、工作目标", 1),
            Paragraph("本学期的目标。"),
            Heading("二月份：", 2),
            Items(("第一项", "第二项（储霞负责）")),
            Paragraph("本月工作：", label=True),
            Items(("整理书架",), start=3),
            Items(()),
            Table(("日期", "活动", "负责"), (("3月2日", "开学", "储霞"), ("3月9日", "", "王老师"))),
            Heading("", 1),
            Paragraph(""),
            Paragraph("", label=True),
        ),
        subtitle="副标题",
    ),
    "awkward paragraphs": _document(
        tuple(Paragraph(text, label=i % 2 == 1) for i, text in enumerate(AWKWARD))
    ),
    "awkward headings and items": _document(
        (
            *(Heading(text, 1 + i % 2) for i, text in enumerate(AWKWARD)),
            Items(AWKWARD, start=7),
        )
    ),
    "awkward tables": _document(
        (
            Table(AWKWARD[:6], (AWKWARD[6:12], AWKWARD[12:18])),
            Table(("one column",), tuple((text,) for text in AWKWARD)),
            Table(("a", "b", "c", "d", "e", "f", "g"), ()),
            Table(("", "cell\nwith a break"), (("", ""),)),
        ),
        title="  <&> title\tkept ",
        subtitle=" subtitle\n",
    ),
    "long table": _document(
        (
            Heading("借阅统计", 1),
            Table(
                ("班级", "借阅", "归还"),
                tuple(
                    (f"{n // 8 + 1}年级{n % 8 + 1}班", str(n * 7), str(n * 5)) for n in range(400)
                ),
            ),
            Paragraph("表后的段落。"),
        )
    ),
}


@pytest.fixture(scope="module")
def kept(tmp_path_factory) -> Path:
    """A folder with the skeleton kept in it, as a build leaves it in the user's cache: the
    documents below are written from it as read back."""
    folder = tmp_path_factory.mktemp("docx")
    writer.docx_bytes(DOCUMENTS["empty"], AUTHOR, True, folder)
    assert sorted(p.name for p in folder.iterdir()) == ["skeleton.pickle"]
    writer._skeleton.cache_clear()  # the next document reads it from the file
    return folder


@pytest.mark.parametrize("where", ["made here", "kept"])
@pytest.mark.parametrize("zh", [True, False], ids=["zh", "en"])
@pytest.mark.parametrize("name", DOCUMENTS)
def test_the_docx_is_byte_for_byte_what_python_docx_makes(name, zh, where, kept):
    doc = DOCUMENTS[name]
    folder = kept if where == "kept" else None
    assert writer.docx_bytes(doc, AUTHOR, zh, folder) == reference(doc, AUTHOR, zh)


_IN_A_NEW_PROCESS = r"""
import datetime, sys
from pathlib import Path
from generator.plan.documents import Document, Heading, Items, Paragraph, Table
from generator.render.docx import docx_bytes
doc = eval(sys.argv[2])  # the document's repr: its classes and a date
made = docx_bytes(doc, sys.argv[3], True, Path(sys.argv[1]))
held = sorted(m for m in ("docx", "lxml", "generator.render.docx_blank") if m in sys.modules)
sys.stdout.buffer.write(repr(held).encode() + b"\n" + made)
"""


def test_a_later_process_writes_the_docx_from_the_kept_skeleton_alone(kept):
    import subprocess
    import sys

    root = Path(__file__).parent.parent
    doc = DOCUMENTS["every block"]
    args = [sys.executable, "-c", _IN_A_NEW_PROCESS, str(kept), repr(doc), AUTHOR]
    ran = subprocess.run(args, capture_output=True, check=True, cwd=root)
    held, made = ran.stdout.split(b"\n", 1)
    assert held == b"[]"  # neither python-docx nor lxml imported
    assert made == reference(doc, AUTHOR)


def _damaged(how: str) -> bytes:
    """A skeleton file damaged in one way."""
    import hashlib
    import os
    import pickle

    saved = blank.made().saved()
    if how == "truncated":
        return saved[: len(saved) // 2]
    if how == "a byte changed":
        return saved[:-100] + bytes([saved[-100] ^ 1]) + saved[-99:]
    if how == "empty":
        return b""
    data = {
        "names a function": pickle.dumps(os.system),  # refused: plain values only
        "another shape": pickle.dumps((1, 2, 3)),
        "no marks": pickle.dumps((*pickle.loads(saved[32:])[:7], "no marks")),
    }[how]
    return hashlib.sha256(data).digest() + data


@pytest.mark.parametrize(
    "how",
    ["truncated", "a byte changed", "empty", "names a function", "another shape", "no marks"],
)
def test_a_damaged_skeleton_is_made_again(tmp_path, how):
    from generator.render import docx_blank

    (tmp_path / "skeleton.pickle").write_bytes(_damaged(how))
    doc = DOCUMENTS["every block"]
    assert writer.docx_bytes(doc, AUTHOR, True, tmp_path) == reference(doc, AUTHOR)
    again = writer._Skeleton.read((tmp_path / "skeleton.pickle").read_bytes())
    assert again == docx_blank.made()  # written again, whole
    assert sorted(p.name for p in tmp_path.iterdir()) == ["skeleton.pickle"]


def test_a_skeleton_folder_that_cannot_be_made_only_costs_making_it(tmp_path):
    not_a_folder = tmp_path / "a-file"
    not_a_folder.write_text("", encoding="utf-8")
    doc = DOCUMENTS["subtitle"]
    assert writer.docx_bytes(doc, AUTHOR, True, not_a_folder / "docx") == reference(doc, AUTHOR)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a-file"]


def test_a_property_python_docx_refuses_is_refused():
    with pytest.raises(ValueError):
        reference(_document((), title="长" * 256), AUTHOR)
    with pytest.raises(ValueError):
        writer.docx_bytes(_document((), title="长" * 256), AUTHOR)
    doc = _document((), title="长" * 255)
    assert writer.docx_bytes(doc, AUTHOR) == reference(doc, AUTHOR)
    with pytest.raises(ValueError):
        writer.docx_bytes(_document(()), "作者\x01")


def test_a_document_with_many_lists_numbers_each_as_python_docx_does():
    blocks = tuple(Items((f"{m}月第一项", f"{m}月第二项"), start=1 + m % 3) for m in range(40))
    doc = _document(blocks, kind="summary")
    assert writer.docx_bytes(doc, AUTHOR) == reference(doc, AUTHOR)


@pytest.mark.parametrize("char", ["\x00", "\x01", "\x0b", "\x0c", "\x1f", "\ufffe", "\uffff"])
@pytest.mark.parametrize("where", ["title", "paragraph", "item", "cell"])
def test_a_character_xml_cannot_hold_is_refused_as_python_docx_refuses_it(char, where):
    text = f"before{char}after"
    blocks: dict[str, tuple[Block, ...]] = {
        "title": (),
        "paragraph": (Paragraph(text),),
        "item": (Items((text,)),),
        "cell": (Table(("h",), ((text,),)),),
    }
    doc = _document(blocks[where], title=text if where == "title" else "标题")
    with pytest.raises(ValueError):
        reference(doc, AUTHOR)
    with pytest.raises(ValueError):
        writer.docx_bytes(doc, AUTHOR)


def test_a_row_of_the_wrong_length_is_refused_as_python_docx_refuses_it():
    doc = _document((Table(("a", "b"), (("1", "2", "3"),)),))
    with pytest.raises(ValueError):
        reference(doc, AUTHOR)
    with pytest.raises(ValueError):
        writer.docx_bytes(doc, AUTHOR)


def test_documents_made_one_after_another_do_not_share_their_bodies():
    first, second = DOCUMENTS["every block"], DOCUMENTS["long table"]
    writer.docx_bytes(first, AUTHOR)
    assert writer.docx_bytes(second, AUTHOR) == reference(second, AUTHOR)
    assert writer.docx_bytes(first, AUTHOR) == reference(first, AUTHOR)


def _zipfile(entries: list[tuple[str, bytes]]) -> bytes:
    """The entries as `zipfile` writes them deflated, each stamped ZIP_TIME as `restamped`."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for name, data in entries:
            entry = zipfile.ZipInfo(name, writer.ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            entry.create_system = 0
            dst.writestr(entry, data)
    return out.getvalue()


def test_the_zip_is_byte_for_byte_what_zipfile_writes():
    entries = [
        ("[Content_Types].xml", b"<Types/>"),
        ("word/empty.xml", b""),
        ("word/styles.xml", b"<w:styles>" + b"<w:style/>" * 5000 + b"</w:styles>"),
        ("media/图片.bin", bytes(range(256)) * 40),
    ]
    made = writer._zip([writer._packed(name, data) for name, data in entries])
    assert made == _zipfile(entries)
    with zipfile.ZipFile(io.BytesIO(made)) as read:
        assert read.testzip() is None
        assert [(i.filename, read.read(i)) for i in read.infolist()] == entries
