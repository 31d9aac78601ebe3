"""The dated state of the map (core/timeline.py) answers from the sourced dated facts."""

from __future__ import annotations

import pytest

from silkmap.core import timeline
from silkmap.core.dated import date_key


def test_the_gas_pipeline_opened_in_2009_is_absent_in_2005_and_open_in_2010(atlas):
    assert timeline.as_of(atlas, 2005).route_status["gas-abc"] is None
    assert timeline.as_of(atlas, 2010).route_status["gas-abc"] == "open"
    assert timeline.as_of(atlas, 2009).route_status["gas-abc"] == "open"  # opened in December 2009
    assert timeline.as_of(atlas, 2008).route_status["gas-abc"] == "construction"
    assert timeline.as_of(atlas, 2007).project_status["cac-gas-abc"] is None
    assert timeline.as_of(atlas, 2010).project_status["cac-gas-abc"] == "open"


def test_a_stalled_line_is_under_construction_before_it_stalled(atlas):
    assert timeline.as_of(atlas, 2013).route_status["gas-d"] is None
    assert timeline.as_of(atlas, 2015).route_status["gas-d"] == "construction"
    assert timeline.as_of(atlas, 2025).route_status["gas-d"] == "stalled"


def test_a_level_before_and_after_an_upgrade(atlas):
    # Kazakhstan: strategic partnership (2005), comprehensive (June 2011), permanent (Sept 2019)
    assert timeline.as_of(atlas, 2004).level["KAZ"] == "relations"
    assert timeline.as_of(atlas, 2010).level["KAZ"] == "strategic"
    assert timeline.as_of(atlas, 2011).level["KAZ"] == "comprehensive"
    assert timeline.as_of(atlas, 2018).level["KAZ"] == "comprehensive"
    assert timeline.as_of(atlas, 2019).level["KAZ"] == "upgraded"
    # Turkmenistan: strategic (2013), comprehensive (6 Jan 2023)
    assert timeline.as_of(atlas, 2022).level["TKM"] == "strategic"
    assert timeline.as_of(atlas, 2023).level["TKM"] == "comprehensive"


def test_levels_are_ordered_lowest_first_with_from_and_to(atlas):
    ids = [lvl for lvl, _msgid in timeline.LEVELS]
    assert ids[0] == "relations" and len(set(ids)) == len(ids)
    spans = timeline.levels(atlas, "KAZ")
    assert [s.level for s in spans] == ["relations", "strategic", "comprehensive", "upgraded"]
    for a, b in zip(spans, spans[1:]):
        assert a.end == b.start
    assert spans[-1].end is None and all(s.sources for s in spans)


def test_the_silk_road_era_has_caravans_only(atlas):
    era = timeline.as_of(atlas, timeline.SILK_ROAD_ERA)
    for rid, route in atlas.routes.items():
        assert era.route_status[rid] == ("open" if route.era == "historical" else None), rid
    assert set(era.level.values()) == {None}
    assert set(era.trade.values()) == {(None, None)}
    assert not any(era.project_status.values())


def test_a_year_outside_the_data_is_refused(atlas):
    for year in (1991, 2026, -5):
        with pytest.raises(ValueError):
            timeline.as_of(atlas, year)


def test_events_are_sorted_and_each_cites_and_opens_something(atlas):
    events = timeline.events(atlas)
    assert [date_key(e.date) for e in events] == sorted(date_key(e.date) for e in events)
    projects = {p.id for prof in atlas.profiles.values() for p in prof.projects}
    kinds = {e.kind for e in events}
    assert {"relations", "partnership", "treaty", "summit", "route", "project", "membership"} <= kinds
    for e in events:
        assert e.sources and all(s in atlas.sources for s in e.sources), e
        assert e.opens in atlas.profiles or e.opens in atlas.routes or e.opens in projects, e
        assert e.title and e.label and e.label["en"], e
    opened = [e for e in events if e.opens == "gas-abc" and e.status == "open"]
    assert [e.date for e in opened] == ["2009-12"]


def test_the_trade_series_covers_every_year_with_gaps_as_gaps(atlas):
    for iso3 in ("KAZ", "KGZ", "TJK", "TKM", "UZB"):
        series = timeline.trade_series(atlas, iso3)
        assert [y for y, _v, _s in series] == list(range(timeline.FIRST_YEAR, timeline.LAST_YEAR + 1))
        for year, value, sid in series:
            assert (value is None) == (sid is None), (iso3, year)
            if value is not None:
                assert value > 0 and sid in atlas.sources
    # the profile's 2024 figure is the series' 2024 figure (one place for each number)
    kaz = dict((y, v) for y, v, _s in timeline.trade_series(atlas, "KAZ"))
    assert kaz[2024] == pytest.approx(atlas.profiles["KAZ"].trade["2024"].value * 1e9)


def test_info_json_gives_the_whole_dated_series_with_gaps_as_null(capsys):
    import json

    from silkmap.cli import run

    assert run(["info", "KAZ", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    dated = data["dated"]
    years = dated["trade"]["years"]
    assert [y["year"] for y in years] == list(range(1992, 2026))
    # Kazakhstan has a sourced figure for every year since the IMF's DOTS series (S910); Kyrgyzstan
    # still has a gap (2021; 2022 is sourced since S553)
    assert all(y["value"] is not None for y in years)
    assert run(["info", "KGZ", "--json"]) == 0
    kgz_years = json.loads(capsys.readouterr().out)["dated"]["trade"]["years"]
    gaps = [y for y in kgz_years if y["value"] is None]
    assert [y["year"] for y in gaps] == [2021], "a year no source was found for stays a gap"
    for y in gaps:
        assert y["source"] is None and y["sources"] == [] and y["confidence"] is None
    assert "null" in json.dumps(kgz_years)  # the gaps are JSON nulls, not zeros or estimates
    by_year = {y["year"]: y for y in years}
    assert by_year[2024]["value"] == pytest.approx(43.82e9) and by_year[2024]["source"] == "S160"
    for y in years:
        assert all(s in data["sources"] for s in y["sources"]), y
    assert [lv["level"] for lv in dated["levels"]] == ["relations", "strategic", "comprehensive", "upgraded"]
    assert dated["levels"][1]["from"] == "2005-07" and dated["levels"][1]["to"] == "2011-06-13"
    assert dated["levels"][-1]["to"] is None
    dates = [date_key(e["date"]) for e in dated["events"]]
    assert dates == sorted(dates)
    assert any(e["opens"] == "kz-cn-oil-pipeline" and e["status"] == "open" for e in dated["events"])
    for e in dated["events"]:
        assert all(s in data["sources"] for s in e["sources"]), e


def test_the_five_add_up_to_the_published_regional_totals(atlas):
    """Where all five are sourced the sum is the published total (the country figures are
    rounded, hence the tolerance); where some are gaps the sourced ones stay below it."""
    totals = timeline.regional_totals(atlas)
    assert {2022, 2023, 2024, 2025} <= set(totals)
    assert totals[2023].value == pytest.approx(89.4) and totals[2024].value == pytest.approx(94.82)
    series = {iso3: dict((y, v) for y, v, _s in timeline.trade_series(atlas, iso3))
              for iso3 in ("KAZ", "KGZ", "TJK", "TKM", "UZB")}
    complete = 0
    for year, total in totals.items():
        values = [series[iso3][year] for iso3 in series]
        known = sum(v for v in values if v is not None) / 1e9
        if None in values:
            assert known <= total.value * 1.01, year
        else:
            complete += 1
            assert known == pytest.approx(total.value, abs=0.25), year
    assert complete >= 3  # 2023, 2024 and 2025


def test_partner_side_figures_are_kept_apart_from_china_customs(atlas):
    kaz = dict(timeline.partner_series(atlas, "KAZ"))
    assert kaz[2022].value == 24 and kaz[2013].value == pytest.approx(22.53)
    customs = dict((y, v) for y, v, _s in timeline.trade_series(atlas, "KAZ"))
    assert customs[2013] == pytest.approx(28.6e9) and customs[2022] == pytest.approx(31.2e9)


def test_the_trade_chart_draws_the_series_figures(atlas):
    """The panel's chart (charts/trade.py) reads the profile's years, which are the series' own."""
    from silkmap.charts.trade import trade_chart

    for iso3 in ("KAZ", "TJK"):
        fig = trade_chart(atlas.profiles[iso3], lang="en")
        heights = [bar.get_height() for bar in fig.axes[0].patches]
        by_year = dict((y, v) for y, v, _s in timeline.trade_series(atlas, iso3))
        expected = [by_year[int(y)] / 1e9 for y in atlas.profiles[iso3].trade]
        assert heights == pytest.approx(expected)


def test_a_broken_dated_file_is_one_line_and_exit_3_while_the_profile_still_prints(tmp_path):
    """dated.json is read when first asked for: the plain profile does not need it."""
    import json
    import os
    import subprocess
    import sys

    from silkmap.core.resources import asset_dir

    real = asset_dir()
    for path in real.iterdir():
        if path.name != "dated.json":
            os.symlink(path, tmp_path / path.name)
    doc = json.loads((real / "dated.json").read_text(encoding="utf-8"))
    doc["routes"]["gas-abc"][0]["date"] = "2008-13"
    (tmp_path / "dated.json").write_text(json.dumps(doc), encoding="utf-8")
    env = {**os.environ, "SILKMAP_ASSETS": str(tmp_path)}
    out = subprocess.run([sys.executable, "-m", "silkmap", "info", "KAZ", "--json"], env=env,
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 3 and out.stdout == ""
    assert out.stderr.count("\n") == 1 and "dated.json" in out.stderr and "routes.gas-abc[0].date" in out.stderr
    plain = subprocess.run([sys.executable, "-m", "silkmap", "info", "KAZ"], env=env,
                           capture_output=True, text=True, timeout=120)
    assert plain.returncode == 0 and "Kazakhstan (KAZ)" in plain.stdout


def test_a_year_state_is_shared_and_read_only(atlas):
    state = timeline.as_of(atlas, 2015)
    assert timeline.as_of(atlas, 2015) is state
    with pytest.raises(TypeError):
        state.level["KAZ"] = "upgraded"  # type: ignore[index]
    with pytest.raises(AttributeError):
        state.year = 2016  # type: ignore[misc]


def test_route_events_name_the_countries_each_route_crosses(atlas):
    gas = next(e for e in timeline.events(atlas) if e.opens == "gas-abc" and e.status == "open")
    assert set(gas.iso3s) == {"TKM", "UZB", "KAZ"}
    cku = next(e for e in timeline.events(atlas) if e.opens == "rail-cku")
    assert set(cku.iso3s) == {"KGZ", "UZB"}


# What a route's or project's present status (routes.json, profiles.json) allows as its last dated one.
_PRESENT = {"operating": {"open"}, "producing": {"open"}, "completed": {"open"},
            "under_construction": {"construction"}, "planned": {"agreed", "stalled"}, "stalled": {"stalled"}}


def test_the_last_dated_status_agrees_with_the_present_one(atlas):
    dated = atlas.dated()
    projects = {p.id: p for prof in atlas.profiles.values() for p in prof.projects}
    for pid, steps in dated.projects.items():
        assert steps[-1].status in _PRESENT[projects[pid].status], pid
    for rid, steps in dated.routes.items():
        assert steps[-1].status in _PRESENT[atlas.routes[rid].status], rid
    last = timeline.as_of(atlas, timeline.LAST_YEAR)
    assert last.project_status["khorgos-icbc"] == "open"
    assert timeline.as_of(atlas, 2005).project_status["khorgos-icbc"] == "agreed"
    undated = set(projects) - set(dated.projects)
    assert undated and not undated & set(last.project_status)  # unknown dates are not "not yet agreed"


def test_the_years_run_forward(atlas):
    """Across the years a level never falls, and nothing once agreed or built disappears again."""
    from silkmap.core.dated import LEVEL_IDS

    previous = None
    for year in range(timeline.FIRST_YEAR, timeline.LAST_YEAR + 1):
        state = timeline.as_of(atlas, year)
        if previous is not None:
            for iso3, level in previous.level.items():
                if level is not None:
                    assert LEVEL_IDS.index(state.level[iso3]) >= LEVEL_IDS.index(level), (iso3, year)
            for table, before in ((state.route_status, previous.route_status),
                                  (state.project_status, previous.project_status)):
                for key, status in before.items():
                    if status is not None:
                        assert table[key] is not None, (key, year)
        previous = state


# Today's status in routes.json and profiles.json, and the last step of the dated history,
# are one status: the panel and the map of the latest year must not disagree (Line D was
# "planned" in one file and "stalled" in another).
TODAY_OF_DATED = {"open": {"operating", "producing", "completed"}, "construction": {"under_construction"},
                  "agreed": {"planned", "signed"}, "stalled": {"stalled"}}


def test_static_status_agrees_with_the_last_dated_step(atlas):
    state = timeline.as_of(atlas, timeline.LAST_YEAR)
    wrong = [(rid, r.status, state.route_status[rid]) for rid, r in atlas.routes.items()
             if r.era != "historical" and state.route_status.get(rid) is not None
             and r.status not in TODAY_OF_DATED[state.route_status[rid]]]
    wrong += [(p.id, p.status, state.project_status[p.id]) for prof in atlas.profiles.values()
              for p in prof.projects if state.project_status.get(p.id) is not None
              and p.status not in TODAY_OF_DATED[state.project_status[p.id]]]
    assert not wrong
    assert atlas.routes["gas-d"].status == state.route_status["gas-d"] == "stalled"
