"""The Jinja environment: theme inheritance, autoescape, StrictUndefined, our filters.

A school's theme folder comes first in the search path and the default theme after it,
so overriding one template (or one CSS file) means placing a file of the same name there.
"""

from __future__ import annotations

import contextlib
import inspect
import posixpath
from collections.abc import Callable
from datetime import date
from functools import lru_cache, partial
from gettext import NullTranslations
from pathlib import Path
from typing import Any

from babel import Locale
from babel.dates import format_skeleton
from jinja2 import (
    Environment,
    FileSystemBytecodeCache,
    FileSystemLoader,
    StrictUndefined,
    TemplateRuntimeError,
    nodes,
    pass_context,
)
from jinja2.ext import Extension
from jinja2.parser import Parser
from jinja2.runtime import Context
from jinja2.utils import internalcode
from markupsafe import Markup

from generator.assemble.content import Link
from generator.assemble.term import MonthView
from generator.memo import NO_MEMO, Memo
from generator.model.categories import CATEGORIES
from generator.model.values import Month
from generator.plan import urls
from generator.read.words import SOURCE_LANGUAGE, site_language, translations, weekday_names
from generator.render.frame import FrameTemplate, record
from generator.render.lunar import lunar_day
from generator.render.markdown import render_markdown
from generator.render.printing import MonthFit, month_fit, week_print_size


def relative_url(from_page: str, target: str) -> str:
    """A link from one output file to another, relative, so the site works anywhere.

    Targets are output paths (`calendar/2026-03/index.html`, optionally with `#anchor`);
    links name the file, because from file:// a folder link does not open its index.html.
    """
    path, _, anchor = target.partition("#")
    if not path:
        return f"#{anchor}"
    base = _folders(from_page)
    if base is None:
        rel = _relative(path, posixpath.dirname(from_page))
    else:
        rel = _relative_to(path, base)
    return f"{rel}#{anchor}" if anchor else rel


@lru_cache(maxsize=16)  # a page asks for dozens of links
def _folders(from_page: str) -> tuple[str, ...] | None:
    """The folders a page is in, or None when its path is not clean."""
    start = posixpath.dirname(from_page)
    if not start:
        return ()
    parts = tuple(start.split("/"))
    return None if "." in parts else parts


@lru_cache(maxsize=16384)  # the same targets on every page
def _parts(path: str) -> tuple[str, ...]:
    return tuple(path.split("/"))


def _relative_to(path: str, base: tuple[str, ...]) -> str:
    if not base:
        return path
    target = _parts(path)
    if ".." in target:
        return posixpath.relpath(path, "/".join(base))
    common = 0
    for a, b in zip(target, base, strict=False):
        if a != b:
            break
        common += 1
    return "/".join([".."] * (len(base) - common) + list(target[common:])) or "."


def _relative(path: str, start: str) -> str:
    """posixpath.relpath for clean relative output paths, without its abspath calls (a page
    makes dozens of links, and posixpath.relpath was a tenth of a build's time)."""
    if not start:
        return path
    if "." in start.split("/") or ".." in path.split("/"):  # not a clean path: the slow way
        return posixpath.relpath(path, start)
    target, base = path.split("/"), start.split("/")
    common = 0
    for a, b in zip(target, base, strict=False):
        if a != b:
            break
        common += 1
    return "/".join([".."] * (len(base) - common) + target[common:]) or "."


@pass_context
def _url(ctx: Context, target: str) -> str:
    link = relative_url(ctx["page_path"], target)
    record(ctx, ("url", target), link)
    return link


@pass_context
def _is_current(ctx: Context, target: str) -> bool:
    """Whether `target` (an output path) is the page being rendered: the menu marks it."""
    current = target == ctx["page_path"]
    record(ctx, ("current", target), current)
    return current


@pass_context
def _url_for(ctx: Context, name: str, *args: Any) -> str:
    """`url_for("month", term, m.month)`: the link from this page to the output path that
    `generator.plan.urls.month(term, m.month)` gives (any function of `urls.ROUTES`).

    The preview records what a template reads (`m.month` here), not what the URL functions
    read of their arguments (`term.prefix`): a link to a term's page changes only with its
    term file, which a page that links there also reads for what it shows (the term's name,
    its months). The 404 and search pages link to the current term without reading it: the
    current term's pages are always at the site root."""
    route = urls.ROUTES.get(name)
    if route is None:
        known = ", ".join(sorted(urls.ROUTES))
        raise TemplateRuntimeError(f"url_for: no page kind {name!r} (known: {known})")
    try:
        target = route(*args)
    except TypeError as exc:
        try:
            inspect.signature(route).bind(*args)
        except TypeError:  # the template called it wrongly: say which and how
            raise TemplateRuntimeError(
                f"url_for({name!r}, …): {exc}; it takes {name}{inspect.signature(route)}"
            ) from None
        raise
    link = relative_url(ctx["page_path"], target)
    record(ctx, ("url", target), link)
    return link


@lru_cache(maxsize=16384)  # babel parses the skeleton on every call; pages repeat dates a lot
def date_label(day: date, skeleton: str, locale: Locale) -> str:
    """A date in the locale's own order and words for a CLDR skeleton: `MMMd` is 4月6日 in
    Chinese and Apr 6 (en) / 6 Apr (en-GB) in English; `yMMMd` adds the year, `MMM` is the
    month alone."""
    return format_skeleton(skeleton, day, locale=locale)


def _gettext(catalogue: NullTranslations) -> Callable[..., Markup]:
    """`_("…", name=value)` in templates, as jinja2.ext.i18n's newstyle gettext does it
    (translate, mark safe, then `%` with the values escaped) without its two context
    indirections per call, and each message translated once: a page says ~20 of them."""
    plain: dict[str, Markup] = {}
    formats: dict[str, Markup] = {}  # a message with values, translated: `%` gives the text

    def _(message: str, **variables: object) -> Markup:
        if variables:
            form = formats.get(message)
            if form is None:
                form = formats[message] = Markup(catalogue.gettext(message))
            return form % variables
        found = plain.get(message)
        if found is None:  # `%` even without values, as newstyle does: 100%% is 100%
            found = plain[message] = Markup(catalogue.gettext(message)) % {}
        return found

    return _


class PageContext(Context):
    """Jinja's context, with a shorter way through `call` for what templates call most:
    `_()`, macros, methods, none of which takes the context. Jinja's own `call` asks each
    callable, and its `__call__`, whether it does (`pass_context` and the like); here one
    look settles it for these, and the rest go Jinja's way."""

    @internalcode
    def call(__self, __obj: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        # Jinja's own test: a callable object may mark its __call__ instead
        dunder = getattr(__obj, "__call__", None)  # noqa: B004
        if hasattr(__obj, "jinja_pass_arg") or hasattr(dunder, "jinja_pass_arg"):
            return super().call(__obj, *args, **kwargs)
        if kwargs:
            kwargs.pop("_block_vars", None)
            kwargs.pop("_loop_vars", None)
        try:
            return __obj(*args, **kwargs)
        except StopIteration:  # as Jinja's `call`
            return __self.environment.undefined(
                "value was undefined because a callable raised a StopIteration exception"
            )


FITS_KEPT = 256  # month sheets whose fit is kept (a site has a few dozen months, two layouts)


def _month_fits() -> Callable[[MonthView, str], MonthFit]:
    """`month|print_fit(layout)`, each month's fit computed once per layout: a month's grid
    is drawn on its own page and again on the whole-term print page, and working out the
    fit is a good part of drawing it. By the month's identity, the month kept alive beside
    its fit so that an identity is never reused: a MonthView is frozen, and an edit in the
    preview makes a new one. Nothing is read through the template here, so the preview's
    record of a page's reads is the same with or without the memo."""
    fits: dict[tuple[int, str], tuple[MonthView, MonthFit]] = {}

    def print_fit(month: MonthView, name: str = "normal") -> MonthFit:
        key = (id(month), name)
        kept = fits.get(key)
        if kept is not None and kept[0] is month:
            return kept[1]
        if len(fits) >= FITS_KEPT:  # a long preview session: start again
            fits.clear()
        fit = month_fit(month, name)
        fits[key] = (month, fit)
        return fit

    return print_fit


class KeptExtension(Extension):
    """`{% kept name, a, b %}…{% endkept %}`: a part of a page (`name`: which, among the
    page's parts at that place, e.g. one per month of a loop) that shows only `a`, `b` and
    what every page of a build shows alike (the settings, the date, the language). A build
    renders it; the preview (`serve.templates.RecordingEnvironment.kept`) gives back its
    last text for the same page and name while the values are equal: the whole-term print
    pages render again only the months that changed."""

    tags = {"kept"}  # noqa: RUF012 (as jinja2.ext.Extension declares it)

    def parse(self, parser: Parser) -> nodes.Node:
        lineno = next(parser.stream).lineno
        name = parser.parse_expression()
        values = []
        while parser.stream.skip_if("comma"):
            values.append(parser.parse_expression())
        body = parser.parse_statements(("name:endkept",), drop_needle=True)
        where = nodes.Const(f"{parser.name}:{lineno}")
        call = self.call_method(
            "_kept", [nodes.ContextReference(), where, name, nodes.Tuple(values, "load")]
        )
        return nodes.CallBlock(call, [], [], body).set_lineno(lineno)

    def _kept(
        self,
        ctx: Context,
        where: str,
        name: Any,
        values: tuple[Any, ...],
        caller: Callable[[], str],
    ) -> str:
        keep = getattr(self.environment, "kept", None)
        if keep is None:  # a build: every page rendered once
            return caller()
        # relative links: a text is kept for its own page
        return keep((where, ctx.get("page_path"), name), values, caller)  # type: ignore[no-any-return]


class CompiledTemplates(FileSystemBytecodeCache):
    """Jinja's compiled templates in a folder, where a file that cannot be read or written
    (the folder removed by a build of another version, a full disk, a profile's quota)
    costs compiling that template again, never the build."""

    def load_bytecode(self, bucket: Any) -> None:
        with contextlib.suppress(OSError):
            super().load_bytecode(bucket)

    def dump_bytecode(self, bucket: Any) -> None:
        with contextlib.suppress(OSError):
            super().dump_bytecode(bucket)


def make_environment(
    theme_dirs: tuple[Path, ...],
    cls: type[Environment] = Environment,
    language: str = SOURCE_LANGUAGE,
    compiled: Path | None = None,
    memo: Memo = NO_MEMO,
    shared_frame: bool = True,
    lunar: Path | None = None,
) -> Environment:
    """The environment for one site: `language` is its `language:` setting. `compiled`: a
    folder that keeps compiled templates between builds (by each template's source; the
    folder must be one for this generator version, since compiling depends on the options
    set here). `memo`: where rendered Markdown is kept (the search index asks for the same
    texts). `shared_frame`: the frame's partials shared between pages (render.frame); the
    preview, which records every read a page makes, renders them for each page. `lunar`:
    a folder that keeps the lunar years' tables between builds (`render.lunar`)."""
    lang = site_language(language)
    locale = lang.locale
    days = weekday_names(locale)
    env = cls(
        loader=FileSystemLoader([str(d / "templates") for d in theme_dirs], encoding="utf-8"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,
        extensions=["jinja2.ext.i18n", KeptExtension],
        # Jinja's optimiser folds constants at compile time: a seventh of compiling the
        # theme, which a build does once, and no faster to render (measured on 4,000 pages).
        optimized=False,
        bytecode_cache=CompiledTemplates(str(compiled)) if compiled is not None else None,
    )
    env.context_class = PageContext
    if shared_frame:
        env.template_class = FrameTemplate  # the frame's partials made once for many pages
    # newstyle: `_("第%(n)s周", n=3)` formats after translating and escapes the values
    catalogue = translations(theme_dirs, lang)
    env.install_gettext_translations(catalogue, newstyle=True)  # type: ignore[attr-defined]
    env.globals["_"] = _gettext(catalogue)
    env.globals.update(
        url=_url,
        url_for=_url_for,
        is_current=_is_current,
        categories=CATEGORIES,
        weekday_names=days,
        link_to=Link,
        html_lang=lang.tag,
    )
    env.filters.update(
        date_label=lambda day, skeleton="MMMd": date_label(day, skeleton, locale),
        month_label=lambda month, skeleton="yMMMM": date_label(
            date(month.year, month.month, 1), skeleton, locale
        ),
        weekday=lambda day: days[day.weekday()],
        month_of=Month.of,
        markdown=lambda text: render_markdown(text, memo),
        tag_slug=urls.tag_slug,
        print_fit=_month_fits(),
        week_print_size=week_print_size,
        lunar=partial(lunar_day, folder=lunar),
    )
    return env


def static_files(theme_dirs: tuple[Path, ...]) -> dict[str, Path]:
    """Output path → file, the school's theme overriding the default file by file."""
    files: dict[str, Path] = {}
    for theme in reversed(theme_dirs):
        static = theme / "static"
        if static.is_dir():
            for path in sorted(static.rglob("*")):
                if path.is_file():
                    files[urls.static(path.relative_to(static).as_posix())] = path
    return files
