"""The boundaries are real: areas, capitals, Baikonur, and malformed files are refused."""

import json

import pytest
import shapely
from pyproj import Geod

from silkmap.core.errors import DataError
from silkmap.core.geo import load_countries
from silkmap.core.resources import asset_path

# Official areas (km²) from the facts sheet, with the tolerance this map can honestly meet.
# China: Natural Earth leaves out Taiwan and the South China Sea islands and follows the line
# of actual control in the south-east Himalaya. Turkmenistan: Natural Earth draws the
# Garabogazköl gulf (≈18,000 km²) as water; the official figure counts it.
OFFICIAL = {"CHN": (9_600_000, 0.03), "KAZ": (2_724_900, 0.01), "KGZ": (199_949, 0.01),
            "TJK": (143_100, 0.01), "TKM": (491_210, 0.05), "UZB": (447_400, 0.01)}


@pytest.fixture(scope="module")
def detail():
    return load_countries(asset_path("countries-10m.geojson"))


@pytest.mark.parametrize("iso3", sorted(OFFICIAL))
def test_area_on_the_ellipsoid_matches_official_figure(detail, iso3):
    area, _perimeter = Geod(ellps="WGS84").geometry_area_perimeter(detail[iso3].lonlat)
    official, tolerance = OFFICIAL[iso3]
    assert abs(abs(area) / 1e6 - official) / official < tolerance


@pytest.mark.parametrize("iso3", sorted(OFFICIAL))
def test_equal_area_projection_preserves_area(detail, iso3):
    geod_area = abs(Geod(ellps="WGS84").geometry_area_perimeter(detail[iso3].lonlat)[0])
    assert detail[iso3].shape.area == pytest.approx(geod_area, rel=0.002)


def test_baikonur_belongs_to_kazakhstan(detail):
    from silkmap.core.projection import project

    x, y = project(63.31, 45.96)  # the cosmodrome's lease area
    assert detail["KAZ"].shape.contains(shapely.Point(x, y))
    kaz = detail["KAZ"].lonlat
    assert all(len(p.interiors) == 0 for p in getattr(kaz, "geoms", [kaz]))


def test_each_capital_lies_inside_its_country(atlas, detail):
    for iso3, profile in atlas.profiles.items():
        cap = atlas.places[profile.capital]
        assert detail[iso3].shape.contains(shapely.Point(cap.x, cap.y)), (iso3, cap.id)
        assert atlas.countries[iso3].shape.contains(shapely.Point(cap.x, cap.y)), (iso3, cap.id)


def test_countries_carry_codes_and_three_names(atlas):
    assert {"CHN", "KAZ", "KGZ", "TJK", "TKM", "UZB", "RUS", "MNG", "AFG", "IRN", "PAK", "IND",
            "AZE", "ARM", "GEO"} <= set(atlas.countries)
    assert atlas.countries["KAZ"].names == {"en": "Kazakhstan", "zh-Hans": "哈萨克斯坦", "zh-Hant": "哈薩克斯坦"}
    assert [c.iso3 for c in atlas.focus] == ["KAZ", "KGZ", "TJK", "TKM", "UZB", "CHN"]
    assert all(c.role == "focus" for c in atlas.focus)
    assert atlas.countries["RUS"].role == "neighbour"


def test_neighbours_share_borders_with_the_focus_countries(detail):
    # Real boundaries touch: Kazakhstan borders China, Kyrgyzstan, Uzbekistan, Turkmenistan and Russia.
    kaz = detail["KAZ"].shape.buffer(2000)
    for other in ("CHN", "KGZ", "UZB", "TKM", "RUS"):
        assert kaz.intersects(detail[other].shape), other
    assert not kaz.intersects(detail["TJK"].shape)


def _write(tmp_path, name, data):
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    return path


def _one_feature(**props):
    base = {"iso3": "KAZ", "name_en": "Kazakhstan", "name_zh_hans": "x", "name_zh_hant": "x", "role": "focus"}
    base.update(props)
    return {"type": "FeatureCollection", "features": [{"type": "Feature", "properties": base, "geometry": {
        "type": "Polygon", "coordinates": [[[60, 45], [61, 45], [61, 46], [60, 45]]]}}]}


def test_truncated_file_names_the_file_and_position(tmp_path):
    path = _write(tmp_path, "countries-50m.geojson", '{"type": "FeatureCollection", "features": [')
    with pytest.raises(DataError) as err:
        load_countries(path)
    assert "countries-50m.geojson" in str(err.value) and "not valid JSON" in str(err.value)


def test_bad_code_names_feature_and_field(tmp_path):
    path = _write(tmp_path, "c.geojson", _one_feature(iso3="kz"))
    with pytest.raises(DataError, match=r"c\.geojson: feature 0 \(kz\), field 'properties\.iso3': 'kz' is not"):
        load_countries(path)


def test_bad_coordinates_are_rejected(tmp_path):
    data = _one_feature()
    data["features"][0]["geometry"]["coordinates"] = [[[60, "x"], [61, 45]]]
    with pytest.raises(DataError, match=r"field 'geometry\.coordinates\[0\]\[0\]'"):
        load_countries(_write(tmp_path, "c.geojson", data))


def test_missing_focus_country_is_reported(tmp_path):
    with pytest.raises(DataError, match="CHN, KGZ, TJK, TKM, UZB are missing"):
        load_countries(_write(tmp_path, "c.geojson", _one_feature()))


def test_missing_file_is_one_clear_error(tmp_path, monkeypatch):
    from silkmap.core import resources

    monkeypatch.setenv("SILKMAP_ASSETS", str(tmp_path))
    with pytest.raises(DataError, match="sources.json: data file is missing"):
        resources.asset_path("sources.json")
