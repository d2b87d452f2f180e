"""Checks of typed values, and the audited partial update, shared by the committee's editing services
(gardens, zones, features, task definitions, people)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from habitat.db import manage as manage_db
from habitat.errors import ValidationError
from habitat.services.context import Ctx, audit


class _Keep:
    """Marker for "leave this field as it is" in partial updates."""

    def __repr__(self) -> str:
        return "KEEP"


KEEP: Any = _Keep()


def text(value: str | None, key: str, limit: int = 100) -> str:
    """Required text, trimmed; ``key`` names the message when it is empty."""
    cleaned = (value or "").strip()
    if not cleaned:
        raise ValidationError(key)
    if len(cleaned) > limit:
        raise ValidationError("manage.too_long", n=limit)
    return cleaned


def optional_text(value: str | None, limit: int = 200) -> str | None:
    cleaned = (value or "").strip()
    if len(cleaned) > limit:
        raise ValidationError("manage.too_long", n=limit)
    return cleaned or None


def number(value) -> float | None:
    """A float, or None for anything empty or unreadable (NaN included)."""
    if value is None:
        return None
    try:
        result = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(result) else result


def as_date(value, key: str) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str) and value.strip():
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise ValidationError(key)


def choice(value, options: Sequence[str], key: str) -> str:
    if value not in options:
        raise ValidationError(key, value=value)
    return value


def apply_changes(ctx: Ctx, table: str, row_id: int, before: dict, changes: dict, action: str) -> dict:
    """Update the changed columns, audit before/after of those columns; returns the new row."""
    changed = {k: v for k, v in changes.items() if before.get(k) != v}
    if changed:
        manage_db.update(ctx.con, table, row_id, changed)
        audit(ctx, action, table, row_id, before={k: before[k] for k in changed}, after=changed)
    return manage_db.row(ctx.con, table, row_id)
