"""The facts are sourced, consistent with the brief's article, and bad files are refused."""

import json
import shutil

import pytest

from silkmap.core.atlas import load_atlas
from silkmap.core.errors import DataError
from silkmap.core.facts import Figure

FIVE = ("KAZ", "KGZ", "TJK", "TKM", "UZB")


def walk_figures(obj, path="root"):
    if isinstance(obj, Figure):
        yield path, obj
        for i, v in enumerate(obj.variants):
            yield from walk_figures(v, f"{path}.variants[{i}]")
    elif hasattr(obj, "__dataclass_fields__"):
        for name in obj.__dataclass_fields__:
            yield from walk_figures(getattr(obj, name), f"{path}.{name}")
    elif isinstance(obj, dict):
        for k, v in obj.items():
            yield from walk_figures(v, f"{path}.{k}")
    elif isinstance(obj, (list, tuple)):
        for i, v in enumerate(obj):
            yield from walk_figures(v, f"{path}[{i}]")


def test_2022_trade_of_the_five_adds_up_to_the_article_total(atlas):
    parts = sum(atlas.profiles[c].trade["2022"].value for c in FIVE)
    total = atlas.region.facts["trade-2022-total"].figure
    assert total.value == 70.2
    assert abs(parts - total.value) < 0.25  # rounding of the five published figures
    # The article's headline: the US$70 billion target was reached in 2022.
    assert atlas.region.facts["trade-2022-target-reached"].figure.value == 70
    assert "A1" in atlas.region.facts["trade-2022-target-reached"].figure.sources


def test_2023_and_2024_trade_are_consistent_with_totals(atlas):
    for year, tol in (("2023", 0.2), ("2024", 0.3)):
        parts = sum(atlas.profiles[c].trade[year].value for c in FIVE)
        total = atlas.region.facts[f"trade-{year}-total"].figure.value
        assert abs(parts - total) <= tol, year


def test_every_figure_has_a_resolvable_source(atlas):
    count = 0
    for obj in (atlas.profiles, atlas.region, atlas.routes):
        for path, fig in walk_figures(obj):
            count += 1
            if fig.confidence in ("approx", "general", "unconfirmed"):
                continue  # shown as such, with nothing to cite
            assert fig.sources, path
            assert all(s in atlas.sources for s in fig.sources), path
    assert count > 100


def test_derived_and_unconfirmed_values_are_marked(atlas):
    assert atlas.profiles["TJK"].trade["2022"].confidence == "derived"
    assert atlas.profiles["UZB"].trade["2022"].confidence == "derived"
    assert atlas.profiles["KAZ"].trade["2022"].confidence == "confirmed"
    # The year of Kazakhstan's first BRI document is not confirmed: no year is shown as fact.
    bri = atlas.profiles["KAZ"].memberships["BRI"]
    assert bri.since is None and bri.confidence == "unconfirmed"
    assert atlas.profiles["TJK"].memberships["BRI"].since in ("2014", 2014)


def test_partnership_levels_and_labels(atlas):
    level = {c: atlas.profiles[c].current_level["en"].lower() for c in FIVE}
    assert "permanent" in level["KAZ"]
    assert "new era" in level["KGZ"] and "new era" in level["TJK"]
    assert "all-weather" in level["UZB"] and "new era" in level["UZB"]
    assert {atlas.profiles[c].current_year for c in FIVE} == {2019, 2023, 2024}
    assert atlas.profiles["TKM"].memberships["SCO"].status == "not_member"
    assert atlas.profiles["UZB"].memberships["CSTO"].status in ("not_member", "suspended")


def test_routes_keep_waypoints_in_order_and_status(atlas):
    west = atlas.routes["silk-west"]
    names = [w.name["en"] for w in west.waypoints]
    order = ["Kashgar", "Osh", "Samarkand", "Bukhara", "Merv"]
    idx = [next(i for i, n in enumerate(names) if n.startswith(o)) for o in order]
    assert idx == sorted(idx)
    assert west.status == "historical"
    assert atlas.routes["gas-d"].status == "planned"
    assert atlas.routes["rail-cku"].status == "under_construction"
    assert atlas.routes["gas-abc"].status == "operating"
    # Lengths shown are sourced; the drawn polyline is close to the sourced length.
    gas = atlas.routes["gas-abc"]
    assert gas.length.value == 1833 and gas.length.sources
    assert 0.8 < gas.geodesic_km / gas.length.value < 1.2


def test_sources_carry_publisher_title_and_url(atlas):
    for sid, s in atlas.sources.sources.items():
        assert s.publisher and s.title, sid
    assert atlas.sources["A1"].url.startswith("https://cn.chinausfocus.com/")
    assert atlas.sources["A1"].date.startswith("2023-05")


@pytest.fixture
def assets_copy(tmp_path, monkeypatch):
    from silkmap.core import resources

    src = resources.asset_dir()
    for f in src.iterdir():
        if f.is_file():
            shutil.copy(f, tmp_path / f.name)
    monkeypatch.setenv("SILKMAP_ASSETS", str(tmp_path))
    return tmp_path


def _edit(path, fn):
    data = json.loads(path.read_text(encoding="utf-8"))
    fn(data)
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


def test_unknown_source_id_is_rejected(assets_copy):
    _edit(assets_copy / "profiles.json",
          lambda d: d["countries"]["KAZ"]["trade"]["years"]["2023"].__setitem__("sources", ["S999"]))
    with pytest.raises(DataError, match=r"profiles\.json: country KAZ, field 'trade\.years\.2023\.sources\[0\]': "
                                        r"unknown source id 'S999'"):
        load_atlas()


def test_figure_without_source_is_rejected(assets_copy):
    _edit(assets_copy / "profiles.json",
          lambda d: d["countries"]["KGZ"]["trade"]["years"]["2022"].__setitem__("sources", []))
    with pytest.raises(DataError, match="KGZ.*a figure needs at least one source"):
        load_atlas()


def test_waypoint_with_text_latitude_is_rejected(assets_copy):
    _edit(assets_copy / "routes.json", lambda d: d["routes"][0]["waypoints"][1].__setitem__("lat", "north"))
    with pytest.raises(DataError, match=r"routes\.json: route silk-hexi, field 'waypoints\[1\]\.lat': expected a number"):
        load_atlas()


def test_missing_translation_is_rejected(assets_copy):
    _edit(assets_copy / "places.json", lambda d: d["places"][0]["name"].pop("zh-Hant"))
    with pytest.raises(DataError, match=r"places\.json: place .*field 'name\.zh-Hant': translation is missing"):
        load_atlas()


def test_missing_file_is_named(assets_copy):
    (assets_copy / "routes.json").unlink()
    with pytest.raises(DataError, match=r"routes\.json: data file is missing"):
        load_atlas()
