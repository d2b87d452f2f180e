"""The only Streamlit-aware helpers: cached connection, context, translation, session keys."""
