"""nav.events (being built)."""

import streamlit as st

from habitat.ui import core
from habitat.ui.core import t

ctx = core.ctx()
st.title(t("nav.events"))
