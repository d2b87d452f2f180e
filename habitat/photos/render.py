"""Renditions: any Pillow mode as RGB, upright and fitted to a size (display copy, thumbnail,
page preview)."""

from __future__ import annotations

import io
from datetime import timezone

from PIL import Image

from habitat.errors import PhotoError
from habitat.photos.decode import _as_bytes, _decode_error, _draft, _load, _open, _reading
from habitat.photos.exif import _SWAPS_AXES, _TRANSPOSE, _describe
from habitat.photos.model import PhotoInfo, PhotoLimits

_JPEG_QUALITY = 82
_WHITE = (255, 255, 255)

PREVIEW_PX = 320
_PREVIEW_QUALITY = 80


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
