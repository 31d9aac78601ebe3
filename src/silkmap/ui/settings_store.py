"""The window's settings file, looked at before Qt touches it.

QSettings reads its file in its constructor and saves by writing a temporary file and
renaming it over the target, following symlinks first. So a FIFO in its place blocks
start-up for ever, and a symlink to a device gets the device replaced by a regular file.
``open_settings`` checks the path first: a regular file (or none yet) is read and later
written as QSettings always did; anything else is left untouched, one line on stderr says
why, and the session keeps its settings in memory. The check is repeated before every save.
"""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path

# A settings file is a few hundred bytes; anything this large is not one of ours.
MAX_SETTINGS_BYTES = 1 << 20
SAVE_DELAY_MS = 400  # coalesce the saves of a burst of changes, as QSettings does


def default_path() -> Path:
    """Where QSettings() keeps silkmap's settings on this system (its native format on
    Linux is this INI file)."""
    from PySide6.QtCore import QCoreApplication, QStandardPaths

    base = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.GenericConfigLocation)
    org = QCoreApplication.organizationName() or "silkmap"
    app = QCoreApplication.applicationName() or "silkmap"
    return Path(base) / org / f"{app}.conf"


def _kind(mode: int) -> str:
    for test, name in ((stat.S_ISDIR, "a directory"), (stat.S_ISFIFO, "a FIFO"), (stat.S_ISCHR, "a character device"),
                       (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket")):
        if test(mode):
            return name
    return "not a regular file"


def path_problem(path: Path) -> str | None:
    """Why ``path`` must not be read or written as a settings file, or None if it may.

    Never opens the path: opening a FIFO blocks, and reading a device may never end.
    """
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        return None  # the first start: QSettings creates it
    except OSError as exc:
        return f"cannot be examined ({exc.strerror})"
    if stat.S_ISLNK(st.st_mode):
        try:
            st = os.stat(path)
        except FileNotFoundError:
            return "is a symbolic link to a missing file"
        except OSError as exc:
            return f"is a symbolic link that cannot be followed ({exc.strerror})"
        if not stat.S_ISREG(st.st_mode):
            return f"is a symbolic link to {_kind(st.st_mode)}"
    elif not stat.S_ISREG(st.st_mode):
        return f"is {_kind(st.st_mode)}"
    if st.st_size > MAX_SETTINGS_BYTES:
        return f"is larger than {MAX_SETTINGS_BYTES // 1024} KiB"
    if not os.access(path, os.R_OK):
        return "is not readable"
    return None


class SettingsStore:
    """The part of QSettings the window uses (``value``, ``setValue``, ``sync``), kept in
    memory and written to a QSettings INI file only while the path passes ``path_problem``."""

    def __init__(self, path: Path, values: dict, persistent: bool) -> None:
        self.path = Path(path)
        self._values = dict(values)
        self.persistent = persistent
        self._dirty = False
        self._save_pending = False

    def fileName(self) -> str:  # noqa: N802 (QSettings' name)
        return str(self.path)

    def value(self, key: str, default=None):
        return self._values.get(key, default)

    def contains(self, key: str) -> bool:
        return key in self._values

    def allKeys(self) -> list[str]:  # noqa: N802
        return list(self._values)

    def setValue(self, key: str, value) -> None:  # noqa: N802
        self._values[key] = value
        self._dirty = True
        if self.persistent and not self._save_pending:
            from PySide6.QtCore import QTimer

            self._save_pending = True
            QTimer.singleShot(SAVE_DELAY_MS, self.sync)

    def sync(self) -> None:
        self._save_pending = False
        if not (self._dirty and self.persistent):
            return
        problem = path_problem(self.path)
        if problem:
            _say(self.path, problem, "not saving the settings")
            self.persistent = False
            return
        from PySide6.QtCore import QSettings

        qs = QSettings(str(self.path), QSettings.Format.IniFormat)
        for key, value in self._values.items():
            qs.setValue(key, value)
        qs.sync()
        self._dirty = qs.status() != QSettings.Status.NoError


def _say(path: Path, problem: str, consequence: str) -> None:
    if sys.stderr is not None:
        try:
            print(f"silkmap: settings file '{path}' {problem}: {consequence}", file=sys.stderr, flush=True)
        except (OSError, ValueError):
            pass  # stderr closed: nothing else to tell


def open_settings(path: Path | str | None = None) -> SettingsStore:
    """The settings at ``path`` (default: where QSettings() keeps silkmap's), read if the
    path is safe to read, else empty defaults for this session."""
    from PySide6.QtCore import QSettings

    path = Path(path) if path is not None else default_path()
    problem = path_problem(path)
    if problem:
        _say(path, problem, "starting with the default settings and not saving them")
        return SettingsStore(path, {}, persistent=False)
    values = {}
    if path.exists():
        qs = QSettings(str(path), QSettings.Format.IniFormat)
        values = {key: qs.value(key) for key in qs.allKeys()}
        del qs
    return SettingsStore(path, values, persistent=True)
