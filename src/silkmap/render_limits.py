"""Export presets and limits, shared by the CLI (which must not import Qt to print --help) and the renderer."""

MAX_PIXELS = 16384
MAX_DPI = 1200
# name: (width px, height px, dpi) — A4 landscape is 297 × 210 mm, i.e. 3508 × 2480 at 300 dpi.
PRESETS = {
    "slide": (1920, 1080, 96),
    "a4": (3508, 2480, 300),
    "square": (1080, 1080, 96),
}
PRESET_HELP = "slide (1920x1080), a4 (A4 landscape, 3508x2480 at 300 dpi), square (1080x1080)"
