"""The .silkmap project file: round trip, schema versions, user layers by relative path, and a
matrix of malformed files, each refused with one line naming the file and what is wrong."""

import json
import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from silkmap.core import project as pj
from silkmap.core.annotations import Annotation, Annotations
from silkmap.core.state import Selection


def sample(tmp_path=None) -> pj.Project:
    notes = (Annotation("a1", "text", 1000.0, -2000.5, "Fergana Valley"),
             Annotation("a2", "arrow", 31550.7, 473507.6, "Khorgos\ndry port", 381550.7, 733507.6),
             Annotation("a3", "circle", -681606.0, 109822.5, "", radius=160000.0))
    return pj.Project(view=pj.View(-500000.0, 200000.0, 1 / 2500, 1100, 700, year=2013), language="zh-Hans",
                      layers={"rail": False, "road": True}, selection=Selection("country", "KAZ"),
                      annotations=notes,
                      bookmarks=[pj.Bookmark("Fergana", pj.View(-681606.0, 109822.5, 1 / 900, 1100, 700))])


def test_round_trip_keeps_every_part(tmp_path):
    path = tmp_path / "figure.silkmap"
    pj.save(sample(), path)
    back = pj.load(path)
    want = sample()
    assert back.view == want.view and back.view.year == 2013
    assert back.language == "zh-Hans"
    assert back.layers == {"rail": False, "road": True}
    assert back.selection == Selection("country", "KAZ")
    assert back.annotations == want.annotations
    assert back.bookmarks == want.bookmarks
    raw = json.loads(path.read_text(encoding="utf-8"))
    assert raw["schema"] == pj.SCHEMA and raw["format"] == "silkmap-project"
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".part")]


def test_view_extent_is_what_the_window_showed():
    v = pj.View(100.0, 50.0, 0.5, 400, 200)
    assert v.extent() == (-300.0, -150.0, 500.0, 250.0)


def test_a_newer_schema_is_refused_naming_its_version(tmp_path):
    path = tmp_path / "new.silkmap"
    path.write_text(json.dumps({"schema": pj.SCHEMA + 6, "view": None}), encoding="utf-8")
    with pytest.raises(pj.ProjectError) as err:
        pj.load(path)
    msg = str(err.value)
    assert str(path) in msg and f"schema {pj.SCHEMA + 6}" in msg and "\n" not in msg


def test_unknown_keys_are_ignored_within_a_schema(tmp_path):
    raw = json.loads(pj.dumps(sample()))
    raw["colour_scheme"] = {"future": [1, 2, 3]}
    raw["view"]["tilt"] = 30
    raw["annotations"][0]["font"] = "serif"
    p = pj.loads(json.dumps(raw).encode(), "x.silkmap")
    assert p.annotations == sample().annotations and p.view == sample().view


def test_annotation_ids_are_made_unique():
    raw = json.loads(pj.dumps(sample()))
    for a in raw["annotations"]:
        a["id"] = "same"
    p = pj.loads(json.dumps(raw).encode())
    assert len({a.id for a in p.annotations}) == 3


def test_user_layers_are_saved_relative_and_a_moved_one_is_named(tmp_path):
    data = tmp_path / "story" / "data"
    data.mkdir(parents=True)
    (data / "towns.geojson").write_text("{}", encoding="utf-8")
    (data / "gone.csv").write_text("", encoding="utf-8")
    proj = sample()
    specs = [{"path": str(data / "towns.geojson"), "name": "Towns", "visible": True, "style": {}},
             {"path": str(data / "gone.csv"), "name": "Gone", "visible": True, "style": {}}]
    if pj._spec_class() is not None:
        specs = [pj._spec_class().from_json(s) for s in specs]
    proj.user_layers = specs
    (tmp_path / "story" / "maps").mkdir()
    pj.save(proj, tmp_path / "story" / "maps" / "p.silkmap")
    raw = json.loads((tmp_path / "story" / "maps" / "p.silkmap").read_text(encoding="utf-8"))
    assert [u["path"] for u in raw["user_layers"]] == ["../data/towns.geojson", "../data/gone.csv"]
    # The whole folder moves (shared with a colleague); one of the data files is lost on the way.
    os.rename(tmp_path / "story", tmp_path / "shared")
    (tmp_path / "shared" / "data" / "gone.csv").unlink()
    back = pj.load(tmp_path / "shared" / "maps" / "p.silkmap")
    present, problems = pj.resolve_user_layers(back)
    found = [os.path.normpath(pj._spec_path(s)) for s in present]
    assert found == [str(tmp_path / "shared" / "data" / "towns.geojson")]
    assert len(problems) == 1 and "gone.csv" in problems[0] and "\n" not in problems[0]
    assert back.annotations == sample().annotations  # the rest of the project opens


def test_display_name():
    assert pj.display_name("/a/b/Silk roads.silkmap") == "Silk roads"
    assert pj.display_name("/a/.silkmap") == ".silkmap"


def _good() -> dict:
    return json.loads(pj.dumps(sample()))


def _with(**changes) -> bytes:
    raw = _good()
    for key, value in changes.items():
        raw[key] = value
    return json.dumps(raw).encode()


MALFORMED = {
    "empty file": (b"", "not valid JSON"),
    "bad JSON": (b'{"schema": 1,', "not valid JSON"),
    "a JSON list": (b"[1, 2]", "expected a JSON object"),
    "binary garbage": (bytes(range(256)) * 8, "not UTF-8"),
    "NUL bytes": (b'{"schema": 1}\x00\x00', "binary data"),
    "deep nesting": (b'{"schema": 1, "x": ' + b"[" * 100_000 + b"]" * 100_000 + b"}", "nested too deeply"),
    "NaN": (b'{"schema": 1, "view": {"cx": NaN, "cy": 0, "scale": 0.001}}', "NaN"),
    "no schema": (b'{"view": null}', "no schema"),
    "schema as text": (b'{"schema": "1"}', "no schema"),
    "schema 0": (b'{"schema": 0}', "unknown project schema 0"),
    "newer schema": (b'{"schema": 99}', "schema 99"),
    "another format": (b'{"format": "geojson", "schema": 1}', "not a silkmap project"),
    "view not an object": (_with(view=[1, 2]), "'view' must be an object"),
    "scale as text": (_with(view={"cx": 0, "cy": 0, "scale": "big"}), "'view.scale' must be a number"),
    "scale out of range": (_with(view={"cx": 0, "cy": 0, "scale": 5.0}), "'view.scale' is out of range"),
    "width negative": (_with(view={"cx": 0, "cy": 0, "scale": 0.001, "width": -3}), "'view.width'"),
    "year as text": (_with(view={"cx": 0, "cy": 0, "scale": 0.001, "year": "2013"}), "'view.year'"),
    "unknown language": (_with(language="fr"), "'language' must be one of"),
    "layers a list": (_with(layers=["rail"]), "'layers' must map"),
    "layer not a bool": (_with(layers={"rail": "yes"}), "'layers' must map"),
    "selection kind": (_with(selection={"kind": "planet", "id": "x"}), "'selection'"),
    "annotations an object": (_with(annotations={"a": 1}), "'annotations' must be a list"),
    "annotation kind": (_with(annotations=[{"kind": "star", "x": 0, "y": 0}]), "annotations[0]: 'kind'"),
    "annotation x text": (_with(annotations=[{"kind": "text", "x": "0", "y": 0}]), "annotations[0]: 'x'"),
    "annotation huge x": (_with(annotations=[{"kind": "text", "x": 1e300, "y": 0}]), "out of range"),
    "circle no radius": (_with(annotations=[{"kind": "circle", "x": 0, "y": 0}]), "'radius'"),
    "circle radius 0": (_with(annotations=[{"kind": "circle", "x": 0, "y": 0, "radius": 0}]), "above 0"),
    "arrow without end": (_with(annotations=[{"kind": "arrow", "x": 0, "y": 0}]), "'tx'"),
    "text too long": (_with(annotations=[{"kind": "text", "x": 0, "y": 0, "text": "x" * 600}]), "longer than"),
    "too many annotations": (_with(annotations=[{"kind": "text", "x": 0, "y": 0}] * 2001), "more than"),
    "bookmark without name": (_with(bookmarks=[{"cx": 0, "cy": 0, "scale": 0.001}]), "'bookmarks[0]'"),
    "bookmark bad view": (_with(bookmarks=[{"name": "a", "cx": 0, "cy": 0}]), "'bookmarks[0].scale'"),
    "user layer no path": (_with(user_layers=[{"name": "x"}]), "'user_layers[0]'"),
    "huge file": (b'{"schema": 1, "pad": "' + b"x" * (pj.MAX_BYTES + 10) + b'"}', "larger than"),
}


@pytest.mark.parametrize("case", list(MALFORMED))
def test_malformed_project_is_one_line_naming_file_and_fault(tmp_path, case):
    data, expected = MALFORMED[case]
    path = tmp_path / "bad.silkmap"
    path.write_bytes(data)
    with pytest.raises(pj.ProjectError) as err:
        pj.load(path)
    msg = str(err.value)
    assert msg.startswith(str(path) + ": ")
    assert expected in msg, msg
    assert "\n" not in msg and len(msg) < 700


def test_files_that_are_not_project_files(tmp_path):
    for path, expected in ((tmp_path / "missing.silkmap", "does not exist"), (tmp_path, "not a regular file")):
        with pytest.raises(pj.ProjectError, match=expected):
            pj.load(path)
    fifo = tmp_path / "fifo.silkmap"
    os.mkfifo(fifo)
    with pytest.raises(pj.ProjectError, match="not a regular file"):
        pj.load(fifo)  # refused without opening: a FIFO would block


JSON_VALUES = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False)
                           | st.text(max_size=12),
                           lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
                           max_leaves=20)
KEYS = ["format", "schema", "view", "language", "layers", "selection", "annotations", "bookmarks", "user_layers"]


@st.composite
def mutated(draw):
    raw = _good()
    for _ in range(draw(st.integers(1, 4))):
        key = draw(st.sampled_from(KEYS))
        choice = draw(st.integers(0, 2))
        if choice == 0:
            raw.pop(key, None)
        elif choice == 1:
            raw[key] = draw(JSON_VALUES)
        elif isinstance(raw.get(key), list) and raw[key] and isinstance(raw[key][0], dict):
            item = raw[key][0]
            item[draw(st.sampled_from(sorted(item) + ["extra"]))] = draw(JSON_VALUES)
        elif isinstance(raw.get(key), dict):
            raw[key][draw(st.text(max_size=6) | st.sampled_from(sorted(raw[key]) or ["k"]))] = draw(JSON_VALUES)
    return json.dumps(raw).encode()


@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.one_of(mutated(), st.binary(max_size=200), JSON_VALUES.map(lambda v: json.dumps(v).encode())))
def test_the_loader_accepts_or_refuses_with_one_line(data):
    try:
        p = pj.loads(data, "fuzz.silkmap")
    except pj.ProjectError as exc:
        msg = str(exc)
        assert msg.startswith("fuzz.silkmap: ") and "\n" not in msg
        return
    # Accepted: everything in it is what the window can apply.
    assert p.view is None or (isinstance(p.view.scale, float) and p.view.width >= 1)
    assert all(isinstance(v, bool) for v in p.layers.values())
    assert all(a.kind in ("text", "arrow", "circle") for a in p.annotations)
    again = pj.loads(pj.dumps(p), "again.silkmap")  # and what it accepts, it saves and reads back
    assert again.annotations == p.annotations and again.view == p.view and again.bookmarks == p.bookmarks


def test_annotations_undo_and_redo():
    notes = Annotations()
    seen = []
    notes.changed.connect(lambda items: seen.append(len(items)))
    a = notes.add(Annotation("", "text", 0, 0, "one"))
    notes.update(a.moved(10, 0))
    notes.remove(a.id)
    assert len(notes) == 0
    notes.undo()
    assert notes.get(a.id).x == 10
    notes.undo()
    assert notes.get(a.id).x == 0
    notes.redo()
    assert notes.get(a.id).x == 10
    assert not notes.can_redo() or notes.can_undo()
    notes.replace_all(())
    assert not notes.can_undo() and seen[-1] == 0
