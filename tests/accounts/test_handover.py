"""三员分立 for password resets (SEC-2, R-ROLE-1..3, SEC-1; issue 11 §1).

The system administrator resets a forgotten password but never learns a working one: the
password becomes unusable, every session and API token of the person ends, and the security
officer hands a one-time password to the person in person; with it the person enrols their own
second factor and chooses their own password. Whatever the administrator saw signs nobody in.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from baomi.access.errors import AccessDenied
from baomi.accounts import services
from baomi.accounts.models import User
from baomi.audit.events import AuditEvent
from baomi.core.errors import ValidationFailed
from tests.accounts.helpers import fresh_code, post_password, secret_of, signed_in
from tests.support.assertions import assert_audited, last_audit_id
from tests.support.personas import PASSWORD

pytestmark = pytest.mark.django_db


def _words(html: str) -> set[str]:
    """Every string on a page that could be a password: runs of password characters."""
    return set(re.findall(r"[A-Za-z0-9@#%+=_\-]{8,}", html))


def test_whatever_the_administrator_saw_signs_nobody_in(org):
    """R-ROLE-1..3: the reset page and the account page show the system administrator nothing
    that signs the person in — before and after the security officer's handover; the person's
    session and API token end at the reset; the administrator cannot start a login of theirs,
    so cannot enrol an authenticator for them either."""
    victim = org.staff_confidential  # 秘密: below 机密 a password alone used to be enough
    person = Client()
    assert post_password(person, victim.username).url == reverse("dashboard:home")
    _token, key = services.create_token(victim, name="脚本")
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    assert api.get("/api/v1/accounts/me/").status_code == 200

    admin = Client()
    admin.force_login(org.sysadmin)
    since = last_audit_id()
    seen = admin.post(reverse("accounts:user-reset-password", args=[victim.pk]), follow=True).content.decode()
    entry = assert_audited(AuditEvent.PASSWORD_RESET, victim, org.sysadmin, since=since)
    assert entry.details == {"handover": "in_person", "tokens_revoked": 1}

    # the person's session and token are dead at once
    assert person.get(reverse("accounts:profile")).status_code == 302
    assert api.get("/api/v1/accounts/me/").status_code in (401, 403)
    victim.refresh_from_db()
    assert not victim.has_usable_password() and victim.awaiting_handover

    # the security officer hands the one-time password over; the administrator looks again
    officer = Client()
    officer.force_login(org.security_officer)
    response = officer.post(reverse("accounts:user-handover", args=[victim.pk]), {"identity_checked": "on"})
    one_time = response.context["password"]
    seen += admin.get(reverse("accounts:user", args=[victim.pk])).content.decode()
    victim.refresh_from_db()
    candidates = _words(seen) | {PASSWORD}
    assert one_time not in candidates
    assert not [word for word in candidates if victim.check_password(word)]
    attacker = Client()
    for word in [*sorted(candidates)[:3], PASSWORD]:  # below the lockout threshold
        post_password(attacker, victim.username, word)
        assert not signed_in(attacker)
    assert attacker.get(reverse("accounts:login-enrol")).url == reverse("accounts:login")
    assert victim.totp_secret == ""


def test_the_person_enrols_their_own_second_factor_then_chooses_a_password(org):
    """With the one-time password the login goes through the person's own enrolment — even
    below 机密 — and the forced password change; then it works once only (SEC-1, R-ROLE-1..3)."""
    victim = org.staff_work_secret
    services.reset_password(org.sysadmin, victim)
    one_time = services.hand_over_password(org.security_officer, victim, identity_checked=True)
    c = Client()
    assert post_password(c, victim.username, one_time).url == reverse("accounts:login-enrol")
    c.get(reverse("accounts:login-enrol"))
    victim.refresh_from_db()
    c.post(reverse("accounts:login-enrol"), {"code": fresh_code(victim)})
    assert c.post(reverse("accounts:login-continue")).url == reverse("accounts:login-password")
    c.post(
        reverse("accounts:login-password"),
        {"new_password": "Mine@Pass2027", "new_password2": "Mine@Pass2027"},
    )
    assert signed_in(c)
    victim.refresh_from_db()
    assert victim.totp_enrolled and not victim.must_enrol_totp and victim.one_time_until is None
    assert secret_of(victim)
    assert not victim.check_password(one_time)


def test_only_the_security_officer_hands_over_with_identity_checked(org):
    """The handover is the security officer's, never on themself, only after a reset, only
    with the identity checked; the system administrator's attempt is refused and audited."""
    victim = org.staff_secret
    with pytest.raises(ValidationFailed):  # no reset awaits a handover
        services.hand_over_password(org.security_officer, victim, identity_checked=True)
    services.reset_password(org.sysadmin, victim)
    since = last_audit_id()
    with pytest.raises(AccessDenied):
        services.hand_over_password(org.sysadmin, victim, identity_checked=True)
    assert_audited(AuditEvent.ACCESS_DENIED, actor=org.sysadmin, outcome="denied", since=since)
    with pytest.raises(ValidationFailed) as exc:
        services.hand_over_password(org.security_officer, victim, identity_checked=False)
    assert exc.value.fields == {"identity_checked": ["required"]}
    services.reset_password(org.sysadmin, org.sysadmin)
    with pytest.raises(AccessDenied):
        services.hand_over_password(org.sysadmin, org.sysadmin, identity_checked=True)
    services.hand_over_password(org.security_officer, victim, identity_checked=True)
    assert_audited(AuditEvent.PASSWORD_HANDED_OVER, victim, org.security_officer, since=since)


def test_an_expired_one_time_password_is_refused(org):
    """The one-time password works for ``BAOMI_PASSWORD_HANDOVER_HOURS`` only (R-ROLE-1..3)."""
    victim = org.staff_work_secret
    services.reset_password(org.sysadmin, victim)
    one_time = services.hand_over_password(org.security_officer, victim, identity_checked=True)
    User.objects.filter(pk=victim.pk).update(one_time_until=timezone.now() - timedelta(seconds=1))
    c = Client()
    post_password(c, victim.username, one_time)
    assert not signed_in(c) and "baomi_login_pending" not in c.session


def test_accounts_the_administrator_creates_have_no_password_he_knows(org):
    """Creating an account is like a reset: no password is set or shown; the security officer
    hands the one-time password over (R-ROLE-1..3)."""
    with pytest.raises(ValidationFailed):
        services.create_user(org.sysadmin, username="xm", full_name="小明", password="Mine@Pass2027")
    user = services.create_user(org.sysadmin, username="xm", full_name="小明")
    assert not user.has_usable_password() and user.awaiting_handover
