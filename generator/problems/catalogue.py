"""The words of every problem the generator can report, in Chinese and English, each under a
stable code (`CATALOGUE`).

Problem codes never change meaning once published (teachers search for them);
docs/troubleshooting.md lists each with a wrong and a right example.
E0xx reading files, E1xx YAML syntax, E2xx a value in one file, E3xx checks across files,
E6xx the characters and slips of a Chinese keyboard (generator/hints.py), E7xx the limits
that keep a build's work bounded (file size and kind, date range, term length, Markdown).
W-codes are warnings: listed, but the build goes on.

The rest of what the commands print (I-codes) is in `messages`.
"""

from __future__ import annotations

from typing import TypedDict

from generator.problems.messages import _Words


class Entry(TypedDict):
    message: _Words
    hint: _Words


def _e(message_zh: str, message_en: str, hint_zh: str = "", hint_en: str = "") -> Entry:
    return {"message": {"zh": message_zh, "en": message_en}, "hint": {"zh": hint_zh, "en": hint_en}}


CATALOGUE: dict[str, Entry] = {
    # --- reading -------------------------------------------------------------------------
    "E001": _e(
        "文件不是 UTF-8 编码（看起来是 {encoding}）",
        "the file is not UTF-8 (it looks like {encoding})",
        "用记事本打开，选“另存为”，把“编码”改成 UTF-8 后保存；VS Code 中点右下角的编码，"
        "选“通过编码保存”→ UTF-8。",
        "Open it in Notepad, choose Save As and set Encoding to UTF-8; in VS Code click the "
        "encoding in the status bar and choose Save with Encoding → UTF-8.",
    ),
    "E002": _e(
        "无法读取文件：{reason}",
        "cannot read the file: {reason}",
        "检查文件是否存在、是否被其他程序占用。",
        "Check that the file exists and is not locked by another program.",
    ),
    # --- YAML syntax ---------------------------------------------------------------------
    "E101": _e(
        "YAML 格式错误：{detail}",
        "YAML syntax error: {detail}",
        "检查这一行和上一行的缩进（只用空格）、冒号后面是否有一个空格、引号是否成对。",
        "Check the indentation of this line and the one above (spaces only), that each colon "
        "is followed by a space, and that quotes are paired.",
    ),
    "E102": _e(
        "重复的键“{key}”（第 {first_line} 行已经写过）",
        "duplicate key '{key}' (already given on line {first_line})",
        "同一层里每个键只能写一次；删掉其中一个，或把第二个改成别的键。",
        "Each key may appear once at the same level; remove one of them or rename it.",
    ),
    "E103": _e(
        "不支持 YAML 锚点和别名（& 和 *）",
        "YAML anchors and aliases (& and *) are not supported",
        "请把要重复的内容直接再写一遍；如果 & 或 * 是文字的一部分，请给整段文字加上引号。",
        "Write the repeated content out again; if & or * is part of the text, put the text in "
        "quotes.",
    ),
    "E104": _e(
        "不支持 YAML 标签“{tag}”",
        "YAML tags such as '{tag}' are not supported",
        "删掉以 ! 开头的标签；如果 ! 是文字的一部分，请给整段文字加上引号。",
        "Remove the tag starting with '!'; if '!' is part of the text, put the text in quotes.",
    ),
    "E105": _e(
        "一个文件里只能有一份内容（发现了第二个 ---）",
        "a file may hold only one document (found a second '---')",
        "删掉多余的 --- 分隔线，或把第二部分移到另一个文件。",
        "Remove the extra '---' line, or move the second part into a file of its own.",
    ),
    "E106": _e(
        "文件最外层应该是“键: 值”的列表",
        "the top level of the file should be 'key: value' pairs",
        "参考 README 中的示例，从 term: 这样的键开始写。",
        "See the examples in the README; start with a key such as 'term:'.",
    ),
    # --- one value -----------------------------------------------------------------------
    "E201": _e(
        "缺少必填项“{field}”",
        "the required field '{field}' is missing",
        "在这一项里加上一行“{field}: …”。",
        "Add a line '{field}: …' to this entry.",
    ),
    "E202": _e(
        "“{field}”不能为空",
        "'{field}' must not be empty",
        "在冒号后面填上内容；如果这一项不需要，就删掉整行。",
        "Fill in a value after the colon, or remove the whole line if it is not needed.",
    ),
    "E203": _e(
        "不认识的键“{key}”",
        "unknown key '{key}'",
        "{suggestion}这里可以用的键有：{allowed}。",
        "{suggestion}Keys allowed here: {allowed}.",
    ),
    "E204": _e(
        "日期格式不对：“{value}”",
        "not a date: '{value}'",
        "日期写成 2026-03-02、2026/3/2 或 2026年3月2日。",
        "Write dates as 2026-03-02, 2026/3/2 or 2026年3月2日.",
    ),
    "E205": _e(
        "日期不存在：{value}",
        "no such date: {value}",
        "{year} 年 {month} 月只有 {days} 天。",
        "{month}/{year} has only {days} days.",
    ),
    "E206": _e(
        "时间格式不对：“{value}”",
        "not a time: '{value}'",
        "时间写成 12:30，时间段写成 12:20-12:50（24 小时制，用英文冒号）。",
        "Write a time as 12:30 and a time range as 12:20-12:50 (24-hour clock).",
    ),
    "E207": _e(
        "月份格式不对：“{value}”",
        "not a month: '{value}'",
        "月份写成 2026-03 或 2026年3月。",
        "Write a month as 2026-03 or 2026年3月.",
    ),
    "E208": _e(
        "“{field}”应该是一个列表",
        "'{field}' should be a list",
        "列表的每一项单独一行，以“- ”开头。",
        "Put each item of the list on its own line, starting with '- '.",
    ),
    "E209": _e(
        "“{field}”应该是一组“键: 值”",
        "'{field}' should be 'key: value' pairs",
        "在下一行缩进两个空格，写“键: 值”。",
        "On the next lines, indented by two spaces, write 'key: value'.",
    ),
    "E210": _e(
        "“{field}”应该是整数，写的是“{value}”",
        "'{field}' should be a whole number, not '{value}'",
        "只写数字，例如 5。",
        "Write digits only, for example 5.",
    ),
    "E211": _e(
        "不认识的类别“{value}”",
        "unknown category '{value}'",
        "{suggestion}可以用的类别有：{allowed}。",
        "{suggestion}Categories: {allowed}.",
    ),
    "E212": _e(
        "不认识的星期“{value}”",
        "unknown weekday '{value}'",
        "{suggestion}写成 周一 … 周日，或 星期一、周1、星期1（周7 是周日）、Mon、Monday。",
        "{suggestion}Write 周一 … 周日 (or 星期一, 周1, 星期1; 周7 is Sunday), or Mon … Sun, "
        "or Monday … Sunday.",
    ),
    "E213": _e(
        "“{field}”只能填 是 或 否，写的是“{value}”",
        "'{field}' must be yes or no, not '{value}'",
        "填 是/否，或 true/false。",
        "Write yes/no or true/false.",
    ),
    "E214": _e(
        "“{title}”的日期写法不对：{found}",
        "the date of '{title}' is unclear: {found}",
        "每项活动只写一种：date（某一天），from + to（几天），week（第几周），"
        "或 month（本月工作，不定日期）。",
        "Give exactly one of: date (one day), from + to (several days), week (a teaching week), "
        "or month (an undated item of that month).",
    ),
    "E215": _e(
        "结束早于开始：{start} 到 {end}",
        "the end comes before the start: {start} to {end}",
        "检查两个日期（或时间）是否写反了。",
        "Check whether the two dates (or times) are swapped.",
    ),
    "E216": _e(
        "“{field}”不是有效的值：{detail}",
        "'{field}' is not valid: {detail}",
        "",
        "",
    ),
    "E217": _e(
        "“{field}”应该是文字",
        "'{field}' should be text",
        "在冒号后面直接写文字；如果是多行，用“|”开头再换行缩进。",
        "Write text after the colon; for several lines start with '|' and indent them.",
    ),
    "E218": _e(
        "编号“{value}”不能用",
        "the id '{value}' is not allowed",
        "编号只用小写英文字母、数字和连字符，例如 2025-2026-2 或 science-2026。",
        "Ids use lower-case letters, digits and hyphens only, e.g. 2025-2026-2 or science-2026.",
    ),
    "E219": _e(
        "“{key}”后面的冒号和值之间少了一个空格",
        "no space between the colon after '{key}' and the value",
        "冒号后面要有一个空格：{fixed}",
        "A colon needs a space after it: {fixed}",
    ),
    "E220": _e(
        "引号在这里已经结束，后面还有文字“{rest}”",
        "the quotes end here, but the text '{rest}' follows them",
        "引号只能把整个值括起来。把整个值放进单引号：{fixed}；或者改用中文引号“”，"
        "就不需要英文引号了。",
        "Quotes must enclose the whole value. Put all of it in single quotes: {fixed}; or use "
        "Chinese quotes “”, which need no YAML quotes.",
    ),
    "E221": _e(
        "“{field}”不能写“{value}”",
        "'{field}' cannot be '{value}'",
        "{suggestion}可以写：{allowed}。",
        "{suggestion}Allowed: {allowed}.",
    ),
    # --- across files --------------------------------------------------------------------
    "E301": _e(
        "日期 {date} 不在本学期内（{first} 至 {last}）",
        "{date} is outside the term ({first} to {last})",
        "检查年份和月份；如果学期日期写错了，请改 term 里的 first_day / last_day。",
        "Check the year and month; if the term's dates are wrong, fix first_day / last_day.",
    ),
    "E302": _e(
        "本学期没有第 {week} 周（共 {weeks} 周）",
        "the term has no week {week} (it has {weeks})",
        "教学周从 1 数到 {weeks}。",
        "Teaching weeks run from 1 to {weeks}.",
    ),
    "E303": _e(
        "找不到{kind}“{value}”",
        "no {kind} with the id '{value}'",
        "{suggestion}编号就是 content/{folder}/ 里的文件名（不带 .yaml）。",
        "{suggestion}The id is the file name in content/{folder}/ without '.yaml'.",
    ),
    "E304": _e(
        "学期编号“{value}”重复（{other} 也用了）",
        "the term id '{value}' is used twice (also in {other})",
        "每个学期的 id 要不同，例如 2025-2026-1 和 2025-2026-2。",
        "Give each term its own id, e.g. 2025-2026-1 and 2025-2026-2.",
    ),
    "W305": _e(
        "“{title}”安排在 {date}，那天是{closure}",
        "'{title}' is on {date}, which is {closure}",
        "如果确实要在这天开展，可以忽略；否则请换一个日期。",
        "Ignore this if it really takes place that day; otherwise choose another date.",
    ),
    "E306": _e(
        "调休上班日 {date} 是{weekday}，应该是周六或周日",
        "the make-up working day {date} is a {weekday}, not a Saturday or Sunday",
        "调休日是周末被调成上课的那一天，请检查日期。",
        "A make-up day is a weekend day that is worked; check the date.",
    ),
    "E307": _e(
        "月份 {month} 不在本学期内（{first} 至 {last}）",
        "the month {month} is outside the term ({first} to {last})",
        "检查年份和月份。",
        "Check the year and month.",
    ),
    "E308": _e(
        "找不到主题文件夹“{value}”",
        "theme folder '{value}' not found",
        "theme 写 themes/ 下的文件夹名，例如 default；不需要自己的主题就删掉这一行。",
        "Set theme to a folder name under themes/, e.g. default, or remove the line.",
    ),
    "E309": _e(
        "模板出错：{detail}",
        "template error: {detail}",
        "检查主题模板里这一行的写法；如果你没有改过模板，请把这条信息发给维护者。",
        "Check this line of the theme template; if you did not change it, report it.",
    ),
    "E310": _e(
        "班级“{value}”出现了两次",
        "the class '{value}' is listed twice",
        "删掉重复的一个。",
        "Remove one of them.",
    ),
    "E311": _e(
        "找不到 events.yaml",
        "events.yaml not found",
        "在站点文件夹里放一个 events.yaml（本学期校历）；可以复制示例站点的那一份来改。",
        "Put an events.yaml (this term's calendar) in the site folder; copy the sample's.",
    ),
    "E312": _e(
        "{date} 在闭馆/放假期间（{closure}），不能再作为调休上班日",
        "{date} falls in a closure ({closure}) and cannot also be a make-up working day",
        "检查调休日期和放假日期。",
        "Check the dates of the make-up day and the closure.",
    ),
    "E313": _e(
        "输出文件夹“{value}”里已经有别的文件，不是本工具生成的",
        "the output folder '{value}' holds other files and was not made by this tool",
        "换一个输出文件夹（--out），或先把这个文件夹里的内容移走。为了安全，不会覆盖它。",
        "Choose another output folder (--out), or empty this one first; it is never replaced.",
    ),
    "E320": _e(
        "这里的 {quote} 引号没有配对的结束引号",
        "the {quote} quote opened here is never closed",
        "在这个值的末尾加上同样的引号 {quote}，或者删掉开头的引号（大多数值不需要引号）。",
        "Add the same quote {quote} at the end of this value, or remove the opening one "
        "(most values need no quotes).",
    ),
    "E321": _e(
        "学期“{value}”（{first} 至 {last}）与 {other} 的学期“{other_id}”（{other_first} 至 "
        "{other_last}）时间重叠",
        "the term '{value}' ({first} to {last}) overlaps the term '{other_id}' in {other} "
        "({other_first} to {other_last})",
        "两个学期不能有同一天。检查这两个文件的 first_day 和 last_day："
        "通常是年份写错了，或者把本学期的 events.yaml 又复制进了 content/terms/。",
        "Two terms cannot share a day. Check first_day and last_day in both files: usually a "
        "year is wrong, or this term's events.yaml was also copied into content/terms/.",
    ),
    "W322": _e(
        "找不到 content/site.yaml，使用默认设置",
        "content/site.yaml not found: the default settings are used",
        "学校名称、班级列表、菜单和语言都写在 content/site.yaml 里；可以复制示例站点的那一份来改。",
        "The school's name, class list, menu and language are set in content/site.yaml; copy "
        "the sample's and edit it.",
    ),
    "W323": _e(
        "content/site.yaml 是空的，使用默认设置",
        "content/site.yaml is empty: the default settings are used",
        "至少写上学校和图书馆的名称，例如 school: 阳光小学；可以参考示例站点的 site.yaml。",
        "Write at least the school's and the library's names, e.g. school: 阳光小学; see the "
        "sample's site.yaml.",
    ),
    "W324": _e(
        "不会读取“{name}”：这个文件夹只读 {suffix} 文件",
        "'{name}' is not read: this folder reads {suffix} files only",
        "{rename}如果这个文件不是网站的内容，把它移出 content/ 文件夹。",
        "{rename}If the file is not part of the site, move it out of the content/ folder.",
    ),
    "W325": _e(
        "不会读取“{name}”：文件名以点“.”开头的文件会被跳过",
        "'{name}' is not read: files whose name starts with a dot are skipped",
        "如果这是网站的内容，把文件名开头的点去掉，例如 {suggestion}。",
        "If it is part of the site, remove the dot at the start of its name, e.g. {suggestion}.",
    ),
    "E326": _e(
        "输出文件夹“{value}”里有不是本工具写的文件：{files}",
        "the output folder '{value}' holds files this tool did not write: {files}",
        "本工具只替换它自己写过的文件（记在 .library-site 清单里）。把这些文件移到别处，"
        "或换一个输出文件夹（--out）。",
        "The tool replaces only files it wrote (listed in its .library-site manifest). Move "
        "these files elsewhere, or choose another output folder (--out).",
    ),
    "E327": _e(
        "另一次生成正在写输出文件夹“{value}”，等了 {seconds} 秒仍未结束",
        "another build is writing the output folder '{value}'; it had not finished after "
        "{seconds} s",
        "同一个输出文件夹一次只能生成一次。等另一次生成（另一个窗口或同事）结束后再运行；"
        "什么都没有写入，原来的网站没有变。",
        "One output folder takes one build at a time. Run again when the other build (another "
        "window, or a colleague) has finished; nothing was written, the site is as it was.",
    ),
    "E328": _e(  # its words by errno / winerror: generator/write/output.py (WriteFailed)
        "无法写入或替换{what}：{reason}。{state}",
        "cannot write or replace {what}: {reason}. {state}",
        "{advice}",
        "{advice}",
    ),
    # --- the school's year: vacations, classes, monthly items (issue 17) ---------------
    "E330": _e(
        "班级“{value}”不在 content/site.yaml 的班级名单里",
        "the class '{value}' is not in the class list of content/site.yaml",
        "{suggestion}classes 里的班级要和 site.yaml 的 classes 写法一样（例如 {known}）；"
        "新班级请先加到 site.yaml。",
        "{suggestion}Write each class as site.yaml's classes do (e.g. {known}); add a new class "
        "to site.yaml first.",
    ),
    "W330": _e(
        "每月重复的“{title}”有几次落在放假/闭馆日，这几次不安排：{dates}",
        "the monthly '{title}' falls on closed days, which are left out: {dates}",
        "如果这个月还要开，请在 events 里另写一天（date: …）；确实不开就可以忽略。",
        "If it still takes place that month, add it under events on another day (date: …); "
        "otherwise ignore this.",
    ),
    "E331": _e(
        "年级“{value}”不在 content/site.yaml 的班级名单里",
        "the grade '{value}' is not in the class list of content/site.yaml",
        "{suggestion}年级从班级名得出：三(1)班 属于 三年级。写 grades: [三年级]，"
        "或者用 classes 写具体班级。",
        "{suggestion}Grades come from the class names: 三(1)班 is in 三年级. Write grades: "
        "[三年级], or list the classes under classes.",
    ),
    "W331": _e(
        "“{title}”写了两次（和 {other} 那一项的名称、日期、时间都一样）",
        "'{title}' is written twice (same title, dates and time as the item at {other})",
        "多半是复制粘贴时多了一份：删掉其中一项；如果确实是两次活动，改一下名称或时间。",
        "Most likely a copy-paste: remove one of them; if these are two events, change a "
        "title or a time.",
    ),
    "E332": _e(
        "假期“{name}”（{first} 至 {last}）与 {other} 的学期“{term}”（{term_first} 至 "
        "{term_last}）有同一天",
        "the vacation '{name}' ({first} to {last}) overlaps the term '{term}' in {other} "
        "({term_first} to {term_last})",
        "假期从学期结束后的第一天开始，到下个学期开始前一天结束。检查年份和月份。",
        "A vacation starts after its term's last day and ends before the next term begins; "
        "check the year and the month.",
    ),
    "W332": _e(
        "每月重复的“{title}”写的是每月 {day} 日，{months} 没有这一天，这几个月不安排",
        "the monthly '{title}' is on day {day}, which {months} do not have: none those months",
        "要每月最后一天，写 weekday 和 nth: -1（例如最后一个周五）；或改成 28 日以前。",
        "For the end of each month use weekday with nth: -1 (e.g. the last Friday), or a day "
        "up to 28.",
    ),
    "E333": _e(
        "假期“{name}”（{first} 至 {last}）与 {other} 的假期“{other_name}”（{other_first} 至 "
        "{other_last}）有同一天",
        "the vacation '{name}' ({first} to {last}) overlaps the vacation '{other_name}' in "
        "{other} ({other_first} to {other_last})",
        "每个假期只写一次：暑假写在春季学期的文件里，寒假写在秋季学期的文件里。",
        "Write each vacation once: the summer in the spring term's file, the winter in the "
        "autumn term's.",
    ),
    "E334": _e(
        "假期“{name}”（{first} 至 {last}）在学期“{term}”之前，应该写在上一个学期的文件里",
        "the vacation '{name}' ({first} to {last}) comes before the term '{term}'; it belongs "
        "in the file of the term before",
        "假期属于它前面的学期：春季学期的文件写暑假，秋季学期的文件写寒假。"
        "本学期 {term_last} 结束，假期从那以后开始。",
        "A vacation belongs to the term before it: the spring term's file has the summer, the "
        "autumn term's the winter. This term ends {term_last}; its vacation starts after that.",
    ),
    "E335": _e(
        "重复活动“{title}”的写法不对：{rule}",
        "the repeating item '{title}' is not written as its rule needs: {rule}",
        "每周：every: week（可以不写）和 weekdays: [周三]；"
        "每月：every: month 再写 weekday: 周五 和 nth: -1（最后一个周五，1 到 4 是第几个），"
        "或只写 day: 15（每月15日）。",
        "Weekly: every: week (the default) with weekdays: [周三]. Monthly: every: month with "
        "weekday: 周五 and nth: -1 (the last; 1 to 4 count from the first), or day: 15 alone.",
    ),
    "E336": _e(
        "“{title}”写了序号 no，但它不是本月工作",
        "'{title}' has a number (no) but is not a month's work item",
        "序号只用于写 month 或 months 的本月工作；有具体日期的活动按日期排列，删掉 no。",
        "Only a month's work (month or months) is numbered; a dated item is listed by its "
        "date: remove no.",
    ),
    "E337": _e(
        "编号 id “{value}”用了两次（{other} 也用了）",
        "the id '{value}' is used twice (also at {other})",
        "id 让订阅的日历认出同一项活动，每一项要不同，例如 summer-reading 和 summer-opening。",
        "An id lets subscribed calendars recognise an item; give each its own, e.g. "
        "summer-reading and summer-opening.",
    ),
    "E339": _e(
        "假期“{name}”结束得太晚：从学期第一天算起 {days} 天（最多 {limit} 天）",
        "the vacation '{name}' ends too late: {days} days from the term's first day "
        "(at most {limit})",
        "检查 to 的年份；寒暑假一般是一两个月。",
        "Check the year of to; a vacation is usually one or two months.",
    ),
    # --- official holidays and new-term (generator/assemble/official.py, tools/new_term.py)
    "E350": _e(
        "{file} 已经存在：new-term 不覆盖它",
        "{file} exists already: new-term does not overwrite it",
        "这是上一次运行 new-term 留下的文件（带过来的草稿或名单的备份）。确认用不上后把它移走或"
        "删掉，再运行 new-term；什么都没有改动。",
        "It is left from an earlier new-term (a carried draft or a roster's backup). Move it "
        "away or delete it once it is not needed, and run new-term again; nothing was changed.",
    ),
    "W350": _e(
        "国家放假安排“{name}”（{first} 至 {last}）的 {dates} 不在 closures（放假和闭馆）里",
        "the official holiday '{name}' ({first} to {last}): {dates} not in closures",
        "这些日子按国务院的放假通知不上学。学校照常开放的话可以不管这条警告；否则在 closures "
        "里加上：- name: {name} / from: {first} / to: {last}。",
        "These days are off by the State Council's notice. If the school is open, ignore this "
        "warning; otherwise add to closures: - name: {name} / from: {first} / to: {last}.",
    ),
    "W351": _e(
        "国家放假安排的调休上班日 {dates}（{name}）不在 makeup_days（调休上班）里",
        "the official 调休 workday(s) {dates} ({name}) not in makeup_days",
        "这一天按国务院的放假通知要上班上课。在 makeup_days 里加上 - date: … / follows: "
        "（按星期几的课表），每周重复的活动才会照常安排。",
        "These weekend days are worked by the State Council's notice. Add each to makeup_days "
        "(- date: … / follows: the weekday whose timetable is kept) so weekly items happen.",
    ),
    "W352": _e(
        "“{title}”移到新学期后是 {new}，不在新学期内（{first} 至 {last}）：在 {file} 里写成了"
        "注释（TODO），没有生效",
        "'{title}' would move to {new}, outside the new term ({first} to {last}): it is "
        "written in {file} as a comment (TODO), not in effect",
        "打开 {file}，找到这一项上面的 TODO：改成新学期里的日子后去掉每行开头的“# ”，"
        "用不上就整段删掉。",
        "Open {file} and find the TODO above the item: give it a date in the new term and "
        "remove the '# ' at the start of its lines, or delete it if it is not needed.",
    ),
    "W353": _e(
        "“{title}”移到新学期后是 {new}，不在新学期内（{first} 至 {last}）：没有带过来",
        "'{title}' would move to {new}, outside the new term ({first} to {last}): not carried",
        "它留在原处，属于上学期。新学期需要的话，复制这个文件，改成新学期的日子。",
        "It stays where it is, in last term. If the new term needs it, copy the file and give "
        "it dates in the new term.",
    ),
    # --- Chinese keyboard, WeChat and Word (generator/hints.py) ---------------------------
    "E601": _e(
        "键后面用了中文冒号“：”",
        "a full-width colon '：' after a key",
        "把“：”改成英文冒号“:”，并在冒号后面加一个空格，例如 title: 开馆。",
        "Change '：' to an ASCII colon ':' followed by a space, e.g. title: 开馆.",
    ),
    "E602": _e(
        "方括号列表里用了中文逗号“，”",
        "a full-width comma '，' in a [ ] list",
        "列表的各项之间用英文逗号“,”隔开，例如 [周一, 周四]。",
        "Separate the items with an ASCII comma ',', e.g. [周一, 周四].",
    ),
    "E603": _e(
        "列表项前面用了“{dash}”，不是英文减号“-”",
        "the list item starts with '{dash}', not an ASCII hyphen '-'",
        "把“{dash}”改成英文减号“-”，后面加一个空格，例如 - title: 开馆。",
        "Change '{dash}' to an ASCII hyphen '-' followed by a space, e.g. - title: 开馆.",
    ),
    "E604": _e(
        '用了中文引号 {quote} ，YAML 只认英文引号 "',
        'a curly quote {quote} : YAML only understands straight quotes "',
        '把中文引号改成英文双引号，例如 title: "讲座: 读书"；不需要引号就都删掉。',
        'Use straight double quotes, e.g. title: "讲座: 读书", or remove the quotes.',
    ),
    "E605": _e(
        "这里有一个{char}，YAML 只认普通空格",
        "{char} here: YAML only understands ordinary spaces",
        "删掉它，换成普通（半角）空格；缩进和冒号后面都只能用普通空格。",
        "Replace it with an ordinary space; indentation and the space after a colon must be "
        "ordinary spaces.",
    ),
    "E606": _e(
        "这里有一个看不见的{char}",
        "there is an invisible character here: {char}",
        "它通常是从微信或网页复制时带来的。把光标移到 ^ 所指的位置，按一次删除键，"
        "或者把这一行重新打一遍。",
        "It usually comes with text copied from a chat app or a web page. Put the cursor where "
        "the ^ points and delete it, or type the line again.",
    ),
    "E607": _e(
        "缩进用了 Tab 键",
        "a tab is used for indentation",
        "YAML 的缩进只能用空格：删掉 Tab，改用空格对齐。VS Code 右下角可以选“使用空格缩进”。",
        "YAML indentation must be spaces: replace the tab with spaces. In VS Code choose "
        "'Indent Using Spaces' in the status bar.",
    ),
    "E608": _e(
        "“{key}”的值里有“: ”（冒号加空格），YAML 会把它当成新的键",
        "the value of '{key}' contains ': ' (a colon and a space), which YAML reads as a new key",
        "给整个值加上英文引号：{fixed}",
        "Put the whole value in straight quotes: {fixed}",
    ),
    "E609": _e(
        "这一行缩进了 {found} 个空格，应该是 {expected} 个",
        "this line is indented by {found} spaces; it should be {expected}",
        "同一层的键要左边对齐：和上面同级的行对齐，用 {expected} 个空格。",
        "Keys at the same level line up on the left: indent by {expected} spaces like the lines "
        "above.",
    ),
    "E610": _e(
        "没有 {value} 这个时间",
        "there is no time {value}",
        "一天从 00:00 到 23:59；到晚上十二点结束就写 23:59。",
        "A day runs from 00:00 to 23:59; for an end at midnight write 23:59.",
    ),
    # --- festivals, rosters, displays, pages and news ----------------------------------
    "E401": _e(
        "没有找到开头的 front matter（第一行应是 ---）",
        "no front matter found (the first line should be ---)",
        "在文件最前面写 ---，下面写 title: 和 date:，再写一行 --- 后接正文。",
        "Start the file with ---, then title: and date:, then a line --- before the text.",
    ),
    "E402": _e(
        "front matter 没有结束（缺少第二行 ---）",
        "the front matter is not closed (the second --- line is missing)",
        "在 title/date 等设置的下面加一行 ---，正文写在它后面。",
        "Add a line --- after the settings (title, date…); the text goes below it.",
    ),
    "E403": _e(
        "文件名“{value}”不能用作编号",
        "the file name '{value}' cannot be used as an id",
        "文件名只用小写英文字母、数字和连字符，例如 science-2026.yaml。",
        "Name files with lower-case letters, digits and hyphens, e.g. science-2026.yaml.",
    ),
    "E404": _e(
        "ISBN“{value}”不对：{detail}",
        "the ISBN '{value}' is wrong: {detail}",
        "对照书的版权页或封底条码重新抄写；可以带连字符，例如 978-7-5448-1734-9。",
        "Copy it again from the copyright page or the barcode; hyphens are allowed.",
    ),
    "E405": _e(
        "{person} 在 {date} {time} 被安排了两次（另一次在 {other}）",
        "{person} is booked twice on {date} at {time} (the other booking is at {other})",
        "同一个人同一时间只能在一个地方，请换人或换时间。",
        "One person can be in one place at a time; change the person or the time.",
    ),
    "E406": _e(
        "{date} 是{closure}，不能安排“{title}”",
        "'{title}' is on {date}, which is {closure}",
        "换一个日期；用轮值（rota）生成的场次会自动跳过放假日。",
        "Choose another date; sessions generated by a rota skip closures by themselves.",
    ),
    "E407": _e(
        "日期 {date} 不在任何学期内",
        "{date} is not inside any term",
        "检查年份和月份；学期的起止日期写在 events.yaml 和 content/terms/ 里。",
        "Check the year and month; terms are set in events.yaml and content/terms/.",
    ),
    "E408": _e(
        "班级“{value}”不在 content/site.yaml 的班级名单里",
        "the class '{value}' is not in the class list of content/site.yaml",
        "{suggestion}班级写法要和 site.yaml 的 classes 完全一样，例如 一(1)班。",
        "{suggestion}Write the class exactly as in site.yaml's classes, e.g. 一(1)班.",
    ),
    "W409": _e(
        "{month} 的主题“{theme}”没有任何场次",
        "the theme '{theme}' for {month} has no sessions",
        "检查 rota 的起止日期，或在 sessions 里补上这个月的场次。",
        "Check the rota's dates, or add this month's sessions under sessions.",
    ),
    "E410": _e(
        "找不到图片“{value}”",
        "image '{value}' not found",
        "图片放在 content/ 文件夹里，路径从 content/ 写起，例如 displays/science.jpg。",
        "Put images in the content/ folder and write the path from there, e.g. displays/a.jpg.",
    ),
    "E412": _e(
        "“{value}”不是网站能发布的图片：{detail}",
        "'{value}' is not a picture the site can publish: {detail}",
        "展示图片只能是 PNG、JPEG、GIF、WebP 或 SVG；网站看的是文件内容，不是文件名。用画图、"
        "WPS 或手机相册把它另存为 JPG 或 PNG，文件名的扩展名要和内容一致。",
        "Display pictures must be PNG, JPEG, GIF, WebP or SVG, judged by their content, not "
        "their name. Save it again as JPG or PNG (Paint, WPS or a phone's gallery) and keep "
        "the extension matching.",
    ),
    "E413": _e(
        "图片“{value}”太大：{size} MB（最多 {limit} MB）",
        "the picture '{value}' is too big: {size} MB (at most {limit} MB)",
        "网页上的图片 1 MB 以内就很清楚：用画图的“调整大小”把它缩小，或另存为压缩过的 JPG。",
        "A web picture is sharp at under 1 MB: resize it (Paint's Resize) or save it with "
        "more compression.",
    ),
    "E414": _e(
        "SVG 图片“{value}”无法安全读取：{detail}",
        "the SVG picture '{value}' cannot be read safely: {detail}",
        "用绘图软件（Inkscape、Illustrator）重新导出为“普通 SVG”，或者导出成 PNG 使用。",
        "Export it again from the drawing program as plain SVG, or export a PNG instead.",
    ),
    "W415": _e(
        "SVG 图片“{value}”里有会运行或从别处加载的内容，已去掉：{removed}",
        "the SVG picture '{value}' had parts that run or load from elsewhere; removed: {removed}",
        "网站发布的是去掉这些内容后的图片。如果图片因此显示不对，请在绘图软件里导出成 PNG 使用。",
        "The site publishes the picture without them. If it no longer looks right, export a "
        "PNG from the drawing program instead.",
    ),
    "E411": _e(
        "页面编号“{value}”和网站自带的栏目重名",
        "the page id '{value}' is already used by a built-in section",
        "给文件换个名字，这些名字已被占用：{reserved}。",
        "Rename the file; these names are taken: {reserved}.",
    ),
    # --- import a roster from a spreadsheet: the sheet's columns ------------------------
    "E420": _e(
        "表格用“周次”和“星期”写日期，但找不到本学期是哪一天开始的",
        "the sheet gives teaching weeks and weekdays, but the term's first day is unknown",
        "周次从本学期第一天数起：先在站点文件夹里写好 events.yaml（term 里的 first_day），"
        "再导入；或者在表格里加一列“日期”。",
        "Weeks are counted from the term's first day: write events.yaml (term: first_day) in "
        "the site folder first, or add a date column to the sheet.",
    ),
    "E421": _e(
        "{date} 是{actual}，表格里写的是{written}",
        "{date} is a {actual}, but the sheet says {written}",
        "检查这一行的日期和星期，改对其中一个。",
        "Check this row's date and weekday, and correct one of them.",
    ),
    "E422": _e(
        "第 {row} 行 {letter} 列（第 {index} 列“{header}”）：值日表还要有“班级”列",
        "row {row}, column {letter} (column {index}, '{header}'): a duty rota needs a class "
        "column too",
        "按星期排的值日表，每一行写 星期、班级 和 值日的人（姓名），例如 周一,三(1)班,陈思远；"
        "如果这是场次表，请加一列“日期”（或“周次”）。",
        "A rota by weekday gives a weekday, a class and who is on duty on each row, e.g. "
        "周一,三(1)班,陈思远; if it is a list of sessions, add a date (or week) column.",
    ),
    "E500": _e(
        "时区“{value}”不认识",
        "unknown time zone '{value}'",
        "写成“地区/城市”的标准时区名，例如 Asia/Shanghai（中国大陆都用这个）。",
        "Use an IANA time zone name such as Asia/Shanghai.",
    ),
    # --- preview (serve) -----------------------------------------------------------------
    "E550": _e(
        "预览重新生成网站时出错：{detail}",
        "the preview failed while rebuilding the site: {detail}",
        "这多半是本工具的问题：浏览器里仍是上一次的网站。保存文件会再试一次；"
        "若一直出现，请停止预览（Ctrl+C）后运行 python build.py，并把提示告诉维护老师。",
        "This is most likely a bug in the tool; the browser keeps the last good site. Saving "
        "a file tries again; if it persists, stop the preview (Ctrl+C), run python build.py "
        "and report the message.",
    ),
    # --- import a roster from a spreadsheet (generator/importer.py) ------------------------
    "E980": _e(
        "无法读取这个表格：{reason}",
        "cannot read the spreadsheet: {reason}",
        "用 Excel 或 WPS 打开，另存为“Excel 工作簿 (.xlsx)”或“CSV (逗号分隔)”后再导入。",
        "Open it in Excel or WPS and save it as an Excel workbook (.xlsx) or CSV, then import "
        "it again.",
    ),
    "E981": _e(
        "第 {row} 行 {letter} 列（第 {index} 列“{header}”）：{detail}（{code}）",
        "row {row}, column {letter} (column {index}, '{header}'): {detail} ({code})",
        "{hint}",
        "{hint}",
    ),
    "E982": _e(
        "表格里没有找到“日期”列，也没有“姓名”列",
        "the sheet has neither a date column nor a name column",
        "第一行写表头：场次表要有“日期”列（再加 时间、班级、家长、故事……），"
        "名单要有“姓名”列（再加 班级、电话……）。",
        "Put headers in the first row: a list of sessions needs a 'date' column (and time, "
        "class, person, title…); a list of people needs a 'name' column (and class, phone…).",
    ),
    "W983": _e(
        "第 {row} 行 {letter} 列（第 {index} 列）的表头“{header}”不认识，这一列没有导入",
        "row {row}, column {letter} (column {index}): unknown header '{header}'; the column "
        "was not imported",
        "{suggestion}认识的表头有：日期、周次、星期、时间、节次、班级、家长、讲述人、故事、书名、"
        "主题、地点、姓名、身份、电话、公开（英文也可以；全部写法见 "
        "docs/import-and-new-term.md）。",
        "{suggestion}Known headers: date, week, weekday, time, period, class, person, reader, "
        "story, title, theme, location, name, role, phone, public, or the Chinese words (all "
        "of them in docs/import-and-new-term.md).",
    ),
    "E984": _e(
        "第 {row} 行 {letter} 列（第 {index} 列）的“{header}”和前面的“{first}”是同一列",
        "row {row}, column {letter} (column {index}): '{header}' means the same as the "
        "column '{first}' before it",
        "删掉其中一列，或把多余的一列改个表头（例如“备注”）。",
        "Remove one of the two columns, or give the extra one another header (e.g. notes).",
    ),
    "E985": _e(
        "{file} 已经存在，没有覆盖",
        "{file} exists already and was not overwritten",
        "确实要换成表格里的内容，就加上 --force（旧文件会另存一份 .bak 备份）；"
        "否则换一个 --roster 编号。",
        "Add --force to replace it (the old file is kept as a .bak backup), or choose another "
        "--roster id.",
    ),
    "E988": _e(
        "第 {row} 行：{detail}（{code}）",
        "row {row}: {detail} ({code})",
        "{hint}",
        "{hint}",
    ),
    # --- start a new term (generator/newterm.py) -----------------------------------------
    "E990": _e(
        "{file} 已经存在：上学期的文件不能覆盖",
        "{file} exists already: an archived term is never overwritten",
        "看一看这个文件是不是已经归档过的本学期；如果是，就不需要再运行 new-term。",
        "Check whether this term was archived already; if so, there is no need to run "
        "new-term again.",
    ),
    "E991": _e(
        "学期编号“{id}”已经用过（{file}）",
        "the term id '{id}' is used already ({file})",
        "用 --id 给新学期另起一个编号，例如 2026-2027-1。",
        "Give the new term another id with --id, e.g. 2026-2027-1.",
    ),
    "E992": _e(
        "从学期名称“{name}”看不出学期编号",
        "cannot work out a term id from the name '{name}'",
        "加上 --id，例如 --id 2026-2027-1（小写英文字母、数字和连字符）。",
        "Add --id, e.g. --id 2026-2027-1 (lowercase letters, digits and hyphens).",
    ),
    "E993": _e(
        "新学期的最后一天 {last} 在第一天 {first} 之前",
        "the new term's last day {last} is before its first day {first}",
        "检查 --first-day 和 --last-day。",
        "Check --first-day and --last-day.",
    ),
    "E994": _e(
        "新学期的文件没有通过检查，原来的 events.yaml 已恢复，什么都没有改",
        "the new term's files did not pass check; events.yaml was restored and nothing changed",
        "先按上面列出的问题改好，再运行 new-term。",
        "Fix the problems listed above, then run new-term again.",
    ),
    # --- limits: bounded work ------------------------------------------------------------
    "E701": _e(
        "文件太大：{size} 字节（最多 {limit} 字节）",
        "the file is too large: {size} bytes (at most {limit})",
        "YAML 和 Markdown 文件都是几 KB 的文字；这么大的文件多半是放错了（例如图片或导出的表格）。"
        "长文章请分成几篇。",
        "YAML and Markdown files are a few KB of text; a file this large is most likely the "
        "wrong file (a picture or an exported spreadsheet). Split a long article into several.",
    ),
    "E702": _e(
        "不是普通文件（{kind}），没有读取",
        "not a regular file ({kind}); it was not read",
        "这里只能放普通的文本文件。把它换成真正的文件（复制内容另存为一个新文件）。",
        "Only ordinary text files belong here. Replace it with a real file (copy the text into "
        "a new file).",
    ),
    "E703": _e(
        "这个文件是一个链接，指向网站文件夹以外的地方，没有读取",
        "this file is a link to somewhere outside the site folder; it was not read",
        "网站只发布网站文件夹里的文件。把要用的文件复制到网站文件夹里，不要用快捷方式或链接。",
        "The site publishes only files inside the site folder. Copy the file into the site "
        "folder instead of linking to it.",
    ),
    "E704": _e(
        "日期“{value}”不在 {first} 到 {last} 年之间",
        "the date '{value}' is not between the years {first} and {last}",
        "{suggestion}年份写四位数，例如 2026-03-02。",
        "{suggestion}Write the year with four digits, e.g. 2026-03-02.",
    ),
    "E705": _e(
        "学期太长：{days} 天（最多 {limit} 天）",
        "the term is too long: {days} days (at most {limit})",
        "检查 first_day 和 last_day 的年份；一个学期一般是四五个月。",
        "Check the years of first_day and last_day; a term is usually four or five months.",
    ),
    "E706": _e(
        "Markdown 文字太长：{length} 个字符（最多 {limit} 个）",
        "the Markdown text is too long: {length} characters (at most {limit})",
        "把它分成几篇文章或几个页面。",
        "Split it into several articles or pages.",
    ),
    "E707": _e(
        "Markdown 嵌套太深：{depth} 层（最多 {limit} 层）",
        "the Markdown is nested too deeply: {depth} levels (at most {limit})",
        "列表和引用（>）每多缩进四个空格就多一层；减少缩进或层数。",
        "Each > and each four spaces of list indentation is one more level; indent less.",
    ),
    "E708": _e(
        "Markdown 里的方括号“[”太多：{count} 个（最多 {limit} 个）",
        "too many '[' brackets in the Markdown: {count} (at most {limit})",
        "每个链接和图片用一对 [ ]；把很长的链接列表分到几篇文章里，或者把不是链接的 [ 换成【。",
        "Each link or image takes one pair of [ ]; split a very long list of links into "
        "several texts, or write 【 for a bracket that is not a link.",
    ),
    "E709": _e(
        "Markdown 里没有写完的 HTML 标签太多：{count} 个（最多 {limit} 个）",
        "too many unfinished HTML tags in the Markdown: {count} (at most {limit})",
        "“<”后面紧跟字母时会被当作 HTML 标签的开头，要用“>”结束；不是标签的“<”请写成“＜”或“&lt;”。",
        "A '<' followed by a letter starts an HTML tag and needs its '>'; write '&lt;' for a "
        "'<' that is not a tag.",
    ),
    # --- init: a new school's site -------------------------------------------------------
    "E750": _e(
        "这个文件夹不是空的（有 {count} 项：{names}），没有建新网站",
        "this folder is not empty ({count} entries: {names}); no site was made",
        "init 只在空文件夹里建新网站，不会和已有的文件混在一起。换一个新的文件夹名，例如 "
        "library-site init 新网站 --school 学校名称 --library 图书馆名称。",
        "init makes a new site only in an empty folder, never among existing files. Give a new "
        "folder name, e.g. library-site init new-site --school NAME --library NAME.",
    ),
    "E751": _e(
        "这是一个文件，不是文件夹，没有建新网站",
        "this is a file, not a folder; no site was made",
        "init 后面写一个新文件夹的名字（还不存在的，或者空的文件夹）。",
        "Give init the name of a new folder (one that does not exist yet, or an empty one).",
    ),
    "E752": _e(
        "无法在这里写入新网站的文件",
        "cannot write the new site's files here",
        "换一个可以写入的文件夹（例如“文档”里的新文件夹）；U 盘满了或是只读的也会这样。"
        "已经写了一半的文件夹可以删掉再重来。",
        "Choose a folder you can write to (a new folder in Documents); a full or read-only "
        "drive does this too. Delete the half-made folder and run init again.",
    ),
    # --- PDFs (library-site pdf, build --pdf) -----------------------------------------
    "E760": _e(
        "找不到用来打印 PDF 的浏览器{value}",
        "no browser to print the PDFs with{value}",
        "生成 PDF 要用电脑上已经装好的 Chromium、Google Chrome 或 Microsoft Edge（Windows 自带 "
        "Edge）。装好其中一个再运行；装在别的位置时，把浏览器程序的完整路径写进环境变量 {env}。"
        "网站没有改动。",
        "Making PDFs needs Chromium, Google Chrome or Microsoft Edge on this computer (Windows "
        "comes with Edge). Install one and run again; if it is somewhere unusual, put the full "
        "path of its program in the environment variable {env}. The site was not changed.",
    ),
    "E761": _e(
        "生成 PDF 需要的 Playwright 没有安装",
        "Playwright, which makes the PDFs, is not installed",
        "在命令行运行 pip install playwright（不用运行 playwright install：用的是电脑上"
        "已有的浏览器）。网站没有改动。",
        "Run pip install playwright (not playwright install: the browser already on the "
        "computer is used). The site was not changed.",
    ),
    "E762": _e(
        "浏览器没能打印“{value}”：{reason}",
        "the browser could not print '{value}': {reason}",
        "先关掉其他正在运行的同一个浏览器窗口再试；还不行的话，用环境变量 {env} 换一个浏览器，"
        "或者把这条信息发给维护者。网站没有改动。",
        "Close other windows of the same browser and try again; if that does not help, choose "
        "another browser with the environment variable {env}, or send this message to the "
        "maintainers. The site was not changed.",
    ),
    # --- loan statistics (generator/kinds/stats.py, generator/tools/import_loans.py) -----
    "E800": _e(
        "班级人数“{value}”不对：应是 1 到 {max} 的整数",
        "the number of pupils '{value}' is wrong: it should be a whole number from 1 to {max}",
        "写成 三(1)班: 42（班级、冒号、空格、人数）；不知道人数就只写 三(1)班。",
        "Write it as 三(1)班: 42 (the class, a colon, a space, the number); without a number "
        "write the class alone.",
    ),
    "E801": _e(
        "没有编号为“{value}”的学期：借阅统计的文件名要是学期编号",
        "there is no term with the id '{value}': a statistics file is named after its term",
        "{suggestion}把文件改名为 content/stats/<学期编号>.yaml，学期编号见 events.yaml 和 "
        "content/terms/ 里的 term: id:（例如 {known}）。",
        "{suggestion}Rename the file content/stats/<term id>.yaml; the term ids are the "
        "term: id: of events.yaml and content/terms/ (e.g. {known}).",
    ),
    "E802": _e(
        "{month} 不在学期 {term}（{first} 至 {last}）里",
        "{month} is not in the term {term} ({first} to {last})",
        "检查月份；别的学期的数字放到那个学期的文件里（content/stats/<学期编号>.yaml）。",
        "Check the month; another term's numbers go in that term's file "
        "(content/stats/<term id>.yaml).",
    ),
    "E803": _e(
        "{klass} {month} 的借阅册数写了两次（第 {first_line} 行已经写过）",
        "the loans of {klass} in {month} are given twice (already on line {first_line})",
        "一个班一个月只写一行；把两行的数加起来写在一行里。",
        "One line per class and month: add the two numbers up and keep one line.",
    ),
    "E804": _e(
        "{klass} 的借书人数写了两次（第 {first_line} 行已经写过）",
        "the readers of {klass} are given twice (already on line {first_line})",
        "每个班只写一行 readers。",
        "Give each class's readers once.",
    ),
    "W805": _e(
        "{klass} 借过书的有 {readers} 人，比全班人数 {pupils} 还多",
        "{readers} pupils of {klass} borrowed books, more than the {pupils} in the class",
        "检查 content/site.yaml 里这个班的人数，或这里的 readers。",
        "Check the class's number of pupils in content/site.yaml, or readers here.",
    ),
    "E810": _e(
        "表格里没有找到{missing}列",
        "the sheet has no {missing} column",
        "借阅记录要有 日期、班级 两列（再加 读者或借书证号、书名、条码……）；"
        "按班按月的汇总表要有 班级、月份、借阅册数 三列。",
        "A list of loans needs a date and a class column (and reader or card number, title, "
        "barcode…); a table of totals needs class, month and loans columns.",
    ),
    "E811": _e(
        "日期 {value} 不在任何学期里",
        "the date {value} is in no term",
        "检查日期；这一学期的校历（events.yaml 或 content/terms/）要先写好。",
        "Check the date; the term's calendar (events.yaml or content/terms/) must exist first.",
    ),
    "E812": _e(
        "借阅日期跨了几个学期：{terms}",
        "the loans fall in several terms: {terms}",
        "一个学期导入一次：加 --term <学期编号> 只导入那个学期（别的行会报出来），"
        "或者把表格按学期分开。",
        "Import one term at a time: add --term <term id> to import that term (the other "
        "rows are reported), or split the sheet by term.",
    ),
    "E813": _e(
        "{file} 已经存在，没有覆盖",
        "{file} exists already and was not overwritten",
        "确实要换成表格里的数字，就加上 --force（旧文件会另存一份 .bak 备份）。",
        "Add --force to replace it (the old file is kept as a .bak backup).",
    ),
    "E814": _e(
        "表格里没有一行借阅记录",
        "the sheet has no loans in it",
        "表头下面每一行是一次借阅（或一个班一个月的汇总）；检查是不是导出了空表。",
        "Each row under the headers is one loan (or one class's month); check that the "
        "export is not empty.",
    ),
    "W815": _e(
        "第 {row} 行 {letter} 列（第 {index} 列）的表头“{header}”不认识，这一列没有导入",
        "row {row}, column {letter} (column {index}): unknown header '{header}'; the column "
        "was not imported",
        "{suggestion}认识的表头有：日期、借阅日期、班级、读者、借书证号、书名、题名、条码、"
        "ISBN、作者、月份、借阅册数、借阅人数（英文也可以：date, class, reader, card, title, "
        "barcode, isbn, author, month, loans, readers）。",
        "{suggestion}Known headers: date, class, reader, card, title, barcode, isbn, author, "
        "month, loans, readers, or the Chinese words (日期、班级、读者、借书证号、书名、条码……).",
    ),
    "E816": _e(
        "没有编号为“{value}”的学期",
        "there is no term with the id '{value}'",
        "{suggestion}学期编号见 events.yaml 和 content/terms/ 里的 term: id:（例如 {known}）。",
        "{suggestion}The term ids are the term: id: of events.yaml and content/terms/ "
        "(e.g. {known}).",
    ),
    "E817": _e(
        "数量“{value}”不是 0 或正整数",
        "the number '{value}' is not 0 or a positive whole number",
        "只写数字，例如 120。",
        "Write the number alone, e.g. 120.",
    ),
    "E818": _e(
        "表头“{value}”没有写年份，不知道是哪个学期的（可能是：{terms}）",
        "the header '{value}' gives no year: which term it belongs to is unclear "
        "(it could be: {terms})",
        "加 --term <学期编号>，或者把表头写成 2025年9月 这样带年份的月份。",
        "Add --term <term id>, or write the headers as months with their year (2025-09).",
    ),
    # --- privacy (the public build) -------------------------------------------------------
    # --- honours and projects (content/honours/, content/projects/) -------------------------
    "E830": _e(
        "荣誉“{title}”要写 date（颁发日期）或 term（学期编号）中的一个：{found}",
        "the honour '{title}' needs one of date (the day given) or term (the term's id): {found}",
        "写 date: 2026-06-26，或写 term: 2025-2026-2，只写一个。",
        "Write date: 2026-06-26, or term: 2025-2026-2; one of them.",
    ),
    "E831": _e(
        "荣誉“{title}”没有写获奖的人或班级",
        "the honour '{title}' names no one: neither people nor classes",
        "在 people 下写获奖的人（例如 - 李欣妍），或在 classes 下写获奖的班级（例如 - 三(1)班）。",
        "List the people under people (e.g. - 李欣妍) or the classes under classes "
        "(e.g. - 三(1)班).",
    ),
    "E832": _e(
        "没有编号为“{value}”的学期",
        "there is no term with the id '{value}'",
        "{suggestion}term 写 events.yaml 或 content/terms/ 里某个学期的 id，例如 {known}。",
        "{suggestion}Write the id of a term of events.yaml or content/terms/, e.g. {known}.",
    ),
    "E833": _e(
        "阶段“{title}”要进校历，但只写了月份",
        "the phase '{title}' is to go in the calendar but gives only a month",
        "校历上的项目要有日期：写 date（一天）或 from 和 to（几天）；不进校历就删掉 calendar: 是。",
        "A calendar item needs days: write date (one day) or from and to; or remove "
        "calendar: 是 to keep it off the calendar.",
    ),
    "E900": _e(
        "“{value}”不是这一项可以写的值",
        "'{value}' is not one of the allowed values",
        "{suggestion}可以写：{allowed}。",
        "{suggestion}Allowed: {allowed}.",
    ),
    "W900": _e(
        "说明文字里有名单上的全名“{name}”",
        "the full name '{name}' from a roster appears in free text",
        "公开版网站上已换成“{masked}”。网上的页面最好不写学生和家长的全名：这里可以直接写"
        "“{masked}”或只写班级。",
        "The public build shows '{masked}' instead. Better not to write pupils' and parents' "
        "full names in text meant for the web: write '{masked}' or just the class.",
    ),
}
