"""The load benchmark (python -m habitat bench-load) runs end to end with two browser sessions.

It checks that the run happened and counted right (steps, writes, errors, lost writes), never a time:
the figures are for docs/benchmarks.md, measured on a quiet machine.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from browser_helpers import ROOT

pytestmark = pytest.mark.browser

LEVEL_KEYS = {
    "n",
    "roles",
    "wall_s",
    "actions",
    "by_action",
    "errors",
    "errors_total",
    "error_samples",
    "superseded_decisions",
    "conflicts_shown",
    "skipped",
    "js_errors",
    "writes",
    "lost_writes",
    "cpu",
    "pinning",
    "warm_up",
    "steps",
    "target",
    "meets_target",
}


@pytest.fixture(scope="module")
def two_sessions(demo_template, tmp_path_factory):
    """One level of 2 sessions (a volunteer and an expert) for 40 s at a quick pace."""
    work = tmp_path_factory.mktemp("load")
    out = work / "load.json"
    cmd = [
        sys.executable,
        "-m",
        "habitat",
        "bench-load",
        "--sessions",
        "2",
        "--seconds",
        "40",
        "--pace",
        "1,2",
        "--step-timeout",
        "60",
        "--template",
        str(demo_template),
        "--out",
        str(out),
        "--keep",
        str(work / "run"),
    ]
    done = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, f"bench-load failed ({done.returncode}):\n{done.stderr[-4000:]}"
    return json.loads(done.stdout), json.loads(out.read_text(encoding="utf-8")), work / "run"


def test_the_load_benchmark_prints_one_level_per_session_count(two_sessions):
    printed, saved, _ = two_sessions
    assert printed["benchmark"] == "load"
    assert printed["params"]["sessions"] == [2]
    assert [level["n"] for level in printed["levels"]] == [2]
    level = saved["levels"][0]
    assert LEVEL_KEYS <= set(level)
    assert "steps" not in printed["levels"][0], "the printed JSON leaves the step list to --out"
    assert level["roles"] == {"volunteer": 1, "expert": 1, "committee": 0}
    assert printed["summary"][0]["n"] == 2
    assert set(level["cpu"]) >= {"server_cpu_s", "server_cores", "client_cores", "core_busy_all_processes"}
    assert level["cpu"]["server_cpu_s"] > 0


def test_both_sessions_signed_in_and_acted(two_sessions):
    _, saved, _ = two_sessions
    level = saved["levels"][0]
    steps = level["steps"]
    for session in (0, 1):
        actions = [step[1] for step in steps if step[0] == session and step[4] == "ok"]
        assert "sign_in" in actions, f"session {session} never signed in: {steps}"
        assert len(actions) >= 3, f"session {session} did too little: {steps}"
    assert level["actions"]["n"] >= 6
    assert level["actions"]["p50_ms"] > 0 and level["actions"]["p95_ms"] >= level["actions"]["p50_ms"]
    claimed = level["writes"]["claimed"]
    assert claimed["decisions"] + claimed["sightings"] + claimed["task_logs"] >= 1, level["writes"]


def test_no_errors_and_no_lost_writes(two_sessions):
    _, saved, _ = two_sessions
    level = saved["levels"][0]
    assert level["errors_total"] == 0, level["error_samples"]
    assert level["lost_writes"] == 0, level["writes"]
    writes = level["writes"]
    for kind, n in writes["claimed"].items():
        assert writes["in_database"][kind] >= n, writes


def test_the_lost_write_check_finds_a_write_that_is_not_in_the_database(two_sessions):
    """The check is not vacuous: a confirmation with no row behind it counts as lost, one with a row does not."""
    from habitat.bench import load as loadtest

    _, saved, run_dir = two_sessions
    level_dir = run_dir / "n2"
    marks = {"sightings": 0, "task_logs": 0, "verifications": 0}
    decided = next(s for s in saved["levels"][0]["steps"] if s[1] == "decide_record" and s[4] == "ok")
    assert decided, "the expert decided nothing"
    real = loadtest.Session(0, "expert", "zhanggong")
    real.decisions = [row for row in _decided_ids(level_dir / "garden.duckdb", "zhanggong")][:1]
    ghost = loadtest.Session(1, "volunteer", "wangayi", saved_sightings=[99_999_999], task_logs=10_000)
    report = loadtest.check_writes(level_dir / "garden.duckdb", level_dir / "photos", marks, [real, ghost])
    assert report["lost"]["decisions"] == 0
    assert report["lost"]["sightings"] == 1
    assert report["lost_detail"]["sightings"][0]["id"] == 99_999_999
    assert report["lost"]["task_logs"] > 0
    assert report["lost_total"] == report["lost"]["sightings"] + report["lost"]["task_logs"]

    # a saved sighting must carry the photos its session uploaded; extra ones only if the same person
    # uploaded them (a draft keeps an unsaved form's photos)
    import duckdb

    con = duckdb.connect(str(level_dir / "garden.duckdb"), read_only=True)
    try:
        sid, user, name = con.execute(
            "SELECT s.id, p.username, min(ph.original_name) FROM sightings s JOIN people p ON p.id = s.recorded_by "
            "JOIN photos ph ON ph.sighting_id = s.id WHERE ph.original_name LIKE 'IMG_0%' "
            "GROUP BY s.id, p.username ORDER BY s.id DESC LIMIT 1"
        ).fetchone()
    finally:
        con.close()
    marks = {"sightings": sid - 1, "task_logs": 10**12, "verifications": 10**12}

    def lost(expected: list[str], given: set[str]) -> int:
        person = loadtest.Session(
            0, "volunteer", user, saved_sightings=[sid], sighting_photos={sid: expected}
        )
        return loadtest.check_writes(
            level_dir / "garden.duckdb", level_dir / "photos", marks, [person], {user: given}
        )["lost"]["sightings"]

    everything = {name, "IMG_00001.jpg", "IMG_00002.jpg", "IMG_00003.jpg", "IMG_00004.jpg", "IMG_00005.jpg"}
    assert lost([name], everything) == 0
    assert lost(["IMG_99999.jpg"], everything | {"IMG_99999.jpg"}) == 1  # its own photo is missing
    assert lost([], set()) == 1  # a photo this person never uploaded


def _decided_ids(db, username: str) -> list[int]:
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    try:
        return [
            r[0]
            for r in con.execute(
                "SELECT v.sighting_id FROM verifications v JOIN people p ON p.id = v.decided_by "
                "WHERE p.username = ? ORDER BY v.id DESC",
                [username],
            ).fetchall()
        ]
    finally:
        con.close()
