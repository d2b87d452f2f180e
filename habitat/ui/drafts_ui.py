"""Keeping a half-filled form through a reload (services/drafts.py stores it per person).

A form's widgets share a key prefix (``log3_``, ``patrol_``). The page calls, in this order:

    kept = drafts_ui.restore(ctx, "log_sighting", prefix)   # before the widgets: puts a draft back
    ... widgets ...
    drafts_ui.autosave(ctx, "log_sighting", prefix, uploads, exclude=(...buttons...))  # after them
    drafts_ui.clear(ctx, "log_sighting")                   # after a successful save

``restore`` returns the photos kept from the draft (the file uploader cannot be refilled); the page
saves them with the new ones. Buttons, file uploaders and the camera are never captured (Streamlit
does not let their state be set).
"""

from __future__ import annotations

import hashlib
import logging
from datetime import date, datetime, time
from typing import Sequence

import streamlit as st

from habitat.errors import HabitatError
from habitat.services import drafts
from habitat.services.photo_store import Upload
from habitat.ui import core
from habitat.ui.core import t

_LOG = logging.getLogger("habitat")
NOT_CAPTURED = ("_files", "_camera")  # key endings of widgets whose state cannot be set
_PLAIN = (str, int, float, bool, date, time, datetime, type(None))


def _checked_key(form: str) -> str:
    return f"draft_{form}_checked"


def _photos_key(form: str) -> str:
    return f"draft_{form}_photos"


def _capture(prefix: str, exclude: Sequence[str]) -> dict:
    values = {}
    for key in list(st.session_state.keys()):
        if not isinstance(key, str) or not key.startswith(prefix) or key in exclude:
            continue
        if key.endswith(NOT_CAPTURED):
            continue
        value = st.session_state[key]
        if isinstance(value, _PLAIN) or (
            isinstance(value, (list, tuple)) and all(isinstance(v, _PLAIN) for v in value)
        ):
            values[key[len(prefix) :]] = value
    return values


def restore(ctx, form: str, prefix: str) -> list[Upload]:
    """Once per session and form: put the person's draft back into the widgets; show that it happened
    with a button to throw it away. Returns the photos kept with the draft."""
    if not st.session_state.get(_checked_key(form)):
        st.session_state[_checked_key(form)] = True
        try:
            draft = drafts.load(ctx, form)
        except HabitatError as err:
            _LOG.warning("draft of %s not loaded: %s", form, err)
            draft = None
        if draft is not None:
            for suffix, value in draft.fields.items():
                st.session_state.setdefault(prefix + suffix, value)
            st.session_state[_photos_key(form)] = list(draft.uploads)
            st.session_state[f"draft_{form}_restored"] = core.datetime_text(draft.updated_at)
    when = st.session_state.get(f"draft_{form}_restored")
    if when:
        with st.container(border=True):
            st.info(t("draft.restored") + f" ({when})", icon=":material/restore:")
            if st.button(t("draft.discard"), key=f"draft_{form}_discard", icon=":material/delete:"):
                clear(ctx, form)
                for key in [
                    k for k in st.session_state.keys() if isinstance(k, str) and k.startswith(prefix)
                ]:
                    del st.session_state[key]
                st.rerun()
    return kept_photos(form)


def distinct(uploads: Sequence[Upload]) -> list[Upload]:
    """Each photo once, by content: the same picture chosen again after a draft restore (or twice in
    one pick) is one photo, never two rows with one key."""
    seen, out = set(), []
    for up in uploads:
        digest = hashlib.sha256(up.data).digest()
        if digest not in seen:
            seen.add(digest)
            out.append(up)
    return out


def with_photos(kept: Sequence[Upload], chosen: Sequence[Upload]) -> list[Upload]:
    """The draft's kept photos and the ones chosen now, each picture once."""
    return distinct([*kept, *chosen])


def kept_photos(form: str) -> list[Upload]:
    """The draft's photos, each with a button to drop it."""
    kept: list[Upload] = distinct(st.session_state.get(_photos_key(form)) or [])
    st.session_state[_photos_key(form)] = kept
    if not kept:
        return []
    st.caption(t("draft.kept_photos", n=len(kept)))
    columns = st.columns(min(len(kept), 3))
    for i, up in enumerate(list(kept)):
        with columns[i % len(columns)]:
            try:
                st.image(up.data, width=110)
            except Exception:  # noqa: BLE001 - a preview must never lose the form
                st.caption(up.name)
            digest = hashlib.sha256(up.data).hexdigest()[:12]
            if st.button(t("draft.remove_photo"), key=f"draft_{form}_rm_{digest}", icon=":material/close:"):
                st.session_state[_photos_key(form)] = [u for u in kept if u is not up]
                st.rerun()
    return list(kept)


def autosave(
    ctx, form: str, prefix: str, uploads: Sequence[Upload] = (), *, exclude: Sequence[str] = ()
) -> None:
    """Keep what changed since the form was first shown (nothing is stored for an untouched form)."""
    values = _capture(prefix, exclude)
    pristine_key = f"draft_{form}_pristine_{prefix}"
    if pristine_key not in st.session_state:
        st.session_state[pristine_key] = values
    if values == st.session_state[pristine_key] and not uploads:
        return
    digest = hashlib.sha256(
        (
            drafts.encode_fields(values) + "|" + ",".join(hashlib.sha256(u.data).hexdigest() for u in uploads)
        ).encode()
    ).hexdigest()
    saved_key = f"draft_{form}_saved"
    if st.session_state.get(saved_key) == digest:
        return
    try:
        drafts.save(ctx, form, values, uploads)
    except HabitatError as err:  # a draft is a help, never a reason to stop the form
        _LOG.warning("draft of %s not kept: %s", form, err)
        return
    st.session_state[saved_key] = digest


def clear(ctx, form: str) -> None:
    """After a successful save (or "throw it away"): no draft, no kept photos."""
    try:
        drafts.discard(ctx, form)
    except HabitatError as err:
        _LOG.warning("draft of %s not discarded: %s", form, err)
    for key in (_photos_key(form), f"draft_{form}_restored", f"draft_{form}_saved"):
        st.session_state.pop(key, None)
    for key in [
        k for k in st.session_state.keys() if isinstance(k, str) and k.startswith(f"draft_{form}_pristine_")
    ]:
        del st.session_state[key]
