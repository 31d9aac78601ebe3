"""Sourced facts: sources, figures, country profiles, region-level facts.

Every figure carries the ids of its sources and a confidence. The loaders check that each
cited id exists, so a figure without a resolvable source cannot reach the screen.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from silkmap.core.errors import shown
from silkmap.core.validate import MAX_NAME, Reader, parse_date, read_json

Text = dict[str, str]

CONFIDENCE = ("confirmed", "data", "derived", "approx", "general", "unconfirmed")
# Statements from general knowledge have nothing to cite; the app labels them instead.
UNSOURCED_OK = ("approx", "general", "unconfirmed")
FOCUS = ("KAZ", "KGZ", "TJK", "TKM", "UZB")
TRADE_YEARS = ("2022", "2023", "2024", "2025")
MEMBERSHIPS = ("SCO", "EAEU", "CSTO", "AIIB", "BRI")
MEMBERSHIP_STATUS = ("founding_member", "member", "observer", "not_member", "suspended",
                     "signed", "initiator")
PROJECT_STATUS = ("operating", "under_construction", "planned", "stalled", "producing",
                  "completed")
# How a source words a value; the labels spell out exactly these.
QUALIFIERS = ("more_than", "about")
YEARS = (1, 9999)


@dataclass(frozen=True)
class Source:
    id: str
    publisher: str
    title: str
    date: str
    url: str
    also: tuple[str, ...] = ()

    def citation(self) -> str:
        parts = [self.publisher, f"“{self.title}”"]
        if self.date:
            parts.append(self.date)
        if self.url:
            parts.append(self.url)
        return ", ".join(parts)


@dataclass(frozen=True)
class Figure:
    value: float
    unit: str
    sources: tuple[str, ...]
    confidence: str
    note: Text | None = None
    variants: tuple["Figure", ...] = ()
    date: str | None = None
    qualifier: str | None = None  # "more_than", "about", …: how the source words the value


@dataclass(frozen=True)
class Event:
    date: str
    year: int
    label: Text
    event: Text | None
    sources: tuple[str, ...]
    confidence: str


@dataclass(frozen=True)
class Membership:
    status: str
    since: str | None
    detail: Text
    sources: tuple[str, ...]
    confidence: str  # of the whole entry, or of its year where status_confidence differs
    status_confidence: str = "confirmed"


@dataclass(frozen=True)
class Project:
    id: str
    country: str
    name: Text
    type: Text
    status: str
    summary: Text
    figures: dict[str, Figure]
    lon: float
    lat: float
    location_confidence: str
    sources: tuple[str, ...]
    location_note: Text | None = None


@dataclass(frozen=True)
class PartnerTrade:
    """Trade as the Central Asian partner's own statistics report it (they differ from GACC)."""

    period: str
    figure: Figure
    note: Text | None


@dataclass(frozen=True)
class Profile:
    iso3: str
    name: Text
    official_name: Text
    capital: str
    area_km2: Figure
    population: Figure | None
    relations_since: Event | None
    partnership: tuple[Event, ...]
    current_level: Text | None
    current_year: int | None
    trade: dict[str, Figure]
    trade_basis: Text | None
    partner_side: tuple["PartnerTrade", ...]
    china_rank_2022: Figure | None
    memberships: dict[str, Membership]
    projects: tuple[Project, ...]

    @property
    def is_china(self) -> bool:
        return self.iso3 == "CHN"


@dataclass(frozen=True)
class RegionFact:
    id: str
    label: Text
    figure: Figure


@dataclass(frozen=True)
class ItemList:
    items: tuple[Text, ...]
    sources: tuple[str, ...]
    note: Text | None = None
    date: str | None = None


@dataclass(frozen=True)
class Hub:
    id: str
    name: Text
    summary: Text
    figures: dict[str, Figure]
    sources: tuple[str, ...]
    dates: dict[str, Event] = field(default_factory=dict)  # dated milestones without a value


@dataclass(frozen=True)
class Summit:
    id: str
    name: Text
    place: Text | None
    dates: str
    points: tuple[Text, ...]
    sources: tuple[str, ...]


@dataclass
class Region:
    article: str
    facts: dict[str, RegionFact]
    proposals_2022: ItemList
    upgrade_aspects: ItemList
    summits: tuple[Summit, ...]
    hub: Hub


class SourceIndex:
    """Resolves source ids; every reference is checked when a file is loaded."""

    def __init__(self, sources: dict[str, Source], file: Path) -> None:
        self.sources = sources
        self.file = file

    def __getitem__(self, sid: str) -> Source:
        return self.sources[sid]

    def __contains__(self, sid: str) -> bool:
        return sid in self.sources

    def refs(self, r: Reader, field: str, *, required: bool = True,
             confidence: str | None = None) -> tuple[str, ...]:
        if confidence in UNSOURCED_OK:
            required = False
        ids = r.list(field, [] if not required else ...)
        if required and not ids:
            r.fail(field, "a figure needs at least one source")
        for i, sid in enumerate(ids):
            if not isinstance(sid, str):
                r.fail(f"{field}[{i}]", f"expected a source id, got {shown(sid)}")
            if sid not in self.sources:
                r.fail(f"{field}[{i}]", f"unknown source id {shown(sid)} (not in {self.file.name})")
        return tuple(ids)


def load_sources(path: Path, data: Any = None) -> SourceIndex:
    data = read_json(path) if data is None else data
    top = Reader(path, "sources", data)
    sources: dict[str, Source] = {}
    for sid, raw in top.dict("sources").items():
        r = Reader(path, f"source {sid}", raw)
        if not sid.strip() or len(sid) > MAX_NAME or not sid.isprintable():
            r.fail("", "is not a usable source id")
        date = r.str("date", "", blank=True, limit=40)
        if date and not parse_date(date):
            r.fail("date", f"{shown(date)} is not a date (YYYY, YYYY-MM or YYYY-MM-DD)")
        also = tuple(r.child(f"also[{i}]", {"url": a}).str("url")
                     for i, a in enumerate(r.list("also", [])))
        sources[sid] = Source(sid, r.str("publisher"), r.str("title"), date,
                              r.str("url", "", blank=True), also)
    return SourceIndex(sources, path)


def read_figure(r: Reader, src: SourceIndex, lo: float | None = None) -> Figure:
    """A sourced value; ``lo`` bounds it (and its variants) from below, e.g. 0 for an area."""
    variants = tuple(read_figure(r.child(f"variants[{i}]", v), src, lo)
                     for i, v in enumerate(r.list("variants", [])))
    confidence = r.choice("confidence", CONFIDENCE, "confirmed")
    return Figure(value=r.number("value", lo=lo), unit=r.str("unit", "", blank=True, limit=MAX_NAME),
                  sources=src.refs(r, "sources", confidence=confidence), confidence=confidence,
                  note=r.text("note", None), variants=variants, date=r.date("date", None),
                  qualifier=r.choice("qualifier", QUALIFIERS, None))


def read_figures(r: Reader, field: str, src: SourceIndex) -> dict[str, Figure]:
    """An object of named figures (capacity, cost, …)."""
    return {k: read_figure(r.child(f"{field}.{k}", v), src) for k, v in r.dict(field, {}).items()}


def _figure_or_none(r: Reader, field: str, src: SourceIndex, lo: float | None = None) -> Figure | None:
    if not r.has(field):
        return None
    return read_figure(r.child(field), src, lo)


def _event(r: Reader, src: SourceIndex) -> Event:
    date = r.date("date")
    year = _year_of(r, date)
    confidence = r.choice("confidence", CONFIDENCE, "confirmed")
    return Event(date=date, year=year, label=r.text("label", {"en": "", "zh-Hans": "", "zh-Hant": ""}),
                 event=r.text("event", None), sources=src.refs(r, "sources", confidence=confidence),
                 confidence=confidence)


def _year_of(r: Reader, date: str) -> int:
    """The event's year: its ``year`` field where given, which must agree with its date."""
    year = parse_date(date)[0]
    given = r.integer("year", None, *YEARS)
    if given is not None and given != year:
        r.fail("year", f"{given} does not match the date {shown(date)}")
    return year


def _project(r: Reader, iso3: str, src: SourceIndex) -> Project:
    figures = read_figures(r, "figures", src)
    return Project(
        id=r.name("id"), country=iso3, name=r.text("name", limit=MAX_NAME), type=r.text("type", limit=MAX_NAME),
        status=r.choice("status", PROJECT_STATUS), summary=r.text("summary"), figures=figures,
        lon=r.number("lon", lo=-180, hi=180), lat=r.number("lat", lo=-90, hi=90),
        location_confidence=r.choice("location_confidence", CONFIDENCE + ("data",)),
        sources=src.refs(r, "sources"), location_note=r.text("location_note", None))


def load_profiles(path: Path, src: SourceIndex, data: Any = None) -> dict[str, Profile]:
    data = read_json(path) if data is None else data
    countries = Reader(path, "profiles", data).dict("countries")
    profiles: dict[str, Profile] = {}
    for iso3 in FOCUS + ("CHN",):
        if iso3 not in countries:
            Reader(path, "profiles", data).fail(f"countries.{iso3}", "profile is missing")
    for iso3, raw in countries.items():
        r = Reader(path, f"country {iso3}", raw)
        china = iso3 == "CHN"
        rel = None if china or not r.has("diplomatic_relations") else r.child("diplomatic_relations")
        relations_since = None
        if rel is not None:
            date = rel.date("date")
            relations_since = Event(date, parse_date(date)[0], {}, None, src.refs(rel, "sources"),
                                    rel.choice("confidence", CONFIDENCE, "confirmed"))
        history: tuple[Event, ...] = ()
        current_level = current_year = None
        if r.has("partnership"):
            p = r.child("partnership")
            history = tuple(_event(p.child(f"history[{i}]", h), src)
                            for i, h in enumerate(p.list("history")))
            cur = p.child("current")
            current_level, current_year = cur.text("label"), cur.integer("year", lo=YEARS[0], hi=YEARS[1])
            if cur.has("date") and parse_date(cur.date("date"))[0] != current_year:
                cur.fail("year", f"{current_year} does not match the date {shown(cur.data['date'])}")
        elif not china:
            r.fail("partnership", "is missing")
        trade: dict[str, Figure] = {}
        basis = None
        partner: list[PartnerTrade] = []
        if r.has("trade"):
            t = r.child("trade")
            basis = t.text("basis")
            years = t.child("years")
            for y in TRADE_YEARS:
                trade[y] = read_figure(years.child(y), src, lo=0)
            for i, raw_p in enumerate(t.list("partner_side", [])):
                pr = t.child(f"partner_side[{i}]", raw_p)
                partner.append(PartnerTrade(pr.name("period"), read_figure(pr.child("value"), src, lo=0),
                                            pr.text("note", None)))
        elif not china:
            r.fail("trade", "is missing")
        memberships = {}
        if r.has("memberships"):
            m = r.child("memberships")
            for name in MEMBERSHIPS:
                if not m.has(name):
                    continue
                mr = m.child(name)
                conf = mr.choice("confidence", CONFIDENCE, "confirmed")
                memberships[name] = Membership(
                    status=mr.choice("status", MEMBERSHIP_STATUS), since=mr.date("since", None),
                    detail=mr.text("detail"), sources=src.refs(mr, "sources", confidence=conf),
                    confidence=conf, status_confidence=mr.choice("status_confidence", CONFIDENCE, conf))
        projects = tuple(_project(r.child(f"projects[{i}]", p), iso3, src)
                         for i, p in enumerate(r.list("projects", [])))
        profiles[iso3] = Profile(
            iso3=iso3, name=r.text("name", limit=MAX_NAME),
            official_name=r.text("official_name", None, limit=MAX_NAME) or r.text("name", limit=MAX_NAME),
            capital=r.name("capital"), area_km2=read_figure(r.child("area_km2"), src, lo=1),
            population=_figure_or_none(r, "population", src, lo=0), relations_since=relations_since,
            partnership=history, current_level=current_level, current_year=current_year,
            trade=trade, trade_basis=basis, partner_side=tuple(partner),
            china_rank_2022=_figure_or_none(r, "china_rank_2022", src, lo=1),
            memberships=memberships, projects=projects)
    return profiles


def _item_list(r: Reader, src: SourceIndex) -> ItemList:
    return ItemList(items=tuple(r.child(f"items[{i}]", {"t": it}).text("t")
                                for i, it in enumerate(r.list("items"))),
                    sources=src.refs(r, "sources"), note=r.text("note", None),
                    date=r.date("date", None))


def load_region(path: Path, src: SourceIndex, data: Any = None) -> Region:
    data = read_json(path) if data is None else data
    top = Reader(path, "region", data)
    facts = {}
    for i, raw in enumerate(top.list("facts")):
        r = Reader(path, f"fact {raw.get('id', i) if isinstance(raw, dict) else i}", raw)
        fid = r.name("id")
        if fid in facts:
            r.fail("id", f"duplicate fact id {shown(fid)}")
        facts[fid] = RegionFact(fid, r.text("label"), read_figure(r.child("figure"), src))
    hub_r = top.child("hub")
    figures, dates = {}, {}
    for k, v in hub_r.dict("figures", {}).items():
        item = hub_r.child(f"figures.{k}", v)
        if item.has("value"):
            figures[k] = read_figure(item, src)
        else:
            dates[k] = _event(item, src)
    hub = Hub(id=hub_r.name("id"), name=hub_r.text("name", limit=MAX_NAME), summary=hub_r.text("summary"),
              figures=figures, sources=src.refs(hub_r, "sources"), dates=dates)
    summits = []
    for i, raw in enumerate(top.list("summits", [])):
        r = Reader(path, f"summit {i}", raw)
        summits.append(Summit(id=r.name("id"), name=r.text("name"), place=r.text("place", None),
                              dates=r.date("dates", "", span=True),
                              points=tuple(r.child(f"points[{j}]", {"t": p}).text("t")
                                           for j, p in enumerate(r.list("points", []))),
                              sources=src.refs(r, "sources")))
    return Region(article=top.str("article"), facts=facts,
                  proposals_2022=_item_list(top.child("proposals_2022"), src),
                  upgrade_aspects=_item_list(top.child("summit_upgrade_aspects"), src),
                  summits=tuple(summits), hub=hub)
