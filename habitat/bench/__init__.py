"""Benchmarks: ``python -m habitat bench [--quick] [--out FILE.json] [--keep DIR]`` and ``bench-load``.

Runs every measurement in one process run and prints ONE JSON object on stdout (progress goes to
stderr): photo ingest (ours against a naive pipeline), a photo batch on both cores, the dashboard
queries at 10 M sightings, a DuckDB-against-SQLite comparison on a 7-query dashboard set, saving
sightings (one at a time and from 20 threads), server-side page renders (AppTest), a Darwin Core
export and seeding 10 M sightings. ``--quick`` uses small sizes (each metric says which in "size")
and finishes in well under a minute; the full run takes a few minutes.

Everything happens in a temporary directory, deleted at the end unless ``--keep DIR`` is given.
Databases are reused across metrics: full mode builds 10 M (seed measurement, dashboard, saves),
2 M (SQLite comparison) and 1 M (page renders, export) sightings; quick mode 300 k and 100 k.

One module per metric family: photos, queries (dashboard), sqlite_compare, saves, export, pages
(AppTest); common.py holds what they share and run.py runs them in order. load.py is the separate
``bench-load`` benchmark (real browser sessions). Only pages.py drives Streamlit, through
habitat.ui (an import-linter contract in pyproject.toml checks it). The commands are in
habitat/cli/bench.py, which imports this package only when a benchmark runs.
"""
