"""CLI for bulk logging: python -m habitat import-photos / import-tally."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from habitat import settings
from habitat.errors import HabitatError


def _ctx_for(db_path: Path | None, username: str | None):
    from habitat.db import open_database
    from habitat.db import people as people_db
    from habitat.db.util import scalar
    from habitat.services.context import Ctx

    cfg = settings.load()
    con = open_database(db_path or cfg.db_path)
    if username:
        pid = scalar(con, "SELECT id FROM people WHERE username = ?", [username])
    else:
        pid = scalar(con, "SELECT min(id) FROM people WHERE role = 'committee' AND active")
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
    from habitat.services.importing import import_photo_files

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
        click.echo(err.message(settings.load().language), err=True)
        sys.exit(2)
    report.pop("sighting_ids", None)
    click.echo(json.dumps(report, ensure_ascii=False))


@click.command("import-tally")
@click.option("--db", "db_path", type=click.Path(path_type=Path), default=None)
@click.option("--garden", "garden_slug", required=True)
@click.option("--user", "username", default=None)
@click.argument("csv_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def import_tally_cmd(db_path, garden_slug, username, csv_file) -> None:
    """Import a paper tally sheet (CSV: species, count, zone, time); all rows or none."""
    from habitat.db import gardens as gardens_db
    from habitat.services.importing import import_tally

    try:
        ctx = _ctx_for(db_path, username)
        garden = gardens_db.by_slug(ctx.con, garden_slug)
        if garden is None:
            raise click.UsageError(f"no garden {garden_slug}")
        result = import_tally(ctx, garden[0], csv_file.read_bytes())
    except HabitatError as err:
        click.echo(err.message(settings.load().language), err=True)
        sys.exit(2)
    click.echo(
        json.dumps(
            {"imported": result.imported, "errors": [{"line": n, "error": m} for n, m in result.errors]},
            ensure_ascii=False,
        )
    )
    sys.exit(1 if result.errors else 0)


COMMANDS = [import_photos, import_tally_cmd]
