"""The choropleth (issue 12 item 1): a measure's classes by year, fixed breaks across years,
"no data" hatched and never the lowest class, the palettes, the legend, the view state and
project file, and `silkmap export --measure`."""

import json

import pytest
from PySide6.QtGui import QColor, QImage

from silkmap.cli import run
from silkmap.core import classify, measures
from silkmap.core.atlas import home_bounds
from silkmap.core.choropleth import map_classes
from silkmap.core.classify import Classification
from silkmap.core.facts import FOCUS
from silkmap.core.state import MapState
from silkmap.render import choropleth as ch
from silkmap.render.export import ExportSpec, MapExporter
from silkmap.render.legend import country_rows, fills_heading, fills_notes
from test_export import clear_of_labels, fill_share, sample_points

NATURAL = Classification("natural", 5)


def mixed_year(atlas, measure="trade"):
    """A year in which some partners have the measure and some have not (a gap)."""
    for y in range(measures.FIRST_YEAR, measures.LAST_YEAR + 1):
        vals = measures.values(atlas, measure, y).values()
        if any(v.value is None for v in vals) and any(v.value is not None for v in vals):
            return y
    pytest.fail(f"no year with both values and gaps of {measure}")


def full_year(atlas, measure="trade"):
    return max(y for y in range(measures.FIRST_YEAR, measures.LAST_YEAR + 1)
               if all(v.value is not None for v in measures.values(atlas, measure, y).values()))


# ---------------------------------------------------------------------- classes
def test_fixed_breaks_span_every_year_and_stay_put(atlas):
    numbers = [v.value for v in measures.all_values(atlas, "trade") if v.value is not None]
    expected = classify.classes(numbers, NATURAL)
    years = [mixed_year(atlas), full_year(atlas)]
    for y in years:
        mc = map_classes(atlas, "trade", y, NATURAL)
        assert mc.classes == expected  # the same classes every year: years compare
        for iso3, v in measures.values(atlas, "trade", y).items():
            assert mc.of[iso3] == (None if v.value is None else expected.class_of(v.value))


def test_per_year_breaks_come_from_the_year_alone(atlas):
    y = full_year(atlas)
    per_year = Classification("quantiles", 3, fixed=False)
    numbers = [v.value for v in measures.values(atlas, "trade", y).values()]
    assert map_classes(atlas, "trade", y, per_year).classes == classify.classes(numbers, per_year)


def test_gaps_are_no_data_never_a_class(atlas):
    y = mixed_year(atlas)
    mc = map_classes(atlas, "trade", y, NATURAL)
    gaps = {iso for iso, v in mc.values.items() if v.value is None}
    assert gaps and set(mc.gaps()) == gaps
    for iso in gaps:
        assert ch.fill_of(mc, iso) == ch.NO_DATA_FILL
        assert ch.fill_of(mc, iso) not in ch.class_colours(mc)
    assert ch.fill_of(mc, "CHN") is None  # China keeps its own fill: the measures are of relations with it


def test_every_source_behind_the_values_is_in_the_legend(atlas):
    mc = map_classes(atlas, "trade", full_year(atlas), NATURAL)
    ids = {sid for v in mc.values.values() for sid in v.sources}
    assert ids and set(mc.sources) == ids
    line = fills_notes(atlas, mc)[-1]
    assert line.startswith("Sources: ")
    for sid in ids:
        assert atlas.sources[sid].publisher in line


def test_the_level_and_the_era_have_no_classes(atlas):
    assert map_classes(atlas, "level", 2020, NATURAL) is None
    assert map_classes(atlas, "trade", measures.SILK_ROAD_ERA, NATURAL) is None
    with pytest.raises(ValueError, match="unknown measure"):
        map_classes(atlas, "gdp", 2020, NATURAL)


# ---------------------------------------------------------------------- palettes and words
def test_sequential_palettes_are_colorbrewer_ylgn_light_to_dark():
    for k in range(classify.K_MIN, classify.K_MAX + 1):
        colours = [QColor(c) for c in ch.YLGN[k]]
        assert len(set(c.name() for c in colours)) == k
        light = [c.lightnessF() for c in colours]
        assert light == sorted(light, reverse=True), k  # darker for more
        assert ch.NO_DATA_FILL.name() not in {c.name() for c in colours}


def test_the_balance_diverges_at_zero():
    cls = classify.Classes((-2.0, -0.5, 0.5, 3.0, 9.0), -7.0, 5)
    ranges = tuple(cls.ranges())
    colours = ch._palette(ranges, True)
    assert colours[0] in ch.BRBG_NEGATIVE  # below zero: brown
    assert colours[1] in ch.BRBG_NEGATIVE and colours[0] != colours[1]
    assert colours[2] == ch.BRBG_ZERO  # spans zero
    assert colours[3] in ch.BRBG_POSITIVE and colours[4] in ch.BRBG_POSITIVE
    # darker away from zero on both sides
    assert QColor(colours[0]).lightnessF() < QColor(colours[1]).lightnessF()
    assert QColor(colours[4]).lightnessF() < QColor(colours[3]).lightnessF()


def test_class_ranges_read_as_numbers_and_counts(atlas):
    mc = map_classes(atlas, "trade", full_year(atlas), Classification("user", breaks=(1.0, 10.0)))
    assert ch.range_labels(mc)[:2] == [f"{ch.number(mc.classes.lowest)} – 1", "1 – 10"]
    counts = map_classes(atlas, "bri_projects", 2020, Classification("user", breaks=(1.0, 3.0)))
    labels = ch.range_labels(counts)
    assert labels[:2] == [f"{int(counts.classes.lowest)}–1", "2–3"]
    assert ch.number(1234.5) == "1,234" or ch.number(1234.5) == "1,235"
    assert ch.number(0.0123) == "0.012" and ch.number(48.6) == "48.6"


def test_the_legend_names_measure_unit_year_ranges_and_no_data(atlas):
    y = full_year(atlas)
    mc = map_classes(atlas, "trade", y, NATURAL)
    assert fills_heading(mc) == f"Trade with China · US$ bn · {y}"
    rows = country_rows(atlas, True, mc)
    labels = [label for _fill, label in rows]
    assert labels == ch.range_labels(mc) + ["No data", "China"]
    assert [f.name() for f, _l in rows[:mc.k]] == [c.name() for c in ch.class_colours(mc)]
    assert fills_notes(atlas, mc)[0] == "Natural breaks, same classes every year"
    assert fills_heading(None) == "Partnership with China"  # the level's, as before


# ---------------------------------------------------------------------- the map
@pytest.fixture(scope="module")
def exporter(atlas):
    return MapExporter(atlas)


def plain(**kw):
    """No shading and water over the fills: their pixels are the fills' own."""
    return ExportSpec(width=1600, height=900, layers={**ExportSpec().layers, "relief": False, "water": False}, **kw)


def test_export_fills_each_partner_with_its_class_and_hatches_the_gaps(qapp, atlas, exporter, tmp_path):
    y = mixed_year(atlas)
    spec = plain(year=y, measure="trade", classification=NATURAL)
    img = QImage(str(exporter.export(spec, home_bounds(atlas), tmp_path / "m.png")))
    mc = exporter.renderer.map_classes("trade", NATURAL, y)
    lowest = ch.class_colours(mc)[0]
    for iso3 in FOCUS:
        pts = clear_of_labels(exporter, spec, sample_points(atlas, exporter, spec, iso3, n=200))
        if mc.of[iso3] is None:
            # hatched: the pale fill and the hatch's lines, never the lowest class
            assert fill_share(img, pts, ch.NO_DATA_FILL) > 0.5, iso3
            assert fill_share(img, pts, ch.NO_DATA_HATCH) > 0.02, iso3
            assert fill_share(img, pts, lowest) == 0, iso3
        else:
            assert fill_share(img, pts, ch.class_colours(mc)[mc.of[iso3]]) > 0.9, iso3


def test_the_level_export_is_todays_map(qapp, atlas, exporter):
    """The default measure paints exactly what the map painted before measures existed."""
    extent = home_bounds(atlas)
    a = exporter.render_image(ExportSpec(width=900, height=500), extent)
    b = exporter.render_image(ExportSpec(width=900, height=500, measure="level", classification=NATURAL), extent)
    assert a == b
    c = exporter.render_image(ExportSpec(width=900, height=500, measure="trade", classification=NATURAL), extent)
    assert a != c


def test_an_svg_keeps_the_hatch(qapp, atlas, exporter, tmp_path):
    out = exporter.export(plain(year=mixed_year(atlas), measure="trade", classification=NATURAL),
                          home_bounds(atlas), tmp_path / "m.svg")
    assert 'fill="url(#fillpattern' in out.read_text(encoding="utf-8")


# ---------------------------------------------------------------------- state and project
def test_the_state_checks_and_announces_a_measure():
    state = MapState()
    seen = []
    state.measure_changed.connect(lambda m, c: seen.append((m, c)))
    assert state.measure == "level"
    state.set_measure("trade", NATURAL)
    state.set_measure("trade", NATURAL)  # no change: no signal
    assert seen == [("trade", NATURAL)]
    for bad in (lambda: state.set_measure("gdp"), lambda: state.set_measure("trade", Classification("natural", 12)),
                lambda: state.set_measure("trade", Classification("user", breaks=(3.0, 1.0)))):
        with pytest.raises(ValueError):
            bad()
    assert (state.measure, state.classification) == ("trade", NATURAL) and len(seen) == 1


def test_a_project_keeps_the_measure_and_old_files_still_open(tmp_path):
    from silkmap.core import project as pj

    c = Classification("user", 5, (1.0, 5.0, 20.0), True)
    path = pj.save(pj.Project(measure="share", classification=c), tmp_path / "m.silkmap")
    back = pj.load(path)
    assert (back.measure, back.classification) == ("share", c)
    old = pj.loads(json.dumps({"format": "silkmap-project", "schema": 1, "layers": {}}).encode())
    assert old.measure is None and old.classification is None
    for bad, message in (({"id": "gdp"}, "'measure' must be an object whose 'id'"),
                         ({"id": "trade", "classes": 40}, "'measure': the number of classes"),
                         ({"id": "trade", "scheme": "user", "breaks": [5, 1]}, "breaks must increase")):
        raw = {"format": "silkmap-project", "schema": 1, "measure": bad}
        with pytest.raises(pj.ProjectError, match=message):
            pj.loads(json.dumps(raw).encode(), "x.silkmap")


# ---------------------------------------------------------------------- the command line
@pytest.mark.parametrize("args, message", [
    (["--measure", "gdp"], "unknown measure 'gdp'"),
    (["--measure", "trade", "--classes", "1"], "from 2 to 7, got 1"),
    (["--measure", "trade", "--classes", "8"], "from 2 to 7, got 8"),
    (["--measure", "trade", "--classes", "five"], "--classes expects a whole number"),
    (["--measure", "trade", "--breaks", "10,5"], "breaks must increase: 10 is followed by 5"),
    (["--measure", "trade", "--breaks", "1,,x"], "break 'x' is not a number"),
    (["--measure", "trade", "--scheme", "jenks"], "unknown scheme 'jenks'"),
    (["--measure", "trade", "--scheme", "natural", "--breaks", "1,2"], "either --scheme or --breaks"),
    (["--scheme", "natural"], "need --measure"),
])
def test_bad_measure_options_are_one_line_exit_2_and_no_file(capsys, tmp_path, args, message):
    out = tmp_path / "m.png"
    assert run(["export", str(out), *args]) == 2
    err = capsys.readouterr().err.strip()
    assert message in err and "\n" not in err and "Traceback" not in err
    assert list(tmp_path.iterdir()) == []


def test_export_by_measure_from_the_command_line(qapp, capsys, atlas, tmp_path):
    out = tmp_path / "trade.png"
    y = full_year(atlas)
    assert run(["export", str(out), "--measure", "trade", "--scheme", "natural", "--classes", "4",
                "--year", str(y), "--size", "800x450", "--layers", "neighbours,partnership"]) == 0
    img = QImage(str(out))
    mc = map_classes(atlas, "trade", y, Classification("natural", 4))
    colours = {QColor(img.pixel(x, yy)).name() for x in range(0, 800, 4) for yy in range(0, 450, 4)}
    for iso3 in FOCUS:
        assert ch.class_colours(mc)[mc.of[iso3]].name() in colours, iso3
