"""Router and frame: page config, language, sign-in, role -> st.navigation(pages)."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from habitat.services import auth
from habitat.ui import core, look, state
from habitat.ui.core import t
from habitat.ui.safe import md_escape

st.set_page_config(page_title="生境花园日志 · Habitat Garden Log", page_icon="🌿", layout="wide")

# (file, title key, icon, roles that see it). Services check roles again: hiding is not access control.
ALL = ("volunteer", "expert", "committee")
PAGES = (
    ("pages/home.py", "nav.home", ":material/home:", ALL),
    ("pages/garden.py", "nav.garden", ":material/park:", ALL),
    ("pages/log_sighting.py", "nav.log_sighting", ":material/add_a_photo:", ALL),
    ("pages/patrol.py", "nav.patrol", ":material/directions_walk:", ALL),
    ("pages/upkeep.py", "nav.upkeep", ":material/yard:", ALL),
    ("pages/batch.py", "nav.batch", ":material/photo_library:", ALL),
    ("pages/ask.py", "nav.ask", ":material/help:", ALL),
    ("pages/my_records.py", "nav.my_records", ":material/list:", ALL),
    ("pages/review.py", "nav.review", ":material/fact_check:", ("expert",)),
    ("pages/checklist.py", "nav.checklist", ":material/menu_book:", ("expert", "committee")),
    ("pages/export.py", "nav.export", ":material/download:", ("expert", "committee")),
    ("pages/dashboard.py", "nav.dashboard", ":material/dashboard:", ("committee", "expert")),
    ("pages/biodiversity.py", "nav.biodiversity", ":material/eco:", ("committee", "expert")),
    ("pages/manage.py", "nav.manage", ":material/settings:", ("committee",)),
    ("pages/events.py", "nav.events", ":material/event:", ALL),
    ("pages/ideas.py", "nav.ideas", ":material/lightbulb:", ALL),
    ("pages/partners.py", "nav.partners", ":material/handshake:", ALL),
    ("pages/meetings.py", "nav.meetings", ":material/groups:", ("committee",)),
    ("pages/principles.py", "nav.principles", ":material/checklist:", ("committee", "expert")),
    ("pages/account.py", "nav.account", ":material/person:", ALL),
)


# Menu sections (title keys); pages of a section are contiguous in PAGES. "" = no heading.
SECTIONS = {
    "pages/home.py": "",
    "pages/garden.py": "",
    "pages/log_sighting.py": "nav.section_record",
    "pages/patrol.py": "nav.section_record",
    "pages/upkeep.py": "nav.section_record",
    "pages/batch.py": "nav.section_record",
    "pages/ask.py": "nav.section_record",
    "pages/my_records.py": "nav.section_record",
    "pages/review.py": "nav.section_expert",
    "pages/checklist.py": "nav.section_expert",
    "pages/export.py": "nav.section_expert",
    "pages/dashboard.py": "nav.section_committee",
    "pages/biodiversity.py": "nav.section_committee",
    "pages/manage.py": "nav.section_committee",
    "pages/events.py": "nav.section_community",
    "pages/ideas.py": "nav.section_community",
    "pages/partners.py": "nav.section_community",
    "pages/meetings.py": "nav.section_community",
    "pages/principles.py": "nav.section_community",
    "pages/account.py": "nav.section_account",
}


def language_switch(user) -> None:
    """Chinese or English; for a signed-in person the choice is saved with the account, so it holds
    after a reload, in a new tab and on the next sign-in."""
    current = core.lang()
    choice = st.sidebar.segmented_control(
        "语言 / Language",
        options=["zh", "en"],
        default=current,
        format_func=lambda code: {"zh": "中文", "en": "English"}[code],
        key="app_lang_switch",
    )
    if choice and choice != current:
        st.session_state[state.LANG] = choice
        if user is not None:
            auth.set_language(core.ctx(), choice)
        st.rerun()


def login_page() -> None:
    core.sign_in_form()


def not_for_role() -> None:
    """A page this role does not have (an old bookmark, a link from someone else)."""
    st.title(t("app.title"))
    st.warning(t("nav.not_for_role"))
    st.page_link("pages/home.py", label=t("nav.home"), icon=":material/home:")


def stand_ins(paths, page_fn, *, default_first: bool) -> list:
    """Hidden pages at the URLs of ``paths`` that run ``page_fn``: no "Page not found" pop-up (in English)."""
    pages = []
    for i, path in enumerate(paths):
        stem = Path(path).stem
        pages.append(
            st.Page(
                page_fn,
                title=t("login.title"),
                url_path=stem,
                visibility="hidden",
                default=default_first and i == 0,
            )
        )
    return pages


def main() -> None:
    st.session_state[state.ROUTED] = True
    user = core.current_person()  # first: a session resumed from the cookie brings the person's language
    look.apply(user.ui_mode if user else "auto")  # the sign-in form too: large on a phone
    language_switch(user)
    core.sync_cookie()
    if user is None:
        core.remember_requested_page()
        login = st.Page(login_page, title=t("login.title"), icon=":material/login:", default=True)
        st.navigation(
            [login] + stand_ins([p for p, *_ in PAGES], login_page, default_first=False), position="hidden"
        ).run()
        return
    with st.sidebar:
        st.markdown(f"**{md_escape(user.display_name)}** · {t('role.' + user.role)}")
        if st.button(t("login.sign_out"), icon=":material/logout:", key="sign_out"):
            core.sign_out()
            st.rerun()
        core.close_menu_after_navigation()
    visible = [(path, title, icon) for path, title, icon, roles in PAGES if user.role in roles]
    hidden = [path for path, _, _, roles in PAGES if user.role not in roles]
    wanted = st.session_state.pop(state.NEXT_PAGE, None)
    default = next((p for p, _, _ in visible if Path(p).stem == wanted), visible[0][0])
    menu: dict[str, list] = {}
    for path, title, icon in visible:
        section = t(SECTIONS[path]) if SECTIONS[path] else ""
        menu.setdefault(section, []).append(
            st.Page(path, title=t(title), icon=icon, default=(path == default))
        )
    if hidden:
        menu.setdefault("", []).extend(stand_ins(hidden, not_for_role, default_first=False))
    try:
        st.navigation(menu, expanded=True).run()
    except Exception as err:  # noqa: BLE001 - Streamlit's stop/rerun are BaseExceptions and pass through
        core.page_failed(err)


main()
