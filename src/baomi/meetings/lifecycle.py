"""Transition tables of the secret meetings register (STYLE 2.5): pure data.

Meeting (R-SITE-2)::

    planned --approve--> approved --open--> in_session --close--> closed
    planned --reject--> cancelled      planned | approved --cancel--> cancelled

A carrier issued at a meeting::

    requested --hand_out--> handed_out --recover--> recovered
    requested --withdraw--> withdrawn  handed_out --report_missing--> missing

Closing is refused while any issue is ``requested`` or ``handed_out`` (``choices.OPEN_ISSUES``).
"""

from __future__ import annotations

from typing import NamedTuple

from django.utils.translation import gettext_lazy as _

from baomi.core.errors import InvalidTransition
from baomi.meetings.choices import IssueStatus as I
from baomi.meetings.choices import MeetingStatus as M
from baomi.meetings.events import MeetingsEvent


class Move(NamedTuple):
    next_state: str
    action: str
    event: MeetingsEvent


MEETING_TRANSITIONS: dict[tuple[str, str], Move] = {
    (M.PLANNED, "approve"): Move(M.APPROVED, "decide", MeetingsEvent.MEETING_APPROVED),
    (M.PLANNED, "reject"): Move(M.CANCELLED, "decide", MeetingsEvent.MEETING_REJECTED),
    (M.APPROVED, "open"): Move(M.IN_SESSION, "manage", MeetingsEvent.MEETING_OPENED),
    (M.IN_SESSION, "close"): Move(M.CLOSED, "manage", MeetingsEvent.MEETING_CLOSED),
    (M.PLANNED, "cancel"): Move(M.CANCELLED, "manage", MeetingsEvent.MEETING_CANCELLED),
    (M.APPROVED, "cancel"): Move(M.CANCELLED, "manage", MeetingsEvent.MEETING_CANCELLED),
}

ISSUE_TRANSITIONS: dict[tuple[str, str], Move] = {
    (I.REQUESTED, "hand_out"): Move(I.HANDED_OUT, "manage", MeetingsEvent.MEETING_CARRIER_HANDED_OUT),
    (I.REQUESTED, "withdraw"): Move(I.WITHDRAWN, "manage", MeetingsEvent.MEETING_CARRIER_WITHDRAWN),
    (I.HANDED_OUT, "recover"): Move(I.RECOVERED, "manage", MeetingsEvent.MEETING_CARRIER_RECOVERED),
    (I.HANDED_OUT, "report_missing"): Move(I.MISSING, "manage", MeetingsEvent.MEETING_CARRIER_MISSING),
}


def next_move(table: dict[tuple[str, str], Move], state: str, action: str) -> Move:
    """The move for ``action`` from ``state``; ``InvalidTransition`` for any other pair."""
    try:
        return table[(str(state), action)]
    except KeyError:
        raise InvalidTransition(_("This action is not allowed in the current state.")) from None
