"""The templates each page loaded, recorded by the Jinja environment as it loads them.

Like Lektor's template loader: every name asked for (extends, import, include, even one
that does not exist yet, or each candidate of a `select_template`) is noted, so a change to
any of them renders exactly the pages that loaded it.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from jinja2 import Environment

TEMPLATE = "template:"


def template_input(name: str) -> str:
    """How a template is named among the inputs a change can name."""
    return TEMPLATE + name


class RecordingEnvironment(Environment):
    _loaded: set[str] | None = None

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

    def _note(self, name: Any) -> None:
        if self._loaded is not None and isinstance(name, str):
            self._loaded.add(template_input(name))
