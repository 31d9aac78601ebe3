"""`silkmap export-data DIR`: the data behind the map in open formats (core/export_data.py)."""

from __future__ import annotations

from pathlib import Path

from silkmap.cli.errors import EXIT_WRITE, CliError
from silkmap.cli.output import say
from silkmap.core.oneline import shown
from silkmap.i18n import _


def add_export_data_parser(sub) -> None:
    from silkmap.core.export_data import FILES

    p = sub.add_parser(
        "export-data", help="write the data as GeoJSON and CSV files into a folder",
        description="Write the countries, places, routes and projects as GeoJSON (RFC 7946, "
        "WGS 84, names in English, simplified and traditional Chinese, status, dates and source "
        "ids), the measures in long form and the sources as CSV into DIR: " + ", ".join(FILES) + ".",
        epilog="DIR is created if it does not exist. An existing folder that is not empty is "
        "refused unless --overwrite is given; then only these files are replaced and anything "
        "else in it is left alone. The files are written to a temporary folder first: on any "
        "error, a full disk or Ctrl+C nothing half-written is left. Exit status: 0 written, "
        "2 bad option, 3 data error, 4 cannot write DIR, 130/143/129 stopped by SIGINT/SIGTERM/SIGHUP.")
    p.add_argument("dir", metavar="DIR", help="the folder to write the files into")
    p.add_argument("--overwrite", action="store_true", help="replace the data files in a folder that is not empty")


def cmd_export_data(args) -> int:
    from silkmap.core.atlas import load_atlas
    from silkmap.core.export_data import ExportDataError, folder_problem, write_data

    folder = Path(args.dir)
    problem = folder_problem(folder, args.overwrite)  # before the data is read: a bad DIR fails at once
    if problem:
        raise CliError(problem, status=EXIT_WRITE)
    atlas = load_atlas()
    try:
        written = write_data(atlas, folder, overwrite=args.overwrite)
    except ExportDataError as exc:
        raise CliError(str(exc), status=EXIT_WRITE) from None
    say(_("wrote {n} files to {path}").format(n=len(written), path=shown(folder)))
    return 0
