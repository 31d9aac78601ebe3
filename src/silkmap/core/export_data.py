"""The atlas's data in open formats, for QGIS, pandas and the like (``silkmap export-data DIR``,
File → Export data…): the countries, places, routes and projects as RFC 7946 GeoJSON, the
measures in long form and the sources as CSV.

GeoJSON (RFC 7946): WGS 84 longitude/latitude with 6 decimals (~0.1 m), outer rings
counter-clockwise and holes clockwise (the right-hand rule, checked on the rounded
positions), no ``crs`` member. Every feature names itself in English, 简体 and 繁體 and cites
its sources as ``source_ids`` ("S1;S2", as in the CSV files). Routes are the drawn lines: the
waypoints joined by great-circle legs, as on the map.

The files are written to a temporary folder and moved into place only when every one is
complete: an error, a full disk or Ctrl+C leaves no half-written file. In a folder that
exists, only these files are replaced; anything else in it is left alone.
"""

from __future__ import annotations

import csv
import errno
import io
import json
import os
import shutil
from pathlib import Path

from silkmap.core import interrupt
from silkmap.core.atomic_file import temp_name, write_atomically
from silkmap.core.oneline import shown
from silkmap.i18n import _

GEOJSON = ("countries.geojson", "places.geojson", "routes.geojson", "projects.geojson")
FILES = GEOJSON + ("measures.csv", "sources.csv")
DIGITS = 6  # decimals of a degree: 0.11 m at the equator, far finer than the 1:10m outlines
LANGS = (("en", "name_en"), ("zh-Hans", "name_zh_hans"), ("zh-Hant", "name_zh_hant"))
BOUNDARY_SOURCE = "NE"  # Natural Earth, the outlines' source in sources.json
SEP = ";"  # between source ids in one value
# label: the level's id for the partnership level (its value is the rank, 0 = relations).
MEASURE_COLUMNS = ("iso3", "year", "measure", "value", "unit", "source_ids", "confidence", "label")
SOURCE_COLUMNS = ("id", "publisher", "title", "date", "url", "also")
# The dated status steps (core/dated.STATUSES) as property names: the date each was reached.
STATUS_DATES = (("agreed", "agreed"), ("construction", "construction_started"),
                ("open", "opened"), ("stalled", "stalled"))


class ExportDataError(Exception):
    """The folder cannot take the files (one line, for the CLI's exit 4 or a dialog)."""


# ---------------------------------------------------------------------------- geometry
def _pos(lon: float, lat: float) -> list[float]:
    return [round(float(lon), DIGITS), round(float(lat), DIGITS)]


def _signed_area(ring: list[list[float]]) -> float:
    """Twice the ring's area in square degrees, positive when it runs counter-clockwise."""
    return sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(ring, ring[1:]))


def _ring(coords, outer: bool) -> list[list[float]] | None:
    """A closed ring of rounded positions, wound by the right-hand rule; None when rounding
    leaves fewer than four distinct positions."""
    out: list[list[float]] = []
    for lon, lat in ((c[0], c[1]) for c in coords):
        p = _pos(lon, lat)
        if not out or p != out[-1]:
            out.append(p)
    if out[0] != out[-1]:
        out.append(out[0])
    if len(out) < 4:
        return None
    if (_signed_area(out) > 0) != outer:
        out.reverse()
    return out


def _polygons(geom) -> dict:
    """A shapely (Multi)Polygon in degrees as a GeoJSON MultiPolygon (one geometry type for
    the layer, as GIS programs want it)."""
    polys = []
    for poly in getattr(geom, "geoms", [geom]):
        outer = _ring(poly.exterior.coords, True)
        if outer is None:
            continue
        holes = [r for r in (_ring(i.coords, False) for i in poly.interiors) if r is not None]
        polys.append([outer, *holes])
    return {"type": "MultiPolygon", "coordinates": polys}


def _point(lon: float, lat: float) -> dict:
    return {"type": "Point", "coordinates": _pos(lon, lat)}


def _route_line(route) -> dict:
    """The route as the map draws it: great-circle legs between the waypoints."""
    import numpy as np

    from silkmap.core.geo import _densify

    lons, lats, _km = _densify(np.array([w.lon for w in route.waypoints]), np.array([w.lat for w in route.waypoints]))
    line: list[list[float]] = []
    for lon, lat in zip(lons.tolist(), lats.tolist()):
        p = _pos(lon, lat)
        if not line or p != line[-1]:
            line.append(p)
    return {"type": "LineString", "coordinates": line}


# ---------------------------------------------------------------------------- properties
def _names(prefix: str, names: dict | None) -> dict:
    """``{prefix}_en``, ``{prefix}_zh_hans``, ``{prefix}_zh_hant`` (name_en… for "name")."""
    names = names or {}
    return {key.replace("name", prefix, 1): names.get(lang) for lang, key in LANGS}


def _ids(ids) -> str:
    return SEP.join(dict.fromkeys(ids))


def _feature(fid: str, geometry: dict, props: dict) -> dict:
    return {"type": "Feature", "id": fid, "geometry": geometry, "properties": {"id": fid, **props}}


def _collection(features: list[dict]) -> bytes:
    doc = {"type": "FeatureCollection", "features": features}
    return (json.dumps(doc, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")


def _status_dates(steps) -> dict:
    """The first date each status was reached (None where it never was or is not dated)."""
    out = {key: None for _s, key in STATUS_DATES}
    for s in steps or ():
        key = dict(STATUS_DATES)[s.status]
        out[key] = out[key] or s.date
    return out


def countries_geojson(atlas) -> bytes:
    """Every country of the 1:10m outlines; the five with their partnership with China (as of
    the latest year), its date and the date of diplomatic relations."""
    from silkmap.core import timeline

    dated = atlas.dated()
    features = []
    for iso3, c in sorted(atlas.detail().items()):
        interrupt.check()
        sources = [BOUNDARY_SOURCE]
        props = {"iso3": iso3, "iso_n3": c.iso_n3, **_names("name", c.names), "role": c.role,
                 "partnership": None, **_names("partnership", None), "partnership_since": None,
                 "relations_since": None}
        steps = dated.partnership.get(iso3, ())
        if steps:
            now = steps[-1]
            props.update({"partnership": now.level, **_names("partnership", now.label),
                          "partnership_since": now.start, "relations_since": steps[0].start})
            sources += [sid for s in steps for sid in s.sources]
        prof = atlas.profiles.get(iso3)
        props["capital"] = prof.capital if prof is not None else None
        props["level_as_of"] = timeline.LAST_YEAR if steps else None
        props["source_ids"] = _ids(sources)
        features.append(_feature(iso3, _polygons(c.lonlat), props))
    return _collection(features)


def places_geojson(atlas) -> bytes:
    features = []
    for pid, p in sorted(atlas.places.items()):
        features.append(_feature(pid, _point(p.lon, p.lat), {
            "kind": p.kind, **_names("name", p.name), "country": p.country,
            "confidence": p.confidence, "hub": pid == atlas.region.hub.id, "source_ids": _ids(p.sources)}))
    return _collection(features)


def routes_geojson(atlas) -> bytes:
    dated = atlas.dated()
    features = []
    for rid, r in sorted(atlas.routes.items()):
        interrupt.check()
        steps = dated.routes.get(rid, ())
        sources = list(r.sources) + [s for w in r.waypoints for s in w.sources] + [s for st in steps for s in st.sources]
        if r.length is not None:
            sources += r.length.sources
        features.append(_feature(rid, _route_line(r), {
            **_names("name", r.name), "era": r.era, "kind": r.kind, "status": r.status,
            **_status_dates(steps),
            "length_km": r.length.value if r.length is not None and r.length.unit == "km" else None,
            "drawn_km": round(r.geodesic_km, 1), "inferred_km": round(r.inferred_km, 1),
            "waypoints": " – ".join(w.name["en"] for w in r.waypoints),
            "countries": _ids(dated.route_countries.get(rid, ())) or None,
            "source_ids": _ids(sources)}))
    return _collection(features)


def projects_geojson(atlas) -> bytes:
    dated = atlas.dated()
    features = []
    for iso3, prof in sorted(atlas.profiles.items()):
        for p in prof.projects:
            steps = dated.projects.get(p.id, ())
            sources = list(p.sources) + [s for f in p.figures.values() for s in f.sources] \
                + [s for st in steps for s in st.sources]
            features.append(_feature(p.id, _point(p.lon, p.lat), {
                "country": p.country, **_names("name", p.name), **_names("type", p.type),
                "status": p.status, **_status_dates(steps),
                "location_confidence": p.location_confidence, "source_ids": _ids(sources)}))
    return _collection(features)


# ---------------------------------------------------------------------------- tables
def _csv(header, rows) -> bytes:
    buf = io.StringIO(newline="")
    w = csv.writer(buf, lineterminator="\r\n")  # RFC 4180
    w.writerow(header)
    w.writerows(rows)
    return buf.getvalue().encode("utf-8")


def _number(value: float | None) -> str:
    """A value as pandas and QGIS read it back exactly: the shortest repr, "" for a gap."""
    if value is None:
        return ""
    return repr(int(value)) if float(value).is_integer() else repr(float(value))


def measure_rows(atlas) -> list[tuple]:
    """Every measure of every country and year (core/measures.py), gaps with an empty value."""
    from silkmap.core import measures
    from silkmap.core.dated import LEVEL_IDS

    rows = []
    for mid, m in measures.MEASURES.items():
        interrupt.check()
        for v in sorted(measures.all_values(atlas, mid), key=lambda v: (v.iso3, v.year)):
            known = v.value is not None
            label = LEVEL_IDS[int(v.value)] if known and mid == "level" else ""
            rows.append((v.iso3, v.year, mid, _number(v.value), m.unit, _ids(v.sources) if known else "",
                         v.confidence if known else "", label))
    return rows


def measures_csv(atlas) -> bytes:
    return _csv(MEASURE_COLUMNS, measure_rows(atlas))


def sources_csv(atlas) -> bytes:
    rows = [(s.id, s.publisher, s.title, s.date, s.url, " ".join(s.also))
            for s in atlas.sources.sources.values()]
    return _csv(SOURCE_COLUMNS, rows)


def contents(atlas) -> dict[str, bytes]:
    """Every file's bytes, all computed before any is written (a data error writes nothing)."""
    return {"countries.geojson": countries_geojson(atlas), "places.geojson": places_geojson(atlas),
            "routes.geojson": routes_geojson(atlas), "projects.geojson": projects_geojson(atlas),
            "measures.csv": measures_csv(atlas), "sources.csv": sources_csv(atlas)}


# ---------------------------------------------------------------------------- writing
def _reason(exc: OSError) -> str:
    return exc.strerror or str(exc)


def folder_problem(folder: Path, overwrite: bool = False) -> str | None:
    """Why the files cannot go into ``folder`` — its parent missing or read-only, a file of
    that name, a folder with other things in it and no ``overwrite`` — or None."""
    if not str(folder) or "\0" in str(folder):
        return _("cannot write '{path}': {reason}").format(path=shown(folder), reason=os.strerror(errno.EINVAL))
    try:
        if folder.is_dir():
            if not os.access(folder, os.W_OK | os.X_OK):
                return _("cannot write '{path}': the folder is not writable").format(path=shown(folder))
            if not overwrite and any(folder.iterdir()):
                return _("'{path}' is not empty; pass --overwrite to replace the data files in it").format(
                    path=shown(folder))
            return None
        if folder.exists() or folder.is_symlink():
            return _("cannot write '{path}': it is a file, not a folder").format(path=shown(folder))
        parent = folder.parent
        if not parent.is_dir():
            return _("cannot write '{path}': the folder does not exist").format(path=shown(parent))
        if not os.access(parent, os.W_OK | os.X_OK):
            return _("cannot write '{path}': the folder is not writable").format(path=shown(parent))
    except OSError as exc:  # a name too long, a loop of links…
        return _("cannot write '{path}': {reason}").format(path=shown(folder), reason=_reason(exc))
    return None


def write_data(atlas, folder: Path | str, overwrite: bool = False) -> list[Path]:
    """Write the FILES into ``folder`` (created if missing); return their paths.

    A DataError from the atlas comes before anything is written; any failure to write is an
    ExportDataError, with nothing of this run left behind.
    """
    folder = Path(folder)
    problem = folder_problem(folder, overwrite)
    if problem:
        raise ExportDataError(problem)
    data = contents(atlas)
    interrupt.check()
    new = not folder.is_dir()
    # Beside the folder when it is new (then one rename publishes it whole), else inside it.
    where = folder.parent if new else folder
    tmp = where / os.fsdecode(temp_name(os.fsencode(folder.name if new else "silkmap-data")))
    try:
        os.mkdir(tmp)
        try:
            for name, blob in data.items():
                write_atomically(tmp / name, blob)
            interrupt.check()
            if new:
                os.rename(tmp, folder)
            else:
                for name in data:
                    os.replace(tmp / name, folder / name)
                os.rmdir(tmp)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
    except OSError as exc:
        if new and exc.errno in (errno.EEXIST, errno.ENOTEMPTY):  # made by someone else meanwhile
            raise ExportDataError(_("'{path}' is not empty; pass --overwrite to replace the data files in it").format(
                path=shown(folder))) from None
        raise ExportDataError(_("cannot write '{path}': {reason}").format(
            path=shown(folder), reason=_reason(exc))) from None
    return [folder / name for name in data]
