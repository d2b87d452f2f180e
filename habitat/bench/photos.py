"""Photo ingest (ours against a naive pipeline) and a photo batch on both cores."""

from __future__ import annotations

import io
import multiprocessing
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image

from habitat.bench.common import Log, Sizes, ms, stats, timed, timed_cpu
from habitat.photos import ingest_photo, naive_ingest


def make_jpeg(width: int, height: int, *, seed: int = 1, orientation: int = 6, quality: int = 90) -> bytes:
    """A noisy phone-like JPEG with EXIF: orientation, make/model, DateTimeOriginal + offset, GPS."""
    rng = np.random.default_rng(seed)
    small = rng.integers(0, 256, (max(2, height // 20), max(2, width // 20), 3), dtype=np.uint8)
    img = Image.fromarray(small).resize((width, height), Image.Resampling.BILINEAR)
    arr = np.asarray(img).astype(np.int16)
    arr += rng.integers(-10, 11, arr.shape, dtype=np.int16)  # sensor noise: defeats easy compression
    np.clip(arr, 0, 255, out=arr)
    img = Image.fromarray(arr.astype(np.uint8))
    exif = Image.Exif()
    exif[0x0112] = orientation
    exif[0x010F] = "Xiaomi"
    exif[0x0110] = "Redmi Note 12"
    exif[0x0132] = "2026:06:14 09:30:12"
    sub = exif.get_ifd(0x8769)
    sub[0x9003] = "2026:06:14 09:30:12"  # DateTimeOriginal
    sub[0x9011] = "+08:00"  # OffsetTimeOriginal
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2] = "N", (31.0, 12.0, 43.2)
    gps[3], gps[4] = "E", (121.0, 21.0, 54.0)
    gps[31] = 8.0  # horizontal positioning error (m)
    out = io.BytesIO()
    img.save(out, "JPEG", quality=quality, exif=exif)
    return out.getvalue()


def distinct(data: bytes, tag: str, i: int) -> bytes:
    """Same picture, different bytes: a few bytes after the JPEG end marker change the SHA-256."""
    return data + b"\x00BENCH:" + tag.encode() + b":" + str(i).encode()


def photo_ingest(sizes: Sizes, work: Path, log: Log) -> dict[str, dict]:
    log("photos: generating a 4000x3000 q90 JPEG with EXIF (GPS, DateTimeOriginal, orientation 6)")
    base = make_jpeg(4000, 3000, seed=1)
    root = work / "photo_ingest"
    # warm-up of both pipelines (imports, plugin registration)
    ingest_photo(distinct(base, "warm", 0), root / "warm")
    naive_ingest(distinct(base, "warm", 1), root / "warm_naive")
    ours, naive, ours_cpu, naive_cpu = [], [], [], []
    for i in range(max(sizes.ingest_runs, sizes.naive_runs)):  # interleaved: same load for both
        if i < sizes.ingest_runs:
            dt, cpu, stored = timed_cpu(lambda i=i: ingest_photo(base, root / f"ours_{i}"))
            assert len(stored.created) == 2 and stored.info.gps_lat is not None
            ours.append(ms(dt))
            ours_cpu.append(ms(cpu))
        if i < sizes.naive_runs:
            dt, cpu, _ = timed_cpu(lambda i=i: naive_ingest(base, root / f"naive_{i}"))
            naive.append(ms(dt))
            naive_cpu.append(ms(cpu))
    size = (
        f"one 4000x3000 JPEG q90, {len(base) / 1e6:.1f} MB, EXIF with GPS + DateTimeOriginal, orientation 6"
    )
    m_ours = {
        "unit": "ms",
        **stats(ours),
        "size": size,
        "params": {"display_px": 1600, "thumb_px": 320, "fresh_dir_each_run": True},
        "cpu_ms": stats(ours_cpu),
        "what": "ingest_photo: SHA-256, EXIF (date, GPS), JPEG draft decode, orientation, display + thumbnail, EXIF-free writes",
    }
    m_naive = {
        "unit": "ms",
        **stats(naive),
        "size": size,
        "what": "naive_ingest: full decode, exif_transpose, two LANCZOS resizes, writes",
        "cpu_ms": stats(naive_cpu),
    }
    speedup = {
        "unit": "x",
        "value": round(m_naive["median"] / m_ours["median"], 2),
        "size": size,
        "what": "photo_ingest_naive_ms.median / photo_ingest_ms.median (same run, interleaved)",
    }
    log(f"photos: ours median {m_ours['median']} ms, naive median {m_naive['median']} ms")
    return {"photo_ingest_ms": m_ours, "photo_ingest_naive_ms": m_naive, "photo_ingest_speedup": speedup}


_BATCH: dict[str, Any] = {}


def _batch_init(bases: list[bytes], out_root: str) -> None:
    _BATCH["bases"] = bases
    _BATCH["root"] = Path(out_root)


def _batch_task(i: int) -> tuple[str, int, float]:
    bases = _BATCH["bases"]
    c0 = time.process_time()
    stored = ingest_photo(distinct(bases[i % len(bases)], "batch", i), _BATCH["root"])
    return stored.info.sha256, len(stored.created), time.process_time() - c0


def photo_batch(sizes: Sizes, work: Path, log: Log) -> dict:
    bases = [make_jpeg(4000, 3000, seed=s, orientation=o) for s, o in ((1, 6), (2, 1), (3, 8))]
    out = work / "photo_batch"
    n = sizes.batch_photos
    workers = 2
    log(f"photos: batch of {n} on {workers} processes")
    ctx = multiprocessing.get_context("spawn")  # no fork of a process that holds threads
    t_start = time.perf_counter()
    with ProcessPoolExecutor(
        workers, mp_context=ctx, initializer=_batch_init, initargs=(bases, str(out))
    ) as pool:
        list(pool.map(_batch_task, range(-workers * 2, 0)))  # warm-up: start both workers
        startup = time.perf_counter() - t_start
        dt, results = timed(lambda: list(pool.map(_batch_task, range(n))))
    hashes = {sha for sha, _, _ in results}
    created = sum(c for _, c, _ in results)
    cpu = sum(c for _, _, c in results)
    rate = n / dt
    log(f"photos: batch {rate:.1f} photos/s")
    return {
        "unit": "photos/s",
        "value": round(rate, 1),
        "n": n,
        "seconds": round(dt, 2),
        "size": f"{n} distinct 12 MP JPEGs (3 base pictures, distinct trailing bytes), ingest_photo",
        "params": {
            "workers": workers,
            "executor": "ProcessPoolExecutor (spawn)",
            "pool_startup_s_excluded": round(startup, 2),
        },
        "distinct_hashes": len(hashes),
        "files_created": created,
        "worker_cpu_ms_per_photo": round(ms(cpu / n), 1),
        "effective_cores": round(cpu / dt, 2),
        "rate_if_two_free_cores": round(2 * n / cpu, 1),
    }
