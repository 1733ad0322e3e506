"""Secret meetings through their services (SUP-12, R-SITE-2): cleared attendees only; carriers
issued and recovered through the carrier registry's services; no closing while any is out; a
missing one opens an incident."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from baomi.access.errors import AccessDenied
from baomi.audit.events import AuditEvent
from baomi.carriers.models import Carrier, LoanRequest
from baomi.core.errors import InvalidTransition, ValidationFailed
from baomi.core.levels import Level
from baomi.incidents.models import Incident
from baomi.meetings import selectors, services
from baomi.meetings.events import MeetingsEvent
from baomi.meetings.models import Attendee, Meeting, MeetingApproval
from tests.support.assertions import assert_audited
from tests.support.registers import place

pytestmark = pytest.mark.django_db


def _approve(org, m):
    return services.approve_meeting(org.unit_head, MeetingApproval.objects.get(meeting=m), reason="同意")


def test_nobody_below_the_meetings_level_is_added(org, meeting):
    """R-SITE-2: attendees limited — clearance checked, with a clear message."""
    with pytest.raises(ValidationFailed) as err:
        services.add_attendee(org.security_officer, meeting, user=org.staff_confidential)
    assert "user" in err.value.fields and "低于会议密级" in str(err.value)
    assert not Attendee.objects.filter(meeting=meeting, user=org.staff_confidential).exists()
    with pytest.raises(ValidationFailed):
        services.add_attendee(org.security_officer, meeting, user=org.case_handler)  # already on it


def test_the_venue_and_times_are_checked(org):
    now = timezone.now()
    ordinary = place(org, code="KP-C", level=Level.CONFIDENTIAL)
    base = {
        "title": "会",
        "level": Level.SECRET,
        "plan": "方案",
        "starts_at": now,
        "ends_at": now + dt.timedelta(hours=1),
    }
    with pytest.raises(ValidationFailed) as err:
        services.plan_meeting(org.security_officer, venue=ordinary, **base)
    assert "venue" in err.value.fields
    venue = place(org, code="KP-S")
    with pytest.raises(ValidationFailed) as err:
        services.plan_meeting(
            org.security_officer, venue=venue, **{**base, "ends_at": now - dt.timedelta(hours=1)}
        )
    assert "ends_at" in err.value.fields
    with pytest.raises(ValidationFailed) as err:
        services.plan_meeting(org.security_officer, venue=venue, remote=True, **base)
    assert "remote_measures" in err.value.fields
    assert not Meeting.objects.exists()


def test_carriers_go_out_and_come_back_through_the_registry(org, meeting, copies):
    """Issuing asks the registry for a loan; approving the meeting approves it; handing out
    needs it approved; recovering returns it (CAR-6)."""
    first, second = copies
    issue = services.issue_carrier(org.security_officer, meeting, carrier=first, attendee=meeting.attendee)
    assert issue.loan.status == "pending" and issue.loan.borrower == org.case_handler
    with pytest.raises(ValidationFailed):
        services.hand_out(org.security_officer, issue)  # the loan is not approved yet
    _approve(org, meeting)
    first.refresh_from_db()
    assert first.status == "on_loan" and first.holder == org.case_handler
    services.open_meeting(org.security_officer, meeting)
    services.hand_out(org.security_officer, issue)
    late = services.issue_carrier(org.security_officer, meeting, carrier=second, attendee=meeting.attendee)
    from baomi.carriers import services as carriers

    carriers.approve_loan(org.unit_head, late.loan)  # after the meeting's approval: in the carrier approvals
    services.hand_out(org.security_officer, late)
    with pytest.raises(ValidationFailed) as err:
        services.close_meeting(org.security_officer, meeting)
    assert first.registry_number in str(err.value) and "不能结束会议" in str(err.value)
    services.recover_carrier(org.security_officer, issue)
    first.refresh_from_db()
    assert first.status == "registered" and LoanRequest.objects.get(pk=issue.loan_id).status == "done"
    assert_audited(AuditEvent.CARRIER_RETURNED, first, org.security_officer)
    assert meeting in selectors.unrecovered_meetings(org.security_officer)
    services.report_missing(org.security_officer, late, note="会后未交回，已联系本人")
    second.refresh_from_db()
    late.refresh_from_db()
    assert (
        second.status == "missing" and Incident.objects.filter(pk=late.incident_id, source="meeting").exists()
    )
    assert_audited(AuditEvent.INCIDENT_OPENED, late.incident, org.security_officer)
    services.close_meeting(org.security_officer, meeting)
    assert_audited(MeetingsEvent.MEETING_CLOSED, meeting, org.security_officer)
    assert meeting not in selectors.unrecovered_meetings(org.security_officer)


def test_a_carrier_outside_the_attendees_scope_is_refused_by_the_registry(org, meeting):
    from tests.carriers.factories import make_carrier

    other = make_carrier(org, Level.SECRET, custodian=org.security_officer)  # case_handler not in scope
    with pytest.raises(ValidationFailed) as err:
        services.issue_carrier(org.security_officer, meeting, carrier=other, attendee=meeting.attendee)
    assert "borrower" in err.value.fields


def test_only_the_unit_head_or_leading_group_approves_never_the_organiser(org, meeting):
    approval = MeetingApproval.objects.get(meeting=meeting)
    with pytest.raises(AccessDenied):
        services.approve_meeting(org.security_officer, approval)
    with pytest.raises(AccessDenied):
        services.approve_meeting(org.dept_head, approval)
    services.approve_meeting(org.leading_group, approval)
    meeting.refresh_from_db()
    assert meeting.status == "approved"


def test_refusal_cancels_and_withdraws_pending_loans(org, meeting, copies):
    issue = services.issue_carrier(
        org.security_officer, meeting, carrier=copies[0], attendee=meeting.attendee
    )
    services.reject_meeting(org.unit_head, MeetingApproval.objects.get(meeting=meeting), reason="方案不完善")
    meeting.refresh_from_db()
    issue.refresh_from_db()
    assert meeting.status == "cancelled" and issue.status == "withdrawn"
    assert LoanRequest.objects.get(pk=issue.loan_id).status == "rejected"
    assert Carrier.objects.get(pk=copies[0].pk).status == "registered"
    with pytest.raises(InvalidTransition):
        services.open_meeting(org.security_officer, meeting)


def test_check_briefing_and_reminders(org, meeting, copies):
    a = services.check_attendee(org.security_officer, meeting.attendee)
    assert a.identity_checked_at and a.briefed_at
    issue = services.issue_carrier(
        org.security_officer, meeting, carrier=copies[0], attendee=meeting.attendee
    )
    _approve(org, meeting)
    services.hand_out(org.security_officer, issue)
    assert services.raise_reminders()["reminders"] == 1
    assert services.raise_reminders()["reminders"] == 0
    from baomi.meetings.dashboard import tasks

    assert tasks(org.security_officer)[0]["count"] == 1


def test_the_register_opens_for_those_on_a_list(org, meeting):
    """SUP-12: the menu entry and the list show for organisers and overseers, and for a
    person only once they are on a meeting's list (nobody else has anything there)."""
    from baomi.access import policy

    assert policy.can(org.case_handler, "meetings_browse")  # on the list
    assert not policy.can(org.staff_secret, "meetings_browse")  # on no list, organises nothing
    assert list(selectors.meetings(org.case_handler)) == [meeting]


def test_a_carrier_issued_to_a_meeting_already_over_is_due_today(org, copies):
    """R-SITE-2, CAR-6: a carrier is lent until the meeting's last day; issued to a meeting that
    ended yesterday (recorded afterwards, or a meeting that ran past midnight) it is due today,
    never on a day already past, which the registry would refuse. The meeting fixture ends an
    hour ago, so between 00:00 and 01:00 every meeting test failed so."""
    now = timezone.now()
    venue = place(org, code="KP-Y", kind="meeting_room", responsible=org.staff_secret)
    m = services.plan_meeting(org.security_officer, title="昨日专题会议", level=Level.SECRET, plan="会后清点收回",
                              venue=venue, starts_at=now - dt.timedelta(days=1, hours=2),
                              ends_at=now - dt.timedelta(days=1))  # fmt: skip
    attendee = services.add_attendee(org.security_officer, m, user=org.case_handler)
    issue = services.issue_carrier(org.security_officer, m, carrier=copies[0], attendee=attendee)
    assert issue.loan.due_on == timezone.localdate()
