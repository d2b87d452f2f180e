"""What the sighting forms show around the photos, right after the pick and before anything is saved:
thumbnails, each refused file with its reason, photos already in a record, and the 当季常见 cards.
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from pathlib import Path
from typing import Callable, Sequence

import streamlit as st

from habitat.errors import PhotoError, ValidationError
from habitat.clock import local
from habitat.services import photo_store, suggest
from habitat.services.photo_store import Examined, Upload
from habitat.services.suggest import Suggestion
from habitat.ui import core, forms, state
from habitat.ui.core import t
from habitat.ui.safe import error_message, md_escape

THUMB_PX = 110  # on screen; the preview is drawn at twice that for sharp phone screens


def examined(ctx, uploads: Sequence[Upload]) -> list[Examined]:
    """Each chosen file examined once per session (a rerun after every tap must not decode six phone
    photos again): its thumbnail, or why it is refused; a picture chosen twice is refused the second time."""
    memo: dict = st.session_state.setdefault(state.PHOTOS_EXAMINED, {})
    used = set()

    def read(up: Upload) -> Examined:
        key = (hashlib.sha256(up.data).hexdigest(), up.name)
        used.add(key)
        if key not in memo:
            memo[key] = photo_store.examine_file(ctx, up, preview_px=2 * THUMB_PX)
        return memo[key]

    out = photo_store.examine(ctx, uploads, read=read)
    for key in [k for k in memo if k not in used]:  # keep only what is chosen now
        del memo[key]
    return out


def chosen_photos(items: Sequence[Examined], *, kept: Sequence[Upload] = ()) -> None:
    """Thumbnails of the usable photos (not of ``kept``: a restored draft shows its own), then one
    message per refused file, in the reader's language."""
    kept_digests = {hashlib.sha256(up.data).hexdigest() for up in kept}
    shown = [e for e in items if e.usable and e.preview is not None and e.info.sha256 not in kept_digests]
    if shown:
        st.image([e.preview for e in shown], width=THUMB_PX, caption=[e.name for e in shown])
    for e in items:
        if e.problem is not None:
            st.error(error_message(e.problem, core.lang()), icon=":material/hide_image:")
    usable = [e for e in items if e.usable]
    if len(usable) > photo_store.MAX_PHOTOS_PER_RECORD:
        too_many = ValidationError("photo.too_many_files", n=photo_store.MAX_PHOTOS_PER_RECORD)
        st.error(error_message(too_many, core.lang()))


def _taxon_name(species_id: int | None) -> str:
    if species_id is None:
        return t("photos.no_species")
    found = next((tx for tx in forms.taxa() if tx.id == species_id), None)
    return found.label(core.lang()) if found else f"#{species_id}"


def earlier_records(ctx, items: Sequence[Examined], species_id: int | None, *, chosen: bool) -> None:
    """Photos already in a record. Before a species is chosen: a note naming the record and its species.
    Then, by the rule of the save (photo_store.same_record): a refusal now, not at the save, when the
    record would be the same one; a note when the photo backs a record of another species."""
    for e in items:
        if not e.usable:
            continue
        for sighting_id, other in photo_store.in_sightings(ctx, e.info.sha256):
            params = dict(file=md_escape(e.name), id=sighting_id, species=md_escape(_taxon_name(other)))
            if not chosen:
                st.info(t("photos.already_in_record", **params), icon=":material/photo_library:")
            elif photo_store.same_record(species_id, other):  # refused at the save: say it now
                same = PhotoError("photo.duplicate_same_species", file=e.name, id=sighting_id)
                st.error(error_message(same, core.lang()), icon=":material/block:")
            else:
                st.caption(t("photos.also_in_record", **params))


def seasonal_cards(
    ctx, garden_id: int, day: datetime, *, picker: str, planted_key: str | None = None
) -> None:
    """当季常见 as large cards, wild and planted apart, for the species picker ``picker``: a verified
    local photo, the name (a button: one tap picks it, and sets ``planted_key`` as it was recorded), a
    "难认" mark, how often it was recorded here (or in the town) around ``day``."""
    found = suggest.seasonal_common(ctx, garden_id, day)
    if not found:
        return

    def pick(s: Suggestion) -> None:  # a callback: runs before the picker is drawn again
        forms.preset_species(picker, s.species_id)
        if planted_key:
            st.session_state[planted_key] = s.planted

    with st.container(key=f"seasonal_{picker}"):
        st.markdown(f"**{t('seasonal.title')}**")
        st.caption(t("seasonal.intro", date=local(day).strftime("%m-%d")))
        for planted in (False, True):
            group = [s for s in found if s.planted == planted]
            if not group:
                continue
            st.caption(t("seasonal.planted" if planted else "seasonal.wild"))
            with st.container(horizontal=True, gap="small"):
                for s in group:
                    _card(s, ctx.photo_root, key=picker, on_pick=pick)


def _card(s: Suggestion, photo_root: Path, *, key: str, on_pick: Callable[[Suggestion], None]) -> None:
    name = md_escape(core.pick(s.chinese_name, s.english_name))  # a button label reads Markdown
    with st.container(border=True, width=160, key=f"seasonal_{key}_card_{s.species_id}_{int(s.planted)}"):
        path = Path(photo_root) / s.thumb_path if s.thumb_path else None
        if path is not None and path.exists():
            st.image(str(path), width="stretch")
        else:
            st.caption(t("seasonal.no_photo"))
        st.button(
            name,
            key=f"seasonal_{key}_{s.species_id}_{int(s.planted)}",
            on_click=on_pick,
            args=(s,),
            width="stretch",
        )
        marks = [
            t("seasonal.in_garden", n=s.garden_records)
            if s.from_garden
            else t("seasonal.in_town", n=s.town_records)
        ]
        if s.hard:
            marks.insert(0, f":orange-badge[{t('seasonal.hard')}]")
        st.markdown(" ".join(marks))

