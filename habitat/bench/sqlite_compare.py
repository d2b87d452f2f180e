"""DuckDB against SQLite: 7 representative dashboard queries in both dialects, on the same rows."""

from __future__ import annotations

import sqlite3
import time
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path

from habitat.bench.common import Log, Sizes, middle_garden, ms, stats, timed
from habitat.clock import SHANGHAI

ACCEPTED = ("Accepted – correct", "Accepted – considered correct")
NOT_REVIEWED = "Unconfirmed – not reviewed"
# Timestamps in SQLite: INTEGER microseconds since the epoch (UTC), exact copies of DuckDB's values.
# Local (Asia/Shanghai, UTC+8 all year, no DST) month = strftime over (us / 1e6 + 28800).
_SQ_MONTH = "strftime('%Y-%m', {c} / 1000000 + 28800, 'unixepoch')"

CMP_QUERIES: dict[str, dict[str, str]] = {
    "richness_by_month (garden, 12 months)": {
        "duckdb": """
            SELECT strftime(month::DATE, '%Y-%m') AS month, species, records, individuals FROM (
              SELECT date_trunc('month', s.event_date) AS month, count(DISTINCT s.species_id) AS species,
                     count(*) AS records, coalesce(sum(s.individual_count), 0) AS individuals
              FROM sightings s JOIN species sp ON sp.id = s.species_id
              WHERE NOT s.withdrawn AND s.garden_id = $g AND s.event_date >= $start AND s.event_date < $end
                AND sp.taxon_rank IN ('species', 'subspecies')
                AND s.identification_verification_status IN ($acc1, $acc2)
              GROUP BY 1) ORDER BY 1""",
        "sqlite": f"""
            SELECT {_SQ_MONTH.format(c="s.event_date")} AS month, count(DISTINCT s.species_id) AS species,
                   count(*) AS records, coalesce(sum(s.individual_count), 0) AS individuals
            FROM sightings s JOIN species sp ON sp.id = s.species_id
            WHERE s.withdrawn = 0 AND s.garden_id = :g AND s.event_date >= :start AND s.event_date < :end
              AND sp.taxon_rank IN ('species', 'subspecies')
              AND s.identification_verification_status IN (:acc1, :acc2)
            GROUP BY 1 ORDER BY 1""",
    },
    "species_counts with first-ever date (garden, 12 months)": {
        "duckdb": """
            WITH firsts AS (
              SELECT species_id, min(event_date) AS first_ever FROM sightings
              WHERE NOT withdrawn AND garden_id = $g AND identification_verification_status IN ($acc1, $acc2)
              GROUP BY species_id)
            SELECT sp.id, sp.chinese_name, sp.group_name, count(*) AS records,
                   coalesce(sum(s.individual_count), 0) AS individuals, epoch_us(f.first_ever) AS first_ever
            FROM sightings s JOIN species sp ON sp.id = s.species_id JOIN firsts f ON f.species_id = s.species_id
            WHERE NOT s.withdrawn AND s.garden_id = $g AND s.event_date >= $start AND s.event_date < $end
              AND sp.taxon_rank IN ('species', 'subspecies')
              AND s.identification_verification_status IN ($acc1, $acc2)
            GROUP BY sp.id, sp.chinese_name, sp.group_name, f.first_ever ORDER BY records DESC, sp.id""",
        "sqlite": """
            WITH firsts AS (
              SELECT species_id, min(event_date) AS first_ever FROM sightings
              WHERE withdrawn = 0 AND garden_id = :g AND identification_verification_status IN (:acc1, :acc2)
              GROUP BY species_id)
            SELECT sp.id, sp.chinese_name, sp.group_name, count(*) AS records,
                   coalesce(sum(s.individual_count), 0) AS individuals, f.first_ever
            FROM sightings s JOIN species sp ON sp.id = s.species_id JOIN firsts f ON f.species_id = s.species_id
            WHERE s.withdrawn = 0 AND s.garden_id = :g AND s.event_date >= :start AND s.event_date < :end
              AND sp.taxon_rank IN ('species', 'subspecies')
              AND s.identification_verification_status IN (:acc1, :acc2)
            GROUP BY sp.id, sp.chinese_name, sp.group_name, f.first_ever ORDER BY records DESC, sp.id""",
    },
    "town_overview per garden (town, 12 months)": {
        "duckdb": """
            WITH s AS (SELECT garden_id, count(*) AS records, count(DISTINCT species_id) AS species
                       FROM sightings WHERE NOT withdrawn AND event_date >= $start AND event_date < $end GROUP BY garden_id),
                 t AS (SELECT garden_id, count(*) AS task_logs, coalesce(sum(minutes), 0) / 60.0 AS task_hours
                       FROM task_logs WHERE NOT withdrawn AND done_at >= $start AND done_at < $end GROUP BY garden_id),
                 v AS (SELECT garden_id, count(*) AS patrols FROM visits
                       WHERE NOT withdrawn AND started_at >= $start AND started_at < $end GROUP BY garden_id),
                 p AS (SELECT garden_id, count(*) AS open_problems FROM problems WHERE status = 'open' GROUP BY garden_id)
            SELECT g.id, g.slug, coalesce(s.records, 0), coalesce(s.species, 0), coalesce(t.task_logs, 0),
                   coalesce(t.task_hours, 0), coalesce(v.patrols, 0), coalesce(p.open_problems, 0)
            FROM gardens g LEFT JOIN s ON s.garden_id = g.id LEFT JOIN t ON t.garden_id = g.id
            LEFT JOIN v ON v.garden_id = g.id LEFT JOIN p ON p.garden_id = g.id
            WHERE g.active ORDER BY g.id""",
        "sqlite": """
            WITH s AS (SELECT garden_id, count(*) AS records, count(DISTINCT species_id) AS species
                       FROM sightings WHERE withdrawn = 0 AND event_date >= :start AND event_date < :end GROUP BY garden_id),
                 t AS (SELECT garden_id, count(*) AS task_logs, coalesce(sum(minutes), 0) / 60.0 AS task_hours
                       FROM task_logs WHERE withdrawn = 0 AND done_at >= :start AND done_at < :end GROUP BY garden_id),
                 v AS (SELECT garden_id, count(*) AS patrols FROM visits
                       WHERE withdrawn = 0 AND started_at >= :start AND started_at < :end GROUP BY garden_id),
                 p AS (SELECT garden_id, count(*) AS open_problems FROM problems WHERE status = 'open' GROUP BY garden_id)
            SELECT g.id, g.slug, coalesce(s.records, 0), coalesce(s.species, 0), coalesce(t.task_logs, 0),
                   coalesce(t.task_hours, 0), coalesce(v.patrols, 0), coalesce(p.open_problems, 0)
            FROM gardens g LEFT JOIN s ON s.garden_id = g.id LEFT JOIN t ON t.garden_id = g.id
            LEFT JOIN v ON v.garden_id = g.id LEFT JOIN p ON p.garden_id = g.id
            WHERE g.active = 1 ORDER BY g.id""",
    },
    "volunteer hours per person-month (town, 12 months)": {
        "duckdb": """
            WITH work AS (
              SELECT recorded_by AS person_id, date_trunc('month', started_at) AS month,
                     date_diff('minute', started_at, ended_at) AS minutes, 'patrol' AS source
              FROM visits WHERE NOT withdrawn AND ended_at IS NOT NULL AND started_at >= $start AND started_at < $end
              UNION ALL
              SELECT done_by, date_trunc('month', done_at), coalesce(minutes, 0), 'task'
              FROM task_logs WHERE NOT withdrawn AND done_at >= $start AND done_at < $end)
            SELECT p.display_name, strftime(w.month::DATE, '%Y-%m') AS month,
                   sum(w.minutes) FILTER (WHERE source = 'patrol') / 60.0 AS patrol_hours,
                   sum(w.minutes) FILTER (WHERE source = 'task') / 60.0 AS task_hours,
                   sum(w.minutes) / 60.0 AS hours
            FROM work w JOIN people p ON p.id = w.person_id
            GROUP BY p.id, p.display_name, w.month ORDER BY month, hours DESC, p.display_name""",
        "sqlite": f"""
            WITH work AS (
              SELECT recorded_by AS person_id, {_SQ_MONTH.format(c="started_at")} AS month,
                     ended_at / 60000000 - started_at / 60000000 AS minutes, 'patrol' AS source
              FROM visits WHERE withdrawn = 0 AND ended_at IS NOT NULL AND started_at >= :start AND started_at < :end
              UNION ALL
              SELECT done_by, {_SQ_MONTH.format(c="done_at")}, coalesce(minutes, 0), 'task'
              FROM task_logs WHERE withdrawn = 0 AND done_at >= :start AND done_at < :end)
            SELECT p.display_name, w.month,
                   sum(w.minutes) FILTER (WHERE source = 'patrol') / 60.0 AS patrol_hours,
                   sum(w.minutes) FILTER (WHERE source = 'task') / 60.0 AS task_hours,
                   sum(w.minutes) / 60.0 AS hours
            FROM work w JOIN people p ON p.id = w.person_id
            GROUP BY p.id, p.display_name, w.month ORDER BY w.month, hours DESC, p.display_name""",
    },
    "unreviewed records per taxon group (town)": {
        "duckdb": """
            SELECT coalesce(sp.group_name, 'unknown') AS group_name, count(*) AS records,
                   epoch_us(min(s.created_at)) AS oldest
            FROM sightings s LEFT JOIN species sp ON sp.id = s.species_id
            WHERE NOT s.withdrawn AND s.identification_verification_status = $nr
            GROUP BY 1 ORDER BY records DESC, 1""",
        "sqlite": """
            SELECT coalesce(sp.group_name, 'unknown') AS group_name, count(*) AS records, min(s.created_at) AS oldest
            FROM sightings s LEFT JOIN species sp ON sp.id = s.species_id
            WHERE s.withdrawn = 0 AND s.identification_verification_status = :nr
            GROUP BY 1 ORDER BY records DESC, 1""",
    },
    "upkeep work by kind (town, 12 months)": {
        "duckdb": """
            SELECT kind, count(*) AS logs, coalesce(sum(minutes), 0) AS minutes FROM task_logs
            WHERE NOT withdrawn AND done_at >= $start AND done_at < $end GROUP BY kind ORDER BY logs DESC, kind""",
        "sqlite": """
            SELECT kind, count(*) AS logs, coalesce(sum(minutes), 0) AS minutes FROM task_logs
            WHERE withdrawn = 0 AND done_at >= :start AND done_at < :end GROUP BY kind ORDER BY logs DESC, kind""",
    },
    "phenology: top 25 species x month-of-year (garden, 12 months)": {
        "duckdb": """
            WITH base AS (
              SELECT s.species_id, month(s.event_date) AS month FROM sightings s JOIN species sp ON sp.id = s.species_id
              WHERE NOT s.withdrawn AND s.garden_id = $g AND s.event_date >= $start AND s.event_date < $end
                AND sp.taxon_rank IN ('species', 'subspecies')
                AND s.identification_verification_status IN ($acc1, $acc2)),
            top_species AS (SELECT species_id FROM base GROUP BY 1 ORDER BY count(*) DESC, species_id LIMIT 25)
            SELECT sp.chinese_name, sp.group_name, b.month, count(*) AS records
            FROM base b JOIN top_species t ON t.species_id = b.species_id JOIN species sp ON sp.id = b.species_id
            GROUP BY sp.id, sp.chinese_name, sp.group_name, b.month ORDER BY sp.group_name, sp.chinese_name, b.month""",
        "sqlite": """
            WITH base AS (
              SELECT s.species_id, CAST(strftime('%m', s.event_date / 1000000 + 28800, 'unixepoch') AS INTEGER) AS month
              FROM sightings s JOIN species sp ON sp.id = s.species_id
              WHERE s.withdrawn = 0 AND s.garden_id = :g AND s.event_date >= :start AND s.event_date < :end
                AND sp.taxon_rank IN ('species', 'subspecies')
                AND s.identification_verification_status IN (:acc1, :acc2)),
            top_species AS (SELECT species_id FROM base GROUP BY 1 ORDER BY count(*) DESC, species_id LIMIT 25)
            SELECT sp.chinese_name, sp.group_name, b.month, count(*) AS records
            FROM base b JOIN top_species t ON t.species_id = b.species_id JOIN species sp ON sp.id = b.species_id
            GROUP BY sp.id, sp.chinese_name, sp.group_name, b.month ORDER BY sp.group_name, sp.chinese_name, b.month""",
    },
}

# table -> (SQLite DDL, DuckDB SELECT producing the same columns: booleans as 0/1, times as epoch µs)
SQLITE_TABLES: dict[str, tuple[str, str]] = {
    "species": (
        "CREATE TABLE species (id INTEGER PRIMARY KEY, chinese_name TEXT, english_name TEXT, group_name TEXT, taxon_rank TEXT)",
        "SELECT id, chinese_name, english_name, group_name, taxon_rank FROM species",
    ),
    "gardens": (
        "CREATE TABLE gardens (id INTEGER PRIMARY KEY, slug TEXT, name TEXT, active INTEGER)",
        "SELECT id, slug, name, active::INTEGER FROM gardens",
    ),
    "people": (
        "CREATE TABLE people (id INTEGER PRIMARY KEY, username TEXT, display_name TEXT)",
        "SELECT id, username, display_name FROM people",
    ),
    "problems": (
        "CREATE TABLE problems (id INTEGER PRIMARY KEY, garden_id INTEGER, status TEXT)",
        "SELECT id, garden_id, status FROM problems",
    ),
    "visits": (
        (
            "CREATE TABLE visits (id INTEGER PRIMARY KEY, garden_id INTEGER, recorded_by INTEGER, started_at INTEGER,"
            " ended_at INTEGER, observer_count INTEGER, withdrawn INTEGER)"
        ),
        (
            "SELECT id, garden_id, recorded_by, epoch_us(started_at), epoch_us(ended_at), observer_count,"
            " withdrawn::INTEGER FROM visits"
        ),
    ),
    "task_logs": (
        (
            "CREATE TABLE task_logs (id INTEGER PRIMARY KEY, garden_id INTEGER, kind TEXT, done_at INTEGER,"
            " done_by INTEGER, minutes INTEGER, withdrawn INTEGER)"
        ),
        "SELECT id, garden_id, kind, epoch_us(done_at), done_by, minutes, withdrawn::INTEGER FROM task_logs",
    ),
    "sightings": (
        (
            "CREATE TABLE sightings (id INTEGER PRIMARY KEY, garden_id INTEGER, zone_id INTEGER, visit_id INTEGER,"
            " species_id INTEGER, event_date INTEGER, individual_count INTEGER,"
            " identification_verification_status TEXT, recorded_by INTEGER, created_at INTEGER, withdrawn INTEGER)"
        ),
        (
            "SELECT id, garden_id, zone_id, visit_id, species_id, epoch_us(event_date), individual_count,"
            " identification_verification_status, recorded_by, epoch_us(created_at), withdrawn::INTEGER FROM sightings"
        ),
    ),
}
SQLITE_INDEXES = (
    "CREATE INDEX sightings_garden_date ON sightings (garden_id, event_date)",
    "CREATE INDEX sightings_date ON sightings (event_date)",
    "CREATE INDEX sightings_status ON sightings (identification_verification_status)",
    "CREATE INDEX visits_garden_start ON visits (garden_id, started_at)",
    "CREATE INDEX visits_start ON visits (started_at)",
    "CREATE INDEX task_logs_garden_done ON task_logs (garden_id, done_at)",
    "CREATE INDEX task_logs_done ON task_logs (done_at)",
    "CREATE INDEX problems_status ON problems (status)",
)


def _canonical(rows) -> list[tuple]:
    """Rows made comparable across engines: floats rounded, decimals as floats, sorted."""
    out = []
    for row in rows:
        vals = []
        for v in row:
            if isinstance(v, Decimal):
                v = float(v)
            if isinstance(v, float):
                v = round(v, 4)
            vals.append(v)
        out.append(tuple(vals))
    return sorted(out, key=repr)


def _copy_to_sqlite(con, sq_path: Path, log: Log) -> dict:
    sq = sqlite3.connect(sq_path)
    sq.execute("PRAGMA journal_mode = OFF")
    sq.execute("PRAGMA synchronous = OFF")
    rows: dict[str, int] = {}
    t0 = time.perf_counter()
    sq.execute("BEGIN")
    for table, (ddl, select) in SQLITE_TABLES.items():
        sq.execute(ddl)
        ncols = ddl.count(",") + 1
        insert = f"INSERT INTO {table} VALUES ({', '.join('?' * ncols)})"
        cur = con.cursor()
        cur.execute(select)
        n = 0
        while batch := cur.fetchmany(100_000):
            sq.executemany(insert, batch)
            n += len(batch)
        cur.close()
        rows[table] = n
    sq.execute("COMMIT")
    t_copy = time.perf_counter() - t0
    log(f"sqlite: copied {sum(rows.values()):,} rows in {t_copy:.1f} s; indexing")
    t1 = time.perf_counter()
    for ddl in SQLITE_INDEXES:
        sq.execute(ddl)
    sq.execute("ANALYZE")
    sq.commit()
    t_index = time.perf_counter() - t1
    sq.close()
    return {
        "rows": rows,
        "copy_s": round(t_copy, 1),
        "index_and_analyze_s": round(t_index, 1),
        "file_mb": round(sq_path.stat().st_size / 1e6, 1),
    }


def compare_with_sqlite(sizes: Sizes, con, work: Path, n_rows: int, log: Log) -> tuple[dict, dict]:
    g = middle_garden(con)
    now = datetime.now(SHANGHAI)
    month_start = now.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    end = (month_start + timedelta(days=32)).replace(day=1)
    start = month_start.replace(year=month_start.year - 1)
    duck_params = {
        "g": g,
        "start": start,
        "end": end,
        "acc1": ACCEPTED[0],
        "acc2": ACCEPTED[1],
        "nr": NOT_REVIEWED,
    }

    def us(dt: datetime) -> int:
        return int(dt.timestamp()) * 1_000_000

    sq_params = {**duck_params, "start": us(start), "end": us(end)}

    sq_path = work / "compare.sqlite"
    log(f"sqlite: copying tables ({n_rows:,} sightings) with executemany in one transaction")
    copy_info = _copy_to_sqlite(con, sq_path, log)

    cur = con.cursor()
    cur.execute("SET TimeZone = 'Asia/Shanghai'")
    sq = sqlite3.connect(sq_path)
    sq.execute("PRAGMA cache_size = -1048576")  # 1 GiB page cache
    sq.execute("PRAGMA mmap_size = 4294967296")
    sq.execute("PRAGMA temp_store = MEMORY")

    def needed(sql: str, params: dict, marker: str) -> dict:
        return {k: v for k, v in params.items() if f"{marker}{k}" in sql}

    duck_rows: list[dict] = []
    sq_rows: list[dict] = []
    duck_all: list[float] = []
    sq_all: list[float] = []
    log(
        f"compare: {len(CMP_QUERIES)} queries, DuckDB 1+{sizes.cmp_reps_duckdb}, SQLite 1+{sizes.cmp_reps_sqlite}"
    )
    for name, sql in CMP_QUERIES.items():
        dp = needed(sql["duckdb"], duck_params, "$")
        sp = needed(sql["sqlite"], sq_params, ":")
        d_out = cur.execute(sql["duckdb"], dp).fetchall()  # warm-up, and the result to compare
        s_out = sq.execute(sql["sqlite"], sp).fetchall()
        same = _canonical(d_out) == _canonical(s_out)
        d_times = [
            ms(timed(lambda q=sql["duckdb"], p=dp: cur.execute(q, p).fetchall())[0])
            for _ in range(sizes.cmp_reps_duckdb)
        ]
        s_times = [
            ms(timed(lambda q=sql["sqlite"], p=sp: sq.execute(q, p).fetchall())[0])
            for _ in range(sizes.cmp_reps_sqlite)
        ]
        ds, ss = stats(d_times, 2), stats(s_times, 2)
        duck_rows.append({"query": name, "rows": len(d_out), **ds})
        sq_rows.append(
            {
                "query": name,
                "rows": len(s_out),
                "same_result_as_duckdb": same,
                **ss,
                "speedup": round(ss["median"] / ds["median"], 1) if ds["median"] else None,
            }
        )
        duck_all += d_times
        sq_all += s_times
        log(f"  {name}: duckdb {ds['median']} ms, sqlite {ss['median']} ms, same={same}")
    cur.close()
    sq.close()

    duck_sum = sum(q["median"] for q in duck_rows)
    sq_sum = sum(q["median"] for q in sq_rows)
    ratios = [q["speedup"] for q in sq_rows if q["speedup"]]
    geo = 1.0
    for r in ratios:
        geo *= r
    geo = geo ** (1 / len(ratios)) if ratios else None
    size = f"{n_rows:,} sightings (same rows in DuckDB and SQLite)"
    sqlite_metric = {
        "unit": "ms",
        **stats(sq_all),
        "size": size,
        "params": {
            "sqlite": sqlite3.sqlite_version,
            "timestamps": "INTEGER epoch microseconds (UTC), exact copies; local month via +28800 s (Shanghai has no DST)",
            "booleans": "INTEGER 0/1",
            "indexes": list(SQLITE_INDEXES) + ["INTEGER PRIMARY KEY on every id", "ANALYZE"],
            "pragmas": "cache_size 1 GiB, mmap 4 GiB, temp_store MEMORY (load: journal off, synchronous off)",
            "garden_id": g,
            "period": f"{start:%Y-%m-%d} .. {end:%Y-%m-%d} (12 months + current)",
            "reps": sizes.cmp_reps_sqlite,
        },
        "copy": {**copy_info, "method": "DuckDB fetchmany(100k) -> sqlite3 executemany, one transaction"},
        "all_results_identical": all(q["same_result_as_duckdb"] for q in sq_rows),
        "per_query": sq_rows,
        "duckdb_same_queries": {
            "unit": "ms",
            **stats(duck_all, 2),
            "reps": sizes.cmp_reps_duckdb,
            "per_query": duck_rows,
        },
    }
    speedup = {
        "unit": "x",
        "value": round(sq_sum / duck_sum, 1),
        "size": size,
        "what": "sum of the 7 SQLite per-query medians / sum of the 7 DuckDB medians (time for the whole set)",
        "sqlite_set_ms": round(sq_sum, 1),
        "duckdb_set_ms": round(duck_sum, 1),
        "geometric_mean_per_query": round(geo, 1) if geo else None,
        "per_query": {q["query"]: q["speedup"] for q in sq_rows},
    }
    log(f"compare: set {sq_sum:.0f} ms (SQLite) vs {duck_sum:.0f} ms (DuckDB) -> {speedup['value']}x")
    return sqlite_metric, speedup
