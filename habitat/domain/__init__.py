"""Plain data and pure rules: no I/O, no database, no streamlit."""
