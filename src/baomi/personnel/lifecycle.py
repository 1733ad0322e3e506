"""Transition tables of the personnel app (STYLE 2.5): pure data, moves only in services.

Personnel file (PER-1, PER-2, PER-5)::

    onboarding --clear--> active --start_exit--> exiting --complete_exit--> separation
    onboarding --start_exit--> exiting        active --fail_review--> onboarding
    separation --end_separation--> released --reopen--> onboarding

Travel abroad (PER-6, R-PER-5)::

    submitted --opinion--> submitted --approve--> approved --depart--> departed
    submitted --refuse--> refused       departed --return--> returned --report--> closed

Violation report (PER-8)::  received --open_incident--> incident;  received --dismiss--> dismissed
"""

from __future__ import annotations

from typing import NamedTuple

from django.utils.translation import gettext_lazy as _

from baomi.audit.events import AuditEvent
from baomi.core.errors import InvalidTransition
from baomi.personnel.choices import FileStatus, ReportStatus, TravelStatus


class Move(NamedTuple):
    next_state: str
    action: str  # the policy action the service requires
    event: AuditEvent


FILE_TRANSITIONS: dict[tuple[str, str], Move] = {
    (FileStatus.ONBOARDING, "clear"): Move(FileStatus.ACTIVE, "manage", AuditEvent.PERSONNEL_CLEARED),
    (FileStatus.ACTIVE, "fail_review"): Move(FileStatus.ONBOARDING, "manage", AuditEvent.PERSONNEL_REVIEWED),
    (FileStatus.ONBOARDING, "start_exit"): Move(FileStatus.EXITING, "manage", AuditEvent.EXIT_STARTED),
    (FileStatus.ACTIVE, "start_exit"): Move(FileStatus.EXITING, "manage", AuditEvent.EXIT_STARTED),
    (FileStatus.EXITING, "complete_exit"): Move(FileStatus.SEPARATION, "manage", AuditEvent.EXIT_COMPLETED),
    (FileStatus.SEPARATION, "end_separation"): Move(
        FileStatus.RELEASED, "manage", AuditEvent.SEPARATION_ENDED
    ),
    (FileStatus.RELEASED, "reopen"): Move(FileStatus.ONBOARDING, "manage", AuditEvent.PERSONNEL_FILE_OPENED),
}

TRAVEL_TRANSITIONS: dict[tuple[str, str], Move] = {
    (TravelStatus.SUBMITTED, "personnel_opinion"): Move(
        TravelStatus.SUBMITTED, "give_personnel_opinion", AuditEvent.TRAVEL_OPINION_GIVEN
    ),
    (TravelStatus.SUBMITTED, "security_opinion"): Move(
        TravelStatus.SUBMITTED, "give_security_opinion", AuditEvent.TRAVEL_OPINION_GIVEN
    ),
    (TravelStatus.SUBMITTED, "approve"): Move(TravelStatus.APPROVED, "decide", AuditEvent.TRAVEL_DECIDED),
    (TravelStatus.SUBMITTED, "refuse"): Move(TravelStatus.REFUSED, "decide", AuditEvent.TRAVEL_DECIDED),
    (TravelStatus.APPROVED, "depart"): Move(TravelStatus.DEPARTED, "report", AuditEvent.TRAVEL_DEPARTED),
    (TravelStatus.DEPARTED, "return"): Move(TravelStatus.RETURNED, "report", AuditEvent.TRAVEL_RETURNED),
    (TravelStatus.RETURNED, "report"): Move(TravelStatus.CLOSED, "report", AuditEvent.TRAVEL_REPORTED),
}

REPORT_TRANSITIONS: dict[tuple[str, str], Move] = {
    (ReportStatus.RECEIVED, "open_incident"): Move(
        ReportStatus.INCIDENT, "handle", AuditEvent.VIOLATION_REPORT_HANDLED
    ),
    (ReportStatus.RECEIVED, "dismiss"): Move(
        ReportStatus.DISMISSED, "handle", AuditEvent.VIOLATION_REPORT_HANDLED
    ),
}


def next_move(table: dict[tuple[str, str], Move], state: str, action: str) -> Move:
    """The move for ``action`` from ``state``; ``InvalidTransition`` for any other pair."""
    try:
        return table[(state, action)]
    except KeyError:
        raise InvalidTransition(_("This action is not allowed in the current state.")) from None
