"""Sighting tables (CSV, GeoJSON, Parquet): read back, same rows and privacy rules as the archive."""

from __future__ import annotations

import json
import math
from datetime import timedelta

import geopandas as gpd
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner

from habitat.cli import main
from habitat.domain.verification import ACCEPTED
from habitat.errors import PermissionDenied, ValidationError
from habitat.export.dwca import GENERALISED_TEXT
from habitat.export.tables import export_table
from habitat.services.exports import export_table_for
from tests.fixtures import relabel


def q(con, sql, params=()):
    return con.execute(sql, list(params)).fetchall()


def db_facts(con) -> dict[str, dict]:
    rows = q(
        con,
        """
        SELECT 'urn:uuid:' || CAST(s.occurrence_id AS VARCHAR), s.decimal_latitude, s.decimal_longitude,
               g.centre_lat, g.centre_lon, g.area_m2, sp.sensitive OR s.nest_or_den
        FROM sightings s JOIN gardens g ON g.id = s.garden_id JOIN species sp ON sp.id = s.species_id""",
    )
    keys = ["lat", "lon", "centre_lat", "centre_lon", "area", "protect"]
    return {r[0]: dict(zip(keys, r[1:])) for r in rows}


def accepted_count(con) -> int:
    return q(
        con,
        "SELECT count(*) FROM sightings WHERE identification_verification_status IN (?, ?) AND NOT withdrawn",
        ACCEPTED,
    )[0][0]


def assert_generalised(frame: pd.DataFrame, facts: dict[str, dict], *, exact: bool = False) -> None:
    protected = frame[[facts[o]["protect"] for o in frame["occurrenceID"]]]
    assert len(protected) > 0
    for _, r in protected.iterrows():
        f = facts[r["occurrenceID"]]
        if exact:
            assert r["decimalLatitude"] == pytest.approx(f["lat"], abs=1e-6)
            assert pd.isna(r["dataGeneralizations"]) or r["dataGeneralizations"] == ""
        else:
            assert r["decimalLatitude"] == pytest.approx(f["centre_lat"], abs=1e-9)
            assert r["decimalLongitude"] == pytest.approx(f["centre_lon"], abs=1e-9)
            assert r["coordinateUncertaintyInMeters"] == math.ceil(math.sqrt(f["area"] / math.pi)) + 50
            assert r["dataGeneralizations"] == GENERALISED_TEXT
    public = frame[[not facts[o]["protect"] for o in frame["occurrenceID"]]]
    assert (public["dataGeneralizations"].isna() | (public["dataGeneralizations"] == "")).all()


def test_csv_opens_in_excel_and_round_trips_with_pandas(con, tmp_path):
    summary = export_table(con, tmp_path / "s.csv", fmt="csv")
    raw = (tmp_path / "s.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # Excel needs the BOM to show Chinese names
    frame = pd.read_csv(tmp_path / "s.csv", encoding="utf-8-sig")
    assert len(frame) == summary["records"] == accepted_count(con)
    assert frame.columns[0] == "occurrenceID" and "vernacularName" in frame.columns
    assert frame["occurrenceID"].is_unique and (frame["countryCode"] == "CN").all()
    assert (frame["coordinateUncertaintyInMeters"] > 0).all()
    assert frame["eventDate"].str.endswith("+08:00").all()
    assert "貉" in set(frame["vernacularName"])
    assert_generalised(frame, db_facts(con))


def test_geojson_round_trips_with_geopandas_and_points_match_the_columns(con, tmp_path):
    summary = export_table(con, tmp_path / "s.geojson", fmt="geojson", status="all")
    frame = gpd.read_file(tmp_path / "s.geojson")
    assert len(frame) == summary["records"]
    assert (
        summary["records"] + summary["skipped_unidentified"] == q(con, "SELECT count(*) FROM sightings")[0][0]
    )
    assert frame.crs.to_epsg() == 4326
    assert (frame.geometry.x - frame["decimalLongitude"]).abs().max() < 1e-9
    assert (frame.geometry.y - frame["decimalLatitude"]).abs().max() < 1e-9
    data = json.loads((tmp_path / "s.geojson").read_text(encoding="utf-8"))
    assert data["type"] == "FeatureCollection" and data["features"][0]["geometry"]["type"] == "Point"
    assert_generalised(pd.DataFrame(frame.drop(columns="geometry")), db_facts(con))


def test_parquet_round_trips_with_typed_dates(con, tmp_path):
    summary = export_table(con, tmp_path / "s.parquet", fmt="parquet", garden_slug="xinsen")
    table = pq.read_table(tmp_path / "s.parquet")
    assert table.num_rows == summary["records"] > 0
    assert pa.types.is_timestamp(table.schema.field("eventDate").type)
    assert table.schema.field("eventDate").type.tz is not None
    frame = table.to_pandas()
    assert frame["locationID"].str.startswith("xinsen").all()
    stored = dict(q(con, "SELECT 'urn:uuid:' || CAST(occurrence_id AS VARCHAR), event_date FROM sightings"))
    first = frame.iloc[0]
    assert abs(first["eventDate"] - pd.Timestamp(stored[first["occurrenceID"]])) < timedelta(seconds=1)
    assert_generalised(frame, db_facts(con))


def test_committee_gets_exact_points_in_tables_and_volunteers_do_not(con, make_ctx, tmp_path):
    with pytest.raises(PermissionDenied):
        export_table_for(make_ctx("xiaoming"), tmp_path / "v.csv", fmt="csv", exact=True)
    assert not (tmp_path / "v.csv").exists()
    export_table_for(make_ctx("zhoujie"), tmp_path / "c.parquet", fmt="parquet", exact=True)
    assert_generalised(pq.read_table(tmp_path / "c.parquet").to_pandas(), db_facts(con), exact=True)
    assert q(con, "SELECT count(*) FROM audit_log WHERE action = 'export_exact'") == [(1,)]


def test_private_photo_gps_never_appears_in_a_table(con, tmp_path):
    sighting_id = q(
        con, "SELECT id FROM sightings WHERE identification_verification_status = ? LIMIT 1", [ACCEPTED[0]]
    )[0][0]
    con.execute(
        "INSERT INTO photos (sha256, sighting_id, display_path, thumb_path, private_lat, private_lon,"
        " uploaded_by, uploaded_at) VALUES ('cd34', ?, 'd.jpg', 't.jpg', 31.2999911, 121.3999922, 6, now())",
        [sighting_id],
    )
    export_table(con, tmp_path / "s.csv", fmt="csv", status="all")
    text = (tmp_path / "s.csv").read_text(encoding="utf-8-sig")
    assert "31.29999" not in text and "121.39999" not in text


def test_unknown_format_is_refused(con, tmp_path):
    with pytest.raises(ValidationError):
        export_table(con, tmp_path / "s.xlsx", fmt="xlsx")


def test_cli_export_writes_each_format_and_prints_a_summary(demo_db, tmp_path):
    folder = tmp_path / "exports"
    for fmt in ("csv", "geojson", "parquet"):
        out = folder / f"sightings.{fmt}"
        result = CliRunner().invoke(
            main, ["export", "--db", str(demo_db), "--format", fmt, "--out", str(out), "--status", "all"]
        )
        assert result.exit_code == 0, result.output
        summary = json.loads(result.output)
        assert summary["format"] == fmt and summary["records"] > 1000 and out.stat().st_size > 0
    assert sorted(p.name for p in folder.iterdir()) == [
        "sightings.csv",
        "sightings.geojson",
        "sightings.parquet",
    ]


# --- relabelling must not unmask a sensitive record (security review, item 6) -------------------

FORMATS = ("csv", "geojson", "parquet")


def read_table(path, fmt: str) -> pd.DataFrame:
    if fmt == "csv":
        return pd.read_csv(path, encoding="utf-8-sig", dtype=str, keep_default_na=False)
    if fmt == "geojson":
        frame = gpd.read_file(path)
        return pd.DataFrame(frame.drop(columns="geometry")).assign(x=frame.geometry.x, y=frame.geometry.y)
    return pq.read_table(path).to_pandas()


def exported_row(ctx, tmp_path, fmt: str, record, **kw) -> pd.Series:
    out = tmp_path / f"out-{len(list(tmp_path.iterdir()))}.{fmt}"
    export_table_for(ctx, out, fmt=fmt, status="all", **kw)
    frame = read_table(out, fmt)
    rows = frame[frame["occurrenceID"] == record.occurrence_id]
    assert len(rows) == 1
    return rows.iloc[0]


def assert_public_row_hides(row: pd.Series, record) -> None:
    assert float(row["decimalLatitude"]) == pytest.approx(record.centre_lat, abs=1e-9)
    assert float(row["decimalLongitude"]) == pytest.approx(record.centre_lon, abs=1e-9)
    if "x" in row:  # GeoJSON: the geometry is the garden centre too
        assert (row["y"], row["x"]) == pytest.approx((record.centre_lat, record.centre_lon), abs=1e-9)
    assert row["dataGeneralizations"] == GENERALISED_TEXT
    assert row["locationID"] == record.garden_slug and row["locality"] == record.garden_name
    cells = " ".join(str(v) for v in row.values)
    assert record.zone_name not in cells and record.zone_name_en not in cells


def assert_exact_row(row: pd.Series, record) -> None:
    assert float(row["decimalLatitude"]) == pytest.approx(record.lat, abs=1e-6)
    assert float(row["decimalLongitude"]) == pytest.approx(record.lon, abs=1e-6)
    assert row["locationID"] == f"{record.garden_slug}/{record.zone_code}"


@pytest.mark.parametrize("fmt", FORMATS)
def test_an_owl_relabelled_to_a_sparrow_by_volunteers_stays_generalised_in_every_table(
    con, make_ctx, tmp_path, fmt
):
    owl = relabel.relabelled_owl(con, make_ctx)
    row = exported_row(make_ctx("xiaoming"), tmp_path, fmt, owl)
    assert row["vernacularName"] == "麻雀"  # the current (community) taxon is what is published ...
    assert_public_row_hides(row, owl)  # ... at the garden centre, because an owl was proposed


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_committees_exact_table_keeps_the_relabelled_owls_point(con, make_ctx, tmp_path, fmt):
    owl = relabel.relabelled_owl(con, make_ctx)
    assert_exact_row(exported_row(make_ctx("liuzhuren"), tmp_path, fmt, owl, exact=True), owl)
    assert_public_row_hides(exported_row(make_ctx("liuzhuren"), tmp_path, fmt, owl), owl)


def test_an_expert_accepted_sparrow_is_exported_exactly_until_the_owl_is_proposed_again(
    con, make_ctx, tmp_path
):
    owl = relabel.relabelled_owl(con, make_ctx)
    relabel.expert_accepts_sparrow(con, make_ctx, owl)
    row = exported_row(make_ctx("xiaoming"), tmp_path, "csv", owl)
    assert_exact_row(row, owl)
    assert row["dataGeneralizations"] == ""
    relabel.proposes_owl_again(con, make_ctx, owl)
    for fmt in FORMATS:
        assert_public_row_hides(exported_row(make_ctx("xiaoming"), tmp_path, fmt, owl), owl)
