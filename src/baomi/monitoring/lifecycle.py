"""The alert lifecycle (SEC-5): one transition table, pure data.

In words: an alert is raised new. Its recipient acknowledges it (seen, being looked into), and
then closes it with a note saying what was found, or escalates it into an incident (SUP-2)
when it is one. A new alert may be closed or escalated straight away. Closed and escalated
alerts never move again.
"""

from __future__ import annotations

from typing import NamedTuple

from django.utils.translation import gettext_lazy as _

from baomi.core.errors import InvalidTransition
from baomi.monitoring.choices import AlertStatus as S
from baomi.monitoring.events import MonitoringEvent


class Move(NamedTuple):
    next_state: str
    policy_action: str
    event: MonitoringEvent


TRANSITIONS: dict[tuple[str, str], Move] = {
    (S.NEW, "acknowledge"): Move(S.ACKNOWLEDGED, "handle", MonitoringEvent.ALERT_ACKNOWLEDGED),
    (S.NEW, "close"): Move(S.CLOSED, "handle", MonitoringEvent.ALERT_CLOSED),
    (S.NEW, "escalate"): Move(S.ESCALATED, "handle", MonitoringEvent.ALERT_ESCALATED),
    (S.ACKNOWLEDGED, "close"): Move(S.CLOSED, "handle", MonitoringEvent.ALERT_CLOSED),
    (S.ACKNOWLEDGED, "escalate"): Move(S.ESCALATED, "handle", MonitoringEvent.ALERT_ESCALATED),
}
MOVES = frozenset(action for _state, action in TRANSITIONS)


def next_state(state: str, action: str) -> Move:
    """The move for ``action`` in ``state``, or ``InvalidTransition``."""
    move = TRANSITIONS.get((str(state), action))
    if move is None:
        raise InvalidTransition(
            _("This action is not allowed while the alert is “%(state)s”.") % {"state": S(state).label}
        )
    return move


def allowed(state: str) -> list[str]:
    """The actions offered for an alert in ``state``, in table order."""
    return [action for (st, action) in TRANSITIONS if st == str(state)]
