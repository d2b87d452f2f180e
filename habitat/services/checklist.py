"""The species checklist: lookups for pages, and the experts' care of it (add, edit, merge, import)."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

import pandas as pd

from habitat.db import species as species_db
from habitat.domain.roles import Person  # noqa: F401 - documented type of ctx.user
from habitat.domain.taxa import Taxon, pinyin_keys
from habitat.errors import HabitatError, NotFound, ValidationError
from habitat.services.context import Ctx, audit, transaction
from habitat.services.importing import decode_text

GROUPS = (
    "bird",
    "butterfly",
    "moth",
    "dragonfly",
    "damselfly",
    "bee",
    "insect",
    "amphibian",
    "reptile",
    "mammal",
    "plant",
    "other",
)
RANKS = ("species", "subspecies", "genus", "family", "superfamily", "order", "class", "kingdom")
KINGDOM_OF = {"plant": "Plantae"}


def all_taxa(ctx: Ctx) -> list[Taxon]:
    return species_db.all_taxa(ctx.con)


def table(ctx: Ctx) -> pd.DataFrame:
    ctx.require("log")
    return species_db.frame(ctx.con)


def _clean(values: dict) -> dict:
    out = {k: (v.strip() if isinstance(v, str) else v) for k, v in values.items()}
    if not out.get("chinese_name"):
        raise ValidationError("checklist.name_required")
    if out.get("group_name") not in GROUPS:
        raise ValidationError("checklist.bad_group")
    if out.get("taxon_rank", "species") not in RANKS:
        raise ValidationError("checklist.bad_rank")
    difficulty = out.get("difficulty", 2)
    if not isinstance(difficulty, int) or not 1 <= difficulty <= 5:
        raise ValidationError("checklist.bad_difficulty")
    months = out.get("usual_months") or "1-12"
    parts = months.split("-")
    if len(parts) != 2 or not all(p.isdigit() and 1 <= int(p) <= 12 for p in parts):
        raise ValidationError("checklist.bad_months", value=months)
    full, initials = pinyin_keys(out["chinese_name"])
    synonyms = "|".join(
        s.strip()
        for s in str(out.get("synonyms") or "").replace("；", "|").replace(";", "|").split("|")
        if s.strip()
    )
    out.update(
        pinyin=full,
        pinyin_initials=initials,
        usual_months=months,
        synonyms=synonyms or None,
        kingdom=out.get("kingdom") or KINGDOM_OF.get(out["group_name"], "Animalia"),
    )
    if out.get("invasive"):
        out["native"] = False
    return out


def add_species(ctx: Ctx, values: dict) -> int:
    ctx.require("edit_checklist")
    sci = (values.get("scientific_name") or "").strip()
    if not sci:
        raise ValidationError("checklist.scientific_required")
    if species_db.id_by_scientific(ctx.con, sci) is not None:
        raise ValidationError("checklist.exists", name=sci)
    clean = _clean(values) | {"scientific_name": sci}
    with transaction(ctx) as unit:
        new_id = species_db.insert_one(ctx.con, clean)
        unit.changed("species")
        audit(ctx, "add_species", "species", new_id, after=clean)
    return new_id


def edit_species(ctx: Ctx, species_id: int, values: dict) -> None:
    ctx.require("edit_checklist")
    before = species_db.row_dict(ctx.con, species_id)
    if before is None:
        raise NotFound("checklist.not_found")
    merged = {k: before[k] for k in species_db.EDITABLE} | values
    clean = _clean(merged)
    with transaction(ctx) as unit:
        species_db.update_fields(ctx.con, species_id, clean, ctx.now())
        unit.changed("species")
        audit(
            ctx,
            "edit_species",
            "species",
            species_id,
            before={k: before[k] for k in clean if k in before},
            after=clean,
        )


def merge_species(ctx: Ctx, duplicate_id: int, accepted_id: int) -> int:
    """Merge a duplicate into the accepted name; its records follow; returns how many moved."""
    ctx.require("edit_checklist")
    if duplicate_id == accepted_id:
        raise ValidationError("checklist.merge_same")
    dup, acc = species_db.row_dict(ctx.con, duplicate_id), species_db.row_dict(ctx.con, accepted_id)
    if dup is None or acc is None:
        raise NotFound("checklist.not_found")
    names = [s for s in (acc["synonyms"] or "").split("|") if s] + [
        dup["scientific_name"],
        dup["chinese_name"],
    ]
    names += [s for s in (dup["synonyms"] or "").split("|") if s]
    synonyms = "|".join(
        dict.fromkeys(n for n in names if n and n not in (acc["scientific_name"], acc["chinese_name"]))
    )
    with transaction(ctx) as unit:
        unit.changed("species")
        moved = species_db.merge_into(ctx.con, duplicate_id, accepted_id, synonyms, ctx.now())
        audit(
            ctx, "merge_species", "species", duplicate_id, after={"into": accepted_id, "records_moved": moved}
        )
    return moved


CSV_COLUMNS = {"scientific_name", "chinese_name", "group"}


@dataclass
class ChecklistImport:
    added: int = 0
    updated: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)


def import_checklist_csv(ctx: Ctx, data: bytes) -> ChecklistImport:
    """Rows add or update species (matched by scientific name); any row error means nothing changes."""
    ctx.require("edit_checklist")
    rows = list(csv.DictReader(io.StringIO(decode_text(data))))
    result = ChecklistImport()
    if not rows:
        raise ValidationError("import.empty_file")
    missing = CSV_COLUMNS - {k.strip() for k in rows[0].keys() if k}
    if missing:
        raise ValidationError("import.missing_columns", columns=", ".join(sorted(missing)))
    planned = []
    for line, r in enumerate(rows, start=2):
        try:
            values = {
                "scientific_name": (r.get("scientific_name") or "").strip(),
                "chinese_name": r.get("chinese_name") or "",
                "english_name": r.get("english_name") or None,
                "group_name": (r.get("group") or "").strip(),
                "taxon_rank": (r.get("taxon_rank") or "species").strip(),
                "synonyms": r.get("synonyms") or "",
                "invasive": (r.get("invasive") or "").strip().lower() in ("1", "true", "yes", "是"),
                "sensitive": (r.get("sensitive") or "").strip().lower() in ("1", "true", "yes", "是"),
                "difficulty": int((r.get("difficulty") or "2").strip())
                if (r.get("difficulty") or "2").strip().isdigit()
                else -1,
                "usual_months": (r.get("months") or "1-12").strip(),
            }
            if not values["scientific_name"]:
                raise ValidationError("checklist.scientific_required")
            planned.append(
                (
                    species_db.id_by_scientific(ctx.con, values["scientific_name"]),
                    _clean(values) | {"scientific_name": values["scientific_name"]},
                )
            )
        except HabitatError as err:
            result.errors.append((line, err.message(ctx.lang)))
    if result.errors:
        return result
    with transaction(ctx) as unit:
        unit.changed("species")
        for existing, values in planned:
            if existing is None:
                species_db.insert_one(ctx.con, values)
                result.added += 1
            else:
                species_db.update_fields(ctx.con, existing, values, ctx.now())
                result.updated += 1
        audit(
            ctx, "import_checklist", "species", None, after={"added": result.added, "updated": result.updated}
        )
    return result
