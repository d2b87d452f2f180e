"""All SQL lives in this package. User values are always bound parameters."""

from habitat.db.connection import connect, migrate, open_database

__all__ = ["connect", "migrate", "open_database"]
