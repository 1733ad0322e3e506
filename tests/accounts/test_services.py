"""Account services: 三员分立 at assignment time, clearance only by the security officer (SEC-2)."""

import pytest

from baomi.access.errors import AccessDenied
from baomi.accounts import services
from baomi.accounts.choices import Role
from baomi.audit.events import AuditEvent
from baomi.core.errors import ValidationFailed
from tests.support.assertions import assert_audited, last_audit_id

ADMINS = [Role.SYSTEM_ADMINISTRATOR, Role.SECURITY_OFFICER, Role.AUDITOR]


@pytest.mark.parametrize("held", ADMINS)
@pytest.mark.parametrize("wanted", ADMINS)
def test_separated_administrators_exclude_each_other(org, held, wanted):
    """No person holds two of the three separated administrator roles (SEC-2, R-ROLE-3)."""
    person = org.staff_secret
    services.assign_role(org.security_officer, person, held)
    if held == wanted:
        services.assign_role(org.security_officer, person, wanted)  # idempotent
        return
    with pytest.raises(ValidationFailed) as exc:
        services.assign_role(org.security_officer, person, wanted)
    assert "三员分立" in str(exc.value)
    person.forget_roles()
    assert not person.has_role(wanted)


def test_nobody_sets_clearance_by_hand(org):
    """Neither the system administrator nor the security officer types a clearance: it derives
    from the personnel file; every attempt is refused and audited (SEC-2, R-ROLE-5, PER-2,
    R-AC-4). The security officer sets the authority level, within the clearance."""
    since = last_audit_id()
    for actor in (org.sysadmin, org.security_officer):
        with pytest.raises(AccessDenied):
            services.set_clearance(actor, org.staff_confidential, "top_secret")
        org.staff_confidential.refresh_from_db()
        assert org.staff_confidential.clearance == "confidential"
        assert_audited(AuditEvent.ACCESS_DENIED, actor=actor, outcome="denied", since=since)

    services.set_authority_level(org.security_officer, org.staff_confidential, "confidential")
    org.staff_confidential.refresh_from_db()
    assert org.staff_confidential.authority_level == "confidential"
    assert_audited(AuditEvent.CLEARANCE_CHANGED, org.staff_confidential, org.security_officer, since=since)
    with pytest.raises(ValidationFailed):
        services.set_authority_level(
            org.security_officer, org.staff_confidential, "secret"
        )  # above clearance
    with pytest.raises(AccessDenied):
        services.set_authority_level(org.sysadmin, org.staff_confidential, "")


def test_security_officer_cannot_raise_own_clearance(org):
    """Nobody grants themself clearance (SEC-2)."""
    with pytest.raises(AccessDenied):
        services.set_clearance(org.security_officer, org.security_officer, "top_secret")
