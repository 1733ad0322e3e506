"""The TOTP second factor (SEC-1): enrolment by QR code and first code, two-step login, wrong
codes, replay, single-use recovery codes, required from 机密, reset by the security officer."""

from __future__ import annotations

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from baomi.access.errors import AccessDenied
from baomi.accounts import services, totp
from baomi.accounts.models import RecoveryCode, User
from baomi.audit.events import AuditEvent
from tests.accounts.helpers import fresh_code, post_password, secret_of, signed_in
from tests.support.assertions import assert_audited, last_audit_id


def enrol_through_login(client: Client, user: User) -> list[str]:
    """Password → forced enrolment → first code → recovery codes → continue → signed in."""
    response = post_password(client, user.username)
    assert response.url == reverse("accounts:login-enrol")
    page = client.get(reverse("accounts:login-enrol")).content.decode()
    assert "<svg" in page  # the QR code is inline SVG: no external service
    secret = secret_of(user)
    assert f'data-totp-secret="{secret}"' in page
    response = client.post(reverse("accounts:login-enrol"), {"code": fresh_code(user)})
    codes = list(response.context["codes"])
    assert len(codes) == 10
    assert not signed_in(client)
    response = client.post(reverse("accounts:login-continue"))
    assert response.status_code == 302 and signed_in(client)
    return codes


def test_cleared_for_secret_is_forced_into_enrolment(org, client):
    """A person cleared for 机密 cannot reach anything before enrolling (SEC-1, R-AUTH-2)."""
    response = post_password(client, "staff_secret")
    assert response.url == reverse("accounts:login-enrol")
    assert not signed_in(client)
    for url in (reverse("dashboard:home"), reverse("accounts:profile")):
        assert client.get(url).status_code == 302
    # Skipping the stage is not possible either.
    assert client.get(reverse("accounts:login-password")).status_code == 302
    assert not signed_in(client)


def test_below_secret_needs_no_second_factor(org):
    """秘密 and below: no second factor required by default; the threshold is a setting (SEC-1)."""
    assert not services.totp_required(org.staff_confidential)
    assert services.totp_required(org.staff_secret)
    with override_settings(TOTP_REQUIRED_FROM="confidential"):
        assert services.totp_required(org.staff_confidential)


def test_enrolment_then_two_step_login(org, client):
    """Enrolment at login, then password → code for every later login; audited (SEC-1)."""
    user = org.staff_secret
    since = last_audit_id()
    enrol_through_login(client, user)
    assert_audited(AuditEvent.TOTP_ENROLLED, user, since=since)
    user.refresh_from_db()
    assert user.totp_enrolled
    assert RecoveryCode.objects.filter(user=user).count() == 10

    other = Client()
    response = post_password(other, user.username)
    assert response.url == reverse("accounts:login-totp")
    assert not signed_in(other)
    response = other.post(reverse("accounts:login-totp"), {"code": fresh_code(user)})
    assert response.status_code == 302 and signed_in(other)


def test_secret_is_stored_sealed(org):
    """The TOTP secret is stored encrypted (AES-256-GCM), bound to its account (SEC-1)."""
    secret = services.begin_totp_enrolment(org.staff_secret)
    stored = User.objects.get(pk=org.staff_secret.pk).totp_secret
    assert stored.startswith("v1:") and secret not in stored
    assert totp.unseal(stored, org.staff_secret.pk) == secret
    with pytest.raises(Exception):  # noqa: B017 - cryptography's InvalidTag: another account's id
        totp.unseal(stored, org.staff_confidential.pk)


def test_wrong_code_is_refused_and_counts_towards_lockout(org, client, settings):
    """A wrong second-factor code is refused, audited, and counts as a failed login (SEC-1)."""
    user = org.staff_secret
    enrol_through_login(Client(), user)
    post_password(client, user.username)
    since = last_audit_id()
    good = fresh_code(user)
    wrong = f"{(int(good) + 1) % 1000000:06d}"
    response = client.post(reverse("accounts:login-totp"), {"code": wrong})
    assert response.status_code == 200 and not signed_in(client)
    assert "动态码不正确" in response.content.decode()
    assert_audited(AuditEvent.TOTP_FAILED, user, outcome="failed", since=since)
    user.refresh_from_db()
    assert user.failed_logins == 1
    for _ in range(settings.LOCKOUT_THRESHOLD - 1):
        client.post(reverse("accounts:login-totp"), {"code": wrong})
    user.refresh_from_db()
    assert user.is_locked()
    # Locked: even the right code no longer helps, and the login starts over.
    response = client.post(reverse("accounts:login-totp"), {"code": fresh_code(user)})
    assert not signed_in(client)


def test_replayed_code_is_refused(org):
    """The same code (the same time step) is accepted once only (SEC-1)."""
    user = org.staff_secret
    services.begin_totp_enrolment(user)
    step = totp.current_step()
    code = totp.code_for(secret_of(user), step)
    assert services.confirm_totp(user, code) is not None
    assert not services.verify_second_factor(user, code)  # the enrolment's own code
    later = totp.code_for(secret_of(user), step + 1)
    assert services.verify_second_factor(user, later)
    assert not services.verify_second_factor(user, later)
    earlier = totp.code_for(secret_of(user), step - 1)
    assert not services.verify_second_factor(user, earlier)  # older than the last accepted step


def test_code_outside_the_drift_window_is_refused(org):
    user = org.staff_secret
    services.begin_totp_enrolment(user)
    assert services.confirm_totp(user, totp.code_for(secret_of(user), totp.current_step() + 5)) is None
    assert_audited(AuditEvent.TOTP_FAILED, user)


def test_recovery_code_works_once(org, client):
    """Each of the 10 recovery codes replaces one TOTP code, once; only digests are stored (SEC-1)."""
    user = org.staff_secret
    codes = enrol_through_login(Client(), user)
    stored = set(RecoveryCode.objects.filter(user=user).values_list("code_digest", flat=True))
    assert not stored & set(codes)
    since = last_audit_id()
    post_password(client, user.username)
    response = client.post(reverse("accounts:login-totp"), {"code": codes[0].lower()})
    assert response.status_code == 302 and signed_in(client)
    assert_audited(AuditEvent.RECOVERY_CODE_USED, user, since=since)
    assert services.recovery_codes_left(user) == 9
    again = Client()
    post_password(again, user.username)
    response = again.post(reverse("accounts:login-totp"), {"code": codes[0]})
    assert not signed_in(again)


def test_security_officer_resets_second_factor(org):
    """Lost phone: the security officer resets the factor; the person enrols again; nobody else
    may reset it, nor the officer their own (SEC-1, SEC-2)."""
    user = org.staff_secret
    services.begin_totp_enrolment(user)
    services.confirm_totp(user, totp.code_for(secret_of(user), totp.current_step()))
    with pytest.raises(AccessDenied):
        services.reset_totp(org.sysadmin, user)
    with pytest.raises(AccessDenied):
        services.reset_totp(org.security_officer, org.security_officer)
    since = last_audit_id()
    services.reset_totp(org.security_officer, user)
    user.refresh_from_db()
    assert not user.totp_enrolled and not user.totp_secret
    assert not RecoveryCode.objects.filter(user=user).exists()
    assert_audited(AuditEvent.TOTP_RESET, user, org.security_officer, since=since)
    client = Client()
    assert post_password(client, user.username).url == reverse("accounts:login-enrol")


def test_optional_enrolment_from_own_account(org, client):
    """Below 机密 a person may still enrol from their account page; later logins ask the code."""
    user = org.staff_work_secret
    client.force_login(user)
    page = client.get(reverse("accounts:totp-enrol")).content.decode()
    assert "<svg" in page
    response = client.post(reverse("accounts:totp-enrol"), {"code": fresh_code(user)})
    assert len(response.context["codes"]) == 10
    fresh = Client()
    assert post_password(fresh, user.username).url == reverse("accounts:login-totp")


def test_pending_login_expires(org, client):
    """A half-finished login is forgotten after ten minutes (SEC-1)."""
    from baomi.accounts.views import PENDING

    post_password(client, "staff_secret")
    session = client.session
    state = session[PENDING]
    state["ts"] -= 601
    session[PENDING] = state
    session.save()
    response = client.get(reverse("accounts:login-enrol"))
    assert response.status_code == 302 and response.url == reverse("accounts:login")


def test_new_recovery_codes_need_a_current_code(org, client):
    """Regenerating recovery codes asks a current TOTP code; the old codes stop working (SEC-1)."""
    user = org.staff_secret
    old = enrol_through_login(client, user)
    response = client.post(reverse("accounts:recovery-codes"), {"code": old[0].replace("-", "")})
    assert "动态码不正确" in response.content.decode()  # a recovery code does not do
    user.refresh_from_db()
    assert user.failed_logins == 1
    since = last_audit_id()
    response = client.post(reverse("accounts:recovery-codes"), {"code": fresh_code(user)})
    new = list(response.context["codes"])
    assert len(new) == 10 and not set(new) & set(old)
    assert_audited(AuditEvent.RECOVERY_CODES_REGENERATED, user, since=since)
    assert not services.verify_second_factor(user, old[1])
    assert services.verify_second_factor(user, new[1])


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_failures_are_all_counted(org_committed):
    """Failures arriving at the same moment from several server threads are each counted (the
    row is locked while counting), so a burst cannot slip past the threshold (SEC-1)."""
    import threading

    from django.db import connection

    user = org_committed
    barrier = threading.Barrier(6)

    def attempt() -> None:
        try:
            barrier.wait()
            services.register_login_failure(user.username)
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    user.refresh_from_db()
    assert user.failed_logins == 6 and user.is_locked()


@pytest.fixture
def org_committed(transactional_db):
    return services.create_user(
        None, username="burst", full_name="并发", password="Good@Pass2027", bootstrap=True
    )


def test_demo_mode_tells_how_to_get_a_code(org, client, settings):
    """In demo mode the code page says where the demo codes come from (README demo section)."""
    user = org.staff_secret
    enrol_through_login(Client(), user)
    post_password(client, user.username)
    assert "demo-code" not in client.get(reverse("accounts:login-totp")).content.decode()
    settings.DEMO = True
    assert "baomi accounts demo-code" in client.get(reverse("accounts:login-totp")).content.decode()
