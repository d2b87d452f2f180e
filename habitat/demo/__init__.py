"""The living demo: Xinjing town (新泾镇, Changning, Shanghai) with four habitat gardens and twelve
months of plausible activity up to the moment it is built (its "now" is the real clock, Shanghai
time), so every page shows something on first open, and every detail view opens on real content
whatever order the page sorts in (see habitat.demo.records).

Parts: town.py (the gardens, zones, accounts, tasks as data), build.py (gardens, people, tasks, a
year of patrols and their reviews, upkeep logs), events.py (partners, events, BioBlitzes, plots),
civic.py (ideas, a meeting, five principles), records.py with stories.py (stories told through the
services, today's records, questions, problems, and photos on the records each page opens first;
drawn by photos.py).

Bulk rows go through DataFrames. Demo accounts exist only in a database built here.
"""

from habitat.demo.build import build_demo
from habitat.demo.town import DEMO_PASSWORD, GARDENS, GROUP_ZONES, PEOPLE

__all__ = ["DEMO_PASSWORD", "GARDENS", "GROUP_ZONES", "PEOPLE", "build_demo"]
