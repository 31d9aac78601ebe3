"""What a year step changes on screen: the countries whose partnership level (or class of the
measure shown) changed, the routes and projects whose status changed, and any label drawn
differently.

The frame of the new year lands where the previous one lay (same view); repainting only
these rectangles from it gives the same pixels as a full repaint, and at 4K a full compose
costs more than a year step may (issue 11: ≤ 16 ms on the UI thread).
"""

from __future__ import annotations

from PySide6.QtCore import QRect, QRectF

from silkmap.render.year_style import colours_by_level, country_fill, project_status, route_status

ROUTE_PAD_PX = 14  # casing, highlight and the stalled cross
PROJECT_PAD_PX = 12


def year_damage(view, old_year: int, new_year: int, old_frame, new_frame) -> QRect | None:
    """The screen rectangle to repaint, or None when the whole view must be (the partnership
    colours switched on or off, or the dated facts are missing)."""
    r = view.renderer
    a, b = r.year_state(old_year), r.year_state(new_year)
    if a is None or b is None:
        return None
    layers_on = lambda name: view.state.layers.get(name, True)  # noqa: E731
    by_a, by_b = colours_by_level(a, layers_on), colours_by_level(b, layers_on)
    st = view.state
    ca = r.map_classes(st.measure, st.classification, old_year) if by_a else None
    cb = r.map_classes(st.measure, st.classification, new_year) if by_b else None
    vp = view.viewport
    out = QRect()

    def add(map_rect: QRectF, pad: float) -> None:
        nonlocal out
        x0, y0 = vp.to_screen(map_rect.left(), map_rect.bottom())
        x1, y1 = vp.to_screen(map_rect.right(), map_rect.top())
        out |= QRectF(min(x0, x1) - pad, min(y0, y1) - pad, abs(x1 - x0) + 2 * pad,
                      abs(y1 - y0) + 2 * pad).toAlignedRect()

    paths, _tol = r.cache.paths_for(new_frame.vp.metres_per_pixel, allow_load=False)
    for iso, country in view.atlas.countries.items():
        if country.is_focus and iso in paths and country_fill(iso, a, by_a, ca) != country_fill(iso, b, by_b, cb):
            add(paths[iso].bounds, 4)
    for rid, route in view.atlas.routes.items():
        if route_status(route, a) != route_status(route, b):
            add(r.route_bounds[rid], ROUTE_PAD_PX)
    for pid, (x, y) in r._project_xy.items():
        if project_status(pid, a) != project_status(pid, b):
            add(QRectF(x, y, 0, 0), PROJECT_PAD_PX)
    old_labels = {(lb.kind, lb.id, lb.text, lb.rect.getRect()) for lb in old_frame.result.labels}
    for lb in new_frame.result.labels:
        if (lb.kind, lb.id, lb.text, lb.rect.getRect()) not in old_labels:
            out |= lb.rect.toAlignedRect().adjusted(-3, -3, 3, 3)
    new_labels = {(lb.kind, lb.id, lb.text, lb.rect.getRect()) for lb in new_frame.result.labels}
    for lb in old_frame.result.labels:
        if (lb.kind, lb.id, lb.text, lb.rect.getRect()) not in new_labels:
            out |= lb.rect.toAlignedRect().adjusted(-3, -3, 3, 3)
    return out & view.rect()
