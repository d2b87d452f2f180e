"""Exports as use cases: who may have exact points, the audit of those that hold them, the download bytes.

habitat.export writes files from a connection and knows nobody; the role check and the audit live
here (habitat.export and habitat.db never import the services: an import-linter contract).
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any, Callable, Mapping

from habitat.export.dwca import Progress, export_dwca
from habitat.export.tables import export_table
from habitat.i18n import t
from habitat.services.context import Ctx, audit, transaction

SUFFIX = {"csv": ".csv", "geojson": ".geojson", "parquet": ".parquet"}
_AUDITED = ("path", "records", "generalised", "garden", "since", "status", "format")


def check_exact(ctx: Ctx, exact: bool) -> None:
    """Exact points of sensitive species and nest sites only for roles with "export_exact"."""
    if exact:
        ctx.require("export_exact")


def audit_exact(ctx: Ctx, kind: str, summary: Mapping[str, Any]) -> None:
    """An export with exact sensitive locations is a privacy event: keep who, when and what."""
    if summary.get("exact"):
        with transaction(ctx):
            audit(ctx, "export_exact", kind, None, after={k: summary[k] for k in _AUDITED if k in summary})


def translated(progress: Progress | None, lang: str) -> Progress | None:
    """Wrap a progress callback so it receives text in ``lang`` instead of i18n keys."""
    if progress is None:
        return None
    return lambda fraction, key: progress(fraction, t(key, lang))


def export_dwca_for(ctx: Ctx, out_path: Path | str, **kw: Any) -> dict[str, Any]:
    """Anyone may have the public (generalised) archive; exact needs "export_exact" and is audited."""
    check_exact(ctx, kw.get("exact", False))
    kw.setdefault("now", ctx.now())
    kw["progress"] = translated(kw.get("progress"), ctx.lang)
    summary = export_dwca(ctx.con, out_path, **kw)
    audit_exact(ctx, "dwca", summary)
    return summary


def export_table_for(ctx: Ctx, out_path: Path | str, **kw: Any) -> dict[str, Any]:
    """Public (generalised) tables for anyone; exact points need "export_exact" and are audited."""
    check_exact(ctx, kw.get("exact", False))
    kw["progress"] = translated(kw.get("progress"), ctx.lang)
    summary = export_table(ctx.con, out_path, **kw)
    audit_exact(ctx, "table", summary)
    return summary


def build(
    ctx: Ctx,
    kind: str,
    *,
    garden_slug=None,
    since=None,
    status="accepted",
    exact=False,
    progress: Callable[[float, str], None] | None = None,
) -> tuple[bytes, str, dict]:
    """(file bytes, file name, summary). ``kind`` is "dwca" or a table format."""
    ctx.require("log")
    stem = f"habitat-{garden_slug or 'all'}-{status}{'-exact' if exact else ''}"
    with tempfile.TemporaryDirectory(prefix="habitat-export-") as folder:
        if kind == "dwca":
            path = Path(folder) / f"{stem}-dwca.zip"
            summary = export_dwca_for(
                ctx, path, garden_slug=garden_slug, since=since, status=status, exact=exact, progress=progress
            )
        else:
            path = Path(folder) / f"{stem}{SUFFIX.get(kind, '.dat')}"
            summary = export_table_for(
                ctx,
                path,
                fmt=kind,
                garden_slug=garden_slug,
                since=since,
                status=status,
                exact=exact,
                progress=progress,
            )
        return path.read_bytes(), path.name, summary
