import subprocess
import sys
import textwrap

import pytest

from habitat.db import connect, migrate, open_database
from habitat.db.connection import migration_files
from habitat.errors import DatabaseError

STABLE_TABLES = {"gardens", "zones", "species", "sightings", "visits"}


def test_a_new_database_gets_every_migration_recorded(tmp_path):
    con = open_database(tmp_path / "new.duckdb")
    recorded = [r[0] for r in con.execute("SELECT name FROM schema_migrations ORDER BY name").fetchall()]
    assert recorded == [name for name, _ in migration_files()]
    tables = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
    assert STABLE_TABLES <= tables


def test_stable_column_names_exist():
    con = open_database(":memory:")
    cols = {
        (r[0], r[1])
        for r in con.execute("SELECT table_name, column_name FROM information_schema.columns").fetchall()
    }
    assert {("gardens", "slug"), ("zones", "geometry"), ("sightings", "event_date")} <= cols


def test_an_existing_database_is_adopted_not_rebuilt(tmp_path):
    path = tmp_path / "old.duckdb"
    con = open_database(path)
    con.execute(
        "INSERT INTO gardens (slug, name, town, centre_lat, centre_lon) VALUES ('keep', '保留', '新泾镇', 31.2, 121.3)"
    )
    con.execute("DELETE FROM schema_migrations WHERE name > '0001_core'")  # as if made by an older release
    con.close()
    con = connect(path)
    applied_now = migrate(con)
    assert all(name > "0001_core" for name in applied_now)
    assert con.execute("SELECT name FROM gardens WHERE slug = 'keep'").fetchall() == [("保留",)]
    assert migrate(con) == []


def test_a_second_process_gets_one_clear_sentence_about_the_lock(tmp_path):
    path = tmp_path / "locked.duckdb"
    open_database(path).close()
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            textwrap.dedent(f"""
            import duckdb, sys, time
            con = duckdb.connect({str(path)!r})
            print("ready", flush=True)
            time.sleep(30)
        """),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "ready"
        with pytest.raises(DatabaseError) as info:
            connect(path)
        assert info.value.key == "db.locked"
        assert str(holder.pid) in info.value.message("en")
        assert "另一个程序" in info.value.message("zh")
    finally:
        holder.kill()
        holder.wait()


def test_init_without_demo_creates_only_the_checklist(empty_con):
    assert empty_con.execute("SELECT count(*) FROM species").fetchall()[0][0] >= 100
    assert empty_con.execute("SELECT count(*) FROM people").fetchall()[0][0] == 0
    assert empty_con.execute("SELECT count(*) FROM gardens").fetchall()[0][0] == 0


def test_cli_init_prints_a_json_report(tmp_path):
    out = subprocess.run(
        [sys.executable, "-m", "habitat", "init", "--db", str(tmp_path / "cli.duckdb")],
        capture_output=True,
        text=True,
        check=True,
    )
    assert '"species": 111' in out.stdout


def test_every_cursor_groups_days_and_months_in_shanghai_time(tmp_path):
    con = open_database(tmp_path / "tz.duckdb")
    cur = con.cursor()  # the app takes one cursor per browser session
    assert cur.execute("SELECT current_setting('TimeZone')").fetchall() == [("Asia/Shanghai",)]
    # 1 July 04:00 in Shanghai is 30 June 20:00 UTC: it belongs to July
    month = cur.execute(
        "SELECT month(date_trunc('month', TIMESTAMPTZ '2026-07-01 04:00:00+08:00'))"
    ).fetchall()
    assert month == [(7,)]
