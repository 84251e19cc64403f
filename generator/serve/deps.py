"""Dependencies recorded where data and templates are read, for exact incremental rebuilds.

Two places see every read:

- data: `site.parse_and_validate` hands each parsed file to the active `ReadLog`, which
  remembers the validated model (so an unchanged file is not parsed again) and which file
  every model object inside it came from;
- templates: `RecordingEnvironment` notes every template it is asked for (extends, import,
  include, even a missing one) and every object a template touches, mapped back to the data
  files it was built from by `Provenance`.

An input is named by a string: a data file by its name relative to the site folder
(`events.yaml`, `content/terms/2025-2026-1.yaml`), a template by `template:<name>`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Collection, Hashable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cached_property
from types import MethodType
from typing import Any, TypeVar

from jinja2 import Environment
from jinja2.runtime import Context
from pydantic import BaseModel

from generator.read.text import Source

R = TypeVar("R")
F = TypeVar("F", bound=Callable[..., Any])
TEMPLATE = "template:"
_NO_FILES: frozenset[str] = frozenset()


def template_input(name: str) -> str:
    return TEMPLATE + name


@dataclasses.dataclass
class _Read:
    text: str
    result: Any
    origins: dict[int, str]  # id(model object) → file; the result keeps the objects alive


class ReadLog:
    """Every data file read while it is active: its validated result and its objects' origins."""

    def __init__(self) -> None:
        self._reads: dict[tuple[str, str], _Read] = {}
        self.files: set[str] = set()  # the files read since `begin()`
        self._derived: dict[tuple[str, str], tuple[tuple[Any, ...], Any]] = {}
        self._combined: dict[tuple[str, str, str], tuple[Any, tuple[Any, ...], Any]] = {}
        # files whose `combine`d results changed while the files did not (the sessions of an
        # unchanged roster when its term's closures change), until the reader clears it
        self.touched: set[str] = set()
        self._attributed: dict[int, str] = {}  # objects built (not parsed) from a file, per build
        self._kept: list[Any] = []  # ...kept alive while their ids are keys
        # `load`: per file, (function, arguments) → (result, the files it read)
        self._loaded: dict[str, dict[tuple[str, tuple[Any, ...]], tuple[Any, frozenset[str]]]] = {}
        self.loaded: list[str] = []  # the files `load` read in this build (not given again)

    def begin(self, changed: Collection[str] | None = None) -> None:
        """A new build. `changed` names every file changed since the last one (None: not
        known, so every file is read again)."""
        self.files = set()
        self._attributed = {}
        self._kept = []
        self.loaded = []
        if changed is None:
            self._loaded = {}
        else:
            for name in changed:
                self._loaded.pop(name, None)

    def load(self, name: str, load: Callable[..., R], *args: Any) -> R:
        results = self._loaded.setdefault(name, {})
        key = (load.__qualname__, args)
        known = results.get(key)
        if known is not None:
            self.files |= known[1]
            return known[0]  # type: ignore[no-any-return]
        self.loaded.append(name)
        before = self.files
        self.files = set()
        try:
            result = load(*args)
            results[key] = (result, frozenset(self.files))
        finally:
            self.files |= before
        return result

    def attribute(self, name: str, objects: tuple[Any, ...]) -> None:
        for obj in objects:
            self._attributed[id(obj)] = name
            self._kept.append(obj)

    def read(self, source: Source, kind: type, parse: Callable[[Source, Any], R]) -> R:
        self.files.add(source.name)
        key = (source.name, kind.__qualname__)
        known = self._reads.get(key)
        if known is not None and known.text == source.text:
            return known.result  # type: ignore[no-any-return]
        result = parse(source, kind)
        self._reads[key] = _Read(source.text, result, _origins(result, source.name))
        return result

    def derive(self, name: str, build: Callable[..., R], *args: Any) -> R:
        key = (name, build.__qualname__)
        known = self._derived.get(key)
        if (
            known is not None
            and len(known[0]) == len(args)
            and all(a is b for a, b in zip(known[0], args, strict=True))
        ):
            return known[1]  # type: ignore[no-any-return]
        result = build(*args)
        self._derived[key] = (args, result)
        origins = self._reads_of(name)
        if origins is not None:
            _claim(result, name, origins)
        return result

    def combine(
        self,
        name: str,
        build: Callable[..., R],
        own: Any,
        others: tuple[Any, ...],
        part: str,
        touch: bool,
    ) -> R:
        key = (name, build.__qualname__, part)
        known = self._combined.get(key)
        if known is not None and known[0] is own:
            if known[1] == others:
                return known[2]  # type: ignore[no-any-return]
            if touch:
                self.touched.add(name)
        result = build(own, *others)
        self._combined[key] = (own, others, result)
        return result

    def _reads_of(self, name: str) -> dict[int, str] | None:
        return next((r.origins for (n, _), r in self._reads.items() if n == name), None)

    def origins(self) -> dict[int, str]:
        """Origins of the objects of the files read in this build only (older ids may be reused)."""
        merged: dict[int, str] = {}
        for (name, _), read in self._reads.items():
            if name in self.files:
                merged.update(read.origins)
        merged.update(self._attributed)
        return merged


_active: ContextVar[ReadLog | None] = ContextVar("read_log", default=None)


@contextmanager
def reading(log: ReadLog, changed: Collection[str] | None = None) -> Iterator[ReadLog]:
    """Make `log` see every data file read inside the block; `changed` names the files
    changed since the log's last block (None: unknown)."""
    log.begin(changed)
    token = _active.set(log)
    try:
        yield log
    finally:
        _active.reset(token)


def track_read(source: Source, kind: type, parse: Callable[[Source, Any], R]) -> R:
    """`parse(source, kind)`, seen by the active `ReadLog` if there is one (only in serve)."""
    log = _active.get()
    return parse(source, kind) if log is None else log.read(source, kind, parse)


def track_load(name: str, load: Callable[..., R], *args: Any) -> R:
    """`load(*args)`, a pure function of the content of file `name` (and of no other file).

    Under an active `ReadLog` that was told which files changed, the last result for an
    unchanged `name` is given again without reading the file at all: on a site of 4,000
    articles, reading and splitting each one again was most of an edit's load time.
    `load` must not call `attribute` (what it attributes would not be replayed).
    """
    log = _active.get()
    return load(*args) if log is None else log.load(name, load, *args)


def attribute(name: str, *objects: Any) -> None:
    """Objects a loader built from file `name` (not parsed from it) belong to that file."""
    log = _active.get()
    if log is not None:
        log.attribute(name, objects)


def track_derived(name: str, build: Callable[..., R], *args: Any) -> R:
    """`build(*args)`, a pure function of the file `name` (already read) and plain values.

    Under an active `ReadLog` the result is reused while the file's parsed result is the
    same object, and every object in it is known to come from `name` alone.
    """
    log = _active.get()
    return build(*args) if log is None else log.derive(name, build, *args)


def track_combined(
    name: str, build: Callable[..., R], own: Any, *others: Any, part: str = "", touch: bool = False
) -> R:
    """`build(own, *others)`: `own` read from file `name`, `others` equal-comparable values
    (objects of other files among them, which their loaders `attribute`); `part` tells
    apart several results of one file.

    Under an active `ReadLog` the last result is given again while `own` is the same object
    and `others` are equal to last time's. Nothing in it is claimed for `name`: what came
    from the other files is still theirs, and the caller attributes it again. With `touch`,
    when only `others` changed, `name` is `ReadLog.touched`: the result is charged to
    `name` alone, and pages showing it must be rendered again though the file did not change.
    """
    log = _active.get()
    if log is None:
        return build(own, *others)
    return log.combine(name, build, own, others, part, touch)


def _claim(result: Any, name: str, origins: dict[int, str]) -> None:
    """Mark the containers and dataclasses built by a one-file function as that file's.

    Containers of plain values only (the empty tuple above all) may be shared by Python
    between files, so they are left alone; they hold nothing from a file anyway.
    """
    stack = [result]
    while stack:
        value = stack.pop()
        if isinstance(value, BaseModel) or not _composite(value) or id(value) in origins:
            continue
        children = list(_children(value))
        if isinstance(value, list | tuple | set | frozenset | Mapping) and not any(
            _composite(c) for c in children
        ):
            continue
        origins[id(value)] = name
        stack.extend(children)


def _origins(result: Any, name: str) -> dict[int, str]:
    found: dict[int, str] = {}

    def walk(value: Any) -> None:
        if isinstance(value, BaseModel):
            if id(value) in found:
                return
            found[id(value)] = name
            for child in value.__dict__.values():
                walk(child)
        elif isinstance(value, list | tuple | set | frozenset):
            for child in value:
                walk(child)
        elif isinstance(value, Mapping):
            for child in value.values():
                walk(child)
        elif dataclasses.is_dataclass(value) and not isinstance(value, type):
            walk(getattr(value, "model", None))

    walk(result)
    return found


class Provenance:
    """Which data files an object of the assembled site was built from.

    A model object read from a file belongs to that file; anything assembled from them
    (a month, a day, an occurrence) belongs to the files of what it holds.
    """

    def __init__(self, origins: dict[int, str], previous: Provenance | None = None) -> None:
        self._origins = origins
        self._memo: dict[int, frozenset[str]] = {}
        self._all: dict[int, frozenset[str]] = {}  # all_of, asked again on every attribute
        self._keep: list[Any] = []  # memo keys are ids: keep the objects alive meanwhile
        self._plain: dict[int, str] = {}  # `plain_text`, asked for every job's shared menu
        # The last build's answers hold for the objects this build got back from it (the
        # models of unchanged files, the calendars of unchanged terms): an object never
        # changes files, and `previous` keeps its objects alive, so their ids still name them.
        self._previous = previous

    def forget_previous(self) -> None:
        """Drop the last build's answers (kept, they would chain every build's objects)."""
        self._previous = None

    def plain_text(self, value: Any) -> str:
        """`repr(value)` if no data file accounts for `value`, else ""."""
        if type(value) is str:  # a page's own path: new each build, and cheap
            return repr(value)
        key = id(value)
        known = self._plain.get(key)
        if known is None:
            if self._previous is not None:
                known = self._previous._plain.get(key)
            if known is None:
                known = "" if self.of(value) else repr(value)
            self._plain[key] = known
            self._keep.append(value)
        return known

    def of(self, value: Any) -> frozenset[str]:
        """The files `value` was built from: exact when at most one, else two or more of them.

        Stopping at the second file keeps touching the whole site (or a list of terms)
        cheap; only what is built from a single file needs its exact answer.
        """
        kind = type(value)
        composite = _COMPOSITE.get(kind)
        if composite is None:
            composite = _composite(value)
        if not composite:
            return _NO_FILES
        key = id(value)
        own = self._origins.get(key)
        if own is not None:
            return _file_set(own)
        known = self._memo.get(key)
        if known is not None:
            return known
        self._keep.append(value)
        if self._previous is not None:
            known = self._previous._memo.get(key)
            if known is not None:
                self._memo[key] = known
                return known
        self._memo[key] = _NO_FILES  # a cycle contributes nothing new
        files: set[str] = set()
        for child in _children(value):
            files |= self.of(child)
            if len(files) > 1:
                break
        result = frozenset(files)
        self._memo[key] = result
        return result

    def all_of(self, value: Any) -> frozenset[str]:
        """Every file `value` was built from (for what an object of several files computes)."""
        files = self.of(value)
        if len(files) <= 1:
            return files
        known = self._all.get(id(value))  # `of` above keeps `value` alive for this id
        if known is None and self._previous is not None:
            known = self._previous._all.get(id(value))
            if known is not None:
                self._all[id(value)] = known
        if known is not None:
            return known
        self._all[id(value)] = files  # a cycle: what `of` found so far
        found: set[str] = set()
        for child in _children(value):
            found |= self.all_of(child)
        result = frozenset(found)
        self._all[id(value)] = result
        return result


_COMPOSITE: dict[type, bool] = {}  # per type, since templates ask on every attribute
_FILE_SETS: dict[str, frozenset[str]] = {}


def _file_set(name: str) -> frozenset[str]:
    """`frozenset((name,))`, made once per file: `of` is asked on every attribute read."""
    found = _FILE_SETS.get(name)
    if found is None:
        found = _FILE_SETS[name] = frozenset((name,))
    return found


def _composite(value: Any) -> bool:
    kind = type(value)
    known = _COMPOSITE.get(kind)
    if known is None:
        known = _COMPOSITE[kind] = issubclass(
            kind, BaseModel | list | tuple | set | frozenset | Mapping
        ) or (dataclasses.is_dataclass(kind))
    return known


def _children(value: Any) -> Iterator[Any]:
    if isinstance(value, BaseModel):
        yield from value.__dict__.values()
    elif isinstance(value, list | tuple | set | frozenset):
        yield from value
    elif isinstance(value, Mapping):
        yield from value.values()
    else:
        for f in dataclasses.fields(value):
            yield getattr(value, f.name)


_READS = "__reads__"


def reads(*fields: str) -> Callable[[F], F]:
    """Mark a property of an object made from several files as computed from these of its
    fields only: reading it is charged to their files, not to every file of the object
    (the URL prefix of a term calendar comes from its term, not from its thousand items)."""

    def mark(getter: F) -> F:
        setattr(getter, _READS, fields)
        return getter

    return mark


QueryCall = tuple[str, tuple[Any, ...]]  # a query method's name and its arguments
_QUERY_KEY = "__query_key__"


def query(key: Callable[[Any], Hashable]) -> Callable[[F], F]:
    """Mark a method of the whole site whose answer a page depends on by value.

    Charged like any computed attribute, a lookup on the site (the calendar link of one
    roster session) would make the page depend on every file of the site. A page instead
    records the call and `key(answer)`; it is rendered again only when asking the new site
    gives another key. `key` keeps what the page shows of the answer that is not read
    (and so recorded) through its attributes, e.g. which items, by file and anchor.
    """

    def mark(method: F) -> F:
        setattr(method, _QUERY_KEY, key)
        return method

    return mark


def answer(owner: Any, call: QueryCall) -> Hashable:
    """The key of a recorded query's answer, asked of `owner` (the site, old or new)."""
    name, args = call
    method = getattr(owner, name)
    return getattr(method, _QUERY_KEY)(method(*args))  # type: ignore[no-any-return]


@dataclasses.dataclass
class Recorded:
    """What one job read: input names, and the site queries it asked with their answers."""

    inputs: set[str] = dataclasses.field(default_factory=set)
    queries: dict[QueryCall, Hashable] = dataclasses.field(default_factory=dict)


class RecordingContext(Context):
    def resolve_or_missing(self, key: str) -> Any:
        value = super().resolve_or_missing(key)
        env = self.environment
        if isinstance(env, RecordingEnvironment):
            env.note(value)
        return value


class RecordingEnvironment(Environment):
    """A Jinja environment that records, per rendered job, every input the job read.

    An object built from several files (the whole site, the list of terms) records nothing
    when touched: only the parts taken from it do, so a page listing terms depends on each
    term file, but a page that only shows `site.today` depends on none. What such an object
    computes (a property, a method) is charged to all of its files.
    """

    context_class = RecordingContext
    provenance: Provenance = Provenance({})
    inputs: set[str] | None = None
    _recorded: Recorded | None = None

    @contextmanager
    def recording(self) -> Iterator[Recorded]:
        found = Recorded()
        self.inputs, self._recorded = found.inputs, found
        try:
            yield found
        finally:
            self.inputs, self._recorded = None, None

    def note(self, value: Any, owner: Any = None, attribute: Any = None) -> None:
        if self.inputs is None:
            return
        files = self.provenance.of(value)
        if len(files) == 1:
            self.inputs |= files
        elif not files and owner is not None:
            from_owner = self.provenance.of(owner)
            if len(from_owner) == 1:
                self.inputs |= from_owner
            elif from_owner and _computed(owner, attribute, value):
                fields = _fields_read(owner, attribute)
                if fields is None:
                    self.inputs |= self.provenance.all_of(owner)
                else:
                    for name in fields:
                        self.inputs |= self.provenance.all_of(getattr(owner, name))

    def getattr(self, obj: Any, attribute: str) -> Any:
        value = super().getattr(obj, attribute)
        if type(value) is MethodType and self._recorded is not None:
            key = getattr(value.__func__, _QUERY_KEY, None)
            if key is not None:
                return self._query(value, attribute, key)
        self.note(value, obj, attribute)
        return value

    def _query(self, method: MethodType, name: str, key: Callable[[Any], Hashable]) -> Any:
        recorded = self._recorded

        def asked(*args: Any) -> Any:
            result = method(*args)
            if recorded is not None:
                recorded.queries[(name, args)] = key(result)
            return result

        return asked

    def getitem(self, obj: Any, argument: Any) -> Any:
        value = super().getitem(obj, argument)
        self.note(value, obj, argument)
        return value

    def get_template(self, name: Any, parent: Any = None, globals: Any = None) -> Any:
        self._note_template(name)
        return super().get_template(name, parent, globals)

    def select_template(self, names: Any, parent: Any = None, globals: Any = None) -> Any:
        for name in names if isinstance(names, list | tuple) else ():
            self._note_template(name)  # every candidate: creating an earlier one changes the page
        return super().select_template(names, parent, globals)

    def _note_template(self, name: Any) -> None:
        if self.inputs is not None and isinstance(name, str):
            self.inputs.add(template_input(name))


def _fields_read(owner: Any, attribute: Any) -> tuple[str, ...] | None:
    found = getattr(type(owner), attribute, None) if isinstance(attribute, str) else None
    if isinstance(found, property):
        found = found.fget
    return getattr(found, _READS, None)


def _computed(owner: Any, attribute: Any, value: Any) -> bool:
    if callable(value):
        return True
    return isinstance(attribute, str) and isinstance(
        getattr(type(owner), attribute, None), property | cached_property
    )


PlainFingerprint = tuple[tuple[str, str], ...]


def plain_fingerprint(context: Mapping[str, Any], provenance: Provenance) -> PlainFingerprint:
    """What a job's context holds that no data file accounts for (the menu, the date).

    Values made from data files are tracked by what the templates read; the rest is
    compared as text, so a job whose plain context changed is rendered again.
    """
    # The same menu and date stand in thousands of jobs: their text is made once per build,
    # and shared, not copied, by each job's fingerprint.
    known, plain_text = provenance._plain, provenance.plain_text
    texts = []
    for key, value in context.items():
        text = known.get(id(value)) if type(value) is not str else None
        if text is None:
            text = plain_text(value)
        if text:
            texts.append((key, text))
    texts.sort()
    return tuple(texts)
