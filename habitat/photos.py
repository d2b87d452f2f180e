"""Uploaded photos: validate by content, read EXIF (date, GPS), store a display copy and a thumbnail.

Pure library: no database, no streamlit. Every problem with the *input* becomes a
``PhotoError`` carrying an i18n key (``photo.*``); problems that only cost metadata (bad GPS,
bad date, damaged EXIF) become warning keys in ``PhotoInfo.warnings`` instead.

Pipeline (``ingest_photo``):

1. size checks on the bytes, then ``Image.open`` on a BytesIO (header only) with a restricted
   list of Pillow plugins; the format comes from the content, never from a file name;
2. pixel count checked from the header before anything is decoded (decompression bombs);
3. JPEG: ``draft()`` so libjpeg decodes at 1/2, 1/4 or 1/8 scale, just above the display size;
4. convert to RGB (``to_rgb``: every Pillow mode, 16-bit scaled, transparency flattened on
   white), resize to the display size in the stored orientation, then transpose by the EXIF
   orientation (cheaper on the small image; HEIF is already rotated by libheif), thumbnail from
   the display image; both keep the photo's shape, so a panorama gets a thin thumbnail;
5. JPEG outputs without EXIF/XMP/comments, named by the SHA-256 of the original bytes and
   written atomically (temp file in the same directory + ``os.replace``).

``preview_bytes`` runs the same steps for a page that shows an upload before it is saved, so no
page hands raw upload bytes to Pillow (or to ``st.image``, which re-encodes them with Pillow).
``plausible_taken_at`` decides whether a photo's time may be proposed as the time of a record:
a wrong phone or camera clock (in the future, before 1990) gives a warning key instead.
Animated images (GIF, WebP, APNG) are refused, not cut to their first frame: a frame of an
animation is rarely the photo the volunteer meant. Still containers that hold extra pictures
(MPO from phones, HEIC bursts) give their primary picture.

Thread safety: each call works on its own objects. ``warnings.catch_warnings`` is used so that
Pillow's warnings (decompression bomb, corrupt EXIF) never leak; on Python 3.11 that context
manager touches process-global state, which at worst swallows another thread's warning.
"""

from __future__ import annotations

import hashlib
import io
import logging
import math
import os
import re
import threading
import uuid
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone, tzinfo
from functools import lru_cache
from pathlib import Path, PurePosixPath
from zoneinfo import ZoneInfo

from PIL import Image, ImageOps

from habitat.errors import PhotoError

__all__ = [
    "PhotoInfo",
    "PhotoLimits",
    "StoredPhoto",
    "ingest_photo",
    "inspect_photo",
    "looks_like_image",
    "naive_ingest",
    "plausible_taken_at",
    "preview_bytes",
    "register_heif",
    "remove_created",
    "to_rgb",
]

log = logging.getLogger(__name__)


# ----------------------------------------------------------------------------------------------
# Public data types


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

# ----------------------------------------------------------------------------------------------
# Constants

# Pillow format id -> (our format name, mime). MPO is what Pillow calls a JPEG that carries
# extra pictures (many phones add one): we use its first picture like any JPEG.
_ACCEPTED: dict[str, tuple[str, str]] = {
    "JPEG": ("JPEG", "image/jpeg"),
    "MPO": ("JPEG", "image/jpeg"),
    "PNG": ("PNG", "image/png"),
    "WEBP": ("WEBP", "image/webp"),
    "HEIF": ("HEIF", "image/heif"),
}
# Plugins Image.open may try. Accepted ones plus a few common formats we only identify, to say
# "GIF is not supported" rather than "not an image". Everything else never reaches a parser.
_OPEN_FORMATS = ("JPEG", "PNG", "WEBP", "HEIF", "GIF", "BMP", "TIFF", "AVIF", "ICO", "PPM")
_HEIF_BRANDS = {b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"hevm", b"hevs", b"mif1", b"msf1"}

_MAX_EXIF_BYTES = 1024 * 1024  # real EXIF is < 64 KiB (one JPEG APP1 segment)
_JPEG_QUALITY = 82
_WHITE = (255, 255, 255)

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
PREVIEW_PX = 320
_PREVIEW_QUALITY = 80

_DATE_RE = re.compile(r"(\d{4})[:\-/](\d{2})[:\-/](\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))?")
_OFFSET_RE = re.compile(r"([+-])(\d{2}):?(\d{2})")
# An SVG drawing: optional BOM, then XML declaration, comments or a DOCTYPE, then an <svg> tag.
_SVG_RE = re.compile(
    rb"(?:\xef\xbb\xbf)?\s*(?:<\?xml[^>]*>\s*|<!--.*?-->\s*|<!DOCTYPE[^>]*>\s*)*<svg[\s>]",
    re.IGNORECASE | re.DOTALL,
)


# ----------------------------------------------------------------------------------------------
# HEIF support

_heif_lock = threading.Lock()
_heif_registered = False


def register_heif() -> None:
    """Register pillow-heif's opener with Pillow (idempotent, thread-safe)."""
    global _heif_registered
    if _heif_registered:
        return
    with _heif_lock:
        if not _heif_registered:
            import pillow_heif

            pillow_heif.register_heif_opener()
            _heif_registered = True


# ----------------------------------------------------------------------------------------------
# Public functions


def inspect_photo(
    data: bytes, *, limits: PhotoLimits = PhotoLimits(), default_tz: str = "Asia/Shanghai"
) -> PhotoInfo:
    """Validate ``data`` as a photo and describe it; raises ``PhotoError`` for unusable input.

    The image is decoded (JPEG at 1/8 scale) so truncated or corrupt files are caught here too.
    """
    tz = _zone(default_tz)
    data = _as_bytes(data)
    with _reading(data):
        img, fmt, mime = _open(data, limits)
        try:
            info, _orientation = _describe(img, data, fmt, mime, tz)  # before draft changes size
            _draft(img, fmt, limits.thumb_px)
            _load(img, fmt)
        finally:
            img.close()
    return info


def ingest_photo(
    data: bytes,
    photo_root: Path,
    *,
    limits: PhotoLimits = PhotoLimits(),
    default_tz: str = "Asia/Shanghai",
) -> StoredPhoto:
    """Validate ``data`` and store its display copy and thumbnail under ``photo_root``.

    Files are named by the SHA-256 of ``data``; if both already exist (same upload seen before)
    nothing is decoded or written and ``created`` is empty. On a write failure the files this
    call created are removed and ``PhotoError("photo.save_failed")`` is raised.
    """
    tz = _zone(default_tz)
    data = _as_bytes(data)
    root = Path(photo_root)
    with _reading(data):
        img, fmt, mime = _open(data, limits)
        try:
            info, orientation = _describe(img, data, fmt, mime, tz)  # before draft changes size
            display_rel, thumb_rel = _relative_paths(info.sha256)
            display_size = _existing_size(root / display_rel)
            thumb_size = _existing_size(root / thumb_rel)
            if display_size and thumb_size:
                return StoredPhoto(info, display_rel, thumb_rel, display_size, thumb_size, ())
            _draft(img, fmt, limits.display_px)
            display, thumb, icc = _render(img, fmt, orientation, info, limits)
        finally:
            img.close()

    created: list[str] = []
    try:
        for rel, image, existing in ((display_rel, display, display_size), (thumb_rel, thumb, thumb_size)):
            if not existing and _write_jpeg_once(root / rel, image, icc):
                created.append(rel)
    except OSError as exc:
        log.error("could not store photo %s under %s: %s", info.sha256, root, exc)
        _remove_relative(root, created)
        raise PhotoError(E_SAVE_FAILED) from exc
    return StoredPhoto(
        info=info,
        display_path=display_rel,
        thumb_path=thumb_rel,
        display_size=display_size or display.size,
        thumb_size=thumb_size or thumb.size,
        created=tuple(created),
    )


def remove_created(photo_root: Path, stored: StoredPhoto) -> None:
    """Delete the files ``stored.created`` lists (roll back a failed save); never raises."""
    _remove_relative(Path(photo_root), stored.created)


def preview_bytes(data: bytes, max_px: int = PREVIEW_PX, *, limits: PhotoLimits = PhotoLimits()) -> bytes:
    """A display-safe JPEG of an upload: RGB, upright, at most ``max_px`` on its long edge, no EXIF.

    For pages that show a photo before it is saved: every upload ``ingest_photo`` accepts gets a
    preview (16-bit, CMYK, palette, transparent, HEIC, progressive, panorama, 1x1); anything it
    refuses raises the same ``PhotoError``. JPEGs are decoded at reduced scale, so a 12 MP photo
    takes tens of milliseconds. Nothing is written to disk.
    """
    if max_px < 1:
        raise ValueError("max_px must be at least 1")
    data = _as_bytes(data)
    with _reading(data):
        img, fmt, mime = _open(data, limits)
        try:
            info, orientation = _describe(img, data, fmt, mime, timezone.utc)  # the time is not used
            icc = _rgb_icc(img)
            _draft(img, fmt, max_px)
            _load(img, fmt)
            preview = _rendition(img, orientation, info, max_px)
            if preview is img:
                preview = img.copy()
        finally:
            img.close()
        preview.info = {}  # no comment or EXIF carried into the output
        out = io.BytesIO()
        params: dict[str, object] = {"quality": _PREVIEW_QUALITY}
        if icc:
            params["icc_profile"] = icc
        preview.save(out, "JPEG", **params)
    return out.getvalue()


def looks_like_image(data: bytes) -> bool:
    """True if the bytes start like an image file (JPEG, PNG, WebP, HEIF, SVG, GIF, TIFF): for
    callers that expect something else, e.g. a tally sheet, to say "this is a picture"."""
    head = bytes(data[:16])
    return _sniff(bytes(data[:4096])) is not None or head[:6] in (b"GIF87a", b"GIF89a") or head[:4] in (
        b"II*\x00",
        b"MM\x00*",
    )


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


def to_rgb(img: Image.Image) -> Image.Image:
    """Any Pillow mode as 8-bit RGB that a JPEG can hold; transparency is flattened on white.

    16-bit grey (I;16, I;16B, ...) is divided by 256. 32-bit integer (I) and float (F) images are
    scaled by the values they hold: 0..255 kept, 0..65535 (I) or 0..1 (F) scaled to 0..255,
    anything else stretched to 0..255. The image given is returned when it is already plain RGB.
    """
    mode = img.mode
    if mode.startswith("I;16"):
        return img.convert("I").point(lambda v: v / 256).convert("L").convert("RGB")
    if mode in ("I", "F"):
        return _wide_to_grey(img).convert("RGB")
    if mode in ("LA", "La", "PA", "RGBA", "RGBa") or "transparency" in img.info:
        rgba = (img.convert("LA") if mode == "La" else img).convert("RGBA")
        flat = Image.new("RGB", rgba.size, _WHITE)
        flat.paste(rgba, mask=rgba.getchannel("A"))
        return flat
    if mode == "RGB":
        return img
    return img.convert("RGB")  # 1, L, P, CMYK, YCbCr, LAB, HSV, RGBX


def _wide_to_grey(img: Image.Image) -> Image.Image:
    """A 32-bit integer or float image as 8-bit grey (L), scaled by the range of its values."""
    low, high = img.getextrema()
    if img.mode == "F" and 0 <= low and high <= 1:
        scale, offset = 255.0, 0.0
    elif 0 <= low and high <= 255:
        scale, offset = 1.0, 0.0
    elif img.mode == "I" and 0 <= low and high <= 65535:
        scale, offset = 1 / 256, 0.0
    else:
        scale = 255.0 / (high - low) if high > low else 0.0
        offset = -low * scale
    return img.point(lambda v: v * scale + offset).convert("L")


def naive_ingest(data: bytes, out_dir: Path) -> None:
    """Reference implementation for benchmarks: full decode, exif_transpose, two LANCZOS resizes.

    Writes the same layout as ``ingest_photo`` (display/<xx>/<sha>.jpg, thumb/<xx>/<sha>.jpg).
    No validation beyond what Pillow does; not for production use.
    """
    register_heif()
    limits = PhotoLimits()
    sha = hashlib.sha256(data).hexdigest()
    img = Image.open(io.BytesIO(data))
    img.load()
    img = ImageOps.exif_transpose(img).convert("RGB")
    display_rel, thumb_rel = _relative_paths(sha)
    for rel, edge in ((display_rel, limits.display_px), (thumb_rel, limits.thumb_px)):
        out = img.resize(_fit(*img.size, edge), Image.Resampling.LANCZOS)
        target = Path(out_dir) / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        out.save(target, "JPEG", quality=_JPEG_QUALITY)


# ----------------------------------------------------------------------------------------------
# Opening and validation


@contextmanager
def _quiet() -> Iterator[list[warnings.WarningMessage]]:
    """Record (and so swallow) every warning raised inside, e.g. DecompressionBombWarning."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        yield caught


@contextmanager
def _reading(data: bytes) -> Iterator[None]:
    """``_quiet`` for reading ``data``; a damaged file whose end is missing is called truncated.

    Where a cut lands decides what the decoder says (a PNG cut inside a chunk header reads as
    "broken"); the missing end marker says more reliably that the upload was cut off.
    """
    with _quiet():
        try:
            yield
        except PhotoError as err:
            if err.key == E_CORRUPT and _cut_off(data):
                raise PhotoError(E_TRUNCATED) from None
            raise


def _cut_off(data: bytes) -> bool:
    kind = _sniff(data)
    if kind == "JPEG":
        return b"\xff\xd9" not in data[-4096:]
    if kind == "PNG":
        return b"IEND" not in data[-64:]
    return False


def _as_bytes(data: bytes) -> bytes:
    if isinstance(data, bytes):
        return data
    if isinstance(data, (bytearray, memoryview)):
        return bytes(data)
    raise TypeError(f"photo data must be bytes, not {type(data).__name__}")


@lru_cache(maxsize=16)
def _zone(name: str) -> tzinfo:
    return ZoneInfo(name)  # a wrong name is a programming error: let it raise


def _number(value: float) -> float | int:
    """12.0 -> 12, 12.345 -> 12.3 (for message parameters)."""
    rounded = round(value, 1)
    return int(rounded) if rounded == int(rounded) else rounded


def _too_many_pixels(pixels: int, limits: PhotoLimits) -> PhotoError:
    return PhotoError(E_TOO_MANY_PIXELS, mp=_number(pixels / 1e6), limit_mp=_number(limits.max_pixels / 1e6))


def _sniff(data: bytes) -> str | None:
    """Magic-number guess, only used to pick a better message when Pillow gives up."""
    if data[:3] == b"\xff\xd8\xff":
        return "JPEG"
    if data[:8] == b"\x89PNG\r\n\x1a\n":
        return "PNG"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "WEBP"
    if data[4:8] == b"ftyp" and data[8:12] in _HEIF_BRANDS:
        return "HEIF"
    if _SVG_RE.match(data[:4096]):
        return "SVG"
    return None


def _open(data: bytes, limits: PhotoLimits) -> tuple[Image.Image, str, str]:
    """Open (header only) and run every check that needs no decoding. Caller closes the image."""
    if not data:
        raise PhotoError(E_EMPTY)
    if len(data) > limits.max_bytes:
        raise PhotoError(
            E_TOO_LARGE, mb=_number(len(data) / 1048576), limit_mb=_number(limits.max_bytes / 1048576)
        )
    register_heif()
    Image.init()
    formats = [f for f in _OPEN_FORMATS if f in Image.OPEN]
    try:
        img = Image.open(io.BytesIO(data), formats=formats)
    except Image.DecompressionBombError as exc:
        match = re.search(r"\((\d+) pixels\)", str(exc))
        raise _too_many_pixels(int(match.group(1)) if match else limits.max_pixels + 1, limits) from None
    except Exception as exc:  # noqa: BLE001 - UnidentifiedImageError, OSError, SyntaxError, struct.error...
        sniffed = _sniff(data)
        if sniffed == "SVG":
            raise PhotoError(E_UNSUPPORTED, format="SVG") from None
        if sniffed == "HEIF":
            raise PhotoError(E_HEIC_NO_IMAGE) from None
        if sniffed is not None:
            raise _decode_error(exc) from None
        raise PhotoError(E_NOT_AN_IMAGE) from None

    try:
        width, height = img.size
        if width <= 0 or height <= 0:
            raise PhotoError(E_CORRUPT)
        if width * height > limits.max_pixels:
            raise _too_many_pixels(width * height, limits)
        pil_format = img.format or ""
        if pil_format in ("GIF", "PNG", "WEBP") and _is_animated(img):
            raise PhotoError(E_ANIMATED)
        if pil_format not in _ACCEPTED:
            raise PhotoError(E_UNSUPPORTED, format=pil_format or "?")
        fmt, mime = _ACCEPTED[pil_format]
        if fmt == "HEIF":
            custom = img.get_format_mimetype() or ""
            mime = custom if custom.startswith("image/hei") else mime
        return img, fmt, mime
    except PhotoError:
        img.close()
        raise
    except Exception as exc:  # noqa: BLE001 - hostile input: map everything
        img.close()
        raise _decode_error(exc) from None


def _is_animated(img: Image.Image) -> bool:
    if getattr(img, "is_animated", False):
        return True
    return getattr(img, "n_frames", 1) > 1


def _decode_error(exc: BaseException) -> PhotoError:
    text = str(exc).lower()
    if isinstance(exc, EOFError) or "truncated" in text or "end of file" in text:
        return PhotoError(E_TRUNCATED)
    return PhotoError(E_CORRUPT)


def _draft(img: Image.Image, fmt: str, long_edge: int) -> None:
    """JPEG only: let libjpeg decode at the smallest 1/n scale still >= ``long_edge``.

    The scale factor is the same for both axes, so it does not matter whether the EXIF
    orientation swaps width and height: the requested box is in *stored* pixel coordinates.
    """
    if fmt != "JPEG":
        return
    width, height = img.size
    longest = max(width, height)
    if longest <= long_edge:
        return
    factor = long_edge / longest
    try:
        img.draft("RGB", (max(1, math.ceil(width * factor)), max(1, math.ceil(height * factor))))
    except Exception:  # pragma: no cover - draft is an optimisation only
        log.debug("JPEG draft failed; decoding at full size", exc_info=True)


def _load(img: Image.Image, fmt: str) -> None:
    try:
        img.load()
    except Image.DecompressionBombError:  # pragma: no cover - checked from the header already
        raise PhotoError(E_TOO_MANY_PIXELS, mp="?", limit_mp="?") from None
    except Exception as exc:  # noqa: BLE001 - hostile input: map everything
        raise _decode_error(exc) from None


# ----------------------------------------------------------------------------------------------
# EXIF: orientation, date, GPS


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


# ----------------------------------------------------------------------------------------------
# Rendering and storage


def _fit(width: int, height: int, long_edge: int) -> tuple[int, int]:
    """Size fitting inside ``long_edge`` (never upscales)."""
    longest = max(width, height)
    if longest <= long_edge:
        return width, height
    scale = long_edge / longest
    return max(1, round(width * scale)), max(1, round(height * scale))


def _render(
    img: Image.Image, fmt: str, orientation: int, info: PhotoInfo, limits: PhotoLimits
) -> tuple[Image.Image, Image.Image, bytes | None]:
    """Decode (at draft scale), convert, resize, orient: (display, thumbnail, RGB ICC profile)."""
    icc = _rgb_icc(img)
    _load(img, fmt)
    try:
        display = _rendition(img, orientation, info, limits.display_px)
        thumb_size = _fit(info.width, info.height, limits.thumb_px)
        if display.size != thumb_size:
            thumb = display.resize(thumb_size, Image.Resampling.BICUBIC, reducing_gap=2.0)
        else:
            thumb = display.copy()
    except PhotoError:
        raise
    except Exception as exc:  # noqa: BLE001 - hostile input: map everything
        raise _decode_error(exc) from None
    if display is img:
        display = img.copy()
    display.info = {}  # Pillow would otherwise copy e.g. a JPEG comment into the output
    thumb.info = {}
    return display, thumb, icc


def _rgb_icc(img: Image.Image) -> bytes | None:
    """The image's colour profile if it is an RGB one (e.g. Display P3 from phones), so colours
    stay right; CMYK/grey profiles would not match the RGB output and are dropped."""
    icc = img.info.get("icc_profile")
    return icc if isinstance(icc, bytes) and icc[16:20] == b"RGB " else None


def _rendition(img: Image.Image, orientation: int, info: PhotoInfo, long_edge: int) -> Image.Image:
    """The loaded image as upright RGB fitting ``long_edge`` (same shape as the photo).

    Hostile input that only fails here becomes a PhotoError like any other decoding problem.
    """
    try:
        rgb = to_rgb(img)
        size = _fit(info.width, info.height, long_edge)
        stored_size = size[::-1] if orientation in _SWAPS_AXES else size
        if rgb.size != stored_size:
            # HAMMING: as fast as BILINEAR (support 1), sharper; after draft the factor is < 2.
            rgb = rgb.resize(stored_size, Image.Resampling.HAMMING, reducing_gap=2.0)
        return rgb.transpose(_TRANSPOSE[orientation]) if orientation in _TRANSPOSE else rgb
    except PhotoError:
        raise
    except Exception as exc:  # noqa: BLE001 - hostile input: map everything
        raise _decode_error(exc) from None


def _relative_paths(sha: str) -> tuple[str, str]:
    return f"display/{sha[:2]}/{sha}.jpg", f"thumb/{sha[:2]}/{sha}.jpg"


def _existing_size(path: Path) -> tuple[int, int] | None:
    """Size of an already stored output, or None if it is missing or unreadable."""
    if not path.is_file():
        return None
    try:
        with Image.open(path, formats=["JPEG"]) as existing:
            return existing.size
    except Exception:  # noqa: BLE001 - any damage means: write it again
        log.warning("stored photo %s is unreadable; writing it again", path)
        return None


def _write_jpeg_once(target: Path, image: Image.Image, icc: bytes | None) -> bool:
    """Write ``image`` to ``target`` atomically; True if this call created the file.

    A file that appeared meanwhile (same content hash, so the same picture) is kept; a file
    that existed but was unreadable is replaced and not reported as created.
    """
    existed = target.exists()
    if existed and _existing_size(target):
        return False
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.{uuid.uuid4().hex}.tmp")
    params: dict[str, object] = {"quality": _JPEG_QUALITY, "optimize": False, "progressive": False}
    if icc:
        params["icc_profile"] = icc
    try:
        with open(tmp, "xb") as fh:
            image.save(fh, "JPEG", **params)
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return not existed


def _remove_relative(root: Path, relatives: tuple[str, ...] | list[str]) -> None:
    for rel in relatives:
        pure = PurePosixPath(rel)
        if pure.is_absolute() or ".." in pure.parts or not pure.parts:
            log.warning("refusing to remove suspicious photo path %r", rel)
            continue
        try:
            (root / pure).unlink(missing_ok=True)
        except OSError as exc:
            log.warning("could not remove %s: %s", root / pure, exc)
