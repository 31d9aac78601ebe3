"""Property tests over the command line's values (issue 14, item 7): whatever --size,
--preset, --dpi, --select, --layers, --title, --lang and the output name hold, a run ends
in exit 0 with the file, or one line and exit 2 or 4 with no file — never a traceback,
never a temporary file left behind."""

import os
import string

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from silkmap.cli import run
from silkmap.core.state import LAYERS
from silkmap.i18n import LANGUAGES
from silkmap.render.limits import PRESETS

# argv can hold anything but NUL; surrogates stand for the bytes of a non-UTF-8 name.
ARG_TEXT = st.text(st.characters(blacklist_characters="\x00", blacklist_categories=("Cs",)), max_size=40)
UNDECODABLE = st.binary(min_size=1, max_size=6).map(lambda b: os.fsdecode(b.replace(b"\0", b"").replace(b"/", b"")))
SMALL = st.integers(min_value=-3, max_value=70)

size_value = st.one_of(
    st.builds(lambda w, h, sep: f"{w}{sep}{h}", SMALL, SMALL, st.sampled_from(["x", "X", "×", " x ", "*"])),
    st.sampled_from(["", " ", "x", "10x", "x10", "1e3x10", "0x0", "16385x1", "10x10x10"]),
    st.integers(min_value=0, max_value=20).map(lambda n: "9" * (n * 500) + "x10"),
    ARG_TEXT,
)
dpi_value = st.one_of(st.integers(-10, 2000).map(str), ARG_TEXT, st.sampled_from(["", "9" * 5000, "٩٦"]))
preset_value = st.one_of(st.sampled_from(list(PRESETS)), ARG_TEXT)
select_value = st.one_of(st.sampled_from(["KAZ", "kgz", "CHN", "RUS", "", " KAZ"]), ARG_TEXT)
layers_value = st.one_of(st.lists(st.sampled_from(LAYERS + ("ferries", "", " ")), max_size=4).map(",".join),
                         ARG_TEXT)
lang_value = st.one_of(st.sampled_from(LANGUAGES), ARG_TEXT)
stem = st.one_of(st.text(string.ascii_letters + "-_ .", min_size=1, max_size=12), ARG_TEXT, UNDECODABLE,
                 st.integers(230, 260).map(lambda n: "n" * n))
suffix = st.sampled_from([".png", ".svg", ".pdf", ".PNG", ".txt", "", ".png/", "/x.png"])


@st.composite
def command_lines(draw):
    args = []
    # Always a small --size (or a bad one): a default 1920x1080 export per example would be slow.
    small = st.builds(lambda w, h: f"{w}x{h}", st.integers(1, 48), st.integers(1, 48))
    args += ["--size", draw(small if draw(st.integers(0, 2)) else size_value)]
    for option, good, values in (("--preset", st.sampled_from(list(PRESETS)), preset_value),
                                 ("--dpi", st.integers(24, 300).map(str), dpi_value),
                                 ("--select", st.sampled_from(["KAZ", "kgz", "CHN"]), select_value),
                                 ("--layers", st.sampled_from(["rail", "rail,road", ""]), layers_value),
                                 ("--title", st.text(max_size=20), ARG_TEXT),
                                 ("--lang", st.sampled_from(LANGUAGES), lang_value)):
        given_as = draw(st.integers(0, 5))  # 0-2: left out, 3-4: a legal value, 5: anything
        if given_as >= 3:
            args += [option, draw(good if given_as < 5 else values)]
    if draw(st.booleans()):
        args.append(draw(st.sampled_from(["--no-legend", "--no-footer", "--no-scale-bar", "--overwrite",
                                          "--bogus", "-x"])))
    # Legal values more often than noise, so that a fair share of the runs gets to the writing.
    name = draw(stem) + draw(suffix) if draw(st.integers(0, 2)) == 0 else draw(
        st.text(string.ascii_letters, min_size=1, max_size=8)) + draw(st.sampled_from([".png", ".svg", ".pdf"]))
    return name, draw(st.permutations(args)) if draw(st.booleans()) else args


@pytest.fixture(scope="module", autouse=True)
def one_atlas(atlas):
    """Every example uses the session's atlas rather than loading the files again (speed only:
    the values under test never reach the data)."""
    import silkmap.core.atlas

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(silkmap.core.atlas, "load_atlas", lambda: atlas)
        yield


@settings(max_examples=100, deadline=None, suppress_health_check=list(HealthCheck))
@given(case=command_lines())
def test_any_command_line_ends_cleanly(qapp, tmp_path_factory, capsys, case):
    from silkmap import i18n

    i18n.set_language("en")  # --lang of the previous example
    name, args = case
    folder = tmp_path_factory.mktemp("out")
    status = run(["export", os.path.join(str(folder), name), *args])
    err = capsys.readouterr().err
    assert "Traceback" not in err
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert len(lines[0]) <= 1100
    left = [p for p in folder.rglob("*")]
    assert not any(p.name.endswith(".part") for p in left), left
    if status == 0:
        assert lines[0].startswith("silkmap: ") and "error" not in lines[0]
        assert len(left) == 1 and left[0].stat().st_size > 0
    else:
        assert status in (2, 4), err
        assert lines[0].startswith("silkmap: error: ")
        assert left == []


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(code=st.one_of(select_value, UNDECODABLE), json_out=st.booleans(), lang=st.one_of(st.none(), lang_value))
def test_any_info_argument_ends_cleanly(capsys, code, json_out, lang):
    from silkmap import i18n

    i18n.set_language("en")
    args = ["info", code] + (["--json"] if json_out else []) + (["--lang", lang] if lang is not None else [])
    status = run(args)
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    if status == 0:
        assert captured.err == "" and code.upper() in captured.out
    else:
        assert status == 2 and len(captured.err.splitlines()) == 1 and captured.out == ""
