"""PyInstaller run-time hook: a lasting matplotlib config and cache folder for the bundle.

PyInstaller's own hook (pyi_rth_mplconfig) points MPLCONFIGDIR at a new temporary folder at
every start, so matplotlib would rebuild its font cache each time the app draws its first
chart. packaging/silkmap.spec drops that hook and runs this one instead, before any of the
app's code: the per-user cache folder (XDG on Linux) is created if missing and reused.
A MPLCONFIGDIR set by the user wins; if the folder cannot be made, matplotlib falls back to
a temporary folder by itself.
"""


def _silkmap_mplconfig() -> None:
    import os
    import sys

    if os.environ.get("MPLCONFIGDIR"):
        return
    home = os.path.expanduser("~")
    if sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA") or os.path.join(home, "AppData", "Local")
    elif sys.platform == "darwin":
        base = os.path.join(home, "Library", "Caches")
    else:
        base = os.environ.get("XDG_CACHE_HOME", "")
        if not os.path.isabs(base):  # the XDG spec says to ignore relative paths
            base = os.path.join(home, ".cache")
    path = os.path.join(base, "silkmap", "matplotlib")
    try:
        os.makedirs(path, mode=0o700, exist_ok=True)
    except OSError:
        return
    if os.access(path, os.W_OK):
        os.environ["MPLCONFIGDIR"] = path


_silkmap_mplconfig()
del _silkmap_mplconfig
