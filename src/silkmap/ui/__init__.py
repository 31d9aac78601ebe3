"""Qt widgets: they observe the core's state and paint through silkmap.render."""
