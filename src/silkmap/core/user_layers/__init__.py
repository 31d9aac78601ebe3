"""User layers: the user's own GeoJSON, CSV, KML, GeoPackage or Shapefile drawn on the map.

Qt-free: ``spec`` is what a project file saves, ``load`` turns a file into projected features
under limits, each format's reader lives in its own module.
"""
