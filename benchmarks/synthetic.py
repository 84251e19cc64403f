"""A large synthetic site for benchmarks: the sample site plus a 20-term archive.

Deterministic: the same arguments always write the same files.

    python -m benchmarks.synthetic /tmp/big-site [--terms 20] [--events 500]
"""

from __future__ import annotations

import argparse
import shutil
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CATEGORIES = ("routine", "activity", "festival", "story", "display", "meeting", "training")
TOPICS = ("绘本共读", "图书整理", "小管培训", "故事会", "新书上架", "班级图书角", "阅读课",
          "主题展示", "借阅统计", "家长义工")


def term_dates(index: int) -> tuple[str, str, date, date]:
    """Term `index` counted back from the sample archive: autumn and spring terms."""
    year = 2024 - index // 2
    if index % 2 == 0:  # spring term of school year year-1..year
        return (f"{year - 1}-{year}-2", f"{year - 1}学年第二学期",
                date(year, 2, 23), date(year, 7, 3))
    return (f"{year - 1}-{year}-1", f"{year - 1}学年第一学期",
            date(year - 1, 9, 1), date(year, 1, 20))


def term_file(index: int, events: int) -> str:
    term_id, name, first, last = term_dates(index)
    weekdays = [first + timedelta(days=d) for d in range((last - first).days + 1)
                if (first + timedelta(days=d)).weekday() < 5]
    lines = ["term:", f"  id: {term_id}", f"  name: {name}",
             f"  first_day: {first.isoformat()}", f"  last_day: {last.isoformat()}",
             "events:"]
    for n in range(events):
        day = weekdays[(n * 7) % len(weekdays)]
        lines += [f"  - title: {TOPICS[n % len(TOPICS)]}（第{n + 1}项）",
                  f"    date: {day.isoformat()}",
                  f"    category: {CATEGORIES[n % len(CATEGORIES)]}"]
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
            term_file(index, events), encoding="utf-8")
    return dest


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("dest", type=Path)
    parser.add_argument("--terms", type=int, default=20)
    parser.add_argument("--events", type=int, default=500)
    args = parser.parse_args()
    generate(args.dest, args.terms, args.events)
    print(args.dest)


if __name__ == "__main__":
    main()
