"""The one hook through which a stage may reuse earlier work: passed in, never global.

A `Memo` is handed to the read stage (every file a build reads goes through `load`) and to
the renderers of Markdown and feeds (`lookup`, by value). A build uses the persistent
`cache.BuildCache`; the live preview keeps its own in memory (`serve.memo.PreviewMemo`),
which also knows which files changed since the last build; `NO_MEMO` does the work every
time. Whatever a memo gives back must be what the work would give: the stages never ask
which memo they have.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Protocol, TypeVar

T = TypeVar("T")


class Memo(Protocol):
    def load(self, name: str, read: Callable[[], T]) -> T:
        """`read()`: reads input file `name` (relative to the site folder) and what
        follows from its text alone."""
        ...

    def lookup(self, namespace: str, key: Hashable, compute: Callable[[], T]) -> T:
        """`compute()`, a pure function of `key` (within `namespace`)."""
        ...


class NoMemo:
    def load(self, name: str, read: Callable[[], T]) -> T:
        return read()

    def lookup(self, namespace: str, key: Hashable, compute: Callable[[], T]) -> T:
        return compute()


NO_MEMO: Memo = NoMemo()
