"""Widgets and tables of the committee dashboard and biodiversity pages."""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from habitat import reporting
from habitat.reporting.posters import only_this_machine
from habitat.services import review
from habitat.services.dashboard import month_bounds
from habitat.ui import core, state
from habitat.ui.core import t

TASK_KINDS = (
    "water",
    "weed",
    "prune",
    "pond",
    "insect_hotel",
    "litter",
    "feeder",
    "mow",
    "invasive_removal",
    "pesticide",
    "fertiliser",
    "other",
)


def scope_and_month(ctx, gardens: pd.DataFrame, *, default_previous: bool = False):
    """The two pickers of the committee pages, side by side at the top of the page (on a phone one
    above the other, before the figures: in the sidebar they were at the bottom of the menu, out of
    sight). Returns (garden id or None for the whole town, its label, month start, month end)."""
    left, right = st.columns(2)
    with left:
        garden_id, label = scope_picker(ctx, gardens)
    with right:
        start, end = month_picker(ctx, default_previous=default_previous)
    return garden_id, label, start, end


def scope_picker(ctx, gardens: pd.DataFrame) -> tuple[int | None, str]:
    """The whole town or one garden (a link may preset ?garden=slug)."""
    names = dict(zip(gardens["id"], core.pick(gardens["name"], gardens["name_en"])))
    options = [None] + [int(i) for i in gardens["id"]]
    preset = st.query_params.get("garden")
    if preset in set(gardens["slug"]) and state.DASH_SCOPE not in st.session_state:
        st.session_state[state.DASH_SCOPE] = int(gardens.loc[gardens["slug"] == preset, "id"].iloc[0])
    choice = st.selectbox(
        t("dash.scope_label"),
        options,
        format_func=lambda i: t("dash.whole_town") if i is None else names[i],
        key=state.DASH_SCOPE,
    )
    return choice, t("dash.whole_town") if choice is None else names[choice]


def month_picker(ctx, *, default_previous: bool = False):
    """The last twelve months; the biodiversity view opens on the last complete month."""
    now = ctx.now()
    months = []
    year, month = now.year, now.month
    for _ in range(12):
        months.append((year, month))
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    chosen = st.selectbox(
        t("dash.month"),
        months,
        index=1 if default_previous else 0,
        format_func=lambda ym: core.month_text(date(*ym, 1)),
        key="dash_month",
    )
    return month_bounds(*chosen, tz=ctx.config.timezone)


def task_labels() -> dict[str, str]:
    return {k: t("task." + k) for k in TASK_KINDS}


def due_summary(due: pd.DataFrame) -> None:
    overdue = due[due["days_overdue"] > 0]
    cols = st.columns(3)
    cols[0].metric(t("dash.due_today"), int((due["days_overdue"] == 0).sum()))
    cols[1].metric(t("dash.overdue"), len(overdue))
    cols[2].metric(
        t("dash.most_overdue"),
        f"{int(overdue['days_overdue'].max()) if len(overdue) else 0} {t('dash.days')}",
    )
    if due.empty:
        return
    shown = pd.DataFrame(
        {
            t("col.garden"): due["garden"],
            t("col.zone"): core.pick(due["zone"], due["zone_en"]),
            t("col.task"): due["kind"].map(lambda k: t("task." + k)),
            t("dash.days_overdue"): due["days_overdue"],
            t("dash.warning"): due["wildlife_warning"].map(lambda w: "⚠" if w else ""),
        }
    )
    core.table(shown, hide_index=True, width="stretch", height=min(400, 36 * (len(shown) + 1)))


def problems_age(problems: pd.DataFrame) -> None:
    st.subheader(t("dash.open_problems"))
    if problems.empty:
        st.success(t("ask.no_open_problems"))
        return
    core.table(
        pd.DataFrame(
            {
                t("col.garden"): problems["garden"],
                t("col.zone"): problems["zone"],
                t("col.kind"): problems["kind"].map(lambda k: t("problem." + k)),
                t("col.description"): problems["description"],
                t("dash.age_days"): problems["age_days"],
            }
        ),
        hide_index=True,
        width="stretch",
    )


def review_age(review: pd.DataFrame) -> None:
    st.subheader(t("dash.review_age"))
    if review.empty:
        st.success(t("review.queue_empty"))
        return
    core.table(
        pd.DataFrame(
            {
                t("col.garden"): review["garden"],
                t("dash.waiting"): review["waiting"],
                t("dash.median_days"): review["median_days"],
                t("dash.oldest_days"): review["oldest_days"],
            }
        ),
        hide_index=True,
        width="stretch",
    )


def hours_table(hours: pd.DataFrame) -> None:
    st.caption(t("hours.what_counts"))
    if hours.empty:
        st.info(t("common.nothing_yet"))
        return
    core.table(
        pd.DataFrame(
            {
                t("dash.person"): hours["person"],
                t("dash.patrol_hours"): hours["patrol_hours"].fillna(0),
                t("dash.task_hours"): hours["task_hours"].fillna(0),
                t("dash.event_hours"): hours["event_hours"].fillna(0) if "event_hours" in hours else 0,
                t("dash.hours"): hours["hours"],
            }
        ),
        hide_index=True,
        width="stretch",
    )


def regulars_table(regulars: pd.DataFrame) -> None:
    if regulars.empty:
        st.info(t("common.nothing_yet"))
        return
    core.table(
        pd.DataFrame(
            {
                t("dash.person"): regulars["person"],
                t("dash.hours_year"): regulars["hours"],
                t("dash.active_weeks"): regulars["active_weeks"],
                t("dash.current_streak"): regulars["current_streak"],
                t("dash.longest_streak"): regulars["longest_streak"],
            }
        ),
        hide_index=True,
        width="stretch",
    )


def town_table(town: pd.DataFrame) -> None:
    core.table(
        pd.DataFrame(
            {
                t("col.garden"): core.pick(town["name"], town["name_en"]),
                t("dash.records"): town["records"],
                t("dash.species"): town["species"],
                t("dash.patrols"): town["patrols"],
                t("dash.task_logs"): town["task_logs"],
                t("home.open_problems"): town["open_problems"],
            }
        ),
        hide_index=True,
        width="stretch",
    )


def month_labels() -> list[str]:
    return [t(f"fmt.mon_{m}") for m in range(1, 13)]  # 1月 … / Jan …: the month names of i18n's dates


def diversity_table(table: pd.DataFrame) -> None:
    if table.empty:
        st.info(t("common.nothing_yet"))
        return
    core.table(
        pd.DataFrame(
            {
                t("col.garden"): table["name"],
                t("bio.individuals"): table["individuals"],
                t("bio.observed"): table["species"],
                "Chao1": table["chao1"],
                t("bio.chao1_ci"): [f"{a}–{b}" for a, b in zip(table["chao1_low"], table["chao1_high"])],
                "Shannon H'": table["shannon"],
                "Simpson 1-D": table["simpson"],
                t("bio.rarefied", n=int(table["rarefied_to"].iloc[0])): table["rarefied"],
            }
        ),
        hide_index=True,
        width="stretch",
    )


def species_table(species: pd.DataFrame, *, only_new: bool = False) -> None:
    frame = species[species["new"]] if only_new and not species.empty else species
    if frame.empty:
        st.info(t("common.nothing_yet"))
        return
    core.table(
        pd.DataFrame(
            {
                t("col.species"): core.pick(frame["chinese_name"], frame["english_name"]),
                t("col.scientific"): frame["scientific_name"],
                t("col.group"): frame["group_name"].map(lambda g: t("group." + g)),
                t("dash.records"): frame["records"],
                t("bio.individuals"): frame["individuals"],
                t("bio.first_ever"): frame["first_ever"].map(core.date_text),
            }
        ),
        hide_index=True,
        width="stretch",
    )


def selected_zone_ids(event) -> set[int]:
    """Zones clicked or box-selected on the plan: on the offline plan each zone's marker carries
    [zone id, code, name, value] as customdata; on the online map (Choroplethmap) the zone id is
    the point's location. Sighting markers carry neither and are ignored."""
    try:
        points = event.selection.points
    except AttributeError:
        return set()
    ids = set()
    for p in points or []:
        if not isinstance(p, dict):
            continue
        if "location" in p:
            ref = p["location"]
        else:
            data = p.get("customdata")
            ref = data[0] if isinstance(data, (list, tuple)) and data else None
        if ref is not None and str(ref).isdigit():
            ids.add(int(ref))
    return ids


def zone_life_table(zones: pd.DataFrame, selected: set[int]) -> None:
    frame = zones[zones["id"].isin(selected)] if selected else zones
    if selected:
        st.caption(t("bio.filtered_zones", n=len(selected)))
    core.table(
        pd.DataFrame(
            {
                t("col.code"): frame["code"],
                t("col.zone"): frame["label"],
                t("bio.metric_task_logs"): frame["task_logs"],
                t("col.minutes"): frame["task_minutes"],
                t("bio.task_kinds"): frame["task_kinds"].map(
                    lambda s: "、".join(t("task." + k) for k in s.split(",") if k)
                ),
                t("bio.metric_species"): frame["species"],
                t("bio.metric_records"): frame["records"],
                t("bio.per_observer_hour"): frame["records_per_observer_hour"].map(
                    lambda v: None if v is None else round(v, 2)
                ),
            }
        ),
        hide_index=True,
        width="stretch",
    )


def before_after_table(frame: pd.DataFrame) -> None:
    core.table(
        pd.DataFrame(
            {
                t("col.code"): frame["code"],
                t("col.zone"): frame["name"],
                t("bio.species_before"): frame["species_before"],
                t("bio.species_after"): frame["species_after"],
                t("bio.rate_before"): frame["records_per_observer_hour_before"].map(
                    lambda v: None if v is None else round(v, 2)
                ),
                t("bio.rate_after"): frame["records_per_observer_hour_after"].map(
                    lambda v: None if v is None else round(v, 2)
                ),
            }
        ),
        hide_index=True,
        width="stretch",
    )


def auto_accept_switch(ctx) -> None:
    """Committee switch: easy taxa with a photo and no flag may be accepted by the machine."""
    if not ctx.can("change_settings"):
        return
    current = review.auto_accept_enabled(ctx)
    wanted = st.toggle(
        t("dash.auto_accept"), value=current, help=t("dash.auto_accept_help"), key="dash_auto_accept"
    )
    if wanted != current:

        def switch() -> int:
            review.set_auto_accept(ctx, wanted)
            return review.run_auto_accept(ctx) if wanted else 0

        core.run(
            switch, lambda done: t("dash.auto_accept_done", n=done) if wanted else t("dash.auto_accept_off")
        )


def report_section(ctx, garden_slug: str | None, month_start) -> None:
    """The monthly report (self-contained HTML) and, for one garden, its zones' QR posters."""
    st.caption(t("dash.report_help"))
    lang = (
        st.segmented_control(
            t("account.language"),
            ["zh", "en"],
            default=core.lang(),
            key="dash_report_lang",
            format_func=lambda c: {"zh": "中文", "en": "English"}[c],
        )
        or core.lang()
    )
    if st.button(t("dash.make_report"), type="primary", key="dash_make_report"):
        bar = st.progress(0.0, text=t("dash.making_report"))
        html = reporting.build_report(
            ctx,
            garden_slug=garden_slug,
            year=month_start.year,
            month=month_start.month,
            lang=lang,
            progress=lambda fraction, label: bar.progress(min(1.0, fraction), text=label),
        )
        st.session_state[state.DASH_REPORT] = (garden_slug, month_start.strftime("%Y-%m"), html)
        bar.empty()
    ready = st.session_state.get(state.DASH_REPORT)
    if ready and ready[0] == garden_slug and ready[1] == month_start.strftime("%Y-%m"):
        name = f"habitat-report-{garden_slug or 'town'}-{ready[1]}.html"
        st.download_button(
            t("dash.download_report"),
            ready[2].encode("utf-8"),
            name,
            "text/html",
            width="stretch",
            on_click="ignore",
            key="dash_report_download",
        )
    if garden_slug and ctx.can("manage_gardens"):
        st.subheader(t("dash.posters"))
        st.caption(t("dash.posters_help", url=ctx.config.base_url))
        if only_this_machine(ctx.config.base_url):
            st.warning(t("dash.posters_local", url=ctx.config.base_url), icon=":material/wifi_off:")
        # made in a run on a button, not deferred: a deferred download runs later, outside any run (no
        # fresh check of who asks) and its callable can be dropped before the click ("file not found")
        if st.button(t("dash.make_posters"), key="dash_make_posters"):
            st.session_state[state.DASH_POSTERS] = (
                garden_slug,
                reporting.build_posters(ctx, garden_slug, lang=core.lang()),
            )
        posters = st.session_state.get(state.DASH_POSTERS)
        if posters and posters[0] == garden_slug:
            st.download_button(
                t("dash.download_posters"),
                posters[1].encode("utf-8"),
                f"qr-posters-{garden_slug}.html",
                "text/html",
                width="stretch",
                on_click="ignore",
                key="dash_posters_download",
            )
