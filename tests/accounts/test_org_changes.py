"""Need-to-know through departments (SEC-2, R-ROLE-1..3, R-ROLE-5; issue 11 §1).

Moves between departments and appointments of department heads and 保密责任人 change
need-to-know and approval powers: the system administrator proposes, the security officer
confirms, nobody confirms their own; the system administrator is never in a knowledge scope
and is never appointed.
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from baomi.access import policy
from baomi.access.errors import AccessDenied
from baomi.accounts import services
from baomi.accounts.models import OrgChange
from baomi.audit.events import AuditEvent
from baomi.classification.models import Item, ItemScope
from baomi.core.errors import ValidationFailed
from baomi.core.levels import Level
from tests.support.assertions import assert_audited, last_audit_id
from tests.support.integrity import bind

pytestmark = pytest.mark.django_db


def _fin_item(org) -> Item:
    """A 机密 item whose scope names the finance department (fixture data written directly)."""
    item = Item.objects.create(title="预算", level=Level.SECRET, status="determined", duration_kind="period",
                               duration_value=10, duration_unit="year", department=org.departments["FIN"],
                               proposed_by=org.case_handler)  # fmt: skip
    ItemScope.objects.create(item=item, department=org.departments["FIN"])
    return bind(item)


def test_the_administrator_reaches_no_scope_through_a_department(org):
    """The system administrator cannot move himself into a department named in a scope; even
    moved there with the security officer's confirmation, and cleared, he reads nothing
    (三员分立, R-ROLE-1..3). The person who proposed is not the one who confirms."""
    sysadmin, fin = org.sysadmin, org.departments["FIN"]
    services.set_clearance(None, sysadmin, Level.SECRET, bootstrap=True)  # as if cleared: the worst case
    item = _fin_item(org)
    assert policy.can(org.staff_other_dept, "view", item)  # a FIN member with 机密 reads it
    with pytest.raises(ValidationFailed) as exc:
        services.update_user(sysadmin, sysadmin, full_name=sysadmin.full_name, department=fin,
                             person_type=sysadmin.person_type, post="")  # fmt: skip
    assert exc.value.fields == {"department": ["needs_confirmation"]}
    since = last_audit_id()
    change = services.propose_org_change(sysadmin, kind="move", person=sysadmin, department=fin)
    assert_audited(AuditEvent.ORG_CHANGE_PROPOSED, change, sysadmin, since=since)
    sysadmin.refresh_from_db()
    assert sysadmin.department == org.departments["IT"]
    with pytest.raises(AccessDenied):  # nobody decides their own proposal
        services.decide_org_change(sysadmin, change, approve=True)
    services.decide_org_change(org.security_officer, change, approve=True)
    assert_audited(AuditEvent.ORG_CHANGE_CONFIRMED, change, org.security_officer, since=since)
    sysadmin.refresh_from_db()
    assert sysadmin.department == fin
    assert not policy.can(sysadmin, "view", item)
    assert not policy.visible(sysadmin, Item.objects.filter(pk=item.pk), "view").exists()
    ItemScope.objects.create(item=item, user=sysadmin)  # even named in person
    bind(item)  # the scope recorded as the services would: refused for the role, not the MAC
    assert not policy.can(sysadmin, "view", item)


def test_appointments_wait_for_the_security_officer(org):
    """A department head gains ledger visibility and approvals: the appointment takes effect
    only when the security officer confirms it; the appointee cannot confirm it, the system
    administrator cannot appoint directly nor be appointed (R-ROLE-1..3)."""
    fin = org.departments["FIN"]
    with pytest.raises(AccessDenied):
        services.set_department_officers(org.sysadmin, fin, head=org.staff_other_dept, secrecy_officer=None)
    change = services.propose_org_change(
        org.sysadmin, kind="head", person=org.staff_other_dept, department=fin
    )
    fin.refresh_from_db()
    assert fin.head is None
    assert not org.staff_other_dept.headed_departments.exists()
    with pytest.raises(AccessDenied):
        services.decide_org_change(org.staff_other_dept, change, approve=True)
    since = last_audit_id()
    services.decide_org_change(org.security_officer, change, approve=True, reason="任命文件")
    fin.refresh_from_db()
    assert fin.head == org.staff_other_dept
    assert_audited(AuditEvent.DEPARTMENT_UPDATED, fin, org.security_officer, since=since)
    with pytest.raises(ValidationFailed) as exc:
        services.propose_org_change(org.sysadmin, kind="secrecy_officer", person=org.sysadmin, department=fin)
    assert "三员分立" in str(exc.value)


def test_nobody_confirms_a_change_that_is_their_own(org):
    """The security officer cannot confirm his own move or appointment; a refusal and a
    withdrawal change nothing (R-ROLE-5)."""
    so, fin = org.security_officer, org.departments["FIN"]
    mine = services.propose_org_change(org.sysadmin, kind="head", person=so, department=fin)
    with pytest.raises(AccessDenied):
        services.decide_org_change(so, mine, approve=True)
    services.withdraw_org_change(org.sysadmin, mine)
    move = services.propose_org_change(org.sysadmin, kind="move", person=org.outsider,
                                       department=org.departments["OFFICE"])  # fmt: skip
    services.decide_org_change(so, move, approve=False, reason="无依据")
    org.outsider.refresh_from_db()
    fin.refresh_from_db()
    assert org.outsider.department == org.departments["FIN"] and fin.head is None
    assert set(OrgChange.objects.values_list("status", flat=True)) == {"withdrawn", "rejected"}


def test_the_account_form_proposes_a_move(org):
    """In the UI the system administrator's department change becomes a proposal, shown on the
    account page; the security officer confirms it from the organisation-change list."""
    admin = Client()
    admin.force_login(org.sysadmin)
    person = org.outsider
    response = admin.post(
        reverse("accounts:user-edit", args=[person.pk]),
        {"full_name": person.full_name, "department": org.departments["OFFICE"].pk, "person_type": "employee",
         "post": "科员"},
    )  # fmt: skip
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.department == org.departments["FIN"] and person.post == "科员"
    assert "待安全保密管理员确认" in admin.get(response.url).content.decode()
    officer = Client()
    officer.force_login(org.security_officer)
    page = officer.get(reverse("accounts:org-changes"))
    (change, may_decide, _withdraw) = page.context["rows"][0]
    assert may_decide
    officer.post(reverse("accounts:org-change-decide", args=[change.pk]), {"decision": "approve"})
    person.refresh_from_db()
    assert person.department == org.departments["OFFICE"]
    assert Client().get(reverse("accounts:org-changes")).status_code == 302  # sign-in first
    other = Client()
    other.force_login(org.auditor)
    assert other.get(reverse("accounts:org-changes")).status_code == 404
