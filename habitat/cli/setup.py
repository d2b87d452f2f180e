"""Setting up: python -m habitat init [--demo] / add-person."""

from __future__ import annotations

import json
from pathlib import Path

import click

from habitat import settings
from habitat.cli.common import fail
from habitat.errors import HabitatError


@click.command()
@click.option(
    "--db",
    "db_path",
    type=click.Path(path_type=Path),
    default=None,
    help="Database file (default GARDEN_DB).",
)
@click.option("--demo", is_flag=True, help="Also build the Xinjing town demo with demo accounts.")
@click.option(
    "--photos",
    "photo_root",
    type=click.Path(path_type=Path),
    default=None,
    help="Photo folder (default GARDEN_PHOTOS).",
)
def init(db_path: Path | None, demo: bool, photo_root: Path | None) -> None:
    """Create (or adopt) a database with the species checklist."""
    from habitat.services.setup import init_database  # start-up time: the services load pandas, duckdb

    db_path = db_path or settings.load().db_path
    try:
        report = init_database(db_path, demo=demo, photo_root=photo_root)
    except HabitatError as err:
        fail(err)
    click.echo(json.dumps(report, ensure_ascii=False))


@click.command("add-person")
@click.option(
    "--db",
    "db_path",
    type=click.Path(path_type=Path),
    default=None,
    help="Database file (default GARDEN_DB).",
)
@click.option("--username", required=True)
@click.option("--name", "display_name", required=True, help="Name shown in the app.")
@click.option("--role", type=click.Choice(["volunteer", "expert", "committee"]), required=True)
@click.password_option(help="At least 8 characters; asked for when not given.")
def add_person(db_path: Path | None, username: str, display_name: str, role: str, password: str) -> None:
    """Add an account (for the first committee member of a new database)."""
    # start-up time: the database layer and the services load duckdb and pandas
    from habitat.db import open_database
    from habitat.services import people
    from habitat.services.context import Ctx

    cfg = settings.load()
    try:
        con = open_database(db_path or cfg.db_path)
        ctx = Ctx(con=con, user=None, config=cfg)
        new_id = people.create_setup_account(
            ctx, username=username, display_name=display_name, role=role, password=password
        )
    except HabitatError as err:
        fail(err)
    click.echo(json.dumps({"id": new_id, "username": username, "role": role}))
