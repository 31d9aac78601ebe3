"""Entry point: the command line, or the window when no command is given."""

from __future__ import annotations

import os
import sys


# What Qt's xcb plugin (libQt6XcbQpa) links against, with the Debian/Ubuntu package of each.
XCB_LIBRARIES = (
    ("xcb-cursor", "libxcb-cursor0"), ("xcb-icccm", "libxcb-icccm4"), ("xcb-image", "libxcb-image0"),
    ("xcb-keysyms", "libxcb-keysyms1"), ("xcb-randr", "libxcb-randr0"),
    ("xcb-render-util", "libxcb-render-util0"), ("xcb-shape", "libxcb-shape0"),
    ("xcb-xkb", "libxcb-xkb1"), ("xkbcommon-x11", "libxkbcommon-x11-0"), ("X11-xcb", "libx11-xcb1"),
    ("EGL", "libegl1"), ("GL", "libgl1"), ("fontconfig", "libfontconfig1"),
)
# The file name (soname) Qt loads for each: what the dynamic loader must find.
XCB_SONAMES = {
    "xcb-cursor": "libxcb-cursor.so.0", "xcb-icccm": "libxcb-icccm.so.4", "xcb-image": "libxcb-image.so.0",
    "xcb-keysyms": "libxcb-keysyms.so.1", "xcb-randr": "libxcb-randr.so.0",
    "xcb-render-util": "libxcb-render-util.so.0", "xcb-shape": "libxcb-shape.so.0",
    "xcb-xkb": "libxcb-xkb.so.1", "xkbcommon-x11": "libxkbcommon-x11.so.0", "X11-xcb": "libX11-xcb.so.1",
    "EGL": "libEGL.so.1", "GL": "libGL.so.1", "fontconfig": "libfontconfig.so.1",
}


def _xcb_problem() -> str | None:
    """Why Qt's xcb plugin cannot start here, as one line naming the missing package."""
    if sys.platform != "linux":
        return None
    platform = os.environ.get("QT_QPA_PLATFORM", "")
    if platform and not platform.startswith("xcb"):
        return None
    if not platform and os.environ.get("WAYLAND_DISPLAY"):
        return None
    if not os.environ.get("DISPLAY"):
        return ("no display found (DISPLAY is not set): run silkmap in a desktop session, "
                "under xvfb-run, or use 'silkmap export' for files without a window")
    missing = [(lib, pkg) for lib, pkg in XCB_LIBRARIES if not _have_library(lib)]
    if missing:
        libs = ", ".join(f"lib{lib}" for lib, _pkg in missing)
        pkgs = " ".join(dict.fromkeys(pkg for _lib, pkg in missing))
        return (f"Qt's xcb platform plugin needs the system {'library' if len(missing) == 1 else 'libraries'} "
                f"{libs}; install with: sudo apt-get install {pkgs}")
    if not _x_display_reachable():
        return (f"cannot connect to the X display '{os.environ['DISPLAY']}': is the desktop session "
                "running? (for files without a window, use 'silkmap export')")
    return None


def _loadable(soname: str) -> bool:
    import ctypes

    try:
        ctypes.CDLL(soname)
    except OSError:
        return False
    return True


def _have_library(lib: str) -> bool:
    """Whether the dynamic loader finds ``lib`` under the file name Qt asks for.

    Loading the soname asks the loader itself, so it also sees the copies a PyInstaller bundle
    carries (through the bundle's LD_LIBRARY_PATH), which ``ctypes.util.find_library`` (the
    system's ldconfig cache) does not; it is also quicker (15 ms against 80 ms for all 13).
    """
    soname = XCB_SONAMES.get(lib)
    if soname:
        return _loadable(soname)
    import ctypes.util

    return ctypes.util.find_library(lib) is not None


def _x_display_reachable() -> bool:
    """Ask libxcb before Qt does: Qt aborts the process when the display is unreachable."""
    import ctypes

    try:
        xcb = ctypes.CDLL("libxcb.so.1")
    except OSError:
        return True  # let Qt report it
    xcb.xcb_connect.restype = ctypes.c_void_p
    xcb.xcb_connect.argtypes = [ctypes.c_char_p, ctypes.c_void_p]
    xcb.xcb_connection_has_error.argtypes = [ctypes.c_void_p]
    xcb.xcb_disconnect.argtypes = [ctypes.c_void_p]
    conn = xcb.xcb_connect(None, None)
    ok = xcb.xcb_connection_has_error(conn) == 0
    xcb.xcb_disconnect(conn)
    return ok


def _fail(message: str) -> int:
    if sys.stderr is not None:
        print(f"silkmap: {message}", file=sys.stderr)
    return 1


def main(argv: list[str] | None = None) -> int:
    # First, before the heavy imports: a signal from now on is recorded and acted on at a
    # safe point, never a KeyboardInterrupt inside an import or a painter (core/interrupt.py).
    from silkmap.core import interrupt

    interrupt.install()
    argv = sys.argv[1:] if argv is None else argv
    if argv:
        from silkmap.cli import requested_language, requested_project, run

        status = run(argv)
        lang, project = (requested_language(argv), requested_project(argv)) if status is None else (None, None)
    else:  # the window: the parser and its commands' imports would only delay the map
        status, lang, project = None, None, None
    if status is None:
        problem = _xcb_problem()
        if problem:
            status = _fail(problem)
        else:
            from silkmap.ui.application import run_window

            status = run_window(lang, project)
            if interrupt.pending() is not None:
                from silkmap.cli.output import say
                from silkmap.i18n import _

                say(_("interrupted") + f" ({interrupt.Interrupted(interrupt.pending()).name})")
    # The work is over: a signal from now on changes nothing. Ignored rather than left to
    # Python, which puts the default action (death by the signal) back while it shuts down.
    interrupt.ignore()
    if interrupt.pending() is not None:
        _stop_now(status)  # 128 + N when stopped; the work's own status if it had finished
    return status


def _stop_now(status: int) -> None:
    """End a process stopped by a signal without waiting for a worker still inside C++ (a PNG
    encoder, the window's export): its temporary file is removed, the streams flushed."""
    from silkmap.core import interrupt

    interrupt.remove_temp_files()
    for stream in (sys.stdout, sys.stderr):
        try:
            if stream is not None:
                stream.flush()
        except (OSError, ValueError):
            pass
    os._exit(status)


if __name__ == "__main__":
    raise SystemExit(main())
