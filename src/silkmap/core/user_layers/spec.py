"""What a user layer is, as a project file keeps it: the file, how it is drawn, whether shown.

Qt-free and JSON-shaped, so a project file can save and reopen it and the command line can
build one from ``--add-layer FILE``. ``from_json`` checks every value: a malformed one is a
single :class:`SpecError` naming the field, never a half-built layer.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Any

from silkmap.core.errors import one_line, shown

# The style a layer gets when the user has not chosen one; every key is always present after
# normalisation, so the renderer never guesses.
DEFAULT_STYLE: dict[str, Any] = {
    "colour": "#d6336c",
    "size": 6.0,          # point symbol diameter, px at 1x
    "line_width": 1.5,    # px at 1x, lines and polygon outlines
    "fill_opacity": 0.25,  # polygons' fill, 0..1
    "label_field": None,  # attribute drawn as a label next to each feature, or none
}
# Successive layers get different colours (Okabe–Ito, apart from the map's own country hues).
PALETTE = ("#d6336c", "#0072b2", "#7b3294", "#1b7837", "#e66101", "#404040")
_RANGES = {"size": (0.5, 64.0), "line_width": (0.1, 20.0), "fill_opacity": (0.0, 1.0)}
_COLOUR = re.compile(r"#[0-9a-fA-F]{6}([0-9a-fA-F]{2})?")
MAX_PATH = 4096
MAX_NAME = 200
# Loader options a project may pin (a CSV's confirmed columns, its delimiter).
OPTION_KEYS = ("lat", "lon", "wkt", "delimiter", "layer")


def default_colour(index: int) -> str:
    """The colour of the ``index``-th layer added (0 first)."""
    return PALETTE[index % len(PALETTE)]


class SpecError(ValueError):
    """A user-layer description is malformed; the message names the field."""


def _fail(where: str, message: str) -> SpecError:
    return SpecError(f"user layer, field '{where}': {message}")


def normalise_style(style: Any, where: str = "style") -> dict[str, Any]:
    """``style`` checked and completed with the defaults; unknown keys are refused."""
    if not isinstance(style, dict):
        raise _fail(where, f"must be an object, not {shown(style)}")
    unknown = sorted(set(style) - set(DEFAULT_STYLE), key=str)
    if unknown:
        raise _fail(f"{where}.{one_line(unknown[0], 40)}", "is not a style key "
                    f"(known: {', '.join(DEFAULT_STYLE)})")
    out = dict(DEFAULT_STYLE)
    for key, value in style.items():
        at = f"{where}.{key}"
        if key == "colour":
            if not isinstance(value, str) or not _COLOUR.fullmatch(value):
                raise _fail(at, f"must be a colour like #d6336c, not {shown(value)}")
            out[key] = value.lower()
        elif key == "label_field":
            if value is not None and (not isinstance(value, str) or not value
                                      or len(value) > MAX_NAME):
                raise _fail(at, f"must be an attribute name or null, not {shown(value)}")
            out[key] = value
        else:
            lo, hi = _RANGES[key]
            if (isinstance(value, bool) or not isinstance(value, (int, float))
                    or not math.isfinite(value) or not lo <= value <= hi):
                raise _fail(at, f"must be a number from {lo:g} to {hi:g}, not {shown(value)}")
            out[key] = float(value)
    return out


def _options(value: Any) -> dict[str, str]:
    if not isinstance(value, dict):
        raise _fail("options", f"must be an object, not {shown(value)}")
    out: dict[str, str] = {}
    for key, v in value.items():
        if key not in OPTION_KEYS:
            raise _fail(f"options.{one_line(key, 40)}",
                        f"is not a loader option (known: {', '.join(OPTION_KEYS)})")
        if not isinstance(v, str) or not v or len(v) > MAX_NAME:
            raise _fail(f"options.{key}", f"must be a non-empty text, not {shown(v)}")
        out[key] = v
    if "delimiter" in out and out["delimiter"] not in (",", ";", "\t", "|"):
        raise _fail("options.delimiter", f"must be one of , ; | or a tab, not {shown(out['delimiter'])}")
    return out


def _path(value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise _fail("path", f"must be a file path, not {shown(value)}")
    if "\x00" in value or len(value) > MAX_PATH:
        raise _fail("path", f"is not a usable file path: {shown(value)}")
    return value


@dataclass(frozen=True)
class UserLayerSpec:
    """One user layer. ``path`` is kept as given (a project file stores it relative to itself);
    ``style`` always holds every key of :data:`DEFAULT_STYLE`; ``name`` is what the layers dock
    and legend show (the file's stem when empty)."""

    path: str
    style: dict = field(default_factory=dict)
    visible: bool = True
    name: str = ""
    options: dict = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "path", _path(self.path))
        object.__setattr__(self, "style", normalise_style(self.style))
        if not isinstance(self.visible, bool):
            raise _fail("visible", f"must be true or false, not {shown(self.visible)}")
        if not isinstance(self.name, str) or len(self.name) > MAX_NAME or "\x00" in self.name:
            raise _fail("name", f"must be a text of at most {MAX_NAME} characters, "
                                f"not {shown(self.name)}")
        object.__setattr__(self, "options", _options(self.options))

    @property
    def title(self) -> str:
        """The name shown for the layer: its own, else the file's name without folder or suffix."""
        if self.name.strip():
            return self.name.strip()
        stem = re.split(r"[\\/]", self.path.rstrip("/\\"))[-1]
        return stem.rsplit(".", 1)[0] if "." in stem[1:] else stem

    def with_style(self, **changes: Any) -> UserLayerSpec:
        return UserLayerSpec(self.path, {**self.style, **changes}, self.visible, self.name,
                             self.options)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"path": self.path, "name": self.name, "visible": self.visible,
                               "style": dict(self.style)}
        if self.options:
            out["options"] = dict(self.options)
        return out

    @classmethod
    def from_json(cls, value: Any) -> UserLayerSpec:
        """A spec from the object ``to_json`` wrote; anything malformed is one :class:`SpecError`."""
        if not isinstance(value, dict):
            raise SpecError(f"user layer must be an object, not {shown(value)}")
        unknown = sorted(set(value) - {"path", "name", "visible", "style", "options"}, key=str)
        if unknown:
            raise _fail(one_line(unknown[0], 40), "is not a user-layer field")
        if "path" not in value:
            raise _fail("path", "is missing")
        return cls(value["path"], value.get("style", {}), value.get("visible", True),
                   value.get("name", ""), value.get("options", {}))
