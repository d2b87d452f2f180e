"""The streamlit server of one level, and the database checks after it stopped (lost writes)."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

from habitat.bench.load.common import LANG, ROOT, SERVER_CORE, SERVER_LOG_ERROR, SERVER_START_TIMEOUT
from habitat.bench.load.session import Session

# ----------------------------------------------------------------------------------------- server


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as resp:
            return resp.status == 200 and resp.read().decode().strip() == "ok"
    except (urllib.error.URLError, OSError, ValueError):
        return False


@dataclass
class Server:
    proc: subprocess.Popen
    url: str
    db: Path
    photos: Path
    log_path: Path


def start_server(
    template: Path, template_photos: Path | None, work: Path, *, pin: bool, flags: tuple[str, ...] = ()
) -> Server:
    """`streamlit run garden_server.py` on a private copy of the template database and photos."""
    work.mkdir(parents=True, exist_ok=True)
    db, photos, log_path = work / "garden.duckdb", work / "photos", work / "server.log"
    shutil.copy(template, db)
    if template_photos is not None and template_photos.exists():
        shutil.copytree(template_photos, photos)
    else:
        photos.mkdir()
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    env = dict(
        os.environ,
        GARDEN_DB=str(db),
        GARDEN_PHOTOS=str(photos),
        GARDEN_LANG=LANG,
        GARDEN_ERROR_DETAILS="1",
        GARDEN_BASE_URL=url,
        PYTHONUNBUFFERED="1",
    )
    cmd = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        "garden_server.py",
        "--server.headless",
        "true",
        "--server.address",
        "127.0.0.1",
        "--server.port",
        str(port),
        "--browser.gatherUsageStats",
        "false",
        "--server.fileWatcherType",
        "none",
        *flags,
    ]
    if pin:
        cmd = ["taskset", "-c", str(SERVER_CORE)] + cmd  # taskset execs: the PID is the server's
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(
            cmd, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL
        )
    server = Server(proc, url, db, photos, log_path)
    deadline = time.monotonic() + SERVER_START_TIMEOUT
    while not _healthy(url):
        if proc.poll() is not None or time.monotonic() > deadline:
            stop_server(server)
            raise RuntimeError(f"the server did not start:\n{log_path.read_text(errors='replace')[-3000:]}")
        time.sleep(0.1)
    return server


def stop_server(server: Server) -> None:
    """Stop the server we started, by its own PID only."""
    proc = server.proc
    if proc.poll() is not None:
        return
    proc.terminate()
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=15)


def server_log_errors(path: Path) -> list[str]:
    return [
        line.strip()
        for line in path.read_text(errors="replace").splitlines()
        if SERVER_LOG_ERROR.search(line)
    ]


# -------------------------------------------------------------------------------------- database


def _connect(db: Path):
    return duckdb.connect(str(db), read_only=True, config={"autoinstall_known_extensions": False})


def db_marks(db: Path) -> dict[str, Any]:
    """The highest ids before the run (everything above them was written during it) and homes."""
    con = _connect(db)
    try:
        marks = {
            table: con.execute(f"SELECT coalesce(max(id), 0) FROM {table}").fetchone()[0]  # noqa: S608 (fixed names)
            for table in ("sightings", "task_logs", "verifications")
        }
        marks["homes"] = dict(
            con.execute(
                "SELECT p.username, g.slug FROM people p LEFT JOIN gardens g ON g.id = p.home_garden_id"
            ).fetchall()
        )
    finally:
        con.close()
    return marks


def check_writes(
    db: Path,
    photos: Path,
    marks: dict[str, Any],
    sessions: list[Session],
    given: dict[str, set[str]] | None = None,
) -> dict[str, Any]:
    """Compare what the sessions saw confirmed with the database file (read after the server stopped)."""
    con = _connect(db)
    try:
        sightings = {
            sid: (user, photo_paths)
            for sid, user, photo_paths in con.execute(
                """SELECT s.id, p.username,
                          list((ph.display_path, ph.original_name) ORDER BY ph.id)
                               FILTER (WHERE ph.id IS NOT NULL AND NOT ph.withdrawn)
                   FROM sightings s JOIN people p ON p.id = s.recorded_by
                   LEFT JOIN photos ph ON ph.sighting_id = s.id
                   WHERE s.id > ? GROUP BY s.id, p.username""",
                [marks["sightings"]],
            ).fetchall()
        }
        task_logs = dict(
            con.execute(
                "SELECT p.username, count(*) FROM task_logs t JOIN people p ON p.id = t.done_by WHERE t.id > ? GROUP BY 1",
                [marks["task_logs"]],
            ).fetchall()
        )
        decisions = {
            (sid, user)
            for sid, user in con.execute(
                "SELECT v.sighting_id, p.username FROM verifications v JOIN people p ON p.id = v.decided_by "
                "WHERE v.id > ? AND NOT v.machine",
                [marks["verifications"]],
            ).fetchall()
        }
    finally:
        con.close()
    # A saved sighting must carry the photos its session put in the form since its last save, and may
    # carry more only if the same person uploaded them (a draft keeps an unsaved form's photos; two tabs
    # of one person share that draft).
    given = given or {}
    claimed_sightings = [
        (sid, s.username, s.sighting_photos.get(sid)) for s in sessions for sid in s.saved_sightings
    ]
    lost_sightings = []
    for sid, user, expected in claimed_sightings:
        row = sightings.get(sid)
        files = [
            tuple(f.values()) if isinstance(f, dict) else tuple(f) for f in ((row[1] or []) if row else [])
        ]
        names = sorted(name for _, name in files)
        extra = set(names) - set(expected or [])
        if (
            row is None
            or row[0] != user
            or not files
            or not set(expected or []) <= set(names)
            or (expected is not None and not extra <= given.get(user, set()))
            or not all((photos / path).is_file() for path, _ in files)
        ):
            lost_sightings.append(
                {"id": sid, "user": user, "found": row is not None, "photos": names, "expected": expected}
            )
    claimed_tasks: dict[str, int] = {}
    for s in sessions:
        claimed_tasks[s.username] = claimed_tasks.get(s.username, 0) + s.task_logs
    lost_tasks = {u: n - task_logs.get(u, 0) for u, n in claimed_tasks.items() if n > task_logs.get(u, 0)}
    claimed_decisions = [(sid, s.username) for s in sessions for sid in s.decisions]
    lost_decisions = [
        {"id": sid, "user": user} for sid, user in claimed_decisions if (sid, user) not in decisions
    ]
    claimed = {
        "sightings": len(claimed_sightings),
        "task_logs": sum(claimed_tasks.values()),
        "decisions": len(claimed_decisions),
    }
    found = {"sightings": len(sightings), "task_logs": sum(task_logs.values()), "decisions": len(decisions)}
    lost = {
        "sightings": len(lost_sightings),
        "task_logs": sum(lost_tasks.values()),
        "decisions": len(lost_decisions),
    }
    return {
        "claimed": claimed,
        "in_database": found,
        "lost": lost,
        "lost_total": sum(lost.values()),
        # written but never confirmed on screen (e.g. a step that timed out): not lost, reported
        "unconfirmed": {k: max(0, found[k] - claimed[k] + lost[k]) for k in claimed},
        "lost_detail": {
            "sightings": lost_sightings[:20],
            "task_logs": lost_tasks,
            "decisions": lost_decisions[:20],
        },
    }
