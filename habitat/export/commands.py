"""CLI: python -m habitat export-dwca / export.  Heavy modules are imported inside the commands.

The command line has no signed-in person: whoever can open the database file can read all of it,
so ``--exact`` is allowed here (a warning is printed); the app's pages go through the services.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from habitat import settings
from habitat.errors import HabitatError
from habitat.i18n import t

_DB = click.option(
    "--db",
    "db_path",
    type=click.Path(path_type=Path),
    default=None,
    help="Database file (default GARDEN_DB).",
)
_GARDEN = click.option(
    "--garden", "garden_slug", default=None, help="Only this garden (slug, e.g. zhongjing)."
)
_SINCE = click.option(
    "--since",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="Only sightings on or after this date (YYYY-MM-DD, Shanghai time).",
)
_STATUS = click.option(
    "--status",
    type=click.Choice(["accepted", "all"]),
    default="accepted",
    show_default=True,
    help="accepted: only 'Accepted – correct' and 'Accepted – considered correct'; all: every record.",
)
_EXACT = click.option(
    "--exact",
    is_flag=True,
    help="Keep exact points of sensitive species and nest sites (not for public sharing).",
)


def _lang() -> str:
    return settings.load().language


def _fail(err: HabitatError) -> None:
    click.echo(err.message(_lang()), err=True)
    sys.exit(2)


def _open(db_path: Path | None):
    from habitat.db import open_database  # here: DuckDB would slow every CLI start

    return open_database(db_path or settings.load().db_path)


def _warn_exact(exact: bool) -> None:
    if exact:
        click.echo(t("export.exact_warning", _lang()), err=True)


def _run(exporter, db_path, out_path, *, since, exact: bool, **kw) -> None:
    """Open the database, write the export, print its JSON summary (errors: one sentence, exit 2)."""
    try:
        con = _open(db_path)
        try:
            summary = exporter(con, out_path, since=since.date() if since else None, exact=exact, **kw)
        finally:
            con.close()
    except HabitatError as err:
        _fail(err)
    _warn_exact(exact)
    click.echo(json.dumps(summary, ensure_ascii=False))


@click.command("export-dwca")
@_DB
@click.option("--out", "out_path", type=click.Path(path_type=Path), required=True, help="Zip file to write.")
@_GARDEN
@_SINCE
@_STATUS
@_EXACT
@click.option(
    "--media-url",
    default=None,
    help="Public URL prefix of the photo display copies; adds the GBIF Simple Multimedia extension.",
)
def export_dwca_command(db_path, out_path, garden_slug, since, status, exact, media_url) -> None:
    """Write a Darwin Core Archive (occurrence core + EML) for GBIF and partners."""
    from habitat.export.dwca import export_dwca  # here: pandas, pyarrow and DuckDB would slow every CLI start

    _run(
        export_dwca,
        db_path,
        out_path,
        garden_slug=garden_slug,
        since=since,
        status=status,
        exact=exact,
        media_url_base=media_url,
    )


@click.command("export")
@_DB
@click.option("--format", "fmt", type=click.Choice(["csv", "geojson", "parquet"]), required=True)
@click.option("--out", "out_path", type=click.Path(path_type=Path), required=True, help="File to write.")
@_GARDEN
@_SINCE
@_STATUS
@_EXACT
def export_command(db_path, fmt, out_path, garden_slug, since, status, exact) -> None:
    """Write the sightings table as CSV (Excel-ready UTF-8), GeoJSON or Parquet."""
    from habitat.export.tables import (
        export_table,
    )  # here: pandas, pyarrow and DuckDB would slow every CLI start

    _run(
        export_table,
        db_path,
        out_path,
        fmt=fmt,
        garden_slug=garden_slug,
        since=since,
        status=status,
        exact=exact,
    )


COMMANDS = [export_dwca_command, export_command]
