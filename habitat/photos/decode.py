"""Opening an upload by its content: size and pixel limits, format sniffing, HEIF, animation,
and mapping every decoder failure on hostile input to a ``PhotoError``."""

from __future__ import annotations

import io
import logging
import math
import re
import threading
import warnings
from collections.abc import Iterator
from contextlib import contextmanager

from PIL import Image

from habitat.errors import PhotoError
from habitat.photos.model import (
    E_ANIMATED,
    E_CORRUPT,
    E_EMPTY,
    E_HEIC_NO_IMAGE,
    E_NOT_AN_IMAGE,
    E_TOO_LARGE,
    E_TOO_MANY_PIXELS,
    E_TRUNCATED,
    E_UNSUPPORTED,
    PhotoLimits,
)

log = logging.getLogger("habitat.photos")  # one logger for the package, named as before the split

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

# An SVG drawing: optional BOM, then XML declaration, comments or a DOCTYPE, then an <svg> tag.
_SVG_RE = re.compile(
    rb"(?:\xef\xbb\xbf)?\s*(?:<\?xml[^>]*>\s*|<!--.*?-->\s*|<!DOCTYPE[^>]*>\s*)*<svg[\s>]",
    re.IGNORECASE | re.DOTALL,
)

_heif_lock = threading.Lock()
_heif_registered = False


def register_heif() -> None:
    """Register pillow-heif's opener with Pillow (idempotent, thread-safe)."""
    global _heif_registered
    if _heif_registered:
        return
    with _heif_lock:
        if not _heif_registered:
            import pillow_heif  # on first decode only: loading libheif would slow every import

            pillow_heif.register_heif_opener()
            _heif_registered = True


def looks_like_image(data: bytes) -> bool:
    """True if the bytes start like an image file (JPEG, PNG, WebP, HEIF, SVG, GIF, TIFF): for
    callers that expect something else, e.g. a tally sheet, to say "this is a picture"."""
    head = bytes(data[:16])
    return (
        _sniff(bytes(data[:4096])) is not None
        or head[:6] in (b"GIF87a", b"GIF89a")
        or head[:4]
        in (
            b"II*\x00",
            b"MM\x00*",
        )
    )


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
