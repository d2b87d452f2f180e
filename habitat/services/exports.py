"""Exports for the download buttons: build the file in a temporary folder and hand back its bytes."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Callable

from habitat.export.dwca import export_dwca_for
from habitat.export.tables import export_table_for
from habitat.services.context import Ctx

SUFFIX = {"csv": ".csv", "geojson": ".geojson", "parquet": ".parquet"}


def build(ctx: Ctx, kind: str, *, garden_slug=None, since=None, status="accepted", exact=False,
          progress: Callable[[float, str], None] | None = None) -> tuple[bytes, str, dict]:
    """(file bytes, file name, summary). ``kind`` is "dwca" or a table format."""
    ctx.require("log")
    stem = f"habitat-{garden_slug or 'all'}-{status}{'-exact' if exact else ''}"
    with tempfile.TemporaryDirectory(prefix="habitat-export-") as folder:
        if kind == "dwca":
            path = Path(folder) / f"{stem}-dwca.zip"
            summary = export_dwca_for(ctx, path, garden_slug=garden_slug, since=since, status=status, exact=exact, progress=progress)
        else:
            path = Path(folder) / f"{stem}{SUFFIX.get(kind, '.dat')}"
            summary = export_table_for(ctx, path, fmt=kind, garden_slug=garden_slug, since=since, status=status, exact=exact, progress=progress)
        return path.read_bytes(), path.name, summary
