"""Cached reads that clear themselves when a committed write changed what they hold.

A service declares what its writes change (``unit.changed("species")`` inside ``transaction(ctx)``);
after the commit, habitat.db.unit calls the listeners of that topic. This module registers the
Streamlit caches as such listeners, so no page has to remember to clear a cache after a save, and
the core stays free of Streamlit. st.cache_data is shared by every session of the process, and so
is the database: one clear serves everyone.
"""

from __future__ import annotations

from typing import TypeVar

from habitat.db import unit

Cached = TypeVar("Cached")


def cleared_on(*topics: str):
    """Decorate a ``st.cache_data`` / ``st.cache_resource`` function (applied after it):
    the whole cache is cleared after every commit that declared one of ``topics`` changed."""

    def register(cached: Cached) -> Cached:
        key = f"{cached.__module__}.{cached.__qualname__}.clear"  # a rerun or reimport replaces, never adds
        for topic in topics:
            unit.listen(topic, cached.clear, key=key)
        return cached

    return register
