"""Darwin Core Archive, CSV, GeoJSON, Parquet and the monthly report."""
