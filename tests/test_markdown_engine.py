"""The inline shortcut of `render.markdown_engine`: a text with none of the characters an
inline pattern needs skips the patterns, and the HTML is what Python-Markdown's own inline
stage makes, for every text."""

from __future__ import annotations

import markdown
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown import treeprocessors

from generator.render import markdown_engine as engine

_EXTENSIONS = ["tables", "sane_lists"]


def _ours(*more: str) -> markdown.Markdown:
    return markdown.Markdown(extensions=[_EXTENSIONS[0], engine._Ours(), *_EXTENSIONS[1:], *more])


def _stock(*more: str) -> markdown.Markdown:
    """The same Markdown with Python-Markdown's own inline stage in place of ours."""
    md = _ours(*more)
    md.treeprocessors.register(treeprocessors.InlineProcessor(md), "inline", 20)
    return md


def _both(text: str, *more: str) -> tuple[str, str]:
    return _ours(*more).convert(text), _stock(*more).convert(text)


@pytest.fixture
def tried(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The data each inline pattern was tried on, in this test."""
    calls: list[str] = []
    original = treeprocessors.InlineProcessor._InlineProcessor__applyPattern  # type: ignore[attr-defined]

    def counting(self, pattern, data, index, start=0):  # type: ignore[no-untyped-def]
        calls.append(data)
        return original(self, pattern, data, index, start)

    monkeypatch.setattr(treeprocessors.InlineProcessor, "_InlineProcessor__applyPattern", counting)
    return calls


@pytest.fixture
def tried_patterns(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The class of each inline pattern tried, in order, in this test."""
    calls: list[str] = []
    original = treeprocessors.InlineProcessor._InlineProcessor__applyPattern  # type: ignore[attr-defined]

    def counting(self, pattern, data, index, start=0):  # type: ignore[no-untyped-def]
        calls.append(type(pattern).__name__)
        return original(self, pattern, data, index, start)

    monkeypatch.setattr(treeprocessors.InlineProcessor, "_InlineProcessor__applyPattern", counting)
    return calls


def test_this_python_markdowns_patterns_are_all_known() -> None:
    md = _ours()
    patterns = engine.inline_patterns(md)
    assert engine.markup_finder(patterns) is not None, (
        f"Python-Markdown's inline patterns changed ({patterns}): say in "
        "markdown_engine._NEEDS what each needs, or every text tries every pattern"
    )


def test_a_plain_text_tries_no_pattern(tried: list[str]) -> None:
    html = engine._md.convert(
        "读书节开幕，全校 1200 名学生参加。\n\n| 年级 | 人数 |\n| --- | --- |\n| 一 | 200 |"
    )
    assert tried == []
    assert html == (
        "<p>读书节开幕，全校 1200 名学生参加。</p>\n<table>\n<thead>\n<tr>\n<th>年级</th>\n"
        "<th>人数</th>\n</tr>\n</thead>\n<tbody>\n<tr>\n<td>一</td>\n<td>200</td>\n</tr>\n"
        "</tbody>\n</table>"
    )


def test_a_text_with_markup_tries_the_patterns(tried: list[str]) -> None:
    html = engine._md.convert("**《小王子》**下一句")
    assert tried[0] == "**《小王子》**下一句"
    assert html == "<p><strong>《小王子》</strong>下一句</p>"


def test_a_text_tries_only_the_patterns_it_holds_the_characters_of(
    tried_patterns: list[str],
) -> None:
    html = engine._md.convert("**重点**：见[借阅规则](rules.html)。")
    # the link's patterns while a `[` is left, then bold; never code, escapes, autolinks,
    # HTML or entities. The link, once found, leaves no `[` (nor the bold a `*`): neither is
    # tried again, nor are the image patterns; the texts inside them hold no markup
    assert tried_patterns == [
        "ReferenceInlineProcessor",
        "LinkInlineProcessor",
        "DelimiterProcessor",
    ]
    assert html == '<p><strong>重点</strong>：见<a href="rules.html">借阅规则</a>。</p>'


def test_a_block_without_a_pipe_is_not_tried_as_a_table(monkeypatch: pytest.MonkeyPatch) -> None:
    from markdown.extensions import tables

    split: list[str] = []
    original = tables.TableProcessor._split_row

    def recording(self, row):  # type: ignore[no-untyped-def]
        split.append(row)
        return original(self, row)

    monkeypatch.setattr(tables.TableProcessor, "_split_row", recording)
    html = _ours().convert("第一段\n第二行\n\n| 年级 | 人数 |\n| --- | --- |\n| 一 | 200 |")
    # the table's first two rows to test it, then its header and body to build it; the
    # paragraph above is not split
    assert split == ["| 年级 | 人数 |", "| --- | --- |", "| 年级 | 人数 |", "| 一 | 200 |"]
    assert html.startswith("<p>第一段\n第二行</p>\n<table>")


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("纯文字，没有标记。", None),
        ("a \nb", None),  # one space before the line end is no line break
        ("感叹！没有方括号", None),
        ("a  \nb", "  \n"),
        ("x_y", "_"),
        ("**重点。**", "*"),
        ("`code`", "`"),
        ("\\*", "\\"),
        ("[链接](a.html)", "["),
        ("![图](a.png)", "["),
        ("<b>", "<"),
        ("&amp;", "&"),
    ],
)
def test_the_finder_finds_what_a_pattern_needs(text: str, found: str | None) -> None:
    finder = engine.markup_finder(engine.inline_patterns(_ours()))
    assert finder is not None
    match = finder.search(text)
    assert (match.group(0) if match else None) == found


def test_a_pattern_it_does_not_know_turns_the_shortcut_off() -> None:
    known = engine.inline_patterns(_ours())
    assert engine.markup_finder((*known, ("mine", "MyInlineProcessor"))) is None
    # footnotes, registered after ours, adds a pattern: every text tries every pattern
    text = "见注释[^1]。\n\n[^1]: 《小王子》"
    ours, stock = _both(text, "footnotes")
    assert ours == stock
    assert 'class="footnote-ref"' in ours


_TRICKY = [
    "**《小王子》**下一句",
    "**重点。**下一句",
    "行末两个空格  \n下一行",
    "行末一个空格 \n下一行",
    "转义 \\*不是强调\\* 和 \\\\ 反斜杠",
    "`代码` 和 ``两个`反引号``",
    "[链接](https://example.org) 和 ![图](a.png) 和 [引用][1]\n\n[1]: b.html",
    "<https://example.org> 和 <librarian@example.org>",
    "<span>行内 HTML</span> &amp; &#169; &copy; & 单独",
    "snake_case_word 和 _强调_ 和 __加粗__ 和 *a* ***b***",
    "只有下划线：_强调_ 和 __加粗__",
    "只有星号：*强调* 和 **加粗**",
    "- 一\n- **二**\n\n1. 三\n2. [四](x.html)",
    "| 书名 | 作者 |\n| --- | --- |\n| **小王子** | 圣埃克苏佩里 |\n| 草房子 | 曹文轩 |",
    "## 借阅规则\n\n正文。",
    "> 引用 *斜体*\n\n    代码块 **不加粗**",
    "| 一列 |\n| --- |\n| 有边框 |",
    "一列 |\n--- |\n右边框 |",
    "a | b\n--- | ---\n无边框 | `代码 | 里的竖线`",
    "转义的竖线 \\| 不分列\n--- | ---",
    "**[加粗的链接](a.html)** 和 [*斜体链接*](b.html) 和 `[不是链接](c.html)`",
    "<b>**HTML 里的加粗**</b> &amp; [链接 <i>x</i>](d.html) ![图 *x*](e.png)",
]


@pytest.mark.parametrize("text", _TRICKY)
def test_the_same_html_as_python_markdowns_own(text: str) -> None:
    ours, stock = _both(text)
    assert ours == stock


# texts with one kind of markup character among plain ones (a text holding several is
# tried on every pattern anyway): the shortcut's mistake would be a character left out
_ONE_MARKUP = st.sampled_from(["*", "_", "`", "\\", "[", "]", "<", ">", "&", ";", "  \n"]).flatmap(
    lambda markup: st.lists(
        st.sampled_from(
            ["a", "读", " ", "\n", "。", "！", "!", "(", ")", ":", "@", "/", "#", *[markup] * 4]
        ),
        max_size=40,
    ).map("".join)
)


@settings(max_examples=300, deadline=None)
@given(_ONE_MARKUP)
def test_any_text_the_same_html_as_python_markdowns_own(text: str) -> None:
    ours, stock = _both(text)
    assert ours == stock


# texts with several kinds of markup, and the block characters around them: a pattern is
# skipped while the text lacks what it needs, which a match may have just taken away
_MIXED = st.lists(
    st.sampled_from(
        [
            "a",
            "读",
            " ",
            "\n",
            "。",
            "(",
            ")",
            "x.html",
            "*",
            "**",
            "_",
            "`",
            "\\",
            "[",
            "]",
            "![",
            "<",
            ">",
            "<b>",
            "</b>",
            "&amp;",
            "&",
            "  \n",
            "|",
            "---",
            "- ",
            "1. ",
            "## ",
        ]
    ),
    max_size=40,
).map("".join)


@settings(max_examples=500, deadline=None)
@given(_MIXED)
def test_any_mixed_text_the_same_html_as_python_markdowns_own(text: str) -> None:
    ours, stock = _both(text)
    assert ours == stock
