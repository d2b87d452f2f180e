import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _literal(name):
    tree = ast.parse((ROOT / "garden_app.py").read_text(encoding="utf-8"))
    env = {}
    for node in tree.body:
        if (
            isinstance(node, ast.Assign)
            and isinstance(node.targets[0], ast.Name)
            and node.targets[0].id in ("ALL", name)
        ):
            env[node.targets[0].id] = eval(
                compile(ast.Expression(node.value), "garden_app.py", "eval"), {}, dict(env)
            )  # noqa: S307 - our own literals
    return env[name]


def test_every_page_file_exists_and_has_a_menu_section():
    pages, sections = _literal("PAGES"), _literal("SECTIONS")
    assert [p for p, *_ in pages if not (ROOT / p).is_file()] == []
    assert set(sections) == {p for p, *_ in pages}


def test_pages_of_a_section_are_contiguous_in_the_menu():
    pages, sections = _literal("PAGES"), _literal("SECTIONS")
    order = [sections[p] for p, *_ in pages]
    seen = []
    for s in order:
        if not seen or seen[-1] != s:
            assert s not in seen, f"section {s!r} is split"
            seen.append(s)
