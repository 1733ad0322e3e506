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


def test_reset_password_from_the_console(org, capsys):
    """The operator resets any account, the three administrators included; audited (SEC-2)."""
    since = last_audit_id()
    assert main(["accounts", "reset-password", "auditor"]) == 0
    temporary = capsys.readouterr().out.split("临时口令: ")[1].split()[0]
    assert User.objects.get(username="auditor").check_password(temporary)
    assert User.objects.get(username="auditor").must_change_password
    assert_audited(AuditEvent.PASSWORD_RESET, org.auditor, since=since)
    assert main(["accounts", "reset-password", "nobody"]) == 1


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
