"""silkmap — a desktop map viewer for China–Central Asia relations."""

__version__ = "0.1.0"
