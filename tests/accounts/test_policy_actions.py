"""The accounts policy matrix (SEC-2, R-ROLE-5, API-1): ``administer``, ``reset_totp`` and the
API token's ``revoke`` — who is allowed, who is refused, ``can`` and ``visible`` agreeing, and a
refusal through the real entry point that looks like not found and is audited."""

from __future__ import annotations

import pytest
from django.urls import reverse

from baomi.access import policy
from baomi.access.policy import AccessDenied
from baomi.accounts import services
from baomi.accounts.models import ApiToken, User
from baomi.audit.events import AuditEvent
from tests.support.assertions import (
    assert_audited,
    assert_denied,
    assert_hidden,
    assert_visible,
    last_audit_id,
)
from tests.support.personas import PERSONAS

ALL = sorted(PERSONAS)
ADMINISTRATORS = {"sysadmin", "security_officer"}


@pytest.mark.parametrize("persona", ALL)
def test_administer_is_for_the_two_account_administrators(org, persona):
    """SEC-2: the account details (roles, clearance, lock, second factor) are for the system
    administrator and the security officer; everyone else — the auditor included — is refused."""
    me = getattr(org, persona)
    target = org.staff_secret
    if persona in ADMINISTRATORS:
        assert_visible(me, target, "administer")
    else:
        assert_hidden(me, target, "administer")


@pytest.mark.parametrize("persona", ALL)
def test_reset_totp_is_for_the_security_officer_on_others_only(org, persona):
    """SEC-2: the security officer resets a second factor, never on their own account; the system
    administrator and every other role are refused."""
    me = getattr(org, persona)
    if persona == "security_officer":
        assert_visible(me, org.staff_secret, "reset_totp")
        assert_hidden(me, me, "reset_totp")
    else:
        assert_hidden(me, org.staff_secret, "reset_totp")
        assert_hidden(me, me, "reset_totp")


@pytest.mark.parametrize("persona", ALL)
def test_revoke_token_is_for_its_owner_only(org, persona):
    """API-1: a token is its owner's alone — only the owner may revoke it, whatever the role."""
    token, _key = services.create_token(org.staff_secret, name="脚本")
    me = getattr(org, persona)
    if persona == "staff_secret":
        assert_visible(me, token, "revoke")
    else:
        assert_hidden(me, token, "revoke")


def test_administer_refused_through_the_api_looks_like_not_found_and_is_audited(org, api_client):
    """SEC-2, CAR-3: the auditor asking for an account's details gets 404 and an ACCESS_DENIED
    entry; the security officer gets the details."""
    api_client.force_authenticate(org.auditor)
    since = last_audit_id()
    response = api_client.get(f"/api/v1/accounts/users/{org.staff_secret.pk}/")
    assert_denied(response, actor=org.auditor, since=since)
    api_client.force_authenticate(org.security_officer)
    assert api_client.get(f"/api/v1/accounts/users/{org.staff_secret.pk}/").status_code == 200


def test_reset_totp_refused_for_the_system_administrator_is_not_found_and_audited(org, client):
    """SEC-2: the system administrator may not reset a second factor — the page answers 404, the
    refusal is audited and the factor stays; the security officer's reset is audited TOTP_RESET."""
    user = org.staff_secret
    services.begin_totp_enrolment(user)
    User.objects.filter(pk=user.pk).update(totp_confirmed_at="2026-01-01T00:00:00Z")
    client.force_login(org.sysadmin)
    since = last_audit_id()
    response = client.post(reverse("accounts:user-reset-totp", args=[user.pk]))
    assert_denied(response, actor=org.sysadmin, since=since)
    user.refresh_from_db()
    assert user.totp_secret and user.totp_confirmed_at is not None
    with pytest.raises(AccessDenied):
        services.reset_totp(org.security_officer, org.security_officer)
    services.reset_totp(org.security_officer, user)
    assert_audited(AuditEvent.TOTP_RESET, user, org.security_officer, since=since)
    user.refresh_from_db()
    assert not user.totp_secret


def test_revoking_someone_elses_token_is_not_found_and_audited(org, client, api_client):
    """API-1, CAR-3: another person's token looks absent — in the UI and in the API — the refusal
    is audited and the token stays active."""
    token, _key = services.create_token(org.staff_secret, name="脚本")
    client.force_login(org.security_officer)
    since = last_audit_id()
    assert_denied(client.post(reverse("accounts:token-revoke", args=[token.pk])), actor=org.security_officer,
                  since=since)  # fmt: skip
    api_client.force_authenticate(org.sysadmin)
    since = last_audit_id()
    assert_denied(api_client.delete(f"/api/v1/accounts/tokens/{token.pk}/"), actor=org.sysadmin, since=since)
    assert ApiToken.objects.get(pk=token.pk).revoked_at is None
    assert not policy.can(org.sysadmin, "revoke", token)
