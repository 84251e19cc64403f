"""A library system's loan export for the sample's autumn term (2025-2026-1), made up and
deterministic: one row per loan, as a school library system writes it (借阅日期 with the
time, 读者姓名, 借书证号, 班级, 书名, 作者, 条码, 应还日期).

The sample's content/stats/2025-2026-1.yaml is this file run through `import-loans`:

    PYTHONPATH=$PWD python3 tests/loans_sample.py

writes the CSV to a temporary folder and imports it into content/ (with --force);
tests/test_stats.py checks that the committed file is what the import makes of it. The
readers' names are invented (and never reach the statistics file).
"""

from __future__ import annotations

import csv
import io
import random
import sys
import tempfile
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIRST, LAST = date(2025, 9, 8), date(2026, 1, 13)  # lending: week 2 to the stock-take
CLOSED = [(date(2025, 10, 1), date(2025, 10, 8)), (date(2026, 1, 1), date(2026, 1, 3))]
WORKED_SATURDAYS = {date(2025, 9, 28), date(2025, 10, 11), date(2026, 1, 4)}
GRADES = "一二三四五六"
# pupils per class, class by class (一(1)班 … 六(4)班): the sample's site.yaml says the same
PUPILS = [
    *(41, 42, 40, 41),
    *(43, 42, 44, 41),
    *(44, 45, 43, 44),
    *(45, 44, 46, 45),
    *(46, 45, 44, 46),
    *(44, 43, 45, 42),
]
# loans per pupil per lending week, by grade: the youngest borrow one book in two weeks
RATE = [0.45, 0.6, 0.8, 0.85, 0.8, 0.7]
# (title, author, the grades who borrow it most: 0 = 一年级)
BOOKS = [
    ("猜猜我有多爱你", "山姆·麦克布雷尼", (0, 1)),
    ("好饿的毛毛虫", "艾瑞克·卡尔", (0, 1)),
    ("大卫，不可以", "大卫·香农", (0, 1)),
    ("我爸爸", "安东尼·布朗", (0, 1)),
    ("小猪唏哩呼噜", "孙幼军", (0, 1, 2)),
    ("一年级的小豌豆", "商晓娜", (0, 1)),
    ("没头脑和不高兴", "任溶溶", (1, 2)),
    ("小巴掌童话", "张秋生", (1, 2)),
    ("大头儿子和小头爸爸", "郑春华", (0, 1, 2)),
    ("笨狼的故事", "汤素兰", (1, 2)),
    ("米小圈上学记", "北猫", (1, 2, 3)),
    ("神奇校车", "乔安娜·柯尔", (1, 2, 3)),
    ("舒克和贝塔", "郑渊洁", (2, 3)),
    ("皮皮鲁传", "郑渊洁", (2, 3, 4)),
    ("淘气包马小跳", "杨红樱", (2, 3, 4)),
    ("笑猫日记", "杨红樱", (2, 3, 4)),
    ("宝葫芦的秘密", "张天翼", (2, 3)),
    ("稻草人", "叶圣陶", (2, 3)),
    ("夏洛的网", "E.B.怀特", (3, 4)),
    ("窗边的小豆豆", "黑柳彻子", (3, 4)),
    ("草房子", "曹文轩", (4, 5)),
    ("青铜葵花", "曹文轩", (4, 5)),
    ("城南旧事", "林海音", (4, 5)),
    ("小王子", "圣埃克苏佩里", (4, 5)),
    ("昆虫记", "法布尔", (3, 4, 5)),
    ("可怕的科学：神秘的恐龙", "尼克·阿诺德", (3, 4, 5)),
    ("西游记（青少版）", "吴承恩", (3, 4, 5)),
    ("三国演义（青少版）", "罗贯中", (4, 5)),
    ("哈利·波特与魔法石", "J.K.罗琳", (4, 5)),
    ("假如给我三天光明", "海伦·凯勒", (5,)),
]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾"
GIVEN = "子梓浩宇轩涵欣怡一诺依晨雨泽思佳俊博文雅嘉睿可馨皓然天乐安琪若彤"


def classes() -> list[str]:
    return [f"{g}({n})班" for g in GRADES for n in range(1, 5)]


def lending_days() -> list[date]:
    days, day = [], FIRST
    while day <= LAST:
        closed = any(a <= day <= b for a, b in CLOSED)
        if (day.weekday() < 5 or day in WORKED_SATURDAYS) and not closed:
            days.append(day)
        day += timedelta(days=1)
    return days


def pupils(rng: random.Random) -> list[tuple[str, str, str, int]]:
    """(name, card number, class, grade) of every pupil: invented names."""
    found = []
    for i, (klass, size) in enumerate(zip(classes(), PUPILS, strict=True)):
        grade = i // 4
        for seat in range(1, size + 1):
            name = rng.choice(SURNAMES) + "".join(rng.choices(GIVEN, k=rng.choice((1, 2))))
            card = f"J{2025 - grade}{i % 4 + 1:02d}{seat:02d}"
            found.append((name, card, klass, grade))
    return found


def loan_rows(seed: int = 20250908) -> list[list[str]]:
    rng = random.Random(seed)
    readers = pupils(rng)
    days = lending_days()
    rows = [["借阅日期", "读者姓名", "借书证号", "班级", "书名", "作者", "条码", "应还日期"]]
    copies = {title: 0 for title, _, _ in BOOKS}
    for name, card, klass, grade in readers:
        keen = rng.uniform(0.3, 1.7) * RATE[grade]  # some pupils borrow far more than others
        if rng.random() < 0.04:  # and a few borrow nothing all term
            keen = 0
        weeks = len(days) / 5
        for _ in range(round(keen * weeks)):
            day = rng.choice(days)
            weights = [3.0 if grade in band else 0.25 for _, _, band in BOOKS]
            weights = [w / (1 + i * 0.08) for i, w in enumerate(weights)]  # a few favourites
            title, author, _ = rng.choices(BOOKS, weights=weights)[0]
            copies[title] += 1
            barcode = f"X{BOOKS.index((title, author, _)) + 1:03d}{copies[title] % 6 + 1:02d}"
            when = f"{day.isoformat()} {rng.randint(8, 15):02d}:{rng.randint(0, 59):02d}:00"
            due = (day + timedelta(days=14)).isoformat()
            rows.append([when, name, card, klass, title, author, barcode, due])
    rows[1:] = sorted(rows[1:], key=lambda r: (r[0], r[2]))
    return rows


def loan_csv(seed: int = 20250908) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(loan_rows(seed))
    return out.getvalue()


def main() -> int:
    from generator.cli import main as cli

    with tempfile.TemporaryDirectory() as tmp:
        sheet = Path(tmp) / "借阅记录-2025秋.csv"
        sheet.write_text(loan_csv(), encoding="utf-8-sig")
        return cli(["import-loans", str(sheet), "--site", str(ROOT), "--force"])


if __name__ == "__main__":
    sys.exit(main())
