"""`baomi keys …` and `baomi vault verify` (SEC-4, STYLE 2.6): every command tested."""

from __future__ import annotations

import json
import os
import time

import pytest

from baomi.audit.events import AuditEvent
from baomi.cli import main
from baomi.vault import services, storage
from baomi.vault.keyring import keystore
from baomi.vault.models import Blob
from tests.support.assertions import assert_audited, last_audit_id

pytestmark = pytest.mark.django_db


def run(argv: list[str], capsys) -> tuple[int, str]:
    """Run ``baomi <argv>``; the literal list lets tests/test_meta.py see which verbs are tested."""
    code = main(argv)
    out = capsys.readouterr()
    return code, out.out + out.err


def test_keys_init_creates_keys_once(capsys, settings):
    """`baomi keys init` creates the ring and the audit key, and changes nothing on a rerun."""
    code, out = run(["keys", "init"], capsys)
    assert code == 0
    assert str(settings.MASTER_KEY_FILE) in out and "已创建密钥文件" in out
    ring = settings.MASTER_KEY_FILE.read_bytes()
    code, out = run(["keys", "init"], capsys)
    assert code == 0
    assert str(settings.MASTER_KEY_FILE) not in out
    assert settings.MASTER_KEY_FILE.read_bytes() == ring


def test_keys_rotate_list_rewrap_retire(capsys):
    """The rotation procedure of docs/vault.md, command by command, audited as the OS operator."""
    blob = services.store(None, b"content")
    old = blob.key_id
    since = last_audit_id()
    code, out = run(["keys", "rotate"], capsys)
    assert code == 0 and "1" in out
    new = keystore().active_key_id()
    entry = assert_audited(AuditEvent.KEYS_ROTATED, ("vault.masterkey", new), since=since)
    assert entry.actor_name.startswith("os:") and entry.channel == "cli"
    code, out = run(["keys", "list"], capsys)
    assert code == 0
    assert f"{new}  在用" in out and "数据密钥: 1 个" in out
    assert f"{old}  旧密钥" in out and "数据密钥: 0 个" in out
    code, out = run(["keys", "rewrap"], capsys)
    assert code == 0 and "0 个" in out
    code, out = run(["keys", "retire", new], capsys)
    assert code == 1 and "在用主密钥不能停用" in out
    code, out = run(["keys", "retire", old], capsys)
    assert code == 0 and "已停用" in out
    assert_audited(AuditEvent.KEY_RETIRED, ("vault.masterkey", old), since=since)
    code, out = run(["keys", "list"], capsys)
    assert f"{old}  已停用" in out


def test_keys_retire_refused_while_in_use(capsys):
    """Retiring a key that still wraps data keys fails with a Chinese message and exit 1."""
    blob = services.store(None, b"content")
    keystore().add_key()
    code, out = run(["keys", "retire", blob.key_id], capsys)
    assert code == 1 and "仍封装着 1 个" in out
    assert Blob.objects.get(pk=blob.pk).key_id == blob.key_id


def test_vault_verify_clean_is_zero(capsys, django_capture_on_commit_callbacks):
    """A store where every blob decrypts and matches its digest verifies with exit 0 (SEC-4)."""
    services.store(None, os.urandom(5000))
    with django_capture_on_commit_callbacks(execute=True):
        services.shred(None, services.store(None, b"gone"))
    since = last_audit_id()
    code, out = run(["vault", "verify"], capsys)
    assert code == 0, out
    assert "已校验加密内容 1 个 (已销毁 1 个), 发现问题 0 个" in out
    entry = assert_audited(AuditEvent.VAULT_VERIFIED, since=since, outcome="ok")
    assert entry.details["checked"] == 1


def test_vault_verify_lists_every_kind_of_problem(capsys, settings):
    """Damaged, missing, orphan, leftover and stale temporary files are each listed; exit 1."""
    damaged = services.store(None, os.urandom(5000))
    path = storage.path_for(damaged.storage_name)
    raw = bytearray(path.read_bytes())
    raw[-1] ^= 1
    path.write_bytes(bytes(raw))
    missing = services.store(None, b"missing")
    storage.path_for(missing.storage_name).unlink()
    wrong_digest = services.store(None, b"digest")
    Blob.objects.filter(pk=wrong_digest.pk).update(digest="0" * 64)
    leftover = services.store(None, b"left")
    Blob.objects.filter(pk=leftover.pk).update(wrapped_key=None, shredded_at="2026-01-01T00:00:00Z")
    orphan = storage.new_storage_name()
    storage.path_for(orphan).parent.mkdir(parents=True, exist_ok=True)
    storage.path_for(orphan).write_bytes(b"no row")
    stale = storage.path_for(storage.new_storage_name())
    stale.parent.mkdir(parents=True, exist_ok=True)
    stale_tmp = stale.with_name(".tmp-" + stale.name)
    stale_tmp.write_bytes(b"half")
    old = time.time() - 7200
    os.utime(stale_tmp, (old, old))
    fresh_tmp = stale.with_name(".tmp-" + storage.new_storage_name())
    fresh_tmp.write_bytes(b"in progress")
    since = last_audit_id()
    code, out = run(["vault", "verify"], capsys)
    assert code == 1
    assert f"问题 [已损坏]: {damaged.pk}" in out and "第 0 块未通过完整性校验" in out
    assert f"问题 [文件缺失]: {missing.pk}" in out
    assert f"问题 [已损坏]: {wrong_digest.pk} 解密后的内容与记录的摘要不符" in out
    assert f"问题 [已销毁内容的文件仍然存在]: {leftover.pk}" in out
    assert f"问题 [孤立文件 (无对应记录)]: {orphan}" in out
    assert "问题 [残留临时文件]" in out
    assert "in progress" not in out and fresh_tmp.name not in out
    assert "发现问题 6 个" in out
    entry = assert_audited(AuditEvent.VAULT_VERIFIED, since=since, outcome="failed")
    assert entry.details["problems"] == 6


def test_vault_verify_remove_orphans_only_removes_old_ones(capsys):
    """--remove-orphans deletes orphans older than an hour, keeps young ones listed (SEC-4)."""
    services.store(None, b"kept")
    old_orphan = storage.path_for(storage.new_storage_name())
    old_orphan.parent.mkdir(parents=True, exist_ok=True)
    old_orphan.write_bytes(b"x")
    old = time.time() - 7200
    os.utime(old_orphan, (old, old))
    young = storage.path_for(storage.new_storage_name())
    young.parent.mkdir(parents=True, exist_ok=True)
    young.write_bytes(b"y")
    code, out = run(["vault", "verify", "--remove-orphans"], capsys)
    assert code == 1
    assert not old_orphan.exists() and f"已删除: {old_orphan.name}" in out
    assert young.exists() and young.name in out
    young.unlink()
    code, out = run(["vault", "verify"], capsys)
    assert code == 0


def test_vault_verify_with_a_missing_key_lists_the_blob(capsys, settings):
    """Content whose master key is gone from the ring is reported, not crashed on (SEC-7)."""
    blob = services.store(None, b"x")
    data = json.loads(settings.MASTER_KEY_FILE.read_text())
    data["keys"][0]["id"] = "mk-other"
    settings.MASTER_KEY_FILE.write_text(json.dumps(data))
    code, out = run(["vault", "verify"], capsys)
    assert code == 1 and str(blob.pk) in out and "主密钥不可用" in out


def test_key_commands_without_a_ring_fail_clearly(capsys, settings):
    """With blobs stored but the key file gone, key commands say the master key is unavailable."""
    services.store(None, b"x")
    settings.MASTER_KEY_FILE.unlink()
    for argv in (["keys", "list"], ["keys", "rotate"], ["keys", "rewrap"]):
        code, out = run(argv, capsys)
        assert code == 1 and "主密钥不可用" in out
