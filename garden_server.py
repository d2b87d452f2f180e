"""The server: the Streamlit app (garden_app.py) plus the two routes that set and clear the sign-in cookie.

    python -m streamlit run garden_server.py --server.address 127.0.0.1 --browser.gatherUsageStats false

`streamlit run` sees the st.App below and serves it with uvicorn; every page is still garden_app.py's.
"""

import streamlit as st

from habitat.ui.signin_cookie import routes

app = st.App("garden_app.py", routes=routes())
