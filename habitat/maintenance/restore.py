"""Restore a backup: everything is checked first; the target database is replaced by one rename at the end.

A restore trusts nothing in the backup folder: every path is checked against the names a backup
can contain, every file against the signed manifest, every photo against the photo row it
belongs to, and the database is built in a temporary file that replaces the target only when
all checks passed. habitat/backup_format.py describes the folder and the signature.
"""

from __future__ import annotations

import errno
import logging
import os
import shutil
import stat
import sys
import time
import uuid
import warnings
from pathlib import Path

import duckdb
from PIL import Image

from habitat import backup_format as bf
from habitat import settings
from habitat.db import connect, migrate
from habitat.db import maintenance as m
from habitat.db.connection import applied_migrations, migration_files
from habitat.errors import ValidationError
from habitat.maintenance.files import (
    MANIFEST,
    PRIVATE_DIR,
    PRIVATE_FILE,
    as_habitat_errors,
    copy_file,
    first_line,
    sha256_file,
)

log = logging.getLogger(__name__)

SIGNATURE_ERRORS = {
    "backup.unsigned",
    "backup.signature_mismatch",
    "backup.signature_other_key",
    "backup.no_key",
}


def default_photo_root(db_path: Path) -> Path:
    """Where restore puts photos unless told: ``<db name>_photos`` beside the new database."""
    db_path = Path(db_path)
    return db_path.with_name(f"{db_path.stem}_photos")


def restore(
    source: Path,
    db_path: Path,
    photo_root: Path | None = None,
    *,
    force: bool = False,
    key_file: Path | None = None,
    trust_unsigned: bool = False,
    cfg: settings.Config | None = None,
) -> dict:
    """Restore a backup into ``db_path`` (and ``photo_root``, default beside it): all or nothing.

    Order: manifest (types, paths) -> signature -> the folder holds exactly the listed plain files
    -> the target may be replaced -> verified copies -> a temporary database built from our own
    migrations and the Parquet rows -> row counts, migrations, photos -> move into place.
    """
    cfg = cfg or settings.load()
    source, db_path = Path(source), Path(db_path)
    if photo_root is None:
        photo_root = default_photo_root(db_path)
        if _same_place(photo_root, cfg.photo_root):
            raise ValidationError("backup.photos_is_live", path=str(photo_root))
    photo_root = Path(photo_root)
    with as_habitat_errors(source):
        raw = _read_manifest(source)
        manifest = bf.parse_manifest(raw)
        key = bf.find_key(db_path, key_file=key_file, setting=cfg.backup_key)
        signature, problem = _verify_signature(source, raw, key, trust_unsigned)
        _check_listing(source, manifest)
        kept_mode = _check_target(db_path, photo_root, force)
        with _Restore(db_path, photo_root) as job:
            job.copy_in(source, manifest)
            applied, rows = job.build(manifest)
            job.check_photos(rows)
            kept = job.put_in_place(kept_mode)
    return {
        "db": str(db_path),
        "photos_dir": str(photo_root),
        "rows": sum(manifest.row_counts.values()),
        "photos": len(job.photos),
        "photos_skipped": job.skipped,
        "photos_missing": job.missing,
        "migrations_applied": applied,
        "kept_aside": str(kept) if kept else None,
        "signature": signature,
        "signature_problem": problem,
    }


def _same_place(a: Path, b: Path) -> bool:
    return Path(a).resolve() == Path(b).resolve()


def _read_plain(path: Path) -> bytes:
    fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
    with os.fdopen(fd, "rb") as fh:
        if not stat.S_ISREG(os.fstat(fh.fileno()).st_mode):
            raise ValidationError("backup.not_a_plain_file", path=str(path))
        return fh.read()


def _read_manifest(source: Path) -> bytes:
    path = source / MANIFEST
    if not source.is_dir() or not (path.exists() or path.is_symlink()):
        raise ValidationError("backup.no_manifest", path=str(source))
    try:
        return _read_plain(path)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise ValidationError("backup.not_a_plain_file", path=str(path)) from None
        raise


def _verify_signature(
    source: Path, raw: bytes, key: bf.BackupKey | None, trust_unsigned: bool
) -> tuple[str, str | None]:
    """("verified", None), or with ``trust_unsigned`` ("unverified", the i18n key of what failed)."""
    sig_path = source / bf.SIGNATURE
    try:
        sig = _read_plain(sig_path) if (sig_path.exists() or sig_path.is_symlink()) else None
        bf.check_signature(raw, sig, key)
    except (ValidationError, OSError) as err:
        problem = err.key if isinstance(err, ValidationError) else "backup.signature_mismatch"
        if not trust_unsigned or problem not in SIGNATURE_ERRORS:
            raise
        log.info("restoring an unverified backup from %s (%s)", source, problem)
        return "unverified", problem
    return "verified", None


def _check_listing(source: Path, manifest: bf.Manifest) -> None:
    """The folder holds exactly the manifest's files, all plain files: no symlink, no extra file."""
    allowed = set(manifest.files) | {MANIFEST, bf.SIGNATURE}
    for folder, dirs, files in os.walk(source):
        here = Path(folder)
        for name in dirs + files:
            path = here / name
            rel = path.relative_to(source).as_posix()
            mode = path.lstat().st_mode
            if stat.S_ISLNK(mode) or not (stat.S_ISDIR(mode) or stat.S_ISREG(mode)):
                raise ValidationError("backup.not_a_plain_file", path=rel)
            if stat.S_ISREG(mode) and rel not in allowed:
                raise ValidationError("backup.unlisted_file", path=rel)
    missing = [rel for rel in manifest.files if not (source / rel).is_file()]
    if missing:
        raise ValidationError("backup.corrupt", files=", ".join(sorted(missing)[:5]), n=len(missing))


def _check_target(db_path: Path, photo_root: Path, force: bool) -> int | None:
    """Refuse to replace data without ``force``; the current database file's mode, if there is one."""
    mode = None
    if db_path.exists() or db_path.is_symlink():
        if not db_path.is_file():
            raise ValidationError("backup.io_error", path=str(db_path), reason="not a database file")
        con = connect(db_path)  # a database the app holds open is refused here (db.locked)
        try:
            occupied = m.has_data(con)
        finally:
            con.close()
        if occupied and not force:
            raise ValidationError("db.not_empty", path=str(db_path))
        mode = stat.S_IMODE(db_path.stat().st_mode)
    if photo_root.exists() and not photo_root.is_dir():
        raise ValidationError("backup.io_error", path=str(photo_root), reason="not a folder")
    if photo_root.is_dir() and any(p.is_file() for p in photo_root.rglob("*")) and not force:
        raise ValidationError("backup.photos_not_empty", path=str(photo_root))
    return mode


class _Restore:
    """Staging folders beside the targets, the temporary database, and putting both into place.

    On any failure everything this restore created is removed again, and the target database is
    never touched: it is replaced by one rename at the very end.
    """

    def __init__(self, db_path: Path, photo_root: Path) -> None:
        token = uuid.uuid4().hex[:12]
        self.db_path, self.photo_root = db_path, photo_root
        self.work = db_path.parent / f".{db_path.name}.restore-{token}"  # private: holds the parquet copies
        self.photo_stage = photo_root.parent / f".{photo_root.name}.restore-{token}"
        self.temp_db = self.work / "restored.duckdb"
        self.photos: dict[str, Path] = {}  # path in the photo folder -> staged, verified copy
        self.skipped = self.missing = 0  # listed photos not restored / photo rows without a file
        self.made_dirs: list[Path] = []
        self.moved: list[Path] = []  # photo files this restore put into an existing photo folder
        self.photo_root_made = False
        self.token = token

    def __enter__(self) -> "_Restore":
        try:
            for folder in (self.db_path.parent, self.photo_root.parent):
                self.made_dirs += _make_missing_dirs(folder)
            self.work.mkdir(mode=PRIVATE_DIR)
            (self.work / "database").mkdir(mode=PRIVATE_DIR)
            self.photo_stage.mkdir()
        except BaseException:
            self.__exit__(*sys.exc_info())
            raise
        return self

    def __exit__(self, exc_type, exc, tb) -> bool:
        shutil.rmtree(self.work, ignore_errors=True)
        shutil.rmtree(self.photo_stage, ignore_errors=True)
        if exc_type is not None:
            self._roll_back_photos()
            for folder in reversed(self.made_dirs):
                try:
                    folder.rmdir()
                except OSError:
                    pass
        return False

    def copy_in(self, source: Path, manifest: bf.Manifest) -> None:
        """Copy tables and photos into the staging folders, checking each copy's checksum."""
        bad: list[str] = []
        self.skipped += len(manifest.ignored)
        database = self.work / "database"
        jobs = [(rel, database / f"{table}.parquet", PRIVATE_FILE) for table, rel in manifest.tables.items()]
        for inside, rel in sorted(manifest.photos.items()):
            staged = self.photo_stage / inside
            staged.parent.mkdir(parents=True, exist_ok=True)
            jobs.append((rel, staged, 0o666))  # the umask decides, as for photos the app writes
            self.photos[inside] = staged
        root = source.resolve()
        for rel, target, mode in jobs:
            src = source / rel
            if not src.resolve().is_relative_to(root):  # a folder swapped for a symlink since the listing
                raise ValidationError("backup.not_a_plain_file", path=rel)
            try:
                digest = copy_file(src, target, mode=mode)
            except FileNotFoundError:
                bad.append(rel)
                continue
            if digest != manifest.files[rel]:
                bad.append(rel)
        for rel in bf.SQL_FILES:  # checked like every listed file, never executed
            if rel in manifest.files and sha256_file(source / rel) != manifest.files[rel]:
                bad.append(rel)
        if bad:
            raise ValidationError("backup.corrupt", files=", ".join(sorted(bad)[:5]), n=len(bad))

    def build(self, manifest: bf.Manifest) -> tuple[list[str], dict]:
        """The temporary database: our migrations up to the backup's, its rows, its sequences, then
        our later migrations. Returns (migrations applied after the backup's, photo rows)."""
        parquet = {table: str(self.work / "database" / f"{table}.parquet") for table in manifest.tables}
        known = [name for name, _ in migration_files()]
        con = connect(self.temp_db)
        table = "schema_migrations"
        try:
            names = m.migration_names_in(con, parquet["schema_migrations"])
            if names != known[: len(names)]:
                strange = ", ".join(n for n in names if n not in known)[:300]
                raise ValidationError("backup.unknown_migrations", names=strange or "-")
            if manifest.migrations is not None and list(manifest.migrations) != names:
                raise ValidationError("backup.bad_manifest", field="migrations")
            m.apply_migrations(con, names)
            table = "-"
            ours = set(m.table_names(con))
            if ours != set(parquet):
                differ = ", ".join(sorted(ours ^ set(parquet)))[:300]
                raise ValidationError("backup.tables_differ", tables=differ)
            m.load_tables(con, parquet)
            if m.row_counts(con) != manifest.row_counts:
                raise ValidationError("backup.counts_differ")
            m.set_sequences(con, manifest.sequences)
            later = migrate(con)
            if applied_migrations(con) != known:
                raise ValidationError("backup.unknown_migrations", names="-")
            rows = m.photo_rows(con)
            m.end_restored_sessions(con)  # a restored database starts with everyone signed out
            con.execute("CHECKPOINT")
        except duckdb.Error as exc:
            table = getattr(exc, "habitat_table", table)
            raise ValidationError("backup.load_failed", table=table, reason=first_line(exc)) from exc
        finally:
            con.close()
        if Path(f"{self.temp_db}.wal").exists():  # everything must be in the one file we move
            raise ValidationError("backup.io_error", path=f"{self.temp_db}.wal", reason="not checkpointed")
        return later, rows

    def check_photos(self, rows: dict) -> None:
        """Each photo file belongs to a photo row with the hash its name carries, and is a JPEG of that
        photo's shape no larger than the original. (The name is the hash of the *upload*, not of the
        stored rendition, so the rendition's bytes can only be checked against the signed manifest.)"""
        for inside, staged in sorted(self.photos.items()):
            row = rows.get(inside)
            if row is None:  # listed but used by no record: not restored
                staged.unlink()
                del self.photos[inside]
                self.skipped += 1
                continue
            sha, width, height = row
            if sha != bf.photo_hash(inside) or not _is_rendition_of(staged, width, height):
                raise ValidationError("backup.photo_mismatch", path=inside)
        self.missing = len(set(rows) - set(self.photos))

    def put_in_place(self, kept_mode: int | None) -> Path | None:
        """Photos first, then the database by one rename; returns where the old database was kept."""
        self._place_photos()
        kept = None
        os.chmod(self.temp_db, kept_mode if kept_mode is not None else PRIVATE_FILE)
        if kept_mode is not None:
            stamp = f"{int(time.time())}-{self.token[:6]}"
            kept = self.db_path.with_name(f"{self.db_path.name}.before-restore-{stamp}")
            try:
                os.link(self.db_path, kept)
            except OSError:
                shutil.copy2(self.db_path, kept)
            wal = Path(f"{self.db_path}.wal")
            if wal.exists():  # would be replayed onto the restored file
                os.replace(wal, Path(f"{kept}.wal"))
        try:
            os.replace(self.temp_db, self.db_path)
        except BaseException:
            if kept is not None:
                kept.unlink(missing_ok=True)
            raise
        return kept

    def _place_photos(self) -> None:
        root = self.photo_root
        fresh = not root.exists() and not root.is_symlink()
        if root.is_dir() and not root.is_symlink() and not any(root.iterdir()):
            root.rmdir()
            fresh = True
        if fresh:
            os.rename(self.photo_stage, root)
            self.photo_root_made = True
            self.photos = {inside: root / inside for inside in self.photos}
            return
        real_root = root.resolve()
        for inside in self.photos:  # no symlinked folder inside the photo folder may lead elsewhere
            target = root / inside
            for folder in (target.parent.parent, target.parent, target):
                if folder.is_symlink():
                    raise ValidationError("backup.unsafe_path", path=str(folder))
            if target.parent.exists() and not target.parent.resolve().is_relative_to(real_root):
                raise ValidationError("backup.unsafe_path", path=str(target))
        for inside, staged in sorted(self.photos.items()):
            target = root / inside
            if target.is_file() and sha256_file(target) == sha256_file(staged):
                continue
            existed = target.exists()
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(staged, target)
            if not existed:
                self.moved.append(target)

    def _roll_back_photos(self) -> None:
        if self.photo_root_made:
            shutil.rmtree(self.photo_root, ignore_errors=True)
        for path in self.moved:
            path.unlink(missing_ok=True)


def _make_missing_dirs(folder: Path) -> list[Path]:
    """Create ``folder`` and its missing parents; the ones created, outermost first."""
    missing = []
    while not folder.exists() and folder != folder.parent:
        missing.append(folder)
        folder = folder.parent
    missing.reverse()
    for path in missing:
        path.mkdir()
    return missing


def _is_rendition_of(path: Path, width: int | None, height: int | None) -> bool:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            with Image.open(path, formats=["JPEG"]) as img:
                got_w, got_h = img.size
    except Exception:  # noqa: BLE001 - whatever it is, it is not this photo
        return False
    if not width or not height:
        return True
    # a rendition is the original scaled down: same shape (within rounding), never larger
    return got_w <= width and got_h <= height and abs(got_w * height - got_h * width) <= width + height
