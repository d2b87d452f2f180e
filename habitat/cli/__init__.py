"""Command line: python -m habitat ...  Messages come from the i18n catalogs (GARDEN_LANG).

Every command is imported here by name and added to the group: setup.py (init, add-person),
data.py (imports, synthetic data), maintenance.py (check, backup, restore), bench.py (bench,
bench-load); the export and report commands live beside their code (habitat/export/commands.py,
habitat/reporting/). Command modules import heavy code inside the command bodies, so that
``python -m habitat --help`` stays quick.
"""

from __future__ import annotations

import click

from habitat.cli.bench import bench_command, bench_load_command
from habitat.cli.data import import_photos, import_tally_cmd, seed_synthetic_command
from habitat.cli.maintenance import backup_cmd, check_cmd, restore_cmd
from habitat.cli.setup import add_person, init
from habitat.export.commands import export_command, export_dwca_command
from habitat.reporting import posters_command, report_command


@click.group()
def main() -> None:
    """Habitat Garden Log (生境花园日志) tools."""


# setup
main.add_command(init)
main.add_command(add_person)
# data in
main.add_command(import_photos)
main.add_command(import_tally_cmd)
main.add_command(seed_synthetic_command)
# data out
main.add_command(export_dwca_command)
main.add_command(export_command)
main.add_command(report_command)
main.add_command(posters_command)
# maintenance
main.add_command(check_cmd)
main.add_command(backup_cmd)
main.add_command(restore_cmd)
# benchmarks
main.add_command(bench_command)
main.add_command(bench_load_command)


if __name__ == "__main__":  # pragma: no cover
    main()
