"""Every role x every service action, in one table. A new action cannot be added without a row here.

Each runner calls the real service as the given person. For the two "see" rules, the runner turns a
generalised/hidden result into PermissionDenied, so every row is checked the same way.
"""

from datetime import datetime
from itertools import count

import pytest

from habitat.clock import SHANGHAI, fixed_clock
from habitat.domain import verification as v
from habitat.domain.roles import PERMISSIONS
from habitat.errors import PermissionDenied
from habitat.services.exports import export_dwca_for
from habitat.services import (
    audit_log,
    checklist,
    community,
    dashboard,
    event_signups,
    events,
    gardens,
    ideas,
    meetings,
    overview,
    partners,
    people,
    principles,
    review,
    sightings,
    upkeep,
)
from habitat.services.photo_store import Upload
from tests.fixtures import images as fx

V, E, C = "volunteer", "expert", "committee"
PEOPLE = {V: "wangayi", E: "zhanggong", C: "liuzhuren"}
NOW = datetime(2026, 11, 22, 9, 0, tzinfo=SHANGHAI)
_n = count(1)


class World:
    """Fresh records to act on, made by a fourth person (xiaoming) unless a runner needs its own."""

    def __init__(self, con, make_ctx):
        self.con, self.make_ctx = con, make_ctx
        self.garden = con.execute("SELECT id FROM gardens WHERE slug = 'xinsen'").fetchall()[0][0]
        self.zone = con.execute(
            "SELECT id FROM zones WHERE garden_id = ? ORDER BY code LIMIT 1", [self.garden]
        ).fetchall()[0][0]
        self.sparrow = con.execute("SELECT id FROM species WHERE chinese_name = '麻雀'").fetchall()[0][0]
        self.raccoon_dog = con.execute("SELECT id FROM species WHERE chinese_name = '貉'").fetchall()[0][0]
        self.other = make_ctx("xiaoming", clock=fixed_clock(NOW))

    def event_draft(self, past: bool = False):
        from datetime import timedelta

        start = NOW - timedelta(days=3) if past else NOW + timedelta(days=3)
        return events.EventDraft(
            garden_id=self.garden,
            kind="nature_class",
            title="家门口的自然课",
            starts_at=start,
            ends_at=start + timedelta(hours=1),
        )

    def partner(self):
        return self.con.execute("SELECT min(id) FROM partners").fetchall()[0][0]

    def sighting(self, ctx=None, species=None, photo=False):
        ctx = ctx or self.other
        n = next(_n)
        draft = sightings.SightingDraft(
            garden_id=self.garden,
            zone_id=self.zone,
            event_date=NOW,
            species_id=species or self.sparrow,
            individual_count=1,
            decimal_latitude=31.2142,
            decimal_longitude=121.3559,
        )
        ups = (
            [
                Upload(
                    f"m{n}.jpg",
                    fx.make_jpeg(width=80, height=60, gps=(31.2142, 121.3559), color=(n % 255, 3, 7)),
                )
            ]
            if photo
            else []
        )
        return sightings.save_sighting(ctx, draft, ups).id


def _see_sensitive(ctx, w):
    w.sighting(species=w.raccoon_dog)
    recent = overview.garden_view(ctx, "xinsen").recent
    rows = recent[recent["generalised"]]
    if rows["lat"].isna().any():
        raise PermissionDenied("perm.denied", action="see_sensitive")


def _see_private_gps(ctx, w):
    if "private_lat" not in sightings.photos_of(ctx, w.sighting(photo=True)).columns:
        raise PermissionDenied("perm.denied", action="see_private_gps")


def _own(ctx, w):
    return w.sighting(ctx=ctx)


MATRIX = {
    # action: (runner(ctx, world), roles allowed)
    "log": (lambda c, w: _own(c, w), {V, E, C}),
    "edit_own": (
        lambda c, w: sightings.update_sighting(c, _own(c, w), 1, {"individual_count": 2}),
        {V, E, C},
    ),
    "withdraw_own": (lambda c, w: sightings.withdraw_sighting(c, _own(c, w), 1), {V, E, C}),
    "edit_others": (lambda c, w: sightings.update_sighting(c, w.sighting(), 1, {"individual_count": 3}), {C}),
    "verify": (lambda c, w: review.decide(c, w.sighting(), 1, v.ACCEPTED_CORRECT), {E}),
    "bulk_verify": (lambda c, w: review.bulk_decide(c, [(w.sighting(), 1)], v.ACCEPTED_CORRECT), {E}),
    "identify": (lambda c, w: review.identify(c, w.sighting(), w.sparrow), {V, E, C}),
    "answer_question": (
        lambda c, w: community.answer_question(
            c, community.ask_expert(w.other, w.garden, None, "要拔吗？"), verdict="keep", answer="保留"
        ),
        {E},
    ),
    "edit_checklist": (
        lambda c, w: checklist.add_species(
            c,
            {
                "scientific_name": f"Testus species{next(_n)}",
                "chinese_name": "测试种",
                "group_name": "insect",
            },
        ),
        {E},
    ),
    "manage_people": (
        lambda c, w: people.create_person(
            c, username=f"new{next(_n)}", display_name="新人", role="volunteer", password="long-enough-1"
        ),
        {C},
    ),
    "manage_gardens": (
        lambda c, w: gardens.create_garden(
            c, f"g-{next(_n)}", "新花园", None, "新泾镇", None, None, 31.21, 121.36
        ),
        {C},
    ),
    "manage_tasks": (
        lambda c, w: upkeep.add_task_def(c, w.garden, w.zone, "water", "浇水", 3, NOW.date()),
        {C},
    ),
    "resolve_problems": (
        lambda c, w: community.resolve_problem(
            c, community.report_problem(w.other, w.garden, None, "litter", "垃圾"), "已清理"
        ),
        {C},
    ),
    "change_settings": (lambda c, w: review.set_auto_accept(c, False), {C}),
    "export_exact": (
        lambda c, w: export_dwca_for(
            c, c.config.photo_root.parent / f"x{next(_n)}.zip", exact=True, status="all"
        ),
        {E, C},
    ),
    "see_sensitive": (_see_sensitive, {E, C}),
    "see_private_gps": (_see_private_gps, {E, C}),
    "see_audit": (lambda c, w: audit_log.recent_audit(c), {C}),
    "see_dashboard": (lambda c, w: dashboard.town(c, NOW.replace(day=1), NOW), {E, C}),
    # community life
    "plan_event": (lambda c, w: events.plan_event(c, w.event_draft()), {V, E, C}),
    "record_attendance": (
        lambda c, w: event_signups.record_attendance(
            c, events.plan_event(w.other, w.event_draft(past=True)), people={}, adults=3
        ),
        {E, C},
    ),
    "manage_partners": (
        lambda c, w: partners.save_partner(c, partners.PartnerDraft(name=f"伙伴{next(_n)}", kind="school")),
        {C},
    ),
    "see_contacts": (lambda c, w: partners.partner_contacts(c, w.partner()), {E, C}),
    "propose_idea": (lambda c, w: ideas.propose_idea(c, w.garden, None, "多种蜜源植物"), {V, E, C}),
    "support_idea": (
        lambda c, w: ideas.support_idea(c, ideas.propose_idea(w.other, w.garden, None, "加一个鸟浴盆")),
        {V, E, C},
    ),
    "hold_meeting": (
        lambda c, w: meetings.hold_meeting(
            c,
            w.garden,
            held_at=NOW,
            participants=[meetings.Participant("居民甲", "resident")],
            items=[meetings.Item("池塘清淤", decision="下周清")],
        ),
        {C},
    ),
    "assess_principles": (
        lambda c, w: principles.save_assessment(c, w.garden, "2026-autumn", {1: 4, 2: 5, 3: 3, 4: 5, 5: 4}),
        {C},
    ),
}


def test_the_matrix_covers_every_action_and_agrees_with_the_permission_table():
    assert set(MATRIX) == set(PERMISSIONS)
    assert {a: roles for a, (_, roles) in MATRIX.items()} == {a: set(r) for a, r in PERMISSIONS.items()}


@pytest.mark.parametrize("role", [V, E, C])
@pytest.mark.parametrize("action", sorted(MATRIX))
def test_role_may_or_may_not_do_action(con, make_ctx, role, action):
    runner, allowed = MATRIX[action]
    ctx = make_ctx(PEOPLE[role], clock=fixed_clock(NOW))
    world = World(con, make_ctx)
    if role in allowed:
        runner(ctx, world)
    else:
        with pytest.raises(PermissionDenied):
            runner(ctx, world)


def test_nobody_signed_in_can_do_nothing(con, make_ctx):
    world = World(con, make_ctx)
    anonymous = make_ctx(None, clock=fixed_clock(NOW))
    for action, (runner, _) in MATRIX.items():
        if action in ("see_sensitive", "see_private_gps"):
            continue  # these need a signed-in viewer to render anything at all
        with pytest.raises(PermissionDenied):
            runner(anonymous, world)
