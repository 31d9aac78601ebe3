"""UserLayerSpec: what a project file saves of a user layer, and how a malformed one is refused."""

import json

import pytest

from silkmap.core.user_layers.spec import DEFAULT_STYLE, SpecError, UserLayerSpec


def test_round_trip_through_json_text():
    spec = UserLayerSpec("data/wells.csv", {"colour": "#0055AA", "size": 9}, False, "Wells",
                         {"lat": "Y", "lon": "X", "delimiter": ";"})
    again = UserLayerSpec.from_json(json.loads(json.dumps(spec.to_json())))
    assert again == spec
    assert again.style["colour"] == "#0055aa" and again.style["size"] == 9.0
    assert again.style["line_width"] == DEFAULT_STYLE["line_width"]
    assert again.visible is False and again.title == "Wells"


def test_title_falls_back_to_the_file_stem():
    assert UserLayerSpec("/a/b/roads.geo.json").title == "roads.geo"
    assert UserLayerSpec("C:\\x\\sites.kml").title == "sites"


@pytest.mark.parametrize("value, field", [
    ([], "user layer must be an object"),
    ({}, "'path'"),
    ({"path": ""}, "'path'"),
    ({"path": 3}, "'path'"),
    ({"path": "a\x00b"}, "'path'"),
    ({"path": "a.csv", "visible": "yes"}, "'visible'"),
    ({"path": "a.csv", "name": 5}, "'name'"),
    ({"path": "a.csv", "style": []}, "'style'"),
    ({"path": "a.csv", "style": {"colour": "red"}}, "'style.colour'"),
    ({"path": "a.csv", "style": {"size": float("nan")}}, "'style.size'"),
    ({"path": "a.csv", "style": {"size": True}}, "'style.size'"),
    ({"path": "a.csv", "style": {"line_width": 1e9}}, "'style.line_width'"),
    ({"path": "a.csv", "style": {"label_field": ""}}, "'style.label_field'"),
    ({"path": "a.csv", "style": {"glow": 1}}, "'style.glow'"),
    ({"path": "a.csv", "options": {"lat": 1}}, "'options.lat'"),
    ({"path": "a.csv", "options": {"delimiter": "x"}}, "'options.delimiter'"),
    ({"path": "a.csv", "options": {"exec": "rm"}}, "'options.exec'"),
    ({"path": "a.csv", "colour": "#000000"}, "'colour'"),
])
def test_malformed_values_are_one_error_naming_the_field(value, field):
    with pytest.raises(SpecError) as info:
        UserLayerSpec.from_json(value)
    message = str(info.value)
    assert field in message and "\n" not in message


def test_open_layer_resolves_a_relative_path_and_keeps_the_options(tmp_path):
    from silkmap.core.errors import DataError
    from silkmap.core.user_layers.layer import open_layer

    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "p.csv").write_text("n;a;b\nx;43,25;76,9\n", encoding="utf-8")
    spec = UserLayerSpec("data/p.csv", {}, True, "", {"lat": "a", "lon": "b", "delimiter": ";"})
    layer = open_layer(spec, base=tmp_path)
    assert layer.spec is spec and layer.data.feature_count == 1
    with pytest.raises(DataError, match="moved.csv: file not found"):
        open_layer(UserLayerSpec("moved.csv"), base=tmp_path)
