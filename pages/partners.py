"""Partner organisations (zoo, botanical garden, NGO, schools, shops ...): who they are, which gardens
they help, who belongs to them; contacts only for experts and the committee, edits by the committee."""

import streamlit as st

from habitat.services import overview
from habitat.services import partners as partners_service
from habitat.ui import core, partner_views
from habitat.ui.core import t

ctx = core.ctx()
st.title(t("partners.title"))
core.show_flash()
st.caption(t("partners.intro"))
partners = partners_service.list_partners(ctx)

if not ctx.can("manage_partners"):
    partner_views.partner_cards(partners)
else:
    directory, edit, pair, link = st.tabs(
        [t("partners.tab_directory"), t("partners.tab_edit"), t("partners.tab_pair"), t("partners.tab_link")]
    )
    with directory:
        partner_views.partner_cards(partners)
    with edit:
        partner_views.partner_edit_form(ctx, partners)
    with pair:
        partner_views.pairing_form(ctx, partners, overview.gardens(ctx))
    with link:
        partner_views.link_form(ctx, partners)
