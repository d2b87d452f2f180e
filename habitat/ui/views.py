"""Reusable page pieces: tables, cards, the garden picker, the due list."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import streamlit as st

from habitat.domain.verification import STATUS_KEYS
from habitat.services import importing, overview, upkeep
from habitat.services.checklist import GROUPS, RANKS
from habitat.ui import core, state
from habitat.ui.core import t
from habitat.ui.safe import md_escape


def garden_picker(ctx, *, sidebar: bool = True) -> str:
    """Choose a garden: link/QR preset (?garden=slug), then last choice, then the home garden."""
    gardens = overview.gardens(ctx)
    slugs = list(gardens["slug"])
    names = dict(zip(gardens["slug"], core.pick(gardens["name"], gardens["name_en"])))
    preset = st.query_params.get("garden")
    if preset in slugs:
        st.session_state[state.GARDEN] = preset
    if st.session_state.get(state.GARDEN) not in slugs:
        home = gardens.loc[gardens["id"] == ctx.user.home_garden_id, "slug"]
        st.session_state[state.GARDEN] = home.iloc[0] if len(home) else slugs[0]
    where = st.sidebar if sidebar else st
    return where.selectbox(t("common.garden"), slugs, format_func=names.get, key=state.GARDEN)


def species_labels(frame: pd.DataFrame) -> pd.Series:
    if frame.empty:
        return pd.Series([], dtype=str)
    name = core.pick(frame["chinese_name"], frame["english_name"])
    return name.fillna(frame["verbatim_identification"]).fillna(t("common.unidentified"))


def status_label(status: str) -> str:
    return t(STATUS_KEYS.get(status, "status.not_reviewed"))


def count_label(value) -> str:
    return t("common.present") if value is None or pd.isna(value) else str(int(value))


def sightings_table(frame: pd.DataFrame, *, with_garden: bool = True) -> None:
    """Recent records in four narrow columns (fits a 390 px phone); the garden only where it varies."""
    if frame.empty:
        st.info(t("common.nothing_yet"))
        return
    counts = frame["individual_count"].map(lambda c: "" if c is None or pd.isna(c) else f" ×{int(c)}")
    columns = {
        t("col.when"): frame["event_date"].map(core.datetime_text),
        t("col.species"): species_labels(frame) + counts,
    }
    if with_garden:
        columns[t("col.garden")] = frame["garden"]
    columns[t("col.zone")] = core.pick(frame["zone"], frame["zone_en"]).fillna("—")  # no zone: not "None"
    columns[t("col.status")] = frame["status"].map(status_label)
    core.table(pd.DataFrame(columns), hide_index=True, width="stretch")


def group_table(queue: pd.DataFrame) -> None:
    shown = pd.DataFrame(
        {
            t("col.group"): queue["group_name"].map(lambda g: t("group." + g)),
            t("col.records"): queue["records"],
            t("col.oldest"): queue["oldest"].map(core.date_text),
        }
    )
    core.table(shown, hide_index=True, width="stretch")


def headline_cards(headlines: pd.DataFrame) -> None:
    for row in headlines.itertuples():
        with st.container(border=True):
            st.markdown(f"**{md_escape(core.pick(row.name, row.name_en))}**")
            cols = st.columns(4)
            cols[0].metric(t("home.sightings_month"), int(row.sightings_month))
            cols[1].metric(t("home.species_year"), int(row.species_year))
            cols[2].metric(t("home.open_problems"), int(row.open_problems))
            cols[3].metric(t("home.hours_month"), f"{row.hours_month:.0f}", help=t("hours.what_counts"))


def due_list(
    due: pd.DataFrame,
    *,
    limit: int | None = None,
    visit_id: int | None = None,
    offer: tuple[str, ...] = (),
) -> None:
    """Tasks due today and overdue, most overdue first; one tap logs one as done now (a toast and the
    message at the top, with the next steps in ``offer``: core.offers)."""
    if due.empty:
        st.success(t("upkeep.nothing_due"))
        return
    ctx = core.ctx()
    rows = due if limit is None else due.head(limit)
    for r in rows.itertuples():
        zone = core.pick(r.zone, r.zone_en)
        garden = core.pick(r.garden, r.garden_en)
        kind = t("task." + r.kind)
        when = (
            t("upkeep.due_today") if r.days_overdue == 0 else t("upkeep.overdue_days", n=int(r.days_overdue))
        )
        with st.container(border=True):
            left, right = st.columns([3, 1], vertical_alignment="center")
            left.markdown(
                f"**{kind}**{'' if r.title == kind else ' · ' + md_escape(r.title)}  \n"
                f"{md_escape(garden)} · {md_escape(zone)} · :{'red' if r.days_overdue > 0 else 'orange'}[{when}]"
            )
            if r.wildlife_warning:
                left.warning(t("upkeep.wildlife_warning"), icon=":material/egg:")
            if right.button(t("upkeep.done"), key=f"due_done_{r.id}", type="primary", width="stretch"):
                core.run(
                    lambda: upkeep.log_task(ctx, int(r.id), visit_id=visit_id),
                    t("upkeep.logged", task=md_escape(r.title)),
                    offer=offer,
                )
    if limit is not None and len(due) > limit:
        st.caption(t("upkeep.more_due", n=len(due) - limit))


def zone_table(zones: pd.DataFrame) -> None:
    shown = pd.DataFrame(
        {
            t("col.code"): zones["code"],
            t("col.zone"): zones["label"] if "label" in zones else zones["name"],
            t("col.kind"): zones["kind"].map(lambda k: t("zone." + k)),
            t("col.area"): zones["area_m2"].round(0).astype(int),
            t("garden.sightings_30d"): zones["sightings"],
            t("garden.species_30d"): zones["species"],
        }
    )
    core.table(shown, hide_index=True, width="stretch")


def features_table(features: pd.DataFrame) -> None:
    if features.empty:
        st.info(t("common.nothing_yet"))
        return
    shown = pd.DataFrame(
        {
            t("col.feature"): features["name"],
            t("col.kind"): features["kind"].map(lambda k: t("feature." + k)),
            t("col.zone"): core.pick(features["zone"], features["zone_en"]),
            t("col.condition"): features["condition"].map(lambda c: t("condition." + c)),
        }
    )
    core.table(shown, hide_index=True, width="stretch")


def photo_hint_message(hints, zones: pd.DataFrame) -> None:
    """Say what the first photo told us, so nothing is applied silently."""
    parts = []
    clock_wrong = [key for key in hints.warnings if key.startswith("photo.warn_time")]
    for key in clock_wrong:
        st.warning(t(key), icon=":material/schedule:")  # the photo's clock was wrong: say it where she looks
    if hints.event_date:
        parts.append(t("photos.hint_time", time=core.datetime_text(hints.event_date, year=True)))
    elif not clock_wrong:
        parts.append(t("photos.hint_no_time"))
    if hints.lat is None:
        parts.append(t("photos.hint_no_gps"))
    elif hints.outside_garden:
        st.warning(t("photos.hint_outside", m=round(hints.distance_m or 0)))
    elif hints.zone_id:
        row = zones[zones["id"] == hints.zone_id].iloc[0]
        parts.append(
            t(
                "photos.hint_zone",
                zone=md_escape(f"{row['code']} · {core.pick(row['name'], row['name_en'])}"),
            )
        )
    for key in hints.warnings:
        if key not in clock_wrong:
            parts.append(t(key))
    st.caption(" ".join(parts))


def task_log_table(logs: pd.DataFrame) -> None:
    if logs.empty:
        st.info(t("common.nothing_yet"))
        return
    shown = pd.DataFrame(
        {
            t("col.when"): logs["done_at"].map(core.datetime_text),
            t("col.task"): logs["kind"].map(lambda k: t("task." + k)),
            t("col.garden"): logs["garden"],
            t("col.zone"): logs["zone"].fillna("—"),
            t("col.minutes"): logs["minutes"].astype("Int64"),
        }
    )
    core.table(shown, hide_index=True, width="stretch")


def question_cards(questions: pd.DataFrame) -> None:
    if questions.empty:
        st.info(t("common.nothing_yet"))
        return
    for q in questions.itertuples():
        with st.container(border=True):
            st.markdown(f"**{core.date_text(q.asked_at)}** · {md_escape(q.garden)} · {md_escape(q.zone)}")
            st.text(q.body)  # plain text: never rendered as Markdown/HTML
            if isinstance(q.answer, str):
                verdict = t("verdict." + q.verdict) if isinstance(q.verdict, str) else ""
                name = f"{q.chinese_name} ({q.scientific_name})" if isinstance(q.chinese_name, str) else ""
                st.success(
                    f"{t('ask.answer_from', name=md_escape(q.answered_by))} {verdict} {md_escape(name)}".strip()
                )
                st.text(q.answer)
            else:
                st.caption(t("ask.waiting"))


def problem_table(problems: pd.DataFrame) -> None:
    if problems.empty:
        st.success(t("ask.no_open_problems"))
        return
    shown = pd.DataFrame(
        {
            t("col.when"): problems["reported_at"].map(core.date_text),
            t("col.kind"): problems["kind"].map(lambda k: t("problem." + k)),
            t("col.zone"): problems["zone"].fillna("—"),
            t("col.description"): problems["description"],
            t("col.reported_by"): problems["reported_by"],
        }
    )
    core.table(shown, hide_index=True, width="stretch")


def int_or(value, default: int) -> int:
    return default if value is None or pd.isna(value) else int(value)


def photo_strip(photos: pd.DataFrame, root, *, large: bool = False) -> None:
    """Thumbnails (or display copies) of a record's photos; all are EXIF-free renditions."""
    if photos.empty:
        return
    column = "display_path" if large else "thumb_path"
    paths = [str(root / p) for p in photos[column]]
    existing = [p for p in paths if Path(p).exists()]
    if existing:
        st.image(existing, width="stretch" if large else 160)
    if len(existing) < len(paths):
        st.caption(t("photos.missing_file"))


def comment_thread(comments: pd.DataFrame) -> None:
    for c in comments.itertuples():
        label = t("thread." + c.kind, name=md_escape(c.author))
        st.markdown(f"**{label}** · {core.datetime_text(c.created_at)}")
        st.text(c.body)


def status_count_row(counts: pd.DataFrame) -> None:
    if counts.empty:
        return
    cols = st.columns(min(len(counts), 6))
    for col, r in zip(cols, counts.itertuples()):
        col.metric(status_label(r.status), int(r.records))


def checklist_table(table: pd.DataFrame) -> None:
    shown = table[table["accepted_id"].isna()]
    core.table(
        pd.DataFrame(
            {
                t("col.species"): shown["chinese_name"],
                t("col.scientific"): shown["scientific_name"],
                "English": shown["english_name"],
                t("col.group"): shown["group_name"].map(lambda g: t("group." + g)),
                t("col.difficulty"): shown["difficulty"],
                t("col.flags"): [
                    " ".join(
                        f
                        for f, on in (
                            (t("flag.invasive"), inv),
                            (t("flag.sensitive"), sens),
                            (t("flag.introduced"), not nat),
                        )
                        if on
                    )
                    for inv, sens, nat in zip(shown["invasive"], shown["sensitive"], shown["native"])
                ],
                t("col.synonyms"): shown["synonyms"].fillna(""),
            }
        ),
        hide_index=True,
        width="stretch",
        height=300,
    )


def species_form(key: str, row) -> dict:
    """The editable fields of a species (row: current values or None for a new one)."""

    def val(name, default):
        return default if row is None or pd.isna(row[name]) else row[name]

    values = {
        "chinese_name": st.text_input(
            t("checklist.chinese_name"), value=val("chinese_name", ""), key=f"{key}_zh"
        ),
        "english_name": st.text_input("English", value=val("english_name", ""), key=f"{key}_en"),
        "group_name": st.selectbox(
            t("col.group"),
            GROUPS,
            index=GROUPS.index(val("group_name", "bird")),
            format_func=lambda g: t("group." + g),
            key=f"{key}_group",
        ),
        "taxon_rank": st.selectbox(
            t("checklist.rank"), RANKS, index=RANKS.index(val("taxon_rank", "species")), key=f"{key}_rank"
        ),
        "synonyms": st.text_input(
            t("col.synonyms"), value=val("synonyms", ""), key=f"{key}_syn", help=t("checklist.synonyms_help")
        ),
        "difficulty": st.slider(t("col.difficulty"), 1, 5, int(val("difficulty", 2)), key=f"{key}_diff"),
        "usual_months": st.text_input(
            t("checklist.months"), value=val("usual_months", "1-12"), key=f"{key}_months"
        ),
        "invasive": st.checkbox(t("flag.invasive"), value=bool(val("invasive", False)), key=f"{key}_inv"),
        "sensitive": st.checkbox(
            t("flag.sensitive"),
            value=bool(val("sensitive", False)),
            key=f"{key}_sens",
            help=t("checklist.sensitive_help"),
        ),
    }
    values["invasive_action"] = (
        "remove"
        if values["invasive"]
        and st.checkbox(
            t("checklist.remove_action"), value=val("invasive_action", "") == "remove", key=f"{key}_remove"
        )
        else None
    )
    return values


def tally_import(ctx, garden_id: int, visit_id: int | None) -> None:
    """A paper tally sheet typed into Excel and saved as CSV: all rows or none, errors by line."""

    with st.expander(t("tally.title")):
        st.caption(t("tally.help"))
        upload = core.file_uploader(
            t("tally.file"), button="files.pick_button", type=["csv", "txt"], key="tally_file"
        )
        if upload is not None and st.button(
            t("tally.import"), type="primary", key="tally_go", width="stretch"
        ):
            result = core.attempt(
                lambda: importing.import_tally(ctx, garden_id, upload.getvalue(), visit_id=visit_id)
            )
            if result is core.FAILED:
                return
            if result.errors:
                st.error(t("tally.errors", n=len(result.errors)))
                for line, message in result.errors:
                    st.text(t("checklist.row_error", line=line, message=message))
            else:
                st.success(t("tally.done", n=result.imported))
