"""Keeping a deployment healthy: check (and fix) integrity, back up and restore.

    python -m habitat check   --db PATH [--photos DIR] [--fix]
    python -m habitat backup  --db PATH --out DIR [--photos DIR] [--key-file FILE]
    python -m habitat restore --from DIR --db PATH [--photos DIR] [--force] [--key-file FILE]
                              [--trust-unsigned]

checks.py (integrity), backup.py, restore.py, files.py (what both share); the commands are in
habitat/cli/maintenance.py. habitat/backup_format.py describes the backup folder and its signature.
"""

from habitat.maintenance.backup import backup
from habitat.maintenance.checks import check
from habitat.maintenance.files import MANIFEST, PRIVATE_DIR, PRIVATE_FILE, sha256_file
from habitat.maintenance.restore import SIGNATURE_ERRORS, default_photo_root, restore

__all__ = [
    "MANIFEST",
    "PRIVATE_DIR",
    "PRIVATE_FILE",
    "SIGNATURE_ERRORS",
    "backup",
    "check",
    "default_photo_root",
    "restore",
    "sha256_file",
]
