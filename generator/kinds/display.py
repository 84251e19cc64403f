"""Themed book displays (主题展示): content/displays/<id>.yaml, shown on the calendar over
their dates, with their books and pictures."""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Any

from generator.assemble.content import Dated, Doc, ImageFile, Link, Loader, position
from generator.kinds.base import Kind
from generator.memo import Memo
from generator.model.base import N_
from generator.model.display import Display
from generator.model.term import Event
from generator.plan import urls
from generator.plan.pages import Job, NavItem, Planner
from generator.read import media
from generator.read.words import Words
from generator.render.search_index import SearchEntry, joined, plain

_NOT_A_FILE = {"zh": "不是普通文件", "en": "it is not a regular file"}


def _checked(file: Path, src: str) -> media.Accepted | media.Refused:
    """The picture at `file` (a regular file inside content/), read once and checked: what
    it holds, not its name, decides; a file over the limit is not read past it."""
    try:
        # non-blocking, then checked again on the open file: a FIFO put in its place after
        # `is_file()` must not hang the build (O_NONBLOCK does not exist on Windows)
        fd = os.open(file, os.O_RDONLY | getattr(os, "O_BINARY", 0) | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(fd, "rb") as f:
            if not stat.S_ISREG(os.fstat(f.fileno()).st_mode):
                return media.Refused("E412", {"detail": _NOT_A_FILE})
            data = f.read(media.MAX_IMAGE_BYTES + 1)
    except OSError as exc:
        return media.Refused(
            "E412",
            {"detail": {"zh": f"无法读取（{exc.strerror}）", "en": f"unreadable ({exc.strerror})"}},
        )
    if len(data) > media.MAX_IMAGE_BYTES:
        return media.too_big(file.stat().st_size)
    return media.check_image(src, data)


class DisplayKind(Kind):
    """A display is one calendar item over its dates; its pictures are published."""

    def load(self, loader: Loader) -> tuple[Doc[Display], ...]:
        docs = []
        content = (loader.root / "content").resolve()
        for did, display, marked in loader.files(self, Display):
            for i, image in enumerate(display.images):
                file = (content / image.src).resolve()
                at = ("images", i, "src")
                if not file.is_relative_to(content) or not file.is_file():
                    loader.problems.append(marked.problem("E410", at, value=image.src))
                    continue
                src = file.relative_to(content).as_posix()
                loader.referenced.add(src)  # read as a picture, whatever it turns out to be
                checked = _checked(file, src)
                if isinstance(checked, media.Refused):
                    loader.problems.append(
                        marked.problem(checked.code, at, value=image.src, **checked.params)
                    )
                    continue
                if checked.removed:
                    loader.problems.append(
                        marked.problem("W415", at, value=image.src, removed=list(checked.removed))
                    )
                loader.images.append(ImageFile(src, file, checked.data))
            docs.append(self._display(loader, did, display, marked))
        return tuple(docs)

    def _display(self, loader: Loader, did: str, display: Display, marked: Any) -> Doc[Display]:
        if loader.inside(marked, ("from",), display.from_) and loader.inside(
            marked, ("to",), display.to
        ):
            event = Event.model_validate(
                {
                    "title": loader.say(N_("主题展示：%(title)s")) % {"title": display.title},
                    "from": display.from_,
                    "to": display.to,
                    "category": "display",
                    "location": display.location,
                    "owner": display.curator,
                    "display": did,
                }
            )
            loader.dated.append(Dated(event, position(marked, ()), Link("display", did)))
        return Doc(did, display, marked.source.name)

    def nav(self, site: Any) -> list[NavItem]:
        return [NavItem(N_("主题展示"), urls.displays(), "displays")]

    def jobs(self, planner: Planner, views: tuple[Doc[Display], ...]) -> list[Job]:
        jobs = [
            Job(
                urls.displays(),
                "displays.html",
                {"displays": views},
                "displays",
                frozenset(d.source for d in views),
            )
        ]
        jobs += [
            planner.linked_job(
                urls.display(d.id),
                "display.html",
                {"doc": d},
                "displays",
                frozenset((d.source,)),
                planner.links.of("display", d.id, (Link("display", d.id),)),
            )
            for d in views
        ]
        return jobs

    def search(self, display: Doc[Display], w: Words, memo: Memo) -> list[SearchEntry]:
        d, page = display.model, urls.display(display.id)
        entry = SearchEntry(
            "display",
            d.title,
            page,
            joined(w.span(d.from_, d.to), d.location),
            joined(d.location),
            joined(plain(memo, d.description), *(img.alt for img in d.images)),
        )
        return [
            entry,
            *(
                SearchEntry(
                    "book",
                    b.title,
                    urls.display(display.id, f"book-{i}"),
                    d.title,
                    joined(b.author, b.isbn, b.call_number),
                )
                for i, b in enumerate(d.books, start=1)
            ),
        ]


KIND = DisplayKind(
    name="display",
    folder="displays",
    words={"zh": "主题展示", "en": "display"},
    linkable=True,
    schema=("display", "主题展示"),
    model=Display,
    search_labels={"display": N_("主题展示"), "book": N_("展出图书")},
    menu=30,
)
