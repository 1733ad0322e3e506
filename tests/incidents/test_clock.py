"""The 24-hour clock (R-INC-1) with a fixed clock in Asia/Shanghai: the deadline to the second,
reminders at the configured points, the missed deadline that stays recorded."""

from __future__ import annotations

from datetime import datetime, timedelta
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest

from baomi.incidents import clock, services
from baomi.incidents.events import IncidentEvent
from baomi.incidents.models import Incident
from tests.incidents.factories import ago, open_one
from tests.support.assertions import assert_audited, assert_not_audited, last_audit_id

SH = ZoneInfo("Asia/Shanghai")
FOUND = datetime(2026, 3, 1, 9, 30, 0, tzinfo=SH)  # 2026-03-01 09:30:00 北京时间
DEADLINE = datetime(2026, 3, 2, 9, 30, 0, tzinfo=SH)


def report(recipient, at):
    return SimpleNamespace(recipient=recipient, reported_at=at)


def test_deadline_is_discovery_plus_24_hours():
    assert clock.deadline_for("lost_carrier", "", FOUND) == DEADLINE
    assert clock.deadline_for("other", "secret", FOUND) == DEADLINE  # a state secret involved
    assert clock.deadline_for("personal_information", "", FOUND) is None  # R-INC-3: no hour limit
    assert clock.deadline_for("other", "work_secret", FOUND) is None


def test_configurable_hours(settings):
    settings.INCIDENT_REPORT_HOURS = 12
    assert clock.deadline_for("suspected_leak", "", FOUND) == FOUND + timedelta(hours=12)


def test_boundary_to_the_second():
    """At 09:30:00 the next day the clock has not run out; at 09:30:01 it has."""
    at_deadline = clock.clock(DEADLINE, [], DEADLINE)
    assert at_deadline.state == "running" and at_deadline.remaining == timedelta(0)
    one_after = clock.clock(DEADLINE, [], DEADLINE + timedelta(seconds=1))
    assert one_after.state == "overdue"
    assert not clock.is_late(DEADLINE, DEADLINE)
    assert clock.is_late(DEADLINE, DEADLINE + timedelta(seconds=1))


def test_states_with_reports():
    one = [report("same_level", FOUND + timedelta(hours=3))]
    state = clock.clock(DEADLINE, one, FOUND + timedelta(hours=4))
    assert state.state == "running" and state.missing == ("superior",)
    assert state.remaining_text == "20小时00分"
    both = [*one, report("superior", DEADLINE)]
    assert clock.clock(DEADLINE, both, DEADLINE + timedelta(days=3)).state == "met"
    late = [*one, report("superior", DEADLINE + timedelta(seconds=1))]
    assert clock.clock(DEADLINE, late, DEADLINE + timedelta(days=3)).state == "met_late"
    assert clock.clock(None, [], DEADLINE).state == "none"


def test_reminder_points(settings):
    settings.INCIDENT_REMINDER_HOURS = "12, 20, 30, x"
    assert clock.reminder_hours() == [12, 20]  # 30 lies past the deadline, x is not a number
    assert clock.due_reminders(FOUND, 0, FOUND + timedelta(hours=11, minutes=59, seconds=59)) == []
    assert clock.due_reminders(FOUND, 0, FOUND + timedelta(hours=12)) == [12]
    assert clock.due_reminders(FOUND, 12, FOUND + timedelta(hours=21)) == [20]
    assert clock.due_reminders(FOUND, 0, FOUND + timedelta(hours=21)) == [12, 20]


@pytest.mark.django_db
def test_report_at_the_deadline_is_in_time_one_second_later_is_late(org):
    """R-INC-1 through the service: the same-level report exactly at the deadline is on time;
    the superior report one second later is late, and the missed deadline is recorded."""
    officer = org.security_officer
    incident = open_one(org, hours_ago=30)
    deadline = incident.deadline_at
    assert deadline == incident.discovered_at + timedelta(hours=24)
    on_time = services.report_upward(officer, incident, recipient="same_level", reported_at=deadline,
                                     channel="confidential_fax", reference="密传〔2026〕3号")  # fmt: skip
    assert on_time.late is False
    incident.refresh_from_db()
    assert incident.overdue_at is None
    since = last_audit_id()
    late = services.report_upward(officer, incident, recipient="superior",
                                  reported_at=deadline + timedelta(seconds=1), channel="phone",
                                  reference="值班电话记录")  # fmt: skip
    assert late.late is True
    incident.refresh_from_db()
    assert incident.overdue_at == deadline  # stays recorded after the late report
    assert_audited(IncidentEvent.INCIDENT_OVERDUE, incident, since=since)
    assert (
        services.clock_mod.clock(incident.deadline_at, incident.upward_reports.all(), ago()).state
        == "met_late"
    )


@pytest.mark.django_db
def test_scheduler_reminds_at_12_and_20_hours_then_records_overdue(org, settings):
    """The job raises each reminder once, at its point, and records the missed deadline once."""
    settings.INCIDENT_REMINDER_HOURS = "12,20"
    incident = open_one(org, hours_ago=1)
    found = incident.discovered_at
    since = last_audit_id()
    assert services.tick(found + timedelta(hours=11, minutes=59))["reminders"] == 0
    assert services.tick(found + timedelta(hours=12))["reminders"] == 1
    assert services.tick(found + timedelta(hours=13))["reminders"] == 0  # once per point
    assert_audited(IncidentEvent.INCIDENT_REMINDED, incident, since=since)
    assert services.tick(found + timedelta(hours=20, seconds=1))["reminders"] == 1
    incident.refresh_from_db()
    assert incident.reminded_hours == 20
    assert services.tick(found + timedelta(hours=24))["overdue"] == 0  # at the deadline: not yet
    assert services.tick(found + timedelta(hours=24, seconds=1))["overdue"] == 1
    assert services.tick(found + timedelta(hours=25))["overdue"] == 0
    incident.refresh_from_db()
    assert incident.overdue_at == incident.deadline_at


@pytest.mark.django_db
def test_no_reminder_once_both_reports_are_made(org):
    officer = org.security_officer
    incident = open_one(org, hours_ago=2)
    for r in ("same_level", "superior"):
        services.report_upward(
            officer, incident, recipient=r, reported_at=ago(1), channel="phone", reference="x"
        )
    since = last_audit_id()
    assert services.tick(incident.discovered_at + timedelta(hours=30)) == {"reminders": 0, "overdue": 0}
    assert_not_audited(IncidentEvent.INCIDENT_REMINDED, incident, since=since)


@pytest.mark.django_db
def test_personal_information_incident_has_no_clock(org):
    incident = open_one(org, kind="personal_information")
    assert incident.deadline_at is None
    assert services.tick(ago() + timedelta(days=3)) == {"reminders": 0, "overdue": 0}
    assert Incident.objects.get(pk=incident.pk).overdue_at is None


@pytest.mark.django_db
def test_a_level_that_makes_it_a_state_secret_starts_the_clock_from_discovery(org):
    incident = open_one(org, kind="other", hours_ago=5)
    assert incident.deadline_at is None
    services.correct_incident(org.security_officer, incident, level="secret")
    incident.refresh_from_db()
    assert incident.deadline_at == incident.discovered_at + timedelta(hours=24)
