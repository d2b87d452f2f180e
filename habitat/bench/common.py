"""What every benchmark metric shares: targets, sizes, the log, statistics, timing, the machine, databases."""

from __future__ import annotations

import contextlib
import os
import platform
import sqlite3
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from habitat.db import connect, open_database
from habitat.db import people as people_db
from habitat.settings import load
from habitat.synthetic import seed_synthetic

ROOT = Path(__file__).resolve().parents[2]
APP = ROOT / "garden_app.py"
SIGHTINGS_PER_GARDEN_5Y = 6_700 * 5  # habitat.synthetic.SIGHTINGS_PER_GARDEN_YEAR x 5 years

# metric key -> (statistic, limit, unit, higher is better)
TARGETS: dict[str, tuple[str, float, str, bool] | None] = {
    "photo_ingest_ms": ("median", 100, "ms", False),
    "photo_ingest_naive_ms": None,
    "photo_ingest_speedup": ("value", 4, "x", True),
    "photo_batch_per_s": ("value", 15, "photos/s", True),
    "dashboard_ms": ("p95", 150, "ms", False),
    "dashboard_sqlite_ms": None,
    "dashboard_speedup": ("value", 20, "x", True),
    "save_sighting_ms": ("p95", 250, "ms", False),
    "concurrent_saves_per_s": ("value", 50, "saves/s", True),
    "page_render_ms": ("max_page_median", 1500, "ms", False),
    "export_dwca_s": ("median", 10, "s", False),
    "seed_10m_s": ("value", 60, "s", False),
}
METRIC_KEYS = tuple(TARGETS)


@dataclass(frozen=True)
class Sizes:
    mode: str
    ingest_runs: int
    naive_runs: int
    batch_photos: int
    dash_gardens: int  # the "10 M" database (seed measurement, dashboard, saves)
    dash_reps: int
    cmp_gardens: int | None  # SQLite comparison database; None: reuse the dashboard database
    cmp_reps_duckdb: int
    cmp_reps_sqlite: int
    save_runs: int
    conc_threads: int
    conc_per_thread: int
    page_gardens: int  # page renders and export
    page_reps: int
    export_runs: int
    diversity_runs: int


FULL = Sizes("full", 30, 10, 200, 300, 5, 60, 5, 3, 30, 20, 50, 30, 3, 3, 1)
QUICK = Sizes("quick", 8, 3, 40, 9, 3, None, 3, 3, 10, 20, 5, 3, 1, 2, 1)
YEARS = 5


# ---------------------------------------------------------------------------------------------
# Small helpers


class Log:
    def __init__(self) -> None:
        self.start = time.perf_counter()

    def __call__(self, message: str) -> None:
        print(f"[bench {time.perf_counter() - self.start:7.1f} s] {message}", file=sys.stderr, flush=True)


def stats(values: list[float], digits: int = 1) -> dict[str, Any]:
    """median, p95 (linear interpolation between closest ranks), min, max, n."""
    if not values:
        return {"n": 0}
    xs = sorted(values)
    rank = 0.95 * (len(xs) - 1)
    lo = int(rank)
    hi = min(lo + 1, len(xs) - 1)
    p95 = xs[lo] + (xs[hi] - xs[lo]) * (rank - lo)
    return {
        "median": round(statistics.median(xs), digits),
        "p95": round(p95, digits),
        "min": round(xs[0], digits),
        "max": round(xs[-1], digits),
        "n": len(xs),
    }


def judge(key: str, metric: dict[str, Any]) -> dict[str, Any]:
    """Add "target" and "meets_target" (None where there is no target or no value)."""
    spec = TARGETS[key]
    if spec is None:
        metric.setdefault("target", "(reference, no target)")
        metric.setdefault("meets_target", None)
        return metric
    stat, limit, unit, higher = spec
    sign = ">=" if higher else "<="
    label = {"value": "", "max_page_median": "median of every page "}.get(stat, stat + " ")
    metric.setdefault("target", f"{label}{sign} {limit:g} {unit}".strip())
    if "meets_target" in metric:
        return metric
    value = metric.get(stat)
    if value is None:
        metric["meets_target"] = None
    else:
        metric["meets_target"] = bool(value >= limit if higher else value <= limit)
    return metric


def ms(seconds: float) -> float:
    return seconds * 1000.0


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    t0 = time.perf_counter()
    out = fn()
    return time.perf_counter() - t0, out


def timed_cpu(fn: Callable[[], Any]) -> tuple[float, float, Any]:
    """(wall s, CPU s of this process - every thread, out). CPU < wall: waiting (I/O, other processes)."""
    c0, t0 = time.process_time(), time.perf_counter()
    out = fn()
    return time.perf_counter() - t0, time.process_time() - c0, out


def loadavg() -> list[float]:
    try:
        return [round(x, 2) for x in os.getloadavg()]
    except OSError:  # pragma: no cover
        return []


def machine_info() -> dict[str, Any]:
    model = None
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    mem_gib = None
    with contextlib.suppress(OSError, ValueError, IndexError):
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                mem_gib = round(int(line.split()[1]) / 1024 / 1024, 1)
                break
    versions = {}
    for pkg in ("duckdb", "pillow", "streamlit", "numpy", "pandas", "pyarrow"):
        try:
            versions[pkg] = version(pkg)
        except PackageNotFoundError:  # pragma: no cover
            versions[pkg] = None
    versions["sqlite"] = sqlite3.sqlite_version
    return {
        "cpu_count": os.cpu_count(),
        "cpu_model": model,
        "memory_gib": mem_gib,
        "python": platform.python_version(),
        "platform": platform.platform(),
        "versions": versions,
        "load_average_start": loadavg(),
    }


@contextlib.contextmanager
def stdout_to_stderr():
    """While measuring, anything written to fd 1 (DuckDB, Streamlit, workers) goes to stderr."""
    sys.stdout.flush()
    saved = os.dup(1)
    os.dup2(2, 1)
    try:
        with contextlib.redirect_stdout(sys.stderr):
            yield saved
    finally:
        sys.stdout.flush()
        os.dup2(saved, 1)
        os.close(saved)


# ---------------------------------------------------------------------------------------------
# Databases


def seed_database(path: Path, gardens: int, log: Log) -> tuple[float, dict]:
    last = [time.perf_counter()]

    def progress(phase: str, done: int, total: int) -> None:
        if phase == "sightings" and total > 1:
            if time.perf_counter() - last[0] > 5:
                log(f"  seed: sightings {done:,}/{total:,}")
                last[0] = time.perf_counter()
        else:
            log(f"  seed: {phase} done")

    log(f"seeding {gardens} gardens x {YEARS} years into {path.name}")
    t0 = time.perf_counter()
    con = open_database(path)
    try:
        report = seed_synthetic(con, gardens=gardens, years=YEARS, seed=1, progress=progress)
    finally:
        con.close()
    return time.perf_counter() - t0, report


def connect_db(path: Path):
    return connect(path)


def first_person(con, where: str, params=()):
    rows = con.execute(f"SELECT id FROM people WHERE {where} ORDER BY id LIMIT 1", list(params)).fetchall()
    return people_db.by_id(con, rows[0][0]) if rows else None


def bench_config(work: Path, db: Path, photos: Path):
    return load(env={}, secrets_path=work / "no-secrets.toml", GARDEN_DB=str(db), GARDEN_PHOTOS=str(photos))


def middle_garden(con) -> int:
    """The garden with the median number of sightings (a typical garden, not the busiest)."""
    rows = con.execute(
        "SELECT garden_id FROM sightings GROUP BY garden_id ORDER BY count(*), garden_id"
    ).fetchall()
    return int(rows[len(rows) // 2][0])
