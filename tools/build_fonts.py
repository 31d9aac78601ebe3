#!/usr/bin/env python3
"""Build silkmap's Chinese font subsets (``make fonts``).

    python tools/build_fonts.py [--deb PATH]

Reads Noto Sans CJK (SIL Open Font License 1.1) from the Debian package fonts-noto-cjk,
pinned by version and sha256, and writes to src/silkmap/i18n/fonts/:

- SilkmapSansSC-{Regular,Bold}.otf: the "Noto Sans CJK SC" faces (Simplified Chinese glyph
  shapes) cut down to the characters of the zh-Hans texts,
- SilkmapSansTC-{Regular,Bold}.otf: the "Noto Sans CJK TC" faces (Traditional shapes) cut
  down to the characters of the zh-Hant texts,

each also with the characters every language shows (English texts, source titles, digits,
Latin, punctuation), plus OFL.txt and README.md (provenance: package, version, sha256 of the
package, of the collections read and of the files written). The character sets come from
``tools/i18n.py`` (``characters()``), the same function the tests check the fonts against:
after a translation or a data text adds a character, run ``make fonts``.

The families are renamed ("Silkmap Sans SC/TC"): a subset is a Modified Version under the
OFL, must not carry the upstream Reserved Font Name, and must not be mistaken for the full
font when that is installed. Needs fontTools (``pip install -e '.[fonts]'``) and, unless
--deb is given, apt-get (``apt-get download``) and dpkg-deb.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "src" / "silkmap" / "i18n" / "fonts"
CACHE = ROOT / "build" / "fonts"

PACKAGE = "fonts-noto-cjk"
VERSION = "1:20220127+repack1-1"  # Debian 12 (bookworm)
DEB_SHA256 = "4a2515eb6db3978b897fef9709ed0d2b1f4c6c4df4d83d6c4ef65f71f1b1f502"
COLLECTIONS = {"Regular": "usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
               "Bold": "usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc"}
COPYRIGHT_FILE = "usr/share/doc/fonts-noto-cjk/copyright"
# language → (upstream family in the collection, our family, file stem)
FACES = {"zh-Hans": ("Noto Sans CJK SC", "Silkmap Sans SC", "SilkmapSansSC"),
         "zh-Hant": ("Noto Sans CJK TC", "Silkmap Sans TC", "SilkmapSansTC")}
# Always in: printable ASCII, Latin-1, common punctuation, CJK and fullwidth punctuation.
BASE = ({chr(c) for c in range(0x20, 0x7F)} | {chr(c) for c in range(0xA0, 0x100)}
        | set("‐‑‒–—―‘’‚“”„•…‰′″‹›€™←↑→↓−×÷≈≠≤≥°²³·")
        | {chr(c) for c in range(0x3000, 0x3012)} | {chr(c) for c in range(0x3014, 0x3020)}
        | {chr(c) for c in range(0xFF01, 0xFF21)} | {chr(c) for c in range(0xFF3B, 0xFF41)}
        | {chr(c) for c in range(0xFF5B, 0xFF5F)})
CJK_FROM = 0x2E80


def sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def fetch_deb(given: str | None) -> Path:
    if given:
        deb = Path(given)
    else:
        CACHE.mkdir(parents=True, exist_ok=True)
        found = [p for p in CACHE.glob(f"{PACKAGE}_*.deb") if sha256(p) == DEB_SHA256]
        if found:
            deb = found[0]
        else:
            if shutil.which("apt-get") is None:
                raise SystemExit(f"apt-get is not available: download {PACKAGE} {VERSION} and pass --deb PATH")
            print(f"apt-get download {PACKAGE}={VERSION}")
            done = subprocess.run(["apt-get", "download", f"{PACKAGE}={VERSION}"], cwd=CACHE)
            if done.returncode != 0:
                raise SystemExit(f"apt-get could not download {PACKAGE} {VERSION} (run apt-get update first? "
                                 "on another release, fetch that .deb and pass --deb PATH)")
            deb = next(p for p in CACHE.glob(f"{PACKAGE}_*.deb") if sha256(p) == DEB_SHA256)
    digest = sha256(deb)
    if digest != DEB_SHA256:
        raise SystemExit(f"{deb}: sha256 {digest} is not the pinned {DEB_SHA256} ({PACKAGE} {VERSION}); "
                         "update VERSION and DEB_SHA256 in tools/build_fonts.py only after checking the new package")
    return deb


def unpack(deb: Path, into: Path) -> None:
    if shutil.which("dpkg-deb") is None:
        raise SystemExit("dpkg-deb is needed to unpack the package (Debian/Ubuntu: it is part of dpkg)")
    subprocess.run(["dpkg-deb", "-x", str(deb), str(into)], check=True)


def load_characters() -> dict[str, set[str]]:
    spec = importlib.util.spec_from_file_location("silkmap_tools_i18n", ROOT / "tools" / "i18n.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod.characters()


def face_from(collection: Path, family: str):
    from fontTools.ttLib import TTCollection

    ttc = TTCollection(str(collection))
    for font in ttc.fonts:
        if font["name"].getDebugName(1) == family:
            return font
    raise SystemExit(f"{collection.name}: no face named {family!r}")


def rename(font, family: str, style: str, stem: str, upstream: str, version: str) -> None:
    ps_name = f"{stem}-{style}"
    name = font["name"]
    keep = {0, 7, 8, 9, 11, 12, 13, 14}  # copyright, trademark, vendor, designer, URLs, licence
    name.names = [r for r in name.names if r.nameID in keep and r.platformID == 3]
    records = {
        1: family, 2: style, 3: f"{version};silkmap;{ps_name}", 4: f"{family} {style}",
        5: f"Version {version}; silkmap subset", 6: ps_name,
        10: f"Subset of {upstream} {style} {version} ({PACKAGE} {VERSION}) made by silkmap's "
            "tools/build_fonts.py: only the characters silkmap shows.",
    }
    for name_id, value in records.items():
        name.setName(value, name_id, 3, 1, 0x409)
    cff = font["CFF "].cff
    cff.fontNames = [ps_name]
    top = cff.topDictIndex[0]
    for key, value in (("FullName", f"{family} {style}"), ("FamilyName", family)):
        if hasattr(top, key) or key in top.rawDict:
            setattr(top, key, value)


def build_face(collection: Path, upstream: str, family: str, stem: str, style: str,
               chars: set[str], out: Path) -> tuple[set[str], int]:
    from fontTools import subset

    font = face_from(collection, upstream)
    version = re.sub(r"^Version\s*", "", font["name"].getDebugName(5) or "").split(";")[0]
    # Ideographic variation sequences (cmap format 14) would bring every variant glyph of
    # each character along; silkmap's texts use none.
    font["cmap"].tables = [t for t in font["cmap"].tables if t.format != 14]
    cmap = font.getBestCmap()
    wanted = {ch for ch in chars if ord(ch) in cmap}
    missing = {ch for ch in chars if ord(ch) not in cmap}
    options = subset.Options()
    options.name_IDs = ["*"]
    options.name_languages = [0x0409]
    options.notdef_outline = True
    options.hinting = True
    options.desubroutinize = False
    options.drop_tables += ["vhea", "vmtx", "VORG"]  # no vertical text in silkmap
    # The features HarfBuzz applies to horizontal text by default, less "locl": each face
    # already has its own region's glyph shapes, and locl's Japanese, Korean and other-Chinese
    # alternates would double the glyph count (and could swap shapes with the process locale).
    options.layout_features = ["ccmp", "rlig", "liga", "clig", "calt", "rclt", "kern",
                               "mark", "mkmk", "curs", "dist"]
    sub = subset.Subsetter(options)
    sub.populate(unicodes=sorted(ord(ch) for ch in wanted))
    sub.subset(font)
    rename(font, family, style, stem, upstream, version)
    font.recalcTimestamp = False  # same input, same bytes
    font.save(str(out))
    return missing, len(font.getGlyphOrder())


def ofl_text(copyright_file: Path, copyright_line: str) -> str:
    """The OFL 1.1 text from the package's copyright file, with the font's own copyright line."""
    lines = copyright_file.read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if line.strip() == "License: SIL-1.1"
                 and i + 1 < len(lines) and lines[i + 1].startswith(" "))
    body = []
    for line in lines[start + 1:]:
        if not line.startswith(" "):
            break
        body.append("" if line.strip() == "." else line[1:])
    return f"{copyright_line}\n\n" + "\n".join(body).strip("\n") + "\n"


README = """# Bundled Chinese fonts

Subsets of **Noto Sans CJK** (SIL Open Font License 1.1, see `OFL.txt`) holding only the
characters silkmap shows, so that Chinese renders in the window, the exports and the charts on
machines without any CJK font. Generated by `tools/build_fonts.py` (`make fonts`); do not edit.

| File | From | Characters | Glyphs | Size | sha256 |
| --- | --- | --- | --- | --- | --- |
{rows}

Family names: **Silkmap Sans SC** (Simplified Chinese glyph shapes, used first for 简体中文)
and **Silkmap Sans TC** (Traditional shapes, used first for 繁體中文); each is the other's
fallback, and both are fallbacks after the system font in English. They are renamed because a
subset is a Modified Version under the OFL (upstream reserves the name "Source"; "Noto" is a
Google trademark) and so that an installed full Noto Sans CJK is never shadowed by a subset.
The copyright, licence and designer records of the upstream fonts are kept.

## Provenance

| | |
| --- | --- |
| Package | Debian `{package}` {version} (`apt-get download {package}={version}`) |
| Package sha256 | `{deb_sha}` |
| `{regular_path}` sha256 | `{regular_sha}` |
| `{bold_path}` sha256 | `{bold_sha}` |
| Faces | "{sc}" and "{tc}" of each collection, picked by family name, font version {font_version} |
| Upstream | https://github.com/notofonts/noto-cjk (Adobe's Source Han Sans, as Noto Sans CJK) |
| Tool | fontTools {fonttools} (`pip install -e '.[fonts]'`), options in `tools/build_fonts.py` |

Characters: every translation in `src/silkmap/i18n/locale/*/LC_MESSAGES/silkmap.po`, every
text of that language in `assets/geo/*.json` and `*.geojson`, CJK characters written in the
source, the characters every language shows (English texts, source titles), and printable
ASCII, Latin-1 and common Latin, CJK and fullwidth punctuation.
{missing}
`tests/test_i18n.py` fails when the app shows a Chinese character that is not in these files:
then run `make fonts` and commit the new files.
"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--deb", help=f"a downloaded {PACKAGE}_{VERSION.split(':')[-1]}_all.deb")
    args = parser.parse_args(argv)
    try:
        import fontTools
    except ImportError:
        raise SystemExit("fontTools is missing: pip install -e '.[fonts]' (or: make fonts)") from None

    deb = fetch_deb(args.deb)
    chars = load_characters()
    OUT.mkdir(parents=True, exist_ok=True)
    rows, missing_notes = [], []
    with tempfile.TemporaryDirectory(prefix="silkmap-fonts-") as tmp:
        root = Path(tmp)
        unpack(deb, root)
        for lang, (upstream, family, stem) in FACES.items():
            wanted = chars[lang] | chars["other"] | BASE
            for style, rel in COLLECTIONS.items():
                out = OUT / f"{stem}-{style}.otf"
                missing, glyphs = build_face(root / rel, upstream, family, stem, style, wanted, out)
                needed = {ch for ch in missing if ord(ch) >= CJK_FROM or ch in chars[lang]}
                if needed:
                    raise SystemExit(f"{upstream} {style} lacks {''.join(sorted(needed))!r}, which silkmap shows")
                if missing and style == "Regular":
                    missing_notes.append(f"{family}: not in the upstream font, left to the system's fonts: "
                                         + " ".join(f"U+{ord(ch):04X}" for ch in sorted(missing)))
                size = out.stat().st_size
                rows.append(f"| `{out.name}` | {upstream} {style} | {len(wanted) - len(missing)} | {glyphs} | "
                            f"{size / 1024:.0f} KiB | `{sha256(out)}` |")
                print(f"wrote {out.relative_to(ROOT)}: {len(wanted) - len(missing)} characters, "
                      f"{glyphs} glyphs, {size / 1024:.0f} KiB")
        from fontTools.ttLib import TTCollection

        regular = TTCollection(str(root / COLLECTIONS["Regular"]), lazy=True)
        face = next(f for f in regular.fonts if f["name"].getDebugName(1) == FACES["zh-Hans"][0])
        font_version = (face["name"].getDebugName(5) or "").split(";")[0].replace("Version ", "")
        copyright_line = face["name"].getDebugName(0) or ""
        (OUT / "OFL.txt").write_text(ofl_text(root / COPYRIGHT_FILE, copyright_line), encoding="utf-8")
        readme = README.format(
            rows="\n".join(rows), package=PACKAGE, version=VERSION, deb_sha=DEB_SHA256,
            regular_path=Path(COLLECTIONS["Regular"]).name, regular_sha=sha256(root / COLLECTIONS["Regular"]),
            bold_path=Path(COLLECTIONS["Bold"]).name, bold_sha=sha256(root / COLLECTIONS["Bold"]),
            sc=FACES["zh-Hans"][0], tc=FACES["zh-Hant"][0], font_version=font_version,
            fonttools=fontTools.version,
            missing=("\n" + "\n".join(f"- {n}" for n in missing_notes) + "\n") if missing_notes else "")
        (OUT / "README.md").write_text(readme, encoding="utf-8")
    print(f"wrote {(OUT / 'OFL.txt').relative_to(ROOT)} and {(OUT / 'README.md').relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
