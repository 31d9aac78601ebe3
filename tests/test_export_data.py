"""`silkmap export-data DIR`: the files re-read by GDAL (pyogrio, and ogrinfo where installed)
and by csv/pandas hold the core's values; RFC 7946 winding and precision; bad folders end in
one line and exit 4 with nothing half-written."""

import csv
import errno
import json
import math
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pyogrio
import pytest
import shapely
from shapely.geometry import shape

from silkmap.cli import run
from silkmap.core import export_data as ed
from silkmap.core import measures
from silkmap.core.export_data import FILES, write_data
from silkmap.core.facts import FOCUS


@pytest.fixture(scope="module")
def out(atlas, tmp_path_factory):
    folder = tmp_path_factory.mktemp("data") / "silkmap-data"
    write_data(atlas, folder)
    return folder


def features(folder, name):
    return json.loads((folder / f"{name}.geojson").read_text(encoding="utf-8"))["features"]


def area2(ring):
    return sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(ring, ring[1:]))


def test_every_file_is_written_and_nothing_else(out):
    assert sorted(p.name for p in out.iterdir()) == sorted(FILES)


@pytest.mark.parametrize("name", ["countries", "places", "routes", "projects"])
def test_gdal_reads_each_layer_in_wgs84(out, name):
    info = pyogrio.read_info(out / f"{name}.geojson")
    assert info["crs"] == "EPSG:4326"
    assert info["features"] == len(features(out, name)) > 0
    assert info["geometry_type"] == {"countries": "MultiPolygon", "places": "Point", "routes": "LineString",
                                     "projects": "Point"}[name]
    for field in ("id", "name_en", "name_zh_hans", "name_zh_hant", "source_ids"):
        assert field in list(info["fields"])


@pytest.mark.parametrize("name", ["countries", "places", "routes", "projects"])
def test_ogrinfo_reads_each_layer(out, name):
    ogrinfo = shutil.which("ogrinfo")
    if not ogrinfo:
        pytest.skip("ogrinfo is not installed (Debian package gdal-bin); pyogrio checks the same")
    res = subprocess.run([ogrinfo, "-ro", "-so", "-al", str(out / f"{name}.geojson")], capture_output=True,
                         text=True, timeout=60)
    assert res.returncode == 0, res.stderr
    assert f"Feature Count: {len(features(out, name))}" in res.stdout
    assert 'ID["EPSG",4326]' in res.stdout
    assert "ERROR" not in res.stderr


def test_rings_follow_the_right_hand_rule_and_six_decimals(out):
    rings = 0
    for f in features(out, "countries"):
        assert f["geometry"]["type"] == "MultiPolygon"
        for poly in f["geometry"]["coordinates"]:
            for k, ring in enumerate(poly):
                assert ring[0] == ring[-1] and len(ring) >= 4
                assert (area2(ring) > 0) == (k == 0), (f["id"], k)  # outer counter-clockwise, holes clockwise
                for lon, lat in ring:
                    assert -180 <= lon <= 180 and -90 <= lat <= 90
                    assert round(lon, 6) == lon and round(lat, 6) == lat
                rings += 1
    assert rings > 48


def test_outlines_are_the_atlas_outlines(atlas, out):
    detail = atlas.detail()
    got = {f["id"]: shape(f["geometry"]) for f in features(out, "countries")}
    assert set(got) == set(detail)
    for iso3, geom in got.items():
        assert shapely.is_valid(geom), iso3
        want = detail[iso3].lonlat
        assert math.isclose(geom.area, want.area, rel_tol=1e-5), iso3
        assert geom.symmetric_difference(want).area < 1e-6 * want.area + 1e-9, iso3


def test_countries_carry_names_partnership_and_sources(atlas, out):
    df = pyogrio.read_dataframe(out / "countries.geojson")
    rows = {r.iso3: r for r in df.itertuples()}
    dated = atlas.dated()
    for iso3, c in atlas.detail().items():
        r = rows[iso3]
        assert (r.name_en, r.name_zh_hans, r.name_zh_hant) == (c.names["en"], c.names["zh-Hans"], c.names["zh-Hant"])
        assert r.role == c.role
        ids = r.source_ids.split(";")
        assert ids[0] == "NE" and all(s in atlas.sources for s in ids)
    for iso3 in FOCUS:
        last = dated.partnership[iso3][-1]
        r = rows[iso3]
        assert r.partnership == last.level and r.partnership_en == last.label["en"]
        assert r.partnership_zh_hant == last.label["zh-Hant"] and r.partnership_since == last.start
        assert set(last.sources) <= set(r.source_ids.split(";"))
        assert r.capital == atlas.profiles[iso3].capital


def test_places_are_where_the_atlas_has_them(atlas, out):
    got = {f["id"]: f for f in features(out, "places")}
    assert set(got) == set(atlas.places)
    for pid, p in atlas.places.items():
        f = got[pid]
        assert f["geometry"]["coordinates"] == [round(p.lon, 6), round(p.lat, 6)]
        props = f["properties"]
        assert (props["name_en"], props["name_zh_hans"], props["name_zh_hant"]) == \
            (p.name["en"], p.name["zh-Hans"], p.name["zh-Hant"])
        assert props["kind"] == p.kind and props["country"] == p.country
        assert props["source_ids"] == ";".join(p.sources)
    assert got[atlas.region.hub.id]["properties"]["hub"] is True


def test_routes_run_through_their_waypoints_with_status_and_dates(atlas, out):
    got = {f["id"]: f for f in features(out, "routes")}
    assert set(got) == set(atlas.routes)
    dated = atlas.dated()
    for rid, r in atlas.routes.items():
        f = got[rid]
        line = f["geometry"]["coordinates"]
        assert line[0] == [round(r.waypoints[0].lon, 6), round(r.waypoints[0].lat, 6)]
        assert line[-1] == [round(r.waypoints[-1].lon, 6), round(r.waypoints[-1].lat, 6)]
        for w in r.waypoints:  # the great-circle legs pass through every waypoint
            assert [round(w.lon, 6), round(w.lat, 6)] in line
        props = f["properties"]
        assert props["status"] == r.status and props["kind"] == r.kind and props["era"] == r.era
        assert set(r.sources) <= set(props["source_ids"].split(";"))
        for step in dated.routes.get(rid, ()):
            key = dict(ed.STATUS_DATES)[step.status]
            assert props[key] is not None and props[key] <= step.date
    gas = got["gas-abc"]["properties"]
    assert gas["opened"] == "2009-12" and gas["length_km"] == 1833


def test_projects_carry_status_dates_and_sources(atlas, out):
    got = {f["id"]: f for f in features(out, "projects")}
    projects = {p.id: p for prof in atlas.profiles.values() for p in prof.projects}
    assert set(got) == set(projects)
    dated = atlas.dated()
    for pid, p in projects.items():
        props = got[pid]["properties"]
        assert got[pid]["geometry"]["coordinates"] == [round(p.lon, 6), round(p.lat, 6)]
        assert props["status"] == p.status and props["country"] == p.country
        assert props["name_zh_hans"] == p.name["zh-Hans"] and props["type_en"] == p.type["en"]
        assert set(p.sources) <= set(props["source_ids"].split(";"))
        steps = dated.projects.get(pid, ())
        if steps:
            first = {}
            for s in steps:
                first.setdefault(dict(ed.STATUS_DATES)[s.status], s.date)
            assert all(props[k] == v for k, v in first.items())


def test_measures_csv_holds_the_core_values(atlas, out):
    with open(out / "measures.csv", newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert list(rows[0]) == list(ed.MEASURE_COLUMNS)
    by_key = {(r["iso3"], int(r["year"]), r["measure"]): r for r in rows}
    expected = [v for mid in measures.MEASURES for v in measures.all_values(atlas, mid)]
    assert len(rows) == len(expected) == len(by_key)
    known = 0
    for v in expected:
        r = by_key[(v.iso3, v.year, v.measure)]
        assert r["unit"] == measures.MEASURES[v.measure].unit
        if v.value is None:
            assert r["value"] == r["source_ids"] == ""  # a gap stays a gap
            continue
        known += 1
        assert float(r["value"]) == v.value  # exactly: the shortest repr reads back to the same float
        assert list(filter(None, r["source_ids"].split(";"))) == list(v.sources)
        assert all(s in atlas.sources for s in v.sources)
        assert r["confidence"] == v.confidence
    assert known > 100


def test_pandas_reads_the_csv_files_as_they_are(atlas, out):
    import pandas as pd

    m = pd.read_csv(out / "measures.csv")
    assert m["value"].dtype.kind == "f" and m["year"].dtype.kind == "i"
    kaz = m[(m.iso3 == "KAZ") & (m.measure == "trade") & (m.year == 2023)]
    assert kaz["value"].item() == measures.values(atlas, "trade", 2023)["KAZ"].value
    level = m[(m.iso3 == "KAZ") & (m.measure == "level") & (m.year == 2025)]
    assert level["label"].item() == atlas.dated().partnership["KAZ"][-1].level
    s = pd.read_csv(out / "sources.csv", keep_default_na=False)
    assert list(s["id"]) == list(atlas.sources.sources)
    ne = s[s.id == "NE"].iloc[0]
    src = atlas.sources["NE"]
    assert (ne.publisher, ne.title, ne.url) == (src.publisher, src.title, src.url)


def test_every_cited_source_is_in_sources_csv(out):
    with open(out / "sources.csv", newline="", encoding="utf-8") as fh:
        known = {r["id"] for r in csv.DictReader(fh)}
    cited = set()
    for name in ("countries", "places", "routes", "projects"):
        for f in features(out, name):
            cited |= set(filter(None, f["properties"]["source_ids"].split(";")))
    with open(out / "measures.csv", newline="", encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            cited |= set(filter(None, r["source_ids"].split(";")))
    assert cited and cited <= known


# ---------------------------------------------------------------------------- the command
def test_command_writes_a_new_folder(tmp_path, capsys):
    folder = tmp_path / "new"
    assert run(["export-data", str(folder)]) == 0
    assert sorted(p.name for p in folder.iterdir()) == sorted(FILES)
    assert "wrote 6 files" in capsys.readouterr().err
    assert [p.name for p in tmp_path.iterdir()] == ["new"]  # no temporary folder beside it


def test_an_empty_folder_is_filled(tmp_path):
    assert run(["export-data", str(tmp_path)]) == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(FILES)


def test_a_folder_with_files_needs_overwrite_and_keeps_the_others(tmp_path, capsys):
    (tmp_path / "notes.txt").write_text("mine")
    (tmp_path / "sources.csv").write_text("old")
    assert run(["export-data", str(tmp_path)]) == 4
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "not empty" in err[0] and "--overwrite" in err[0]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt", "sources.csv"]
    assert run(["export-data", str(tmp_path), "--overwrite"]) == 0
    assert (tmp_path / "notes.txt").read_text() == "mine"
    assert (tmp_path / "sources.csv").read_text(encoding="utf-8").startswith("id,publisher,")
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(FILES + ("notes.txt",))


@pytest.mark.parametrize("case", ["file", "under-a-file", "no-parent"])
def test_a_folder_that_cannot_be_made_is_one_line_exit_4(tmp_path, capsys, case):
    (tmp_path / "a-file").write_text("x")
    target = {"file": tmp_path / "a-file", "under-a-file": tmp_path / "a-file" / "data",
              "no-parent": tmp_path / "missing" / "data"}[case]
    assert run(["export-data", str(target)]) == 4
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("silkmap: error: cannot write")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a-file"]


@pytest.mark.skipif(not Path("/proc/self").is_dir(), reason="needs Linux /proc")
def test_a_folder_the_system_refuses_is_exit_4_with_nothing_left(capsys):
    # root may write anywhere its permissions say; /proc refuses new folders even to root
    assert run(["export-data", "/proc/silkmap-export-test"]) == 4
    assert "cannot write" in capsys.readouterr().err
    assert not Path("/proc/silkmap-export-test").exists()


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into a read-only folder")
def test_a_read_only_folder_is_exit_4(tmp_path, capsys):
    ro = tmp_path / "ro"
    ro.mkdir()
    ro.chmod(0o500)
    try:
        assert run(["export-data", str(ro / "data")]) == 4
        assert "not writable" in capsys.readouterr().err
    finally:
        ro.chmod(0o700)


@pytest.mark.parametrize("where", ["new", "existing"])
def test_a_full_disk_leaves_nothing_half_written(tmp_path, monkeypatch, capsys, where):
    calls = []
    real = ed.write_atomically

    def fail_third(path, data):
        calls.append(path)
        if len(calls) == 3:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        real(path, data)

    monkeypatch.setattr(ed, "write_atomically", fail_third)
    folder = tmp_path / "data"
    if where == "existing":
        folder.mkdir()
        (folder / "countries.geojson").write_text("previous")
    args = ["export-data", str(folder)] + (["--overwrite"] if where == "existing" else [])
    assert run(args) == 4
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "No space left on device" in err[0]
    if where == "new":
        assert list(tmp_path.iterdir()) == []
    else:  # the previous file as it was, no temporary folder inside
        assert [p.name for p in folder.iterdir()] == ["countries.geojson"]
        assert (folder / "countries.geojson").read_text() == "previous"


def test_ctrl_c_while_writing_leaves_nothing(tmp_path, monkeypatch):
    from silkmap.core import interrupt

    real = ed.write_atomically

    def interrupted(path, data):
        real(path, data)
        raise interrupt.Interrupted(2)

    monkeypatch.setattr(ed, "write_atomically", interrupted)
    assert run(["export-data", str(tmp_path / "data")]) == 130
    assert list(tmp_path.iterdir()) == []


def test_a_broken_data_file_is_exit_3_before_anything_is_written(tmp_path, monkeypatch, capsys):
    from silkmap.core.resources import asset_dir

    assets = tmp_path / "geo"
    shutil.copytree(asset_dir(), assets)
    (assets / "measures.json").write_text("{", encoding="utf-8")
    monkeypatch.setenv("SILKMAP_ASSETS", str(assets))
    assert run(["export-data", str(tmp_path / "data")]) == 3
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "measures.json" in err[0]
    assert not (tmp_path / "data").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["geo"]


def test_the_command_needs_no_qt_and_says_one_line(tmp_path):
    code = ("import sys, importlib.abc\n"
            "class B(importlib.abc.MetaPathFinder):\n"
            "    def find_spec(self, name, path, target=None):\n"
            "        if name.split('.')[0] == 'PySide6': raise ImportError('blocked')\n"
            "sys.meta_path.insert(0, B())\n"
            "from silkmap.cli import run\n"
            "sys.exit(run(sys.argv[1:]))\n")
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "x").write_text("x")
    res = subprocess.run([sys.executable, "-c", code, "export-data", str(tmp_path / "full")],
                         capture_output=True, text=True, timeout=120)
    assert res.returncode == 4 and len(res.stderr.strip().splitlines()) == 1 and "Traceback" not in res.stderr
    res = subprocess.run([sys.executable, "-c", code, "export-data", str(tmp_path / "out")],
                         capture_output=True, text=True, timeout=120)
    assert res.returncode == 0, res.stderr
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == sorted(FILES)
