"""BioBlitz scoring: the species tally and the recorders' leaderboard, from plain record rows.

A record counts toward the tally when it names a species; an unidentified record still counts as a
record for its recorder (it may be identified later) but adds no species. "First finds" credit the
recorder who logged a species first in the event (earliest time, then lowest record id).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class BlitzRecord:
    id: int
    species_id: int | None
    recorder_id: int
    recorder: str
    at: datetime
    individual_count: int | None = None  # None = present, not counted
    group_name: str | None = None
    label: str | None = None  # the species' name in the viewer's language


@dataclass(frozen=True)
class SpeciesTally:
    species_id: int
    label: str | None
    group_name: str | None
    records: int
    individuals: int  # counted individuals; a "present" record adds 1
    first_at: datetime
    first_by: str


@dataclass(frozen=True)
class RecorderScore:
    rank: int
    recorder_id: int
    recorder: str
    species: int
    records: int
    first_finds: int


@dataclass(frozen=True)
class BlitzSummary:
    species: int
    records: int
    recorders: int
    groups: int
    unidentified: int


def _first_records(records: list[BlitzRecord]) -> dict[int, BlitzRecord]:
    first: dict[int, BlitzRecord] = {}
    for r in sorted(records, key=lambda r: (r.at, r.id)):
        if r.species_id is not None and r.species_id not in first:
            first[r.species_id] = r
    return first


def tally(records: Iterable[BlitzRecord]) -> list[SpeciesTally]:
    """One row per species, most recorded first (then the earliest found)."""
    records = list(records)
    first = _first_records(records)
    counts: dict[int, list[int]] = {}
    for r in records:
        if r.species_id is None:
            continue
        entry = counts.setdefault(r.species_id, [0, 0])
        entry[0] += 1
        entry[1] += 1 if r.individual_count is None else int(r.individual_count)
    rows = [
        SpeciesTally(
            species_id=sid,
            label=first[sid].label,
            group_name=first[sid].group_name,
            records=n,
            individuals=individuals,
            first_at=first[sid].at,
            first_by=first[sid].recorder,
        )
        for sid, (n, individuals) in counts.items()
    ]
    return sorted(rows, key=lambda s: (-s.records, s.first_at, s.species_id))


def leaderboard(records: Iterable[BlitzRecord]) -> list[RecorderScore]:
    """Recorders by distinct species, then records, then first finds; equal scores share a rank (1, 1, 3)."""
    records = list(records)
    first_by = {sid: r.recorder_id for sid, r in _first_records(records).items()}
    people: dict[int, dict] = {}
    for r in records:
        p = people.setdefault(r.recorder_id, {"name": r.recorder, "species": set(), "records": 0})
        p["records"] += 1
        if r.species_id is not None:
            p["species"].add(r.species_id)
    firsts: dict[int, int] = {}
    for recorder_id in first_by.values():
        firsts[recorder_id] = firsts.get(recorder_id, 0) + 1
    scored = sorted(
        ((len(p["species"]), p["records"], firsts.get(pid, 0), p["name"], pid) for pid, p in people.items()),
        key=lambda s: (-s[0], -s[1], -s[2], s[3], s[4]),
    )
    board: list[RecorderScore] = []
    for position, (species, n, first, name, pid) in enumerate(scored, start=1):
        previous = board[-1] if board else None
        same = previous and (previous.species, previous.records, previous.first_finds) == (species, n, first)
        board.append(RecorderScore(previous.rank if same else position, pid, name, species, n, first))
    return board


def summary(records: Iterable[BlitzRecord]) -> BlitzSummary:
    records = list(records)
    named = [r for r in records if r.species_id is not None]
    return BlitzSummary(
        species=len({r.species_id for r in named}),
        records=len(records),
        recorders=len({r.recorder_id for r in records}),
        groups=len({r.group_name for r in named if r.group_name}),
        unidentified=len(records) - len(named),
    )
