"""The bundled Chinese font subsets: where they are and which family serves which language.

Qt-free, so the matplotlib charts and the Qt registration (``silkmap.render.fonts``) share it.
The files are built by ``tools/build_fonts.py`` (``make fonts``) from Noto Sans CJK SC and TC
and hold only the characters silkmap shows; see ``fonts/README.md``.
"""

from __future__ import annotations

from pathlib import Path

FONT_DIR = Path(__file__).resolve().parent / "fonts"

# language → (family name, regular file, bold file). The family of a language comes first
# when that language is shown; the other one still fills in (a zh-Hans panel shows the
# language menu's "繁體中文", an English panel both Chinese names of a country).
FONTS: dict[str, tuple[str, str, str]] = {
    "zh-Hans": ("Silkmap Sans SC", "SilkmapSansSC-Regular.otf", "SilkmapSansSC-Bold.otf"),
    "zh-Hant": ("Silkmap Sans TC", "SilkmapSansTC-Regular.otf", "SilkmapSansTC-Bold.otf"),
}


def cjk_families(lang: str) -> list[str]:
    """The bundled families in the order that suits ``lang`` (its own script first)."""
    own = [FONTS[lang][0]] if lang in FONTS else []
    return own + [family for key, (family, *_files) in FONTS.items() if family not in own]


def font_files() -> list[Path]:
    return [FONT_DIR / name for _family, *names in FONTS.values() for name in names]
