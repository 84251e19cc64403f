"""Bounded work (issue 16): every input that made a build slow, hang or crash is refused at
load time with its code and position, and the worst input still accepted finishes quickly.

The hang guard (`finishes_within`) is not a timing assertion: it only turns a build that
would never end into a failure instead of a stuck test run.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from conftest import MINIMAL_EVENTS

from generator.pipeline import load_site
from generator.problems.problem import BuildFailed
from generator.read.text import MAX_FILE_BYTES, read_source
from generator.render.markdown import (
    MAX_MARKDOWN_BRACKETS,
    MAX_MARKDOWN_CHARS,
    MAX_MARKDOWN_DEPTH,
    MAX_MARKDOWN_OPEN_TAGS,
    MarkdownLimit,
    check_markdown,
    render_markdown,
)

TODAY = date(2026, 3, 10)
SETTINGS = "school: 测试小学\n"
POSIX = pytest.mark.skipif(sys.platform == "win32", reason="FIFOs and /dev/zero are POSIX")


@contextlib.contextmanager
def finishes_within(seconds: int) -> Iterator[None]:
    """Fail (instead of hanging for ever) when the block runs longer than `seconds`."""
    if not hasattr(signal, "SIGALRM"):  # Windows: no alarm; the test still runs
        yield
        return

    def stop(signum: int, frame: object) -> None:
        raise TimeoutError(f"still running after {seconds} s")

    previous = signal.signal(signal.SIGALRM, stop)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def problems(root: Path) -> list[str]:
    """Every problem's first line and hint, in English, in order (within a hang guard)."""
    with finishes_within(20):
        try:
            load_site(root, TODAY)
        except BuildFailed as failed:
            return [_short(p.render("en")) for p in failed.report.sorted()]
    return []


def _short(rendered: str) -> str:
    lines = rendered.splitlines()
    return "\n".join([lines[0], *[line for line in lines[1:] if "hint:" in line]])


def first_lines(root: Path) -> list[str]:
    return [p.splitlines()[0] for p in problems(root)]


def site(make_site, files: dict[str, str | bytes]) -> Path:
    return make_site({"events.yaml": MINIMAL_EVENTS, "content/site.yaml": SETTINGS, **files})


def events(old: str, new: str) -> str:
    assert old in MINIMAL_EVENTS
    return MINIMAL_EVENTS.replace(old, new)


NEWS = "---\ntitle: 读书节开幕\ndate: 2026-03-02\n---\n第一段。\n\n"  # the body starts on line 5


# --- dates within 1900–2200, a term at most 400 days --------------------------------------


def test_a_last_day_in_the_year_9999_is_refused_at_once(make_site):
    # it ran 44 s and ended in an OverflowError traceback
    root = site(make_site, {"events.yaml": events("last_day: 2026-07-03", "last_day: 9999-12-31")})
    assert problems(root) == [
        "events.yaml:5:13: error E704: the date '9999-12-31' is not between the years 1900 "
        "and 2200\n  hint: Write the year with four digits, e.g. 2026-03-02."
    ]


def test_a_first_day_in_the_year_1_is_refused(make_site):
    # it was accepted and built 24,340 pages in 88 s
    root = site(
        make_site, {"events.yaml": events("first_day: 2026-02-24", "first_day: 0001-01-01")}
    )
    assert problems(root) == [
        "events.yaml:4:14: error E704: the date '0001-01-01' is not between the years 1900 "
        "and 2200\n  hint: Did you mean '2001-01-01'? Write the year with four digits, e.g. "
        "2026-03-02."
    ]


def test_a_one_byte_typo_in_the_year_names_the_year_meant(make_site):
    # `check` took 36 s over it
    root = site(
        make_site, {"events.yaml": events("first_day: 2026-02-24", "first_day: 0026-02-24")}
    )
    assert problems(root) == [
        "events.yaml:4:14: error E704: the date '0026-02-24' is not between the years 1900 "
        "and 2200\n  hint: Did you mean '2026-02-24'? Write the year with four digits, e.g. "
        "2026-03-02."
    ]


def test_the_year_range_is_inclusive_at_both_ends():
    from generator.model.values import parse_date, parse_month

    assert parse_date("1900-01-01") == date(1900, 1, 1)
    assert parse_date("2200-12-31") == date(2200, 12, 31)
    for text in ("1899-12-31", "2201-01-01"):
        with pytest.raises(Exception) as raised:
            parse_date(text)
        assert raised.value.type == "E704"  # type: ignore[attr-defined]
    with pytest.raises(Exception) as raised:
        parse_month("0026-03")
    assert raised.value.type == "E704"  # type: ignore[attr-defined]
    assert raised.value.context["suggestion"]["en"] == "Did you mean '2026-03'? "  # type: ignore[attr-defined]


def test_an_event_date_and_a_month_out_of_range_have_their_positions(make_site):
    text = (
        MINIMAL_EVENTS + "  - title: 远\n    date: 2300-01-01\n  - title: 旧\n    month: 1800-03\n"
    )
    assert first_lines(site(make_site, {"events.yaml": text})) == [
        "events.yaml:18:11: error E704: the date '2300-01-01' is not between the years 1900 "
        "and 2200",
        "events.yaml:20:12: error E704: the date '1800-03' is not between the years 1900 and 2200",
    ]


def test_a_term_of_401_days_is_refused_and_400_accepted(make_site):
    long = events("last_day: 2026-07-03", "last_day: 2027-03-31")  # 401 days
    assert problems(site(make_site, {"events.yaml": long})) == [
        "events.yaml:5:13: error E705: the term is too long: 401 days (at most 400)\n"
        "  hint: Check the years of first_day and last_day; a term is usually four or five months."
    ]
    longest = events("last_day: 2026-07-03", "last_day: 2027-03-30")  # 400 days
    assert problems(site(make_site, {"events.yaml": longest})) == []


def test_a_year_typo_in_last_day_is_a_term_too_long(make_site):
    root = site(make_site, {"events.yaml": events("last_day: 2026-07-03", "last_day: 2027-07-03")})
    assert first_lines(root) == [
        "events.yaml:5:13: error E705: the term is too long: 495 days (at most 400)"
    ]


# --- files: size, kind, where they lead ----------------------------------------------------


def test_a_file_over_one_megabyte_is_refused_unread(make_site):
    body = "字" * (MAX_FILE_BYTES // 3)  # three bytes each: 1 byte short of the limit…
    root = site(make_site, {"content/news/big.md": NEWS + body})
    size = (root / "content/news/big.md").stat().st_size
    assert size > MAX_FILE_BYTES
    assert first_lines(root) == [
        f"content/news/big.md: error E701: the file is too large: {size} bytes (at most 1048576)"
    ]


def test_a_file_of_exactly_the_limit_is_read(tmp_path):
    path = tmp_path / "events.yaml"
    path.write_bytes(b"#" * MAX_FILE_BYTES)
    source = read_source(path, "events.yaml")
    assert len(source.text) == MAX_FILE_BYTES  # type: ignore[union-attr]
    path.write_bytes(b"#" * (MAX_FILE_BYTES + 1))
    refused = read_source(path, "events.yaml")
    assert (refused.code, refused.params) == (  # type: ignore[union-attr]
        "E701",
        {"size": MAX_FILE_BYTES + 1, "limit": MAX_FILE_BYTES},
    )


@pytest.mark.parametrize(("grown", "refused"), [(10, False), (MAX_FILE_BYTES, True)])
def test_a_file_that_grew_after_its_stat_is_read_to_the_limit(
    tmp_path, monkeypatch, grown, refused
):
    # the read asks for the size the stat gave and one byte more; a file written to
    # between the stat and the read is still read whole, or refused at the limit
    path = tmp_path / "events.yaml"
    path.write_bytes(b"#" * (100 + grown))
    real_stat = os.stat

    def stale_stat(target, *args, **kwargs):  # the size before the file grew
        found = real_stat(target, *args, **kwargs)
        fields = list(found)
        fields[6] = 100  # st_size
        return os.stat_result(fields)

    monkeypatch.setattr(os, "stat", stale_stat)
    read = read_source(path, "events.yaml")
    if refused:
        assert (read.code, read.params) == (  # type: ignore[union-attr]
            "E701",
            {"size": MAX_FILE_BYTES + 1, "limit": MAX_FILE_BYTES},
        )
    else:
        assert read.text == "#" * (100 + grown)  # type: ignore[union-attr]


@POSIX
def test_a_fifo_in_content_is_refused_and_does_not_hang(make_site):
    root = site(make_site, {})
    (root / "content/pages").mkdir(parents=True)
    os.mkfifo(root / "content/pages/pipe.md")
    assert first_lines(root) == [
        "content/pages/pipe.md: error E702: not a regular file (a FIFO); it was not read"
    ]


@POSIX
def test_a_link_to_dev_zero_is_refused_and_does_not_hang(make_site):
    root = site(make_site, {})
    (root / "content/news").mkdir(parents=True)
    os.symlink("/dev/zero", root / "content/news/zero.md")
    assert first_lines(root) == [
        "content/news/zero.md: error E703: this file is a link to somewhere outside the site "
        "folder; it was not read"
    ]


@POSIX
def test_a_device_reached_through_a_link_inside_the_site_is_refused(tmp_path):
    # a link that stays inside the site folder is followed, and what it reaches is checked
    root = tmp_path / "site"
    root.mkdir()
    os.mkfifo(root / "pipe")
    os.symlink(root / "pipe", root / "events.yaml")
    refused = read_source(root / "events.yaml", "events.yaml")
    assert refused.code == "E702"  # type: ignore[union-attr]


@POSIX
def test_a_link_to_a_file_outside_the_site_is_refused_and_not_quoted(make_site, tmp_path):
    secret = tmp_path / "passwd"
    secret.write_text("root:x:0:0:root:/root:/bin/bash\n", encoding="utf-8")
    root = site(make_site, {})
    (root / "events.yaml").unlink()
    os.symlink(secret, root / "events.yaml")
    found = problems(root)
    assert [p.splitlines()[0] for p in found] == [
        "events.yaml: error E703: this file is a link to somewhere outside the site folder; "
        "it was not read"
    ]
    assert "root:x" not in "\n".join(found)


@POSIX
def test_a_linked_folder_leading_out_of_the_site_is_refused(make_site, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "about.md").write_text("---\ntitle: 关于\n---\n正文\n", encoding="utf-8")
    root = site(make_site, {})
    (root / "content").mkdir(exist_ok=True)
    os.symlink(elsewhere, root / "content/pages")
    assert first_lines(root) == [
        "content/pages/about.md: error E703: this file is a link to somewhere outside the site "
        "folder; it was not read"
    ]


@POSIX
def test_a_link_to_another_file_of_the_site_is_read(make_site):
    root = site(make_site, {"content/pages/about.md": "---\ntitle: 关于\n---\n正文\n"})
    os.symlink(root / "content/pages/about.md", root / "content/pages/info.md")
    assert problems(root) == []
    loaded = load_site(root, TODAY)
    assert sorted(p.slug for p in loaded.content.of("page")) == ["about", "info"]


# --- Markdown -------------------------------------------------------------------------------


def test_a_page_body_with_too_many_brackets_is_refused_at_its_line(make_site):
    # 8,000 `[` took 6.7 s to render, 50,000 never finished
    body = "第二段。\n\n" + "[" * 50_000 + "\n"
    root = site(make_site, {"content/news/brackets.md": NEWS + body})
    assert problems(root) == [
        "content/news/brackets.md:9:1: error E708: too many '[' brackets in the Markdown: "
        "50000 (at most 500)\n  hint: Each link or image takes one pair of [ ]; split a very "
        "long list of links into several texts, or write 【 for a bracket that is not a link."
    ]


def test_a_list_nested_3000_deep_is_refused_at_the_first_line_too_deep(make_site):
    # it never finished rendering
    body = "\n".join("    " * i + "- 层" for i in range(3000))
    root = site(make_site, {"content/pages/deep.md": "---\ntitle: 深\n---\n" + body})
    assert first_lines(root) == [  # 18 MB of indentation: the file is too large already
        "content/pages/deep.md: error E701: the file is too large: 18012018 bytes (at most 1048576)"
    ]
    (root / "content/pages/deep.md").write_text(
        "---\ntitle: 深\n---\n" + "\n".join(body.split("\n")[:60]), encoding="utf-8"
    )
    assert first_lines(root) == [  # the body starts on line 4; line 54 is 51 levels deep
        "content/pages/deep.md:54:1: error E707: the Markdown is nested too deeply: 51 levels "
        "(at most 50)"
    ]


def test_a_quote_nested_too_deep_and_unfinished_tags_are_refused(make_site):
    quotes = NEWS + ">" * 51 + " 引用\n"
    tags = NEWS + "a <b" * 26 + "\n" + "<i " * 25 + "\n"
    root = site(make_site, {"content/news/quotes.md": quotes, "content/news/tags.md": tags})
    assert first_lines(root) == [
        "content/news/quotes.md:7:1: error E707: the Markdown is nested too deeply: 51 levels "
        "(at most 50)",
        "content/news/tags.md:8:1: error E709: too many unfinished HTML tags in the Markdown: "
        "51 (at most 50)",
    ]


def test_a_body_over_100000_characters_is_refused(make_site):
    body = "读" * 100_001
    root = site(make_site, {"content/news/long.md": NEWS + body})
    assert first_lines(root) == [
        "content/news/long.md:5:1: error E706: the Markdown text is too long: 100007 characters "
        "(at most 100000)"
    ]


def test_a_description_field_is_checked_where_it_is_written(make_site):
    text = MINIMAL_EVENTS.replace(
        "    category: routine\n", "    category: routine\n    description: '" + "[" * 501 + "'\n"
    )
    root = site(make_site, {"events.yaml": text})
    assert first_lines(root) == [
        "events.yaml:17:18: error E708: too many '[' brackets in the Markdown: 501 (at most 500)"
    ]


def test_festival_and_display_descriptions_are_checked(make_site):
    festival = (
        "name: 读书节\nfrom: 2026-04-01\nto: 2026-04-30\nsummary: '" + "<a " * 51 + "'\n"
        "stages:\n  - title: 开幕\n    date: 2026-04-01\n"
    )
    root = site(make_site, {"content/festivals/reading.yaml": festival})
    assert first_lines(root) == [
        "content/festivals/reading.yaml:4:10: error E709: too many unfinished HTML tags in the "
        "Markdown: 51 (at most 50)"
    ]


def test_each_limit_is_the_first_refused_value():
    assert check_markdown("x" * MAX_MARKDOWN_CHARS) is None
    assert check_markdown("x" * (MAX_MARKDOWN_CHARS + 1)) == MarkdownLimit(
        "E706", 1, {"length": MAX_MARKDOWN_CHARS + 1, "limit": MAX_MARKDOWN_CHARS}
    )
    assert check_markdown("[" * MAX_MARKDOWN_BRACKETS) is None
    assert check_markdown("a\n" + "[" * (MAX_MARKDOWN_BRACKETS + 1)) == MarkdownLimit(
        "E708", 2, {"count": 501, "limit": 500}
    )
    assert check_markdown(">" * MAX_MARKDOWN_DEPTH + " x") is None
    assert check_markdown("    " * MAX_MARKDOWN_DEPTH + "- x") == MarkdownLimit(
        "E707", 1, {"depth": 51, "limit": 50}
    )
    assert check_markdown("<a " * MAX_MARKDOWN_OPEN_TAGS) is None
    assert check_markdown("<a " * MAX_MARKDOWN_OPEN_TAGS + "<b>") is None  # closed on its line
    assert check_markdown("<a\n" * (MAX_MARKDOWN_OPEN_TAGS + 1)) == MarkdownLimit(
        "E709", 51, {"count": 51, "limit": 50}
    )
    # the shortest lines 51 levels deep (one character a level) are refused, after a
    # text whose other lines are long but do not nest
    for deepest in ("\t" * 51 + "x", ">" * 51 + "x", "\t" * 50 + "- x"):
        assert check_markdown("读" * 300 + "\n" + deepest) == MarkdownLimit(
            "E707", 2, {"depth": 51, "limit": 50}
        )
    # ordinary text is nowhere near a limit
    assert (
        check_markdown("## 借阅规则\n\n- 每人两本\n    - 两周内归还\n\n> 读书好\n\n[主页](a.html)")
        is None
    )


def _filled(text: str) -> str:
    """`text`, then ordinary paragraphs up to the length limit: the rest of the document is
    what an unfinished tag makes the HTML parser look through."""
    filler = ("读" * 80 + "\n\n") * ((MAX_MARKDOWN_CHARS - len(text) - 2) // 82)
    return text + "\n\n" + filler


WORST_ACCEPTED = {
    "links": "[a](" * MAX_MARKDOWN_BRACKETS,
    "images": "![" * MAX_MARKDOWN_BRACKETS,
    "footnotes": "[^" * MAX_MARKDOWN_BRACKETS,
    "unfinished tags": "\n\n".join(["<a "] * MAX_MARKDOWN_OPEN_TAGS),
    "links and tags": "[a](" * MAX_MARKDOWN_BRACKETS + "\n\n" + "<a " * MAX_MARKDOWN_OPEN_TAGS,
    "nested list": "\n".join("    " * i + "- x" for i in range(MAX_MARKDOWN_DEPTH)),
    "nested quote": "\n".join(">" * i + " x" for i in range(1, MAX_MARKDOWN_DEPTH + 1)),
}


@pytest.mark.parametrize("name", sorted(WORST_ACCEPTED))
def test_the_worst_accepted_markdown_renders(name):
    # measured when written: each of these (filled to 100,000 characters) renders in 0.07–0.21 s
    text = _filled(WORST_ACCEPTED[name])
    assert len(text) <= MAX_MARKDOWN_CHARS
    assert check_markdown(text) is None
    with finishes_within(10):
        html = render_markdown(text)
    assert html.count("<p>") >= 1000


def test_the_check_itself_is_linear():
    # the inputs that never finished rendering are refused by a check that looks at each
    # character a bounded number of times
    deep = "\n".join("    " * i + "- x" for i in range(3000))
    with finishes_within(10):
        assert check_markdown("[" * 50_000).code == "E708"  # type: ignore[union-attr]
        assert check_markdown("<a" * 50_000).code == "E709"  # type: ignore[union-attr]
        assert check_markdown(deep).code == "E706"  # type: ignore[union-attr]
        assert check_markdown(deep[:90_000]).code == "E707"  # type: ignore[union-attr]


def test_inside_the_site_folder_is_by_whole_folder_names():
    from generator.read.text import _inside

    top = os.path.realpath("/srv/site")
    assert _inside(os.path.join(top, "content", "a.md"), top)
    assert not _inside(top + "-old" + os.sep + "a.md", top)  # /srv/site-old is elsewhere
