"""matplotlib's font settings, applied once before the first chart."""

from __future__ import annotations

_done = False


def configure() -> None:
    """SVG text as text, plain minus signs, and the bundled Chinese fonts as fallbacks."""
    global _done
    if _done:
        return
    import matplotlib
    from matplotlib import font_manager

    from silkmap.i18n.fontfiles import cjk_families, font_files

    matplotlib.rcParams["svg.fonttype"] = "none"
    matplotlib.rcParams["axes.unicode_minus"] = False
    for path in font_files():
        if path.is_file():
            font_manager.fontManager.addfont(str(path))
    sans = [f for f in matplotlib.rcParams["font.sans-serif"] if f not in cjk_families("en")]
    at = sans.index("DejaVu Sans") + 1 if "DejaVu Sans" in sans else 0
    matplotlib.rcParams["font.sans-serif"] = sans[:at] + cjk_families("zh-Hans") + sans[at:]
    _done = True


def families(lang: str) -> list[str]:
    """Font families for a chart's text in ``lang``: DejaVu Sans, then its own Chinese family."""
    from silkmap.i18n.fontfiles import cjk_families

    return ["DejaVu Sans", *cjk_families(lang)]
