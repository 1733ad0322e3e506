"""Login hardening (SEC-1): lockout counted in the database, unlock, idle logout, password
policy and age, the forced first-login change of ``baomi init``."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from baomi.access.errors import AccessDenied
from baomi.accounts import services
from baomi.accounts.middleware import SESSION_KEY
from baomi.accounts.models import User
from baomi.audit.events import AuditEvent
from baomi.core.errors import ValidationFailed
from tests.accounts.helpers import post_password, signed_in
from tests.support.assertions import assert_audited, last_audit_id
from tests.support.personas import PASSWORD

REFUSED = "用户名或口令错误"


def test_password_is_hashed_with_argon2(org):
    """Passwords are stored with argon2 (SEC-1, R-AUTH-4); production configures argon2 alone
    (these tests use the same hasher with light parameters)."""
    from baomi import settings as production

    assert production.PASSWORD_HASHERS == ["django.contrib.auth.hashers.Argon2PasswordHasher"]
    org.staff_work_secret.refresh_from_db()
    assert org.staff_work_secret.password.startswith("argon2$argon2id$")


def test_login_without_second_factor_lands_on_home(org, client):
    """A person below 机密 signs in with the password alone; success is audited (SEC-1)."""
    since = last_audit_id()
    response = post_password(client, "staff_work_secret")
    assert response.status_code == 302 and response.url == reverse("dashboard:home")
    assert signed_in(client)
    assert_audited(AuditEvent.LOGIN_SUCCEEDED, org.staff_work_secret, since=since)


@override_settings(LOCKOUT_THRESHOLD=5, LOCKOUT_SECONDS=1800)
def test_lockout_after_five_failures_counted_across_clients(org):
    """Five failures lock the account for 30 minutes, counted in the database: failures from two
    separate clients (sessions) add up, and the right password is then refused (SEC-1, R-AUTH-1)."""
    since = last_audit_id()
    a, b = Client(), Client()
    for i in range(4):
        response = post_password(a if i % 2 else b, "staff_work_secret", "wrong-Pass-1")
        assert REFUSED in response.content.decode()
    user = User.objects.get(username="staff_work_secret")
    assert user.failed_logins == 4 and not user.is_locked()
    post_password(a, "staff_work_secret", "wrong-Pass-1")
    user.refresh_from_db()
    assert user.is_locked()
    remaining = user.locked_until - timezone.now()
    assert timedelta(minutes=29) < remaining <= timedelta(minutes=30)
    assert_audited(AuditEvent.ACCOUNT_LOCKED, user, since=since)
    # The right password, from a third, fresh client: still refused with the same message.
    c = Client()
    response = post_password(c, "staff_work_secret")
    assert REFUSED in response.content.decode()
    assert not signed_in(c)


def test_lock_runs_out_after_its_duration(org, client):
    """After the lock's time the right password works again and the count restarts (SEC-1)."""
    user = org.staff_work_secret
    for _ in range(5):
        post_password(client, user.username, "wrong-Pass-1")
    user.refresh_from_db()
    assert user.is_locked()
    User.objects.filter(pk=user.pk).update(locked_until=timezone.now() - timedelta(seconds=1))
    response = post_password(client, user.username)
    assert response.status_code == 302 and signed_in(client)
    user.refresh_from_db()
    assert user.failed_logins == 0 and user.locked_until is None


def test_success_before_threshold_resets_the_count(org, client):
    """A complete login clears earlier failures (SEC-1)."""
    for _ in range(4):
        post_password(client, "staff_work_secret", "wrong-Pass-1")
    post_password(client, "staff_work_secret")
    assert User.objects.get(username="staff_work_secret").failed_logins == 0


def test_unknown_username_gets_the_same_message(org, client):
    """No hint whether the name exists (SEC-1)."""
    response = post_password(client, "nobody-here", "wrong-Pass-1")
    assert REFUSED in response.content.decode()


def test_system_administrator_unlocks(org, client):
    """The system administrator lifts a lock; audited; nobody else may (SEC-1, SEC-2)."""
    user = org.staff_work_secret
    for _ in range(5):
        post_password(client, user.username, "wrong-Pass-1")
    user.refresh_from_db()
    assert user.is_locked()
    with pytest.raises(AccessDenied):
        services.unlock_user(org.security_officer, user)
    since = last_audit_id()
    admin = Client()
    admin.force_login(org.sysadmin)
    response = admin.post(reverse("accounts:user-unlock", args=[user.pk]))
    assert response.status_code == 302
    user.refresh_from_db()
    assert not user.is_locked() and user.failed_logins == 0
    assert_audited(AuditEvent.USER_UNLOCKED, user, org.sysadmin, since=since)
    assert signed_in_after(Client(), user.username)


def signed_in_after(client: Client, username: str) -> bool:
    post_password(client, username)
    return signed_in(client)


def test_disabled_account_cannot_sign_in(org, client):
    """A disabled account is refused with the right password (SEC-2)."""
    services.set_active(org.sysadmin, org.staff_work_secret, False)
    response = post_password(client, "staff_work_secret")
    assert REFUSED in response.content.decode() and not signed_in(client)


@override_settings(SESSION_IDLE_SECONDS=1800)
def test_idle_session_is_signed_out_server_side(org, client):
    """A session untouched for 30 minutes ends on the server; audited (SEC-1)."""
    post_password(client, "staff_work_secret")
    assert client.get(reverse("accounts:profile")).status_code == 200
    session = client.session
    session[SESSION_KEY] = time.time() - 1801
    session.save()
    since = last_audit_id()
    response = client.get(reverse("accounts:profile"))
    assert response.status_code == 302 and reverse("accounts:login") in response.url
    assert not signed_in(client)
    assert_audited(AuditEvent.SESSION_EXPIRED, org.staff_work_secret, since=since)
    assert "长时间未操作" in client.get(response.url).content.decode()


@override_settings(SESSION_IDLE_SECONDS=1800)
def test_active_session_stays(org, client):
    """Activity within the idle time keeps the session (SEC-1)."""
    post_password(client, "staff_work_secret")
    session = client.session
    session[SESSION_KEY] = time.time() - 1700
    session.save()
    assert client.get(reverse("accounts:profile")).status_code == 200


@pytest.mark.parametrize(
    ("password", "fragment"),
    [("Ab1!", "至少"), ("alllowercase1", "至少"), ("Abcdefgh", "至少")],
)
def test_password_policy_refuses_weak_passwords(org, password, fragment):
    """Length and character classes from settings (SEC-1, R-AUTH-4)."""
    with pytest.raises(ValidationFailed) as exc:
        services.change_password(org.staff_work_secret, old_password=PASSWORD, new_password=password)
    assert fragment in str(exc.value)


@override_settings(PASSWORD_MIN_LENGTH=14, PASSWORD_MIN_CLASSES=4)
def test_password_policy_is_configurable(org):
    """Stricter settings refuse what the defaults accept (SEC-1)."""
    with pytest.raises(ValidationFailed):
        services.change_password(org.staff_work_secret, old_password=PASSWORD, new_password="Good@Pass2027")
    services.change_password(org.staff_work_secret, old_password=PASSWORD, new_password="Good@Pass2027-long")


def test_new_password_must_differ(org):
    with pytest.raises(ValidationFailed):
        services.change_password(org.staff_work_secret, old_password=PASSWORD, new_password=PASSWORD)


@override_settings(PASSWORD_MAX_AGE_DAYS=90)
def test_old_password_forces_a_change_at_login(org, client):
    """A password older than BAOMI_PASSWORD_MAX_AGE_DAYS must be replaced before anything else
    (SEC-1, R-AUTH-4)."""
    user = org.staff_work_secret
    User.objects.filter(pk=user.pk).update(password_changed_at=timezone.now() - timedelta(days=91))
    response = post_password(client, user.username)
    assert response.url == reverse("accounts:login-password")
    assert not signed_in(client)
    assert client.get(reverse("accounts:profile")).status_code == 302  # nothing else reachable
    page = client.get(reverse("accounts:login-password")).content.decode()
    assert "口令已超过" in page
    response = client.post(
        reverse("accounts:login-password"),
        {"new_password": "Fresh@Pass2027", "new_password2": "Fresh@Pass2027"},
    )
    assert response.status_code == 302 and signed_in(client)
    user.refresh_from_db()
    assert not services.password_expired(user)


@override_settings(PASSWORD_MAX_AGE_DAYS=90)
def test_recent_password_is_not_expired(org):
    user = org.staff_work_secret
    user.password_changed_at = timezone.now() - timedelta(days=89)
    assert not services.password_expired(user)
    user.password_changed_at = timezone.now() - timedelta(days=91)
    assert services.password_expired(user)
    with override_settings(PASSWORD_MAX_AGE_DAYS=0):
        assert not services.password_expired(user)


def test_baomi_init_administrators_must_change_initial_password(db, client):
    """``baomi init`` creates the three administrators, each forced to change the initial password
    at first login; there is no superuser (SEC-2)."""
    from baomi.cli import main

    assert main(["init", "--password", "Init@Pass2026"]) == 0
    for username in ("sysadmin", "secofficer", "auditor"):
        user = User.objects.get(username=username)
        assert user.must_change_password
    assert sorted(User.objects.get(username="secofficer").role_codes()) == ["security_officer"]
    response = post_password(client, "sysadmin", "Init@Pass2026")
    assert response.url == reverse("accounts:login-password")
    response = client.post(
        reverse("accounts:login-password"),
        {"new_password": "Init@Pass2026", "new_password2": "Init@Pass2026"},
    )
    assert "不能与当前口令相同" in response.content.decode()
    response = client.post(
        reverse("accounts:login-password"),
        {"new_password": "Mine@Pass2027", "new_password2": "Mine@Pass2027"},
    )
    assert signed_in(client)
    assert not User.objects.get(username="sysadmin").must_change_password
    assert main(["init", "--password", "Init@Pass2026"]) == 0  # idempotent


def test_reset_password_forces_change(org, client):
    """After the system administrator's reset the one-time password the security officer hands
    over leads to the person's own second factor and then their own password (SEC-1,
    R-ROLE-1..3)."""
    since = last_audit_id()
    services.reset_password(org.sysadmin, org.staff_work_secret)
    assert_audited(AuditEvent.PASSWORD_RESET, org.staff_work_secret, org.sysadmin, since=since)
    one_time = services.hand_over_password(org.security_officer, org.staff_work_secret, identity_checked=True)
    response = post_password(client, "staff_work_secret", one_time)
    assert response.url == reverse("accounts:login-enrol")
    assert not signed_in(client)


def test_next_is_followed_only_within_the_site(org, client):
    """After login the person lands where they were going; a foreign address is ignored."""
    url = reverse("accounts:login") + "?next=/accounts/me/"
    response = client.post(url, {"username": "staff_work_secret", "password": PASSWORD})
    assert response.url == "/accounts/me/"
    other = Client()
    url = reverse("accounts:login") + "?next=https://evil.example/"
    response = other.post(url, {"username": "staff_work_secret", "password": PASSWORD})
    assert response.url == reverse("dashboard:home")
