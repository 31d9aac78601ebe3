"""Corridors along the ground: every route passes the towns sources name, each waypoint says
whether a source names it or it was inferred, no long leg is a silent guess, the lines are
densified along great circles, and the panel shows drawn and sourced length.

Malformed waypoints give one clear line naming file, route and field."""

from __future__ import annotations

import json
import math

import pytest

from corrupt_data import Sources, link_assets
from silkmap.core.errors import DataError
from silkmap.core.geo import MAX_LEG_KM, leg_km


@pytest.fixture(scope="module")
def atlas():
    from silkmap.core.atlas import load_atlas_from_sources

    return load_atlas_from_sources()


def _names(route) -> list[str]:
    return [w.name["en"] for w in route.waypoints]


def _in_order(names: list[str], wanted: list[str]) -> bool:
    """``wanted`` appear in ``names`` in this order (each matched by its start)."""
    it = iter(names)
    return all(any(n.startswith(w) for n in it) for w in wanted)


# ---------------------------------------------------------------------- the shipped data
def test_no_leg_longer_than_the_limit_is_an_unflagged_guess(atlas):
    for r in atlas.routes.values():
        for a, b, km in r.legs():
            assert km <= MAX_LEG_KM or b.leg_inferred, f"{r.id}: {a.name['en']} → {b.name['en']} {km:.0f} km"


def test_flagged_legs_are_the_long_ones_and_say_so_in_the_panel(atlas):
    from silkmap.ui.details_html import route_html

    flagged = {(r.id, b.name["en"]) for r in atlas.routes.values() for _a, b, _km in r.legs() if b.leg_inferred}
    # the pipelines across steppe and desert no source describes town by town
    assert ("oil-kz-cn", "Alashankou (Alataw Pass)") in flagged
    assert ("gas-d", "Rudaki district, Tajikistan (first Line D tunnel)") in flagged
    assert not any(rid == "new-eurasian-land-bridge" for rid, _ in flagged)  # towns all the way
    html, _ = route_html(atlas, "oil-kz-cn")
    assert html.count("inferred alignment from the previous waypoint") == 4
    assert "(920 km)" in html  # Atasu → Alashankou, rounded to 10 km


def test_every_waypoint_is_named_by_a_source_or_inferred(atlas):
    n_named = n_inferred = 0
    for r in atlas.routes.values():
        for w in r.waypoints:
            if w.on_route == "named":
                n_named += 1
                assert w.sources and all(s in atlas.sources for s in w.sources), (r.id, w.name["en"])
            else:
                assert w.on_route == "inferred" and not w.sources, (r.id, w.name["en"])
                n_inferred += 1
    assert n_named > 2 * n_inferred > 0  # most towns are sourced; the rest say they are not


def test_modern_routes_follow_the_towns_they_pass(atlas):
    lb = _names(atlas.routes["new-eurasian-land-bridge"])
    assert _in_order(lb, ["Lianyungang", "Xuzhou", "Zhengzhou", "Luoyang", "Xi'an", "Baoji", "Tianshui",
                          "Lanzhou", "Wuwei", "Zhangye", "Jiuquan", "Hami", "Turpan", "Urumqi", "Shihezi",
                          "Jinghe", "Alashankou", "Dostyk", "Aktogay", "Moyynty", "Astana"])
    assert len(lb) >= 30  # it had 9 waypoints over 4,500 km
    assert _in_order(_names(atlas.routes["rail-changan-express"]),
                     ["Xi'an", "Lanzhou", "Urumqi", "Jinghe", "Yining", "Khorgos", "Altynkol", "Zhetygen", "Almaty"])
    assert _in_order(_names(atlas.routes["gas-abc"]), ["Saman-Depe", "Gedaim", "Gazli", "Shymkent", "Khorgos"])
    assert _in_order(_names(atlas.routes["rail-cku"]), ["Kashgar", "Torugart", "Makmal", "Jalal-Abad", "Andijan"])
    assert _in_order(_names(atlas.routes["road-wewc"]),
                     ["Khorgos", "Almaty", "Uzynagash", "Taraz", "Shymkent", "Kyzylorda", "Aral", "Aktobe"])


def test_caravan_routes_follow_the_oasis_chains(atlas):
    assert _in_order(_names(atlas.routes["silk-hexi"]), ["Xi'an", "Lanzhou", "Wuwei", "Zhangye", "Jiuquan", "Guazhou",
                                                        "Dunhuang"])
    assert _in_order(_names(atlas.routes["silk-tarim-north"]), ["Dunhuang", "Hami", "Turpan", "Karashahr", "Korla",
                                                               "Kucha", "Aksu", "Kashgar"])
    assert _in_order(_names(atlas.routes["silk-tarim-south"]), ["Dunhuang", "Miran", "Cherchen", "Niya", "Khotan",
                                                               "Yarkand", "Kashgar"])
    assert _in_order(_names(atlas.routes["silk-west"]), ["Kashgar", "Osh", "Kokand", "Khujand", "Samarkand",
                                                        "Bukhara", "Merv"])
    for r in atlas.routes.values():
        if r.era == "historical":
            assert r.sources and any(w.on_route == "named" for w in r.waypoints[1:-1]), r.id


def test_lines_are_densified_along_great_circles(atlas):
    import numpy as np
    from pyproj import Geod

    geod = Geod(ellps="WGS84")
    for r in atlas.routes.values():
        xy = np.asarray(r.xy)
        steps = np.hypot(*np.diff(xy, axis=0).T)
        assert steps.max() < 40_000, r.id  # 25 km steps, at most a little stretched by the projection
        lons, lats = [w.lon for w in r.waypoints], [w.lat for w in r.waypoints]
        assert r.geodesic_km == pytest.approx(geod.line_length(lons, lats) / 1000, rel=1e-6), r.id
        # the mean-sphere legs the loader judges by agree with the ellipsoid
        assert sum(km for *_w, km in r.legs()) == pytest.approx(r.geodesic_km, rel=0.006), r.id


def test_a_long_leg_bends_with_the_globe(atlas):
    """Atasu → Alashankou: the drawn line's midpoint lies on the great circle, north of the
    straight line between the two points in degrees."""
    from pyproj import Geod

    from silkmap.core.projection import unproject

    r = atlas.routes["oil-kz-cn"]
    a, b = next((a, b) for a, b, _km in r.legs() if b.name["en"].startswith("Alashankou"))
    lon, lat = Geod(ellps="WGS84").npts(a.lon, a.lat, b.lon, b.lat, 1)[0]
    pts = [unproject(x, y) for x, y in r.xy]
    nearest = min(pts, key=lambda p: math.hypot(p[0] - lon, p[1] - lat))
    assert math.hypot(nearest[0] - lon, nearest[1] - lat) < 0.2
    assert lat > (a.lat + b.lat) / 2 + 0.1  # the arc bows poleward of the midpoint in degrees


def test_panel_shows_drawn_and_sourced_length(atlas):
    from silkmap.i18n import set_language as use
    from silkmap.ui.details_html import route_html

    use("en")
    html, cited = route_html(atlas, "gas-abc")
    assert "Drawn length" in html and "1,722 km" in html
    assert "1,833 km" in html and "S72" in cited  # the sourced length with its source
    html, cited = route_html(atlas, "silk-hexi")  # no sourced length
    assert "not sourced" in html and "Drawn length" in html
    assert "S302" in cited and "S116" in cited  # the towns' sources are listed
    html, _ = route_html(atlas, "road-wewc")
    assert html.count(">inferred<") >= 5  # Zharkent, Korday, Merke, Turkistan, …
    use("zh-Hans")
    try:
        html, _ = route_html(atlas, "oil-kz-cn")
        assert "没有来源" not in html and "自上一途经点起的走向为推断" in html
        html, _ = route_html(atlas, "silk-west")
        assert "没有来源" in html and "推断" in html
    finally:
        use("en")


# ---------------------------------------------------------------------- malformed waypoints
@pytest.fixture(scope="module")
def src():
    return Sources()


@pytest.fixture
def broken_routes(src, tmp_path, monkeypatch):
    def make(edit):
        folder = tmp_path / "assets"
        link_assets(folder, src, except_="routes.json")
        doc = json.loads(src.bytes["routes.json"])
        edit(doc)
        (folder / "routes.json").write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
        monkeypatch.setenv("SILKMAP_ASSETS", str(folder))
    return make


def _error() -> str:
    from silkmap.core.atlas import load_atlas

    with pytest.raises(DataError) as err:
        load_atlas()
    msg = str(err.value)
    assert "\n" not in msg and "routes.json" in msg
    return msg


def _oil(doc):
    return next(r for r in doc["routes"] if r["id"] == "oil-kz-cn")


@pytest.mark.parametrize("edit, expected", [
    (lambda w: w.pop("on_route"), "field 'waypoints[1].on_route': is missing"),
    (lambda w: w.update(on_route="sourced"), "'sourced' is not one of named, inferred"),
    (lambda w: w.update(sources=[]), "field 'waypoints[1].sources': a waypoint named by a source must cite it"),
    (lambda w: w.update(sources=["S9999"]), "field 'waypoints[1].sources[0]': unknown source id 'S9999'"),
    (lambda w: w.update(sources="S71"), "field 'waypoints[1].sources': expected a list"),
    (lambda w: w.update(on_route="inferred"), "an inferred waypoint cites no source"),
    (lambda w: w.update(leg="guessed"), "field 'waypoints[1].leg': 'guessed' is not one of inferred"),
    (lambda w: w.pop("leg"), "field 'waypoints[1].leg': the leg from 'Atyrau' to 'Kenkiyak (Aktobe region)' is 4"),
    (lambda w: w.update(geonames_id="1526041"), "field 'waypoints[1].geonames_id': expected a number"),
    (lambda w: w.update(geonames_id=1.5), "field 'waypoints[1].geonames_id': expected a whole number"),
])
def test_a_malformed_waypoint_gives_one_clear_error(broken_routes, edit, expected):
    broken_routes(lambda d: edit(_oil(d)["waypoints"][1]))
    msg = _error()
    assert "route oil-kz-cn" in msg and expected in msg, msg


def test_the_first_waypoint_has_no_leg_before_it(broken_routes):
    broken_routes(lambda d: _oil(d)["waypoints"][0].update(leg="inferred"))
    assert "field 'waypoints[0].leg': the first waypoint has no leg before it" in _error()


def test_a_dropped_town_makes_an_unflagged_long_leg(broken_routes):
    """Removing Moyynty from the land bridge leaves Sayak → Karaganda, ~400 km: refused."""
    def edit(d):
        r = next(r for r in d["routes"] if r["id"] == "new-eurasian-land-bridge")
        r["waypoints"] = [w for w in r["waypoints"] if w["name"]["en"] != "Moyynty"]
    broken_routes(edit)
    msg = _error()
    assert "route new-eurasian-land-bridge" in msg and "'Sayak' to 'Karaganda'" in msg
    assert f"a leg over {MAX_LEG_KM:.0f} km must be marked" in msg


def test_leg_km_is_the_great_circle_distance():
    from silkmap.core.geo import Waypoint

    def at(lon, lat):
        return Waypoint(name={"en": "", "zh-Hans": "", "zh-Hant": ""}, lon=lon, lat=lat, place=None,
                        confidence="data")

    assert leg_km(at(0, 0), at(0, 1)) == pytest.approx(111.195, rel=1e-4)  # a degree of the meridian
    assert leg_km(at(0, 0), at(180, 0)) == pytest.approx(math.pi * 6371.0088)
    assert leg_km(at(71.4, 51.2), at(71.4, 51.2)) == 0.0
