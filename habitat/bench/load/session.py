"""What one load-test session did: its timed steps and the writes it saw confirmed (checked against
the database after the run, habitat/bench/load/server.py)."""

from __future__ import annotations

from dataclasses import dataclass, field


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
