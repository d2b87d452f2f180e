"""Log a sighting on a phone: photos first (they fill in time and zone, and show at once), then species
(当季常见 offers the likely ones as cards: one tap) and details. A save answers at the top of the page."""

import streamlit as st

from habitat.clock import local
from habitat.errors import HabitatError
from habitat.services import overview, patrols, sightings
from habitat.ui import core, drafts_ui, forms, log_views, state, views
from habitat.ui.core import t

ctx = core.ctx()
st.title(t("log.title"))
core.show_flash()

slug = views.garden_picker(ctx, sidebar=False)
garden = overview.garden_place(ctx, slug)
patrol = patrols.current_patrol(ctx)
visit_id = patrol.id if patrol and patrol.garden_id == garden.id else None
if visit_id:
    st.info(t("log.in_patrol", time=local(patrol.started_at).strftime("%H:%M")))

n = core.form_generation(state.LOG_FORM)  # a new number empties the form after a save
k = f"log{n}"

kept = drafts_ui.restore(ctx, "log_sighting", f"{k}_")  # what a reload or a dropped connection interrupted
chosen = forms.photo_inputs(k)
uploads = drafts_ui.with_photos(kept, chosen)
photos = log_views.examined(ctx, uploads)  # at once: thumbnails, and each refused file with its reason
log_views.chosen_photos(photos, kept=kept)  # the draft's kept photos have their own thumbnails above
first = next((p for p in photos if p.usable), None)
hints = sightings.hints_for(ctx, garden.id, first.info) if first else None
if hints and st.session_state.get(f"{k}_hinted") != first.info.sha256:
    # pre-fill once per first photo; the volunteer can still change everything
    st.session_state[f"{k}_hinted"] = first.info.sha256
    if hints.event_date:
        when = local(hints.event_date)
        st.session_state[f"{k}_when_date"], st.session_state[f"{k}_when_time"] = (
            when.date(),
            when.time().replace(second=0),
        )
    if hints.zone_id and not hints.outside_garden:
        st.session_state[f"{k}_zone"] = hints.zone_id
if hints:
    views.photo_hint_message(hints, garden.zones)
photo_notes = st.container()  # filled once the species is known: a photo already in a record

species_id, description = forms.species_picker(f"{k}_sp")
picked = forms.species_chosen(f"{k}_sp")
with photo_notes:
    log_views.earlier_records(ctx, photos, species_id, chosen=picked)
if not picked:  # 当季常见 around the photo's day (else today): one tap picks the species
    log_views.seasonal_cards(
        ctx,
        garden.id,
        hints.event_date if hints and hints.event_date else ctx.now(),
        picker=f"{k}_sp",
        planted_key=f"{k}_planted",
    )
present_only = st.checkbox(t("log.present_only"), key=f"{k}_present")
count = (
    None
    if present_only
    else st.number_input(t("log.count"), min_value=1, max_value=100000, value=1, step=1, key=f"{k}_count")
)
zone_id = forms.zone_select(garden.zones, f"{k}_zone")
event_date = forms.when_inputs(f"{k}_when", ctx.now(), ctx.config.timezone)

with st.expander(t("log.more_details")):
    details = forms.record_fields(sightings.SIGHTING, k, species_id=species_id)  # declared plain fields
    planted = st.toggle(t("log.planted"), key=f"{k}_planted")
note = st.text_area(t("log.note"), key=f"{k}_note", max_chars=2000)
drafts_ui.autosave(ctx, "log_sighting", f"{k}_", uploads, exclude=(f"{k}_save",))

if st.button(t("log.save"), type="primary", width="stretch", key=f"{k}_save"):
    use_gps = hints is not None and hints.lat is not None and not hints.outside_garden
    draft = sightings.SightingDraft(
        garden_id=garden.id,
        event_date=event_date,
        species_id=species_id,
        verbatim_identification=description,
        zone_id=zone_id,
        visit_id=visit_id,
        individual_count=None if count is None else int(count),
        degree_of_establishment="cultivated" if planted else "wild",
        decimal_latitude=hints.lat if use_gps else None,
        decimal_longitude=hints.lon if use_gps else None,
        coordinate_uncertainty_in_meters=hints.accuracy_m if use_gps else None,
        location_source="photo_gps" if use_gps else None,
        note=note,
        **details,
    )
    try:
        with st.spinner(t("log.saving")):
            saved = sightings.save_sighting(ctx, draft, uploads)
    except HabitatError as err:
        core.show_error(err)  # the form keeps everything that was typed
    else:
        notices = " ".join(t(key) for key in saved.notices)
        drafts_ui.clear(ctx, "log_sighting")
        core.done(
            t("log.saved", id=saved.id, photos=len(saved.photo_ids)) + (" " + notices if notices else ""),
            form=state.LOG_FORM,
            offer=core.offers(patrol_running=patrol is not None),
        )
