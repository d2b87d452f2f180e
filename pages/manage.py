"""Committee management (placeholder until the management area lands)."""

import streamlit as st

from habitat.ui import core
from habitat.ui.core import t

ctx = core.ctx()
st.title(t("nav.manage"))
