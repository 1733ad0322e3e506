"""三员分立 and no superuser path (SEC-2, R-ROLE-3, R-ROLE-5), through services, UI and API."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from django.urls import reverse

from baomi.access.errors import AccessDenied
from baomi.access.policy import can
from baomi.accounts import services
from baomi.accounts.choices import Role
from baomi.accounts.models import User
from baomi.core.errors import ValidationFailed

ADMINS = [Role.SYSTEM_ADMINISTRATOR, Role.SECURITY_OFFICER, Role.AUDITOR]
PAIRS = list(itertools.permutations(ADMINS, 2))


@pytest.mark.parametrize(("held", "wanted"), PAIRS)
def test_every_pair_is_refused_in_the_ui(org, client, held, wanted):
    """The UI shows the refusal in Chinese; the role is not added (SEC-2)."""
    person = org.staff_work_secret
    services.assign_role(org.security_officer, person, held)
    client.force_login(org.security_officer)
    response = client.post(reverse("accounts:user-role", args=[person.pk]), {"role": wanted, "op": "assign"},
                           follow=True)  # fmt: skip
    page = response.content.decode()
    assert "三员分立" in page and str(wanted.label) in page
    person.forget_roles()
    assert not person.has_role(wanted)


@pytest.mark.parametrize(("held", "wanted"), PAIRS)
def test_every_pair_is_refused_in_the_api(org, api_client, held, wanted):
    """The API answers 400 with a structured Chinese error (SEC-2, API-1)."""
    person = org.staff_work_secret
    services.assign_role(org.security_officer, person, held)
    api_client.force_authenticate(org.security_officer)
    response = api_client.post(f"/api/v1/accounts/users/{person.pk}/roles/", {"role": wanted}, format="json")
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid" and "三员分立" in error["message"]
    assert error["fields"]["role"] == ["separated_administrators"]


def test_security_officer_grants_nothing_to_themself(org):
    """Nobody grants themself a role or clearance (SEC-2)."""
    with pytest.raises(AccessDenied):
        services.assign_role(org.security_officer, org.security_officer, Role.CASE_HANDLER)
    with pytest.raises(AccessDenied):
        services.set_clearance(org.security_officer, org.security_officer, "top_secret")


def test_system_administrator_grants_no_role_no_clearance_reads_no_audit(org):
    """The system administrator manages accounts but grants nothing and reads no audit (R-ROLE-5)."""
    sysadmin = org.sysadmin
    assert can(sysadmin, "manage_accounts") and can(sysadmin, "manage_departments")
    assert not can(sysadmin, "assign_role") and not can(sysadmin, "read_audit")
    with pytest.raises(AccessDenied):
        services.assign_role(sysadmin, org.staff_work_secret, Role.CASE_HANDLER)
    with pytest.raises(AccessDenied):
        services.set_clearance(sysadmin, org.staff_work_secret, "secret")


def test_auditor_reads_the_audit_only(org):
    auditor = org.auditor
    assert can(auditor, "read_audit")
    for action in ("manage_accounts", "manage_departments", "assign_role", "administer_accounts"):
        assert not can(auditor, action)
    with pytest.raises(AccessDenied):
        services.set_active(auditor, org.staff_work_secret, False)


def test_security_officer_cannot_manage_accounts(org):
    assert not can(org.security_officer, "manage_accounts")
    with pytest.raises(AccessDenied):
        services.create_user(org.security_officer, username="x1", full_name="x", password="Good@Pass2027")
    with pytest.raises(AccessDenied):
        services.reset_password(org.security_officer, org.staff_work_secret)


def test_system_administrator_cannot_reset_other_administrators_passwords(org):
    """Resetting the security officer's or auditor's password would let the system administrator
    act as them: refused with a clear message; the console can (SEC-2)."""
    for other in (org.security_officer, org.auditor):
        with pytest.raises(ValidationFailed) as exc:
            services.reset_password(org.sysadmin, other)
        assert "三员分立" in str(exc.value)
    assert services.reset_password_from_console(org.auditor)


def test_nobody_disables_their_own_account(org):
    with pytest.raises(ValidationFailed):
        services.set_active(org.sysadmin, org.sysadmin, False)


def test_revoking_a_role_is_audited(org):
    from baomi.audit.events import AuditEvent
    from tests.support.assertions import assert_audited, last_audit_id

    since = last_audit_id()
    services.revoke_role(org.security_officer, org.case_handler, Role.CASE_HANDLER)
    org.case_handler.forget_roles()
    assert not org.case_handler.has_role(Role.CASE_HANDLER)
    assert_audited(AuditEvent.ROLE_REVOKED, org.case_handler, org.security_officer, since=since)


def test_user_model_has_no_superuser_or_staff_flag():
    """No superuser path: no such field, and no code reads one (SEC-2)."""
    names = {f.name for f in User._meta.get_fields()}
    assert not names & {"is_superuser", "is_staff", "groups", "user_permissions"}
    src = Path(__file__).resolve().parents[2] / "src" / "baomi"
    offenders = [
        str(p.relative_to(src))
        for p in src.rglob("*.py")
        if "migrations" not in p.parts and ("is_superuser" in p.read_text() or "is_staff" in p.read_text())
    ]
    assert offenders == []


def test_no_django_admin_is_mounted(client):
    from django.conf import settings

    assert "django.contrib.admin" not in settings.INSTALLED_APPS
    assert client.get("/admin/").status_code == 404
