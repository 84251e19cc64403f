"""Commands: `build` (the default), `check`, `serve`. `build.py` only calls `main`."""

from __future__ import annotations

import argparse
import contextlib
import gc
import os
import re
import sys
import threading
from collections.abc import Iterator, Sequence
from datetime import date
from pathlib import Path
from typing import Any, NoReturn

from generator import interrupt, pipeline
from generator.helpformat import Parser
from generator.problems.messages import language, say
from generator.problems.problem import BuildFailed, ProblemReport
from generator.read.peek import peek_language
from generator.write import output

# Only light modules are imported here (the others when a command needs them), so a build
# with nothing to do answers at once.

FULL_COLLECTIONS_RARER = 100  # see `_collector`
COMMANDS = ("build", "check", "serve", "pdf", "import", "import-loans", "new-term", "init")


def _today(text: str) -> date:
    if len(text) == 10 and text[4] == text[7] == "-" and text.replace("-", "").isdigit():
        try:  # 2026-03-10 at once (Python's fromisoformat alone takes 2026-W10-2 too)
            return date.fromisoformat(text)
        except ValueError:
            pass
    from generator.model.values import parse_date

    try:
        return parse_date(text)
    except Exception:
        raise argparse.ArgumentTypeError(f"不是日期 / not a date: {text!r} (2026-03-10)") from None


def _common(defaults: bool) -> Parser:
    """The options every command takes. They may come before the command or after it; the
    commands' copies have no defaults, so `--site X build` is not undone by `build`'s own
    default (argparse lets a subcommand's defaults overwrite what was parsed before it)."""

    def default(value: object) -> object:
        return value if defaults else argparse.SUPPRESS

    common = Parser(add_help=False)
    common.add_argument(
        "--site",
        type=Path,
        default=default(Path(".")),
        help="站点文件夹（有 events.yaml 的文件夹）/ the site folder (default: .)",
    )
    common.add_argument(
        "--lang",
        choices=("zh", "en"),
        default=default(None),
        help="提示信息的语言 / language of messages "
        "(default: `language` in content/site.yaml, else zh)",
    )
    common.add_argument(
        "--today",
        type=_today,
        default=default(None),
        help="把这一天当作今天，例如 2026-03-10 / build as if today were this date",
    )
    return common


def _prog() -> str:
    """The command as the user typed it: the installed script, the module or build.py."""
    name = Path(sys.argv[0]).stem
    return {"library-site": "library-site", "__main__": "python -m generator"}.get(
        name, "python build.py"
    )


def _parser() -> argparse.ArgumentParser:
    common = _common(defaults=False)
    parser = Parser(
        prog=_prog(),
        description="把 events.yaml 和 content/ 生成静态网站 / build the library site.",
        parents=[_common(defaults=True)],
    )
    commands = parser.add_subparsers(dest="command", metavar="{" + ",".join(COMMANDS) + "}")
    build = commands.add_parser(
        "build",
        parents=[common],
        help="生成网站（默认）/ build the site (the default)",
        description="生成网站到 public/ / build the site into public/.",
    )
    pdf = commands.add_parser(
        "pdf",
        parents=[common],
        help="生成网站，并给每个可打印的页面做一个 PDF / build, with a PDF of each printable page",
        description="生成网站，并用电脑上的 Chromium、Chrome 或 Edge 给每个可打印的页面"
        "（月历、校历、名单签到表、班级……）做一个 PDF，放在页面旁边，页面上有“下载 PDF”。"
        " / Build the site and print a PDF of each printable page beside it.",
    )
    for command in (build, pdf):
        command.add_argument(
            "--out",
            type=Path,
            default=None,
            help="输出文件夹 / output folder (default: <site>/public)",
        )
        command.add_argument(
            "--public",
            action="store_true",
            help="公开版：学生和家长不显示全名，去掉电话、邮箱、身份证号和不公开的人"
            "（也可以在 content/site.yaml 写 public: 是）/ "
            "a build for a public web host: no full names of pupils or parents, no contacts",
        )
    build.add_argument(
        "--pdf",
        action="store_true",
        help="同时做 PDF（和 pdf 命令一样）/ also print the PDFs (as the pdf command does)",
    )
    commands.add_parser(
        "check",
        parents=[common],
        help="只检查，不生成 / validate everything, write nothing",
        description="检查所有文件，列出全部问题，不写任何文件。",
    )
    serve = commands.add_parser(
        "serve",
        parents=[common],
        help="预览：保存文件后浏览器自动刷新 / live preview",
        description="生成并预览网站；改了文件保存后，打开的页面自动更新。按 Ctrl+C 结束。",
    )
    serve.add_argument("--port", type=int, default=8000, help="端口 / port (default: 8000)")
    serve.add_argument(
        "--host",
        default="127.0.0.1",
        help="只在本机打开（默认）；0.0.0.0 让同一网络的电脑也能打开 / "
        "address to listen on (default: 127.0.0.1, this computer only)",
    )
    serve.add_argument(
        "--out",
        type=Path,
        default=None,
        help="预览文件夹 / preview folder (default: a temporary folder, never public/)",
    )
    _add_import_and_new_term(commands, common)
    _add_init(commands)
    return parser


def _add_init(commands: Any) -> None:
    init = commands.add_parser(
        "init",
        parents=[_common(defaults=False)],
        help="建一个新学校的网站 / make a new school's site",
        description="在一个新的（或空的）文件夹里建好新学校的网站：设置、下一个学期的校历、"
        "每种内容的示例、编辑器提示文件和使用说明，马上就能生成。"
        " / Make a new school's site in a new or empty folder; it builds at once.",
    )
    init.add_argument("folder", type=Path, help="新网站的文件夹 / the new site's folder")
    init.add_argument(
        "--school",
        default="我们的学校",
        help="学校名称，例如 星光小学 / the school's name",
    )
    init.add_argument(
        "--library",
        default="图书馆",
        help="图书馆名称，例如 星光小学图书馆 / the library's name",
    )


def _add_import_and_new_term(commands: Any, common: Parser) -> None:
    imp = commands.add_parser(
        "import",
        parents=[common],
        help="从表格导入名单 / import a roster from a spreadsheet",
        description="把 Excel（.xlsx）或 CSV 表格导入为 content/rosters/<编号>.yaml。"
        "表头可以写中文或英文（日期、时间、班级、家长、故事、电话、姓名……）。"
        " / Import an .xlsx or .csv sheet as content/rosters/<id>.yaml.",
    )
    imp.add_argument("file", type=Path, help="表格文件 / the .xlsx or .csv file")
    imp.add_argument(
        "--roster", required=True, type=_slug, help="名单编号，例如 story-parents / roster id"
    )
    imp.add_argument(
        "--kind",
        type=_kind,
        default="story_parents",
        help="名单种类：故事爸妈团、故事哥哥姐姐、小管、家长义工、阅读课（或 story_parents、"
        "story-parents …）/ roster kind (default: story_parents)",
    )
    imp.add_argument("--name", default=None, help="名单名称 / roster name (default: the kind)")
    imp.add_argument(
        "--force",
        action="store_true",
        help="覆盖已有的名单（旧文件另存为 .bak）/ replace an existing roster, keeping a backup",
    )
    imp.add_argument(
        "--skip-bad",
        action="store_true",
        help="跳过有问题的行，导入其余的行 / leave out the bad rows and import the rest",
    )
    loans = commands.add_parser(
        "import-loans",
        parents=[common],
        help="从图书馆系统导出的借阅记录生成借阅统计 / loan statistics from a library export",
        description="把借阅记录（每次借阅一行：日期、班级、读者或借书证号、书名、条码……）"
        "或按班按月的汇总表（班级、月份、借阅册数）导入为 content/stats/<学期编号>.yaml。"
        "只记数字，不记读者的名字。"
        " / Count a library system's loans (or a table of totals per class and month) into "
        "content/stats/<term-id>.yaml: numbers only, never a reader's name.",
    )
    loans.add_argument("file", type=Path, help="表格文件 / the .xlsx or .csv file")
    loans.add_argument(
        "--term",
        type=_slug,
        default=None,
        help="学期编号，例如 2025-2026-1（默认：借阅日期所在的学期）"
        " / term id (default: the term the dates fall in)",
    )
    loans.add_argument(
        "--force",
        action="store_true",
        help="覆盖已有的统计文件（旧文件另存为 .bak）/ replace an existing file, keeping a backup",
    )
    new = commands.add_parser(
        "new-term",
        parents=[common],
        help="开始新学期 / start a new term from this one",
        description="把 events.yaml 归档到 content/terms/，按教学周顺延生成新学期的 events.yaml。"
        " / Archive events.yaml and start the next term, shifted by teaching week.",
    )
    new.add_argument(
        "--first-day", required=True, type=_today, help="新学期第一天 / first day, e.g. 2026-09-01"
    )
    new.add_argument("--name", required=True, help="学期名称，例如 2026学年第一学期 / term name")
    new.add_argument(
        "--id", type=_slug, default=None, help="学期编号 / term id (default: from the name)"
    )
    new.add_argument(
        "--last-day",
        type=_today,
        default=None,
        help="新学期最后一天 / last day (default: as many weeks as this term)",
    )
    new.add_argument(
        "--carry",
        type=_carry,
        default=("festivals", "displays"),
        help="把上学期的读书节、主题展示带成新学期的草稿：festivals,displays（默认两样都带）"
        "或 none / carry last term's festivals and displays as drafts (default: both; none)",
    )
    new.add_argument(
        "--no-carry",
        dest="carry",
        action="store_const",
        const=(),
        help="读书节和主题展示都不带，留在上学期 / carry neither (= --carry none)",
    )


_CARRY_WORDS = {
    "festivals": "festivals",
    "festival": "festivals",
    "读书节": "festivals",
    "displays": "displays",
    "display": "displays",
    "主题展示": "displays",
    "展示": "displays",
}


def _carry(text: str) -> tuple[str, ...]:
    """`festivals,displays`, `读书节，主题展示`, `none`: the kinds new-term carries over."""
    words = [w.strip().lower() for w in re.split(r"[,，、\s]+", text) if w.strip()]
    if words in ([], ["none"], ["无"]):
        return ()
    unknown = [w for w in words if w not in _CARRY_WORDS]
    if unknown:
        raise argparse.ArgumentTypeError(
            f"不认识“{'、'.join(unknown)}”：可以写 festivals、displays 或 none "
            f"/ unknown: {', '.join(unknown)} (festivals, displays or none)"
        )
    return tuple(dict.fromkeys(_CARRY_WORDS[w] for w in words))


def _slug(text: str) -> str:
    from generator.model.values import parse_slug

    try:
        return parse_slug(text)
    except Exception:
        raise argparse.ArgumentTypeError(
            f"只能用小写英文字母、数字和连字符 / lowercase letters, digits, hyphens: {text!r}"
        ) from None


def _kind(text: str) -> str:
    """`--kind`: the key (`story_parents`, `story-parents`) or the Chinese name (`小管`)."""
    from generator.model.roster import ROSTER_KINDS
    from generator.tools.import_roster import parse_kind

    kind = parse_kind(text)
    if kind is None:
        kinds = {"zh": "、".join(f"{k}（{n}）" for k, n in ROSTER_KINDS.items())}
        kinds["en"] = ", ".join(f"{k} ({n})" for k, n in ROSTER_KINDS.items())
        zh, en = (say("I309", lang, kinds=kinds, value=text) for lang in ("zh", "en"))
        raise argparse.ArgumentTypeError(f"{zh} / {en}")
    return kind


def run() -> NoReturn:
    """`python build.py …`: `main`, then exit without tearing down every module and object
    (a twentieth of a second after a build). Nothing is left for the teardown to do: every
    file is closed, the temporary folder is gone and the worker processes are joined before
    `main` returns. An unexpected error still ends the usual way, with its traceback."""
    code = main()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


def main(argv: Sequence[str] | None = None) -> int:
    """Every command, with Ctrl+C and SIGTERM as one plain line and exit code 130 or 143:
    the writer removes its new folder on the way out and the old site stays as it was."""
    args_list = list(sys.argv[1:] if argv is None else argv)
    if not any(a in COMMANDS for a in args_list) and not {"-h", "--help"} & set(args_list):
        args_list.insert(0, "build")
    args = _parser().parse_args(args_list)
    _utf8_stdio()
    lang = args.lang or "zh"  # until content/site.yaml has been read
    with interrupt.handling():
        try:
            args.lang = lang = args.lang or peek_language(args.site)
            with _collector(args.command):
                code = _command(args)
            interrupt.finished()
            return code
        except (interrupt.Interrupted, KeyboardInterrupt) as stop:
            code = stop.exit_code if isinstance(stop, interrupt.Interrupted) else 130
            # the swap is never cut in half: the site is the old one, or the whole new one
            # (the preview writes only its own folder, never the site: always I105)
            done = interrupt.site_changed() and args.command != "serve"
            words = say("I106" if done else "I105", lang)
            print(words, file=sys.stderr, flush=True)
            return code


@contextlib.contextmanager
def _collector(command: str) -> Iterator[None]:
    """A build's objects (the modules, the site, its plan) live until it ends, and each of
    the collector's full passes walks them all to find next to nothing: a one-off command
    runs them a hundred times more rarely (the young generations, where cycles die, are
    collected as before). The preview runs for hours and keeps Python's setting."""
    if command == "serve":
        yield
        return
    young, middle, full = gc.get_threshold()
    gc.set_threshold(young, middle, full * FULL_COLLECTIONS_RARER)
    try:
        yield
    finally:
        gc.set_threshold(young, middle, full)


def _command(args: argparse.Namespace) -> int:
    today = args.today or date.today()
    root: Path = args.site
    if args.command == "serve":
        return _serve(args, today)
    if args.command == "import":
        return _import(args, today)
    if args.command == "import-loans":
        return _import_loans(args)
    if args.command == "new-term":
        return _new_term(args, today)
    if args.command == "init":
        return _init(args, today)
    try:
        if args.command == "check":
            site = pipeline.check(root, today)
            _print_warnings(ProblemReport(site.warnings), args.lang)
            print(say("I101", args.lang, warnings=len(site.warnings)))
            return 0
        out = args.out or root / "public"
        pdf = args.command == "pdf" or getattr(args, "pdf", False)
        result = pipeline.build(root, out, today, public=args.public, pdf=pdf)
    except BuildFailed as failed:
        report = failed.report
        print(report.render(args.lang), file=sys.stderr)
        n_err, n_warn = len(report.errors), len(report.warnings)
        changed = isinstance(failed, output.WriteFailed) and failed.state != output.UNTOUCHED
        summary = "I126" if changed else "I102"
        print("\n" + say(summary, args.lang, errors=n_err, warnings=n_warn), file=sys.stderr)
        return 1
    _print_warnings(ProblemReport(list(result.warnings)), args.lang)
    if result.privacy is not None:
        print(result.privacy.render(args.lang))
    w = result.write
    print(
        say(
            "I103",
            args.lang,
            pages=result.pages,
            written=w.written,
            unchanged=w.unchanged,
            removed=w.removed,
            warnings=len(result.warnings),
            seconds=result.seconds,
            out=out,
        )
    )
    if w.kept is not None:
        print(say("I104", args.lang, kept=w.kept))
    if result.pdfs:
        print(say("I760", args.lang, count=result.pdfs))
    return 0


def _serve(args: argparse.Namespace, today: date) -> int:
    from generator.serve.preview import LivePreview
    from generator.serve.server import NoIPv6Loopback

    if args.host not in ("127.0.0.1", "localhost", "::1", "[::1]"):
        print(say("I201", args.lang, host=args.host), file=sys.stderr)
    try:
        preview = LivePreview(
            args.site,
            host=args.host,
            port=args.port,
            out=args.out,
            today=args.today,
            lang=args.lang,
        )
    except NoIPv6Loopback:
        print(say("I209", args.lang, host=args.host), file=sys.stderr)
        return 1
    except OSError as exc:
        print(say("I202", args.lang, port=args.port, reason=exc), file=sys.stderr)
        return 1
    try:
        preview.start()
        # The server's own URL: an IPv6 address needs its brackets to be clickable.
        print(say("I203", args.lang, url=preview.httpd.url), flush=True)
        threading.Event().wait()
    finally:
        preview.stop()
    return 0


def _import(args: argparse.Namespace, today: date) -> int:
    from generator.tools.import_roster import import_roster

    result = import_roster(
        args.site,
        args.file,
        args.roster,
        kind=args.kind,
        name=args.name,
        force=args.force,
        skip_bad=args.skip_bad,
        today=today,
    )
    report = ProblemReport(result.problems)
    if report.problems:
        print(report.render(args.lang) + "\n", file=sys.stderr)
    if result.written is None:
        print(say("I301", args.lang), file=sys.stderr)
        return 1
    if result.backup:
        print(say("I302", args.lang, file=result.backup))
    if result.skipped:
        rows = ", ".join(map(str, result.skipped))
        print(say("I303", args.lang, rows=rows))
    if result.ignored:
        lang = language(args.lang)
        columns = ("、" if lang == "zh" else ", ").join(c[lang] for c in result.ignored)
        print(say("I308", args.lang, columns=columns))
    if result.duties:
        summary = say(
            "I307", args.lang, people=result.people, duties=result.duties, file=result.written
        )
    else:
        summary = say(
            "I304", args.lang, people=result.people, sessions=result.sessions, file=result.written
        )
    print(summary)
    return 0


def _import_loans(args: argparse.Namespace) -> int:
    from generator.tools.import_loans import import_loans

    result = import_loans(args.site, args.file, term_id=args.term, force=args.force)
    report = ProblemReport(result.problems)
    if report.problems:
        print(report.render(args.lang) + "\n", file=sys.stderr)
    if result.written is None:
        print(say("I301", args.lang), file=sys.stderr)
        return 1
    if result.backup:
        print(say("I302", args.lang, file=result.backup))
    if result.readers_counted:
        print(say("I801", args.lang))
    print(
        say(
            "I800",
            args.lang,
            loans=result.loans,
            classes=result.classes,
            months=result.months,
            books=result.books,
            file=result.written,
        )
    )
    return 0


def _new_term(args: argparse.Namespace, today: date) -> int:
    from generator.tools.new_term import new_term

    result = new_term(
        args.site, args.first_day, args.name, args.id, args.last_day, today, args.carry
    )
    for line in result.shifted:
        print("  " + line.say(args.lang))
    report = ProblemReport(result.problems)
    if report.problems:
        print(report.render(args.lang) + "\n", file=sys.stderr)
    if result.written is None:
        print(say("I401", args.lang), file=sys.stderr)
        return 1
    c = result.carried
    print(say("I423", args.lang, closures=c.official_closures, makeup=c.official_makeup))
    if c.unpublished:
        print(say("I424", args.lang, years=[str(y) for y in c.unpublished]))
    print(
        say(
            "I422",
            args.lang,
            archive=result.archive,
            file=result.written,
            events=c.events,
            recurring=c.recurring,
            rosters=c.rosters,
            rota=c.rota,
            sessions=c.sessions,
            generated=c.generated,
            festivals=c.festivals,
            displays=c.displays,
            todo=c.todo,
        )
    )
    return 0


def _init(args: argparse.Namespace, today: date) -> int:
    from generator.tools.init_site import init_site

    result = init_site(args.folder, args.school, args.library, today)
    if result.problems or result.term is None:
        print(ProblemReport(result.problems).render(args.lang), file=sys.stderr)
        return 1
    term = result.term
    print(
        say(
            "I701",
            args.lang,
            folder=args.folder,
            files=len(result.written),
            term=term.name,
            first=term.first_day,
            last=term.last_day,
        )
    )
    print(say("I702", args.lang, folder=args.folder, guide=args.folder / "使用说明.md"))
    return 0


def _print_warnings(report: ProblemReport, lang: str) -> None:
    if report.problems:
        print(report.render(lang) + "\n", file=sys.stderr)


def _utf8_stdio() -> None:
    """Chinese Windows consoles default to GBK; our messages are UTF-8 text."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure:
            reconfigure(encoding="utf-8", errors="replace")
