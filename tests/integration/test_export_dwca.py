"""Darwin Core Archive export: read back with python-dwca-reader, as GBIF's tools would."""

from __future__ import annotations

import json
import math
import zipfile
from datetime import date, datetime, timedelta

import pandas as pd
import pytest
from click.testing import CliRunner
from dwca.read import DwCAReader

from habitat.cli import main
from habitat.clock import SHANGHAI
from habitat.db.util import insert_frame
from habitat.domain.verification import ACCEPTED
from habitat.errors import NotFound, PermissionDenied, ValidationError
from habitat.export.dwca import GENERALISED_TEXT, WITHHELD_TEXT, export_dwca
from habitat.services.exports import export_dwca_for
from tests.fixtures import relabel

DWC = "http://rs.tdwg.org/dwc/terms/"
DC = "http://purl.org/dc/terms/"
NOW = datetime(2026, 11, 1, 9, 0, tzinfo=SHANGHAI)
REQUIRED = ["occurrenceID", "basisOfRecord", "scientificName", "eventDate"]
RECOMMENDED = [
    "taxonRank",
    "kingdom",
    "eventID",
    "samplingProtocol",
    "samplingEffort",
    "decimalLatitude",
    "decimalLongitude",
    "geodeticDatum",
    "coordinateUncertaintyInMeters",
    "countryCode",
    "locality",
    "locationID",
    "recordedBy",
    "identifiedBy",
    "dateIdentified",
    "identificationVerificationStatus",
    "individualCount",
    "occurrenceStatus",
    "lifeStage",
    "sex",
    "behavior",
    "degreeOfEstablishment",
    "informationWithheld",
    "dataGeneralizations",
    "vernacularName",
]


def q(con, sql, params=()):
    return con.execute(sql, list(params)).fetchall()


def read(path) -> tuple[list[dict[str, str]], object]:
    """Rows keyed by short term name (dwc and dcterms), and the reader's descriptor."""
    with DwCAReader(str(path)) as archive:
        rows = [{k.rsplit("/", 1)[-1]: v for k, v in r.data.items()} for r in archive]
        return rows, archive.descriptor


def build(con, tmp_path, name="dwca.zip", **kw):
    kw.setdefault("now", NOW)
    summary = export_dwca(con, tmp_path / name, **kw)
    rows, _ = read(tmp_path / name)
    return summary, rows


def db_facts(con) -> dict[str, dict]:
    """occurrenceID -> what the database knows (exact point, garden centre, sensitivity)."""
    rows = q(
        con,
        """
        SELECT 'urn:uuid:' || CAST(s.occurrence_id AS VARCHAR), s.decimal_latitude, s.decimal_longitude,
               g.centre_lat, g.centre_lon, g.area_m2, g.slug, sp.sensitive, s.nest_or_den,
               s.identification_verification_status, sp.chinese_name
        FROM sightings s JOIN gardens g ON g.id = s.garden_id LEFT JOIN species sp ON sp.id = s.species_id""",
    )
    keys = ["lat", "lon", "centre_lat", "centre_lon", "area", "slug", "sensitive", "nest", "status", "zh"]
    return {r[0]: dict(zip(keys, r[1:])) for r in rows}


def test_meta_xml_declares_an_occurrence_core_with_one_full_term_uri_per_column(con, tmp_path):
    export_dwca(con, tmp_path / "a.zip", now=NOW)
    rows, descriptor = read(tmp_path / "a.zip")
    core = descriptor.core
    assert core.type == DWC + "Occurrence"
    assert all(term.startswith((DWC, DC)) for term in core.terms)
    with zipfile.ZipFile(tmp_path / "a.zip") as zf:
        header = zf.read("occurrence.txt").decode("utf-8").split("\n", 1)[0].split("\t")
    assert len(core.terms) == len(header)
    short = {t.rsplit("/", 1)[-1] for t in core.terms}
    assert set(REQUIRED + RECOMMENDED) <= short
    assert DC + "license" in core.terms
    assert rows and all(r[t] for r in rows for t in REQUIRED)


def test_every_row_has_an_iso_date_with_offset_valid_coordinates_and_positive_uncertainty(con, tmp_path):
    _, rows = build(con, tmp_path, status="all")
    assert rows
    for r in rows:
        when = datetime.fromisoformat(r["eventDate"])
        assert when.utcoffset() == timedelta(hours=8) and r["eventDate"].endswith("+08:00")
        assert -90 <= float(r["decimalLatitude"]) <= 90 and -180 <= float(r["decimalLongitude"]) <= 180
        assert float(r["coordinateUncertaintyInMeters"]) > 0
        assert r["countryCode"] == "CN" and r["geodeticDatum"] == "WGS84"
        assert r["basisOfRecord"] in ("HumanObservation", "MachineObservation")
        assert r["occurrenceStatus"] in ("present", "absent")
        assert r["eventID"].startswith(("habitat:visit:", "habitat:event:"))  # a patrol, or a BioBlitz
        if r["dateIdentified"]:
            assert datetime.fromisoformat(r["dateIdentified"]).utcoffset() == timedelta(hours=8)


def test_event_date_is_shanghai_local_time_of_the_stored_instant(con, tmp_path):
    _, rows = build(con, tmp_path)
    stored = dict(q(con, "SELECT 'urn:uuid:' || CAST(occurrence_id AS VARCHAR), event_date FROM sightings"))
    for r in rows[:50]:
        assert datetime.fromisoformat(r["eventDate"]) == stored[r["occurrenceID"]]


def test_occurrence_ids_are_unique_stored_uuids_and_identical_across_exports(con, tmp_path):
    _, first = build(con, tmp_path, "one.zip")
    _, second = build(con, tmp_path, "two.zip")
    ids = [r["occurrenceID"] for r in first]
    assert len(ids) == len(set(ids))
    assert set(ids) == {r["occurrenceID"] for r in second}
    stored = {f"urn:uuid:{r[0]}" for r in q(con, "SELECT occurrence_id FROM sightings")}
    assert set(ids) <= stored


def test_default_status_exports_only_accepted_records_and_all_exports_every_one(con, tmp_path):
    summary, rows = build(con, tmp_path)
    assert {r["identificationVerificationStatus"] for r in rows} <= set(ACCEPTED)
    accepted = q(
        con,
        "SELECT count(*) FROM sightings WHERE identification_verification_status IN (?, ?) AND NOT withdrawn",
        ACCEPTED,
    )[0][0]
    assert summary["records"] == len(rows) == accepted
    summary_all, rows_all = build(con, tmp_path, "all.zip", status="all")
    assert len(rows_all) == summary_all["records"]
    assert (
        summary_all["records"] + summary_all["skipped_unidentified"]
        == q(con, "SELECT count(*) FROM sightings")[0][0]
    )
    assert len({r["identificationVerificationStatus"] for r in rows_all}) > 2


def test_unknown_status_or_garden_is_refused(con, tmp_path):
    with pytest.raises(ValidationError):
        export_dwca(con, tmp_path / "x.zip", status="verified")
    with pytest.raises(NotFound):
        export_dwca(con, tmp_path / "x.zip", garden_slug="no-such-garden")
    assert not (tmp_path / "x.zip").exists()


def test_withdrawn_sightings_and_sightings_of_withdrawn_visits_are_never_exported(con, tmp_path):
    gone = [r[0] for r in q(con, "SELECT id FROM sightings ORDER BY id LIMIT 5")]
    con.execute(
        "UPDATE sightings SET withdrawn = TRUE, withdrawn_at = now() WHERE id IN (?, ?, ?, ?, ?)", gone
    )
    visit = q(
        con,
        "SELECT visit_id FROM sightings WHERE NOT withdrawn AND visit_id IS NOT NULL"
        " ORDER BY id DESC LIMIT 1",
    )[0][0]
    con.execute("UPDATE visits SET withdrawn = TRUE WHERE id = ?", [visit])
    hidden = {
        f"urn:uuid:{r[0]}"
        for r in q(con, "SELECT occurrence_id FROM sightings WHERE withdrawn OR visit_id = ?", [visit])
    }
    summary, rows = build(con, tmp_path, status="all")
    exported = {r["occurrenceID"] for r in rows}
    assert len(hidden) > 5 and not (hidden & exported)
    assert len(rows) + summary["skipped_unidentified"] == q(con, "SELECT count(*) FROM sightings")[0][
        0
    ] - len(hidden)


def test_sensitive_species_and_nest_sites_are_generalised_to_the_garden_centre(con, tmp_path):
    summary, rows = build(con, tmp_path, status="all")
    facts = db_facts(con)
    raccoon_dogs = [r for r in rows if r["scientificName"] == "Nyctereutes procyonoides"]
    assert raccoon_dogs and all(r["vernacularName"] == "貉" for r in raccoon_dogs)
    generalised = [
        r for r in rows if facts[r["occurrenceID"]]["sensitive"] or facts[r["occurrenceID"]]["nest"]
    ]
    assert set(map(id, raccoon_dogs)) <= set(map(id, generalised))
    assert summary["generalised"] == len(generalised)
    for r in generalised:
        f = facts[r["occurrenceID"]]
        assert float(r["decimalLatitude"]) == pytest.approx(f["centre_lat"], abs=1e-9)
        assert float(r["decimalLongitude"]) == pytest.approx(f["centre_lon"], abs=1e-9)
        radius = math.ceil(math.sqrt(f["area"] / math.pi)) + 50
        assert float(r["coordinateUncertaintyInMeters"]) == radius
        assert r["dataGeneralizations"] == GENERALISED_TEXT and r["informationWithheld"] == WITHHELD_TEXT
        assert r["locationID"] == f["slug"] and " · " not in r["locality"]  # no zone either
    others = [r for r in rows if r not in generalised]
    assert others and not any(r["dataGeneralizations"] or r["informationWithheld"] for r in others)
    exact_points = {(round(f["lat"], 6), round(f["lon"], 6)) for f in facts.values() if f["sensitive"]}
    exported_points = {(float(r["decimalLatitude"]), float(r["decimalLongitude"])) for r in rows}
    assert not (exact_points & exported_points)


def test_committee_gets_exact_points_of_sensitive_species_and_the_export_is_audited(con, make_ctx, tmp_path):
    ctx = make_ctx("liuzhuren")
    summary = export_dwca_for(ctx, tmp_path / "exact.zip", exact=True, status="all")
    rows, _ = read(tmp_path / "exact.zip")
    facts = db_facts(con)
    sensitive = [r for r in rows if facts[r["occurrenceID"]]["sensitive"]]
    assert sensitive and summary["exact"] and summary["generalised"] == 0
    for r in sensitive:
        f = facts[r["occurrenceID"]]
        assert float(r["decimalLatitude"]) == pytest.approx(f["lat"], abs=1e-6)
        assert float(r["decimalLongitude"]) == pytest.approx(f["lon"], abs=1e-6)
        assert not r["dataGeneralizations"]
    audit = q(con, "SELECT actor_id, action, after_json FROM audit_log WHERE action = 'export_exact'")
    assert len(audit) == 1 and audit[0][0] == ctx.user.id
    assert json.loads(audit[0][2])["records"] == len(rows)


def test_volunteer_asking_for_exact_points_is_refused_and_gets_the_public_archive_otherwise(
    con, make_ctx, tmp_path
):
    ctx = make_ctx("wangayi")
    with pytest.raises(PermissionDenied):
        export_dwca_for(ctx, tmp_path / "exact.zip", exact=True)
    assert not (tmp_path / "exact.zip").exists()
    summary = export_dwca_for(ctx, tmp_path / "public.zip")
    assert summary["records"] > 0 and summary["generalised"] > 0 and not summary["exact"]
    assert q(con, "SELECT count(*) FROM audit_log WHERE action = 'export_exact'") == [(0,)]


def test_camera_trap_records_are_machine_observations_with_effort_and_protocol(con, tmp_path):
    garden_id, zone_id = q(con, "SELECT garden_id, id FROM zones WHERE kind = 'undisturbed' LIMIT 1")[0]
    species_id = q(
        con, "SELECT id FROM species WHERE group_name = 'mammal' AND NOT sensitive ORDER BY id LIMIT 1"
    )[0][0]
    start = datetime(2026, 9, 3, 20, 0, tzinfo=SHANGHAI)
    visit_id = q(
        con,
        "INSERT INTO visits (garden_id, zone_id, started_at, ended_at, observer_count, protocol,"
        " recorded_by) VALUES (?, ?, ?, ?, 2, 'camera_trap', 1) RETURNING id",
        [garden_id, zone_id, start, start + timedelta(minutes=45)],
    )[0][0]
    con.execute(
        "INSERT INTO sightings (garden_id, zone_id, visit_id, species_id, event_date, individual_count,"
        " recorded_by, identification_verification_status) VALUES (?, ?, ?, ?, ?, 1, 1, ?)",
        [garden_id, zone_id, visit_id, species_id, start + timedelta(minutes=10), ACCEPTED[0]],
    )
    _, rows = build(con, tmp_path)
    trap = [r for r in rows if r["eventID"] == f"habitat:visit:{visit_id}"]
    assert len(trap) == 1
    r = trap[0]
    assert r["basisOfRecord"] == "MachineObservation" and r["samplingProtocol"] == "camera trap"
    assert r["samplingEffort"] == "45 minutes, 2 observers"
    assert r["eventDate"] == "2026-09-03T20:10:00+08:00"
    centre_lat, area = q(con, "SELECT centre_lat, area_m2 FROM gardens WHERE id = ?", [garden_id])[0]
    # no point recorded: the garden centre and an uncertainty covering the garden, never 0
    assert float(r["decimalLatitude"]) == pytest.approx(centre_lat)
    assert float(r["coordinateUncertaintyInMeters"]) == math.ceil(math.sqrt(area / math.pi)) + 50
    assert {x["basisOfRecord"] for x in rows if x["samplingProtocol"] != "camera trap"} == {
        "HumanObservation"
    }
    assert {x["basisOfRecord"] for x in rows if x["samplingProtocol"] == "camera trap"} == {
        "MachineObservation"
    }


def test_unidentified_sightings_are_skipped_and_counted_and_higher_ranks_kept(con, tmp_path):
    garden_id = q(con, "SELECT id FROM gardens WHERE slug = 'zhongjing'")[0][0]
    taxa = dict(q(con, "SELECT scientific_name, id FROM species WHERE scientific_name IN ('Biota', 'Aves')"))
    for species_id, note in ((None, "不认识的小虫"), (taxa["Biota"], "什么东西"), (taxa["Aves"], "一只鸟")):
        con.execute(
            "INSERT INTO sightings (garden_id, species_id, verbatim_identification, event_date,"
            " recorded_by, identification_verification_status) VALUES (?, ?, ?, now(), 6, ?)",
            [garden_id, species_id, note, ACCEPTED[0]],
        )
    summary, rows = build(con, tmp_path)
    assert summary["skipped_unidentified"] == 2
    assert all(r["scientificName"] and r["kingdom"] for r in rows)
    assert "Biota" not in {r["scientificName"] for r in rows}
    birds = [r for r in rows if r["scientificName"] == "Aves"]
    assert birds and {r["taxonRank"] for r in birds} == {"class"}
    assert (
        summary["records"]
        == q(
            con,
            """
        SELECT count(*) FROM sightings s JOIN species sp ON sp.id = s.species_id
        WHERE sp.kingdom IS NOT NULL AND s.identification_verification_status IN (?, ?)""",
            ACCEPTED,
        )[0][0]
    )


def test_cultivated_plants_say_cultivated_and_wild_records_leave_it_empty(con, tmp_path):
    _, rows = build(con, tmp_path, status="all")
    stored = dict(
        q(con, "SELECT 'urn:uuid:' || CAST(occurrence_id AS VARCHAR), degree_of_establishment FROM sightings")
    )
    values = {r["degreeOfEstablishment"] for r in rows}
    assert values == {"cultivated", ""}
    assert all(
        (r["degreeOfEstablishment"] == "cultivated") == (stored[r["occurrenceID"]] == "cultivated")
        for r in rows
    )
    assert {r["kingdom"] for r in rows if r["degreeOfEstablishment"] == "cultivated"} == {"Plantae"}


def test_counts_life_stage_and_behaviour_come_through(con, tmp_path):
    _, rows = build(con, tmp_path, status="all")
    stored = {
        r[0]: r[1:]
        for r in q(
            con,
            "SELECT 'urn:uuid:' || CAST(occurrence_id AS VARCHAR), individual_count, life_stage,"
            " behavior FROM sightings",
        )
    }
    for r in rows:
        count, stage, behaviour = stored[r["occurrenceID"]]
        assert r["individualCount"] == ("" if count is None else str(count))
        assert r["lifeStage"] == ("" if stage in (None, "unknown") else stage)
        assert r["behavior"] == ("" if behaviour is None else behaviour.replace("_", " "))
    assert any(r["lifeStage"] == "larva" for r in rows) and any(r["behavior"] == "nectaring" for r in rows)


def test_photos_go_to_the_multimedia_extension_and_private_gps_never_leaves(con, tmp_path):
    sighting_id, occurrence_id = q(
        con,
        "SELECT id, occurrence_id FROM sightings WHERE identification_verification_status = ?"
        " AND NOT EXISTS (SELECT 1 FROM photos p WHERE p.sighting_id = sightings.id) ORDER BY id LIMIT 1",
        [ACCEPTED[0]],
    )[0]
    before = export_dwca(
        con, tmp_path / "before.zip", now=NOW, media_url_base="https://garden.example.org/photos"
    )
    con.execute(
        "INSERT INTO photos (sha256, sighting_id, mime, display_path, thumb_path, taken_at, private_lat,"
        " private_lon, private_accuracy_m, uploaded_by, uploaded_at) VALUES ('ab12', ?, 'image/jpeg',"
        " 'display/ab/ab12.jpg', 'thumb/ab/ab12.jpg', ?, 31.2345678, 121.4567891, 4.0, 6, now())",
        [sighting_id, datetime(2026, 5, 1, 8, 30, tzinfo=SHANGHAI)],
    )
    summary = export_dwca(
        con, tmp_path / "m.zip", now=NOW, media_url_base="https://garden.example.org/photos"
    )
    assert summary["media"] == before["media"] + 1
    with DwCAReader(str(tmp_path / "m.zip")) as archive:
        assert [e.type for e in archive.descriptor.extensions] == ["http://rs.gbif.org/terms/1.0/Multimedia"]
        [record] = [r for r in archive if r.id == f"urn:uuid:{occurrence_id}"]
        [media] = record.extensions
        assert media.data[DC + "identifier"] == "https://garden.example.org/photos/display/ab/ab12.jpg"
        assert media.data[DC + "type"] == "StillImage" and media.data[DC + "format"] == "image/jpeg"
        assert media.data[DC + "created"] == "2026-05-01T08:30:00+08:00"
    with zipfile.ZipFile(tmp_path / "m.zip") as zf:
        everything = b"".join(zf.read(n) for n in zf.namelist())
    assert b"31.2345678" not in everything and b"121.4567891" not in everything
    assert b"31.234568" not in everything  # not even rounded
    plain = export_dwca(con, tmp_path / "plain.zip", now=NOW)
    with zipfile.ZipFile(tmp_path / "plain.zip") as zf:
        assert plain["media"] == 0 and "multimedia.txt" not in zf.namelist()


def test_garden_and_since_filters_narrow_the_export(con, tmp_path):
    summary, rows = build(con, tmp_path, garden_slug="zhongjing", since=date(2026, 3, 1))
    assert rows and all(r["locationID"].split("/")[0] == "zhongjing" for r in rows)
    assert all(r["locality"].startswith("中泾生境花园") for r in rows)
    since = datetime(2026, 3, 1, tzinfo=SHANGHAI)
    assert all(datetime.fromisoformat(r["eventDate"]) >= since for r in rows)
    expected = q(
        con,
        "SELECT count(*) FROM sightings s JOIN gardens g ON g.id = s.garden_id WHERE g.slug ="
        " 'zhongjing' AND s.event_date >= ? AND s.identification_verification_status IN (?, ?)",
        [since, *ACCEPTED],
    )[0][0]
    assert summary["records"] == expected and summary["since"] == "2026-03-01"


def test_eml_has_title_description_publisher_licence_coverage_and_contacts(con, tmp_path):
    export_dwca(con, tmp_path / "e.zip", now=NOW)
    with DwCAReader(str(tmp_path / "e.zip")) as archive:
        eml = archive.metadata
        assert "新泾镇" in eml.find("dataset/title").text
        assert eml.find("dataset/abstract/para").text
        assert eml.find("dataset/publisher/organizationName").text
        assert eml.find("dataset/pubDate").text == "2026-11-01"
        assert "by/4.0" in eml.find("dataset/intellectualRights/para/ulink").get("url")
        names = [c.find("individualName/surName").text for c in eml.findall("dataset/contact")]
        assert "刘主任" in names
        box = eml.find("dataset/coverage/geographicCoverage/boundingCoordinates")
        assert (
            121
            < float(box.find("westBoundingCoordinate").text)
            < float(box.find("eastBoundingCoordinate").text)
        )
        assert eml.find("dataset/coverage/temporalCoverage/rangeOfDates/beginDate/calendarDate").text


def test_progress_is_reported_in_order_and_in_the_users_language(make_ctx, tmp_path):
    seen = []
    export_dwca_for(
        make_ctx("zhanggong"), tmp_path / "p.zip", progress=lambda f, text: seen.append((f, text))
    )
    fractions = [f for f, _ in seen]
    assert fractions == sorted(fractions) and fractions[0] == 0.0 and fractions[-1] == 1.0
    assert seen[-1][1] == "完成。"  # the demo expert's language is Chinese


def test_cli_writes_a_zip_and_prints_a_json_summary(demo_db, tmp_path):
    out = tmp_path / "cli" / "garden.zip"
    result = CliRunner().invoke(
        main,
        ["export-dwca", "--db", str(demo_db), "--out", str(out), "--garden", "leyi", "--since", "2026-01-01"],
    )
    assert result.exit_code == 0, result.output
    summary = json.loads(result.output)
    assert summary["path"] == str(out) and summary["records"] > 0 and summary["garden"] == "leyi"
    rows, _ = read(out)
    assert len(rows) == summary["records"]
    assert list(out.parent.iterdir()) == [out]  # no temporary files left behind

    bad = CliRunner().invoke(
        main, ["export-dwca", "--db", str(demo_db), "--out", str(out), "--garden", "nope"]
    )
    assert bad.exit_code == 2


def _synthetic_sightings(con, n: int, seed: int) -> pd.DataFrame:
    """n sightings spread over the demo's gardens, zones, visits and species."""
    zones = pd.DataFrame(q(con, "SELECT id, garden_id FROM zones"), columns=["zone_id", "garden_id"])
    species = [r[0] for r in q(con, "SELECT id FROM species WHERE taxon_rank = 'species'")]
    visits = [r[0] for r in q(con, "SELECT id FROM visits")]
    rng = pd.Series(range(n))
    pick = zones.iloc[(rng * 7 + seed) % len(zones)].reset_index(drop=True)
    start = datetime(2024, 1, 1, 8, 0, tzinfo=SHANGHAI)
    return pd.DataFrame(
        {
            "garden_id": pick["garden_id"],
            "zone_id": pick["zone_id"],
            "visit_id": [visits[(i * 13 + seed) % len(visits)] for i in range(n)],
            "species_id": [species[(i * 31 + seed) % len(species)] for i in range(n)],
            "event_date": [start + timedelta(minutes=17 * i) for i in range(n)],
            "individual_count": [1 + i % 5 for i in range(n)],
            "decimal_latitude": [31.2079 + (i % 100) * 1e-6 for i in range(n)],
            "decimal_longitude": [121.3583 + (i % 100) * 1e-6 for i in range(n)],
            "coordinate_uncertainty_in_meters": 10.0,
            "recorded_by": 6,
            "identification_verification_status": [ACCEPTED[i % 2] for i in range(n)],
            "source": "synthetic",
        }
    )


def test_twenty_thousand_synthetic_sightings_export_completely_and_in_proportion(con, tmp_path):
    baseline = build(con, tmp_path, "base.zip")[0]["records"]
    insert_frame(con, "sightings", _synthetic_sightings(con, 10_000, seed=1))
    ten = export_dwca(con, tmp_path / "10k.zip", now=NOW)
    insert_frame(con, "sightings", _synthetic_sightings(con, 10_000, seed=2))
    twenty = export_dwca(con, tmp_path / "20k.zip", now=NOW)
    assert ten["records"] == baseline + 10_000 and twenty["records"] == baseline + 20_000
    rows, _ = read(tmp_path / "20k.zip")
    assert len(rows) == twenty["records"] and len({r["occurrenceID"] for r in rows}) == len(rows)
    # output grows linearly: the second 10k records cost about as many bytes as the first
    bytes_per_record = ten["bytes"] / ten["records"]
    assert 0.6 < (twenty["bytes"] - ten["bytes"]) / (10_000 * bytes_per_record) < 1.6
    print(f"\nexport seconds: 10k {ten['seconds']}, 20k {twenty['seconds']}")


def test_names_with_quotes_tabs_and_line_breaks_survive_as_one_clean_field(con, tmp_path):
    con.execute(
        "UPDATE zones SET name = ? WHERE id = (SELECT zone_id FROM sightings ORDER BY id LIMIT 1)",
        ['蝶恋"花"\t区\n(B)'],
    )
    con.execute("UPDATE people SET display_name = ? WHERE username = 'sunayi'", ['孙阿姨 "Sun"'])
    _, rows = build(con, tmp_path, status="all")
    assert any(r["locality"].endswith(' · 蝶恋"花" 区 (B)') for r in rows)
    assert '孙阿姨 "Sun"' in {r["recordedBy"] for r in rows}
    assert all(len(r) == len(rows[0]) for r in rows)
    with zipfile.ZipFile(tmp_path / "dwca.zip") as zf:
        lines = zf.read("occurrence.txt").decode("utf-8").split("\n")
    assert lines[-1] == "" and len(lines) - 2 == len(rows)
    assert {line.count("\t") for line in lines[:-1]} == {lines[0].count("\t")}


def test_an_export_inside_a_callers_transaction_sees_its_changes_and_leaves_it_usable(
    con, make_ctx, tmp_path
):
    from habitat.services.context import transaction

    ctx = make_ctx("liuzhuren")
    first = q(con, "SELECT id, occurrence_id FROM sightings ORDER BY id LIMIT 1")[0]
    with transaction(ctx):
        con.execute("UPDATE sightings SET withdrawn = TRUE WHERE id = ?", [first[0]])
        summary = export_dwca_for(ctx, tmp_path / "tx.zip", status="all")
        con.execute("UPDATE sightings SET note = 'checked' WHERE id = ?", [first[0]])
    rows, _ = read(tmp_path / "tx.zip")
    assert f"urn:uuid:{first[1]}" not in {r["occurrenceID"] for r in rows}
    assert summary["records"] == len(rows)
    assert q(con, "SELECT withdrawn, note FROM sightings WHERE id = ?", [first[0]]) == [(True, "checked")]


# --- relabelling must not unmask a sensitive record (security review, item 6) -------------------


def archive_row(ctx, tmp_path, record, **kw) -> tuple[dict, dict]:
    name = f"a{len(list(tmp_path.iterdir()))}.zip"
    summary = export_dwca_for(ctx, tmp_path / name, status="all", now=NOW, **kw)
    rows, _ = read(tmp_path / name)
    found = [r for r in rows if r["occurrenceID"] == record.occurrence_id]
    assert len(found) == 1
    assert summary["generalised"] == sum(bool(r["dataGeneralizations"]) for r in rows)
    return found[0], summary


def assert_archive_hides(row: dict, record) -> None:
    assert float(row["decimalLatitude"]) == pytest.approx(record.centre_lat, abs=1e-9)
    assert float(row["decimalLongitude"]) == pytest.approx(record.centre_lon, abs=1e-9)
    assert row["dataGeneralizations"] == GENERALISED_TEXT and row["informationWithheld"] == WITHHELD_TEXT
    assert row["locationID"] == record.garden_slug and row["locality"] == record.garden_name
    assert not any(record.zone_name in v or record.zone_name_en in v for v in row.values())


def test_an_owl_relabelled_to_a_sparrow_by_volunteers_stays_generalised_in_the_archive(
    con, make_ctx, tmp_path
):
    owl = relabel.relabelled_owl(con, make_ctx)
    row, _ = archive_row(make_ctx("xiaoming"), tmp_path, owl)
    assert row["scientificName"] == "Passer montanus"
    assert_archive_hides(row, owl)
    exact, _ = archive_row(make_ctx("zhanggong"), tmp_path, owl, exact=True)  # experts may have it exactly
    assert float(exact["decimalLatitude"]) == pytest.approx(owl.lat, abs=1e-6)
    assert exact["locationID"] == f"{owl.garden_slug}/{owl.zone_code}" and not exact["dataGeneralizations"]


def test_an_expert_decision_lifts_generalisation_and_a_later_owl_proposal_restores_it_in_the_archive(
    con, make_ctx, tmp_path
):
    owl = relabel.relabelled_owl(con, make_ctx)
    relabel.expert_accepts_sparrow(con, make_ctx, owl)
    row, _ = archive_row(make_ctx("xiaoming"), tmp_path, owl)
    assert float(row["decimalLatitude"]) == pytest.approx(owl.lat, abs=1e-6)
    assert not row["dataGeneralizations"] and row["identificationVerificationStatus"] == ACCEPTED[0]
    relabel.proposes_owl_again(con, make_ctx, owl)
    row, _ = archive_row(make_ctx("xiaoming"), tmp_path, owl)
    assert_archive_hides(row, owl)


def test_a_nest_record_is_generalised_in_the_archive_without_its_zone(con, make_ctx, tmp_path):
    nest = relabel.log(con, make_ctx, species="麻雀", nest_or_den=True)
    row, _ = archive_row(make_ctx("xiaoming"), tmp_path, nest)
    assert_archive_hides(row, nest)
