"""Commands: `build` (the default), `check`, `serve`. `build.py` only calls `main`."""

from __future__ import annotations

import argparse
import sys
import threading
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from generator import pipeline
from generator.errors import BuildFailed, ProblemReport
from generator.site import SETTINGS_FILE
from generator.textio import Source, read_source
from generator.values import parse_date
from generator.yamlio import parse_yaml

COMMANDS = ("build", "check", "serve")


def _today(text: str) -> date:
    try:
        return parse_date(text)
    except Exception:
        raise argparse.ArgumentTypeError(f"不是日期 / not a date: {text!r} (2026-03-10)") from None


def _parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--site",
        type=Path,
        default=Path("."),
        help="站点文件夹（有 events.yaml 的文件夹）/ the site folder (default: .)",
    )
    common.add_argument(
        "--lang",
        choices=("zh", "en"),
        default=None,
        help="提示信息的语言 / language of messages "
        "(default: `language` in content/site.yaml, else zh)",
    )
    common.add_argument(
        "--today",
        type=_today,
        default=None,
        help="把这一天当作今天，例如 2026-03-10 / build as if today were this date",
    )

    parser = argparse.ArgumentParser(
        prog="python build.py",
        description="把 events.yaml 和 content/ 生成静态网站 / build the library site.",
        parents=[common],
    )
    commands = parser.add_subparsers(dest="command", metavar="{build,check,serve}")
    build = commands.add_parser(
        "build",
        parents=[common],
        help="生成网站（默认）/ build the site (the default)",
        description="生成网站到 public/ / build the site into public/.",
    )
    build.add_argument(
        "--out", type=Path, default=None, help="输出文件夹 / output folder (default: <site>/public)"
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
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    if not any(a in COMMANDS for a in args_list) and not {"-h", "--help"} & set(args_list):
        args_list.insert(0, "build")
    args = _parser().parse_args(args_list)
    _utf8_stdio()
    today = args.today or date.today()
    root: Path = args.site
    args.lang = args.lang or site_language(root)
    if args.command == "serve":
        return _serve(args, today)
    try:
        if args.command == "check":
            site = pipeline.check(root, today)
            _print_warnings(ProblemReport(site.warnings), args.lang)
            print(
                _words(args.lang, "检查通过", "check passed")
                + f"（{len(site.warnings)} "
                + _words(args.lang, "个警告）", "warnings)")
            )
            return 0
        out = args.out or root / "public"
        result = pipeline.build(root, out, today)
    except BuildFailed as failed:
        report = failed.report
        print(report.render(args.lang), file=sys.stderr)
        n_err, n_warn = len(report.errors), len(report.warnings)
        print(
            "\n"
            + _words(
                args.lang,
                f"发现 {n_err} 个错误、{n_warn} 个警告；网站没有改动。",
                f"{n_err} error(s), {n_warn} warning(s); the site was not changed.",
            ),
            file=sys.stderr,
        )
        return 1
    _print_warnings(ProblemReport(list(result.warnings)), args.lang)
    w = result.write
    print(
        _words(
            args.lang,
            f"完成：{result.pages} 个页面，写入 {w.written} 个文件，{w.unchanged} 个未变，"
            f"删除 {w.removed} 个；{len(result.warnings)} 个警告；用时 {result.seconds:.2f} 秒"
            f" → {out}",
            f"done: {result.pages} pages, {w.written} files written, {w.unchanged} unchanged, "
            f"{w.removed} removed; {len(result.warnings)} warnings; {result.seconds:.2f} s"
            f" → {out}",
        )
    )
    return 0


def site_language(root: Path) -> str:
    """`language:` in content/site.yaml when it can be read at all (even if the file has other
    problems, its messages should come in the school's language), else zh."""
    source = read_source(root / SETTINGS_FILE, SETTINGS_FILE)
    if isinstance(source, Source):
        marked, _ = parse_yaml(source)
        value = marked.data.get("language") if isinstance(marked.data, dict) else None
        if isinstance(value, str) and value.strip().lower().startswith("en"):
            return "en"
    return "zh"


def _serve(args: argparse.Namespace, today: date) -> int:
    from generator.preview import LivePreview

    if args.host not in ("127.0.0.1", "localhost", "::1"):
        print(
            _words(
                args.lang,
                f"注意：--host {args.host} 让同一网络里的其他电脑也能打开预览。",
                f"warning: --host {args.host} lets other computers on the network see the preview.",
            ),
            file=sys.stderr,
        )
    try:
        preview = LivePreview(
            args.site,
            host=args.host,
            port=args.port,
            out=args.out,
            today=args.today,
            lang=args.lang,
        )
    except OSError as exc:
        print(
            _words(
                args.lang,
                f"无法在端口 {args.port} 上启动预览：{exc}",
                f"cannot start the preview on port {args.port}: {exc}",
            ),
            file=sys.stderr,
        )
        return 1
    try:
        preview.start()
        print(
            _words(
                args.lang,
                f"预览地址：{preview.url}（按 Ctrl+C 结束）",
                f"preview at {preview.url} (Ctrl+C to stop)",
            ),
            flush=True,
        )
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        preview.stop()
    return 0


def _print_warnings(report: ProblemReport, lang: str) -> None:
    if report.problems:
        print(report.render(lang) + "\n", file=sys.stderr)


def _words(lang: str, zh: str, en: str) -> str:
    return en if lang == "en" else zh


def _utf8_stdio() -> None:
    """Chinese Windows consoles default to GBK; our messages are UTF-8 text."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure:
            reconfigure(encoding="utf-8", errors="replace")
