"""Hostile and broken input is answered with a message and nothing half-saved; private data stays private."""

from datetime import datetime, timedelta

import pytest
from PIL import Image

from habitat.clock import SHANGHAI, fixed_clock
from habitat.errors import HabitatError, PhotoError, ValidationError
from habitat.services import overview, sightings
from habitat.services.photo_store import Upload
from tests.fixtures import images as fx
from tests.fixtures import relabel

NOW = datetime(2026, 11, 22, 9, 0, tzinfo=SHANGHAI)


def q(con, sql, params=()):
    return con.execute(sql, list(params)).fetchall()


@pytest.fixture
def vol(make_ctx):
    return make_ctx("wangayi", clock=fixed_clock(NOW))


@pytest.fixture
def draft(con):
    gid = q(con, "SELECT id FROM gardens WHERE slug = 'zhongjing'")[0][0]
    sp = q(con, "SELECT id FROM species WHERE chinese_name = '麻雀'")[0][0]
    return sightings.SightingDraft(garden_id=gid, event_date=NOW, species_id=sp, individual_count=1)


HOSTILE_FILES = [
    ("empty.jpg", b"", "photo.empty"),
    ("notes.jpg", b"this is a text file pretending to be a photo", "photo.not_an_image"),
    ("truncated.jpg", fx.make_truncated_jpeg(), None),
    ("bomb.png", fx.make_bomb_png(), "photo.too_many_pixels"),
    ("anim.gif", fx.make_animated_gif(), None),
    ("anim.webp", fx.make_animated_webp(), "photo.animated"),
    ("plain.gif", fx.make_gif(), "photo.unsupported_format"),
    ("bitmap.bmp", fx.make_bmp(), "photo.unsupported_format"),
    ("no-image.heic", fx.make_heif_without_image(), None),
]


@pytest.mark.parametrize("name, data, key", HOSTILE_FILES, ids=[h[0] for h in HOSTILE_FILES])
def test_hostile_uploads_get_a_named_message_and_nothing_is_saved(con, vol, draft, name, data, key):
    before = q(con, "SELECT count(*) FROM sightings")[0][0]
    files_before = sorted(vol.photo_root.rglob("*")) if vol.photo_root.exists() else []
    with pytest.raises(PhotoError) as info:
        sightings.save_sighting(vol, draft, [Upload(name, data)])
    message = info.value.message("zh")
    assert name in message and "Traceback" not in message
    assert info.value.key == "photo.file_rejected"
    if key:
        assert info.value.__cause__.key == key
    assert q(con, "SELECT count(*) FROM sightings")[0][0] == before
    assert (sorted(vol.photo_root.rglob("*")) if vol.photo_root.exists() else []) == files_before


@pytest.mark.parametrize(
    "maker",
    [
        lambda: fx.make_cmyk_jpeg(),
        lambda: fx.make_16bit_png(),
        lambda: fx.make_jpeg_malformed_exif(),
        lambda: fx.make_jpeg_bad_gps("lat_out_of_range"),
    ],
    ids=["cmyk", "16-bit", "malformed-exif", "impossible-gps"],
)
def test_odd_but_real_photos_are_accepted(con, vol, draft, maker):
    saved = sightings.save_sighting(vol, draft, [Upload("odd.jpg", maker())])
    assert len(saved.photo_ids) == 1


def test_path_traversal_and_very_long_names_are_neutralised(con, vol, draft):
    name = "../../../etc/" + "长" * 400 + ".jpg"
    saved = sightings.save_sighting(vol, draft, [Upload(name, fx.make_jpeg(color=(3, 4, 5)))])
    stored_name, display = q(
        con, "SELECT original_name, display_path FROM photos WHERE id = ?", [saved.photo_ids[0]]
    )[0]
    assert "/" not in stored_name and ".." not in stored_name.split("长")[0] and len(stored_name) <= 120
    assert display.startswith("display/") and ".." not in display
    assert (vol.photo_root / display).resolve().is_relative_to(vol.photo_root.resolve())


def test_public_photo_copies_carry_no_exif_but_the_private_gps_is_kept(con, vol, draft):
    photo = fx.make_jpeg(gps=(31.2163, 121.3712), taken="2026:11:22 08:00:00")
    saved = sightings.save_sighting(vol, draft, [Upload("gps.jpg", photo)])
    display, thumb, lat = q(
        con, "SELECT display_path, thumb_path, private_lat FROM photos WHERE id = ?", [saved.photo_ids[0]]
    )[0]
    for rel in (display, thumb):
        with Image.open(vol.photo_root / rel) as img:
            assert len(img.getexif()) == 0
    assert abs(lat - 31.2163) < 1e-5


def test_private_gps_is_hidden_from_volunteers_and_shown_to_experts(con, vol, draft, make_ctx):
    saved = sightings.save_sighting(
        vol, draft, [Upload("gps.jpg", fx.make_jpeg(gps=(31.2163, 121.3712), color=(8, 8, 8)))]
    )
    assert "private_lat" not in sightings.photos_of(vol, saved.id).columns
    assert "private_lat" in sightings.photos_of(make_ctx("zhanggong"), saved.id).columns


def test_sensitive_species_points_are_generalised_for_volunteers_only(con, make_ctx):
    garden = q(
        con,
        "SELECT g.slug FROM sightings s JOIN species sp ON sp.id = s.species_id JOIN gardens g ON g.id = s.garden_id WHERE sp.sensitive LIMIT 1",
    )
    assert garden, "the demo should contain a sensitive species record (貉 at 新森)"
    slug = garden[0][0]
    con.execute("""UPDATE sightings SET event_date = now() - INTERVAL 1 DAY
                   WHERE id IN (SELECT s.id FROM sightings s JOIN species sp ON sp.id = s.species_id WHERE sp.sensitive LIMIT 3)""")
    for who, exact in (("zhaoshifu", False), ("zhanggong", True), ("liuzhuren", True)):
        recent = overview.garden_view(make_ctx(who), slug).recent
        sensitive = recent[recent["generalised"]]
        assert not sensitive.empty
        assert sensitive["lat"].notna().all() == exact


def test_numbers_and_dates_out_of_range_are_refused(con, vol, draft):
    from dataclasses import replace

    for bad in (
        replace(draft, individual_count=-1),
        replace(draft, individual_count=10**9),
        replace(draft, event_date=NOW + timedelta(days=1)),
        replace(draft, decimal_latitude=91.0, decimal_longitude=121.0),
        replace(draft, event_date=datetime(1990, 1, 1, tzinfo=SHANGHAI)),
    ):
        with pytest.raises(ValidationError):
            sightings.save_sighting(vol, bad)


def test_no_error_is_anything_but_the_apps_own_type_for_garbage_bytes(con, vol, draft):
    import random

    rnd = random.Random(7)
    for n in range(30):
        junk = bytes(rnd.getrandbits(8) for _ in range(rnd.randint(0, 2000)))
        if n % 3 == 0:
            junk = b"\xff\xd8\xff\xe0" + junk  # JPEG magic, then garbage
        with pytest.raises(HabitatError):
            sightings.save_sighting(vol, draft, [Upload(f"junk{n}.jpg", junk)])


# --- relabelling must not unmask a sensitive record (security review, item 6) -------------------


def _row(view, record):
    rows = view.recent[view.recent["id"] == record.id]
    assert len(rows) == 1, "the record should be on the garden page"
    return rows.iloc[0]


def _zone_count(view, record) -> int:
    return int(view.zones.loc[view.zones["id"] == record.zone_id, "sightings"].iloc[0])


def assert_hidden_from(view, record) -> None:
    """Garden level only: no point, no zone in the recent list, not counted in its zone."""
    row = _row(view, record)
    assert bool(row["generalised"])
    assert row[["lat", "lon"]].isna().all()
    assert {row["zone"], row["zone_en"]} <= {
        record.garden_name,
        record.garden_name_en,
    }  # the garden, not the zone


def assert_exact_for(view, record) -> None:
    row = _row(view, record)
    assert (row["lat"], row["lon"]) == pytest.approx((record.lat, record.lon))
    assert (row["zone"], row["zone_en"]) == (record.zone_name, record.zone_name_en)


def test_an_owl_relabelled_to_a_sparrow_by_volunteers_stays_generalised_on_the_garden_page(con, make_ctx):
    owl = relabel.relabelled_owl(con, make_ctx)
    volunteer = overview.garden_view(make_ctx("xiaoming"), owl.garden_slug)
    assert_hidden_from(volunteer, owl)
    expert = overview.garden_view(make_ctx("zhanggong"), owl.garden_slug)
    # the zone plan counts only what the viewer may place: the owl is in the expert's zone count only
    assert _zone_count(expert, owl) == _zone_count(volunteer, owl) + 1


def test_experts_and_the_committee_still_see_the_relabelled_owls_exact_point_and_zone(con, make_ctx):
    owl = relabel.relabelled_owl(con, make_ctx)
    for who in ("zhanggong", "liuzhuren"):
        view = overview.garden_view(make_ctx(who), owl.garden_slug)
        assert_exact_for(view, owl)
        assert bool(_row(view, owl)["generalised"])  # flagged, so the page says why it is hidden from others


def test_once_an_expert_accepts_the_sparrow_it_is_exact_until_someone_proposes_the_owl_again(con, make_ctx):
    owl = relabel.relabelled_owl(con, make_ctx)
    relabel.expert_accepts_sparrow(con, make_ctx, owl)
    view = overview.garden_view(make_ctx("xiaoming"), owl.garden_slug)
    assert_exact_for(view, owl)
    assert not bool(_row(view, owl)["generalised"])
    relabel.proposes_owl_again(con, make_ctx, owl)
    assert q(
        con,
        "SELECT sp.chinese_name FROM sightings s JOIN species sp ON sp.id = s.species_id WHERE s.id = ?",
        [owl.id],
    ) == [("麻雀",)]  # the expert's decision stands ...
    assert_hidden_from(
        overview.garden_view(make_ctx("xiaoming"), owl.garden_slug), owl
    )  # ... but hidden again


def test_a_nest_is_shown_at_garden_level_without_its_zone(con, make_ctx):
    nest = relabel.log(con, make_ctx, species="麻雀", nest_or_den=True)
    assert_hidden_from(overview.garden_view(make_ctx("xiaoming"), nest.garden_slug), nest)
    assert_exact_for(overview.garden_view(make_ctx("liuzhuren"), nest.garden_slug), nest)
