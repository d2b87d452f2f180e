"""Keeping a deployment healthy: python -m habitat check / backup / restore (code in habitat/maintenance/)."""

from __future__ import annotations

import json
import logging
import sys
from pathlib import Path

import click

from habitat import settings
from habitat.cli.common import fail
from habitat.errors import HabitatError, ValidationError
from habitat.i18n import t

log = logging.getLogger(__name__)


def _paths(db_path, photo_root):
    cfg = settings.load()
    return Path(db_path or cfg.db_path), Path(photo_root or cfg.photo_root)


def _fail_unexpected(exc: Exception) -> None:
    """Anything not foreseen still ends in one sentence, never a traceback (debug logging has it)."""
    log.debug("maintenance command failed", exc_info=exc)
    text = str(exc)
    first_line = text.splitlines()[0][:300] if text else ""
    fail(HabitatError("maintenance.unexpected", reason=f"{type(exc).__name__}: {first_line}"))


@click.command("check")
@click.option("--db", "db_path", type=click.Path(path_type=Path), default=None)
@click.option("--photos", "photo_root", type=click.Path(path_type=Path), default=None)
@click.option("--fix", is_flag=True, help="Remove orphan photo files.")
def check_cmd(db_path, photo_root, fix) -> None:
    """List orphan photo files, missing files, dangling references and half-saved records."""
    # start-up time: the database layer and the checks load duckdb and the services
    from habitat.db import open_database
    from habitat.maintenance import check

    db_path, photo_root = _paths(db_path, photo_root)
    try:
        con = open_database(db_path)
    except HabitatError as err:
        fail(err)
    report = check(con, photo_root, fix=fix)
    con.close()
    click.echo(json.dumps(report, ensure_ascii=False))
    sys.exit(0 if report["ok"] else 1)


_WHY_UNVERIFIED = {
    "backup.unsigned": "backup.why_unsigned",
    "backup.no_key": "backup.why_no_key",
    "backup.signature_other_key": "backup.why_other_key",
    "backup.signature_mismatch": "backup.why_mismatch",
}
_KEY_FILE_HELP = "Key file that signs backups (default: GARDEN_BACKUP_KEY, else backup.key beside the db)."
_KEY_FILE = click.Path(dir_okay=False, path_type=Path)


@click.command("backup")
@click.option("--db", "db_path", type=click.Path(path_type=Path), default=None)
@click.option("--photos", "photo_root", type=click.Path(path_type=Path), default=None)
@click.option("--out", "out", type=click.Path(path_type=Path), required=True)
@click.option("--key-file", "key_file", type=_KEY_FILE, default=None, help=_KEY_FILE_HELP)
def backup_cmd(db_path, photo_root, out, key_file) -> None:
    """Back up the database (Parquet) and photos with a signed manifest of checksums (owner-only files)."""
    # start-up time: the database layer and the backup code load duckdb
    from habitat.db import connect
    from habitat.maintenance import backup

    db_path, photo_root = _paths(db_path, photo_root)
    try:
        if not db_path.is_file():
            raise ValidationError("backup.no_database", path=str(db_path))
        con = connect(db_path)
        try:
            report = backup(con, photo_root, out, key_file=key_file)
        finally:
            con.close()
    except HabitatError as err:
        fail(err)
    except Exception as exc:  # noqa: BLE001 - see _fail_unexpected
        _fail_unexpected(exc)
    click.echo(json.dumps(report, ensure_ascii=False))


@click.command("restore")
@click.option(
    "--from", "source", type=click.Path(exists=True, file_okay=False, path_type=Path), required=True
)
@click.option("--db", "db_path", type=click.Path(path_type=Path), default=None)
@click.option(
    "--photos",
    "photo_root",
    type=click.Path(path_type=Path),
    default=None,
    help="Folder for the restored photos (default: <database name>_photos beside --db, never GARDEN_PHOTOS).",
)
@click.option(
    "--force",
    is_flag=True,
    help="Replace a database or photo folder that already holds data (the old database is kept aside).",
)
@click.option("--key-file", "key_file", type=_KEY_FILE, default=None, help=_KEY_FILE_HELP)
@click.option(
    "--trust-unsigned",
    is_flag=True,
    help="Restore even if the backup's signature cannot be verified (prints a warning).",
)
def restore_cmd(source, db_path, photo_root, force, key_file, trust_unsigned) -> None:
    """Restore a backup made by `backup`: all is checked first; the target is replaced only at the end."""
    from habitat.maintenance import restore  # start-up time: the restore code loads duckdb and Pillow

    cfg = settings.load()
    db_path = Path(db_path or cfg.db_path)
    try:
        report = restore(
            source,
            db_path,
            photo_root,
            force=force,
            key_file=key_file,
            trust_unsigned=trust_unsigned,
            cfg=cfg,
        )
    except HabitatError as err:
        fail(err)
    except Exception as exc:  # noqa: BLE001 - see _fail_unexpected
        _fail_unexpected(exc)
    if report["signature"] != "verified":
        why = t(_WHY_UNVERIFIED.get(report["signature_problem"], "backup.why_mismatch"), cfg.language)
        click.echo(t("backup.unverified_warning", cfg.language, why=why), err=True)
    click.echo(json.dumps(report, ensure_ascii=False))
