"""What a backup folder may contain, and how its manifest is signed.

A backup is ``manifest.json`` + ``manifest.sig`` + ``database/<table>.parquet`` (and DuckDB's
``schema.sql`` / ``load.sql``, checked but never run) + ``photos/(display|thumb)/<xx>/<sha256>.jpg``.
Nothing else is allowed: every other name, and every name with ``..``, ``//``, a backslash or a
leading slash, is refused before anything is read or written.

The manifest lists every file with its SHA-256; ``manifest.sig`` holds an HMAC-SHA256 of the
manifest's exact bytes under a key that is never put into a backup (GARDEN_BACKUP_KEY, or the file
``backup.key`` beside the database). Whoever can edit a backup can recompute checksums, but not
the HMAC without that key.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import re
import secrets
from dataclasses import dataclass
from pathlib import Path

from habitat.errors import ValidationError

FORMAT = 2  # 1: before signatures (no "format" key, no sequences or migrations in the manifest)
MANIFEST = "manifest.json"
SIGNATURE = "manifest.sig"
KEY_FILE_NAME = "backup.key"
MIN_KEY_CHARS = 16
SQL_FILES = ("database/schema.sql", "database/load.sql")  # written by DuckDB's EXPORT; never executed

_TABLE_FILE = re.compile(r"database/([a-z_][a-z0-9_]{0,62})\.parquet")
_PHOTO_FILE = re.compile(r"photos/((?:display|thumb)/([0-9a-f]{2})/([0-9a-f]{64})\.jpg)")
_HEX64 = re.compile(r"[0-9a-f]{64}")
_MIGRATION = re.compile(r"\d{4}_[a-z0-9_]{1,60}")


@dataclass(frozen=True)
class Manifest:
    version: int
    files: dict[str, str]  # path inside the backup -> sha256 of its bytes
    row_counts: dict[str, int]
    sequences: dict[str, int]  # sequence name -> the next value it hands out (format 2)
    migrations: tuple[str, ...] | None  # format 2
    tables: dict[str, str]  # table -> path inside the backup
    photos: dict[str, str]  # path inside the photo folder -> path inside the backup
    ignored: tuple[str, ...] = ()  # format 1 only: listed leftovers (temp files) that are never read


def photo_entry(relative: str) -> str:
    """The backup path of a photo stored at ``relative`` in the photo folder ("" if not a photo name)."""
    rel = f"photos/{relative}"
    match = _PHOTO_FILE.fullmatch(rel)
    return rel if match and match[3].startswith(match[2]) else ""


def photo_hash(relative: str) -> str:
    """The SHA-256 (of the original upload) a stored photo's name carries."""
    return relative.rsplit("/", 1)[-1].removesuffix(".jpg")


def classify(rel: str) -> tuple[str, str]:
    """("table", name) | ("sql", rel) | ("photo", path in the photo folder); anything else is refused."""
    parts = rel.split("/")
    if (
        not rel
        or rel.startswith("/")
        or "\\" in rel
        or ":" in rel
        or any(part in ("", ".", "..") for part in parts)
        or any(not ch.isprintable() for ch in rel)
    ):
        raise ValidationError("backup.unsafe_path", path=_shown(rel))
    if rel in SQL_FILES:
        return "sql", rel
    table = _TABLE_FILE.fullmatch(rel)
    if table:
        return "table", table[1]
    photo = _PHOTO_FILE.fullmatch(rel)
    if photo and photo[3].startswith(photo[2]):
        return "photo", photo[1]
    raise ValidationError("backup.unexpected_entry", path=_shown(rel))


def _shown(rel: str) -> str:
    return repr(rel)[1:-1][:200]  # control characters made visible, length bounded


def parse_manifest(raw: bytes) -> Manifest:
    """Validate types, keys and every listed path; a broken manifest is one clear error."""
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):  # RecursionError: absurdly deep nesting
        raise ValidationError("backup.bad_manifest", field="JSON") from None
    if not isinstance(data, dict):
        raise ValidationError("backup.bad_manifest", field="JSON")
    version = data.get("format", 1)
    if not _is_count(version) or version < 1:
        raise ValidationError("backup.bad_manifest", field="format")
    if version > FORMAT:
        raise ValidationError("backup.newer_format", version=version)
    files = _mapping(data, "files", lambda v: isinstance(v, str) and bool(_HEX64.fullmatch(v)))
    row_counts = _mapping(data, "row_counts", _is_count)
    sequences = _mapping(data, "sequences", _is_count) if version >= 2 or "sequences" in data else {}
    migrations = None
    if version >= 2 or "migrations" in data:
        listed = data.get("migrations")
        if not isinstance(listed, list) or not all(
            isinstance(n, str) and _MIGRATION.fullmatch(n) for n in listed
        ):
            raise ValidationError("backup.bad_manifest", field="migrations")
        migrations = tuple(listed)
    tables: dict[str, str] = {}
    photos: dict[str, str] = {}
    ignored: list[str] = []
    for rel in files:
        try:
            kind, name = classify(rel)
        except ValidationError as err:
            # Format 1 copied the whole photo folder, leftovers of interrupted uploads included.
            if version == 1 and err.key == "backup.unexpected_entry" and rel.startswith("photos/"):
                ignored.append(rel)
                continue
            raise
        if kind == "table":
            tables[name] = rel
        elif kind == "photo":
            photos[name] = rel
    if set(tables) != set(row_counts) or "schema_migrations" not in tables:
        raise ValidationError("backup.bad_manifest", field="row_counts")
    return Manifest(version, files, row_counts, sequences, migrations, tables, photos, tuple(ignored))


def _is_count(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _mapping(data: dict, name: str, valid) -> dict:
    value = data.get(name)
    if not isinstance(value, dict):
        raise ValidationError("backup.bad_manifest", field=name)
    for key, item in value.items():
        if not valid(item):
            raise ValidationError("backup.bad_manifest", field=f"{name}.{_shown(key)[:80]}")
    return dict(value)


# --- the signing key -----------------------------------------------------------------------------


@dataclass(frozen=True)
class BackupKey:
    secret: bytes
    origin: str  # "GARDEN_BACKUP_KEY" or the key file's path
    created: bool = False

    def __repr__(self) -> str:  # never print the secret
        return f"BackupKey(origin={self.origin!r}, id={self.key_id})"

    @property
    def key_id(self) -> str:
        """A short name for the key (not the key): tells two keys apart in messages."""
        return hmac.new(self.secret, b"habitat backup key id", hashlib.sha256).hexdigest()[:12]


def default_key_file(db_path: Path) -> Path:
    return Path(db_path).parent / KEY_FILE_NAME


def find_key(db_path: Path, *, key_file: Path | None = None, setting: str = "") -> BackupKey | None:
    """``key_file`` if given, else GARDEN_BACKUP_KEY, else backup.key beside the database, else None."""
    if key_file is not None:
        if not Path(key_file).is_file():
            raise ValidationError("backup.key_file_missing", path=str(key_file))
        return _read_key_file(Path(key_file))
    if setting:
        return _checked(setting, "GARDEN_BACKUP_KEY")
    beside = default_key_file(db_path)
    return _read_key_file(beside) if beside.is_file() else None


def key_for_backup(db_path: Path | None, *, key_file: Path | None = None, setting: str = "") -> BackupKey:
    """The key a new backup is signed with; makes a key file (owner-only) when there is none yet."""
    if key_file is not None:
        key_file = Path(key_file)
        return _read_key_file(key_file) if key_file.exists() else create_key_file(key_file)
    if setting:
        return _checked(setting, "GARDEN_BACKUP_KEY")
    if db_path is None:
        raise ValidationError("backup.no_key_place")
    beside = default_key_file(db_path)
    return _read_key_file(beside) if beside.exists() else create_key_file(beside)


def create_key_file(path: Path) -> BackupKey:
    path.parent.mkdir(parents=True, exist_ok=True)
    text = secrets.token_hex(32)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(text + "\n")
    return BackupKey(text.encode("utf-8"), str(path), created=True)


def _read_key_file(path: Path) -> BackupKey:
    try:
        text = path.read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError) as exc:
        raise ValidationError("backup.key_unreadable", path=str(path), reason=type(exc).__name__) from None
    return _checked(text, str(path))


def _checked(text: str, origin: str) -> BackupKey:
    if len(text) < MIN_KEY_CHARS:
        raise ValidationError("backup.key_too_short", origin=origin, n=MIN_KEY_CHARS)
    return BackupKey(text.encode("utf-8"), origin)


# --- signing -------------------------------------------------------------------------------------


def signature(key: BackupKey, manifest_bytes: bytes) -> bytes:
    """The contents of manifest.sig."""
    tag = hmac.new(key.secret, manifest_bytes, hashlib.sha256).hexdigest()
    return json.dumps({"alg": "HMAC-SHA256", "key_id": key.key_id, "tag": tag}).encode("utf-8")


def check_signature(manifest_bytes: bytes, sig_bytes: bytes | None, key: BackupKey | None) -> None:
    """Raise unless ``sig_bytes`` is ``key``'s HMAC of exactly ``manifest_bytes``."""
    if sig_bytes is None:
        raise ValidationError("backup.unsigned")
    try:
        sig = json.loads(sig_bytes.decode("utf-8"))
        tag, their_id = sig["tag"], sig.get("key_id", "?")
        if not isinstance(tag, str) or not isinstance(their_id, str):
            raise TypeError
    except (ValueError, UnicodeDecodeError, KeyError, TypeError):
        raise ValidationError("backup.signature_mismatch") from None
    if key is None:
        raise ValidationError("backup.no_key", key_id=_shown(their_id)[:20])
    expected = hmac.new(key.secret, manifest_bytes, hashlib.sha256).hexdigest()
    if hmac.compare_digest(expected, tag):
        return
    if their_id != key.key_id:
        raise ValidationError("backup.signature_other_key", theirs=_shown(their_id)[:20], ours=key.key_id)
    raise ValidationError("backup.signature_mismatch")
