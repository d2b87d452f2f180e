"""Form widgets shared by the logging pages: species picker, photo inputs, zone choice, time."""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pandas as pd
import streamlit as st

from habitat.domain.records import Field, Record
from habitat.domain.taxa import Taxon
from habitat.domain.taxa import search as search_taxa
from habitat.services import checklist as checklist_service
from habitat.services.photo_store import Upload
from habitat.ui import core
from habitat.ui.caching import cleared_on
from habitat.ui.core import t

# The photo picker takes any file (no type list): the photo service refuses what it cannot read (GIF,
# SVG, a PDF, ...) and says why in the person's language, instead of Streamlit's English tooltip.
UNKNOWN = -1  # "I don't know" option in the species picker


@cleared_on("species")  # checklist writes (add, edit, merge, import) clear it after their commit
@st.cache_data(ttl=600, max_entries=4)
def _taxa(db_key: str) -> list[Taxon]:
    return checklist_service.all_taxa(core.ctx())


def taxa() -> list[Taxon]:
    return _taxa(str(core.config().db_path))


def species_picker(key: str, *, default_id: int | None = None) -> tuple[int | None, str | None]:
    """Search by Chinese, pinyin (btb), Latin, English or synonym; or say "don't know" and describe.
    A taxon preset with :func:`preset_species` (a tap on a 当季常见 card) is chosen."""
    all_taxa = taxa()
    by_id = {tx.id: tx for tx in all_taxa}
    default_id = st.session_state.get(f"{key}_pick", default_id)
    query = st.text_input(t("picker.search"), key=f"{key}_q", placeholder=t("picker.placeholder"))
    if query.strip():
        matches = search_taxa(all_taxa, query, limit=15)
    else:
        matches = [by_id[default_id]] if default_id in by_id else []
    options = [tx.id for tx in matches] + [UNKNOWN]
    lang = core.lang()
    chosen = st.selectbox(
        t("picker.species"),
        options,
        index=0 if matches else None,
        placeholder=t("picker.choose"),
        format_func=lambda i: t("picker.dont_know") if i == UNKNOWN else by_id[i].label(lang),
        key=f"{key}_sel_{query.strip()}",
    )
    if query.strip() and not matches:
        st.caption(t("picker.no_match"))
    if chosen is None:
        return None, None
    if chosen != UNKNOWN:
        return chosen, None
    higher = [tx for tx in all_taxa if tx.taxon_rank not in ("species", "subspecies", "genus")]
    group = st.selectbox(
        t("picker.which_group"),
        [None] + [tx.id for tx in higher],
        format_func=lambda i: (
            t("picker.no_idea") if i is None else core.pick(by_id[i].chinese_name, by_id[i].english_name)
        ),
        key=f"{key}_group",
    )
    description = st.text_input(
        t("picker.describe"), key=f"{key}_desc", placeholder=t("picker.describe_hint")
    )
    return group, description.strip() or None


def preset_species(key: str, species_id: int) -> None:
    """Choose ``species_id`` in the picker ``key`` on the next run. A widget callback (on_click): it
    runs before the picker is drawn, which is when Streamlit lets its state be set."""
    st.session_state[f"{key}_q"] = ""
    st.session_state[f"{key}_pick"] = species_id
    st.session_state[f"{key}_sel_"] = species_id


def species_chosen(key: str) -> bool:
    """Whether the picker ``key`` (drawn in this run) shows a choice: a taxon or "don't know"."""
    query = str(st.session_state.get(f"{key}_q") or "").strip()
    return st.session_state.get(f"{key}_sel_{query}") is not None


def photo_inputs(key: str, *, multiple: bool = True) -> list[Upload]:
    """Photos as files: on a phone the picker offers the camera app or the gallery. (Streamlit's
    in-browser camera was dropped: it speaks English only — "Take Photo", "This app would like to use
    your camera" — and the phone's own camera is better.)"""
    files = core.file_uploader(
        t("photos.upload"),
        accept_multiple_files=multiple,
        key=f"{key}_files",
        help=t("photos.upload_help"),
    )
    files = files if isinstance(files, list) else ([files] if files else [])
    uploads = [Upload(f.name, f.getvalue()) for f in files]
    return uploads


def zone_select(
    zones: pd.DataFrame, key: str, *, label: str | None = None, allow_none: bool = True
) -> int | None:
    names = dict(zip(zones["id"], core.pick(zones["name"], zones["name_en"])))
    codes = dict(zip(zones["id"], zones["code"]))
    options = ([None] if allow_none else []) + [int(i) for i in zones["id"]]
    preset = st.query_params.get("zone")  # a QR poster link (?zone=CODE) presets it the first time
    if preset and key not in st.session_state:
        match = [i for i, c in codes.items() if str(c).upper() == str(preset).upper()]
        if match:
            st.session_state[key] = int(match[0])
    return st.selectbox(
        label or t("common.zone"),
        options,
        format_func=lambda i: t("common.zone_unknown") if i is None else f"{codes[i]} · {names[i]}",
        key=key,
        # None is a real choice here, but Streamlit shows a None value as its placeholder: say it in
        # the reader's language instead of "Choose an option"
        placeholder=t("common.zone_unknown"),
    )


def optional_date(
    label: str, *, known: str, value: date | None, default: date, key: str, **kwargs
) -> date | None:
    """A date that may be left out: a checkbox (``known``) says whether it counts, the date box below is
    always filled. Streamlit's empty date box shows "yyyy/mm/dd" in English whatever the page's
    language (its date field is fixed to en-US); a filled one shows only numbers (2026/05/03).
    Works inside a form (nothing appears or disappears on a tick)."""
    use = st.checkbox(known, value=value is not None, key=f"{key}_known")
    day = st.date_input(label, value=value or default, key=key, **kwargs)
    return day if use else None


def when_inputs(key: str, default: datetime, tz: str) -> datetime:
    """Date and time (Shanghai); pre-set through session state so a photo's time can fill them in."""
    st.session_state.setdefault(f"{key}_date", default.date())
    st.session_state.setdefault(f"{key}_time", time(default.hour, default.minute))
    if (
        not isinstance(st.session_state[f"{key}_date"], date)
        or st.session_state[f"{key}_date"] > default.date()
    ):
        # a phone whose clock was wrong gave a photo time in the future: never past today
        st.session_state[f"{key}_date"] = default.date()
    left, right = st.columns(2)
    day = left.date_input(t("common.date"), key=f"{key}_date", max_value=default.date())
    clock = right.time_input(t("common.time"), key=f"{key}_time", step=300)
    return datetime.combine(day, clock, ZoneInfo(tz))


# The declared plain fields of a record (habitat.domain.records), drawn by kind. A field of a new
# kind needs its widget here: one function that draws it, one that shows a stored value as text.
def _choice_input(f: Field, key: str):
    options = ((None,) if f.none_label else ()) + tuple(f.choices)
    return st.selectbox(t(f.label), options, format_func=lambda v: _choice_text(f, v), key=key)


def _choice_text(f: Field, value) -> str:
    if value is None and not f.none_label:
        return "—"
    return t(f.label_prefix + (value or f.none_label))


def _bool_input(f: Field, key: str) -> bool:
    return st.checkbox(t(f.label), key=key, help=t(f.help) if f.help else None)


def _text_input(f: Field, key: str) -> str:
    return st.text_area(t(f.label), key=key, max_chars=f.max_len)


def _taxon_input(f: Field, key: str) -> int | None:
    """A species or genus of the checklist groups the field allows (e.g. its plants), or none."""
    lang = core.lang()
    allowed = sorted(
        (
            tx
            for tx in taxa()
            if (not f.pick_groups or tx.group_name in f.pick_groups)
            and tx.taxon_rank in ("species", "subspecies", "genus")
        ),
        key=lambda tx: tx.pinyin,
    )
    labels = {tx.id: tx.label(lang) for tx in allowed}
    return st.selectbox(
        t(f.label),
        [None, *labels],
        format_func=lambda i: "—" if i is None else labels[i],
        key=key,
        help=t(f.help) if f.help else None,
    )


def _taxon_text(f: Field, value) -> str:
    if value is None or pd.isna(value):
        return "—"
    found = next((tx for tx in taxa() if tx.id == int(value)), None)
    return found.label(core.lang()) if found else f"#{int(value)}"


INPUTS = {"choice": _choice_input, "bool": _bool_input, "text": _text_input, "taxon": _taxon_input}
SHOWN = {
    "taxon": _taxon_text,
    "choice": _choice_text,
    "bool": lambda f, v: "✓" if v else "—",
    "text": lambda f, v: v if isinstance(v, str) and v else "—",
}


def taxon_group(species_id: int | None) -> str | None:
    """The checklist group (bird, butterfly, plant ...) of a picked taxon."""
    return next((tx.group_name for tx in taxa() if tx.id == species_id), None) if species_id else None


def record_fields(record: Record, key: str, *, species_id: int | None) -> dict:
    """Draw the record's declared form fields; returns {field name: value}. A field meant only for
    some taxa (``for_groups``, e.g. the nectar plant of an insect) is drawn, and returned, only
    when the picked taxon is one of them."""
    group = taxon_group(species_id)
    return {
        f.name: INPUTS[f.kind](f, f"{key}_{f.name}")
        for f in record.form_fields
        if not f.for_groups or group in f.for_groups
    }


def field_lines(record: Record, row: dict) -> list[str]:
    """ "Label: value" for each field the record shows in review."""
    return [
        f"{t(f.label)}: {SHOWN[f.kind](f, row.get(f.name))}"
        for f in record.review_fields
        if not (f.for_groups and row.get(f.name) is None)  # e.g. no nectar plant line for a bird
    ]
