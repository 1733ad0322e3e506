"""The shared test support itself: personas cover every role and clearance, and the assertion
helpers fail when they should (a helper that cannot fail tests nothing)."""

from __future__ import annotations

import pytest

from baomi.accounts.choices import Role
from baomi.accounts.models import User
from baomi.audit.events import AuditEvent
from baomi.core.levels import Level
from tests.support import assertions as A
from tests.support.personas import PERSONAS


def test_personas_cover_every_role_and_clearance():
    """One named persona per role and per clearance (STYLE 2.10)."""
    roles = {r for _d, _c, _a, rs in PERSONAS.values() for r in rs}
    clearances = {c for _d, c, _a, _rs in PERSONAS.values()}
    assert roles == set(Role.values)
    assert clearances == set(Level.values)


@pytest.mark.django_db
def test_org_builds_every_persona(org):
    assert set(org.users) == set(PERSONAS)
    assert org.leading_group.has_role(Role.LEADING_GROUP)
    assert org.staff_uncleared.clearance == Level.PUBLIC
    assert org.departments["OFFICE"].head_id == org.dept_head.pk
    with pytest.raises(AttributeError):
        org.nobody  # noqa: B018


@pytest.mark.django_db
def test_visible_and_hidden(org):
    A.assert_visible(org.sysadmin, org.staff_secret, "manage_accounts")
    A.assert_hidden(org.staff_secret, org.sysadmin, "manage_accounts")
    with pytest.raises(AssertionError):
        A.assert_visible(org.staff_secret, org.sysadmin, "manage_accounts")
    with pytest.raises(AssertionError):
        A.assert_hidden(org.sysadmin, org.staff_secret, "manage_accounts")


@pytest.mark.django_db
def test_query_count_helpers():
    with A.assert_num_queries(1):
        list(User.objects.all())
    with A.assert_max_queries(2):
        list(User.objects.all())
    with pytest.raises(AssertionError, match="2 queries > 1"), A.assert_max_queries(1):
        list(User.objects.all())
        list(User.objects.all())
    with pytest.raises(AssertionError), A.assert_num_queries(0):
        list(User.objects.all())


@pytest.mark.django_db
def test_audit_helpers(org):
    since = A.last_audit_id()
    with pytest.raises(AssertionError):
        A.assert_audited(AuditEvent.ACCESS_DENIED, since=since)
    A.assert_not_audited(AuditEvent.ACCESS_DENIED, since=since)
    from baomi.access import policy

    policy.deny(org.outsider, "view", ("core.thing", 1, ""))
    A.assert_audited(AuditEvent.ACCESS_DENIED, ("core.thing", 1), org.outsider, outcome="denied", since=since)
    with pytest.raises(AssertionError):
        A.assert_not_audited(AuditEvent.ACCESS_DENIED, since=since)


@pytest.mark.django_db
def test_assert_denied(org):
    class Response:
        status_code = 404

    since = A.last_audit_id()
    with pytest.raises(AssertionError):
        A.assert_denied(Response(), since=since)
    from baomi.access import policy

    policy.deny(org.outsider, "view", ("core.thing", 2, ""))
    A.assert_denied(Response(), actor=org.outsider, since=since)
    Response.status_code = 403
    with pytest.raises(AssertionError, match="expected 404"):
        A.assert_denied(Response(), since=since)
