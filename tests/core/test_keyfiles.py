"""A missing key is an error, never a new key (SEC-3, SEC-4; issue 20 §1).

For each of the three keys — audit key, master key ring, Django secret — with data that depends
on it, a missing file stops the commands (and the server, tests/core/test_keyfiles_server.py)
with a Chinese message naming the file and the key backup; no file is created; `baomi keys
init` refuses unless told `--new-installation`, and creates keys freely in an empty installation.
"""

from __future__ import annotations

import pytest

from baomi.accounts import services as accounts
from baomi.audit import chain
from baomi.audit.events import AuditEvent
from baomi.audit.record import record
from baomi.cli import main
from baomi.ops.keyfiles import KeyFileMissing, require_keys
from baomi.vault import services as vault
from tests.support.assertions import assert_audited, last_audit_id

pytestmark = pytest.mark.django_db


def run(argv: list[str], capsys) -> tuple[int, str]:
    code = main(argv)
    out = capsys.readouterr()
    return code, out.out + out.err


def _entries(n: int = 3) -> None:
    for i in range(n):
        record(None, AuditEvent.SETTING_CHANGED, ("core.setting", i, f"设置 {i}"))


@pytest.fixture
def keydir(settings, tmp_path):
    """This test's own key files (the session's stay untouched)."""
    keys = tmp_path / "keys"
    settings.MASTER_KEY_FILE = keys / "master.key"
    settings.BACKUP_KEY_FILE = keys / "backup.key"
    settings.BLOB_DIR = tmp_path / "blobs"
    return keys


def test_missing_audit_key_stops_verify_and_the_sealer_and_creates_nothing(settings, tmp_path, capsys):
    """SEC-3: with entries in the trail, `baomi audit verify` on a missing audit key is refused
    naming the file — it used to generate a new key and report the intact chain as tampered
    with at sequence number 1, and the sealer then sealed new entries under that key."""
    _entries()
    chain.seal_pending()
    _entries()  # and some waiting for the sealer
    gone = tmp_path / "elsewhere" / "audit.key"
    settings.AUDIT_KEY_FILE = gone
    code, out = run(["audit", "verify"], capsys)
    assert code == 1
    assert "审计密钥不可用" in out and str(gone) in out and "密钥备份" in out
    assert "keys init --new-installation" in out
    assert not gone.exists(), "no new key is generated"
    for argv in (["audit", "seal"], ["scheduler", "--once"], ["keys", "list"]):
        code, out = run(argv, capsys)
        assert code == 1 and str(gone) in out, argv
    with pytest.raises(KeyFileMissing):
        chain.seal_pending()
    with pytest.raises(KeyFileMissing):
        record(None, AuditEvent.SETTING_CHANGED, ("core.setting", "x", "x"))
    assert not gone.exists()


def test_the_restored_audit_key_verifies_the_chain_again(settings, tmp_path, capsys):
    """Restoring the file is the cure: the same chain verifies intact."""
    _entries()
    original = settings.AUDIT_KEY_FILE
    copy = tmp_path / "restored" / "audit.key"
    settings.AUDIT_KEY_FILE = tmp_path / "missing.key"
    assert run(["audit", "verify"], capsys)[0] == 1
    copy.parent.mkdir()
    copy.write_bytes(original.read_bytes())
    settings.AUDIT_KEY_FILE = copy
    code, out = run(["audit", "verify"], capsys)
    assert code == 0, out


def test_missing_master_key_stops_every_command_and_names_the_key_backup(keydir, tmp_path, capsys):
    """SEC-4: with blobs stored, a missing key ring stops the commands, names the file and the
    latest key backup (taken with `baomi backup-keys`), and no ring is created."""
    vault.store(None, b"content")
    assert run(["backup-keys", str(tmp_path / "usb")], capsys)[0] == 0
    (keydir / "master.key").unlink()
    for argv in (["vault", "verify"], ["audit", "verify"], ["backup-keys", str(tmp_path / "usb2")]):
        code, out = run(argv, capsys)
        assert code == 1, argv
        assert "主密钥不可用" in out and str(keydir / "master.key") in out
        assert str((tmp_path / "usb").resolve()) in out, "the message names the key backup"
    assert not (keydir / "master.key").exists()


def test_missing_django_secret_stops_commands_once_users_exist(settings, tmp_path, capsys):
    """The secret protects every TOTP enrolment (docs/accounts.md): with accounts, a missing
    secret file stops the commands; it is not replaced."""
    secret = tmp_path / "keys" / "django-secret.key"
    settings.SECRET_KEY_FILE = secret
    require_keys()  # no user yet: nothing depends on it
    accounts.create_user(None, username="someone", full_name="某人", password="Test@Pass2026", bootstrap=True)
    code, out = run(["audit", "seal"], capsys)
    assert code == 1
    assert "Django 密钥不可用" in out and str(secret) in out and "1 个用户账号" in out
    code, out = run(["keys", "init"], capsys)
    assert code == 1 and "未创建任何密钥" in out
    assert not secret.exists()


def test_the_server_refuses_the_placeholder_secret_even_without_data(settings, tmp_path):
    """The server never signs sessions with the development placeholder (run keys init first)."""
    settings.SECRET_KEY_FILE = tmp_path / "none" / "django-secret.key"
    with pytest.raises(KeyFileMissing, match="keys init"):
        require_keys(server=True)
    require_keys()  # commands (migrate, keys init, init) still run in an empty installation


def test_keys_init_refuses_when_data_depends_on_a_missing_key(keydir, settings, tmp_path, capsys):
    """`keys init` creates nothing — not even the keys nothing depends on — while a missing key
    has dependants; `--new-installation` creates it, says what is given up, and is audited."""
    _entries()
    settings.AUDIT_KEY_FILE = tmp_path / "keys" / "audit.key"
    code, out = run(["keys", "init"], capsys)
    assert code == 1 and "审计密钥不可用" in out and "未创建任何密钥" in out
    assert not (keydir / "audit.key").exists() and not (keydir / "master.key").exists()
    since = last_audit_id()
    code, out = run(["keys", "init", "--new-installation"], capsys)
    assert code == 0, out
    assert (keydir / "audit.key").exists() and (keydir / "master.key").exists()
    assert "已按要求作为全新安装处理" in out and "不再能校验或解密" in out
    entry = assert_audited(AuditEvent.KEYS_CREATED, since=since)
    assert entry.details["new_installation"] is True
    assert entry.details["records_depending_on_old_keys"]["audit"] >= 3
    assert set(entry.details["created"]) == {"master", "audit", "backup"}
    # The old entries were signed with the lost key: the trail says so, it does not hide it.
    assert not chain.verify().ok


def test_keys_init_creates_keys_in_an_empty_installation_and_says_so(keydir, settings, tmp_path, capsys):
    """A new installation (nothing depends on the keys yet) gets its keys, told why."""
    settings.AUDIT_KEY_FILE = keydir / "audit.key"
    settings.SECRET_KEY_FILE = keydir / "django-secret.key"
    code, out = run(["keys", "init"], capsys)
    assert code == 0, out
    for name in ("master.key", "audit.key", "django-secret.key", "backup.key"):
        assert (keydir / name).exists() and str(keydir / name) in out
        assert (keydir / name).stat().st_mode & 0o077 == 0
    assert "新安装: 尚无加密文件依赖该密钥" in out and "新安装: 尚无用户账号依赖该密钥" in out
    assert "新安装: 尚未用它做过备份" in out
    code, out = run(["keys", "init"], capsys)
    assert code == 0 and "所有密钥均已存在" in out


def test_the_backup_key_is_made_at_installation_and_never_replaced_after_a_backup(
    keydir, settings, tmp_path, capsys
):
    """SEC-6: `keys init` creates the backup key with the others, so the key backup taken right
    after installation holds it (it used to appear only at the first backup, missing from that key
    backup). Once a backup exists, a missing backup key is refused by `baomi backup` — a new one
    would open none of the old backups and be on no key backup medium — while the server and the
    other commands, which never read it, go on."""
    settings.AUDIT_KEY_FILE = keydir / "audit.key"
    assert run(["keys", "init"], capsys)[0] == 0
    assert (keydir / "backup.key").exists()
    code, out = run(["backup-keys", str(tmp_path / "usb")], capsys)
    assert (
        code == 0 and (tmp_path / "usb" / "backup.key").read_bytes() == (keydir / "backup.key").read_bytes()
    )
    record(None, AuditEvent.BACKUP_CREATED, None, details={"generation": "20261206-090000"})  # a backup made
    (keydir / "backup.key").unlink()
    code, out = run(["backup", str(tmp_path / "backups")], capsys)
    assert code == 1 and "备份密钥不可用" in out and str(keydir / "backup.key") in out
    assert str((tmp_path / "usb").resolve()) in out, "names the key backup that holds it"
    assert not (keydir / "backup.key").exists(), "no new key is generated"
    require_keys(server=True)  # the running system does not depend on it
    assert run(["keys", "init"], capsys)[0] == 1
