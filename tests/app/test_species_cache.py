"""The cached species list (habitat.ui.forms) follows checklist writes without any page clearing it."""

from __future__ import annotations

from habitat.db import connect
from habitat.db import people as people_db
from habitat.services import checklist
from habitat.services.context import Ctx
from habitat.settings import load
from tests.app.helpers import rows


def picker_options(at, query: str) -> list[str]:
    at.text_input(key="ck_edit_q").input(query).run()
    assert not at.exception, at.exception
    return list(at.selectbox(key=f"ck_edit_sel_{query}").options)


def test_the_species_picker_shows_a_name_an_expert_changed_elsewhere_without_a_manual_clear(app_as, app_env):
    at = app_as("xuboshi", "pages/checklist.py")
    assert any("菜粉蝶" in o for o in picker_options(at, "菜粉蝶"))  # the list is cached now
    species_id = rows(app_env, "SELECT id FROM species WHERE chinese_name = '菜粉蝶'")[0][0]

    # another session (another page, the CLI ...) edits through the service; nobody clears a cache
    con = connect(app_env)
    try:
        expert_id = con.execute("SELECT id FROM people WHERE username = 'chenlaoshi'").fetchall()[0][0]
        expert = Ctx(con=con, user=people_db.by_id(con, expert_id), config=load())
        checklist.edit_species(expert, species_id, {"chinese_name": "甘蓝粉蝶"})
    finally:
        con.close()

    assert any("甘蓝粉蝶" in o for o in picker_options(at, "甘蓝粉蝶"))
    assert not any(o.startswith("菜粉蝶") for o in picker_options(at, "菜粉蝶"))
