"""Every setting, declared once: name, default, help.

Values come from environment variables first, then ``.streamlit/secrets.toml`` (top-level keys
with the same names), then the default. The README documents each one; a test fails when one
is missing there.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Mapping


@dataclass(frozen=True)
class Setting:
    name: str
    default: str
    help: str
    parse: Callable[[str], object] = str


def _bool(text: str) -> bool:
    return text.strip().lower() in {"1", "true", "yes", "on"}


SETTINGS: tuple[Setting, ...] = (
    Setting("GARDEN_DB", "data/garden.duckdb", "Path of the DuckDB database file."),
    Setting("GARDEN_PHOTOS", "data/photos", "Folder where photo renditions are stored."),
    Setting("GARDEN_LANG", "zh", "Default interface language: zh or en."),
    Setting(
        "GARDEN_TZ",
        "Asia/Shanghai",
        "Time zone used to show times and to read photo times without an offset.",
    ),
    Setting("GARDEN_MAX_UPLOAD_MB", "25", "Largest photo or file a user may upload, in MB.", int),
    Setting("GARDEN_MAX_PIXELS", "60000000", "Largest photo size in pixels; bigger images are refused.", int),
    Setting(
        "GARDEN_SESSION_MINUTES",
        "240",
        "Minutes of inactivity before a signed-in person must sign in again.",
        int,
    ),
    Setting(
        "GARDEN_BASE_URL", "http://127.0.0.1:8501", "Public address of the app, used in QR posters and links."
    ),
    Setting(
        "GARDEN_TILE_URL",
        "",
        "Optional map tile URL template for online deployments; empty means a plain background.",
    ),
    Setting(
        "GARDEN_DEMO",
        "1",
        "Build the demo database on first start of `make run` (1) or an empty one (0).",
        _bool,
    ),
    Setting(
        "GARDEN_ERROR_DETAILS",
        "0",
        "When a page fails: 0 shows people a short message with a reference (details go to the log);"
        " 1 also shows Streamlit's traceback (development and tests).",
        _bool,
    ),
    Setting(
        "GARDEN_BACKUP_KEY",
        "",
        "Secret (16+ characters) that signs backups; empty: the file backup.key beside the database,"
        " made by the first backup.",
    ),
)


@dataclass(frozen=True)
class Config:
    db_path: Path
    photo_root: Path
    language: str
    timezone: str
    max_upload_mb: int
    max_pixels: int
    session_minutes: int
    base_url: str
    tile_url: str
    demo: bool
    error_details: bool = False
    backup_key: str = field(default="", repr=False)  # a secret: never shown in logs


def _read_secrets(path: Path) -> Mapping[str, object]:
    if not path.is_file():
        return {}
    with path.open("rb") as fh:
        return tomllib.load(fh)


def load(
    env: Mapping[str, str] | None = None,
    secrets_path: Path = Path(".streamlit/secrets.toml"),
    **overrides: str,
) -> Config:
    """Read every setting. ``overrides`` (by setting name) win over everything, for tests."""
    env = os.environ if env is None else env
    secrets = _read_secrets(secrets_path)
    values: dict[str, object] = {}
    for s in SETTINGS:
        raw = overrides.get(s.name, env.get(s.name, secrets.get(s.name, s.default)))
        values[s.name] = s.parse(str(raw))
    return Config(
        db_path=Path(str(values["GARDEN_DB"])),
        photo_root=Path(str(values["GARDEN_PHOTOS"])),
        language=str(values["GARDEN_LANG"]),
        timezone=str(values["GARDEN_TZ"]),
        max_upload_mb=int(values["GARDEN_MAX_UPLOAD_MB"]),  # type: ignore[arg-type]
        max_pixels=int(values["GARDEN_MAX_PIXELS"]),  # type: ignore[arg-type]
        session_minutes=int(values["GARDEN_SESSION_MINUTES"]),  # type: ignore[arg-type]
        base_url=str(values["GARDEN_BASE_URL"]).rstrip("/"),
        tile_url=str(values["GARDEN_TILE_URL"]),
        demo=bool(values["GARDEN_DEMO"]),
        error_details=bool(values["GARDEN_ERROR_DETAILS"]),
        backup_key=str(values["GARDEN_BACKUP_KEY"]),
    )
