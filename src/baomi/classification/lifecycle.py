"""Transition tables of the classification app (STYLE 2.5): pure data.

Item (CLS-4, CLS-8, CLS-9). A case handler's proposal creates the item in ``proposed`` — already
protected at the proposed level (R-DET-2). An original determination above the unit's authority
is reported upward and waits in ``pending_upward`` (R-DET-5), still protected. An authority's
approval makes it ``determined``; a refusal leaves it ``refused`` (not classified). A determined
item changes (level, duration, scope, extension) and stays ``determined``; lifting, expiry, a met
condition and publication make it ``declassified``. Nothing leaves ``declassified`` or ``refused``.

Request (the proposal object). ``pending`` → ``approved`` / ``refused`` / ``withdrawn``; a
determination above the unit's authority goes ``pending`` → ``pending_upward`` and is approved
once the superior's decision is recorded.

Expansion request (R-SCOPE-2). ``pending`` → ``approved`` / ``refused``.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from baomi.audit.events import AuditEvent
from baomi.classification.choices import ExpansionStatus, ItemStatus, RequestStatus
from baomi.core.errors import InvalidTransition


@dataclass(frozen=True)
class Transition:
    target: str
    action: str  # the policy action the actor needs
    event: AuditEvent


ITEM: dict[tuple[str, str], Transition] = {
    (ItemStatus.PROPOSED, "approve"): Transition(ItemStatus.DETERMINED, "decide", AuditEvent.ITEM_DETERMINED),
    (ItemStatus.PROPOSED, "refuse"): Transition(ItemStatus.REFUSED, "decide", AuditEvent.ITEM_NOT_CLASSIFIED),
    (ItemStatus.PROPOSED, "refer_upward"): Transition(
        ItemStatus.PENDING_UPWARD, "view", AuditEvent.ITEM_REFERRED_UPWARD
    ),
    (ItemStatus.PENDING_UPWARD, "approve"): Transition(
        ItemStatus.DETERMINED, "record_upward", AuditEvent.ITEM_DETERMINED
    ),
    (ItemStatus.PENDING_UPWARD, "refuse"): Transition(
        ItemStatus.REFUSED, "record_upward", AuditEvent.ITEM_NOT_CLASSIFIED
    ),
    (ItemStatus.DETERMINED, "change"): Transition(ItemStatus.DETERMINED, "decide", AuditEvent.ITEM_CHANGED),
    (ItemStatus.DETERMINED, "extend"): Transition(ItemStatus.DETERMINED, "decide", AuditEvent.ITEM_EXTENDED),
    (ItemStatus.DETERMINED, "lift"): Transition(ItemStatus.DECLASSIFIED, "decide", AuditEvent.ITEM_LIFTED),
    (ItemStatus.DETERMINED, "expire"): Transition(ItemStatus.DECLASSIFIED, "expire", AuditEvent.ITEM_EXPIRED),
}

REQUEST: dict[tuple[str, str], Transition] = {
    (RequestStatus.PENDING, "approve"): Transition(
        RequestStatus.APPROVED, "decide", AuditEvent.REQUEST_APPROVED
    ),
    (RequestStatus.PENDING, "refuse"): Transition(
        RequestStatus.REFUSED, "decide", AuditEvent.REQUEST_REFUSED
    ),
    (RequestStatus.PENDING, "withdraw"): Transition(
        RequestStatus.WITHDRAWN, "withdraw", AuditEvent.REQUEST_WITHDRAWN
    ),
    (RequestStatus.PENDING, "refer_upward"): Transition(
        RequestStatus.PENDING_UPWARD, "view", AuditEvent.ITEM_REFERRED_UPWARD
    ),
    (RequestStatus.PENDING_UPWARD, "approve"): Transition(
        RequestStatus.APPROVED, "record_upward", AuditEvent.REQUEST_APPROVED
    ),
    (RequestStatus.PENDING_UPWARD, "refuse"): Transition(
        RequestStatus.REFUSED, "record_upward", AuditEvent.REQUEST_REFUSED
    ),
}

EXPANSION: dict[tuple[str, str], Transition] = {
    (ExpansionStatus.PENDING, "approve"): Transition(
        ExpansionStatus.APPROVED, "approve_expansion", AuditEvent.EXPANSION_APPROVED
    ),
    (ExpansionStatus.PENDING, "refuse"): Transition(
        ExpansionStatus.REFUSED, "approve_expansion", AuditEvent.EXPANSION_REFUSED
    ),
}

TABLES = {"item": ITEM, "request": REQUEST, "expansion": EXPANSION}


def next_state(table: dict[tuple[str, str], Transition], state: str, action: str) -> Transition:
    """The transition for ``action`` from ``state``; ``InvalidTransition`` for any other pair."""
    try:
        return table[(state, action)]
    except KeyError:
        raise InvalidTransition(
            _("This action is not allowed in the current state."), state=state, action=action
        ) from None


def actions_from(table: dict[tuple[str, str], Transition], state: str) -> list[str]:
    return [a for (s, a) in table if s == state]
