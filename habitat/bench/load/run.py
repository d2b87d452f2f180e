"""One load run: a level per N, each on a fresh copy of the demo database and a fresh server."""

from __future__ import annotations

import asyncio
import os
import platform
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path
from typing import Any

import click

from habitat.bench.load.common import (
    CHROMIUM,
    CLIENT_CORE,
    ERROR_OUTCOMES,
    HEADLINE_EXCLUDES,
    LANG,
    PHOTO_SIZE,
    POLL_MS,
    RAMP_GAP_S,
    ROOT,
    ROSTER,
    SERVER_CORE,
    TARGETS,
    VIEWPORT,
    percentile,
    summary,
)
from habitat.bench.load.cpu import allowed_cpus, can_pin
from habitat.bench.load.driver import drive_level
from habitat.bench.load.photos import PhotoBox
from habitat.bench.load.server import check_writes, db_marks, server_log_errors, start_server, stop_server
from habitat.bench.load.session import Session

# ------------------------------------------------------------------------------------------ levels


def summarize_level(
    n: int, driven: dict[str, Any], writes: dict[str, Any], log_errors: list[str], pinning: dict[str, Any]
) -> dict[str, Any]:
    sessions: list[Session] = driven["sessions"]
    steps = [s for session in sessions for s in session.steps]
    # the headline: every click of the measured window; a step that timed out counts with its time
    timed = [
        s for s in steps if s.phase == "work" and s.action not in HEADLINE_EXCLUDES and s.outcome != "failed"
    ]
    ramp = [s for s in steps if s.phase == "ramp"]
    by_action: dict[str, dict[str, Any]] = {}
    for name in sorted({s.action for s in steps}):
        mine = [s for s in steps if s.action == name]
        by_action[name] = summary([s.ms for s in mine if s.phase == "work" and s.outcome != "failed"])
        by_action[name]["outcomes"] = {
            o: sum(1 for s in mine if s.outcome == o) for o in sorted({s.outcome for s in mine})
        }
        cpu = [s.server_cpu_ms for s in mine if s.server_cpu_ms is not None and s.outcome == "ok"]
        if n == 1 and cpu:  # with one session the server's CPU during a step is that step's cost
            by_action[name]["server_cpu_ms_p50"] = round(percentile(cpu, 0.5), 1)
    step_errors = [s for s in steps if s.outcome in ERROR_OUTCOMES]
    errors = {kind: sum(1 for s in step_errors if s.outcome == kind) for kind in ERROR_OUTCOMES}
    errors["server_log"] = len(log_errors)
    total_errors = sum(errors.values())
    all_actions = summary([s.ms for s in timed])
    out = {
        "n": n,
        "roles": {r: sum(1 for s in sessions if s.role == r) for r in ("volunteer", "expert", "committee")},
        "wall_s": driven["wall_s"],
        "actions": all_actions,
        "ramp": {
            "seconds": driven["ramp_s"],
            "gap_s": RAMP_GAP_S,
            "page_load": summary([s.ms for s in ramp if s.action == "page_load"]),
            "sign_in": summary([s.ms for s in ramp if s.action == "sign_in"]),
            "errors": sum(1 for s in ramp if s.outcome in ERROR_OUTCOMES),
        },
        "by_action": by_action,
        "errors": errors,
        "errors_total": total_errors,
        "error_samples": [
            f"{s.action} (session {s.session}, {s.at_s} s): {s.outcome}: {s.text}" for s in step_errors
        ][:10]
        + log_errors[:10],
        "superseded_decisions": sum(1 for s in steps if s.outcome == "superseded"),
        "conflicts_shown": sum(1 for s in steps if s.outcome == "conflict"),
        "skipped": {
            k: sum(s.skipped.get(k, 0) for s in sessions)
            for k in sorted({k for s in sessions for k in s.skipped})
        },
        "js_errors": sum(len(s.js_errors) for s in sessions),
        "writes": writes,
        "lost_writes": writes["lost_total"],
        "cpu": dict(
            driven["cpu"],
            server_cpu_ms_per_step=round(driven["cpu"].get("server_cpu_s", 0) * 1000 / max(1, len(steps)), 1),
        ),
        "pinning": pinning,
        "warm_up": driven["warm_up"],
        "steps": [[s.session, s.action, s.at_s, s.ms, s.outcome, s.server_cpu_ms, s.phase] for s in steps],
    }
    target = dict(TARGETS.get(n, {}))
    met = writes["lost_total"] == 0
    if "p95_ms" in target:
        met = met and all_actions["p95_ms"] is not None and all_actions["p95_ms"] <= target["p95_ms"]
    if "errors" in target:
        met = met and total_errors <= target["errors"]
    target["lost_writes"] = 0
    out["target"] = target
    out["meets_target"] = met
    return out


def run_level(
    n: int,
    template: Path,
    template_photos: Path | None,
    work: Path,
    *,
    seconds: float,
    pace: tuple[float, float],
    step_timeout_s: float,
    photos: PhotoBox,
    seed: int,
    pin: bool,
    log,
    flags: tuple[str, ...] = (),
) -> dict:
    log(f"N={n}: fresh copy of the demo database, server{' on core ' + str(SERVER_CORE) if pin else ''}")
    level_dir = work / f"n{n}"
    marks = db_marks(template)
    server = start_server(template, template_photos, level_dir, pin=pin, flags=flags)
    log(f"N={n}: server PID {server.proc.pid} at {server.url}, log {server.log_path}")
    try:
        pinning = {
            "server_pid": server.proc.pid,
            "server_cpus": allowed_cpus(server.proc.pid),
            "client_cpus": allowed_cpus(os.getpid()),
        }
        driven = asyncio.run(
            drive_level(
                n,
                server.url,
                server.proc.pid,
                seconds=seconds,
                pace=pace,
                step_timeout_s=step_timeout_s,
                photos=photos,
                seed=seed,
                log=log,
            )
        )
    finally:
        stop_server(server)
    writes = check_writes(server.db, server.photos, marks, driven["sessions"], photos.given)
    result = summarize_level(n, driven, writes, server_log_errors(server.log_path), pinning)
    a = result["actions"]
    log(
        f"N={n}: {a['n']} actions, p50 {a['p50_ms']} ms, p95 {a['p95_ms']} ms, errors {result['errors_total']}, "
        f"lost writes {result['lost_writes']}, server {result['cpu'].get('server_cores')} cores"
    )
    return result


def machine_info() -> dict[str, Any]:
    return {
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "load_average": [round(x, 2) for x in os.getloadavg()],
    }


def log_line(message: str) -> None:
    click.echo(f"[bench-load {time.strftime('%H:%M:%S')}] {message}", err=True)


def build_template(work: Path, log) -> tuple[Path, Path]:
    db, photos = work / "template" / "demo.duckdb", work / "template" / "photos"
    db.parent.mkdir(parents=True)
    log("building the demo database (python -m habitat init --demo)")
    subprocess.run(
        [sys.executable, "-m", "habitat", "init", "--db", str(db), "--demo", "--photos", str(photos)],
        cwd=ROOT,
        check=True,
        stdout=subprocess.DEVNULL,
        env=dict(os.environ, GARDEN_LANG=LANG),
    )
    return db, photos


def run(
    levels: list[int],
    *,
    seconds: float,
    pace: tuple[float, float],
    step_timeout_s: float,
    seed: int,
    work: Path,
    template: Path | None,
    server_flags: tuple[str, ...] = (),
    log=log_line,
) -> dict[str, Any]:
    if not CHROMIUM.exists():
        raise click.ClickException(f"{CHROMIUM} is missing (apt-get install -y chromium)")
    started = datetime.now().astimezone()
    t0 = time.monotonic()
    if template is None:
        template, template_photos = build_template(work, log)
    else:
        template_photos = template.parent / "photos"
    pin = can_pin()
    homes = db_marks(template)["homes"]
    photos = PhotoBox({u: homes.get(u) for r, u in ROSTER if r == "volunteer"}, log)
    original_affinity = os.sched_getaffinity(0) if pin else None
    results: list[dict] = []
    failed: list[dict] = []
    try:
        if pin:  # this process, the Playwright driver and Chromium (its children) share core 1
            os.sched_setaffinity(0, {CLIENT_CORE})
        for n in levels:
            try:
                results.append(
                    run_level(
                        n,
                        template,
                        template_photos,
                        work,
                        seconds=seconds,
                        pace=pace,
                        step_timeout_s=step_timeout_s,
                        photos=photos,
                        seed=seed,
                        pin=pin,
                        log=log,
                        flags=server_flags,
                    )
                )
            except Exception as err:  # noqa: BLE001 - one broken level must not lose the others
                log(f"N={n}: the level FAILED: {type(err).__name__}: {err}")
                failed.append({"n": n, "error": f"{type(err).__name__}: {str(err)[:500]}"})
    finally:
        if original_affinity is not None:
            os.sched_setaffinity(0, original_affinity)
    return {
        "benchmark": "load",
        "params": {
            "sessions": levels,
            "seconds": seconds,
            "pace_s": list(pace),
            "step_timeout_s": step_timeout_s,
            "seed": seed,
            "photo": f"{PHOTO_SIZE[0]}x{PHOTO_SIZE[1]} JPEG q90",
            "viewport": VIEWPORT,
            "pinned": pin,
            "server_core": SERVER_CORE if pin else None,
            "client_core": CLIENT_CORE if pin else None,
            "poll_ms": POLL_MS,
            "server_flags": list(server_flags),
        },
        "machine": machine_info(),
        "run": {
            "started_at": started.isoformat(timespec="seconds"),
            "wall_s": round(time.monotonic() - t0, 1),
        },
        "levels": results,
        "failed_levels": failed,
        "summary": [
            {
                "n": r["n"],
                "p50_ms": r["actions"]["p50_ms"],
                "p95_ms": r["actions"]["p95_ms"],
                "actions": r["actions"]["n"],
                "errors": r["errors_total"],
                "lost_writes": r["lost_writes"],
                "server_cores": r["cpu"].get("server_cores"),
                "target": r["target"],
                "meets_target": r["meets_target"],
            }
            for r in results
        ],
    }
