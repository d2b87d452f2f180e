"""Data in: python -m habitat import-photos / import-tally / seed-synthetic."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import click

from habitat import settings
from habitat.cli.common import fail
from habitat.errors import HabitatError


def _ctx_for(db_path: Path | None, username: str | None):
    # start-up time: the database layer and the services load duckdb and pandas
    from habitat.db import open_database
    from habitat.db import people as people_db
    from habitat.services.context import Ctx

    cfg = settings.load()
    con = open_database(db_path or cfg.db_path)
    pid = people_db.id_by_username(con, username) if username else people_db.first_active_committee_id(con)
    if pid is None:
        raise click.UsageError(
            f"no such user: {username}" if username else "no committee account; pass --user"
        )
    return Ctx(con=con, user=people_db.by_id(con, pid), config=cfg)


@click.command("import-photos")
@click.option(
    "--db",
    "db_path",
    type=click.Path(path_type=Path),
    default=None,
    help="Database file (default GARDEN_DB).",
)
@click.option("--garden", "garden_slug", required=True, help="Garden slug, e.g. zhongjing.")
@click.option(
    "--user",
    "username",
    default=None,
    help="Account the records belong to (default: first committee account).",
)
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
def import_photos(db_path, garden_slug, username, paths) -> None:
    """Import every readable image in folders/files as a draft sighting (species unknown)."""
    from habitat.services.importing import import_photo_files  # start-up time: loads Pillow, pandas, duckdb

    try:
        ctx = _ctx_for(db_path, username)
        report = import_photo_files(
            ctx,
            garden_slug,
            list(paths),
            progress=lambda n, total, name: click.echo(f"[{n}/{total}] {name}", err=True),
            lang=settings.load().language,  # messages in GARDEN_LANG, like every command
        )
    except HabitatError as err:
        fail(err)
    report.pop("sighting_ids", None)
    click.echo(json.dumps(report, ensure_ascii=False))


@click.command("import-tally")
@click.option("--db", "db_path", type=click.Path(path_type=Path), default=None)
@click.option("--garden", "garden_slug", required=True)
@click.option("--user", "username", default=None)
@click.argument("csv_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def import_tally_cmd(db_path, garden_slug, username, csv_file) -> None:
    """Import a paper tally sheet (CSV: species, count, zone, time); all rows or none."""
    # start-up time: the database layer and the services load duckdb and pandas
    from habitat.db import gardens as gardens_db
    from habitat.services.importing import import_tally

    try:
        ctx = _ctx_for(db_path, username)
        garden = gardens_db.by_slug(ctx.con, garden_slug)
        if garden is None:
            raise click.UsageError(f"no garden {garden_slug}")
        result = import_tally(ctx, garden[0], csv_file.read_bytes())
    except HabitatError as err:
        fail(err)
    click.echo(
        json.dumps(
            {"imported": result.imported, "errors": [{"line": n, "error": m} for n, m in result.errors]},
            ensure_ascii=False,
        )
    )
    sys.exit(1 if result.errors else 0)


@click.command("seed-synthetic")
@click.option(
    "--db", "db_path", type=click.Path(path_type=Path), required=True, help="New or empty database file."
)
@click.option(
    "--gardens", type=click.IntRange(1, 20_000), required=True, help="Number of gardens (e.g. 300)."
)
@click.option("--years", type=click.IntRange(1, 30), required=True, help="Years of records (e.g. 5).")
@click.option("--seed", type=int, default=1, show_default=True, help="Same seed, same database.")
@click.option(
    "--end-date",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="Last day with records (default: yesterday, Shanghai time).",
)
@click.option("--force", is_flag=True, help="Delete the database file (and its .wal) first, if it exists.")
@click.option("--quiet", is_flag=True, help="No progress lines on stderr.")
def seed_synthetic_command(
    db_path: Path, gardens: int, years: int, seed: int, end_date, force: bool, quiet: bool
):
    """Build realistic synthetic data at scale (300 gardens x 5 years: about 10 million sightings)."""
    # start-up time: the generator loads numpy, pyarrow and duckdb
    from habitat.db import open_database
    from habitat.synthetic import seed_synthetic

    started = time.perf_counter()
    if force:
        for f in (db_path, db_path.with_name(db_path.name + ".wal")):
            if f.exists():
                f.unlink()

    def progress(phase: str, done: int, total: int) -> None:
        if quiet:
            return
        if phase == "sightings" and total > 1:
            click.echo(f"  sightings {done:,}/{total:,}", err=True)
        else:
            click.echo(f"  {phase} done ({time.perf_counter() - started:.1f} s)", err=True)

    try:
        con = open_database(db_path)
        try:
            report = seed_synthetic(
                con,
                gardens=gardens,
                years=years,
                seed=seed,
                end_date=end_date.date() if end_date else None,
                progress=progress,
            )
        finally:
            con.close()
    except HabitatError as err:
        fail(err)
    report = {"db": str(db_path), **report}
    report["seconds"]["with_open_and_close"] = round(time.perf_counter() - started, 3)
    report["file_mb"] = round(db_path.stat().st_size / 1e6, 1)
    click.echo(json.dumps(report, ensure_ascii=False))
