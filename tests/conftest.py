"""Shared fixtures: a fresh DuckDB file per test, built from the shipped checklist or the demo."""

from __future__ import annotations

import os
import shutil
from datetime import datetime
from pathlib import Path

import pytest

from habitat.clock import SHANGHAI, fixed_clock
from habitat.db import connect, people as people_db
from habitat.services.context import Ctx
from habitat.services.setup import init_database
from habitat.settings import load

# A page that fails shows its traceback in tests (AppTest's at.exception, the browser's stException);
# people get the short message with a reference (tests/app/test_frame_pages.py checks that one).
os.environ["GARDEN_ERROR_DETAILS"] = "1"

ROOT = Path(__file__).resolve().parent.parent
NOW = datetime(2026, 6, 15, 10, 0, tzinfo=SHANGHAI)  # a summer morning: butterflies out


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory) -> Path:
    """The demo database, built once per test session; tests get copies."""
    folder = tmp_path_factory.mktemp("demo")
    path = folder / "demo.duckdb"
    init_database(path, demo=True, photo_root=folder / "photos")
    return path


@pytest.fixture(scope="session")
def empty_template(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("empty") / "empty.duckdb"
    init_database(path, demo=False)
    return path


def _copy(template: Path, tmp_path: Path) -> Path:
    """The database file and, next to it, its photo folder (tests use tmp_path/photos)."""
    target = tmp_path / "garden.duckdb"
    shutil.copy(template, target)
    photos = template.parent / "photos"
    if photos.exists():
        shutil.copytree(photos, tmp_path / "photos")
    return target


@pytest.fixture
def demo_db(demo_template, tmp_path) -> Path:
    return _copy(demo_template, tmp_path)


@pytest.fixture
def empty_db(empty_template, tmp_path) -> Path:
    return _copy(empty_template, tmp_path)


@pytest.fixture
def config(tmp_path):
    return load(
        env={},
        secrets_path=tmp_path / "none.toml",
        GARDEN_DB=str(tmp_path / "garden.duckdb"),
        GARDEN_PHOTOS=str(tmp_path / "photos"),
    )


@pytest.fixture
def con(demo_db):
    connection = connect(demo_db)
    yield connection
    connection.close()


@pytest.fixture
def empty_con(empty_db):
    connection = connect(empty_db)
    yield connection
    connection.close()


@pytest.fixture
def make_ctx(con, config):
    """make_ctx("wangayi") -> a Ctx acting as that demo account (None -> nobody signed in)."""

    def _make(username: str | None, *, clock=None, connection=None) -> Ctx:
        c = connection or con
        user = None
        if username:
            row = c.execute("SELECT id FROM people WHERE username = ?", [username]).fetchall()
            user = people_db.by_id(c, row[0][0])
        return Ctx(con=c, user=user, config=config, clock=clock or fixed_clock(datetime.now(SHANGHAI)))

    return _make
