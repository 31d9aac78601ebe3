#!/usr/bin/env python3
"""Install silkmap's desktop entry and icons for the current user (no root): `make install-desktop`.

    python3 packaging/install_desktop.py --exec /abs/path/to/silkmap
    python3 packaging/install_desktop.py --uninstall

Writes $XDG_DATA_HOME (default ~/.local/share)/applications/silkmap.desktop with Exec and
TryExec set to the given program, and the icons to icons/hicolor/<N>x<N>/apps/silkmap.png and
icons/hicolor/scalable/apps/silkmap.svg, the AppStream metadata to
metainfo/org.silkmap.silkmap.metainfo.xml (software centres read it), then refreshes the desktop
and icon caches where the tools exist. Stdlib only.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
DESKTOP = HERE / "silkmap.desktop"
ICONS = HERE / "icons"
SIZES = (16, 32, 48, 64, 128, 256)
APP_ID = "silkmap"
METAINFO = HERE / "org.silkmap.silkmap.metainfo.xml"  # its <launchable> is silkmap.desktop


def data_home() -> Path:
    env = os.environ.get("XDG_DATA_HOME", "")
    return Path(env) if os.path.isabs(env) else Path.home() / ".local" / "share"


def exec_value(program: str) -> str:
    """The program as a desktop-entry Exec argument (quoted and escaped when it must be)."""
    if re.fullmatch(r"[A-Za-z0-9/._+-]+", program):
        return program
    quoted = re.sub(r'(["`$\\])', r"\\\1", program)  # the Exec key's own quoting rules
    quoted = quoted.replace("\\", "\\\\")  # then the string type's escaping of backslashes
    return '"' + quoted.replace("%", "%%") + '"'


def desktop_entry(program: str) -> str:
    lines = []
    for line in DESKTOP.read_text(encoding="utf-8").splitlines():
        if line.startswith("Exec="):
            line = "Exec=" + exec_value(program)
        elif line.startswith("TryExec="):
            line = "TryExec=" + program.replace("\\", "\\\\")
        lines.append(line)
    return "\n".join(lines) + "\n"


def targets(root: Path) -> dict[Path, Path | None]:
    """Installed file → source file (None for the generated .desktop)."""
    files: dict[Path, Path | None] = {root / "applications" / f"{APP_ID}.desktop": None}
    for n in SIZES:
        files[root / "icons" / "hicolor" / f"{n}x{n}" / "apps" / f"{APP_ID}.png"] = ICONS / f"silkmap-{n}.png"
    files[root / "icons" / "hicolor" / "scalable" / "apps" / f"{APP_ID}.svg"] = ICONS / "silkmap.svg"
    files[root / "metainfo" / METAINFO.name] = METAINFO
    return files


def refresh_caches(root: Path) -> None:
    for cmd in (["update-desktop-database", "-q", str(root / "applications")],
                ["gtk-update-icon-cache", "-q", "-t", "-f", str(root / "icons" / "hicolor")]):
        if shutil.which(cmd[0]):
            subprocess.run(cmd, check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def install(program: str, root: Path) -> int:
    path = Path(program)
    if not path.is_absolute() or not path.is_file() or not os.access(path, os.X_OK):
        print(f"install_desktop: {program} is not an executable file given by its absolute path", file=sys.stderr)
        return 2
    for dest, src in targets(root).items():
        dest.parent.mkdir(parents=True, exist_ok=True)
        tmp = dest.with_name(dest.name + ".part")
        if src is None:
            tmp.write_text(desktop_entry(program), encoding="utf-8")
        else:
            shutil.copyfile(src, tmp)
        tmp.chmod(0o644)
        os.replace(tmp, dest)
    refresh_caches(root)
    print(f"installed {root / 'applications' / (APP_ID + '.desktop')} (starts {program}), "
          f"{len(SIZES) + 1} icons in {root / 'icons' / 'hicolor'} and {root / 'metainfo' / METAINFO.name}")
    return 0


def uninstall(root: Path) -> int:
    removed = 0
    for dest in targets(root):
        if dest.exists():
            dest.unlink()
            removed += 1
    refresh_caches(root)
    print(f"removed {removed} files from {root}")
    return 0


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description="Install silkmap's desktop entry and icons for this user.")
    group = p.add_mutually_exclusive_group(required=True)
    group.add_argument("--exec", dest="program", help="absolute path of the silkmap program to start")
    group.add_argument("--uninstall", action="store_true", help="remove what --exec installed")
    p.add_argument("--data-home", type=Path, help="instead of $XDG_DATA_HOME or ~/.local/share")
    args = p.parse_args(argv)
    root = args.data_home or data_home()
    return uninstall(root) if args.uninstall else install(args.program, root)


if __name__ == "__main__":
    raise SystemExit(main())
