"""Monthly report and QR posters, checked against values computed straight from the tables."""

from __future__ import annotations

import html
import io
import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import qrcode
from click.testing import CliRunner
from PIL import Image
from qrcode.constants import ERROR_CORRECT_H

from habitat import settings
from habitat.cli import main
from habitat.errors import PermissionDenied
from habitat.reporting import build_posters, build_report, zone_url

SHANGHAI = ZoneInfo("Asia/Shanghai")
NOT_REJECTED = (
    "Accepted – correct",
    "Accepted – considered correct",
    "Unconfirmed – plausible",
    "Unconfirmed – not reviewed",
)
INJECTED = "<script>alert(1)</script>"


def month_bounds(year: int, month: int) -> tuple[datetime, datetime]:
    return (
        datetime(year, month, 1, tzinfo=SHANGHAI),
        datetime(year + (month == 12), month % 12 + 1, 1, tzinfo=SHANGHAI),
    )


def scalar(con, sql: str, params=()):
    return con.execute(sql, list(params)).fetchall()[0][0]


def garden_id(con, slug="zhongjing") -> int:
    return scalar(con, "SELECT id FROM gardens WHERE slug = ?", [slug])


def photo_month(con) -> tuple[int, int]:
    """The month of the newest photographed record: the demo puts its photos on the newest records,
    so this is the current month (or the last one, on the first of a month)."""
    newest = scalar(con, "SELECT max(s.event_date) FROM photos p JOIN sightings s ON s.id = p.sighting_id")
    newest = newest.astimezone(SHANGHAI)
    return newest.year, newest.month


def previous_month(year: int, month: int) -> tuple[int, int]:
    return (year - 1, 12) if month == 1 else (year, month - 1)


def run_cli(*args: str):
    result = CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)
    return result


def write_report(
    tmp_path, demo_db, *scope: str, year: int, month: int, lang: str = "zh", name="report.html"
) -> str:
    out = tmp_path / name
    result = run_cli(
        "report",
        "--db",
        demo_db,
        *scope,
        "--month",
        f"{year}-{month:02d}",
        "--out",
        out,
        "--lang",
        lang,
        "--photos",
        tmp_path / "photos",
    )
    assert result.exit_code == 0, result.output
    assert out.is_file()
    return out.read_text(encoding="utf-8")


def kpis(page: str) -> dict[str, str]:
    return dict(re.findall(r'<div class="kpi" data-kpi="(\w+)"><b>([^<]*)</b>', page))


def section(page: str, ident: str) -> str:
    match = re.search(rf'<section id="{ident}"[^>]*>(.*?)</section>', page, re.DOTALL)
    assert match, ident
    return match.group(1)


def without_plotly_library(page: str) -> str:
    return re.sub(
        r'<script type="text/javascript" data-library="plotly">.*?</script>',
        "",
        page,
        count=1,
        flags=re.DOTALL,
    )


def expected_figures(con, gid: int | None, start, end) -> dict[str, str]:
    """The headline figures computed independently from the raw tables."""
    where_garden = "(? IS NULL OR garden_id = ?)"
    records = scalar(
        con,
        f"""SELECT count(*) FROM sightings WHERE NOT withdrawn AND {where_garden}
                              AND event_date >= ? AND event_date < ? AND identification_verification_status IN (?, ?, ?, ?)""",
        [gid, gid, start, end, *NOT_REJECTED],
    )
    species = scalar(
        con,
        """SELECT count(DISTINCT s.species_id) FROM sightings s JOIN species sp ON sp.id = s.species_id
                              WHERE NOT s.withdrawn AND (? IS NULL OR s.garden_id = ?) AND s.event_date >= ? AND s.event_date < ?
                                AND sp.taxon_rank IN ('species', 'subspecies')
                                AND s.identification_verification_status IN (?, ?, ?, ?)""",
        [gid, gid, start, end, *NOT_REJECTED],
    )
    new_species = scalar(
        con,
        """SELECT count(*) FROM (
                                     SELECT s.species_id, min(s.event_date) AS first FROM sightings s
                                     JOIN species sp ON sp.id = s.species_id
                                     WHERE NOT s.withdrawn AND (? IS NULL OR s.garden_id = ?)
                                       AND sp.taxon_rank IN ('species', 'subspecies')
                                       AND s.identification_verification_status IN (?, ?, ?, ?)
                                     GROUP BY 1) WHERE first >= ? AND first < ?""",
        [gid, gid, *NOT_REJECTED, start, end],
    )
    patrols = scalar(
        con,
        f"SELECT count(*) FROM visits WHERE NOT withdrawn AND {where_garden} AND started_at >= ? AND started_at < ?",
        [gid, gid, start, end],
    )
    logs = scalar(
        con,
        f"SELECT count(*) FROM task_logs WHERE NOT withdrawn AND {where_garden} AND done_at >= ? AND done_at < ?",
        [gid, gid, start, end],
    )
    patrol_minutes = scalar(
        con,
        f"""SELECT coalesce(sum(date_diff('minute', started_at, ended_at)), 0) FROM visits
                                     WHERE NOT withdrawn AND ended_at IS NOT NULL AND {where_garden}
                                       AND started_at >= ? AND started_at < ?""",
        [gid, gid, start, end],
    )
    task_minutes = scalar(
        con,
        f"""SELECT coalesce(sum(minutes), 0) FROM task_logs WHERE NOT withdrawn AND {where_garden}
                                   AND done_at >= ? AND done_at < ?""",
        [gid, gid, start, end],
    )
    event_minutes = scalar(
        con,
        """SELECT coalesce(sum(a.minutes), 0) FROM event_attendance a JOIN events e ON e.id = a.event_id
                                   WHERE a.person_id IS NOT NULL AND a.minutes > 0 AND NOT e.cancelled
                                     AND (? IS NULL OR e.garden_id = ?) AND e.starts_at >= ? AND e.starts_at < ?""",
        [gid, gid, start, end],
    )
    problems = scalar(
        con, f"SELECT count(*) FROM problems WHERE status = 'open' AND {where_garden}", [gid, gid]
    )
    return {
        "records": str(records),
        "species": str(species),
        "new_species": str(new_species),
        "patrols": str(patrols),
        "upkeep_logs": str(logs),
        "hours": (patrol_minutes + task_minutes + event_minutes) / 60,
        "open_problems": str(problems),
    }


def assert_figures(got: dict[str, str], expected: dict[str, object]) -> None:
    hours = expected.pop("hours")
    assert {k: got[k] for k in expected} == expected
    assert float(got["hours"]) == pytest.approx(hours, abs=0.06)  # shown with one decimal


# --- the monthly report ---------------------------------------------------------------------------


def test_garden_report_from_the_cli_shows_the_garden_month_and_the_figures_counted_from_the_tables(
    con, demo_db, tmp_path
):
    year, month = photo_month(con)
    page = write_report(tmp_path, demo_db, "--garden", "zhongjing", year=year, month=month)
    assert "中泾生境花园" in page and f"{year}年{month}月" in page
    got = kpis(page)
    assert_figures(got, expected_figures(con, garden_id(con), *month_bounds(year, month)))
    assert int(got["records"]) > 0
    assert re.fullmatch(r"\d+%|—", got["on_time"])


def test_species_table_lists_each_species_of_the_month_and_marks_new_ones(con, demo_db, tmp_path):
    year, month = previous_month(*photo_month(con))
    page = write_report(tmp_path, demo_db, "--garden", "changxin", year=year, month=month)
    species = section(page, "species")
    rows = re.findall(r"<tr( class=\"new\")?><td>", species.split("<tbody>")[1])
    assert str(len(rows)) == kpis(page)["species"]
    assert str(sum(1 for new in rows if new)) == kpis(page)["new_species"]
    assert "decimal_latitude" not in page and not re.search(r"\b31\.2\d{3,}", without_plotly_library(page))


def test_town_report_has_one_row_per_garden_that_adds_up_to_the_town(con, demo_db, tmp_path):
    year, month = previous_month(*photo_month(con))
    page = write_report(tmp_path, demo_db, "--town", year=year, month=month)
    got = kpis(page)
    assert_figures(got, expected_figures(con, None, *month_bounds(year, month)))
    gardens = section(page, "gardens")
    rows = re.findall(r"<tr><td>([^<]+)</td><td class=\"num\">(\d+)</td>", gardens)
    names = [r[0] for r in con.execute("SELECT name FROM gardens WHERE active ORDER BY id").fetchall()]
    assert [name for name, _ in rows] == names
    assert sum(int(n) for _, n in rows) == int(got["records"])
    assert "新泾镇" in page and f"{year}年{month}月" in page


def test_the_report_fetches_nothing_and_inlines_plotly_once(con, demo_db, tmp_path):
    year, month = photo_month(con)
    page = write_report(tmp_path, demo_db, "--garden", "zhongjing", year=year, month=month)
    assert not re.search(r"<script[^>]*\bsrc\s*=", page, re.IGNORECASE)
    assert not re.search(r"<link\b", page, re.IGNORECASE)
    assert not re.search(
        r"<(img|iframe|source|video|audio)[^>]*\bsrc\s*=\s*[\"']?(https?:)?//", page, re.IGNORECASE
    )
    assert not re.search(r"@import|url\(\s*[\"']?(https?:)?//", page, re.IGNORECASE)
    own_markup = without_plotly_library(page)
    assert not re.search(r"https?://", own_markup)
    library = re.search(
        r'<script type="text/javascript" data-library="plotly">(.*?)</script>', page, re.DOTALL
    )
    assert library and "Plotly" in library.group(1) and len(library.group(1)) > 1_000_000
    assert page.count("* plotly.js v") == 1
    assert own_markup.count("Plotly.newPlot(") == 3  # richness, groups, zone plan
    assert len(page.encode("utf-8")) > 1_000_000


def test_photos_of_the_month_are_embedded_as_data_uris(con, demo_db, tmp_path):
    year, month = photo_month(con)
    photos = section(write_report(tmp_path, demo_db, "--town", year=year, month=month), "photos")
    embedded = re.findall(r'<img src="data:image/(?:jpeg|png|webp);base64,([A-Za-z0-9+/=]+)"', photos)
    assert 1 <= len(embedded) <= 6
    import base64

    assert Image.open(io.BytesIO(base64.b64decode(embedded[0]))).size[0] > 0


def test_missing_photo_files_are_skipped(con, demo_db, tmp_path):
    year, month = photo_month(con)
    for path in (tmp_path / "photos").rglob("*.jpg"):
        path.unlink()
    page = write_report(tmp_path, demo_db, "--town", year=year, month=month)
    assert "data:image/" not in without_plotly_library(page)
    assert "本月没有可用的照片" in section(page, "photos")


def test_english_report_has_english_headings(con, demo_db, tmp_path):
    year, month = photo_month(con)
    page = write_report(tmp_path, demo_db, "--garden", "zhongjing", year=year, month=month, lang="en")
    for heading in (
        "The month at a glance",
        "Events this month",
        "Ideas and garden meetings",
        "What partners contributed",
        "Upkeep",
        "Hours given, by role",
        "Species recorded this month",
        "Biodiversity charts",
        "Photos of the month",
    ):
        assert f"<h2>{heading}</h2>" in page
    assert "Zhongjing Habitat Garden" in page and datetime(year, month, 1).strftime("%B") in page
    assert '<html lang="en">' in page and "本月概况" not in page


def test_text_typed_by_people_is_escaped(con, make_ctx, tmp_path):
    year, month = photo_month(con)
    start, end = month_bounds(year, month)
    gid = garden_id(con)
    con.execute(
        "UPDATE sightings SET note = ? WHERE garden_id = ? AND event_date >= ? AND event_date < ?",
        [INJECTED, gid, start, end],
    )
    con.execute("UPDATE problems SET description = ? WHERE garden_id = ?", [INJECTED, gid])
    con.execute("UPDATE zones SET name = name || ? WHERE garden_id = ?", [INJECTED, gid])
    con.execute("UPDATE people SET display_name = display_name || ?", [INJECTED])
    page = build_report(make_ctx("liuzhuren"), garden_slug="zhongjing", year=year, month=month)
    assert INJECTED not in page
    assert html.escape(INJECTED) in section(page, "photos")
    assert html.escape(INJECTED) in section(page, "upkeep")
    assert html.escape(INJECTED) in section(page, "hours")


def test_sensitive_species_are_listed_with_a_badge_but_no_photo(con, make_ctx):
    year, month = photo_month(con)
    start, end = month_bounds(year, month)
    sensitive, name = con.execute(
        "SELECT id, chinese_name FROM species WHERE sensitive AND taxon_rank = 'species' ORDER BY id LIMIT 1"
    ).fetchall()[0]
    con.execute(
        """UPDATE sightings SET species_id = ? WHERE garden_id = ? AND event_date >= ? AND event_date < ?
                     AND id IN (SELECT sighting_id FROM photos)""",
        [sensitive, garden_id(con), start, end],
    )
    page = build_report(make_ctx("liuzhuren"), garden_slug="zhongjing", year=year, month=month)
    row = re.search(rf"<tr[^>]*><td>{re.escape(name)}(.*?)</tr>", section(page, "species"))
    assert row and 'class="badge sensitive"' in row.group(1)
    assert name not in section(page, "photos")


def test_progress_is_reported_between_sections(con, make_ctx):
    calls = []
    build_report(
        make_ctx("zhanggong"),
        garden_slug=None,
        year=2026,
        month=1,
        progress=lambda f, label: calls.append((f, label)),
    )
    fractions = [f for f, _ in calls]
    assert len(calls) >= 5 and fractions == sorted(fractions) and fractions[0] == 0.0 and fractions[-1] == 1.0
    assert all(isinstance(label, str) and label for _, label in calls)


def test_volunteers_do_not_get_the_report(make_ctx):
    with pytest.raises(PermissionDenied):
        build_report(make_ctx("wangayi"), garden_slug="zhongjing", year=2026, month=1)


def test_cli_wants_exactly_one_of_garden_and_town(demo_db, tmp_path):
    both = run_cli(
        "report",
        "--db",
        demo_db,
        "--garden",
        "zhongjing",
        "--town",
        "--month",
        "2026-01",
        "--out",
        tmp_path / "r.html",
    )
    neither = run_cli("report", "--db", demo_db, "--month", "2026-01", "--out", tmp_path / "r.html")
    unknown = run_cli(
        "report", "--db", demo_db, "--garden", "nowhere", "--month", "2026-01", "--out", tmp_path / "r.html"
    )
    assert both.exit_code == neither.exit_code == unknown.exit_code == 2
    assert "nowhere" in unknown.output and not (tmp_path / "r.html").exists()


# --- the community's month (issue 15, item 1) -------------------------------------------------------


def cells(fragment: str) -> list[list[str]]:
    """The body rows of the first table in ``fragment``, each cell as its text (tags stripped)."""
    body = fragment.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.DOTALL)
    return [
        [html.unescape(re.sub(r"<[^>]+>", "", c)) for c in re.findall(r"<td[^>]*>(.*?)</td>", r, re.DOTALL)]
        for r in rows
    ]


def local_day(value) -> str:
    return value.astimezone(SHANGHAI).strftime("%Y-%m-%d")


def demo_month(con, sql: str) -> tuple[int, int]:
    when = scalar(con, sql).astimezone(SHANGHAI)
    return when.year, when.month


def expected_events(con, gid: int | None, start, end) -> list[list[str]]:
    """Each event held: date, title, who came, children, helpers' hours, species found — from the rows."""
    found = con.execute(
        """
        SELECT e.starts_at, e.title,
               (SELECT sum(a.head_count) FROM event_attendance a WHERE a.event_id = e.id),
               (SELECT coalesce(sum(a.head_count), 0) FROM event_attendance a WHERE a.event_id = e.id AND a.is_child),
               (SELECT coalesce(sum(a.minutes), 0) FROM event_attendance a
                WHERE a.event_id = e.id AND a.person_id IS NOT NULL AND a.minutes > 0),
               (SELECT count(DISTINCT s.species_id) FROM sightings s
                WHERE NOT s.withdrawn AND s.species_id IS NOT NULL
                  AND s.identification_verification_status NOT LIKE 'Not accepted%'
                  AND (s.event_id = e.id OR (s.event_id IS NULL AND s.garden_id = e.garden_id
                                             AND s.event_date BETWEEN e.starts_at AND e.ends_at)))
        FROM events e
        WHERE (? IS NULL OR e.garden_id = ?) AND NOT e.cancelled AND e.starts_at >= ? AND e.starts_at < ?
          AND e.ends_at <= now()
        ORDER BY e.starts_at, e.id
        """,
        [gid, gid, start, end],
    ).fetchall()
    return [
        [
            local_day(at),
            title,
            "未记录" if people is None else str(int(people)),
            "未记录" if people is None else str(int(children)),
            f"{minutes / 60:.1f}",
            str(species),
        ]
        for at, title, people, children, minutes, species in found
    ]


def expected_hours_by_role(con, gid: int, start, end) -> list[list[str]]:
    minutes = con.execute(
        """
        WITH work AS (
            SELECT recorded_by AS who, date_diff('second', started_at, ended_at) / 60.0 AS m FROM visits
            WHERE garden_id = ? AND NOT withdrawn AND ended_at IS NOT NULL AND started_at >= ? AND started_at < ?
            UNION ALL
            SELECT done_by, coalesce(minutes, 0) FROM task_logs
            WHERE garden_id = ? AND NOT withdrawn AND done_at >= ? AND done_at < ?
            UNION ALL
            SELECT a.person_id, a.minutes FROM event_attendance a JOIN events e ON e.id = a.event_id
            WHERE e.garden_id = ? AND NOT e.cancelled AND a.person_id IS NOT NULL AND a.minutes > 0
              AND e.starts_at >= ? AND e.starts_at < ?
        )
        SELECT p.role, count(DISTINCT p.id), sum(w.m) FROM work w JOIN people p ON p.id = w.who GROUP BY p.role
        """,
        [gid, start, end] * 3,
    ).fetchall()
    label = {"volunteer": "志愿者", "expert": "专家", "committee": "居委会"}
    by_role = {role: (n, m) for role, n, m in minutes}
    return [[label[r], str(by_role[r][0]), f"{by_role[r][1] / 60:.1f}"] for r in label if r in by_role]


def expected_partners(con, gid: int | None, start, end) -> dict[str, tuple[int, int, int, int]]:
    """Partner -> (records reviewed, questions answered, classes, other events) in the month."""
    rows = con.execute(
        """
        WITH who AS (SELECT id, partner_id FROM people WHERE partner_id IS NOT NULL),
        held AS (
            SELECT coalesce(e.partner_id, h.partner_id) AS partner_id, e.kind FROM events e
            LEFT JOIN people h ON h.id = e.host_id
            WHERE (? IS NULL OR e.garden_id = ?) AND NOT e.cancelled AND e.starts_at >= ? AND e.starts_at < ?
              AND e.ends_at <= now()
        )
        SELECT pa.name,
               (SELECT count(*) FROM verifications v JOIN sightings s ON s.id = v.sighting_id
                JOIN who ON who.id = v.decided_by WHERE who.partner_id = pa.id AND (? IS NULL OR s.garden_id = ?)
                  AND NOT v.machine AND v.decided_at >= ? AND v.decided_at < least(?, now())),
               (SELECT count(*) FROM questions q JOIN who ON who.id = q.answered_by
                WHERE who.partner_id = pa.id AND (? IS NULL OR q.garden_id = ?) AND q.answered_at >= ?
                  AND q.answered_at < least(?, now())),
               (SELECT count(*) FROM held WHERE held.partner_id = pa.id AND kind IN ('nature_class', 'plot_session')),
               (SELECT count(*) FROM held WHERE held.partner_id = pa.id AND kind NOT IN ('nature_class', 'plot_session'))
        FROM partners pa
        """,
        [gid, gid, start, end] * 3,
    ).fetchall()
    return {name: tuple(counts) for name, *counts in rows if any(counts)}


def test_the_report_tells_the_communitys_month_counted_from_the_rows(con, demo_db, tmp_path):
    """中泾's month with the BioBlitz: events, partners and hours by role, each against its own SQL."""
    gid = garden_id(con)
    year, month = demo_month(
        con,
        "SELECT min(e.starts_at) FROM events e JOIN gardens g ON g.id = e.garden_id"
        " WHERE g.slug = 'zhongjing' AND e.kind = 'bioblitz' AND e.ends_at < now()",
    )
    start, end = month_bounds(year, month)
    page = write_report(tmp_path, demo_db, "--garden", "zhongjing", year=year, month=month)

    events = expected_events(con, gid, start, end)
    shown = cells(section(page, "events"))[:-1]  # the last row is the total
    assert [[r[0], *r[3:]] for r in shown] == [[e[0], *e[2:]] for e in events]
    assert all(r[1].startswith(e[1]) for r, e in zip(shown, events))  # the title, then the kind
    blitz = next(e for e in events if "生物快查" in e[1])
    assert int(blitz[2]) > 0 and int(blitz[5]) > 0  # the BioBlitz: who came, species found
    got = kpis(page)
    came = [int(e[2]) for e in events if e[2] != "未记录"]
    children = [int(e[3]) for e in events if e[3] != "未记录"]
    assert (got["summary_events"], got["summary_people"], got["summary_children"]) == (
        str(len(events)),
        str(sum(came)),
        str(sum(children)),
    )
    assert (got["summary_species"], got["summary_new_species"]) == (got["species"], got["new_species"])
    summary = section(page, "summary")
    assert blitz[1] in summary and f"{blitz[2]} 人次参加" in summary and f"发现 {blitz[5]} 种生物" in summary

    partners = {r[0]: tuple(int(n) for n in r[2:6]) for r in cells(section(page, "partners"))}
    assert partners == expected_partners(con, gid, start, end)

    expected = expected_hours_by_role(con, gid, start, end)
    by_role = cells(section(page, "hours"))[: len(expected)]  # then the total row
    assert [r[:2] for r in by_role] == [e[:2] for e in expected]
    for row, want in zip(by_role, expected):  # per person rounded to 0.01 h, shown to 0.1 h
        assert float(row[-1]) == pytest.approx(float(want[2]), abs=0.06)
    assert "专家" in [r[0] for r in by_role]  # experts are not counted as volunteers
    people = cells(section(page, "hours").split("</table>", 1)[1])
    roles = dict(con.execute("SELECT display_name, role FROM people").fetchall())
    label = {"volunteer": "志愿者", "expert": "专家", "committee": "居委会"}
    assert [r[1] for r in people[:-1]] == [label[roles[r[0]]] for r in people[:-1]]


def test_the_report_tells_the_months_ideas_and_meeting_decisions_counted_from_the_rows(
    con, demo_db, tmp_path
):
    """中泾's month with the garden meeting: ideas and what became of them, decisions and follow-ups."""
    gid = garden_id(con)
    year, month = demo_month(con, "SELECT min(held_at) FROM meetings")
    start, end = month_bounds(year, month)
    page = write_report(tmp_path, demo_db, "--garden", "zhongjing", year=year, month=month)
    ideas = section(page, "ideas")

    expected_ideas = con.execute(
        """SELECT d.created_at, d.title, (SELECT count(*) FROM idea_support s WHERE s.idea_id = d.id), d.status
           FROM ideas d WHERE d.garden_id = ?
             AND ((d.created_at >= ? AND d.created_at < ?) OR (d.status_changed_at >= ? AND d.status_changed_at < ?))
           ORDER BY d.created_at, d.id""",
        [gid, start, end, start, end],
    ).fetchall()
    status = {
        "open": "征集中",
        "on_agenda": "已列入议程",
        "decided": "已议定",
        "done": "已完成",
        "declined": "未采纳",
    }
    shown = cells(ideas)
    assert [r[:3] for r in shown] == [[local_day(at), title, str(n)] for at, title, n, _ in expected_ideas]
    assert [r[3].split(" ·")[0].split("（")[0] for r in shown] == [status[s] for *_, s in expected_ideas]
    received = scalar(
        con,
        "SELECT count(*) FROM ideas WHERE garden_id = ? AND created_at >= ? AND created_at < ?",
        [gid, start, end],
    )
    assert kpis(page)["summary_ideas"] == str(received)

    decided, items = con.execute(
        """SELECT count(*) FILTER (WHERE coalesce(trim(i.decision), '') <> ''), count(*)
           FROM meeting_items i JOIN meetings m ON m.id = i.meeting_id
           WHERE m.garden_id = ? AND m.held_at >= ? AND m.held_at < ?""",
        [gid, start, end],
    ).fetchall()[0]
    done, overdue, still_open = con.execute(
        """
        WITH f AS (
            SELECT f.due_on,
                   (f.kind = 'task' AND EXISTS (SELECT 1 FROM task_logs l WHERE l.task_def_id = f.task_def_id
                                                AND NOT l.withdrawn AND l.done_at >= f.created_at))
                   OR (f.kind = 'problem' AND EXISTS (SELECT 1 FROM problems p WHERE p.id = f.problem_id
                                                      AND p.status = 'resolved')) AS done
            FROM meeting_followups f JOIN meetings m ON m.id = f.meeting_id
            WHERE m.garden_id = ? AND m.held_at >= ? AND m.held_at < ?
        )
        SELECT count(*) FILTER (WHERE done), count(*) FILTER (WHERE NOT done AND due_on < ?),
               count(*) FILTER (WHERE NOT done AND due_on >= ?)
        FROM f
        """,
        [gid, start, end, datetime.now(SHANGHAI).date(), datetime.now(SHANGHAI).date()],
    ).fetchall()[0]
    assert decided > 0 and done + overdue + still_open > 0
    assert kpis(page)["summary_decisions"] == str(decided)
    line = f"议事会作出决定 {decided} 项；落实事项 {done + overdue + still_open} 项：已完成 {done}，已逾期 {overdue}，进行中 {still_open}"
    assert line in ideas and line.split("；")[1] in section(page, "summary")
    meeting_table = ideas.split("</table>", 1)[1]
    assert len(cells(meeting_table)) == items
    assert meeting_table.count('class="followup done"') == done
    assert meeting_table.count('class="followup overdue"') == overdue
    participants = scalar(
        con,
        "SELECT count(*) FROM meeting_participants p JOIN meetings m ON m.id = p.meeting_id"
        " WHERE m.garden_id = ? AND m.held_at >= ? AND m.held_at < ?",
        [gid, start, end],
    )
    assert f"参会 {participants} 人" in ideas


def test_text_typed_in_events_ideas_and_meetings_is_escaped(con, make_ctx):
    year, month = demo_month(con, "SELECT min(held_at) FROM meetings")
    for sql in (
        "UPDATE events SET title = title || ?",
        "UPDATE ideas SET title = title || ?, status_note = coalesce(status_note, '') || ?",
        "UPDATE meeting_items SET decision = decision || ?",
        "UPDATE meetings SET place = place || ?",
        "UPDATE partners SET name = name || ?",
    ):
        con.execute(sql, [INJECTED] * sql.count("?"))
    page = build_report(make_ctx("liuzhuren"), garden_slug=None, year=year, month=month)
    assert INJECTED not in page
    for ident in ("summary", "events", "ideas", "partners"):
        assert html.escape(INJECTED) in section(page, ident), ident


def test_the_town_report_opens_with_the_residents_page_and_counts_every_garden(con, demo_db, tmp_path):
    year, month = demo_month(
        con, "SELECT min(starts_at) FROM events WHERE kind = 'bioblitz' AND ends_at < now()"
    )
    start, end = month_bounds(year, month)
    page = write_report(tmp_path, demo_db, "--town", year=year, month=month)
    order = re.findall(r'<section id="(\w+)"', page)
    assert order[:6] == ["summary", "headline", "gardens", "events", "ideas", "partners"]
    assert '<section id="headline" class="break">' in page  # the committee's part starts on page 2
    events = expected_events(con, None, start, end)
    assert len({e[0] for e in events}) > 1 and kpis(page)["summary_events"] == str(len(events))
    shown = cells(section(page, "events"))[
        :-1
    ]  # garden, date, event, partner, came, children, hours, species
    assert [[r[1], *r[4:]] for r in shown] == [[e[0], *e[2:]] for e in events]
    partners = {r[0]: tuple(int(n) for n in r[2:6]) for r in cells(section(page, "partners"))}
    assert partners == expected_partners(con, None, start, end)


# --- QR posters -------------------------------------------------------------------------------------


def qr_modules(png: bytes, box: int = 16) -> list[list[bool]]:
    """Dark modules read back from the poster's PNG (sampled at each module's centre)."""
    img = Image.open(io.BytesIO(png)).convert("L")
    n = img.size[0] // box
    return [
        [img.getpixel((c * box + box // 2, r * box + box // 2)) < 128 for c in range(n)] for r in range(n)
    ]


def expected_modules(url: str) -> list[list[bool]]:
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_H, border=4)
    code.add_data(url)
    code.make(fit=True)
    return code.get_matrix()


def test_posters_one_per_zone_each_with_its_url_and_a_qr_code_that_encodes_it(con, demo_db, tmp_path):
    out = tmp_path / "posters.html"
    result = run_cli("posters", "--db", demo_db, "--garden", "zhongjing", "--out", out)
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    codes = [
        r[0]
        for r in con.execute(
            "SELECT code FROM zones WHERE garden_id = ? AND active ORDER BY code", [garden_id(con)]
        ).fetchall()
    ]
    images = re.findall(r'<img[^>]*src="data:image/png;base64,([A-Za-z0-9+/=]+)"', page)
    assert page.count('<section class="poster"') == len(codes) == len(images)
    assert page.count("扫码记录你在这里看到的生物") == len(codes) and "中泾生境花园" in page
    import base64

    base = settings.load().base_url
    for code, image in zip(codes, images):
        url = f"{base}/log_sighting?garden=zhongjing&zone={code}"
        assert zone_url(base, "zhongjing", code) == url
        assert f'<p class="url">{html.escape(url)}</p>' in page
        assert qr_modules(base64.b64decode(image)) == expected_modules(url)


def test_posters_use_the_base_url_given(make_ctx):
    page = build_posters(make_ctx("liuzhuren"), "leyi", base_url="https://garden.example.org/")
    assert "https://garden.example.org/log_sighting?garden=leyi&amp;zone=A" in page
    assert "127.0.0.1" not in page


@pytest.mark.parametrize(
    "base, local",
    [
        ("http://127.0.0.1:8501", True),
        ("http://localhost:8501/", True),
        ("http://192.168.1.20:8501", True),
        ("http://10.0.0.5", True),
        ("http://[::1]:8501", True),
        ("http://garden-pc.local:8501", True),
        ("https://garden.example.org/", False),
        ("http://8.8.8.8", False),
    ],
)
def test_a_poster_pointing_to_a_local_address_says_do_not_put_it_up(make_ctx, base, local):
    from habitat.reporting.posters import only_this_machine

    assert only_this_machine(base) is local
    zh = build_posters(make_ctx("liuzhuren"), "leyi", base_url=base)
    en = build_posters(make_ctx("liuzhuren"), "leyi", base_url=base, lang="en")
    warned = zh.count('class="local-warning"')
    assert warned == (zh.count('<section class="poster"') if local else 0)
    assert ("请勿张贴" in zh) is local and ("Do not put it up" in en) is local


def test_posters_in_english_keep_the_chinese_names_large(make_ctx):
    page = build_posters(make_ctx("liuzhuren"), "zhongjing", lang="en")
    assert '<p class="zone">Zone A · 雨水塘</p>' in page and '<p class="zone-en">Rain pond</p>' in page
    assert "Scan to record the wildlife you see here" in page


def test_a_relabelled_owls_photo_stays_out_of_the_report(con, make_ctx):
    """Security review item 6: volunteers voting an owl into a sparrow do not put its photo in print."""
    from habitat.db import report as report_db
    from tests.fixtures import relabel

    owl = relabel.relabelled_owl(con, make_ctx)
    plain = relabel.log(con, make_ctx, species="麻雀")
    for sighting in (owl, plain):
        con.execute(
            "INSERT INTO photos (sha256, sighting_id, display_path, thumb_path, uploaded_by, uploaded_at)"
            " VALUES (?, ?, 'd.jpg', 't.jpg', 1, now())",
            [f"relabel{sighting.id}", sighting.id],
        )
    when = owl.started.astimezone(SHANGHAI)
    start, end = month_bounds(when.year, when.month)
    shown = set(
        report_db.month_photos(con, garden_id(con), start, end, list(NOT_REJECTED), limit=10_000)[
            "sighting_id"
        ]
    )
    assert plain.id in shown and owl.id not in shown
