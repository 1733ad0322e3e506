"""R-SCOPE-2: the unit's 主要负责人 "or that person's designee" approves need-to-know expansions.
The security officer or the unit head records the designee (audited); a designee approves like
the unit head, within their clearance; a revoked designation no longer counts."""

from __future__ import annotations

import pytest
from django.urls import reverse

from baomi.access import policy
from baomi.access.errors import AccessDenied
from baomi.audit.events import AuditEvent
from baomi.classification import selectors, services
from baomi.classification.choices import ExpansionStatus
from baomi.core.errors import InvalidTransition, ValidationFailed
from baomi.core.levels import Level
from tests.classification.conftest import determine
from tests.support.assertions import assert_audited, last_audit_id

pytestmark = pytest.mark.django_db


def _ask(org, item):
    return services.request_expansion(org.case_handler, item, person=org.staff_other_dept, reason="会办")


def test_designee_approves_and_revocation_ends_it(org, determined):
    """R-SCOPE-2: the security officer designates; the designee approves; once revoked, not."""
    req = _ask(org, determined)
    assert not policy.can(org.dept_head, "approve_expansion", req)
    since = last_audit_id()
    designee = services.designate_expansion_approver(
        org.security_officer, user=org.dept_head, note="局长出差期间"
    )
    assert_audited(AuditEvent.EXPANSION_DESIGNEE_SET, designee, org.security_officer, since=since)
    assert policy.can(org.dept_head, "approve_expansions")
    assert list(selectors.expansions(org.dept_head, pending_for_approval=True)) == [req]
    services.decide_expansion(org.dept_head, req, approve=True)
    req.refresh_from_db()
    assert req.status == ExpansionStatus.APPROVED and req.decided_by == org.dept_head
    assert selectors.in_scope(org.staff_other_dept, determined)

    since = last_audit_id()
    services.revoke_expansion_designee(org.unit_head, designee)
    assert_audited(AuditEvent.EXPANSION_DESIGNEE_REVOKED, designee, org.unit_head, since=since)
    other = services.request_expansion(org.case_handler, determined, person=org.staff_work_secret, reason="r")
    assert not policy.can(org.dept_head, "approve_expansion", other)
    assert not policy.can(org.dept_head, "approve_expansions")
    assert not selectors.expansions(org.dept_head, pending_for_approval=True).exists()
    with pytest.raises(AccessDenied):
        services.decide_expansion(org.dept_head, other, approve=True)
    with pytest.raises(InvalidTransition):
        services.revoke_expansion_designee(org.unit_head, designee)


def test_designee_stays_within_their_clearance(org):
    """CAR-3: a designee cleared for 机密 cannot approve an expansion of a 绝密 item."""
    from baomi.accounts import services as acc

    acc.set_clearance(None, org.case_handler, Level.TOP_SECRET, bootstrap=True)
    item = determine(org, level=Level.TOP_SECRET, years=10)
    req = _ask(org, item)
    services.designate_expansion_approver(org.unit_head, user=org.dept_head)
    assert not policy.can(org.dept_head, "approve_expansion", req)
    assert not selectors.expansions(org.dept_head, pending_for_approval=True).exists()


def test_only_the_security_office_or_unit_head_designates(org):
    """R-SCOPE-2: others cannot designate (refused and audited); one open designation a person."""
    assert policy.can(org.security_officer, "designate_expansion_approver")
    assert policy.can(org.unit_head, "designate_expansion_approver")
    assert not policy.can(org.dept_head, "designate_expansion_approver")
    since = last_audit_id()
    with pytest.raises(AccessDenied):
        services.designate_expansion_approver(org.dept_head, user=org.dept_head)
    assert_audited(AuditEvent.ACCESS_DENIED, actor=org.dept_head, outcome="denied", since=since)
    services.designate_expansion_approver(org.security_officer, user=org.staff_secret)
    with pytest.raises(ValidationFailed) as exc:
        services.designate_expansion_approver(org.unit_head, user=org.staff_secret)
    assert "user" in exc.value.fields
    assert not selectors.expansion_designees(org.staff_secret).exists()


def test_designation_page(org, client, determined):
    """R-SCOPE-2: the expansions page lets the security officer designate and revoke; the
    designee then sees the approval panel."""
    client.force_login(org.security_officer)
    page = client.get(reverse("classification:expansions")).content.decode()
    assert "指定审批人" in page
    r = client.post(reverse("classification:designee-add"), {"user": org.dept_head.pk, "note": "代批"})
    assert r.status_code == 302
    designee = selectors.expansion_designees(org.security_officer).get()
    assert designee.user == org.dept_head
    _ask(org, determined)
    client.force_login(org.dept_head)
    page = client.get(reverse("classification:expansions")).content.decode()
    assert "待您审批" in page and "expansions/" in page and "/decide/" in page
    assert client.post(reverse("classification:designee-revoke", args=[designee.pk])).status_code == 404
    client.force_login(org.security_officer)
    client.post(reverse("classification:designee-revoke", args=[designee.pk]))
    assert not selectors.expansion_designees(org.security_officer).exists()
