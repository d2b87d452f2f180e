"""Odd photos through every upload point: each is stored or refused with a message, nothing half-saved.

Every file of ``fx.ODD_PHOTOS`` (16-bit, palette, transparent, CMYK, progressive, HEIC, rotated,
1x1, panoramas, wrong camera clocks, damaged EXIF) and of ``fx.NOT_PHOTOS`` (0 bytes, text, SVG,
GIF, TIFF, animations, cut-off files, a decompression bomb, a file over the upload limit) goes
through each service that accepts uploads: the log form, a patrol's record, upkeep, "ask an
expert", a problem report, an idea, the batch upload and the import-photos command.
"""

from __future__ import annotations

import io
import json
import os
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from PIL import Image

from habitat import photos
from habitat.clock import SHANGHAI, fixed_clock
from habitat.db import unit
from habitat.errors import HabitatError, PhotoError, ValidationError
from habitat.i18n import t
from habitat.services import community, ideas, importing, patrols, photo_store, sightings, upkeep
from habitat.services.context import Ctx
from habitat.services.photo_store import Upload
from habitat.settings import load
from tests.fixtures import images as fx

NOW = fx.ODD_NOW.astimezone(SHANGHAI)  # 2026-12-01 10:00 in Shanghai; "clock-tomorrow" is 12-02
LIMIT_MB = 1  # so fx.NOT_PHOTOS["huge.jpg"] (1.2 MB) is over the upload limit
RECORD_TABLES = ("sightings", "photos", "task_logs", "problems", "questions", "ideas", "visits")
FUTURE_OR_ANCIENT = {"clock-tomorrow.jpg", "clock-2099.jpg", "clock-1900.jpg", "clock-1980.jpg"}


def q(con, sql, params=()):
    return con.execute(sql, list(params)).fetchall()


@pytest.fixture
def config(tmp_path):
    """The conftest settings with a 1 MB upload limit (overrides the conftest fixture)."""
    return load(
        env={},
        secrets_path=tmp_path / "none.toml",
        GARDEN_DB=str(tmp_path / "garden.duckdb"),
        GARDEN_PHOTOS=str(tmp_path / "photos"),
        GARDEN_MAX_UPLOAD_MB=str(LIMIT_MB),
    )


@dataclass
class Place:
    """A volunteer at 中泾 with a zone, a due task and a species: what every upload point needs."""

    con: object
    vol: Ctx
    garden_id: int
    zone_id: int
    task_id: int
    species_id: int
    folder: Path

    def draft(self, **changes) -> sightings.SightingDraft:
        values = dict(
            garden_id=self.garden_id,
            event_date=NOW - timedelta(hours=1),
            species_id=self.species_id,
            zone_id=self.zone_id,
            individual_count=1,
        )
        return sightings.SightingDraft(**(values | changes))


@pytest.fixture
def place(con, make_ctx, tmp_path) -> Place:
    gid, zid = q(
        con,
        "SELECT g.id, z.id FROM gardens g JOIN zones z ON z.garden_id = g.id "
        "WHERE g.slug = 'zhongjing' ORDER BY z.code LIMIT 1",
    )[0]
    task = q(con, "SELECT id FROM task_defs WHERE garden_id = ? AND active ORDER BY id LIMIT 1", [gid])[0][0]
    sp = q(con, "SELECT id FROM species WHERE chinese_name = '麻雀'")[0][0]
    folder = tmp_path / "sdcard"
    folder.mkdir()
    return Place(con, make_ctx("wangayi", clock=fixed_clock(NOW)), gid, zid, task, sp, folder)


# --- the upload points ---------------------------------------------------------------------------
# Each takes (place, uploads) and returns (link column of the photos table, record id); a refused
# file comes back as an exception: the PhotoError the service raised (forms), or the per-file
# refusal of the batch and the import, re-raised here so every point is checked the same way.


def log_form(p: Place, ups):
    return "sighting_id", sightings.save_sighting(p.vol, p.draft(), ups).id


def patrol(p: Place, ups):
    open_patrol = patrols.current_patrol(p.vol)
    visit = (
        open_patrol.id
        if open_patrol
        else patrols.start_patrol(p.vol, p.garden_id, started_at=NOW - timedelta(hours=2))
    )
    return "sighting_id", sightings.save_sighting(p.vol, p.draft(visit_id=visit), ups).id


def upkeep_log(p: Place, ups):
    return "task_log_id", upkeep.log_task(p.vol, p.task_id, minutes=20, uploads=ups)


def ask_expert(p: Place, ups):
    return "question_id", community.ask_expert(p.vol, p.garden_id, p.zone_id, "这是杂草吗？", ups)


def problem_report(p: Place, ups):
    return "problem_id", community.report_problem(p.vol, p.garden_id, p.zone_id, "pond", "水面有油膜", ups)


def idea(p: Place, ups):
    return "idea_id", ideas.propose_idea(p.vol, p.garden_id, p.zone_id, "放一个鸟浴盆", uploads=ups)


def batch(p: Place, ups):
    prepared = importing.prepare_batch(p.vol, p.garden_id, ups)
    if prepared.refused:
        raise prepared.refused[0]
    (group,) = prepared.groups
    draft = p.draft(event_date=group.event_date, source="batch")
    (result,) = importing.save_batch(p.vol, [(draft, group.uploads)])
    if isinstance(result, HabitatError):
        raise result
    return "sighting_id", result.id


def import_photos(p: Place, ups):
    (up,) = ups
    path = p.folder / up.name
    path.write_bytes(up.data)
    os.utime(path, (NOW.timestamp() - 3600,) * 2)  # copied off the card an hour ago
    report = importing.import_photo_files(p.vol, "zhongjing", [path])
    if report["rejected"]:
        raise photo_store.FileRejected(up.name, PhotoError(report["rejected"][0]["key"]))
    (sid,) = report["sighting_ids"]
    return "sighting_id", sid


POINTS = {
    f.__name__: f
    for f in (log_form, patrol, upkeep_log, ask_expert, problem_report, idea, batch, import_photos)
}


def counts(con) -> dict[str, int]:
    return {table: q(con, f"SELECT count(*) FROM {table}")[0][0] for table in RECORD_TABLES}


def files_under(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()) if root.exists() else []


# --- every odd photo is stored, or refused by name, through every upload point ------------------
# One test per upload point runs every file in one database (a fresh database per file and point
# would be ~400 copies) and lists every file that went wrong, not only the first.


def check_stored(p: Place, point: str, name: str) -> None:
    data = fx.ODD_PHOTOS[name]()
    column, record_id = POINTS[point](p, [Upload(name, data)])
    rows = q(
        p.con,
        f"SELECT display_path, thumb_path, width, height, original_name, taken_at FROM photos "
        f"WHERE {column} = ?",
        [record_id],
    )
    assert len(rows) == 1, "no photo row"
    display, thumb, width, height, original_name, taken_at = rows[0]
    assert original_name == name
    info = photos.inspect_photo(data)
    assert (width, height) == (info.width, info.height)
    for rel, box in ((display, 1600), (thumb, 320)):
        with Image.open(p.vol.photo_root / rel) as img:
            assert img.format == "JPEG" and img.mode == "RGB"
            assert len(img.getexif()) == 0 and "comment" not in img.info, "EXIF or comment in a public copy"
            assert img.size == photos._fit(width, height, box), "not the photo's shape"
    if name in FUTURE_OR_ANCIENT:
        assert taken_at is None, f"kept {taken_at} from a wrong clock"


def check_refused(p: Place, point: str, name: str) -> None:
    make, key = fx.NOT_PHOTOS[name]
    before, files_before = counts(p.con), files_under(p.vol.photo_root)
    try:
        POINTS[point](p, [Upload(name, make())])
    except PhotoError as err:
        reason = err.reason if isinstance(err, photo_store.FileRejected) else err.__cause__
        assert reason is not None and reason.key == key, f"refused as {getattr(reason, 'key', err.key)}"
        for lang in ("zh", "en"):
            message = err.message(lang)
            assert name in message and t(key, lang, **reason.params) in message, f"{lang}: {message}"
        assert err.message("zh") != err.message("en")
    else:
        raise AssertionError("stored, not refused")
    assert counts(p.con) == before | {"visits": counts(p.con)["visits"]}, "rows written"  # a patrol may start
    assert files_under(p.vol.photo_root) == files_before, "files left behind"


def problems_with(check, p: Place, point: str, names) -> list[str]:
    problems = []
    for name in names:
        try:
            check(p, point, name)
        except Exception as exc:  # noqa: BLE001 - collect every file's problem, then fail once
            problems.append(f"{name}: {type(exc).__name__}: {exc}")
            # a failed check must not leave the next file inside a transaction
            assert unit.current(p.con) is None, "a unit of work was left open"
    return problems


@pytest.mark.parametrize("point", list(POINTS))
def test_every_odd_but_real_photo_is_stored_with_exif_free_renditions_of_its_shape(place, point):
    assert problems_with(check_stored, place, point, fx.ODD_PHOTOS) == []


@pytest.mark.parametrize("point", list(POINTS))
def test_every_file_that_is_no_usable_photo_is_refused_by_name_in_both_languages_and_nothing_is_saved(
    place, point
):
    assert problems_with(check_refused, place, point, fx.NOT_PHOTOS) == []


def test_the_upload_limit_is_the_services_own_not_streamlits(place):
    data = fx.NOT_PHOTOS["huge.jpg"][0]()
    with pytest.raises(PhotoError) as refused:
        log_form(place, [Upload("huge.jpg", data)])
    assert refused.value.reason.params == {"mb": 1.2, "limit_mb": LIMIT_MB}
    photos.inspect_photo(data)  # under the default 25 MB limit it is a fine photo


def test_every_bad_file_of_a_record_is_named_at_once_in_both_languages(place):
    ups = [
        Upload("ok.jpg", fx.make_jpeg(color=(1, 2, 3))),
        Upload("empty.jpg", b""),
        Upload("drawing.svg", fx.make_svg()),
    ]
    before = counts(place.con)
    with pytest.raises(PhotoError) as refused:
        log_form(place, ups)
    err = refused.value
    assert err.key == "photo.files_rejected"
    assert [(r.file, r.reason.key) for r in err.rejected] == [
        ("empty.jpg", "photo.empty"),
        ("drawing.svg", "photo.unsupported_format"),
    ]
    for lang in ("zh", "en"):
        assert all(r.message(lang) in err.message(lang) for r in err.rejected)
    assert counts(place.con) == before


# --- batch: a bad file never loses the good ones -------------------------------------------------


def test_a_batch_with_bad_files_keeps_every_good_photo(place):
    good = [Upload(n, m()) for n, m in fx.ODD_PHOTOS.items()]
    bad_names = [
        "empty.jpg",
        "notes.jpg",
        "drawing.svg",
        "animated.gif",
        "cut-off.jpg",
        "bomb.png",
        "huge.jpg",
    ]
    bad = [Upload(n, fx.NOT_PHOTOS[n][0]()) for n in bad_names]
    ups = good[:16] + bad + good[16:]
    assert len(ups) <= importing.MAX_BATCH
    prepared = importing.prepare_batch(place.vol, place.garden_id, ups)
    assert [(r.file, r.reason.key) for r in prepared.refused] == [(n, fx.NOT_PHOTOS[n][1]) for n in bad_names]
    assert [name for name, _ in prepared.rejected] == bad_names  # the page's (file, reason) pairs
    grouped = [u.name for g in prepared.groups for u in g.uploads]
    assert sorted(grouped) == sorted(u.name for u in good)
    assert all(len(g.uploads) <= photo_store.MAX_PHOTOS_PER_RECORD for g in prepared.groups)
    items = [(place.draft(event_date=g.event_date, source="batch"), g.uploads) for g in prepared.groups]
    results = importing.save_batch(place.vol, items)
    assert [r for r in results if isinstance(r, HabitatError)] == []
    stored = q(
        place.con,
        "SELECT original_name FROM photos p JOIN sightings s ON s.id = p.sighting_id "
        "WHERE s.source = 'batch'",
    )
    assert sorted(n for (n,) in stored) == sorted(u.name for u in good)


def test_many_photos_within_minutes_become_records_of_at_most_six_photos(place):
    ups = [
        Upload(
            f"IMG_{i:02}.jpg", fx.make_jpeg(40, 30, color=(i * 9, 80, 40), taken=f"2026:12:01 09:{i:02}:00")
        )
        for i in range(14)
    ]
    prepared = importing.prepare_batch(place.vol, place.garden_id, ups)
    assert [len(g.uploads) for g in prepared.groups] == [6, 6, 2]
    items = [(place.draft(event_date=g.event_date, source="batch"), g.uploads) for g in prepared.groups]
    assert not [r for r in importing.save_batch(place.vol, items) if isinstance(r, HabitatError)]
    assert q(
        place.con,
        "SELECT count(*) FROM photos p JOIN sightings s ON s.id = p.sighting_id WHERE s.source = 'batch'",
    ) == [(14,)]


def test_the_same_photo_twice_in_a_batch_or_already_saved_is_refused_and_the_rest_kept(place):
    saved = fx.make_jpeg(color=(90, 10, 10))
    log_form(place, [Upload("earlier.jpg", saved)])
    twice = fx.make_jpeg(color=(10, 90, 10), taken="2026:12:01 09:00:00")
    ups = [
        Upload("a.jpg", twice),
        Upload("a-copy.jpg", twice),
        Upload("again.jpg", saved),
        Upload("b.jpg", fx.make_jpeg(color=(10, 10, 90), taken="2026:12:01 09:01:00")),
    ]
    prepared = importing.prepare_batch(place.vol, place.garden_id, ups)
    assert [(r.file, r.reason.key) for r in prepared.refused] == [
        ("a-copy.jpg", "photo.same_twice"),
        ("again.jpg", "photo.duplicate_sighting"),
    ]
    assert [[u.name for u in g.uploads] for g in prepared.groups] == [["a.jpg", "b.jpg"]]
    (result,) = importing.save_batch(place.vol, [(place.draft(source="batch"), prepared.groups[0].uploads)])
    assert len(result.photo_ids) == 2


def test_a_bad_file_that_reaches_save_batch_is_left_out_and_named_and_its_group_saved(place):
    ups = [Upload("good.jpg", fx.make_jpeg(color=(5, 50, 5))), Upload("notes.jpg", b"just text")]
    other = [Upload("other.jpg", fx.make_jpeg(color=(50, 5, 5)))]
    results = importing.save_batch(
        place.vol, [(place.draft(source="batch"), ups), (place.draft(source="batch"), other)]
    )
    first, second = results
    assert isinstance(first, sightings.Saved) and len(first.photo_ids) == 1
    assert [(r.file, r.reason.key) for r in first.refused_files] == [("notes.jpg", "photo.not_an_image")]
    assert isinstance(second, sightings.Saved) and len(second.photo_ids) == 1


def test_a_group_whose_every_file_is_bad_is_not_saved_and_says_why(place):
    before = counts(place.con)
    (result,) = importing.save_batch(
        place.vol, [(place.draft(source="batch"), [Upload("notes.jpg", b"text")])]
    )
    assert isinstance(result, PhotoError) and result.reason.key == "photo.not_an_image"
    assert counts(place.con) == before


# --- wrong camera clocks -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "warning"),
    [
        ("clock-tomorrow.jpg", "photo.warn_time_future"),
        ("clock-2099.jpg", "photo.warn_time_future"),
        ("clock-1900.jpg", "photo.warn_time_ancient"),
        ("clock-1980.jpg", "photo.warn_time_ancient"),
    ],
)
def test_the_log_form_is_not_offered_a_photo_time_from_a_wrong_clock(place, name, warning):
    sha, hints = sightings.photo_hints(place.vol, place.garden_id, [Upload(name, fx.ODD_PHOTOS[name]())])
    assert hints.event_date is None
    assert warning in hints.warnings
    assert t(warning, "zh") != t(warning, "en")


def test_a_photo_older_than_a_record_may_be_is_not_offered_either(place):
    data = fx.make_jpeg(64, 48, taken="2019:06:01 08:00:00", offset="+08:00")
    _, hints = sightings.photo_hints(place.vol, place.garden_id, [Upload("old.jpg", data)])
    assert hints.event_date is None and "photo.warn_time_too_old" in hints.warnings


def test_a_clock_a_few_minutes_ahead_gives_now_never_a_time_after_now(place):
    data = fx.make_jpeg(64, 48, taken="2026:12:01 10:05:00", offset="+08:00")
    _, hints = sightings.photo_hints(place.vol, place.garden_id, [Upload("ahead.jpg", data)])
    assert hints.event_date == NOW and hints.warnings == ()


def test_a_good_photo_time_is_still_offered(place):
    data = fx.make_jpeg(64, 48, taken="2026:12:01 08:15:00", offset="+08:00")
    _, hints = sightings.photo_hints(place.vol, place.garden_id, [Upload("fine.jpg", data)])
    assert hints.event_date == datetime(2026, 12, 1, 8, 15, tzinfo=SHANGHAI) and hints.warnings == ()


def test_wrong_clocks_in_a_batch_make_no_absurd_groups(place):
    def shot(name, taken):
        return Upload(name, fx.make_jpeg(40, 30, color=(len(name) * 7 % 255, 60, 90), taken=taken))

    ups = [
        shot("real-1.jpg", "2026:12:01 09:00:00"),
        shot("real-2.jpg", "2026:12:01 09:01:00"),
        shot("future-1.jpg", "2099:01:01 12:00:00"),
        shot("future-2.jpg", "2099:01:01 12:01:00"),
        shot("ancient.jpg", "1900:01:01 00:00:00"),
        shot("trap-2000.jpg", "2000:01:01 00:00:00"),
    ]
    prepared = importing.prepare_batch(place.vol, place.garden_id, ups)
    groups = {tuple(u.name for u in g.uploads): g for g in prepared.groups}
    assert set(groups) == {
        ("real-1.jpg", "real-2.jpg"),
        ("future-1.jpg", "future-2.jpg"),
        ("ancient.jpg",),
        ("trap-2000.jpg",),
    }
    assert groups[("real-1.jpg", "real-2.jpg")].event_date == datetime(2026, 12, 1, 9, 0, tzinfo=SHANGHAI)
    for names, warning in (
        (("future-1.jpg", "future-2.jpg"), "photo.warn_time_future"),
        (("ancient.jpg",), "photo.warn_time_ancient"),
        (("trap-2000.jpg",), "photo.warn_time_too_old"),
    ):
        assert groups[names].event_date == NOW and warning in groups[names].hints.warnings
    items = [(place.draft(event_date=g.event_date, source="batch"), g.uploads) for g in prepared.groups]
    assert not [r for r in importing.save_batch(place.vol, items) if isinstance(r, HabitatError)]


def test_import_photos_uses_the_file_time_when_the_camera_clock_is_wrong_and_says_so(place):
    for name in ("clock-2099.jpg", "clock-1900.jpg"):
        (place.folder / name).write_bytes(fx.ODD_PHOTOS[name]())
        os.utime(place.folder / name, (NOW.timestamp() - 7200,) * 2)
    report = importing.import_photo_files(place.vol, "zhongjing", [place.folder])
    assert report["imported"] == 2 and report["rejected"] == []
    dates = q(
        place.con, "SELECT event_date FROM sightings WHERE id IN (SELECT unnest(?))", [report["sighting_ids"]]
    )
    assert {d.astimezone(SHANGHAI) for (d,) in dates} == {NOW - timedelta(hours=2)}
    assert sorted((Path(w["file"]).name, w["key"]) for w in report["warnings"]) == [
        ("clock-1900.jpg", "photo.warn_time_ancient"),
        ("clock-2099.jpg", "photo.warn_time_future"),
    ]


# --- the import-photos command and the tally sheet -----------------------------------------------


def test_import_photos_command_lists_each_refused_file_with_its_key_in_its_json(demo_db, tmp_path):
    from habitat.cli.data import import_photos as command

    folder = tmp_path / "card"
    folder.mkdir()
    (folder / "ok.jpg").write_bytes(fx.make_jpeg(color=(3, 30, 3)))
    (folder / "grey-16bit.png").write_bytes(fx.ODD_PHOTOS["grey-16bit.png"]())
    for name in ("empty.jpg", "drawing.svg", "animated.gif"):
        (folder / name).write_bytes(fx.NOT_PHOTOS[name][0]())
    env = {"GARDEN_PHOTOS": str(tmp_path / "photos"), "GARDEN_LANG": "en"}
    result = CliRunner(env=env).invoke(command, ["--db", str(demo_db), "--garden", "zhongjing", str(folder)])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["imported"] == 2
    refused = {Path(r["file"]).name: (r["key"], r["reason"]) for r in report["rejected"]}
    assert refused == {
        "empty.jpg": ("photo.empty", t("photo.empty", "en")),
        "drawing.svg": ("photo.unsupported_format", t("photo.unsupported_format", "en", format="SVG")),
        "animated.gif": ("photo.animated", t("photo.animated", "en")),
    }


@pytest.mark.parametrize("name", ["phone.heic", "grey-16bit.png", "pixel-1x1.jpg"])
def test_a_photo_given_as_a_tally_sheet_is_refused_as_not_a_table(place, name):
    with pytest.raises(ValidationError) as refused:
        importing.import_tally(place.vol, place.garden_id, fx.ODD_PHOTOS[name]())
    assert refused.value.key == "import.not_a_table"
    assert refused.value.message("zh") != refused.value.message("en")


def test_a_tally_sheet_over_the_upload_limit_is_refused_before_it_is_read(place):
    big = ("species,count,zone,time\n麻雀,1,A,2026-12-01 09:00\n" + ",,,\n" * 300_000).encode()
    assert len(big) > LIMIT_MB * 2**20
    with pytest.raises(ValidationError) as refused:
        importing.import_tally(place.vol, place.garden_id, big)
    assert refused.value.key == "import.too_large" and refused.value.params["limit_mb"] == LIMIT_MB


# --- previews for pages --------------------------------------------------------------------------


@pytest.mark.parametrize("name", list(fx.ODD_PHOTOS))
def test_streamlit_can_show_the_preview_of_every_odd_photo(name):
    """st.image re-encodes what it gets with Pillow: raw 16-bit PNG or HEIC bytes fail there."""
    from streamlit.elements.lib.image_utils import image_to_url
    from streamlit.elements.lib.layout_utils import LayoutConfig

    preview = photos.preview_bytes(fx.ODD_PHOTOS[name](), 220)
    image_to_url(preview, LayoutConfig(width=110), False, "RGB", "auto", f"preview-{name}")


def test_raw_16_bit_png_bytes_break_streamlits_image_but_the_preview_does_not(place):
    from streamlit.elements.lib.image_utils import image_to_url
    from streamlit.elements.lib.layout_utils import LayoutConfig

    data = fx.ODD_PHOTOS["grey-16bit.png"]()
    with pytest.raises(OSError, match="I;16"):  # what the batch page did: st.image(raw bytes)
        image_to_url(data, LayoutConfig(width=110), False, "RGB", "auto", "raw")
    preview = photo_store.preview(place.vol, Upload("a.png", data), 220)
    image_to_url(preview, LayoutConfig(width=110), False, "RGB", "auto", "ok")


def test_the_service_preview_applies_the_configured_limit_and_names_the_file(place):
    with pytest.raises(PhotoError) as refused:
        photo_store.preview(place.vol, Upload("huge.jpg", fx.NOT_PHOTOS["huge.jpg"][0]()))
    assert refused.value.reason.key == "photo.too_large" and "huge.jpg" in refused.value.message("zh")
    with Image.open(io.BytesIO(photo_store.preview(place.vol, Upload("p.png", fx.make_png16())))) as img:
        assert (img.format, img.mode, img.size) == ("JPEG", "RGB", (64, 48))
