"""The frame every page shares (the header, the menu, the search box, the footer), rendered
once for all the pages that would get the same text, not once a page.

A partial of the frame (`FRAME`) gives the same text for two pages when (1) every name it
reads from the page's context has the same value (by identity for objects, the plan
hands every page the same menu; by value for strings, numbers and dates) and (2) every
question it asks about the page itself gives the same answer: the link from this page to
a target (`url`, `url_for`) and whether a target is this page (`is_current`). The names
come from the template's source (and the templates it includes), the questions are
recorded while it renders, in order: a later page that gives the same values and the same
answers to the same questions follows the same path through the template, so its text is
the same. The menu of a news article and of the month page beside it differ only in where
their links start from: two directories at the same depth under another folder give the
same links, and the partial renders once for both.

A template that reads `page_path` itself is still right (its value is one of the names),
only never shared. A template that includes another by a name it computes is rendered
every time.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterator, MutableMapping
from typing import Any

from jinja2 import Environment, Template, meta
from jinja2.runtime import Context, missing
from markupsafe import Markup

FRAME = frozenset(
    {
        "partials/header.html",
        "partials/nav.html",
        "partials/search_box.html",
        "partials/footer.html",
    }
)
QUERIES = "\x00page questions"  # the context variable holding the questions being recorded
ENTRIES = 256  # texts kept per partial (a site has a few depths and sections)
_BY_VALUE = (str, Markup, int, float, bool, type(None), datetime.date)

Question = tuple[str, str]  # ("url", target) or ("current", target)


def record(ctx: Context, question: Question, answer: object) -> None:
    """Note a question a template asked about its page (called by `url`, `url_for` and
    `is_current` with the answer they give)."""
    questions = ctx.get(QUERIES)
    if questions is not None:
        questions.append((question, answer))


def _key(values: tuple[Any, ...]) -> tuple[Any, ...]:
    """Values by value when they are plain (strings, numbers, dates), else by identity (the
    objects are kept alive beside the key, so an identity is never reused)."""
    return tuple((type(v), v) if isinstance(v, _BY_VALUE) else id(v) for v in values)


class _Shared:
    """A frame partial's render function, giving back a text it made for another page
    whenever that page would get the same."""

    def __init__(self, template: Template, render: Callable[[Context], Iterator[str]]) -> None:
        self.template, self.render = template, render
        self._names: tuple[str, ...] | bool | None = False  # False: not worked out yet
        # the names' values → the questions asked → their answers → the text
        self.texts: dict[tuple[Any, ...], dict[tuple[Question, ...], dict[tuple[Any, ...], str]]]
        self.texts = {}
        self._kept: list[tuple[Any, ...]] = []  # the values, alive while their texts are kept
        self.count = 0

    def names(self) -> tuple[str, ...] | None:
        if self._names is False:
            self._names = _free_names(self.template.environment, self.template.name or "")
        return self._names  # type: ignore[return-value]

    def __call__(self, context: Context) -> Iterator[str]:
        names = self.names()
        if names is None:
            yield from self.render(context)
            return
        values = tuple(context.resolve_or_missing(n) for n in names)
        key = _key(values)
        outer = context.get(QUERIES)
        page = context.resolve_or_missing("page_path")
        for questions, texts in self.texts.get(key, {}).items():
            answers = _answers(page, questions)
            text = texts.get(answers)
            if text is not None:
                if outer is not None:
                    outer.extend(zip(questions, answers, strict=True))
                yield text
                return
        asked: list[tuple[Question, object]] = []
        context.vars[QUERIES] = asked
        try:
            text = "".join(self.render(context))
        finally:
            del context.vars[QUERIES]
        if self.count >= ENTRIES:  # a long preview session: start again
            self.texts, self._kept, self.count = {}, [], 0
        if key not in self.texts:
            self._kept.append(values)
        questions = tuple(q for q, _ in asked)
        self.texts.setdefault(key, {}).setdefault(questions, {})[tuple(a for _, a in asked)] = text
        self.count += 1
        if outer is not None:
            outer.extend(asked)
        yield text


def _answers(page: object, questions: tuple[Question, ...]) -> tuple[Any, ...]:
    """What each question gives for `page` (as `url` and `is_current` answer it)."""
    from generator.render.environment import relative_url

    if not isinstance(page, str):
        return (missing,) * len(questions)
    return tuple(
        relative_url(page, target) if kind == "url" else target == page
        for kind, target in questions
    )


def _free_names(env: Environment, name: str) -> tuple[str, ...] | None:
    """Every name the template and those it includes or imports may read from the context,
    or None when it loads a template by a computed name."""
    found: set[str] = set()
    todo, seen = [name], set()
    while todo:
        current = todo.pop()
        if current in seen:
            continue
        seen.add(current)
        assert env.loader is not None
        source, _, _ = env.loader.get_source(env, current)
        tree = env.parse(source)
        found |= meta.find_undeclared_variables(tree)
        for ref in meta.find_referenced_templates(tree):
            if ref is None:
                return None
            todo.append(ref)
    return tuple(sorted(found - {QUERIES}))


class FrameTemplate(Template):
    """A template whose frame partials (`FRAME`) are shared between pages."""

    @classmethod
    def _from_namespace(
        cls,
        environment: Environment,
        namespace: MutableMapping[str, Any],
        globals: MutableMapping[str, Any],
    ) -> Template:
        template = super()._from_namespace(environment, namespace, globals)
        if template.name in FRAME:
            template.root_render_func = _Shared(template, template.root_render_func)  # type: ignore[method-assign]
        return template
