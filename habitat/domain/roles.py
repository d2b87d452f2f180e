"""Who may do what. Services call ``allowed`` / ``require``; pages only hide what a role can't do."""

from __future__ import annotations

from dataclasses import dataclass

VOLUNTEER, EXPERT, COMMITTEE = "volunteer", "expert", "committee"
ROLES = (VOLUNTEER, EXPERT, COMMITTEE)

# How the app is laid out for a person (适老化): large text and buttons on a phone only ("auto"),
# everywhere ("elder"), or Streamlit's own density ("standard"). habitat/ui/look.py draws them.
UI_MODES = ("auto", "elder", "standard")

# action -> roles allowed. "own" actions are further limited to the record's recorder by the service.
PERMISSIONS: dict[str, frozenset[str]] = {
    "log": frozenset(ROLES),  # patrols, sightings, upkeep, problems, questions
    "edit_own": frozenset(ROLES),
    "withdraw_own": frozenset(ROLES),
    "edit_others": frozenset({COMMITTEE}),
    "verify": frozenset({EXPERT}),
    "bulk_verify": frozenset({EXPERT}),
    "identify": frozenset(ROLES),  # suggest a taxon on any record
    "answer_question": frozenset({EXPERT}),
    "edit_checklist": frozenset({EXPERT}),
    "manage_people": frozenset({COMMITTEE}),
    "manage_gardens": frozenset({COMMITTEE}),
    "manage_tasks": frozenset({COMMITTEE}),
    "resolve_problems": frozenset({COMMITTEE}),
    "change_settings": frozenset({COMMITTEE}),
    "export_exact": frozenset({EXPERT, COMMITTEE}),
    "see_sensitive": frozenset({EXPERT, COMMITTEE}),
    "see_private_gps": frozenset({EXPERT, COMMITTEE}),
    "see_audit": frozenset({COMMITTEE}),
    "see_dashboard": frozenset({COMMITTEE, EXPERT}),
    # community life
    "plan_event": frozenset(ROLES),
    "record_attendance": frozenset(
        {EXPERT, COMMITTEE}
    ),  # an event's own host may too (checked in the service)
    "manage_partners": frozenset({COMMITTEE}),
    "see_contacts": frozenset({EXPERT, COMMITTEE}),
    "propose_idea": frozenset(ROLES),
    "support_idea": frozenset(ROLES),
    "hold_meeting": frozenset({COMMITTEE}),
    "assess_principles": frozenset({COMMITTEE}),
}


@dataclass(frozen=True)
class Person:
    id: int
    username: str
    display_name: str
    role: str
    language: str = "zh"
    expertise: tuple[str, ...] = ()
    home_garden_id: int | None = None
    ui_mode: str = "auto"


def allowed(role: str | None, action: str) -> bool:
    if action not in PERMISSIONS:
        raise KeyError(f"unknown action {action!r}")
    return role in PERMISSIONS[action]


def manages(actor: Person, target_home_garden_id: int | None) -> bool:
    """Whose account a committee member may change. A town committee member (no home garden) manages
    every account; a garden's committee member (e.g. 乐颐居委会) only the accounts of her own garden,
    never a town-level one (the partner experts, the town committee): otherwise she could reset the
    town committee's password and sign in as them."""
    if actor.home_garden_id is None:
        return True
    return target_home_garden_id is not None and int(target_home_garden_id) == int(actor.home_garden_id)
