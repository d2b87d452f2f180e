"""Sighting tables as CSV, GeoJSON or Parquet, with the same rows and privacy rules as the archive.

Columns are the Darwin Core terms of occurrence.txt. CSV starts with a UTF-8 byte-order mark so
that Excel (what most committees open it with) shows the Chinese names, and a text cell that could
start a formula gets a leading quote (habitat.export.cells); Parquet keeps typed dates
(TIMESTAMPTZ) instead of ISO text.
"""

from __future__ import annotations

import os
import time
from datetime import date, datetime
from pathlib import Path
from typing import Any

import duckdb

from habitat.db import cells as cells_db
from habitat.db import export as export_db
from habitat.errors import ValidationError
from habitat.export import cells
from habitat.export.dwca import (
    Progress,
    partial_path,
    report_stage,
    selection,
    snapshot,
)

FORMATS = ("csv", "geojson", "parquet")
SUFFIXES = {"csv": ".csv", "geojson": ".geojson", "parquet": ".parquet"}
_BOM = b"\xef\xbb\xbf"


def export_table(
    con: duckdb.DuckDBPyConnection,
    out_path: Path | str,
    *,
    fmt: str,
    garden_slug: str | None = None,
    since: date | datetime | str | None = None,
    status: str = "accepted",
    exact: bool = False,
    progress: Progress | None = None,
) -> dict[str, Any]:
    """Write the sightings table to ``out_path`` in ``fmt``; returns counts, path and seconds."""
    if fmt not in FORMATS:
        raise ValidationError("export.bad_format", format=fmt)
    started = time.perf_counter()
    out_path = Path(out_path)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    sel = selection(
        con, garden_slug=garden_slug, since=since, status=status, exact=exact, text_dates=fmt != "parquet"
    )
    part = partial_path(out_path)
    report_stage(progress, 0.0, "export.stage.selecting")
    try:
        with snapshot(con):
            counts = export_db.counts(con, sel)
            report_stage(progress, 0.1, "export.stage.occurrences")
            if fmt == "geojson":
                written = _write_geojson(export_db.occurrence_table(con, sel), part)
            else:
                sql, params = export_db.occurrence_query(sel)
                if fmt == "csv":  # opened in Excel: no text cell may start a formula
                    sql, params = cells_db.text_cells_quoted(con, sql, params, cells.FORMULA_STARTS)
                target = part.with_name(part.name + ".body") if fmt == "csv" else part
                written = export_db.copy_to(con, sql, params, target, fmt=fmt)
                if fmt == "csv":
                    _prepend_bom(target, part)
        os.replace(part, out_path)
    finally:
        part.unlink(missing_ok=True)
    report_stage(progress, 1.0, "export.stage.done")
    return {
        "path": str(out_path),
        "format": fmt,
        "records": written,
        "generalised": counts["generalised"],
        "skipped_unidentified": counts["skipped_unidentified"],
        "status": status,
        "exact": bool(exact),
        "garden": garden_slug,
        "since": sel.since.date().isoformat() if sel.since else None,
        "bytes": out_path.stat().st_size,
        "seconds": round(time.perf_counter() - started, 3),
    }


def _prepend_bom(body: Path, target: Path) -> None:
    try:
        with target.open("wb") as out, body.open("rb") as src:
            out.write(_BOM)
            while chunk := src.read(8 << 20):
                out.write(chunk)
    finally:
        body.unlink(missing_ok=True)


def _write_geojson(table, path: Path) -> int:
    """RFC 7946 FeatureCollection (WGS84 lon/lat) through geopandas; every row has a point."""
    import geopandas as gpd  # only the GeoJSON export needs it: ~0.2 s off every start of the exports

    frame = table.to_pandas()
    points = gpd.points_from_xy(frame["decimalLongitude"], frame["decimalLatitude"], crs="EPSG:4326")
    gdf = gpd.GeoDataFrame(frame, geometry=points, crs="EPSG:4326")
    gdf.to_file(path, driver="GeoJSON", engine="pyogrio", layer_options={"RFC7946": "YES"})
    return len(gdf)
