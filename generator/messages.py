"""Every problem the generator can report: a stable code, its words in Chinese and English.

Codes never change meaning once published (teachers search for them);
docs/troubleshooting.md lists each with a wrong and a right example.
E0xx reading files, E1xx YAML syntax, E2xx a value in one file, E3xx checks across files.
W-codes are warnings: listed, but the build goes on.
"""

from __future__ import annotations

from typing import TypedDict


class _Words(TypedDict):
    zh: str
    en: str


class Entry(TypedDict):
    message: _Words
    hint: _Words


def _e(message_zh: str, message_en: str, hint_zh: str = "", hint_en: str = "") -> Entry:
    return {"message": {"zh": message_zh, "en": message_en},
            "hint": {"zh": hint_zh, "en": hint_en}}


SEVERITY_WORDS = {
    "zh": {"error": "错误", "warning": "警告"},
    "en": {"error": "error", "warning": "warning"},
}

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
        "{suggestion}写成 周一 … 周日，或 星期一、Mon、Monday。",
        "{suggestion}Write 周一 … 周日, or Mon … Sun, or Monday … Sunday.",
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
}
