"""No name or note becomes a live formula in a CSV or XLSX file: each writer's file is read back with
the csv module / openpyxl. Numbers stay numbers; the Darwin Core Archive keeps names verbatim."""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import datetime

import pytest
from openpyxl import load_workbook

from habitat.clock import SHANGHAI, fixed_clock
from habitat.db import cells as cells_db
from habitat.db import export as export_db
from habitat.export import cells
from habitat.export.dwca import export_dwca
from habitat.export.tables import export_table
from habitat.services import dashboard, people, review, sightings, upkeep, zones
from habitat.domain import verification as v
from tests.fixtures.hostile_text import FORMULAS

NOW = datetime.now(SHANGHAI).replace(microsecond=0)
# What a committee member could type as a display name (the services trim leading tabs and line breaks)
NAMES = [f.strip() for f in FORMULAS] + ["NUL\x00字符", "普通名字"]


def read_csv(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def starts_formula(cell: str) -> bool:
    if not cell.startswith(cells.FORMULA_STARTS):
        return False
    try:
        float(cell)  # a number such as -3 is a number, not a formula
        return False
    except ValueError:
        return True


@pytest.fixture
def committee(make_ctx):
    return make_ctx("liuzhuren", clock=fixed_clock(NOW))


def _person_named(con, committee, username: str, name: str, gid: int) -> None:
    """An account whose name a spreadsheet would run. New accounts refuse such names
    (people.create_person, red team F17), so it is written as an older row or an import would be:
    every export must still neutralise it."""
    pid = people.create_person(
        committee,
        username=username,
        display_name="placeholder",
        role="volunteer",
        password="huayuan2026",
        home_garden_id=gid,
    )
    con.execute("UPDATE people SET display_name = ? WHERE id = ?", [name, pid])


@pytest.fixture
def people_with_hours(con, committee, make_ctx):
    """One volunteer per hostile name, each with 30 minutes of upkeep this month."""
    gid = con.execute("SELECT id FROM gardens WHERE slug = 'zhongjing'").fetchall()[0][0]
    task = upkeep.add_task_def(committee, gid, None, "water", "浇水", 1, NOW.date())
    for i, name in enumerate(NAMES):
        _person_named(con, committee, f"cell{i}", name, gid)
        upkeep.log_task(make_ctx(f"cell{i}", clock=fixed_clock(NOW)), task, minutes=30)
    start, end = dashboard.month_bounds(NOW.year, NOW.month)
    return dashboard.hours(committee, gid, start, end)


@pytest.mark.parametrize("value", FORMULAS)
def test_text_that_could_start_a_formula_gets_a_quote(value):
    assert cells.neutral(value) == "'" + value


@pytest.mark.parametrize("value", ["普通名字", "a=b", "3", -3, 1.5, None, "'=already quoted"])
def test_other_values_and_numbers_are_left_alone(value):
    assert cells.neutral(value) == value


def test_hours_csv_reads_back_with_names_as_text_and_hours_as_numbers(people_with_hours):
    table = read_csv(dashboard.hours_export(people_with_hours, "csv"))
    header, body = table[0], table[1:]
    person, hours = header.index("person"), header.index("hours")
    shown = {row[person] for row in body}
    for name in NAMES:
        expected = "'" + name if name.startswith(cells.FORMULA_STARTS) else name
        assert expected in shown, (name, shown)
    assert not [cell for row in table for cell in row if starts_formula(cell)]
    assert {float(row[hours]) for row in body if row[person] in {"'=1+1", "普通名字"}} == {0.5}


def test_hours_xlsx_has_no_formula_and_keeps_names_exactly(people_with_hours):
    sheet = load_workbook(io.BytesIO(dashboard.hours_export(people_with_hours, "xlsx"))).active
    rows = list(sheet.iter_rows())
    header = [c.value for c in rows[0]]
    assert not [c.coordinate for row in rows for c in row if c.data_type == "f"]
    by_name = {row[header.index("person")].value: row for row in rows[1:]}
    for name in NAMES:
        typed = name.replace("\x00", "")  # XML cannot hold NUL: left out, the rest kept
        cell = by_name[typed][header.index("person")]
        assert cell.data_type == "s" and cell.value == typed
        assert cell.quotePrefix == name.startswith(cells.FORMULA_STARTS)  # Excel keeps it text when edited
        hours = by_name[typed][header.index("hours")]
        assert hours.data_type == "n" and hours.value == pytest.approx(0.5)


def test_public_csv_quotes_names_that_could_start_a_formula(con, committee, make_ctx, tmp_path):
    gid = con.execute("SELECT id FROM gardens WHERE slug = 'zhongjing'").fetchall()[0][0]
    zone = con.execute("SELECT id FROM zones WHERE garden_id = ? AND code = 'A'", [gid]).fetchall()[0][0]
    zones.update_zone(committee, zone, name="@SUM(1+1)")
    _person_named(con, committee, "formula", '=HYPERLINK("http://evil.test","点击")', gid)
    species = con.execute("SELECT id FROM species WHERE chinese_name = '麻雀'").fetchall()[0][0]
    saved = sightings.save_sighting(
        make_ctx("formula", clock=fixed_clock(NOW)),
        sightings.SightingDraft(
            garden_id=gid, event_date=NOW, species_id=species, zone_id=zone, individual_count=3
        ),
    )
    review.decide(make_ctx("xuboshi", clock=fixed_clock(NOW)), saved.id, 1, v.ACCEPTED_CORRECT)

    export_table(con, tmp_path / "s.csv", fmt="csv")

    table = read_csv((tmp_path / "s.csv").read_bytes())
    header = table[0]
    row = next(r for r in table[1:] if r[header.index("recordedBy")].startswith("'="))
    assert row[header.index("recordedBy")] == "'" + '=HYPERLINK("http://evil.test","点击")'
    assert row[header.index("locality")].endswith("@SUM(1+1)")  # "garden · zone": not at the start, no quote
    assert row[header.index("individualCount")] == "3"
    assert float(row[header.index("decimalLatitude")]) > 30  # numbers are written as before
    assert not [cell for r in table for cell in r if starts_formula(cell)]


def test_the_quoting_sql_touches_only_text_columns(con, tmp_path):
    sql = (
        "SELECT ? AS name, -3 AS n, CAST(-1.5 AS DOUBLE) AS x, '-3' AS t, NULL::VARCHAR AS empty, ? AS plain"
    )
    wrapped, params = cells_db.text_cells_quoted(con, sql, ["=1+1", "普通"], cells.FORMULA_STARTS)
    export_db.copy_to(con, wrapped, params, tmp_path / "t.csv", fmt="csv")
    assert read_csv((tmp_path / "t.csv").read_bytes()) == [
        ["name", "n", "x", "t", "empty", "plain"],
        ["'=1+1", "-3", "-1.5", "'-3", "", "普通"],
    ]


def test_the_darwin_core_archive_keeps_names_verbatim(con, committee, make_ctx, tmp_path):
    """Decision: DwC-A is read by GBIF and scientific software; a quote would be published as data."""
    gid = con.execute("SELECT id FROM gardens WHERE slug = 'zhongjing'").fetchall()[0][0]
    name = "=1+1 王"
    _person_named(con, committee, "verbatim", name, gid)
    species = con.execute("SELECT id FROM species WHERE chinese_name = '麻雀'").fetchall()[0][0]
    sightings.save_sighting(
        make_ctx("verbatim", clock=fixed_clock(NOW)),
        sightings.SightingDraft(garden_id=gid, event_date=NOW, species_id=species, individual_count=1),
    )
    export_dwca(con, tmp_path / "a.zip", status="all", now=NOW)
    with zipfile.ZipFile(tmp_path / "a.zip") as zf:
        lines = zf.read("occurrence.txt").decode("utf-8").splitlines()
    header = lines[0].split("\t")
    recorded = {line.split("\t")[header.index("recordedBy")] for line in lines[1:]}
    assert name in recorded and "'" + name not in recorded
