"""Half-filled forms are kept per person and form, with their photos, until saved or discarded."""

from datetime import date, datetime, time, timedelta

import pytest

from habitat import maintenance
from habitat.clock import SHANGHAI, fixed_clock
from habitat.errors import PermissionDenied, ValidationError
from habitat.services import drafts
from habitat.services.photo_store import Upload
from tests.fixtures import images as fx

NOW = datetime(2026, 12, 1, 10, 30, tzinfo=SHANGHAI)


def test_a_draft_round_trips_every_kind_of_value_and_its_photos(make_ctx):
    ctx = make_ctx("wangayi", clock=fixed_clock(NOW))
    photo = fx.make_jpeg(width=120, height=90)
    fields = {
        "note": "池塘边 ![x](http://h/x.png)",
        "count": 3,
        "present": False,
        "when_date": date(2026, 12, 1),
        "when_time": time(9, 40),
        "zone": 12,
        "species": None,
        "groups": ["bird", "plant"],
        "temp": 12.5,
    }
    drafts.save(ctx, "log_sighting", fields, [Upload("IMG_1.jpg", photo)])
    got = drafts.load(ctx, "log_sighting")
    assert got.fields == fields
    assert [(u.name, u.data) for u in got.uploads] == [("IMG_1.jpg", photo)]
    assert got.updated_at == NOW


def test_drafts_belong_to_one_person_and_one_form(make_ctx):
    mine, other = make_ctx("wangayi", clock=fixed_clock(NOW)), make_ctx("lishushu", clock=fixed_clock(NOW))
    drafts.save(mine, "patrol", {"observers": "王阿姨"})
    assert drafts.load(other, "patrol") is None
    assert drafts.load(mine, "log_sighting") is None
    assert drafts.load(mine, "patrol").fields == {"observers": "王阿姨"}


def test_discarding_removes_the_row_and_the_photo_files(make_ctx, con):
    ctx = make_ctx("wangayi", clock=fixed_clock(NOW))
    drafts.save(ctx, "log_sighting", {"note": "x"}, [Upload("a.jpg", fx.make_jpeg(width=60, height=40))])
    folder = ctx.photo_root / drafts.FOLDER
    assert len(list(folder.rglob("*.bin"))) == 1
    drafts.discard(ctx, "log_sighting")
    assert drafts.load(ctx, "log_sighting") is None
    assert list(folder.rglob("*.bin")) == []
    assert con.execute("SELECT count(*) FROM drafts").fetchall() == [(0,)]


def test_replacing_a_draft_drops_photos_no_longer_chosen_but_keeps_shared_ones(make_ctx):
    ctx = make_ctx("wangayi", clock=fixed_clock(NOW))
    a, b = (
        fx.make_jpeg(width=60, height=40, color=(1, 2, 3)),
        fx.make_jpeg(width=60, height=40, color=(9, 8, 7)),
    )
    drafts.save(ctx, "log_sighting", {}, [Upload("a.jpg", a), Upload("b.jpg", b)])
    drafts.save(ctx, "ask", {}, [Upload("b.jpg", b)])
    drafts.save(ctx, "log_sighting", {}, [Upload("a.jpg", a)])
    assert len(list((ctx.photo_root / drafts.FOLDER).rglob("*.bin"))) == 2  # b still used by the question
    assert [u.data for u in drafts.load(ctx, "ask").uploads] == [b]


def test_an_old_draft_is_not_offered(make_ctx):
    drafts.save(make_ctx("wangayi", clock=fixed_clock(NOW)), "upkeep", {"note": "浇水"})
    later = make_ctx("wangayi", clock=fixed_clock(NOW + timedelta(days=drafts.KEEP_DAYS, minutes=1)))
    assert drafts.load(later, "upkeep") is None


def test_nobody_signed_in_keeps_no_draft_and_unknown_forms_are_refused(make_ctx):
    with pytest.raises(PermissionDenied):
        drafts.save(make_ctx(None), "patrol", {"x": 1})
    with pytest.raises(ValidationError):
        drafts.save(make_ctx("wangayi"), "../../etc", {"x": 1})
    with pytest.raises(ValidationError):
        drafts.save(make_ctx("wangayi"), "ask", {"body": "字" * 40_000})


def test_check_counts_draft_photos_as_in_use_and_stale_ones_as_orphans(make_ctx, con):
    ctx = make_ctx("wangayi", clock=fixed_clock(NOW))
    drafts.save(ctx, "log_sighting", {}, [Upload("a.jpg", fx.make_jpeg(width=60, height=40))])
    stray = ctx.photo_root / drafts.FOLDER / "999" / ("0" * 64 + ".bin")
    stray.parent.mkdir(parents=True)
    stray.write_bytes(b"left over")
    report = maintenance.check(con, ctx.photo_root)
    drafts_orphans = [p for p in report["orphan_files"] if p.startswith(drafts.FOLDER)]
    assert drafts_orphans == [stray.relative_to(ctx.photo_root).as_posix()]
