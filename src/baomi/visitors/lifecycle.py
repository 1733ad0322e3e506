"""The visit lifecycle (SUP-4): pure data.

A visit is registered; the visitor checks in (only with every key place approved) and checks
out; a registered visit may be cancelled. Approvals of key places follow the shared request
table of ``baomi.kit.requests`` (pending → approved | rejected | withdrawn).
"""

from __future__ import annotations

from typing import NamedTuple

from django.utils.translation import gettext_lazy as _

from baomi.core.errors import InvalidTransition
from baomi.visitors.choices import VisitStatus as S
from baomi.visitors.events import VisitorsEvent


class Move(NamedTuple):
    next_state: str
    action: str  # the policy action the service requires
    event: VisitorsEvent


VISIT_TRANSITIONS: dict[tuple[str, str], Move] = {
    (S.REGISTERED, "check_in"): Move(S.ON_SITE, "receive", VisitorsEvent.VISITOR_CHECKED_IN),
    (S.ON_SITE, "check_out"): Move(S.LEFT, "receive", VisitorsEvent.VISITOR_CHECKED_OUT),
    (S.REGISTERED, "cancel"): Move(S.CANCELLED, "cancel", VisitorsEvent.VISIT_CANCELLED),
}


def next_move(state: str, action: str) -> Move:
    """The move for ``action`` from ``state``; ``InvalidTransition`` for any other pair."""
    try:
        return VISIT_TRANSITIONS[(str(state), action)]
    except KeyError:
        raise InvalidTransition(
            _("This action is not allowed while the visit is “%(state)s”.") % {"state": S(state).label}
        ) from None
