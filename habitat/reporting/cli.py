"""The command line of the report and the posters: ``python -m habitat report`` / ``posters``.

The command line has no signed-in person (whoever can open the database file can read all of
it), so it acts as a committee member. This module is imported on every CLI start (through
habitat.cli): the report's code (pandas, plotly, DuckDB, the services) is imported inside the
command bodies only.
"""

from __future__ import annotations

import dataclasses
import json
import sys
import time
from pathlib import Path

import click

from habitat import settings
from habitat.domain.roles import COMMITTEE, Person
from habitat.errors import HabitatError
from habitat.i18n import t

CLI_PERSON = Person(id=0, username="cli", display_name="command line", role=COMMITTEE)


def _cli_lang() -> str:
    return settings.load().language


def _fail(err: HabitatError) -> None:
    click.echo(err.message(_cli_lang()), err=True)
    sys.exit(2)


def _cli_ctx(db_path: Path | None, photo_root: Path | None):
    from habitat.db import open_database  # here: DuckDB would slow every CLI start
    from habitat.services.context import Ctx  # here: the services would slow every CLI start

    config = settings.load()
    if photo_root is not None:
        config = dataclasses.replace(config, photo_root=photo_root)
    return Ctx(con=open_database(db_path or config.db_path), user=CLI_PERSON, config=config)


def _write(out_path: Path, text: str, started: float) -> None:
    out_path.parent.mkdir(parents=True, exist_ok=True)
    out_path.write_text(text, encoding="utf-8")
    size = out_path.stat().st_size
    click.echo(
        json.dumps({"out": str(out_path), "bytes": size, "seconds": round(time.perf_counter() - started, 2)})
    )


_DB = click.option(
    "--db",
    "db_path",
    type=click.Path(path_type=Path),
    default=None,
    help="Database file (default GARDEN_DB).",
)
_OUT = click.option(
    "--out",
    "out_path",
    type=click.Path(path_type=Path, dir_okay=False),
    required=True,
    help="HTML file to write.",
)
_LANG = click.option(
    "--lang",
    type=click.Choice(["zh", "en"]),
    default=None,
    help="Language of the page (default GARDEN_LANG, which defaults to zh).",
)


@click.command("report")
@_DB
@click.option("--garden", "garden_slug", default=None, help="The garden (slug, e.g. zhongjing).")
@click.option("--town", is_flag=True, help="All gardens of the town, one row per garden.")
@click.option(
    "--month",
    type=click.DateTime(formats=["%Y-%m"]),
    required=True,
    metavar="YYYY-MM",
    help="The month of the report.",
)
@_OUT
@_LANG
@click.option(
    "--photos",
    "photo_root",
    type=click.Path(path_type=Path, file_okay=False),
    default=None,
    help="Photo folder (default GARDEN_PHOTOS).",
)
@click.option(
    "--accepted-only", is_flag=True, help="Count accepted records only (default: all but rejected)."
)
def report_command(db_path, garden_slug, town, month, out_path, lang, photo_root, accepted_only) -> None:
    """Write the monthly report of a garden or of the town: one printable HTML file that opens offline."""
    if bool(garden_slug) == bool(town):
        raise click.UsageError(t("report.cli_scope", _cli_lang()))
    from habitat.reporting.report import build_report  # here: pandas and plotly would slow every CLI start

    started = time.perf_counter()
    try:
        ctx = _cli_ctx(db_path, photo_root)
        try:
            text = build_report(
                ctx,
                garden_slug=garden_slug,
                year=month.year,
                month=month.month,
                lang=lang or ctx.config.language,
                accepted_only=accepted_only,
            )
        finally:
            ctx.con.close()
    except HabitatError as err:
        _fail(err)
    _write(out_path, text, started)


@click.command("posters")
@_DB
@click.option("--garden", "garden_slug", required=True, help="The garden (slug, e.g. zhongjing).")
@_OUT
@click.option("--base-url", default=None, help="Public address of the app (default GARDEN_BASE_URL).")
@_LANG
def posters_command(db_path, garden_slug, out_path, base_url, lang) -> None:
    """Write one A4 QR poster per zone: scanning opens the log form with garden and zone filled in."""
    from habitat.reporting.posters import build_posters  # here: DuckDB and qrcode would slow every CLI start

    started = time.perf_counter()
    try:
        ctx = _cli_ctx(db_path, None)
        try:
            text = build_posters(ctx, garden_slug, base_url=base_url, lang=lang or ctx.config.language)
        finally:
            ctx.con.close()
    except HabitatError as err:
        _fail(err)
    _write(out_path, text, started)
