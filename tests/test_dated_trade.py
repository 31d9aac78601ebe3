"""The dated trade series (assets/geo/dated.json) keeps each figure with the page it was read
from, in the series its basis belongs to: China-side figures in the China customs series,
the partner's own counts beside it. Pinned here: figures read on publishers' pages for years
the series had as gaps."""

from __future__ import annotations

import json

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
BOTH_SIDES = {("KAZ", 2010), ("KAZ", 2013), ("KAZ", 2021), ("KGZ", 2012), ("KGZ", 2017)}


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
    for iso3, year in (("KGZ", 2018), ("TJK", 2018), ("TJK", 2009)):  # one side only: no gap
        m = measures.mirror(atlas, iso3, year)
        assert m.gap_pct is None and not m.comparable


def test_rounded_figures_are_kept_as_variants_of_the_precise_ones(atlas):
    kaz2021 = dict(timeline.trade_figures(atlas, "KAZ"))[2021]
    assert [(v.value, v.sources, v.qualifier) for v in kaz2021.variants] == [(25, ("S509",), "about")]
    uzb2022 = measures.inputs(atlas).partner["UZB"][2022]
    assert uzb2022.value == 9.06 and uzb2022.sources == ("S525",)
    assert [(v.value, v.sources) for v in uzb2022.variants] == [(9, ("S542",))]
    assert "rounded" in uzb2022.variants[0].note["en"]


def test_the_sources_say_what_they_support_and_when(atlas):
    for sid in ("S531", "S532", "S533", "S534", "S535", "S536", "S537", "S538", "S539", "S540", "S541", "S542",
                "S543", "S544", "S545", "S546", "S547", "S548", "S549", "S550", "S551", "S552"):
        s = atlas.sources[sid]
        assert s.publisher and s.title and s.date and s.url.startswith("http")
    # "last year" in a dated article: the record gives the article's date
    assert atlas.sources["S539"].date == "2019-10-31" and atlas.sources["S541"].date == "2022-08-16"


def test_turkmenistan_2012_keeps_the_radio_s_figure_beside_the_ambassador_s(atlas):
    tkm2012 = dict(timeline.trade_figures(atlas, "TKM"))[2012]
    assert tkm2012.value == 10.4 and tkm2012.sources == ("S501",)
    assert [(v.value, v.sources) for v in tkm2012.variants] == [(10.3, ("S547",))]
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
    assert sorted(known) == [0.0045, 0.368] and sum(known) <= total


def test_info_json_shows_uzbekistans_new_years(capsys):
    from silkmap.cli import run

    assert run(["info", "UZB", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    years = {y["year"]: y for y in data["dated"]["trade"]["years"]}
    assert years[2018]["value"] == pytest.approx(6.26e9) and years[2018]["source"] == "S539"
    assert years[2021]["value"] == pytest.approx(8.051e9) and years[2021]["source"] == "S541"
    assert years[2019]["value"] is None and years[2019]["source"] is None  # still a gap
    assert {"S539", "S541"} <= set(data["sources"])
