"""Reproducers from the fuzzing of the command line (issue 14, item 6): every bad value is one
line and exit 2 or 4, the line stays one line and short, and no temporary file is left."""

import json
import os
import subprocess
import sys

import pytest

from silkmap.cli import run
from silkmap.core.oneline import one_line, shown


def silkmap(*args, **kw):
    return subprocess.run([sys.executable, "-m", "silkmap", *args], capture_output=True, timeout=180, **kw)


def only_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert "Traceback" not in err
    return lines[0]


def names(folder):
    return sorted(os.fsencode(p.name) for p in folder.iterdir())


# ---------------------------------------------------------------------- values
@pytest.mark.parametrize("args,status,words", [
    (["--size", "9" * 5000 + "x10"], 2, "out of range"),
    (["--dpi", "9" * 5000], 2, "out of range"),
    (["--dpi", "x" * 5000], 2, "whole number"),
    (["--preset", ""], 2, "unknown preset ''"),
    (["--size", ""], 2, "--size expects"),
    (["--select", ""], 2, "unknown country code ''"),
])
def test_bad_values_are_one_short_line(qapp, tmp_path, capsys, args, status, words):
    code = run(["export", str(tmp_path / "x.png"), *args])
    line = only_line(capsys.readouterr().err)
    assert code == status
    assert words in line
    assert len(line) < 400
    assert list(tmp_path.iterdir()) == []


def test_leading_zeros_are_not_digits_too_many(qapp, tmp_path, capsys):
    # 5,000 characters, but the number is 7: a legal size (int() alone stops at 4,300 digits).
    assert run(["export", str(tmp_path / "x.png"), "--size", "10x" + "0" * 4999 + "7",
                "--dpi", "0" * 5000 + "96"]) == 0
    assert "(10x7, 96 dpi)" in only_line(capsys.readouterr().err)


def test_a_long_value_is_cut_in_the_message(tmp_path, capsys):
    value = "p" * 100_000
    assert run(["export", str(tmp_path / "x.png"), "--preset", value]) == 2
    line = only_line(capsys.readouterr().err)
    assert len(line) < 400 and "…" in line


def test_a_long_unknown_option_is_cut_too(tmp_path, capsys):
    assert run(["export", str(tmp_path / "x.png"), "--" + "q" * 100_000]) == 2
    line = only_line(capsys.readouterr().err)
    assert len(line) < 1100 and "…" in line


@pytest.mark.parametrize("value", ["KA\nZ", "a\r\nb", "\x1b[31mred", "tab\there"])
def test_control_characters_do_not_split_or_colour_the_message(tmp_path, capsys, value):
    assert run(["export", str(tmp_path / "x.png"), "--select", value]) in (2,)
    line = only_line(capsys.readouterr().err)
    assert "\x1b" not in line and "\r" not in line
    assert repr(value)[1:-1] in line


def test_shown_keeps_both_ends_of_a_long_value():
    text = shown("/very/long/folder/" + "x" * 500 + "/name.png")
    assert len(text) <= 120 and text.startswith("/very/long") and text.endswith("name.png")
    assert shown("\udcff.png") == "\\xff.png"
    assert "\n" not in one_line("a\nb") and one_line("a\nb") == "a\\nb"


# ---------------------------------------------------------------------- output names
def test_a_name_of_244_bytes_is_written(qapp, tmp_path, capsys):
    # The temporary file used to add 15 bytes and so refused legal names over 240 bytes.
    for length in (244, 255):
        name = "n" * (length - 4) + ".png"
        assert run(["export", str(tmp_path / name), "--size", "40x30"]) == 0, capsys.readouterr().err
        assert (tmp_path / name).exists()
    assert len(names(tmp_path)) == 2
    assert not any(n.endswith(b".part") for n in names(tmp_path))


def test_a_name_of_256_bytes_is_one_line_exit_4(tmp_path, capsys):
    assert run(["export", str(tmp_path / ("n" * 252 + ".png")), "--size", "40x30"]) == 4
    line = only_line(capsys.readouterr().err)
    assert "File name too long" in line and len(line) < 400
    assert list(tmp_path.iterdir()) == []


def test_a_path_over_the_system_limit_is_one_line_exit_4(tmp_path, capsys):
    deep = str(tmp_path / "/".join(["d" * 200] * 25) / "x.png")
    assert run(["export", deep]) == 4
    line = only_line(capsys.readouterr().err)
    assert "cannot write" in line and len(line) < 400


def test_a_non_utf8_name_is_written_under_its_own_bytes(qapp, tmp_path, capsys):
    raw = b"\xff\xfe-map.png"
    assert run(["export", os.fsdecode(os.path.join(os.fsencode(tmp_path), raw)), "--size", "40x30"]) == 0
    assert "\\xff\\xfe-map.png" in only_line(capsys.readouterr().err)
    assert names(tmp_path) == [raw]


def test_a_non_utf8_name_from_the_real_command_line(tmp_path):
    raw = os.path.join(os.fsencode(tmp_path), b"caf\xe9.svg")
    out = silkmap(b"export", raw, b"--size", b"40x30")
    assert out.returncode == 0, out.stderr
    assert names(tmp_path) == [b"caf\xe9.svg"]


# ---------------------------------------------------------------------- stdout and info
def test_info_with_stdout_closed():
    out = subprocess.run(["sh", "-c", f'exec "{sys.executable}" -m silkmap info KAZ >&-'],
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 4
    assert "standard output" in only_line(out.stderr)


def test_info_into_a_broken_pipe():
    read, write = os.pipe()
    os.close(read)  # the reader is gone before anything is written
    try:
        out = subprocess.run([sys.executable, "-m", "silkmap", "info", "KAZ"], stdout=write,
                             stderr=subprocess.PIPE, text=True, timeout=120)
    finally:
        os.close(write)
    assert out.returncode == 4
    assert "Broken pipe" in only_line(out.stderr)


@pytest.mark.parametrize("args", [["info", "KAZ", "--json"], ["--help"]])
def test_stdout_to_a_full_device(args):
    with open("/dev/full", "w") as full:
        out = subprocess.run([sys.executable, "-m", "silkmap", *args], stdout=full, stderr=subprocess.PIPE,
                             text=True, timeout=120)
    assert out.returncode == 4
    assert "No space left on device" in only_line(out.stderr)


def test_info_in_an_ascii_terminal():
    env = {**os.environ, "PYTHONIOENCODING": "ascii"}
    text = silkmap("info", "KGZ", "--lang", "zh-Hans", env=env)
    assert text.returncode == 0 and text.stderr == b""
    text.stdout.decode("ascii")  # every character that ASCII lacks is escaped
    assert b"KGZ" in text.stdout and b"\\u5409" in text.stdout  # 吉, escaped
    data = silkmap("info", "KGZ", "--json", "--lang", "zh-Hans", env=env)
    assert data.returncode == 0 and data.stderr == b""
    utf8 = silkmap("info", "KGZ", "--json", "--lang", "zh-Hans")
    assert json.loads(data.stdout.decode("ascii")) == json.loads(utf8.stdout.decode("utf-8"))


def test_errors_with_stderr_closed_or_full_exit_quietly():
    closed = subprocess.run(["sh", "-c", f'exec "{sys.executable}" -m silkmap info XYZ 2>&-'],
                            capture_output=True, text=True, timeout=120)
    assert closed.returncode == 2 and closed.stdout == ""
    with open("/dev/full", "w") as full:
        done = subprocess.run([sys.executable, "-m", "silkmap", "info", "XYZ"], stderr=full,
                              stdout=subprocess.PIPE, text=True, timeout=120)
    assert done.returncode == 2 and done.stdout == ""
