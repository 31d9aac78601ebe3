"""The data reproducers found by fuzzing, each a test: wrong types, bad dates and years,
NaN/inf values, files that are not files; a broken 1:10m file in the window (a dialog, the map
keeps its 1:50m outlines) and in `silkmap export` / `silkmap info` (exit 3, one line, no
traceback, no SIGSEGV, no file left)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from corrupt_data import ASSETS, DETAIL, Sources, link_assets
from silkmap.core.errors import DataError


@pytest.fixture(scope="module")
def src():
    return Sources()


@pytest.fixture
def broken(src, tmp_path, monkeypatch):
    """broken(name, edit) → a folder of assets where ``name`` is the real file after ``edit``
    (a function changing the parsed JSON, or the raw text to write), with SILKMAP_ASSETS at it."""
    def make(name: str, edit=None, raw: str | None = None) -> Path:
        folder = tmp_path / "assets"
        link_assets(folder, src, except_=name)
        if raw is not None:
            (folder / name).write_text(raw, encoding="utf-8")
        elif edit is not None:
            doc = json.loads(src.bytes[name])
            edit(doc)
            (folder / name).write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
        monkeypatch.setenv("SILKMAP_ASSETS", str(folder))
        return folder
    return make


def load_error(*, detail: bool = False) -> str:
    from silkmap.core.atlas import load_atlas

    with pytest.raises(DataError) as err:
        atlas = load_atlas()
        if detail:
            atlas.detail()
    msg = str(err.value)
    assert "\n" not in msg
    return msg


def _place(doc, pid):
    return next(p for p in doc["places"] if p["id"] == pid)


def _set_nan(obj, key):
    obj[key] = float("nan")  # json.dumps writes NaN, which Python's json reads back


# ---------------------------------------------------------------------- wrong JSON types
def test_sources_as_a_list(broken):
    broken("sources.json", lambda d: d.update(sources=list(d["sources"].values())))
    assert "sources.json: sources, field 'sources': expected an object, got a list" in load_error()


def test_route_figures_as_a_list(broken):
    def edit(d):
        d["routes"][0]["figures"] = [1]
    broken("routes.json", edit)
    assert "routes.json: route silk-hexi, field 'figures': expected an object, got a list" in load_error()


def test_project_figures_as_a_list(broken):
    def edit(d):
        d["countries"]["KAZ"]["projects"][0]["figures"] = [1]
    broken("profiles.json", edit)
    assert "profiles.json: country KAZ, field 'projects[0].figures': expected an object, got a list" in load_error()


# ---------------------------------------------------------------------- dates and years
@pytest.mark.parametrize("date", ["abc", "", "2023-13", "2023-02-30", "23-05-01", "２０２３"])
def test_bad_event_dates(broken, date):
    broken("profiles.json", lambda d: d["countries"]["KAZ"]["partnership"]["history"][0].update(date=date))
    msg = load_error()
    assert "country KAZ, field 'partnership.history[0].date'" in msg
    assert ("is empty" if date == "" else "is not a date") in msg


def test_event_without_year_takes_it_from_its_date(broken):
    from silkmap.core.atlas import load_atlas

    broken("profiles.json", lambda d: d["countries"]["KAZ"]["partnership"]["history"][0].pop("year"))
    ev = load_atlas().profiles["KAZ"].partnership[0]
    assert ev.year == int(ev.date[:4])


def test_event_without_year_or_date(broken):
    def edit(d):
        ev = d["countries"]["KAZ"]["partnership"]["history"][0]
        ev.pop("year")
        ev["date"] = "abc"
    broken("profiles.json", edit)
    assert "field 'partnership.history[0].date': 'abc' is not a date" in load_error()


def test_current_level_without_year(broken):
    broken("profiles.json", lambda d: d["countries"]["KGZ"]["partnership"]["current"].pop("year"))
    assert "country KGZ, field 'partnership.current.year': is missing" in load_error()


@pytest.mark.parametrize("year", ["NaN", "1e400", "-Infinity", "2019.5", "true", "\"2019\""])
def test_bad_years(broken, src, year):
    text = src.bytes["profiles.json"].decode()
    doc = json.loads(text)
    doc["countries"]["KAZ"]["partnership"]["current"]["year"] = "@YEAR@"
    broken("profiles.json", raw=json.dumps(doc, ensure_ascii=False).replace('"@YEAR@"', year))
    assert "country KAZ, field 'partnership.current.year'" in load_error()


def test_year_that_contradicts_its_date(broken):
    broken("profiles.json", lambda d: d["countries"]["KAZ"]["partnership"]["history"][0].update(year=1066))
    assert "field 'partnership.history[0].year': 1066 does not match the date" in load_error()


# ---------------------------------------------------------------------- NaN, infinity, ranges
@pytest.mark.parametrize("pid", ["xian", "astana"])
@pytest.mark.parametrize("field", ["lon", "lat"])
def test_nan_coordinates_of_a_place(broken, pid, field):
    broken("places.json", lambda d: _set_nan(_place(d, pid), field))
    msg = load_error()
    assert f"places.json: place {pid}, field '{field}': expected a finite number, got nan" in msg


@pytest.mark.parametrize("value,expect", [(181, "outside -180..180"), (True, "expected a number"),
                                          ("71.4", "expected a number"), (10**400, "too large")])
def test_place_coordinates_of_the_wrong_kind_or_range(broken, value, expect):
    broken("places.json", lambda d: _place(d, "astana").update(lon=value))
    assert f"place astana, field 'lon': " in (msg := load_error()) and expect in msg


def test_nan_coordinates_of_a_project(broken):
    broken("profiles.json", lambda d: _set_nan(d["countries"]["TKM"]["projects"][0], "lat"))
    assert "country TKM, field 'projects[0].lat': expected a finite number, got nan" in load_error()


def test_nan_waypoint(broken):
    broken("routes.json", lambda d: _set_nan(d["routes"][0]["waypoints"][1], "lon"))
    assert "field 'waypoints[1].lon': expected a finite number, got nan" in load_error()


@pytest.mark.parametrize("value", ["NaN", "Infinity", "-1", "1e400"])
def test_bad_trade_value_is_refused_not_shown_as_nan(broken, src, value):
    doc = json.loads(src.bytes["profiles.json"])
    doc["countries"]["UZB"]["trade"]["years"]["2023"]["value"] = "@V@"
    broken("profiles.json", raw=json.dumps(doc, ensure_ascii=False).replace('"@V@"', value))
    assert "country UZB, field 'trade.years.2023.value'" in load_error()


@pytest.mark.parametrize("name", ["", "   "])
def test_empty_names(broken, name):
    broken("places.json", lambda d: _place(d, "xian")["name"].update(en=name))
    assert "place xian, field 'name.en': translation is missing" in load_error()


def test_empty_country_name_in_the_outlines(broken):
    broken("countries-50m.geojson", lambda d: d["features"][0]["properties"].update(name_en=""))
    assert "feature 0 (AFG), field 'properties.name_en': is empty" in load_error()


@pytest.mark.parametrize("value,expect", [
    (True, "bad position [True, 41.0]"), ("60", "bad position ['60', 41.0]"), (float("nan"), "not a pair of finite numbers"),
    (200, "outside longitude -180..180"), (None, "bad position None")])
def test_bad_boundary_positions(broken, value, expect):
    def edit(d):
        feat = next(f for f in d["features"] if f["properties"]["iso3"] == "KGZ")
        ring = feat["geometry"]["coordinates"][0] if feat["geometry"]["type"] == "Polygon" \
            else feat["geometry"]["coordinates"][0][0]
        ring[5] = [value, 41.0] if value is not None else None
    broken("countries-50m.geojson", edit)
    msg = load_error()
    assert "countries-50m.geojson: feature" in msg and "(KGZ), field 'geometry.coordinates[" in msg and expect in msg


def test_country_without_geometry_or_properties(broken):
    broken("countries-50m.geojson", lambda d: d["features"][3].update(geometry=None))
    assert "field 'geometry': is missing" in load_error()


def test_a_focus_role_given_to_a_neighbour(broken):
    broken("countries-50m.geojson", lambda d: d["features"][0]["properties"].update(role="focus"))
    assert "AFG must not have the role 'focus'" in load_error()


def test_label_anchor_of_every_country_is_a_point_on_the_map(atlas):
    """The renderer places every name; none may come out as None or NaN."""
    import math

    from silkmap.core.labels import label_anchor

    for iso3, c in {**atlas.countries, **atlas.detail()}.items():
        x, y = label_anchor(c)
        assert math.isfinite(x) and math.isfinite(y), iso3


def test_the_real_data_meets_every_rule(atlas):
    from corrupt_data import assert_valid_atlas

    assert_valid_atlas(atlas)


# ---------------------------------------------------------------------- not a file
@pytest.mark.parametrize("kind,expect", [
    ("folder", "is a folder, not a data file"), ("fifo", "is a named pipe (FIFO), not a data file"),
    ("loop", "is a symbolic link loop"), ("dangling", "is a broken symbolic link"),
    ("device", "is a device, not a data file"), ("missing", "data file is missing")])
@pytest.mark.parametrize("name", ["places.json", DETAIL])
def test_something_else_in_place_of_a_data_file(src, tmp_path, monkeypatch, kind, expect, name):
    folder = tmp_path / "assets"
    link_assets(folder, src, except_=name)
    target = folder / name
    if kind == "folder":
        target.mkdir()
    elif kind == "fifo":
        os.mkfifo(target)
    elif kind == "loop":
        os.symlink(folder / "other", target)
        os.symlink(target, folder / "other")
    elif kind == "dangling":
        os.symlink(folder / "nowhere", target)
    elif kind == "device":
        os.symlink("/dev/zero", target)
    monkeypatch.setenv("SILKMAP_ASSETS", str(folder))

    def blocked(*_a):
        raise AssertionError("blocked reading the data file")

    old = signal.signal(signal.SIGALRM, blocked)
    signal.alarm(20)  # a FIFO opened for reading blocks until a writer comes: never wait for one
    try:
        msg = load_error(detail=name == DETAIL)
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)
    assert f"{name}: {expect}" in msg


def test_a_bom_is_accepted(broken, src):
    from silkmap.core.atlas import load_atlas

    broken("places.json", raw="\ufeff" + src.bytes["places.json"].decode())
    assert "xian" in load_atlas().places


def test_deeply_nested_json_is_one_clear_error(broken):
    broken("region.json", raw="[" * 200_000 + "]" * 200_000)
    assert load_error().endswith("region.json: not valid data: nested too deeply (line 1, column 501)")


def test_huge_values_are_cut_in_the_message(broken):
    broken("places.json", lambda d: _place(d, "xian").update(kind="k\n" * 2000))
    msg = load_error()
    assert len(msg) < 600 and "place xian, field 'kind': 'k\\nk" in msg and "…" in msg


def test_the_detail_error_is_kept_not_reread(broken, src):
    from silkmap.core.atlas import load_atlas

    folder = broken(DETAIL, raw="{")
    atlas = load_atlas()
    with pytest.raises(DataError) as first:
        atlas.detail()
    (folder / DETAIL).unlink()
    os.symlink(src.dir / DETAIL, folder / DETAIL)  # repaired on disk: this session stays on 1:50m
    with pytest.raises(DataError) as second:
        atlas.detail()
    assert first.value is second.value


def test_detail_must_cover_every_country_of_the_coarse_file(broken):
    broken(DETAIL, lambda d: d.update(features=[f for f in d["features"] if f["properties"]["iso3"] != "AFG"]))
    assert "countries-10m.geojson: countries of countries-50m.geojson are missing: AFG" in load_error(detail=True)


# ---------------------------------------------------------------------- the window
def _broken_detail(doc):
    """A 1:10m file whose 4th feature has a lower-case code, as in the reported SIGSEGV."""
    doc["features"][3]["properties"]["iso3"] = "zz"


def test_window_shows_a_dialog_and_keeps_the_coarse_map(qtbot, broken, settings):
    from PySide6.QtWidgets import QMessageBox

    from silkmap.core.atlas import load_atlas
    from silkmap.ui.main_window import MainWindow

    broken(DETAIL, _broken_detail)
    w = MainWindow(load_atlas(), settings=settings)
    qtbot.addWidget(w)
    w.resize(1000, 700)
    w.show()
    qtbot.waitExposed(w)
    with qtbot.waitSignal(w.view.detailFailed, timeout=30000) as failed:
        w.view.zoom(6.0)  # deep enough for the 1:10m outlines
    assert "countries-10m.geojson: feature 3 (zz), field 'properties.iso3'" in failed.args[0]
    qtbot.waitUntil(lambda: any(b.isVisible() for b in w.findChildren(QMessageBox)), timeout=5000)
    box = next(b for b in w.findChildren(QMessageBox) if b.isVisible())
    assert "countries-10m.geojson" in box.text() and "feature 3 (zz)" in box.text()
    box.accept()
    with qtbot.waitSignal(w.view.painted, timeout=10000):
        w.view.zoom(1.5)  # still drawing, on the 1:50m outlines
    assert w.view.last_result.tolerance is None
    assert w.isVisible()


def test_window_export_reports_the_broken_detail(qtbot, broken, settings, tmp_path):
    from silkmap.core.atlas import load_atlas
    from silkmap.ui.export_dialog import ExportDialog
    from silkmap.ui.main_window import MainWindow

    broken(DETAIL, _broken_detail)
    w = MainWindow(load_atlas(), settings=settings)
    qtbot.addWidget(w)
    dlg = ExportDialog(w, w.view, w.atlas, w.state)
    qtbot.addWidget(dlg)
    dlg.quiet = True
    dlg.preset.setCurrentIndex(dlg.preset.findData("a4"))
    out = tmp_path / "out" / "a4.png"
    out.parent.mkdir()
    dlg.path_edit.setText(str(out))
    with qtbot.waitSignal(dlg.failed, timeout=60000) as sig:
        dlg.start()
    assert "countries-10m.geojson: feature 3 (zz)" in sig.args[0]
    assert list(out.parent.iterdir()) == []


# ---------------------------------------------------------------------- the command line
def test_an_a4_export_needs_the_detail(qapp, atlas):
    """So the subprocess cases below do exercise the 1:10m load."""
    from silkmap.render.export import ExportSpec, MapExporter
    from silkmap.render.geometry_cache import DETAIL_BELOW_M_PER_PX
    from silkmap.core.atlas import home_bounds

    _s, _rect, vp = MapExporter(atlas).layout(ExportSpec(3508, 2480, 300), home_bounds(atlas))
    assert vp.metres_per_pixel < DETAIL_BELOW_M_PER_PX


def _nan_in_detail(doc):
    feat = next(f for f in doc["features"] if f["properties"]["iso3"] == "KAZ")
    ring = feat["geometry"]["coordinates"][0][0] if feat["geometry"]["type"] == "MultiPolygon" \
        else feat["geometry"]["coordinates"][0]
    ring[3] = [float("nan"), 45.0]


CLI_CASES = {
    # name: (file, edit or raw text, command, what stderr names)
    "detail-bad-code-png": (DETAIL, _broken_detail, ["export", "--preset", "a4", "OUT.png"], "feature 3 (zz)"),
    "detail-nan-svg": (DETAIL, _nan_in_detail, ["export", "--preset", "a4", "OUT.svg"], "(KAZ)"),
    "detail-truncated-pdf": (DETAIL, '{"type": "FeatureCollection", "features": [', ["export", "--preset", "a4", "OUT.pdf"],
                             "not valid JSON"),
    "places-fifo-export": ("places.json", "FIFO", ["export", "OUT.png"], "named pipe"),
    "profiles-nested-info": ("profiles.json", "[" * 100_000, ["info", "KAZ"], "nested too deeply"),
    "trade-nan-info": ("profiles.json", lambda d: _set_nan(d["countries"]["KAZ"]["trade"]["years"]["2022"], "value"),
                       ["info", "KAZ", "--json"], "trade.years.2022.value"),
}


@pytest.fixture(scope="module")
def cli_runs(src, tmp_path_factory):
    """Every CLI case at once (they are independent processes), each in its own folder."""
    procs = {}
    for case, (name, edit, cmd, _expect) in CLI_CASES.items():
        root = tmp_path_factory.mktemp(case)
        folder = root / "assets"
        link_assets(folder, src, except_=name)
        target = folder / name
        if edit == "FIFO":
            os.mkfifo(target)
        elif isinstance(edit, str):
            target.write_text(edit, encoding="utf-8")
        else:
            doc = json.loads(src.bytes[name])
            edit(doc)
            target.write_text(json.dumps(doc), encoding="utf-8")
        out_dir = root / "out"
        out_dir.mkdir()
        argv = [a.replace("OUT", str(out_dir / "map")) for a in cmd]
        env = {**os.environ, "SILKMAP_ASSETS": str(folder), "QT_QPA_PLATFORM": "offscreen"}
        procs[case] = (subprocess.Popen([sys.executable, "-m", "silkmap", *argv], env=env, text=True,
                                        stdout=subprocess.PIPE, stderr=subprocess.PIPE), out_dir)
    results = {}
    for case, (proc, out_dir) in procs.items():
        try:
            stdout, stderr = proc.communicate(timeout=180)
        except subprocess.TimeoutExpired:
            proc.kill()
            stdout, stderr = proc.communicate()
        results[case] = (proc.returncode, stdout, stderr, sorted(p.name for p in out_dir.iterdir()))
    return results


@pytest.mark.parametrize("case", list(CLI_CASES))
def test_command_line_data_error_is_one_line_exit_3(cli_runs, case):
    name, _edit, cmd, expect = CLI_CASES[case]
    rc, stdout, stderr, left = cli_runs[case]
    assert rc == 3, f"exit {rc} (negative: killed by a signal)\n{stderr[-2000:]}"
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr[-2000:]
    assert "Traceback" not in stderr and "QPaintDevice" not in stderr
    assert lines[0].startswith("silkmap: data error: ") and name in lines[0] and expect in lines[0]
    assert left == [], f"left behind: {left}"
    assert stdout == ""


@pytest.mark.slow
@pytest.mark.skipif(os.environ.get("SILKMAP_FUZZ") != "long", reason="long variant: SILKMAP_FUZZ=long")
def test_command_line_sweep_over_corrupt_files(src, tmp_path):
    """Many matrix cases through the real command line, two processes at a time: the 1:10m
    ones through an A4 export (which needs the detail), the others through export and info."""
    import random
    from concurrent.futures import ThreadPoolExecutor

    from corrupt_data import all_cases

    rng = random.Random(9)
    cases = all_cases(src, long=True)
    detail = [c for c in cases if c.file == DETAIL]
    other = [c for c in cases if c.file != DETAIL]
    picked = rng.sample(detail, min(len(detail), 150)) + rng.sample(other, 90)

    def run(i):
        case = picked[i]
        root = tmp_path / str(i)
        folder, out_dir = root / "assets", root / "out"
        link_assets(folder, src, except_=case.file)
        out_dir.mkdir(parents=True)
        case.write(folder / case.file)
        fmt = ("png", "svg", "pdf")[i % 3]
        cmd = (["info", "KAZ"] if case.file != DETAIL and i % 2 else
               ["export", "--preset", "a4", str(out_dir / f"map.{fmt}")])
        env = {**os.environ, "SILKMAP_ASSETS": str(folder), "QT_QPA_PLATFORM": "offscreen"}
        p = subprocess.run([sys.executable, "-m", "silkmap", *cmd], env=env, capture_output=True,
                           text=True, timeout=300)
        return case, cmd[0], p, sorted(x.name for x in out_dir.iterdir())

    tally = {"cases": 0, "crashes": 0, "tracebacks": 0, "unclear": 0, "leftover": 0, "loaded": 0}
    bad = []
    with ThreadPoolExecutor(2) as pool:
        for case, what, p, left in pool.map(run, range(len(picked))):
            tally["cases"] += 1
            lines = p.stderr.strip().splitlines()
            if p.returncode < 0 or p.returncode not in (0, 3):
                tally["crashes"] += 1
                bad.append(f"{case.name}: exit {p.returncode}")
            if "Traceback" in p.stderr or "Fatal Python error" in p.stderr:
                tally["tracebacks"] += 1
                bad.append(f"{case.name}: traceback")
            if p.returncode == 3 and not (len(lines) == 1 and case.file in lines[0]):
                tally["unclear"] += 1
                bad.append(f"{case.name}: unclear {p.stderr[:300]!r}")
            if p.returncode == 0:
                tally["loaded"] += 1
                if what == "export" and len(left) != 1:
                    tally["leftover"] += 1
            elif left:
                tally["leftover"] += 1
                bad.append(f"{case.name}: left {left}")
    print(f"command-line sweep: {tally}")
    assert not bad, "\n".join(bad[:20])


# ---------------------------------------------------------------------- the names of the land
def _names_without_position(doc):
    del doc["names"][2]["at"]


def test_window_with_broken_names_says_so_and_draws_the_map_without_them(qtbot, broken, settings):
    from PySide6.QtWidgets import QMessageBox

    from silkmap.core.atlas import load_atlas
    from silkmap.ui.main_window import MainWindow

    broken("physical-names.json", _names_without_position)
    w = MainWindow(load_atlas(), settings=settings)
    qtbot.addWidget(w)
    w.resize(1000, 700)
    with qtbot.waitSignal(w.view.namesFailed, timeout=30000) as failed:
        w.show()  # read after the first paint
    assert "physical-names.json: name taklamakan, field 'at'" in failed.args[0]
    qtbot.waitUntil(lambda: any(b.isVisible() for b in w.findChildren(QMessageBox)), timeout=5000)
    box = next(b for b in w.findChildren(QMessageBox) if b.isVisible())
    assert "physical-names.json" in box.text()
    box.accept()
    with qtbot.waitSignal(w.view.painted, timeout=10000):
        w.view.zoom(1.5)
    assert w.isVisible() and w.view.last_result.labels  # the rest of the map's names are there


def test_export_with_broken_names_exits_3_and_writes_nothing(broken, tmp_path):
    import subprocess
    import sys

    folder = broken("physical-names.json", raw='{"names": [}')
    out = tmp_path / "map.png"
    env = {**os.environ, "SILKMAP_ASSETS": str(folder), "QT_QPA_PLATFORM": "offscreen"}
    run = subprocess.run([sys.executable, "-m", "silkmap", "export", str(out)], capture_output=True,
                         text=True, timeout=180, env=env)
    assert run.returncode == 3, run.stderr
    assert run.stderr.count("\n") == 1 and "physical-names.json" in run.stderr and "Traceback" not in run.stderr
    assert not out.exists() and list(tmp_path.glob("map*")) == []
    # without that layer the map is still exported
    run = subprocess.run([sys.executable, "-m", "silkmap", "export", str(out), "--layers", "labels,capitals"],
                         capture_output=True, text=True, timeout=180, env=env)
    assert run.returncode == 0 and out.exists()
