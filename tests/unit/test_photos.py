"""habitat.photos: content validation, EXIF reading, display/thumbnail storage."""

from __future__ import annotations

import io
import json
import random
import re
import sys
import time
import warnings
from datetime import datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from PIL import Image

try:
    from tests.fixtures import images as fx
except ModuleNotFoundError:  # run as `pytest` instead of `python -m pytest`
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    from tests.fixtures import images as fx

from habitat import photos
from habitat.errors import PhotoError
from habitat.i18n import t
from habitat.photos import (
    PhotoInfo,
    PhotoLimits,
    StoredPhoto,
    ingest_photo,
    inspect_photo,
    naive_ingest,
    register_heif,
    remove_created,
)

REPO = Path(__file__).resolve().parents[2]
SHANGHAI = ZoneInfo("Asia/Shanghai")


# ----------------------------------------------------------------------------------------------
# helpers


def _is_red(pixel: tuple[int, int, int]) -> bool:
    r, g, b = pixel[:3]
    return r > 200 and g < 60 and b < 60


def _corner_pixels(img: Image.Image) -> dict[str, tuple[int, int, int]]:
    """Pixels 5 % inside each corner (well inside a mark covering a quarter of each side)."""
    w, h = img.size
    x0, y0, x1, y1 = int(w * 0.05), int(h * 0.05), int(w * 0.95), int(h * 0.95)
    rgb = img.convert("RGB")
    return {
        "top_left": rgb.getpixel((x0, y0)),
        "top_right": rgb.getpixel((x1, y0)),
        "bottom_left": rgb.getpixel((x0, y1)),
        "bottom_right": rgb.getpixel((x1, y1)),
    }


def _red_corners(img: Image.Image) -> list[str]:
    return [name for name, px in _corner_pixels(img).items() if _is_red(px)]


def _ingest(data: bytes, root: Path, **kwargs) -> tuple[StoredPhoto, Image.Image, Image.Image]:
    stored = ingest_photo(data, root, **kwargs)
    display = Image.open(root / stored.display_path)
    thumb = Image.open(root / stored.thumb_path)
    display.load()
    thumb.load()
    return stored, display, thumb


def _all_files(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}


# ----------------------------------------------------------------------------------------------
# orientation


@pytest.mark.parametrize(
    ("orientation", "expected_size", "expected_corner"),
    [
        (None, (1600, 1200), "top_left"),
        (1, (1600, 1200), "top_left"),
        (3, (1600, 1200), "bottom_right"),
        (6, (1200, 1600), "top_right"),
        (8, (1200, 1600), "bottom_left"),
    ],
)
def test_exif_orientation_gives_upright_display_with_red_mark_in_expected_corner(
    tmp_path, orientation, expected_size, expected_corner
):
    # 3400x2550 is large enough for the JPEG draft path (decoded at 1/2, then resized).
    data = fx.make_jpeg(3400, 2550, orientation=orientation)
    stored, display, thumb = _ingest(data, tmp_path)
    assert display.size == expected_size == stored.display_size
    assert (stored.info.width, stored.info.height) == (
        (2550, 3400) if orientation in (6, 8) else (3400, 2550)
    )
    assert _red_corners(display) == [expected_corner]
    assert _red_corners(thumb) == [expected_corner]


def test_inspect_reports_dimensions_after_orientation_is_applied():
    info = inspect_photo(fx.make_jpeg(400, 300, orientation=6))
    assert (info.width, info.height) == (300, 400)


def test_orientation_in_webp_exif_is_applied_too(tmp_path):
    _, display, _ = _ingest(fx.make_webp(400, 300, orientation=8), tmp_path)
    assert display.size == (300, 400)
    assert _red_corners(display) == ["bottom_left"]


# ----------------------------------------------------------------------------------------------
# GPS


def test_gps_position_inside_the_photo_is_read_to_within_a_millionth_of_a_degree():
    info = inspect_photo(fx.make_jpeg(gps=(31.230416, 121.473701)))
    assert info.gps_lat == pytest.approx(31.230416, abs=1e-6)
    assert info.gps_lon == pytest.approx(121.473701, abs=1e-6)
    assert info.warnings == ()


def test_south_and_west_references_give_negative_coordinates():
    info = inspect_photo(fx.make_jpeg(gps=(-33.856784, -70.651741)))
    assert info.gps_lat == pytest.approx(-33.856784, abs=1e-6)
    assert info.gps_lon == pytest.approx(-70.651741, abs=1e-6)


def test_explicit_s_and_w_refs_on_positive_rationals_make_coordinates_negative():
    info = inspect_photo(fx.make_jpeg(gps=(31.23, 121.47), gps_ref_override=("S", "W")))
    assert info.gps_lat == pytest.approx(-31.23, abs=1e-6)
    assert info.gps_lon == pytest.approx(-121.47, abs=1e-6)


@pytest.mark.parametrize(
    "kind", ["lat_out_of_range", "lon_out_of_range", "zero_denominator", "bad_ref", "minutes_over_60"]
)
def test_impossible_gps_gives_no_position_and_a_warning_but_no_error(kind):
    info = inspect_photo(fx.make_jpeg_bad_gps(kind))
    assert info.gps_lat is None and info.gps_lon is None and info.gps_accuracy_m is None
    assert "photo.warn_gps_invalid" in info.warnings
    assert info.taken_at is not None  # the rest of the EXIF is still used


def test_gps_accuracy_comes_from_horizontal_positioning_error():
    info = inspect_photo(fx.make_jpeg(gps=(31.2, 121.4), gps_accuracy=4.5))
    assert info.gps_accuracy_m == pytest.approx(4.5)


def test_photo_without_gps_has_no_position_and_no_warning():
    info = inspect_photo(fx.make_jpeg())
    assert (info.gps_lat, info.gps_lon, info.gps_accuracy_m) == (None, None, None)
    assert info.warnings == ()


# ----------------------------------------------------------------------------------------------
# date taken


def test_date_taken_with_offset_plus_two_hours_keeps_that_time_zone():
    info = inspect_photo(fx.make_jpeg(taken="2026:05:14 09:30:12", offset="+02:00"))
    assert info.taken_at == datetime(2026, 5, 14, 9, 30, 12, tzinfo=ZoneInfo("Etc/GMT-2"))
    assert info.taken_at.utcoffset() == timedelta(hours=2)
    assert info.taken_at_has_offset is True


def test_date_taken_without_offset_is_read_as_shanghai_time():
    info = inspect_photo(fx.make_jpeg(taken="2026:05:14 09:30:12", offset=None))
    assert info.taken_at.replace(tzinfo=None) == datetime(2026, 5, 14, 9, 30, 12)
    assert info.taken_at.tzinfo == SHANGHAI
    assert info.taken_at.utcoffset() == timedelta(hours=8)
    assert info.taken_at_has_offset is False
    assert info.warnings == ()


def test_default_time_zone_can_be_chosen_by_the_caller():
    info = inspect_photo(fx.make_jpeg(taken="2026:01:14 09:30:12", offset=None), default_tz="Europe/Berlin")
    assert info.taken_at.utcoffset() == timedelta(hours=1)


def test_date_falls_back_to_ifd0_datetime_with_offset_time():
    data = fx.make_jpeg(taken=None, offset=None, datetime_ifd0="2025:12:31 23:59:59", offset_time="-05:00")
    info = inspect_photo(data)
    assert info.taken_at.replace(tzinfo=None) == datetime(2025, 12, 31, 23, 59, 59)
    assert info.taken_at.utcoffset() == timedelta(hours=-5)
    assert info.taken_at_has_offset is True


@pytest.mark.parametrize("bad", ["2026:13:45 25:00:00", "yesterday afternoon", "2026:02:30 10:00:00"])
def test_invalid_date_gives_no_time_and_a_warning(bad):
    info = inspect_photo(fx.make_jpeg(taken=bad, offset="+08:00"))
    assert info.taken_at is None and info.taken_at_has_offset is False
    assert "photo.warn_date_invalid" in info.warnings


def test_blank_exif_date_means_unknown_without_warning():
    info = inspect_photo(fx.make_jpeg(taken="0000:00:00 00:00:00", offset=None))
    assert info.taken_at is None and info.warnings == ()


def test_invalid_offset_keeps_the_date_in_the_default_zone_with_a_warning():
    info = inspect_photo(fx.make_jpeg(taken="2026:05:14 09:30:12", offset="+99:99"))
    assert info.taken_at.tzinfo == SHANGHAI
    assert info.taken_at_has_offset is False
    assert "photo.warn_offset_invalid" in info.warnings


def test_photo_without_exif_has_no_date_and_no_warning():
    info = inspect_photo(fx.make_png(200, 100))
    assert info.taken_at is None and info.warnings == ()


def test_malformed_exif_gives_a_warning_not_an_error(tmp_path):
    data = fx.make_jpeg_malformed_exif()
    info = inspect_photo(data)
    assert info.taken_at is None and info.gps_lat is None
    assert "photo.warn_exif_unreadable" in info.warnings
    assert ingest_photo(data, tmp_path).display_size == (160, 120)


# ----------------------------------------------------------------------------------------------
# outputs


@pytest.mark.parametrize(
    ("size", "display", "thumb"),
    [
        ((4000, 3000), (1600, 1200), (320, 240)),
        ((3000, 4000), (1200, 1600), (240, 320)),
        ((5000, 1000), (1600, 320), (320, 64)),
    ],
)
def test_display_fits_1600_and_thumbnail_320_on_the_long_edge(tmp_path, size, display, thumb):
    stored, display_img, thumb_img = _ingest(fx.make_jpeg(*size, noise=False), tmp_path)
    assert display_img.size == stored.display_size == display
    assert thumb_img.size == stored.thumb_size == thumb
    assert display_img.format == thumb_img.format == "JPEG"
    assert display_img.mode == thumb_img.mode == "RGB"


def test_small_photo_is_not_upscaled(tmp_path):
    _, display, thumb = _ingest(fx.make_jpeg(200, 150), tmp_path)
    assert display.size == thumb.size == (200, 150)


def test_stored_files_carry_no_exif_gps_or_comment(tmp_path):
    data = fx.make_jpeg(1000, 750, orientation=6, gps=(31.2304, 121.4737), comment=b"home of a volunteer")
    stored = ingest_photo(data, tmp_path)
    for rel in (stored.display_path, stored.thumb_path):
        raw = (tmp_path / rel).read_bytes()
        assert b"Exif" not in raw and b"home of a volunteer" not in raw
        with Image.open(tmp_path / rel) as out:
            assert len(out.getexif()) == 0
            assert out.getexif().get_ifd(0x8825) == {}
            assert "exif" not in out.info and "comment" not in out.info and "xmp" not in out.info


def test_files_are_named_by_sha256_of_the_uploaded_bytes(tmp_path):
    import hashlib

    data = fx.make_jpeg(300, 200)
    sha = hashlib.sha256(data).hexdigest()
    stored = ingest_photo(data, tmp_path)
    assert stored.info.sha256 == sha
    assert stored.display_path == f"display/{sha[:2]}/{sha}.jpg"
    assert stored.thumb_path == f"thumb/{sha[:2]}/{sha}.jpg"
    assert set(stored.created) == {stored.display_path, stored.thumb_path}
    assert _all_files(tmp_path) == set(stored.created)  # and no temp files left behind


def test_ingesting_the_same_bytes_twice_creates_nothing_the_second_time(tmp_path):
    data = fx.make_jpeg(2000, 1500)
    first = ingest_photo(data, tmp_path)
    mtimes = {rel: (tmp_path / rel).stat().st_mtime_ns for rel in first.created}
    second = ingest_photo(data, tmp_path)
    assert second.created == ()
    assert (second.display_path, second.thumb_path) == (first.display_path, first.thumb_path)
    assert (second.display_size, second.thumb_size) == (first.display_size, first.thumb_size)
    assert second.info == first.info
    assert {rel: (tmp_path / rel).stat().st_mtime_ns for rel in first.created} == mtimes


def test_a_missing_thumbnail_is_recreated_and_only_it_is_listed_as_created(tmp_path):
    data = fx.make_jpeg(600, 400)
    first = ingest_photo(data, tmp_path)
    (tmp_path / first.thumb_path).unlink()
    again = ingest_photo(data, tmp_path)
    assert again.created == (first.thumb_path,)
    assert (tmp_path / first.thumb_path).is_file()


def test_remove_created_removes_only_the_files_that_call_created(tmp_path):
    keep = ingest_photo(fx.make_jpeg(300, 200, color=(10, 10, 200)), tmp_path)
    data = fx.make_jpeg(300, 200, color=(200, 200, 10))
    first = ingest_photo(data, tmp_path)
    (tmp_path / first.thumb_path).unlink()
    partial = ingest_photo(data, tmp_path)  # recreates only the thumbnail
    remove_created(tmp_path, partial)
    assert _all_files(tmp_path) == {keep.display_path, keep.thumb_path, first.display_path}
    remove_created(tmp_path, first)
    assert _all_files(tmp_path) == {keep.display_path, keep.thumb_path}
    remove_created(tmp_path, first)  # nothing left to delete: still no error


def test_remove_created_refuses_paths_outside_the_photo_root(tmp_path):
    root = tmp_path / "photos"
    root.mkdir()
    outside = tmp_path / "precious.txt"
    outside.write_text("keep me")
    info = inspect_photo(fx.make_jpeg(100, 80))
    forged = StoredPhoto(
        info, "display/x.jpg", "thumb/x.jpg", (1, 1), (1, 1), ("../precious.txt", str(outside))
    )
    remove_created(root, forged)
    assert outside.read_text() == "keep me"


def test_a_write_failure_rolls_back_created_files_and_raises_save_failed(tmp_path):
    (tmp_path / "thumb").write_text("a file where the thumb directory should be")
    with pytest.raises(PhotoError) as err:
        ingest_photo(fx.make_jpeg(300, 200), tmp_path)
    assert err.value.key == "photo.save_failed"
    assert _all_files(tmp_path) == {"thumb"}  # the display written first was removed again


# ----------------------------------------------------------------------------------------------
# hostile and unsupported input

HOSTILE = {
    "zero bytes": (lambda: b"", "photo.empty"),
    "text file named .jpg": (
        lambda: b"IMG_0001.jpg\nthis is just text, not a photo\n" * 3,
        "photo.not_an_image",
    ),
    "random bytes": (lambda: random.Random(7).randbytes(5000), "photo.not_an_image"),
    "truncated jpeg": (fx.make_truncated_jpeg, "photo.truncated"),
    "jpeg cut inside its header": (lambda: fx.make_jpeg(100, 80)[:40], ("photo.truncated", "photo.corrupt")),
    "corrupt jpeg": (fx.make_corrupt_jpeg, ("photo.truncated", "photo.corrupt")),
    "png bomb 30000x30000": (fx.make_bomb_png, "photo.too_many_pixels"),
    "png claiming 70 MP": (lambda: fx.make_bomb_png(10_000, 7_000), "photo.too_many_pixels"),
    "png claiming 95 MP": (lambda: fx.make_bomb_png(10_000, 9_500), "photo.too_many_pixels"),
    "animated gif": (fx.make_animated_gif, "photo.animated"),
    "animated webp": (fx.make_animated_webp, "photo.animated"),
    "animated png": (fx.make_animated_png, "photo.animated"),
    "still gif": (fx.make_gif, "photo.unsupported_format"),
    "bmp": (fx.make_bmp, "photo.unsupported_format"),
    "heif without image": (fx.make_heif_without_image, "photo.heic_no_image"),
}


@pytest.mark.parametrize("name", list(HOSTILE))
@pytest.mark.parametrize("call", ["inspect", "ingest"])
def test_hostile_input_raises_photo_error_with_the_expected_key_and_leaks_no_warning(tmp_path, name, call):
    make, expected = HOSTILE[name]
    data = make()
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a leaked (e.g. DecompressionBomb) warning would fail here
        with pytest.raises(PhotoError) as err:
            if call == "inspect":
                inspect_photo(data)
            else:
                ingest_photo(data, tmp_path)
    assert err.value.key in ((expected,) if isinstance(expected, str) else expected)
    assert _all_files(tmp_path) == set()


def test_unsupported_format_names_the_format():
    with pytest.raises(PhotoError) as err:
        inspect_photo(fx.make_gif())
    assert err.value.params == {"format": "GIF"}


def test_decompression_bomb_is_rejected_quickly_from_its_header():
    data = fx.make_bomb_png(30_000, 30_000)
    assert len(data) < 10_000
    start = time.perf_counter()
    with pytest.raises(PhotoError) as err:
        inspect_photo(data)
    assert time.perf_counter() - start < 0.5
    assert err.value.key == "photo.too_many_pixels"
    assert err.value.params == {"mp": 900, "limit_mp": 60}


def test_pixel_limit_is_ours_not_pillows():
    data = fx.make_jpeg(400, 300)
    with pytest.raises(PhotoError) as err:
        inspect_photo(data, limits=PhotoLimits(max_pixels=100_000))
    assert err.value.key == "photo.too_many_pixels"
    assert err.value.params == {"mp": 0.1, "limit_mp": 0.1}


def test_oversize_bytes_are_rejected_with_too_large_before_parsing():
    limits = PhotoLimits(max_bytes=2 * 1024 * 1024)
    with pytest.raises(PhotoError) as err:
        inspect_photo(b"\xff\xd8\xff" + b"\x00" * (3 * 1024 * 1024), limits=limits)
    assert err.value.key == "photo.too_large"
    assert err.value.params == {"mb": 3, "limit_mb": 2}


def test_mutated_photos_give_a_photo_error_or_a_result_never_another_exception(tmp_path):
    rng = random.Random(20260514)
    seeds = [fx.make_jpeg(96, 64, gps=(31.2, 121.4)), fx.make_png(64, 48), fx.make_webp(64, 48)]
    for i in range(150):
        data = bytearray(rng.choice(seeds))
        for _ in range(rng.randint(1, 12)):
            data[rng.randrange(len(data))] = rng.randrange(256)
        if rng.random() < 0.3:
            del data[rng.randrange(len(data)) :]
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            try:
                ingest_photo(bytes(data), tmp_path / str(i))
            except PhotoError:
                pass


# ----------------------------------------------------------------------------------------------
# formats and colour modes


def test_cmyk_jpeg_is_converted_to_rgb_with_its_colours(tmp_path):
    _, display, _ = _ingest(fx.make_cmyk_jpeg(400, 300), tmp_path)
    assert display.mode == "RGB"
    r, g, b = display.getpixel((300, 200))
    assert abs(r - 30) < 25 and abs(g - 120) < 25 and abs(b - 60) < 25
    assert _red_corners(display) == ["top_left"]


def test_16_bit_png_is_scaled_down_to_8_bit_not_clipped_to_white(tmp_path):
    assert Image.open(io.BytesIO(fx.make_16bit_png())).mode == "I;16"
    _, display, _ = _ingest(fx.make_16bit_png(400, 300, value=40_000), tmp_path)
    r, g, b = display.getpixel((200, 150))
    assert abs(r - 40_000 // 256) <= 3 and r == g == b


@pytest.mark.parametrize("mode", ["RGBA", "LA"])
def test_transparent_png_is_flattened_on_white(tmp_path, mode):
    _, display, _ = _ingest(fx.make_png(200, 100, mode=mode, alpha=0), tmp_path)
    assert display.mode == "RGB"
    assert min(display.getpixel((150, 80))) >= 250


@pytest.mark.parametrize("mode", ["P", "L"])
def test_palette_and_grey_png_become_rgb(tmp_path, mode):
    stored, display, _ = _ingest(fx.make_png(200, 100, mode=mode), tmp_path)
    assert stored.info.format == "PNG" and stored.info.mime == "image/png"
    assert display.mode == "RGB"


def test_webp_is_accepted(tmp_path):
    data = fx.make_webp(640, 480, gps=(31.2, 121.4), taken="2026:05:14 09:30:12", offset="+08:00")
    stored, display, _ = _ingest(data, tmp_path)
    assert (stored.info.format, stored.info.mime) == ("WEBP", "image/webp")
    assert stored.info.gps_lat == pytest.approx(31.2, abs=1e-6)
    assert stored.info.taken_at.utcoffset() == timedelta(hours=8)
    assert display.size == (640, 480)


def test_multi_picture_jpeg_from_a_phone_is_accepted_as_jpeg(tmp_path):
    stored, display, _ = _ingest(fx.make_mpo(400, 300, orientation=6), tmp_path)
    assert (stored.info.format, stored.info.mime) == ("JPEG", "image/jpeg")
    assert display.size == (300, 400)
    assert _red_corners(display) == ["top_right"]


def test_an_rgb_colour_profile_is_kept_but_a_cmyk_one_is_dropped(tmp_path):
    from PIL import ImageCms

    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    buffer = io.BytesIO()
    Image.new("RGB", (120, 80), (200, 50, 50)).save(buffer, "JPEG", icc_profile=srgb)
    _, display, thumb = _ingest(buffer.getvalue(), tmp_path)
    assert display.info.get("icc_profile") == srgb == thumb.info.get("icc_profile")
    cmyk_profile = srgb[:16] + b"CMYK" + srgb[20:]  # only the header's colour space matters here
    buffer = io.BytesIO()
    Image.open(io.BytesIO(fx.make_cmyk_jpeg())).save(buffer, "JPEG", icc_profile=cmyk_profile)
    _, cmyk_display, _ = _ingest(buffer.getvalue(), tmp_path)
    assert cmyk_display.mode == "RGB" and not cmyk_display.info.get("icc_profile")


def test_heic_is_read_with_its_date_and_stored_as_jpeg(tmp_path):
    data = fx.make_heic(64, 48, gps=(31.2304, 121.4737))
    stored, display, _ = _ingest(data, tmp_path)
    info = stored.info
    assert info.format == "HEIF" and info.mime in ("image/heic", "image/heif")
    assert (info.width, info.height) == (64, 48)
    assert info.taken_at == datetime(2026, 5, 14, 9, 30, 12, tzinfo=SHANGHAI)
    assert info.gps_lat == pytest.approx(31.2304, abs=1e-6)
    assert display.format == "JPEG" and display.size == (64, 48)


def test_heic_rotation_is_applied_once_by_libheif_not_again_by_us(tmp_path):
    stored, display, _ = _ingest(fx.make_heic(64, 48, orientation=6), tmp_path)
    assert (stored.info.width, stored.info.height) == (48, 64)
    assert display.size == (48, 64)
    assert _red_corners(display) == ["top_right"]


def test_register_heif_can_be_called_again():
    register_heif()
    register_heif()
    assert "HEIF" in Image.OPEN


def test_inspect_and_ingest_describe_a_photo_the_same_way(tmp_path):
    data = fx.make_jpeg(900, 600, orientation=8, gps=(31.2, 121.4), offset="+02:00")
    assert ingest_photo(data, tmp_path).info == inspect_photo(data)


def test_large_jpeg_is_processed_via_reduced_scale_decode(tmp_path):
    stored = ingest_photo(fx.make_big_12mp_jpeg(), tmp_path)
    assert isinstance(stored.info, PhotoInfo)
    assert (stored.info.width, stored.info.height) == (4000, 3000)
    assert stored.display_size == (1600, 1200) and stored.thumb_size == (320, 240)
    assert stored.info.gps_lat == pytest.approx(31.2304, abs=1e-6)


def test_naive_ingest_writes_the_same_layout(tmp_path):
    data = fx.make_jpeg(2000, 1500, orientation=6)
    naive_ingest(data, tmp_path / "naive")
    ours = ingest_photo(data, tmp_path / "ours")
    assert _all_files(tmp_path / "naive") == set(ours.created)
    with Image.open(tmp_path / "naive" / ours.display_path) as naive_display:
        assert naive_display.size == ours.display_size == (1200, 1600)


# ----------------------------------------------------------------------------------------------
# messages and module hygiene

_SOURCE = "\n".join(
    path.read_text(encoding="utf-8") for path in sorted((REPO / "habitat" / "photos").glob("*.py"))
)
_KEYS_IN_SOURCE = sorted(set(re.findall(r'"(photo\.[a-z_]+)"', _SOURCE)))


def test_zh_and_en_photo_catalogs_have_exactly_the_same_keys():
    zh = json.loads((REPO / "habitat/i18n/zh/photos.json").read_text(encoding="utf-8"))
    en = json.loads((REPO / "habitat/i18n/en/photos.json").read_text(encoding="utf-8"))
    assert zh.keys() == en.keys()
    assert all(key.startswith("photo.") for key in zh)
    for key in zh:
        assert set(re.findall(r"{(\w+)}", zh[key])) == set(re.findall(r"{(\w+)}", en[key])), key


@pytest.mark.parametrize("key", _KEYS_IN_SOURCE)
def test_every_key_the_module_uses_has_a_chinese_and_an_english_message(key):
    params = {"mb": 30, "limit_mb": 25, "format": "GIF", "mp": 90, "limit_mp": 60}
    for lang in ("zh", "en"):
        assert t(key, lang) != key
        assert "{" not in t(key, lang, **params)


def test_source_names_all_the_keys_of_the_brief():
    assert {
        "photo.empty",
        "photo.too_large",
        "photo.not_an_image",
        "photo.unsupported_format",
        "photo.too_many_pixels",
        "photo.truncated",
        "photo.corrupt",
        "photo.animated",
        "photo.heic_no_image",
        "photo.warn_gps_invalid",
    } <= set(_KEYS_IN_SOURCE)


def test_photo_error_message_is_shown_in_the_users_language():
    with pytest.raises(PhotoError) as err:
        inspect_photo(b"")
    assert err.value.message("zh") != err.value.message("en") != "photo.empty"


def test_photos_module_does_not_import_streamlit():
    assert not re.search(r"^\s*(import|from)\s+streamlit", _SOURCE, re.MULTILINE)
    assert photos.__name__ == "habitat.photos"


# ----------------------------------------------------------------------------------------------
# odd photos: every colour mode, a display-safe preview for pages, SVG, implausible photo times

# mode -> (value that means mid-grey in that mode, expected grey level of the RGB result or None)
_MODES = {
    "1": (1, 255),
    "L": (128, 128),
    "LA": ((128, 255), 128),
    "La": ((128, 255), 128),
    "P": (None, None),
    "PA": (None, None),
    "RGB": ((128, 128, 128), 128),
    "RGBA": ((128, 128, 128, 255), 128),
    "RGBa": ((128, 128, 128, 255), 128),
    "RGBX": ((128, 128, 128, 0), 128),
    "CMYK": ((0, 0, 0, 127), 128),
    "YCbCr": ((128, 128, 128), 128),
    "LAB": ((54, 128, 128), None),
    "HSV": ((0, 0, 128), 128),
    "I": (128 * 257, 128),  # a 16-bit value in a 32-bit image (what a 16-bit PNG may open as)
    "I;16": (128 * 257, 128),
    "I;16B": (128 * 257, 128),
    "I;16L": (128 * 257, 128),
    "I;16N": (128 * 257, 128),
    "F": (0.5, 128),  # 0..1 floats
}


@pytest.mark.parametrize("mode", list(_MODES))
def test_every_image_mode_pillow_opens_becomes_an_rgb_image_a_jpeg_can_hold(mode):
    value, grey = _MODES[mode]
    img = Image.new(mode, (8, 6)) if value is None else Image.new(mode, (8, 6), value)
    rgb = photos.to_rgb(img)
    assert rgb.mode == "RGB" and rgb.size == (8, 6)
    rgb.save(io.BytesIO(), "JPEG")
    if grey is not None:
        r, g, b = rgb.getpixel((4, 3))
        assert max(abs(r - grey), abs(g - grey), abs(b - grey)) <= 2, (r, g, b)


@pytest.mark.parametrize(
    ("mode", "values", "grey"),
    [
        ("I", (0, 200), 200),  # 8-bit values in a 32-bit image are kept, not darkened to black
        ("I", (-5000, 95000), 255),  # a range nobody names is stretched to 0..255
        ("F", (0.0, 255.0), 255),
        ("F", (-1.0, 3.0), 255),
    ],
)
def test_wide_integer_and_float_images_are_scaled_by_their_range(mode, values, grey):
    img = Image.new(mode, (2, 1))
    img.putpixel((0, 0), values[0])
    img.putpixel((1, 0), values[1])
    rgb = photos.to_rgb(img)
    assert rgb.getpixel((0, 0)) == (0, 0, 0) and rgb.getpixel((1, 0)) == (grey, grey, grey)


@pytest.mark.parametrize("kind", ["P", "RGB", "L"])
def test_a_transparent_colour_of_a_png_is_flattened_on_white_like_an_alpha_channel(tmp_path, kind):
    _, display, _ = _ingest(fx.make_png_with_transparency(kind), tmp_path)
    assert min(display.getpixel((50, 40))) >= 245  # background: transparent -> white
    assert max(display.getpixel((3, 3))) < 200 if kind == "L" else _is_red(display.getpixel((3, 3)))


def test_a_png_cut_inside_a_chunk_header_is_called_truncated_not_damaged(tmp_path):
    for call in (inspect_photo, lambda data: ingest_photo(data, tmp_path), photos.preview_bytes):
        with pytest.raises(PhotoError) as err:
            call(fx.make_png_cut_in_chunk_header())
        assert err.value.key == "photo.truncated"


@pytest.mark.parametrize("name", list(fx.ODD_PHOTOS))
def test_preview_of_every_odd_photo_is_a_small_upright_exif_free_rgb_jpeg(name):
    data = fx.ODD_PHOTOS[name]()
    preview = photos.preview_bytes(data, 200)
    info = inspect_photo(data)
    with Image.open(io.BytesIO(preview)) as img:
        assert (img.format, img.mode) == ("JPEG", "RGB")
        assert max(img.size) <= 200 and min(img.size) >= 1
        assert len(img.getexif()) == 0 and "comment" not in img.info
        expected = photos._fit(info.width, info.height, 200)
        assert img.size == expected  # same shape as the photo, orientation applied


def test_preview_is_upright_like_the_display_copy():
    with Image.open(io.BytesIO(photos.preview_bytes(fx.make_jpeg(400, 300, orientation=6), 100))) as img:
        assert img.size == (75, 100)
        assert _red_corners(img) == ["top_right"]


def test_preview_of_a_16_bit_png_is_grey_not_white():
    with Image.open(io.BytesIO(photos.preview_bytes(fx.make_16bit_png(value=40_000), 100))) as img:
        assert abs(img.getpixel((50, 40))[0] - 40_000 // 256) <= 3


def test_preview_of_a_large_jpeg_decodes_at_reduced_scale_quickly():
    data = fx.make_big_12mp_jpeg()
    start = time.perf_counter()
    preview = photos.preview_bytes(data, 220)
    assert time.perf_counter() - start < 1.0
    assert Image.open(io.BytesIO(preview)).size == (220, 165)


@pytest.mark.parametrize("name", list(fx.NOT_PHOTOS))
def test_preview_refuses_what_an_upload_would_refuse_with_the_same_key(name):
    make, key = fx.NOT_PHOTOS[name]
    with pytest.raises(PhotoError) as err:
        photos.preview_bytes(make(), 200, limits=PhotoLimits(max_bytes=1024 * 1024))
    assert err.value.key == key


@pytest.mark.parametrize(
    "data",
    [
        fx.make_svg(),
        b"\xef\xbb\xbf  <svg xmlns='http://www.w3.org/2000/svg'><circle r='4'/></svg>",
        b"<!-- drawn in Inkscape -->\n<svg width='4' height='4'></svg>",
        b'<?xml version="1.0"?>\n<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "x">\n<svg></svg>',
    ],
)
def test_an_svg_drawing_is_refused_as_an_unsupported_format_named_svg(data):
    with pytest.raises(PhotoError) as err:
        inspect_photo(data)
    assert (err.value.key, err.value.params) == ("photo.unsupported_format", {"format": "SVG"})
    assert "SVG" in err.value.message("zh") and "SVG" in err.value.message("en")


def test_xml_that_is_not_svg_is_still_not_an_image():
    with pytest.raises(PhotoError) as err:
        inspect_photo(b'<?xml version="1.0"?><gpx><trk/></gpx>')
    assert err.value.key == "photo.not_an_image"


def test_panorama_renditions_keep_the_shape_and_fit_their_boxes(tmp_path):
    stored, display, thumb = _ingest(fx.make_panorama_jpeg(12_000, 300), tmp_path)
    assert display.size == (1600, 40) and thumb.size == (320, 8)
    stored, display, thumb = _ingest(fx.make_panorama_jpeg(300, 12_000), tmp_path)
    assert display.size == (40, 1600) and thumb.size == (8, 320)


def test_a_one_pixel_image_is_kept_at_one_pixel(tmp_path):
    stored, display, thumb = _ingest(fx.make_tiny("PNG"), tmp_path)
    assert display.size == thumb.size == (1, 1) and display.getpixel((0, 0))[0] > 200


def test_progressive_jpeg_is_read_with_its_exif(tmp_path):
    stored, display, _ = _ingest(fx.make_progressive_jpeg(640, 480, orientation=8), tmp_path)
    assert display.size == (480, 640) and stored.info.taken_at is not None


# --- photo times a wrong phone clock gives -------------------------------------------------------

NOW_SH = datetime(2026, 12, 1, 10, 0, tzinfo=SHANGHAI)


@pytest.mark.parametrize(
    ("taken", "expected", "warning"),
    [
        (None, None, None),
        (NOW_SH - timedelta(hours=3), NOW_SH - timedelta(hours=3), None),
        (NOW_SH + timedelta(minutes=5), NOW_SH, None),  # a clock a little ahead: taken now
        (NOW_SH + timedelta(days=1), None, "photo.warn_time_future"),
        (datetime(2099, 1, 1, 12, 0, tzinfo=SHANGHAI), None, "photo.warn_time_future"),
        (datetime(1989, 12, 31, 23, 0, tzinfo=SHANGHAI), None, "photo.warn_time_ancient"),
        (datetime(1900, 1, 1, tzinfo=SHANGHAI), None, "photo.warn_time_ancient"),
        (datetime(1, 1, 1, tzinfo=timezone.utc), None, "photo.warn_time_ancient"),
        (datetime(2018, 6, 1, tzinfo=SHANGHAI), datetime(2018, 6, 1, tzinfo=SHANGHAI), None),
    ],
)
def test_a_photo_time_in_the_future_or_before_1990_is_not_used(taken, expected, warning):
    assert photos.plausible_taken_at(taken, NOW_SH) == (expected, warning)


def test_a_photo_time_older_than_the_callers_limit_is_not_used_with_its_own_warning():
    old = datetime(2018, 6, 1, tzinfo=SHANGHAI)
    assert photos.plausible_taken_at(old, NOW_SH, oldest=NOW_SH - timedelta(days=5 * 366)) == (
        None,
        "photo.warn_time_too_old",
    )


def test_every_new_photo_time_warning_has_a_chinese_and_an_english_message():
    for key in ("photo.warn_time_future", "photo.warn_time_ancient", "photo.warn_time_too_old"):
        assert t(key, "zh") != key and t(key, "en") != key and t(key, "zh") != t(key, "en")
