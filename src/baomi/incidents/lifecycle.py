"""Transition table of an incident (STYLE 2.5): pure data, moves only in ``services.py``.

Incident (SUP-2, R-INC-1..5)::

    open --file_case--> investigating --conclude--> concluded --close--> closed
    open --conclude--> concluded

While the incident is not closed, the work on it stays in its state: assign, involve (carriers
and items), report_upward, record_action, record_note, notify, record_notice, correct. An
addendum may be appended in every state, the closed one included — it is the only way to
correct a closed record (R-INC-5). Every other (state, action) pair is refused.
"""

from __future__ import annotations

from typing import NamedTuple

from django.utils.translation import gettext_lazy as _

from baomi.core.errors import InvalidTransition
from baomi.incidents.choices import IncidentStatus
from baomi.incidents.events import IncidentEvent


class Move(NamedTuple):
    next_state: str
    action: str  # the policy action the service requires
    event: IncidentEvent


OPEN, INVESTIGATING, CONCLUDED, CLOSED = (
    IncidentStatus.OPEN,
    IncidentStatus.INVESTIGATING,
    IncidentStatus.CONCLUDED,
    IncidentStatus.CLOSED,
)
WORKING = (OPEN, INVESTIGATING, CONCLUDED)

# Work that keeps the state: (action, policy action, event).
_WORK = [
    ("assign", "manage", IncidentEvent.INCIDENT_ASSIGNED),
    ("involve", "manage", IncidentEvent.INCIDENT_INVOLVED),
    ("report_upward", "report_upward", IncidentEvent.INCIDENT_REPORTED_UPWARD),
    ("record_action", "manage", IncidentEvent.INCIDENT_ACTION_RECORDED),
    ("record_note", "manage", IncidentEvent.INCIDENT_NOTE_RECORDED),
    ("notify", "manage", IncidentEvent.INCIDENT_NOTIFIED),
    ("record_notice", "manage", IncidentEvent.INCIDENT_NOTICE_RECORDED),
    ("correct", "manage", IncidentEvent.INCIDENT_UPDATED),
]

TRANSITIONS: dict[tuple[str, str], Move] = {
    (OPEN, "file_case"): Move(INVESTIGATING, "manage", IncidentEvent.INCIDENT_CASE_FILED),
    (OPEN, "conclude"): Move(CONCLUDED, "manage", IncidentEvent.INCIDENT_CONCLUDED),
    (INVESTIGATING, "conclude"): Move(CONCLUDED, "manage", IncidentEvent.INCIDENT_CONCLUDED),
    (CONCLUDED, "close"): Move(CLOSED, "close", IncidentEvent.INCIDENT_CLOSED),
    **{(state, action): Move(state, policy, event) for state in WORKING for action, policy, event in _WORK},
    **{(state, "addendum"): Move(state, "addendum", IncidentEvent.INCIDENT_ADDENDUM_RECORDED)
       for state in (*WORKING, CLOSED)},
}  # fmt: skip

ACTIONS = sorted({action for _state, action in TRANSITIONS})


def next_move(state: str, action: str) -> Move:
    """The move for ``action`` from ``state``; ``InvalidTransition`` for any other pair."""
    try:
        return TRANSITIONS[(state, action)]
    except KeyError:
        if state == CLOSED:
            raise InvalidTransition(
                _("This incident is closed; its record cannot change. Append an addendum instead.")
            ) from None
        raise InvalidTransition(_("This action is not allowed in the current state.")) from None


def permits(state: str, action: str) -> bool:
    return (state, action) in TRANSITIONS
