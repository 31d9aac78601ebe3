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


def test_2023_to_2025_trade_are_consistent_with_totals(atlas):
    for year, tol in (("2023", 0.2), ("2024", 0.01), ("2025", 0.05)):
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
    assert atlas.routes["gas-d"].status == "stalled"
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
          lambda d: d["countries"]["KAZ"]["trade"]["years"]["2022"].__setitem__("sources", []))
    with pytest.raises(DataError, match="KAZ.*a figure needs at least one source"):
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


# -- tools/check_facts.py: the publisher rule for source links, uncited sources ----------------

def _check_facts():
    import importlib.util
    from pathlib import Path

    path = Path(__file__).resolve().parent.parent / "tools" / "check_facts.py"
    spec = importlib.util.spec_from_file_location("check_facts", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_check_facts_passes_on_the_shipped_data(capsys):
    from silkmap.core import resources

    assert _check_facts().main(["check_facts", str(resources.asset_dir())]) == 0
    assert "check_facts: OK" in capsys.readouterr().out


@pytest.mark.parametrize("url, why", [
    ("ftp://www.rferl.org/a/1069776.html", "scheme"),
    ("javascript:alert(1)", "scheme"),
    ("https://user:pw@www.rferl.org/a/1069776.html", "user information"),
    ("https://www.rferl.org@evil.example/a", "user information"),
    ("http://123.57.6.8/topco/View.aspx?nid=9224", "IP address"),
    ("http://[2001:db8::1]/x", "IP address"),
    ("http://www.rferl.org:8087/a/1069776.html", "non-standard port"),
    ("https://www.rferl.org:80/a/1069776.html", "non-standard port"),
    ("http://en.people.cn./n/2014/0926/c90785-8788586.html", "ends with a dot"),
    ("https://staging.rferl.org/a/1069776.html", "staging"),
    ("https://preview.xinhuanet.com/a.htm", "mirror, spam, staging or preview"),
    ("https://mirror.chinadaily.com.cn/a.htm", "mirror, spam, staging or preview"),
    ("https://webcache.googleusercontent.com/search?q=cache:x", "mirror, spam, staging or preview"),
    ("https://main.d358xbzettaslu.amplifyapp.com/en/hashtag/China-CentralAsia", "mirror, spam"),
    ("https://pling.zinioapps.com/publications/beijing-review/5068", "mirror, spam"),
    ("http://www.afdelivr.top/xinwen/2015-04/09/content_2844226.htm", "mirror, spam"),
    ("http://www.annekabbott.com/n3/2025/0616/c90000-20328208.html", "mirror, spam"),
    ("http://covid-19.chinadaily.com.cn/china/2011-06/14/content_12686689.htm", "mirror, spam"),
    ("https://wikimili.com/en/Galkynysh_Gas_Field", "mirror, spam"),
    ("https://news.example-aggregator.com/xinhua/1.html", "not on the list of publisher domains"),
    ("https://www.tellerreport.com/news/x.html", "only carries copies"),
    ("https://www.rferl.org/a/ 1069776.html", "whitespace"),
    ("https://", "no host"),
])
def test_check_facts_refuses_a_bad_source_url(url, why):
    problem = _check_facts().url_problem(url)
    assert problem and why in problem, (url, problem)


def test_check_facts_accepts_publisher_pages_and_marked_copies():
    cf = _check_facts()
    for url in ("https://www.rferl.org/a/1069776.html", "http://en.people.cn/n3/2023/0519/c90000-20021047.html",
                "https://www.fmprc.gov.cn/mfa_eng/", "https://de.wikipedia.org/wiki/Irkeschtam",
                "https://www.rferl.org:443/a/1069776.html"):
        assert cf.url_problem(url) is None, url
    assert cf.url_problem("https://www.tellerreport.com/news/x.html", is_copy=True) is None
    # A copy on a spam host is refused even when the record admits it is a copy.
    assert "mirror, spam" in cf.url_problem("http://www.szjzcy.com/china/x.htm", is_copy=True)


def _run_check(cf, data_dir, capsys):
    code = cf.main(["check_facts", str(data_dir)])
    return code, capsys.readouterr().out


def test_check_facts_fails_on_a_bad_url_and_on_an_uncited_source(assets_copy, capsys):
    cf = _check_facts()

    def bad_url(d):
        d["sources"]["S140"]["url"] = "https://staging.astanatimes.com/2025/06/x/"
    _edit(assets_copy / "sources.json", bad_url)
    code, out = _run_check(cf, assets_copy, capsys)
    assert code == 1 and "sources.json[S140]" in out and "staging" in out

    def fix_and_add_uncited(d):
        d["sources"]["S140"]["url"] = "https://astanatimes.com/2025/06/china-central-asia-sign-treaty-outline-new-paths-for-cooperation/"
        d["sources"]["S999"] = {"publisher": "Xinhua", "title": "Uncited", "date": "2025", "url": "https://english.news.cn/x.html"}
    _edit(assets_copy / "sources.json", fix_and_add_uncited)
    code, out = _run_check(cf, assets_copy, capsys)
    assert code == 1 and "sources.json[S999]: no record cites this source" in out

    _edit(assets_copy / "sources.json", lambda d: d["sources"].pop("S999"))
    code, out = _run_check(cf, assets_copy, capsys)
    assert code == 0, out


def test_every_source_links_to_a_publisher_page_or_says_it_is_a_copy():
    from silkmap.core import resources

    cf = _check_facts()
    table = json.loads((resources.asset_dir() / "sources.json").read_text(encoding="utf-8"))["sources"]
    copies = 0
    for sid, s in table.items():
        is_copy = s["publisher"].lower().startswith(cf.COPY_PREFIXES)
        copies += is_copy
        low = "low authority" in s.get("note", "").lower()
        for url in (s["url"], *s.get("also", [])):
            assert cf.url_problem(url, is_copy, low) is None, (sid, url)
    assert 0 < copies < len(table) // 5  # copies are the exception, and they say so


def test_a_low_authority_site_must_say_so():
    cf = _check_facts()
    assert "low authority" in cf.url_problem("https://bektour.uz/turkmenistan")
    assert cf.url_problem("https://bektour.uz/turkmenistan", says_low_authority=True) is None


# -- places lie inside the country they are filed under, at both levels of detail -------------

@pytest.mark.parametrize("resolution", ["50m", "10m"])
def test_every_place_lies_inside_its_country(resolution):
    from shapely.geometry import Point, shape

    from silkmap.core import resources

    outlines = json.loads((resources.asset_dir() / f"countries-{resolution}.geojson").read_text(encoding="utf-8"))
    countries = {f["properties"]["iso3"]: shape(f["geometry"]) for f in outlines["features"]}
    places = json.loads((resources.asset_dir() / "places.json").read_text(encoding="utf-8"))["places"]
    outside = []
    for p in places:
        pt = Point(p["lon"], p["lat"])
        if not countries[p["country"]].contains(pt):  # strictly inside: not on the line
            elsewhere = [iso for iso, g in countries.items() if g.contains(pt)]
            outside.append((p["id"], p["country"], elsewhere))
    assert not outside, outside
    assert len(places) > 60


@pytest.mark.parametrize("resolution", ["50m", "10m"])
def test_every_project_marker_lies_inside_its_country(atlas, resolution):
    from shapely.geometry import Point, shape

    from silkmap.core import resources

    outlines = json.loads((resources.asset_dir() / f"countries-{resolution}.geojson").read_text(encoding="utf-8"))
    countries = {f["properties"]["iso3"]: shape(f["geometry"]) for f in outlines["features"]}
    projects = [pr for prof in atlas.profiles.values() for pr in prof.projects]
    outside = [(pr.id, pr.country) for pr in projects if not countries[pr.country].contains(Point(pr.lon, pr.lat))]
    assert not outside, outside
    assert len(projects) > 25


def test_trade_chart_hatches_values_that_are_not_plain_facts(atlas, monkeypatch):
    import dataclasses

    from silkmap.charts.trade import trade_chart

    years = list(atlas.profiles["KGZ"].trade)
    assert years == ["2022", "2023", "2024", "2025"]
    # Kyrgyzstan's 2022 figure is sourced and confirmed now (S553): no bar is hatched
    fig = trade_chart(atlas.profiles["KGZ"], lang="en")
    assert not any(bar.get_hatch() for bar in fig.axes[0].patches)
    # Tajikistan's 2022 figure is derived
    fig = trade_chart(atlas.profiles["TJK"], lang="en")
    hatched = [y for y, bar in zip(years, fig.axes[0].patches) if bar.get_hatch()]
    assert hatched == ["2022"]
    labels = [t.get_text() for t in fig.axes[0].texts]
    assert labels[0].startswith("≈") and not labels[1].startswith(("?", "≈"))
    # an unconfirmed figure is hatched and marked "?"
    kgz = atlas.profiles["KGZ"]
    monkeypatch.setitem(kgz.trade, "2022", dataclasses.replace(kgz.trade["2022"], confidence="unconfirmed"))
    fig = trade_chart(kgz, lang="en")
    hatched = [y for y, bar in zip(years, fig.axes[0].patches) if bar.get_hatch()]
    assert hatched == ["2022"]
    labels = [t.get_text() for t in fig.axes[0].texts]
    assert labels[0].startswith("?") and not labels[1].startswith(("?", "≈"))
