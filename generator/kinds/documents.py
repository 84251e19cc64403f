"""The term's documents (工作计划 and 工作总结): no files of their own, made from the whole
site (`plan.documents`). For each term a page of each, which prints on A4 portrait, and
the same document as a .docx for the office to edit (`render.docx`)."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, Any

from generator.cache import installed
from generator.kinds.base import Kind
from generator.memo import Memo
from generator.model.base import N_
from generator.plan import documents, urls
from generator.plan.pages import Job, NavItem, Planner

if TYPE_CHECKING:
    from generator.assemble.site import Site
    from generator.assemble.term import TermCalendar


class DocumentKind(Kind):
    def load(self, loader: Any) -> tuple[Any, ...]:
        return ()

    def nav(self, site: Site) -> list[NavItem]:
        return [NavItem(N_("工作计划与总结"), urls.work_plan(site.current), "documents")]

    def jobs(self, planner: Planner, views: tuple[Any, ...]) -> list[Job]:
        site = planner.site
        jobs = []
        for term in site.terms:
            # through the build's memo: its .docx (`files`) are made of the same documents
            shown = documents.shown(site, term)
            plan, summary = documents.made(shown, planner.memo)
            # what it shows is all in the document, its key: a page made again exactly
            # when its document changed (the next term's dates, a result, an honour)
            files = documents.sources(shown)
            for doc, path, docx_path, other in (
                (plan, urls.work_plan(term), urls.work_plan_docx(term), urls.work_summary(term)),
                (
                    summary,
                    urls.work_summary(term),
                    urls.work_summary_docx(term),
                    urls.work_plan(term),
                ),
            ):
                jobs.append(
                    Job(
                        path,
                        "document.html",
                        {"term": term, "doc": doc, "docx": docx_path, "other": other},
                        "documents",
                        files,
                        (doc,),
                    )
                )
        return jobs

    def file_tasks(self, site: Site, memo: Memo) -> list[Callable[[], dict[str, bytes]]]:
        """A term's two .docx a piece: a cold build's workers write them beside the pages."""
        return [partial(_term_files, site, term, memo) for term in site.terms]


def _term_files(site: Site, term: TermCalendar, memo: Memo) -> dict[str, bytes]:
    zh = site.words.locale.language == "zh"
    author = site.settings.library
    plan, summary = documents.made(documents.shown(site, term), memo)
    return {
        urls.work_plan_docx(term): _docx(memo, plan, author, zh),
        urls.work_summary_docx(term): _docx(memo, summary, author, zh),
    }


def _docx(memo: Memo, doc: documents.Document, author: str, zh: bool) -> bytes:
    """A document's .docx, kept by what it is made of: its words, its date, the author and
    the python-docx that writes it (the preview and the build cache reuse it)."""

    def make() -> bytes:
        from generator.render.docx import docx_bytes

        return docx_bytes(doc, author, zh, memo.kept_for("docx"))

    key = (repr(doc), author, str(zh), installed("docx", "python_docx") or "")
    return memo.lookup("docx", key, make)


KIND = DocumentKind(
    name="document",
    folder="",  # no files: made from the calendar and every other kind
    words={"zh": "工作计划与总结", "en": "work plan and summary"},
    model=documents.Document,
    menu=48,
)
