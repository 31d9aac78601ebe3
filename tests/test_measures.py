"""The map's measures (core/measures.py) answer from sourced inputs only; a missing input is a gap."""

from __future__ import annotations

import copy
import dataclasses
import json
import os

import pytest

from silkmap.core import measures, timeline
from silkmap.core.errors import DataError
from silkmap.core.facts import FOCUS
from silkmap.core.resources import asset_dir

T = {"en": "n", "zh-Hans": "n", "zh-Hant": "n"}


def fig(value, unit="USD bn", sources=("S9",), confidence="confirmed", **more):
    return {"value": value, "unit": unit, "sources": list(sources), "confidence": confidence, **more}


def empty_doc() -> dict:
    doc = {t: {c: {} for c in FOCUS} for t in ("population", "total_trade", "partner_china", "exports", "imports")}
    doc["mirror"] = {}
    doc["undated_projects"] = {"en": "Not counted: {names}.", "zh-Hans": "{names}", "zh-Hant": "{names}"}
    doc["bounded_inputs"] = {"en": "Bounded.", "zh-Hans": "界", "zh-Hant": "界"}
    return doc


def atlas_with(tmp_path, monkeypatch, doc: dict):
    """A fresh atlas reading ``doc`` as its measures.json, the real files for the rest."""
    from silkmap.core.atlas import load_atlas

    for path in asset_dir().iterdir():
        if path.name != "measures.json":
            os.symlink(path, tmp_path / path.name)
    (tmp_path / "measures.json").write_text(json.dumps(doc), encoding="utf-8")
    monkeypatch.setenv("SILKMAP_ASSETS", str(tmp_path))
    return load_atlas()


def test_the_api_lists_every_measure_in_order_with_its_unit_and_kind():
    assert list(measures.MEASURES) == ["trade", "exports", "imports", "share", "per_person", "balance",
                                       "bri_projects", "level"]
    assert [m.id for m in measures.MEASURES.values() if m.diverging] == ["balance"]
    assert measures.MEASURES["level"].kind == "ordinal" and measures.MEASURES["level"].unit == ""
    assert measures.MEASURES["bri_projects"].kind == "count"
    assert measures.MEASURES["share"].unit == "%"
    assert measures.DEFAULT in measures.MEASURES


def test_an_unknown_measure_is_one_clear_line():
    with pytest.raises(ValueError, match=r"unknown measure 'gdp' \(choose from trade, exports, "):
        measures.check_measure("gdp")
    assert measures.check_measure("share") is measures.MEASURES["share"]


def test_trade_is_the_china_customs_figure_with_all_its_sources(atlas):
    figures = dict(timeline.trade_figures(atlas, "KAZ"))
    vals = measures.series(atlas, "trade", "KAZ")
    assert [v.year for v in vals] == list(range(timeline.FIRST_YEAR, timeline.LAST_YEAR + 1))
    for v in vals:
        f = figures[v.year]
        if f is None:
            assert v.value is None and v.sources == ()
        else:
            assert v.value == f.value and v.sources == f.sources
    assert measures.values(atlas, "trade", 2024)["KAZ"].value == atlas.profiles["KAZ"].trade["2024"].value


def test_an_unsourced_trade_figure_stays_a_gap(atlas, monkeypatch):
    # Kyrgyzstan's 2022 figure, once known only through a copy site, is now read on People's Daily
    # Online (Xinhua, S553): it is on the map with its source.
    kgz2022 = atlas.profiles["KGZ"].trade["2022"]
    assert kgz2022.sources == ("S553",) and kgz2022.confidence == "confirmed"
    v = measures.values(atlas, "trade", 2022)["KGZ"]
    assert v.value == pytest.approx(15.5) and v.sources == ("S553",)
    # the same value without a source stays a gap
    monkeypatch.setitem(atlas.profiles["KGZ"].trade, "2022", dataclasses.replace(kgz2022, sources=()))
    assert dict(timeline.trade_figures(atlas, "KGZ"))[2022] is None
    measures.inputs(atlas)  # cached: read again from the changed record, the cache put back after
    monkeypatch.delitem(measures._inputs, atlas)
    gap = measures.values(atlas, "trade", 2022)["KGZ"]  # the map leaves it uncoloured
    assert gap.value is None and gap.sources == ()


def test_a_derived_figure_is_shown_as_unconfirmed(atlas):
    assert atlas.profiles["TJK"].trade["2022"].confidence == "derived"
    v = measures.values(atlas, "trade", 2022)["TJK"]
    assert v.value == pytest.approx(2.56) and v.confidence == "unconfirmed"
    assert measures.values(atlas, "trade", 2023)["TJK"].confidence == "confirmed"


def test_values_are_the_five_and_the_era_is_all_gaps(atlas):
    for mid in measures.MEASURES:
        got = measures.values(atlas, mid, timeline.SILK_ROAD_ERA)
        assert list(got) == list(FOCUS)
        assert all(v.value is None for v in got.values())
    with pytest.raises(ValueError):
        measures.values(atlas, "trade", 1991)
    with pytest.raises(ValueError):
        measures.series(atlas, "trade", "CHN")


def test_all_values_cover_every_country_year(atlas):
    vals = measures.all_values(atlas, "trade")
    assert len(vals) == 5 * (timeline.LAST_YEAR - timeline.FIRST_YEAR + 1)
    assert {(v.iso3, v.year) for v in vals} == {(c, y) for c in FOCUS
                                                 for y in range(timeline.FIRST_YEAR, timeline.LAST_YEAR + 1)}


def test_the_level_follows_the_dated_partnership(atlas):
    state = timeline.as_of(atlas, 2012)
    got = measures.values(atlas, "level", 2012)
    for iso3 in FOCUS:
        lv = state.level[iso3]
        assert got[iso3].value == (None if lv is None else float(timeline.LEVELS.index(
            next(item for item in timeline.LEVELS if item[0] == lv))))
    assert measures.values(atlas, "level", 1992)["KAZ"].value in (None, 0.0)
    kaz = [v.value for v in measures.series(atlas, "level", "KAZ") if v.value is not None]
    assert kaz == sorted(kaz) and kaz[-1] == 3.0


def test_projects_count_what_had_a_dated_status_by_the_year(atlas):
    dated = atlas.dated().projects
    for year in (2005, 2015, 2025):
        for iso3, v in measures.values(atlas, "bri_projects", year).items():
            expected = sum(1 for p in atlas.profiles[iso3].projects
                           if p.id in dated and int(dated[p.id][0].date[:4]) <= year)
            assert v.value == expected
    # Turkmenistan has a project without dated history: counted out, and said so.
    tkm = measures.values(atlas, "bri_projects", 2025)["TKM"]
    assert tkm.confidence == "unconfirmed" and "Not counted" in tkm.note["en"]
    counts = [v.value for v in measures.series(atlas, "bri_projects", "KAZ")]
    assert counts == sorted(counts) and counts[-1] > counts[0]


def test_share_per_person_and_balance_are_computed_from_their_sourced_inputs(tmp_path, monkeypatch):
    doc = empty_doc()
    doc["total_trade"]["UZB"]["2023"] = fig(62.6, sources=["S163"])
    doc["population"]["KAZ"]["2024"] = fig(20_000_000, unit="count", sources=["P1"])
    doc["exports"]["KAZ"]["2024"] = fig(25.0, sources=["S11"])
    doc["imports"]["KAZ"]["2024"] = fig(18.82, sources=["S10"], confidence="unconfirmed")
    atlas = atlas_with(tmp_path, monkeypatch, doc)
    share = measures.values(atlas, "share", 2023)["UZB"]
    # numerator: the partner's own count of its trade with China (S9), denominator its total (S163)
    assert share.value == pytest.approx(13.7 / 62.6 * 100)
    assert share.sources == ("S9", "S163") and share.confidence == "confirmed"
    pp = measures.values(atlas, "per_person", 2024)["KAZ"]
    assert pp.value == pytest.approx(43.82e9 / 20e6) and set(pp.sources) == {"S160", "S10", "S11", "P1"}
    bal = measures.values(atlas, "balance", 2024)["KAZ"]
    assert bal.value == pytest.approx(25.0 - 18.82) and bal.sources == ("S11", "S10")
    assert bal.confidence == "unconfirmed"  # one input is unconfirmed
    assert measures.values(atlas, "exports", 2024)["KAZ"].value == 25.0
    # no population for 2023, no total trade for 2024: gaps, not estimates
    assert measures.values(atlas, "per_person", 2023)["KAZ"].value is None
    assert measures.values(atlas, "share", 2024)["UZB"].value is None
    assert measures.values(atlas, "balance", 2023)["KAZ"].value is None
    assert pp.note is None and share.note is None  # no input is a bound or a round number


def test_one_direction_alone_is_a_value_but_no_balance(tmp_path, monkeypatch):
    doc = empty_doc()
    doc["imports"]["UZB"]["2023"] = fig(1.6)
    atlas = atlas_with(tmp_path, monkeypatch, doc)
    assert measures.values(atlas, "imports", 2023)["UZB"].value == 1.6
    assert measures.values(atlas, "exports", 2023)["UZB"].value is None
    assert measures.values(atlas, "balance", 2023)["UZB"].value is None


def test_a_value_computed_from_a_bound_says_so(tmp_path, monkeypatch):
    doc = empty_doc()
    doc["total_trade"]["TJK"]["2024"] = fig(8.9, sources=["S11"], qualifier="more_than")
    doc["population"]["KAZ"]["2025"] = fig(20_286_084, unit="count", sources=["P2"])
    atlas = atlas_with(tmp_path, monkeypatch, doc)
    share = measures.values(atlas, "share", 2024)["TJK"]
    assert share.value == pytest.approx(1.96 / 8.9 * 100) and share.note["en"] == "Bounded."
    # Kazakhstan's 2025 trade is "more than 48.6 bn": the per-person value says so too
    pp = measures.values(atlas, "per_person", 2025)["KAZ"]
    assert pp.value == pytest.approx(48.6e9 / 20_286_084) and pp.note["en"] == "Bounded."


def test_the_mirror_puts_both_counts_side_by_side_with_the_gap(atlas):
    m = measures.mirror(atlas, "UZB", 2023)
    assert m.china.value == 14.0 and m.partner.value == 13.7
    assert m.gap_pct == pytest.approx((14.0 - 13.7) / 13.7 * 100)
    assert m.comparable and m.note is None
    kgz = measures.mirror(atlas, "KGZ", 2024)
    assert kgz.gap_pct == pytest.approx((22.71 - 5.3) / 5.3 * 100)
    assert not kgz.comparable and "re-exported" in kgz.note["en"]
    none = measures.mirror(atlas, "TKM", 2024)
    assert none.partner.value is None and none.gap_pct is None and not none.comparable


def broken(tmp_path, monkeypatch, doc) -> str:
    atlas = atlas_with(tmp_path, monkeypatch, doc)
    with pytest.raises(DataError) as err:
        measures.values(atlas, "share", 2024)
    with pytest.raises(DataError) as again:  # the same error, without reading the file again
        measures.mirror(atlas, "KAZ", 2024)
    assert str(err.value) == str(again.value)
    msg = str(err.value)
    assert "\n" not in msg and "measures.json" in msg
    # the level and the projects do not need the file
    assert measures.values(atlas, "level", 2024)["KAZ"].value == 3.0
    return msg


@pytest.mark.parametrize("change, where", [
    (lambda d: d["population"]["KAZ"].update({"2024": fig(5, unit="USD bn")}), "field 'population.KAZ.2024.unit'"),
    (lambda d: d["imports"]["KAZ"].update({"2024": fig(45.5)}), "field 'imports.KAZ.2024': 45.5 is more than the trade"),
    (lambda d: d["total_trade"]["KAZ"].update({"1991": fig(1.0)}), "total_trade.KAZ"),
    (lambda d: d["total_trade"].pop("TJK"), "total_trade.TJK"),
    (lambda d: d["total_trade"]["UZB"].update({"2023": fig(10.0)}), "total_trade.UZB.2023.value"),
    (lambda d: d["partner_china"]["UZB"].update({"2023": fig(13.0)}), "partner_china.UZB.2023"),
    (lambda d: d["population"]["KGZ"].update({"2024": fig(7, unit="count", sources=["nope"])}), "unknown source"),
    (lambda d: d["population"]["KGZ"].update({"2024": fig(7, unit="count", sources=[],
                                                          confidence="unconfirmed")}), "needs a source"),
    (lambda d: (d["exports"]["KAZ"].update({"2024": fig(30.0)}), d["imports"]["KAZ"].update({"2024": fig(30.0)})),
     "not the trade of 43.82"),
])
def test_a_bad_measures_file_is_one_line_naming_the_field(tmp_path, monkeypatch, change, where):
    doc = empty_doc()
    change(doc)
    assert where in broken(tmp_path, monkeypatch, doc)


def test_the_shipped_file_loads_and_every_figure_is_in_a_value(atlas):
    md = measures.inputs(atlas).data
    for name in ("exports", "imports"):
        for iso3, years in getattr(md, name).items():
            for year, f in years.items():
                v = measures.values(atlas, name, year)[iso3]
                assert v.value == f.value and v.sources == f.sources
    for iso3, years in md.population.items():
        for year, f in years.items():
            v = measures.values(atlas, "per_person", year)[iso3]
            trade = dict(timeline.trade_figures(atlas, iso3))[year]
            assert v.value == (None if trade is None else pytest.approx(trade.value * 1e9 / f.value))


def test_a_copy_of_the_shipped_file_round_trips(tmp_path, monkeypatch):
    doc = json.loads((asset_dir() / "measures.json").read_text(encoding="utf-8"))
    atlas = atlas_with(tmp_path, monkeypatch, copy.deepcopy(doc))
    assert measures.values(atlas, "trade", 2024)["KAZ"].value == 43.82


# ---------------------------------------------------------------------- the loader, fuzzed
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

json_values = st.recursive(
    st.none() | st.booleans() | st.integers(min_value=-10**30, max_value=10**30)
    | st.floats(allow_nan=True, allow_infinity=True) | st.text(max_size=30),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=12)


def _paths(node, path=()):
    yield path
    if isinstance(node, dict):
        for k, v in node.items():
            yield from _paths(v, path + (k,))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _paths(v, path + (i,))


SHIPPED = json.loads((asset_dir() / "measures.json").read_text(encoding="utf-8"))
PATHS = list(_paths(SHIPPED))


def _replace(doc, path, value):
    if not path:
        return value
    node = doc
    for p in path[:-1]:
        node = node[p]
    node[path[-1]] = value
    return doc


def _assert_loads_or_one_line(doc, atlas):
    from pathlib import Path

    from silkmap.core.measures_data import FILE, MeasureData, load_measure_data

    try:
        md = load_measure_data(Path(FILE), atlas.sources, data=doc)
    except DataError as exc:
        msg = str(exc)
        assert "\n" not in msg and msg.startswith(FILE) and len(msg) < 1200
        return None
    assert isinstance(md, MeasureData)
    for table in ("population", "total_trade", "partner_china", "exports", "imports"):
        for iso3, years in getattr(md, table).items():
            assert iso3 in FOCUS
            for y, f in years.items():
                assert 1992 <= y <= 2025 and f.value >= 0 and f.sources
    return md


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(index=st.integers(min_value=0, max_value=len(PATHS) - 1), value=json_values)
def test_any_one_field_replaced_loads_or_fails_in_one_line(atlas, index, value):
    doc = _replace(copy.deepcopy(SHIPPED), PATHS[index], value)
    _assert_loads_or_one_line(doc, atlas)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(doc=json_values)
def test_any_document_loads_or_fails_in_one_line(atlas, doc):
    _assert_loads_or_one_line(doc, atlas)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(iso3=st.sampled_from(FOCUS), year=st.integers(min_value=1992, max_value=2025),
       value=st.floats(min_value=0, max_value=1e6, allow_nan=False), unit=st.sampled_from(["USD bn", "count", "m"]))
def test_a_figure_loads_exactly_when_it_is_in_its_tables_unit(atlas, iso3, year, value, unit):
    doc = empty_doc()
    doc["total_trade"][iso3][str(year)] = fig(value, unit=unit)
    md = _assert_loads_or_one_line(doc, atlas)
    assert (md is not None) == (unit == "USD bn")
    if md is not None:
        assert md.total_trade[iso3][year].value == value


# ---------------------------------------------------------------------- silkmap info --json
def test_info_json_carries_every_measure_and_the_mirror_with_their_sources():
    import subprocess
    import sys

    out = subprocess.run([sys.executable, "-m", "silkmap", "info", "KAZ", "--json"], capture_output=True,
                         text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert list(data["measures"]) == list(measures.MEASURES)
    trade = data["measures"]["trade"]
    assert trade["unit"] == "US$ bn" and len(trade["years"]) == 2025 - 1992 + 1
    by_year = {v["year"]: v for v in trade["years"]}
    assert by_year[2024]["value"] == 43.82
    # 1995 was a gap until the IMF's DOTS series, China reporting (S910)
    assert by_year[1995]["value"] == 0.391 and "S910" in by_year[1995]["sources"]
    pp = {v["year"]: v["value"] for v in data["measures"]["per_person"]["years"]}
    assert pp[2024] == pytest.approx(43.82e9 / 20_033_841)
    m2023 = next(r for r in data["mirror"] if r["year"] == 2023)
    assert m2023["china"]["value"] == 41.0 and m2023["partner"]["value"] == 31.4
    assert m2023["gap_pct"] == pytest.approx((41.0 - 31.4) / 31.4 * 100)
    for row in data["mirror"]:
        for sid in row["china"]["sources"] + row["partner"]["sources"]:
            assert sid in data["sources"]
    for m in data["measures"].values():
        for v in m["years"]:
            assert all(sid in data["sources"] for sid in v["sources"])
