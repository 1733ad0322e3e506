"""Core commands: ``baomi init``, ``baomi demo``, ``baomi scheduler``, ``baomi keys init`` and the
dispatcher itself (SEC-2, OPS-2, STYLE 2.9). Every command is called through ``baomi.cli.main``."""

from __future__ import annotations

import stat

import pytest
from django.conf import settings

from baomi.accounts.choices import Role
from baomi.accounts.models import Department, User
from baomi.audit.events import AuditEvent
from baomi.audit.models import AuditEntry
from baomi.cli import main
from tests.support.assertions import assert_audited, last_audit_id

pytestmark = pytest.mark.django_db(transaction=True)


def test_init_creates_the_three_separated_administrators(capsys):
    """``baomi init`` creates 系统管理员, 安全保密管理员 and 安全审计员 — no superuser (SEC-2)."""
    since = last_audit_id()
    assert main(["init", "--password", "Init@Pass2026"]) == 0
    out = capsys.readouterr().out
    assert "已创建: sysadmin" in out
    roles = {u.username: u.role_codes() for u in User.objects.all()}
    assert roles == {
        "sysadmin": {Role.SYSTEM_ADMINISTRATOR},
        "secofficer": {Role.SECURITY_OFFICER},
        "auditor": {Role.AUDITOR},
    }
    entry = assert_audited(AuditEvent.SYSTEM_INITIALISED, since=since)
    assert entry.channel == "cli"


def test_init_is_idempotent_and_takes_names(capsys):
    assert main(["init", "--password", "Init@Pass2026", "--sysadmin", "admin1", "--security-officer", "sec1",
                 "--auditor", "aud1"]) == 0  # fmt: skip
    assert main(["init", "--password", "Init@Pass2026", "--sysadmin", "admin1", "--security-officer", "sec1",
                 "--auditor", "aud1"]) == 0  # fmt: skip
    assert "未作改动" in capsys.readouterr().out
    assert User.objects.count() == 3


def test_init_asks_for_the_password_when_not_given(monkeypatch, capsys):
    monkeypatch.setattr("getpass.getpass", lambda prompt="": "Init@Pass2026")
    assert main(["init"]) == 0
    assert User.objects.filter(username="sysadmin").exists()


def test_init_with_a_weak_password_fails_cleanly(capsys):
    """A password against the policy is refused with a Chinese message, exit 1 (SEC-1, SEC-7)."""
    assert main(["init", "--password", "short"]) == 1
    assert "错误" in capsys.readouterr().err
    assert not User.objects.exists()


def counts() -> dict[str, int]:
    return {"users": User.objects.count(), "departments": Department.objects.count()}


def test_demo_is_idempotent(capsys):
    """``baomi demo`` twice loads once: the same rows afterwards (OPS, make run)."""
    assert main(["demo"]) == 0
    assert "已加载" in capsys.readouterr().out
    first = counts()
    audit_rows = AuditEntry.objects.count()
    assert first["users"] >= 9
    assert main(["demo"]) == 0
    assert "未重复加载" in capsys.readouterr().out
    assert counts() == first
    assert AuditEntry.objects.count() == audit_rows


def test_demo_lists_the_accounts(capsys):
    assert main(["demo", "--accounts"]) == 0
    out = capsys.readouterr().out
    assert "sysadmin" in out and "secofficer" in out and "auditor" in out
    assert not User.objects.exists(), "listing loads nothing"


def test_scheduler_once_runs_due_jobs(capsys):
    """``baomi scheduler --once`` runs one round and exits (OPS-2)."""
    assert main(["scheduler", "--once", "--interval", "1"]) == 0


def test_keys_init_creates_missing_keys_with_private_modes(capsys, settings, tmp_path):
    """``baomi keys init`` creates the master and audit keys, mode 0600, never overwriting.
    In a directory of its own: deleting the session's keys would leave this process sealing
    under its cached audit key while every later subprocess reads a new one."""
    settings.MASTER_KEY_FILE = tmp_path / "keys" / "master.key"
    settings.AUDIT_KEY_FILE = tmp_path / "keys" / "audit.key"
    assert main(["keys", "init"]) == 0
    assert "已创建密钥文件" in capsys.readouterr().out
    contents = {}
    for path in (settings.MASTER_KEY_FILE, settings.AUDIT_KEY_FILE):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        contents[path] = path.read_bytes()
    assert main(["keys", "init"]) == 0
    assert "已创建" not in capsys.readouterr().out
    assert all(p.read_bytes() == c for p, c in contents.items())


def test_no_command_prints_help(capsys):
    assert main([]) == 2
    assert "baomi" in capsys.readouterr().out


def test_an_unknown_command_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["no-such-command"])
    assert exc.value.code == 2


def test_django_commands_pass_through(capsys):
    assert main(["check"]) == 0
    assert "no issues" in capsys.readouterr().out.lower()


def test_backup_keys_copies_the_keys_apart(tmp_path, capsys):
    """``baomi backup-keys`` copies the master, audit and backup keys to a separate place,
    private modes, and audits it (SEC-6; the backup key decrypts the backups, issue 19)."""
    main(["keys", "init"])
    since = last_audit_id()
    assert main(["backup-keys", str(tmp_path / "usb")]) == 0
    assert "已复制密钥" in capsys.readouterr().out
    copied = {p.name: p for p in (tmp_path / "usb").iterdir()}
    assert set(copied) == {
        settings.MASTER_KEY_FILE.name,
        settings.AUDIT_KEY_FILE.name,
        settings.BACKUP_KEY_FILE.name,
    }
    assert copied[settings.MASTER_KEY_FILE.name].read_bytes() == settings.MASTER_KEY_FILE.read_bytes()
    assert stat.S_IMODE((tmp_path / "usb").stat().st_mode) == 0o700
    entry = assert_audited(AuditEvent.BACKUP_CREATED, since=since)
    assert entry.details == {"keys_only": True, "files": 3}
