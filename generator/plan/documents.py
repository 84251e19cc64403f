"""The term's two documents, 工作计划 and 工作总结, as data: headings, paragraphs, numbered
lists and tables (`Document`), made from the assembled site alone. The page
(`work_plan.html`) and the .docx (`render.docx`) are two renderings of the same `Document`,
so nothing in them is typed twice.

The 工作计划 follows the seeds' form: 一、工作目标 (the term file's `term: goals:`), then each
month as 二月份： with its items numbered 1、2、… (dated items first, in the calendar's order,
then the month's 本月工作), owners as （储霞负责）; then the festivals with their stages,
the rosters with their rounds and the projects with their phases.

The 工作总结 says what was held by the build date: per month and category with counts, the
festivals and their results, the roster sessions held, the honours, the projects and their
progress, the loan statistics (when the `stats` kind is there: `STATS_HOOK`) and the next
term's dates where a term file gives them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from functools import partial
from typing import TYPE_CHECKING, Any

from babel.dates import format_skeleton

from generator.assemble.term import MonthItem, MonthView, Occurrence, TermCalendar
from generator.memo import NO_MEMO, Memo
from generator.model.base import N_
from generator.model.categories import CATEGORIES
from generator.model.term import Term
from generator.model.values import Month
from generator.read.words import Words

if TYPE_CHECKING:
    from generator.assemble.site import Site

# The kind (issue 20's loan statistics, built on its own branch) whose section the 工作总结
# takes when the site has it: `work_summary(site, term)` on the kind record, returning
# (heading, blocks) or None. Without such a kind the section is left out.
STATS_HOOK = ("stats", "work_summary")

_CN_NUMBERS = "一二三四五六七八九十"
_CN_MONTHS = ("一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二")


@dataclass(frozen=True)
class Heading:
    text: str
    level: int  # 1: a section (一、工作目标), 2: a month, a festival, a roster


@dataclass(frozen=True)
class Paragraph:
    text: str
    label: bool = False  # a run-in label over a list (本月工作：)


@dataclass(frozen=True)
class Items:
    """A numbered list; `start` continues a month's numbering after its 本月工作 label."""

    items: tuple[str, ...]
    start: int = 1


@dataclass(frozen=True)
class Table:
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


Block = Heading | Paragraph | Items | Table


@dataclass(frozen=True)
class Shown:
    """What a term's two documents are made of, picked out of the site (`shown`): they
    read nothing else, so it is a complete key to keep them by (`made`), compared by
    identity, else by value."""

    term: TermCalendar
    today: date  # the build date: what the summary counts as held, the date of both
    language: tuple[str, object]  # `Words.key`: the words they are written in
    library: str
    school: str
    festivals: tuple[Any, ...]  # the festivals' files whose dates overlap the term
    rosters: tuple[Any, ...]  # the roster views with sessions in it (duties: the current's)
    projects: tuple[Any, ...]  # the projects' files with phases or notes in it
    honours: tuple[Any, ...]  # its honours, highest level first
    stats: tuple[str, tuple[Block, ...]] | None  # the loan statistics' section (STATS_HOOK)
    next_term: Term | None  # the term that follows: the summary gives its dates
    words: Words = field(compare=False, repr=False)  # compared by `language`


def shown(site: Site, term: TermCalendar) -> Shown:
    from generator.kinds.honours import honours_of

    first, last = Month.of(term.term.first_day), Month.of(term.term.last_day)
    in_term = {
        o.part_of.id
        for o in term.occurrences
        if o.part_of is not None and o.part_of.kind == "roster"
    }
    later = sorted(
        (t for t in site.terms if t.term.first_day > term.term.last_day),
        key=lambda t: t.term.first_day,
    )
    stats = _stats(site, term)
    return Shown(
        term,
        site.today,
        site.words.key,
        site.settings.library,
        site.settings.school,
        tuple(
            doc
            for doc in site.content.of("festival")
            if _overlaps(term, doc.model.from_, doc.model.to)
        ),
        tuple(
            v
            for v in site.content.of("roster")
            if v.id in in_term or (term.current and v.roster.duties)
        ),
        tuple(
            doc
            for doc in site.content.of("project")
            if any(p.month_span[0] <= last and p.month_span[1] >= first for p in doc.model.phases)
            or any(term.term.first_day <= n.date <= term.term.last_day for n in doc.model.notes)
        ),
        tuple(honours_of(site, term)),
        None if stats is None else (stats[0], tuple(stats[1])),
        later[0].term if later else None,
        site.words,
    )


@dataclass(frozen=True)
class Document:
    kind: str  # "plan" | "summary"
    title: str
    subtitle: str
    blocks: tuple[Block, ...]
    when: date  # the date its .docx says it was made: the build date

    @property
    def item_count(self) -> int:
        """How many numbered items it has (the figure the issue asks for)."""
        return sum(len(b.items) for b in self.blocks if isinstance(b, Items))


def section_number(n: int) -> str:
    """一 … 十, 十一 …: the numbers of a plan's sections."""
    if n <= 10:
        return _CN_NUMBERS[n - 1]
    tens, ones = divmod(n, 10)
    return (
        (_CN_NUMBERS[tens - 1] if tens > 1 else "") + "十" + (_CN_NUMBERS[ones - 1] if ones else "")
    )


# Each day as the documents write it, per locale, formatted once for the process: a
# term's documents write its days thousands of times (every item of every month, in the
# plan and again in the summary) and babel's formatting was most of their cost. A site
# has a few thousand days: the table stays small.
_DAYS: dict[str, dict[date, str]] = {}


class _Writer:
    """The site's words for the documents: dates as the plans write them (2月24日)."""

    def __init__(self, words: Words) -> None:
        self.w = words
        self.zh = words.locale.language == "zh"
        self._days = _DAYS.setdefault(str(words.locale), {})

    def _(self, message: str, **values: object) -> str:
        return self.w._(message, **values)

    def day(self, day: date) -> str:
        found = self._days.get(day)
        if found is None:
            found = self._days[day] = format_skeleton("MMMd", day, locale=self.w.locale)
        return found

    def span(self, first: date, last: date) -> str:
        if first == last:
            return self.day(first)
        return self._(N_("%(first)s—%(last)s"), first=self.day(first), last=self.day(last))

    def month_name(self, month: Month) -> str:
        """二月 (as the plans write a month: in words, not 2月), February."""
        if self.zh:
            return _CN_MONTHS[month.month - 1] + "月"
        return format_skeleton("MMMM", date(month.year, month.month, 1), locale=self.w.locale)

    def month(self, month: Month) -> str:
        """二月份： (the seeds' heading of a month's items)."""
        return self._(N_("%(month)s份："), month=self.month_name(month))

    def numbered(self, n: int, text: str) -> str:
        return self._(
            N_("%(number)s、%(title)s"), number=section_number(n) if self.zh else n, title=text
        )

    def owner(self, owner: Any) -> str:
        return self._(N_("（%(owner)s负责）"), owner=str(owner)) if owner else ""


def _sections(w: _Writer, parts: Iterable[tuple[str, list[Block]]]) -> tuple[Block, ...]:
    """The sections that have something, numbered 一、二、… in order."""
    blocks: list[Block] = []
    for title, body in (p for p in parts if p[1]):
        n = sum(1 for b in blocks if isinstance(b, Heading) and b.level == 1) + 1
        blocks.append(Heading(w.numbered(n, title), 1))
        blocks.extend(body)
    return tuple(blocks)


def _paragraphs(text: str) -> list[Block]:
    """A short Markdown text as its paragraphs (the goals are a few sentences)."""
    found: list[Block] = []
    for part in text.replace("\r\n", "\n").split("\n\n"):
        line = " ".join(s.strip() for s in part.split("\n") if s.strip())
        if line:
            found.append(Paragraph(line.replace("**", "")))
    return found


# --- what a month holds -----------------------------------------------------------------------


def month_occurrences(term: TermCalendar, month: MonthView) -> list[Occurrence]:
    """The month's dated items as the plan lists them, in the calendar's order: those that
    start in it; a weekly rule once (at its first day in the month); a roster's sessions
    not one by one (the rosters' section gives their rounds)."""
    seen: set[str] = set()
    found = []
    for occ in month.occurrences:
        if Month.of(occ.start) != month.month:
            continue
        if occ.part_of is not None and occ.part_of.kind == "roster":
            continue
        if occ.recurring:
            if str(occ.origin) in seen:
                continue
            seen.add(str(occ.origin))
        found.append(occ)
    return found


def _when(w: _Writer, occ: Occurrence) -> str:
    if occ.recurring:
        rule = occ.event
        if getattr(rule, "monthly", False):
            return w._(N_("每月"))
        days = "、".join(w.w.weekdays[d] for d in rule.weekdays or ())  # type: ignore[union-attr]
        return w._(N_("每%(weekdays)s"), weekdays=days)  # 每周三、周五
    if occ.whole_week:
        first, last = occ.weeks
        if first == last:
            return w._(N_("第%(week)s周"), week=first)
        return w._(N_("第%(first)s—%(last)s周"), first=first, last=last)
    return w.span(occ.start, occ.end)


def occurrence_item(w: _Writer, occ: Occurrence) -> str:
    """2月24日：开馆准备（储霞负责）."""
    return w._(
        N_("%(when)s：%(title)s%(owner)s"),
        when=_when(w, occ),
        title=occ.title,
        owner=w.owner(occ.event.owner),
    )


def month_item(w: _Writer, item: MonthItem) -> str:
    return item.title + w.owner(item.event.owner)


def _month_blocks(w: _Writer, term: TermCalendar, month: MonthView) -> list[Block]:
    dated = [occurrence_item(w, o) for o in month_occurrences(term, month)]
    undated = [month_item(w, m) for m in month.items]
    if not dated and not undated:
        return []
    blocks: list[Block] = [Heading(w.month(month.month), 2)]
    if dated:
        blocks.append(Items(tuple(dated)))
    if undated:
        blocks.append(Paragraph(w._(N_("本月工作：")), label=True))
        blocks.append(Items(tuple(undated), start=len(dated) + 1))
    return blocks


# --- festivals, rosters, projects ---------------------------------------------------------------


def _overlaps(term: TermCalendar, first: date, last: date) -> bool:
    ends = max((term.term.last_day, *(v.vacation.to for v in term.vacations)))
    return first <= ends and last >= term.term.first_day


def _festivals(w: _Writer, s: Shown, results: bool) -> list[Block]:
    blocks: list[Block] = []
    for doc in s.festivals:
        f = doc.model
        blocks.append(Heading(f.name, 2))
        facts = [w.span(f.from_, f.to)]
        if f.theme:
            facts.append(w._(N_("主题：%(theme)s"), theme=f.theme))
        if f.organisers:
            facts.append(w._(N_("合作：%(names)s"), names="、".join(f.organisers)))
        blocks.append(Paragraph(w._(N_("，")).join(facts)))
        stages = [
            w._(
                N_("%(when)s：%(title)s%(owner)s"),
                when=w.span(stage.start, stage.end),
                title=stage.title,
                owner=w.owner(stage.owner),
            )
            for stage in f.stages
            if not results or stage.start <= s.today
        ]
        if stages:
            blocks.append(Items(tuple(stages)))
        if results and f.results:
            rows = tuple((a.title, "、".join(a.winners)) for a in f.results)
            blocks.append(Table((w._(N_("奖项")), w._(N_("获奖"))), rows))
    return blocks


def _roster_sessions(term: TermCalendar, roster_id: str) -> list[Occurrence]:
    return [
        o
        for o in term.occurrences
        if o.part_of is not None and o.part_of.kind == "roster" and o.part_of.id == roster_id
    ]


def _rosters(w: _Writer, shown: Shown) -> list[Block]:
    """Each roster with sessions in the term, and its rounds: each rota's weekdays, dates and
    number of sessions, then the sessions written out."""
    blocks: list[Block] = []
    term = shown.term
    for view in shown.rosters:
        in_term = {o.start for o in _roster_sessions(term, view.id)}
        sessions = [s for s in view.sessions if s.date in in_term]
        r = view.roster
        # a roster of weekly duties (小管) has no sessions: it is the current term's
        duties = r.duties if term.current else []
        if not sessions and not duties:
            continue
        blocks.append(Heading(r.name, 2))
        facts = [w._(r.kind_name)]
        if r.owner:
            facts.append(w._(N_("负责：%(name)s"), name=r.owner))
        if sessions:
            facts.append(w._(N_("共 %(n)s 场"), n=len(sessions)))
        blocks.append(Paragraph(w._(N_("，")).join(facts)))
        rounds = [
            w._(
                N_("%(weekday)s：%(class)s%(time)s"),
                weekday=w.w.weekdays[d.weekday],
                **{"class": d.class_},
                time=f" {d.time}" if d.time else "",
            )
            for d in sorted(duties, key=lambda d: (d.weekday, d.class_))
        ]
        for rota in r.rota:
            count = sum(
                1
                for s in sessions
                if s.generated
                and rota.from_ <= s.date <= rota.to
                and (s.date.weekday() in rota.weekdays or s.date.weekday() >= 5)
            )
            if count:
                rounds.append(
                    w._(
                        N_("%(when)s，%(weekdays)s%(time)s，%(n)s 场"),
                        when=w.span(rota.from_, rota.to),
                        weekdays="、".join(w.w.weekdays[d] for d in rota.weekdays),
                        time=f" {rota.time}" if rota.time else "",
                        n=count,
                    )
                )
        written = sum(1 for s in sessions if not s.generated)
        if written:
            rounds.append(w._(N_("另有写明的场次 %(n)s 场"), n=written))
        if rounds:
            blocks.append(Items(tuple(rounds)))
    return blocks


def _projects(w: _Writer, s: Shown, progress: bool) -> list[Block]:
    term = s.term
    first, last = Month.of(term.term.first_day), Month.of(term.term.last_day)
    blocks: list[Block] = []
    for doc in s.projects:
        p = doc.model
        phases = [ph for ph in p.phases if ph.month_span[0] <= last and ph.month_span[1] >= first]
        notes = [
            n for n in p.notes if term.term.first_day <= n.date <= min(term.term.last_day, s.today)
        ]
        if not phases and not (progress and notes):
            continue
        blocks.append(Heading(p.name, 2))
        facts = [w._(p.status_name)]
        if p.owner:
            facts.append(w._(N_("负责：%(name)s"), name=str(p.owner)))
        blocks.append(Paragraph(w._(N_("，")).join(facts)))
        items = []
        for ph in phases:
            start, end = ph.month_span
            when = w.span(ph.start, ph.end) if ph.start is not None else _month_span(w, start, end)
            status = w._(ph.status_name)
            if ph.owner:
                status = w._(N_("%(status)s，%(owner)s负责"), status=status, owner=str(ph.owner))
            items.append(
                w._(
                    N_("%(when)s：%(title)s（%(status)s）"),
                    when=when,
                    title=ph.title,
                    status=status,
                )
            )
        if items:
            blocks.append(Items(tuple(items)))
        if progress and notes:
            blocks.append(Paragraph(w._(N_("进展：")), label=True))
            blocks.append(
                Items(tuple(f"{w.day(n.date)}：{' '.join(n.text.split())}" for n in notes))
            )
    return blocks


def _month_span(w: _Writer, first: Month, last: Month) -> str:
    if first == last:
        return w.month_name(first)
    return w._(N_("%(first)s—%(last)s"), first=w.month_name(first), last=w.month_name(last))


# --- the documents ------------------------------------------------------------------------------


def work_plan(site: Site, term: TermCalendar) -> Document:
    return _work_plan(shown(site, term))


def _work_plan(s: Shown) -> Document:
    w = _Writer(s.words)
    term = s.term
    months: list[Block] = []
    for month in term.months:
        months += _month_blocks(w, term, month)
    goals = term.term.goals
    blocks = _sections(
        w,
        [
            (w._(N_("工作目标")), _paragraphs(goals) if goals else []),
            (w._(N_("每月工作")), months),
            (w._(N_("读书节")), _festivals(w, s, results=False)),
            (w._(N_("名单与轮值")), _rosters(w, s)),
            (w._(N_("项目")), _projects(w, s, progress=False)),
        ],
    )
    title = w._(N_("%(library)s%(term)s工作计划"), library=s.library, term=term.term.name)
    return Document("plan", title, s.school, blocks, s.today)


def _held(term: TermCalendar, today: date) -> list[Occurrence]:
    return [o for o in term.occurrences if o.start <= today]


def _counts(w: _Writer, term: TermCalendar, held: list[Occurrence]) -> list[Block]:
    """A table: each month's items held, per category, with the totals."""
    per: Counter[tuple[Month, str]] = Counter((Month.of(o.start), o.event.category) for o in held)
    used = [k for k in CATEGORIES if any(c == k for _, c in per)]
    if not used:
        return []
    months = [m.month for m in term.months if any(mm == m.month for mm, _ in per)]
    rows = [
        (
            w.month(m).rstrip("：:"),
            *(str(per[(m, k)]) for k in used),
            str(sum(per[(m, k)] for k in used)),
        )
        for m in months
    ]
    rows.append(
        (
            w._(N_("合计")),
            *(str(sum(per[(m, k)] for m in months)) for k in used),
            str(len(held)),
        )
    )
    header = (w._(N_("月份")), *(w._(CATEGORIES[k].name) for k in used), w._(N_("合计")))
    return [Table(header, tuple(rows))]


def _held_months(w: _Writer, term: TermCalendar, today: date) -> list[Block]:
    """Each month's items held: dated items once each (a weekly rule with its count)."""
    blocks: list[Block] = []
    for month in term.months:
        repeats = Counter(
            str(o.origin)
            for o in month.occurrences
            if o.recurring and o.start <= today and Month.of(o.start) == month.month
        )
        items = []
        for occ in month_occurrences(term, month):
            if occ.start > today:
                continue
            text = occurrence_item(w, occ)
            if occ.recurring:
                text += w._(N_("（%(n)s 次）"), n=repeats[str(occ.origin)])
            items.append(text)
        if items:
            blocks += [Heading(w.month(month.month), 2), Items(tuple(items))]
    return blocks


def _roster_table(w: _Writer, s: Shown) -> list[Block]:
    rows = []
    for view in s.rosters:
        sessions = _roster_sessions(s.term, view.id)
        if not sessions:
            continue
        held = sum(1 for o in sessions if o.start <= s.today)
        r = view.roster
        rows.append((r.name, w._(r.kind_name), str(held), str(len(sessions)), r.owner or ""))
    if not rows:
        return []
    header = (
        w._(N_("名单")),
        w._(N_("种类")),
        w._(N_("已进行")),
        w._(N_("本学期共")),
        w._(N_("负责人")),
    )
    return [Table(header, tuple(rows))]


def _honours(w: _Writer, s: Shown) -> list[Block]:
    rows = []
    for v in s.honours:
        h = v.honour
        rows.append(
            (
                h.title,
                w._(v.level_name),
                "、".join(v.names),
                h.giver or "",
                w.day(h.date) if h.date else "",
            )
        )
    if not rows:
        return []
    header = (w._(N_("荣誉")), w._(N_("级别")), w._(N_("获奖")), w._(N_("颁发")), w._(N_("日期")))
    return [Table(header, tuple(rows))]


def _stats(site: Site, term: TermCalendar) -> tuple[str, list[Block]] | None:
    """STATS_HOOK: the loan statistics' section, from the `stats` kind if the site has one."""
    name, method = STATS_HOOK
    kind = next((k for k in site.kinds if k.name == name), None)
    make = getattr(kind, method, None)
    if make is None:
        return None
    found: tuple[str, list[Block]] | None = make(site, term)
    return found


def _next_term(w: _Writer, s: Shown) -> list[Block]:
    t = s.next_term
    if t is None:
        return []
    return [
        Paragraph(
            w._(
                N_("%(name)s：%(first)s开学，%(last)s结束。"),
                name=t.name,
                first=format_skeleton("yMMMd", t.first_day, locale=w.w.locale),
                last=format_skeleton("yMMMd", t.last_day, locale=w.w.locale),
            )
        )
    ]


def sources(s: Shown) -> frozenset[str]:
    """The files a term's documents show (`shown`): the term's (its file and the festival,
    roster and project files whose items fall in it), and the honours and projects they
    list."""
    picked = (*s.projects, *s.festivals, *s.honours)
    return frozenset(s.term.sources | {found.source for found in picked})


def work_summary(site: Site, term: TermCalendar) -> Document:
    return _work_summary(shown(site, term))


def _work_summary(s: Shown) -> Document:
    w = _Writer(s.words)
    term, today = s.term, s.today
    held = _held(term, today)
    overview: list[Block] = []
    if held:
        if today < term.term.last_day:
            overview.append(Paragraph(w._(N_("截至%(day)s："), day=w.day(today)), label=True))
        overview += _counts(w, term, held)
        overview += _held_months(w, term, today)
    parts: list[tuple[str, list[Block]]] = [
        (w._(N_("开展的工作")), overview),
        (w._(N_("读书节")), _festivals(w, s, results=True)),
        (w._(N_("名单与场次")), _roster_table(w, s)),
        (w._(N_("荣誉")), _honours(w, s)),
        (w._(N_("项目进展")), _projects(w, s, progress=True)),
    ]
    if s.stats is not None:
        parts.append((s.stats[0], list(s.stats[1])))
    parts.append((w._(N_("下学期")), _next_term(w, s)))
    title = w._(N_("%(library)s%(term)s工作总结"), library=s.library, term=term.term.name)
    return Document("summary", title, s.school, _sections(w, parts), today)


def made(s: Shown, memo: Memo = NO_MEMO) -> tuple[Document, Document]:
    """The term's 工作计划 and 工作总结, through `memo` by all they are made of (`shown`):
    a build makes them once for its pages and its .docx, the preview keeps an unchanged
    term's from the last build."""
    return memo.keep("documents", s.term.term.id, (s,), partial(_both, s))


def _both(s: Shown) -> tuple[Document, Document]:
    return _work_plan(s), _work_summary(s)
