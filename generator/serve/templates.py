"""The templates each page loaded, recorded by the Jinja environment as it loads them.

Like Lektor's template loader: every name asked for (extends, import, include, even one
that does not exist yet, or each candidate of a `select_template`) is noted, so a change to
any of them renders exactly the pages that loaded it.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from typing import Any

from jinja2 import Environment

TEMPLATE = "template:"


def template_input(name: str) -> str:
    """How a template is named among the inputs a change can name."""
    return TEMPLATE + name


class RecordingEnvironment(Environment):
    """Records the templates a page loaded and the reads it made (`reading`)."""

    _loaded: set[str] | None = None
    _reads: set[tuple[str, str]] | None = None
    _roots: dict[int, str] | None = None
    # `{% kept %}` parts (render.environment.KeptExtension), by (where, page): the values
    # they showed, their text, and the reads and templates rendering them recorded
    _kept: dict[tuple[str, Any], tuple[tuple[Any, ...], str, set[tuple[str, str]], set[str]]]

    def forget_kept(self) -> None:
        """Drop every kept part: a full build (the settings, the date) renders them all."""
        self._kept = {}

    def kept(self, slot: tuple[str, Any], values: tuple[Any, ...], caller: Any) -> str:
        """The part's last text for this page while its values are equal, its reads and
        templates recorded again for the page as if it had been rendered."""
        kept = self.__dict__.setdefault("_kept", {})
        last = kept.get(slot)
        if (
            last is not None
            and len(last[0]) == len(values)
            and all(
                a is b or (type(a) is type(b) and a == b)
                for a, b in zip(last[0], values, strict=True)
            )
        ):
            text, reads, loaded = last[1], last[2], last[3]
        else:
            outer_reads, outer_loaded = self._reads, self._loaded
            reads, loaded = set(), set()
            self._reads = reads if outer_reads is not None else None
            self._loaded = loaded if outer_loaded is not None else None
            try:
                text = caller()
            finally:
                self._reads, self._loaded = outer_reads, outer_loaded
            kept[slot] = (values, text, reads, loaded)
        if self._reads is not None:
            self._reads |= reads
        if self._loaded is not None:
            self._loaded |= loaded
        return text

    @contextmanager
    def recording(self) -> Iterator[set[str]]:
        """The templates loaded inside the block, as `template_input` names."""
        found: set[str] = set()
        self._loaded = found
        try:
            yield found
        finally:
            self._loaded = None

    def get_template(self, name: Any, parent: Any = None, globals: Any = None) -> Any:
        self._note(name)
        return super().get_template(name, parent, globals)

    def select_template(self, names: Any, parent: Any = None, globals: Any = None) -> Any:
        for name in names if isinstance(names, list | tuple) else ():
            self._note(name)  # every candidate: creating an earlier one changes the page
        return super().select_template(names, parent, globals)

    @contextmanager
    def reading(self, context: dict[str, Any]) -> Iterator[set[tuple[str, str]]]:
        """The reads a page rendered inside the block made (`plan.pages.Read`): each
        attribute or item of a context variable, and of a term calendar, month or feed
        reached through another."""
        found: set[tuple[str, str]] = set()
        self._reads, self._roots = found, {id(v): k for k, v in context.items()}
        try:
            yield found
        finally:
            self._reads, self._roots = None, None

    def getattr(self, obj: Any, attribute: str) -> Any:
        if self._reads is not None:
            self._read(obj, attribute)
        return super().getattr(obj, attribute)

    def getitem(self, obj: Any, argument: Any) -> Any:
        if self._reads is not None:
            self._read(obj, str(argument))
        return super().getitem(obj, argument)

    def _read(self, obj: Any, attribute: str) -> None:
        assert self._reads is not None and self._roots is not None
        label = self._roots.get(id(obj))
        if label is not None:
            self._reads.add((label, attribute))
        elif type(obj) in _watched():
            self._reads.add((type(obj).__name__, attribute))

    def _note(self, name: Any) -> None:
        if self._loaded is not None and isinstance(name, str):
            self._loaded.add(template_input(name))


@lru_cache(maxsize=1)
def _watched() -> frozenset[type]:
    """The objects that hold more than a page shows of them: reads on them are recorded
    wherever the page reached them (these exact types: none is subclassed)."""
    from generator.assemble.term import MonthView, TermCalendar
    from generator.plan.feeds import Feed

    return frozenset((TermCalendar, MonthView, Feed))
