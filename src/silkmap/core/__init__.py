"""The Qt-free core: data loading, validation, projection, facts and selection state.

Nothing under this package may import PySide6; tests/test_architecture.py enforces it.
"""
