"""The one hook through which a stage may reuse earlier work: passed in, never global.

A `Memo` is handed to the read stage (every file a build reads goes through `load`) and to
the renderers of Markdown and feeds (`lookup`, by value). A build uses the persistent
`cache.BuildCache`; the live preview keeps its own in memory (`serve.memo.PreviewMemo`),
which also knows which files changed since the last build; `NO_MEMO` does the work every
time. Whatever a memo gives back must be what the work would give: the stages never ask
which memo they have.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterator
from pathlib import Path
from typing import Any, Protocol, TypeVar, cast

T = TypeVar("T")


class Memo(Protocol):
    def load(self, name: str, read: Callable[[], T]) -> T:
        """`read()`: reads input file `name` (relative to the site folder) and what
        follows from its text alone."""
        ...

    def lookup(self, namespace: str, key: Hashable, compute: Callable[[], T]) -> T:
        """`compute()`, a pure function of `key` (within `namespace`)."""
        ...

    def keep(
        self, namespace: str, name: str, inputs: tuple[Any, ...], compute: Callable[[], T]
    ) -> T:
        """`compute()`, a pure function of `inputs` (objects, compared with the last call's
        for `name` by identity, else by value): what one term gives (its calendar, its
        feeds' events), kept from the last build while what it is made of is the same.
        An iterator is kept as the list of what it gives, and that list given back: a memo
        that keeps nothing hands the iterator on, and a big value is never held whole."""
        ...

    def files_under(self, name: str) -> object:
        """What stands for the files under folder `name` (relative to the site folder) in
        `keep`'s inputs: equal to the last build's while none of them changed, added or
        went away (a kind's whole load kept through an edit elsewhere)."""
        ...

    def kept_for(self, namespace: str) -> Path | None:
        """Where what depends on installed packages alone, no site's inputs, is kept
        between builds (`cache.KEPT_BY_VERSION`: "lunar", "docx"); None: made each time."""
        ...

    def offer(self, namespace: str, key: Hashable, make: Callable[[], Any]) -> None:
        """What a later `lookup(namespace, key, …)` would compute (`make()`), offered
        where what it is made of is at hand: a Markdown text's plain text, for the search
        index, by the process that has just rendered its HTML. A memo may make it now and
        give it to that lookup, or ignore the offer (the lookup then computes it)."""
        ...


class NoMemo:
    def load(self, name: str, read: Callable[[], T]) -> T:
        return read()

    def lookup(self, namespace: str, key: Hashable, compute: Callable[[], T]) -> T:
        return compute()

    def keep(
        self, namespace: str, name: str, inputs: tuple[Any, ...], compute: Callable[[], T]
    ) -> T:
        return compute()

    def files_under(self, name: str) -> object:
        return object()

    def kept_for(self, namespace: str) -> Path | None:
        return None

    def offer(self, namespace: str, key: Hashable, make: Callable[[], Any]) -> None:
        pass


NO_MEMO: Memo = NoMemo()


def same_inputs(last: tuple[Any, ...], inputs: tuple[Any, ...]) -> bool:
    """What `Memo.keep` asks of the inputs of the call it kept: the same objects, or equal
    ones of the same types."""
    return len(last) == len(inputs) and all(
        a is b or (type(a) is type(b) and a == b) for a, b in zip(last, inputs, strict=True)
    )


Kept = dict[tuple[str, str], tuple[tuple[Any, ...], Any]]


def kept_value(
    kept: Kept, slot: tuple[str, str], inputs: tuple[Any, ...], compute: Callable[[], T]
) -> T:
    """`Memo.keep` over the table `kept`: the value of the last call for `slot` when its
    inputs are the same (`same_inputs`), else computed and kept with them."""
    last = kept.get(slot)
    if last is not None and same_inputs(last[0], inputs):
        return last[1]  # type: ignore[no-any-return]
    value = compute()
    if isinstance(value, Iterator):  # gone through once: what it gives is what is kept
        value = cast(T, list(value))
    kept[slot] = (inputs, value)
    return value


class Remembering:
    """`memo`, and everything looked up through it kept for as long as this object lives:
    for work one call repeats (an item stands in up to three feeds) whatever `memo` keeps."""

    def __init__(self, memo: Memo) -> None:
        self.memo = memo
        self._kept: dict[tuple[str, Hashable], object] = {}

    def load(self, name: str, read: Callable[[], T]) -> T:
        return self.memo.load(name, read)

    def lookup(self, namespace: str, key: Hashable, compute: Callable[[], T]) -> T:
        slot = (namespace, key)
        if slot not in self._kept:
            self._kept[slot] = self.memo.lookup(namespace, key, compute)
        return self._kept[slot]  # type: ignore[return-value]

    def keep(
        self, namespace: str, name: str, inputs: tuple[Any, ...], compute: Callable[[], T]
    ) -> T:
        return self.memo.keep(namespace, name, inputs, compute)

    def files_under(self, name: str) -> object:
        return self.memo.files_under(name)

    def kept_for(self, namespace: str) -> Path | None:
        return self.memo.kept_for(namespace)

    def offer(self, namespace: str, key: Hashable, make: Callable[[], Any]) -> None:
        self.memo.offer(namespace, key, make)

    def once(self, key: Hashable, compute: Callable[[], T]) -> T:
        """`compute()` once for this object's life, never through `memo` (a key may name
        an object by its identity while that object is alive)."""
        slot = ("", key)
        if slot not in self._kept:
            self._kept[slot] = compute()
        return self._kept[slot]  # type: ignore[return-value]
