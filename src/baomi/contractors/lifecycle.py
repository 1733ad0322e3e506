"""Transition tables of the contractors register (STYLE 2.5): pure data.

Contractor::  active --suspend--> suspended --reinstate--> active
Engagement (R-SITE-3)::  open --close--> closed
A qualification does not move: it is valid until it expires or is revoked (``Qualification.state``).
"""

from __future__ import annotations

from typing import NamedTuple

from django.utils.translation import gettext_lazy as _

from baomi.contractors.choices import ContractorStatus, EngagementStatus
from baomi.contractors.events import ContractorsEvent
from baomi.core.errors import InvalidTransition


class Move(NamedTuple):
    next_state: str
    action: str
    event: ContractorsEvent


CONTRACTOR_TRANSITIONS: dict[tuple[str, str], Move] = {
    (ContractorStatus.ACTIVE, "suspend"): Move(
        ContractorStatus.SUSPENDED, "manage", ContractorsEvent.CONTRACTOR_SUSPENDED
    ),
    (ContractorStatus.SUSPENDED, "reinstate"): Move(
        ContractorStatus.ACTIVE, "manage", ContractorsEvent.CONTRACTOR_REINSTATED
    ),
}

ENGAGEMENT_TRANSITIONS: dict[tuple[str, str], Move] = {
    (EngagementStatus.OPEN, "close"): Move(
        EngagementStatus.CLOSED, "manage", ContractorsEvent.ENGAGEMENT_CLOSED
    ),
}


def next_move(table: dict[tuple[str, str], Move], state: str, action: str) -> Move:
    """The move for ``action`` from ``state``; ``InvalidTransition`` for any other pair."""
    try:
        return table[(str(state), action)]
    except KeyError:
        raise InvalidTransition(_("This action is not allowed in the current state.")) from None
