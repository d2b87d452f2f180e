"""Saving sightings: one at a time through the service, and from 20 threads at once."""

from __future__ import annotations

import os
import random
import threading
import time
from datetime import datetime, timedelta
from pathlib import Path

from habitat.bench.common import Log, Sizes, bench_config, first_person, middle_garden, ms, stats, timed_cpu
from habitat.bench.photos import distinct, make_jpeg
from habitat.clock import SHANGHAI
from habitat.db import people as people_db
from habitat.errors import ConflictError
from habitat.services.context import Ctx
from habitat.services.photo_store import Upload
from habitat.services.sightings import SightingDraft, save_sighting


def _save_setup(con, work: Path, db: Path, photos: Path):
    """A species to record (common, not invasive) and, per garden, one zone."""
    sp = con.execute(
        "SELECT id FROM species WHERE taxon_rank = 'species' AND NOT invasive AND invasive_action IS NULL"
        " AND group_name = 'bird' ORDER BY id LIMIT 1"
    ).fetchall()[0][0]
    zones = dict(
        con.execute("SELECT garden_id, min(id) FROM zones WHERE active GROUP BY garden_id").fetchall()
    )
    return int(sp), zones, bench_config(work, db, photos)


def _save_one(ctx, garden_id: int, zone_id: int, species_id: int, photo: bytes, note: str):
    draft = SightingDraft(
        garden_id=garden_id,
        event_date=datetime.now(SHANGHAI) - timedelta(minutes=30),
        species_id=species_id,
        zone_id=zone_id,
        individual_count=2,
        behavior="feeding",
        note=note,
    )
    return save_sighting(ctx, draft, [Upload("IMG_20260614_093012.jpg", photo)])


def save_sighting_metric(sizes: Sizes, con, work: Path, db: Path, n_rows: int, log: Log) -> dict:
    photos = work / "photos_saves"
    species_id, zones, cfg = _save_setup(con, work, db, photos)
    cur = con.cursor()
    g = middle_garden(cur)
    user = first_person(cur, "role = 'volunteer' AND home_garden_id = ?", [g])
    ctx = Ctx(con=cur, user=user, config=cfg)
    base = make_jpeg(4000, 3000, seed=11)
    log(f"save_sighting: 1 warm-up + {sizes.save_runs} saves with a 12 MP photo each")
    _save_one(ctx, g, zones[g], species_id, distinct(base, "save-warm", 0), "bench-save warm")
    times, cpus = [], []
    for i in range(sizes.save_runs):
        dt, cpu, saved = timed_cpu(
            lambda i=i: _save_one(ctx, g, zones[g], species_id, distinct(base, "save", i), f"bench-save {i}")
        )
        assert len(saved.photo_ids) == 1
        times.append(ms(dt))
        cpus.append(ms(cpu))
    cur.close()
    result = {
        "unit": "ms",
        **stats(times),
        "size": f"{n_rows:,} sightings in the database; photo 4000x3000 q90 {len(base) / 1e6:.1f} MB, distinct bytes each",
        "what": "services.sightings.save_sighting: validate, locate, inspect + ingest photo (files), "
        "sighting + identification + photo + audit rows in one transaction",
        "params": {"garden_id": g, "user": user.username, "warm_up": 1},
        "cpu_ms": stats(cpus),
    }
    log(f"save_sighting: median {result['median']} ms, p95 {result['p95']} ms")
    return result


def concurrent_saves(sizes: Sizes, con, work: Path, db: Path, n_rows: int, log: Log) -> dict:
    photos = work / "photos_concurrent"
    species_id, zones, cfg = _save_setup(con, work, db, photos)
    volunteers = con.execute(
        "SELECT id FROM people WHERE role = 'volunteer' AND home_garden_id IS NOT NULL ORDER BY id"
    ).fetchall()
    n_threads, per = sizes.conc_threads, sizes.conc_per_thread
    users = [people_db.by_id(con, volunteers[i % len(volunteers)][0]) for i in range(n_threads)]
    small = make_jpeg(640, 480, seed=21)
    run_id = f"bench-conc-{os.getpid()}-{int(time.time())}"
    barrier = threading.Barrier(n_threads + 1)
    conflicts = [0] * n_threads
    errors: list[str] = []
    done = [0] * n_threads

    def worker(t: int) -> None:
        cur = con.cursor()  # own cursor from the one connection
        ctx = Ctx(con=cur, user=users[t], config=cfg)
        g = users[t].home_garden_id
        rnd = random.Random(t)
        barrier.wait()
        try:
            for i in range(per):
                for attempt in range(30):
                    try:
                        _save_one(
                            ctx, g, zones[g], species_id, distinct(small, f"c{t}", i), f"{run_id} t{t} i{i}"
                        )
                        done[t] += 1
                        break
                    except ConflictError:  # a user would press "save" again
                        conflicts[t] += 1
                        time.sleep(rnd.uniform(0.005, 0.05))
                else:
                    errors.append(f"thread {t} save {i}: gave up after 30 conflicts")
        except Exception as exc:  # noqa: BLE001 - reported in the JSON
            errors.append(f"thread {t}: {type(exc).__name__}: {exc}")
        finally:
            cur.close()

    log(
        f"concurrent saves: {n_threads} threads x {per} saves (small photos), one connection, cursor per thread"
    )
    threads = [threading.Thread(target=worker, args=(t,)) for t in range(n_threads)]
    for th in threads:
        th.start()
    barrier.wait()
    t0, c0 = time.perf_counter(), time.process_time()
    for th in threads:
        th.join()
    dt, cpu = time.perf_counter() - t0, time.process_time() - c0

    expected = n_threads * per
    rows = con.execute("SELECT count(*) FROM sightings WHERE note LIKE ?", [run_id + " %"]).fetchall()[0][0]
    idents = con.execute(
        "SELECT count(*) FROM identifications i JOIN sightings s ON s.id = i.sighting_id WHERE s.note LIKE ?",
        [run_id + " %"],
    ).fetchall()[0][0]
    photo_rows = con.execute(
        "SELECT p.display_path, p.thumb_path FROM photos p JOIN sightings s ON s.id = p.sighting_id WHERE s.note LIKE ?",
        [run_id + " %"],
    ).fetchall()
    files_ok = sum((photos / d).is_file() + (photos / t).is_file() for d, t in photo_rows)
    files_on_disk = sum(1 for p in photos.rglob("*.jpg"))
    result = {
        "unit": "saves/s",
        "value": round(rows / dt, 1),
        "n": expected,
        "seconds": round(dt, 2),
        "lost_rows": expected - rows,
        "lost_identifications": expected - idents,
        "lost_photo_rows": expected - len(photo_rows),
        "lost_files": 2 * expected - files_ok,
        "orphan_files": files_on_disk - files_ok,
        "conflicts_retried": sum(conflicts),
        "cpu_ms_per_save": round(ms(cpu / max(rows, 1)), 1),
        "effective_cores": round(cpu / dt, 2),
        "rate_if_two_free_cores": round(2 * rows / cpu, 1) if cpu else None,
        "errors": errors[:10],
        "size": f"{n_threads} threads x {per} saves, 640x480 JPEGs with EXIF ({len(small) / 1e3:.0f} kB, distinct bytes); {n_rows:,} sightings in the database",
        "params": {
            "threads": n_threads,
            "per_thread": per,
            "retry": "ConflictError -> wait 5-50 ms, save again (max 30)",
        },
    }
    if result["lost_rows"] or result["lost_files"] or errors:
        result["meets_target"] = False
    log(
        f"concurrent saves: {result['value']} saves/s, lost rows {result['lost_rows']}, "
        f"lost files {result['lost_files']}, conflicts {result['conflicts_retried']}, errors {len(errors)}"
    )
    return result
