"""Dashboard queries: the app's own query functions on the big synthetic database."""

from __future__ import annotations

import statistics
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

from habitat.bench.common import (
    YEARS,
    Log,
    Sizes,
    bench_config,
    first_person,
    middle_garden,
    ms,
    stats,
    timed,
    timed_cpu,
)
from habitat.db import dashboard as dash_db
from habitat.db import overview as overview_db
from habitat.services import dashboard as dash_svc
from habitat.services import overview as overview_svc
from habitat.services import upkeep
from habitat.services.context import Ctx


def dashboard(sizes: Sizes, con, work: Path, db: Path, n_rows: int, log: Log) -> dict:
    cur = con.cursor()  # as the app: one cursor per session
    cur.execute("SET TimeZone = 'Asia/Shanghai'")
    cfg = bench_config(work, db, work / "photos_dash")
    committee = first_person(cur, "role = 'committee'")
    expert = first_person(cur, "role = 'expert' AND expertise LIKE '%bird%'")
    g = middle_garden(cur)
    volunteer = first_person(cur, "role = 'volunteer' AND home_garden_id = ?", [g])
    ctx = Ctx(con=cur, user=committee, config=cfg)
    now = ctx.now()
    tz = cfg.timezone
    month_start, month_end = dash_svc.month_bounds(now.year, now.month, tz)
    py, pm = (now.year - 1, 12) if now.month == 1 else (now.year, now.month - 1)
    bio_month_start, bio_end = dash_svc.month_bounds(py, pm, tz)  # biodiversity opens on last month
    year_start = bio_month_start.replace(year=bio_month_start.year - 1)
    acc = True

    # (page, name, scope, call). Scope "garden" = one typical garden, "town" = every garden.
    calls: list[tuple[str, str, str, Callable[[], Any]]] = []

    def both(page: str, name: str, fn: Callable[[int | None], Any]) -> None:
        calls.append((page, name, "garden", lambda: fn(g)))
        calls.append((page, name, "town", lambda: fn(None)))

    calls.append(("dashboard", "gardens_db.list_gardens", "town", lambda: overview_svc.gardens(ctx)))
    both("dashboard", "upkeep.due_tasks [service]", lambda gid: upkeep.due_tasks(ctx, garden_id=gid))
    both(
        "dashboard",
        "on_time_by_month",
        lambda gid: dash_db.on_time_by_month(cur, gid, now - timedelta(days=365), now),
    )
    both("dashboard", "work_by_kind", lambda gid: dash_db.work_by_kind(cur, gid, month_start, month_end))
    both("dashboard", "open_problems_age", lambda gid: dash_db.open_problems_age(cur, gid))
    both("dashboard", "review_age", lambda gid: dash_db.review_age(cur, gid, now))
    both(
        "dashboard",
        "hours_by_person_month",
        lambda gid: dash_db.hours_by_person_month(cur, gid, month_start, month_end),
    )
    both(
        "dashboard",
        "regulars [service: hours 12 months + activity_weeks + streaks]",
        lambda gid: dash_svc.regulars(ctx, gid),
    )
    calls.append(
        ("dashboard", "town_overview", "town", lambda: dash_db.town_overview(cur, month_start, month_end))
    )
    calls.append(
        ("home", "garden_headlines [service headlines]", "town", lambda: overview_svc.headlines(ctx))
    )
    calls.append(
        (
            "home",
            "review_queue_counts (expert)",
            "town",
            lambda: overview_db.review_queue_counts(cur, list(expert.expertise)),
        )
    )
    calls.append(
        (
            "home",
            "recent_sightings (a volunteer's)",
            "town",
            lambda: overview_db.recent_sightings(
                cur, person_id=volunteer.id, limit=10, include_sensitive_points=True
            ),
        )
    )
    calls.append(
        (
            "garden",
            "zone_activity",
            "garden",
            lambda: overview_db.zone_activity(cur, g, now - timedelta(days=30)),
        )
    )
    calls.append(
        (
            "garden",
            "recent_sightings (garden)",
            "garden",
            lambda: overview_db.recent_sightings(cur, garden_id=g, limit=30),
        )
    )
    both(
        "biodiversity",
        "richness_by_month",
        lambda gid: dash_db.richness_by_month(cur, gid, year_start, bio_end, acc),
    )
    both(
        "biodiversity", "effort_by_month", lambda gid: dash_db.effort_by_month(cur, gid, year_start, bio_end)
    )
    both(
        "biodiversity",
        "species_counts",
        lambda gid: dash_db.species_counts(cur, gid, year_start, bio_end, acc),
    )
    both("biodiversity", "phenology", lambda gid: dash_db.phenology(cur, gid, year_start, bio_end, acc))
    both(
        "biodiversity",
        "reporting_rate",
        lambda gid: dash_db.reporting_rate(cur, gid, year_start, bio_end, acc),
    )
    calls.append(
        (
            "biodiversity",
            "abundance_by_garden",
            "town",
            lambda: dash_db.abundance_by_garden(cur, year_start, bio_end, acc),
        )
    )
    calls.append(
        (
            "biodiversity",
            "visit_species_sets",
            "garden",
            lambda: dash_db.visit_species_sets(cur, g, year_start, bio_end, acc),
        )
    )
    calls.append(
        (
            "biodiversity",
            "zone_upkeep_and_life",
            "garden",
            lambda: dash_db.zone_upkeep_and_life(cur, g, year_start, bio_end, acc),
        )
    )
    calls.append(
        ("biodiversity", "effort_hours", "garden", lambda: dash_db.effort_hours(cur, g, year_start, bio_end))
    )

    log(f"dashboard: {len(calls)} calls x (1 warm-up + {sizes.dash_reps}) at {n_rows:,} sightings")
    per_query = []
    all_ms: list[float] = []
    by_page: dict[str, list[float]] = {}
    wall_total = cpu_total = 0.0
    for page, name, scope, fn in calls:
        fn()  # warm-up
        times, cpus = [], []
        rows = None
        for _ in range(sizes.dash_reps):
            dt, cpu, out = timed_cpu(fn)
            times.append(ms(dt))
            cpus.append(ms(cpu))
            rows = len(out) if hasattr(out, "__len__") else 1
        wall_total += sum(times)
        cpu_total += sum(cpus)
        st = stats(times)
        per_query.append(
            {
                "page": page,
                "query": name,
                "scope": scope,
                "rows": rows,
                **st,
                "cpu_ms_median": round(statistics.median(cpus), 1),
            }
        )
        all_ms.extend(times)
        by_page.setdefault(page, []).extend(times)
    per_query.sort(key=lambda q: -q["median"])

    # Page-level service work that is not one query: reported beside, not in the p95 above.
    services = []

    def service(name: str, fn: Callable[[], Any], runs: int) -> None:
        times = [ms(timed(fn)[0]) for _ in range(runs)]
        services.append({"service": name, **stats(times)})

    n_gardens = cur.execute("SELECT count(*) FROM gardens WHERE active").fetchall()[0][0]
    log("dashboard: page-level services (diversity_by_garden, biodiversity, hours export)")
    service(
        f"dashboard.diversity_by_garden (town; 2 + {n_gardens} queries, biodiversity page)",
        lambda: dash_svc.diversity_by_garden(ctx, year_start, bio_end, acc),
        sizes.diversity_runs,
    )
    service(
        "dashboard.biodiversity (town, 12 months; 5 queries + pandas)",
        lambda: dash_svc.biodiversity(ctx, None, year_start, bio_end, acc),
        sizes.dash_reps,
    )
    service(
        "dashboard.biodiversity (garden, 12 months; 5 queries + pandas)",
        lambda: dash_svc.biodiversity(ctx, g, year_start, bio_end, acc),
        sizes.dash_reps,
    )
    hours = dash_svc.hours(ctx, None, month_start, month_end)
    service(
        f"dashboard.hours_export xlsx ({len(hours)} rows, town month; built on every dashboard render)",
        lambda: dash_svc.hours_export(hours, "xlsx"),
        sizes.dash_reps,
    )
    cur.close()

    over = [q for q in per_query if q["p95"] > 150]
    result = {
        "unit": "ms",
        **stats(all_ms),
        "size": f"{n_rows:,} sightings ({n_gardens} gardens x {YEARS} years, synthetic)",
        "params": {
            "garden_id": g,
            "garden_scope": "garden with the median sighting count",
            "dashboard_period": f"{month_start:%Y-%m} (current month, as the page opens)",
            "biodiversity_period": f"{year_start:%Y-%m} .. {bio_month_start:%Y-%m} (12 months to last month)",
            "reps_per_query": sizes.dash_reps,
            "warm_up_per_query": 1,
            "connection": "cursor of one connection, TimeZone Asia/Shanghai",
        },
        "what": "every db/dashboard.py + db/overview.py query the dashboard, biodiversity, home and garden pages run "
        "(services where they add computation), for one garden and for the town; median/p95 over all timings",
        "by_page": {page: stats(v) for page, v in by_page.items()},
        "effective_cores_during_queries": round(cpu_total / wall_total, 2) if wall_total else None,
        "per_query": per_query,
        "queries_over_150ms_p95": [f"{q['query']} [{q['scope']}] p95 {q['p95']} ms" for q in over],
        "page_level_services_not_in_p95": services,
    }
    log(f"dashboard: median {result['median']} ms, p95 {result['p95']} ms")
    return result
