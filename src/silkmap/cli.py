"""The command line: window by default, `info`, `export`, `--version`."""

from __future__ import annotations

import argparse
import json
import sys

from silkmap import __version__
from silkmap.i18n import LANGUAGES, _

EXIT_USAGE = 2
EXIT_DATA = 3


class CliError(Exception):
    """A bad command-line value: one line on stderr, exit status 2."""

    def __init__(self, message: str, status: int = EXIT_USAGE) -> None:
        super().__init__(message)
        self.status = status


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # one line, not usage + error
        raise CliError(f"{message} (see 'silkmap {self._sub_name()}--help')")

    def _sub_name(self) -> str:
        parts = self.prog.split()
        return (" ".join(parts[1:]) + " ") if len(parts) > 1 else ""


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(prog="silkmap", description="China–Central Asia relations on a map: "
                "real boundaries, Silk Road routes and sourced facts.")
    p.add_argument("--version", action="version", version=f"silkmap {__version__}")
    p.add_argument("--lang", choices=LANGUAGES, help="interface language (default: system locale)")
    sub = p.add_subparsers(dest="command", parser_class=_Parser, metavar="COMMAND")
    info = sub.add_parser("info", help="print a country's profile with its sources")
    info.add_argument("iso3", metavar="ISO3", help="country code: KAZ, KGZ, TJK, TKM, UZB or CHN")
    info.add_argument("--json", action="store_true", help="machine-readable JSON output")
    info.add_argument("--lang", choices=LANGUAGES, default=argparse.SUPPRESS,
                      help="language of names and texts")
    from silkmap.export_cli import add_export_parser

    add_export_parser(sub)
    return p


def _lang(args) -> str:
    from silkmap import i18n

    lang = getattr(args, "lang", None) or i18n.system_language()
    i18n.set_language(lang)
    return lang


def run(argv: list[str] | None = None) -> int | None:
    """Run a subcommand; return None when the window should open instead."""
    from silkmap.core.errors import DataError

    parser = build_parser()
    try:
        args = parser.parse_args(argv)
        if args.command is None:
            if args.lang:
                _lang(args)
            return None
        _lang(args)
        if args.command == "info":
            return cmd_info(args)
        if args.command == "export":
            from silkmap.export_cli import cmd_export

            return cmd_export(args)
    except CliError as exc:
        print(f"silkmap: error: {exc}", file=sys.stderr)
        return exc.status
    except DataError as exc:
        print(f"silkmap: data error: {exc}", file=sys.stderr)
        return EXIT_DATA
    except KeyboardInterrupt:
        print("silkmap: " + _("interrupted"), file=sys.stderr)
        return 130
    return 0


def check_country(atlas, code: str) -> str:
    iso3 = code.upper()
    if iso3 not in atlas.profiles:
        raise CliError(_("unknown country code '{code}' (expected one of {codes})").format(
            code=code, codes=", ".join(sorted(atlas.profiles))))
    return iso3


def cmd_info(args) -> int:
    from silkmap.core.atlas import load_atlas
    from silkmap.profile_report import profile_json, profile_text

    atlas = load_atlas()
    iso3 = check_country(atlas, args.iso3)
    if args.json:
        json.dump(profile_json(atlas, iso3), sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        sys.stdout.write(profile_text(atlas, iso3))
    return 0
