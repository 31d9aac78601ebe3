"""`silkmap export --year` and `--years` (issue 11): the map of a year, GIF and APNG frames and
their captions, and every bad value as one line, exit 2, nothing written."""

import os

import numpy as np
import pytest
from PIL import Image, ImageSequence
from PySide6.QtGui import QImage

from silkmap.cli import run
from silkmap.core import timeline
from silkmap.core.atlas import home_bounds
from silkmap.render.animation import FRAME_MS, LAST_FRAME_MS
from silkmap.render.export import ExportSpec, MapExporter
from silkmap.render.limits import MAX_ANIMATION_PIXELS
from test_cli_values import only_line


def caption_mask(img: Image.Image, box) -> np.ndarray:
    """The caption's dark pixels (its text)."""
    return np.asarray(img.convert("L").crop(box)) < 100


def agreement(a, b) -> float:
    return float((a == b).mean())


def changed_pixels(a: Image.Image, b: Image.Image) -> int:
    return int(np.any(np.asarray(a.convert("RGB")) != np.asarray(b.convert("RGB")), axis=-1).sum())


@pytest.fixture(scope="module")
def gif(qapp, tmp_path_factory):
    out = tmp_path_factory.mktemp("gif") / "years.gif"
    assert run(["export", str(out), "--years", "2000-2025", "--size", "640x360"]) == 0
    return out


def test_the_gif_has_a_frame_per_year_and_loops(gif):
    im = Image.open(gif)
    assert im.format == "GIF" and im.n_frames == 26 and im.size == (640, 360)
    assert im.info["loop"] == 0
    durations = [f.info["duration"] for f in ImageSequence.Iterator(im)]
    assert durations == [FRAME_MS] * 25 + [LAST_FRAME_MS]
    assert b"Natural Earth" in im.info["comment"]


def test_each_frame_carries_its_own_year_as_caption(qapp, atlas, gif):
    """Every frame's caption matches a caption drawn for its year, and not its neighbour's."""
    exporter = MapExporter(atlas)
    spec = ExportSpec(width=640, height=360)
    s = spec.symbol_scale
    box = exporter._caption_rect(ExportSpec(caption="2000"), s).toAlignedRect()
    crop = (box.left(), box.top(), box.right(), box.bottom())
    frames = [f.convert("RGB") for f in ImageSequence.Iterator(Image.open(gif))]
    refs = {}
    for year in (2000, 2001, 2012, 2013, 2025):
        img = exporter.render_image(ExportSpec(width=640, height=360, year=year, caption=str(year)), home_bounds(atlas))
        img.save(str(gif.with_name(f"ref{year}.png")))
        refs[year] = caption_mask(Image.open(gif.with_name(f"ref{year}.png")), crop)
    for year in refs:
        got = caption_mask(frames[year - 2000], crop)
        assert got.any(), year
        assert agreement(got, refs[year]) > 0.98, year
    assert agreement(caption_mask(frames[0], crop), refs[2001]) < agreement(caption_mask(frames[0], crop), refs[2000])
    assert agreement(caption_mask(frames[12], crop), refs[2013]) < 0.98


def test_the_frames_show_the_map_of_their_year(gif):
    """The first frame (2000) and the last (2025) differ over the map, not only in the caption."""
    frames = [f.convert("RGB") for f in ImageSequence.Iterator(Image.open(gif))]
    a, b = frames[0].crop((0, 120, 640, 330)), frames[-1].crop((0, 120, 640, 330))
    assert changed_pixels(a, b) > 0.05 * 640 * 210


@pytest.mark.parametrize("name", ["years.apng", "years.png"])
def test_apng_has_a_frame_per_year_and_its_text(qapp, tmp_path, capsys, name):
    out = tmp_path / name
    assert run(["export", str(out), "--years", "2020-2025", "--size", "480x270"]) == 0
    assert "6 frames" in only_line(capsys.readouterr().err)
    im = Image.open(out)
    assert im.format == "PNG" and getattr(im, "is_animated", False) and im.n_frames == 6
    assert "Natural Earth" in im.info.get("Source", "")
    assert sorted(p.name for p in tmp_path.iterdir()) == [name]


def test_export_year_draws_that_year_and_says_so(qapp, tmp_path, capsys):
    out = tmp_path / "m2005.png"
    assert run(["export", str(out), "--year", "2005", "--size", "800x500"]) == 0
    img = QImage(str(out))
    assert img.text("Title") == "China and Central Asia in 2005"
    assert img.text("Source").startswith("The map as of 2005.")
    out2 = tmp_path / "t.png"
    assert run(["export", str(out2), "--year", "2005", "--size", "800x500", "--title", "Trade"]) == 0
    assert QImage(str(out2)).text("Title") == "Trade (2005)"
    era = tmp_path / "era.png"
    assert run(["export", str(era), "--year", "era", "--size", "800x500"]) == 0
    assert QImage(str(era)).text("Title") == "China and Central Asia in Silk Road era"


def test_export_year_pixels_differ_from_today(qapp, tmp_path):
    a, b = tmp_path / "a.png", tmp_path / "b.png"
    assert run(["export", str(a), "--year", "1995", "--size", "640x360", "--no-footer"]) == 0
    assert run(["export", str(b), "--size", "640x360", "--no-footer"]) == 0
    assert changed_pixels(Image.open(a), Image.open(b)) > 0.05 * 640 * 360
    # Today's map is the latest year's (the same pixels, only the title differs).
    c = tmp_path / "c.png"
    assert run(["export", str(c), "--year", str(timeline.LAST_YEAR), "--size", "640x360", "--no-footer",
                "--title", "x"]) == 0
    d = tmp_path / "d.png"
    assert run(["export", str(d), "--size", "640x360", "--no-footer", "--title", "x (2025)"]) == 0
    assert changed_pixels(Image.open(c), Image.open(d)) == 0


BIG = int((MAX_ANIMATION_PIXELS / 10) ** 0.5) + 100  # ten frames of BIG×BIG exceed the budget


@pytest.mark.parametrize("name,args,words", [
    ("x.gif", ["--years", "1980-2000"], "year 1980 is outside the data's range (1992 to 2025)"),
    ("x.gif", ["--years", "2000-2030"], "year 2030 is outside"),
    ("x.gif", ["--years", "2025-2000"], "runs backwards"),
    ("x.gif", ["--years", "2000-"], "--years expects a range"),
    ("x.gif", ["--years", "-2000"], "--years expects a range"),
    ("x.gif", ["--years", "2000"], "--years expects a range"),
    ("x.gif", ["--years", "20x0-2010"], "--years expects a range"),
    ("x.gif", ["--years", ""], "--years expects a range"),
    ("x.gif", ["--years", "9" * 5000 + "-2000"], "--years expects a range"),
    ("x.gif", ["--years", "2000-2009", "--size", f"{BIG}x{BIG}"], "exceed the animation budget"),
    ("x.gif", ["--years", "1992-2025", "--size", "3840x2160"], "exceed the animation budget"),
    ("x.svg", ["--years", "2000-2001"], "must end in .gif, .apng or .png"),
    ("x.pdf", ["--years", "2000-2001"], "must end in .gif, .apng or .png"),
    ("x.gif", [], "cannot tell the format"),
    ("x.apng", [], "cannot tell the format"),
    ("x.png", ["--year", "1991"], "year 1991 is outside"),
    ("x.png", ["--year", "2026"], "year 2026 is outside"),
    ("x.png", ["--year", "two thousand"], "--year expects a year"),
    ("x.png", ["--year", "-5"], "--year expects a year"),
    ("x.png", ["--year", ""], "--year expects a year"),
    ("x.png", ["--year", "2010", "--years", "2000-2010"], "either --year or --years"),
])
def test_bad_years_are_one_line_exit_2_and_nothing_written(qapp, tmp_path, capsys, name, args, words):
    code = run(["export", str(tmp_path / name), *args])
    line = only_line(capsys.readouterr().err)
    assert code == 2, line
    assert words in line
    assert len(line) < 400
    assert os.listdir(tmp_path) == []


def test_an_unwritable_animation_target_is_exit_4_and_leaves_nothing(qapp, tmp_path, capsys):
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        if os.access(folder, os.W_OK):
            pytest.skip("running as a user who can write anywhere")
        assert run(["export", str(folder / "x.gif"), "--years", "2000-2001"]) == 4
        assert "not writable" in only_line(capsys.readouterr().err)
        assert os.listdir(folder) == []
    finally:
        folder.chmod(0o700)


def test_an_existing_animation_is_kept_without_overwrite(qapp, tmp_path, capsys):
    out = tmp_path / "x.gif"
    out.write_bytes(b"old")
    assert run(["export", str(out), "--years", "2000-2001"]) == 4
    assert "--overwrite" in only_line(capsys.readouterr().err)
    assert out.read_bytes() == b"old"
