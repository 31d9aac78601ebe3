"""The user's layers in the layers dock: shown/hidden, top of the list drawn on top, with
buttons to add, style, move and remove them. Each row's icon is its legend symbol."""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QHBoxLayout, QLabel, QListWidget, QListWidgetItem, QToolButton,
                               QVBoxLayout, QWidget)

from silkmap.i18n import _
from silkmap.render.layers.user import legend_symbol

ID_ROLE = Qt.ItemDataRole.UserRole


class UserLayersPanel(QWidget):
    addRequested = Signal()

    def __init__(self, state, icon, parent=None) -> None:
        super().__init__(parent)
        self.state = state
        self._icon = icon  # the layers panel's: paint(painter, rect) → a legend-sized QIcon
        self.title = QLabel(self)
        self.list = QListWidget(self)
        self.list.setObjectName("user-layers")
        self.list.itemChanged.connect(self._on_item_changed)
        self.list.itemDoubleClicked.connect(lambda _item: self.edit_style())
        self.list.currentRowChanged.connect(lambda _r: self._update_buttons())
        self.add_button = QToolButton(self)
        self.add_button.clicked.connect(self.addRequested)
        self.style_button = QToolButton(self)
        self.style_button.clicked.connect(self.edit_style)
        self.up_button = QToolButton(self, text="↑")
        self.up_button.clicked.connect(lambda: self.move_current(1))
        self.down_button = QToolButton(self, text="↓")
        self.down_button.clicked.connect(lambda: self.move_current(-1))
        self.remove_button = QToolButton(self)
        self.remove_button.clicked.connect(self.remove_current)
        buttons = QHBoxLayout()
        for b in (self.add_button, self.style_button, self.up_button, self.down_button, self.remove_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(self.list)
        layout.addLayout(buttons)
        state.user_layers.changed.connect(self._on_layers_changed)
        self.retranslate()
        self.refresh()

    def retranslate(self) -> None:
        self.title.setText(f"<b>{_('Your layers')}</b>")
        self.add_button.setText(_("Add…"))
        self.style_button.setText(_("Style…"))
        self.remove_button.setText(_("Remove"))
        self.refresh()

    # ------------------------------------------------------------------ the list
    def layer_ids(self) -> list[str]:
        """Top of the list first: the layer drawn on top."""
        return [self.list.item(i).data(ID_ROLE) for i in range(self.list.count())]

    def current_id(self) -> str | None:
        item = self.list.currentItem()
        return item.data(ID_ROLE) if item is not None else None

    def refresh(self) -> None:
        current = self.current_id()
        self.list.blockSignals(True)
        self.list.clear()
        for ul in reversed(self.state.user_layers.layers):
            item = QListWidgetItem(self._icon(lambda p, r, ul=ul: legend_symbol(p, r, ul)),
                                   f"{ul.spec.title} ({ul.data.feature_count:,})")
            item.setData(ID_ROLE, ul.id)
            item.setToolTip(ul.spec.path)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if ul.visible else Qt.CheckState.Unchecked)
            self.list.addItem(item)
            if ul.id == current:
                self.list.setCurrentItem(item)
        self.list.blockSignals(False)
        # Empty, the panel takes no room in the dock (File → Add layer… and drops add one).
        self.setVisible(bool(self.state.user_layers.layers))
        self.list.setMaximumHeight(22 * min(6, max(1, self.list.count())) + 6)
        self._update_buttons()

    def _update_buttons(self) -> None:
        has = self.current_id() is not None
        for b in (self.style_button, self.up_button, self.down_button, self.remove_button):
            b.setEnabled(has)
            b.setVisible(bool(self.state.user_layers.layers))

    def _on_layers_changed(self) -> None:
        if not shiboken6.isValid(self):
            self.state.user_layers.changed.disconnect(self._on_layers_changed)
            return
        self.refresh()

    def _on_item_changed(self, item: QListWidgetItem) -> None:
        self.state.user_layers.set_visible(item.data(ID_ROLE), item.checkState() == Qt.CheckState.Checked)

    # ------------------------------------------------------------------ actions
    def move_current(self, steps: int) -> None:
        lid = self.current_id()
        if lid is not None:
            self.state.user_layers.move(lid, steps)

    def remove_current(self) -> None:
        lid = self.current_id()
        if lid is not None:
            self.state.user_layers.remove(lid)

    def edit_style(self) -> None:
        from silkmap.ui.user_layer_dialogs import StyleDialog

        lid = self.current_id()
        ul = self.state.user_layers.get(lid) if lid else None
        if ul is None:
            return
        dlg = StyleDialog(self, ul)
        dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.style_dialog = dlg

        def finished(result: int) -> None:
            self.style_dialog = None
            now = self.state.user_layers.get(lid)
            if result != StyleDialog.DialogCode.Accepted or now is None:
                return
            s = now.spec
            from silkmap.core.user_layers.spec import UserLayerSpec

            name = dlg.layer_name()
            spec = UserLayerSpec(s.path, {**s.style, **dlg.style()}, s.visible,
                                 "" if name == s.title and not s.name else name, s.options)
            self.state.user_layers.update_spec(lid, spec)

        dlg.finished.connect(finished)
        dlg.open()
