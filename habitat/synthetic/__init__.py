"""Synthetic data at scale: hundreds of gardens over Shanghai and years of patrols.

``python -m habitat seed-synthetic --db PATH --gardens 300 --years 5`` builds about ten million
sightings for load tests and benchmarks. Everything is generated with vectorised numpy into Arrow
tables and inserted with ``INSERT ... SELECT`` in large chunks; identifications and verifications
are derived from the sightings in SQL. Rows are written physically sorted by
(garden_id, event_date), which keeps per-garden dashboard queries fast.

Rules kept so the app works on the result:
- every sighting carries garden_id and zone_id, and its point lies inside its zone's rectangle
  (no spatial join is ever needed);
- bulk rows get explicit ids reserved from the table's sequence, so later inserts through the
  sequence DEFAULT never collide;
- nobody can sign in (password_hash is NULL for every synthetic person);
- the same seed and end date give the same database.

Modules: knobs (sizes, towns, zone kinds, groups, seasons, names), seasons (calendar, weather,
species), places (gardens, zones, features), people (and task definitions), visits, sightings (with
identifications and verifications), upkeep (task logs, problems), tables (timing, ids, Arrow
inserts) and seed (seed_synthetic, which runs them in order). The command is in habitat/cli/data.py.
"""

from habitat.synthetic.knobs import REVIEW_LAG_DAYS, SIGHTINGS_PER_GARDEN_YEAR
from habitat.synthetic.seed import seed_synthetic

__all__ = ["REVIEW_LAG_DAYS", "SIGHTINGS_PER_GARDEN_YEAR", "seed_synthetic"]
