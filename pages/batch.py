"""Batch photos after a patrol: grouped into draft sightings by time, species picked per group; each group
saved on its own or all together, and a saved group leaves the screen."""

import streamlit as st

from habitat.clock import local
from habitat.services import importing, overview, patrols, photo_store, sightings
from habitat.ui import core, forms, log_views, state, views
from habitat.ui.core import t
from habitat.ui.safe import md_escape

ctx = core.ctx()
st.title(t("batch.title"))
core.show_flash()
slug = views.garden_picker(ctx, sidebar=False)
garden = overview.garden_place(ctx, slug)
patrol = patrols.current_patrol(ctx)
visit_id = patrol.id if patrol and patrol.garden_id == garden.id else None
n = core.form_generation(state.BATCH_FORM)
progress = log_views.batch_progress(n)  # what was saved from this batch: those groups leave the screen

views.tally_import(ctx, garden.id, visit_id)
st.caption(t("batch.intro", n=importing.MAX_BATCH))
uploads = forms.photo_inputs(f"batch{n}")
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
        saved=progress.shas,
    )
)
if prepared is core.FAILED:
    st.stop()
bar.empty()
log_views.batch_saved_so_far(progress)
for name, reason in prepared.rejected:  # right after the upload: odd files, duplicates
    st.error(t("batch.rejected", file=md_escape(name), reason=md_escape(reason)))
if not prepared.groups and progress.groups:  # the last group was saved
    log_views.batch_finished(progress, patrol_running=patrol is not None)
st.success(
    t("batch.grouped", photos=sum(len(g.uploads) for g in prepared.groups), groups=len(prepared.groups))
)

items = {}
for i, group in enumerate(prepared.groups):
    g = f"batch{n}_g{group.key}"  # named by its photos: the keys stay when a group above it leaves
    with st.container(border=True, key=f"{g}_box"):
        if group.timed:
            st.markdown(
                t(
                    "batch.group",
                    i=i + 1,
                    time=local(group.event_date).strftime("%m-%d %H:%M"),
                    n=len(group.uploads),
                )
            )
        else:
            st.markdown(t("batch.group_no_time", i=i + 1, n=len(group.uploads)))
        st.image([photo_store.preview(ctx, u, 220) for u in group.uploads], width=110)
        for key in group.hints.warnings:
            st.warning(t(key))
        event_date = group.event_date
        if not group.timed:
            st.info(t("batch.no_time"), icon=":material/schedule:")
            event_date = forms.when_inputs(f"{g}_when", ctx.now(), ctx.config.timezone)
            if event_date > ctx.now():
                st.error(t("common.future_time"))
        species_id, description = forms.species_picker(g)
        zone_key = f"{g}_zone"
        if group.hints.zone_id and not group.hints.outside_garden:
            st.session_state.setdefault(zone_key, group.hints.zone_id)
        zone_id = forms.zone_select(garden.zones, zone_key)
        count = st.number_input(t("log.count"), min_value=1, max_value=100000, value=1, key=f"{g}_count")
        use_gps = group.hints.lat is not None and not group.hints.outside_garden
        items[group.key] = (
            sightings.SightingDraft(
                garden_id=garden.id,
                event_date=event_date,
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
            group,
        )
        log_views.batch_group_error(progress, group.key)
        if st.button(t("batch.save_group"), key=f"{g}_save", icon=":material/check:"):
            log_views.save_batch_groups(ctx, progress, [items[group.key]])

if st.button(t("batch.save_all", n=len(items)), type="primary", width="stretch", key=f"batch{n}_save"):
    log_views.save_batch_groups(ctx, progress, list(items.values()))
