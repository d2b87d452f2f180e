"""The shipped species checklist (data/species_checklist.csv) and its loading."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd

from habitat.db import species as species_db
from habitat.domain.taxa import pinyin_keys

CHECKLIST_CSV = Path(__file__).resolve().parent.parent / "data" / "species_checklist.csv"


def read_checklist(path: Path = CHECKLIST_CSV) -> pd.DataFrame:
    raw = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    keys = raw["chinese_name"].map(pinyin_keys)
    out = pd.DataFrame(
        {
            "scientific_name": raw["scientific_name"],
            "chinese_name": raw["chinese_name"],
            "pinyin": keys.map(lambda k: k[0]),
            "pinyin_initials": keys.map(lambda k: k[1]),
            "english_name": raw["english_name"],
            "group_name": raw["group"],
            "taxon_rank": raw["taxon_rank"],
            "kingdom": raw["kingdom"].replace("", None),
            "class_name": raw["class_name"].replace("", None),
            "synonyms": raw["synonyms"].replace("", None),
            "native": raw["native"].eq("true"),
            "invasive": raw["invasive"].eq("true"),
            "invasive_action": raw["invasive_action"].replace("", None),
            "protected_class": raw["protected_class"].replace("", None),
            "sensitive": raw["sensitive"].eq("true"),
            "difficulty": raw["difficulty"].astype(int),
            "usual_months": raw["months"],
            "garden_common": raw["garden_common"].eq("true"),
        }
    )
    return out


def load_checklist(con: duckdb.DuckDBPyConnection, path: Path = CHECKLIST_CSV) -> int:
    """Load the shipped checklist into an empty species table."""
    if species_db.count(con):
        return 0
    return species_db.insert_frame(con, read_checklist(path))
