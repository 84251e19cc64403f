"""Synthetic sites for benchmarks, all built on the sample site. Deterministic: the same
arguments always write the same files.

- `generate`: the sample site plus a 20-term archive of events (the preview benchmark);
- `archive_corpus`: that archive (10 school years, 10,000 events) with 200 roster files,
  100 displays and 20 festivals spread over its terms;
- `news_corpus`: the sample site plus N news articles in content/news/ (the classic
  "N Markdown files" corpus, ~1.4 KB of mixed Chinese/English each);
- `school_corpus`: one school over five years, the site a librarian lives in: the sample's
  two terms and 8 earlier ones of ~150 events (10 terms), ~300 news, 20 rosters of ~60
  sessions, 10 displays (~470 pages).

    python -m benchmarks.synthetic /tmp/big-site [--terms 20] [--events 500]
    python -m benchmarks.synthetic /tmp/news --news 4000
    python -m benchmarks.synthetic /tmp/archive --archive
    python -m benchmarks.synthetic /tmp/school --school
"""

from __future__ import annotations

import argparse
import shutil
from datetime import date, timedelta
from math import gcd
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CATEGORIES = ("routine", "activity", "festival", "story", "display", "meeting", "training")
TOPICS = (
    "绘本共读",
    "图书整理",
    "小管培训",
    "故事会",
    "新书上架",
    "班级图书角",
    "阅读课",
    "主题展示",
    "借阅统计",
    "家长义工",
)


def term_dates(index: int) -> tuple[str, str, date, date]:
    """Term `index` counted back from the sample archive: autumn and spring terms."""
    year = 2024 - index // 2
    if index % 2 == 0:  # spring term of school year year-1..year
        return (
            f"{year - 1}-{year}-2",
            f"{year - 1}学年第二学期",
            date(year, 2, 23),
            date(year, 7, 3),
        )
    return (
        f"{year - 1}-{year}-1",
        f"{year - 1}学年第一学期",
        date(year - 1, 9, 1),
        date(year, 1, 20),
    )


def term_file(index: int, events: int) -> str:
    term_id, name, first, last = term_dates(index)
    weekdays = [
        first + timedelta(days=d)
        for d in range((last - first).days + 1)
        if (first + timedelta(days=d)).weekday() < 5
    ]
    lines = [
        "term:",
        f"  id: {term_id}",
        f"  name: {name}",
        f"  first_day: {first.isoformat()}",
        f"  last_day: {last.isoformat()}",
        "events:",
    ]
    for n in range(events):
        day = weekdays[(n * 7) % len(weekdays)]
        lines += [
            f"  - title: {TOPICS[n % len(TOPICS)]}（第{n + 1}项）",
            f"    date: {day.isoformat()}",
            f"    category: {CATEGORIES[n % len(CATEGORIES)]}",
        ]
        if n % 3 == 0:
            lines.append(f"    time: {12 + n % 4}:20-{12 + n % 4}:50")
    return "\n".join(lines) + "\n"


def generate(dest: Path, terms: int = 20, events: int = 500) -> Path:
    """Write the sample site and `terms` archive terms of `events` events into `dest`."""
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copy2(ROOT / "events.yaml", dest / "events.yaml")
    shutil.copytree(ROOT / "content", dest / "content", dirs_exist_ok=True)
    for index in range(terms):
        term_id = term_dates(index)[0]
        (dest / "content" / "terms" / f"{term_id}.yaml").write_text(
            term_file(index, events), encoding="utf-8"
        )
    return dest


def _weekdays(first: date, last: date) -> list[date]:
    days = (first + timedelta(days=d) for d in range((last - first).days + 1))
    return [d for d in days if d.weekday() < 5]


PEOPLE = ("王丽娟", "赵建国", "孙晓燕", "周海峰", "陈思远", "刘可馨", "黄子涵", "吴俊杰")
CLASSES = ("一(1)班", "一(2)班", "二(1)班", "二(2)班", "三(1)班", "三(2)班")
ROSTER_KINDS = ("story_parents", "storytellers", "volunteers")


def festival_file(index: int) -> str:
    term_id, _, first, last = term_dates(index)
    days = _weekdays(first, last)
    lines = [
        f"name: 第{20 - index}届读书节（{term_id}）",
        "theme: 阅读点亮童年",
        f"from: {days[40].isoformat()}",
        f"to: {days[59].isoformat()}",
        "organisers: [图书馆, 大队部]",
        "summary: 一年一度的**读书节**，全校参与。",
        "stages:",
    ]
    for n in range(5):
        lines += [
            f"  - title: {TOPICS[n]}（读书节第{n + 1}项）",
            f"    date: {days[40 + n * 4].isoformat()}",
            "    location: 图书馆",
            "    audience: 全校",
            f"    description: 第{n + 1}项活动，详见 [安排](https://example.org/{n})。",
        ]
    return "\n".join(lines) + "\n"


def roster_file(index: int, n: int, sessions: int = 10) -> str:
    """Roster `n` of term `index`: `sessions` booked sessions (on as many different days, at
    most one a weekday of the term), its own people so nothing clashes."""
    _, _, first, last = term_dates(index)
    days = _weekdays(first, last)
    assert sessions <= len(days)
    people = [f"{PEOPLE[(n + k) % len(PEOPLE)]}{index}-{n}-{k}" for k in range(3)]
    lines = [
        f"name: 名单{index}-{n}",
        f"kind: {ROSTER_KINDS[n % len(ROSTER_KINDS)]}",
        "owner: 储霞",
        "category: story",
        "summary: 每周一次，进班讲故事。",
        "people:",
    ]
    lines += [f"  - name: {p}\n    role: 家长" for p in people]
    lines.append("sessions:")
    step = next(s for s in (9, 7, 11, 13, 1) if gcd(s, len(days)) == 1)  # every day once
    for k in range(sessions):
        lines += [
            f"  - date: {days[(n * 3 + k * step) % len(days)].isoformat()}",
            f"    time: {7 + n % 10}:10-{7 + n % 10}:30",
            f"    class: {CLASSES[(n + k) % len(CLASSES)]}",
            f"    person: {people[k % 3]}",
            f"    title: 故事{k + 1}",
        ]
    return "\n".join(lines) + "\n"


def display_file(index: int, n: int) -> str:
    _, _, first, last = term_dates(index)
    days = _weekdays(first, last)
    lines = [
        f"title: 主题展示{index}-{n}：{TOPICS[n % len(TOPICS)]}",
        f"from: {days[n * 15].isoformat()}",
        f"to: {days[n * 15 + 10].isoformat()}",
        "location: 图书馆门厅",
        "curator: 储霞",
        "description: 配合本月主题，精选**好书**推荐。",
        "books:",
    ]
    for k in range(6):
        lines += [f"  - title: 好书{n}-{k}", "    author: 佚名", f"    call_number: I287.8/{k}"]
    return "\n".join(lines) + "\n"


def archive_corpus(dest: Path, terms: int = 20, events: int = 500) -> Path:
    """The archive: `terms` terms × `events` events, 10 rosters, 5 displays and one festival
    per term (200, 100 and 20 for the default 20 terms)."""
    generate(dest, terms, events)
    content = dest / "content"
    for index in range(terms):
        term_id = term_dates(index)[0]
        (content / "festivals" / f"fest-{term_id}.yaml").write_text(
            festival_file(index), encoding="utf-8"
        )
        for n in range(10):
            (content / "rosters" / f"roster-{term_id}-{n}.yaml").write_text(
                roster_file(index, n), encoding="utf-8"
            )
        for n in range(5):
            (content / "displays" / f"display-{term_id}-{n}.yaml").write_text(
                display_file(index, n), encoding="utf-8"
            )
    return dest


SCHOOL_TERMS = range(-2, 6)  # 2024-2025-2 back to 2021-2022-1: with the sample's, five years


def school_corpus(
    dest: Path, events: int = 150, news: int = 280, rosters: int = 20, sessions: int = 60
) -> Path:
    """One school over five years: the sample site (this school year's two terms, 2 rosters,
    2 displays, 2 news) plus 8 earlier terms of `events` events, `rosters` rosters in all
    (2–3 a term) of `sessions` sessions each, a display a term (10 in all) and news articles
    up to `news`. With the defaults, 731 pages."""
    generate(dest, terms=0)
    content = dest / "content"
    terms = list(SCHOOL_TERMS)
    for index in terms:
        term_id = term_dates(index)[0]
        (content / "terms" / f"{term_id}.yaml").write_text(
            term_file(index, events), encoding="utf-8"
        )
        (content / "displays" / f"display-{term_id}-0.yaml").write_text(
            display_file(index, 0), encoding="utf-8"
        )
    for r in range(rosters - 2):  # the sample has two
        index, n = terms[r % len(terms)], r // len(terms)
        term_id = term_dates(index)[0]
        (content / "rosters" / f"roster-{term_id}-{n}.yaml").write_text(
            roster_file(index, n, sessions), encoding="utf-8"
        )
    folder = content / "news"
    for n in range(news - 2):
        (folder / f"bench-{n:05d}.md").write_text(news_article(n), encoding="utf-8")
    return dest


ARTICLE = """---
title: {title}
date: {day}
tags: [{tags}]
---
本周图书馆开展了**{topic}**活动，共有{n}名同学参加。The library ran a *{en}* session
this week; students from grades 3 to 6 took part and borrowed {n} books in total.

## 活动回顾 / Highlights

- 同学们分组阅读了绘本《{book}》，并交流了读后感。
- Volunteers from the parents' committee helped shelve new arrivals.
- 小管们整理了班级图书角，补充了{n}本新书。

| 年级 | 参加人数 | 借阅册数 |
| --- | --- | --- |
| 三年级 | {a} | {b} |
| 四年级 | {b} | {a} |

详细安排请看[图书馆开放时间](../hours/index.html)。Thanks to every teacher and parent who
helped: reading together makes the whole school a better place to grow up in. 欢迎大家下周继续
来图书馆借书、还书、看书；Please return borrowed books on time so others can enjoy them too.

下期预告：读书节将在下个月开幕，各班请提前准备好推荐书目和读书小报。Next month the reading
festival opens with a book swap, a storytelling contest and a quiz on {book}; each class sends
two readers. 图书馆周三下午闭馆整理，请留意。
"""
BOOKS = ("好饿的毛毛虫", "猜猜我有多爱你", "神奇校车", "小王子", "夏洛的网", "窗边的小豆豆")
ENGLISH = ("picture-book", "shelving", "storytelling", "book-fair", "reading-club")


def news_article(n: int) -> str:
    day = date(2016, 1, 1) + timedelta(days=n % 3650)
    return ARTICLE.format(
        title=f"{TOPICS[n % len(TOPICS)]}活动简报 No.{n}",
        day=day.isoformat(),
        tags=", ".join(sorted({TOPICS[n % 7], TOPICS[n % 3]})),
        topic=TOPICS[n % len(TOPICS)],
        en=ENGLISH[n % len(ENGLISH)],
        book=BOOKS[n % len(BOOKS)],
        n=20 + n % 80,
        a=30 + n % 17,
        b=40 + n % 23,
    )


def news_corpus(dest: Path, count: int) -> Path:
    """The sample site plus `count` news articles (content/news/bench-NNNNN.md)."""
    generate(dest, terms=0)
    news = dest / "content" / "news"
    news.mkdir(parents=True, exist_ok=True)
    for n in range(count):
        (news / f"bench-{n:05d}.md").write_text(news_article(n), encoding="utf-8")
    return dest


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("dest", type=Path)
    parser.add_argument("--terms", type=int, default=20)
    parser.add_argument("--events", type=int, default=500)
    parser.add_argument("--news", type=int, default=None, help="write the news corpus")
    parser.add_argument("--archive", action="store_true", help="write the archive corpus")
    parser.add_argument("--school", action="store_true", help="write the school corpus")
    args = parser.parse_args()
    if args.school:
        school_corpus(args.dest)
    elif args.news is not None:
        news_corpus(args.dest, args.news)
    elif args.archive:
        archive_corpus(args.dest, args.terms, args.events)
    else:
        generate(args.dest, args.terms, args.events)
    print(args.dest)


if __name__ == "__main__":
    main()
