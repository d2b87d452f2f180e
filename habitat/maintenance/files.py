"""Files for backups and restores: checksums, owner-only writes, plain-file copies, one-sentence errors."""

from __future__ import annotations

import errno
import hashlib
import os
import stat
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import duckdb

from habitat import backup_format as bf
from habitat.errors import DatabaseError, HabitatError, ValidationError

MANIFEST = bf.MANIFEST
PRIVATE_FILE, PRIVATE_DIR = 0o600, 0o700  # backups hold password hashes and private GPS
_CHUNK = 1 << 20


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


@contextmanager
def as_habitat_errors(path: Path) -> Iterator[None]:
    """File-system and DuckDB failures become one clear sentence instead of a traceback."""
    try:
        yield
    except HabitatError:
        raise
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise ValidationError("backup.io_error", path=str(exc.filename or path), reason=reason) from exc
    except duckdb.Error as exc:
        raise DatabaseError("backup.db_error", reason=first_line(exc)) from exc


def first_line(exc: BaseException) -> str:
    text = str(exc)
    return text.splitlines()[0][:300] if text else ""


def copy_file(src: Path, dst: Path, *, mode: int) -> str:
    """Copy a regular file (never via a symlink) to a new file ``dst``; returns the SHA-256 of the copy."""
    try:
        fd = os.open(src, os.O_RDONLY | os.O_NOFOLLOW)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise ValidationError("backup.not_a_plain_file", path=str(src)) from None
        raise
    digest = hashlib.sha256()
    with os.fdopen(fd, "rb") as fin:
        if not stat.S_ISREG(os.fstat(fin.fileno()).st_mode):
            raise ValidationError("backup.not_a_plain_file", path=str(src))
        out_fd = os.open(dst, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
        with os.fdopen(out_fd, "wb") as fout:
            for chunk in iter(lambda: fin.read(_CHUNK), b""):
                digest.update(chunk)
                fout.write(chunk)
    return digest.hexdigest()


def private_dirs(folder: Path) -> None:
    """``folder`` and any missing parents, each readable by the owner only."""
    if folder.is_dir():
        return
    private_dirs(folder.parent)
    folder.mkdir(mode=PRIVATE_DIR)
    os.chmod(folder, PRIVATE_DIR)  # the umask may have taken bits away, never added any


def private_write(path: Path, data: bytes) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE)
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
