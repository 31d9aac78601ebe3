"""The prebuilt home view (assets/geo/home-view.bin): current with its sources, equal to what
the loaders compute, ignored when stale or damaged, and enough for a first paint without
numpy, shapely, pyproj or matplotlib."""

import os
import shutil
import subprocess
import sys

import pytest
import shapely
from hypothesis import given, settings as hsettings, strategies as st
from PySide6.QtGui import QImage, QPainter

from silkmap.core import prebuilt
from silkmap.core.atlas import load_atlas, load_atlas_from_sources
from silkmap.core.resources import asset_dir
from silkmap.core.state import LAYERS
from silkmap.core.viewport import Viewport
from silkmap.render.renderer import MapRenderer, RenderOptions
from silkmap.core.atlas import home_bounds


@pytest.fixture(scope="module")
def from_sources():
    return load_atlas_from_sources()


MM = 1e-3  # metres: another pyproj or PROJ release may differ in the last bits, never by this


def same(a, b) -> bool:
    """Equal structure and strings, numbers within a millimetre."""
    if isinstance(a, dict):
        return isinstance(b, dict) and a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return isinstance(b, list) and len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    if isinstance(a, float) or isinstance(b, float):
        return isinstance(b, (int, float)) and abs(a - b) <= MM
    return a == b


def test_the_shipped_file_is_what_make_geo_builds_now(tmp_path, from_sources):
    shipped = (asset_dir() / prebuilt.FILE).read_bytes()
    rebuilt = prebuilt.build(from_sources, asset_dir())
    if rebuilt != shipped:  # byte-equal with the build's own libraries; else equal to a millimetre
        (tmp_path / prebuilt.FILE).write_bytes(rebuilt)
        for name in prebuilt.SOURCES + prebuilt.LATEST_SOURCES:
            shutil.copy(asset_dir() / name, tmp_path / name)
        a, b = prebuilt.load(asset_dir()), prebuilt.load(tmp_path)
        assert a is not None and b is not None and same(a.header, b.header) and same(list(a.coords), list(b.coords)), \
            "assets/geo/home-view.bin is out of date: run `make home-view`"


def test_the_prebuilt_geometry_is_what_the_loaders_compute(from_sources):
    pre = prebuilt.load(asset_dir())
    assert pre is not None
    atlas = load_atlas()
    assert atlas.prebuilt is not None
    assert set(atlas.countries) == set(from_sources.countries)
    for iso, c in from_sources.countries.items():
        rings = [shapely.get_coordinates(r) for poly in getattr(c.shape, "geoms", [c.shape])
                 for r in [poly.exterior, *poly.interiors]]
        got = pre.country_rings(iso)
        assert len(got) == len(rings), iso
        for ring, flat in zip(rings, got):
            assert same(list(flat), [float(v) for xy in ring for v in xy]), iso
        fast = atlas.countries[iso]
        assert (fast.names, fast.role, fast.iso_n3) == (c.names, c.role, c.iso_n3)
        assert same(list(fast.bounds), list(c.shape.bounds))
        assert abs(fast.prebuilt_area - c.shape.area) <= 1e-9 * c.shape.area
    for pid, p in from_sources.places.items():
        assert same([atlas.places[pid].x, atlas.places[pid].y], [p.x, p.y]), pid
    for rid, r in from_sources.routes.items():
        assert same([list(xy) for xy in atlas.routes[rid].xy], [list(map(float, xy)) for xy in r.xy]), rid
        assert abs(atlas.routes[rid].geodesic_km - r.geodesic_km) < 1e-6
    # The outlines the prebuilt countries load later are the 1:50m ones.
    assert atlas.countries["KAZ"].shape.equals(from_sources.countries["KAZ"].shape)


def test_the_first_paint_from_the_prebuilt_file_equals_the_loaders(qapp, from_sources):
    def paint(atlas):
        vp = Viewport(width=1000, height=640)
        vp.fit(home_bounds(atlas), margin=0.02)
        img = QImage(vp.width, vp.height, QImage.Format.Format_ARGB32_Premultiplied)
        img.fill(0)
        p = QPainter(img)
        MapRenderer(atlas).paint(p, vp, RenderOptions(layers={n: True for n in LAYERS}))
        p.end()
        return img

    fast = load_atlas()
    assert fast.prebuilt is not None
    assert home_bounds(fast) == home_bounds(from_sources)
    assert paint(fast) == paint(from_sources)


def test_a_fingerprint_tells_a_flipped_bit_swapped_bytes_and_a_rewritten_end():
    data = (asset_dir() / "dated.json").read_bytes()
    edits = [data[:100] + bytes([data[100] ^ 1]) + data[101:],  # one bit
             data[:200] + data[201:202] + data[200:201] + data[202:],  # two bytes swapped
             data[:-10] + b"0123456789"]
    assert prebuilt.fingerprint(data) == prebuilt.fingerprint(bytes(data))
    assert len({prebuilt.fingerprint(d) for d in [data, *edits]}) == 1 + len(edits)


def test_the_latest_years_map_is_what_the_timeline_computes(from_sources):
    from silkmap.core import timeline

    pre = prebuilt.load(asset_dir())
    assert pre is not None and pre.header["latest"] is not None
    recorded = pre.year_state(timeline.LAST_YEAR)
    assert recorded == timeline.as_of(from_sources, timeline.LAST_YEAR)
    assert recorded.trade and all(isinstance(v, float) for v, _sid in recorded.trade.values() if v is not None)
    assert pre.year_state(timeline.LAST_YEAR - 1) is None and pre.year_state(timeline.SILK_ROAD_ERA) is None
    # What the first paint draws: the renderer takes it without reading the dated facts.
    atlas = load_atlas()
    assert MapRenderer(atlas).year_state(timeline.LAST_YEAR) is atlas.prebuilt.year_state(timeline.LAST_YEAR)
    assert atlas._dated is None
    # The timeline hands out that same object: the map and the panels agree on the year.
    assert timeline.as_of(atlas, timeline.LAST_YEAR) is atlas.prebuilt.year_state(timeline.LAST_YEAR)
    assert atlas._dated is None


@pytest.fixture
def assets_copy(tmp_path, monkeypatch):
    shutil.copytree(asset_dir(), tmp_path / "geo")
    monkeypatch.setenv("SILKMAP_ASSETS", str(tmp_path / "geo"))
    return tmp_path / "geo"


def test_changed_outlines_make_the_file_ignored(assets_copy, from_sources):
    path = assets_copy / "countries-50m.geojson"
    path.write_text(path.read_text(encoding="utf-8") + " ", encoding="utf-8")
    assert prebuilt.load(assets_copy) is None
    atlas = load_atlas()
    assert atlas.prebuilt is None
    assert atlas.countries["UZB"].shape.equals(from_sources.countries["UZB"].shape)


def test_a_moved_place_is_projected_not_taken_from_the_file(assets_copy, from_sources):
    import json

    path = assets_copy / "places.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    moved = data["places"][0]
    moved["lon"] = round(moved["lon"] + 0.5, 4)
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    atlas = load_atlas()
    assert atlas.prebuilt is not None  # the outlines still match
    from silkmap.core.projection import project

    x, y = project(moved["lon"], moved["lat"])
    assert (atlas.places[moved["id"]].x, atlas.places[moved["id"]].y) == (float(x), float(y))


def test_changed_dated_facts_are_read_not_taken_from_the_file(assets_copy):
    import json

    from silkmap.core import timeline

    path = assets_copy / "dated.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    kaz = data["partnership"]["KAZ"]
    first = kaz[0]
    data["partnership"]["KAZ"] = [first]  # Kazakhstan never rose above its first level
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    atlas = load_atlas()
    assert atlas.prebuilt is not None  # the outlines still match
    assert atlas.prebuilt.year_state(timeline.LAST_YEAR) is None
    state = MapRenderer(atlas).year_state(timeline.LAST_YEAR)
    assert kaz[-1]["level"] != first["level"]
    assert state.level["KAZ"] == first["level"]


@pytest.mark.parametrize("name", ["countries-50m.geojson", "dated.json"])
@pytest.mark.parametrize("kind", ["FIFO", "device"])
def test_a_source_that_is_no_file_is_refused_without_waiting_on_it(assets_copy, name, kind):
    import threading

    from silkmap.core import timeline

    path = assets_copy / name
    path.unlink()
    if kind == "FIFO":
        os.mkfifo(path)
    else:
        os.symlink("/dev/zero", path)
    found = []
    t = threading.Thread(target=lambda: found.append(prebuilt.load(assets_copy)), daemon=True)
    t.start()
    t.join(20)
    assert not t.is_alive(), f"prebuilt.load waits on a {kind} at {name}"
    pre = found[0]
    if name == "dated.json":  # the outlines stand; the latest year is not taken on trust
        assert pre is not None and pre.year_state(timeline.LAST_YEAR) is None
    else:
        assert pre is None


@pytest.mark.parametrize("latest", [None, [], {"year": "2025"}, {"sources": {"dated.json": "0" * 64}},
                                    {"trade": {"KAZ": ["a lot", None]}}, {"trade": {"KAZ": [1.0]}},
                                    {"level": []}, {"level": {"KAZ": "best friends"}},
                                    {"route_status": {"r": 3}}, {"sources": {"../dated.json": "0" * 64}},
                                    {"sources": {}}, {"year": True}])
def test_a_malformed_latest_year_is_computed_instead(assets_copy, latest):
    """A header whose latest year is missing or malformed keeps its outlines; the year is read."""
    import json
    import struct

    from silkmap.core import timeline

    path = assets_copy / prebuilt.FILE
    raw = path.read_bytes()
    n = struct.unpack_from("<I", raw, 12)[0]
    header = json.loads(raw[16:16 + n])
    if isinstance(latest, dict):
        header["latest"].update(latest)
    else:
        header["latest"] = latest
    head = json.dumps(header).encode()
    path.write_bytes(raw[:12] + struct.pack("<I", len(head)) + head + raw[16 + n:])
    pre = prebuilt.load(assets_copy)
    assert pre is not None and pre.year_state(timeline.LAST_YEAR) is None
    atlas = load_atlas()
    assert MapRenderer(atlas).year_state(timeline.LAST_YEAR) == timeline.as_of(atlas, timeline.LAST_YEAR)


@pytest.mark.parametrize("damage", ["truncated", "magic", "empty", "header", "padded", "coordinate"])
def test_a_damaged_file_is_ignored(assets_copy, damage):
    path = assets_copy / prebuilt.FILE
    raw = path.read_bytes()
    path.write_bytes({"truncated": raw[:len(raw) // 2], "magic": b"NOTSILKM" + raw[8:], "empty": b"", "padded": raw + bytes(16),
                      "header": raw[:16] + b"[" + raw[17:],
                      # one flipped bit in a coordinate: still a number, no longer the outline
                      "coordinate": raw[:-4] + bytes([raw[-4] ^ 0x10]) + raw[-3:]}[damage])
    assert prebuilt.load(assets_copy) is None
    assert load_atlas().prebuilt is None


def test_the_window_paints_its_first_map_without_the_heavy_libraries(tmp_path):
    env = {**os.environ, "SILKMAP_QUIT_AFTER_FIRST_PAINT": "1", "QT_QPA_PLATFORM": "offscreen",
           "HOME": str(tmp_path), "XDG_CONFIG_HOME": str(tmp_path)}
    out = subprocess.run([sys.executable, "-X", "importtime", "-m", "silkmap"], env=env,
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0 and "first-paint" in out.stdout, out.stderr[-2000:]
    imported = {line.rsplit("|", 1)[-1].strip() for line in out.stderr.splitlines() if "|" in line}
    assert "silkmap.ui.main_window" in imported
    assert not imported & {"numpy", "shapely", "pyproj", "matplotlib"}


_JSON = st.recursive(st.none() | st.booleans() | st.integers(-2**40, 2**40) | st.floats(allow_nan=False)
                     | st.text(max_size=12) | st.sampled_from(["open", "stalled", "upgraded", "KAZ", "2025"]),
                     lambda kids: st.lists(kids, max_size=4) | st.dictionaries(st.text(max_size=8), kids, max_size=4),
                     max_leaves=20)


@pytest.fixture(scope="module")
def fuzz_dir(tmp_path_factory):
    d = tmp_path_factory.mktemp("latest")
    for name in prebuilt.SOURCES + prebuilt.LATEST_SOURCES + (prebuilt.FILE,):
        shutil.copy(asset_dir() / name, d / name)
    return d


@hsettings(max_examples=150, deadline=None)
@given(part=st.sampled_from(["year", "sources", "level", "route_status", "project_status", "trade", None]),
       value=_JSON)
def test_a_fuzzed_latest_year_never_breaks_the_load(fuzz_dir, part, value):
    import json
    import struct

    from silkmap.core.years import LEVEL_IDS, STATUSES, YearState

    raw = (asset_dir() / prebuilt.FILE).read_bytes()
    n = struct.unpack_from("<I", raw, 12)[0]
    header = json.loads(raw[16:16 + n])
    if part is None:
        header["latest"] = value
    else:
        header["latest"][part] = value
    head = json.dumps(header).encode()
    (fuzz_dir / prebuilt.FILE).write_bytes(raw[:12] + struct.pack("<I", len(head)) + head + raw[16 + n:])
    pre = prebuilt.load(fuzz_dir)
    assert pre is not None  # the outlines are not the latest year's business
    for year in (header["latest"].get("year") if isinstance(header["latest"], dict) else None, 2025, 0):
        state = pre.year_state(year) if isinstance(year, int) else None
        if state is not None:
            assert isinstance(state, YearState)
            assert all(v is None or v in LEVEL_IDS for v in state.level.values())
            assert all(v is None or v in STATUSES for v in (*state.route_status.values(), *state.project_status.values()))
            assert all((v is None or isinstance(v, float)) and (s is None or isinstance(s, str))
                       for v, s in state.trade.values())
