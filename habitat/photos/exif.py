"""What a photo says about itself: EXIF orientation, the time it was taken, GPS position and
accuracy; damaged metadata becomes a warning key, never an error."""

from __future__ import annotations

import hashlib
import math
import re
import warnings
from datetime import datetime, timedelta, timezone, tzinfo
from functools import lru_cache
from zoneinfo import ZoneInfo

from PIL import Image

from habitat.photos.decode import _load
from habitat.photos.model import (
    W_DATE_INVALID,
    W_EXIF_UNREADABLE,
    W_GPS_INVALID,
    W_OFFSET_INVALID,
    W_TIME_ANCIENT,
    W_TIME_FUTURE,
    W_TIME_TOO_OLD,
    PhotoInfo,
)

_MAX_EXIF_BYTES = 1024 * 1024  # real EXIF is < 64 KiB (one JPEG APP1 segment)

_TAG_ORIENTATION = 0x0112
_TAG_DATETIME = 0x0132
_IFD_EXIF = 0x8769
_IFD_GPS = 0x8825
_TAG_DATETIME_ORIGINAL = 0x9003
_TAG_OFFSET_TIME = 0x9010
_TAG_OFFSET_TIME_ORIGINAL = 0x9011
_TAG_SUBSEC_ORIGINAL = 0x9291
_GPS_LAT_REF, _GPS_LAT, _GPS_LON_REF, _GPS_LON = 1, 2, 3, 4
_GPS_H_POSITIONING_ERROR = 31

_TRANSPOSE = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}
_SWAPS_AXES = {5, 6, 7, 8}

# A photo time before this comes from a camera clock that was never set (1900, 1980, year 1):
# the app has no use for scans of old slides, so such a time is a wrong clock.
EARLIEST_PLAUSIBLE = datetime(1990, 1, 1, tzinfo=timezone.utc)
CLOCK_SKEW = timedelta(minutes=10)  # a phone clock a little ahead is not "the future"

_DATE_RE = re.compile(r"(\d{4})[:\-/](\d{2})[:\-/](\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))?")
_OFFSET_RE = re.compile(r"([+-])(\d{2}):?(\d{2})")


def plausible_taken_at(
    taken_at: datetime | None,
    now: datetime,
    *,
    oldest: datetime | None = None,
    skew: timedelta = CLOCK_SKEW,
) -> tuple[datetime | None, str | None]:
    """(time to propose for a record, warning key): a photo time only if the clock looks right.

    A time more than ``skew`` ahead of ``now`` is a wrong clock (tomorrow, 2099):
    ``photo.warn_time_future``; a time up to ``skew`` ahead counts as ``now``, so the proposal is
    never in the future. Before 1990 (a clock never set, 1900, year 1): ``photo.warn_time_ancient``.
    Older than ``oldest`` (the oldest time a record may have): ``photo.warn_time_too_old``.
    """
    if taken_at is None:
        return None, None
    if taken_at > now + skew:
        return None, W_TIME_FUTURE
    if taken_at < EARLIEST_PLAUSIBLE:
        return None, W_TIME_ANCIENT
    if oldest is not None and taken_at < oldest:
        return None, W_TIME_TOO_OLD
    return min(taken_at, now), None


@lru_cache(maxsize=16)
def _zone(name: str) -> tzinfo:
    return ZoneInfo(name)  # a wrong name is a programming error: let it raise


def _describe(img: Image.Image, data: bytes, fmt: str, mime: str, tz: tzinfo) -> tuple[PhotoInfo, int]:
    notes: dict[str, None] = {}  # ordered set of warning keys
    if fmt == "PNG" and "exif" not in img.info:
        _load(img, fmt)  # a PNG may keep its eXIf chunk after the image data
    exif = _read_exif(img, notes)

    orientation = 1
    taken_at, has_offset = None, False
    lat = lon = accuracy = None
    if exif is not None:
        if fmt != "HEIF":  # libheif already applied the rotation (and reset the tag to 1)
            orientation = _orientation(exif)
        taken_at, has_offset = _taken_at(exif, tz, notes)
        lat, lon, accuracy = _gps(exif, notes)

    width, height = img.size
    if orientation in _SWAPS_AXES:
        width, height = height, width
    info = PhotoInfo(
        sha256=hashlib.sha256(data).hexdigest(),
        format=fmt,
        mime=mime,
        byte_size=len(data),
        width=width,
        height=height,
        taken_at=taken_at,
        taken_at_has_offset=has_offset,
        gps_lat=lat,
        gps_lon=lon,
        gps_accuracy_m=accuracy,
        warnings=tuple(notes),
    )
    return info, orientation


def _read_exif(img: Image.Image, notes: dict[str, None]) -> Image.Exif | None:
    raw = img.info.get("exif")
    if not raw:
        return None
    if not isinstance(raw, (bytes, bytearray)) or len(raw) > _MAX_EXIF_BYTES:
        notes[W_EXIF_UNREADABLE] = None
        return None
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            exif = Image.Exif()
            exif.load(bytes(raw))
            # Parse the sub-IFDs now, so damage shows up here and not later.
            exif.get_ifd(_IFD_EXIF)
            exif.get_ifd(_IFD_GPS)
        except Exception:  # noqa: BLE001 - hostile input: map everything
            notes[W_EXIF_UNREADABLE] = None
            return None
    if caught:
        notes[W_EXIF_UNREADABLE] = None
    return exif


def _orientation(exif: Image.Exif) -> int:
    try:
        value = exif.get(_TAG_ORIENTATION, 1)
        if isinstance(value, (tuple, list)):
            value = value[0] if value else 1
        value = int(value)
    except Exception:  # noqa: BLE001 - hostile input: map everything
        return 1
    return value if value in _TRANSPOSE or value == 1 else 1


def _text(value: object) -> str | None:
    """EXIF ASCII value as a stripped str ('' if blank); None if it is not text at all."""
    if isinstance(value, bytes):
        value = value.decode("ascii", "replace")
    if not isinstance(value, str):
        return None
    return value.replace("\x00", " ").strip()


def _taken_at(exif: Image.Exif, tz: tzinfo, notes: dict[str, None]) -> tuple[datetime | None, bool]:
    try:
        sub = exif.get_ifd(_IFD_EXIF)
    except Exception:  # noqa: BLE001 - hostile input: map everything
        notes[W_EXIF_UNREADABLE] = None
        sub = {}
    original = sub.get(_TAG_DATETIME_ORIGINAL)
    if original is not None:
        raw_date = original
        raw_offset = sub.get(_TAG_OFFSET_TIME_ORIGINAL)
        if raw_offset is None:
            raw_offset = sub.get(_TAG_OFFSET_TIME)
        subsec = sub.get(_TAG_SUBSEC_ORIGINAL)
    else:
        raw_date = exif.get(_TAG_DATETIME)
        raw_offset = sub.get(_TAG_OFFSET_TIME)
        subsec = None
    if raw_date is None:
        return None, False

    text = _text(raw_date)
    if text is not None and text.strip(" :0") == "":
        return None, False  # EXIF's way of saying "unknown": all blanks or zeros
    naive = _parse_naive_datetime(text, _text(subsec)) if text is not None else None
    if naive is None:
        notes[W_DATE_INVALID] = None
        return None, False

    offset_text = _text(raw_offset) if raw_offset is not None else None
    if offset_text:
        offset = _parse_offset(offset_text)
        if offset is not None:
            return naive.replace(tzinfo=offset), True
        notes[W_OFFSET_INVALID] = None
    elif raw_offset is not None and offset_text is None:
        notes[W_OFFSET_INVALID] = None
    return naive.replace(tzinfo=tz), False


def _parse_naive_datetime(text: str, subsec: str | None) -> datetime | None:
    match = _DATE_RE.fullmatch(text)
    if not match:
        return None
    year, month, day, hour, minute, second = (int(g) for g in match.groups()[:6])
    fraction = match.group(7) or (subsec if subsec and subsec.isdigit() else "")
    micro = int((fraction + "000000")[:6]) if fraction else 0
    try:
        return datetime(year, month, day, hour, minute, second, micro)
    except ValueError:
        return None


def _parse_offset(text: str) -> timezone | None:
    match = _OFFSET_RE.fullmatch(text)
    if not match:
        return None
    sign, hours, minutes = match.group(1), int(match.group(2)), int(match.group(3))
    if hours > 14 or minutes >= 60:
        return None
    delta = timedelta(hours=hours, minutes=minutes)
    return timezone(-delta if sign == "-" else delta)


class _BadGps(Exception):
    pass


def _gps(exif: Image.Exif, notes: dict[str, None]) -> tuple[float | None, float | None, float | None]:
    try:
        gps = exif.get_ifd(_IFD_GPS)
    except Exception:  # noqa: BLE001 - hostile input: map everything
        notes[W_EXIF_UNREADABLE] = None
        return None, None, None
    if not gps or (gps.get(_GPS_LAT) is None and gps.get(_GPS_LON) is None):
        return None, None, None
    try:
        lat = _coordinate(gps.get(_GPS_LAT), gps.get(_GPS_LAT_REF), "N", "S", 90.0)
        lon = _coordinate(gps.get(_GPS_LON), gps.get(_GPS_LON_REF), "E", "W", 180.0)
        if lat == 0.0 and lon == 0.0:
            raise _BadGps("0,0 is what receivers write without a fix")
    except _BadGps:
        notes[W_GPS_INVALID] = None
        return None, None, None
    except Exception:  # noqa: BLE001 - anything else odd in the values
        notes[W_GPS_INVALID] = None
        return None, None, None
    accuracy = None
    try:
        raw = gps.get(_GPS_H_POSITIONING_ERROR)
        if raw is not None:
            value = float(raw[0] if isinstance(raw, (tuple, list)) else raw)
            accuracy = value if math.isfinite(value) and value >= 0 else None
    except Exception:  # noqa: BLE001 - hostile input: map everything
        accuracy = None
    return lat, lon, accuracy


def _coordinate(raw: object, ref: object, positive: str, negative: str, limit: float) -> float:
    if raw is None:
        raise _BadGps("missing coordinate")
    parts = list(raw) if isinstance(raw, (tuple, list)) else [raw]
    if not 1 <= len(parts) <= 3:
        raise _BadGps("wrong number of parts")
    values = [float(p) for p in parts] + [0.0] * (3 - len(parts))  # 0/0 rationals become NaN
    degrees, minutes, seconds = values
    if not all(math.isfinite(v) for v in values):
        raise _BadGps("not finite")
    if minutes < 0 or seconds < 0 or minutes >= 60 or seconds >= 60:
        raise _BadGps("minutes/seconds out of range")
    value = abs(degrees) + minutes / 60.0 + seconds / 3600.0
    if value > limit:
        raise _BadGps("out of range")
    ref_text = _text(ref) if ref is not None else ""
    if ref_text is None:
        raise _BadGps("reference is not text")
    ref_text = ref_text.upper()
    if ref_text not in ("", positive, negative):
        raise _BadGps("unknown reference")
    return -value if (ref_text == negative or degrees < 0) else value
