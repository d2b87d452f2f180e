"""Monthly report and zone QR posters: printable, self-contained HTML files.

The report is what a residents' committee sends up to the town: a first page residents can be
handed, headline figures, the community's month (events, ideas, meetings, partners), upkeep,
hours given by role, species, charts and photos of one month, for one garden or for the whole town.
It opens offline and prints on A4: plotly.js is inlined once, photos are data URIs, no fonts or
scripts are fetched. Every text from the database is escaped (habitat.reporting.template).

Modules: figures (the month's numbers and the report's scope), format (shared formatters),
sections (the text sections), community (the community's month and hours by role), summary (the
residents' page), plots (the charts), report (build_report), posters (QR posters),
template (HTML and CSS), cli (``python -m habitat report`` and ``posters``).

This package is imported on every CLI start (habitat.cli takes the two commands from here), so
only the light command module is imported eagerly; the report's own names (which pull in pandas,
plotly, DuckDB and the services) load on first use through ``__getattr__``.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

from habitat.reporting.cli import CLI_PERSON, posters_command, report_command

if TYPE_CHECKING:
    from habitat.reporting.figures import Figures, month_figures
    from habitat.reporting.plots import zone_plan_figure
    from habitat.reporting.posters import build_posters, qr_png, zone_url
    from habitat.reporting.report import Progress, build_report
    from habitat.reporting.sections import IMAGE_MIME, MAX_TABLE_ROWS, PHOTOS_PER_REPORT

_LAZY = {
    "Figures": "figures",
    "month_figures": "figures",
    "zone_plan_figure": "plots",
    "build_posters": "posters",
    "qr_png": "posters",
    "zone_url": "posters",
    "Progress": "report",
    "build_report": "report",
    "IMAGE_MIME": "sections",
    "MAX_TABLE_ROWS": "sections",
    "PHOTOS_PER_REPORT": "sections",
}

__all__ = [
    "CLI_PERSON",
    "IMAGE_MIME",
    "MAX_TABLE_ROWS",
    "PHOTOS_PER_REPORT",
    "Figures",
    "Progress",
    "build_posters",
    "build_report",
    "month_figures",
    "posters_command",
    "qr_png",
    "report_command",
    "zone_plan_figure",
    "zone_url",
]


def __getattr__(name: str):
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{module}"), name)
