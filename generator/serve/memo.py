"""The preview's memo: what the last builds read and computed, kept in memory between saves.

A file the watcher did not name since the last build is not read again: its last result is
given back (the same objects). Everything else it keeps by value (a parse by the file's
text, Markdown by its text, a .docx by what it is made of), a bounded number per kind.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Hashable
from pathlib import Path
from typing import Any, TypeVar

from generator.memo import Kept, kept_value

T = TypeVar("T")
LIMIT = 100_000  # entries per namespace; past it the namespace starts again (a long session)


class PreviewMemo:
    def __init__(self) -> None:
        self._loads: dict[str, Any] = {}
        self._values: dict[str, dict[Hashable, Any]] = {}
        self._kept: Kept = {}
        self.loaded: list[str] = []  # the files read since `begin`, in order
        # `files_under`: the builds counted, the last one to change each file, and the last one
        # that could not say which files changed (every folder changed then)
        self._build = 0
        self._changed_in: dict[str, int] = {}
        self._all_changed_in = 0

    def begin(self, changed: Collection[str] | None) -> None:
        """A new build; `changed`: every file changed since the last one (None: unknown,
        so every file is read again)."""
        self.loaded = []
        self._build += 1
        if changed is None:
            self._loads = {}
            self._kept = {}
            self._changed_in = {}
            self._all_changed_in = self._build
        else:
            for name in changed:
                self._loads.pop(name, None)
                self._changed_in[name] = self._build

    def load(self, name: str, read: Callable[[], T]) -> T:
        if name in self._loads:
            return self._loads[name]  # type: ignore[no-any-return]
        self.loaded.append(name)
        result = self._loads[name] = read()
        return result

    def lookup(self, namespace: str, key: Hashable, compute: Callable[[], T]) -> T:
        table = self._values.setdefault(namespace, {})
        if key in table:
            return table[key]  # type: ignore[no-any-return]
        if len(table) >= LIMIT:
            table.clear()
        value = table[key] = compute()
        return value

    def offer(self, namespace: str, key: Hashable, make: Callable[[], Any]) -> None:
        """Ignored: a lookup computes it once and keeps it, and the preview looks up only
        what an edit changed."""

    def kept_for(self, namespace: str) -> Path | None:
        """The user's folder (`cache.KEPT_BY_VERSION`): the preview's own computing is
        kept in memory, this across sessions too."""
        from generator.cache import KEPT_BY_VERSION

        return KEPT_BY_VERSION[namespace]()

    def files_under(self, name: str) -> object:
        """The last build that changed a file under `name` (or `name`, or a folder holding
        it: a folder renamed); the changed names are the few files a session edits."""
        inside = name + "/"
        return max(
            (
                built
                for changed, built in self._changed_in.items()
                if changed == name or changed.startswith(inside) or inside.startswith(changed + "/")
            ),
            default=self._all_changed_in,
        )

    def keep(
        self, namespace: str, name: str, inputs: tuple[Any, ...], compute: Callable[[], T]
    ) -> T:
        """The value of the last call for `name` when its inputs are the same objects (or
        equal ones); it keeps them alive, so an identity is never another object's."""
        return kept_value(self._kept, (namespace, name), inputs, compute)
