"""Load benchmark: N real browser sessions against `streamlit run` (``python -m habitat bench-load``).

For each N in ``--sessions`` (default 1,5,10,20): a fresh copy of the demo database, a server
(`streamlit run garden_server.py`) pinned to core 0 with ``taskset``, a warm-up, then N Playwright
contexts in one headless Chromium, pinned with this process to core 1, for ``--seconds``. Each
session signs in through the form and repeats its role's script at a brisk person's pace (a pause
of ``--pace`` 3-8 s before every action):

  volunteer  log page, photo upload (a 12 MP phone JPEG with EXIF time and GPS), species search,
             save; upkeep page, one tap on a due task (or the details form when nothing is due)
  expert     review page, three one-click decisions, home page
  committee  dashboard, biodiversity, home page

"Click to idle" is the time from the click (or Enter, or file choice) until the app has run and is
idle again (``data-test-script-state`` notRunning after a change of state) and the expected result
is on the page (the page title, the saved-record message, the chosen species ...). Errors: an
``stException`` box, a step timing out, an error message the step did not expect, and every
Traceback/Error/Exception line in the server log. Lost writes: every sighting, task log and decision
a session saw confirmed is looked up in the database file after the server has stopped.

Nothing here imports Streamlit; Playwright is imported inside the functions that drive the browser.
"""

from __future__ import annotations

import asyncio
import io
import json
import os
import random
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import click

from habitat import i18n
from habitat.demo import DEMO_PASSWORD

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [  # as tests/browser/conftest.py
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--no-first-run", "--disable-quic",
]
SERVER_CORE, CLIENT_CORE = 0, 1
LANG = "zh"
VIEWPORT = {"width": 1280, "height": 900}
PHOTO_SIZE = (4000, 3000)
SERVER_START_TIMEOUT = 60.0
POLL_MS = 40  # how often a page checks whether the step is done: the resolution of the timings
SETTLE_S = 0.25  # idle this long after the result showed, or the step goes on (not counted when idle)
SETTLE_ROUNDS = 5
RAMP_GAP_S = 2.0  # session i opens the app at i * 2 s; the measured window starts when all are in
HEADLINE_EXCLUDES = ("page_load", "reload")  # not clicks: opening the app, and the harness's recovery
CHANGES_JS = "window.__lt ? window.__lt.changes : -1"
TARGETS = {  # per N: what must hold (lost writes must be 0 at every N)
    10: {"p95_ms": 2000, "errors": 0},
    20: {"errors": 0},
}
# Who opens a session, in order: N sessions take the first N (cycling; two tabs may share an account).
ROSTER = (
    ("volunteer", "wangayi"), ("expert", "zhanggong"), ("committee", "liuzhuren"),
    ("volunteer", "lishushu"), ("volunteer", "zhaoshifu"), ("expert", "chenlaoshi"),
    ("volunteer", "sunayi"), ("committee", "zhoujie"), ("volunteer", "xiaoming"), ("expert", "xuboshi"),
)
SPECIES = (("cfd", "菜粉蝶"), ("麻雀", "麻雀"), ("桂花", "桂花"), ("乌鸫", "乌鸫"), ("白头鹎", "白头鹎"))
SERVER_LOG_ERROR = re.compile(r"Traceback|Error|Exception")
ERROR_OUTCOMES = ("exception", "timeout", "app_error", "failed")

# Counts every change of the app's script state (the attribute Streamlit sets on stApp). React may
# render "running" and "notRunning" in one batch when a run is quick, so a count that did not move
# does not prove that nothing ran: the expected result on the page is the proof (see DONE_JS).
INIT_SCRIPT = """
window.__lt = {changes: 0};
new MutationObserver(records => { window.__lt.changes += records.length; })
  .observe(document, {attributes: true, subtree: true, attributeFilter: ['data-test-script-state']});
document.addEventListener('DOMContentLoaded', () => {
  const style = document.createElement('style');
  style.textContent = '*, *::before, *::after { transition: none !important; animation-duration: 0s !important; }';
  document.head.appendChild(style);
});
"""

# The error boxes on the page (exception boxes first), to tell new ones from those already shown.
ERRORS_JS = """
() => [...document.querySelectorAll('[data-testid="stException"], [data-testid="stAlertContentError"]')]
        .map(e => e.innerText.slice(0, 600))
"""

# Done when the app is idle and one of the expected results ("alts", each a set of checks that must
# all hold) is on the page. Every alt names something that only the action's run can put there (a
# new title, a message naming the saved record, a different record), so a page that has not run yet
# never passes. An exception box or an error message that was not there before the action also ends
# the wait.
DONE_JS = """
({before, alts}) => {
  const app = document.querySelector('[data-testid="stApp"]');
  if (!app || app.getAttribute('data-test-script-state') !== 'notRunning') return null;
  const fresh = el => !before.includes(el.innerText.slice(0, 600));
  const exc = [...document.querySelectorAll('[data-testid="stException"]')].find(fresh);
  if (exc) return {outcome: 'exception', text: exc.innerText.slice(0, 600)};
  const main = document.querySelector('[data-testid="stMain"]');
  const alerts = [...document.querySelectorAll('[data-testid="stAlert"]')].map(a => a.innerText.trim());
  const headings = main ? [...main.querySelectorAll('h1, h2, h3, h4, h5, h6')].map(h => h.textContent.trim()) : [];
  const record = headings.find(h => /^#\\d+/.test(h));
  for (const alt of alts) {
    let text = '';
    if (alt.alert) {
      const re = new RegExp(alt.alert);
      const hit = alerts.find(a => re.test(a));
      if (hit === undefined) continue;
      text = hit;
    }
    if (alt.title) {
      const h1 = main && main.querySelector('h1');
      if (!h1 || !new RegExp(alt.title).test(h1.textContent.trim())) continue;
    }
    if (alt.main && !(main && new RegExp(alt.main).test(main.innerText))) continue;
    if (alt.selectbox) {
      const boxes = main ? [...main.querySelectorAll('[data-testid="stSelectbox"]')] : [];
      const shows = b => b.innerText.includes(alt.selectbox)
        || [...b.querySelectorAll('input')].some(i => (i.value || '').includes(alt.selectbox));
      if (!boxes.some(shows)) continue;
    }
    if (alt.selector && !document.querySelector(alt.selector)) continue;
    if (alt.record === true && record === undefined) continue;
    if (typeof alt.record === 'string' && (record === undefined || record === alt.record)) continue;
    return {outcome: alt.name || 'ok', text: text || record || ''};
  }
  const err = [...document.querySelectorAll('[data-testid="stAlertContentError"]')].find(fresh);
  if (err) return {outcome: 'app_error', text: err.innerText.slice(0, 600)};
  return null;
}
"""
DIAG_JS = """
(c0) => {
  const app = document.querySelector('[data-testid="stApp"]');
  const main = document.querySelector('[data-testid="stMain"]');
  return {c0, changes: window.__lt ? window.__lt.changes : null,
          state: app && app.getAttribute('data-test-script-state'),
          connection: app && app.getAttribute('data-test-connection-state'),
          h1: main && main.querySelector('h1') ? main.querySelector('h1').textContent : null,
          main: main ? main.innerText.slice(0, 400) : null};
}
"""


# ------------------------------------------------------------------------------------- app texts


def _t(key: str, **params: object) -> str:
    return i18n.t(key, LANG, **params)


def _pattern(key: str, **groups: str) -> str:
    """A regex (valid in Python and JavaScript) for the catalog text of ``key``: each {name} becomes
    ``groups[name]`` or ``.+?``."""
    parts = re.split(r"\{(\w+)\}", _t(key))
    out = []
    for i, part in enumerate(parts):
        out.append(groups.get(part, ".+?") if i % 2 else re.escape(part).replace("\\ ", " "))
    return "".join(out)


def _exact(text: str) -> str:
    return "^" + re.escape(text).replace("\\ ", " ") + "$"


# ------------------------------------------------------------------------------------------ stats


def percentile(values: list[float], q: float) -> float | None:
    """Linear interpolation between closest ranks (as the main benchmark)."""
    if not values:
        return None
    ordered = sorted(values)
    pos = (len(ordered) - 1) * q
    lo = int(pos)
    hi = min(lo + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (pos - lo)


def _summary(values: list[float]) -> dict[str, Any]:
    def r(x):
        return None if x is None else round(x, 1)

    return {"n": len(values), "p50_ms": r(percentile(values, 0.5)), "p95_ms": r(percentile(values, 0.95)),
            "max_ms": r(max(values) if values else None)}


# ---------------------------------------------------------------------------------------- photos


def phone_jpeg(width: int, height: int, *, seed: int, gps: tuple[float, float] | None, taken: str) -> bytes:
    """A noisy phone-like JPEG (about 3.5 MB at 12 MP) with EXIF time, offset, orientation and GPS."""
    import numpy as np
    from PIL import Image

    rng = np.random.default_rng(seed)
    small = rng.integers(0, 256, (max(2, height // 20), max(2, width // 20), 3), dtype=np.uint8)
    arr = np.asarray(Image.fromarray(small).resize((width, height), Image.Resampling.BILINEAR)).astype(np.int16)
    arr += rng.integers(-10, 11, arr.shape, dtype=np.int16)  # sensor noise: defeats easy compression
    np.clip(arr, 0, 255, out=arr)
    img = Image.fromarray(arr.astype(np.uint8))
    exif = Image.Exif()
    exif[0x0112] = 6  # orientation: phone held upright
    exif[0x010F], exif[0x0110] = "Xiaomi", "Redmi Note 12"
    sub = exif.get_ifd(0x8769)
    sub[0x9003], sub[0x9011] = taken, "+08:00"  # DateTimeOriginal, OffsetTimeOriginal
    if gps is not None:
        lat, lon = gps
        g = exif.get_ifd(0x8825)
        g[1], g[2] = "N", _dms(lat)
        g[3], g[4] = "E", _dms(lon)
        g[31] = 5.0  # horizontal positioning error (m)
    out = io.BytesIO()
    img.save(out, "JPEG", quality=90, exif=exif)
    return out.getvalue()


def _dms(value: float) -> tuple[float, float, float]:
    degrees = int(value)
    minutes = int((value - degrees) * 60)
    seconds = round(((value - degrees) * 60 - minutes) * 60, 4)
    return (float(degrees), float(minutes), seconds)


def _zone_centre(slug: str) -> tuple[float, float] | None:
    """(lat, lon) of the middle of a demo garden's first zone: the photo's GPS selects that zone."""
    from habitat import geo
    from habitat.demo import GARDENS

    garden = next((g for g in GARDENS if g.slug == slug), None)
    if garden is None or not garden.zones:
        return None
    x0, y0, x1, y1 = garden.zones[0].rect
    lon, lat = geo.polygon_from_local_metres(garden.lat, garden.lon, [((x0 + x1) / 2, (y0 + y1) / 2)] * 3).exterior.coords[0]
    return lat, lon


class PhotoBox:
    """One base photo per home garden; every upload gets distinct bytes (a tag after the JPEG end)."""

    def __init__(self, homes: dict[str, str | None], log) -> None:
        shanghai = timezone(timedelta(hours=8))
        taken = (datetime.now(shanghai) - timedelta(minutes=10)).strftime("%Y:%m:%d %H:%M:%S")
        self._bases: dict[str | None, bytes] = {}
        for i, slug in enumerate(sorted({s for s in homes.values()}, key=str)):
            self._bases[slug] = phone_jpeg(*PHOTO_SIZE, seed=i + 1, gps=_zone_centre(slug) if slug else None, taken=taken)
        self._homes = homes
        self._n = 0
        self.given: dict[str, set[str]] = {}  # username -> every photo name handed to that person
        log(f"photos: {len(self._bases)} base JPEGs of {PHOTO_SIZE[0]}x{PHOTO_SIZE[1]}, "
            f"{max(len(b) for b in self._bases.values()) / 1e6:.1f} MB")

    def next(self, username: str) -> dict:
        self._n += 1
        data = self._bases[self._homes.get(username)] + b"\x00LOAD:" + str(self._n).encode()
        name = f"IMG_{self._n:05d}.jpg"
        self.given.setdefault(username, set()).add(name)
        return {"name": name, "mimeType": "image/jpeg", "buffer": data}


# ------------------------------------------------------------------------------ processes and CPU

CLK_TCK = os.sysconf("SC_CLK_TCK")


def _stat(pid: int) -> tuple[int, float] | None:
    """(parent pid, CPU seconds of the process and its reaped children) from /proc/<pid>/stat."""
    try:
        raw = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = raw[raw.rindex(")") + 2:].split()
    utime, stime, cutime, cstime = (int(x) for x in fields[11:15])
    return int(fields[1]), (utime + stime + cutime + cstime) / CLK_TCK


def _own_cpu(pid: int | None) -> float | None:
    info = _stat(pid) if pid else None
    return None if info is None else info[1]


def _process_table() -> dict[int, tuple[int, float]]:
    table = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            info = _stat(int(entry))
            if info is not None:
                table[int(entry)] = info
    return table


def _tree(table: dict[int, tuple[int, float]], root: int, exclude: set[int] = frozenset()) -> set[int]:
    children: dict[int, list[int]] = {}
    for pid, (ppid, _) in table.items():
        children.setdefault(ppid, []).append(pid)
    found, todo = set(), [root]
    while todo:
        pid = todo.pop()
        if pid in found or pid in exclude or pid not in table:
            continue
        found.add(pid)
        todo.extend(children.get(pid, []))
    return found


def cpu_seconds(server_pid: int) -> tuple[float, float]:
    """(server tree, client tree) CPU seconds; the client tree is this process and everything it
    started (Playwright driver, Chromium) except the server."""
    table = _process_table()
    server = _tree(table, server_pid)
    client = _tree(table, os.getpid(), exclude=server)
    return sum(table[p][1] for p in server), sum(table[p][1] for p in client)


def schedstat(pids: set[int]) -> dict[int, tuple[int, int]]:
    """Per thread (ns on a CPU, ns runnable but waiting for one) from /proc/<pid>/task/*/schedstat."""
    out = {}
    for pid in pids:
        try:
            tids = os.listdir(f"/proc/{pid}/task")
        except OSError:
            continue
        for tid in tids:
            try:
                run_ns, wait_ns, _ = Path(f"/proc/{pid}/task/{tid}/schedstat").read_text().split()
            except (OSError, ValueError):
                continue
            out[int(tid)] = (int(run_ns), int(wait_ns))
    return out


class WaitMeter:
    """Seconds a process tree ran and waited for a core (runnable, not running), summed over threads:
    much waiting means other work held the core. Threads that live less than a sample are missed."""

    def __init__(self) -> None:
        self.last: dict[int, tuple[int, int]] = {}
        self.run_s = self.wait_s = 0.0

    def update(self, now: dict[int, tuple[int, int]], first: bool = False) -> None:
        if not first:
            for tid, (run_ns, wait_ns) in now.items():
                run0, wait0 = self.last.get(tid, (0, 0))
                self.run_s += max(0, run_ns - run0) / 1e9
                self.wait_s += max(0, wait_ns - wait0) / 1e9
        self.last = now


def core_busy() -> dict[str, tuple[int, int]]:
    """Per core (busy, total) jiffies from /proc/stat, all processes on the machine."""
    out = {}
    for line in Path("/proc/stat").read_text().splitlines():
        parts = line.split()
        if parts and re.fullmatch(r"cpu\d+", parts[0]):
            values = [int(x) for x in parts[1:]]
            idle = values[3] + (values[4] if len(values) > 4 else 0)
            out[parts[0]] = (sum(values) - idle, sum(values))
    return out


def _allowed_cpus(pid: int) -> str | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("Cpus_allowed_list:"):
                return line.split(":", 1)[1].strip()
    except OSError:
        return None
    return None


def can_pin() -> bool:
    return (os.cpu_count() or 1) >= 2 and shutil.which("taskset") is not None and hasattr(os, "sched_setaffinity")


class CpuSampler:
    """Samples server and client CPU and the busy time of every core once a second."""

    def __init__(self, server_pid: int) -> None:
        self.server_pid = server_pid
        self.samples: list[tuple[float, float, float, dict]] = []
        self.server_wait, self.client_wait = WaitMeter(), WaitMeter()

    def sample(self) -> None:
        table = _process_table()
        server = _tree(table, self.server_pid)
        client = _tree(table, os.getpid(), exclude=server)
        first = not self.samples
        self.server_wait.update(schedstat(server), first)
        self.client_wait.update(schedstat(client), first)
        self.samples.append((time.monotonic(), sum(table[p][1] for p in server), sum(table[p][1] for p in client),
                             core_busy()))

    async def run(self, stop: asyncio.Event) -> None:
        self.sample()
        while not stop.is_set():
            try:
                await asyncio.wait_for(stop.wait(), timeout=1.0)
            except asyncio.TimeoutError:
                pass
            await asyncio.to_thread(self.sample)

    def report(self) -> dict[str, Any]:
        if len(self.samples) < 2:
            return {}
        (t0, s0, c0, k0), (t1, s1, c1, k1) = self.samples[0], self.samples[-1]
        wall = t1 - t0
        peak = 0.0
        for i, (ta, sa, _, _) in enumerate(self.samples):  # busiest 10 s of the server
            j = next((j for j in range(i, len(self.samples)) if self.samples[j][0] - ta >= 10), None)
            if j is None:
                break
            peak = max(peak, (self.samples[j][1] - sa) / (self.samples[j][0] - ta))
        cores = {name: round((k1[name][0] - k0[name][0]) / max(1, k1[name][1] - k0[name][1]), 3) for name in k1 if name in k0}
        return {
            "wall_s": round(wall, 1),
            "server_cpu_s": round(s1 - s0, 1),
            "server_cores": round((s1 - s0) / wall, 3),  # 1.0 = one core fully used
            "server_cores_peak_10s": round(peak, 3),
            "client_cpu_s": round(c1 - c0, 1),
            "client_cores": round((c1 - c0) / wall, 3),
            "core_busy_all_processes": cores,  # includes other people's processes on this machine
            # time the threads were runnable but waited for their core, per second they ran
            "server_wait_per_run_s": round(self.server_wait.wait_s / max(1e-9, self.server_wait.run_s), 2),
            "client_wait_per_run_s": round(self.client_wait.wait_s / max(1e-9, self.client_wait.run_s), 2),
        }


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


def start_server(template: Path, template_photos: Path | None, work: Path, *, pin: bool,
                 flags: tuple[str, ...] = ()) -> Server:
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
    env = dict(os.environ, GARDEN_DB=str(db), GARDEN_PHOTOS=str(photos), GARDEN_LANG=LANG,
               GARDEN_BASE_URL=url, PYTHONUNBUFFERED="1")
    cmd = [sys.executable, "-m", "streamlit", "run", "garden_server.py", "--server.headless", "true",
           "--server.address", "127.0.0.1", "--server.port", str(port), "--browser.gatherUsageStats", "false",
           "--server.fileWatcherType", "none", *flags]
    if pin:
        cmd = ["taskset", "-c", str(SERVER_CORE)] + cmd  # taskset execs: the PID is the server's
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
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
    return [line.strip() for line in path.read_text(errors="replace").splitlines() if SERVER_LOG_ERROR.search(line)]


# -------------------------------------------------------------------------------------- database


def _connect(db: Path):
    import duckdb

    return duckdb.connect(str(db), read_only=True, config={"autoinstall_known_extensions": False})


def db_marks(db: Path) -> dict[str, Any]:
    """The highest ids before the run (everything above them was written during it) and homes."""
    con = _connect(db)
    try:
        marks = {
            table: con.execute(f"SELECT coalesce(max(id), 0) FROM {table}").fetchone()[0]  # noqa: S608 (fixed names)
            for table in ("sightings", "task_logs", "verifications")
        }
        marks["homes"] = dict(con.execute(
            "SELECT p.username, g.slug FROM people p LEFT JOIN gardens g ON g.id = p.home_garden_id").fetchall())
    finally:
        con.close()
    return marks


def check_writes(db: Path, photos: Path, marks: dict[str, Any], sessions: list[Session],
                 given: dict[str, set[str]] | None = None) -> dict[str, Any]:
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
        task_logs = dict(con.execute(
            "SELECT p.username, count(*) FROM task_logs t JOIN people p ON p.id = t.done_by WHERE t.id > ? GROUP BY 1",
            [marks["task_logs"]]).fetchall())
        decisions = {(sid, user) for sid, user in con.execute(
            "SELECT v.sighting_id, p.username FROM verifications v JOIN people p ON p.id = v.decided_by "
            "WHERE v.id > ? AND NOT v.machine", [marks["verifications"]]).fetchall()}
    finally:
        con.close()
    # A saved sighting must carry the photos its session put in the form since its last save, and may
    # carry more only if the same person uploaded them (a draft keeps an unsaved form's photos; two tabs
    # of one person share that draft).
    given = given or {}
    claimed_sightings = [(sid, s.username, s.sighting_photos.get(sid)) for s in sessions for sid in s.saved_sightings]
    lost_sightings = []
    for sid, user, expected in claimed_sightings:
        row = sightings.get(sid)
        files = [tuple(f.values()) if isinstance(f, dict) else tuple(f) for f in ((row[1] or []) if row else [])]
        names = sorted(name for _, name in files)
        extra = set(names) - set(expected or [])
        if (row is None or row[0] != user or not files or not set(expected or []) <= set(names)
                or (expected is not None and not extra <= given.get(user, set()))
                or not all((photos / path).is_file() for path, _ in files)):
            lost_sightings.append({"id": sid, "user": user, "found": row is not None, "photos": names,
                                   "expected": expected})
    claimed_tasks: dict[str, int] = {}
    for s in sessions:
        claimed_tasks[s.username] = claimed_tasks.get(s.username, 0) + s.task_logs
    lost_tasks = {u: n - task_logs.get(u, 0) for u, n in claimed_tasks.items() if n > task_logs.get(u, 0)}
    claimed_decisions = [(sid, s.username) for s in sessions for sid in s.decisions]
    lost_decisions = [{"id": sid, "user": user} for sid, user in claimed_decisions if (sid, user) not in decisions]
    claimed = {"sightings": len(claimed_sightings), "task_logs": sum(claimed_tasks.values()),
               "decisions": len(claimed_decisions)}
    found = {"sightings": len(sightings), "task_logs": sum(task_logs.values()), "decisions": len(decisions)}
    lost = {"sightings": len(lost_sightings), "task_logs": sum(lost_tasks.values()), "decisions": len(lost_decisions)}
    return {
        "claimed": claimed,
        "in_database": found,
        "lost": lost,
        "lost_total": sum(lost.values()),
        # written but never confirmed on screen (e.g. a step that timed out): not lost, reported
        "unconfirmed": {k: max(0, found[k] - claimed[k] + lost[k]) for k in claimed},
        "lost_detail": {"sightings": lost_sightings[:20], "task_logs": lost_tasks, "decisions": lost_decisions[:20]},
    }


# --------------------------------------------------------------------------------------- sessions


class _Done(Exception):
    """The level's time is up: the session stops before its next action."""


@dataclass
class Step:
    session: int
    action: str
    at_s: float
    ms: float
    outcome: str
    text: str = ""
    server_cpu_ms: float | None = None  # the server's CPU during the step (alone only when N = 1)
    phase: str = "work"  # "ramp": opening the app and signing in, before the measured window


@dataclass
class Session:
    index: int
    role: str
    username: str
    steps: list[Step] = field(default_factory=list)
    saved_sightings: list[int] = field(default_factory=list)
    # photo file names each saved sighting should carry: every photo this person put in the form since
    # the last save (a photo left in an unsaved form is kept by the draft and saved with the next one)
    sighting_photos: dict[int, list[str]] = field(default_factory=dict)
    pending_photos: list[str] = field(default_factory=list)
    task_logs: int = 0
    decisions: list[int] = field(default_factory=list)
    skipped: dict[str, int] = field(default_factory=dict)
    js_errors: list[str] = field(default_factory=list)


class Driver:
    """Plays one session's script in one browser context."""

    def __init__(self, session: Session, page, *, url: str, t0: float, deadline: float | None,
                 pace: tuple[float, float], step_timeout_s: float, photos: PhotoBox, rng: random.Random,
                 server_pid: int | None = None) -> None:
        self.s, self.page, self.url, self.t0, self.deadline = session, page, url, t0, deadline
        self.server_pid = server_pid
        self.pace, self.timeout_ms, self.photos, self.rng = pace, step_timeout_s * 1000, photos, rng
        self.cycle = 0
        self.phase = "work"

    # ---- plumbing

    async def think(self) -> None:
        if self.pace[1] > 0:
            await asyncio.sleep(self.rng.uniform(*self.pace))
        if self.deadline is not None and time.monotonic() >= self.deadline:
            raise _Done

    def main(self):
        return self.page.get_by_test_id("stMain")

    async def step(self, action: str, do, alts: list[dict], *, fresh_page: bool = False) -> dict:
        """Time ``do()`` until the app has run, is idle and shows one of ``alts``; record it."""
        from playwright.async_api import Error as PlaywrightError

        before, c0 = [], -1
        if not fresh_page:
            try:
                before, c0 = await self.page.evaluate(ERRORS_JS), await self.page.evaluate(CHANGES_JS)
            except PlaywrightError:  # the page is navigating (a reload): nothing on it yet
                pass
        cpu0 = _own_cpu(self.server_pid)
        started = time.monotonic()
        try:
            await do()
            result, ended = await self._until_done({"before": before, "alts": alts}, started)
        except PlaywrightError as err:  # includes Playwright's TimeoutError
            kind = "timeout" if "Timeout" in type(err).__name__ or "Timeout" in str(err)[:200] else "failed"
            result, ended = {"outcome": kind, "text": str(err).splitlines()[0][:200]}, time.monotonic()
            try:  # what the page showed when the step gave up
                result["text"] += " | " + json.dumps(await self.page.evaluate(DIAG_JS, c0), ensure_ascii=False)
            except PlaywrightError:
                pass
        ms = (ended - started) * 1000
        cpu1 = _own_cpu(self.server_pid)
        cpu_ms = None if cpu0 is None or cpu1 is None else round((cpu1 - cpu0) * 1000, 1)
        self.s.steps.append(Step(self.s.index, action, round(started - self.t0, 2), round(ms, 1),
                                 result["outcome"], (result.get("text") or "")[:1200], cpu_ms, self.phase))
        return result

    async def _until_done(self, arg: dict, started: float) -> tuple[dict, float]:
        """Wait for DONE_JS, then check that the page is still done a moment later: a save or a
        sign-in runs the script twice (st.rerun). If it was not, wait again; that time counts."""
        for _ in range(SETTLE_ROUNDS):
            remaining = self.timeout_ms - (time.monotonic() - started) * 1000
            handle = await self.page.wait_for_function(DONE_JS, arg=arg, polling=POLL_MS, timeout=max(1.0, remaining))
            result, ended = await handle.json_value(), time.monotonic()
            seen = await self.page.evaluate(CHANGES_JS)
            await asyncio.sleep(SETTLE_S)
            if await self.page.evaluate(CHANGES_JS) == seen and await self.page.evaluate(DONE_JS, arg) is not None:
                return result, ended
        return result, ended

    def failed(self, result: dict) -> bool:
        return result["outcome"] in ERROR_OUTCOMES

    async def recover(self) -> None:
        """After an error: reload the app (the sign-in cookie brings the person back) or sign in."""
        await self.think()
        result = await self.step("reload", lambda: self.page.goto(self.url), self._landing(), fresh_page=True)
        if result["outcome"] == "form":
            await self.sign_in_form()

    def _landing(self) -> list[dict]:
        greeting = _pattern("home.greeting")
        return [{"name": "ok", "title": greeting, "selector": '[data-testid="stSidebarNavLink"]'},
                {"name": "form", "selector": '[data-testid="stForm"] input[type="password"]'}]

    async def nav(self, action: str, title_key: str, alts: list[dict]) -> dict:
        link = self.page.get_by_test_id("stSidebar").get_by_test_id("stSidebarNavLink").filter(
            has=self.page.get_by_text(_t(title_key), exact=True))
        return await self.step(action, lambda: link.first.click(), alts)

    # ---- the scripts

    async def run(self) -> None:
        """The role's script, over and over, until the deadline."""
        from playwright.async_api import Error as PlaywrightError

        script = {"volunteer": self.volunteer, "expert": self.expert, "committee": self.committee}[self.s.role]
        while True:
            self.cycle += 1
            try:
                await script()
            except _Done:
                return
            except PlaywrightError as err:  # outside a timed step (e.g. reading the page during a reload)
                self.s.steps.append(Step(self.s.index, "script", round(time.monotonic() - self.t0, 2), 0.0,
                                         "failed", str(err).splitlines()[0][:300], None, self.phase))
                try:
                    await self.recover()
                except _Done:
                    return
                except PlaywrightError:
                    pass

    async def sign_in(self) -> None:
        """Open the app and sign in through the form; errors are recorded, never raised."""
        from playwright.async_api import Error as PlaywrightError

        try:
            result = await self.step("page_load", lambda: self.page.goto(self.url), self._landing(), fresh_page=True)
            if result["outcome"] == "form":
                await self.think()
                await self.sign_in_form()
            elif self.failed(result):
                await self.recover()
        except PlaywrightError as err:
            self.s.steps.append(Step(self.s.index, "sign_in", round(time.monotonic() - self.t0, 2), 0.0,
                                     "failed", str(err).splitlines()[0][:300], None, self.phase))

    async def sign_in_form(self) -> None:
        form = self.page.get_by_test_id("stForm")
        await form.get_by_label(_t("login.username"), exact=True).fill(self.s.username)
        await form.get_by_label(_t("login.password"), exact=True).fill(DEMO_PASSWORD)
        button = form.get_by_role("button", name=_t("login.submit"))
        result = await self.step("sign_in", lambda: button.click(), self._landing()[:1])
        if self.failed(result):
            await self.recover()

    async def checked(self, action: str, coro) -> dict:
        result = await coro
        if self.failed(result):
            await self.recover()
        return result

    async def volunteer(self) -> None:
        page, main = self.page, self.main()
        await self.think()
        r = await self.checked("open_log_page", self.nav("open_log_page", "nav.log_sighting",
                                                         [{"title": _exact(_t("log.title"))}]))
        if self.failed(r):
            return
        await self.think()
        photo = self.photos.next(self.s.username)
        uploader = page.get_by_test_id("stFileUploaderDropzoneInput").first
        r = await self.checked("upload_photo", self.step(
            "upload_photo", lambda: uploader.set_input_files(photo),
            [{"main": _pattern("photos.hint_time")}]))
        if r["outcome"] == "ok":
            self.s.pending_photos.append(photo["name"])
        if self.failed(r):
            return
        await self.think()
        query, name = SPECIES[(self.s.index + self.cycle) % len(SPECIES)]
        box = main.get_by_label(_t("picker.search"), exact=True)
        await box.fill(query)
        r = await self.checked("search_species", self.step(
            "search_species", lambda: box.press("Enter"), [{"selectbox": name}]))
        if self.failed(r):
            return
        await self.think()
        save = main.get_by_role("button", name=_t("log.save"), exact=True)
        saved_re = _pattern("log.saved", id=r"(\d+)")
        r = await self.checked("save_sighting", self.step(
            "save_sighting", lambda: save.click(), [{"alert": saved_re}]))
        if r["outcome"] == "ok":
            sid = int(re.search(saved_re, r["text"]).group(1))
            self.s.saved_sightings.append(sid)
            self.s.sighting_photos[sid], self.s.pending_photos = sorted(self.s.pending_photos), []
        elif self.failed(r):
            return
        await self.think()
        r = await self.checked("open_upkeep_page", self.nav("open_upkeep_page", "nav.upkeep",
                                                            [{"title": _exact(_t("upkeep.title"))}]))
        if self.failed(r):
            return
        await self.think()
        done = main.get_by_role("button", name=_t("upkeep.done"), exact=True)
        details = main.get_by_role("button", name=_t("upkeep.save_details"), exact=True)
        if await done.count():
            action, button = "tick_upkeep", done.first
        elif await details.count():
            action, button = "log_upkeep_details", details.first
        else:
            self.s.skipped["upkeep_nothing_due"] = self.s.skipped.get("upkeep_nothing_due", 0) + 1
            return
        r = await self.checked(action, self.step(action, lambda: button.click(), [{"alert": _pattern("upkeep.logged")}]))
        if r["outcome"] == "ok":
            self.s.task_logs += 1

    async def expert(self) -> None:
        main = self.main()
        await self.think()
        review_title = _exact(_t("review.title"))
        empty = {"name": "queue_empty", "title": review_title, "alert": _pattern("review.queue_empty")}
        r = await self.checked("open_review_page", self.nav("open_review_page", "nav.review",
                                                            [{"title": review_title, "record": True}, empty]))
        if self.failed(r):
            return
        accept = main.get_by_role("button", name=_t("status.accepted_correct"), exact=True)
        for _ in range(3):
            if r["outcome"] == "queue_empty":
                self.s.skipped["review_queue_empty"] = self.s.skipped.get("review_queue_empty", 0) + 1
                break
            current = r["text"]  # the record heading "#123 ..."
            record_id = int(re.match(r"#(\d+)", current).group(1))
            await self.think()
            decided_re = _pattern("review.decided", id=str(record_id))
            r = await self.step("decide_record", lambda: accept.first.click(), [
                {"name": "ok", "alert": decided_re},
                # someone else decided it first: the page shows the next record, no decision was made
                {"name": "superseded", "record": current},
                empty,
            ])
            if r["outcome"] == "ok":
                self.s.decisions.append(record_id)
                r = {"outcome": "ok", "text": await self._record_heading()}
                if not r["text"]:
                    r["outcome"] = "queue_empty"
            elif r["outcome"] == "app_error" and re.search(_pattern("review.conflict"), r["text"]):
                self.s.steps[-1].outcome = "conflict"  # the app's own message: nothing was overwritten
                break
            elif self.failed(r):
                await self.recover()
                return
        await self.think()
        await self.checked("open_home_page", self.nav("open_home_page", "nav.home", self._landing()[:1]))

    async def _record_heading(self) -> str:
        headings = await self.main().locator("h1, h2, h3, h4, h5, h6").all_text_contents()
        return next((h.strip() for h in headings if re.match(r"#\d+", h.strip())), "")

    async def committee(self) -> None:
        await self.think()
        await self.checked("open_dashboard", self.nav("open_dashboard", "nav.dashboard", [
            {"title": _exact(_t("dash.title")), "selector": '[data-testid="stPlotlyChart"]'}]))
        await self.think()
        await self.checked("open_biodiversity", self.nav("open_biodiversity", "nav.biodiversity", [
            {"title": _exact(_t("bio.title")), "selector": '[data-testid="stPlotlyChart"]'}]))
        await self.think()
        await self.checked("open_home_page", self.nav("open_home_page", "nav.home", self._landing()[:1]))


async def _new_page(browser, timeout_ms: float):
    context = await browser.new_context(viewport=VIEWPORT, locale="zh-CN", timezone_id="Asia/Shanghai")
    context.set_default_timeout(timeout_ms)
    await context.add_init_script(INIT_SCRIPT)
    page = await context.new_page()
    return context, page


async def _warm_up(browser, url: str, photos: PhotoBox, step_timeout_s: float, log) -> dict[str, Any]:
    """Every page of the script once, without writing anything: the server imports its modules and
    fills its caches before the clock starts (a running server is warm)."""
    started = time.monotonic()
    outcomes = []
    for role, username in (("committee", "liuzhuren"), ("expert", "zhanggong"), ("volunteer", "wangayi")):
        context, page = await _new_page(browser, step_timeout_s * 1000)
        session = Session(-1, role, username)
        d = Driver(session, page, url=url, t0=started, deadline=None, pace=(0, 0), step_timeout_s=step_timeout_s,
                   photos=photos, rng=random.Random(0))
        await d.sign_in()
        if role == "committee":
            await d.nav("open_dashboard", "nav.dashboard", [{"title": _exact(_t("dash.title"))}])
            await d.nav("open_biodiversity", "nav.biodiversity", [{"title": _exact(_t("bio.title"))}])
        elif role == "expert":
            await d.nav("open_review_page", "nav.review", [{"title": _exact(_t("review.title"))}])
        else:
            await d.nav("open_upkeep_page", "nav.upkeep", [{"title": _exact(_t("upkeep.title"))}])
            await d.nav("open_log_page", "nav.log_sighting", [{"title": _exact(_t("log.title"))}])
            uploader = page.get_by_test_id("stFileUploaderDropzoneInput").first
            await d.step("upload_photo", lambda: uploader.set_input_files(photos.next(username)),
                         [{"main": _pattern("photos.hint_time")}])
        outcomes += [(s.action, s.outcome, round(s.ms)) for s in session.steps]
        await context.close()
    bad = [o for o in outcomes if o[1] in ERROR_OUTCOMES]
    log(f"  warm-up {time.monotonic() - started:.1f} s: {outcomes}")
    return {"seconds": round(time.monotonic() - started, 1), "steps": len(outcomes), "errors": bad}


async def drive_level(n: int, url: str, server_pid: int, *, seconds: float, pace: tuple[float, float],
                      step_timeout_s: float, photos: PhotoBox, seed: int, log) -> dict[str, Any]:
    from playwright.async_api import async_playwright

    rng = random.Random(seed * 1000 + n)
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            warm = await _warm_up(browser, url, photos, step_timeout_s, log)
            sessions, pages, contexts = [], [], []
            for i in range(n):
                role, username = ROSTER[i % len(ROSTER)]
                context, page = await _new_page(browser, step_timeout_s * 1000)
                session = Session(i, role, username)
                page.on("pageerror", lambda err, s=session: s.js_errors.append(str(err)[:300]))
                sessions.append(session)
                pages.append(page)
                contexts.append(context)
            drivers = [Driver(sessions[i], pages[i], url=url, t0=time.monotonic(), deadline=None, pace=pace,
                              step_timeout_s=step_timeout_s, photos=photos, rng=random.Random(rng.random()),
                              server_pid=server_pid) for i in range(n)]
            ramp_t0 = time.monotonic()

            async def arrive(i: int) -> None:  # people open the app one after another, then sign in
                drivers[i].phase, drivers[i].t0 = "ramp", ramp_t0
                await asyncio.sleep(i * RAMP_GAP_S)
                await drivers[i].sign_in()

            await asyncio.gather(*(arrive(i) for i in range(n)))
            ramp_s = time.monotonic() - ramp_t0
            log(f"  N={n}: {n} sessions opened and signed in in {ramp_s:.1f} s; measuring for {seconds:.0f} s")
            sampler = CpuSampler(server_pid)
            stop = asyncio.Event()
            sampling = asyncio.create_task(sampler.run(stop))
            t0 = time.monotonic()
            deadline = t0 + seconds

            async def one(i: int) -> None:
                d = drivers[i]
                d.phase, d.t0, d.deadline = "work", t0, deadline
                await d.run()

            await asyncio.gather(*(one(i) for i in range(n)))
            stop.set()
            await sampling
            wall = time.monotonic() - t0
            for context in contexts:
                await context.close()
        finally:
            await browser.close()
    return {"sessions": sessions, "cpu": sampler.report(), "wall_s": round(wall, 1), "warm_up": warm,
            "ramp_s": round(ramp_s, 1)}


# ------------------------------------------------------------------------------------------ levels


def summarize_level(n: int, driven: dict[str, Any], writes: dict[str, Any], log_errors: list[str],
                    pinning: dict[str, Any]) -> dict[str, Any]:
    sessions: list[Session] = driven["sessions"]
    steps = [s for session in sessions for s in session.steps]
    # the headline: every click of the measured window; a step that timed out counts with its time
    timed = [s for s in steps if s.phase == "work" and s.action not in HEADLINE_EXCLUDES and s.outcome != "failed"]
    ramp = [s for s in steps if s.phase == "ramp"]
    by_action: dict[str, dict[str, Any]] = {}
    for name in sorted({s.action for s in steps}):
        mine = [s for s in steps if s.action == name]
        by_action[name] = _summary([s.ms for s in mine if s.phase == "work" and s.outcome != "failed"])
        by_action[name]["outcomes"] = {o: sum(1 for s in mine if s.outcome == o) for o in sorted({s.outcome for s in mine})}
        cpu = [s.server_cpu_ms for s in mine if s.server_cpu_ms is not None and s.outcome == "ok"]
        if n == 1 and cpu:  # with one session the server's CPU during a step is that step's cost
            by_action[name]["server_cpu_ms_p50"] = round(percentile(cpu, 0.5), 1)
    step_errors = [s for s in steps if s.outcome in ERROR_OUTCOMES]
    errors = {kind: sum(1 for s in step_errors if s.outcome == kind) for kind in ERROR_OUTCOMES}
    errors["server_log"] = len(log_errors)
    total_errors = sum(errors.values())
    all_actions = _summary([s.ms for s in timed])
    out = {
        "n": n,
        "roles": {r: sum(1 for s in sessions if s.role == r) for r in ("volunteer", "expert", "committee")},
        "wall_s": driven["wall_s"],
        "actions": all_actions,
        "ramp": {"seconds": driven["ramp_s"], "gap_s": RAMP_GAP_S,
                 "page_load": _summary([s.ms for s in ramp if s.action == "page_load"]),
                 "sign_in": _summary([s.ms for s in ramp if s.action == "sign_in"]),
                 "errors": sum(1 for s in ramp if s.outcome in ERROR_OUTCOMES)},
        "by_action": by_action,
        "errors": errors,
        "errors_total": total_errors,
        "error_samples": [f"{s.action} (session {s.session}, {s.at_s} s): {s.outcome}: {s.text}" for s in step_errors][:10]
        + log_errors[:10],
        "superseded_decisions": sum(1 for s in steps if s.outcome == "superseded"),
        "conflicts_shown": sum(1 for s in steps if s.outcome == "conflict"),
        "skipped": {k: sum(s.skipped.get(k, 0) for s in sessions) for k in sorted({k for s in sessions for k in s.skipped})},
        "js_errors": sum(len(s.js_errors) for s in sessions),
        "writes": writes,
        "lost_writes": writes["lost_total"],
        "cpu": dict(driven["cpu"], server_cpu_ms_per_step=round(
            driven["cpu"].get("server_cpu_s", 0) * 1000 / max(1, len(steps)), 1)),
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


def run_level(n: int, template: Path, template_photos: Path | None, work: Path, *, seconds: float,
              pace: tuple[float, float], step_timeout_s: float, photos: PhotoBox, seed: int, pin: bool, log,
              flags: tuple[str, ...] = ()) -> dict:
    log(f"N={n}: fresh copy of the demo database, server{' on core ' + str(SERVER_CORE) if pin else ''}")
    level_dir = work / f"n{n}"
    marks = db_marks(template)
    server = start_server(template, template_photos, level_dir, pin=pin, flags=flags)
    log(f"N={n}: server PID {server.proc.pid} at {server.url}, log {server.log_path}")
    try:
        pinning = {"server_pid": server.proc.pid, "server_cpus": _allowed_cpus(server.proc.pid),
                   "client_cpus": _allowed_cpus(os.getpid())}
        driven = asyncio.run(drive_level(n, server.url, server.proc.pid, seconds=seconds, pace=pace,
                                         step_timeout_s=step_timeout_s, photos=photos, seed=seed, log=log))
    finally:
        stop_server(server)
    writes = check_writes(server.db, server.photos, marks, driven["sessions"], photos.given)
    result = summarize_level(n, driven, writes, server_log_errors(server.log_path), pinning)
    a = result["actions"]
    log(f"N={n}: {a['n']} actions, p50 {a['p50_ms']} ms, p95 {a['p95_ms']} ms, errors {result['errors_total']}, "
        f"lost writes {result['lost_writes']}, server {result['cpu'].get('server_cores')} cores")
    return result


def _machine() -> dict[str, Any]:
    import platform

    return {"cpus": os.cpu_count(), "python": platform.python_version(), "load_average": [round(x, 2) for x in os.getloadavg()]}


def _log(message: str) -> None:
    click.echo(f"[bench-load {time.strftime('%H:%M:%S')}] {message}", err=True)


def build_template(work: Path, log) -> tuple[Path, Path]:
    db, photos = work / "template" / "demo.duckdb", work / "template" / "photos"
    db.parent.mkdir(parents=True)
    log("building the demo database (python -m habitat init --demo)")
    subprocess.run([sys.executable, "-m", "habitat", "init", "--db", str(db), "--demo", "--photos", str(photos)],
                   cwd=ROOT, check=True, stdout=subprocess.DEVNULL, env=dict(os.environ, GARDEN_LANG=LANG))
    return db, photos


def run(levels: list[int], *, seconds: float, pace: tuple[float, float], step_timeout_s: float, seed: int,
        work: Path, template: Path | None, server_flags: tuple[str, ...] = (), log=_log) -> dict[str, Any]:
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
                results.append(run_level(n, template, template_photos, work, seconds=seconds, pace=pace,
                                         step_timeout_s=step_timeout_s, photos=photos, seed=seed, pin=pin, log=log,
                                         flags=server_flags))
            except Exception as err:  # noqa: BLE001 - one broken level must not lose the others
                log(f"N={n}: the level FAILED: {type(err).__name__}: {err}")
                failed.append({"n": n, "error": f"{type(err).__name__}: {str(err)[:500]}"})
    finally:
        if original_affinity is not None:
            os.sched_setaffinity(0, original_affinity)
    return {
        "benchmark": "load",
        "params": {"sessions": levels, "seconds": seconds, "pace_s": list(pace), "step_timeout_s": step_timeout_s,
                   "seed": seed, "photo": f"{PHOTO_SIZE[0]}x{PHOTO_SIZE[1]} JPEG q90", "viewport": VIEWPORT,
                   "pinned": pin, "server_core": SERVER_CORE if pin else None, "client_core": CLIENT_CORE if pin else None,
                   "poll_ms": POLL_MS, "server_flags": list(server_flags)},
        "machine": _machine(),
        "run": {"started_at": started.isoformat(timespec="seconds"), "wall_s": round(time.monotonic() - t0, 1)},
        "levels": results,
        "failed_levels": failed,
        "summary": [{"n": r["n"], "p50_ms": r["actions"]["p50_ms"], "p95_ms": r["actions"]["p95_ms"],
                     "actions": r["actions"]["n"], "errors": r["errors_total"], "lost_writes": r["lost_writes"],
                     "server_cores": r["cpu"].get("server_cores"), "target": r["target"],
                     "meets_target": r["meets_target"]} for r in results],
    }


def _levels(text: str) -> list[int]:
    try:
        levels = [int(x) for x in text.split(",") if x.strip()]
    except ValueError:
        raise click.BadParameter("a comma-separated list of session counts, e.g. 1,5,10,20") from None
    if not levels or min(levels) < 1:
        raise click.BadParameter("a comma-separated list of session counts, e.g. 1,5,10,20")
    return levels


def _pace(text: str) -> tuple[float, float]:
    try:
        lo, hi = (float(x) for x in text.split(","))
    except ValueError:
        raise click.BadParameter("two numbers of seconds, e.g. 3,8") from None
    if not 0 <= lo <= hi:
        raise click.BadParameter("two numbers of seconds, low first, e.g. 3,8")
    return lo, hi


@click.command("bench-load")
@click.option("--sessions", "sessions", default="1,5,10,20", show_default=True,
              help="Comma-separated numbers of browser sessions; one level per number.")
@click.option("--seconds", default=180.0, show_default=True, help="Duration of each level.")
@click.option("--pace", default="3,8", show_default=True, help="Pause before each action: a random number of seconds in LOW,HIGH.")
@click.option("--step-timeout", default=30.0, show_default=True, help="Seconds after which a step counts as an error.")
@click.option("--seed", default=1, show_default=True)
@click.option("--template", "template", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
              help="An existing demo database to copy (its photos in the 'photos' folder beside it) instead of building one.")
@click.option("--server-flag", "server_flags", multiple=True,
              help="Extra `streamlit run` option for an experiment, e.g. --server-flag=--runner.postScriptGC=false.")
@click.option("--out", "out_path", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Also write the JSON, with every step, to this file.")
@click.option("--keep", "keep_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Work in this (new or empty) directory and keep it: databases, photos, server logs.")
def bench_load_command(sessions: str, seconds: float, pace: str, step_timeout: float, seed: int,
                       template: Path | None, server_flags: tuple[str, ...], out_path: Path | None,
                       keep_dir: Path | None) -> None:
    """N real browser sessions against `streamlit run`: click-to-idle times, errors, lost writes, server CPU."""
    levels, pace_s = _levels(sessions), _pace(pace)
    if keep_dir is not None:
        keep_dir.mkdir(parents=True, exist_ok=True)
        if any(keep_dir.iterdir()):
            raise click.UsageError(f"--keep {keep_dir}: the directory is not empty")
        work = keep_dir
    else:
        work = Path(tempfile.mkdtemp(prefix="habitat-load-"))
    _log(f"levels {levels}, {seconds:.0f} s each, pace {pace_s[0]}-{pace_s[1]} s, working in {work}")
    try:
        result = run(levels, seconds=seconds, pace=pace_s, step_timeout_s=step_timeout, seed=seed, work=work,
                     template=template, server_flags=tuple(server_flags))
    finally:
        if keep_dir is None:
            shutil.rmtree(work, ignore_errors=True)
    if out_path is not None:
        out_path.parent.mkdir(parents=True, exist_ok=True)
        out_path.write_text(json.dumps(result, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    brief = dict(result, levels=[{k: v for k, v in r.items() if k != "steps"} for r in result["levels"]])
    sys.stdout.write(json.dumps(brief, ensure_ascii=False, indent=2) + "\n")
    sys.stdout.flush()
    lost = sum(r["lost_writes"] for r in result["levels"])
    _log(f"done in {result['run']['wall_s']} s" + (f"; {lost} LOST WRITES" if lost else "")
         + (f"; FAILED levels: {[f['n'] for f in result['failed_levels']]}" if result["failed_levels"] else ""))
    if lost or result["failed_levels"]:
        sys.exit(1)


COMMANDS = [bench_load_command]
