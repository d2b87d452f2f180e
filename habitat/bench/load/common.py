"""What the load benchmark's modules share: settings of a run, the app's texts, percentiles."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from habitat import i18n

ROOT = Path(__file__).resolve().parents[3]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [  # as tests/browser/conftest.py
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
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
    ("volunteer", "wangayi"),
    ("expert", "zhanggong"),
    ("committee", "liuzhuren"),
    ("volunteer", "lishushu"),
    ("volunteer", "zhaoshifu"),
    ("expert", "chenlaoshi"),
    ("volunteer", "sunayi"),
    ("committee", "zhoujie"),
    ("volunteer", "xiaoming"),
    ("expert", "xuboshi"),
)
SPECIES = (("cfd", "菜粉蝶"), ("麻雀", "麻雀"), ("桂花", "桂花"), ("乌鸫", "乌鸫"), ("白头鹎", "白头鹎"))
SERVER_LOG_ERROR = re.compile(r"Traceback|Error|Exception")
ERROR_OUTCOMES = ("exception", "timeout", "app_error", "failed")

# Counts every change of the app's script state (the attribute Streamlit sets on stApp). React may
# render "running" and "notRunning" in one batch when a run is quick, so a count that did not move
# does not prove that nothing ran: the expected result on the page is the proof (see DONE_JS).

# ------------------------------------------------------------------------------------- app texts


def tr(key: str, **params: object) -> str:
    return i18n.t(key, LANG, **params)


def pattern(key: str, **groups: str) -> str:
    """A regex (valid in Python and JavaScript) for the catalog text of ``key``: each {name} becomes
    ``groups[name]`` or ``.+?``."""
    parts = re.split(r"\{(\w+)\}", tr(key))
    out = []
    for i, part in enumerate(parts):
        out.append(groups.get(part, ".+?") if i % 2 else re.escape(part).replace("\\ ", " "))
    return "".join(out)


def exact(text: str) -> str:
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


def summary(values: list[float]) -> dict[str, Any]:
    def r(x):
        return None if x is None else round(x, 1)

    return {
        "n": len(values),
        "p50_ms": r(percentile(values, 0.5)),
        "p95_ms": r(percentile(values, 0.95)),
        "max_ms": r(max(values) if values else None),
    }
