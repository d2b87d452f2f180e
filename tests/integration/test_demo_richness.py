"""The demo gives every detail view real content, whatever order a page sorts in.

User testing found that no test had ever rendered a record with a photo: the review queue opens the
oldest record first, and the demo only had photos on the newest. Each test here states one
guarantee of the demo and checks it with SQL (or the service a page calls) on a freshly built demo,
looked at as someone opening the app right after it was built (the services' clock is the build
time, so a long test session cannot move a record out of "this week").
"""

from __future__ import annotations

import shutil
from datetime import datetime, timedelta

import pytest
from PIL import Image

from habitat.clock import SHANGHAI, fixed_clock, local
from habitat.db import connect
from habitat.db import people as people_db
from habitat.domain import verification as v
from habitat.services import events, meetings, review, sightings
from habitat.services import plots as plots_service
from habitat.services.context import Ctx
from habitat.services.setup import init_database
from habitat.services.events import EVENT_KINDS
from habitat.settings import load

KEY_GROUPS = ("bird", "butterfly", "plant", "amphibian", "mammal")


def first_minutes_of_next_month() -> datetime:
    """00:20 on the first of next month: yesterday is last month and the BioBlitz began last month."""
    today = datetime.now(SHANGHAI)
    year, month = (today.year + 1, 1) if today.month == 12 else (today.year, today.month + 1)
    return datetime(year, month, 1, 0, 20, tzinfo=SHANGHAI)


@pytest.fixture(scope="module", params=["built_now", "built_in_the_first_minutes_of_a_month"])
def demo(request, demo_template, tmp_path_factory):
    """A demo for the whole module (these tests only read): a copy of the session's demo, built for the
    real now, and one built for the moment where date arithmetic is most likely to slip."""
    folder = tmp_path_factory.mktemp("richness")
    db = folder / "garden.duckdb"
    if request.param == "built_now":
        shutil.copy(demo_template, db)
        shutil.copytree(demo_template.parent / "photos", folder / "photos")
    else:
        init_database(
            db, demo=True, photo_root=folder / "photos", clock=fixed_clock(first_minutes_of_next_month())
        )
    con = connect(db)
    config = load(
        env={}, secrets_path=folder / "none.toml", GARDEN_DB=str(db), GARDEN_PHOTOS=str(folder / "photos")
    )
    if request.param == "built_now":
        built_at = con.execute("SELECT max(created_at) FROM people").fetchall()[0][0].astimezone(SHANGHAI)
    else:
        built_at = first_minutes_of_next_month()

    class Demo:
        name = request.param
        photos = folder / "photos"
        now = built_at

        @staticmethod
        def q(sql, params=()):
            return con.execute(sql, list(params)).fetchall()

        @staticmethod
        def ctx(username, now=None):
            pid = con.execute("SELECT id FROM people WHERE username = ?", [username]).fetchall()[0][0]
            return Ctx(
                con=con, user=people_db.by_id(con, pid), config=config, clock=fixed_clock(now or built_at)
            )

    Demo.con = con
    yield Demo
    con.close()


def usernames(demo, role):
    return [r[0] for r in demo.q("SELECT username FROM people WHERE role = ? ORDER BY id", [role])]


def garden_ids(demo):
    return [r[0] for r in demo.q("SELECT id FROM gardens ORDER BY id")]


def has_photo(demo, sighting_id) -> bool:
    return (
        demo.q("SELECT count(*) FROM photos WHERE sighting_id = ? AND NOT withdrawn", [sighting_id])[0][0] > 0
    )


# ------------------------------------------------------------------------------------ expert queue


def test_the_oldest_unreviewed_record_in_each_experts_queue_has_a_photo_in_every_garden(demo):
    for expert in usernames(demo, "expert"):
        ctx = demo.ctx(expert)
        for garden in [None, *garden_ids(demo)]:
            queue = review.queue(ctx, review.QueueFilter(garden_id=garden))
            assert not queue.empty, (expert, garden)
            assert queue.iloc[0]["photos"] > 0, (expert, garden, int(queue.iloc[0]["id"]))


def test_each_experts_queue_also_has_records_without_a_photo(demo):
    for expert in usernames(demo, "expert"):
        without = review.queue(demo.ctx(expert), review.QueueFilter(has_photo=False))
        with_photo = review.queue(demo.ctx(expert), review.QueueFilter(has_photo=True))
        assert len(without) >= 5 and len(with_photo) >= 5, expert


def test_whatever_review_state_garden_or_group_is_chosen_the_first_record_has_a_photo(demo):
    for expert in usernames(demo, "expert"):
        ctx = demo.ctx(expert)
        for status in v.STATUSES:
            shown = 0
            for garden in [None, *garden_ids(demo)]:
                queue = review.queue(ctx, review.QueueFilter(statuses=(status,), garden_id=garden))
                if not queue.empty:
                    shown += 1
                    assert queue.iloc[0]["photos"] > 0, (expert, status, garden, int(queue.iloc[0]["id"]))
            assert shown, (expert, status)  # every state has records in every expert's groups
            for group in ctx.user.expertise:
                queue = review.queue(ctx, review.QueueFilter(statuses=(status,), groups=(group,)))
                if not queue.empty:
                    assert queue.iloc[0]["photos"] > 0, (expert, status, group, int(queue.iloc[0]["id"]))


def test_this_weeks_queue_opens_on_a_record_with_a_photo(demo):
    for expert in usernames(demo, "expert"):
        for garden in [None, *garden_ids(demo)]:
            queue = review.queue(demo.ctx(expert), review.QueueFilter(garden_id=garden, max_age_days=7))
            if garden is None:
                assert not queue.empty, expert
            if not queue.empty:
                assert queue.iloc[0]["photos"] > 0, (expert, garden, int(queue.iloc[0]["id"]))


# --------------------------------------------------------------------------------- photos and states


def test_photos_span_the_year_in_every_garden_oldest_and_newest_records_included(demo):
    for (garden,) in demo.q("SELECT id FROM gardens"):
        months = demo.q(
            """SELECT date_trunc('month', local_ts(s.event_date)) AS m,
                      count(*) FILTER (WHERE EXISTS (SELECT 1 FROM photos p WHERE p.sighting_id = s.id))
               FROM sightings s WHERE s.garden_id = ? GROUP BY m""",
            [garden],
        )
        assert len(months) >= 12 and all(n > 0 for _, n in months), (garden, months)
        oldest, newest = demo.q(
            "SELECT arg_min(id, (event_date, id)), arg_max(id, (event_date, id)) FROM sightings WHERE garden_id = ?",
            [garden],
        )[0]
        assert has_photo(demo, oldest) and has_photo(demo, newest), garden


def test_every_review_state_has_photographed_records_of_several_groups(demo):
    rows = dict(
        demo.q(
            """SELECT s.identification_verification_status, count(DISTINCT sp.group_name)
           FROM sightings s JOIN species sp ON sp.id = s.species_id
           WHERE EXISTS (SELECT 1 FROM photos p WHERE p.sighting_id = s.id) GROUP BY 1"""
        )
    )
    assert set(rows) == set(v.STATUSES)
    assert all(n >= 2 for n in rows.values()), rows
    groups = {
        r[0]
        for r in demo.q(
            """SELECT DISTINCT sp.group_name FROM sightings s JOIN species sp ON sp.id = s.species_id
           WHERE EXISTS (SELECT 1 FROM photos p WHERE p.sighting_id = s.id)"""
        )
    }
    assert set(KEY_GROUPS) <= groups and {"insect", "dragonfly", "bee", "moth"} & groups


def test_a_queried_record_waits_with_a_photo_and_another_has_its_question_answered(demo):
    waiting = demo.q("SELECT id FROM sightings WHERE queried")
    assert waiting and all(has_photo(demo, sid) for (sid,) in waiting)
    threads = demo.q(
        """SELECT s.id, s.identification_verification_status FROM sightings s
           WHERE EXISTS (SELECT 1 FROM comments q JOIN comments a ON a.sighting_id = q.sighting_id
                         WHERE q.sighting_id = s.id AND q.kind = 'query' AND a.kind = 'answer'
                           AND a.created_at > q.created_at AND a.author_id = s.recorded_by)
             AND NOT s.queried"""
    )
    states = {status for _, status in threads}
    assert v.UNCONFIRMED_NOT_REVIEWED in states and states & set(v.ACCEPTED), states
    assert all(has_photo(demo, sid) for sid, _ in threads)


def test_a_record_has_several_photos_one_with_gps_and_one_without(demo):
    rows = demo.q(
        """SELECT sighting_id FROM photos WHERE sighting_id IS NOT NULL GROUP BY 1
           HAVING count(*) >= 3 AND count(private_lat) >= 1 AND count(*) > count(private_lat)"""
    )
    assert rows
    assert demo.q("SELECT count(*) FROM photos WHERE private_lat IS NOT NULL")[0][0] >= 5


def test_odd_but_valid_photos_are_stored_upright_and_every_file_is_there(demo):
    png = demo.q("SELECT count(*) FROM photos WHERE mime = 'image/png'")[0][0]
    portraits = demo.q("SELECT display_path, width, height FROM photos WHERE height > width")
    no_time = demo.q("SELECT count(*) FROM photos WHERE taken_at IS NULL AND mime = 'image/jpeg'")[0][0]
    assert png >= 1 and len(portraits) >= 1 and no_time >= 1
    with Image.open(demo.photos / portraits[0][0]) as stored:  # EXIF orientation applied: stored upright
        assert stored.height > stored.width
    paths = demo.q("SELECT sha256, display_path, thumb_path FROM photos")
    assert len({sha for sha, _, _ in paths}) == len(paths)  # no duplicates for the duplicate check to trip on
    assert all((demo.photos / d).is_file() and (demo.photos / t).is_file() for _, d, t in paths)


def test_a_sensitive_species_a_den_a_nest_and_a_planted_record_have_photos(demo):
    def photographed(where):
        return demo.q(f"""SELECT count(*) FROM sightings s JOIN species sp ON sp.id = s.species_id
                          WHERE {where} AND EXISTS (SELECT 1 FROM photos p WHERE p.sighting_id = s.id)""")[0][
            0
        ]

    assert photographed("sp.chinese_name = '貉' AND sp.sensitive") >= 1
    assert photographed("s.nest_or_den AND sp.group_name = 'mammal'") >= 1
    assert photographed("s.nest_or_den AND sp.group_name = 'bird'") >= 1
    assert photographed("s.degree_of_establishment = 'cultivated'") >= 1


def test_records_carry_identification_histories(demo):
    # an expert's change of species after other suggestions, all on a photographed record
    changed = demo.q(
        """SELECT i.sighting_id FROM identifications i JOIN sightings s ON s.id = i.sighting_id
           GROUP BY i.sighting_id, s.species_id
           HAVING count(*) >= 3 AND count(DISTINCT i.identified_by) >= 3 AND count(DISTINCT i.species_id) >= 2
              AND bool_or(i.by_expert AND i.species_id = s.species_id)
              AND arg_min(i.species_id, i.id) <> s.species_id"""
    )
    assert changed and all(has_photo(demo, sid) for (sid,) in changed)
    # a community identification that outvoted the recorder, still waiting for an expert
    community = demo.q(
        """SELECT s.id FROM sightings s JOIN identifications i ON i.sighting_id = s.id
           WHERE s.identification_verification_status = ?
           GROUP BY s.id, s.species_id HAVING count(*) >= 3 AND arg_min(i.species_id, i.id) <> s.species_id""",
        [v.UNCONFIRMED_NOT_REVIEWED],
    )
    assert community and all(has_photo(demo, sid) for (sid,) in community)
    # an unidentified record waiting, with a photo and a suggestion
    unknown = demo.q(
        """SELECT s.id FROM sightings s WHERE s.species_id IS NULL AND s.identification_verification_status = ?
                        AND (SELECT count(*) FROM identifications i WHERE i.sighting_id = s.id) >= 2""",
        [v.UNCONFIRMED_NOT_REVIEWED],
    )
    assert unknown and all(has_photo(demo, sid) for (sid,) in unknown)
    # every record has its recorder's identification first
    assert (
        demo.q("""SELECT count(*) FROM sightings s WHERE NOT EXISTS (
                       SELECT 1 FROM identifications i WHERE i.sighting_id = s.id AND i.identified_by = s.recorded_by)""")
        == [(0,)]
    )


# ----------------------------------------------------------------------------------- recent records


def test_each_volunteer_has_a_record_in_the_last_seven_days_and_my_records_opens_on_a_photo(demo):
    for volunteer in usernames(demo, "volunteer"):
        ctx = demo.ctx(volunteer)
        mine = sightings.my_records(ctx)
        assert (mine["event_date"] >= demo.now - timedelta(days=7)).any(), volunteer
        queried = mine[mine["queried"]]
        opened = (
            int(queried["id"].iloc[0]) if not queried.empty else int(mine["id"].iloc[0])
        )  # as pages/my_records.py
        assert not sightings.photos_of(ctx, opened).empty, (volunteer, opened)


def test_every_garden_has_photographed_records_this_month(demo):
    month_start = demo.now.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    for (slug,) in demo.q("SELECT slug FROM gardens"):
        n = demo.q(
            """SELECT count(*) FROM sightings s JOIN gardens g ON g.id = s.garden_id WHERE g.slug = ?
                      AND s.event_date >= ? AND EXISTS (SELECT 1 FROM photos p WHERE p.sighting_id = s.id)""",
            [slug, month_start],
        )[0][0]
        assert n >= 1, slug


# ------------------------------------------------------------------------- questions, problems, ideas


def test_questions_open_and_answered_have_photos_and_the_oldest_open_one_too(demo):
    rows = demo.q("""SELECT q.id, q.answer IS NOT NULL, (SELECT count(*) FROM photos p WHERE p.question_id = q.id)
                     FROM questions q ORDER BY q.asked_at""")
    open_ = [(qid, n) for qid, answered, n in rows if not answered]
    answered = [(qid, n) for qid, answered, n in rows if answered]
    assert open_ and open_[0][1] >= 1  # the oldest open question has a photo
    assert all(n >= 1 for _, n in open_)
    assert any(n >= 1 for _, n in answered) and any(n == 0 for _, n in answered)


def test_problem_reports_and_ideas_have_photos(demo):
    assert (
        demo.q("""SELECT count(*) FROM problems pr WHERE pr.status = 'open'
                     AND EXISTS (SELECT 1 FROM photos p WHERE p.problem_id = pr.id)""")[0][0]
        >= 1
    )
    assert (
        demo.q("""SELECT count(*) FROM problems pr WHERE pr.status = 'resolved'
                     AND EXISTS (SELECT 1 FROM photos p WHERE p.problem_id = pr.id)""")[0][0]
        >= 1
    )
    assert demo.q("SELECT count(DISTINCT idea_id) FROM photos WHERE idea_id IS NOT NULL")[0][0] >= 3
    assert demo.q("SELECT count(*) FROM photos WHERE task_log_id IS NOT NULL")[0][0] >= 1


# --------------------------------------------------------------------------------- events, meetings


def test_every_kind_of_event_has_a_past_one_with_attendance_and_an_upcoming_one_with_signups(demo):
    now = demo.now
    for kind in EVENT_KINDS:
        past = demo.q(
            """SELECT count(*) FROM events e WHERE e.kind = ? AND e.ends_at < ? AND NOT e.cancelled
                         AND EXISTS (SELECT 1 FROM event_attendance a WHERE a.event_id = e.id)""",
            [kind, now],
        )[0][0]
        ahead = demo.q(
            """SELECT count(*) FROM events e WHERE e.kind = ? AND e.starts_at > ? AND NOT e.cancelled
                          AND EXISTS (SELECT 1 FROM event_signups s WHERE s.event_id = e.id)""",
            [kind, now],
        )[0][0]
        assert past >= 1 and ahead >= 1, kind


def test_a_bioblitz_is_running_today_with_records_on_its_board(demo):
    ctx = demo.ctx("lishushu")
    live = []
    for garden in garden_ids(demo):
        upcoming, _ = events.garden_events(ctx, garden)
        live += [
            int(e)
            for e, s, k in zip(upcoming["id"], upcoming["status"], upcoming["kind"])
            if s == "live" and k == "bioblitz"
        ]
    assert live
    board = events.bioblitz_board(ctx, live[0])
    assert board.live and board.summary.records >= 5 and board.summary.species >= 3
    assert local(board.event["starts_at"]) <= demo.now <= local(board.event["ends_at"]) - timedelta(hours=16)


def test_each_gardens_events_page_opens_on_events_with_people(demo):
    ctx = demo.ctx("wangayi")
    for garden in garden_ids(demo):
        upcoming, past = events.garden_events(ctx, garden)
        assert not upcoming.empty and not past.empty, garden
        first = events.event_detail(ctx, int(upcoming["id"].iloc[0]))  # the page opens the soonest one
        assert first.signed_up > 0, garden
        newest_past = events.event_detail(ctx, int(past["id"].iloc[0]))
        assert not newest_past.attendance.empty, garden


def test_a_meeting_has_decisions_and_follow_ups_in_every_state(demo):
    ctx = demo.ctx("liuzhuren")
    assert demo.q("SELECT count(*) FROM meeting_items WHERE decision IS NOT NULL")[0][0] >= 2
    states = set(meetings.followups(ctx)["status"])
    assert states == {"done", "open", "overdue"}


def test_every_garden_has_a_childrens_plot_with_held_sessions_and_observations(demo):
    ctx = demo.ctx("sunayi")
    measured = 0
    for garden in garden_ids(demo):
        plots = plots_service.garden_plots(ctx, garden)
        assert not plots.empty, garden
        _, sessions, observations = plots_service.plot_detail(
            ctx, int(plots["id"].iloc[0])
        )  # the tab opens the first
        held = sessions[sessions["children"].fillna(0) > 0]
        assert len(held) >= 3 and len(observations) >= 3, garden
        measured += int(observations["value"].notna().sum())
    assert measured >= 4  # heights and counts, not only notes


def test_the_demo_is_built_for_its_today_and_nothing_happens_after_it(demo):
    if demo.name == "built_now":
        assert datetime.now(SHANGHAI) - timedelta(hours=6) <= demo.now <= datetime.now(SHANGHAI)
    newest = demo.q("SELECT max(event_date) FROM sightings")[0][0]
    assert demo.now - timedelta(days=1) <= newest <= demo.now
    for table, column in (
        ("sightings", "created_at"),
        ("identifications", "identified_at"),
        ("verifications", "decided_at"),
        ("comments", "created_at"),
        ("photos", "uploaded_at"),
        ("questions", "answered_at"),
        ("visits", "ended_at"),
    ):
        latest = demo.q(f"SELECT max({column}) FROM {table}")[0][0]
        assert latest <= demo.now + timedelta(seconds=1), (table, latest)
