"""Partners, events, sign-ups, attendance, BioBlitz scoring and children's plots, through the services."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pandas as pd
import pytest

from habitat.clock import SHANGHAI, fixed_clock
from habitat.db import connect, migrate
from habitat.db import dashboard as dash_db
from habitat.domain import bioblitz
from habitat.errors import NotFound, PermissionDenied, ValidationError
from habitat.services import event_signups, events, partners, plots, sightings

NOW = datetime.now(SHANGHAI).replace(second=0, microsecond=0)


def ensure_events_demo(con, config) -> None:
    """The demo's partners and events (habitat.demo.build calls build_events_demo; added here if it did not)."""
    if con.execute("SELECT count(*) FROM partners").fetchall()[0][0]:
        return
    from habitat.demo.events import build_events_demo
    from habitat.services.context import Ctx, transaction

    ctx = Ctx(con=con, user=None, config=config)
    gardens = dict(con.execute("SELECT slug, id FROM gardens").fetchall())
    people = dict(con.execute("SELECT username, id FROM people").fetchall())
    built_on = con.execute("SELECT max(created_at) FROM people").fetchall()[0][0].astimezone(SHANGHAI).date()
    with transaction(ctx):
        build_events_demo(ctx, gardens, people, built_on)


@pytest.fixture
def world(con, config, make_ctx):
    ensure_events_demo(con, config)

    class World:
        garden = con.execute("SELECT id FROM gardens WHERE slug = 'zhongjing'").fetchall()[0][0]
        other_garden = con.execute("SELECT id FROM gardens WHERE slug = 'xinsen'").fetchall()[0][0]
        zone = con.execute("SELECT id FROM zones WHERE garden_id = ? AND code = 'B'", [garden]).fetchall()[0][
            0
        ]
        other_zone = con.execute(
            "SELECT id FROM zones WHERE garden_id = ? LIMIT 1", [other_garden]
        ).fetchall()[0][0]
        ids = dict(con.execute("SELECT username, id FROM people").fetchall())
        sparrow = con.execute("SELECT id FROM species WHERE chinese_name = '麻雀'").fetchall()[0][0]
        zoo = con.execute("SELECT id FROM partners WHERE name = '上海动物园'").fetchall()[0][0]

        def ctx(self, username, at=NOW):
            return make_ctx(username, clock=fixed_clock(at))

        def draft(self, **changes):
            start = changes.pop("starts_at", NOW + timedelta(days=3))
            values = dict(
                garden_id=self.garden,
                kind="nature_class",
                title="认识蜻蜓",
                starts_at=start,
                ends_at=start + timedelta(hours=1, minutes=30),
            )
            values.update(changes)
            return events.EventDraft(**values)

        def event(self, by="liuzhuren", **changes):
            return events.plan_event(self.ctx(by), self.draft(**changes))

    return World()


def rows(con, sql, params=()):
    return con.execute(sql, list(params)).fetchall()


# ------------------------------------------------------------------------------------------ planning


def test_the_committee_plans_an_event_with_host_partner_and_audience(con, world):
    eid = world.event(
        host_id=world.ids["wangayi"],
        partner_id=world.zoo,
        zone_id=world.zone,
        capacity=20,
        audience=("families", "children"),
        place="东门",
        description="带上放大镜",
    )
    assert rows(
        con,
        "SELECT kind, title, host_id, partner_id, capacity, audience, place, created_by, cancelled"
        " FROM events WHERE id = ?",
        [eid],
    ) == [
        (
            "nature_class",
            "认识蜻蜓",
            world.ids["wangayi"],
            world.zoo,
            20,
            "children|families",
            "东门",
            world.ids["liuzhuren"],
            False,
        )
    ]
    assert rows(
        con, "SELECT actor_id FROM audit_log WHERE action = 'plan_event' AND entity_id = ?", [eid]
    ) == [(world.ids["liuzhuren"],)]


def test_a_volunteer_plans_an_event_they_host_but_not_one_for_someone_else(con, world):
    eid = world.event(by="wangayi")
    assert rows(con, "SELECT host_id FROM events WHERE id = ?", [eid]) == [(world.ids["wangayi"],)]
    with pytest.raises(PermissionDenied):
        world.event(by="wangayi", host_id=world.ids["lishushu"])


@pytest.mark.parametrize(
    "changes, key",
    [
        ({"kind": "party"}, "event.bad_kind"),
        ({"kind": "plot_session"}, "event.bad_kind"),
        ({"title": "   "}, "event.title_needed"),
        ({"title": "长" * 101}, "event.title_too_long"),
        ({"ends_at": NOW + timedelta(days=3) - timedelta(minutes=1)}, "event.ends_before_start"),
        ({"ends_at": NOW + timedelta(days=3, hours=25)}, "event.too_long"),
        ({"starts_at": NOW + timedelta(days=400)}, "event.too_far"),
        ({"capacity": 0}, "event.bad_capacity"),
        ({"capacity": 501}, "event.bad_capacity"),
        ({"audience": ("teenagers",)}, "event.bad_audience"),
        ({"partner_id": 999_999}, "event.unknown_partner"),
        ({"host_id": 999_999}, "event.unknown_host"),
        ({"description": "字" * 2001}, "event.text_too_long"),
    ],
)
def test_a_bad_event_draft_is_refused_with_a_message_key(con, world, changes, key):
    before = rows(con, "SELECT count(*) FROM events")
    with pytest.raises(ValidationError) as err:
        world.event(**changes)
    assert err.value.key == key
    assert rows(con, "SELECT count(*) FROM events") == before


def test_place_and_time_rules_reuse_the_sighting_messages(world):
    with pytest.raises(ValidationError) as err:
        world.event(zone_id=world.other_zone)
    assert err.value.key == "sighting.zone_not_in_garden"
    naive = datetime(2026, 12, 1, 9, 0)
    with pytest.raises(ValidationError) as err:
        world.event(starts_at=naive, ends_at=naive + timedelta(hours=1))
    assert err.value.key == "sighting.time_needs_zone"


def test_nobody_signed_in_cannot_plan_or_sign_up(world, make_ctx):
    anonymous = make_ctx(None)
    with pytest.raises(PermissionDenied):
        events.plan_event(anonymous, world.draft())
    eid = world.event()
    with pytest.raises(PermissionDenied):
        event_signups.sign_up(anonymous, eid)


# --------------------------------------------------------------------------------------------- sign-ups


def test_signing_up_fills_places_and_a_second_or_overfull_signup_is_refused(con, world):
    eid = world.event(capacity=3)
    sid = event_signups.sign_up(world.ctx("wangayi"), eid, helper=True)
    assert rows(
        con, "SELECT person_id, head_count, is_child, helper, name FROM event_signups WHERE id = ?", [sid]
    ) == [(world.ids["wangayi"], 1, False, True, None)]
    with pytest.raises(ValidationError) as err:
        event_signups.sign_up(world.ctx("wangayi"), eid)
    assert err.value.key == "event.already_signed_up"
    with pytest.raises(ValidationError) as err:
        event_signups.add_group_signup(world.ctx("liuzhuren"), eid, 3, children=True)
    assert (err.value.key, err.value.params) == ("event.full", {"left": 2})
    event_signups.add_group_signup(world.ctx("liuzhuren"), eid, 2, children=True)
    detail = events.event_detail(world.ctx("wangayi"), eid)
    assert (detail.signed_up, detail.places_left, detail.my_signup_id) == (3, 0, sid)


def test_children_are_signed_up_as_a_head_count_and_never_by_name(con, world):
    eid = world.event()
    sid = event_signups.add_group_signup(world.ctx("liuzhuren"), eid, 12, children=True, note="二年级")
    assert rows(
        con, "SELECT person_id, name, head_count, is_child FROM event_signups WHERE id = ?", [sid]
    ) == [(None, None, 12, True)]
    with pytest.raises(ValidationError) as err:
        event_signups.add_group_signup(world.ctx("liuzhuren"), eid, 1, children=True, name="小红")
    assert err.value.key == "event.no_child_names"
    adults = event_signups.add_group_signup(world.ctx("liuzhuren"), eid, 4, children=False, name="3号楼居民")
    assert rows(con, "SELECT name, is_child FROM event_signups WHERE id = ?", [adults]) == [
        ("3号楼居民", False)
    ]
    with pytest.raises(ValidationError) as err:
        event_signups.add_group_signup(world.ctx("liuzhuren"), eid, 0, children=False)
    assert err.value.key == "event.empty_group"
    shown = events.event_detail(world.ctx("wangayi"), eid).signups
    assert shown.loc[shown["is_child"], "name"].isna().all()


def test_only_organisers_or_the_host_add_the_public(world):
    eid = world.event(host_id=world.ids["lishushu"])
    with pytest.raises(PermissionDenied):
        event_signups.add_group_signup(world.ctx("wangayi"), eid, 2, children=False)
    event_signups.add_group_signup(world.ctx("lishushu"), eid, 2, children=False)  # the host
    event_signups.add_group_signup(world.ctx("zhanggong"), eid, 2, children=True)  # an expert


def test_signups_close_when_the_event_is_over_or_cancelled(world):
    past = world.event(starts_at=NOW - timedelta(days=2))
    with pytest.raises(ValidationError) as err:
        event_signups.sign_up(world.ctx("wangayi"), past)
    assert err.value.key == "event.over"
    eid = world.event()
    with pytest.raises(PermissionDenied):
        events.cancel_event(world.ctx("wangayi"), eid)
    events.cancel_event(world.ctx("liuzhuren"), eid)
    with pytest.raises(ValidationError) as err:
        event_signups.sign_up(world.ctx("wangayi"), eid)
    assert err.value.key == "event.cancelled"


def test_a_person_cancels_their_own_signup_but_not_someone_elses(con, world):
    eid = world.event()
    mine = event_signups.sign_up(world.ctx("wangayi"), eid)
    with pytest.raises(PermissionDenied):
        event_signups.cancel_signup(world.ctx("xiaoming"), mine)
    event_signups.cancel_signup(world.ctx("wangayi"), mine)
    assert rows(con, "SELECT withdrawn FROM event_signups WHERE id = ?", [mine]) == [(True,)]
    with pytest.raises(NotFound):
        event_signups.cancel_signup(world.ctx("wangayi"), mine)


# ------------------------------------------------------------------------------------------- attendance


def test_recording_attendance_replaces_the_earlier_record_and_counts_children_without_names(con, world):
    eid = world.event(starts_at=NOW - timedelta(hours=3))
    who = {world.ids["wangayi"]: 90, world.ids["xiaoming"]: None}
    n = event_signups.record_attendance(
        world.ctx("liuzhuren"), eid, people=who, guests=["张阿婆", " "], adults=5, children=9
    )
    assert n == 2 + 1 + 5 + 9
    event_signups.record_attendance(
        world.ctx("liuzhuren"), eid, people=who, guests=["张阿婆"], adults=6, children=11
    )
    got = rows(
        con,
        "SELECT person_id, name, head_count, is_child, minutes FROM event_attendance WHERE event_id = ?"
        " ORDER BY person_id NULLS LAST, name NULLS LAST, is_child",
        [eid],
    )
    assert got == [
        (world.ids["wangayi"], None, 1, False, 90),
        (world.ids["xiaoming"], None, 1, False, None),
        (None, "张阿婆", 1, False, None),
        (None, None, 6, False, None),
        (None, None, 11, True, None),
    ]
    assert rows(
        con, "SELECT count(*) FROM audit_log WHERE action = 'record_attendance' AND entity_id = ?", [eid]
    ) == [(2,)]


def test_attendance_waits_for_the_start_and_only_organisers_or_the_host_record_it(world):
    later = world.event()
    with pytest.raises(ValidationError) as err:
        event_signups.record_attendance(world.ctx("liuzhuren"), later, people={}, adults=1)
    assert err.value.key == "event.not_started"
    eid = world.event(starts_at=NOW - timedelta(hours=2), host_id=world.ids["wangayi"])
    with pytest.raises(PermissionDenied):
        event_signups.record_attendance(world.ctx("xiaoming"), eid, people={}, adults=1)
    event_signups.record_attendance(world.ctx("wangayi"), eid, people={world.ids["wangayi"]: 60})  # the host
    event_signups.record_attendance(world.ctx("zhanggong"), eid, people={}, children=3)  # an expert
    with pytest.raises(ValidationError) as err:
        event_signups.record_attendance(world.ctx("wangayi"), eid, people={world.ids["wangayi"]: 24 * 60 + 1})
    assert err.value.key == "event.bad_minutes"
    with pytest.raises(ValidationError) as err:
        event_signups.record_attendance(world.ctx("wangayi"), eid, people={999_999: 10})
    assert err.value.key == "event.unknown_person"


def test_helper_minutes_at_events_appear_in_the_hours_report(con, world):
    start = datetime.combine(NOW.date() - timedelta(days=400), time(9), SHANGHAI)  # a month with no demo work
    month = (start.replace(day=1, hour=0), (start.replace(day=28) + timedelta(days=4)).replace(day=1, hour=0))
    con.execute(
        "INSERT INTO events (garden_id, kind, title, starts_at, ends_at, host_id, created_by) VALUES"
        " (?, 'planting', '种植日', ?, ?, ?, ?), (?, 'cleanup', '取消了', ?, ?, ?, ?)",
        [
            world.garden,
            start,
            start + timedelta(hours=2),
            world.ids["wangayi"],
            world.ids["liuzhuren"],
            world.garden,
            start,
            start + timedelta(hours=2),
            world.ids["wangayi"],
            world.ids["liuzhuren"],
        ],
    )
    held, cancelled = [
        r[0] for r in rows(con, "SELECT id FROM events WHERE starts_at = ? ORDER BY id", [start])
    ]
    con.execute("UPDATE events SET cancelled = TRUE WHERE id = ?", [cancelled])
    for eid in (held, cancelled):
        con.execute(
            "INSERT INTO event_attendance (event_id, person_id, head_count, minutes, recorded_by, recorded_at)"
            " VALUES (?, ?, 1, 90, ?, ?), (?, NULL, 7, NULL, ?, ?)",
            [eid, world.ids["wangayi"], world.ids["liuzhuren"], NOW, eid, world.ids["liuzhuren"], NOW],
        )
    hours = dash_db.hours_by_person_month(con, world.garden, *month)
    mine = hours[hours["username"] == "wangayi"]
    assert len(mine) == 1
    assert mine["event_hours"].iloc[0] == 1.5
    assert mine["hours"].iloc[0] == pytest.approx(
        1.5 + (mine["patrol_hours"].fillna(0) + mine["task_hours"].fillna(0)).iloc[0]
    )
    assert {"patrol_hours", "task_hours", "event_hours", "hours"} <= set(hours.columns)
    elsewhere = dash_db.hours_by_person_month(con, world.other_garden, *month)
    assert "wangayi" not in set(elsewhere["username"])


def test_the_demo_events_add_hours_for_their_helpers(con, world):
    hours = dash_db.hours_by_person_month(con, None, NOW - timedelta(days=120), NOW + timedelta(days=1))
    expected = rows(
        con,
        """SELECT p.username, sum(a.minutes) FROM event_attendance a JOIN events e ON e.id = a.event_id
                            JOIN people p ON p.id = a.person_id WHERE a.minutes > 0 AND NOT e.cancelled
                            AND e.starts_at >= ? AND e.starts_at < ? GROUP BY 1""",
        [NOW - timedelta(days=120), NOW + timedelta(days=1)],
    )
    got = hours.groupby("username")["event_hours"].sum()
    assert expected and all(got[u] == pytest.approx(m / 60, abs=0.02) for u, m in expected)


# ----------------------------------------------------------------------------------- sightings and BioBlitz


def _sighting(ctx, world, at, garden=None, zone=None):
    draft = sightings.SightingDraft(
        garden_id=garden or world.garden,
        zone_id=zone or world.zone,
        event_date=at,
        species_id=world.sparrow,
        individual_count=2,
    )
    return sightings.save_sighting(ctx, draft).id


def _quiet_window(con, world, starts, ends) -> None:
    """The demo's fresh records (made around the real now) would join a blitz set at the real now:
    withdraw those of the test garden's window so the counts below are the test's own."""
    con.execute(
        "UPDATE sightings SET withdrawn = true WHERE garden_id = ? AND event_id IS NULL"
        " AND event_date BETWEEN ? AND ?",
        [world.garden, starts, ends],
    )


def test_a_sighting_made_during_a_bioblitz_is_linked_to_it(con, world):
    _quiet_window(con, world, NOW - timedelta(hours=2), NOW + timedelta(hours=4))
    blitz = world.event(kind="bioblitz", starts_at=NOW - timedelta(hours=2), ends_at=NOW + timedelta(hours=4))
    world.event(kind="cleanup", starts_at=NOW - timedelta(hours=1), ends_at=NOW + timedelta(hours=1))
    ctx = world.ctx("wangayi")
    inside = _sighting(ctx, world, NOW - timedelta(minutes=30))
    before = _sighting(ctx, world, NOW - timedelta(hours=3))
    elsewhere = _sighting(
        ctx, world, NOW - timedelta(minutes=30), garden=world.other_garden, zone=world.other_zone
    )
    got = dict(
        rows(con, "SELECT id, event_id FROM sightings WHERE id IN (?, ?, ?)", [inside, before, elsewhere])
    )
    assert got == {inside: blitz, before: None, elsewhere: None}
    board = events.bioblitz_board(ctx, blitz)
    assert (
        board.live and board.summary.records == 1 and board.leaderboard[0].recorder_id == world.ids["wangayi"]
    )


def test_a_cancelled_bioblitz_links_nothing(con, world):
    blitz = world.event(kind="bioblitz", starts_at=NOW - timedelta(hours=2), ends_at=NOW + timedelta(hours=4))
    events.cancel_event(world.ctx("liuzhuren"), blitz)
    sid = _sighting(world.ctx("wangayi"), world, NOW - timedelta(minutes=10))
    assert rows(con, "SELECT event_id FROM sightings WHERE id = ?", [sid]) == [(None,)]


def test_the_demo_bioblitz_tally_and_leaderboard_agree_with_a_count_from_the_raw_rows(con, world):
    blitz, starts, ends = rows(
        con,
        "SELECT id, starts_at, ends_at FROM events WHERE kind = 'bioblitz'"
        " AND garden_id = ? ORDER BY starts_at LIMIT 1",
        [world.garden],
    )[0]
    raw = con.execute(
        "SELECT s.species_id, s.recorded_by, s.event_date, s.identification_verification_status"
        " FROM sightings s WHERE s.event_id = ? AND NOT s.withdrawn",
        [blitz],
    ).df()
    assert 35 <= len(raw) <= 45
    assert raw["event_date"].between(pd.Timestamp(starts), pd.Timestamp(ends)).all()
    assert not raw["identification_verification_status"].str.startswith("Not accepted").any()
    board = events.bioblitz_board(world.ctx("wangayi"), blitz)
    assert not board.live
    assert board.summary.species == raw["species_id"].nunique()
    assert board.summary.records == len(raw)
    assert board.summary.recorders == raw["recorded_by"].nunique()
    per_species = raw.groupby("species_id").size()
    assert {s.species_id: s.records for s in board.tally} == per_species.to_dict()
    per_person = raw.groupby("recorded_by")["species_id"].nunique()
    assert {r.recorder_id: r.species for r in board.leaderboard} == per_person.to_dict()
    assert [r.species for r in board.leaderboard] == sorted(per_person, reverse=True)
    firsts = raw.sort_values("event_date").drop_duplicates("species_id")["recorded_by"].value_counts()
    assert {r.recorder_id: r.first_finds for r in board.leaderboard if r.first_finds} == firsts.to_dict()
    assert rows(
        con,
        "SELECT count(*) FROM sightings s WHERE s.event_id = ? AND NOT EXISTS"
        " (SELECT 1 FROM identifications i WHERE i.sighting_id = s.id)",
        [blitz],
    ) == [(0,)]


def test_a_rejected_record_leaves_the_bioblitz_tally(con, world):
    _quiet_window(con, world, NOW - timedelta(hours=2), NOW + timedelta(hours=4))
    blitz = world.event(kind="bioblitz", starts_at=NOW - timedelta(hours=2), ends_at=NOW + timedelta(hours=4))
    sid = _sighting(world.ctx("wangayi"), world, NOW - timedelta(minutes=5))
    assert events.bioblitz_board(world.ctx("wangayi"), blitz).summary.records == 1
    con.execute(
        "UPDATE sightings SET identification_verification_status = 'Not accepted – incorrect' WHERE id = ?",
        [sid],
    )
    assert events.bioblitz_board(world.ctx("wangayi"), blitz).summary.records == 0


def _rec(i, species, who, minute, count=None):
    return bioblitz.BlitzRecord(
        id=i,
        species_id=species,
        recorder_id=who,
        recorder=f"p{who}",
        at=datetime(2026, 6, 6, 9, minute, tzinfo=SHANGHAI),
        individual_count=count,
    )


def test_bioblitz_scores_rank_ties_together_and_credit_first_finds():
    recs = [
        _rec(1, 10, 1, 0, 3),
        _rec(2, 11, 2, 1),
        _rec(3, 10, 2, 2, 1),
        _rec(4, 11, 1, 3),
        _rec(5, None, 3, 4),
        _rec(6, 12, 3, 5),
    ]
    tally = bioblitz.tally(recs)
    assert [(s.species_id, s.records, s.individuals, s.first_by) for s in tally] == [
        (10, 2, 4, "p1"),
        (11, 2, 2, "p2"),
        (12, 1, 1, "p3"),
    ]
    board = bioblitz.leaderboard(recs)
    assert [(r.rank, r.recorder_id, r.species, r.records, r.first_finds) for r in board] == [
        (1, 1, 2, 2, 1),
        (1, 2, 2, 2, 1),
        (3, 3, 1, 2, 1),
    ]
    assert bioblitz.summary(recs) == bioblitz.BlitzSummary(
        species=3, records=6, recorders=3, groups=0, unidentified=1
    )
    assert bioblitz.tally([]) == [] and bioblitz.leaderboard([]) == []


# ------------------------------------------------------------------------------------------- partners


def test_the_committee_adds_edits_pairs_and_links_partners(con, world):
    c = world.ctx("liuzhuren")
    pid = partners.save_partner(
        c, partners.PartnerDraft(name="上海农科院生态所", kind="agriculture", contact_phone="021-1")
    )
    partners.save_partner(
        c, partners.PartnerDraft(name="上海农科院生态所", kind="agriculture", description="土壤与堆肥"), pid
    )
    assert rows(con, "SELECT kind, description, contact_phone FROM partners WHERE id = ?", [pid]) == [
        ("agriculture", "土壤与堆肥", None)
    ]
    with pytest.raises(ValidationError) as err:
        partners.save_partner(c, partners.PartnerDraft(name="上海动物园", kind="zoo"))
    assert err.value.key == "partner.name_taken"
    with pytest.raises(ValidationError) as err:
        partners.save_partner(c, partners.PartnerDraft(name="某单位", kind="bank"))
    assert err.value.key == "partner.bad_kind"
    partners.pair_partner(c, world.garden, pid, "堆肥指导")
    with pytest.raises(ValidationError):
        partners.pair_partner(c, world.garden, pid)
    partners.link_person(c, world.ids["xuboshi"], pid)
    assert rows(con, "SELECT partner_id FROM people WHERE username = 'xuboshi'") == [(pid,)]
    partners.unpair_partner(c, world.garden, pid)
    with pytest.raises(NotFound):
        partners.unpair_partner(c, world.garden, pid)
    actions = [
        r[0]
        for r in rows(
            con,
            "SELECT action FROM audit_log WHERE entity IN ('partners', 'garden_partners', 'people')"
            " ORDER BY id DESC LIMIT 5",
        )
    ]
    assert actions == ["unpair_partner", "link_partner", "pair_partner", "edit_partner", "add_partner"]


@pytest.mark.parametrize("username", ["wangayi", "zhanggong"])
def test_only_the_committee_manages_partners(world, username):
    with pytest.raises(PermissionDenied):
        partners.save_partner(world.ctx(username), partners.PartnerDraft(name="新伙伴", kind="other"))
    with pytest.raises(PermissionDenied):
        partners.pair_partner(world.ctx(username), world.garden, world.zoo)
    with pytest.raises(PermissionDenied):
        partners.link_person(world.ctx(username), world.ids["wangayi"], world.zoo)


def test_contacts_are_shown_to_experts_and_the_committee_only(world):
    volunteer = partners.list_partners(world.ctx("wangayi"))
    assert "contact_phone" not in volunteer.columns and "上海动物园" in set(volunteer["name"])
    for username in ("zhanggong", "liuzhuren"):
        assert partners.partner_contacts(world.ctx(username), world.zoo)["contact_phone"] == "138-0000-0101"
        assert "contact_phone" in partners.list_partners(world.ctx(username)).columns
    with pytest.raises(PermissionDenied):
        partners.partner_contacts(world.ctx("wangayi"), world.zoo)


def test_a_gardens_partners_show_what_their_people_did_there(con, world):
    activity = partners.garden_partners(world.ctx("wangayi"), world.garden).set_index("name")
    assert {"上海动物园", "上海辰山植物园", "城市荒野工作室", "新泾镇第二小学"} <= set(activity.index)
    reviews = rows(
        con,
        """SELECT count(*) FROM verifications v JOIN sightings s ON s.id = v.sighting_id
                           WHERE s.garden_id = ? AND v.decided_by = ? AND NOT v.machine""",
        [world.garden, world.ids["zhanggong"]],
    )[0][0]
    assert activity.loc["上海动物园", "reviews"] == reviews > 0
    assert activity.loc["城市荒野工作室", "events_held"] >= 1  # the BioBlitz
    assert activity.loc["上海动物园", "events_planned"] >= 1  # the butterfly class
    assert activity.loc["上海动物园", "people"] == "张工（动物园）"


# ------------------------------------------------------------------------------------------------ plots


def test_a_childrens_plot_gets_its_sessions_and_observations(con, world):
    start = NOW.date() - timedelta(days=7)
    draft = plots.PlotDraft(
        garden_id=world.garden,
        name="蚕豆观察田",
        season_start=start,
        season_end=start + timedelta(days=42),
        every_days=7,
        zone_id=world.zone,
        class_name="二年级（1）班",
    )
    plot_id = plots.create_plot(world.ctx("wangayi"), draft)
    sessions = rows(
        con,
        "SELECT kind, host_id, audience, date_diff('minute', starts_at, ends_at) FROM events"
        " WHERE series_id = ? ORDER BY starts_at",
        [plot_id],
    )
    assert len(sessions) == 7 and set(sessions) == {("plot_session", world.ids["wangayi"], "children", 60)}
    first = rows(con, "SELECT min(id) FROM events WHERE series_id = ?", [plot_id])[0][0]
    plots.add_observation(world.ctx("xiaoming"), plot_id, "蚕豆出苗 5 棵", value=5, unit="棵", event_id=first)
    plot, table, observations = plots.plot_detail(world.ctx("wangayi"), plot_id)
    assert plot["class_name"] == "二年级（1）班"
    assert list(observations["observation"]) == ["蚕豆出苗 5 棵"]
    assert table.loc[table["id"] == first, "observations"].iloc[0] == 1
    other = rows(con, "SELECT id FROM events WHERE series_id IS NULL LIMIT 1")[0][0]
    with pytest.raises(ValidationError) as err:
        plots.add_observation(world.ctx("xiaoming"), plot_id, "x", event_id=other)
    assert err.value.key == "plot.session_mismatch"
    with pytest.raises(ValidationError) as err:
        plots.add_observation(world.ctx("xiaoming"), plot_id, "  ")
    assert err.value.key == "plot.observation_needed"


def test_a_plot_season_must_make_sense(world):
    day = NOW.date()
    for changes, key in (
        ({"season_end": day - timedelta(days=1)}, "plot.bad_season"),
        ({"every_days": 0}, "plot.bad_every"),
        ({"season_end": day + timedelta(days=300), "every_days": 1}, "plot.too_many_sessions"),
        ({"name": ""}, "plot.name_needed"),
    ):
        values = dict(
            garden_id=world.garden, name="田", season_start=day, season_end=day + timedelta(days=30)
        )
        values.update(changes)
        with pytest.raises(ValidationError) as err:
            plots.create_plot(world.ctx("liuzhuren"), plots.PlotDraft(**values))
        assert err.value.key == key


def test_the_demo_has_a_plot_with_past_sessions_counted_not_named(con, world):
    ensure = rows(con, "SELECT id FROM plots")
    assert len(ensure) >= 1
    named_children = rows(con, "SELECT count(*) FROM event_attendance WHERE is_child AND name IS NOT NULL")
    named_signups = rows(con, "SELECT count(*) FROM event_signups WHERE is_child AND name IS NOT NULL")
    assert named_children == named_signups == [(0,)]
    for (plot_id,) in ensure:
        _, sessions, observations = plots.plot_detail(world.ctx("sunayi"), plot_id)
        held = sessions[sessions["starts_at"] < pd.Timestamp(NOW)]
        assert len(held) >= 4 and (held["children"].fillna(0) >= 24).sum() >= 4 and len(observations) >= 4


# ------------------------------------------------------------------------------------------- migration


def test_the_events_migration_can_be_applied_again_to_an_adopted_database(tmp_path):
    path = tmp_path / "old.duckdb"
    con = connect(path)
    migrate(con)
    con.execute("INSERT INTO partners (name, kind) VALUES ('留着', 'other')")
    con.execute("DELETE FROM schema_migrations WHERE name = '0002_partners_events'")
    assert "0002_partners_events" in migrate(con)
    assert rows(con, "SELECT name FROM partners") == [("留着",)]
    cols = {
        r[0]
        for r in rows(
            con, "SELECT column_name FROM information_schema.columns WHERE table_name = 'sightings'"
        )
    }
    assert "event_id" in cols
    con.close()


# ------------------------------------------------------------------- rows for the roles matrix (lead's file)

MATRIX_ROWS = {
    "plan_event": ({"volunteer", "expert", "committee"}, lambda c, w: events.plan_event(c, w.draft())),
    "record_attendance": (
        {"expert", "committee"},
        lambda c, w: event_signups.record_attendance(
            c, w.event(by="xiaoming", starts_at=NOW - timedelta(hours=1)), people={}, adults=3, children=2
        ),
    ),
    "manage_partners": (
        {"committee"},
        lambda c, w: partners.save_partner(
            c, partners.PartnerDraft(name=f"伙伴{datetime.now().timestamp()}", kind="ngo")
        ),
    ),
    "see_contacts": ({"expert", "committee"}, lambda c, w: partners.partner_contacts(c, w.zoo)),
}


@pytest.mark.parametrize(
    "username, role", [("wangayi", "volunteer"), ("zhanggong", "expert"), ("liuzhuren", "committee")]
)
@pytest.mark.parametrize("action", sorted(MATRIX_ROWS))
def test_the_new_actions_follow_the_permission_table(world, action, username, role):
    from habitat.domain.roles import PERMISSIONS

    allowed, runner = MATRIX_ROWS[action]
    assert set(PERMISSIONS[action]) == allowed
    ctx = world.ctx(username)
    if role in allowed:
        runner(ctx, world)
    else:
        with pytest.raises(PermissionDenied):
            runner(ctx, world)
