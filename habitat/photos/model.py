"""Photo data types (limits, what a photo says about itself, what was stored) and the i18n keys
of every photo error and warning (messages in habitat/i18n/<lang>/photos.json)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class PhotoLimits:
    max_bytes: int = 25 * 1024 * 1024
    max_pixels: int = 60_000_000  # our own limit, checked from the header before decoding
    display_px: int = 1600
    thumb_px: int = 320


@dataclass(frozen=True)
class PhotoInfo:
    sha256: str  # hex of the ORIGINAL uploaded bytes
    format: str  # "JPEG", "PNG", "WEBP", "HEIF"
    mime: str
    byte_size: int
    width: int  # of the original, after orientation is applied
    height: int
    taken_at: datetime | None  # tz-aware
    taken_at_has_offset: bool
    gps_lat: float | None
    gps_lon: float | None
    gps_accuracy_m: float | None
    warnings: tuple[str, ...]  # i18n keys


@dataclass(frozen=True)
class StoredPhoto:
    info: PhotoInfo
    display_path: str  # relative to photo_root, posix style: "display/ab/ab12...ef.jpg"
    thumb_path: str  # "thumb/ab/ab12...ef.jpg"
    display_size: tuple[int, int]
    thumb_size: tuple[int, int]
    created: tuple[str, ...]  # relative paths this call actually created


# ----------------------------------------------------------------------------------------------
# i18n keys (messages in habitat/i18n/<lang>/photos.json)

E_EMPTY = "photo.empty"
E_TOO_LARGE = "photo.too_large"
E_NOT_AN_IMAGE = "photo.not_an_image"
E_UNSUPPORTED = "photo.unsupported_format"
E_TOO_MANY_PIXELS = "photo.too_many_pixels"
E_TRUNCATED = "photo.truncated"
E_CORRUPT = "photo.corrupt"
E_ANIMATED = "photo.animated"
E_HEIC_NO_IMAGE = "photo.heic_no_image"
E_SAVE_FAILED = "photo.save_failed"

W_GPS_INVALID = "photo.warn_gps_invalid"
W_DATE_INVALID = "photo.warn_date_invalid"
W_OFFSET_INVALID = "photo.warn_offset_invalid"
W_EXIF_UNREADABLE = "photo.warn_exif_unreadable"
W_TIME_FUTURE = "photo.warn_time_future"
W_TIME_ANCIENT = "photo.warn_time_ancient"
W_TIME_TOO_OLD = "photo.warn_time_too_old"
