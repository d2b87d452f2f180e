"""Half-filled forms survive a reload: each person's draft per form, with the photos already chosen.

A phone that switches to the camera app or sleeps drops its connection; after a couple of minutes
Streamlit forgets the session, and a reload starts a new one. The page saves what was typed (and the
chosen photos' bytes) here as it changes, offers it back when the form is opened again, and discards it
after a successful save. Drafts older than KEEP_DAYS are dropped.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any, Mapping, Sequence

from habitat.db import drafts as drafts_db
from habitat.errors import ValidationError
from habitat.services.context import Ctx
from habitat.services.photo_store import MAX_PHOTOS_PER_RECORD, Upload, safe_name

FORMS = ("log_sighting", "patrol", "upkeep", "ask", "problem", "idea")
KEEP_DAYS = 7
MAX_FIELDS_BYTES = 64 * 1024
FOLDER = ".drafts"


@dataclass(frozen=True)
class Draft:
    form: str
    fields: dict[str, Any]
    uploads: list[Upload]
    updated_at: datetime


def _encode(value: Any) -> dict:
    if value is None or isinstance(value, (bool, int, float, str)):
        return {"t": "plain", "v": value}
    if isinstance(value, datetime):
        return {"t": "datetime", "v": value.isoformat()}
    if isinstance(value, date):
        return {"t": "date", "v": value.isoformat()}
    if isinstance(value, time):
        return {"t": "time", "v": value.isoformat()}
    if isinstance(value, (list, tuple)):
        return {"t": "list", "v": [_encode(v) for v in value]}
    raise ValidationError("draft.unsupported_value", kind=type(value).__name__)


def _decode(item: Mapping) -> Any:
    kind, value = item.get("t"), item.get("v")
    if kind == "datetime":
        return datetime.fromisoformat(value)
    if kind == "date":
        return date.fromisoformat(value)
    if kind == "time":
        return time.fromisoformat(value)
    if kind == "list":
        return [_decode(v) for v in value]
    return value


def encode_fields(fields: Mapping[str, Any]) -> str:
    return json.dumps({str(k): _encode(v) for k, v in fields.items()}, ensure_ascii=False, sort_keys=True)


def _folder(ctx: Ctx, person_id: int) -> Path:
    return ctx.photo_root / FOLDER / str(int(person_id))


def _check_form(form: str) -> None:
    if form not in FORMS:
        raise ValidationError("draft.unknown_form", form=form)


def save(ctx: Ctx, form: str, fields: Mapping[str, Any], uploads: Sequence[Upload] = ()) -> None:
    """Keep what the acting person has typed and chosen in ``form`` so far (replacing the last draft)."""
    user = ctx.require("log")
    _check_form(form)
    encoded = encode_fields(fields)
    if len(encoded.encode("utf-8")) > MAX_FIELDS_BYTES:
        raise ValidationError("draft.too_large")
    limit = ctx.config.max_upload_mb * 1024 * 1024
    kept = [up for up in uploads if 0 < len(up.data) <= limit][:MAX_PHOTOS_PER_RECORD]
    folder = _folder(ctx, user.id)
    listed = []
    for up in kept:
        digest = hashlib.sha256(up.data).hexdigest()
        if any(item["sha256"] == digest for item in listed):
            continue  # the same picture chosen twice is one photo of the draft
        target = folder / f"{digest}.bin"
        if not target.exists():
            folder.mkdir(parents=True, exist_ok=True)
            temp = folder / f".{digest}.{os.getpid()}.tmp"
            temp.write_bytes(up.data)
            os.replace(temp, target)
        listed.append({"name": safe_name(up.name), "sha256": digest})
    drafts_db.put(ctx.con, user.id, form, encoded, json.dumps(listed, ensure_ascii=False), ctx.now())
    _prune_files(ctx, user.id)


def load(ctx: Ctx, form: str) -> Draft | None:
    """The acting person's draft of ``form``, or None (also when it is older than KEEP_DAYS)."""
    user = ctx.require("log")
    _check_form(form)
    row = drafts_db.get(ctx.con, user.id, form)
    if row is None:
        return None
    fields_json, photos_json, updated_at = row
    if ctx.now() - updated_at > timedelta(days=KEEP_DAYS):
        discard(ctx, form)
        return None
    try:
        fields = {k: _decode(v) for k, v in json.loads(fields_json).items()}
        listed = json.loads(photos_json)
    except (ValueError, TypeError, AttributeError):
        discard(ctx, form)
        return None
    uploads = []
    for item in listed:
        path = _folder(ctx, user.id) / f"{item.get('sha256', '')}.bin"
        if path.is_file():
            uploads.append(Upload(str(item.get("name") or "photo"), path.read_bytes()))
    return Draft(form, fields, uploads, updated_at)


def discard(ctx: Ctx, form: str) -> None:
    user = ctx.require("log")
    _check_form(form)
    drafts_db.delete(ctx.con, user.id, form)
    _prune_files(ctx, user.id)


def _prune_files(ctx: Ctx, person_id: int) -> None:
    """Remove this person's draft photo files that no draft refers to any more."""
    folder = _folder(ctx, person_id)
    if not folder.is_dir():
        return
    wanted = drafts_db.photo_hashes(ctx.con)
    for path in folder.iterdir():
        if path.suffix == ".bin" and path.stem not in wanted:
            path.unlink(missing_ok=True)
