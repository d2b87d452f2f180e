"""Plotly figures (no tile server: white background, GeoJSON layers, explicit centre and zoom)."""
