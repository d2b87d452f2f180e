"""当季常见 (services/suggest.seasonal_common) against a count made here, in Python, from the raw rows of a
fresh demo database, plus hand-built records at the edges of the ±14-day window: records of other
years count by their day of the year, across New Year; rejected and withdrawn records never count;
this garden's taxa come first and the town fills up; the photo is from an accepted record."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from habitat.clock import SHANGHAI, fixed_clock
from habitat.domain import verification as v
from habitat.services import review, sightings, suggest
from habitat.services.photo_store import Upload
from tests.fixtures import images as fx

NOW = datetime(2026, 6, 15, 10, 0, tzinfo=SHANGHAI)
ON_DAY = date(2026, 1, 3)  # the window runs 2025-12-20 .. 2026-01-17, and the same days of other years


def q(con, sql, params=()):
    return con.execute(sql, list(params)).fetchall()


def shifted(day: date, year: int) -> date:
    try:
        return day.replace(year=year)
    except ValueError:  # 29 February
        return day.replace(year=year, day=28)


def season_offset(day: date, on_day: date) -> int:
    return min(abs((shifted(day, on_day.year + k) - on_day).days) for k in (-1, 0, 1))


def expected(con, garden_id: int, on_day: date, limit: int) -> list[tuple[int, bool, int, int]]:
    """(taxon, planted, garden records, town records), ranked as the cards show them: an independent
    count over every row, with the rules written out here."""
    town = q(con, "SELECT town FROM gardens WHERE id = ?", [garden_id])[0][0]
    rows = q(
        con,
        """SELECT s.garden_id, coalesce(sp.accepted_id, sp.id), s.degree_of_establishment,
                  s.event_date, s.identification_verification_status, s.withdrawn, g.town
           FROM sightings s JOIN gardens g ON g.id = s.garden_id JOIN species sp ON sp.id = s.species_id""",
    )
    taxa = {i: (rank, pinyin) for i, rank, pinyin in q(con, "SELECT id, taxon_rank, pinyin FROM species")}
    counts: dict[tuple[int, bool], list[int]] = {}
    for gid, taxon, establishment, when, status, withdrawn, g_town in rows:
        if withdrawn or g_town != town or status in (v.NOT_ACCEPTED_UNABLE, v.NOT_ACCEPTED_INCORRECT):
            continue
        if taxa[taxon][0] not in ("species", "subspecies", "genus"):
            continue
        if season_offset(when.astimezone(SHANGHAI).date(), on_day) > 14:
            continue
        c = counts.setdefault((taxon, establishment == "cultivated"), [0, 0])
        c[0] += gid == garden_id
        c[1] += 1
    ranked = sorted(
        counts.items(),
        key=lambda item: (
            item[1][0] == 0,
            -item[1][0],
            -item[1][1],
            taxa[item[0][0]][1] is None,
            taxa[item[0][0]][1] or "",
            item[0][0],
            item[0][1],
        ),
    )
    return [(taxon, planted, g, t) for (taxon, planted), (g, t) in ranked[:limit]]


def shown(found: list[suggest.Suggestion]) -> list[tuple[int, bool, int, int]]:
    return [(s.species_id, s.planted, s.garden_records, s.town_records) for s in found]


@pytest.fixture
def vol(make_ctx):
    return make_ctx("wangayi", clock=fixed_clock(NOW))


@pytest.fixture
def expert(make_ctx):
    return make_ctx("xuboshi", clock=fixed_clock(NOW))


def garden_id(con, slug: str) -> int:
    return q(con, "SELECT id FROM gardens WHERE slug = ?", [slug])[0][0]


def taxon(con, name: str) -> int:
    return q(con, "SELECT id FROM species WHERE chinese_name = ?", [name])[0][0]


def log(vol, gid, species, day: date, *, photo: bytes | None = None, planted=False) -> int:
    draft = sightings.SightingDraft(
        garden_id=gid,
        event_date=datetime(day.year, day.month, day.day, 9, 30, tzinfo=SHANGHAI),
        species_id=species,
        degree_of_establishment="cultivated" if planted else "wild",
    )
    uploads = [Upload(f"IMG_{day:%Y%m%d}.jpg", photo)] if photo else []
    return sightings.save_sighting(vol, draft, uploads).id


def decide(con, expert, sid: int, status: str) -> None:
    version = q(con, "SELECT version FROM sightings WHERE id = ?", [sid])[0][0]
    review.decide(expert, sid, version, status)


@pytest.mark.parametrize("on_day", [ON_DAY, date(2026, 6, 15), date(2026, 11, 21), date(2026, 3, 1)])
def test_the_suggestions_are_the_independent_count_of_the_demo(con, vol, on_day):
    gid = garden_id(con, "zhongjing")
    for limit in (3, 8, 60):
        assert shown(suggest.seasonal_common(vol, gid, on_day, limit=limit)) == expected(
            con, gid, on_day, limit
        )


def test_window_edges_rejected_withdrawn_and_the_accepted_photo(con, vol, expert):
    gid = garden_id(con, "zhongjing")
    kite = taxon(con, "斐豹蛱蝶")  # a summer butterfly: no record of it around New Year in the demo
    assert kite not in {s.species_id for s in suggest.seasonal_common(vol, gid, ON_DAY, limit=200)}
    counted = [
        log(vol, gid, kite, date(2025, 12, 20)),  # 14 days before
        log(vol, gid, kite, date(2024, 1, 17)),  # 14 days after, another year
        log(vol, gid, kite, date(2024, 12, 31), photo=fx.make_jpeg(color=(200, 40, 40))),  # over New Year
    ]
    log(vol, gid, kite, date(2025, 12, 19))  # 15 days before: not counted
    log(vol, gid, kite, date(2024, 1, 18))  # 15 days after: not counted
    rejected = log(vol, gid, kite, date(2026, 1, 2), photo=fx.make_jpeg(color=(40, 200, 40)))
    decide(con, expert, rejected, v.NOT_ACCEPTED_INCORRECT)
    withdrawn = log(vol, gid, kite, date(2026, 1, 1))
    version = q(con, "SELECT version FROM sightings WHERE id = ?", [withdrawn])[0][0]
    sightings.withdraw_sighting(vol, withdrawn, version)
    newer_unreviewed = log(vol, gid, kite, date(2026, 1, 3), photo=fx.make_jpeg(color=(40, 40, 200)))
    counted.append(newer_unreviewed)
    decide(con, expert, counted[2], v.ACCEPTED_CORRECT)

    found = {s.species_id: s for s in suggest.seasonal_common(vol, gid, ON_DAY, limit=200)}
    card = found[kite]
    assert (card.garden_records, card.town_records, card.planted) == (len(counted), len(counted), False)
    assert card.chinese_name == "斐豹蛱蝶" and card.group == "butterfly"
    accepted_photo = q(con, "SELECT id, thumb_path FROM photos WHERE sighting_id = ?", [counted[2]])[0]
    assert (card.photo_id, card.thumb_path) == accepted_photo  # not the newer unreviewed or rejected one
    assert shown(suggest.seasonal_common(vol, gid, ON_DAY, limit=8)) == expected(con, gid, ON_DAY, 8)
    assert shown(suggest.seasonal_common(vol, gid, ON_DAY, limit=8))[0][0] == kite  # now the most recorded


def test_the_garden_comes_first_and_the_town_fills_up(con, vol):
    gid, other = garden_id(con, "zhongjing"), garden_id(con, "changxin")
    only_there = taxon(con, "斐豹蛱蝶")
    for day in [date(2025, 12, 24) + timedelta(days=3 * i) for i in range(9)]:  # Dec 24 .. Jan 17
        log(vol, other, only_there, day)  # more records than any taxon has in zhongjing, but not there
    in_garden = [s for s in suggest.seasonal_common(vol, gid, ON_DAY, limit=200) if s.from_garden]
    assert 3 <= len(in_garden) < 200
    few = suggest.seasonal_common(vol, gid, ON_DAY, limit=len(in_garden))
    assert all(s.from_garden for s in few) and only_there not in {s.species_id for s in few}
    more = suggest.seasonal_common(vol, gid, ON_DAY, limit=len(in_garden) + 3)
    assert [s.from_garden for s in more] == [True] * len(in_garden) + [False] * 3
    assert more[len(in_garden)].species_id == only_there  # the town's most recorded fills first
    assert more[len(in_garden)].town_records == 9 and more[len(in_garden)].garden_records == 0


def test_planted_and_wild_are_kept_apart_and_hard_taxa_are_marked(con, vol):
    gid = garden_id(con, "zhongjing")
    plant = q(
        con,
        "SELECT id FROM species WHERE group_name = 'plant' AND taxon_rank = 'species' ORDER BY id LIMIT 1",
    )[0][0]
    log(vol, gid, plant, date(2026, 1, 2), planted=True)
    log(vol, gid, plant, date(2026, 1, 1), planted=True)
    log(vol, gid, plant, date(2025, 12, 30))
    cards = [s for s in suggest.seasonal_common(vol, gid, ON_DAY, limit=200) if s.species_id == plant]
    assert {(s.planted, s.garden_records) for s in cards} >= {(True, 2), (False, 1)}
    difficulty = dict(q(con, "SELECT id, difficulty FROM species"))
    for s in suggest.seasonal_common(vol, gid, ON_DAY, limit=200):
        assert s.hard == (difficulty[s.species_id] >= 4)


def test_every_photo_shown_is_of_an_accepted_record_of_that_taxon(con, vol):
    gid = garden_id(con, "zhongjing")
    for day in (ON_DAY, date(2026, 6, 15), date(2026, 11, 21)):
        for s in suggest.seasonal_common(vol, gid, day, limit=60):
            if s.photo_id is None:
                continue
            ((status, species, withdrawn),) = q(
                con,
                """SELECT s.identification_verification_status, coalesce(sp.accepted_id, sp.id), p.withdrawn
                   FROM photos p JOIN sightings s ON s.id = p.sighting_id JOIN species sp ON sp.id = s.species_id
                   WHERE p.id = ?""",
                [s.photo_id],
            )
            assert status in v.ACCEPTED and species == s.species_id and not withdrawn


def test_a_datetime_is_taken_as_its_shanghai_day(con, vol):
    gid = garden_id(con, "zhongjing")
    late = datetime(2026, 1, 3, 23, 30, tzinfo=SHANGHAI) - timedelta(hours=8)  # 15:30 UTC, same day
    assert shown(suggest.seasonal_common(vol, gid, late)) == expected(con, gid, ON_DAY, 8)
