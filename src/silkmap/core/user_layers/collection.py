"""The user layers the map shows, bottom to top, and the changes the widgets observe.

Every change replaces the ``layers`` tuple (its ``LoadedLayer`` items are immutable), so a
snapshot holding the old tuple goes on painting what it was given.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from silkmap.core.signals import Signal

if TYPE_CHECKING:  # the map starts without user layers: their loaders come with the first one
    from silkmap.core.user_layers.layer import LoadedLayer
    from silkmap.core.user_layers.spec import UserLayerSpec


class UserLayers:
    def __init__(self) -> None:
        self.layers: tuple[LoadedLayer, ...] = ()
        self.changed = Signal()  # emitted with no arguments after any change

    def __len__(self) -> int:
        return len(self.layers)

    def _set(self, layers) -> None:
        layers = tuple(layers)
        if layers != self.layers:
            self.layers = layers
            self.changed.emit()

    def get(self, layer_id: str) -> LoadedLayer | None:
        return next((ul for ul in self.layers if ul.id == layer_id), None)

    def add(self, layer: LoadedLayer) -> None:
        self._set((*self.layers, layer))  # on top

    def remove(self, layer_id: str) -> None:
        self._set(ul for ul in self.layers if ul.id != layer_id)

    def clear(self) -> None:
        self._set(())

    def move(self, layer_id: str, steps: int) -> None:
        """Up the stack (towards the top) by ``steps``; negative: down."""
        layers = list(self.layers)
        i = next((n for n, ul in enumerate(layers) if ul.id == layer_id), None)
        if i is None:
            return
        j = max(0, min(len(layers) - 1, i + steps))
        layers.insert(j, layers.pop(i))
        self._set(layers)

    def update_spec(self, layer_id: str, spec: UserLayerSpec) -> None:
        self._set(ul.with_spec(spec) if ul.id == layer_id else ul for ul in self.layers)

    def set_visible(self, layer_id: str, visible: bool) -> None:
        ul = self.get(layer_id)
        if ul is not None and ul.visible != visible:
            from silkmap.core.user_layers.spec import UserLayerSpec

            s = ul.spec
            self.update_spec(layer_id, UserLayerSpec(s.path, s.style, visible, s.name, s.options))

    def specs(self) -> list[UserLayerSpec]:
        """What a project file saves, bottom to top."""
        return [ul.spec for ul in self.layers]

    def feature(self, selection_id: str) -> tuple[LoadedLayer, int] | None:
        """The (layer, feature index) a ``Selection("user", "LAYER:INDEX")`` names, if still there."""
        layer_id, _sep, index = selection_id.rpartition(":")
        ul = self.get(layer_id)
        if ul is None or not index.isdigit() or int(index) >= ul.data.feature_count:
            return None
        return ul, int(index)

    def key(self) -> tuple:
        return tuple(ul.key for ul in self.layers)
