"""A long session stays small: dialogs go when closed, caches keep to their budgets.

The soak itself (3,000 random actions, growth and peak memory) is in benchmarks/soak.py,
run by `make bench`; these are the fast checks of what it found growing.
"""

import threading

import pytest
import shiboken6
from PySide6.QtWidgets import QDialog

from silkmap.core.lru import LRUCache


def test_export_dialog_open_and_cancel_leaves_no_dialog(qtbot, window):
    seen = []
    for _ in range(100):
        window.act_export.trigger()
        dialogs = [d for d in window.findChildren(QDialog) if d.isVisible()]
        assert len(dialogs) == 1
        seen.append(dialogs[0])
        dialogs[0].reject()
    qtbot.waitUntil(lambda: not window.findChildren(QDialog), timeout=5000)
    assert not any(shiboken6.isValid(d) for d in seen)


def test_export_menu_twice_raises_the_open_dialog(qtbot, window):
    window.act_export.trigger()
    window.act_export.trigger()
    assert len(window.findChildren(QDialog)) == 1
    window.findChildren(QDialog)[0].reject()
    qtbot.waitUntil(lambda: not window.findChildren(QDialog), timeout=5000)


def test_export_dialog_cancelled_while_exporting_finishes_then_goes(qtbot, window, tmp_path):
    window.act_export.trigger()
    (dlg,) = window.findChildren(QDialog)
    dlg.quiet = True
    dlg.path_edit.setText(str(tmp_path / "map.png"))
    with qtbot.waitSignal(dlg.exported, timeout=60000):
        dlg.start()
        dlg.reject()  # the worker is still drawing: the dialog hides and waits for it
        assert not dlg.isVisible() and shiboken6.isValid(dlg)
    assert (tmp_path / "map.png").stat().st_size > 0
    qtbot.waitUntil(lambda: not window.findChildren(QDialog), timeout=5000)
    assert "map.png" in window.statusBar().currentMessage()


# ---------------------------------------------------------------------- the bounded cache
def test_lru_keeps_the_recently_used_within_the_count():
    c = LRUCache(max_items=3)
    for k in "abc":
        c[k] = k.upper()
    assert c.get("a") == "A"  # a is now the most recent: b goes first
    c["d"] = "D"
    assert "b" not in c and c.keys() == ["c", "a", "d"] and len(c) == 3
    assert c.evictions == 1


def test_lru_keeps_the_total_cost_within_the_budget():
    c = LRUCache(max_cost=100, cost=len)
    for i in range(50):
        c[i] = b"x" * 30
        assert c.total_cost <= 100
    assert len(c) == 3 and c.total_cost == 90 and sorted(c.keys()) == [47, 48, 49]
    c[49] = b"y" * 10  # replacing an entry replaces its cost
    assert c.total_cost == 70
    c["huge"] = b"z" * 101  # dearer than the whole budget: not kept, nothing else lost
    assert "huge" not in c and len(c) == 3
    assert c.pop(48) == b"x" * 30 and c.total_cost == 40
    c.clear()
    assert len(c) == 0 and c.total_cost == 0 and c.get(47) is None
    with pytest.raises(KeyError):
        c[47]


def test_lru_needs_a_budget():
    with pytest.raises(ValueError):
        LRUCache()
    with pytest.raises(ValueError):
        LRUCache(max_cost=0)


def test_lru_stays_consistent_under_threads():
    c = LRUCache(max_items=64, max_cost=500, cost=lambda v: v)

    def work(seed):
        for i in range(3000):
            k = (seed * 7919 + i * 31) % 200
            if c.get(k) is None:
                c[k] = 1 + k % 13
    threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(c) <= 64 and c.total_cost <= 500
    assert c.total_cost == sum(1 + k % 13 for k in c.keys())


# ---------------------------------------------------------------------- the renderer's caches
def test_renderer_caches_stay_within_their_budgets_over_many_zoom_levels(qapp, atlas, monkeypatch):
    """With budgets small enough to be reached here: the totals stay within them, and what
    the current view needs is kept (least recently used goes first, no clearing)."""
    from PySide6.QtGui import QImage, QPainter

    from silkmap.core.state import LAYERS
    from silkmap.core.viewport import Viewport
    from PySide6.QtGui import QColor, QFont, QPen

    from silkmap.render import renderer as R
    from silkmap.render import text as T
    from silkmap.core.atlas import home_bounds

    r = R.MapRenderer(atlas)
    strokes = r.layer("routes")._strokes
    budget = 1 << 20
    monkeypatch.setattr(strokes, "max_cost", budget)
    monkeypatch.setattr(T._SPRITES, "max_cost", budget)
    opts = R.RenderOptions(layers={n: True for n in LAYERS}, allow_detail_load=False)
    img = QImage(640, 400, QImage.Format.Format_ARGB32_Premultiplied)
    vp = Viewport(width=640, height=400)
    vp.fit(home_bounds(atlas), margin=0)
    home = vp.scale

    def paint(scale):
        vp.scale = scale
        p = QPainter(img)
        r.paint(p, vp, opts)
        p.end()

    for i in range(20):  # twenty zoom levels, up to a hundred times closer, each with its own strokes
        paint(home * 1.26 ** i)
        assert strokes.total_cost <= budget
    assert strokes.evictions > 0
    kept, evicted = len(strokes), strokes.evictions
    paint(home * 1.26 ** 19)  # the view just drawn: everything it needs is still there
    assert (len(strokes), strokes.evictions) == (kept, evicted)
    font = T._map_font(QFont())
    for n in range(300):  # more labels than fit: the oldest go, the total stays bounded
        T.label_sprite(f"label {n}", font, QColor("black"), QPen(QColor("white"), 3.2))
        assert T._SPRITES.total_cost <= budget
    assert T._SPRITES.evictions > 0 and len(T._SPRITES) > 10


def test_closing_the_window_during_an_export_waits_for_the_file_quietly(qtbot, atlas, settings, tmp_path,
                                                                         monkeypatch):
    from silkmap.ui import background
    from silkmap.ui.main_window import MainWindow

    errors = []
    monkeypatch.setattr(threading, "excepthook", lambda args: errors.append(args.exc_value))
    win = MainWindow(atlas, settings=settings)
    win.show()
    qtbot.waitExposed(win)
    win.act_export.trigger()
    (dlg,) = win.findChildren(QDialog)
    dlg.quiet = True
    dlg.path_edit.setText(str(tmp_path / "map.png"))
    dlg.start()
    win.close()
    shiboken6.delete(win)  # the window and its dialog are gone while the worker still draws
    background.stop_all()
    assert errors == []
    assert (tmp_path / "map.png").stat().st_size > 0
    assert not list(tmp_path.glob("*.part"))


def test_a_pause_hands_freed_heap_back(qtbot, window):
    """After a burst of repaints the window, once idle, returns freed heap pages (glibc)."""
    import sys

    from silkmap.core.memory import release_free_heap

    with qtbot.waitSignal(window.idle, timeout=10000):
        for _ in range(3):
            window.view.zoom(1.25)
            window.view.repaint()
    if sys.platform.startswith("linux"):
        junk = [bytearray(4096) for _ in range(20000)]  # 80 MB of small blocks, then freed
        del junk
        assert release_free_heap() is True
