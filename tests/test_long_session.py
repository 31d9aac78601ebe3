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
