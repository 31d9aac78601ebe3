#!/usr/bin/env python3
"""Smoke test of the PyInstaller bundle, with no Python of the bundle's own (stdlib only).

    python3 packaging/smoke_test.py [--bundle dist/silkmap] [--png FILE] [--tarball FILE] [--xvfb]

Checks that the bundle runs without a Python installation and without a display:
``--version``; ``info KAZ``; ``export`` to PNG (signature, size, chunk CRCs, the "Software"
text chunk starting with "silkmap"), SVG and PDF, in English and Chinese; every module and
the matplotlib trade charts (the launcher's SILKMAP_BUNDLE_SELFTEST), with matplotlib's font
cache kept in the per-user cache folder; the window's first paint offscreen (and under Xvfb
with --xvfb); the data, fonts and icons inside; what must stay out (pandas, geopandas,
tkinter, QML...); and the size budgets. With --png FILE it checks
that existing export instead of making one. Exits 1 on any failure (CI runs it: .ci/run).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
# Size budgets in MiB, as `du -sh` and `ls -lh` show them.
MAX_DIR_MB = 200  # decimal megabytes, as the budget is stated
MAX_TGZ_MB = 80
MIB = 1024 * 1024
# Must not be in the bundle: the app never imports them (packaging/silkmap.spec, excludes).
ABSENT = ("pandas", "geopandas", "pyogrio", "tkinter", "_tkinter", "IPython", "pytest", "PySide6/Qt/qml",
          "PySide6/QtNetwork.abi3.so", "PySide6/QtQml.abi3.so", "PySide6/QtQuick.abi3.so",
          "PySide6/Qt/plugins/wayland-shell-integration", "PySide6/Qt/plugins/sqldrivers",
          "matplotlib/backends/backend_qtagg.py", "numpy/_core/tests")
PRESENT = ("silkmap/assets/geo/countries-10m.geojson", "silkmap/assets/geo/profiles.json",
           "silkmap/assets/geo/home-view.bin", "silkmap/assets/geo/relief.png",
           "silkmap/assets/geo/lakes.geojson", "silkmap/assets/geo/rivers.geojson",
           "silkmap/ui/icons/silkmap-256.png", "pyproj/proj_dir/share/proj/proj.db",
           "PySide6/Qt/plugins/platforms/libqxcb.so", "PySide6/Qt/plugins/platforms/libqoffscreen.so",
           "matplotlib/mpl-data/matplotlibrc")


class Failed(Exception):
    pass


def expected_version() -> str:
    text = (ROOT / "src" / "silkmap" / "__init__.py").read_text(encoding="utf-8")
    return re.search(r'^__version__ = "([^"]+)"', text, re.M).group(1)


def headless_env(**extra: str) -> dict[str, str]:
    """No display at all, as on a CI runner or a server: the export must not need one."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM", "PYTHONPATH", "PYTHONHOME")}
    env.update(extra)
    return env


def run(cmd: list[str], env=None, timeout: float = 180) -> subprocess.CompletedProcess:
    out = subprocess.run(cmd, capture_output=True, text=True, env=env or headless_env(), timeout=timeout)
    if out.returncode != 0:
        raise Failed(f"{' '.join(cmd)} exited {out.returncode}\n{out.stdout[-2000:]}{out.stderr[-2000:]}")
    if "Traceback" in out.stderr:
        raise Failed(f"{' '.join(cmd)} printed a traceback\n{out.stderr[-2000:]}")
    return out


# ------------------------------------------------------------------------------------- PNG
def png_chunks(data: bytes):
    if data[:8] != PNG_SIGNATURE:
        raise Failed("not a PNG file (bad signature)")
    pos = 8
    while pos < len(data):
        if pos + 12 > len(data):
            raise Failed("PNG file is truncated")
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        (crc,) = struct.unpack(">I", data[pos + 8 + length:pos + 12 + length])
        if zlib.crc32(kind + body) & 0xFFFFFFFF != crc:
            raise Failed(f"PNG chunk {kind!r} has a bad CRC")
        yield kind, body
        pos += 12 + length
        if kind == b"IEND":
            return
    raise Failed("PNG file has no IEND chunk")


def png_texts(chunks) -> dict[str, str]:
    texts = {}
    for kind, body in chunks:
        if kind == b"tEXt":
            key, _, value = body.partition(b"\0")
            texts[key.decode("latin-1")] = value.decode("latin-1")
        elif kind == b"zTXt":
            key, _, rest = body.partition(b"\0")
            texts[key.decode("latin-1")] = zlib.decompress(rest[1:]).decode("latin-1")
        elif kind == b"iTXt":
            key, _, rest = body.partition(b"\0")
            compressed, rest = rest[0], rest[2:]
            _lang, _, rest = rest.partition(b"\0")
            _translated, _, value = rest.partition(b"\0")
            texts[key.decode("latin-1")] = (zlib.decompress(value) if compressed else value).decode("utf-8")
    return texts


def check_png(path: Path, width: int | None = None, height: int | None = None, version: str | None = None,
              lang: str | None = None) -> str:
    data = path.read_bytes()
    if len(data) < 20_000:
        raise Failed(f"{path}: only {len(data)} bytes: not a drawn map")
    chunks = list(png_chunks(data))
    if chunks[0][0] != b"IHDR":
        raise Failed(f"{path}: first chunk is {chunks[0][0]!r}, not IHDR")
    w, h = struct.unpack(">II", chunks[0][1][:8])
    if (width and w != width) or (height and h != height):
        raise Failed(f"{path}: {w}×{h}, expected {width}×{height}")
    texts = png_texts(chunks)
    software = texts.get("Software", "")
    if not software.startswith("silkmap"):
        raise Failed(f"{path}: text chunk Software is {software!r}, expected 'silkmap …'")
    if version and software != f"silkmap {version}":
        raise Failed(f"{path}: Software is {software!r}, expected 'silkmap {version}'")
    # The extent is unprojected by pyproj: it proves PROJ works in the bundle (its database is trimmed).
    m = re.search(r"lon (-?[\d.]+)\.\.(-?[\d.]+), lat (-?[\d.]+)\.\.(-?[\d.]+)", texts.get("Extent", ""))
    if not m:
        raise Failed(f"{path}: text chunk Extent is {texts.get('Extent')!r}, expected lon/lat bounds")
    lon0, lon1, lat0, lat1 = map(float, m.groups())
    if not (30 < lon0 < 70 and 95 < lon1 < 140 and 15 < lat0 < 40 and 40 < lat1 < 65):
        raise Failed(f"{path}: Extent {m.group(0)!r} is not the region: is PROJ working?")
    if lang and texts.get("Language") != lang:
        raise Failed(f"{path}: Language is {texts.get('Language')!r}, expected {lang!r}")
    return f"{w}×{h}, {len(data) // 1024} KiB, Software={software!r}"


# ------------------------------------------------------------------------------------- checks
def tree_bytes(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


def checks(args, exe: Path, internal: Path, tmp: Path, version: str):
    """Yield (name, callable) pairs; each callable returns a short detail or raises Failed."""

    def version_check():
        out = run([str(exe), "--version"]).stdout.strip()
        if out != f"silkmap {version}":
            raise Failed(f"--version printed {out!r}, expected 'silkmap {version}'")
        return out

    def info_check():
        out = run([str(exe), "info", "KAZ"]).stdout
        if "Kazakhstan" not in out:
            raise Failed(f"info KAZ printed no 'Kazakhstan':\n{out[:500]}")
        return f"{len(out.splitlines())} lines"

    def png_check():
        png = Path(args.png) if args.png else tmp / "map.png"
        if not args.png:
            run([str(exe), "export", str(png)])
        return check_png(png, 1920, 1080, version, lang=None if args.png else "en")

    def png_zh_check():
        png = tmp / "map-zh.png"
        run([str(exe), "export", str(png), "--lang", "zh-Hans", "--size", "800x600", "--title", "中国与中亚"])
        return check_png(png, 800, 600, version, lang="zh-Hans")

    def svg_pdf_check():
        svg, pdf = tmp / "map.svg", tmp / "map.pdf"
        run([str(exe), "export", str(svg), "--size", "640x400"])
        run([str(exe), "export", str(pdf), "--preset", "a4"])
        if b"<svg" not in svg.read_bytes()[:2000]:
            raise Failed(f"{svg} is not an SVG file")
        if not pdf.read_bytes().startswith(b"%PDF-"):
            raise Failed(f"{pdf} is not a PDF file")
        return f"SVG {svg.stat().st_size // 1024} KiB, PDF {pdf.stat().st_size // 1024} KiB"

    def selftest():
        cache = tmp / "cache"
        env = headless_env(QT_QPA_PLATFORM="offscreen", SILKMAP_BUNDLE_SELFTEST="1", XDG_CACHE_HOME=str(cache))
        out = run([str(exe)], env=env).stdout.strip()
        if not out.startswith("selftest ok"):
            raise Failed(f"the bundle's self-test printed {out!r}")
        mpl = cache / "silkmap" / "matplotlib"
        if f"MPLCONFIGDIR={mpl}" not in out or not list(mpl.glob("fontlist-*.json")):
            raise Failed(f"matplotlib did not keep its font cache in {mpl}: {out!r}")
        return out

    def first_paint_offscreen():
        env = headless_env(QT_QPA_PLATFORM="offscreen", SILKMAP_QUIT_AFTER_FIRST_PAINT="1",
                           XDG_CACHE_HOME=str(tmp / "cache"))
        out = run([str(exe)], env=env).stdout
        if "first-paint" not in out:
            raise Failed(f"the window did not report its first paint: {out!r}")
        return out.strip()

    def first_paint_xvfb():
        env = headless_env(SILKMAP_QUIT_AFTER_FIRST_PAINT="1", XDG_CACHE_HOME=str(tmp / "cache"))
        out = run(["xvfb-run", "-a", "-s", "-screen 0 1600x1000x24", str(exe)], env=env).stdout
        if "first-paint" not in out:
            raise Failed(f"the window did not report its first paint under Xvfb: {out!r}")
        return out.strip()

    def layout_check():
        missing = [p for p in PRESENT if not (internal / p).exists()]
        fonts = list((internal / "silkmap" / "i18n" / "fonts").glob("*.[ot]tf"))
        source_fonts = list((ROOT / "src" / "silkmap" / "i18n" / "fonts").glob("*.[ot]tf"))
        if len(fonts) < len(source_fonts):
            missing.append(f"silkmap/i18n/fonts ({len(fonts)} of {len(source_fonts)} font files)")
        if missing:
            raise Failed("missing from the bundle: " + ", ".join(missing))
        present = [p for p in ABSENT if (internal / p).exists()]
        qm = [p.name for p in (internal / "PySide6" / "Qt" / "translations").glob("*.qm")]
        present += [f"Qt translation {n}" for n in qm if not n.startswith("qtbase_")]
        if present:
            raise Failed("in the bundle but never used: " + ", ".join(present))
        projdb = internal / "pyproj" / "proj_dir" / "share" / "proj" / "proj.db"
        if projdb.exists() and projdb.stat().st_size > 2_000_000:
            raise Failed(f"{projdb.name} is {projdb.stat().st_size / 1e6:.1f} MB: the trimmed copy was expected")
        dangling = [str(p.relative_to(internal)) for p in internal.rglob("*") if p.is_symlink() and not p.exists()]
        if dangling:
            raise Failed("dangling symlinks: " + ", ".join(dangling))
        return f"{len(PRESENT)} files present, {len(ABSENT)} left out, {len(fonts)} fonts"

    def size_check():
        size = tree_bytes(exe.parent)
        if size > MAX_DIR_MB * 1e6:
            raise Failed(f"{exe.parent} is {size / 1e6:.0f} MB (budget {MAX_DIR_MB} MB)")
        detail = f"{exe.parent.name}/ {size / 1e6:.0f} MB ({size / MIB:.0f} MiB; budget {MAX_DIR_MB} MB)"
        if args.tarball:
            tgz = Path(args.tarball)
            if not tgz.is_file():
                raise Failed(f"{tgz} is missing")
            tsize = tgz.stat().st_size
            if tsize > MAX_TGZ_MB * 1e6:
                raise Failed(f"{tgz} is {tsize / 1e6:.0f} MB (budget {MAX_TGZ_MB} MB)")
            detail += f"; {tgz.name} {tsize / 1e6:.0f} MB ({tsize / MIB:.0f} MiB; budget {MAX_TGZ_MB} MB)"
        return detail

    yield "--version", version_check
    yield "info KAZ", info_check
    yield "export PNG (no display)", png_check
    yield "export PNG in zh-Hans", png_zh_check
    yield "export SVG and PDF", svg_pdf_check
    yield "modules and trade charts (self-test)", selftest
    yield "window first paint (offscreen)", first_paint_offscreen
    if args.xvfb:
        yield "window first paint (Xvfb, xcb)", first_paint_xvfb
    yield "bundle contents", layout_check
    yield "sizes", size_check


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description="Smoke test of silkmap's PyInstaller bundle.")
    p.add_argument("--bundle", default=str(ROOT / "dist" / "silkmap"), help="the onedir bundle (dist/silkmap)")
    p.add_argument("--png", help="check this exported PNG instead of exporting one")
    p.add_argument("--tarball", help="also check the size of this .tar.gz")
    p.add_argument("--xvfb", action="store_true",
                   help="also open the window under xvfb-run (skipped with a note if xvfb-run is missing)")
    args = p.parse_args(argv)
    bundle = Path(args.bundle)
    exe = bundle / ("silkmap.exe" if sys.platform == "win32" else "silkmap")
    if not exe.is_file():
        print(f"smoke_test: {exe} not found: run `make bundle` first", file=sys.stderr)
        return 1
    if args.xvfb and not shutil.which("xvfb-run"):
        print("note: xvfb-run not found: the window is checked offscreen only")
        args.xvfb = False
    version = expected_version()
    passed = failed = 0
    with tempfile.TemporaryDirectory(prefix="silkmap-smoke-") as tmpdir:
        for name, check in checks(args, exe, bundle / "_internal", Path(tmpdir), version):
            try:
                detail = check()
            except (Failed, subprocess.TimeoutExpired, OSError) as exc:
                failed += 1
                print(f"FAIL {name}: {exc}", flush=True)
            else:
                passed += 1
                print(f"ok   {name}: {detail}", flush=True)
    print(f"smoke: {passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
