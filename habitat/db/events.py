"""Partners, events, sign-ups, attendance, children's observation plots, and BioBlitz records."""

from __future__ import annotations

import duckdb
import pandas as pd

from habitat.db.util import insert_frame, scalar

REJECTED_PREFIX = "Not accepted"  # verification statuses a BioBlitz does not count


def _dicts(cur) -> list[dict]:
    cols = [d[0] for d in cur.description]
    return [dict(zip(cols, row)) for row in cur.fetchall()]


def _insert(con: duckdb.DuckDBPyConnection, table: str, values: dict) -> int:
    """Insert one row into one of this module's tables (names are constants, values bound)."""
    cols = list(values)
    sql = f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({', '.join('?' for _ in cols)}) RETURNING id"
    return scalar(con, sql, [values[c] for c in cols])


# ------------------------------------------------------------------------------------------ partners

PARTNER_FIELDS = ("name", "name_en", "kind", "description", "contact_name", "contact_phone", "contact_email")


def insert_partner(con, values: dict) -> int:
    return _insert(con, "partners", values)


def update_partner(con, partner_id: int, values: dict, at) -> int:
    cols = [c for c in PARTNER_FIELDS if c in values]
    sets = ", ".join(f"{c} = ?" for c in cols)
    return len(
        con.execute(
            f"UPDATE partners SET {sets}, updated_at = ? WHERE id = ? RETURNING id",
            [values[c] for c in cols] + [at, partner_id],
        ).fetchall()
    )


def partner(con, partner_id: int) -> dict | None:
    rows = _dicts(con.execute("SELECT * FROM partners WHERE id = ?", [partner_id]))
    return rows[0] if rows else None


def partner_by_name(con, name: str) -> dict | None:
    rows = _dicts(con.execute("SELECT * FROM partners WHERE name = ?", [name]))
    return rows[0] if rows else None


def partners(con) -> pd.DataFrame:
    """Every active partner with the gardens it is paired with and the experts who belong to it."""
    return con.execute(
        """SELECT pa.id, pa.name, pa.name_en, pa.kind, pa.description, pa.contact_name, pa.contact_phone,
                  pa.contact_email,
                  (SELECT string_agg(g.name, '、' ORDER BY g.id) FROM garden_partners gp
                   JOIN gardens g ON g.id = gp.garden_id WHERE gp.partner_id = pa.id) AS gardens,
                  (SELECT string_agg(coalesce(g.name_en, g.name), ', ' ORDER BY g.id) FROM garden_partners gp
                   JOIN gardens g ON g.id = gp.garden_id WHERE gp.partner_id = pa.id) AS gardens_en,
                  (SELECT string_agg(p.display_name, '、' ORDER BY p.id) FROM people p
                   WHERE p.partner_id = pa.id AND p.active) AS people
           FROM partners pa WHERE pa.active ORDER BY pa.kind, pa.name"""
    ).df()


def pairing(con, garden_id: int, partner_id: int) -> int | None:
    return scalar(
        con, "SELECT id FROM garden_partners WHERE garden_id = ? AND partner_id = ?", [garden_id, partner_id]
    )


def insert_pairing(con, values: dict) -> int:
    return _insert(con, "garden_partners", values)


def delete_pairing(con, pairing_id: int) -> None:
    con.execute("DELETE FROM garden_partners WHERE id = ?", [pairing_id])


def set_person_partner(con, person_id: int, partner_id: int | None) -> int:
    return len(
        con.execute(
            "UPDATE people SET partner_id = ? WHERE id = ? RETURNING id", [partner_id, person_id]
        ).fetchall()
    )


def person_partner(con, person_id: int) -> int | None:
    return scalar(con, "SELECT partner_id FROM people WHERE id = ?", [person_id])


def garden_partner_activity(con, garden_id: int | None, now, since=None) -> pd.DataFrame:
    """Partners of a garden (paired, or active there) and what their people did in it until ``now``;
    ``garden_id`` None: in any garden of the town; ``since``: only from then on (a month's report).

    An event is held once it has ended (a BioBlitz under way is not held yet) and planned until then;
    it is the partner's when the partner is named on it or its host belongs to the partner.
    """
    return con.execute(
        """
        WITH paired AS (
            SELECT partner_id, string_agg(role, '；' ORDER BY garden_id) AS role, min(since) AS since
            FROM garden_partners WHERE ($garden IS NULL OR garden_id = $garden) GROUP BY partner_id
        ), reviews AS (
            SELECT p.partner_id, count(*) AS reviews, max(v.decided_at) AS last_review
            FROM verifications v JOIN sightings s ON s.id = v.sighting_id JOIN people p ON p.id = v.decided_by
            WHERE ($garden IS NULL OR s.garden_id = $garden) AND NOT v.machine AND p.partner_id IS NOT NULL
              AND v.decided_at < $now AND ($since IS NULL OR v.decided_at >= $since) GROUP BY 1
        ), answers AS (
            SELECT p.partner_id, count(*) AS answers, max(q.answered_at) AS last_answer
            FROM questions q JOIN people p ON p.id = q.answered_by
            WHERE ($garden IS NULL OR q.garden_id = $garden) AND p.partner_id IS NOT NULL
              AND q.answered_at < $now AND ($since IS NULL OR q.answered_at >= $since) GROUP BY 1
        ), patrols AS (
            SELECT p.partner_id, count(*) AS visits FROM visits v JOIN people p ON p.id = v.recorded_by
            WHERE ($garden IS NULL OR v.garden_id = $garden) AND NOT v.withdrawn AND p.partner_id IS NOT NULL
              AND v.started_at < $now AND ($since IS NULL OR v.started_at >= $since) GROUP BY 1
        ), held AS (
            SELECT coalesce(e.partner_id, h.partner_id) AS partner_id,
                   count(*) FILTER (WHERE e.ends_at <= $now) AS events_held,
                   count(*) FILTER (WHERE e.ends_at <= $now AND e.kind IN ('nature_class', 'plot_session')) AS classes,
                   count(*) FILTER (WHERE e.ends_at > $now) AS events_planned,
                   arg_max(e.title, e.starts_at) FILTER (WHERE e.ends_at <= $now) AS last_event,
                   max(e.starts_at) FILTER (WHERE e.ends_at <= $now) AS last_event_at
            FROM events e LEFT JOIN people h ON h.id = e.host_id
            WHERE ($garden IS NULL OR e.garden_id = $garden) AND NOT e.cancelled
              AND coalesce(e.partner_id, h.partner_id) IS NOT NULL AND ($since IS NULL OR e.starts_at >= $since)
            GROUP BY 1
        )
        SELECT pa.id, pa.name, pa.name_en, pa.kind, pr.role, pr.since, pr.partner_id IS NOT NULL AS paired,
               coalesce(r.reviews, 0) AS reviews, r.last_review, coalesce(a.answers, 0) AS answers, a.last_answer,
               coalesce(v.visits, 0) AS visits, coalesce(e.events_held, 0) AS events_held,
               coalesce(e.classes, 0) AS classes, coalesce(e.events_planned, 0) AS events_planned,
               e.last_event, e.last_event_at,
               (SELECT string_agg(p.display_name, '、' ORDER BY p.id) FROM people p
                WHERE p.partner_id = pa.id AND p.active) AS people
        FROM partners pa LEFT JOIN paired pr ON pr.partner_id = pa.id LEFT JOIN reviews r ON r.partner_id = pa.id
        LEFT JOIN answers a ON a.partner_id = pa.id LEFT JOIN patrols v ON v.partner_id = pa.id
        LEFT JOIN held e ON e.partner_id = pa.id
        WHERE pa.active AND (pr.partner_id IS NOT NULL OR r.partner_id IS NOT NULL OR a.partner_id IS NOT NULL
                             OR e.partner_id IS NOT NULL)
        ORDER BY paired DESC, reviews + answers + events_held DESC, pa.name
        """,
        {"garden": garden_id, "now": now, "since": since},
    ).df()


def events_held(con, garden_id: int | None, start, end, now) -> pd.DataFrame:
    """Events that started in [start, end) and had ended by ``now`` (not cancelled), oldest first, with
    who came: ``people`` and ``children`` are head counts, None when no attendance was recorded;
    ``partner_id`` as in garden_partner_activity (named on the event, or the host's partner)."""
    return con.execute(
        """
        WITH a AS (
            SELECT event_id, sum(head_count) AS people, coalesce(sum(head_count) FILTER (WHERE is_child), 0) AS children
            FROM event_attendance GROUP BY 1
        )
        SELECT e.id, e.garden_id, g.name AS garden, g.name_en AS garden_en, e.kind, e.title, e.starts_at,
               e.ends_at, e.series_id, coalesce(e.partner_id, h.partner_id) AS partner_id, pa.name AS partner,
               pa.name_en AS partner_en, a.people, a.children
        FROM events e JOIN gardens g ON g.id = e.garden_id LEFT JOIN people h ON h.id = e.host_id
        LEFT JOIN partners pa ON pa.id = coalesce(e.partner_id, h.partner_id) LEFT JOIN a ON a.event_id = e.id
        WHERE NOT e.cancelled AND ($garden IS NULL OR e.garden_id = $garden)
          AND e.starts_at >= $start AND e.starts_at < $end AND e.ends_at <= $now
        ORDER BY e.starts_at, e.id
        """,
        {"garden": garden_id, "start": start, "end": end, "now": now},
    ).df()


def events_between(con, garden_id: int | None, start, end) -> pd.DataFrame:
    """Events (not cancelled) starting in [start, end), soonest first: what is coming up."""
    return con.execute(
        """SELECT e.id, e.garden_id, g.name AS garden, g.name_en AS garden_en, e.kind, e.title, e.starts_at,
                  e.ends_at, e.series_id, e.place
           FROM events e JOIN gardens g ON g.id = e.garden_id
           WHERE NOT e.cancelled AND ($garden IS NULL OR e.garden_id = $garden)
             AND e.starts_at >= $start AND e.starts_at < $end
           ORDER BY e.starts_at, e.id""",
        {"garden": garden_id, "start": start, "end": end},
    ).df()


# -------------------------------------------------------------------------------------------- events


def insert_event(con, values: dict) -> int:
    return _insert(con, "events", values)


def event(con, event_id: int) -> dict | None:
    rows = _dicts(
        con.execute(
            """SELECT e.*, g.name AS garden, g.name_en AS garden_en, z.name AS zone, z.name_en AS zone_en,
                      z.code AS zone_code, h.display_name AS host, pa.name AS partner, pa.name_en AS partner_en,
                      pl.name AS plot
               FROM events e JOIN gardens g ON g.id = e.garden_id LEFT JOIN zones z ON z.id = e.zone_id
               LEFT JOIN people h ON h.id = e.host_id LEFT JOIN partners pa ON pa.id = e.partner_id
               LEFT JOIN plots pl ON pl.id = e.series_id
               WHERE e.id = ?""",
            [event_id],
        )
    )
    return rows[0] if rows else None


def cancel_event(con, event_id: int, at) -> int:
    return len(
        con.execute(
            "UPDATE events SET cancelled = TRUE, updated_at = ? WHERE id = ? AND NOT cancelled RETURNING id",
            [at, event_id],
        ).fetchall()
    )


def garden_events(con, garden_id: int, person_id: int | None) -> pd.DataFrame:
    """A garden's events with sign-up and attendance totals, and the viewer's own sign-up."""
    return con.execute(
        """
        WITH s AS (
            SELECT event_id, sum(head_count) AS signed_up, sum(head_count) FILTER (WHERE is_child) AS children
            FROM event_signups WHERE NOT withdrawn GROUP BY 1
        ), me AS (
            SELECT event_id, min(id) AS my_signup_id FROM event_signups
            WHERE NOT withdrawn AND person_id = ? GROUP BY 1
        ), a AS (
            SELECT event_id, sum(head_count) AS attended FROM event_attendance GROUP BY 1
        )
        SELECT e.id, e.kind, e.title, e.starts_at, e.ends_at, e.place, e.capacity, e.audience, e.cancelled,
               e.series_id, e.host_id, z.name AS zone, z.name_en AS zone_en, h.display_name AS host,
               pa.name AS partner, pa.name_en AS partner_en, coalesce(s.signed_up, 0) AS signed_up,
               coalesce(s.children, 0) AS signed_children, me.my_signup_id, a.attended
        FROM events e LEFT JOIN zones z ON z.id = e.zone_id LEFT JOIN people h ON h.id = e.host_id
        LEFT JOIN partners pa ON pa.id = e.partner_id LEFT JOIN s ON s.event_id = e.id
        LEFT JOIN me ON me.event_id = e.id LEFT JOIN a ON a.event_id = e.id
        WHERE e.garden_id = ? ORDER BY e.starts_at, e.id
        """,
        [person_id, garden_id],
    ).df()


def event_at(con, garden_id: int, at, kinds: list[str]) -> int | None:
    """The event of one of ``kinds`` in this garden whose window contains ``at`` (a BioBlitz first)."""
    return scalar(
        con,
        """SELECT id FROM events
           WHERE garden_id = ? AND NOT cancelled AND starts_at <= ? AND ends_at >= ?
             AND kind IN (SELECT unnest(?::VARCHAR[]))
           ORDER BY kind <> 'bioblitz', starts_at, id LIMIT 1""",
        [garden_id, at, at, kinds],
    )


# ------------------------------------------------------------------------------- sign-ups, attendance


def insert_signup(con, values: dict) -> int:
    return _insert(con, "event_signups", values)


def signup(con, signup_id: int) -> dict | None:
    rows = _dicts(con.execute("SELECT * FROM event_signups WHERE id = ?", [signup_id]))
    return rows[0] if rows else None


def withdraw_signup(con, signup_id: int) -> int:
    """Withdraw a sign-up and the people who came with it (rows whose party_of is this one)."""
    return len(
        con.execute(
            """UPDATE event_signups SET withdrawn = TRUE
               WHERE (id = ? OR party_of = ?) AND NOT withdrawn RETURNING id""",
            [signup_id, signup_id],
        ).fetchall()
    )


def signed_up_heads(con, event_id: int) -> int:
    return int(
        scalar(
            con,
            "SELECT coalesce(sum(head_count), 0) FROM event_signups WHERE event_id = ? AND NOT withdrawn",
            [event_id],
        )
    )


def person_signup(con, event_id: int, person_id: int) -> int | None:
    return scalar(
        con,
        "SELECT min(id) FROM event_signups WHERE event_id = ? AND person_id = ? AND NOT withdrawn",
        [event_id, person_id],
    )


def signups(con, event_id: int) -> pd.DataFrame:
    return con.execute(
        """SELECT s.id, s.person_id, coalesce(p.display_name, s.name) AS name, s.head_count, s.is_child,
                  s.helper, s.note, s.signed_up_at, s.party_of, w.display_name AS party_name
           FROM event_signups s LEFT JOIN people p ON p.id = s.person_id
           LEFT JOIN event_signups o ON o.id = s.party_of LEFT JOIN people w ON w.id = o.person_id
           WHERE s.event_id = ? AND NOT s.withdrawn
           ORDER BY s.person_id IS NULL, coalesce(s.party_of, s.id), s.id""",
        [event_id],
    ).df()


def attendance(con, event_id: int) -> pd.DataFrame:
    return con.execute(
        """SELECT a.id, a.person_id, coalesce(p.display_name, a.name) AS name, a.head_count, a.is_child,
                  a.minutes, a.recorded_at
           FROM event_attendance a LEFT JOIN people p ON p.id = a.person_id
           WHERE a.event_id = ? ORDER BY a.person_id IS NULL, a.name IS NULL, a.is_child, a.id""",
        [event_id],
    ).df()


def replace_attendance(con, event_id: int, frame: pd.DataFrame) -> int:
    con.execute("DELETE FROM event_attendance WHERE event_id = ?", [event_id])
    return insert_frame(con, "event_attendance", frame)


def active_people(con) -> pd.DataFrame:
    return con.execute(
        "SELECT id, username, display_name, role, partner_id, home_garden_id FROM people WHERE active ORDER BY role, id"
    ).df()


def person_exists(con, person_id: int) -> bool:
    return bool(scalar(con, "SELECT count(*) FROM people WHERE id = ? AND active", [person_id]))


# ----------------------------------------------------------------------------------------- BioBlitz


def blitz_records(con, event_id: int) -> list[tuple]:
    """(id, species_id, recorded_by, recorder, event_date, individual_count, group_name, chinese_name,
    english_name) of the records made at the event: linked to it, or made in its garden and window
    by a path that does not link (imports), and not rejected by an expert."""
    return con.execute(
        """SELECT s.id, s.species_id, s.recorded_by, p.display_name, s.event_date, s.individual_count,
                  sp.group_name, sp.chinese_name, coalesce(sp.english_name, sp.chinese_name)
           FROM sightings s JOIN events e ON e.id = ? JOIN people p ON p.id = s.recorded_by
           LEFT JOIN species sp ON sp.id = s.species_id
           WHERE NOT s.withdrawn AND NOT starts_with(s.identification_verification_status, ?)
             AND (s.event_id = e.id OR (s.event_id IS NULL AND s.garden_id = e.garden_id
                                        AND s.event_date >= e.starts_at AND s.event_date <= e.ends_at))
           ORDER BY s.event_date, s.id""",
        [event_id, REJECTED_PREFIX],
    ).fetchall()


# -------------------------------------------------------------------------------------------- plots


def insert_plot(con, values: dict) -> int:
    return _insert(con, "plots", values)


def plot(con, plot_id: int) -> dict | None:
    rows = _dicts(con.execute("SELECT * FROM plots WHERE id = ?", [plot_id]))
    return rows[0] if rows else None


def garden_plots(con, garden_id: int) -> pd.DataFrame:
    return con.execute(
        """SELECT pl.id, pl.name, pl.class_name, pl.season_start, pl.season_end, pl.description,
                  z.name AS zone, z.name_en AS zone_en, pa.name AS partner, pa.name_en AS partner_en,
                  h.display_name AS host, pl.host_id,
                  (SELECT count(*) FROM events e WHERE e.series_id = pl.id AND NOT e.cancelled) AS sessions,
                  (SELECT count(*) FROM plot_observations o WHERE o.plot_id = pl.id) AS observations
           FROM plots pl LEFT JOIN zones z ON z.id = pl.zone_id LEFT JOIN partners pa ON pa.id = pl.partner_id
           LEFT JOIN people h ON h.id = pl.host_id
           WHERE pl.garden_id = ? AND pl.active ORDER BY pl.season_start DESC, pl.id""",
        [garden_id],
    ).df()


def plot_sessions(con, plot_id: int) -> pd.DataFrame:
    return con.execute(
        """SELECT e.id, e.title, e.starts_at, e.ends_at, e.cancelled,
                  (SELECT sum(head_count) FILTER (WHERE is_child) FROM event_attendance a WHERE a.event_id = e.id) AS children,
                  (SELECT sum(head_count) FROM event_attendance a WHERE a.event_id = e.id) AS attended,
                  (SELECT count(*) FROM sightings s WHERE s.event_id = e.id AND NOT s.withdrawn) AS sightings,
                  (SELECT count(*) FROM plot_observations o WHERE o.event_id = e.id) AS observations
           FROM events e WHERE e.series_id = ? AND e.kind = 'plot_session' ORDER BY e.starts_at""",
        [plot_id],
    ).df()


def insert_observation(con, values: dict) -> int:
    return _insert(con, "plot_observations", values)


def plot_observations(con, plot_id: int) -> pd.DataFrame:
    return con.execute(
        """SELECT o.id, o.observed_at, o.observation, o.value, o.unit, o.event_id, p.display_name AS recorded_by
           FROM plot_observations o JOIN people p ON p.id = o.recorded_by
           WHERE o.plot_id = ? ORDER BY o.observed_at DESC, o.id DESC""",
        [plot_id],
    ).df()
