"""Phone photos for the volunteers' uploads: 12 MP JPEGs with EXIF time and GPS in their zone."""

from __future__ import annotations

import io
from datetime import datetime, timedelta, timezone

import numpy as np
from PIL import Image

from habitat import geo
from habitat.bench.load.common import PHOTO_SIZE
from habitat.demo.town import GARDENS

# ---------------------------------------------------------------------------------------- photos


def phone_jpeg(width: int, height: int, *, seed: int, gps: tuple[float, float] | None, taken: str) -> bytes:
    """A noisy phone-like JPEG (about 3.5 MB at 12 MP) with EXIF time, offset, orientation and GPS."""
    rng = np.random.default_rng(seed)
    small = rng.integers(0, 256, (max(2, height // 20), max(2, width // 20), 3), dtype=np.uint8)
    arr = np.asarray(Image.fromarray(small).resize((width, height), Image.Resampling.BILINEAR)).astype(
        np.int16
    )
    arr += rng.integers(-10, 11, arr.shape, dtype=np.int16)  # sensor noise: defeats easy compression
    np.clip(arr, 0, 255, out=arr)
    img = Image.fromarray(arr.astype(np.uint8))
    exif = Image.Exif()
    exif[0x0112] = 6  # orientation: phone held upright
    exif[0x010F], exif[0x0110] = "Xiaomi", "Redmi Note 12"
    sub = exif.get_ifd(0x8769)
    sub[0x9003], sub[0x9011] = taken, "+08:00"  # DateTimeOriginal, OffsetTimeOriginal
    if gps is not None:
        lat, lon = gps
        g = exif.get_ifd(0x8825)
        g[1], g[2] = "N", _dms(lat)
        g[3], g[4] = "E", _dms(lon)
        g[31] = 5.0  # horizontal positioning error (m)
    out = io.BytesIO()
    img.save(out, "JPEG", quality=90, exif=exif)
    return out.getvalue()


def _dms(value: float) -> tuple[float, float, float]:
    degrees = int(value)
    minutes = int((value - degrees) * 60)
    seconds = round(((value - degrees) * 60 - minutes) * 60, 4)
    return (float(degrees), float(minutes), seconds)


def _zone_centre(slug: str) -> tuple[float, float] | None:
    """(lat, lon) of the middle of a demo garden's first zone: the photo's GPS selects that zone."""
    garden = next((g for g in GARDENS if g.slug == slug), None)
    if garden is None or not garden.zones:
        return None
    x0, y0, x1, y1 = garden.zones[0].rect
    lon, lat = geo.polygon_from_local_metres(
        garden.lat, garden.lon, [((x0 + x1) / 2, (y0 + y1) / 2)] * 3
    ).exterior.coords[0]
    return lat, lon


class PhotoBox:
    """One base photo per home garden; every upload gets distinct bytes (a tag after the JPEG end)."""

    def __init__(self, homes: dict[str, str | None], log) -> None:
        shanghai = timezone(timedelta(hours=8))
        taken = (datetime.now(shanghai) - timedelta(minutes=10)).strftime("%Y:%m:%d %H:%M:%S")
        self._bases: dict[str | None, bytes] = {}
        for i, slug in enumerate(sorted({s for s in homes.values()}, key=str)):
            self._bases[slug] = phone_jpeg(
                *PHOTO_SIZE, seed=i + 1, gps=_zone_centre(slug) if slug else None, taken=taken
            )
        self._homes = homes
        self._n = 0
        self.given: dict[str, set[str]] = {}  # username -> every photo name handed to that person
        log(
            f"photos: {len(self._bases)} base JPEGs of {PHOTO_SIZE[0]}x{PHOTO_SIZE[1]}, "
            f"{max(len(b) for b in self._bases.values()) / 1e6:.1f} MB"
        )

    def next(self, username: str) -> dict:
        self._n += 1
        data = self._bases[self._homes.get(username)] + b"\x00LOAD:" + str(self._n).encode()
        name = f"IMG_{self._n:05d}.jpg"
        self.given.setdefault(username, set()).add(name)
        return {"name": name, "mimeType": "image/jpeg", "buffer": data}
