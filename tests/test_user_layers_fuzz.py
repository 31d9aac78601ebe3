"""Fuzzing each user-layer loader: whatever the bytes, a load gives a layer or one DataError
line naming the file, never another exception (a traceback in the GUI's worker, a crash)."""

import json
import os
import tempfile

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from silkmap.core.errors import DataError
from silkmap.core.user_layers.load import load
from silkmap.core.user_layers.model import Limits

LIMITS = Limits(file_bytes=1 << 20, features=500, vertices=5000)
SETTINGS = settings(max_examples=int(os.environ.get("FUZZ_EXAMPLES", 150)), deadline=None, suppress_health_check=[HealthCheck.too_slow])

json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-10**6, 10**6) | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda children: st.lists(children, max_size=5) | st.dictionaries(
        st.sampled_from(["type", "features", "geometry", "coordinates", "properties", "geometries", "crs",
                         "name"]) | st.text(max_size=5), children, max_size=5),
    max_leaves=30)
geometry_types = st.sampled_from(["Point", "MultiPoint", "LineString", "MultiLineString", "Polygon",
                                  "MultiPolygon", "GeometryCollection", "Feature", "FeatureCollection"])


@st.composite
def geojson_docs(draw):
    doc = draw(json_values)
    if isinstance(doc, dict) and draw(st.booleans()):
        doc["type"] = draw(geometry_types)
    return json.dumps(doc).encode()


def _check(suffix: str, content: bytes) -> None:
    fd, name = tempfile.mkstemp(suffix=suffix)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(content)
        try:
            data = load(name, limits=LIMITS)
        except DataError as exc:
            assert name in str(exc) and "\n" not in str(exc)
        else:
            assert data.feature_count >= 1
    finally:
        os.unlink(name)


@SETTINGS
@given(st.binary(max_size=400), st.sampled_from([".geojson", ".csv", ".kml", ".kmz"]))
def test_random_bytes(content, suffix):
    _check(suffix, content)


@SETTINGS
@given(geojson_docs())
def test_geojson_shaped_values(content):
    _check(".geojson", content)


@SETTINGS
@given(st.text(alphabet=st.sampled_from(list("latlonwkt,;\t|\"\n\r 0123456789.-eNaPOINT()xy")), max_size=300))
def test_csv_shaped_text(text):
    _check(".csv", text.encode())


KML = ('<kml xmlns="http://www.opengis.net/kml/2.2"><Document><Placemark><name>a</name>'
       '<ExtendedData><Data name="k"><value>v</value></Data></ExtendedData>'
       '<MultiGeometry><Point><coordinates>76,43</coordinates></Point>'
       '<Polygon><outerBoundaryIs><LinearRing><coordinates>70,40 71,40 71,41 70,40</coordinates>'
       '</LinearRing></outerBoundaryIs></Polygon></MultiGeometry></Placemark></Document></kml>')


@SETTINGS
@given(st.integers(0, len(KML)), st.integers(0, len(KML)), st.text(max_size=12))
def test_kml_cut_and_spliced(start, end, insert):
    _check(".kml", (KML[:start] + insert + KML[end:]).encode())
