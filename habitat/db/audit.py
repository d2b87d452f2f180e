"""The audit trail: who did what, when, with the record before and after."""

from __future__ import annotations

import json

import duckdb


def insert(con: duckdb.DuckDBPyConnection, *, at, actor_id, action, entity, entity_id, before, after) -> None:
    con.execute(
        "INSERT INTO audit_log (happened_at, actor_id, action, entity, entity_id, before_json, after_json)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        [
            at,
            actor_id,
            action,
            entity,
            entity_id,
            None if before is None else json.dumps(before, ensure_ascii=False, default=str),
            None if after is None else json.dumps(after, ensure_ascii=False, default=str),
        ],
    )


def recent(con: duckdb.DuckDBPyConnection, limit: int = 200):
    return con.execute(
        "SELECT a.happened_at, p.display_name AS actor, a.action, a.entity, a.entity_id,"
        " a.before_json, a.after_json FROM audit_log a LEFT JOIN people p ON p.id = a.actor_id"
        " ORDER BY a.id DESC LIMIT ?",
        [limit],
    ).df()
