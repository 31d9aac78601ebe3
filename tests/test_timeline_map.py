"""The map as of a year (issue 11): what each year draws, in exports and in the renderer."""

import numpy as np
import pytest
import shapely
from PySide6.QtGui import QColor, QImage, QPainter

from silkmap.core import timeline
from silkmap.core.atlas import home_bounds
from silkmap.core.state import LAYERS
from silkmap.core.viewport import Viewport
from silkmap.render import style
from silkmap.render.export import ExportSpec, MapExporter, footer_text
from silkmap.render.layers import TIME
from silkmap.render.renderer import MapRenderer, RenderOptions
from silkmap.render.year_style import ghost, level_fill, level_fills, level_ids
from test_export import clear_of_labels, sample_points


@pytest.fixture(scope="module")
def exporter(atlas):
    return MapExporter(atlas)


def only(*names):
    return {n: n in names for n in LAYERS}


def route_pixels(atlas, exporter, spec, rid):
    """Image points along the route (every drawn vertex and the middles between them)."""
    _s, rect, vp = exporter.layout(spec, home_bounds(atlas))
    line = shapely.LineString(atlas.routes[rid].xy)
    out = []
    for d in np.linspace(0, line.length, 200):
        p = line.interpolate(d)
        sx, sy = vp.to_screen(p.x, p.y)
        if 0 <= sx < vp.width and 0 <= sy < vp.height:
            out.append((int(sx + rect.left()), int(sy + rect.top())))
    return out


def near_colour(img: QImage, pts, colour: QColor, radius=2, tol=40) -> float:
    """Share of the points with a pixel of ``colour`` within ``radius``."""
    hits = 0
    for x, y in pts:
        found = False
        for dx in range(-radius, radius + 1):
            for dy in range(-radius, radius + 1):
                c = QColor(img.pixel(x + dx, y + dy))
                if abs(c.red() - colour.red()) + abs(c.green() - colour.green()) + abs(c.blue() - colour.blue()) < tol:
                    found = True
                    break
            if found:
                break
        hits += found
    return hits / max(len(pts), 1)


def test_the_gas_pipeline_opened_in_2009_is_absent_in_2005_and_drawn_in_2010(qapp, atlas, exporter):
    spec = ExportSpec(width=1600, height=1000, legend=False, footer=False, scale_bar=False,
                      layers=only("pipeline", "neighbours"))
    colour = style.ROUTE_COLOUR["pipeline_gas"]
    pts = route_pixels(atlas, exporter, spec, "gas-abc")
    assert len(pts) > 100
    share = {}
    for year in (2005, 2010):
        spec.year = year
        img = exporter.render_image(spec, home_bounds(atlas))
        share[year] = near_colour(img, pts, colour)
    assert timeline.as_of(atlas, 2005).route_status["gas-abc"] is None
    assert timeline.as_of(atlas, 2010).route_status["gas-abc"] == "open"
    assert share[2005] < 0.02, share
    assert share[2010] > 0.8, share


def test_a_route_under_construction_is_ghosted(qapp, atlas, exporter):
    # The Kazakh section of the Western Europe–Western China road: built 2009–2018.
    assert timeline.as_of(atlas, 2012).route_status["road-wewc"] == "construction"
    spec = ExportSpec(width=1600, height=1000, legend=False, footer=False, scale_bar=False,
                      layers=only("road", "neighbours"), year=2012)
    pts = route_pixels(atlas, exporter, spec, "road-wewc")
    img = exporter.render_image(spec, home_bounds(atlas))
    full, pale = style.ROUTE_COLOUR["road"], ghost(style.ROUTE_COLOUR["road"])
    assert near_colour(img, pts, full, tol=25) < 0.05
    assert near_colour(img, pts, pale, tol=25) > 0.3
    spec.year = 2020
    img = exporter.render_image(spec, home_bounds(atlas))
    assert near_colour(img, pts, full, tol=25) > 0.5


def country_share(atlas, exporter, spec, iso3, colour):
    img = exporter.render_image(spec, home_bounds(atlas))
    pts = clear_of_labels(exporter, spec, sample_points(atlas, exporter, spec, iso3))
    return sum(QColor(img.pixel(x, y)).name() == colour.name() for x, y in pts) / len(pts)


def test_kazakhstan_is_filled_by_its_level_before_and_after_the_2005_upgrade(qapp, atlas, exporter):
    assert timeline.as_of(atlas, 2004).level["KAZ"] == "relations"
    assert timeline.as_of(atlas, 2006).level["KAZ"] == "strategic"
    spec = ExportSpec(width=1600, height=1000, footer=False, year=2004)
    spec.layers.update(relief=False, water=False)  # the flat fills, unshaded
    assert country_share(atlas, exporter, spec, "KAZ", level_fill("relations")) > 0.9
    spec.year = 2006
    assert country_share(atlas, exporter, spec, "KAZ", level_fill("strategic")) > 0.9
    # The Silk Road era has no partnership colours: each country its own.
    spec.year = timeline.SILK_ROAD_ERA
    assert country_share(atlas, exporter, spec, "KAZ", style.FOCUS_FILL["KAZ"]) > 0.9


def test_the_level_scale_is_ordinal_light_to_dark_and_distinct():
    fills = level_fills()
    assert list(fills) == list(level_ids()) == [lid for lid, _m in timeline.LEVELS]
    lightness = [c.lightnessF() for c in fills.values()]
    assert lightness == sorted(lightness, reverse=True)
    assert len({c.name() for c in fills.values()}) == len(fills)
    # Each level apart from the next also in grey (a reader without colour vision).
    assert min(a - b for a, b in zip(lightness, lightness[1:])) > 0.05


def test_the_era_shows_only_the_historical_routes(qapp, atlas):
    r = MapRenderer(atlas)
    vp = Viewport(width=800, height=500)
    vp.fit(home_bounds(atlas), margin=0.0)
    era = r.snapshot(vp, RenderOptions(layers=only(*LAYERS), year=timeline.SILK_ROAD_ERA))
    now = r.snapshot(vp, RenderOptions(layers=only(*LAYERS)))
    shown_era = {x.id for x in atlas.routes.values() if r.route_shown(x, era)}
    shown_now = {x.id for x in atlas.routes.values() if r.route_shown(x, now)}
    historical = {x.id for x in atlas.routes.values() if x.era == "historical"}
    assert shown_era == historical
    # Today's map keeps the Silk Road under the modern corridors, and draws what is agreed.
    assert historical < shown_now
    assert now.year == timeline.LAST_YEAR
    assert not any(r.project_shown(pid, era) for pid in r.project_points)


def test_the_year_is_in_the_static_key_and_the_layers_that_read_it_say_so(qapp, atlas):
    r = MapRenderer(atlas)
    vp = Viewport(width=400, height=300)
    a = r.snapshot(vp, RenderOptions(layers=only(*LAYERS), year=2005))
    b = r.snapshot(vp, RenderOptions(layers=only(*LAYERS), year=2006))
    assert a.static_key() != b.static_key()
    assert a.static_key() == r.snapshot(vp, RenderOptions(layers=only(*LAYERS), year=2005)).static_key()
    reads_time = {layer.name for layer in r.layers if layer.depends_on & TIME}
    assert {"countries", "routes", "places", "highlight"} <= reads_time
    # A year changes static layers only: the groups stay base/highlight/overlay/focus.
    assert [g.name for g in r.groups] == ["base", "highlight", "overlay", "focus"]


def test_two_years_paint_different_pixels_and_the_same_year_the_same(qapp, atlas):
    r = MapRenderer(atlas)
    vp = Viewport(width=640, height=400)
    vp.fit(home_bounds(atlas), margin=0.0)

    def paint(year):
        img = QImage(640, 400, QImage.Format.Format_ARGB32_Premultiplied)
        img.fill(style.WATER)
        p = QPainter(img)
        r.paint(p, vp, RenderOptions(layers=only(*LAYERS), year=year))
        p.end()
        return img

    assert paint(2000) != paint(2020)
    assert paint(2020) == paint(2020)


def test_the_title_and_footer_of_an_export_say_its_year(qapp, atlas, exporter, tmp_path):
    assert footer_text(atlas, 2010).startswith("The map as of 2010.")
    assert "as of" not in footer_text(atlas)
    spec = ExportSpec(width=900, height=600, year=2010, title="China and Central Asia in 2010")
    out = exporter.export(spec, home_bounds(atlas), tmp_path / "m.png")
    img = QImage(str(out))
    assert img.text("Source").startswith("The map as of 2010.")
    assert img.text("Title") == "China and Central Asia in 2010"


def test_the_legend_keys_every_level_and_china(qapp, atlas, exporter):
    from silkmap.render.legend import country_rows

    rows = country_rows(atlas, True)
    assert [c.name() for c, _l in rows[:-1]] == [level_fill(lid).name() for lid in level_ids()]
    assert rows[-1][1] == "China"
    assert [label for _c, label in rows[:-1]] == [m for _i, m in timeline.LEVELS]
    spec = ExportSpec(width=1600, height=1000, year=2010)
    exporter.render_image(spec, home_bounds(atlas))
    legend = exporter.last_legend_rect
    img = exporter.render_image(spec, home_bounds(atlas))
    inside = {QColor(img.pixel(x, y)).name() for x in range(int(legend.left()), int(legend.right()), 2)
              for y in range(int(legend.top()), int(legend.bottom()), 2)}
    for lid in level_ids():
        assert level_fill(lid).name() in inside, lid


def test_a_broken_dated_file_leaves_the_map_undated(qapp, atlas, monkeypatch):
    from silkmap.core.errors import DataError

    r = MapRenderer(atlas)

    def broken(*_a):
        raise DataError("dated.json", "broken")

    monkeypatch.setattr(timeline, "as_of", broken)
    vp = Viewport(width=300, height=200)
    snap = r.snapshot(vp, RenderOptions(layers=only(*LAYERS), year=2005))
    assert snap.dated is None and "broken" in str(r.dated_error)
    img = QImage(300, 200, QImage.Format.Format_ARGB32_Premultiplied)
    p = QPainter(img)
    r.paint_frame(p, snap)  # today's routes, the countries in their own colours
    p.end()
    assert all(r.route_shown(x, snap) for x in atlas.routes.values())
