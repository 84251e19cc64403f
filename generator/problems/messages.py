"""Everything the commands print that is not a problem, in Chinese and English, each under
a stable I-code: a summary, the preview's news, the labels of a problem report.
`say(code, lang, **params)` words one; `Message` keeps one as data until it is shown. They
are not problems, so docs/troubleshooting.md leaves them out. Adding a language means
adding its words here and in `catalogue` (and to the theme's catalogue for the site).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal, TypedDict


class _Words(TypedDict):
    zh: str
    en: str


def _i(zh: str, en: str) -> _Words:
    return {"zh": zh, "en": en}


def language(lang: str) -> Literal["zh", "en"]:
    """The language of the messages for a `--lang` or `language:` value: en, en-GB … are
    English, anything else is Chinese."""
    return "en" if lang.lower().startswith("en") else "zh"


@dataclass(frozen=True)
class Message:
    """A message (an I-code and its parameters) kept as data, worded when it is shown."""

    code: str
    params: Mapping[str, Any] = field(default_factory=dict)

    def say(self, lang: str = "zh") -> str:
        return fill(MESSAGES[self.code][language(lang)], lang, self.params)


def say(code: str, lang: str = "zh", **params: Any) -> str:
    """The message `code` in the language `lang`, its `{name}`s filled in from `params`."""
    return fill(MESSAGES[code][language(lang)], lang, params)


def fill(template: str, lang: str, params: Mapping[str, Any]) -> str:
    """`template` with its parameters in the language `lang` (see `Params`)."""
    return template.format_map(Params(params, language(lang)))


class Params(dict[str, Any]):
    """Format parameters: `{"zh": …, "en": …}` picks the language, a `Message` is said in
    it; lists are joined."""

    def __init__(self, params: Mapping[str, Any], lang: str) -> None:
        super().__init__(params)
        self.lang = lang

    def __getitem__(self, key: str) -> Any:
        value = super().__getitem__(key)
        if isinstance(value, Message):
            return value.say(self.lang)
        if isinstance(value, Mapping) and self.lang in value:  # words in both languages
            return value[self.lang]
        if isinstance(value, list | tuple):
            return ("、" if self.lang == "zh" else ", ").join(str(v) for v in value)
        return value

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


MESSAGES: dict[str, _Words] = {
    # --- the words of a problem report ---------------------------------------------------
    "I001": _i("错误", "error"),
    "I002": _i("警告", "warning"),
    "I003": _i("提示", "hint"),
    # --- build and check ------------------------------------------------------------------
    "I101": _i("检查通过（{warnings} 个警告）", "check passed ({warnings} warnings)"),
    "I102": _i(
        "发现 {errors} 个错误、{warnings} 个警告；网站没有改动。",
        "{errors} error(s), {warnings} warning(s); the site was not changed.",
    ),
    "I103": _i(
        "完成：{pages} 个页面，写入 {written} 个文件，{unchanged} 个未变，删除 {removed} 个；"
        "{warnings} 个警告；用时 {seconds:.2f} 秒 → {out}",
        "done: {pages} pages, {written} files written, {unchanged} unchanged, {removed} removed; "
        "{warnings} warnings; {seconds:.2f} s → {out}",
    ),
    "I104": _i(
        "输出文件夹原来是旧版本生成的网站，已保留为 {kept}；新网站没问题后可以删掉它。",
        "the output folder held a site an earlier version wrote: it was kept as {kept}; "
        "delete it once the new site looks right.",
    ),
    "I105": _i("已中断：网站没有改动", "interrupted: the site was not changed"),
    "I760": _i(
        "PDF：{count} 个，每个放在它的页面旁边，页面上点“下载 PDF”就能拿到。",
        "PDFs: {count}, each beside its page; the page's 'Download PDF' link fetches it.",
    ),
    "I106": _i(  # the interrupt came after the new site (roster, term) was in place
        "已中断：改动已经全部完成", "interrupted: the change was already complete"
    ),
    # --- E328: the output folder could not be written (generator/write/output.py) -------
    "I110": _i("这个文件", "this file"),  # E328's {what}
    "I111": _i("这个文件夹", "this folder"),
    "I112": _i("文件被其他程序占用", "another program has it open"),  # E328's {reason}
    "I113": _i("没有写入权限", "there is no permission to write it"),
    "I114": _i("磁盘已满", "the disk is full"),
    "I115": _i("磁盘或共享文件夹是只读的", "the drive or shared folder is read-only"),
    "I116": _i("系统报告“{detail}”", "the system said '{detail}'"),
    "I117": _i(  # E328's hint for I112
        "关掉正在使用它的程序后再运行 python build.py：例如打开着它的 Word 或 WPS、"
        "正在提供这个网站的网页服务器（先停止它）、正在扫描这个文件夹的杀毒软件。",
        "Close the program using it, then run python build.py again: e.g. Word or WPS with "
        "this document open, a web server serving this folder (stop it first), or an antivirus "
        "scan of this folder.",
    ),
    "I118": _i(
        "检查能否在这个文件夹里新建和修改文件：学校的共享文件夹请管理员给写入权限；"
        "文件属性里勾了“只读”的，去掉勾。在 Windows 上，文件被其他程序（Word、网页服务器、"
        "杀毒软件）打开着也会这样，关掉后再运行 python build.py。",
        "Check that you can create and change files in this folder: ask the administrator for "
        "write access to the school's shared folder; untick Read-only in the file's "
        "properties. On Windows a file another program has open (Word, a web server, an "
        "antivirus scan) does this too: close it and run python build.py again.",
    ),
    "I119": _i(
        "腾出磁盘空间（删掉不用的文件、清空回收站），或换一个空间够的输出文件夹（--out），"
        "然后再运行 python build.py。",
        "Free some disk space (delete files you do not need, empty the Recycle Bin), or choose "
        "an output folder on a drive with room (--out), then run python build.py again.",
    ),
    "I120": _i(
        "换一个可以写入的输出文件夹（--out），或请管理员把共享文件夹改成可写；"
        "U 盘的写保护开关拨到可写也行。",
        "Choose an output folder you can write to (--out), or ask the administrator to make "
        "the shared folder writable; on a USB drive, slide its write-protect switch off.",
    ),
    "I121": _i(
        "检查这个文件夹能否写入、磁盘还有没有空间，然后再运行 python build.py；"
        "一直这样的话，把这段提示告诉维护老师。",
        "Check that the folder can be written and the disk has room, then run python build.py "
        "again; if it persists, report this message.",
    ),
    "I122": _i("原来的网站没有改动。", "The site is as it was."),  # E328's {state}
    "I123": _i(
        "网站只更新了一部分，有的页面还是旧的；问题解决后再运行一次 python build.py，"
        "网站就会全部更新。",
        "The site was updated only in part: some pages are still the old ones. Once this is "
        "solved, run python build.py again and the whole site is updated.",
    ),
    "I124": _i(
        "网站文件夹暂时不在原处，原来的网站完整地保存在 {kept}；问题解决后再运行一次 "
        "python build.py，它就会放回原处并更新。",
        "The site folder is not in its place for now: the site as it was is kept whole in "
        "{kept}. Once this is solved, run python build.py again: it is put back and updated.",
    ),
    "I125": _i(
        "预览只更新了一部分；问题解决后保存任意一个文件，预览会再试一次。",
        "The preview was updated only in part; once this is solved, save any file and the "
        "preview tries again.",
    ),
    # I102 where the site did change (E328 says how): a write that could not be undone
    "I126": _i(
        "发现 {errors} 个错误、{warnings} 个警告；网站的情况见上面的说明。",
        "{errors} error(s), {warnings} warning(s); what became of the site is said above.",
    ),
    # --- preview (serve) -----------------------------------------------------------------
    "I201": _i(
        "注意：--host {host} 让同一网络里的其他电脑也能打开预览。",
        "warning: --host {host} lets other computers on the network see the preview.",
    ),
    "I202": _i(
        "无法在端口 {port} 上启动预览：{reason}",
        "cannot start the preview on port {port}: {reason}",
    ),
    "I203": _i("预览地址：{url}（按 Ctrl+C 结束）", "preview at {url} (Ctrl+C to stop)"),
    "I204": _i(
        "有错误，浏览器里仍是上一次的网站：{errors}",
        "errors; the browser keeps the last good site: {errors}",
    ),
    "I205": _i(
        "已更新 {what}：重新生成 {rendered}/{pages} 个页面，写入 {written} 个文件，{ms:.0f} 毫秒",
        "updated {what}: {rendered}/{pages} pages rendered, {written} files written, {ms:.0f} ms",
    ),
    "I206": _i("全部", "everything"),  # what I205 updated after a full build
    "I207": _i(
        "网站没有更新：发现 {errors} 个错误。改好文件并保存，这里会自动消失。",
        "The site was not updated: {errors} error(s). Fix the file and save; this goes away "
        "by itself.",
    ),
    "I208": _i(  # the preview's answer to a request for another site (DNS rebinding)
        "预览只回答本机地址（localhost、127.0.0.1、[::1]）的请求，不回答其他网站。",
        "The preview answers only requests for this computer's address (localhost, "
        "127.0.0.1, [::1]), not for other sites.",
    ),
    "I209": _i(
        "无法在 {host} 上启动预览：这台电脑没有 IPv6 本机地址。"
        "请去掉 --host（默认是 127.0.0.1）或改用 --host 127.0.0.1。",
        "cannot start the preview on {host}: this computer has no IPv6 loopback. "
        "Leave out --host (the default is 127.0.0.1) or use --host 127.0.0.1.",
    ),
    "I210": _i("预览回答请求时出错：{detail}", "the preview failed to answer a request: {detail}"),
    # --- import a roster (generator/tools/import_roster.py) -------------------------------
    "I301": _i("没有写入任何文件。", "nothing was written."),
    "I302": _i("旧文件备份为 {file}", "old file kept as {file}"),
    "I303": _i("跳过的行：{rows}", "rows left out: {rows}"),
    "I304": _i(
        "已导入 {people} 人、{sessions} 场 → {file}",
        "imported {people} people, {sessions} sessions → {file}",
    ),
    "I305": _i("无法识别的编码", "unknown encoding"),  # E980's reason
    "I306": _i("不认识“{suffix}”文件", "'{suffix}' is not supported"),  # E980's reason
    "I307": _i(
        "已导入 {people} 人、{duties} 项每周值日 → {file}",
        "imported {people} people, {duties} weekly duties → {file}",
    ),
    "I308": _i("这些列没有导入：{columns}", "columns not imported: {columns}"),
    "I309": _i(  # argparse's message for a --kind it does not know
        "名单种类只能是：{kinds}（写的是“{value}”）",
        "the kind is one of: {kinds} (not '{value}')",
    ),
    # --- import loan statistics (generator/tools/import_loans.py) ------------------------
    "I800": _i(
        "已导入 {loans} 次借阅（{classes} 个班、{months} 个月、{books} 本最常借的书）→ {file}",
        "imported {loans} loans ({classes} classes, {months} months, {books} top books) → {file}",
    ),
    "I801": _i(
        "读者姓名和借书证号没有写进统计文件，只记了每班借书的人数。",
        "readers' names and card numbers are not in the statistics file: only how many "
        "pupils of each class borrowed.",
    ),
    # --- start a new term (generator/tools/new_term.py) -----------------------------------
    "I401": _i("没有改动任何文件。", "nothing was changed."),
    # an item moved to the new term: where it was, where it is, when in the new term
    "I403": _i("{old} → {new}  {when}  {title}", "{old} → {new}  {when}  {title}"),
    "I404": _i(
        "{old} → {new}  第{first}–{last}周  {title}（每周）",
        "{old} → {new}  weeks {first}–{last}  {title} (weekly)",
    ),
    "I405": _i("第{week}周 {weekday}", "week {week} {weekday}"),
    "I406": _i("第{week}周", "week {week}"),
    "I407": _i("整周", "whole week"),
    "I408": _i("整月", "whole month"),
    # the weekdays, Monday first (I405's weekday)
    "I410": _i("周一", "Mon"),
    "I411": _i("周二", "Tue"),
    "I412": _i("周三", "Wed"),
    "I413": _i("周四", "Thu"),
    "I414": _i("周五", "Fri"),
    "I415": _i("周六", "Sat"),
    "I416": _i("周日", "Sun"),
    # --- new-term: what it carried, and the notes it writes into the files ---------------
    # a festival or display carried as a draft file
    "I420": _i("{old} → {new}  草稿  {title}（{from}）", "{old} → {new}  draft  {title} ({from})"),
    # a roster moved in place
    "I421": _i(
        "{file}：轮值 {rota} 条、每月主题 {themes} 个、写明的场次 {sessions} 场已顺延",
        "{file}: {rota} rota patterns, {themes} month themes, {sessions} sessions moved",
    ),
    "I422": _i(
        "上学期已归档到 {archive}；新学期 {file}：顺延活动 {events} 项、每周活动 {recurring} 项；"
        "名单 {rosters} 个（轮值 {rota} 条，写明的场次 {sessions} 场，新学期自动排出 {generated} "
        "场）；读书节 {festivals} 个、主题展示 {displays} 个带成了草稿；{todo} 项不在新学期内，"
        "写成了 TODO 注释。",
        "last term archived as {archive}; new term in {file}. Moved: {events} items, "
        "{recurring} weekly items; rosters: {rosters} ({rota} rota patterns, {sessions} "
        "sessions; {generated} sessions generated in the new term); carried as drafts: "
        "{festivals} festivals, {displays} displays; outside the new term, written as TODO "
        "comments: {todo}.",
    ),
    "I423": _i(
        "放假和调休：按国务院公布的安排填了 {closures} 段放假、{makeup} 个调休上班日。",
        "holidays: {closures} official closures and {makeup} 调休 workdays filled in from the "
        "State Council's schedule.",
    ),
    "I424": _i(
        "{years} 年的放假安排国务院还没有公布：文件里留了 TODO，公布后请补上。",
        "the State Council has not published {years}'s holidays yet: a TODO is left in the "
        "file; fill them in once published.",
    ),
    # the notes written into the files (in the site's words: Chinese)
    "I430": _i(
        "移到新学期后是 {new}，不在新学期内（{first} 至 {last}）。改成新学期里的日子后去掉下面"
        "各行开头的“# ”，用不上就删掉。",
        "moved to {new}, outside the new term ({first} to {last}). Give it a date in the new "
        "term and remove the '# ' at the start of the lines below, or delete it.",
    ),
    "I431": _i(
        "国家法定节假日按国务院公布的放假安排填写（new-term 自动填入，学校另有安排请改）；"
        "学校自己的闭馆日按教学周顺延。",
        "Official holidays as the State Council published them (filled in by new-term; change "
        "them if the school differs); the school's own closures moved by teaching week.",
    ),
    "I432": _i(
        "调休上班日按国务院公布的放假安排填写；follows 是和它调换的那一天的星期几，"
        "学校另有安排请改。",
        "调休 workdays as the State Council published them; follows is the weekday of the day "
        "off it was swapped with; change it if the school differs.",
    ),
    "I433": _i(
        "国务院还没有公布 {years} 年的放假安排，这一年的放假和调休没有填，公布后请补上。",
        "the State Council has not published {years}'s holidays: they are not filled in; add "
        "them once published.",
    ),
    "I434": _i(
        "本学期（{new}）由 python build.py new-term 从上学期（{old}）的安排生成。",
        "this term ({new}) was made by python build.py new-term from last term ({old}).",
    ),
    "I435": _i(
        "日期按教学周顺延（上学期第3周周五的活动，现在是本学期第3周周五），月份按学期开始推后的"
        "月数顺延；上学期的文件在 content/terms/ 里。请逐项核对（下面的说明文字还是上学期的）。",
        "Dates moved by teaching week (week 3's Friday is week 3's Friday), months by as many "
        "months as the term start moved; last term's file is in content/terms/. Check each item.",
    ),
    "I436": _i(
        "new-term 按教学周顺延了轮值、每月主题和场次；上学期的这个文件另存为 {file}。",
        "new-term moved the rota, month themes and sessions by teaching week; last term's "
        "version of this file is kept as {file}.",
    ),
    "I437": _i(
        "获奖结果是上学期的，没有带过来。", "the results were last term's: not carried over."
    ),
    "I438": _i(
        "草稿：由 python build.py new-term 从 {file}（上学期）带过来，日期按教学周顺延。",
        "draft: carried over by python build.py new-term from {file} (last term), dates moved "
        "by teaching week.",
    ),
    "I439": _i(
        "请核对名称、主题、日期和各项安排；用不上就删掉这个文件（上学期的还在原处）。",
        "check the name, theme, dates and each item; delete this file if it is not needed "
        "(last term's is still in place).",
    ),
    "I440": _i(
        "假期按上学期的假期顺延（从新学期最后一天的第二天起），寒假、暑假长短不同：请按校历改日子。",
        "the vacations follow last term's, moved to start the day after the new term; winter and "
        "summer differ in length: correct the dates from the school calendar.",
    ),
    # an item moved into the new term's vacation (I405's place)
    "I441": _i("{name} {weekday}", "{name} {weekday}"),
    # a monthly repeat moved (I404's words for a weekly one)
    "I442": _i(
        "{old} → {new}  第{first}–{last}周  {title}（每月）",
        "{old} → {new}  weeks {first}–{last}  {title} (monthly)",
    ),
    # --- privacy (the public build) -------------------------------------------------------
    "I501": _i(
        "隐私（公开版）：隐去 {masked} 个全名（学生 {pupils}，其中 private_names {named}；"
        "家长 {parents}），{left_out} 位不公开的人不出现；删去 {removed} 个联系方式（电话 "
        "{phone}、邮箱 {email}、身份证号 {id}）；说明文字里有 {full_names} 处全名（W900）",
        "privacy (public build): {masked} names masked ({pupils} pupils of which {named} "
        "from private_names, {parents} parents), {left_out} opted-out people left out; "
        "{removed} contacts removed ({phone} phone numbers, {email} e-mail addresses, {id} "
        "ID numbers); {full_names} full names in free text (W900)",
    ),
    # --- init: a new school's site -------------------------------------------------------
    "I701": _i(
        "新网站已建好：{folder}（{files} 个文件；学期 {term}，{first} 至 {last}）",
        "a new site is ready: {folder} ({files} files; term {term}, {first} to {last})",
    ),
    "I702": _i(
        "下一步：先读 {guide}；学期起止和放假日请按教育局的校历核对（events.yaml）。\n"
        "  cd {folder}\n  library-site serve    预览网站\n"
        "  library-site build    生成网站到 public/",
        "next: read {guide}; check the term's dates and holidays against the official "
        "calendar (events.yaml).\n"
        "  cd {folder}\n  library-site serve    preview the site\n"
        "  library-site build    build the site into public/",
    ),
}
WEEKDAYS = ("I410", "I411", "I412", "I413", "I414", "I415", "I416")  # Monday first
