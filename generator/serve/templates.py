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
