"""Backup and restore (SEC-6): the documented disaster-recovery procedure of
docs/operations.md, run end to end with the real ``baomi`` command on a fresh SQLite
installation — lose everything, restore, and find the data, the blobs and the audit trail."""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys

import pytest

from baomi.ops import backup

pytestmark = pytest.mark.slow
PASSWORD = "Init@Pass2026"


def baomi(env: dict[str, str], *args: str, ok: bool = True) -> subprocess.CompletedProcess:
    proc = subprocess.run([sys.executable, "-m", "baomi.cli", *args], env=env, capture_output=True, text=True,
                          timeout=300)  # fmt: skip
    if ok:
        assert proc.returncode == 0, proc.stdout + proc.stderr
    return proc


def counts(env: dict[str, str]) -> tuple[int, int]:
    """(users, audit entries) of the installation, in one process start."""
    code = (
        "from baomi.accounts.models import User; from baomi.audit.models import AuditEntry; "
        "print(User.objects.count(), AuditEntry.objects.count())"
    )
    users, entries = baomi(env, "shell", "-c", code).stdout.strip().splitlines()[-1].split()
    return int(users), int(entries)


@pytest.fixture
def site(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BAOMI_", "DJANGO_"))}
    env.update(
        BAOMI_DATA_DIR=str(tmp_path / "data"), BAOMI_KEY_DIR=str(tmp_path / "keys"), BAOMI_LOG_LEVEL="ERROR"
    )
    return env


def test_backup_and_restore_round_trip(site, tmp_path):
    """SEC-6: back up, lose the data directory, restore: accounts, blobs and the audit trail come
    back; the keys were copied apart and never into the backup."""
    baomi(site, "migrate", "-v", "0")
    baomi(site, "keys", "init")
    baomi(site, "init", "--password", PASSWORD)
    blob = tmp_path / "data" / "blobs" / "ab" / "abcdef0123"
    blob.parent.mkdir(parents=True)
    blob.write_bytes(os.urandom(4096))  # stands for an encrypted blob
    users, entries = counts(site)
    assert users == 3

    out = baomi(site, "backup", str(tmp_path / "backup"), "--keys-to", str(tmp_path / "key-copy")).stdout
    assert "备份完成" in out
    manifest = json.loads((tmp_path / "backup" / "MANIFEST.json").read_text())
    assert manifest["engine"] == "sqlite"
    assert manifest["counts"] == {"users": 3, "audit_entries": entries}
    assert manifest["audit_checkpoint"]["last_id"] == entries
    assert set(manifest["files"]) == {"db.sqlite3", "blobs/ab/abcdef0123"}
    names = {p.name for p in (tmp_path / "backup").rglob("*")}
    assert not names & {"master.key", "audit.key", "django-secret.key"}, "keys never go into the backup"
    key_copy = tmp_path / "key-copy"
    assert {p.name for p in key_copy.iterdir()} == {"master.key", "audit.key", "django-secret.key"}
    assert stat.S_IMODE(key_copy.stat().st_mode) == 0o700
    assert all(stat.S_IMODE(p.stat().st_mode) == 0o600 for p in key_copy.iterdir())

    assert "备份完整" in baomi(site, "restore", str(tmp_path / "backup"), "--verify-only").stdout

    # Disaster: the data directory is lost. The keys are restored from their separate copy.
    original_blob = blob.read_bytes()
    shutil.rmtree(tmp_path / "data")
    assert "已恢复" in baomi(site, "restore", str(tmp_path / "backup")).stdout
    # The backup predates its own BACKUP_CREATED entry; the restore adds BACKUP_RESTORED.
    assert counts(site) == (users, entries + 1)
    assert blob.read_bytes() == original_blob

    # A second restore over live data needs --force.
    refused = baomi(site, "restore", str(tmp_path / "backup"), ok=False)
    assert refused.returncode == 1 and "--force" in refused.stderr


@pytest.mark.django_db(transaction=True)
def test_a_damaged_backup_is_refused(tmp_path, capsys):
    """Every file is checked against the manifest before anything is restored (SEC-6)."""
    from baomi.cli import main

    assert main(["backup", str(tmp_path / "backup")]) == 0
    name = "db.sqlite3" if (tmp_path / "backup" / "db.sqlite3").exists() else "db.pgdump"
    with (tmp_path / "backup" / name).open("r+b") as fh:
        fh.seek(200)
        fh.write(b"\x00tampered")
    capsys.readouterr()
    assert main(["restore", str(tmp_path / "backup"), "--verify-only"]) == 1
    assert name in capsys.readouterr().err
    (tmp_path / "backup" / name).unlink()
    (tmp_path / "backup" / "extra").write_text("x")
    assert main(["restore", str(tmp_path / "backup")]) == 1
    err = capsys.readouterr().err
    assert "extra" in err and name in err


def test_backup_refuses_bad_targets(tmp_path, db):
    """The backup directory must be new; keys may not be put inside it."""
    from baomi.core.errors import ValidationFailed

    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "x").write_text("x")
    with pytest.raises(ValidationFailed):
        backup.create_backup(tmp_path / "full")
    with pytest.raises(ValidationFailed, match="密钥"):
        backup.create_backup(tmp_path / "new", keys_to=tmp_path / "new" / "keys")
    with pytest.raises(ValidationFailed):
        backup.verify_backup(tmp_path / "nowhere")
    (tmp_path / "odd").mkdir()
    (tmp_path / "odd" / "MANIFEST.json").write_text(json.dumps({"format": 99, "files": {}}))
    with pytest.raises(ValidationFailed):
        backup.verify_backup(tmp_path / "odd")


@pytest.mark.postgres
def test_backup_and_restore_on_postgresql(tmp_path, django_db_blocker):
    """The same round trip with pg_dump/pg_restore on a scratch PostgreSQL database."""
    import psycopg

    base = os.environ.get("BAOMI_TEST_POSTGRES_URL", "postgresql:///baomi?host=/var/run/postgresql")
    params = psycopg.conninfo.conninfo_to_dict(base)
    name = f"{params.get('dbname') or 'baomi'}_backup_test"
    admin = {**params, "dbname": "postgres"}
    with psycopg.connect(**admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        url = "postgresql:///" + name + ("?host=" + params["host"] if params.get("host") else "")
        env = {k: v for k, v in os.environ.items() if not k.startswith(("BAOMI_", "DJANGO_"))}
        env.update(BAOMI_DATA_DIR=str(tmp_path / "data"), BAOMI_KEY_DIR=str(tmp_path / "keys"),
                   BAOMI_DATABASE_URL=url, BAOMI_LOG_LEVEL="ERROR")  # fmt: skip
        baomi(env, "migrate", "-v", "0")
        baomi(env, "init", "--password", PASSWORD)
        users, entries = counts(env)
        baomi(env, "backup", str(tmp_path / "backup"))
        assert (tmp_path / "backup" / "db.pgdump").exists()
        baomi(env, "restore", str(tmp_path / "backup"), "--force")
        # The backup predates its own BACKUP_CREATED entry; the restore adds BACKUP_RESTORED.
        assert counts(env) == (users, entries + 1)
    finally:
        with psycopg.connect(**admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
