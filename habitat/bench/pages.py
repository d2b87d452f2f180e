"""Server-side page renders with AppTest: the one benchmark module that drives Streamlit (through habitat.ui)."""

from __future__ import annotations

import ast
import logging
import os
from pathlib import Path
from typing import Any

from habitat.bench.common import APP, Log, Sizes, first_person, ms, stats, timed
from habitat.db import connect
from habitat.ui.apptest import signed_in, st


def app_pages() -> list[tuple[str, str, str, tuple[str, ...]]]:
    """garden_app.PAGES, read from the source (importing garden_app would run the app)."""
    tree = ast.parse(APP.read_text(encoding="utf-8"))
    consts: dict[str, Any] = {}

    class Inline(ast.NodeTransformer):
        def visit_Name(self, node: ast.Name) -> ast.AST:
            if node.id in consts:
                return ast.copy_location(ast.Constant(consts[node.id]), node)
            return node

    for node in tree.body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            name = node.targets[0].id
            if name in ("ALL", "PAGES"):
                consts[name] = ast.literal_eval(Inline().visit(node.value))
    return [tuple(p) for p in consts["PAGES"]]


class _OnlyErrors:
    """Logging filter: Streamlit run bare warns "missing ScriptRunContext" hundreds of times."""

    def filter(self, record) -> bool:
        return record.levelno >= 40


_ONLY_ERRORS = _OnlyErrors()


def _quiet_streamlit() -> None:
    for name, logger in list(logging.root.manager.loggerDict.items()):
        if (
            name.startswith("streamlit")
            and isinstance(logger, logging.Logger)
            and _ONLY_ERRORS not in logger.filters
        ):
            logger.addFilter(_ONLY_ERRORS)


def page_render(sizes: Sizes, db: Path, work: Path, n_rows: int, log: Log) -> dict:
    pages = app_pages()
    con = connect(db)
    try:
        people = {
            "committee": first_person(con, "role = 'committee'"),
            "expert": first_person(con, "role = 'expert' AND expertise LIKE '%bird%'"),
            "volunteer": first_person(con, "role = 'volunteer' AND home_garden_id IS NOT NULL"),
        }
    finally:
        con.close()
    env = {"GARDEN_DB": str(db), "GARDEN_PHOTOS": str(work / "photos_pages"), "GARDEN_LANG": "zh"}
    saved_env = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    _quiet_streamlit()
    st.cache_resource.clear()
    st.cache_data.clear()
    sessions: dict[str, Any] = {}
    per_page = []
    all_ms: list[float] = []
    log(f"pages: {len(pages)} pages, AppTest, 1 warm-up + {sizes.page_reps} runs each, {n_rows:,} sightings")
    try:
        for path, _title, _icon, roles in pages:
            role = "committee" if "committee" in roles else roles[0]
            if role not in sessions:
                at = signed_in(APP, db, people[role].id, lang="zh", timeout=300)
                dt, _ = timed(at.run)
                _quiet_streamlit()  # loggers created during the first run
                sessions[role] = at
                log(f"  signed in as {role} ({people[role].username}); first run {dt:.2f} s")
            at = sessions[role]
            first, _ = timed(lambda at=at, path=path: at.switch_page(path).run())
            exc = [str(e.message)[:300] for e in at.exception] if at.exception else []
            times = []
            for _ in range(sizes.page_reps):
                dt, _ = timed(at.run)
                times.append(ms(dt))
                if at.exception and not exc:
                    exc = [str(e.message)[:300] for e in at.exception]
            st_ = stats(times, 0)
            title = at.title[0].value if len(at.title) else None  # evidence that the page itself rendered
            per_page.append(
                {
                    "page": path,
                    "role": role,
                    "title": title,
                    **st_,
                    "first_render_ms": round(ms(first)),
                    "exceptions": exc,
                }
            )
            all_ms.extend(times)
            log(
                f"  {path} as {role}: median {st_['median']:.0f} ms (first {ms(first):.0f} ms){' EXCEPTION' if exc else ''}"
            )
    finally:
        for k, v in saved_env.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
        st.cache_resource.clear()  # drops the app's cached DuckDB connection
        st.cache_data.clear()
    worst = max(per_page, key=lambda p: p["median"])
    over = [f"{p['page']} median {p['median']:.0f} ms" for p in per_page if p["median"] > 1500]
    result = {
        "unit": "ms",
        **stats(all_ms, 0),
        "max_page_median": worst["median"],
        "slowest_page": worst["page"],
        "size": f"{n_rows:,} sightings; {len(pages)} pages of garden_app.PAGES",
        "params": {
            "runs_per_page": sizes.page_reps,
            "warm_up": "first render after switch_page (reported as first_render_ms)",
            "sessions": {r: p.username for r, p in people.items() if r in sessions},
            "language": "zh",
        },
        "pages_over_1500ms": over,
        "per_page": per_page,
    }
    if any(p["exceptions"] for p in per_page):
        result["meets_target"] = False
    return result
