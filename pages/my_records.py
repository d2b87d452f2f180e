"""My records: see, edit or withdraw own records until reviewed; read decisions and answer questions."""

import streamlit as st

from habitat.services import sightings
from habitat.ui import core, state, views
from habitat.ui.core import t
from habitat.ui.safe import md_escape

ctx = core.ctx()
st.title(t("mine.title"))
core.show_flash()
records = sightings.my_records(ctx)
if records.empty:
    st.info(t("mine.none"))
    st.stop()

queried = records[records["queried"]]
if not queried.empty:
    st.warning(t("mine.questions_waiting", n=len(queried)))
views.sightings_table(records, with_garden=False)

labels = {
    int(
        r.id
    ): f"#{r.id} · {core.datetime_text(r.event_date)} · {views.species_labels(records[records['id'] == r.id]).iloc[0]}"
    for r in records.itertuples()
}
default = int(queried["id"].iloc[0]) if not queried.empty else int(records["id"].iloc[0])
link = st.query_params.get("record")  # home's inbox opens a record here (?record=ID), once; then she picks
if link and st.session_state.get(state.MINE_LINK_SEEN) != link:
    st.session_state[state.MINE_LINK_SEEN] = link
    if link.isdigit() and int(link) in labels:
        st.session_state[state.MINE_PICK] = int(link)
if st.session_state.get(state.MINE_PICK) not in labels:
    st.session_state[state.MINE_PICK] = default
chosen = st.selectbox(
    t("mine.open_record"),
    list(labels),
    format_func=labels.get,
    key=state.MINE_PICK,
)
row = records[records["id"] == chosen].iloc[0]

with st.container(border=True):
    st.markdown(f"**{md_escape(labels[chosen])}** · {views.status_label(row['status'])}")
    views.photo_strip(sightings.photos_of(ctx, chosen), ctx.photo_root)
    if isinstance(row["note"], str):
        st.text(row["note"])
    views.comment_thread(sightings.thread(ctx, chosen))
    if row["queried"]:
        answer = st.text_area(t("mine.answer"), key=f"mine_answer_{chosen}")
        if st.button(t("mine.send_answer"), type="primary", key=f"mine_send_{chosen}"):
            core.run(lambda: sightings.answer_query(ctx, chosen, answer), t("mine.answer_sent"))

if row["status"] == "Unconfirmed – not reviewed":
    st.subheader(t("mine.edit"))
    count = st.number_input(
        t("log.count"),
        min_value=1,
        max_value=100000,
        value=views.int_or(row["individual_count"], 1),
        key=f"mine_count_{chosen}",
    )
    note = st.text_area(
        t("log.note"), value=row["note"] if isinstance(row["note"], str) else "", key=f"mine_note_{chosen}"
    )
    left, right = st.columns(2)
    if left.button(t("mine.save_changes"), type="primary", width="stretch", key=f"mine_save_{chosen}"):
        core.run(
            lambda: sightings.update_sighting(
                ctx, chosen, int(row["version"]), {"individual_count": int(count), "note": note}
            ),
            t("mine.saved"),
        )
    sure = right.checkbox(t("mine.withdraw_confirm"), key=f"mine_sure_{chosen}")
    if right.button(t("mine.withdraw"), width="stretch", disabled=not sure, key=f"mine_withdraw_{chosen}"):
        core.run(
            lambda: sightings.withdraw_sighting(ctx, chosen, int(row["version"])),
            t("mine.withdrawn", id=chosen),
        )
else:
    st.caption(t("mine.reviewed_locked"))
