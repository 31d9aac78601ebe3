"""A user layer as the map holds it: an id, the spec (style, visibility) and the loaded data.

Immutable: changing a style or hiding the layer makes a new ``LoadedLayer`` with the same id and
data, so a snapshot taken for a worker thread never sees a change half-made.
"""

from __future__ import annotations

import itertools
import json
from dataclasses import dataclass, replace

from silkmap.core.user_layers.model import UserData
from silkmap.core.user_layers.spec import UserLayerSpec

_ids = itertools.count(1)


def new_id() -> str:
    return f"user{next(_ids)}"


@dataclass(frozen=True, eq=False)
class LoadedLayer:
    id: str
    spec: UserLayerSpec
    data: UserData

    @property
    def key(self) -> tuple:
        """What a painted image of this layer depends on (equal keys paint equal pixels)."""
        return (self.id, json.dumps(self.spec.to_json(), sort_keys=True))

    @property
    def visible(self) -> bool:
        return self.spec.visible

    @property
    def geometry_kinds(self) -> tuple[str, ...]:
        d = self.data
        return tuple(k for k, n in (("polygon", len(d.polygons)), ("line", len(d.lines)),
                                    ("point", len(d.points))) if n)

    def with_spec(self, spec: UserLayerSpec) -> LoadedLayer:
        return replace(self, spec=spec)


def make_layer(spec: UserLayerSpec, data: UserData) -> LoadedLayer:
    return LoadedLayer(new_id(), spec, data)


def open_layer(spec: UserLayerSpec, base=None, limits=None, progress=None) -> LoadedLayer:
    """The layer ``spec`` describes, its file read now: a relative ``spec.path`` is taken from
    ``base`` (a project file's folder). A file that is gone or malformed is one ``DataError``
    naming the path looked at."""
    from pathlib import Path

    from silkmap.core.user_layers.load import load
    from silkmap.core.user_layers.model import DEFAULT_LIMITS

    path = Path(spec.path)
    if base is not None and not path.is_absolute():
        path = Path(base) / path
    return make_layer(spec, load(path, dict(spec.options), limits or DEFAULT_LIMITS, progress))
