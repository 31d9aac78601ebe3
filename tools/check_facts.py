#!/usr/bin/env python3
"""Consistency check for silkmap's fact data in assets/geo/ (standard library only).

Checks the six JSON files sources.json, profiles.json, region.json, places.json,
routes.json and dated.json:

* every source id used anywhere (``sources`` lists, ``point_sources``, ``article``, and
  S/P ids written inside texts) resolves in sources.json;
* every Text is a dict with non-empty "en", "zh-Hans" and "zh-Hant" strings;
* every Figure has a numeric value, a known unit, a non-empty source list and a valid
  confidence (variants too);
* all coordinates lie within lon 0..140, lat 10..60;
* every route has at least two waypoints, and every id reference (places, capitals,
  UNESCO components) resolves;
* dated.json: partnership levels rise in date order, each route's and project's statuses are
  in date order and name a known route or project, every event has a kind, a date and
  sources, and the trade table lists every year 1992–2021 for each of the five (null for a
  year no source was found for: a gap, never an estimate).

Optional fields beyond the base shapes (all checked when present):
  Figure:   "date" (ISO date the figure refers to), "qualifier" ("about" | "more_than" | "up_to").
  Place:    "geonames_id", "historic_name" (Text), "unesco_1442" (bool, component of the 2014 listing).
  Route:    "sequence_confidence" (how sure the order of nodes is), "figures" (dict of Figures),
            "schematic" (bool: generic path, not a real service); waypoint "on_route" ("named"
            with its "sources", or "inferred"), "leg" ("inferred": a guessed alignment from the
            previous waypoint), "geonames_id", "note".
  Profile:  "codes" (ISO 3166), "name_sources", "name_cldr_zh_hant"; membership "status_confidence"
            (when "confidence" describes only the unconfirmed year); history "note"; partner_side
            "sources" (for the explanatory note).
  Project:  "status_note", "location_note", "date_note", "endpoints" (line projects), "first_train".
  Region:   summit "point_sources" (parallel to "points"), "place_id"; hub "place";
            "unesco_2014" with "mapped_components" (place ids) and "unmapped_components".

Usage: python tools/check_facts.py [DATA_DIR]   (default: <repo>/assets/geo)
Exits 1 and lists the problems if any check fails; prints a short summary otherwise.
"""
from __future__ import annotations

import ipaddress
import json
import re
import sys
from pathlib import Path
from urllib.parse import urlsplit

FILES = ("sources.json", "profiles.json", "region.json", "places.json", "routes.json", "dated.json",
         "physical-names.json", "measures.json", "search-names.json")
LANGS = ("en", "zh-Hans", "zh-Hant")
UNITS = {"USD bn", "USD m", "km", "bcm/yr", "Mt/yr", "ha", "km2", "percent", "count", "MW", "CNY bn"}
UNSOURCED_OK = {"approx", "general", "unconfirmed"}
CONFIDENCE = {"confirmed", "data", "derived", "approx", "general", "unconfirmed"}
LOCATION_CONFIDENCE = {"data", "approx", "unconfirmed"}
PLACE_CONFIDENCE = {"data", "approx", "confirmed"}
PLACE_KINDS = {"capital", "hub", "city", "border_port", "heritage_site"}
PROJECT_STATUS = {"operating", "under_construction", "planned", "stalled", "producing", "completed"}
MEMBERSHIP_STATUS = {"founding_member", "member", "observer", "not_member", "suspended", "signed", "initiator"}
MEMBERSHIPS = ("SCO", "EAEU", "CSTO", "AIIB", "BRI")
ROUTE_ERA = {"historical", "modern"}
ROUTE_KIND = {"caravan", "rail", "road", "pipeline_gas", "pipeline_oil"}
ROUTE_STATUS = {"historical", "operating", "under_construction", "planned", "stalled"}
TRADE_YEARS = ("2022", "2023", "2024", "2025")
DATED_TRADE_YEARS = tuple(str(y) for y in range(1992, 2022))  # the years before the profiles'
LEVELS = ("relations", "strategic", "comprehensive", "upgraded")
DATED_STATUS = ("agreed", "construction", "open", "stalled")
EVENT_KINDS = {"treaty", "declaration", "membership", "summit"}
COUNTRIES = ("KAZ", "KGZ", "TJK", "TKM", "UZB", "CHN")
QUALIFIERS = {"about", "more_than", "up_to"}
# keys whose (non-null) value must be a Text, outside sources.json
TEXT_KEYS = {"name", "label", "summary", "description", "detail", "event", "type", "basis", "official_name",
             "note", "location_note", "status_note", "date_note", "historic_name", "session"}
TEXT_LIST_KEYS = {"items", "points"}
KEBAB = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
DATE = re.compile(r"^\d{4}(?:-\d{2}(?:-\d{2}(?:/\d{2})?)?)?$")
ID_IN_TEXT = re.compile(r"\b(S\d{1,3}b?|P\d{1,2})\b")
LON_RANGE = (0.0, 140.0)
LAT_RANGE = (10.0, 60.0)


# -- source URLs -------------------------------------------------------------------
# A source links to its publisher's own page. Hosts are checked against an allow-list of
# publisher domains (a domain admits its subdomains); anything else fails, and so does any
# host matching the deny-list of mirror, spam, staging and preview patterns, even when it
# is allowed or marked as a copy. A record whose publisher says "copy of …" (only a copy
# of the publisher's page could be found) may link to one of the reviewed COPY_HOSTS.
PUBLISHER_DOMAINS = frozenset("""
    github.com naturalearthdata.com unesco.org unesco.kz unikaz.asia un.org fao.org aiib.org
    gov.cn scio.gov.cn mofcom.gov.cn fmprc.gov.cn sasac.gov.cn ndrc.gov.cn news.cn xinhuanet.com
    people.cn people.com.cn peopledaily.com.cn chinadaily.com.cn china.org.cn cri.cn cgtn.com
    globaltimes.cn ecns.cn ce.cn gmw.cn shine.cn chinausfocus.com crntt.com wenweipo.com
    newschinamag.com yicaiglobal.com
    gov.kz akorda.kz inform.kz qazinform.com kt.kz astanatimes.com orda.kz europe-china.kz
    mcps-khorgos.kz khorgos.kz silk-road.kz ezhelgi-taraz.kz
    gov.kg 24.kg vb.kg knews.kg mts.kg gazeta.kg
    khovar.tj asiaplustj.info news.tj
    turkmenistan.gov.tm tmembassy.gov.tm turkmenistan.ru
    kun.uz gazeta.uz daryo.uz gapim.uz cottonfair.uz uza.uz kursiv.media president.uz
    eurasianet.org rferl.org tass.com intellinews.com trend.az fergana.ru fergana.agency newscentralasia.net
    caspianpost.com caliber.az bernama.com aninews.in thehindu.com nhk.or.jp scmp.com
    anews.com.tr globenewswire.com asianews.it railwaygazette.com railway-news.com railwaypro.com
    ogj.com oilandgaseurasia.com naturalgasworld.com gem.wiki aiddata.org crbc.com crecg.com
    cfts.org.ua oevz.com nh-logistics.com sunoasis.com.cn wilcan.com.cn newsilkroaddiscovery.com
    theasian.asia sputniknews.cn cacianalyst.org ihsn.org globalsupportprogramme.org
    sr-center.info turanews.kz menafn.com wikipedia.org china.com.cn undocs.org tengritimes.com
    turkic.world bjreview.com.cn turkmenportal.com asiaplus.tj tengrinews.kz
    thediplomat.com cabar.asia azernews.az
""".split())
COPY_HOSTS = frozenset("""
    www.tellerreport.com ncnn.com.ng www.einpresswire.com www.america-times.com kazworld.info
    chinaminutes.com diariodepe.com.br www.theindiansubcontinent.com news.videostory.com
    khabarasia.com socialistchina.org turkmenistannewsgazette.com tj.vesti.news twocircles.net
    kebev.com geo.bnu.edu.cn
""".split())
# Sites that publish their own pages but carry little authority: kept only where no primary
# source was found, and the record's note must say "low authority".
LOW_AUTHORITY_DOMAINS = frozenset("""
    ast.uz dookinternational.com vntoworld.com socialistchina.org turkmenistannewsgazette.com
    bektour.uz acash.org.pk landofthegreatsteppe.com
""".split())
DENY_HOST_WORDS = ("staging", "preview", "mirror", "cache", "proxy", "sandbox", "webcache",
                   "amplifyapp", "zinioapps", "herokuapp", "netlify", "vercel", "pages.dev",
                   "translate.goog", "googleusercontent", "uncensored-wiki", "wikizero",
                   "wikimili", "piglix", "zxc.wiki", "academic.com", "docslib", "cupdf",
                   "pdfslide", "tripod.com", "covid-19.")
DENY_HOST_PREFIXES = ("dev.", "test.", "beta.", "stage.", "uat.")
DENY_TLDS = frozenset("top xyz click loan win bid icu cyou buzz rest monster gq ml cf tk ga work "
                      "kim men date stream racing review download accountant party science "
                      "trade webcam faith cricket".split())
DENY_HOSTS = frozenset("""
    annekabbott.com chinesetoday.com yuzhongnet.com 666dongdong.cn pricecafe.net afdelivr.top
    szjzcy.com shenduxp.com jizihe.com ahcaijing.com seksinnederland.com the-uncensored-wiki.com
    zaochenbao.com baida3.com
""".split())
COPY_PREFIXES = ("copy of ", "archived copy of ")


def _in(host: str, domains) -> bool:
    return any(host == d or host.endswith("." + d) for d in domains)


def url_problem(url: object, is_copy: bool = False, says_low_authority: bool = False) -> str | None:
    """Why ``url`` may not stand as a source link, or None if it may."""
    if not isinstance(url, str) or not url:
        return "url must be a non-empty string"
    if any(c.isspace() for c in url) or any(ord(c) < 32 for c in url):
        return "url contains whitespace or control characters"
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        return f"url cannot be parsed ({exc})"
    if parts.scheme not in ("http", "https"):
        return f"scheme {parts.scheme!r} is not http or https"
    if "@" in parts.netloc or parts.username is not None or parts.password is not None:
        return "url carries user information"
    host = (parts.hostname or "").lower()
    if not host:
        return "url has no host"
    if port is not None and port != {"http": 80, "https": 443}[parts.scheme]:
        return f"non-standard port {port}"
    if ":" in parts.netloc.rsplit("]", 1)[-1] and port is None:
        return "url has an empty port"
    if host.endswith("."):
        return f"host {host!r} ends with a dot"
    try:
        ipaddress.ip_address(host.strip("[]"))
        return f"host {host!r} is an IP address, not the publisher's name"
    except ValueError:
        pass
    if host.strip("[]") != host or not re.fullmatch(r"[a-z0-9-]+(\.[a-z0-9-]+)+", host):
        return f"host {host!r} is not a plain domain name"
    if host.startswith("xn--") or ".xn--" in host:
        return f"host {host!r} is an internationalised name; link the publisher's ASCII domain"
    if _in(host, DENY_HOSTS) or host.rsplit(".", 1)[-1] in DENY_TLDS \
            or any(w in host for w in DENY_HOST_WORDS) or host.startswith(DENY_HOST_PREFIXES):
        return f"host {host!r} is a mirror, spam, staging or preview host"
    if _in(host, PUBLISHER_DOMAINS):
        return None
    if _in(host, LOW_AUTHORITY_DOMAINS):
        return None if says_low_authority else (f"host {host!r} is a low-authority site: the record's "
                                                f"note must say 'low authority'")
    if host in COPY_HOSTS:
        return None if is_copy else (f"host {host!r} only carries copies: the record must say "
                                     f"'copy of …' in its publisher")
    return f"host {host!r} is not on the list of publisher domains"


class Checker:
    def __init__(self, data_dir: Path):
        self.dir = data_dir
        self.errors: list[str] = []
        self.data: dict[str, object] = {}
        self.source_ids: set[str] = set()
        self.used_ids: set[str] = set()
        self.n_texts = 0
        self.n_figures = 0

    # -- helpers -------------------------------------------------------------
    def err(self, where: str, msg: str) -> None:
        line = f"{where}: {msg}"
        if line not in self.errors:
            self.errors.append(line)

    def load(self) -> bool:
        for name in FILES:
            path = self.dir / name
            try:
                with path.open(encoding="utf-8") as f:
                    self.data[name] = json.load(f)
            except (OSError, json.JSONDecodeError) as e:
                self.err(name, f"cannot load: {e}")
        return not self.errors

    def ref(self, where: str, sid: object) -> None:
        if not isinstance(sid, str) or sid not in self.source_ids:
            self.err(where, f"unknown source id {sid!r}")
        else:
            self.used_ids.add(sid)

    def refs(self, where: str, value: object, allow_empty: bool = True) -> None:
        if not isinstance(value, list):
            self.err(where, f"sources must be a list, got {type(value).__name__}")
            return
        if not value and not allow_empty:
            self.err(where, "sources must not be empty")
        for sid in value:
            self.ref(where, sid)

    def is_text(self, value: object) -> bool:
        return isinstance(value, dict) and set(value) == set(LANGS)

    def text(self, where: str, value: object) -> None:
        if not isinstance(value, dict):
            self.err(where, f"expected a Text dict, got {type(value).__name__}")
            return
        if set(value) != set(LANGS):
            self.err(where, f"Text keys must be exactly {LANGS}, got {sorted(value)}")
        for lang in LANGS:
            s = value.get(lang)
            if not isinstance(s, str) or not s.strip():
                self.err(where, f"Text has empty or missing {lang!r}")
            else:
                for sid in ID_IN_TEXT.findall(s):
                    self.ref(f"{where}.{lang} (id in text)", sid)
        self.n_texts += 1

    def figure(self, where: str, fig: object) -> None:
        if not isinstance(fig, dict):
            self.err(where, f"expected a Figure, got {type(fig).__name__}")
            return
        self.n_figures += 1
        v = fig.get("value")
        if isinstance(v, bool) or not isinstance(v, (int, float)):
            self.err(where, f"Figure value must be a number, got {v!r}")
        if fig.get("unit") not in UNITS:
            self.err(where, f"Figure unit {fig.get('unit')!r} not in {sorted(UNITS)}")
        src = fig.get("sources")
        # approximate, general-knowledge and unconfirmed figures may cite nothing (the app flags them)
        if not isinstance(src, list) or (not src and fig.get("confidence") not in UNSOURCED_OK):
            self.err(where, "Figure needs a non-empty sources list")
        if fig.get("confidence") not in CONFIDENCE:
            self.err(where, f"Figure confidence {fig.get('confidence')!r} invalid")
        if fig.get("confidence") == "derived" and "note" not in fig:
            self.err(where, "derived Figure must explain the calculation in 'note'")
        if "qualifier" in fig and fig["qualifier"] not in QUALIFIERS:
            self.err(where, f"Figure qualifier {fig['qualifier']!r} invalid")
        if "date" in fig and not (isinstance(fig["date"], str) and DATE.match(fig["date"])):
            self.err(where, f"Figure date {fig['date']!r} is not ISO-like")
        for i, var in enumerate(fig.get("variants") or []):
            w = f"{where}.variants[{i}]"
            if not isinstance(var, dict):
                self.err(w, "variant must be a dict")
                continue
            vv = var.get("value")
            if isinstance(vv, bool) or not isinstance(vv, (int, float)):
                self.err(w, f"variant value must be a number, got {vv!r}")
            if not isinstance(var.get("sources"), list) or not var.get("sources"):
                self.err(w, "variant needs a non-empty sources list")
            if "note" not in var:
                self.err(w, "variant needs a note saying where it comes from")

    def coord(self, where: str, obj: dict) -> None:
        lon, lat = obj.get("lon"), obj.get("lat")
        for name, val, (lo, hi) in (("lon", lon, LON_RANGE), ("lat", lat, LAT_RANGE)):
            if isinstance(val, bool) or not isinstance(val, (int, float)):
                self.err(where, f"{name} must be a number, got {val!r}")
            elif not lo <= val <= hi:
                self.err(where, f"{name}={val} outside {lo}..{hi}")

    def date(self, where: str, value: object, allow_none: bool = False) -> None:
        if value is None and allow_none:
            return
        if not isinstance(value, str) or not DATE.match(value):
            self.err(where, f"date {value!r} is not ISO-like (YYYY[-MM[-DD]])")

    # -- generic walk over every file -----------------------------------------
    def walk(self, where: str, node: object, in_sources_file: bool) -> None:
        if isinstance(node, dict):
            if self.is_text(node) or (not in_sources_file and "en" in node):
                self.text(where, node)
                return
            if "unit" in node and "value" in node:
                self.figure(where, node)
            if "lon" in node or "lat" in node:
                self.coord(where, node)
            for key, val in node.items():
                w = f"{where}.{key}"
                if key == "sources" and not in_sources_file:
                    self.refs(w, val)
                elif key == "point_sources":
                    if not isinstance(val, list):
                        self.err(w, "point_sources must be a list of lists")
                    else:
                        for i, lst in enumerate(val):
                            self.refs(f"{w}[{i}]", lst, allow_empty=False)
                elif key == "article":
                    self.ref(w, val)
                elif key == "confidence" and not in_sources_file and val not in CONFIDENCE:
                    self.err(w, f"invalid confidence {val!r}")
                elif key in ("sequence_confidence", "status_confidence") and val not in CONFIDENCE:
                    self.err(w, f"invalid confidence {val!r}")
                elif key == "location_confidence" and val not in LOCATION_CONFIDENCE:
                    self.err(w, f"invalid location_confidence {val!r}")
                if not in_sources_file and key in TEXT_KEYS and val is not None and key != "place":
                    self.text(w, val)
                    continue
                if not in_sources_file and key in TEXT_LIST_KEYS:
                    if not isinstance(val, list) or not val:
                        self.err(w, "must be a non-empty list of Texts")
                        continue
                    for i, t in enumerate(val):
                        self.text(f"{w}[{i}]", t)
                    continue
                self.walk(w, val, in_sources_file)
        elif isinstance(node, list):
            for i, item in enumerate(node):
                self.walk(f"{where}[{i}]", item, in_sources_file)

    # -- file-specific checks ---------------------------------------------------
    def check_sources(self) -> None:
        src = self.data["sources.json"]
        table = src.get("sources") if isinstance(src, dict) else None
        if not isinstance(table, dict) or not table:
            self.err("sources.json", "missing 'sources' object")
            return
        for sid, e in table.items():
            w = f"sources.json[{sid}]"
            if not re.match(r"^(S\d+b?|P\d+|N\d+|A1|NE)$", sid):  # N: positions of physical names
                self.err(w, "unexpected id form")
            if not isinstance(e, dict):
                self.err(w, "entry must be an object")
                continue
            for key in ("publisher", "title", "date", "url"):
                if not isinstance(e.get(key), str):
                    self.err(w, f"{key} must be a string")
            if not (e.get("publisher") or e.get("title")):
                self.err(w, "needs a publisher or a title")
            is_copy = str(e.get("publisher", "")).lower().startswith(COPY_PREFIXES)
            low = "low authority" in str(e.get("note", "")).lower()
            problem = url_problem(e.get("url"), is_copy, low)
            if problem:
                self.err(w, f"url {e.get('url')!r}: {problem}")
            also = e.get("also", [])
            if not isinstance(also, list):
                self.err(w, "also must be a list of urls")
                also = []
            for u in also:
                problem = url_problem(u, is_copy, low)
                if problem:
                    self.err(w, f"also-url {u!r}: {problem}")
            if e.get("date") and not DATE.match(e["date"]):
                self.err(w, f"date {e['date']!r} is not ISO-like")
        self.source_ids = set(table)
        for required in ("A1", "NE"):
            if required not in table:
                self.err("sources.json", f"missing {required}")
        # NE is cited by the boundary files and the About box, not by a record here.
        self.used_ids.update({"NE"} & set(table))

    def check_places(self) -> set[str]:
        places = self.data["places.json"].get("places", [])
        ids: set[str] = set()
        for i, p in enumerate(places):
            w = f"places.json[{i}:{p.get('id')}]"
            pid = p.get("id")
            if not isinstance(pid, str) or not KEBAB.match(pid):
                self.err(w, "id must be kebab-case")
            if pid in ids:
                self.err(w, "duplicate id")
            ids.add(pid)
            if p.get("kind") not in PLACE_KINDS:
                self.err(w, f"kind {p.get('kind')!r} invalid")
            if p.get("country") not in COUNTRIES:
                self.err(w, f"country {p.get('country')!r} not one of {COUNTRIES}")
            if p.get("confidence") not in PLACE_CONFIDENCE:
                self.err(w, f"place confidence {p.get('confidence')!r} invalid")
            if "lon" not in p or "lat" not in p:
                self.err(w, "needs lon and lat")
            self.text(f"{w}.name", p.get("name"))
        kinds = [p.get("kind") for p in places]
        if kinds.count("capital") != 6:
            self.err("places.json", f"expected 6 capitals, found {kinds.count('capital')}")
        return ids

    def check_routes(self, place_ids: set[str]) -> None:
        routes = self.data["routes.json"].get("routes", [])
        seen: set[str] = set()
        for i, r in enumerate(routes):
            w = f"routes.json[{i}:{r.get('id')}]"
            if not isinstance(r.get("id"), str) or not KEBAB.match(r["id"]):
                self.err(w, "id must be kebab-case")
            if r.get("id") in seen:
                self.err(w, "duplicate id")
            seen.add(r.get("id"))
            if r.get("era") not in ROUTE_ERA:
                self.err(w, f"era {r.get('era')!r} invalid")
            if r.get("kind") not in ROUTE_KIND:
                self.err(w, f"kind {r.get('kind')!r} invalid")
            if r.get("status") not in ROUTE_STATUS:
                self.err(w, f"status {r.get('status')!r} invalid")
            if r.get("length") is not None:
                self.figure(f"{w}.length", r["length"])
            self.refs(f"{w}.sources", r.get("sources"), allow_empty=False)
            wps = r.get("waypoints")
            if not isinstance(wps, list) or len(wps) < 2:
                self.err(w, "needs at least 2 waypoints")
                continue
            for j, wp in enumerate(wps):
                ww = f"{w}.waypoints[{j}]"
                if wp.get("place") is not None and wp["place"] not in place_ids:
                    self.err(ww, f"unknown place {wp['place']!r}")
                if wp.get("confidence") not in CONFIDENCE:
                    self.err(ww, f"confidence {wp.get('confidence')!r} invalid")
                if wp.get("on_route") not in ("named", "inferred"):
                    self.err(ww, f"on_route {wp.get('on_route')!r} is not 'named' or 'inferred'")
                elif (wp["on_route"] == "named") != bool(wp.get("sources")):
                    self.err(ww, "a named waypoint cites its sources; an inferred one cites none")
                if "lon" not in wp or "lat" not in wp:
                    self.err(ww, "needs lon and lat")
                self.text(f"{ww}.name", wp.get("name"))

    def check_profiles(self, place_ids: set[str]) -> list[dict]:
        countries = self.data["profiles.json"].get("countries", {})
        projects: list[dict] = []
        for iso in COUNTRIES:
            if iso not in countries:
                self.err("profiles.json", f"missing country {iso}")
        project_ids: set[str] = set()
        for iso, c in countries.items():
            w = f"profiles.json[{iso}]"
            if c.get("iso3") != iso:
                self.err(w, "iso3 does not match key")
            if c.get("capital") not in place_ids:
                self.err(w, f"capital {c.get('capital')!r} is not a place id")
            for key in ("name", "official_name"):
                self.text(f"{w}.{key}", c.get(key))
            self.figure(f"{w}.area_km2", c.get("area_km2"))
            self.figure(f"{w}.population", c.get("population"))
            if iso == "CHN":
                for key in ("diplomatic_relations", "partnership", "trade"):
                    if c.get(key) is not None:
                        self.err(w, f"{key} must be null for CHN")
            else:
                dr = c.get("diplomatic_relations") or {}
                self.date(f"{w}.diplomatic_relations.date", dr.get("date"))
                self.refs(f"{w}.diplomatic_relations.sources", dr.get("sources"), allow_empty=False)
                part = c.get("partnership") or {}
                cur = part.get("current") or {}
                self.text(f"{w}.partnership.current.label", cur.get("label"))
                self.date(f"{w}.partnership.current.date", cur.get("date"))
                for j, h in enumerate(part.get("history") or []):
                    hw = f"{w}.partnership.history[{j}]"
                    self.date(f"{hw}.date", h.get("date"))
                    if not isinstance(h.get("year"), int) or not str(h.get("date", "")).startswith(str(h.get("year"))):
                        self.err(hw, "year must be an int matching date")
                    self.refs(f"{hw}.sources", h.get("sources"), allow_empty=False)
                trade = c.get("trade") or {}
                self.text(f"{w}.trade.basis", trade.get("basis"))
                for year in TRADE_YEARS:
                    self.figure(f"{w}.trade.years.{year}", (trade.get("years") or {}).get(year))
                    yoy = (trade.get("yoy_percent") or {}).get(year, "missing")
                    if yoy == "missing":
                        self.err(w, f"trade.yoy_percent.{year} missing (use null)")
                    elif yoy is not None:
                        self.figure(f"{w}.trade.yoy_percent.{year}", yoy)
                for j, ps in enumerate(trade.get("partner_side") or []):
                    self.figure(f"{w}.trade.partner_side[{j}].value", ps.get("value"))
                self.figure(f"{w}.china_rank_2022", c.get("china_rank_2022"))
            mem = c.get("memberships") or {}
            for org in MEMBERSHIPS:
                m = mem.get(org)
                mw = f"{w}.memberships.{org}"
                if not isinstance(m, dict):
                    self.err(mw, "missing")
                    continue
                if m.get("status") not in MEMBERSHIP_STATUS:
                    self.err(mw, f"status {m.get('status')!r} invalid")
                self.date(f"{mw}.since", m.get("since"), allow_none=True)
                self.text(f"{mw}.detail", m.get("detail"))
                if m.get("confidence") not in CONFIDENCE:
                    self.err(mw, f"confidence {m.get('confidence')!r} invalid")
                if m.get("confidence") != "general" and not m.get("sources"):
                    self.err(mw, "needs sources unless confidence is 'general'")
            for j, p in enumerate(c.get("projects") or []):
                pw = f"{w}.projects[{j}:{p.get('id')}]"
                pid = p.get("id")
                if not isinstance(pid, str) or not KEBAB.match(pid):
                    self.err(pw, "id must be kebab-case")
                if pid in project_ids:
                    self.err(pw, "duplicate project id")
                project_ids.add(pid)
                if p.get("status") not in PROJECT_STATUS:
                    self.err(pw, f"status {p.get('status')!r} invalid")
                for key in ("name", "type", "summary"):
                    self.text(f"{pw}.{key}", p.get(key))
                for fk, fv in (p.get("figures") or {}).items():
                    self.figure(f"{pw}.figures.{fk}", fv)
                if "lon" not in p or "lat" not in p:
                    self.err(pw, "needs lon and lat")
                self.refs(f"{pw}.sources", p.get("sources"), allow_empty=False)
                projects.append(p)
        return projects

    def check_region(self, place_ids: set[str]) -> None:
        reg = self.data["region.json"]
        self.ref("region.json.article", reg.get("article"))
        ids: set[str] = set()
        for i, fact in enumerate(reg.get("facts") or []):
            w = f"region.json.facts[{i}:{fact.get('id')}]"
            if not isinstance(fact.get("id"), str) or not KEBAB.match(fact["id"]):
                self.err(w, "id must be kebab-case")
            if fact.get("id") in ids:
                self.err(w, "duplicate id")
            ids.add(fact.get("id"))
            self.text(f"{w}.label", fact.get("label"))
            self.figure(f"{w}.figure", fact.get("figure"))
        for key, n in (("proposals_2022", 5), ("summit_upgrade_aspects", 5)):
            block = reg.get(key) or {}
            if len(block.get("items") or []) != n:
                self.err(f"region.json.{key}", f"expected {n} items")
            self.refs(f"region.json.{key}.sources", block.get("sources"), allow_empty=False)
        summit_ids = [s.get("id") for s in reg.get("summits") or []]
        for sid in ("virtual-2022", "xian-2023", "astana-2025"):
            if sid not in summit_ids:
                self.err("region.json.summits", f"missing summit {sid}")
        for s in reg.get("summits") or []:
            w = f"region.json.summits[{s.get('id')}]"
            if "place_id" in s and s["place_id"] not in place_ids:
                self.err(w, f"unknown place_id {s['place_id']!r}")
            pts, psrc = s.get("points") or [], s.get("point_sources")
            if psrc is not None and len(psrc) != len(pts):
                self.err(w, "point_sources must parallel points")
            for fk, fv in (s.get("figures") or {}).items():
                self.figure(f"{w}.figures.{fk}", fv)
        hub = reg.get("hub") or {}
        if hub.get("place") not in place_ids:
            self.err("region.json.hub", f"unknown place {hub.get('place')!r}")
        for fk, fv in (hub.get("figures") or {}).items():
            if isinstance(fv, dict) and "unit" not in fv:  # dated event, e.g. first_train
                self.date(f"region.json.hub.figures.{fk}.date", fv.get("date"))
                self.refs(f"region.json.hub.figures.{fk}.sources", fv.get("sources"), allow_empty=False)
            else:
                self.figure(f"region.json.hub.figures.{fk}", fv)
        unesco = reg.get("unesco_2014") or {}
        for pid in unesco.get("mapped_components") or []:
            if pid not in place_ids:
                self.err("region.json.unesco_2014", f"unknown mapped component {pid!r}")

    def check_dated(self, projects: list[dict]) -> None:
        dated = self.data["dated.json"]
        w = "dated.json"
        if not isinstance(dated, dict):
            self.err(w, "must be an object")
            return

        def key(date: str):
            parts = date.split("-")
            return tuple(int(p) for p in parts) + (0,) * (3 - len(parts))

        part = dated.get("partnership") or {}
        for iso in COUNTRIES[:-1]:
            steps = part.get(iso)
            if not isinstance(steps, list) or not steps:
                self.err(f"{w}.partnership", f"missing levels of {iso}")
                continue
            last = None
            for j, step in enumerate(steps):
                sw = f"{w}.partnership.{iso}[{j}]"
                self.date(f"{sw}.from", step.get("from"))
                self.refs(f"{sw}.sources", step.get("sources"), allow_empty=False)
                if step.get("level") not in LEVELS:
                    self.err(sw, f"level {step.get('level')!r} not in {LEVELS}")
                    continue
                if last is not None and (LEVELS.index(step["level"]) <= LEVELS.index(last[0])
                                         or (DATE.match(str(step.get("from"))) and key(step["from"]) < key(last[1]))):
                    self.err(sw, "levels must rise in date order")
                last = (step["level"], str(step.get("from")))
        route_ids = {r.get("id") for r in self.data["routes.json"].get("routes", [])}
        project_ids = {p.get("id") for p in projects}
        for field, known in (("routes", route_ids), ("projects", project_ids)):
            for rid, steps in (dated.get(field) or {}).items():
                rw = f"{w}.{field}.{rid}"
                if rid not in known:
                    self.err(rw, f"unknown {field[:-1]} id")
                if not isinstance(steps, list) or not steps:
                    self.err(rw, "needs at least one dated status")
                    continue
                dates = []
                for j, step in enumerate(steps):
                    if step.get("status") not in DATED_STATUS:
                        self.err(f"{rw}[{j}]", f"status {step.get('status')!r} not in {DATED_STATUS}")
                    self.date(f"{rw}[{j}].date", step.get("date"))
                    self.refs(f"{rw}[{j}].sources", step.get("sources"), allow_empty=False)
                    if DATE.match(str(step.get("date"))):
                        dates.append(key(step["date"]))
                if dates != sorted(dates):
                    self.err(rw, "statuses must be in date order")
        for rid, rc in (dated.get("route_countries") or {}).items():
            if rid not in route_ids:
                self.err(f"{w}.route_countries.{rid}", "unknown route id")
            if not isinstance(rc, dict) or not rc.get("countries") or not set(rc["countries"]) <= set(COUNTRIES[:-1]):
                self.err(f"{w}.route_countries.{rid}", "countries must name some of the five")
            else:
                self.refs(f"{w}.route_countries.{rid}.sources", rc.get("sources"), allow_empty=False)
        ids: set[str] = set()
        for j, ev in enumerate(dated.get("events") or []):
            ew = f"{w}.events[{j}:{ev.get('id')}]"
            if not isinstance(ev.get("id"), str) or not KEBAB.match(ev["id"]) or ev["id"] in ids:
                self.err(ew, "id must be kebab-case and unique")
            ids.add(ev.get("id"))
            if ev.get("kind") not in EVENT_KINDS:
                self.err(ew, f"kind {ev.get('kind')!r} invalid")
            self.date(f"{ew}.date", ev.get("date"))
            self.refs(f"{ew}.sources", ev.get("sources"), allow_empty=False)
            self.text(f"{ew}.label", ev.get("label"))
            if not ev.get("countries") or not set(ev["countries"]) <= set(COUNTRIES[:-1]):
                self.err(ew, "countries must name some of the five")
        trade = (dated.get("trade") or {}).get("countries") or {}
        self.text(f"{w}.trade.basis", (dated.get("trade") or {}).get("basis"))
        for iso in COUNTRIES[:-1]:
            years = trade.get(iso)
            if not isinstance(years, dict):
                self.err(f"{w}.trade", f"missing trade of {iso}")
                continue
            for y in DATED_TRADE_YEARS:
                if y not in years:
                    self.err(f"{w}.trade.{iso}", f"year {y} missing (use null for a gap)")
                elif years[y] is not None:
                    self.figure(f"{w}.trade.{iso}.{y}", years[y])
                    if years[y].get("unit") != "USD bn":
                        self.err(f"{w}.trade.{iso}.{y}", "unit must be 'USD bn'")
            for y in set(years) - set(DATED_TRADE_YEARS):
                self.err(f"{w}.trade.{iso}.{y}", "not a year 1992–2021 (later years live in profiles.json)")
        partner = (dated.get("trade") or {}).get("partner") or {}
        for iso, years in partner.items():
            if iso not in COUNTRIES[:-1] or not isinstance(years, dict):
                self.err(f"{w}.trade.partner.{iso}", "must be one of the five with a table of years")
                continue
            for y, fig in years.items():
                if not (y.isdigit() and 1992 <= int(y) <= 2025) or fig is None:
                    self.err(f"{w}.trade.partner.{iso}.{y}", "needs a year 1992–2025 and a figure")
        for y, fig in ((dated.get("trade") or {}).get("region") or {}).items():
            if not (y.isdigit() and 1992 <= int(y) <= 2025) or not isinstance(fig, dict):
                self.err(f"{w}.trade.region.{y}", "needs a year 1992–2025 and a figure")

    def check_measures(self) -> None:
        """measures.json: tables of the five by year, every figure sourced, in its table's unit."""
        doc = self.data["measures.json"]
        w = "measures.json"
        units = {"population": "count", "total_trade": "USD bn", "partner_china": "USD bn",
                 "exports": "USD bn", "imports": "USD bn"}
        for table, unit in units.items():
            rows = doc.get(table) if isinstance(doc, dict) else None
            if not isinstance(rows, dict):
                self.err(f"{w}.{table}", "missing table")
                continue
            for iso in COUNTRIES[:-1]:
                if not isinstance(rows.get(iso), dict):
                    self.err(f"{w}.{table}", f"missing {iso} (use {{}} for no figures)")
            for iso, years in rows.items():
                if iso not in COUNTRIES[:-1] or not isinstance(years, dict):
                    self.err(f"{w}.{table}.{iso}", "must be one of the five with a table of years")
                    continue
                for y, fig in years.items():
                    fw = f"{w}.{table}.{iso}.{y}"
                    if not (y.isdigit() and 1992 <= int(y) <= 2025) or not isinstance(fig, dict):
                        self.err(fw, "needs a year 1992–2025 and a figure")
                        continue
                    if fig.get("unit") != unit:
                        self.err(fw, f"unit must be {unit!r}")
                    if not fig.get("sources"):
                        self.err(fw, "a figure used in a measure needs a source (leave a gap out)")

    # -- run ------------------------------------------------------------------
    def run(self) -> dict:
        if not self.load():
            return {}
        self.check_sources()
        for name in FILES:
            self.walk(name, self.data[name], in_sources_file=(name == "sources.json"))
        place_ids = self.check_places()
        self.check_routes(place_ids)
        projects = self.check_profiles(place_ids)
        self.check_region(place_ids)
        self.check_dated(projects)
        self.check_measures()
        for sid in sorted(self.source_ids - self.used_ids):
            self.err(f"sources.json[{sid}]", "no record cites this source (cite it or remove it)")
        countries = self.data["profiles.json"].get("countries", {})
        sum2022 = sum(countries[c]["trade"]["years"]["2022"]["value"]
                      for c in COUNTRIES if c != "CHN" and countries.get(c, {}).get("trade"))
        total2022 = next((f["figure"]["value"] for f in self.data["region.json"].get("facts", [])
                          if f.get("id") == "trade-2022-total"), None)
        return {
            "sources": len(self.source_ids),
            "sources_used": len(self.used_ids),
            "places": len(place_ids),
            "routes": len(self.data["routes.json"].get("routes", [])),
            "projects": len(projects),
            "texts_checked": self.n_texts,
            "figures_checked": self.n_figures,
            "trade_2022_sum_of_five": round(sum2022, 2),
            "trade_2022_total": total2022,
        }


def main(argv: list[str]) -> int:
    data_dir = Path(argv[1]) if len(argv) > 1 else Path(__file__).resolve().parent.parent / "assets" / "geo"
    checker = Checker(data_dir)
    summary = checker.run()
    if checker.errors:
        for e in checker.errors:
            print("FAIL", e)
        print(f"{len(checker.errors)} problem(s) in {data_dir}")
        return 1
    for key, val in summary.items():
        print(f"{key}: {val}")
    print("check_facts: OK")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
