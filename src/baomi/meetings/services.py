"""Services of the secret meetings register: every change (SUP-12, R-SITE-2).

Carriers issued at a meeting move only through the carrier registry's own services: issuing
asks for a loan to the attendee (``carriers.services.request_loan`` — the registry checks the
attendee's clearance and need-to-know scope), the meeting's approver approves those loans with
the meeting (``approve_loan``), recovering returns the loan (``return_carrier``), and a missing
carrier is marked missing there (``mark_missing``) while this register opens the incident
(``incidents.services.open_incident``). A meeting cannot close while any carrier is out.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from baomi.access import policy
from baomi.audit.record import record
from baomi.carriers import services as carriers
from baomi.carriers.choices import RequestStatus as LoanStatus
from baomi.core import levels
from baomi.kit import requests
from baomi.kit.service import own_transaction, service
from baomi.meetings import lifecycle, selectors
from baomi.meetings.choices import OPEN_ISSUES, AttendeeRole, IssueStatus, MeetingStatus
from baomi.meetings.events import MeetingsEvent
from baomi.meetings.models import Attendee, Meeting, MeetingApproval, MeetingCarrier
from baomi.registers import checks
from baomi.registers.exports import xlsx_bytes
from baomi.registers.reminders import remind_once

OPEN_MEETING = (MeetingStatus.PLANNED, MeetingStatus.APPROVED, MeetingStatus.IN_SESSION)


def _locked(obj: Any) -> Any:
    return type(obj).objects.select_for_update().get(pk=obj.pk)


def _open(meeting: Meeting) -> None:
    if meeting.status not in OPEN_MEETING:
        checks.fail("meeting", _("This meeting is closed or cancelled."))


# --- planning and approval (R-SITE-2) --------------------------------------------------------------


@service
def plan_meeting(
    actor: Any, *, title: str, level: str, plan: str, venue: Any, starts_at: dt.datetime | None,
    ends_at: dt.datetime | None, equipment: str = "", remote: bool = False, remote_measures: str = "",
) -> Meeting:  # fmt: skip
    """Plan a secret meeting: level, 保密方案, a compliant venue, time and equipment; its approval
    is asked of the unit head or the leading group (R-SITE-2). The organiser attends as staff.

    *Requires* ``meetings_organise`` and the organiser's clearance for the level. *Audits*
    MEETING_PLANNED. *Raises* ValidationFailed for a meeting ending before it starts, a venue
    that is not a confirmed key place for the level, a remote meeting without measures."""
    from baomi.sites.selectors import is_confirmed_for

    policy.require(actor, "meetings_organise")
    title = checks.require_text(title, "title", _("Give the meeting a title."))
    level = checks.state_secret_level(level)
    policy.check_ceiling(level)
    checks.cleared_for(actor, level, "level", _("The organiser must be cleared for the meeting's level."))
    plan = checks.require_text(plan, "plan", _("Write the secrecy plan (保密方案) of the meeting."))
    if venue is None or not is_confirmed_for(venue, level):
        checks.fail("venue", _("The venue must be a confirmed key place designated for the meeting's level."))
    if starts_at is None or ends_at is None:
        checks.fail("starts_at", _("Give the start and end."))
    if ends_at <= starts_at:
        checks.fail("ends_at", _("The meeting cannot end before it starts."))
    if remote and not remote_measures.strip():
        checks.fail(
            "remote_measures", _("A video or telephone meeting needs its secrecy measures (R-SITE-2).")
        )
    meeting = Meeting(title=title, level=level, plan=plan, venue=venue, starts_at=starts_at, ends_at=ends_at,
                      equipment=equipment.strip(), remote=remote, remote_measures=remote_measures.strip(),
                      organiser=actor)  # fmt: skip
    meeting.save()
    Attendee(meeting=meeting, user=actor, role=AttendeeRole.STAFF, added_by=actor).save()
    MeetingApproval(meeting=meeting, organiser=actor, requested_by=actor, reason=title[:300]).save()
    record(actor, MeetingsEvent.MEETING_PLANNED, meeting, details={"level": level, "venue": venue.pk})
    return meeting


@service
def approve_meeting(actor: Any, approval: MeetingApproval, *, reason: str = "") -> MeetingApproval:
    """Approve a meeting's 保密方案 (R-SITE-2); the loans of the carriers to be issued at it are
    approved with it, through the carrier registry (``approve_loan``, which checks the approver
    may approve each). *Requires* ``decide`` (the unit head or the leading group, not the
    organiser). *Audits* MEETING_APPROVED and LOAN_APPROVED per carrier."""
    meeting = _locked(approval.meeting)
    move = lifecycle.next_move(lifecycle.MEETING_TRANSITIONS, meeting.status, "approve")
    approval = requests.decide(actor, approval, requests.APPROVE, reason=reason, event=MeetingsEvent.MEETING_APPROVED,
                               details={"meeting": meeting.pk})  # type: ignore[assignment]  # fmt: skip
    meeting.status = move.next_state
    meeting.save(update_fields=["status"])
    for issue in MeetingCarrier.objects.filter(meeting=meeting, status=IssueStatus.REQUESTED).select_related(
        "loan"
    ):
        if issue.loan.status == LoanStatus.PENDING:
            carriers.approve_loan(actor, issue.loan, note=str(_("Approved with the meeting's secrecy plan.")))
    return approval


@service
def reject_meeting(actor: Any, approval: MeetingApproval, *, reason: str) -> MeetingApproval:
    """Refuse a meeting's 保密方案: the meeting is cancelled and its pending loans withdrawn
    (R-SITE-2). *Requires* ``decide``. *Audits* MEETING_REJECTED."""
    meeting = _locked(approval.meeting)
    move = lifecycle.next_move(lifecycle.MEETING_TRANSITIONS, meeting.status, "reject")
    reason = checks.require_text(reason, "reason", _("Give a reason."))
    approval = requests.decide(actor, approval, requests.REJECT, reason=reason, event=MeetingsEvent.MEETING_REJECTED,
                               details={"meeting": meeting.pk})  # type: ignore[assignment]  # fmt: skip
    meeting.status = move.next_state
    meeting.save(update_fields=["status"])
    _withdraw_pending(actor, meeting, reject=True)
    return approval


def _withdraw_pending(actor: Any, meeting: Meeting, *, reject: bool = False) -> None:
    """End the loans of carriers not handed out: the approver rejects them with the meeting, the
    requester withdraws them (the registry's own services and rules), an approved one is
    returned."""
    for issue in MeetingCarrier.objects.filter(meeting=meeting, status=IssueStatus.REQUESTED).select_related(
        "loan"
    ):
        loan = issue.loan
        if loan.status == LoanStatus.PENDING and reject:
            carriers.reject_request(actor, loan, note=str(_("The meeting was not approved.")))
        elif loan.status == LoanStatus.PENDING:
            carriers.withdraw_request(actor, loan)
        elif loan.status == LoanStatus.APPROVED:
            carriers.return_carrier(actor, issue.carrier, note=str(_("Not handed out at the meeting.")))
        issue.status = IssueStatus.WITHDRAWN
        issue.save(update_fields=["status"])


@service
def cancel_meeting(actor: Any, meeting: Meeting, *, reason: str) -> Meeting:
    """Cancel a meeting that has not opened; carriers not yet handed out are withdrawn
    (R-SITE-2). *Requires* ``manage``. *Audits* MEETING_CANCELLED."""
    meeting = _locked(meeting)
    policy.require(actor, "manage", meeting)
    move = lifecycle.next_move(lifecycle.MEETING_TRANSITIONS, meeting.status, "cancel")
    reason = checks.require_text(reason, "reason", _("Give a reason."))
    if MeetingCarrier.objects.filter(meeting=meeting, status=IssueStatus.HANDED_OUT).exists():
        checks.fail("reason", _("Carriers have been handed out; recover them first."))
    _withdraw_pending(actor, meeting)
    meeting.status = move.next_state
    meeting.save(update_fields=["status"])
    record(actor, move.event, meeting, details={"reason": reason[:200]})
    return meeting


# --- attendees (R-SITE-2) ------------------------------------------------------------------------------


@service
def add_attendee(actor: Any, meeting: Meeting, *, user: Any, role: str = AttendeeRole.ATTENDEE) -> Attendee:
    """Add an attendee or staff member: nobody below the meeting's level (R-SITE-2: attendees
    limited). *Requires* ``manage``. *Audits* ATTENDEE_ADDED. *Raises* ValidationFailed naming
    the person whose clearance does not reach the level."""
    meeting = _locked(meeting)
    policy.require(actor, "manage", meeting)
    _open(meeting)
    if role not in AttendeeRole.values:
        checks.fail("role", _("Choose attendee or staff."))
    if user is None or not user.is_active:
        checks.fail("user", _("Choose an active person."))
    if not levels.dominates(user.clearance, meeting.level):
        checks.fail("user", _("%(person)s is cleared only for %(clearance)s, below the meeting's level %(level)s, and "
                              "cannot attend.") % {"person": user.full_name or user.username,
                                                   "clearance": levels.Level(user.clearance).label,
                                                   "level": levels.Level(meeting.level).label})  # fmt: skip
    if Attendee.objects.filter(meeting=meeting, user=user).exists():
        checks.fail("user", _("This person is already on the list."))
    a = Attendee(meeting=meeting, user=user, role=role, added_by=actor)
    a.save()
    record(
        actor,
        MeetingsEvent.ATTENDEE_ADDED,
        meeting,
        details={"attendee": a.pk, "user": user.pk, "role": role},
    )
    return a


@service
def remove_attendee(actor: Any, attendee: Attendee) -> Meeting:
    """Take a person off the list before the meeting; refused while they hold a meeting carrier.
    *Requires* ``manage``. *Audits* ATTENDEE_REMOVED."""
    meeting = _locked(attendee.meeting)
    policy.require(actor, "manage", meeting)
    _open(meeting)
    if attendee.carriers.filter(status__in=OPEN_ISSUES).exists():
        checks.fail("user", _("This person holds carriers of the meeting; recover them first."))
    if attendee.user_id == meeting.organiser_id:
        checks.fail("user", _("The organiser stays on the list."))
    user_id = attendee.user_id
    attendee.delete()
    record(actor, MeetingsEvent.ATTENDEE_REMOVED, meeting, details={"user": user_id})
    return meeting


@service
def check_attendee(actor: Any, attendee: Attendee) -> Attendee:
    """Record that an attendee's identity was checked at the door and they were briefed on the
    meeting's secrecy rules (R-SITE-2). *Requires* ``manage``. *Audits* ATTENDEE_CHECKED."""
    attendee = _locked(attendee)
    meeting = attendee.meeting
    policy.require(actor, "manage", meeting)
    _open(meeting)
    now = timezone.now()
    attendee.identity_checked_at = attendee.identity_checked_at or now
    attendee.briefed_at = attendee.briefed_at or now
    attendee.save(update_fields=["identity_checked_at", "briefed_at"])
    record(actor, MeetingsEvent.ATTENDEE_CHECKED, meeting, details={"attendee": attendee.pk})
    return attendee


# --- carriers issued at the meeting (R-SITE-2, CAR-6) -----------------------------------------------------


@service
def issue_carrier(actor: Any, meeting: Meeting, *, carrier: Any, attendee: Attendee) -> MeetingCarrier:
    """Plan to issue a registered carrier to an attendee: a loan is asked of the carrier
    registry for the meeting's venue and day (the registry checks clearance and scope); it is
    approved with the meeting, or in the carrier approvals when the meeting is already approved.
    *Requires* ``manage`` on the meeting (and ``lend`` on the carrier, in the registry).
    *Audits* MEETING_CARRIER_ISSUED (and LOAN_REQUESTED)."""
    meeting = _locked(meeting)
    policy.require(actor, "manage", meeting)
    _open(meeting)
    if attendee.meeting_id != meeting.pk:
        checks.fail("attendee", _("Choose a person on the meeting's list."))
    if levels.rank(carrier.level) > levels.rank(meeting.level):
        checks.fail("carrier", _("A carrier above the meeting's level is not issued at it."))
    if MeetingCarrier.objects.filter(meeting=meeting, carrier=carrier, status__in=OPEN_ISSUES).exists():
        checks.fail("carrier", _("This carrier is already issued at the meeting."))
    # Due back on the meeting's last day; issued to a meeting already over (recorded afterwards,
    # or a meeting that ran past midnight), due today — the registry refuses a due date passed.
    due_on = max(timezone.localdate(meeting.ends_at), timezone.localdate())
    loan = carriers.request_loan(actor, carrier, place=str(meeting.venue), due_on=due_on,
                                 reason=str(_("Issued at meeting #%(id)s")) % {"id": meeting.pk},
                                 borrower=attendee.user)  # fmt: skip
    issue = MeetingCarrier(meeting=meeting, carrier=carrier, attendee=attendee, loan=loan)
    issue.save()
    record(actor, MeetingsEvent.MEETING_CARRIER_ISSUED, meeting,
           details={"issue": issue.pk, "carrier": carrier.registry_number, "attendee": attendee.user_id})  # fmt: skip
    return issue


def _issue_move(actor: Any, issue: MeetingCarrier, action: str) -> tuple[MeetingCarrier, Any]:
    issue = _locked(issue)
    policy.require(actor, "manage", issue.meeting)
    return issue, lifecycle.next_move(lifecycle.ISSUE_TRANSITIONS, issue.status, action)


@service
def hand_out(actor: Any, issue: MeetingCarrier) -> MeetingCarrier:
    """The attendee signs for the carrier handed to them at the meeting (R-SITE-2). Only once
    the registry has lent it to them. *Requires* ``manage`` on the meeting. *Audits*
    MEETING_CARRIER_HANDED_OUT."""
    issue, move = _issue_move(actor, issue, "hand_out")
    loan = issue.loan
    loan.refresh_from_db()
    if loan.status != LoanStatus.APPROVED:
        checks.fail("carrier", _("The loan of this carrier is not approved yet; it cannot be handed out."))
    if issue.meeting.status not in (MeetingStatus.APPROVED, MeetingStatus.IN_SESSION):
        checks.fail("carrier", _("Carriers are handed out only at an approved meeting."))
    issue.status, issue.handed_out_at = move.next_state, timezone.now()
    issue.save(update_fields=["status", "handed_out_at"])
    record(actor, move.event, issue.meeting, details={"issue": issue.pk, "carrier": issue.carrier.registry_number,
                                                      "attendee": issue.attendee.user_id})  # fmt: skip
    return issue


@service
def withdraw_issue(actor: Any, issue: MeetingCarrier) -> MeetingCarrier:
    """Withdraw a carrier not yet handed out: its pending loan is withdrawn, or its approved
    loan returned, in the registry. *Requires* ``manage``. *Audits* MEETING_CARRIER_WITHDRAWN."""
    issue, move = _issue_move(actor, issue, "withdraw")
    loan = issue.loan
    loan.refresh_from_db()
    if loan.status == LoanStatus.PENDING:
        carriers.withdraw_request(actor, loan)
    elif loan.status == LoanStatus.APPROVED:
        carriers.return_carrier(actor, issue.carrier, note=str(_("Not handed out at the meeting.")))
    issue.status = move.next_state
    issue.save(update_fields=["status"])
    record(
        actor,
        move.event,
        issue.meeting,
        details={"issue": issue.pk, "carrier": issue.carrier.registry_number},
    )
    return issue


@service
def recover_carrier(actor: Any, issue: MeetingCarrier) -> MeetingCarrier:
    """Take a carrier back from the attendee: the registry registers the return of the loan
    (``return_carrier``, counted back by the custodian or the security office). *Requires*
    ``manage`` on the meeting and ``return`` on the carrier. *Audits* MEETING_CARRIER_RECOVERED
    (and CARRIER_RETURNED)."""
    issue, move = _issue_move(actor, issue, "recover")
    carriers.return_carrier(
        actor, issue.carrier, note=str(_("Recovered at meeting #%(id)s")) % {"id": issue.meeting_id}
    )
    issue.status, issue.recovered_at, issue.recovered_by = move.next_state, timezone.now(), actor
    issue.save(update_fields=["status", "recovered_at", "recovered_by"])
    record(
        actor,
        move.event,
        issue.meeting,
        details={"issue": issue.pk, "carrier": issue.carrier.registry_number},
    )
    return issue


@service
def report_missing(actor: Any, issue: MeetingCarrier, *, note: str) -> MeetingCarrier:
    """A carrier issued at the meeting was not given back: it is marked missing in the registry
    and an incident is opened (SUP-2, R-SITE-2). *Requires* ``manage`` on the meeting and
    ``mark_missing`` on the carrier. *Audits* MEETING_CARRIER_MISSING, CARRIER_MISSING and
    INCIDENT_OPENED."""
    from baomi.incidents.choices import IncidentKind
    from baomi.incidents.services import open_incident

    issue, move = _issue_move(actor, issue, "report_missing")
    note = checks.require_text(note, "note", _("Say what is known of where it went."))
    carrier = issue.carrier
    carriers.mark_missing(actor, carrier, note=note[:200], open_incident=False)
    incident = open_incident(
        actor, title=str(_("Carrier %(number)s not recovered after meeting #%(id)s"))
        % {"number": carrier.registry_number, "id": issue.meeting_id}, description=note, source="meeting",
        source_ref=str(issue.meeting_id), level=carrier.level, kind=IncidentKind.LOST_CARRIER,
    )  # fmt: skip
    issue.status, issue.incident = move.next_state, incident
    issue.save(update_fields=["status", "incident"])
    record(actor, move.event, issue.meeting, details={"issue": issue.pk, "carrier": carrier.registry_number,
                                                      "incident": incident.pk})  # fmt: skip
    return issue


# --- opening and closing ---------------------------------------------------------------------------------


@service
def open_meeting(actor: Any, meeting: Meeting) -> Meeting:
    """Open an approved meeting. *Requires* ``manage``. *Audits* MEETING_OPENED."""
    meeting = _locked(meeting)
    policy.require(actor, "manage", meeting)
    move = lifecycle.next_move(lifecycle.MEETING_TRANSITIONS, meeting.status, "open")
    meeting.status, meeting.opened_at = move.next_state, timezone.now()
    meeting.save(update_fields=["status", "opened_at"])
    record(actor, move.event, meeting)
    return meeting


@service
def close_meeting(actor: Any, meeting: Meeting) -> Meeting:
    """Close a meeting: refused while any carrier issued at it is unrecovered — handed out and
    not back, or lent and not withdrawn (R-SITE-2). A carrier that will not come back is
    reported missing first (an incident). *Requires* ``manage``. *Audits* MEETING_CLOSED."""
    meeting = _locked(meeting)
    policy.require(actor, "manage", meeting)
    move = lifecycle.next_move(lifecycle.MEETING_TRANSITIONS, meeting.status, "close")
    out = list(MeetingCarrier.objects.filter(meeting=meeting, status__in=OPEN_ISSUES)
               .select_related("carrier").values_list("carrier__registry_number", flat=True))  # fmt: skip
    if out:
        checks.fail("meeting", _("The meeting cannot close while carriers issued at it are not recovered: %(numbers)s. "
                                 "Recover them, or report them missing.") % {"numbers": "、".join(out)})  # fmt: skip
    meeting.status, meeting.closed_at = move.next_state, timezone.now()
    meeting.save(update_fields=["status", "closed_at"])
    record(actor, move.event, meeting)
    return meeting


# --- export and reminders ----------------------------------------------------------------------------------


@service
def export_register(
    actor: Any, *, title: str, headers: list[Any], rows: list[list[Any]], register: str
) -> bytes:
    """Export the meetings register page as xlsx (SUP-12). *Requires* ``meetings_browse``.
    *Audits* MEETINGS_EXPORTED."""
    policy.require(actor, "meetings_browse")
    entry = record(
        actor, MeetingsEvent.MEETINGS_EXPORTED, None, details={"register": register, "rows": len(rows)}
    )
    return xlsx_bytes(title, headers, rows, actor=actor, number=entry.pk)


@own_transaction
def raise_reminders(now: Any = None) -> dict[str, int]:
    """Scheduler: one MEETINGS_REMINDED entry a day per ended meeting with carriers not yet
    recovered (R-SITE-2). Idempotent per day; no policy (the system acts)."""
    moment = now or timezone.now()
    raised = 0
    for meeting in selectors.unrecovered_meetings(None, moment):
        with transaction.atomic():
            raised += remind_once(
                MeetingsEvent.MEETINGS_REMINDED, meeting, "unrecovered", timezone.localdate(moment)
            )
    return {"reminders": raised}
