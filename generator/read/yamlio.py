"""The parse stage: YAML text → plain data, with the position of every key and value.

Built on PyYAML's event stream (the C parser when installed) rather than its constructor,
so that nothing is guessed: every scalar stays the text the teacher typed (`12:30` is not
750, `no` is not False, `0571` keeps its zero) and the validator decides what it means from
the field it is in. Anchors, aliases, tags, duplicate keys and second documents are refused
with their position.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from generator.problems.problem import Problem
from generator.read import lint as hints
from generator.read.text import Source

try:
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - PyYAML without libyaml
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

Path_ = tuple[str | int, ...]
_NULLS = {"", "~", "null", "Null", "NULL"}


@dataclass(frozen=True, slots=True)  # tens of thousands on a big site: no __dict__ each
class Mark:
    line: int
    col: int

    def __reduce__(self) -> tuple[type[Mark], tuple[int, int]]:
        # the build cache keeps tens of thousands: as a plain call, not the slotted
        # dataclass's __getstate__/__setstate__, which look the fields up for each one
        return (Mark, (self.line, self.col))


@dataclass
class Marked:
    """Parsed data, and where each part of it was written (paths as in `data[a][b]`)."""

    source: Source
    data: Any
    values: dict[Path_, Mark] = field(default_factory=dict)
    keys: dict[Path_, Mark] = field(default_factory=dict)

    def mark(self, path: Path_, *, at_key: bool = False) -> Mark:
        """The closest recorded mark: the value (or key) at `path`, else its parents'."""
        table = self.keys if at_key else self.values
        for end in range(len(path), -1, -1):
            found = table.get(path[:end]) or self.values.get(path[:end])
            if found:
                return found
        return Mark(1, 1)

    def problem(self, code: str, path: Path_, *, at_key: bool = False, **params: object) -> Problem:
        m = self.mark(path, at_key=at_key)
        return self.source.problem(code, m.line, m.col, **params)


class _Container:
    __slots__ = ("flow", "key", "key_is_text", "key_mark", "path", "seen", "value")

    def __init__(self, value: dict[str, Any] | list[Any], path: Path_, flow: bool) -> None:
        self.value = value
        self.path = path
        self.flow = flow
        self.key: str | None = None  # mapping only: the key waiting for its value
        self.key_mark: Mark | None = None
        self.key_is_text = True
        self.seen: dict[str, int] = {}  # mapping only: each key's first line


class _Lines:
    """Line and column as an editor numbers them: only `\n` ends a line.

    PyYAML and libyaml also count NEL (U+0085), LS (U+2028), PS (U+2029) and a lone `\r`
    as line breaks, so one of them pasted into a value moves every later mark up a line.
    Where the text holds none (nearly always), their marks are already right; else each
    mark's character index is placed in the text's own lines."""

    __slots__ = ("starts",)

    def __init__(self, text: str) -> None:
        self.starts: list[int] | None = None
        if _OTHER_BREAKS.search(text):
            self.starts = [0, *(m.end() for m in re.finditer("\n", text))]

    def of(self, mark: Any) -> Mark:
        if self.starts is None:
            return Mark(mark.line + 1, mark.column + 1)
        line = bisect.bisect_right(self.starts, mark.index)
        return Mark(line, mark.index - self.starts[line - 1] + 1)


_OTHER_BREAKS = re.compile("[\r\x85\u2028\u2029]")
_QUOTED = "while scanning a quoted scalar"


def parse_yaml(source: Source) -> tuple[Marked, list[Problem]]:
    """Parse one YAML document. On a syntax error, the data read so far is discarded."""
    marked = Marked(source, None)
    problems: list[Problem] = []
    stack: list[_Container] = []
    documents = 0
    lines = _Lines(source.text)
    # the last quoted scalar that ran over more than one line: when the parser fails on the
    # line it ended, its opening quote was never closed (`title: "开馆` … the next `"`)
    spanning: tuple[Mark, Mark, str] | None = None

    def here(event: Any) -> Mark:
        return lines.of(event.start_mark)

    def place(value: Any, mark: Mark, event: Any) -> Path_ | None:
        """Put a finished value where it belongs; return its path (None if it was a key,
        or is dropped because its key was refused)."""
        if not stack:
            marked.data = value
            marked.values[()] = mark
            return ()
        top = stack[-1]
        if isinstance(top.value, list):
            path = (*top.path, len(top.value))
            top.value.append(value)
            marked.values[path] = mark
            return path
        if top.key is None:
            top.key_is_text = isinstance(value, str)
            if not top.key_is_text:
                problems.append(source.problem("E101", mark.line, mark.col, detail=_KEY_NOT_TEXT))
                value = "?"
            top.key, top.key_mark = value, mark
            return None
        key, key_mark, seen = top.key, top.key_mark, top.seen
        top.key = None
        assert key_mark is not None
        if not top.key_is_text:  # already reported; its value goes nowhere
            return None
        if key in seen:
            problems.append(
                source.problem("E102", key_mark.line, key_mark.col, key=key, first_line=seen[key])
            )
            return None
        path = (*top.path, key)
        seen[key] = key_mark.line
        top.value[key] = value
        marked.keys[path] = key_mark
        marked.values[path] = mark
        return path

    def refuse_decorations(event: Any) -> None:
        mark = here(event)
        if getattr(event, "anchor", None):
            problems.append(source.problem("E103", mark.line, mark.col))
        if event.tag is not None:
            problems.append(
                source.problem(
                    "E104", mark.line, mark.col, tag=event.tag.replace("tag:yaml.org,2002:", "!!")
                )
            )

    text = source.text
    # A scalar can hold a hint (`lint.in_scalar`) only where the file has a zero-width
    # character or where `lint.looks_inside` says: the rest, most of a file, is passed over
    any_zero_width = hints.has_zero_width(text)
    # typed as the base Event: told apart below by their type, which mypy does not follow
    events: Any = yaml.parse(text, Loader=_Loader)
    try:
        for event in events:
            kind = type(event)
            if kind is yaml.ScalarEvent:  # most events: tried first, by type alone
                if event.anchor or event.tag is not None:
                    refuse_decorations(event)
                style = event.style
                plain = not style  # libyaml says '' for plain, PyYAML says None
                start = lines.of(event.start_mark)
                if style == '"' or style == "'":  # only these: a mark per scalar is not free
                    end = lines.of(event.end_mark)
                    if end.line > start.line:
                        spanning = (start, end, style)
                top = stack[-1] if stack else None
                in_mapping = top is not None and type(top.value) is dict
                is_value = in_mapping and top.key is not None  # type: ignore[union-attr]
                first, last = event.start_mark.index, event.end_mark.index
                if any_zero_width or hints.looks_inside(
                    text, first, last, plain=plain, is_value=is_value
                ):
                    problems.extend(
                        hints.in_scalar(
                            source,
                            first,
                            last,
                            start.line,
                            start.col,
                            plain=plain,
                            is_key=in_mapping and not is_value,
                            is_value=is_value,
                            in_flow=top is not None and top.flow and not in_mapping,
                        )
                    )
                value = None if plain and event.value in _NULLS else event.value
                place(value, start, event)
            elif kind is yaml.MappingStartEvent or kind is yaml.SequenceStartEvent:
                refuse_decorations(event)
                container: dict[str, Any] | list[Any] = {} if kind is yaml.MappingStartEvent else []
                mark = here(event)
                path = place(container, mark, event)
                stack.append(
                    _Container(
                        container, path if path is not None else ("?",), bool(event.flow_style)
                    )
                )
            elif kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
                stack.pop()
            elif kind is yaml.DocumentStartEvent:
                documents += 1
                if documents > 1:
                    mark = here(event)
                    problems.append(source.problem("E105", mark.line, mark.col))
                    break
            elif kind is yaml.AliasEvent:
                mark = here(event)
                problems.append(source.problem("E103", mark.line, mark.col))
                place(None, mark, event)
    except yaml.MarkedYAMLError as exc:
        where = exc.problem_mark or exc.context_mark
        line, col = (lines.of(where).line, lines.of(where).col) if where else (1, 1)
        unclosed = _unclosed_quote(exc, source.text, lines, spanning, line)
        if unclosed is not None:
            # the parser gives up where the quoted text ends: at the end of the file, or at
            # the next quote; the mistake is where the quote was opened
            at, quote = unclosed
            problems = [p for p in problems if p.code not in hints.CODES]
            problems.append(source.problem("E320", at.line, at.col, quote=quote))
            marked.data = None
            return marked, problems
        found = [
            p
            for p in hints.after_failure(source)
            if p.code not in hints.NEAR_FAILURE_ONLY or line - 2 <= p.position.line <= line
        ]
        found += _odd_breaks(source, lines, line)
        problems = [p for p in problems if p.code not in hints.CODES] + found
        # A hint at or just above the place the parser gave up explains it; else say both.
        if not any(line - 2 <= p.position.line <= line for p in found):
            problems.append(source.problem("E101", line, col, detail=_describe(exc)))
        marked.data = None
    except yaml.reader.ReaderError as exc:  # a control character, e.g. pasted from Word
        line, col = _place_of(source.text, exc.character)
        if isinstance(exc.character, int):
            char = hints.name(chr(exc.character))
            problems.append(source.problem("E606", line, col, char=char))
        else:
            detail = {"zh": "文件里有 YAML 不能读的字符", "en": str(exc.reason)}
            problems.append(source.problem("E101", line, col, detail=detail))
        marked.data = None
    return marked, problems


def _unclosed_quote(
    exc: yaml.MarkedYAMLError,
    text: str,
    lines: _Lines,
    spanning: tuple[Mark, Mark, str] | None,
    failed_line: int,
) -> tuple[Mark, str] | None:
    """Where an unclosed quote was opened, and which quote, if that is why parsing failed."""
    if exc.context == _QUOTED and exc.context_mark is not None:
        quote = text[exc.context_mark.index : exc.context_mark.index + 1]
        return lines.of(exc.context_mark), quote if quote in ("'", '"') else '"'
    if spanning is not None and spanning[1].line == failed_line:
        return spanning[0], spanning[2]
    return None


def _odd_breaks(source: Source, lines: _Lines, failed_line: int) -> list[Problem]:
    """E606 at a NEL, LS or PS at or just above the failure: the parser took it for the end
    of a line (`title: 开馆<U+2028>准备` is then two lines), the editor shows none."""
    if lines.starts is None:
        return []
    found = []
    for odd in re.finditer("[\x85\u2028\u2029]", source.text):
        line = bisect.bisect_right(lines.starts, odd.start())
        if failed_line - 1 <= line <= failed_line:
            col = odd.start() - lines.starts[line - 1] + 1
            found.append(source.problem("E606", line, col, char=hints.name(odd[0])))
    return found


def _place_of(text: str, character: object) -> tuple[int, int]:
    """Line and column of the first `character` (a code point) in `text`: the reader stops
    at the first one it refuses, so that is the one."""
    index = text.find(chr(character)) if isinstance(character, int) else -1
    if index < 0:
        return 1, 1
    return text.count("\n", 0, index) + 1, index - text.rfind("\n", 0, index)


_KEY_NOT_TEXT = {"zh": "键必须是文字", "en": "a key must be plain text"}


def _describe(exc: yaml.MarkedYAMLError) -> dict[str, str]:
    english = "; ".join(p for p in (exc.context, exc.problem) if p) or "invalid YAML"
    # libyaml's English stays out of a Chinese message: an unlisted mistake is said generally
    return {"zh": _IN_CHINESE.get(exc.problem or "", _UNLISTED), "en": english}


_UNLISTED = "YAML 读不懂这里的写法"


# libyaml's words for the mistakes that no hint explains more precisely.
_IN_CHINESE = {
    "did not find expected ',' or ']'": "方括号 [ 没有配对的 ]，或者两项之间少了英文逗号",
    "did not find expected ',' or '}'": "花括号 { 没有配对的 }，或者两项之间少了英文逗号",
    "mapping values are not allowed in this context": "这里不能出现“键: 值”",
    "found unexpected end of stream": "引号或括号没有结束，文件就结束了",
    "did not find expected key": "这一行和上面同级的行没有对齐",
    "found character that cannot start any token": "这个字符不能出现在这里",
    "could not find expected ':'": "缺少英文冒号“:”",
    "did not find expected '-' indicator": "列表项没有对齐",
    "found undefined tag handle": "不认识的 ! 标签",
    "did not find expected node content": "这里缺少内容（例如“- ”后面或“[ ]”里面是空的）",
    "found unknown escape character": "双引号里的反斜杠“\\”后面跟了不认识的字符",
    "found unexpected ':'": "这里不能有冒号“:”",
    "block sequence entries are not allowed in this context": "这里不能开始一个“- ”列表项",
    "found a tab character that violates indentation": "缩进里有 Tab",
    "found character '\\t' that cannot start any token": "这里有一个 Tab，YAML 只认空格",
    "did not find expected comment or line break": "这一行的值后面还有多余的文字",
    "did not find expected alphabetic or numeric character": "& 或 * 后面缺少名称",
    "found unexpected document indicator": "这里不能出现 --- 或 ...",
}
