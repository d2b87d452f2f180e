"""Architecture rules that a new module cannot slip past (import-linter checks the rest)."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module.split(".")[0])
    return names


def test_no_core_module_imports_streamlit():
    offenders = [
        str(p.relative_to(ROOT))
        for p in (ROOT / "habitat").rglob("*.py")
        if "ui" not in p.relative_to(ROOT / "habitat").parts and "streamlit" in _imports(p)
    ]
    assert offenders == []


def test_pages_hold_no_sql_and_no_database_handle():
    offenders = []
    for p in (ROOT / "pages").glob("*.py"):
        text = p.read_text(encoding="utf-8")
        if "duckdb" in _imports(p) or ".execute(" in text or "SELECT " in text or "INSERT INTO" in text:
            offenders.append(p.name)
    assert offenders == []


def test_pages_folder_has_no_init_file():
    assert not (ROOT / "pages" / "__init__.py").exists()


def test_pages_stand_above_the_ui_layer_and_never_reach_the_database_layer():
    """The layers contract in pyproject.toml covers the habitat package; pages/ and garden_app.py are
    scripts outside it, so their place on top (pages -> ui -> services -> db -> domain) is checked here."""
    offenders = {}
    for p in [*(ROOT / "pages").glob("*.py"), ROOT / "garden_app.py"]:
        tree = ast.parse(p.read_text(encoding="utf-8"))
        modules = {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
        modules |= {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module}
        modules |= {
            f"{n.module}.{a.name}"
            for n in ast.walk(tree)
            if isinstance(n, ast.ImportFrom) and n.module
            for a in n.names
        }
        reached = {m for m in modules if m == "habitat.db" or m.startswith("habitat.db.")}
        if reached:
            offenders[p.name] = sorted(reached)
    assert offenders == {}
