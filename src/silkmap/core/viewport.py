"""The view's transform between map metres and pixels (y grows up on the map, down on screen)."""

from __future__ import annotations

from dataclasses import dataclass

MIN_SCALE = 1 / 20000.0  # 20 km per pixel: the whole of Eurasia in a small window
MAX_SCALE = 1 / 40.0  # 40 m per pixel: far beyond 1:10m detail


@dataclass
class Viewport:
    cx: float = 0.0  # map metres at the centre of the view
    cy: float = 0.0
    scale: float = 1 / 4000.0  # pixels per metre
    width: int = 800
    height: int = 600

    def copy(self) -> "Viewport":
        return Viewport(self.cx, self.cy, self.scale, self.width, self.height)

    @property
    def metres_per_pixel(self) -> float:
        return 1.0 / self.scale

    def to_screen(self, x: float, y: float) -> tuple[float, float]:
        return ((x - self.cx) * self.scale + self.width / 2.0,
                self.height / 2.0 - (y - self.cy) * self.scale)

    def to_map(self, px: float, py: float) -> tuple[float, float]:
        return (self.cx + (px - self.width / 2.0) / self.scale,
                self.cy - (py - self.height / 2.0) / self.scale)

    def bounds(self) -> tuple[float, float, float, float]:
        x0, y1 = self.to_map(0, 0)
        x1, y0 = self.to_map(self.width, self.height)
        return x0, y0, x1, y1

    def fit(self, bounds: tuple[float, float, float, float], margin: float = 0.04) -> None:
        x0, y0, x1, y1 = bounds
        w, h = max(x1 - x0, 1.0), max(y1 - y0, 1.0)
        self.cx, self.cy = (x0 + x1) / 2.0, (y0 + y1) / 2.0
        usable_w = self.width * (1 - 2 * margin)
        usable_h = self.height * (1 - 2 * margin)
        self.scale = self._clamp(min(usable_w / w, usable_h / h))

    def zoom_at(self, factor: float, px: float, py: float) -> None:
        """Zoom by ``factor`` keeping the map point under (px, py) fixed."""
        mx, my = self.to_map(px, py)
        self.scale = self._clamp(self.scale * factor)
        nx, ny = self.to_map(px, py)
        self.cx += mx - nx
        self.cy += my - ny

    def pan_pixels(self, dx: float, dy: float) -> None:
        self.cx -= dx / self.scale
        self.cy += dy / self.scale

    @staticmethod
    def _clamp(scale: float) -> float:
        return min(max(scale, MIN_SCALE), MAX_SCALE)
