"""Sourced facts: sources, figures, country profiles, region-level facts.

Every figure carries the ids of its sources and a confidence. The loaders check that each
cited id exists, so a figure without a resolvable source cannot reach the screen.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from silkmap.core.validate import Reader, read_json

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
    extra: dict = field(default_factory=dict)


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
                r.fail(f"{field}[{i}]", f"expected a source id, got {sid!r}")
            if sid not in self.sources:
                r.fail(f"{field}[{i}]", f"unknown source id {sid!r} (not in {self.file.name})")
        return tuple(ids)


def load_sources(path: Path) -> SourceIndex:
    data = read_json(path)
    top = Reader(path, "sources", data)
    sources: dict[str, Source] = {}
    for sid, raw in top.raw("sources").items():
        r = Reader(path, f"source {sid}", raw)
        sources[sid] = Source(sid, r.str("publisher"), r.str("title"), r.str("date", ""),
                              r.str("url", ""), tuple(r.list("also", [])))
    return SourceIndex(sources, path)


def read_figure(r: Reader, src: SourceIndex) -> Figure:
    variants = tuple(read_figure(r.child(f"variants[{i}]", v), src)
                     for i, v in enumerate(r.list("variants", [])))
    unit = r.str("unit", "") if not variants else r.str("unit", "")
    confidence = r.choice("confidence", CONFIDENCE, "confirmed")
    return Figure(value=r.number("value"), unit=unit,
                  sources=src.refs(r, "sources", confidence=confidence), confidence=confidence,
                  note=r.text("note", None), variants=variants, date=r.str("date", None),
                  qualifier=r.str("qualifier", None))


def _figure_or_none(r: Reader, field: str, src: SourceIndex) -> Figure | None:
    if not r.has(field):
        return None
    return read_figure(r.child(field), src)


def _event(r: Reader, src: SourceIndex) -> Event:
    date = r.str("date")
    year = int(r.number("year", None) or int(date[:4]))
    confidence = r.choice("confidence", CONFIDENCE, "confirmed")
    return Event(date=date, year=year, label=r.text("label", {"en": "", "zh-Hans": "", "zh-Hant": ""}),
                 event=r.text("event", None), sources=src.refs(r, "sources", confidence=confidence),
                 confidence=confidence)


def _project(r: Reader, iso3: str, src: SourceIndex) -> Project:
    figures = {k: read_figure(r.child(f"figures.{k}", v), src)
               for k, v in (r.raw("figures", {}) or {}).items()}
    return Project(
        id=r.str("id"), country=iso3, name=r.text("name"), type=r.text("type"),
        status=r.choice("status", PROJECT_STATUS), summary=r.text("summary"), figures=figures,
        lon=r.number("lon", lo=-180, hi=180), lat=r.number("lat", lo=-90, hi=90),
        location_confidence=r.choice("location_confidence", CONFIDENCE + ("data",)),
        sources=src.refs(r, "sources"), location_note=r.text("location_note", None))


def load_profiles(path: Path, src: SourceIndex) -> dict[str, Profile]:
    data = read_json(path)
    countries = Reader(path, "profiles", data).raw("countries")
    if not isinstance(countries, dict):
        Reader(path, "profiles", data).fail("countries", "expected an object keyed by ISO3 code")
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
            date = rel.str("date")
            relations_since = Event(date, int(date[:4]), {}, None, src.refs(rel, "sources"),
                                    rel.choice("confidence", CONFIDENCE, "confirmed"))
        history: tuple[Event, ...] = ()
        current_level = current_year = None
        if r.has("partnership"):
            p = r.child("partnership")
            history = tuple(_event(p.child(f"history[{i}]", h), src)
                            for i, h in enumerate(p.list("history")))
            cur = p.child("current")
            current_level, current_year = cur.text("label"), int(cur.number("year"))
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
                trade[y] = read_figure(years.child(y), src)
            for i, raw_p in enumerate(t.list("partner_side", [])):
                pr = t.child(f"partner_side[{i}]", raw_p)
                partner.append(PartnerTrade(str(pr.raw("period")), read_figure(pr.child("value"), src),
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
                    status=mr.choice("status", MEMBERSHIP_STATUS), since=mr.raw("since", None),
                    detail=mr.text("detail"), sources=src.refs(mr, "sources", confidence=conf),
                    confidence=conf, status_confidence=mr.choice("status_confidence", CONFIDENCE, conf))
        projects = tuple(_project(r.child(f"projects[{i}]", p), iso3, src)
                         for i, p in enumerate(r.list("projects", [])))
        profiles[iso3] = Profile(
            iso3=iso3, name=r.text("name"), official_name=r.text("official_name", None) or r.text("name"),
            capital=r.str("capital"), area_km2=read_figure(r.child("area_km2"), src),
            population=_figure_or_none(r, "population", src), relations_since=relations_since,
            partnership=history, current_level=current_level, current_year=current_year,
            trade=trade, trade_basis=basis, partner_side=tuple(partner), china_rank_2022=_figure_or_none(r, "china_rank_2022", src),
            memberships=memberships, projects=projects)
    return profiles


def _item_list(r: Reader, src: SourceIndex) -> ItemList:
    return ItemList(items=tuple(r.child(f"items[{i}]", {"t": it}).text("t")
                                for i, it in enumerate(r.list("items"))),
                    sources=src.refs(r, "sources"), note=r.text("note", None),
                    date=r.str("date", None))


def load_region(path: Path, src: SourceIndex) -> Region:
    data = read_json(path)
    top = Reader(path, "region", data)
    facts = {}
    for i, raw in enumerate(top.list("facts")):
        r = Reader(path, f"fact {raw.get('id', i) if isinstance(raw, dict) else i}", raw)
        facts[r.str("id")] = RegionFact(r.str("id"), r.text("label"), read_figure(r.child("figure"), src))
    hub_r = top.child("hub")
    figures, dates = {}, {}
    for k, v in hub_r.raw("figures", {}).items():
        item = hub_r.child(f"figures.{k}", v)
        if item.has("value"):
            figures[k] = read_figure(item, src)
        else:
            dates[k] = _event(item, src)
    hub = Hub(id=hub_r.str("id"), name=hub_r.text("name"), summary=hub_r.text("summary"),
              figures=figures, sources=src.refs(hub_r, "sources"), dates=dates)
    summits = []
    for i, raw in enumerate(top.list("summits", [])):
        r = Reader(path, f"summit {i}", raw)
        summits.append(Summit(id=r.str("id"), name=r.text("name"), place=r.text("place", None),
                              dates=str(r.raw("dates", "")),
                              points=tuple(r.child(f"points[{j}]", {"t": p}).text("t")
                                           for j, p in enumerate(r.list("points", []))),
                              sources=src.refs(r, "sources")))
    return Region(article=top.str("article"), facts=facts,
                  proposals_2022=_item_list(top.child("proposals_2022"), src),
                  upgrade_aspects=_item_list(top.child("summit_upgrade_aspects"), src),
                  summits=tuple(summits), hub=hub,
                  extra={k: v for k, v in data.items()
                         if k not in ("article", "facts", "proposals_2022",
                                      "summit_upgrade_aspects", "summits", "hub")})
