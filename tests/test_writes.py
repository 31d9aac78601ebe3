"""Writes are atomic and honest: a full disk or an I/O error fails with exit 4 and one line,
and leaves no file and no temporary file; exported files get the umask's permissions."""

import errno
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from silkmap.cli import run
from silkmap.core import atomic_file

FORMATS = ("png", "svg", "pdf")


def one_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert "Traceback" not in err and "libpng" not in err and "Fatal" not in err
    return lines[0]


def full_disk_after(limit: int):
    """An ``os.write`` that fails with ENOSPC once ``limit`` bytes went to a temporary export
    file (other descriptors, pytest's own, write normally)."""
    real = os.write
    written = {}

    def write(fd, data):
        try:
            name = os.readlink(f"/proc/self/fd/{fd}")
        except OSError:
            name = ""
        if not name.endswith(".part"):
            return real(fd, data)
        room = limit - written.get(fd, 0)
        if room <= 0:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        n = real(fd, bytes(data[:room]))
        written[fd] = written.get(fd, 0) + n
        return n

    return write


# ---------------------------------------------------------------------- the atomic writer
def test_short_writes_still_give_the_whole_file(tmp_path, monkeypatch):
    real = os.write
    monkeypatch.setattr(os, "write", lambda fd, data: real(fd, bytes(data[:1000])))
    data = os.urandom(3 * atomic_file.CHUNK + 17)
    atomic_file.write_atomically(tmp_path / "x.bin", data)
    monkeypatch.undo()
    assert (tmp_path / "x.bin").read_bytes() == data
    assert [p.name for p in tmp_path.iterdir()] == ["x.bin"]


def test_full_disk_keeps_the_old_file_and_leaves_no_temporary(tmp_path, monkeypatch):
    target = tmp_path / "x.bin"
    target.write_bytes(b"previous")
    monkeypatch.setattr(os, "write", full_disk_after(4096))
    with pytest.raises(OSError) as info:
        atomic_file.write_atomically(target, b"x" * 100_000)
    monkeypatch.undo()
    assert info.value.errno == errno.ENOSPC
    assert target.read_bytes() == b"previous"
    assert [p.name for p in tmp_path.iterdir()] == ["x.bin"]


def test_failed_flush_to_disk_is_an_error(tmp_path, monkeypatch):
    def fsync(fd):
        raise OSError(errno.EIO, os.strerror(errno.EIO))

    monkeypatch.setattr(os, "fsync", fsync)
    with pytest.raises(OSError):
        atomic_file.write_atomically(tmp_path / "x.bin", b"data")
    assert list(tmp_path.iterdir()) == []


def test_temporary_name_fits_beside_the_longest_legal_name():
    for length in (1, 200, 240, 244, 255):
        name = b"a" * (length - 4) + b".png"
        tmp = atomic_file.temp_name(name)
        assert len(tmp) <= atomic_file.NAME_MAX and tmp.startswith(b".") and tmp.endswith(b".part")


@pytest.mark.parametrize("mask,mode", [(0o022, 0o644), (0o077, 0o600), (0o002, 0o664)])
def test_new_files_follow_the_umask(tmp_path, mask, mode):
    old = os.umask(mask)
    try:
        atomic_file.write_atomically(tmp_path / "x.bin", b"data")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "x.bin").stat().st_mode) == mode


def test_a_replaced_file_keeps_its_permissions(tmp_path):
    target = tmp_path / "x.bin"
    target.write_bytes(b"old")
    target.chmod(0o640)
    atomic_file.write_atomically(target, b"new")
    assert target.read_bytes() == b"new"
    assert stat.S_IMODE(target.stat().st_mode) == 0o640


# ---------------------------------------------------------------------- the export, each format
@pytest.mark.parametrize("fmt", FORMATS)
def test_export_gets_normal_permissions(qapp, tmp_path, capsys, fmt):
    old = os.umask(0o022)
    try:
        assert run(["export", str(tmp_path / f"m.{fmt}"), "--size", "120x80"]) == 0
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / f"m.{fmt}").stat().st_mode) == 0o644


@pytest.mark.parametrize("fmt", FORMATS)
def test_export_to_a_full_disk_is_exit_4_and_leaves_nothing(qapp, tmp_path, capsys, monkeypatch, fmt):
    monkeypatch.setattr(os, "write", full_disk_after(2000))
    status = run(["export", str(tmp_path / f"m.{fmt}"), "--size", "400x300"])
    monkeypatch.undo()
    line = one_line(capsys.readouterr().err)
    assert status == 4
    assert "No space left on device" in line and f"m.{fmt}" in line
    assert list(tmp_path.iterdir()) == []


FULL_DISK_CLI = r"""
import errno, os, sys
real = os.write
def write(fd, data):
    try:
        name = os.readlink(f"/proc/self/fd/{fd}")
    except OSError:
        name = ""
    if name.endswith(".part"):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
    return real(fd, data)
os.write = write
from silkmap.app import main
raise SystemExit(main(sys.argv[1:]))
"""


def test_full_disk_cli_prints_one_line_on_fd_2(tmp_path):
    # In a process of its own: what libpng or Qt print goes straight to file descriptor 2
    # (libpng's own "Write Error" line was the symptom), which capsys would not see.
    fmt = "png"
    out = subprocess.run([sys.executable, "-c", FULL_DISK_CLI, "export", str(tmp_path / f"m.{fmt}"),
                          "--size", "300x200"], capture_output=True, text=True, timeout=120)
    assert out.returncode == 4, out.stderr
    assert "No space left on device" in one_line(out.stderr)
    assert list(tmp_path.iterdir()) == []


@pytest.fixture
def tiny_tmpfs(tmp_path):
    """A real 64 KiB file system, mounted for the test (needs root and mount rights)."""
    mnt = tmp_path / "full"
    mnt.mkdir()
    if not hasattr(os, "geteuid") or os.geteuid() != 0:
        pytest.skip("mounting a small tmpfs needs root")
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(mnt)],
                          capture_output=True, text=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip()}")
    try:
        yield mnt
    finally:
        subprocess.run(["umount", str(mnt)], capture_output=True)


@pytest.mark.parametrize("fmt", FORMATS)
def test_export_onto_a_real_full_file_system(tiny_tmpfs, fmt):
    out = subprocess.run([sys.executable, "-m", "silkmap", "export", str(tiny_tmpfs / f"m.{fmt}"),
                          "--size", "800x600"], capture_output=True, text=True, timeout=180)
    assert out.returncode == 4, out.stderr
    line = one_line(out.stderr)
    assert "No space left on device" in line
    assert list(tiny_tmpfs.iterdir()) == []


def test_small_export_fits_the_real_small_file_system(tiny_tmpfs):
    # The same file system takes a file that fits: the failure above is the disk, not the mount.
    out = subprocess.run([sys.executable, "-m", "silkmap", "export", str(tiny_tmpfs / "m.png"),
                          "--size", "60x40"], capture_output=True, text=True, timeout=180)
    assert out.returncode == 0, out.stderr
    assert [p.name for p in tiny_tmpfs.iterdir()] == ["m.png"]
    assert Path(tiny_tmpfs / "m.png").read_bytes()[:4] == b"\x89PNG"
