"""Find anything on the map by name: countries, capitals and cities, the towns along the routes,
routes, projects, dated events and the names of deserts, ranges, lakes and rivers, in English,
简体 and 繁體, with the alternates of assets/geo/search-names.json (Alma-Ata, Frunze, Chang'an,
Ghulja …). Qt-free; the window's search field (ui/search_box.py) asks ``SearchIndex.search``.

Names are compared folded: case, accents and tone marks, apostrophes, hyphens and spaces do not
count (Almatı = Almaty, Xī'ān = Xi'an = Xian, Oʻzbekiston = O'zbekiston), and traditional
characters are read as their simplified forms, so a query in either script finds both. Hits rank
exact > prefix > word prefix > substring > fuzzy (one or two typing slips).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from silkmap.core.errors import DataError, shown
from silkmap.core.validate import Reader, read_json

FILE = "search-names.json"
LANGS = ("en", "zh-Hans", "zh-Hant")
EXACT, PREFIX, WORD, SUBSTRING, FUZZY = range(5)
# Equal tiers list the things a user most likely means first.
KIND_ORDER = ("country", "place", "route", "project", "physical", "town", "event")
MAX_HITS = 50
# Letters NFKD leaves whole: folded by hand so a Kazakh, Polish or Turkmen spelling still matches.
_LETTERS = str.maketrans({"ı": "i", "ł": "l", "ø": "o", "đ": "d", "ð": "d", "þ": "th", "æ": "ae",
                          "œ": "oe", "ŋ": "n", "ə": "a", "ß": "ss"})


@dataclass(frozen=True)
class Entry:
    kind: str  # one of KIND_ORDER
    id: str  # unique within the kind
    names: dict  # {"en", "zh-Hans", "zh-Hant"}: what the result list shows
    sub: str  # place kind, route kind, physical kind, event kind, country role
    opens: tuple[str, str] | None  # the Selection (kind, id) a click on it would make; None: zoom only
    # Where the map goes: ("country", iso3) | ("route", id) | ("project", id) | ("point", x, y)
    # | ("bounds", x0, y0, x1, y1) | ("name", x, y, min_m_per_px, max_m_per_px)
    focus: tuple
    keys: tuple[tuple[str, str], ...]  # (folded, as written) for every name it answers to
    country: str | None = None
    context: dict | None = None  # a second name to tell it apart (the route a town lies on)
    event: Any = None  # core.timeline.Event for kind "event"


@dataclass(frozen=True)
class Hit:
    entry: Entry
    tier: int  # EXACT … FUZZY
    matched: str  # the name as written that matched (an alternate, a script, the display name)


def _keep(c: str) -> bool:
    cat = unicodedata.category(c)
    return (cat[0] == "L" and cat != "Lm") or cat[0] == "N"


def fold(s: str, hans: dict[str, str] | None = None) -> str:
    """``s`` as compared: casefolded, without accents, tone marks or separators; with ``hans``
    (traditional → simplified characters) in the simplified script."""
    s = unicodedata.normalize("NFKD", s.casefold()).translate(_LETTERS)
    out = [c for c in s if not unicodedata.combining(c)]
    words = "".join(c if _keep(c) else " " for c in out).split()
    text = " ".join(words)
    return "".join(hans.get(c, c) for c in text) if hans else text


def _compact(folded: str) -> str:
    return folded.replace(" ", "")


def hans_map(pairs) -> dict[str, str]:
    """Traditional → simplified characters, read off the data's own (zh-Hans, zh-Hant) pairs: a
    character pair counts only where the traditional one never occurs in simplified text."""
    pairs = [(a, b) for a, b in pairs if a and b and len(a) == len(b)]
    in_hans = {c for a, _b in pairs for c in a}
    out: dict[str, str] = {}
    for a, b in pairs:
        for s, t in zip(a, b):
            if s != t and t not in in_hans:
                out.setdefault(t, s)
    return out


def split_names(name: str) -> list[str]:
    """A name and the names inside it: "Khotan (Hotan)" → also "Khotan", "Hotan";
    "武威（凉州）" → also "武威", "凉州"."""
    out = [name]
    for open_, close in (("(", ")"), ("（", "）")):
        if open_ in name and name.endswith(close):
            head, _sep, rest = name.partition(open_)
            out += [head.strip(), rest[:-1].strip()]
    return [n for n in dict.fromkeys(out) if n]


def _distance(a: str, b: str, limit: int) -> int:
    """Edit distance with transpositions (optimal string alignment), cut off above ``limit``."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    prev2: list[int] | None = None
    prev = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        cur = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = a[i - 1] != b[j - 1]
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if prev2 is not None and i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        if min(cur) > limit:
            return limit + 1
        prev2, prev = prev, cur
    return prev[-1]


def _slips(n: int) -> int:
    """How many typing slips a query of n letters may carry and still be a fuzzy hit."""
    return 0 if n < 4 else 1 if n < 8 else 2


class SearchIndex:
    def __init__(self, entries: list[Entry], hans: dict[str, str]) -> None:
        self.entries = entries
        self.hans = hans
        # (compact key, words, where words begin, as written) per entry, folded once
        self._keys = [[(_compact(k), k.split(), _word_starts(k), w) for k, w in e.keys] for e in entries]

    def fold(self, s: str) -> str:
        return fold(s, self.hans)

    def search(self, query: str, limit: int = MAX_HITS) -> list[Hit]:
        cq = _compact(self.fold(query))
        if not cq:
            return []
        # The dotless ı of Kazakh and Turkmen Latin stands for the y of English spellings
        # (Almatı = Almaty, Qızılorda = Kyzylorda) as well as for an i.
        forms = dict.fromkeys([cq, _compact(self.fold(query.replace("ı", "y")))])
        hits = self._scan(forms, 0)
        # Slips are looked for only when nothing holds what was typed: fewer false friends.
        if not hits and not any(ord(c) >= 0x2e80 for c in cq):
            hits = self._scan(forms, _slips(len(cq)))
        hits.sort(key=lambda h: h[0])
        return [h for _r, h in hits[:limit]]

    def _scan(self, forms, slips: int) -> list[tuple[tuple, Hit]]:
        hits: list[tuple[tuple, Hit]] = []
        for entry, keys in zip(self.entries, self._keys):
            best: tuple[int, int, str] | None = None
            for compact, words, starts, written in keys:
                for cq in forms:
                    tier = self._tier(cq, compact, words, starts, slips)
                    if tier is not None and (best is None or (tier, len(compact)) < best[:2]):
                        best = (tier, len(compact), written)
            if best is not None:
                tier, length, written = best
                rank = (tier, KIND_ORDER.index(entry.kind), length, entry.names["en"].casefold())
                hits.append((rank, Hit(entry, tier, written)))
        return hits

    @staticmethod
    def _tier(cq: str, compact: str, words: list[str], starts: tuple[int, ...], slips: int) -> int | None:
        if compact == cq:
            return EXACT
        if compact.startswith(cq):
            return PREFIX
        if cq in compact:
            return WORD if any(compact.startswith(cq, s) for s in starts) else SUBSTRING
        # A slip is looked for after the first letter only: people rarely mistype the first one,
        # and the check then costs a comparison for most names.
        if slips and ((compact[:1] == cq[:1] and (_distance(cq, compact, slips) <= slips
                                                 or (len(cq) >= 5 and _distance(cq, compact[:len(cq)], slips) <= slips)))
                      or any(_distance(cq, w, slips) <= slips for w in words if len(w) >= 4 and w[0] == cq[0])):
            return FUZZY
        return None


def _word_starts(folded: str) -> tuple[int, ...]:
    """Where each word after the first begins in the compact key."""
    out, at = [], 0
    for w in folded.split()[:-1]:
        at += len(w)
        out.append(at)
    return tuple(out)


# ---------------------------------------------------------------------------------- building
def load_alternates(path: Path, atlas, data: Any = None) -> dict[tuple[str, str], list[str]]:
    """search-names.json: {("place"|"country"|"waypoint", id): [names]}, every record sourced and
    naming something the atlas has; a bad file raises DataError (one line: file, record, field)."""
    data = read_json(path) if data is None else data
    top = Reader(path, "alternates", data)
    towns = {str(w.geonames_id) for r in atlas.routes.values() for w in r.waypoints if w.geonames_id}
    known = {"place": atlas.places, "country": atlas.profiles, "waypoint": towns}
    out: dict[tuple[str, str], list[str]] = {}
    for i, raw in enumerate(top.list("alternates")):
        r = Reader(path, f"alternates[{i}]", raw)
        if not isinstance(raw, dict):
            r.fail("", f"expected an object, got {shown(raw)}")
        kinds = [k for k in known if k in raw]
        if len(kinds) != 1:
            r.fail("place", "give exactly one of 'place', 'country' or 'waypoint'")
        kind = kinds[0]
        ident = str(r.integer(kind, hi=10**9)) if kind == "waypoint" else r.name(kind)
        if ident not in known[kind]:
            r.fail(kind, f"{shown(ident)} is not a {kind} of the map")
        if r.has("geonames_id"):
            r.integer("geonames_id", hi=10**9)
        atlas.sources.refs(r, "sources")
        names = r.names("names")
        if not names:
            r.fail("names", "needs at least one name")
        out.setdefault((kind, ident), []).extend(names)
    return out


def _text_keys(texts, extra=(), hans=None) -> tuple[tuple[str, str], ...]:
    seen: dict[str, str] = {}
    for t in texts:
        if not t:
            continue
        for lang in LANGS:
            for n in split_names(t.get(lang, "")):
                seen.setdefault(fold(n, hans), n)
    for n in extra:
        for part in split_names(n):
            seen.setdefault(fold(part, hans), part)
    return tuple((k, w) for k, w in seen.items() if k)


def _bounds(points) -> tuple[float, float, float, float]:
    xs = [float(p[0]) for p in points]
    ys = [float(p[1]) for p in points]
    return min(xs), min(ys), max(xs), max(ys)


def _all_texts(atlas, dated_events, names) -> list[tuple[str, str]]:
    texts: list[dict] = [c.names for c in atlas.countries.values()]
    texts += [p.name for p in atlas.places.values()]
    for r in atlas.routes.values():
        texts += [r.name] + [w.name for w in r.waypoints]
    for prof in atlas.profiles.values():
        texts += [prof.name, prof.official_name] + [p.name for p in prof.projects]
    texts += [e.label for e in dated_events if e.label]
    texts += [n.name for n in names.values()]
    pairs = [(t.get("zh-Hans", ""), t.get("zh-Hant", "")) for t in texts if t]
    # The interface's own translations pair the two scripts too, sentence by sentence.
    from silkmap.i18n import _catalog

    hans, hant = (getattr(_catalog(lang), "_messages", {}) for lang in ("zh-Hans", "zh-Hant"))
    pairs += [(s, hant[k]) for k, s in hans.items() if isinstance(s, str) and isinstance(hant.get(k), str)]
    return pairs


def build_index(atlas, alternates: dict | None = None, events=None, names=None) -> SearchIndex:
    """Everything the map names, as search entries. ``events`` and ``names`` default to the
    atlas's own (read on first use); a broken dated or names file leaves those entries out."""
    from silkmap.core.resources import asset_path
    from silkmap.i18n import _

    if alternates is None:
        alternates = load_alternates(asset_path(FILE), atlas)
    if events is None:
        from silkmap.core import timeline

        try:
            events = timeline.events(atlas)
        except DataError:
            events = []
    if names is None:
        try:
            names = atlas.physical_names()
        except DataError:
            names = {}
    hans = hans_map(_all_texts(atlas, events, names))
    alt = alternates.get
    entries: list[Entry] = []
    for iso3, c in atlas.countries.items():
        prof = atlas.profiles.get(iso3)
        texts = [c.names] + ([prof.name, prof.official_name] if prof else [])
        entries.append(Entry("country", iso3, prof.name if prof else c.names, c.role,
                             ("country", iso3) if prof else None, ("country", iso3),
                             _text_keys(texts, alt(("country", iso3), ()), hans), country=iso3))
    for p in atlas.places.values():
        if p.kind == "hub":
            opens = ("hub", p.id)
        else:
            opens = ("country", p.country) if p.country in atlas.profiles else None
        entries.append(Entry("place", p.id, p.name, p.kind, opens, ("point", p.x, p.y),
                             _text_keys([p.name], alt(("place", p.id), ()), hans), country=p.country))
    towns: dict[str, Entry] = {}
    for r in atlas.routes.values():
        entries.append(Entry("route", r.id, r.name, r.kind, ("route", r.id), ("route", r.id),
                             _text_keys([r.name]), context=None))
        for w in r.waypoints:
            if w.place is not None:
                continue
            key = str(w.geonames_id) if w.geonames_id else w.name["en"]
            if key in towns:
                continue
            x, y = atlas._project(w.lon, w.lat)
            towns[key] = Entry("town", key, w.name, r.kind, ("route", r.id), ("point", float(x), float(y)),
                               _text_keys([w.name], alt(("waypoint", key), ()), hans), context=r.name)
    entries += towns.values()
    for iso3, prof in atlas.profiles.items():
        for pr in prof.projects:
            entries.append(Entry("project", pr.id, pr.name, pr.status, ("project", pr.id), ("project", pr.id),
                                 _text_keys([pr.name], (), hans), country=iso3))
    merged: dict[str, list] = {}
    for n in names.values():  # a river named in two stretches is one result
        merged.setdefault(n.name["en"], []).append(n)
    for parts in merged.values():
        n = parts[0]
        pts = [xy for part in parts for xy in part.xy]
        if len(pts) == 1:
            focus = ("name", *pts[0], n.min_m_per_px, n.max_m_per_px)
        else:
            focus = ("bounds", *_bounds(pts))
        entries.append(Entry("physical", n.id, n.name, n.kind, None, focus, _text_keys([n.name], (), hans)))
    # A project and the route it builds may date the same step: one result (the route's), as
    # both read the same.
    one: dict[tuple, Any] = {}
    for e in events:
        same = (e.date, e.title, (e.label or {}).get("en"))
        if same not in one or (e.kind == "route" and one[same].kind != "route"):
            one[same] = e
    for e in one.values():
        if e.opens in atlas.profiles:
            focus = ("country", e.opens)
        elif e.opens in atlas.routes:
            focus = ("route", e.opens)
        else:
            focus = ("project", e.opens)
        title = {lang: _(e.title, lang) for lang in LANGS}
        label = e.label or title
        entries.append(Entry("event", e.id or f"{e.date}:{e.opens}", label, e.kind, None, focus,
                             _text_keys([label], (e.date,), hans), context=title, event=e))
    return SearchIndex(entries, hans)


def route_bounds(route) -> tuple[float, float, float, float]:
    """The drawn line's extent in map metres."""
    return _bounds(route.xy)


__all__ = ["Entry", "Hit", "SearchIndex", "build_index", "load_alternates", "fold", "hans_map",
           "split_names", "route_bounds", "EXACT", "PREFIX", "WORD", "SUBSTRING", "FUZZY"]
