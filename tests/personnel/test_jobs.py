"""Scheduled personnel jobs and dashboard tasks (OPS-1, OPS-2, PER-3, PER-5)."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from baomi.audit.events import AuditEvent
from baomi.dashboard.views import tasks_for
from baomi.kit import jobs
from baomi.personnel import services
from baomi.personnel.models import Signature
from tests.personnel.factories import carrier_for, onboarded, today
from tests.support.assertions import assert_audited, last_audit_id


def test_jobs_are_registered_and_run_once_per_slot(org):
    """The checks job lowers a lapsed clearance once, and is audited (OPS-2, PER-3)."""
    registered = jobs.load_jobs()
    assert {"personnel.checks", "personnel.reminders"} <= set(registered)
    file = onboarded(org.security_officer, org.staff_secret, "important")
    Signature.objects.filter(file=file).update(valid_until=today() - timedelta(days=1))
    since = last_audit_id()
    now = timezone.now()
    assert jobs.run_job(registered["personnel.checks"], now) is True
    assert jobs.run_job(registered["personnel.checks"], now) is False  # same slot: not again
    org.staff_secret.refresh_from_db()
    assert org.staff_secret.clearance == "work_secret"
    entry = assert_audited(AuditEvent.JOB_RAN, since=since)
    assert entry.details["result"]["lapsed"] == 1
    assert_audited(AuditEvent.AGREEMENT_LAPSED, file, since=since)
    assert jobs.run_job(registered["personnel.reminders"], now) is True


def test_dashboard_tasks_for_officer_and_traveller(org):
    """The officer sees exits, renewals and reports; an approver sees travel waiting (OPS-1)."""
    so = org.security_officer
    file = onboarded(so, org.staff_secret, "important", signed_on=today() - timedelta(days=350))
    carrier_for(org.staff_secret)
    services.start_exit(so, file, approved_on=today())
    services.file_violation_report(org.staff_confidential, kind="violation", description="x")
    labels = {t["label"]: t["count"] for t in tasks_for(so)}
    assert labels["办理中的离岗离职"] == 1
    assert labels["待处理的违规举报"] == 1
    assert labels["未参加有效定密培训的定密责任人和承办人"] >= 1
    onboarded(so, org.staff_confidential, "general")
    services.request_travel(org.staff_confidential, traveller=org.staff_confidential, destination="韩国",
                            purpose="交流", departs_on=today(), returns_on=today())  # fmt: skip
    head = {t["label"]: t["count"] for t in tasks_for(org.dept_head)}
    assert head["待您办理的出国（境）申请"] == 1
    assert "待处理的违规举报" not in head
    assert not any("违规举报" in t["label"] for t in tasks_for(org.staff_secret))


def test_start_page_applies_a_lapse_at_once(org):
    """A pledge that lapsed since the last job run lowers the clearance when the person opens
    the start page (PER-3 immediate check)."""
    from django.test import Client

    file = onboarded(org.security_officer, org.staff_secret, "important")
    Signature.objects.filter(file=file).update(valid_until=today() - timedelta(days=1))
    c = Client()
    c.force_login(org.staff_secret)
    assert c.get("/").status_code == 200
    org.staff_secret.refresh_from_db()
    assert org.staff_secret.clearance == "work_secret"
