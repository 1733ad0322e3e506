"""Policy matrix of personnel records (PER-1, PER-6, PER-8, SEC-2): persona × action → allowed."""

from __future__ import annotations

import pytest

from baomi.access.policy import can, visible
from baomi.personnel import services
from baomi.personnel.models import PersonnelFile, TravelRequest, ViolationReport
from tests.personnel.factories import onboarded, today

# The file belongs to staff_secret (department OFFICE, whose head is dept_head).
FILE_MATRIX = [
    ("security_officer", "view", True), ("security_officer", "view_summary", True), ("security_officer", "manage", True),
    ("staff_secret", "view", True), ("staff_secret", "view_summary", True), ("staff_secret", "manage", False),
    ("dept_head", "view", False), ("dept_head", "view_summary", True), ("dept_head", "manage", False),
    ("staff_other_dept", "view", False), ("staff_other_dept", "view_summary", False),
    ("sysadmin", "view", False), ("sysadmin", "view_summary", False), ("sysadmin", "manage", False),
    ("auditor", "view", False), ("auditor", "view_summary", False), ("auditor", "manage", False),
    ("unit_head", "view", False), ("unit_head", "manage", False),
]  # fmt: skip


@pytest.mark.parametrize(("persona", "action", "allowed"), FILE_MATRIX)
def test_file_matrix(org, persona, action, allowed):
    """The security officer manages files; persons see their own; heads see their department's summary (PER-1)."""
    file = onboarded(org.security_officer, org.staff_secret, "important")
    user = getattr(org, persona)
    assert can(user, action, file) is allowed
    assert visible(user, PersonnelFile.objects.all(), action).filter(pk=file.pk).exists() is allowed


def test_officer_cannot_manage_own_file(org):
    """SEC-2: nobody clears themself."""
    own = PersonnelFile(user=org.security_officer)
    assert not can(org.security_officer, "manage", own)


TRAVEL_MATRIX = [
    ("staff_secret", "view", True), ("staff_secret", "report", True), ("staff_secret", "decide", False),
    ("staff_secret", "give_personnel_opinion", False),
    ("dept_head", "view", True), ("dept_head", "give_personnel_opinion", True), ("dept_head", "decide", False),
    ("unit_head", "view", True), ("unit_head", "decide", True), ("unit_head", "give_personnel_opinion", True),
    ("unit_head", "give_security_opinion", False),
    ("security_officer", "view", True), ("security_officer", "give_security_opinion", True),
    ("security_officer", "decide", False), ("security_officer", "report", True),
    ("staff_other_dept", "view", False), ("auditor", "view", False), ("sysadmin", "view", False),
]  # fmt: skip


@pytest.mark.parametrize(("persona", "action", "allowed"), TRAVEL_MATRIX)
def test_travel_matrix(org, persona, action, allowed):
    """Opinions by the personnel side and the security office, approval by the unit head (R-PER-5)."""
    onboarded(org.security_officer, org.staff_secret, "important")
    travel = services.request_travel(org.staff_secret, traveller=org.staff_secret, destination="德国",
                                     purpose="会议", departs_on=today(), returns_on=today())  # fmt: skip
    user = getattr(org, persona)
    assert can(user, action, travel) is allowed
    assert visible(user, TravelRequest.objects.all(), action).filter(pk=travel.pk).exists() is allowed


REPORT_MATRIX = [
    ("security_officer", "view", True), ("security_officer", "view_reporter", True), ("security_officer", "handle", True),
    ("staff_confidential", "view", True), ("staff_confidential", "view_reporter", False),
    ("staff_confidential", "handle", False),
    ("auditor", "view", False), ("auditor", "view_reporter", False), ("sysadmin", "view", False),
    ("dept_head", "view", False), ("unit_head", "view", False), ("unit_head", "view_reporter", False),
]  # fmt: skip


@pytest.mark.parametrize(("persona", "action", "allowed"), REPORT_MATRIX)
def test_report_matrix(org, persona, action, allowed):
    """Only the security officer sees who reported (PER-8); the reporter follows their own report."""
    report = services.file_violation_report(org.staff_confidential, kind="violation", description="x")
    user = getattr(org, persona)
    assert can(user, action, report) is allowed
    assert visible(user, ViolationReport.objects.all(), action).filter(pk=report.pk).exists() is allowed


@pytest.mark.parametrize(("persona", "action", "allowed"), [
    ("security_officer", "manage_personnel", True), ("sysadmin", "manage_personnel", False),
    ("auditor", "manage_personnel", False), ("dept_head", "personnel_list", True),
    ("staff_secret", "personnel_list", False), ("security_officer", "personnel_list", True),
    ("staff_secret", "report_violation", True), ("auditor", "report_violation", True),
    ("staff_secret", "review_reports", False), ("auditor", "review_reports", False),
    ("security_officer", "review_reports", True), ("dept_head", "training_coverage", True),
    ("staff_secret", "training_coverage", False),
])  # fmt: skip
def test_global_actions(org, persona, action, allowed):
    """Object-less actions (PER-1, PER-4, PER-8)."""
    assert can(getattr(org, persona), action) is allowed


def test_disabled_account_can_do_nothing(org):
    """An inactive account is refused everything (SEC-2, R-AC-6)."""
    from baomi.accounts.services import set_active

    set_active(None, org.staff_secret, False, bootstrap=True)
    org.staff_secret.refresh_from_db()
    assert not can(org.staff_secret, "report_violation")


def test_records_rule_own_and_officer(org):
    """Reviews, signatures, attendance, sanctions: the officer and the person (PER-1)."""
    from baomi.personnel.models import Attendance, Review, Signature

    file = onboarded(org.security_officer, org.staff_secret, "important")
    for model in (Review, Signature, Attendance):
        obj = model.objects.filter(
            **({"user": org.staff_secret} if model is Attendance else {"file": file})
        ).first()
        assert can(org.security_officer, "view", obj) and can(org.security_officer, "manage", obj)
        assert can(org.staff_secret, "view", obj) and not can(org.staff_secret, "manage", obj)
        assert not can(org.dept_head, "view", obj)
        assert not visible(org.dept_head, model.objects.all(), "view").exists()
        assert not visible(org.staff_secret, model.objects.all(), "manage").exists()
