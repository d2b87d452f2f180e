"""`python -m habitat bench --quick` runs end to end and reports every metric as JSON.

Only the shape of the report is checked, never a time: the machine is shared and timings vary.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
METRICS = (
    "photo_ingest_ms",
    "photo_ingest_naive_ms",
    "photo_ingest_speedup",
    "photo_batch_per_s",
    "dashboard_ms",
    "dashboard_sqlite_ms",
    "dashboard_speedup",
    "save_sighting_ms",
    "concurrent_saves_per_s",
    "page_render_ms",
    "export_dwca_s",
    "seed_10m_s",
)


def test_quick_bench_prints_one_json_object_with_every_metric(tmp_path):
    out = tmp_path / "bench.json"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    for name in ("GARDEN_DB", "GARDEN_PHOTOS"):  # the bench must not touch a configured database
        env[name] = str(tmp_path / f"untouched-{name.lower()}")
    proc = subprocess.run(
        [sys.executable, "-m", "habitat", "bench", "--quick", "--out", str(out)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-4000:]
    report = json.loads(proc.stdout)  # stdout holds the JSON and nothing else
    assert json.loads(out.read_text(encoding="utf-8")) == report

    assert report["mode"] == "quick"
    for key in METRICS:
        metric = report[key]
        assert isinstance(metric, dict), key
        assert "error" not in metric, (key, metric.get("error"))
        assert "target" in metric and "meets_target" in metric, key
        assert "size" in metric, key
        if "median" in metric:
            assert "p95" in metric and metric["n"] > 0, key
        else:
            assert isinstance(metric["value"], (int, float)), key

    assert report["concurrent_saves_per_s"]["lost_rows"] == 0
    assert report["concurrent_saves_per_s"]["lost_files"] == 0
    assert report["dashboard_sqlite_ms"]["all_results_identical"] is True
    assert all(not page["exceptions"] for page in report["page_render_ms"]["per_page"])
    assert "QUICK" in report["seed_10m_s"]["size"]

    machine = report["machine"]
    for key in (
        "cpu_count",
        "cpu_model",
        "memory_gib",
        "python",
        "versions",
        "load_average_start",
        "load_average_end",
    ):
        assert key in machine, key
    assert {"duckdb", "pillow", "streamlit"} <= set(machine["versions"])
    assert not Path(report["run"]["workdir"]).exists()  # the temporary directory is removed
    assert not (tmp_path / "untouched-garden_db").exists()
