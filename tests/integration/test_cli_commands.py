"""The command line (habitat/cli): what it registers, what it loads to start, and whose name an import carries."""

from __future__ import annotations

import gc
import json
import re
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from habitat.cli import main
from habitat.db import connect
from habitat.db import people as people_db

ROOT = Path(__file__).resolve().parents[2]
HEAVY = ("duckdb", "pandas", "numpy", "pyarrow", "PIL", "streamlit", "playwright")


def _readme_commands() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return sorted(set(re.findall(r"^\$P -m habitat ([a-z-]+)", text, re.M)))


def _tally(tmp_path: Path) -> Path:
    path = tmp_path / "tally.csv"
    path.write_text("species,count,zone,time\n白头鹎,3,A,2026-11-20 08:10\n", encoding="utf-8")
    return path


def test_the_command_line_registers_exactly_the_commands_the_readme_lists():
    assert sorted(main.commands) == _readme_commands()


def test_starting_the_command_line_loads_no_database_dataframe_image_or_streamlit_library():
    probe = f"import sys, habitat.cli; print([m for m in {HEAVY!r} if m in sys.modules])"
    out = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_people_lookups_for_the_command_line_use_the_account_table(con):
    committee = people_db.active_committee_ids(con)
    assert people_db.first_active_committee_id(con) == min(committee)
    liu = people_db.id_by_username(con, "liuzhuren")
    assert liu is not None and people_db.by_id(con, liu).username == "liuzhuren"
    assert people_db.id_by_username(con, "nobody") is None
    assert people_db.id_by_username(con, "' OR 1=1 --") is None  # a bound value, not SQL


def test_import_tally_without_user_records_under_the_first_committee_account(demo_db, tmp_path):
    result = CliRunner().invoke(
        main, ["import-tally", "--db", str(demo_db), "--garden", "zhongjing", str(_tally(tmp_path))]
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == {"imported": 1, "errors": []}
    gc.collect()  # the command leaves its connection to the end of the process, as a CLI run does
    con = connect(demo_db)
    try:
        recorded = con.execute("SELECT DISTINCT recorded_by FROM sightings WHERE source = 'csv'").fetchall()
        assert recorded == [(people_db.first_active_committee_id(con),)]
    finally:
        con.close()


def test_import_tally_with_an_unknown_user_says_so_and_imports_nothing(demo_db, tmp_path):
    result = CliRunner().invoke(
        main,
        [
            "import-tally",
            "--db",
            str(demo_db),
            "--garden",
            "zhongjing",
            "--user",
            "nobody",
            str(_tally(tmp_path)),
        ],
    )
    assert result.exit_code == 2
    assert "no such user: nobody" in result.output
    gc.collect()
    con = connect(demo_db)
    try:
        assert con.execute("SELECT count(*) FROM sightings WHERE source = 'csv'").fetchone() == (0,)
    finally:
        con.close()
