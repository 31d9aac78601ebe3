"""KML placemarks: points, lines, polygons and multi-geometries, with name, description and
extended data as attributes.

A KML file is data, never instructions: it is parsed by defusedxml with DTDs, entities and
external references refused (no billion laughs, no file or URL read through an entity), and
nothing it links to is ever fetched — NetworkLinks, remote hrefs of styles, icons and overlays
are counted and reported, not followed. Styles in the file are not applied either: the layer's
own style draws it.
"""

from __future__ import annotations

from pathlib import Path

from silkmap.core.errors import DataError
from silkmap.core.user_layers.files import read_bytes, text_of
from silkmap.core.user_layers.model import Collector, Limits, Progress, UserData


def _local(tag) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _children(el, name: str):
    return [c for c in el if _local(c.tag) == name]


def _text_of(el, name: str) -> str | None:
    for c in el:
        if _local(c.tag) == name:
            return (c.text or "").strip()
    return None


def _coords(text: str | None, col: Collector, where: str) -> list[tuple[float, float]]:
    out = []
    for tuple_ in (text or "").split():
        parts = tuple_.split(",")
        try:
            if len(parts) < 2:
                raise ValueError
            out.append((float(parts[0]), float(parts[1])))
        except ValueError:
            raise col.error(f"has coordinates that are not 'longitude,latitude[,altitude]': "
                            f"{tuple_[:40]!r}", feature=where) from None
    return out


def _geometry(el, fid: int, col: Collector, where: str) -> int:
    """Parts of the geometry element ``el`` added to ``fid``; returns how many."""
    kind = _local(el.tag)
    if kind == "Point":
        pts = _coords(_text_of(el, "coordinates"), col, where)
        if len(pts) != 1:
            raise col.error("has a Point without exactly one position", feature=where)
        col.point(fid, *pts[0])
        return 1
    if kind == "LineString" or kind == "LinearRing":
        col.line(fid, _coords(_text_of(el, "coordinates"), col, where))
        return 1
    if kind == "Polygon":
        rings = []
        for boundary in ("outerBoundaryIs", "innerBoundaryIs"):
            for b in _children(el, boundary):
                for ring in _children(b, "LinearRing"):
                    rings.append(_coords(_text_of(ring, "coordinates"), col, where))
        if not rings:
            raise col.error("has a Polygon without an outer boundary", feature=where)
        col.polygon(fid, rings)
        return 1
    if kind in ("MultiGeometry", "MultiTrack"):
        return sum(_geometry(c, fid, col, where) for c in el if _local(c.tag) in _GEOMETRIES)
    if kind == "Track":  # gx:Track: a line through gx:coord "lon lat alt" elements
        pts = []
        for c in el:
            if _local(c.tag) == "coord":
                parts = (c.text or "").split()
                try:
                    pts.append((float(parts[0]), float(parts[1])))
                except (ValueError, IndexError):
                    raise col.error(f"has a track position that is not 'lon lat alt': {(c.text or '')[:40]!r}",
                                    feature=where) from None
        if len(pts) >= 2:
            col.line(fid, pts)
            return 1
        return 0
    return 0


_GEOMETRIES = {"Point", "LineString", "LinearRing", "Polygon", "MultiGeometry", "Track", "MultiTrack"}
_LINKS = {"NetworkLink", "GroundOverlay", "ScreenOverlay", "PhotoOverlay", "Model"}


def _attributes(pm) -> dict[str, str]:
    attrs: dict[str, str] = {}
    for key in ("name", "description", "address", "phoneNumber"):
        value = _text_of(pm, key)
        if value:
            attrs[key] = value
    for ext in _children(pm, "ExtendedData"):
        for data in ext.iter():
            tag = _local(data.tag)
            if tag == "Data" and data.get("name"):
                attrs[data.get("name")] = _text_of(data, "value") or ""
            elif tag == "SimpleData" and data.get("name"):
                attrs[data.get("name")] = (data.text or "").strip()
    return attrs


def parse_kml(path: Path, data: bytes, limits: Limits, progress: Progress) -> UserData:
    from xml.etree.ElementTree import ParseError

    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import fromstring

    col = Collector(path, limits)
    text_of(path, data, "KML")  # binary garbage and other encodings get their own message
    try:
        root = fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        raise DataError(path, f"is refused: it declares {_refused(exc)}, which a map layer never needs") from None
    except ParseError as exc:
        line, column = getattr(exc, "position", (0, 0))
        raise DataError(path, f"is not well-formed XML (line {line}, column {column})") from None
    if _local(root.tag) != "kml":
        raise DataError(path, f"is not KML (its root element is <{_local(root.tag)[:40]}>)")
    progress(0.3)
    links = 0
    placemarks = [el for el in root.iter() if _local(el.tag) == "Placemark"]
    for el in root.iter():
        if _local(el.tag) in _LINKS:
            links += 1
    for i, pm in enumerate(placemarks):
        where = f"placemark {i + 1}"
        fid = col.feature(_attributes(pm))
        parts = sum(_geometry(c, fid, col, where) for c in pm if _local(c.tag) in _GEOMETRIES)
        if not parts:
            col.drop_last()
        if i % 2000 == 0:
            progress(0.3 + 0.6 * i / max(1, len(placemarks)))
    if links:
        col.notes.append(f"{links} network links and overlays were not fetched")
    return col.finish("KML")


def _refused(exc) -> str:
    name = type(exc).__name__
    if "Entities" in name:
        return "an entity"
    if "External" in name:
        return "an external reference"
    return "a document type (DTD)"


def read_kml(path: Path, limits: Limits, progress: Progress) -> UserData:
    return parse_kml(path, read_bytes(path, limits), limits, progress)
