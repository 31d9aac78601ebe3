"""Qt painting shared by the window and the export, so a file is exactly what the view shows."""
