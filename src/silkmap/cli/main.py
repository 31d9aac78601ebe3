"""The parser of every command and the dispatch to the command's module."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from silkmap import __version__
from silkmap.cli.args import Parser
from silkmap.cli.errors import EXIT_DATA, CliError
from silkmap.cli.output import flush_stdout, say
from silkmap.core import interrupt
from silkmap.core.oneline import shown
from silkmap.i18n import LANGUAGES, _


def build_parser() -> argparse.ArgumentParser:
    from silkmap.cli.export import add_export_parser
    from silkmap.cli.export_data import add_export_data_parser
    from silkmap.cli.info import add_info_parser

    p = Parser(prog="silkmap", description="China–Central Asia relations on a map: "
               "real boundaries, Silk Road routes and sourced facts.")
    p.add_argument("--version", action="version", version=f"silkmap {__version__}")
    p.add_argument("--lang", choices=LANGUAGES, help="interface language (default: system locale)")
    sub = p.add_subparsers(dest="command", parser_class=Parser, metavar="COMMAND")
    add_info_parser(sub)
    add_export_parser(sub)
    add_export_data_parser(sub)
    op = sub.add_parser("open", help="open a saved project (FILE.silkmap) in the window",
                        description="Open the window with a saved project: its view, language, layers, "
                        "selection, annotations and named views. 'silkmap FILE.silkmap' does the same.")
    op.add_argument("project", metavar="FILE.silkmap", help="the project file")
    return p


def with_open(argv: list[str]) -> list[str]:
    """``silkmap FILE.silkmap`` as ``silkmap open FILE.silkmap``."""
    from silkmap.core.project import SUFFIX

    i = 0
    while i < len(argv):
        a = argv[i]
        if a == "--lang":
            i += 2
            continue
        if a.startswith("-"):
            i += 1
            continue
        if a.lower().endswith(SUFFIX):
            return [*argv[:i], "open", *argv[i:]]
        return argv
    return argv


def requested_project(argv: list[str]) -> str | None:
    """The project file of ``silkmap open FILE`` (or ``silkmap FILE.silkmap``), or None."""
    try:
        args = build_parser().parse_args(with_open(argv))
    except (CliError, SystemExit):
        return None
    return args.project if args.command == "open" else None


def requested_language(argv: list[str]) -> str | None:
    """The --lang given on the command line, or None (also when the line does not parse)."""
    try:
        return build_parser().parse_args(with_open(argv)).lang
    except (CliError, SystemExit):
        return None


def _lang(args) -> str:
    from silkmap import i18n

    lang = getattr(args, "lang", None) or i18n.system_language()
    i18n.set_language(lang)
    return lang


def run(argv: list[str] | None = None) -> int | None:
    """Run a subcommand; return None when the window should open instead.

    Every way it ends is an exit status and at most one line on stderr: 0 done, 2 bad option
    or value, 3 data error, 4 output cannot be written, 128 + N stopped by signal N.
    """
    from silkmap.core.errors import DataError

    try:
        try:
            args = build_parser().parse_args(with_open(list(argv if argv is not None else sys.argv[1:])))
        except SystemExit as exc:  # --help, --version: argparse printed them
            flush_stdout()
            return exc.code if isinstance(exc.code, int) else 0
        interrupt.check()
        if args.command is None:
            if args.lang:
                _lang(args)
            return None
        if args.command == "open":
            from silkmap.core.project import load

            if not Path(args.project).exists():
                raise CliError(_("project file '{path}' does not exist").format(path=shown(args.project)))
            load(args.project)  # a broken file: one line and status 3 here, before any window
            if args.lang:
                _lang(args)
            return None
        _lang(args)
        if args.command == "info":
            from silkmap.cli.info import cmd_info

            return cmd_info(args)
        if args.command == "export":
            from silkmap.cli.export import cmd_export

            return cmd_export(args)
        if args.command == "export-data":
            from silkmap.cli.export_data import cmd_export_data

            return cmd_export_data(args)
    except CliError as exc:
        say(f"error: {exc}")
        return exc.status
    except DataError as exc:
        say(f"data error: {exc}")
        return EXIT_DATA
    except interrupt.Interrupted as exc:
        say(_("interrupted") + f" ({exc.name})")
        return exc.status
    except KeyboardInterrupt:  # handlers not installed (silkmap.cli used as a library)
        say(_("interrupted"))
        return 130
    return 0
