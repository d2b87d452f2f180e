"""Load benchmark: N real browser sessions against `streamlit run` (``python -m habitat bench-load``).

For each N in ``--sessions`` (default 1,5,10,20): a fresh copy of the demo database, a server
(`streamlit run garden_server.py`) pinned to core 0 with ``taskset``, a warm-up, then N Playwright
contexts in one headless Chromium, pinned with this process to core 1, for ``--seconds``. Each
session signs in through the form and repeats its role's script at a brisk person's pace (a pause
of ``--pace`` 3-8 s before every action):

  volunteer  log page, photo upload (a 12 MP phone JPEG with EXIF time and GPS), species search,
             save; upkeep page, one tap on a due task (or the details form when nothing is due)
  expert     review page, three one-click decisions, home page
  committee  dashboard, biodiversity, home page

"Click to idle" is the time from the click (or Enter, or file choice) until the app has run and is
idle again (``data-test-script-state`` notRunning after a change of state) and the expected result
is on the page (the page title, the saved-record message, the chosen species ...). Errors: an
``stException`` box, a step timing out, an error message the step did not expect, and every
Traceback/Error/Exception line in the server log. Lost writes: every sighting, task log and decision
a session saw confirmed is looked up in the database file after the server has stopped.

Modules: common (settings of a run, the app's texts), photos, cpu (processes, pinning), server
(the streamlit server and the lost-writes check), session (what a session did), steps (timed
Playwright steps, sign-in, recovery), script (the roles' scripts), driver (one level: browser,
warm-up, N sessions), run (the levels).
Nothing here imports Streamlit (an import-linter contract checks it); the command is in
habitat/cli/bench.py.
"""

from habitat.bench.load.run import run
from habitat.bench.load.server import check_writes
from habitat.bench.load.session import Session, Step

__all__ = ["Session", "Step", "check_writes", "run"]
