"""The dated trade series (assets/geo/dated.json) keeps each figure with the page it was read
from, in the series its basis belongs to: China-side figures in the China customs series,
the partner's own counts beside it. Pinned here: figures read on publishers' pages for years
the series had as gaps."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from silkmap.core import measures, timeline

# (iso3, year, US$ bn, source id, the address of the page the figure was read from)
CHINA_SIDE = [
    ("KAZ", 1992, 0.368, "S531", "http://news.cn/world/2022-09/13/c_1128999762.htm"),
    ("KAZ", 2010, 20.4, "S533", "https://www.chinadaily.com.cn/china/cpc2011/2011-06/13/content_12685573.htm"),
    ("KAZ", 2021, 25.25, "S531", "http://news.cn/world/2022-09/13/c_1128999762.htm"),
    ("KGZ", 2018, 5.61, "S534", "http://www.globaltimes.cn/content/1154488.shtml"),
    ("TJK", 2018, 1.51, "S534", "http://www.globaltimes.cn/content/1154488.shtml"),
    ("UZB", 2018, 6.26, "S539", "http://www.xinhuanet.com/english/2019-10/31/c_138518582.htm"),
    ("UZB", 2021, 8.051, "S541", "http://kr.xinhuanet.com/20220816/d20163ffa3e2454e8fc15f958bdb650f/c.html"),
    ("KAZ", 2016, 13.1, "S543", "https://en.inform.kz/news/xuar-notes-growth-of-mutual-investments-with-kazakhstan_a3007446/"),
    ("KAZ", 2017, 18, "S544", "http://english.mofcom.gov.cn/article/pressconferencehomepage/beltandroad/201807/20180702761862.shtml"),
    ("KGZ", 2012, 5.16, "S545", "http://ecns.cn/2013/09-12/80795_2.shtml"),
    ("TKM", 2013, 10, "S546", "https://thediplomat.com/2017/12/chinas-imports-of-turkmen-gas-decline"),
    # 2022 lives in profiles.json; before, it was known only from a copy site
    ("KGZ", 2022, 15.5, "S553", "http://en.people.cn/n3/2023/1026/c90000-20089473.html"),
]
PARTNER_SIDE = [
    ("KAZ", 2009, 9.4, "S532", "confirmed"),
    ("KAZ", 2010, 20.3, "S514", "confirmed"),
    ("TJK", 2000, 0.0141, "S536", "unconfirmed"),  # Tajik agency, no statistics named
    ("TJK", 2009, 1.4028, "S536", "unconfirmed"),
    ("TJK", 2014, 2.5, "S537", "unconfirmed"),
    ("UZB", 2015, 4.7, "S538", "confirmed"),
    ("UZB", 2020, 6.4, "S540", "confirmed"),
    ("KAZ", 2018, 11.7, "S549", "confirmed"),
    ("KAZ", 2021, 18, "S548", "confirmed"),
    ("KGZ", 2012, 1.47, "S552", "confirmed"),
    ("KGZ", 2017, 1.597, "S552", "confirmed"),
    ("UZB", 2017, 4.5, "S550", "confirmed"),
    ("UZB", 2019, 7.6, "S551", "confirmed"),
]
# Years with both counts: each stays in its own series, and the pair is shown side by side.
# 1992-2020 all have a China-side figure since the IMF's DOTS series (S910) was added, and
# Kazakhstan 1994-2020, Kyrgyzstan 1992-2020 and Tajikistan 1993-2020 (not 2000) the partner's own
# count in DOTS (S911).
PARTNER_DOTS_YEARS = {"KAZ": set(range(1994, 2021)), "KGZ": set(range(1992, 2021)),
                      "TJK": set(range(1993, 2021)) - {2000}}
BOTH_SIDES = {("KAZ", 2010), ("KAZ", 2013), ("KAZ", 2021), ("KGZ", 2012), ("KGZ", 2017)} | {
    (iso3, year) for iso3, year, *_ in PARTNER_SIDE if 1992 <= year <= 2020} | {
    (iso3, year) for iso3, years in PARTNER_DOTS_YEARS.items() for year in years}


@pytest.mark.parametrize("iso3, year, value, sid, url", CHINA_SIDE)
def test_a_china_side_figure_is_in_the_customs_series_with_its_page(atlas, iso3, year, value, sid, url):
    fig = dict(timeline.trade_figures(atlas, iso3))[year]
    assert fig is not None, f"{iso3} {year} is a gap"
    assert fig.value == pytest.approx(value) and fig.unit == "USD bn"
    assert fig.sources[0] == sid and atlas.sources[sid].url == url
    assert fig.confidence == "confirmed" and fig.note["en"]
    # the map colours by it, with the same source
    v = measures.values(atlas, "trade", year)[iso3]
    assert v.value == pytest.approx(value) and sid in v.sources
    assert dict((y, s) for y, _v, s in timeline.trade_series(atlas, iso3))[year] == sid
    # a China-side figure is not also counted as the partner's
    assert year not in dict(timeline.partner_series(atlas, iso3)) or (iso3, year) in BOTH_SIDES


@pytest.mark.parametrize("iso3, year, value, sid, confidence", PARTNER_SIDE)
def test_a_partner_figure_stays_out_of_the_customs_series(atlas, iso3, year, value, sid, confidence):
    fig = dict(timeline.partner_series(atlas, iso3))[year]
    assert fig.value == pytest.approx(value) and fig.sources == (sid,) and fig.confidence == confidence
    if confidence == "unconfirmed":
        assert "unconfirmed" in fig.note["en"]  # the note says why
    m = measures.mirror(atlas, iso3, year)
    assert m.partner.value == pytest.approx(value) and m.partner.confidence == confidence
    if (iso3, year) not in BOTH_SIDES:
        assert m.china.value is None and m.gap_pct is None  # no China-side figure: no gap is made up
    else:
        assert m.china.value is not None and m.china.value != m.partner.value


def test_kazakhstan_2010_has_both_counts_but_the_pair_is_flagged(atlas):
    m = measures.mirror(atlas, "KAZ", 2010)
    assert (m.china.value, m.partner.value) == (20.4, 20.3)
    assert m.gap_pct == pytest.approx((20.4 - 20.3) / 20.3 * 100)
    # +45 % on 2009 would put Kazakhstan's 2009 at 14.0 bn, but its official 2009 figure is 9.4
    kaz = dict(timeline.partner_series(atlas, "KAZ"))
    assert kaz[2010].value / 1.45 == pytest.approx(14.0, abs=0.05) and kaz[2009].value == 9.4
    assert not m.comparable and "9.4 bn" in m.note["en"] and set(m.note_sources) == {"S514", "S532"}
    # the other Kazakh pairs compare as before
    assert measures.mirror(atlas, "KAZ", 2013).comparable


def test_kyrgyz_and_tajik_counts_still_do_not_compare(atlas):
    for iso3, year in (("KGZ", 2024), ("TJK", 2024)):
        m = measures.mirror(atlas, iso3, year)
        assert m.gap_pct is not None and not m.comparable and m.note
    for iso3, year in (("TKM", 2018), ("TKM", 2009)):  # one side only: no gap
        m = measures.mirror(atlas, iso3, year)
        assert m.gap_pct is None and not m.comparable
    # Kyrgyzstan and Tajikistan 2018 and 2009 have both counts since the IMF's series: a gap is
    # computed, and the pair is still flagged as not comparable
    for iso3, year, pair in (("KGZ", 2018, (5.61, 2.004)), ("TJK", 2018, (1.51, 0.651)),
                             ("TJK", 2009, (1.402, 1.4028))):
        m = measures.mirror(atlas, iso3, year)
        assert (m.china.value, m.partner.value) == pair and m.gap_pct is not None
        assert not m.comparable and m.note


def test_rounded_figures_are_kept_as_variants_of_the_precise_ones(atlas):
    kaz2021 = dict(timeline.trade_figures(atlas, "KAZ"))[2021]
    assert [(v.value, v.sources, v.qualifier) for v in kaz2021.variants] == [(25, ("S509",), "about")]
    uzb2022 = measures.inputs(atlas).partner["UZB"][2022]
    assert uzb2022.value == 9.06 and uzb2022.sources == ("S525",)
    assert [(v.value, v.sources) for v in uzb2022.variants] == [(9, ("S542",))]
    assert "rounded" in uzb2022.variants[0].note["en"]


def test_the_sources_say_what_they_support_and_when(atlas):
    for sid in ("S531", "S532", "S533", "S534", "S535", "S536", "S537", "S538", "S539", "S540", "S541", "S542",
                "S543", "S544", "S545", "S546", "S547", "S548", "S549", "S550", "S551", "S552", "S553"):
        s = atlas.sources[sid]
        assert s.publisher and s.title and s.date and s.url.startswith("http")
    # "last year" in a dated article: the record gives the article's date
    assert atlas.sources["S539"].date == "2019-10-31" and atlas.sources["S541"].date == "2022-08-16"


def test_turkmenistan_2012_keeps_the_radio_s_figure_beside_the_ambassador_s(atlas):
    tkm2012 = dict(timeline.trade_figures(atlas, "TKM"))[2012]
    assert tkm2012.value == 10.4 and tkm2012.sources == ("S501",)
    assert [(v.value, v.sources) for v in tkm2012.variants] == [(10.3, ("S547",)), (9.722, ("S910",))]
    # "more than $10 billion" in 2013: kept with its qualifier, not rounded up or down
    tkm2013 = dict(timeline.trade_figures(atlas, "TKM"))[2013]
    assert tkm2013.value == 10 and tkm2013.qualifier == "more_than"


def test_kazakhstan_2021_shows_both_counts_and_their_gap(atlas):
    m = measures.mirror(atlas, "KAZ", 2021)
    assert (m.china.value, m.partner.value) == (25.25, 18)
    assert m.gap_pct == pytest.approx((25.25 - 18) / 18 * 100)


def test_the_five_stay_below_the_1992_regional_total(atlas):
    total = timeline.regional_totals(atlas)[1992].value  # US$460 m
    known = [f.value for iso3 in ("KAZ", "KGZ", "TJK", "TKM", "UZB")
             if (f := dict(timeline.trade_figures(atlas, iso3))[1992]) is not None]
    # Kazakhstan and Turkmenistan from the news pages, the other three from the IMF's DOTS (S910)
    assert sorted(known) == [0.00276, 0.0045, 0.0156, 0.0522, 0.368] and sum(known) <= total


def test_info_json_shows_uzbekistans_new_years(capsys):
    from silkmap.cli import run

    assert run(["info", "UZB", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    years = {y["year"]: y for y in data["dated"]["trade"]["years"]}
    assert years[2018]["value"] == pytest.approx(6.26e9) and years[2018]["source"] == "S539"
    assert years[2021]["value"] == pytest.approx(8.051e9) and years[2021]["source"] == "S541"
    # the gap 2019 had is filled by the IMF's DOTS, China reporting
    assert years[2019]["value"] == pytest.approx(7.225e9) and years[2019]["source"] == "S910"
    assert {"S539", "S541"} <= set(data["sources"])


# The IMF's Direction of Trade Statistics, China ("China, P.R.: Mainland") as reporter, read from
# data/DOTS/DOTS_40.xlsx of GitHub SamLeBlanc/Direction-of-Trade-Map (commit a769819d): exports FOB
# plus imports CIF in US$ m, 1992-2020. (iso3, year, US$ bn, exports US$ m, imports US$ m)
DOTS = "S910"
DOTS_PINNED = [
    ("KAZ", 1992, 0.363, "222.441", "140.923"),
    ("KAZ", 2005, 6.801, "3898.885", "2902.267"),
    ("KAZ", 2020, 21.433, "11706.98856", "9726.32159"),
    ("KGZ", 1992, 0.0156, "9.853", "5.734"),
    ("KGZ", 2008, 9.335, "9213.847", "121.241"),
    ("KGZ", 2020, 2.911, "2876.41346", "34.76733"),
    ("TJK", 1992, 0.00276, "1.953", "0.803"),
    ("TJK", 2011, 2.069, "1996.956722", "71.992147"),
    ("TJK", 2020, 1.063, "1018.09454", "45.2685"),
    ("TKM", 1992, 0.00446, "4.049", "0.414"),
    ("TKM", 2014, 10.47, "953.754812", "9516.158297"),
    ("TKM", 2020, 6.516, "444.81502", "6071.16528"),
    ("UZB", 1992, 0.0522, "38.534", "13.631"),
    ("UZB", 2019, 7.225, "5044.5706", "2180.63389"),
    ("UZB", 2020, 6.633, "5149.9974", "1483.12524"),
]
FIVE = ("KAZ", "KGZ", "TJK", "TKM", "UZB")


def _from(fig, sid: str):
    """The figure of a year read from ``sid``: the record itself, or its one variant from it
    where a published figure is primary."""
    if sid in fig.sources:
        return fig
    found = [v for v in fig.variants if sid in v.sources]
    assert len(found) == 1, fig
    return found[0]


def _dots_figure(fig):
    return _from(fig, DOTS)


def _source_note(sid: str) -> str:
    """The source's note as the file has it (the file, the commit, what it holds)."""
    raw = json.loads((Path(__file__).parents[1] / "assets" / "geo" / "sources.json").read_text("utf-8"))
    return raw["sources"][sid]["note"]


@pytest.mark.parametrize("iso3, year, value, exports, imports", DOTS_PINNED)
def test_the_imf_dots_series_gives_china_s_own_count(atlas, iso3, year, value, exports, imports):
    fig = dict(timeline.trade_figures(atlas, iso3))[year]
    d = _dots_figure(fig)
    assert d.value == pytest.approx(value)
    # the sum the note gives is the value, to the data's own precision
    assert f"exports US${exports} m" in d.note["en"] and f"imports US${imports} m" in d.note["en"]
    assert (float(exports) + float(imports)) / 1000 == pytest.approx(value, rel=5e-3)
    assert d.note["zh-Hans"] and d.note["zh-Hant"]


def test_every_year_1992_2020_carries_the_dots_source(atlas):
    s = atlas.sources[DOTS]
    assert s.url == "https://github.com/SamLeBlanc/Direction-of-Trade-Map" and "IMF" in s.publisher
    note = _source_note(DOTS)
    assert "data/DOTS/DOTS_40.xlsx" in note and "a769819d9b25a21a362d6cabfb10f150903f834d" in note
    for iso3 in FIVE:
        figs = dict(timeline.trade_figures(atlas, iso3))
        for year in range(1992, 2021):
            assert figs[year] is not None and figs[year].confidence == "confirmed", (iso3, year)
            d = _dots_figure(figs[year])
            assert "China reporting" in d.note["en"] or "China reporting" in figs[year].note["en"]
        # 2021 is not in the extract: no DOTS figure is made up for it
        assert figs[2021] is None or DOTS not in figs[2021].sources
    # where a published figure was already there it stays primary, the IMF's beside it
    kgz2017 = dict(timeline.trade_figures(atlas, "KGZ"))[2017]
    assert kgz2017.value == 5.45 and [(v.value, v.sources) for v in kgz2017.variants] == [(5.733, (DOTS,))]
    tjk2013 = dict(timeline.trade_figures(atlas, "TJK"))[2013]  # the same figure: the source is added
    assert tjk2013.value == 1.959 and tjk2013.sources == ("S502", DOTS) and not tjk2013.variants


def test_the_dots_five_sum_to_just_under_the_published_regional_totals(atlas):
    totals = timeline.regional_totals(atlas)
    checked = 0
    for year in (1992, 2012):
        five = sum(_dots_figure(dict(timeline.trade_figures(atlas, iso3))[year]).value for iso3 in FIVE)
        assert five <= totals[year].value and five == pytest.approx(totals[year].value, rel=0.05), year
        checked += 1
    assert checked == 2


# The same workbooks with the partner as reporter: Kazakhstan (DOTS_103.xlsx), Kyrgyzstan
# (DOTS_109.xlsx), Tajikistan (DOTS_192.xlsx); Turkmenistan's and Uzbekistan's are not used.
# (iso3, year, US$ bn, exports to China US$ m, imports from China US$ m)
PARTNER_DOTS = "S911"
PARTNER_DOTS_PINNED = [
    ("KAZ", 1994, 0.219, "148.9", "69.8"),
    ("KAZ", 2010, 14.084, "10121.6191", "3962.501871"),
    ("KAZ", 2020, 15.351, "9004.006953", "6346.496276"),
    ("KGZ", 1992, 0.0443, "28", "16.3"),
    ("KGZ", 2011, 0.966, "42.040299", "923.54448"),
    ("KGZ", 2020, 0.78, "43.234975", "736.83525"),
    ("TJK", 1993, 0.0107, "0.1472", "10.5224"),
    ("TJK", 2012, 0.793, "80.376195", "713.115384"),
    ("TJK", 2020, 0.473, "34.411308", "438.39205"),
]


def _partner_dots(fig):
    return _from(fig, PARTNER_DOTS)


@pytest.mark.parametrize("iso3, year, value, exports, imports", PARTNER_DOTS_PINNED)
def test_the_imf_dots_series_gives_the_partner_s_own_count(atlas, iso3, year, value, exports, imports):
    fig = dict(timeline.partner_series(atlas, iso3))[year]
    d = _partner_dots(fig)
    assert d.value == pytest.approx(value) and d.confidence == "unconfirmed"
    assert f"exports to China US${exports} m" in d.note["en"] and f"imports from China US${imports} m" in d.note["en"]
    assert "Unconfirmed" in d.note["en"]  # the note says why
    assert (float(exports) + float(imports)) / 1000 == pytest.approx(value, rel=5e-3)
    # never mixed into the China customs series
    china = dict(timeline.trade_figures(atlas, iso3))[year]
    assert PARTNER_DOTS not in china.sources and all(PARTNER_DOTS not in v.sources for v in china.variants)


def test_every_partner_dots_year_carries_its_source_and_estimates_stay_out(atlas):
    note = _source_note(PARTNER_DOTS)
    assert all(f"DOTS_{n}.xlsx" in note for n in (103, 109, 192)) and "a769819d9b25a21a362d6cabfb10f150903f834d" in note
    for iso3, years in PARTNER_DOTS_YEARS.items():
        series = dict(timeline.partner_series(atlas, iso3))
        for year in years:
            _partner_dots(series[year])
        # years the file marks as IMF estimates ('e') are not the partner's count: left out
        for year in set(range(1992, 2021)) - years:
            fig = series.get(year)
            assert fig is None or (PARTNER_DOTS not in fig.sources
                                   and all(PARTNER_DOTS not in v.sources for v in fig.variants))
    for iso3 in ("TKM", "UZB"):  # their workbooks hold IMF estimates: not used
        for _y, fig in timeline.partner_series(atlas, iso3):
            assert PARTNER_DOTS not in fig.sources and all(PARTNER_DOTS not in v.sources for v in fig.variants)
    # a published figure stays primary, the IMF's beside it; the same figure adds the source
    kaz2010 = dict(timeline.partner_series(atlas, "KAZ"))[2010]
    assert kaz2010.value == 20.3 and [(v.value, v.sources) for v in kaz2010.variants] == [(14.084, (PARTNER_DOTS,))]
    tjk2016 = dict(timeline.partner_series(atlas, "TJK"))[2016]
    assert tjk2016.value == 0.885 and tjk2016.sources == ("S513", PARTNER_DOTS) and tjk2016.confidence == "confirmed"
