"""``.silkmap`` project files: the whole figure — view, language, layers, selection, year,
measure and its classes, annotations, named views and user layers — saved as JSON and opened
again.

The file is versioned by its ``schema`` number. A file of a newer schema is refused with its
number named (it may mean things this version cannot draw); within a schema, keys this version
does not know are ignored, so a later minor addition does not break an older reader. Everything
read is checked for type and range; a bad file is one ``ProjectError`` line naming the file and
what is wrong, and nothing of it is applied.

User layers are stored by path relative to the project file, so a folder holding a project
and its data can be moved or shared; ``resolve_user_layers`` says which of them are missing.
Files are written atomically (core/atomic_file.py). No Qt here: the command line rebuilds a
figure from a project without a window.
"""

from __future__ import annotations

import json
import math
import os
from dataclasses import dataclass, field
from pathlib import Path

from silkmap.core import annotations as ann
from silkmap.core.atomic_file import write_atomically
from silkmap.core.errors import DataError
from silkmap.core.oneline import shown
from silkmap.core.state import Selection
from silkmap.core.viewport import MAX_SCALE, MIN_SCALE

SCHEMA = 1
SUFFIX = ".silkmap"
FORMAT = "silkmap-project"
MAX_BYTES = 8 << 20  # a project is kilobytes; anything this large is not one
MAX_BOOKMARKS = 500
MAX_USER_LAYERS = 100
MAX_NAME = 200
MAX_VIEW_PIXELS = 100_000
SELECTION_KINDS = ("country", "hub", "route", "project", "place")
YEAR_RANGE = (0, 3000)  # the timeline's years (0: its Silk Road era stop)


class ProjectError(DataError):
    """A project file that cannot be read or is not a valid project."""


@dataclass(frozen=True)
class View:
    cx: float
    cy: float
    scale: float  # pixels per metre
    width: int  # the window's map size when saved: with the centre and scale, the extent shown
    height: int
    year: int | None = None

    def extent(self) -> tuple[float, float, float, float]:
        hw, hh = self.width / 2.0 / self.scale, self.height / 2.0 / self.scale
        return self.cx - hw, self.cy - hh, self.cx + hw, self.cy + hh

    def to_json(self) -> dict:
        out = {"cx": self.cx, "cy": self.cy, "scale": self.scale, "width": self.width, "height": self.height}
        if self.year is not None:
            out["year"] = self.year
        return out


@dataclass(frozen=True)
class Bookmark:
    name: str
    view: View

    def to_json(self) -> dict:
        return {"name": self.name, **self.view.to_json()}


@dataclass
class Project:
    view: View | None = None
    language: str | None = None
    layers: dict[str, bool] = field(default_factory=dict)
    selection: Selection | None = None
    annotations: tuple = ()
    bookmarks: list[Bookmark] = field(default_factory=list)
    user_layers: list = field(default_factory=list)  # UserLayerSpec, paths as given (absolute once resolved)
    measure: str | None = None  # what the partners are coloured by; None: not saved (the level)
    classification: object = None  # core.classify.Classification of the measure

    def to_json(self, folder: Path | None = None) -> dict:
        out: dict = {"format": FORMAT, "schema": SCHEMA}
        if self.view is not None:
            out["view"] = self.view.to_json()
        if self.language:
            out["language"] = self.language
        out["layers"] = dict(self.layers)
        out["selection"] = ({"kind": self.selection.kind, "id": self.selection.id}
                            if self.selection is not None else None)
        out["annotations"] = [a.to_json() for a in self.annotations]
        out["bookmarks"] = [b.to_json() for b in self.bookmarks]
        out["user_layers"] = [_user_layer_json(spec, folder) for spec in self.user_layers]
        if self.measure is not None:
            out["measure"] = measure_json(self.measure, self.classification)
        return out


def measure_json(measure: str, c) -> dict:
    out = {"id": measure}
    if c is not None:
        out.update({"scheme": c.scheme, "classes": c.k, "breaks": list(c.breaks), "fixed": c.fixed})
    return out


def read_measure(raw, where: str = "measure"):
    """(measure id, Classification) from the file's ``measure`` object."""
    from silkmap.core.classify import Classification
    from silkmap.core.measures import MEASURES

    if not isinstance(raw, dict) or raw.get("id") not in MEASURES:
        raise ValueError(f"'{where}' must be an object whose 'id' is one of {', '.join(MEASURES)}")
    d = Classification()
    breaks = raw.get("breaks", [])
    if not isinstance(breaks, list) or len(breaks) > 16:
        raise ValueError(f"'{where}.breaks' must be a list of numbers")
    c = Classification(raw.get("scheme", d.scheme), raw.get("classes", d.k), tuple(breaks),
                       raw.get("fixed", d.fixed))
    if not isinstance(c.fixed, bool):
        raise ValueError(f"'{where}.fixed' must be true or false")
    try:
        c.check()
    except ValueError as exc:
        raise ValueError(f"'{where}': {exc}") from None
    return raw["id"], c


# ---------------------------------------------------------------------- reading
def _fail(path, message: str):
    raise ProjectError(path, message)


def _is_number(v) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)


def _view(raw, where: str) -> View:
    if not isinstance(raw, dict):
        raise ValueError(f"'{where}' must be an object")
    for key in ("cx", "cy", "scale"):
        if not _is_number(raw.get(key)):
            raise ValueError(f"'{where}.{key}' must be a number")
        if abs(raw[key]) > ann.MAX_COORD:
            raise ValueError(f"'{where}.{key}' is out of range")
    if not MIN_SCALE <= raw["scale"] <= MAX_SCALE:
        raise ValueError(f"'{where}.scale' is out of range ({MIN_SCALE:g} to {MAX_SCALE:g} pixels per metre)")
    size = []
    for key in ("width", "height"):
        v = raw.get(key, 1000)
        if not isinstance(v, int) or isinstance(v, bool) or not 1 <= v <= MAX_VIEW_PIXELS:
            raise ValueError(f"'{where}.{key}' must be a whole number of pixels from 1 to {MAX_VIEW_PIXELS}")
        size.append(v)
    year = raw.get("year")
    if year is not None and (not isinstance(year, int) or isinstance(year, bool)
                             or not YEAR_RANGE[0] <= year <= YEAR_RANGE[1]):
        raise ValueError(f"'{where}.year' must be a year from {YEAR_RANGE[0]} to {YEAR_RANGE[1]} or null")
    return View(float(raw["cx"]), float(raw["cy"]), float(raw["scale"]), size[0], size[1], year)


def _list(raw: dict, key: str, limit: int) -> list:
    value = raw.get(key, [])
    if value is None:
        return []
    if not isinstance(value, list):
        raise ValueError(f"'{key}' must be a list")
    if len(value) > limit:
        raise ValueError(f"'{key}' has {len(value)} entries, more than the {limit} a project may hold")
    return value


def parse(raw: object, path: Path | str) -> Project:
    """A project from the file's decoded JSON; ``ProjectError`` naming ``path`` if it is not one."""
    from silkmap.i18n import LANGUAGES

    if not isinstance(raw, dict):
        _fail(path, "is not a silkmap project (expected a JSON object)")
    if raw.get("format", FORMAT) != FORMAT:
        _fail(path, f"is not a silkmap project (format {shown(raw.get('format'), 40)})")
    schema = raw.get("schema")
    if not isinstance(schema, int) or isinstance(schema, bool):
        _fail(path, "has no schema number ('schema' must be a whole number)")
    if schema > SCHEMA:
        _fail(path, f"was saved with project schema {shown(schema, 24)}, newer than this silkmap reads "
                    f"(up to {SCHEMA}): update silkmap to open it")
    if schema < 1:
        _fail(path, f"has an unknown project schema {shown(schema, 24)}")
    try:
        view = _view(raw["view"], "view") if raw.get("view") is not None else None
        language = raw.get("language")
        if language is not None and language not in LANGUAGES:
            raise ValueError(f"'language' must be one of {', '.join(LANGUAGES)}")
        layers_raw = raw.get("layers", {})
        if not isinstance(layers_raw, dict) or not all(
                isinstance(k, str) and isinstance(v, bool) for k, v in layers_raw.items()):
            raise ValueError("'layers' must map layer names to true or false")
        layers = {k[:MAX_NAME]: v for k, v in layers_raw.items()}
        selection = None
        sel = raw.get("selection")
        if sel is not None:
            if (not isinstance(sel, dict) or sel.get("kind") not in SELECTION_KINDS
                    or not isinstance(sel.get("id"), str) or len(sel["id"]) > MAX_NAME):
                raise ValueError(f"'selection' must be null or {{\"kind\": one of {', '.join(SELECTION_KINDS)}, "
                                 "\"id\": a string}")
            selection = Selection(sel["kind"], sel["id"])
        items = [ann.from_json(a, f"annotations[{i}]")
                 for i, a in enumerate(_list(raw, "annotations", ann.MAX_ANNOTATIONS))]
        seen: set[str] = set()
        for i, a in enumerate(items):
            if not a.id or a.id in seen:  # hand-edited files: ids are ours to give
                items[i] = ann.Annotation(f"a{i + 1}", *[getattr(a, f) for f in
                                                         ("kind", "x", "y", "text", "tx", "ty", "radius")])
            seen.add(items[i].id)
        bookmarks = []
        for i, b in enumerate(_list(raw, "bookmarks", MAX_BOOKMARKS)):
            if not isinstance(b, dict) or not isinstance(b.get("name"), str) or not b["name"].strip():
                raise ValueError(f"'bookmarks[{i}]' must be an object with a 'name'")
            if len(b["name"]) > MAX_NAME:
                raise ValueError(f"'bookmarks[{i}].name' is longer than {MAX_NAME} characters")
            bookmarks.append(Bookmark(b["name"], _view(b, f"bookmarks[{i}]")))
        user_layers = [_user_layer(u, f"user_layers[{i}]")
                       for i, u in enumerate(_list(raw, "user_layers", MAX_USER_LAYERS))]
        measure, classification = read_measure(raw["measure"]) if raw.get("measure") is not None else (None, None)
    except ValueError as exc:
        _fail(path, str(exc))
    return Project(view, language, layers, selection, tuple(items), bookmarks, user_layers, measure, classification)


def loads(data: bytes, path: Path | str = "<project>") -> Project:
    if len(data) > MAX_BYTES:
        _fail(path, f"is larger than {MAX_BYTES >> 20} MiB: not a silkmap project")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        _fail(path, f"is not UTF-8 text (byte {exc.start}): not a silkmap project")
    if "\x00" in text:
        _fail(path, "holds binary data (a NUL byte): not a silkmap project")
    try:
        raw = json.loads(text, parse_constant=_no_constant)
    except json.JSONDecodeError as exc:
        _fail(path, f"is not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}")
    except ValueError as exc:  # NaN/Infinity, a huge integer
        _fail(path, f"is not valid JSON: {exc}")
    except RecursionError:
        _fail(path, "is nested too deeply to be a silkmap project")
    return parse(raw, path)


def _no_constant(name: str):
    raise ValueError(f"'{name}' is not a JSON number")


def load(path: Path | str) -> Project:
    """Read and check the project at ``path``; its user layers' paths made absolute."""
    import stat

    path = Path(path)
    try:
        st = os.stat(path)
        if not stat.S_ISREG(st.st_mode):
            _fail(path, "is not a regular file")
        if st.st_size > MAX_BYTES:
            _fail(path, f"is larger than {MAX_BYTES >> 20} MiB: not a silkmap project")
        with open(path, "rb") as fh:
            data = fh.read(MAX_BYTES + 1)
    except FileNotFoundError:
        _fail(path, "does not exist")
    except IsADirectoryError:
        _fail(path, "is a directory, not a project file")
    except OSError as exc:
        _fail(path, f"cannot be read ({exc.strerror or exc})")
    project = loads(data, path)
    folder = path.resolve().parent
    project.user_layers = [_absolute(spec, folder) for spec in project.user_layers]
    return project


def dumps(project: Project, folder: Path | None = None) -> bytes:
    return (json.dumps(project.to_json(folder), ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def save(project: Project, path: Path | str) -> Path:
    """Write ``project`` to ``path`` atomically; user layers stored relative to its folder."""
    path = Path(path)
    write_atomically(path, dumps(project, path.resolve().parent))
    return path


# ---------------------------------------------------------------------- user layers
def _spec_class():
    """The user-layer spec of core/user_layers, or None where this build has no user layers."""
    try:
        from silkmap.core.user_layers.spec import UserLayerSpec
    except ImportError:
        return None
    return UserLayerSpec


def _user_layer(raw, where: str):
    if not isinstance(raw, dict) or not isinstance(raw.get("path"), str) or not raw["path"]:
        raise ValueError(f"'{where}' must be an object with a 'path'")
    if len(raw["path"]) > 4096 or "\x00" in raw["path"]:
        raise ValueError(f"'{where}.path' is not a file path")
    cls = _spec_class()
    if cls is None:
        return dict(raw)  # kept as written, so saving again loses nothing
    try:
        return cls.from_json(raw)
    except (ValueError, TypeError, KeyError) as exc:
        raise ValueError(f"'{where}': {exc}") from None


def _spec_path(spec) -> str:
    return spec["path"] if isinstance(spec, dict) else str(spec.path)


def _with_path(spec, new: str):
    if isinstance(spec, dict):
        return {**spec, "path": new}
    from dataclasses import replace

    return replace(spec, path=type(spec.path)(new) if not isinstance(spec.path, str) else new)


def _absolute(spec, folder: Path):
    p = Path(_spec_path(spec)).expanduser()
    return _with_path(spec, os.path.normpath(p if p.is_absolute() else folder / p))


def _user_layer_json(spec, folder: Path | None) -> dict:
    raw = dict(spec) if isinstance(spec, dict) else spec.to_json()
    p = Path(_spec_path(spec))
    if folder is not None and p.is_absolute():
        try:
            raw["path"] = Path(os.path.relpath(p, folder)).as_posix()
        except ValueError:  # another drive (Windows): only an absolute path reaches it
            raw["path"] = str(p)
    return raw


def resolve_user_layers(project: Project) -> tuple[list, list[str]]:
    """The user layers whose files are where the project says, and one line for each that is not."""
    present, problems = [], []
    for spec in project.user_layers:
        p = Path(_spec_path(spec))
        if p.is_file():
            present.append(spec)
        else:
            problems.append(f"user layer '{shown(p)}' is not there (moved or deleted?); "
                            "the rest of the project is open")
    return present, problems


def display_name(path: Path | str) -> str:
    """The project's name as the window title shows it."""
    name = Path(path).name
    return name[:-len(SUFFIX)] if name.lower().endswith(SUFFIX) and len(name) > len(SUFFIX) else name


def known_selection(atlas, sel: Selection | None) -> Selection | None:
    """``sel`` if it names something this atlas has, else None (a project from other data)."""
    if sel is None:
        return None
    known = {
        "country": atlas.profiles,
        "hub": {atlas.hub.id},
        "route": atlas.routes,
        "project": {pr.id for p in atlas.profiles.values() for pr in p.projects},
        "place": atlas.places,
    }.get(sel.kind, ())
    return sel if sel.id in known else None
