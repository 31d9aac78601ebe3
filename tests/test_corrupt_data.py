"""Bad data never crashes and never half-loads: a corrupt-file matrix over every asset, run
through load_atlas() (and the 1:10m detail) with SILKMAP_ASSETS at a broken copy, and
property-based tests over the loaders.

Each case either loads and every value is valid, or raises one DataError whose message is
one line naming the file — nothing else: no other exception, no warning, nothing on stderr.
``SILKMAP_FUZZ=long`` runs the long matrix (every bad value for every field, more byte flips);
the default is a sample that keeps `make test` quick.
"""

from __future__ import annotations

import json
import math
import os
import warnings

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from corrupt_data import (ASSETS, DATED, DETAIL, NAMES, Case, Sources, all_cases, assert_valid_atlas,
                          assert_valid_names, field_paths, link_assets)
from silkmap.core.errors import DataError

LONG = os.environ.get("SILKMAP_FUZZ") == "long"


@pytest.fixture(scope="module")
def src():
    return Sources()


def run_case(case: Case, folder, src: Sources, monkeypatch) -> str:
    """'loaded' or 'error'; fails the test on anything else."""
    from silkmap.core.atlas import load_atlas

    link_assets(folder, src, except_=case.file)
    case.write(folder / case.file)
    monkeypatch.setenv("SILKMAP_ASSETS", str(folder))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        detail = case.file == DETAIL  # the others leave the (real) 1:10m file alone
        try:
            atlas = load_atlas()
            if detail:
                atlas.detail()
            if case.file == DATED:  # read on first use: the timeline's first question
                atlas.dated()
            elif case.file == NAMES:
                atlas.physical_names()
        except DataError as exc:
            outcome = "error"
            msg = str(exc)
            assert "\n" not in msg and "\r" not in msg, f"{case.name}: message on several lines"
            assert case.file in msg, f"{case.name}: message does not name the file: {msg[:200]}"
            assert len(msg) < 1200, f"{case.name}: message is {len(msg)} characters long"
        else:
            outcome = "loaded"
            assert_valid_atlas(atlas, detail=detail)
            if case.file == NAMES:
                assert_valid_names(atlas.physical_names(), atlas)
    assert not caught, f"{case.name}: warnings {[str(w.message) for w in caught]}"
    return outcome


def _matrix():
    return all_cases(Sources(), long=LONG)


CASES = _matrix()


def test_the_matrix_covers_every_asset_and_every_kind_of_damage():
    kinds = {(c.file, c.kind) for c in CASES}
    for name in ASSETS:
        for kind in ("truncate", "flip", "type", "nesting", "encoding", "kind", "field"):
            assert (name, kind) in kinds, (name, kind)
    assert len(CASES) >= (10000 if LONG else 60)


def test_corrupt_file_matrix(src, tmp_path, monkeypatch, capfd):
    """All cases in one test (one report with the counts), each in its own folder."""
    tally = {"cases": 0, "loaded": 0, "error": 0}
    failures = []
    for i, case in enumerate(CASES):
        tally["cases"] += 1
        try:
            tally[run_case(case, tmp_path / str(i), src, monkeypatch)] += 1
        except AssertionError as exc:
            failures.append(f"{case.name}: {str(exc)[:300]}")
        except Exception as exc:  # noqa: BLE001 — an uncaught exception is exactly the bug
            failures.append(f"{case.name}: uncaught {type(exc).__name__}: {str(exc)[:200]}")
    out, err = capfd.readouterr()
    print(f"corrupt-file matrix: {tally}, failures {len(failures)}")
    assert not failures, "\n".join(failures[:30])
    assert err == "", f"the loaders wrote to stderr: {err[:500]}"
    assert tally["error"] > tally["loaded"] > 0  # a byte flip in a digit may still load


# ---------------------------------------------------------------------- property-based
def _shapes(src, name):
    return sorted(src.paths[name])


json_values = st.recursive(
    st.none() | st.booleans() | st.integers(min_value=-10**30, max_value=10**30)
    | st.floats(allow_nan=True, allow_infinity=True) | st.text(max_size=30),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=12)


def _load_one(name, doc, tmp_path):
    """One loader on one file (the others real): DataError or a valid result."""
    from silkmap.core.dated import load_dated
    from silkmap.core.facts import load_profiles, load_region, load_sources
    from silkmap.core.geo import load_countries, load_places, load_routes
    from silkmap.core.physical_names import check_places, load_physical_names
    from silkmap.core.resources import asset_dir

    path = tmp_path / name
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    real = asset_dir()
    sources = load_sources(path if name == "sources.json" else real / "sources.json")
    loader = {"places.json": load_places, "routes.json": load_routes, "profiles.json": load_profiles,
              "region.json": load_region, DATED: load_dated}.get(name)
    if name == "sources.json":
        return sources
    if name == NAMES:  # as the atlas reads them: the places they name must exist
        names = load_physical_names(path, sources)
        check_places(path, names, load_places(real / "places.json", sources))
        return names
    if loader is None:
        return load_countries(path)
    return loader(path, sources)


def _check_loaded(name, result, atlas):
    """The loaded records hold valid values (checked through an Atlas with them in place)."""
    import dataclasses
    from pathlib import Path

    from silkmap.core.facts import SourceIndex

    if name == NAMES:
        assert_valid_names(result, atlas)
        return
    field = {"places.json": "places", "routes.json": "routes", "profiles.json": "profiles",
             "region.json": "region", "countries-50m.geojson": "countries", DATED: "_dated"}.get(name)
    if isinstance(result, SourceIndex) or field is None:
        return
    if name == DATED:  # the references to the other files, checked as Atlas.dated() does
        from silkmap.core.atlas import _check_dated

        try:
            _check_dated(Path(name), result, atlas)
        except DataError:
            return
    try:
        fake = dataclasses.replace(atlas, **{field: result})
    except TypeError:
        return
    assert_valid_atlas(fake, detail=False)


@settings(max_examples=60 if not LONG else 1000, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data())
def test_any_value_in_any_field_is_loaded_valid_or_named(src, atlas, tmp_path, data):
    name = data.draw(st.sampled_from([n for n in ASSETS if n != DETAIL]), label="file")
    shape = data.draw(st.sampled_from(_shapes(src, name)), label="field")
    path = data.draw(st.sampled_from(src.paths[name][shape]), label="where")
    value = data.draw(json_values, label="value")
    doc = json.loads(src.bytes[name])
    node = doc
    for p in path[:-1]:
        node = node[p]
    node[path[-1]] = value
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        try:
            result = _load_one(name, doc, tmp_path)
        except DataError as exc:
            assert "\n" not in str(exc) and name in str(exc)
            return
    _check_loaded(name, result, atlas)


@settings(max_examples=80 if not LONG else 2000, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(blob=st.binary(max_size=400))
def test_any_bytes_are_json_or_one_clear_error(tmp_path, blob):
    from silkmap.core.validate import read_json

    path = tmp_path / "places.json"
    path.write_bytes(blob)
    try:
        read_json(path)
    except DataError as exc:
        assert "\n" not in str(exc) and "places.json" in str(exc)


@given(st.text(max_size=14))
def test_a_date_is_on_the_calendar_or_refused(s):
    import datetime as dt

    from silkmap.core.validate import parse_date

    parts = parse_date(s)
    if parts is None:
        return
    y, m, d = parts
    assert s == f"{y:04d}" + (f"-{m:02d}" if m else "") + (f"-{d:02d}" if d else "")
    dt.date(y, m or 1, d or 1)


@given(st.one_of(st.none(), st.booleans(), st.text(max_size=5), st.floats(allow_nan=True, allow_infinity=True),
                 st.integers(min_value=-10**40, max_value=10**40), st.lists(st.integers(), max_size=2)))
def test_a_number_field_is_finite_in_range_or_refused(value):
    from pathlib import Path

    from silkmap.core.validate import Reader

    r = Reader(Path("x.json"), "place p", {"lon": value})
    try:
        got = r.number("lon", lo=-180, hi=180)
    except DataError as exc:
        assert str(exc).startswith("x.json: place p, field 'lon': ") and "\n" not in str(exc)
        return
    assert isinstance(got, float) and math.isfinite(got) and -180 <= got <= 180
    assert not isinstance(value, bool)


def test_field_paths_reach_every_field_of_every_record(src):
    shapes = src.paths["places.json"]
    assert {"places.*.lon", "places.*.lat", "places.*.name.en", "places.*.sources.*"} <= set(shapes)
    assert len(shapes["places.*.lon"]) == len(src.docs["places.json"]["places"])
    geo = field_paths(src.docs["countries-50m.geojson"])
    assert "features.*.geometry.coordinates" in geo and "features.*.properties.iso3" in geo


def test_a_route_crossing_none_of_the_five_is_refused(src, tmp_path):
    doc = json.loads(src.bytes[DATED])
    rid = next(iter(doc["route_countries"]))
    doc["route_countries"][rid]["countries"] = []
    with pytest.raises(DataError, match=r"dated\.json.*countries.*is empty"):
        _load_one(DATED, doc, tmp_path)
