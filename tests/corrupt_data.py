"""Corrupt copies of the asset files, and what "loaded and valid" means for an Atlas.

Used by tests/test_corrupt_data.py (in-process matrix, Hypothesis) and the subprocess cases.
A case writes one broken file into a folder whose other files link to the real assets, so
``SILKMAP_ASSETS`` at that folder feeds the app exactly one corruption.
"""

from __future__ import annotations

import json
import math
import os
import random
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from silkmap.core.resources import asset_dir

ASSETS = ("countries-10m.geojson", "countries-50m.geojson", "places.json", "routes.json",
          "profiles.json", "region.json", "sources.json")
DETAIL = "countries-10m.geojson"


class Raw:
    """A value written into the JSON text as is: NaN, 1e400, 5,000 digits, deep nesting."""

    def __init__(self, text: str, label: str) -> None:
        self.text, self.label = text, label

    def __repr__(self) -> str:
        return self.label


# Values that replace one field: wrong types, non-finite and huge numbers, empty and huge strings.
BAD_VALUES = (
    None, True, False, 0, -1, 1.5, 1e300, "", " ", "x", "abc", "\n", [], [1], {}, {"en": 1},
    Raw("NaN", "NaN"), Raw("Infinity", "Infinity"), Raw("-Infinity", "-Infinity"),
    Raw("1e400", "1e400"), Raw("-1e400", "-1e400"), Raw("1" + "0" * 40, "10**40"),
    Raw("9" * 5000, "5000 digits"), Raw("[" * 3000 + "]" * 3000, "nested 3000 deep"),
    "x" * 200_000, "\u202e\u0000\x1b[31m",
)


@dataclass
class Case:
    file: str
    kind: str
    detail: str
    write: Callable[[Path], None]  # creates the broken file at this path

    @property
    def name(self) -> str:
        return f"{self.file}:{self.kind}:{self.detail}"


def _dump(doc, raws: dict[str, Raw]) -> str:
    text = json.dumps(doc, ensure_ascii=False)
    for key, raw in raws.items():
        text = text.replace(json.dumps(key), raw.text)
    return text


def field_paths(doc) -> dict[str, list[tuple]]:
    """Every path in ``doc``, grouped by its shape (list indices as '*'), e.g.
    'places.*.lon' → [('places', 0, 'lon'), …]. Coordinates stop at the ring level."""
    groups: dict[str, list[tuple]] = {}

    def walk(node, path):
        shape = ".".join("*" if isinstance(p, int) or _collection(path[:i]) else str(p)
                         for i, p in enumerate(path))
        if path:
            groups.setdefault(shape, []).append(path)
        if path and path[-1] == "coordinates":
            walk_coords(node, path)
            return
        if isinstance(node, dict):
            for k, v in node.items():
                walk(v, path + (k,))
        elif isinstance(node, list):
            for i, v in enumerate(node):
                walk(v, path + (i,))

    def walk_coords(node, path):
        # polygon → ring → position → number: a few of each, not all 88,000 positions
        depth = 0
        while isinstance(node, list) and node and isinstance(node[0], list):
            node, path, depth = node[0], path + (0,), depth + 1
            groups.setdefault("coordinates" + ".*" * depth, []).append(path)
        if isinstance(node, list) and node:
            groups.setdefault("coordinates" + ".*" * (depth + 1), []).append(path + (0,))

    walk(doc, ())
    return groups


def _collection(path: tuple) -> bool:
    """Objects whose keys are ids, not field names: one shape for all their members."""
    return path in (("sources",), ("countries",)) or (len(path) >= 2 and path[-1] in ("figures", "memberships"))


def _set(doc, path, value):
    node = doc
    for p in path[:-1]:
        node = node[p]
    node[path[-1]] = value


class Sources:
    """The real assets, read once."""

    def __init__(self) -> None:
        self.dir = asset_dir()
        self.bytes = {name: (self.dir / name).read_bytes() for name in ASSETS}
        self.docs = {name: json.loads(self.bytes[name]) for name in ASSETS}
        self.paths = {name: field_paths(doc) for name, doc in self.docs.items()}


def _write_bytes(data: bytes):
    return lambda path: path.write_bytes(data)


def _replace(src: Sources, name: str, path: tuple, value):
    def write(target: Path) -> None:
        doc = json.loads(src.bytes[name])  # a fresh copy
        raws = {}
        if isinstance(value, Raw):
            key = f"\u0000raw{len(raws)}\u0000"
            raws[key] = value
            _set(doc, path, key)
        else:
            _set(doc, path, value)
        target.write_text(_dump(doc, raws), encoding="utf-8")
    return write


def _delete(src: Sources, name: str, path: tuple):
    def write(target: Path) -> None:
        doc = json.loads(src.bytes[name])
        node = doc
        for p in path[:-1]:
            node = node[p]
        del node[path[-1]]
        target.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return write


def _fifo(target: Path) -> None:
    os.mkfifo(target)


def _loop(target: Path) -> None:
    other = target.with_name(target.name + ".loop")
    os.symlink(other, target)
    os.symlink(target, other)


def _huge(target: Path) -> None:
    with open(target, "wb") as fh:  # sparse: 65 MB of nothing, written in no time
        fh.truncate(65 * 1024 * 1024)


def structural_cases(src: Sources, name: str) -> list[Case]:
    data = src.bytes[name]
    text = data.decode("utf-8")
    cases = [
        Case(name, "truncate", "empty", _write_bytes(b"")),
        Case(name, "truncate", "spaces", _write_bytes(b"  \n ")),
        Case(name, "truncate", "1 byte", _write_bytes(data[:1])),
        Case(name, "truncate", "half", _write_bytes(data[: len(data) // 2])),
        Case(name, "truncate", "last byte", _write_bytes(data[:-1])),
        Case(name, "type", "null", _write_bytes(b"null")),
        Case(name, "type", "list", _write_bytes(b"[]")),
        Case(name, "type", "object", _write_bytes(b"{}")),
        Case(name, "type", "number", _write_bytes(b"1e400")),
        Case(name, "nesting", "deep list", _write_bytes(b"[" * 100_000 + b"]" * 100_000)),
        Case(name, "nesting", "deep object", _write_bytes(b'{"a":' * 50_000 + b"1" + b"}" * 50_000)),
        Case(name, "encoding", "BOM", _write_bytes(b"\xef\xbb\xbf" + data)),
        Case(name, "encoding", "latin-1 byte", _write_bytes(data[:100] + b"\xe9" + data[100:])),
        Case(name, "encoding", "UTF-16", _write_bytes(text.encode("utf-16"))),
        Case(name, "encoding", "NUL bytes", _write_bytes(data[:50] + b"\x00" * 8 + data[50:])),
        Case(name, "kind", "folder", lambda p: p.mkdir()),
        Case(name, "kind", "FIFO", _fifo),
        Case(name, "kind", "symlink loop", _loop),
        Case(name, "kind", "broken symlink", lambda p: os.symlink(p.with_name("nowhere"), p)),
        Case(name, "kind", "device", lambda p: os.symlink("/dev/zero", p)),
        Case(name, "kind", "missing", lambda p: None),
        Case(name, "kind", "65 MB", _huge),
    ]
    for cut in (0.1, 0.3, 0.7, 0.95):
        cases.append(Case(name, "truncate", f"{cut:.0%}", _write_bytes(data[: int(len(data) * cut)])))
    return cases


def flip_cases(src: Sources, name: str, n: int, rng: random.Random) -> list[Case]:
    data = src.bytes[name]
    cases = []
    for _ in range(n):
        pos, byte = rng.randrange(len(data)), rng.randrange(256)
        broken = data[:pos] + bytes([byte]) + data[pos + 1:]
        cases.append(Case(name, "flip", f"byte {pos} → {byte:#04x}", _write_bytes(broken)))
    return cases


def field_cases(src: Sources, name: str, rng: random.Random, per_shape: int | None) -> list[Case]:
    """Each field shape gets bad values (all of them, or ``per_shape`` drawn at random) at a
    random instance, and is deleted once."""
    cases = []
    for shape, paths in sorted(src.paths[name].items()):
        path = rng.choice(paths)
        values = BAD_VALUES if per_shape is None else rng.sample(BAD_VALUES, per_shape)
        for value in values:
            cases.append(Case(name, "field", f"{shape} = {value!r:.40}", _replace(src, name, path, value)))
        cases.append(Case(name, "field", f"{shape} deleted", _delete(src, name, path)))
    return cases


def all_cases(src: Sources, *, long: bool, seed: int = 14) -> list[Case]:
    """The matrix. ``long``: every structural case, every bad value for every field shape and
    40 byte flips per file. Otherwise a stratified sample that keeps `make test` quick: for
    every file, every kind of damage, ``PER_KIND`` cases (one for the slow 1:10m file)."""
    rng = random.Random(seed)
    cases = []
    for name in ASSETS:
        full = structural_cases(src, name) + flip_cases(src, name, 40, rng) + field_cases(src, name, rng, None)
        if long:
            cases += full
            continue
        by_kind: dict[str, list[Case]] = {}
        for case in full:
            by_kind.setdefault(case.kind, []).append(case)
        for kind, group in by_kind.items():
            cases += rng.sample(group, min(len(group), 1 if name == DETAIL else PER_KIND.get(kind, 1)))
    return cases


PER_KIND = {"field": 4}


def link_assets(folder: Path, src: Sources, except_: str) -> None:
    """Every file of the real asset folder (prebuilt files too) but ``except_``, linked."""
    folder.mkdir(parents=True, exist_ok=True)
    for path in src.dir.iterdir():
        if path.name != except_:
            os.symlink(path, folder / path.name)


# ---------------------------------------------------------------------- what "valid" means
_DATE = re.compile(r"[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?")


def _finite(value, where):
    assert isinstance(value, (int, float)) and not isinstance(value, bool), where
    assert math.isfinite(value), f"{where}: {value}"


def _text(value, where):
    assert isinstance(value, dict) and set(value) == {"en", "zh-Hans", "zh-Hant"}, where
    for lang, s in value.items():
        assert isinstance(s, str) and s.strip() and len(s) <= 5000, f"{where}.{lang}: {s!r:.60}"


def assert_valid_country(c, where):
    import shapely

    assert re.fullmatch(r"[A-Z]{3}", c.iso3), where
    _text(c.names, where)
    assert c.role in ("focus", "neighbour", "disputed"), where
    for g in (c.lonlat, c.shape):
        assert not g.is_empty and shapely.is_valid(g), where
        assert all(math.isfinite(b) for b in g.bounds), where
    x0, y0, x1, y1 = c.lonlat.bounds
    assert -180 <= x0 <= x1 <= 180 and -90 <= y0 <= y1 <= 90, where


def assert_valid_atlas(atlas, detail=True) -> None:
    """Every value the app shows is usable: finite numbers in range, real dates, non-empty
    names, resolvable sources and cross-references."""
    from silkmap.core.facts import CONFIDENCE, Event, Figure
    from silkmap.core.geo import MAX_LEG_KM, WAYPOINT_BASIS

    for iso3, c in atlas.countries.items():
        assert_valid_country(c, f"country {iso3}")
    if detail:
        for iso3, c in atlas.detail().items():
            assert_valid_country(c, f"detail {iso3}")
        assert set(atlas.countries) <= set(atlas.detail())
    assert {"CHN", "KAZ", "KGZ", "TJK", "TKM", "UZB"} <= set(atlas.countries)

    def source_ids(ids, where):
        assert isinstance(ids, tuple), where
        for sid in ids:
            assert sid in atlas.sources, f"{where}: {sid!r}"

    def walk(obj, where, depth=0):
        assert depth < 40, where
        if isinstance(obj, Figure):
            _finite(obj.value, where)
            assert abs(obj.value) <= 1e13, where
            assert obj.confidence in CONFIDENCE, where
            source_ids(obj.sources, where)
            assert obj.date is None or _DATE.fullmatch(obj.date), where
        if isinstance(obj, Event):
            assert _DATE.fullmatch(obj.date) and int(obj.date[:4]) == obj.year, where
            assert 1 <= obj.year <= 9999, where
        if hasattr(obj, "__dataclass_fields__"):
            for name in obj.__dataclass_fields__:
                value = getattr(obj, name)
                w = f"{where}.{name}"
                if name in ("sources",):
                    source_ids(value, w)
                elif name in ("lon",):
                    _finite(value, w)
                    assert -180 <= value <= 180, w
                elif name in ("lat",):
                    _finite(value, w)
                    assert -90 <= value <= 90, w
                elif isinstance(value, float):
                    _finite(value, w)
                elif name in ("name", "label", "summary", "description", "type", "detail") and isinstance(value, dict):
                    if name != "label" or any(value.values()):
                        _text(value, w)
                elif name == "id" or name == "iso3":
                    assert isinstance(value, str) and value.strip() and value.isprintable(), w
                walk(value, w, depth + 1)
        elif isinstance(obj, dict):
            for k, v in obj.items():
                walk(v, f"{where}.{k}", depth + 1)
        elif isinstance(obj, (list, tuple)):
            for i, v in enumerate(obj):
                walk(v, f"{where}[{i}]", depth + 1)

    for pid, p in atlas.places.items():
        assert math.isfinite(p.x) and math.isfinite(p.y), pid
        assert p.country in atlas.countries, pid
        walk(p, f"place {pid}")
    for rid, r in atlas.routes.items():
        import numpy as np

        xy = np.asarray(r.xy, dtype=float)  # prebuilt lines are pairs, computed ones an array
        assert len(r.waypoints) >= 2 and xy.ndim == 2 and xy.shape[1] == 2, rid
        assert np.isfinite(xy).all() and math.isfinite(r.geodesic_km), rid
        for w in r.waypoints:
            assert w.place is None or w.place in atlas.places, rid
            assert (w.on_route == "named") == bool(w.sources) and w.on_route in WAYPOINT_BASIS, rid
            assert all(s in atlas.sources for s in w.sources), rid
        assert all(km <= MAX_LEG_KM or b.leg_inferred for _a, b, km in r.legs()), rid
        walk(r, f"route {rid}")
    for iso3, prof in atlas.profiles.items():
        assert prof.capital in atlas.places, iso3
        for y, fig in prof.trade.items():
            assert fig.value >= 0, f"{iso3} trade {y}"
        walk(prof, f"profile {iso3}")
    assert atlas.region.hub.id in atlas.places
    walk(atlas.region, "region")
    for sid, s in atlas.sources.sources.items():
        assert s.publisher.strip() and s.title.strip(), sid
        assert s.date == "" or _DATE.fullmatch(s.date), sid
