"""Guard: every transaction goes through habitat.db.unit (BEGIN/COMMIT/ROLLBACK nowhere else)."""

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
UNIT = ROOT / "habitat" / "db" / "unit.py"
_STATEMENT = re.compile(
    r"^\s*(BEGIN|COMMIT|ROLLBACK|START\s+TRANSACTION)(\s+(TRANSACTION|WORK))?\s*;?\s*$", re.I
)
_RUNNERS = {"execute", "executemany", "sql", "query"}


def _sqlite_functions(tree: ast.AST) -> list[ast.AST]:
    """Functions that work on a SQLite file (the benchmark's comparison copy): not DuckDB's transactions."""
    return [
        node
        for node in ast.walk(tree)
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and "sqlite3" in ast.unparse(node)
    ]


def raw_transaction_statements(path: Path, root: Path = ROOT) -> list[str]:
    """Transaction statements handed to .execute()/.sql()/.query() outside SQLite functions."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    exempt = {id(n) for f in _sqlite_functions(tree) for n in ast.walk(f)}
    return [
        f"{path.relative_to(root)}:{node.lineno}: {arg.value!r}"
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr in _RUNNERS
        and id(node) not in exempt
        for arg in node.args[:1]
        if isinstance(arg, ast.Constant) and isinstance(arg.value, str) and _STATEMENT.match(arg.value)
    ]


def test_no_module_but_the_unit_of_work_begins_commits_or_rolls_back():
    found = [
        s
        for p in sorted((ROOT / "habitat").rglob("*.py"))
        if p != UNIT
        for s in raw_transaction_statements(p)
    ]
    assert found == [], "use habitat.db.unit.unit_of_work (services: transaction(ctx)) instead"


def test_no_migration_holds_its_own_transaction_statements():
    found = [
        f"{p.name}: {line.strip()}"
        for p in sorted((ROOT / "habitat" / "db" / "migrations").glob("*.sql"))
        for line in p.read_text(encoding="utf-8").splitlines()
        if re.match(r"\s*(BEGIN|COMMIT|ROLLBACK)\b", line, re.I)
    ]
    assert found == [], "the migration runner wraps each file in a unit of work"


def test_the_guard_sees_a_raw_begin(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text(
        'def f(con, timer):\n    con.execute("BEGIN TRANSACTION")\n    timer.lap("commit")\n    con.execute("commit")\n'
        'def g(path):\n    import sqlite3\n    sqlite3.connect(path).execute("BEGIN")\n'
    )
    assert [s.split(": ", 1)[1] for s in raw_transaction_statements(sample, tmp_path)] == [
        "'BEGIN TRANSACTION'",
        "'commit'",
    ]
