"""`silkmap export`: the map as PNG, SVG or PDF, with no display needed."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from silkmap.cli.args import country, dpi, pixel_size, year, year_range
from silkmap.cli.errors import EXIT_WRITE, CliError
from silkmap.cli.output import say
from silkmap.core import interrupt
from silkmap.core.oneline import shown
from silkmap.core.state import LAYERS, default_layers
from silkmap.i18n import _

DEFAULT_SIZE = (1920, 1080)


def add_export_parser(sub) -> None:
    from silkmap.i18n import LANGUAGES
    from silkmap.render.limits import MAX_DPI, MAX_PIXELS, PRESET_HELP

    p = sub.add_parser(
        "export", help="write the map to a PNG, SVG or PDF file (no display needed)",
        description="Write the map to OUT without opening a window. The format follows OUT's "
        "suffix: .png (raster, with title/source/projection text chunks), .svg or .pdf (vector). "
        "The map shows the whole region, drawn by the same renderer as the window.",
        epilog=f"Limits: each side 1..{MAX_PIXELS} pixels; dpi 24..{MAX_DPI}. "
        "An existing OUT is not overwritten unless --overwrite is given. "
        "The file is written atomically, with your umask's permissions: on any error, a full "
        "disk, Ctrl+C, SIGTERM or SIGHUP no partial or temporary file is left. "
        "Exit status: 0 written, 2 bad option or value, 3 data error (also a malformed --add-layer "
        "file), 4 cannot write OUT, "
        "130/143/129 stopped by SIGINT/SIGTERM/SIGHUP.")
    p.add_argument("out", metavar="OUT", help="output file: NAME.png, NAME.svg or NAME.pdf")
    p.add_argument("--size", metavar="WxH", help="pixel size, e.g. 1920x1080 (default: the preset's, "
                   "else 1920x1080)")
    p.add_argument("--dpi", type=dpi, metavar="N",
                   help="resolution in dots per inch; symbols and text scale with it (default 96; a4: 300)")
    p.add_argument("--preset", metavar="NAME", help=f"size preset: {PRESET_HELP}")
    p.add_argument("--select", metavar="ISO3", help="highlight a country: KAZ, KGZ, TJK, TKM, UZB or CHN")
    p.add_argument("--layers", metavar="LIST",
                   help=f"comma-separated layers to show (default: all but graticule): {', '.join(LAYERS)}")
    p.add_argument("--year", type=year, metavar="YYYY",
                   help="the map as of that year (1992..2025, or 'era' for the Silk Road era; default: the latest); "
                   "the title and the footer say which")
    p.add_argument("--years", type=year_range, metavar="A-B",
                   help="an animation, one frame per year from A to B with a year caption, legend and sources: "
                   "OUT.gif, or APNG as OUT.apng or OUT.png (default size 1280x720)")
    p.add_argument("--measure", metavar="ID",
                   help="colour the five partners by a measure: trade, exports, imports, share, per_person, "
                   "balance, bri_projects or level (default: level, the partnership)")
    p.add_argument("--scheme", metavar="NAME",
                   help="the measure's classes: quantiles, natural (Fisher-Jenks) or equal (interval); "
                   "default quantiles, or your --breaks")
    p.add_argument("--classes", metavar="K", help="number of classes, 2..7 (default 5)")
    p.add_argument("--breaks", metavar="A,B,C",
                   help="your own class breaks (upper bounds, increasing); the top class runs to the largest value")
    p.add_argument("--per-year", action="store_true",
                   help="classes from the year shown alone (default: from every year, so years compare)")
    p.add_argument("--title", metavar="TEXT", default="", help="title printed above the map")
    p.add_argument("--no-legend", action="store_true", help="leave out the legend")
    p.add_argument("--no-scale-bar", action="store_true", help="leave out the scale bar")
    p.add_argument("--no-footer", action="store_true",
                   help="leave out the source footer (the PNG text chunks still carry the sources)")
    p.add_argument("--project", metavar="FILE.silkmap",
                   help="draw a saved project: its view, language, layers, selection and annotations "
                   "(options given here override it)")
    p.add_argument("--add-layer", metavar="FILE", action="append", default=[],
                   help="draw FILE over the map: GeoJSON, CSV with lat/lon or WKT columns, KML/KMZ, "
                   "GeoPackage or Shapefile (repeatable; later ones on top)")
    p.add_argument("--overwrite", action="store_true", help="replace OUT if it exists")
    p.add_argument("--lang", choices=LANGUAGES, default=argparse.SUPPRESS, help="language of the map's text")


def cmd_export(args) -> int:
    from silkmap.render.limits import (ANIMATION_SIZE, PRESETS, animation_problem, format_problem, size_problem,
                                       target_problem)

    out = Path(args.out)
    years = None
    if args.years is not None:
        if args.year is not None:
            raise CliError(_("give either --year or --years, not both"))
        years = list(range(args.years[0], args.years[1] + 1))
    else:
        problem = format_problem(out)
        if problem:
            raise CliError(problem)
    width, height, dpi = (ANIMATION_SIZE if years else DEFAULT_SIZE) + (96,)
    # An empty value ('--preset ""') is a bad value, not "not given".
    if args.preset is not None:
        if args.preset not in PRESETS:
            raise CliError(_("unknown preset '{name}' (expected one of {names})").format(
                name=shown(args.preset), names=", ".join(PRESETS)))
        width, height, dpi = PRESETS[args.preset]
    if args.size is not None:
        width, height = pixel_size(args.size)
    if args.dpi is not None:
        dpi = args.dpi
    problem = size_problem(width, height, dpi)
    if problem:
        raise CliError(problem)
    if years is not None:
        problem = animation_problem(out, len(years), width, height)
        if problem:
            raise CliError(problem)
    layers = default_layers()
    if args.layers is not None:
        wanted = [x.strip() for x in args.layers.split(",") if x.strip()]
        unknown = [x for x in wanted if x not in LAYERS]
        if unknown:
            raise CliError(_("unknown layer '{name}' (expected some of {names})").format(
                name=shown(unknown[0]), names=", ".join(LAYERS)))
        layers = {name: name in wanted for name in LAYERS}
    project = _project(args)
    measure, classification = measure_options(args, project)
    if project is not None and args.layers is None and project.layers:
        layers.update({k: v for k, v in project.layers.items() if k in layers})
    problem = target_problem(out)
    if problem:
        raise CliError(problem, status=EXIT_WRITE)
    if out.exists() and not args.overwrite:
        raise CliError(_("'{path}' exists; pass --overwrite to replace it").format(path=shown(out)),
                       status=EXIT_WRITE)

    user_layers = _project_user_layers(project) + load_user_layers(args.add_layer)

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QGuiApplication

    interrupt.check()  # each step of the start-up takes a while: act on a signal between them
    app = QGuiApplication.instance() or QGuiApplication(["silkmap"])  # noqa: F841 — fonts need it
    from silkmap.render.fonts import register_fonts

    register_fonts()
    interrupt.check()
    from silkmap.core.atlas import load_atlas
    from silkmap.core.state import Selection
    from silkmap.render.export import ExportError, ExportSpec, MapExporter
    from silkmap.core.atlas import home_bounds

    interrupt.check()
    atlas = load_atlas()
    selection = None
    extent = home_bounds(atlas)
    if project is not None:
        from silkmap.core.project import known_selection

        selection = known_selection(atlas, project.selection)
        if project.view is not None:
            extent = project.view.extent()
    if args.select is not None:
        selection = Selection("country", country(atlas, args.select))
    title = args.title
    saved_year = project.view.year if project is not None and project.view is not None else None
    if saved_year is not None:
        from silkmap.core.timeline import LAST_YEAR

        saved_year = None if saved_year == LAST_YEAR else saved_year  # the latest: today's map, untitled
    year = args.year if args.year is not None else saved_year
    if year is not None:
        from silkmap.render.year_style import year_text

        when = year_text(year)
        title = (f"{title} ({when})" if when not in title else title) if title else \
            _("China and Central Asia in {year}").format(year=when)
    spec = ExportSpec(width=width, height=height, dpi=dpi, title=title,
                      legend=not args.no_legend, scale_bar=not args.no_scale_bar,
                      footer=not args.no_footer, selection=selection, layers=layers, year=year,
                      user_layers=user_layers,
                      annotations=project.annotations if project is not None else (),
                      measure=measure, classification=classification)
    try:
        _dated_or_fail(atlas, spec.year, years)
        _measures_or_fail(atlas, spec.measure)
        exporter = MapExporter(atlas)
        if years is not None:
            from silkmap.render.animation import export_animation

            fmt = "gif" if out.suffix.lower() == ".gif" else "apng"
            export_animation(exporter, spec, extent, years, out, fmt)
        else:
            exporter.export(spec, extent, out)
    except ExportError as exc:
        raise CliError(str(exc), status=EXIT_WRITE) from None
    if years is not None:
        say(_("wrote {path} ({n} frames, {w}x{h})").format(path=shown(out), n=len(years), w=width, h=height))
        return 0
    say(_("wrote {path} ({w}x{h}, {dpi} dpi)").format(path=shown(out), w=width, h=height, dpi=dpi))
    return 0


def measure_options(args, project=None):
    """(measure id, Classification) of --measure, --scheme, --classes, --breaks and --per-year
    over the project's; a bad one is one line, exit 2."""
    from silkmap.core import classify
    from silkmap.core.classify import Classification
    from silkmap.core.measures import check_measure

    measure = args.measure if args.measure is not None else (project.measure if project is not None else None)
    base = (project.classification if project is not None else None) or Classification()
    scheme, k, breaks, fixed = base.scheme, base.k, base.breaks, base.fixed
    try:
        if measure is not None:
            check_measure(measure)
        if args.scheme is not None:
            if args.scheme not in ("quantiles", "natural", "equal"):
                raise ValueError(f"unknown scheme '{shown(args.scheme, 24)}' (choose from quantiles, natural, equal; "
                                 "or give --breaks)")
            scheme = args.scheme
        if args.classes is not None:
            text = args.classes.strip()
            if not text.lstrip("+-").isdigit() or len(text) > 3:
                raise ValueError(f"--classes expects a whole number from {classify.K_MIN} to {classify.K_MAX}, "
                                 f"got '{shown(args.classes, 24)}'")
            k = classify.check_k(int(text))
        if args.breaks is not None:
            if args.scheme is not None:
                raise ValueError("give either --scheme or --breaks, not both")
            breaks, scheme = classify.parse_breaks(args.breaks), "user"
        if args.per_year:
            if scheme == "user":
                raise ValueError("--per-year does not go with --breaks: your breaks are the same every year")
            fixed = False
        c = Classification(scheme, k, breaks, fixed).check()
    except ValueError as exc:
        raise CliError(str(exc)) from None
    given = any(v is not None for v in (args.scheme, args.classes, args.breaks)) or args.per_year
    if given and (measure is None or measure == "level"):
        raise CliError(_("--scheme, --classes, --breaks and --per-year need --measure with classes "
                         "(not the level)"))
    return measure or "level", c


def _dated_or_fail(atlas, year, years) -> None:
    """A map of a given year needs the dated facts: a broken file is a data error (exit 3),
    not a map silently drawn as of today."""
    if year is not None or years is not None:
        atlas.dated()


def _measures_or_fail(atlas, measure: str) -> None:
    """A map coloured by a measure needs its data: a broken measures.json is a data error (3)."""
    if measure != "level":
        from silkmap.core.measures import all_values

        all_values(atlas, measure)


def _project(args):
    """The project of --project, read and checked before any drawing starts; its language
    unless --lang was given. A missing file is a bad value (2), a broken one a data error (3)."""
    if args.project is None:
        return None
    from silkmap.core.project import load, resolve_user_layers

    path = Path(args.project)
    if not path.exists():
        raise CliError(_("project file '{path}' does not exist").format(path=shown(path)))
    project = load(path)
    if project.language and getattr(args, "lang", None) is None:
        from silkmap import i18n

        i18n.set_language(project.language)
    for problem in resolve_user_layers(project)[1]:
        say(f"warning: {shown(path)}: {problem}")
    return project


def _project_user_layers(project) -> tuple:
    """The project's user layers that are where it says (the others were named by _project)."""
    if project is None:
        return ()
    from silkmap.core.project import resolve_user_layers
    from silkmap.core.user_layers.layer import make_layer
    from silkmap.core.user_layers.load import load

    out = []
    for spec in resolve_user_layers(project)[0]:
        interrupt.check()
        out.append(make_layer(spec, load(spec.path, spec.options)))
    return tuple(out)


def load_user_layers(files: list[str]) -> tuple:
    """Each --add-layer FILE loaded, before anything is drawn: a file that is not there or of
    a type silkmap does not read is a bad value (2); one that is malformed a data error (3)."""
    from silkmap.core.errors import DataError
    from silkmap.core.resources import path_problem
    from silkmap.core.user_layers.layer import make_layer
    from silkmap.core.user_layers.load import format_of, load
    from silkmap.core.user_layers.spec import UserLayerSpec, default_colour

    out = []
    for i, name in enumerate(files):
        path = Path(name)
        problem = path_problem(path)
        if problem:
            raise CliError(_("--add-layer '{path}': {problem}").format(
                path=shown(name), problem=_("file not found") if "missing" in problem else problem))
        try:
            format_of(path)
        except DataError as exc:
            raise CliError(f"--add-layer {exc}") from None
        interrupt.check()
        spec = UserLayerSpec(name, {"colour": default_colour(i)})
        out.append(make_layer(spec, load(path)))
    return tuple(out)
