"""Benchmarks: python -m habitat bench / bench-load (code in habitat/bench/, docs/benchmarks.md)."""

from __future__ import annotations

import json
import shutil
import sys
import tempfile
from pathlib import Path

import click


@click.command("bench")
@click.option("--quick", is_flag=True, help="Small sizes (each metric says which); under a minute.")
@click.option(
    "--out",
    "out_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Also write the JSON to this file.",
)
@click.option(
    "--keep",
    "keep_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Work in this directory and keep it (databases, photos) instead of a deleted temporary one.",
)
def bench_command(quick: bool, out_path: Path | None, keep_dir: Path | None) -> None:
    """Measure photo ingest, dashboard queries, saves, page renders, export and seeding; print JSON."""
    # start-up time: the benchmark loads numpy, duckdb, Pillow, pandas and (for page renders) Streamlit
    from habitat.bench.common import FULL, METRIC_KEYS, QUICK, Log, stdout_to_stderr
    from habitat.bench.run import run

    sizes = QUICK if quick else FULL
    log = Log()
    if keep_dir is not None:
        keep_dir.mkdir(parents=True, exist_ok=True)
        if any(keep_dir.iterdir()):
            raise click.UsageError(f"--keep {keep_dir}: the directory is not empty")
        work = keep_dir
    else:
        work = Path(tempfile.mkdtemp(prefix="habitat-bench-"))
    log(f"mode {sizes.mode}, working in {work}")
    try:
        with stdout_to_stderr():
            result = run(sizes, work, log)
    finally:
        if keep_dir is None:
            shutil.rmtree(work, ignore_errors=True)
    text = json.dumps(result, ensure_ascii=False, indent=2)
    if out_path is not None:
        out_path.parent.mkdir(parents=True, exist_ok=True)
        out_path.write_text(text + "\n", encoding="utf-8")
    sys.stdout.write(text + "\n")
    sys.stdout.flush()
    failed = [k for k in METRIC_KEYS if "error" in result[k]]
    log(f"done in {result['run']['wall_s']} s" + (f"; FAILED: {', '.join(failed)}" if failed else ""))
    if failed:
        sys.exit(1)


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
@click.option(
    "--sessions",
    "sessions",
    default="1,5,10,20",
    show_default=True,
    help="Comma-separated numbers of browser sessions; one level per number.",
)
@click.option("--seconds", default=180.0, show_default=True, help="Duration of each level.")
@click.option(
    "--pace",
    default="3,8",
    show_default=True,
    help="Pause before each action: a random number of seconds in LOW,HIGH.",
)
@click.option(
    "--step-timeout", default=30.0, show_default=True, help="Seconds after which a step counts as an error."
)
@click.option("--seed", default=1, show_default=True)
@click.option(
    "--template",
    "template",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="An existing demo database to copy (its photos in the 'photos' folder beside it) instead of building one.",
)
@click.option(
    "--server-flag",
    "server_flags",
    multiple=True,
    help="Extra `streamlit run` option for an experiment, e.g. --server-flag=--runner.postScriptGC=false.",
)
@click.option(
    "--out",
    "out_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Also write the JSON, with every step, to this file.",
)
@click.option(
    "--keep",
    "keep_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Work in this (new or empty) directory and keep it: databases, photos, server logs.",
)
def bench_load_command(
    sessions: str,
    seconds: float,
    pace: str,
    step_timeout: float,
    seed: int,
    template: Path | None,
    server_flags: tuple[str, ...],
    out_path: Path | None,
    keep_dir: Path | None,
) -> None:
    """N real browser sessions against `streamlit run`: click-to-idle times, errors, lost writes, server CPU."""
    # start-up time: the load benchmark loads Playwright, numpy, Pillow and duckdb
    from habitat.bench.load.run import log_line, run

    levels, pace_s = _levels(sessions), _pace(pace)
    if keep_dir is not None:
        keep_dir.mkdir(parents=True, exist_ok=True)
        if any(keep_dir.iterdir()):
            raise click.UsageError(f"--keep {keep_dir}: the directory is not empty")
        work = keep_dir
    else:
        work = Path(tempfile.mkdtemp(prefix="habitat-load-"))
    log_line(f"levels {levels}, {seconds:.0f} s each, pace {pace_s[0]}-{pace_s[1]} s, working in {work}")
    try:
        result = run(
            levels,
            seconds=seconds,
            pace=pace_s,
            step_timeout_s=step_timeout,
            seed=seed,
            work=work,
            template=template,
            server_flags=tuple(server_flags),
        )
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
    log_line(
        f"done in {result['run']['wall_s']} s"
        + (f"; {lost} LOST WRITES" if lost else "")
        + (f"; FAILED levels: {[f['n'] for f in result['failed_levels']]}" if result["failed_levels"] else "")
    )
    if lost or result["failed_levels"]:
        sys.exit(1)
