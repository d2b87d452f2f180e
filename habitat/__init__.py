"""Habitat Garden Log core: domain rules, database, services and exports. Never imports streamlit."""

__version__ = "0.1.0"
