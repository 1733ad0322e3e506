"""Transition tables of the key departments and places register (STYLE 2.5): pure data.

Key department and key place (R-SITE-1)::

    proposed --confirm--> confirmed --revoke--> revoked
    proposed --revoke--> revoked          revoked --reinstate--> proposed

Cabinet::  in_use --retire--> retired

Place check (SUP-5)::

    planned --pass--> passed
    planned --find--> findings --rectify--> rectified
"""

from __future__ import annotations

from typing import NamedTuple

from django.utils.translation import gettext_lazy as _

from baomi.core.errors import InvalidTransition
from baomi.sites.choices import CabinetStatus, CheckStatus, SiteStatus
from baomi.sites.events import SitesEvent


class Move(NamedTuple):
    next_state: str
    action: str  # the policy action the service requires
    event: SitesEvent


DEPARTMENT_TRANSITIONS: dict[tuple[str, str], Move] = {
    (SiteStatus.PROPOSED, "confirm"): Move(
        SiteStatus.CONFIRMED, "manage", SitesEvent.KEY_DEPARTMENT_CONFIRMED
    ),
    (SiteStatus.PROPOSED, "revoke"): Move(SiteStatus.REVOKED, "manage", SitesEvent.KEY_DEPARTMENT_REVOKED),
    (SiteStatus.CONFIRMED, "revoke"): Move(SiteStatus.REVOKED, "manage", SitesEvent.KEY_DEPARTMENT_REVOKED),
    (SiteStatus.REVOKED, "reinstate"): Move(SiteStatus.PROPOSED, "manage", SitesEvent.KEY_DEPARTMENT_UPDATED),
}

PLACE_TRANSITIONS: dict[tuple[str, str], Move] = {
    (SiteStatus.PROPOSED, "confirm"): Move(SiteStatus.CONFIRMED, "manage", SitesEvent.KEY_PLACE_CONFIRMED),
    (SiteStatus.PROPOSED, "revoke"): Move(SiteStatus.REVOKED, "manage", SitesEvent.KEY_PLACE_REVOKED),
    (SiteStatus.CONFIRMED, "revoke"): Move(SiteStatus.REVOKED, "manage", SitesEvent.KEY_PLACE_REVOKED),
    (SiteStatus.REVOKED, "reinstate"): Move(SiteStatus.PROPOSED, "manage", SitesEvent.KEY_PLACE_UPDATED),
}

CABINET_TRANSITIONS: dict[tuple[str, str], Move] = {
    (CabinetStatus.IN_USE, "retire"): Move(CabinetStatus.RETIRED, "manage", SitesEvent.CABINET_RETIRED),
}

CHECK_TRANSITIONS: dict[tuple[str, str], Move] = {
    (CheckStatus.PLANNED, "pass"): Move(CheckStatus.PASSED, "record", SitesEvent.PLACE_CHECK_RECORDED),
    (CheckStatus.PLANNED, "find"): Move(CheckStatus.FINDINGS, "record", SitesEvent.PLACE_CHECK_RECORDED),
    (CheckStatus.FINDINGS, "rectify"): Move(
        CheckStatus.RECTIFIED, "record", SitesEvent.PLACE_CHECK_RECTIFIED
    ),
}


def next_move(table: dict[tuple[str, str], Move], state: str, action: str) -> Move:
    """The move for ``action`` from ``state``; ``InvalidTransition`` for any other pair."""
    try:
        return table[(str(state), action)]
    except KeyError:
        raise InvalidTransition(_("This action is not allowed in the current state.")) from None
