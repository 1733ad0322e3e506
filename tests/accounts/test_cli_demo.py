"""``baomi accounts …`` verbs and the demo accounts (SEC-1, SEC-2)."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from baomi.accounts import totp
from baomi.accounts.models import User
from baomi.audit.events import AuditEvent
from baomi.cli import main
from baomi.kit.demo import DEMO_PASSWORD
from tests.accounts.helpers import post_password, signed_in
from tests.support.assertions import assert_audited, last_audit_id


def test_reset_password_from_the_console_shows_no_password(org, capsys, tmp_path):
    """R-ROLE-1..3, SEC-2 (issue 11 §1): the operator resets any account, the three
    administrators included, and learns no password — as in the UI. Every word the console
    printed is tried as the password: none works; sessions and API tokens end; the person awaits
    the security officer's handover in person. Before, the console printed a working password."""
    from baomi.accounts.models import ApiToken
    from baomi.accounts.services import hand_over_password

    issued = ApiToken.objects.filter(user=org.auditor, revoked_at=None).count()
    since = last_audit_id()
    assert main(["accounts", "reset-password", "auditor"]) == 0
    printed = capsys.readouterr()
    auditor = User.objects.get(username="auditor")
    words = {w.strip("“”:：,，。;") for w in (printed.out + printed.err).split()}
    assert not any(auditor.check_password(w) for w in words if w)
    assert auditor.awaiting_handover and auditor.must_change_password and not auditor.has_usable_password()
    assert ApiToken.objects.filter(user=auditor, revoked_at=None).count() == 0 <= issued
    entry = assert_audited(AuditEvent.PASSWORD_RESET, org.auditor, since=since)
    assert entry.details["channel"] == "cli" and entry.details["handover"] == "in_person"
    # The one-time password reaches the person from the security officer, in person.
    one_time = hand_over_password(org.security_officer, auditor, identity_checked=True)
    assert User.objects.get(pk=auditor.pk).check_password(one_time)
    assert main(["accounts", "reset-password", "nobody"]) == 1


def test_the_only_security_officer_gets_a_sealed_letter(org, capsys, tmp_path):
    """The account nobody may hand over to (the security officer, not to themself): the console
    writes the one-time password into a new file for a sealed letter, never on screen; it
    expires and obliges the person to enrol their own second factor (R-ROLE-1..3)."""
    letter = tmp_path / "letter.txt"
    since = last_audit_id()
    assert main(["accounts", "reset-password", "security_officer", "--sealed-letter", str(letter)]) == 0
    printed = capsys.readouterr()
    officer = User.objects.get(username="security_officer")
    one_time = letter.read_text(encoding="utf-8").split("一次性口令: ")[1].split()[0]
    assert one_time not in printed.out + printed.err
    assert officer.check_password(one_time) and officer.one_time_until and officer.must_enrol_totp
    assert not officer.awaiting_handover
    assert oct(letter.stat().st_mode & 0o777) == "0o600"
    handed = assert_audited(AuditEvent.PASSWORD_HANDED_OVER, org.security_officer, since=since)
    assert handed.details["channel"] == "sealed_letter"
    # An existing file is never overwritten: nothing is reset then.
    assert main(["accounts", "reset-password", "security_officer", "--sealed-letter", str(letter)]) == 1
    assert User.objects.get(username="security_officer").check_password(one_time)


def test_unlock_from_the_console(org):
    User.objects.filter(pk=org.outsider.pk).update(failed_logins=5, locked_until="2999-01-01T00:00Z")
    since = last_audit_id()
    assert main(["accounts", "unlock", "outsider"]) == 0
    assert not User.objects.get(pk=org.outsider.pk).is_locked()
    assert_audited(AuditEvent.USER_UNLOCKED, org.outsider, since=since)


def test_demo_accounts_cleared_for_secret_are_pre_enrolled(db, capsys):
    """The demo pre-enrols its 机密+ people with printed fixed secrets, so the demo stays usable
    while the product still demands the second factor (SEC-1)."""
    assert main(["demo"]) == 0
    capsys.readouterr()
    assert main(["demo", "--accounts"]) == 0
    out = capsys.readouterr().out
    wangfang = User.objects.get(username="wangfang")
    assert wangfang.totp_enrolled
    secret = totp.demo_secret("wangfang")
    assert secret in out and "otpauth://totp/" in out
    assert totp.demo_secret("chenjing") not in out  # 工作秘密: no second factor
    assert not User.objects.get(username="chenjing").totp_enrolled
    assert main(["accounts", "demo-code", "wangfang"]) == 0
    code = capsys.readouterr().out.strip()
    client = Client()
    assert post_password(client, "wangfang", DEMO_PASSWORD).url == reverse("accounts:login-totp")
    client.post(reverse("accounts:login-totp"), {"code": code})
    assert signed_in(client)
    assert main(["accounts", "demo-code", "chenjing"]) == 1  # not pre-enrolled


def test_demo_code_refused_outside_the_demo(org):
    assert main(["accounts", "demo-code", "staff_secret"]) == 1
