"""Drawn 'photos' for the demo: small, all different, and as varied as what phones really send.

Each picture is drawn with Pillow (a background of leaves, a creature-like shape, a caption with
the record number), so no two share a content hash and duplicate detection never trips. Most are
800x600 JPEGs with the EXIF a phone writes (time taken with its offset); a few are the odd but valid
files the app must cope with: a portrait whose pixels are stored sideways with an EXIF orientation,
a PNG screenshot, a photo with GPS, a night camera-trap frame, a blurred one, and one forwarded
through a chat app with its EXIF stripped. Nothing here touches the database.
"""

from __future__ import annotations

import io
import math
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import Sequence

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont, TiffImagePlugin

from habitat import photos as photo_lib
from habitat.clock import SHANGHAI

SIZE = (800, 600)

GROUP_COLOURS = {
    "bird": ((135, 170, 200), (90, 70, 50)),
    "butterfly": ((120, 170, 90), (245, 245, 235)),
    "moth": ((110, 120, 90), (150, 120, 90)),
    "dragonfly": ((90, 140, 170), (200, 60, 40)),
    "damselfly": ((90, 140, 170), (60, 90, 200)),
    "bee": ((220, 200, 90), (60, 40, 20)),
    "insect": ((120, 160, 80), (180, 40, 30)),
    "amphibian": ((80, 110, 70), (110, 140, 70)),
    "reptile": ((150, 130, 100), (90, 120, 60)),
    "mammal": ((70, 80, 60), (130, 110, 90)),
    "plant": ((110, 160, 80), (240, 200, 60)),
    "scene": ((120, 150, 100), (150, 110, 70)),
}

_TAG_ORIENTATION = 0x0112
_TAG_MAKE, _TAG_MODEL = 0x010F, 0x0110
_IFD_EXIF, _IFD_GPS = 0x8769, 0x8825
_TAG_DATETIME_ORIGINAL, _TAG_OFFSET_TIME_ORIGINAL = 0x9003, 0x9011
_GPS_LAT_REF, _GPS_LAT, _GPS_LON_REF, _GPS_LON, _GPS_H_ERROR = 1, 2, 3, 4, 31


@dataclass(frozen=True)
class DemoPhoto:
    """What to draw and how to encode it."""

    group: str
    label: str  # the caption (a scientific name, or what the picture shows)
    seed: int  # different seeds give different pictures (and hashes)
    taken: datetime | None = None  # written as EXIF DateTimeOriginal with its offset
    gps: tuple[float, float] | None = None  # (lat, lon) written as EXIF GPS
    kind: str = "jpeg"  # jpeg, portrait (stored sideways + EXIF orientation 6), png, stripped (no EXIF)
    look: str = "day"  # day, night (camera trap), blurred (out of focus)
    name: str | None = None  # the file name as uploaded

    @property
    def file_name(self) -> str:
        if self.name:
            return self.name
        return f"IMG_{self.seed:05d}.png" if self.kind == "png" else f"IMG_{self.seed:05d}.jpg"


def encode(photo: DemoPhoto) -> bytes:
    """The file bytes of one demo photo."""
    size = SIZE[::-1] if photo.kind == "portrait" else SIZE
    img = _draw(photo.group, photo.label, photo.seed, size, photo.look)
    out = io.BytesIO()
    if photo.kind == "png":
        img.save(out, "PNG", compress_level=1)
        return out.getvalue()
    exif = None if photo.kind == "stripped" else _exif(photo)
    if photo.kind == "portrait":
        # a phone held upright stores the sensor's landscape pixels and says "turn me" in EXIF
        img = img.transpose(Image.Transpose.ROTATE_90)
        exif[_TAG_ORIENTATION] = 6
    img.save(out, "JPEG", quality=80, **({"exif": exif.tobytes()} if exif is not None else {}))
    return out.getvalue()


def ingest_all(
    items: Sequence[DemoPhoto], photo_root: Path, *, workers: int = 2
) -> list[tuple[bytes, photo_lib.StoredPhoto]]:
    """Draw, encode and store many photos (Pillow releases the GIL, so two threads nearly halve the time)."""

    def one(photo: DemoPhoto) -> tuple[bytes, photo_lib.StoredPhoto]:
        data = encode(photo)
        return data, photo_lib.ingest_photo(data, photo_root)

    if len(items) < 8 or workers <= 1:
        return [one(p) for p in items]
    with ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(one, items))


# ------------------------------------------------------------------------------------------ drawing


@lru_cache(maxsize=1)
def _font() -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    return ImageFont.load_default(size=30)


def _background(colour: tuple[int, int, int], size: tuple[int, int], rng: np.random.Generator) -> Image.Image:
    """Leaves and grass: soft-edged blobs in shades of the ground colour (no filter pass: it is fast)."""
    w, h = size
    img = Image.new("RGB", size, colour)
    draw = ImageDraw.Draw(img)
    for _ in range(40):
        x, y = int(rng.integers(-40, w)), int(rng.integers(-40, h))
        shade = float(rng.uniform(0.7, 1.2))
        rx, ry = int(rng.integers(30, 130)), int(rng.integers(15, 60))
        for ring, fade in ((0, 0.5), (6, 1.0)):  # a lighter rim, then the leaf: reads as out of focus
            tone = tuple(min(255, int(c * (1 + (shade - 1) * fade))) for c in colour)
            draw.ellipse((x + ring, y + ring, x + rx - ring, y + ry - ring), fill=tone)
    return img


def _draw(group: str, label: str, seed: int, size: tuple[int, int], look: str) -> Image.Image:
    rng = np.random.default_rng(seed)
    bg, fg = GROUP_COLOURS.get(group, GROUP_COLOURS["scene"])
    fg = tuple(min(255, max(0, int(c + rng.integers(-25, 25)))) for c in fg)
    img = _background(bg, size, rng)
    draw = ImageDraw.Draw(img)
    w, h = size
    cx, cy = w // 2 + int(rng.integers(-w // 8, w // 8)), int(h * 0.45) + int(rng.integers(-h // 12, h // 12))
    k = rng.uniform(0.8, 1.2) * min(w, h) / 600
    if group in ("butterfly", "moth"):
        for dx in (-1, 1):
            draw.ellipse(_box(cx + dx * (10 + 55 * k), cy - 35 * k, 55 * k, 55 * k), fill=fg)
            draw.ellipse(_box(cx + dx * (10 + 40 * k), cy + 45 * k, 40 * k, 40 * k), fill=fg)
            draw.ellipse(_box(cx + dx * (10 + 60 * k), cy - 45 * k, 12 * k, 12 * k), fill=(30, 30, 30))
        draw.rectangle((cx - 6 * k, cy - 80 * k, cx + 6 * k, cy + 80 * k), fill=(40, 30, 20))
    elif group in ("dragonfly", "damselfly"):
        draw.rectangle((cx - 150 * k, cy - 5 * k, cx + 90 * k, cy + 5 * k), fill=fg)
        for dy in (-1, 1):
            draw.ellipse(_box(cx + 40 * k, cy + dy * 40 * k, 25 * k, 45 * k), fill=(220, 230, 235))
    elif group == "plant":
        petals = int(rng.integers(5, 9))
        for n in range(petals):
            a = n * 2 * math.pi / petals
            draw.ellipse(_box(cx + 60 * k * math.cos(a), cy + 60 * k * math.sin(a), 35 * k, 35 * k), fill=fg)
        draw.ellipse(_box(cx, cy, 30 * k, 30 * k), fill=(200, 120, 30))
        draw.rectangle((cx - 4 * k, cy + 30 * k, cx + 4 * k, h), fill=(60, 110, 50))
    elif group == "scene":  # a problem, an idea, a question about a plant: a bed with stakes
        for n in range(5):
            x = int(w * (0.12 + 0.18 * n) + rng.integers(-15, 15))
            draw.rectangle((x, int(h * 0.45), x + int(18 * k), int(h * 0.85)), fill=fg)
        draw.rectangle((0, int(h * 0.82), w, int(h * 0.9)), fill=(110, 90, 60))
    else:  # a body, a head and an eye
        draw.ellipse(_box(cx, cy, 120 * k, 70 * k), fill=fg)
        draw.ellipse(_box(cx + 130 * k, cy - 70 * k, 40 * k, 40 * k), fill=fg)
        draw.ellipse(_box(cx + 142 * k, cy - 78 * k, 8 * k, 8 * k), fill=(10, 10, 10))
    if look == "night":
        img = img.convert("L").convert("RGB")
        draw = ImageDraw.Draw(img)
        for eye in (-1, 1):  # eyeshine in the infrared flash
            draw.ellipse(_box(cx + 142 * k + eye * 14 * k, cy - 78 * k, 6 * k, 6 * k), fill=(250, 250, 250))
    elif look == "blurred":
        img = img.resize((w // 8, h // 8), Image.Resampling.BILINEAR).filter(ImageFilter.BoxBlur(1))
        img = img.resize((w, h), Image.Resampling.BILINEAR)
        draw = ImageDraw.Draw(img)
    bar = int(h * 0.09)
    draw.rectangle((0, h - bar, w, h), fill=(0, 0, 0))
    draw.text(
        (14, h - bar + (bar - 30) // 2), f"demo · {label} · #{seed}", fill=(255, 255, 255), font=_font()
    )
    return img


def _box(x: float, y: float, rx: float, ry: float) -> tuple[int, int, int, int]:
    return int(x - rx), int(y - ry), int(x + rx), int(y + ry)


# --------------------------------------------------------------------------------------------- EXIF


def _exif(photo: DemoPhoto) -> Image.Exif:
    exif = Image.Exif()
    exif[_TAG_MAKE], exif[_TAG_MODEL] = "Demo", "Garden Phone"
    if photo.taken is not None:
        local = photo.taken.astimezone(SHANGHAI)
        sub = exif.get_ifd(_IFD_EXIF)
        sub[_TAG_DATETIME_ORIGINAL] = local.strftime("%Y:%m:%d %H:%M:%S")
        sub[_TAG_OFFSET_TIME_ORIGINAL] = "+08:00"
    if photo.gps is not None:
        lat, lon = photo.gps
        gps = exif.get_ifd(_IFD_GPS)
        gps[_GPS_LAT_REF], gps[_GPS_LAT] = ("N" if lat >= 0 else "S"), _dms(lat)
        gps[_GPS_LON_REF], gps[_GPS_LON] = ("E" if lon >= 0 else "W"), _dms(lon)
        gps[_GPS_H_ERROR] = TiffImagePlugin.IFDRational(8, 1)
    return exif


def _dms(value: float) -> tuple[TiffImagePlugin.IFDRational, ...]:
    ticks = round(abs(value) * 3600 * 10_000)  # 1e-4 s, so rounding never gives 60 s
    degrees, ticks = divmod(ticks, 3600 * 10_000)
    minutes, ticks = divmod(ticks, 60 * 10_000)
    return (
        TiffImagePlugin.IFDRational(degrees, 1),
        TiffImagePlugin.IFDRational(minutes, 1),
        TiffImagePlugin.IFDRational(ticks, 10_000),
    )
