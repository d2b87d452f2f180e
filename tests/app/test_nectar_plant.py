"""The nectar plant an insect was seen visiting (Darwin Core associatedTaxa), end to end: offered in
the log form only for insects, picked from the checklist's plants, shown to the expert, kept through
an edit, exported as "visiting: <Chinese name> <scientific name>" in the CSV and the archive."""

from __future__ import annotations

from datetime import datetime, timedelta

import pandas as pd
import pytest
from dwca.read import DwCAReader

from habitat.clock import SHANGHAI, fixed_clock
from habitat.errors import ValidationError
from habitat.export.dwca import export_dwca
from habitat.export.tables import export_table
from habitat.services import sightings
from tests.app.helpers import click, rows

NOW = datetime(2026, 11, 20, 10, 0, tzinfo=SHANGHAI)
DWC = "http://rs.tdwg.org/dwc/terms/"


def species(db_or_con, name):
    sql, params = "SELECT id FROM species WHERE chinese_name = ?", [name]
    if hasattr(db_or_con, "execute"):
        return db_or_con.execute(sql, params).fetchall()[0][0]
    return rows(db_or_con, sql, params)[0][0]


def nectar_box(at):
    return [s for s in at.selectbox if s.key == "log0_nectar_plant_id"]


def test_the_log_form_offers_the_checklists_plants_for_a_butterfly_and_saves_the_pick(app_as, app_env):
    at = app_as("wangayi", "pages/log_sighting.py")
    at.text_input(key="log0_sp_q").input("cfd").run()  # 菜粉蝶
    [box] = nectar_box(at)
    plants = [n for (n,) in rows(app_env, "SELECT chinese_name FROM species WHERE group_name = 'plant'")]
    assert box.options[0] == "—" and len(box.options) > 1
    assert all(any(o.startswith(p + " ·") for p in plants) for o in box.options[1:])  # only plants
    violet = species(app_env, "紫花地丁")
    box.set_value(violet).run()
    click(at, "保存记录")
    assert rows(
        app_env,
        "SELECT sp.chinese_name, s.nectar_plant_id FROM sightings s JOIN species sp ON sp.id = s.species_id"
        " WHERE s.source = 'app' ORDER BY s.id DESC LIMIT 1",
    ) == [("菜粉蝶", violet)]


def test_a_bird_is_not_offered_a_nectar_plant_and_a_stale_pick_is_not_saved(app_as, app_env):
    at = app_as("wangayi", "pages/log_sighting.py")
    at.text_input(key="log0_sp_q").input("cfd").run()
    nectar_box(at)[0].set_value(species(app_env, "紫花地丁")).run()
    at.text_input(key="log0_sp_q").input("麻雀").run()  # the volunteer changes her mind: a sparrow
    assert nectar_box(at) == []
    click(at, "保存记录")
    assert rows(
        app_env,
        "SELECT sp.chinese_name, s.nectar_plant_id FROM sightings s JOIN species sp ON sp.id = s.species_id"
        " WHERE s.source = 'app' ORDER BY s.id DESC LIMIT 1",
    ) == [("麻雀", None)]


def test_the_expert_sees_the_nectar_plant_in_review(app_as, app_env):
    at = app_as("wangayi", "pages/log_sighting.py")
    at.text_input(key="log0_sp_q").input("cfd").run()
    nectar_box(at)[0].set_value(species(app_env, "紫花地丁")).run()
    click(at, "保存记录")
    expert = app_as("xuboshi")
    expert.session_state["review_position"] = 10**6  # the newest record is the last of the queue
    expert.switch_page("pages/review.py").run()
    assert not expert.exception
    details = "\n".join(x.value for x in expert.text)
    assert "访花植物" in details and "紫花地丁" in details, details


@pytest.fixture
def vol(make_ctx):
    return make_ctx("wangayi", clock=fixed_clock(NOW))


def butterfly(con, **changes):
    gid = con.execute("SELECT id FROM gardens WHERE slug = 'zhongjing'").fetchall()[0][0]
    values = dict(
        garden_id=gid,
        event_date=NOW - timedelta(hours=1),
        species_id=species(con, "菜粉蝶"),
        individual_count=2,
        nectar_plant_id=species(con, "紫花地丁"),
    )
    return sightings.SightingDraft(**(values | changes))


@pytest.mark.parametrize(
    "changes",
    [{"nectar_plant_id": "麻雀"}, {"species_id": "麻雀"}],  # a bird as the plant; a plant for a bird
    ids=["bird_as_plant", "plant_for_a_bird"],
)
def test_only_a_checklist_plant_and_only_for_an_insect_is_accepted(con, vol, changes):
    before = con.execute("SELECT count(*) FROM sightings").fetchall()[0][0]
    with pytest.raises(ValidationError) as info:
        sightings.save_sighting(vol, butterfly(con, **{k: species(con, v) for k, v in changes.items()}))
    assert info.value.key == "sighting.bad_nectar_plant" and "植物" in info.value.message("zh")
    assert con.execute("SELECT count(*) FROM sightings").fetchall()[0][0] == before


def test_the_nectar_plant_is_kept_through_an_edit_and_exported_as_associated_taxa(con, vol, tmp_path):
    saved = sightings.save_sighting(vol, butterfly(con))
    sightings.update_sighting(vol, saved.id, 1, {"individual_count": 5, "note": "在花境"})
    assert con.execute(
        "SELECT individual_count, nectar_plant_id FROM sightings WHERE id = ?", [saved.id]
    ).fetchall() == [(5, species(con, "紫花地丁"))]
    occurrence = "urn:uuid:" + str(
        con.execute("SELECT occurrence_id FROM sightings WHERE id = ?", [saved.id]).fetchall()[0][0]
    )
    expected = "visiting: 紫花地丁 Viola philippica"

    export_table(con, tmp_path / "s.csv", fmt="csv", status="all")
    table = pd.read_csv(tmp_path / "s.csv", dtype=str, keep_default_na=False, encoding="utf-8-sig")
    assert table.loc[table["occurrenceID"] == occurrence, "associatedTaxa"].tolist() == [expected]
    assert set(table["associatedTaxa"]) - {""} == {expected}  # no other record has one
    export_dwca(con, tmp_path / "s.zip", status="all", now=NOW)
    with DwCAReader(str(tmp_path / "s.zip")) as archive:
        assert DWC + "associatedTaxa" in archive.descriptor.core.terms
        assert [r.data[DWC + "associatedTaxa"] for r in archive if r.id == occurrence] == [expected]
