"""What the sighting forms show around the photos, right after the pick and before anything is saved:
thumbnails, each refused file with its reason, photos already in a record, and the 当季常见 cards.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Callable, Sequence

import streamlit as st

from habitat.errors import HabitatError, PhotoError, ValidationError
from habitat.clock import local
from habitat.services import importing, photo_store, suggest
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


# ------------------------------------------------------------------------------ batch: saved groups leave


@dataclass
class BatchProgress:
    """What was saved from the batch on screen (form generation ``n``): its photos are passed over when
    the batch is read again, so a saved group leaves the screen and the others keep their keys."""

    n: int
    shas: set[str] = field(default_factory=set)  # the saved groups' photos
    groups: int = 0  # groups saved so far: "已保存 3 组"
    errors: dict[str, str] = field(default_factory=dict)  # group key -> why it was not saved
    toast: str | None = None  # said once on the next run
    warnings: list[str] = field(default_factory=list)  # files left out of saved groups, said once


def batch_progress(n: int) -> BatchProgress:
    progress = st.session_state.get(state.BATCH_PROGRESS)
    if not isinstance(progress, BatchProgress) or progress.n != n:
        progress = st.session_state[state.BATCH_PROGRESS] = BatchProgress(n)
    return progress


def batch_saved_so_far(progress: BatchProgress) -> None:
    """The running count at the top of the groups, and what the last save said (a toast: she may be
    scrolled far down, at the group she just saved)."""
    if progress.toast:
        st.toast(progress.toast, icon=":material/check_circle:")
        progress.toast = None
    if progress.groups:
        st.success(t("batch.saved_count", n=progress.groups), icon=":material/check_circle:")
    while progress.warnings:
        st.warning(progress.warnings.pop(0))


def batch_group_error(progress: BatchProgress, key: str) -> None:
    if key in progress.errors:
        st.error(progress.errors[key])


def save_batch_groups(ctx, progress: BatchProgress, pairs: Sequence[tuple]) -> None:
    """Save (draft, group) pairs, each on its own; the saved ones leave the screen, a refused one stays
    with its reason in its box. Reruns."""
    bar = st.progress(0.0, text=t("batch.saving"))
    results = importing.save_batch(
        ctx,
        [(draft, group.uploads) for draft, group in pairs],
        progress=lambda i, total: bar.progress(i / total, text=t("batch.saving_n", i=i, n=total)),
    )
    lang = core.lang()
    saved = []
    for (_, group), result in zip(pairs, results):
        if isinstance(result, HabitatError):
            progress.errors[group.key] = t("batch.not_saved", reason=error_message(result, lang))
            continue
        progress.errors.pop(group.key, None)
        progress.shas.update(group.shas)
        progress.groups += 1
        saved.append(result)
        if result.refused_files:
            progress.warnings.append(
                t("batch.left_out", n=len(result.refused_files))
                + " "
                + " ".join(error_message(f, lang) for f in result.refused_files)
            )
    if len(saved) == 1:
        progress.toast = t("log.saved", id=saved[0].id, photos=len(saved[0].photo_ids))
    elif saved:
        progress.toast = t("batch.all_saved", n=len(saved))
    st.rerun()


def batch_finished(progress: BatchProgress, *, patrol_running: bool) -> None:
    """Every group saved: the message at the top with the next steps, and an empty batch form."""
    message = " ".join([t("batch.all_saved", n=progress.groups), *progress.warnings])
    progress.warnings.clear()
    core.done(message, form=state.BATCH_FORM, offer=core.offers(patrol_running=patrol_running))
