"""Sighting fields declared once (habitat.domain.records): every declared field is inserted, kept
through an edit that does not touch it, and exported under its Darwin Core term.

The tests run over the declaration itself, so a field added there is checked without a new test:
a field left out of a derived list (insert, edit rebuild, export) fails here by name.
"""

from __future__ import annotations

import dataclasses
import json
import zipfile
from datetime import datetime, timedelta

import pandas as pd
import pytest
from dwca.read import DwCAReader
from shapely.geometry import shape

from habitat import i18n
from habitat.clock import SHANGHAI, fixed_clock
from habitat.db import export as export_db
from habitat.db import sightings as sightings_db
from habitat.domain import records
from habitat.domain.records import SIGHTING, Field
from habitat.export.dwca import export_dwca, term_uri
from habitat.export.tables import export_table
from habitat.services import sightings

NOW = datetime(2026, 11, 20, 10, 0, tzinfo=SHANGHAI)
BASE_SPECIES = "菜粉蝶"  # an insect: fields meant only for some taxa (nectar plant) apply to it


def q(con, sql, params=()):
    return con.execute(sql, list(params)).fetchall()


@dataclasses.dataclass
class World:
    garden: int
    zone: int
    visit: int
    lat: float
    lon: float
    species: int


@pytest.fixture
def world(con) -> World:
    gid = q(con, "SELECT id FROM gardens WHERE slug = 'zhongjing'")[0][0]
    zid, geom = q(con, "SELECT id, geometry FROM zones WHERE garden_id = ? AND code = 'B'", [gid])[0]
    visit = q(con, "SELECT min(id) FROM visits WHERE garden_id = ? AND NOT withdrawn", [gid])[0][0]
    centre = shape(json.loads(geom)).centroid
    sp = q(con, "SELECT id FROM species WHERE chinese_name = ?", [BASE_SPECIES])[0][0]
    return World(gid, zid, visit, centre.y, centre.x, sp)


def sample(con, f: Field, w: World):
    """A value for ``f`` that is neither its default nor what an edit would reset it to."""
    refs = {"garden_id": w.garden, "zone_id": w.zone, "visit_id": w.visit}
    floats = {"decimal_latitude": w.lat, "decimal_longitude": w.lon}
    if f.kind == "ref":
        return refs[f.name]  # a new reference field needs its sample here
    if f.kind == "taxon":
        if not f.pick_groups:
            return w.species
        return q(con, "SELECT min(id) FROM species WHERE group_name = ?", [f.pick_groups[0]])[0][0]
    if f.kind == "time":
        return NOW - timedelta(hours=3)
    if f.kind == "int":
        return 7
    if f.kind == "float":
        return floats.get(f.name, 12.5)
    if f.kind == "bool":
        return not f.default
    if f.kind == "choice":
        return next(c for c in reversed(f.choices) if c != f.default)
    if f.kind == "text":
        return f"样本 {f.name}"
    raise AssertionError(f"no sample for kind {f.kind}")


def draft_with(con, w: World, f: Field):
    base = dict(
        garden_id=w.garden,
        event_date=NOW - timedelta(hours=1),
        species_id=w.species,
        decimal_latitude=w.lat,
        decimal_longitude=w.lon,
    )
    return sightings.SightingDraft(**(base | {f.name: sample(con, f, w)}))


def stored_after_an_edit(con, make_ctx, w: World, f: Field):
    """Save a sighting with the sample of ``f``, edit another field, return (stored value, edited)."""
    vol = make_ctx("wangayi", clock=fixed_clock(NOW))
    saved = sightings.save_sighting(vol, draft_with(con, w, f))
    other = "note" if f.name != "note" else "individual_count"
    edit = {"note": "改过了"} if other == "note" else {"individual_count": 9}
    version = q(con, "SELECT version FROM sightings WHERE id = ?", [saved.id])[0][0]
    sightings.update_sighting(vol, saved.id, version, edit)
    row = sightings_db.get(con, saved.id)
    return row[f.name], row[other] == edit[other]


@pytest.mark.parametrize("f", SIGHTING.recorded, ids=lambda f: f.name)
def test_every_recorded_field_is_inserted_and_kept_through_an_edit_that_does_not_touch_it(
    con, make_ctx, world, f
):
    value, edited = stored_after_an_edit(con, make_ctx, world, f)
    assert edited
    assert value == sample(con, f, world)


def test_the_survival_check_fails_when_a_field_is_left_out_of_the_edit_rebuild(
    con, make_ctx, world, monkeypatch
):
    """The old bug class: a field missing from update_sighting's rebuild is reset on every edit."""
    life_stage = SIGHTING.field("life_stage")
    left_out = records.Record("sightings", tuple(f for f in SIGHTING.fields if f.name != "life_stage"))
    monkeypatch.setattr(sightings, "SIGHTING", dataclasses.replace(left_out))
    monkeypatch.setattr(sightings, "SightingDraft", records.SightingDraft)
    value, _ = stored_after_an_edit(con, make_ctx, world, life_stage)
    assert value != sample(con, life_stage, world)  # reset to the draft's default: caught above


def test_the_draft_insert_and_update_lists_are_the_declaration():
    assert [f.name for f in dataclasses.fields(sightings.SightingDraft)] == sorted(
        (f.name for f in SIGHTING.recorded), key=lambda n: not SIGHTING.field(n).required
    )
    assert sightings_db.SIGHTING_FIELDS == tuple(f.name for f in SIGHTING.fields)
    assert sightings_db.EDITABLE_FIELDS == tuple(f.name for f in SIGHTING.fields if f.editable)


def test_every_label_help_error_and_choice_of_a_declared_field_is_in_both_catalogs():
    keys = set()
    for f in SIGHTING.fields:
        keys |= {k for k in (f.label, f.help, f.error) if k}
        if f.label_prefix:
            keys |= {f.label_prefix + c for c in f.choices} | (
                {f.label_prefix + f.none_label} if f.none_label else set()
            )
    for lang in i18n.LANGUAGES:
        assert sorted(k for k in keys if k not in i18n.catalog(lang)) == []


def test_every_public_field_is_an_occurrence_column_named_by_its_darwin_core_term_and_private_ones_are_not():
    columns = set(export_db.OCCURRENCE_COLUMNS)
    assert [f.name for f in SIGHTING.public if f.dwc not in columns] == []
    assert len(export_db.OCCURRENCE_COLUMNS) == len(columns)
    for f in SIGHTING.fields:
        if not f.public:
            assert f.dwc is None or f.dwc not in columns, f.name


def exported_value(con, f: Field, value):
    """What a plain field's value becomes in the export (empty when it says nothing)."""
    if value is None or value in f.dwc_blank:
        return ""
    if f.kind == "choice":
        return value.replace("_", " ")
    if f.kind == "taxon":
        zh, sci = q(con, "SELECT chinese_name, scientific_name FROM species WHERE id = ?", [value])[0]
        return f"{f.dwc_prefix}{zh} {sci}"
    return str(value)


def test_csv_and_darwin_core_archive_carry_every_plain_field_under_its_term(con, make_ctx, world, tmp_path):
    vol = make_ctx("wangayi", clock=fixed_clock(NOW))
    values = {f.name: sample(con, f, world) for f in SIGHTING.recorded}
    values["species_id"] = world.species  # an insect, so every field applies
    values["nest_or_den"] = False  # a nest would be generalised; the plain fields are the point here
    saved = sightings.save_sighting(vol, sightings.SightingDraft(**values))
    occurrence = "urn:uuid:" + str(
        q(con, "SELECT occurrence_id FROM sightings WHERE id = ?", [saved.id])[0][0]
    )
    row = sightings_db.get(con, saved.id)

    export_table(con, tmp_path / "s.csv", fmt="csv", status="all")
    table = pd.read_csv(tmp_path / "s.csv", dtype=str, keep_default_na=False, encoding="utf-8-sig")
    csv_row = table[table["occurrenceID"] == occurrence].iloc[0]
    export_dwca(con, tmp_path / "s.zip", status="all", now=NOW)
    with DwCAReader(str(tmp_path / "s.zip")) as archive:
        dwc_row = next(r for r in archive if r.id == occurrence)
        terms = archive.descriptor.core.terms

    for f in SIGHTING.public:
        assert term_uri(f.dwc) in terms, f.name
        assert f.dwc in csv_row.index, f.name
    for f in SIGHTING.plain_exports:
        expected = exported_value(con, f, row[f.name])
        assert csv_row[f.dwc] == expected, f.name
        assert (dwc_row.data[term_uri(f.dwc)] or "") == expected, f.name
    with zipfile.ZipFile(tmp_path / "s.zip") as zf:
        text = zf.read("occurrence.txt").decode("utf-8")
    for f in SIGHTING.recorded:
        if not f.public and f.kind == "text":  # a volunteer's private text never leaves the app
            assert str(values[f.name]) not in text and str(values[f.name]) not in table.to_csv(), f.name
