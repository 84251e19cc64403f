"""docs/troubleshooting.md: every problem code with its words and a wrong and a right example.

Generated from `EXAMPLES` and `catalogue.CATALOGUE`, so a new code without an example fails
the test. Regenerate with `python -m generator.problems.troubleshooting`.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

from generator import PROJECT
from generator.helpformat import Parser
from generator.problems.catalogue import CATALOGUE

DOC = PROJECT / "docs" / "troubleshooting.md"

# code → (wrong, right): what a teacher typed, and the same lines corrected.
EXAMPLES: dict[str, tuple[str, str]] = {
    "E001": ("（用记事本“ANSI”编码保存的 events.yaml）", "（另存为 UTF-8 编码的 events.yaml）"),
    "E002": ("（events.yaml 正被其他程序锁定）", "（关闭占用文件的程序后再运行）"),
    "E101": ("title: [读书会", 'title: "[读书会"'),
    "E102": ("title: 开馆\ntitle: 开馆准备", "title: 开馆准备"),
    "E103": ("owner: &me 王老师", "owner: 王老师"),
    "E104": ("week: !!int 5", "week: 5"),
    "E105": ("term:\n  id: 2025-2026-2\n---\nterm:", "term:\n  id: 2025-2026-2"),
    "E106": ("- 开馆准备\n- 读书节", "term:\n  id: 2025-2026-2"),
    "E201": ("term:\n  id: 2025-2026-2", "term:\n  id: 2025-2026-2\n  name: 2025学年第二学期"),
    "E202": ("  - title:\n    date: 2026-03-02", "  - title: 开馆准备\n    date: 2026-03-02"),
    "E203": ("    categroy: meeting", "    category: meeting"),
    "E204": ("    date: 3月2日", "    date: 2026-03-02"),
    "E205": ("    date: 2026-02-30", "    date: 2026-02-28"),
    "E206": ("    time: 中午", "    time: 12:20-12:50"),
    "E207": ("    month: 三月", "    month: 2026-03"),
    "E208": ("    weekdays: 周三", "    weekdays: [周三]"),
    "E209": ("term: 2025学年第二学期", "term:\n  id: 2025-2026-2\n  name: 2025学年第二学期"),
    "E210": ("    week: 第五周", "    week: 5"),
    "E211": ("    category: 比赛", "    category: activity"),
    "E212": ("    weekdays: [周8]", "    weekdays: [周一]"),
    "E213": ("    required: 可能", "    required: 是"),
    "E214": ("    date: 2026-03-02\n    week: 2", "    date: 2026-03-02"),
    "E215": (
        "    from: 2026-04-10\n    to: 2026-04-01",
        "    from: 2026-04-01\n    to: 2026-04-10",
    ),
    "E216": ("    week: 0", "    week: 1"),
    "E217": ("  name:\n    - 第二学期", "  name: 2025学年第二学期"),
    "E218": ("  id: 2025学年第二学期", "  id: 2025-2026-2"),
    "E219": ("  - title:开馆准备", "  - title: 开馆准备"),
    "E220": ('  - title: "小管"会议', "  - title: '\"小管\"会议'"),
    "E221": ("kind: 小管", "kind: librarians"),
    "E301": ("    date: 2026-09-01", "    date: 2026-06-01"),
    "E302": ("    week: 25", "    week: 18"),
    "E303": ("    festival: scince-2026", "    festival: science-2026"),
    "E304": ("# content/terms/old.yaml\nterm:\n  id: 2025-2026-2", "term:\n  id: 2025-2026-1"),
    "W305": ("  - title: 故事会\n    date: 2026-04-05", "  - title: 故事会\n    date: 2026-04-08"),
    "E306": ("  - date: 2026-03-02\n    follows: 周一", "  - date: 2026-02-28\n    follows: 周一"),
    "E307": ("    month: 2026-09", "    month: 2026-03"),
    "E308": ("theme: xingguan", "theme: xingguang"),
    "E309": ("{{ event.titel }}", "{{ event.title }}"),
    "E310": ("classes:\n  - 一(1)班\n  - 一(1)班", "classes:\n  - 一(1)班\n  - 一(2)班"),
    "E311": ("（站点文件夹里没有 events.yaml）", "（把示例的 events.yaml 复制过来再改）"),
    "E312": ("  - date: 2026-04-04\n    follows: 周一", "  - date: 2026-04-12\n    follows: 周一"),
    "E313": ("python build.py --out content", "python build.py --out public"),
    "E320": ('title: "故事会\ndate: 2026-03-04', 'title: "故事会"\ndate: 2026-03-04'),
    "E321": (
        "（events.yaml）first_day: 2026-02-24\n"
        "（content/terms/2025-2026-1.yaml）last_day: 2026-03-20",
        "（events.yaml）first_day: 2026-02-24\n"
        "（content/terms/2025-2026-1.yaml）last_day: 2026-01-23",
    ),
    "W322": ("（content/ 里没有 site.yaml）", "（content/site.yaml）\nschool: 阳光小学"),
    "W323": ("（content/site.yaml 是空文件）", "school: 阳光小学\nlibrary: 阳光书屋"),
    "W324": (
        "content/pages/hours.MD\ncontent/terms/2025-2026-1.yml",
        "content/pages/hours.md\ncontent/terms/2025-2026-1.yaml",
    ),
    "W325": (
        "content/news/.2026-03-20-reading-award.md",
        "content/news/2026-03-20-reading-award.md",
    ),
    "E326": (
        "public/\n  index.html\n  我的笔记.docx   ← 自己放进去的文件",
        "public/\n  index.html\n（我的笔记.docx 移到别的文件夹）",
    ),
    "E327": (
        "（两个窗口同时运行 python build.py）",
        "（等第一个窗口显示“完成”后再运行）",
    ),
    "E328": (
        "public/docs/家长会通知.docx   ← 正在 Word 里打开着\npython build.py",
        "（先关掉 Word 里的 家长会通知.docx，或停止网页服务器）\npython build.py",
    ),
    "E330": (
        "    classes: [三(5)班]",
        "    classes: [三(1)班]   # 和 content/site.yaml 的 classes 一样",
    ),
    "W330": (
        "recurring:\n  - title: 小管例会\n    every: month\n    weekday: 周五\n    nth: 1\n"
        "    from: 2026-03-01\n    to: 2026-06-30   # 5月1日是劳动节",
        "events:\n  - title: 小管例会（补）\n    date: 2026-05-08   # 这个月另找一天",
    ),
    "E331": ("    grades: [三年纪]", "    grades: [三年级]"),
    "W331": (
        "  - title: 故事会\n    date: 2026-03-04\n  - title: 故事会\n    date: 2026-03-04",
        "  - title: 故事会\n    date: 2026-03-04",
    ),
    "E332": (
        "term:\n  last_day: 2026-07-03\nvacations:\n  - name: 暑假\n    from: 2026-07-01",
        "term:\n  last_day: 2026-07-03\nvacations:\n  - name: 暑假\n    from: 2026-07-04",
    ),
    "W332": ("    every: month\n    day: 31", "    every: month\n    weekday: 周五\n    nth: -1"),
    "E333": (
        "vacations:\n  - name: 暑假\n    from: 2026-07-04\n    to: 2026-08-31\n"
        "  - name: 暑期托管\n    from: 2026-08-01\n    to: 2026-08-20",
        "vacations:\n  - name: 暑假\n    from: 2026-07-04\n    to: 2026-08-31",
    ),
    "E334": (
        "# 2026年春季学期的 events.yaml\nvacations:\n  - name: 寒假\n    from: 2026-01-24",
        "# 2025年秋季学期的文件 content/terms/2025-2026-1.yaml\nvacations:\n"
        "  - name: 寒假\n    from: 2026-01-24",
    ),
    "E335": (
        "  - title: 小管例会\n    every: month\n    weekdays: [周五]",
        "  - title: 小管例会\n    every: month\n    weekday: 周五\n    nth: -1",
    ),
    "E336": (
        "  - title: 开馆准备\n    date: 2026-02-24\n    no: 1",
        "  - title: 开馆准备\n    month: 2026-02\n    no: 1",
    ),
    "E337": (
        "  - title: 暑期开放\n    id: summer\n  - title: 暑假阅读作业\n    id: summer",
        "  - title: 暑期开放\n    id: summer-opening\n"
        "  - title: 暑假阅读作业\n    id: summer-reading",
    ),
    "E339": (
        "  - name: 暑假\n    from: 2026-07-04\n    to: 2027-08-31",
        "  - name: 暑假\n    from: 2026-07-04\n    to: 2026-08-31",
    ),
    "E401": ("title: 借书证怎么办\n\n正文……", "---\ntitle: 借书证怎么办\n---\n正文……"),
    "E402": ("---\ntitle: 借书证怎么办\n\n正文……", "---\ntitle: 借书证怎么办\n---\n正文……"),
    "E403": ("content/festivals/科技读书节.yaml", "content/festivals/science-2026.yaml"),
    "E404": ("    isbn: 978-7-5304-9741-2", "    isbn: 978-7-5304-9741-8"),
    "E405": (
        "  - {date: 2026-04-10, time: 8:10-8:30, person: 王丽娟}\n"
        "  - {date: 2026-04-10, time: 8:20-8:40, person: 王丽娟}",
        "  - {date: 2026-04-10, time: 8:10-8:30, person: 王丽娟}\n"
        "  - {date: 2026-04-10, time: 8:10-8:30, person: 赵建国}",
    ),
    "E406": ("  - date: 2026-04-06    # 清明节", "  - date: 2026-04-10"),
    "E407": ("  - date: 2026-08-15", "  - date: 2026-06-12"),
    "E408": ("    class: 一（1）班", "    class: 一(1)班"),
    "W409": (
        "themes:\n  - {month: 2026-07, theme: 暑假}",
        "themes:\n  - {month: 2026-05, theme: 有趣的职业介绍}",
    ),
    "E410": ("  - src: display/science.svg", "  - src: displays/science-future.svg"),
    "E412": ("  - src: displays/poster.png  # 改了名的网页", "  - src: displays/poster.jpg"),
    "E413": ("  - src: displays/photo.jpg  # 25 MB 的原图", "  - src: displays/photo-small.jpg"),
    "E414": (
        '<!DOCTYPE svg [<!ENTITY a "…">]><svg …>&a;</svg>',
        '<svg xmlns="http://www.w3.org/2000/svg" …>…</svg>',
    ),
    "W415": (
        '<svg …><script>…</script><rect onclick="…"/></svg>',
        '<svg …><rect fill="url(#gradient)"/></svg>',
    ),
    "E411": ("content/pages/calendar.md", "content/pages/opening-hours.md"),
    "E420": (
        "周次,星期,班级,家长\n3,周五,一(1)班,王丽娟\n（站点里没有 events.yaml）",
        "（先写好 events.yaml 的 term: first_day，再导入）",
    ),
    "E421": ("日期,星期,班级\n2026-03-06,周四,一(1)班", "日期,星期,班级\n2026-03-06,周五,一(1)班"),
    "E422": ("星期,姓名\n周一,陈思远", "星期,班级,姓名\n周一,三(1)班,陈思远"),
    "E500": ("timezone: 北京时间", "timezone: Asia/Shanghai"),
    "E550": (
        "（预览时生成网站出了意外错误）",
        "（按终端里的提示报告给维护者；改好文件保存后预览会自动重试）",
    ),
    "E800": ("classes:\n  - 三(1)班: 四十二", "classes:\n  - 三(1)班: 42"),
    "E801": ("# content/stats/2025秋.yaml", "# content/stats/2025-2026-1.yaml"),
    "E802": (
        "  - {class: 一(1)班, month: 2026-03, loans: 120}",
        "  - {class: 一(1)班, month: 2025-11, loans: 120}",
    ),
    "E803": (
        "  - {class: 一(1)班, month: 2025-09, loans: 60}\n"
        "  - {class: 一(1)班, month: 2025-09, loans: 40}",
        "  - {class: 一(1)班, month: 2025-09, loans: 100}",
    ),
    "E804": (
        "readers:\n  - {class: 一(1)班, readers: 38}\n  - {class: 一(1)班, readers: 40}",
        "readers:\n  - {class: 一(1)班, readers: 40}",
    ),
    "W805": (
        "# site.yaml: - 一(1)班: 38\nreaders:\n  - {class: 一(1)班, readers: 40}",
        "# site.yaml: - 一(1)班: 41\nreaders:\n  - {class: 一(1)班, readers: 40}",
    ),
    "E810": (
        "书名,条码\n小猪唏哩呼噜,A0012",
        "日期,班级,书名,条码\n2025-09-08,一(1)班,小猪唏哩呼噜,A0012",
    ),
    "E811": ("2025-08-15,一(1)班,小猪唏哩呼噜", "2025-09-15,一(1)班,小猪唏哩呼噜"),
    "E812": (
        "library-site import-loans 全年借阅.xlsx",
        "library-site import-loans 全年借阅.xlsx --term 2025-2026-1",
    ),
    "E813": ("library-site import-loans 借阅.csv", "library-site import-loans 借阅.csv --force"),
    "E814": ("日期,班级,书名\n（下面没有行）", "日期,班级,书名\n2025-09-08,一(1)班,小猪唏哩呼噜"),
    "W815": ("日期,班级,借阅人", "日期,班级,读者"),
    "E816": (
        "library-site import-loans 借阅.csv --term 2025-2026-9",
        "library-site import-loans 借阅.csv --term 2025-2026-1",
    ),
    "E817": ("班级,月份,借阅册数\n一(1)班,2025-09,很多", "班级,月份,借阅册数\n一(1)班,2025-09,120"),
    "E818": ("班级,9月,10月\n一(1)班,120,98", "班级,2025年9月,2025年10月\n一(1)班,120,98"),
    "E830": (
        "title: 最优小管\nlevel: 校级\ndate: 2026-06-26\nterm: 2025-2026-2",
        "title: 最优小管\nlevel: 校级\nterm: 2025-2026-2",
    ),
    "E831": (
        "title: 阅读之星\nlevel: 校级\nterm: 2025-2026-2",
        "title: 阅读之星\nlevel: 校级\nterm: 2025-2026-2\npeople: [陈思远]",
    ),
    "E832": ("term: 2026-spring", "term: 2025-2026-2"),
    "E833": (
        "  - title: 少儿阅览室开放\n    month: 2026-07\n    calendar: 是",
        "  - title: 少儿阅览室开放\n    date: 2026-07-06\n    calendar: 是",
    ),
    "E900": ("public_pupils: 名字", "public_pupils: 姓"),
    "W900": (
        "summary: 本周由王丽娟妈妈讲《神奇校车》。",
        "summary: 本周由王女士讲《神奇校车》。",
    ),
    "E350": (
        "（content/festivals/science-2026-2027-1.yaml 已经存在，是上一次 new-term 带过来的草稿）",
        "（确认用不上后删掉 content/festivals/science-2026-2027-1.yaml，再运行 new-term）",
    ),
    "W350": (
        "closures:\n  - name: 清明节\n    date: 2026-04-06",
        "closures:\n  - name: 清明节\n    from: 2026-04-04\n    to: 2026-04-06\n"
        "  - name: 劳动节\n    from: 2026-05-01\n    to: 2026-05-05",
    ),
    "W351": (
        "makeup_days:\n  - date: 2026-02-28\n    follows: 周一",
        "makeup_days:\n  - date: 2026-02-28\n    follows: 周一\n"
        "  - date: 2026-05-09\n    follows: 周二",
    ),
    "W352": (
        "  # TODO：移到新学期后是 2027-02，不在新学期内……\n"
        "  # - title: 撰写学期工作总结\n  #   month: 2027-02",
        "  - title: 撰写学期工作总结\n    month: 2027-01",
    ),
    "W353": (
        "（content/displays/summer.yaml：from: 2026-07-01，移到新学期后在学期结束之后）",
        "（新学期需要的话复制一份，改成新学期的日子：from: 2026-12-14）",
    ),
    "E601": ("  - title：开馆准备", "  - title: 开馆准备"),
    "E602": ("    weekdays: [周一，周四]", "    weekdays: [周一, 周四]"),
    "E603": ("  － title: 开馆准备", "  - title: 开馆准备"),
    "E604": ("    title: “讲座: 读书”", '    title: "讲座: 读书"'),
    "E605": ("  　date: 2026-03-02   （行首是全角空格）", "  date: 2026-03-02"),
    "E606": ("    date: 2026-03-02​   （末尾有看不见的零宽空格）", "    date: 2026-03-02"),
    "E607": ("term:\n\tid: 2025-2026-2   （行首是 Tab）", "term:\n  id: 2025-2026-2"),
    "E608": ("    title: 讲座: 读书", '    title: "讲座: 读书"'),
    "E609": (
        "term:\n  id: 2025-2026-2\n   name: 第二学期",
        "term:\n  id: 2025-2026-2\n  name: 第二学期",
    ),
    "E610": ("    time: 22:00-24:00", "    time: 22:00-23:59"),
    "E701": (
        "（content/news/年度总结.md 有 3 MB：粘贴进了图片的数据）",
        "（每个 YAML 或 Markdown 文件最多 1 MB = 1,048,576 字节；图片另存为图片文件）",
    ),
    "E702": (
        "（content/pages/ 里的 about.md 是一个命名管道或设备，不是普通文件）",
        "（about.md 是一个普通的文本文件）",
    ),
    "E703": (
        "（content/pages/about.md 是指向 D:\\资料\\介绍.md 的链接）",
        "（把 介绍.md 复制到 content/pages/about.md；链接只能指向网站文件夹里的文件）",
    ),
    "E704": (
        "  first_day: 0026-02-24",
        "  first_day: 2026-02-24   # 日期的年份在 1900 到 2200 之间",
    ),
    "E705": (
        "  first_day: 2026-02-24\n  last_day: 2027-07-03",
        "  first_day: 2026-02-24\n  last_day: 2026-07-03   # 一个学期最多 400 天",
    ),
    "E706": (
        "（content/news/长文.md 的正文有 150,000 个字）",
        "（分成几篇，每篇 Markdown 文字最多 100,000 个字符）",
    ),
    "E707": (
        "- 一层\n    - 两层\n        - ……（缩进了 60 层）",
        "- 一层\n    - 两层   # 列表和引用最多嵌套 50 层",
    ),
    "E708": (
        "[[[[[[[[……（一篇文字里有 800 个 [）",
        "【推荐书目】[图书馆主页](https://lib.example.cn)   # 一篇文字最多 500 个 [",
    ),
    "E709": (
        "分数 <a <b <c ……（60 个没有写完的 <标签）",
        "分数 a &lt; b   # 一篇文字最多 50 个没有写完的 HTML 标签",
    ),
    "E750": (
        "library-site init 星光小学网站   （这个文件夹里已经有文件）",
        "library-site init 星光小学新网站 --school 星光小学 --library 星光小学图书馆",
    ),
    "E751": (
        "library-site init 使用说明.md",
        "library-site init 星光小学网站 --school 星光小学 --library 星光小学图书馆",
    ),
    "E752": (
        "library-site init D:\\网站   （D: 是只读的光盘或写满的 U 盘）",
        "library-site init 星光小学网站 --school 星光小学 --library 星光小学图书馆",
    ),
    "E760": (
        "library-site pdf   （这台电脑没有装 Chromium、Chrome 或 Edge）",
        "set LIBRARY_SITE_BROWSER=C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe",
    ),
    "E761": ("library-site pdf   （没有装 Playwright）", "pip install playwright"),
    "E762": (
        "library-site pdf   （浏览器打开后马上退出）",
        "library-site pdf   （关掉其他浏览器窗口后再运行）",
    ),
    "E980": (
        "python build.py import 名单.xls --roster story-parents",
        "python build.py import 名单.xlsx --roster story-parents",
    ),
    "E981": ("日期,班级\n2026/4/31,一(1)班", "日期,班级\n2026/4/30,一(1)班"),
    "E982": ("家长,电话\n（没有“日期”列，也没有“姓名”列）", "姓名,电话\n王丽娟,13800000001"),
    "W983": ("日期,班级,家长,备注", "日期,班级,家长"),
    "E984": ("日期,date,班级", "日期,班级"),
    "E985": (
        "python build.py import 名单.xlsx --roster story-parents",
        "python build.py import 名单.xlsx --roster story-parents --force",
    ),
    "E988": (
        "日期,班级\n2026/8/20,一(1)班   （暑假，不在任何学期内）",
        "日期,班级\n2026/6/12,一(1)班",
    ),
    "E990": (
        "（content/terms/2025-2026-2.yaml 已经有了，又运行了一次 new-term）",
        "（不用再运行 new-term）",
    ),
    "E991": (
        "python build.py new-term --first-day 2026-09-01 --name 新学期 --id 2025-2026-1",
        "python build.py new-term --first-day 2026-09-01 --name 新学期 --id 2026-2027-1",
    ),
    "E992": (
        "python build.py new-term --first-day 2026-09-01 --name 秋季学期",
        "python build.py new-term --first-day 2026-09-01 --name 秋季学期 --id 2026-2027-1",
    ),
    "E993": (
        "python build.py new-term --first-day 2026-09-01 --last-day 2026-01-20 …",
        "python build.py new-term --first-day 2026-09-01 --last-day 2027-01-20 …",
    ),
    "E994": (
        "（新学期的文件有问题，例如 content/ 里别的文件本来就有错误）",
        "（先运行 python build.py check 改好，再运行 new-term）",
    ),
}


def render() -> str:
    lines = [
        "# 常见问题与错误代码 / Troubleshooting",
        "",
        "`python build.py check` 列出的每个问题都有一个代码（例如 E601）。"
        "在这一页搜索代码，就能看到错误的写法和正确的写法。",
        "Every problem `python build.py check` reports has a code; search this page for it.",
        "",
        "This page is generated by `python -m generator.problems.troubleshooting`; "
        "do not edit it by hand.",
    ]
    for code, entry in CATALOGUE.items():
        wrong, right = EXAMPLES[code]
        lines += [
            "",
            f"## {code}",
            "",
            f"**{entry['message']['zh']}** — {entry['message']['en']}",
            "",
        ]
        if entry["hint"]["zh"]:
            lines += [f"提示：{entry['hint']['zh']}", "", f"Hint: {entry['hint']['en']}", ""]
        lines += ["错误 / wrong:", "", "```yaml", wrong, "```", "", "正确 / right:", "", "```yaml"]
        lines += [right, "```"]
    return "\n".join(lines) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    parser = Parser(
        prog="python -m generator.problems.troubleshooting",
        description="由问题目录生成 docs/troubleshooting.md / write the troubleshooting page "
        "from the problem catalogue.",
    )
    parser.add_argument(
        "file",
        nargs="?",
        type=Path,
        default=DOC,
        metavar="FILE",
        help="写到这个文件 / write this file (default: docs/troubleshooting.md of the checkout)",
    )
    args = parser.parse_args(argv)
    args.file.parent.mkdir(parents=True, exist_ok=True)
    args.file.write_text(render(), encoding="utf-8")
    sys.stdout.write(f"{args.file}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
