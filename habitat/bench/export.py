"""Darwin Core export of the ~1 M sightings database."""

from __future__ import annotations

from pathlib import Path

from habitat.bench.common import Log, Sizes, connect_db, stats, timed
from habitat.export.dwca import export_dwca


def export_metric(sizes: Sizes, db: Path, work: Path, n_rows: int, log: Log) -> dict:
    con = connect_db(db)
    times, reports = [], []
    try:
        for i in range(sizes.export_runs):
            out = work / f"export_{i}.zip"
            dt, rep = timed(lambda out=out: export_dwca(con, out, status="all"))
            times.append(dt)
            reports.append(rep)
            size_mb = out.stat().st_size / 1e6
            out.unlink()
            log(f"export: run {i + 1}: {dt:.2f} s, {size_mb:.0f} MB")
    finally:
        con.close()
    records = reports[-1].get("records") or reports[-1].get("counts", {}).get("records")
    return {
        "unit": "s",
        **stats(times, 2),
        "size": f"{n_rows:,} sightings, status all",
        "records": records,
        "zip_mb": round(size_mb, 1),
        "params": {"runs": sizes.export_runs, "compresslevel": "default (ZIP_LEVEL)"},
    }
