"""`library-site init DIR --school … --library …`: a new school's site that builds at once.

It writes `content/site.yaml`, an `events.yaml` for the coming term, one commented example of
each content kind (festival, roster, display, honour, project, page, news), the JSON Schemas
in `schemas/` beside them (so every `# yaml-language-server: $schema=…` line points at a real
file) and a short 使用说明.md. The examples' dates are computed from the term's first day, so
the new site has no problem and no warning whatever day it is made. A folder that is not empty
is refused: init never mixes its files into someone's work.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from generator.assemble.official import OfficialDays, official_days
from generator.interrupt import held, mark_changed
from generator.problems.messages import WEEKDAYS, Message
from generator.problems.problem import Position, Problem
from generator.resources import schema_folder
from generator.tools.yamlwrite import scalar

SCHEMAS = "schemas"


@dataclass(frozen=True)
class ComingTerm:
    id: str
    name: str
    first_day: date
    last_day: date


@dataclass
class InitResult:
    problems: list[Problem] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)
    term: ComingTerm | None = None


# --- the coming term -------------------------------------------------------------------------


def _weekday_on_or_after(day: date, weekday: int) -> date:
    return day + timedelta(days=(weekday - day.weekday()) % 7)


def autumn_term(year: int) -> ComingTerm:
    """The first term of school year `year`: from 1 September (the next Monday when it is a
    weekend) to the Friday in 17–23 January, about 21 weeks."""
    first = date(year, 9, 1)
    if first.weekday() >= 5:
        first = _weekday_on_or_after(first, 0)
    last = _weekday_on_or_after(date(year + 1, 1, 17), 4)
    return ComingTerm(f"{year}-{year + 1}-1", f"{year}学年第一学期", first, last)


def spring_term(year: int) -> ComingTerm:
    """The second term of school year `year - 1`, in the spring of `year`: from the last
    Monday of February (after the Spring Festival holiday) to the first Friday of July."""
    first = _weekday_on_or_after(date(year, 2, 22), 0)
    last = _weekday_on_or_after(date(year, 7, 1), 4)
    return ComingTerm(f"{year - 1}-{year}-2", f"{year - 1}学年第二学期", first, last)


def coming_term(today: date) -> ComingTerm:
    """The next term to start on or after `today`: a new site is made before its term."""
    candidates = (spring_term(today.year), autumn_term(today.year), spring_term(today.year + 1))
    return next(term for term in candidates if term.first_day >= today)


# --- the files -------------------------------------------------------------------------------


def _d(day: date) -> str:
    return day.isoformat()


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def site_yaml(school: str, library: str) -> str:
    return f"""\
# yaml-language-server: $schema=../schemas/site.schema.json
#
# 网站设置：学校名称、图书馆名称、语言和全校班级。
# 一般一学年改一次（班级有变化时）。“#”后面是说明文字，网站不会显示。

# 学校名称（显示在每一页的页头）
school: {scalar(school)}

# 图书馆名称
library: {scalar(library)}

# 网站语言：zh-CN（中文）或 en（英文）
language: zh-CN

# 时区：决定“今天”是哪一天，一般不用改
timezone: Asia/Shanghai

# 自己的主题（themes/ 文件夹下的名字）。不写就用默认主题。
# theme: xingguang

# 放进主菜单的页面（content/pages/ 里的文件名，不带 .md）
menu: [hours]

# 公开版（放到公网上的网站）：写 public: 是。一般在学校内网用，不用改。
public: 否

# 全校班级：名单和轮值表里的班级要写成这里的样子。按自己学校的班级改。
classes: [一(1)班, 一(2)班, 二(1)班, 二(2)班]
"""


def events_yaml(term: ComingTerm, official: OfficialDays) -> str:
    first = term.first_day
    todo = (
        [
            "# TODO："
            + Message("I433", {"years": "、".join(map(str, official.unpublished))}).say("zh")
        ]
        if official.unpublished
        else []
    )
    if official.closures:
        closure_lines = [*todo, "# 下面是国家规定的节假日，学校自己的闭馆日请接着写。", "closures:"]
        for c in official.closures:
            closure_lines += [f"  - name: {scalar(c.name)}"]
            closure_lines += (
                [f"    date: {_d(c.first)}"]
                if c.first == c.last
                else [f"    from: {_d(c.first)}", f"    to: {_d(c.last)}"]
            )
    else:
        closure_lines = [
            *todo,
            "# TODO：请按教育局公布的校历填写本学期的放假日（国庆节、元旦、春节、清明节、",
            "# 劳动节、端午节……），再加上图书馆自己的闭馆日。例如：",
            "#   - name: 国庆节",
            "#     from: 2026-10-01",
            "#     to: 2026-10-07",
            "#   - name: 期末图书清点闭馆",
            "#     date: 2027-01-13",
            "closures: []",
        ]
    if official.makeup_days:
        makeup_lines = ["# 下面是国家规定的调休上班日。", "makeup_days:"]
        for m in official.makeup_days:
            makeup_lines.append(f"  - date: {_d(m.date)}")
            if m.follows is not None:
                makeup_lines.append(f"    follows: {Message(WEEKDAYS[m.follows]).say('zh')}")
            else:  # the library does not say which day off it stands for: the school decides
                makeup_lines.append("    follows: 周一  # TODO：请按校历核对按星期几上课")
            makeup_lines.append(f"    name: {scalar(m.name)}")
    else:
        makeup_lines = [
            "# 周六或周日上班时写在这里；follows 写这一天按星期几的课表上课。例如：",
            "#   - date: 2026-10-10",
            "#     follows: 周五",
            "makeup_days: []",
        ]
    return "\n".join(
        [
            "# yaml-language-server: $schema=schemas/events.schema.json",
            "#",
            f"# 行事历 —— 本学期（{term.name}）",
            "#",
            "# 这是“本学期”的文件：网站首页、月历、周历都从这里生成。",
            "# 下面的活动是示例，改成自己的，用不上的删掉。",
            "#",
            "# 写法提示：",
            "#   · 日期写 2026-03-02，也可以写 2026/3/2 或 2026年3月2日。",
            "#   · 月份写 2026-03，也可以写 2026年3月。",
            "#   · 时间写 12:30，时间段写 12:20-12:50（24小时制）。",
            "#   · 星期写 周一 … 周日（也可以写 星期一）。",
            "#   · “#”后面是说明文字，网站不会显示，可以随意增删。",
            "#   · 缩进用空格，不要用 Tab；同一层的行要对齐。",
            "",
            "# ───────────── 学期 ─────────────",
            "# 开学和结束的日子是按惯例估计的：请按教育局的校历核对。",
            "# id 用于网址，只能用小写英文字母、数字和连字符。",
            "# 第1周 = 学期第一天所在的那一周（周一到周日）。",
            "term:",
            f"  id: {term.id}",
            f"  name: {term.name}",
            f"  first_day: {_d(first)}",
            f"  last_day: {_d(term.last_day)}",
            "",
            "# ───────────── 放假和闭馆 ─────────────",
            "# 一天写 date；连续几天写 from（第一天）和 to（最后一天）。",
            "# 这些日子里，每周重复的活动会自动跳过。",
            *closure_lines,
            "",
            "# ───────────── 调休上班 ─────────────",
            *makeup_lines,
            "",
            "# ───────────── 活动和工作安排 ─────────────",
            "# 每一项写 title（名称），再用下面四种方式中的【一种】说明时间：",
            "#   date: 2026-03-06                 —— 某一天",
            "#   from: 2026-04-07 / to: 2026-04-10 —— 连续几天",
            "#   week: 2                          —— 第几周，整周的工作",
            "#   month: 2026-03                   —— 本月工作，不定具体日期",
            "# 其余都可以不写：time 时间、category 类别（routine 常规 / activity 活动 /",
            "# meeting 会议 / training 培训 ……）、owner 负责人、location 地点、audience 对象、",
            "# description 说明（可以写好几行，用 | 开头）。",
            "events:",
            "  - title: 开馆准备",
            "    week: 1",
            "    category: routine",
            "    location: 图书馆",
            "    description: 检查书架、借还系统和扫码枪，张贴本学期开放时间。",
            "",
            "  - title: 一年级新生入馆教育",
            "    week: 2",
            "    category: activity",
            "    audience: 一年级",
            "",
            "  - title: 小管会议",
            f"    date: {_d(_monday(first) + timedelta(days=7 + 2))}",
            "    time: 12:20-12:50",
            "    category: meeting",
            "    location: 图书馆",
            "",
            "  - title: 整理新书、贴条形码",
            f"    month: {first:%Y-%m}",
            "    category: routine",
            "",
            "# ───────────── 每周重复的活动 ─────────────",
            "# weekdays 写星期几；from 和 to 写起止日期。放假和闭馆的日子会自动跳过。",
            "recurring:",
            "  - title: 午间阅读开放",
            "    weekdays: [周一, 周二, 周三, 周四, 周五]",
            f"    from: {_d(first)}",
            f"    to: {_d(term.last_day)}",
            "    time: 12:20-12:50",
            "    category: routine",
            "    location: 图书馆",
            "",
        ]
    )


def festival_yaml(term: ComingTerm) -> str:
    start = _monday(term.first_day) + timedelta(weeks=8)
    end = start + timedelta(weeks=2, days=4)
    return f"""\
# yaml-language-server: $schema=../../schemas/festival.schema.json
# 读书节（示例）：一个读书节一个文件，文件名就是编号（用于网址）。
# 下面每一项活动（stages）都会自动出现在校历里，并链接回读书节页面。
# 改成自己学校的读书节；不办读书节就删掉这个文件。

name: {first_year(term)}年读书节
theme: 阅读点亮童年
from: {_d(start)}
to: {_d(end)}
organisers: [图书馆, 大队部]
summary: 每个班共读一本书，再到图书馆借一本喜欢的书。

stages:
  - title: 读书节启动仪式
    date: {_d(start)}
    time: 8:10-8:50
    location: 操场
    audience: 全校

  - title: 班级读书会
    from: {_d(start + timedelta(weeks=1))}
    to: {_d(start + timedelta(weeks=1, days=4))}
    location: 各班教室
    audience: 全校
    description: 各班自选一本书共读，在班会课上交流。

  - title: 读书节闭幕和颁奖
    date: {_d(end)}
    location: 报告厅
    audience: 全校
"""


def first_year(term: ComingTerm) -> int:
    return term.first_day.year


def roster_yaml(term: ComingTerm) -> str:
    start = _monday(term.first_day) + timedelta(weeks=2)
    end = _monday(term.last_day) - timedelta(weeks=2)
    return f"""\
# yaml-language-server: $schema=../../schemas/roster.schema.json
# 故事爸妈团（示例）：家长志愿者每周五晨间进班讲故事。
# rota 写一次规则，场次会按周自动生成（跳过放假日，调休日按所跟的星期几）。
# 电话只给老师看，网站上不显示。名字和电话都是示例：换成真的，或删掉这个文件。
# 也可以从 Excel 表格导入：library-site import 排班表.xlsx --roster story-parents --force

name: 故事爸妈团
kind: story_parents
category: story
summary: 家长志愿者每周五 8:10–8:30 到一年级教室讲故事，各班轮流。

people:
  - name: 王丽娟
    role: 一(1)班家长
    gender: 女
    phone: "13800000001"
  - name: 赵建国
    role: 一(2)班家长
    gender: 男
    phone: "13800000002"

rota:
  - weekdays: [周五]
    from: {_d(start)}
    to: {_d(end)}
    time: 8:10-8:30
    classes: [一(1)班, 一(2)班]
    people: [王丽娟, 赵建国]
    location: 各班教室
"""


def display_yaml(term: ComingTerm) -> str:
    start = _monday(term.first_day) + timedelta(weeks=4)
    return f"""\
# yaml-language-server: $schema=../../schemas/display.schema.json
# 主题展示（示例）。书目里的 isbn 请照书上印的抄（版权页或封底条码），不确定就先不写；
# 写了的话，网站会检查校验位，抄错一位就会提示。

title: 新书推荐
from: {_d(start)}
to: {_d(start + timedelta(weeks=2, days=4))}
location: 图书馆门厅
description: 本学期新到的图书，欢迎借阅。
books:
  - title: 夏洛的网
    author: E.B.怀特
    call_number: I712.8/1
  - title: 草房子
    author: 曹文轩
    call_number: I287.4/2
"""


def honour_yaml(term: ComingTerm) -> str:
    return f"""\
# yaml-language-server: $schema=../../schemas/honour.schema.json
# 荣誉（示例）：一项荣誉一个文件，例如 阅读之星、最优小管、优秀故事爸妈、比赛获奖。
# 写 date（颁发日期）或 term（学期编号）中的一个；people 写获奖的人，classes 写获奖的班级。
# 会列在本学期的“荣誉”页和工作总结里；公开版网站上学生的名字会换成“张同学”。

title: 书香班级
level: 校级                # 班级 / 校级 / 区级 / 市级 / 省级
term: {term.id}
classes: [一(1)班]
giver: 学校
"""


def project_yaml(term: ComingTerm) -> str:
    first = term.first_day.replace(day=1)
    second = (first + timedelta(days=32)).replace(day=1)
    return f"""\
# yaml-language-server: $schema=../../schemas/project.schema.json
# 项目（示例）：要做好几个月、分几个阶段的工作，例如阅览室改造、图书数字化。
# 每个阶段写 date、from 和 to、month 或 months 中的一种；status 写 计划中 / 进行中 / 已完成。
# 阶段不进校历；要进校历，写具体日期并加一行 calendar: 是。

name: 图书数字化管理
phases:
  - title: 图书贴条码、录入
    month: {first:%Y-%m}
    status: 进行中
  - title: 借还系统试用
    month: {second:%Y-%m}
notes:
  - date: {_d(term.first_day)}
    text: 开始给新书贴条码。
"""


def page_md() -> str:
    return """\
---
title: 开放时间
summary: 图书馆每天的开放时间。
---
<!-- 示例页面：改成自己图书馆的开放时间。文件名 hours 写在 content/site.yaml 的 menu 里，
     就会出现在主菜单上。 -->

| 时间 | 开放对象 |
| --- | --- |
| 周一至周五 7:50–8:10 | 还书 |
| 周一至周五 12:20–12:50 | 全校 |
| 周一至周五 15:40–16:30 | 教师、家长义工 |

各班**阅读课**按课表入馆。放假和闭馆的日子见[校历](../calendar/index.html)。
"""


def news_md(term: ComingTerm, library: str) -> str:
    return f"""\
---
title: {scalar(library + "网站开通了")}
date: {_d(term.first_day)}
tags: [通知]
summary: 在这里可以看到校历、读书节和故事爸妈团的安排。
---
<!-- 示例新闻：一篇新闻一个文件，文件名以日期开头。可以改写，也可以删掉。 -->

本学期起，{library}的活动安排都会发布在这个网站上：**校历**、每个月的安排、读书节和
故事爸妈团的轮值表。每个月的安排可以打印出来贴在教室里。
"""


def guide_md(school: str, library: str, following: ComingTerm) -> str:
    return f"""\
# 使用说明（{school} {library}）

这个文件夹就是图书馆网站的全部内容。改文件、保存，再运行一条命令，网站就生成好了。

## 文件在哪里

| 文件 | 写什么 |
| --- | --- |
| `events.yaml` | 本学期校历：学期起止、放假、调休、活动和每周重复的工作 |
| `content/site.yaml` | 学校名称、图书馆名称、班级、主菜单 |
| `content/festivals/` | 读书节，一个读书节一个文件 |
| `content/rosters/` | 故事爸妈团、小管等名单和轮值 |
| `content/displays/` | 主题展示和书目 |
| `content/honours/` | 荣誉：阅读之星、最优小管、比赛获奖 |
| `content/projects/` | 分阶段的项目和进展记录 |
| `content/pages/` | 开放时间、借阅规则等页面（.md 文件） |
| `content/news/` | 新闻（.md 文件，文件名以日期开头） |
| `schemas/` | 给编辑器用的提示文件，不用改 |

每个示例文件开头都有说明。示例改成自己的，用不上的删掉。

## 常用命令

在这个文件夹里打开命令行（资源管理器地址栏输入 `cmd` 回车），然后：

- `library-site check`：检查所有文件，列出全部问题，不生成网站。
- `library-site build`：生成网站到 `public/` 文件夹，把它复制到学校内网的共享文件夹即可。
- `library-site serve`：预览，浏览器打开 <http://127.0.0.1:8000/>，保存文件后页面自动刷新。
- `library-site new-term --first-day {_d(following.first_day)} --name {following.name}`：
  开始下一个学期。
- `library-site import 排班表.xlsx --roster story-parents`：从 Excel 表格导入名单。

## 编辑文件

- 用 VS Code（装上 YAML 插件）打开这个文件夹：输入时会提示可以写哪些项，写错会划红线。
- 用记事本也可以：保存时编码选 **UTF-8**。
- 缩进用空格，不要用 Tab。

出了问题，命令会指出哪个文件、第几行、哪里错了，以及怎么改。
"""


# --- init ------------------------------------------------------------------------------------


def init_site(folder: Path, school: str, library: str, today: date) -> InitResult:
    """Write a new site into `folder` (made if missing). Nothing is written when the folder
    is not empty (E750) or is a file (E751)."""
    result = InitResult()
    if folder.exists() and not folder.is_dir():
        result.problems.append(Problem("E751", Position(str(folder)), {"folder": str(folder)}))
        return result
    if folder.is_dir():
        entries = sorted(p.name for p in folder.iterdir())
        if entries:
            shown = entries[:3] + (["…"] if len(entries) > 3 else [])
            result.problems.append(
                Problem(
                    "E750",
                    Position(str(folder)),
                    {"folder": str(folder), "count": len(entries), "names": ", ".join(shown)},
                )
            )
            return result
    term = coming_term(today)
    result.term = term
    files = {
        "content/site.yaml": site_yaml(school, library),
        "events.yaml": events_yaml(term, official_days(term.first_day, term.last_day)),
        f"content/festivals/reading-{first_year(term)}.yaml": festival_yaml(term),
        "content/rosters/story-parents.yaml": roster_yaml(term),
        "content/displays/new-books.yaml": display_yaml(term),
        "content/honours/reading-class.yaml": honour_yaml(term),
        "content/projects/digital-catalogue.yaml": project_yaml(term),
        "content/pages/hours.md": page_md(),
        f"content/news/{_d(term.first_day)}-welcome.md": news_md(term, library),
        "使用说明.md": guide_md(school, library, coming_term(term.last_day + timedelta(days=1))),
    }
    made = not folder.exists()
    try:
        with held():  # Ctrl+C waits for the last file: a new site is there whole or not at all
            try:
                for name, text in files.items():
                    path = folder / name
                    path.parent.mkdir(parents=True, exist_ok=True)
                    path.write_text(text, encoding="utf-8", newline="\n")
                    result.written.append(path)
                (folder / SCHEMAS).mkdir()
                for schema in sorted(schema_folder().glob("*.schema.json")):
                    result.written.append(
                        Path(shutil.copy2(schema, folder / SCHEMAS / schema.name))
                    )
            except OSError as exc:  # a read-only drive, a full disk, a name Windows refuses
                # the words are the catalogue's: the system's reason would be English
                result.problems.append(Problem("E752", Position(str(exc.filename or folder))))
                _remove_made(folder, made)
                result.written = []
                return result
    except BaseException:
        _remove_made(folder, made)
        raise
    mark_changed()
    return result


def _remove_made(folder: Path, made: bool) -> None:
    """What init wrote goes again: the folder it made, or everything inside the empty
    folder it was given (it was empty, so nothing of anyone else's is in it)."""
    if made:
        shutil.rmtree(folder, ignore_errors=True)
    elif folder.is_dir():
        for child in folder.iterdir():
            if child.is_dir() and not child.is_symlink():
                shutil.rmtree(child, ignore_errors=True)
            else:
                child.unlink(missing_ok=True)
