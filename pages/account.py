"""Account: language, display mode (适老化), password change, signing out on every device."""

import streamlit as st

from habitat.domain.roles import UI_MODES
from habitat.services import auth
from habitat.ui import core
from habitat.ui.core import t
from habitat.ui.safe import md_escape

ctx = core.ctx()
core.show_flash()
user = ctx.user
st.title(t("account.title"))
st.write(
    t(
        "account.signed_in_as",
        name=md_escape(user.display_name),
        username=md_escape(user.username),
        role=t("role." + user.role),
    )
)

st.subheader(t("account.language"))
if st.button(t("account.save_language"), key="account_save_lang"):
    auth.set_language(ctx, core.lang())
    st.success(t("account.language_saved"))

st.subheader(t("look.heading"))
st.caption(t("look.help"))
mode_labels = {m: t("look." + m) for m in UI_MODES}  # built now: AppTest formats outside the run
# The key carries the saved mode: a change saved on another device shows here, never saved back.
mode = st.radio(
    t("look.heading"),
    UI_MODES,
    index=UI_MODES.index(user.ui_mode) if user.ui_mode in UI_MODES else 0,
    format_func=mode_labels.get,
    label_visibility="collapsed",
    key=f"account_ui_mode_{user.ui_mode}",
)
if mode != user.ui_mode:
    core.run(lambda: auth.set_ui_mode(ctx, mode), t("look.saved"))  # reruns: the page is redrawn in it

st.subheader(t("account.change_password"))
with st.form("account_password_form", enter_to_submit=False):
    old = st.text_input(t("account.old_password"), type="password", key="account_old_pw")
    new = st.text_input(t("account.new_password"), type="password", key="account_new_pw")
    again = st.text_input(t("account.new_password_again"), type="password", key="account_new_pw2")
    if st.form_submit_button(t("account.change_password"), type="primary"):
        if new != again:
            st.error(t("account.passwords_differ"))
        else:
            changed = core.attempt(lambda: auth.change_password(ctx, old, new, session_id=core.session_id()))
            if changed is not core.FAILED:
                st.success(t("account.password_changed"))

st.subheader(t("account.sessions"))
st.caption(t("account.sessions_help"))
if st.button(t("account.sign_out_everywhere"), icon=":material/devices:", key="account_sign_out_all"):
    ended = auth.sign_out_everywhere(ctx)
    core.sign_out()
    core.flash("info", t("auth.signed_out_everywhere", n=ended))
    st.rerun()
