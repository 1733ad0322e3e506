"""The carrier lifecycle (CAR-5..11): one transition table, pure data.

In words: a carrier is registered into custody (在册). From custody it may be lent (借出)
and comes back by return; be sent (传递) and comes back into custody when the receiver signs
for it, under the receiver's name; be taken out (携带外出) and be brought back; go to repair
and come back; be sealed (封存) and unsealed; be archived (归档, from custody or sealed); be
returned to its issuer in a recall (清退); be dispatched to another unit (发文, once its dispatch
is approved where needed); be destroyed (销毁, from custody, sealed or archived).
Whatever is not destroyed, archived or returned can be reported missing (丢失), and a missing
carrier that turns up is found back into custody. Destroyed, returned and dispatched carriers
stay in the registry and never move again.

Each row names the next state, the policy action the service requires and the audit event it
writes. Actions that do not move the carrier (reading, copying, printing, asking for a loan)
are allowed only in the states of ``STATE_PERMITS``.
"""

from __future__ import annotations

from typing import NamedTuple

from django.utils.translation import gettext_lazy as _

from baomi.audit.events import AuditEvent
from baomi.carriers.choices import CarrierStatus as S
from baomi.carriers.events import ExchangeEvent
from baomi.core.errors import InvalidTransition


class Move(NamedTuple):
    next_state: str
    policy_action: str
    event: int  # an AuditEvent, or an ExchangeEvent of the exchange block


TRANSITIONS: dict[tuple[str, str], Move] = {
    (S.REGISTERED, "lend"): Move(S.ON_LOAN, "approve_loan", AuditEvent.LOAN_APPROVED),
    (S.REGISTERED, "transfer"): Move(S.IN_TRANSIT, "transfer", AuditEvent.CARRIER_SENT),
    (S.REGISTERED, "take_out"): Move(S.TAKEN_OUT, "approve_take_out", AuditEvent.TAKE_OUT_APPROVED),
    (S.REGISTERED, "repair"): Move(S.UNDER_REPAIR, "repair", AuditEvent.REPAIR_STARTED),
    (S.REGISTERED, "seal"): Move(S.SEALED, "seal", AuditEvent.CARRIER_SEALED),
    (S.REGISTERED, "archive"): Move(S.ARCHIVED, "archive", AuditEvent.CARRIER_ARCHIVED),
    (S.REGISTERED, "recall"): Move(S.RETURNED, "recall", AuditEvent.CARRIER_RECALLED),
    (S.REGISTERED, "mark_missing"): Move(S.MISSING, "mark_missing", AuditEvent.CARRIER_MISSING),
    (S.REGISTERED, "destroy"): Move(S.DESTROYED, "execute_destruction", AuditEvent.CARRIER_DESTROYED),
    (S.ON_LOAN, "return"): Move(S.REGISTERED, "return", AuditEvent.CARRIER_RETURNED),
    (S.ON_LOAN, "mark_missing"): Move(S.MISSING, "mark_missing", AuditEvent.CARRIER_MISSING),
    (S.IN_TRANSIT, "receive"): Move(S.REGISTERED, "receive", AuditEvent.CARRIER_RECEIVED),
    (S.IN_TRANSIT, "mark_missing"): Move(S.MISSING, "mark_missing", AuditEvent.CARRIER_MISSING),
    (S.TAKEN_OUT, "bring_back"): Move(S.REGISTERED, "bring_back", AuditEvent.CARRIER_BROUGHT_BACK),
    (S.TAKEN_OUT, "mark_missing"): Move(S.MISSING, "mark_missing", AuditEvent.CARRIER_MISSING),
    (S.UNDER_REPAIR, "finish_repair"): Move(S.REGISTERED, "finish_repair", AuditEvent.REPAIR_FINISHED),
    (S.UNDER_REPAIR, "mark_missing"): Move(S.MISSING, "mark_missing", AuditEvent.CARRIER_MISSING),
    (S.SEALED, "unseal"): Move(S.REGISTERED, "unseal", AuditEvent.CARRIER_UNSEALED),
    (S.SEALED, "archive"): Move(S.ARCHIVED, "archive", AuditEvent.CARRIER_ARCHIVED),
    (S.SEALED, "destroy"): Move(S.DESTROYED, "execute_destruction", AuditEvent.CARRIER_DESTROYED),
    (S.SEALED, "mark_missing"): Move(S.MISSING, "mark_missing", AuditEvent.CARRIER_MISSING),
    (S.ARCHIVED, "destroy"): Move(S.DESTROYED, "execute_destruction", AuditEvent.CARRIER_DESTROYED),
    (S.MISSING, "found"): Move(S.REGISTERED, "found", AuditEvent.CARRIER_FOUND),
    # 发文: the approved dispatch leaves the unit; it never moves here again (issue 12 §3).
    (S.REGISTERED, "dispatch"): Move(S.DISPATCHED, "transfer", ExchangeEvent.CARRIER_DISPATCHED),
}

MOVES = frozenset(action for _state, action in TRANSITIONS)

# Actions that leave the state alone, and the states in which they are allowed.
STATE_PERMITS: dict[str, frozenset[str]] = {
    "read_content": frozenset({S.REGISTERED, S.ON_LOAN, S.TAKEN_OUT}),
    "download": frozenset({S.REGISTERED, S.ON_LOAN}),
    "request_loan": frozenset({S.REGISTERED}),
    "request_copy": frozenset({S.REGISTERED}),
    "copy": frozenset({S.REGISTERED}),
    "request_download": frozenset({S.REGISTERED, S.ON_LOAN}),
    "print": frozenset({S.REGISTERED, S.ON_LOAN}),
    "request_take_out": frozenset({S.REGISTERED}),
    "request_destruction": frozenset({S.REGISTERED, S.SEALED, S.ARCHIVED}),
    "upload": frozenset({S.REGISTERED}),
}


def next_state(state: str, action: str) -> Move:
    """The move for ``action`` in ``state``, or ``InvalidTransition``."""
    move = TRANSITIONS.get((str(state), action))
    if move is None:
        raise InvalidTransition(
            _("This action is not allowed while the carrier is “%(state)s”.") % {"state": S(state).label}
        )
    return move


def permits(state: str, action: str) -> bool:
    if action in STATE_PERMITS:
        return str(state) in STATE_PERMITS[action]
    return (str(state), action) in TRANSITIONS


def require_state(state: str, action: str) -> None:
    """Raise ``InvalidTransition`` unless ``action`` is allowed in ``state``."""
    if not permits(state, action):
        raise InvalidTransition(
            _("This action is not allowed while the carrier is “%(state)s”.") % {"state": S(state).label}
        )


def policy_action_for(action: str) -> str:
    """The policy action a move needs, whatever the state (checked before the state)."""
    for (_state, name), move in TRANSITIONS.items():
        if name == action:
            return move.policy_action
    raise KeyError(action)
