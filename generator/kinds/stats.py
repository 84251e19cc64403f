"""Loan statistics (借阅统计): content/stats/<term-id>.yaml, one file per term, made by
`library-site import-loans` from a library system's export or written by hand.

The file holds numbers only (loans per class and month, how many pupils of a class borrowed,
the most borrowed books); the pages are `stats/` (the terms that have statistics), one page
per term (loans per month, per class, per grade, per pupil, top books: each a static SVG
chart followed by its data as a table) and an A4 sheet to print. The public build shows the
class totals only (not a class's months) and leaves out the classes with fewer readers than
`stats_minimum` in content/site.yaml (the loans, where the readers are not known); they still
count in the month, grade and school totals, and the page says how many were left out.

Other kinds and documents (the 工作总结) take a term's numbers and charts from `term_stats`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from functools import cached_property
from typing import TYPE_CHECKING, Any

from babel.dates import format_skeleton

from generator import SETTINGS_FILE
from generator.assemble.content import Loader
from generator.kinds.base import Kind
from generator.memo import Memo
from generator.model.base import N_
from generator.model.settings import SiteSettings
from generator.model.stats import BookLoans, LoanStats
from generator.model.term import Term
from generator.model.values import Month, did_you_mean, grade_of
from generator.plan import urls
from generator.plan.pages import Job, NavItem, Planner
from generator.read.words import Words
from generator.read.yamlio import Marked
from generator.render.charts import bar_chart
from generator.render.search_index import SearchEntry

if TYPE_CHECKING:
    from generator.assemble.site import Site

TOP_BOOKS = 10  # the books a page and a chart show


def term_months(first: date, last: date) -> tuple[Month, ...]:
    """The months a term touches, in order."""
    months = []
    m = Month.of(first)
    while m <= Month.of(last):
        months.append(m)
        m = Month(m.year + m.month // 12, m.month % 12 + 1)
    return tuple(months)


@dataclass(frozen=True)
class StatsView:
    """One term's statistics file, checked against its term and the class list."""

    id: str  # the term's id: the file's name
    term_name: str
    months: tuple[Month, ...]  # the term's months
    model: LoanStats
    source: str  # the file, for messages and the preview
    public: bool = False  # the public build's copy: small classes left out, no class months


@dataclass(frozen=True)
class ClassLine:
    """One class's term: its loans in each of the term's months, and its total."""

    name: str
    grade: str | None
    months: tuple[int, ...]
    readers: int | None  # pupils who borrowed (a count), when the file says
    pupils: int | None  # the class's size, when site.yaml says

    @property
    def loans(self) -> int:
        return sum(self.months)

    @property
    def per_pupil(self) -> float | None:
        """Loans per pupil, to one decimal; None without the class's size."""
        return round(self.loans / self.pupils, 1) if self.pupils else None


@dataclass(frozen=True)
class GradeLine:
    name: str
    loans: int
    pupils: int | None  # the sum of its classes' sizes, when every one of them is known

    @property
    def per_pupil(self) -> float | None:
        return round(self.loans / self.pupils, 1) if self.pupils else None


@dataclass(frozen=True)
class Chart:
    id: str  # its id on the page (and the SVG's)
    title: str
    svg: str  # an <svg> element: inline in a page, or a file of its own with an XML header

    def file(self) -> bytes:
        """The chart as an .svg file of its own (UTF-8, with its XML declaration)."""
        return ('<?xml version="1.0" encoding="utf-8"?>\n' + self.svg + "\n").encode("utf-8")


@dataclass(frozen=True)
class TermStats:
    """A term's loan statistics as the pages show them (see `term_stats`)."""

    term_id: str
    term_name: str
    source: str | None  # where the numbers came from, as the file says
    public: bool
    minimum: int  # the public build's smallest class shown (readers, else loans)
    months: tuple[Month, ...]
    by_month: tuple[int, ...]  # the school's loans in each of `months`
    classes: tuple[ClassLine, ...]  # in the class list's order; the public build's: shown ones
    hidden: int  # classes the public build leaves out (too few readers)
    grades: tuple[GradeLine, ...]
    books: tuple[BookLoans, ...]  # most borrowed first (the file's order among equals)
    total: int  # every loan of the term, hidden classes included
    readers: int | None  # pupils who borrowed, when the file gives every class's count
    pupils: int | None  # pupils of the classes with loans, when site.yaml gives every size
    words: Words = field(compare=False, repr=False)  # the site's, for the charts' words

    @cached_property
    def charts(self) -> tuple[Chart, ...]:
        """The five charts, drawn when first asked for: when a page showing them is rendered
        (60 ms for the sample's term), not every time the site is planned."""
        return _charts(self, self.words)

    @cached_property
    def sheet_charts(self) -> tuple[Chart, ...]:
        """The same charts for the A4 sheet: larger type; the two with a bar per class wide
        and low, the other three for a third of the sheet's width."""
        return _charts(self, self.words, sheet=True)

    @property
    def per_pupil(self) -> float | None:
        return round(self.total / self.pupils, 1) if self.pupils else None

    def chart(self, chart_id: str) -> Chart:
        """One chart by its short name: month, class, grade, pupil, books."""
        return next(c for c in self.charts if c.id == f"chart-{chart_id}")

    def sheet_chart(self, chart_id: str) -> Chart:
        """One chart of the A4 sheet, by the same names."""
        return next(c for c in self.sheet_charts if c.id == f"sheet-{chart_id}")


def term_stats(site: Site, term_id: str) -> TermStats | None:
    """The statistics of the term `term_id` (content/stats/<term_id>.yaml), as the site's
    pages show them, or None when the term has no statistics file (or it did not pass the
    checks).

    What it gives: `total` loans, `by_month` (one number per month of `months`), `classes`
    (each a `ClassLine`: `loans`, `months`, `readers`, `pupils`, `per_pupil`), `grades`,
    `books` (the most borrowed first), `readers`/`pupils`/`per_pupil` for the school, and
    `charts`: five `Chart`s (`chart("month")`, `"class"`, `"grade"`, `"pupil"`, `"books"`),
    each an SVG string with the chart's title (`Chart.file()`: as an .svg file's bytes), and
    `sheet_charts` the same for an A4 page (`sheet_chart("month")` …); they are drawn when
    first asked for. In the public build (`public_site`) the same call gives the public
    numbers: no class below `stats_minimum`, which `hidden` counts. Nothing in it names a
    pupil: the file has no place for one.

    Example (a document of the term's work)::

        stats = term_stats(site, term.term.id)
        if stats is not None:
            f"本学期借出图书 {stats.total} 册，人均 {stats.per_pupil} 册"
            stats.chart("class").svg  # inline in a page; .file() for an .svg file
    """
    view = next((v for v in site.content.of(KIND.name) if v.id == term_id), None)
    return None if view is None else compute(view, site.settings, site.words)


def _is_hidden(line: ClassLine, minimum: int) -> bool:
    count = line.readers if line.readers is not None else line.loans
    return count < minimum


def compute(view: StatsView, settings: SiteSettings, words: Words) -> TermStats:
    """The numbers and charts of one term's file (public or not, as the view is)."""
    stats = view.model
    index = {m: i for i, m in enumerate(view.months)}
    per_class: dict[str, list[int]] = {}
    for row in stats.loans:
        per_class.setdefault(row.class_, [0] * len(view.months))[index[row.month]] += row.loans
    readers = {r.class_: r.readers for r in stats.readers}
    order = {name: i for i, name in enumerate(settings.classes)}
    names = sorted(per_class, key=lambda n: order.get(n, len(order)))
    sizes = settings.pupils
    every = tuple(
        ClassLine(n, grade_of(n), tuple(per_class[n]), readers.get(n), sizes.get(n)) for n in names
    )
    minimum = settings.stats_minimum
    shown = tuple(c for c in every if not (view.public and _is_hidden(c, minimum)))
    grades: dict[str, list[ClassLine]] = {}
    for line in every:
        if line.grade:
            grades.setdefault(line.grade, []).append(line)
    grade_lines = tuple(
        GradeLine(
            g,
            sum(c.loans for c in lines),
            sum(c.pupils or 0 for c in lines) if all(c.pupils for c in lines) else None,
        )
        for g, lines in grades.items()
    )
    ranked = sorted(enumerate(stats.books), key=lambda ib: (-ib[1].loans, ib[0]))
    books = tuple(b for _, b in ranked[:TOP_BOOKS])
    by_month = tuple(sum(c.months[i] for c in every) for i in range(len(view.months)))
    with_readers = [c.readers for c in every]
    with_sizes = [c.pupils for c in every]
    return TermStats(
        term_id=view.id,
        term_name=view.term_name,
        source=stats.source,
        public=view.public,
        minimum=minimum,
        months=view.months,
        by_month=by_month,
        classes=shown,
        hidden=len(every) - len(shown),
        grades=grade_lines,
        books=books,
        total=sum(by_month),
        readers=sum(r or 0 for r in with_readers) if every and None not in with_readers else None,
        pupils=sum(p or 0 for p in with_sizes) if every and None not in with_sizes else None,
        words=words,
    )


def month_name(month: Month, words: Words) -> str:
    """九月 / Sep: a month as a chart's axis writes it."""
    return format_skeleton("MMM", month.first_day, locale=words.locale)


def _charts(stats: TermStats, words: Words, sheet: bool = False) -> tuple[Chart, ...]:
    _ = words._
    with_size = [c for c in stats.classes if c.per_pupil is not None]
    specs: list[tuple[str, str, Sequence[str], Sequence[float], dict[str, Any]]] = [
        (
            "month",
            _("各月借阅册数"),
            [month_name(m, words) for m in stats.months],
            stats.by_month,
            {},
        ),
        (
            "class",
            _("各班借阅册数"),
            [c.name for c in stats.classes],
            [c.loans for c in stats.classes],
            {},
        ),
        (
            "grade",
            _("各年级借阅册数"),
            [g.name for g in stats.grades],
            [g.loans for g in stats.grades],
            {},
        ),
        (
            "pupil",
            _("各班人均借阅册数"),
            [c.name for c in with_size],
            [c.per_pupil or 0 for c in with_size],
            {"decimals": 1},
        ),
        (
            "books",
            _("借得最多的书"),
            [b.title for b in stats.books],
            [b.loans for b in stats.books],
            {"horizontal": True, "height": 120 + 34 * max(len(stats.books), 1)},
        ),
    ]
    prefix = "sheet" if sheet else "chart"
    made = []
    for key, title, labels, values, options in specs:
        if sheet:
            wide = key in ("class", "pupil")
            options = {
                **options,
                "width": 800 if wide else 500,
                "height": 260 if wide else 560,
                "font_size": 15 if wide else 18,
            }
        chart_id = f"{prefix}-{key}"
        made.append(Chart(chart_id, title, bar_chart(chart_id, title, labels, values, **options)))
    return tuple(made)


def _check_loans(
    loader: Loader, marked: Marked, stats: LoanStats, term: Term, months: tuple[Month, ...]
) -> bool:
    """E408 for a class not in the class list, E802 for a month outside the term, E803 for
    a class and month given twice; whether the numbers can be shown (the first is the class
    list's to judge: the site does not build anyway)."""
    good = True
    seen: dict[tuple[str, Month], int] = {}
    for i, row in enumerate(stats.loans):
        at = ("loans", i)
        loader.check_class(marked, (*at, "class"), row.class_)
        if row.month not in months:
            good = False
            loader.problems.append(
                marked.problem(
                    "E802",
                    (*at, "month"),
                    month=str(row.month),
                    term=term.name,
                    first=term.first_day.isoformat(),
                    last=term.last_day.isoformat(),
                )
            )
        key = (row.class_, row.month)
        if key in seen:
            good = False
            loader.problems.append(
                marked.problem(
                    "E803", at, klass=row.class_, month=str(row.month), first_line=seen[key]
                )
            )
        seen.setdefault(key, marked.mark(at).line)
    return good


def _check_readers(loader: Loader, marked: Marked, stats: LoanStats) -> bool:
    """E408, E804 for a class given twice, W805 for more readers than the class's pupils."""
    good = True
    sizes = loader.settings.pupils
    counted: dict[str, int] = {}
    for i, r in enumerate(stats.readers):
        at = ("readers", i)
        loader.check_class(marked, (*at, "class"), r.class_)
        if r.class_ in counted:
            good = False
            loader.problems.append(
                marked.problem("E804", at, klass=r.class_, first_line=counted[r.class_])
            )
        counted.setdefault(r.class_, marked.mark(at).line)
        if r.class_ in sizes and r.readers > sizes[r.class_]:
            loader.problems.append(
                marked.problem(
                    "W805",
                    (*at, "readers"),
                    klass=r.class_,
                    readers=r.readers,
                    pupils=sizes[r.class_],
                )
            )
    return good


class StatsKind(Kind):
    """A term's numbers: pages of charts and tables, and a sheet to print."""

    def load(self, loader: Loader) -> tuple[StatsView, ...]:
        views = []
        terms = {t.plan.term.id: t.plan.term for t in loader.terms}
        for term_id, stats, marked in loader.files(self, LoanStats):
            if term_id not in terms:
                known = sorted(terms)
                loader.problems.append(
                    marked.problem(
                        "E801",
                        (),
                        value=term_id,
                        suggestion=did_you_mean(term_id, known),
                        known="、".join(known[:3]) or "—",
                    )
                )
                continue
            term = terms[term_id]
            months = term_months(term.first_day, term.last_day)
            loans_good = _check_loans(loader, marked, stats, term, months)
            if _check_readers(loader, marked, stats) and loans_good:
                views.append(StatsView(term_id, term.name, months, stats, marked.source.name))
        return tuple(views)

    def work_summary(self, site: Site, term: Any) -> tuple[str, list[Any]] | None:
        """The 工作总结's section on loans (generator.plan.documents' STATS_HOOK): the term's
        total, each class's loans and the most borrowed books; None without a stats file."""
        from generator.plan import documents

        stats = term_stats(site, term.term.id)
        if stats is None:
            return None
        w = site.words
        lead = w._("本学期借出图书 %(total)s 册。", total=stats.total)
        if stats.per_pupil is not None:
            lead += w._("人均 %(n)s 册。", n=stats.per_pupil)
        classes = documents.Table(
            (w._("班级"), w._("借阅册数")),
            tuple((line.name, str(line.loans)) for line in stats.classes),
        )
        books = documents.Table(
            (w._("书名"), w._("借阅次数")),
            tuple((b.title, str(b.loans)) for b in stats.books[:10]),
        )
        return w._("借阅统计"), [documents.Paragraph(lead), classes, books]

    def nav(self, site: Any) -> list[NavItem]:
        if not site.content.of(self.name):
            return []
        return [NavItem(N_("借阅统计"), urls.stats(), "stats")]

    def publish(self, views: tuple[Any, ...], settings: SiteSettings) -> tuple[Any, ...]:
        return tuple(replace(v, public=True) for v in views)

    def jobs(self, planner: Planner, views: tuple[StatsView, ...]) -> list[Job]:
        if not views:
            return []
        site = planner.site
        settings = frozenset((SETTINGS_FILE,))
        every = [(v, compute(v, site.settings, site.words)) for v in views]
        jobs = [
            Job(
                urls.stats(),
                "stats_index.html",
                {"terms": [s for _, s in every]},
                "stats",
                settings | {v.source for v in views},
                tuple((v.id, v.term_name) for v in views),
            )
        ]
        for view, stats in every:
            sources = settings | {view.source}
            # what of the term file they show: its name and its months, not its items
            key = (view.term_name, tuple(str(m) for m in view.months))
            jobs.append(
                Job(urls.stats_term(view.id), "stats.html", {"stats": stats}, "stats", sources, key)
            )
            jobs.append(
                Job(
                    urls.stats_print(view.id),
                    "stats_print.html",
                    {"stats": stats},
                    "stats",
                    sources,
                    key,
                    paper="A4 portrait",  # `library-site pdf` prints it
                )
            )
        return jobs

    def search(self, view: StatsView, w: Words, memo: Memo) -> SearchEntry:
        return SearchEntry(
            "stats", w._("%(term)s借阅统计", term=view.term_name), urls.stats_term(view.id)
        )


KIND = StatsKind(
    name="stats",
    folder="stats",
    words={"zh": "借阅统计", "en": "loan statistics"},
    schema=("stats", "借阅统计"),
    model=LoanStats,
    search_labels={"stats": N_("借阅统计")},
    menu=47,  # after the classes, before the pages
)
