"""Records declared once: every field of a sighting, and what each layer needs to know about it.

The table below is the only list of a sighting's fields. The rest is derived from it:
- ``SightingDraft`` (what a recorder hands to ``services.sightings.save_sighting``);
- the INSERT and UPDATE column lists in ``habitat.db.sightings``;
- the edit: ``update_sighting`` rebuilds the record from every recorded field, so a field the edit
  does not touch keeps its value (before, a field left out of the rebuild was reset to NULL);
- the checks of plain fields (a choice, a text's length, a taxon from the right checklist groups);
- the export: each public field has a Darwin Core term; "plain" fields become occurrence columns
  by their kind, "query" fields are written by hand in ``habitat.db.export`` (privacy, joins);
- the log form's "more details" and the expert's review panel (``habitat.ui.forms``).

Adding a field: a numbered migration that adds the column, one ``Field`` line here, its label
(and error message) in both i18n catalogs; a new *kind* also needs its widget in ``habitat.ui.forms``.
"""

from __future__ import annotations

from dataclasses import dataclass, make_dataclass
from dataclasses import field as dc_field
from datetime import datetime
from functools import cached_property
from typing import Any

LIFE_STAGES = ("adult", "juvenile", "larva", "pupa", "egg", "unknown")
SEXES = ("unknown", "male", "female")
BEHAVIOURS = (
    "nectaring",
    "egg_laying",
    "feeding",
    "calling",
    "singing",
    "nesting",
    "resting",
    "flying",
    "basking",
    "mating",
)
ESTABLISHMENT = ("wild", "cultivated")
OCCURRENCE_STATUSES = ("present", "absent")
MAX_NOTE = 2000
MAX_DESCRIPTION = 200

KINDS = ("ref", "taxon", "time", "int", "float", "bool", "choice", "text")
_TYPES: dict[str, Any] = {
    "ref": int | None,
    "taxon": int | None,
    "time": datetime,
    "int": int | None,
    "float": float | None,
    "bool": bool,
    "choice": str | None,
    "text": str | None,
}


@dataclass(frozen=True)
class Field:
    """One field of a record: a column of its table and, if ``recorded``, an attribute of its draft."""

    name: str  # column name (Darwin Core style, snake case)
    kind: str  # one of KINDS: how it is checked, exported and drawn
    label: str | None = None  # i18n key of its label in forms and the review panel
    dwc: str | None = None  # Darwin Core term of the exported column
    public: bool = False  # in public exports (generalised where habitat.db.privacy says so)
    export: str = "plain"  # "plain": exported by kind; "query": written by hand in habitat.db.export
    editable: bool = False  # may be changed after saving (update_sighting)
    recorded: bool = True  # given by the recorder (in the draft); False: set by the service
    required: bool = False  # the draft has no default for it
    default: Any = None
    nullable: bool = True  # None is a valid value
    choices: tuple = ()  # choice: the valid values
    label_prefix: str = ""  # choice: i18n key prefix of each value's label
    none_label: str | None = None  # choice: None is offered in forms, labelled label_prefix + this
    max_len: int | None = None  # text: longest value (longer is refused with ``error``)
    error: str | None = None  # i18n key of the message for a value this field does not accept
    help: str | None = None  # i18n key of the form's help text
    form: bool = False  # drawn by the generic widgets (log form "more details")
    review: bool = False  # shown in the expert's review panel
    pick_groups: tuple[str, ...] = ()  # taxon: only taxa of these checklist groups may be picked
    for_groups: tuple[str, ...] = ()  # only for records of taxa in these checklist groups
    dwc_prefix: str = ""  # taxon: text before the names in the export ("visiting: ")
    dwc_blank: tuple[str, ...] = ()  # values exported as empty: they say nothing ("unknown", "wild")

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"{self.name}: unknown kind {self.kind!r}")
        if self.public and not self.dwc:
            raise ValueError(f"{self.name}: a public field needs a Darwin Core term")
        if self.export not in ("plain", "query"):
            raise ValueError(f"{self.name}: export is 'plain' or 'query'")


@dataclass(frozen=True)
class Record:
    table: str
    fields: tuple[Field, ...]

    def field(self, name: str) -> Field:
        return self._by_name[name]

    @cached_property
    def _by_name(self) -> dict[str, Field]:
        return {f.name: f for f in self.fields}

    @property
    def columns(self) -> tuple[str, ...]:
        """Every column the app writes when it inserts a record."""
        return tuple(f.name for f in self.fields)

    @property
    def recorded(self) -> tuple[Field, ...]:
        return tuple(f for f in self.fields if f.recorded)

    @property
    def editable(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields if f.editable)

    @property
    def public(self) -> tuple[Field, ...]:
        return tuple(f for f in self.fields if f.public)

    @property
    def plain_exports(self) -> tuple[Field, ...]:
        """Public fields exported as they are stored (by kind), in declaration order."""
        return tuple(f for f in self.public if f.export == "plain")

    @property
    def form_fields(self) -> tuple[Field, ...]:
        return tuple(f for f in self.fields if f.form)

    @property
    def review_fields(self) -> tuple[Field, ...]:
        return tuple(f for f in self.fields if f.review)

    def draft_type(self, name: str, doc: str) -> type:
        """A dataclass with one attribute per recorded field (required ones first)."""
        ordered = sorted(self.recorded, key=lambda f: not f.required)
        spec = [
            (f.name, _TYPES[f.kind]) if f.required else (f.name, _TYPES[f.kind], dc_field(default=f.default))
            for f in ordered
        ]
        cls = make_dataclass(name, spec)
        cls.__module__, cls.__doc__ = __name__, doc
        return cls


SIGHTING = Record(
    "sightings",
    (
        Field("garden_id", "ref", required=True, nullable=False, dwc="locality", public=True, export="query"),
        Field(
            "zone_id",
            "ref",
            label="common.zone",
            dwc="locationID",
            public=True,
            export="query",
            editable=True,
        ),
        Field("visit_id", "ref", dwc="eventID", public=True, export="query"),
        Field(
            "species_id",
            "taxon",
            label="picker.species",
            dwc="scientificName",
            public=True,
            export="query",
            editable=True,
            error="sighting.unknown_species",
        ),
        Field(
            "event_date",
            "time",
            required=True,
            nullable=False,
            dwc="eventDate",
            public=True,
            export="query",
            editable=True,
        ),
        Field(
            "individual_count",
            "int",
            label="log.count",
            dwc="individualCount",
            public=True,
            export="query",
            editable=True,
        ),  # query: an absence is exported as 0
        Field(
            "occurrence_status",
            "choice",
            choices=OCCURRENCE_STATUSES,
            dwc="occurrenceStatus",
            public=True,
            recorded=False,
        ),
        Field(
            "life_stage",
            "choice",
            label="log.life_stage",
            dwc="lifeStage",
            public=True,
            editable=True,
            default="adult",
            choices=LIFE_STAGES,
            dwc_blank=("unknown",),
            label_prefix="stage.",
            error="sighting.bad_life_stage",
            form=True,
            review=True,
        ),
        Field(
            "sex",
            "choice",
            label="log.sex",
            dwc="sex",
            public=True,
            editable=True,
            choices=SEXES,
            dwc_blank=("unknown",),
            label_prefix="sex.",
            error="sighting.bad_sex",
            form=True,
            review=True,
        ),
        Field(
            "behavior",
            "choice",
            label="log.behavior",
            dwc="behavior",
            public=True,
            editable=True,
            choices=BEHAVIOURS,
            label_prefix="behavior.",
            none_label="none",
            error="sighting.bad_behavior",
            form=True,
            review=True,
        ),
        Field(
            "degree_of_establishment",
            "choice",
            dwc="degreeOfEstablishment",
            public=True,
            editable=True,
            default="wild",
            nullable=False,
            choices=ESTABLISHMENT,
            dwc_blank=("wild",),
            error="sighting.bad_establishment",
        ),  # the log form draws it as a "planted" toggle
        Field(
            "nectar_plant_id",
            "taxon",
            label="log.nectar_plant",
            help="log.nectar_plant_help",
            dwc="associatedTaxa",
            dwc_prefix="visiting: ",
            public=True,
            editable=True,
            form=True,
            review=True,
            pick_groups=("plant",),
            for_groups=("butterfly", "moth", "bee", "insect"),
            error="sighting.bad_nectar_plant",
        ),  # (dragonflies hunt; they do not visit flowers)
        # private: nests and dens are what generalisation hides (habitat.db.privacy)
        Field(
            "nest_or_den",
            "bool",
            label="log.nest",
            help="log.nest_help",
            editable=True,
            default=False,
            nullable=False,
            form=True,
            review=True,
        ),
        # private: free text written by volunteers is not published
        Field(
            "verbatim_identification",
            "text",
            label="review.described",
            editable=True,
            max_len=MAX_DESCRIPTION,
            error="sighting.description_too_long",
            review=True,
        ),
        Field(
            "note",
            "text",
            label="log.note",
            editable=True,
            max_len=MAX_NOTE,
            error="sighting.note_too_long",
            review=True,
        ),
        Field("decimal_latitude", "float", dwc="decimalLatitude", public=True, export="query"),
        Field("decimal_longitude", "float", dwc="decimalLongitude", public=True, export="query"),
        Field(
            "coordinate_uncertainty_in_meters",
            "float",
            dwc="coordinateUncertaintyInMeters",
            public=True,
            export="query",
        ),
        Field("location_source", "text"),  # photo_gps, zone, manual
        Field("outside_garden", "bool", recorded=False, nullable=False),
        Field("recorded_by", "ref", dwc="recordedBy", public=True, export="query", recorded=False),
        Field("source", "text", default="app", nullable=False),  # app, batch, import_photos, csv ...
        Field("created_at", "time", dwc="modified", public=True, export="query", recorded=False),
        Field("event_id", "ref", recorded=False),  # the BioBlitz or class (events, 0002); in eventID
    ),
)

SightingDraft = SIGHTING.draft_type(
    "SightingDraft",
    "A sighting as the recorder gives it (one attribute per recorded field of SIGHTING);"
    " individual_count None means present, not counted.",
)
