"""Batch photos after a patrol: grouped into draft sightings by time, species picked per group, saved together."""

import streamlit as st

from habitat.clock import local
from habitat.errors import HabitatError
from habitat.services import importing, overview, patrols, photo_store, sightings
from habitat.ui import core, forms, state, views
from habitat.ui.core import t
from habitat.ui.safe import error_message, md_escape

ctx = core.ctx()
st.title(t("batch.title"))
core.show_flash()
slug = views.garden_picker(ctx, sidebar=False)
garden = overview.garden_place(ctx, slug)
patrol = patrols.current_patrol(ctx)
visit_id = patrol.id if patrol and patrol.garden_id == garden.id else None
n = core.form_generation(state.BATCH_FORM)

views.tally_import(ctx, garden.id, visit_id)
st.caption(t("batch.intro", n=importing.MAX_BATCH))
uploads = forms.photo_inputs(f"batch{n}", camera=False)
gap = st.slider(t("batch.gap"), 1, 10, 2, key=f"batch{n}_gap")
if not uploads:
    st.stop()

bar = st.progress(0.0, text=t("batch.reading"))
prepared = core.attempt(
    lambda: importing.prepare_batch(
        ctx,
        garden.id,
        uploads,
        gap_minutes=gap,
        progress=lambda i, total: bar.progress(i / total, text=t("batch.reading_n", i=i, n=total)),
    )
)
if prepared is core.FAILED:
    st.stop()
bar.empty()
for name, reason in prepared.rejected:
    st.error(t("batch.rejected", file=md_escape(name), reason=md_escape(reason)))
st.success(
    t("batch.grouped", photos=sum(len(g.uploads) for g in prepared.groups), groups=len(prepared.groups))
)

items = []
for i, group in enumerate(prepared.groups):
    with st.container(border=True):
        st.markdown(
            t(
                "batch.group",
                i=i + 1,
                time=local(group.event_date).strftime("%m-%d %H:%M"),
                n=len(group.uploads),
            )
        )
        st.image([photo_store.preview(ctx, u, 220) for u in group.uploads], width=110)
        for key in group.hints.warnings:
            st.warning(t(key))
        species_id, description = forms.species_picker(f"batch{n}_g{i}")
        zone_key = f"batch{n}_g{i}_zone"
        if group.hints.zone_id and not group.hints.outside_garden:
            st.session_state.setdefault(zone_key, group.hints.zone_id)
        zone_id = forms.zone_select(garden.zones, zone_key)
        count = st.number_input(
            t("log.count"), min_value=1, max_value=100000, value=1, key=f"batch{n}_g{i}_count"
        )
        use_gps = group.hints.lat is not None and not group.hints.outside_garden
        items.append(
            (
                sightings.SightingDraft(
                    garden_id=garden.id,
                    event_date=group.event_date,
                    species_id=species_id,
                    verbatim_identification=description,
                    zone_id=zone_id,
                    visit_id=visit_id,
                    individual_count=int(count),
                    decimal_latitude=group.hints.lat if use_gps else None,
                    decimal_longitude=group.hints.lon if use_gps else None,
                    coordinate_uncertainty_in_meters=group.hints.accuracy_m if use_gps else None,
                    location_source="photo_gps" if use_gps else None,
                    source="batch",
                ),
                group.uploads,
            )
        )

if st.button(t("batch.save_all", n=len(items)), type="primary", width="stretch", key=f"batch{n}_save"):
    bar = st.progress(0.0, text=t("batch.saving"))
    results = importing.save_batch(
        ctx, items, progress=lambda i, total: bar.progress(i / total, text=t("batch.saving_n", i=i, n=total))
    )
    failed = [(i, r) for i, r in enumerate(results) if isinstance(r, HabitatError)]
    saved = len(results) - len(failed)
    left_out = [f for r in results if not isinstance(r, HabitatError) for f in r.refused_files]
    if not failed:
        message = t("batch.all_saved", n=saved)
        if left_out:
            message += (
                " "
                + t("batch.left_out", n=len(left_out))
                + " "
                + " ".join(error_message(f, core.lang()) for f in left_out)
            )
        core.done(message, form=state.BATCH_FORM, kind="warning" if left_out else "success")
    st.warning(t("batch.some_failed", saved=saved, failed=len(failed)))
    for i, err in failed:
        st.error(t("batch.group_failed", i=i + 1, reason=error_message(err, core.lang())))
