"""What the command modules share: messages in GARDEN_LANG and the exit on a HabitatError."""

from __future__ import annotations

import sys

import click

from habitat import settings
from habitat.errors import HabitatError


def lang() -> str:
    return settings.load().language


def fail(err: HabitatError) -> None:
    """The error's message in GARDEN_LANG on stderr, exit status 2."""
    click.echo(err.message(lang()), err=True)
    sys.exit(2)
