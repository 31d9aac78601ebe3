"""User-layer loaders: each format read and projected, limits kept, malformed files refused with
one line naming the file, and nothing a file links to ever fetched."""

import http.server
import json
import threading
import zipfile

import numpy as np
import pytest

from silkmap.core.errors import DataError
from silkmap.core.projection import project
from silkmap.core.user_layers import csv_table
from silkmap.core.user_layers.load import load
from silkmap.core.user_layers.model import Cancelled, Limits, Progress

ALMATY = (76.9286, 43.2567)
KASHGAR = (75.99, 39.47)


def write(tmp_path, name, content):
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return path


def at(lonlat):
    return np.array(project(*lonlat))


GEOJSON = json.dumps({"type": "FeatureCollection", "features": [
    {"type": "Feature", "properties": {"name": "Almaty", "pop": 2000000},
     "geometry": {"type": "Point", "coordinates": list(ALMATY)}},
    {"type": "Feature", "properties": {"name": "road"},
     "geometry": {"type": "LineString", "coordinates": [[70, 40], [75, 42]]}},
    {"type": "Feature", "properties": None,
     "geometry": {"type": "MultiPolygon", "coordinates": [[[[60, 40], [62, 40], [62, 42], [60, 40]]]]}},
    {"type": "Feature", "properties": {"note": "no place"}, "geometry": None},
]})


def test_geojson_points_lines_polygons_projected(tmp_path):
    data = load(write(tmp_path, "a.geojson", GEOJSON))
    assert data.format == "GeoJSON" and data.feature_count == 3
    assert np.allclose(data.points[0], at(ALMATY))
    assert data.attrs[0] == {"name": "Almaty", "pop": "2000000"}
    assert len(data.lines) == 1 and np.allclose(data.lines[0][1][1], at((75, 42)))
    assert len(data.polygons) == 1 and data.polygons[0][0] == 2
    assert data.fields == ("name", "pop")


def test_geojson_legacy_crs_member_is_reprojected(tmp_path):
    from pyproj import Transformer

    e, n = Transformer.from_crs("EPSG:4326", "EPSG:32643", always_xy=True).transform(*ALMATY)
    doc = {"type": "FeatureCollection", "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::32643"}},
           "features": [{"type": "Feature", "properties": {}, "geometry": {"type": "Point", "coordinates": [e, n]}}]}
    data = load(write(tmp_path, "utm.geojson", json.dumps(doc)))
    assert np.allclose(data.points[0], at(ALMATY), atol=0.01)


@pytest.mark.parametrize("text, delimiter, cols", [
    ("name,lat,lon\nAlmaty,43.2567,76.9286\n", ",", ("lat", "lon")),
    ("\ufeffName;Latitude;Longitude\r\nAlmaty;43,2567;76,9286\r\n", ";", ("Latitude", "Longitude")),
    ("name\tY\tX\nAlmaty\t43.2567\t76.9286\n", "\t", ("Y", "X")),
    ("name|lng|LAT\nAlmaty|76.9286|43.2567\n", "|", ("LAT", "lng")),
])
def test_csv_columns_and_delimiter_detected(tmp_path, text, delimiter, cols):
    path = write(tmp_path, "p.csv", text)
    found = csv_table.detect(path)
    assert (found.delimiter, found.lat, found.lon) == (delimiter, *cols)
    data = load(path)
    assert np.allclose(data.points[0], at(ALMATY))
    assert data.attrs[0] in ({"name": "Almaty"}, {"Name": "Almaty"})


def test_csv_wkt_column(tmp_path):
    path = write(tmp_path, "w.csv", 'id,WKT\n1,"LINESTRING (69 41, 71 42)"\n2,POINT (76.9286 43.2567)\n')
    assert csv_table.detect(path).wkt == "WKT"
    data = load(path)
    assert len(data.lines) == 1 and np.allclose(data.points[0], at(ALMATY))
    assert data.attrs[1] == {"id": "2"}


def test_csv_confirmed_columns_override_detection(tmp_path):
    path = write(tmp_path, "c.csv", "a,b,lat,lon\n43.2567,76.9286,0,0\n")
    data = load(path, {"lat": "a", "lon": "b"})
    assert np.allclose(data.points[0], at(ALMATY))
    with pytest.raises(DataError, match="no column 'zz'"):
        load(path, {"lat": "zz", "lon": "b"})


KML = f"""<?xml version="1.0" encoding="UTF-8"?>
<kml xmlns="http://www.opengis.net/kml/2.2"><Document>
<Placemark><name>Kashgar</name><description>&lt;b&gt;old city&lt;/b&gt;</description>
<ExtendedData><Data name="pop"><value>700000</value></Data></ExtendedData>
<Point><coordinates>{KASHGAR[0]},{KASHGAR[1]},0</coordinates></Point></Placemark>
<Placemark><name>Route</name><MultiGeometry><LineString><coordinates>75,39 76,40</coordinates></LineString>
<Polygon><outerBoundaryIs><LinearRing><coordinates>70,40 71,40 71,41 70,40</coordinates></LinearRing></outerBoundaryIs></Polygon>
</MultiGeometry></Placemark>
<Placemark><name>nowhere</name></Placemark>
</Document></kml>"""


def test_kml_and_kmz(tmp_path):
    data = load(write(tmp_path, "a.kml", KML))
    assert data.feature_count == 2
    assert np.allclose(data.points[0], at(KASHGAR))
    assert data.attrs[0] == {"name": "Kashgar", "description": "<b>old city</b>", "pop": "700000"}
    assert len(data.lines) == 1 and len(data.polygons) == 1
    kmz = tmp_path / "a.kmz"
    with zipfile.ZipFile(kmz, "w") as zf:
        zf.writestr("doc.kml", KML)
    assert np.allclose(load(kmz).points, data.points)


def _ogr_files(tmp_path):
    pyogrio = pytest.importorskip("pyogrio")
    import shapely
    from pyproj import Transformer

    e, n = Transformer.from_crs("EPSG:4326", "EPSG:32643", always_xy=True).transform(*ALMATY)
    geometry = np.array([shapely.to_wkb(shapely.Point(e, n))], dtype=object)
    out = []
    for name, driver in (("a.gpkg", "GPKG"), ("a.shp", "ESRI Shapefile")):
        path = tmp_path / name
        pyogrio.raw.write(str(path), geometry, [np.array(["Almaty"], dtype=object)], ["name"],
                          driver=driver, geometry_type="Point", crs="EPSG:32643")
        out.append(path)
    return out


def test_geopackage_and_shapefile_through_pyogrio(tmp_path):
    for path in _ogr_files(tmp_path):
        data = load(path)
        assert np.allclose(data.points[0], at(ALMATY), atol=0.01), path
        assert data.attrs[0] == {"name": "Almaty"}


def test_shapefile_without_prj_is_an_unknown_crs(tmp_path):
    shp = _ogr_files(tmp_path)[1]
    shp.with_suffix(".prj").unlink()
    with pytest.raises(DataError, match="no coordinate reference system"):
        load(shp)


def test_without_pyogrio_the_message_says_so(tmp_path, monkeypatch):
    import builtins

    path = write(tmp_path, "x.gpkg", b"SQLite format 3\x00")
    real = builtins.__import__

    def no_pyogrio(name, *a, **kw):
        if name.startswith("pyogrio"):
            raise ImportError(name)
        return real(name, *a, **kw)

    monkeypatch.setattr(builtins, "__import__", no_pyogrio)
    with pytest.raises(DataError, match="cannot read .*pyogrio"):
        load(path)


def test_limits_on_size_features_and_vertices(tmp_path):
    path = write(tmp_path, "p.csv", "lat,lon\n" + "43,76\n" * 50)
    with pytest.raises(DataError, match="more than 10 features"):
        load(path, limits=Limits(features=10))
    with pytest.raises(DataError, match="more than 20 vertices"):
        load(path, limits=Limits(vertices=20))
    with pytest.raises(DataError, match="over the 0 MB limit"):
        load(path, limits=Limits(file_bytes=100))


def test_cancel_stops_the_load(tmp_path):
    path = write(tmp_path, "p.csv", "lat,lon\n" + "43,76\n" * 20000)
    seen = []
    with pytest.raises(Cancelled):
        load(path, progress=Progress(seen.append, lambda: len(seen) >= 2))
    assert seen and all(0 <= f <= 1 for f in seen)


# The corrupt-file matrix: each one line naming the file and what is wrong.
CORRUPT = [
    ("bad.geojson", '{"type": "FeatureCollection", "features": [', "not valid JSON"),
    ("list.geojson", "[1, 2]", "not a GeoJSON object"),
    ("type.geojson", '{"type": "Topology"}', "not GeoJSON"),
    ("geom.geojson", '{"type": "Point", "coordinates": "here"}', "not [longitude, latitude]"),
    ("kind.geojson", '{"type": "Feature", "properties": {}, "geometry": {"type": "Circle"}}', "unknown geometry type"),
    ("ring.geojson", '{"type": "Polygon", "coordinates": [[[0, 0], [1, 1]]]}', "fewer than 3"),
    ("nan.geojson", '{"type": "Point", "coordinates": [NaN, 1]}', "not a finite number"),
    ("range.geojson", '{"type": "Point", "coordinates": [500, 43]}', "outside longitude"),
    ("crs.geojson", '{"type": "Point", "crs": {"type": "name", "properties": {"name": "EPSG:999999"}},'
                    ' "coordinates": [1, 2]}', "unknown coordinate reference system"),
    ("empty.geojson", "   \n", "is empty"),
    ("none.geojson", '{"type": "FeatureCollection", "features": []}', "no features"),
    ("latin1.csv", "name,lat,lon\nK\xf6ln,50,7\n".encode("latin-1"), "not UTF-8"),
    ("utf16.csv", "lat,lon\n1,2\n".encode("utf-16"), "UTF-16"),
    ("binary.csv", bytes(range(256)) * 4, "binary data"),
    ("nocoords.csv", "name,population\nAlmaty,2000000\n", "no coordinate columns"),
    ("number.csv", "lat,lon\n43,seventy\n", "'seventy' is not a number"),
    ("wide.csv", "lat,lon\n43,76,9\n", "3 fields where the header has 2"),
    ("swapped.csv", "lat,lon\n143.2,43.2\n", "swapped"),
    ("wkt.csv", "wkt\nPOINT (1\n", "WKT geometry that cannot be read"),
    ("tag.kml", "<kml><Document>", "not well-formed XML"),
    ("root.kml", "<gpx/>", "not KML"),
    ("coords.kml", "<kml><Placemark><Point><coordinates>east,north</coordinates></Point></Placemark></kml>",
     "not 'longitude,latitude"),
    ("zip.kmz", b"PK\x03\x04garbage", "not a readable KMZ"),
    ("garbage.gpkg", b"\x00\x01garbage" * 100, "cannot be read as a GeoPackage"),
    ("table.xlsx", b"PK", "file type silkmap does not read"),
]


@pytest.mark.parametrize("name, content, expected", CORRUPT, ids=[c[0] for c in CORRUPT])
def test_corrupt_files_are_one_line_naming_the_file(tmp_path, name, content, expected):
    if name.endswith(".gpkg"):
        pytest.importorskip("pyogrio")
    path = write(tmp_path, name, content)
    with pytest.raises(DataError) as info:
        load(path)
    message = str(info.value)
    assert expected in message and str(path) in message and "\n" not in message


def test_missing_file_and_folder(tmp_path):
    with pytest.raises(DataError, match="file not found"):
        load(tmp_path / "gone.csv")
    (tmp_path / "d.csv").mkdir()
    with pytest.raises(DataError, match="folder"):
        load(tmp_path / "d.csv")


class _Recorder(http.server.BaseHTTPRequestHandler):
    hits: list = []

    def do_GET(self):  # noqa: N802
        self.hits.append(self.path)
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"<!ENTITY x 'fetched'>")

    def log_message(self, *args):
        pass


@pytest.fixture
def server():
    _Recorder.hits = []
    httpd = http.server.HTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}", _Recorder.hits
    httpd.shutdown()
    httpd.server_close()


def test_kml_entities_and_network_links_are_never_fetched(tmp_path, server):
    url, hits = server
    secret = write(tmp_path, "secret.txt", "TOP SECRET")
    attacks = {
        "xxe_file.kml": f'<?xml version="1.0"?><!DOCTYPE kml [<!ENTITY s SYSTEM "file://{secret}">]>'
                        '<kml><Placemark><name>&s;</name><Point><coordinates>1,2</coordinates></Point></Placemark></kml>',
        "xxe_http.kml": f'<?xml version="1.0"?><!DOCTYPE kml [<!ENTITY s SYSTEM "{url}/entity">]>'
                        '<kml><Placemark><name>&s;</name><Point><coordinates>1,2</coordinates></Point></Placemark></kml>',
        "dtd.kml": f'<?xml version="1.0"?><!DOCTYPE kml SYSTEM "{url}/dtd"><kml/>',
        "laughs.kml": '<?xml version="1.0"?><!DOCTYPE kml [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">'
                      ']><kml><Placemark><name>&b;</name></Placemark></kml>',
    }
    for name, text in attacks.items():
        with pytest.raises(DataError, match="is refused") as info:
            load(write(tmp_path, name, text))
        assert "TOP SECRET" not in str(info.value)
    link = (f'<kml><Document><NetworkLink><Link><href>{url}/link.kml</href></Link></NetworkLink>'
            f'<Style><IconStyle><Icon><href>{url}/icon.png</href></Icon></IconStyle></Style>'
            f'<GroundOverlay><Icon><href>{url}/overlay.png</href></Icon></GroundOverlay>'
            '<Placemark><name>here</name><Point><coordinates>76,43</coordinates></Point></Placemark>'
            '</Document></kml>')
    data = load(write(tmp_path, "links.kml", link))
    assert data.feature_count == 1 and data.notes == ("2 network links and overlays were not fetched",)
    assert hits == []


def test_feature_at_finds_points_lines_and_polygons_holes_excluded(tmp_path):
    doc = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"n": "zone"}, "geometry": {"type": "Polygon", "coordinates": [
            [[60, 40], [70, 40], [70, 46], [60, 46], [60, 40]], [[64, 42], [66, 42], [66, 44], [64, 44], [64, 42]]]}},
        {"type": "Feature", "properties": {"n": "road"},
         "geometry": {"type": "LineString", "coordinates": [[61, 41], [69, 45]]}},
        {"type": "Feature", "properties": {"n": "well"}, "geometry": {"type": "Point", "coordinates": [62, 45]}},
    ]}
    data = load(write(tmp_path, "f.geojson", json.dumps(doc)))

    def at_lonlat(lon, lat, polygons=True):
        return data.feature_at(*project(lon, lat), 5000.0, polygons=polygons)

    assert at_lonlat(62, 45) == 2
    mid = data.lines[0][1].mean(axis=0)  # the road's middle, inside the hole
    assert data.feature_at(*mid, 5000.0) == 1
    assert at_lonlat(61, 45.5) == 0  # in the zone
    assert at_lonlat(61, 45.5, polygons=False) is None
    assert at_lonlat(65, 42.3) is None  # in the hole, off the road
    assert at_lonlat(80, 30) is None
