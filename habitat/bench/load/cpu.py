"""Processes and CPU: the server's CPU time, run-queue waits, per-core busy time, core pinning."""

from __future__ import annotations

import asyncio
import os
import re
import shutil
import time
from pathlib import Path
from typing import Any

# ------------------------------------------------------------------------------ processes and CPU

CLK_TCK = os.sysconf("SC_CLK_TCK")


def _stat(pid: int) -> tuple[int, float] | None:
    """(parent pid, CPU seconds of the process and its reaped children) from /proc/<pid>/stat."""
    try:
        raw = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = raw[raw.rindex(")") + 2 :].split()
    utime, stime, cutime, cstime = (int(x) for x in fields[11:15])
    return int(fields[1]), (utime + stime + cutime + cstime) / CLK_TCK


def own_cpu(pid: int | None) -> float | None:
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


def allowed_cpus(pid: int) -> str | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("Cpus_allowed_list:"):
                return line.split(":", 1)[1].strip()
    except OSError:
        return None
    return None


def can_pin() -> bool:
    return (
        (os.cpu_count() or 1) >= 2
        and shutil.which("taskset") is not None
        and hasattr(os, "sched_setaffinity")
    )


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
        self.samples.append(
            (
                time.monotonic(),
                sum(table[p][1] for p in server),
                sum(table[p][1] for p in client),
                core_busy(),
            )
        )

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
        cores = {
            name: round((k1[name][0] - k0[name][0]) / max(1, k1[name][1] - k0[name][1]), 3)
            for name in k1
            if name in k0
        }
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
