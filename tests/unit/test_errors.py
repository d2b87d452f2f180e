"""Every error type can show its message with user values quoted (the Streamlit layer relies on it)."""

import importlib
import inspect
import pkgutil

import habitat
from habitat.errors import HabitatError


def all_error_types():
    for info in pkgutil.walk_packages(habitat.__path__, "habitat."):
        if info.name.startswith(("habitat.ui", "habitat.bench")) or info.name.endswith("__main__"):
            continue
        importlib.import_module(info.name)
    seen, todo = set(), [HabitatError]
    while todo:
        cls = todo.pop()
        if cls not in seen:
            seen.add(cls)
            todo.extend(cls.__subclasses__())
    return seen


def test_every_error_type_takes_a_quote_rule_for_its_message():
    missing = [
        f"{c.__module__}.{c.__name__}"
        for c in all_error_types()
        if "quote" not in inspect.signature(c.message).parameters
    ]
    assert missing == []


def test_quoting_applies_to_text_parameters_only():
    err = HabitatError("auth.username_taken", username="a*b")
    assert "a*b" in err.message("en") and "<a*b>" not in err.message("en")
    assert "<a*b>" in err.message("en", quote=lambda v: f"<{v}>")
