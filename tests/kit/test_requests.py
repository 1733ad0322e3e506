"""The shared request base (``baomi.kit.requests``): one status vocabulary and transition
table, decide/withdraw steps run inside a ``@service``, a rule base that refuses deciding one's
own request — as requester or beneficiary (R-ROLE-5) — and the start page's approval queue.

A concrete request model, ``Permit``, exists only for these tests: its table is created once
per test database."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection, models

from baomi.access import policy
from baomi.access.errors import AccessDenied
from baomi.accounts.choices import Role
from baomi.audit.events import AuditEvent
from baomi.core.errors import InvalidTransition
from baomi.kit import requests
from baomi.kit.requests import APPROVE, REJECT, RequestRule, RequestStatus
from baomi.kit.service import service
from tests.support.assertions import assert_audited, last_audit_id


class Permit(requests.Request):
    """A request for a permit, possibly on behalf of someone (the beneficiary)."""

    beneficiary_field = "holder"
    queue_url = "dashboard:home"
    holder = models.ForeignKey("accounts.User", null=True, on_delete=models.PROTECT, related_name="+")

    class Meta(requests.Request.Meta):
        app_label = "kit"
        db_table = "test_kit_permit"


class PermitRule(RequestRule):
    """The unit head decides permits; the security officer reads them all."""

    def may_decide(self, user: Any, req: Any) -> bool:
        return user.has_role(Role.UNIT_HEAD)

    def decidable(self, user: Any, queryset: models.QuerySet) -> models.QuerySet:
        return queryset if user.has_role(Role.UNIT_HEAD) else queryset.none()

    def may_view(self, user: Any, req: Any) -> bool:
        return user.has_role(Role.SECURITY_OFFICER)

    def viewable(self, user: Any, queryset: models.QuerySet) -> models.QuerySet:
        return queryset if user.has_role(Role.SECURITY_OFFICER) else queryset.none()


@service
def approve_permit(actor: Any, req: Permit, *, reason: str = "") -> Any:
    return requests.decide(actor, req, APPROVE, reason=reason, event=AuditEvent.SETTING_CHANGED)


@service
def reject_permit(actor: Any, req: Permit, *, reason: str = "") -> Any:
    return requests.decide(actor, req, REJECT, reason=reason, event=AuditEvent.SETTING_CHANGED)


@service
def withdraw_permit(actor: Any, req: Permit) -> Any:
    return requests.withdraw(actor, req, event=AuditEvent.SETTING_CHANGED)


@pytest.fixture(scope="session")
def _permit_table(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), connection.schema_editor() as editor:
        editor.create_model(Permit)


@pytest.fixture
def permits(_permit_table, db, monkeypatch):
    monkeypatch.setitem(policy._RULES, Permit, PermitRule())
    return Permit


def permit(org: Any, requester: Any, holder: Any = None) -> Permit:
    return Permit.objects.create(requested_by=requester, holder=holder, reason="因公")


def test_the_transition_table_is_the_only_way():
    """Pending moves to approved, rejected or withdrawn; approved to done; nothing else."""
    assert requests.next_status("pending", APPROVE) == "approved"
    assert requests.next_status("pending", REJECT) == "rejected"
    assert requests.next_status("pending", "withdraw") == "withdrawn"
    assert requests.next_status("approved", "complete") == "done"
    allowed = set(requests.TRANSITIONS)
    for status in RequestStatus.values:
        for verb in ("approve", "reject", "withdraw", "complete"):
            if (status, verb) not in allowed:
                with pytest.raises(InvalidTransition):
                    requests.next_status(status, verb)


def test_decide_approves_records_and_audits(org, permits):
    req = permit(org, org.staff_secret)
    since = last_audit_id()
    approve_permit(org.unit_head, req, reason="同意")
    req.refresh_from_db()
    assert (req.status, req.decided_by, req.decision_reason) == ("approved", org.unit_head, "同意")
    assert req.decided_at is not None
    assert_audited(AuditEvent.SETTING_CHANGED, req, org.unit_head, since=since)
    with pytest.raises(InvalidTransition):  # decided once
        reject_permit(org.unit_head, req)


def test_nobody_decides_their_own_request(org, permits):
    """R-ROLE-5: not as requester, not as beneficiary; the refusal is audited after rollback."""
    own = permit(org, org.unit_head)
    for_me = permit(org, org.staff_secret, holder=org.unit_head)
    for req in (own, for_me):
        since = last_audit_id()
        with pytest.raises(AccessDenied):
            approve_permit(org.unit_head, req)
        assert_audited(AuditEvent.ACCESS_DENIED, req, org.unit_head, outcome="denied", since=since)
        req.refresh_from_db()
        assert req.status == "pending"
    queue = policy.visible(org.unit_head, Permit.objects.all(), "decide")
    assert set(queue) == set()
    other = permit(org, org.staff_secret)
    assert list(policy.visible(org.unit_head, Permit.objects.all(), "decide")) == [other]


def test_others_may_not_decide(org, permits):
    req = permit(org, org.staff_secret)
    with pytest.raises(AccessDenied):
        reject_permit(org.security_officer, req)


def test_only_the_requester_withdraws_while_pending(org, permits):
    req = permit(org, org.staff_secret, holder=org.staff_confidential)
    with pytest.raises(AccessDenied):
        withdraw_permit(org.staff_confidential, req)
    withdraw_permit(org.staff_secret, req)
    req.refresh_from_db()
    assert req.status == "withdrawn" and req.decided_by is None
    with pytest.raises(AccessDenied):  # no longer pending: nothing to withdraw
        withdraw_permit(org.staff_secret, req)


def test_who_sees_a_request(org, permits):
    """Requester, beneficiary, decider and the security office see it; others do not; ``can``
    and ``visible`` agree."""
    req = permit(org, org.staff_secret, holder=org.staff_confidential)
    for user, seen in [
        (org.staff_secret, True), (org.staff_confidential, True), (org.unit_head, True),
        (org.security_officer, True), (org.outsider, False),
    ]:  # fmt: skip
        assert policy.can(user, "view", req) is seen
        assert (req in policy.visible(user, Permit.objects.all(), "view")) is seen


def test_the_approval_queue_counts_what_waits_for_me(org, permits):
    """The start page's hook: the unit head has two to decide (not their own), others none."""
    permit(org, org.staff_secret)
    permit(org, org.case_handler)
    permit(org, org.unit_head)
    tasks = {t["url"]: t for t in requests.approval_queue(org.unit_head)}
    assert tasks["/"]["count"] == 2
    assert all(t["count"] == 0 for t in requests.approval_queue(org.staff_secret))
