"""Render silkmap's icon from packaging/icons/silkmap.svg with QtSvg.

    .venv/bin/python tools/render_icons.py          # rewrite every rendered file
    .venv/bin/python tools/render_icons.py --check  # exit 1 if a rendered file is stale

Writes:
  packaging/icons/silkmap-<N>.png      N = 16 32 48 64 128 256 (hicolor theme, make install-desktop)
  packaging/icons/silkmap.ico          Windows (PNG-compressed entries, 16 to 256)
  packaging/icons/silkmap.icns         macOS (PNG entries, 16 to 512)
  src/silkmap/ui/icons/                the SVG and the PNGs again, for the window icon, so a
                                       checkout, a wheel and the bundle all carry them
"""

from __future__ import annotations

import argparse
import os
import shutil
import struct
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SVG = ROOT / "packaging" / "icons" / "silkmap.svg"
OUT = ROOT / "packaging" / "icons"
PKG_OUT = ROOT / "src" / "silkmap" / "ui" / "icons"
SIZES = (16, 32, 48, 64, 128, 256)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
# icns types holding PNG data, by pixel size (Apple's "icp4".."ic10" family).
ICNS_TYPES = ((16, b"icp4"), (32, b"icp5"), (64, b"icp6"), (128, b"ic07"), (256, b"ic08"), (512, b"ic09"))


def render_png(renderer, size: int) -> bytes:
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRectF
    from PySide6.QtGui import QImage, QPainter

    img = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    img.fill(0)
    painter = QPainter(img)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    renderer.render(painter, QRectF(0, 0, size, size))
    painter.end()
    data = QByteArray()
    buf = QBuffer(data)
    buf.open(QIODevice.OpenModeFlag.WriteOnly)
    if not img.convertToFormat(QImage.Format.Format_ARGB32).save(buf, "PNG"):
        raise SystemExit(f"render_icons: could not encode the {size}px PNG")
    buf.close()
    return bytes(data.data())


def ico(pngs: dict[int, bytes]) -> bytes:
    """A Windows .ico whose entries are PNG images (valid since Windows Vista)."""
    sizes = sorted(pngs)
    head = struct.pack("<HHH", 0, 1, len(sizes))
    offset = 6 + 16 * len(sizes)
    entries, blobs = b"", b""
    for s in sizes:
        data = pngs[s]
        entries += struct.pack("<BBBBHHII", s % 256, s % 256, 0, 0, 1, 32, len(data), offset)
        blobs += data
        offset += len(data)
    return head + entries + blobs


def icns(pngs: dict[int, bytes]) -> bytes:
    body = b"".join(kind + struct.pack(">I", 8 + len(pngs[s])) + pngs[s] for s, kind in ICNS_TYPES)
    return b"icns" + struct.pack(">I", 8 + len(body)) + body


def outputs() -> dict[Path, bytes]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtSvg import QSvgRenderer

    _app = QGuiApplication.instance() or QGuiApplication([sys.argv[0]])  # noqa: F841
    renderer = QSvgRenderer(str(SVG))
    if not renderer.isValid():
        raise SystemExit(f"render_icons: {SVG} is not an SVG that QtSvg can draw")
    wanted = sorted(set(SIZES) | set(ICO_SIZES) | {s for s, _k in ICNS_TYPES})
    pngs = {s: render_png(renderer, s) for s in wanted}
    files: dict[Path, bytes] = {}
    for s in SIZES:
        files[OUT / f"silkmap-{s}.png"] = pngs[s]
        files[PKG_OUT / f"silkmap-{s}.png"] = pngs[s]
    files[PKG_OUT / "silkmap.svg"] = SVG.read_bytes()
    files[OUT / "silkmap.ico"] = ico({s: pngs[s] for s in ICO_SIZES})
    files[OUT / "silkmap.icns"] = icns(pngs)
    return files


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--check", action="store_true", help="only report rendered files that are stale")
    args = p.parse_args(argv)
    stale = []
    for path, data in outputs().items():
        if path.is_file() and path.read_bytes() == data:
            continue
        stale.append(path)
        if not args.check:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_name(path.name + ".part")
            tmp.write_bytes(data)
            shutil.move(tmp, path)
    for path in stale:
        print(f"{'stale' if args.check else 'wrote'} {path.relative_to(ROOT)}")
    return 1 if (args.check and stale) else 0


if __name__ == "__main__":
    raise SystemExit(main())
