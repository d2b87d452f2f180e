"""Partner organisations (zoo, botanical garden, NGO, schools, shops ...): who they are, which gardens
they help, who belongs to them; contacts only for experts and the committee, edits by the committee."""

import streamlit as st

from habitat.services import events, overview
from habitat.ui import core
from habitat.ui import event_views as ev
from habitat.ui.core import t

ctx = core.ctx()
st.title(t("partners.title"))
core.show_flash()
st.caption(t("partners.intro"))
partners = events.list_partners(ctx)

if not ctx.can("manage_partners"):
    ev.partner_cards(partners)
else:
    directory, edit, pair, link = st.tabs(
        [t("partners.tab_directory"), t("partners.tab_edit"), t("partners.tab_pair"), t("partners.tab_link")]
    )
    with directory:
        ev.partner_cards(partners)
    with edit:
        ev.partner_edit_form(ctx, partners)
    with pair:
        ev.pairing_form(ctx, partners, overview.gardens(ctx))
    with link:
        ev.link_form(ctx, partners)
