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

Modules: model (data types and message keys), decode (opening and checks), exif (orientation,
time, GPS), render (renditions and previews), store (inspect, ingest, storage).
"""

from __future__ import annotations

from habitat.photos.decode import looks_like_image, register_heif
from habitat.photos.exif import CLOCK_SKEW as CLOCK_SKEW
from habitat.photos.exif import EARLIEST_PLAUSIBLE as EARLIEST_PLAUSIBLE
from habitat.photos.exif import plausible_taken_at
from habitat.photos.model import PhotoInfo, PhotoLimits, StoredPhoto

# The message keys, as before the split (habitat.photos.E_EMPTY ...)
from habitat.photos.model import (
    E_EMPTY as E_EMPTY,
    E_TOO_LARGE as E_TOO_LARGE,
    E_NOT_AN_IMAGE as E_NOT_AN_IMAGE,
    E_UNSUPPORTED as E_UNSUPPORTED,
    E_TOO_MANY_PIXELS as E_TOO_MANY_PIXELS,
    E_TRUNCATED as E_TRUNCATED,
    E_CORRUPT as E_CORRUPT,
    E_ANIMATED as E_ANIMATED,
    E_HEIC_NO_IMAGE as E_HEIC_NO_IMAGE,
    E_SAVE_FAILED as E_SAVE_FAILED,
    W_GPS_INVALID as W_GPS_INVALID,
    W_DATE_INVALID as W_DATE_INVALID,
    W_OFFSET_INVALID as W_OFFSET_INVALID,
    W_EXIF_UNREADABLE as W_EXIF_UNREADABLE,
    W_TIME_FUTURE as W_TIME_FUTURE,
    W_TIME_ANCIENT as W_TIME_ANCIENT,
    W_TIME_TOO_OLD as W_TIME_TOO_OLD,
)
from habitat.photos.render import _fit as _fit
from habitat.photos.render import PREVIEW_PX as PREVIEW_PX
from habitat.photos.render import preview_bytes, to_rgb
from habitat.photos.store import ingest_photo, inspect_photo, naive_ingest, remove_created

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
