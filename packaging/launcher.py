"""The bundle's entry script: the same as the `silkmap` gui-script and `python -m silkmap`.

It imports the installed silkmap package (make bundle installs it non-editable into the build
venv), never the checkout's src/, so the bundle holds what a wheel holds.

SILKMAP_BUNDLE_SELFTEST=1 instead imports every silkmap module and draws the trade charts in
each language, as the window's details panel does; packaging/smoke_test.py uses it to check
the lazily imported parts (matplotlib, Pillow, the fonts) that no headless command reaches.
"""

import os


def _selftest() -> int:
    import importlib
    import pkgutil

    import silkmap

    names = sorted(m.name for m in pkgutil.walk_packages(silkmap.__path__, "silkmap."))
    for name in names:
        if not name.endswith("__main__"):
            importlib.import_module(name)
    from silkmap.core.atlas import load_atlas
    from silkmap.i18n import LANGUAGES
    from silkmap.ui.details_panel import ChartCache

    charts = ChartCache(load_atlas())
    for lang in LANGUAGES:
        charts.warm_up(lang)
    import matplotlib

    print(f"selftest ok: {len(names)} modules, {len(charts._png)} charts, "
          f"matplotlib {matplotlib.__version__}, "
          f"MPLCONFIGDIR={os.environ.get('MPLCONFIGDIR', '')}", flush=True)
    return 0


if os.environ.get("SILKMAP_BUNDLE_SELFTEST"):
    raise SystemExit(_selftest())

from silkmap.app import main  # noqa: E402

raise SystemExit(main())
