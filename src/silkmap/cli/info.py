"""`silkmap info`: a country's profile with its sources, as text or JSON."""

from __future__ import annotations

import argparse
import json

from silkmap.cli.args import country
from silkmap.cli.output import encodes, write_stdout
from silkmap.core import interrupt
from silkmap.i18n import LANGUAGES


def add_info_parser(sub) -> None:
    p = sub.add_parser("info", help="print a country's profile with its sources")
    p.add_argument("iso3", metavar="ISO3", help="country code: KAZ, KGZ, TJK, TKM, UZB or CHN")
    p.add_argument("--json", action="store_true", help="machine-readable JSON output")
    p.add_argument("--lang", choices=LANGUAGES, default=argparse.SUPPRESS,
                   help="language of names and texts")


def cmd_info(args) -> int:
    from silkmap.cli.profile_report import profile_json, profile_text
    from silkmap.core.atlas import load_atlas

    atlas = load_atlas()
    iso3 = country(atlas, args.iso3)
    if args.json:
        data = profile_json(atlas, iso3)
        if not atlas.profiles[iso3].is_china:
            from silkmap.cli.measures_report import cited, measures_json

            data.update(measures_json(atlas, iso3))
            for sid in cited(data):
                s = atlas.sources[sid]
                data["sources"].setdefault(sid, {"publisher": s.publisher, "title": s.title, "date": s.date,
                                                 "url": s.url})
        text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
        if not encodes(text):  # JSON's own escapes where the terminal's encoding lacks a character
            text = json.dumps(data, ensure_ascii=True, indent=2) + "\n"
    else:
        text = profile_text(atlas, iso3)
    interrupt.check()
    write_stdout(text)
    return 0
