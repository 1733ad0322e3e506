"""Backup and restore (SEC-6, issue 19): the documented disaster-recovery procedure of
docs/operations.md, run end to end with the real ``baomi`` command on a fresh installation with
the demo's ledgers and encrypted content — back up (encrypted, incremental), prove the backup
restores without touching anything, lose everything, restore, and find the same ledgers, an
intact audit chain and every blob decrypting. On SQLite, and on PostgreSQL with
``pg_dump``/``pg_restore``."""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from baomi.ops import backup

pytestmark = pytest.mark.slow
PASSWORD = "Init@Pass2026"

LEDGER = """
import hashlib, json
from django.apps import apps
from baomi.accounts.models import User
from baomi.audit.models import AuditEntry
from baomi.carriers.models import Carrier
rows = {}
for label in ("accounts", "classification", "carriers", "personnel", "vault", "supervision"):
    for model in apps.get_app_config(label).get_models():
        rows[model._meta.label] = list(model.objects.order_by("pk").values())
digest = hashlib.sha256(json.dumps(rows, default=str, sort_keys=True).encode()).hexdigest()
titles = sorted(Carrier.objects.values_list("title", flat=True))
print(json.dumps({"ledger": digest, "carriers": len(titles), "titles": titles,
                  "users": User.objects.count(), "entries": AuditEntry.objects.count()}))
"""


def baomi(env: dict[str, str], *args: str, ok: bool = True) -> subprocess.CompletedProcess:
    proc = subprocess.run([sys.executable, "-m", "baomi.cli", *args], env=env, capture_output=True, text=True,
                          timeout=600)  # fmt: skip
    if ok:
        assert proc.returncode == 0, proc.stdout + proc.stderr
    return proc


def state(env: dict[str, str]) -> dict:
    """A digest of every ledger row, the carriers' titles and the counts, in one process start."""
    return json.loads(baomi(env, "shell", "-c", LEDGER).stdout.strip().splitlines()[-1])


def site_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BAOMI_", "DJANGO_"))}
    env.update(BAOMI_DATA_DIR=str(tmp_path / "data"), BAOMI_KEY_DIR=str(tmp_path / "keys"), BAOMI_LOG_LEVEL="ERROR",
               **extra)  # fmt: skip
    return env


def files_contain(root: Path, needles: list[bytes]) -> list[str]:
    """Every file under ``root`` that holds one of ``needles`` in clear."""
    hits = []
    for path in root.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            hits += [f"{path.relative_to(root)}: {n.decode()}" for n in needles if n in data]
    return hits


def round_trip(env: dict[str, str], tmp_path: Path, lose_everything) -> None:
    """The procedure of docs/operations.md §5–6, checked at every step."""
    baomi(env, "migrate", "-v", "0")
    baomi(env, "keys", "init")
    baomi(env, "demo")
    before = state(env)
    assert before["carriers"] > 5
    root = tmp_path / "backups"

    out = baomi(env, "backup", str(root), "--keys-to", str(tmp_path / "key-copy")).stdout
    assert "备份完成" in out and "数据库已加密 SM4" in out
    (first,) = backup.generations(root)
    manifest = json.loads((first / "MANIFEST.json").read_text())
    dump = "db.sqlite3.enc" if manifest["engine"] == "sqlite" else "db.pgdump.enc"
    assert dump in manifest["files"] and manifest["blobs"]["copied"] > 0
    assert manifest["encryption"]["cipher"] == "sm4"
    names = {p.name for p in root.rglob("*")}
    assert not names & {"master.key", "audit.key", "backup.key", "django-secret.key"}, "no key in a backup"
    key_copy = tmp_path / "key-copy"
    assert {p.name for p in key_copy.iterdir()} == {
        "master.key",
        "audit.key",
        "backup.key",
        "django-secret.key",
    }
    assert stat.S_IMODE(key_copy.stat().st_mode) == 0o700
    assert all(stat.S_IMODE(p.stat().st_mode) == 0o600 for p in key_copy.iterdir())

    # No title of the ledger, in clear, anywhere in the backup.
    assert not files_contain(root, [t.encode() for t in before["titles"]])

    # The second generation copies no blob again: unchanged ones are linked to the first.
    out = baomi(env, "backup", str(root), "--keep", "2").stdout
    second = backup.generations(root)[-1]
    manifest2 = json.loads((second / "MANIFEST.json").read_text())
    assert manifest2["blobs"] == {"copied": 0, "linked": manifest["blobs"]["copied"], "previous": first.name}
    blob = next(n for n in manifest2["files"] if n.startswith("blobs/"))
    assert (second / blob).stat().st_ino == (first / blob).stat().st_ino

    # Proof that the newest generation restores, without touching the live installation.
    verified = baomi(env, "restore", str(root), "--verify-only").stdout
    assert "审计链: 完好" in verified and "问题 0 个" in verified and "备份可以完整恢复" in verified
    assert state(env)["entries"] == before["entries"] + 2, "only the two BACKUP_CREATED entries were added"

    # A third run with --keep 2 prunes the first generation.
    out = baomi(env, "backup", str(root), "--keep", "2").stdout
    assert f"已删除过期的备份: {first}" in out
    assert backup.generations(root)[0].name == second.name

    # Disaster: the data is lost. The keys come back from their separate copy.
    lose_everything()
    assert "已恢复" in baomi(env, "restore", str(second)).stdout
    after = state(env)
    assert after["ledger"] == before["ledger"], "the restored ledgers differ"
    assert after["titles"] == before["titles"]
    # The backup holds the demo and the first BACKUP_CREATED entry; the restore adds its own.
    assert after["entries"] == before["entries"] + 2
    baomi(env, "audit", "verify")  # exit 0: the chain is intact
    baomi(env, "vault", "verify")  # exit 0: every blob decrypts to its digest

    # A second restore over live data needs --force.
    refused = baomi(env, "restore", str(second), ok=False)
    assert refused.returncode == 1 and "--force" in refused.stderr


def test_backup_and_restore_round_trip_on_sqlite(tmp_path):
    """SEC-6 on SQLite: the data directory is lost and comes back from an encrypted backup."""
    env = site_env(tmp_path)
    round_trip(env, tmp_path, lambda: shutil.rmtree(tmp_path / "data"))


@pytest.mark.postgres
def test_backup_and_restore_round_trip_on_postgresql(tmp_path):
    """The same procedure on a scratch PostgreSQL database: dropped, created empty, restored."""
    import psycopg

    base = os.environ.get("BAOMI_TEST_POSTGRES_URL", "postgresql:///baomi?host=/var/run/postgresql")
    params = psycopg.conninfo.conninfo_to_dict(base)
    name = f"{params.get('dbname') or 'baomi'}_backup_test"
    admin = {**params, "dbname": "postgres"}

    def recreate() -> None:
        with psycopg.connect(**admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{name}"')

    recreate()
    try:
        url = "postgresql:///" + name + ("?host=" + params["host"] if params.get("host") else "")
        env = site_env(tmp_path, BAOMI_DATABASE_URL=url)

        def lose_everything() -> None:
            recreate()
            shutil.rmtree(tmp_path / "data")

        round_trip(env, tmp_path, lose_everything)
    finally:
        with psycopg.connect(**admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.mark.django_db(transaction=True)
def test_a_damaged_backup_is_refused(tmp_path, capsys):
    """Every file is checked against the manifest before anything is restored (SEC-6)."""
    from baomi.cli import main

    assert main(["backup", str(tmp_path / "backup")]) == 0
    gen = backup.generations(tmp_path / "backup")[-1]
    name = "db.sqlite3.enc" if (gen / "db.sqlite3.enc").exists() else "db.pgdump.enc"
    with (gen / name).open("r+b") as fh:
        fh.seek(30)
        fh.write(b"\x00tampered")
    capsys.readouterr()
    assert main(["restore", str(tmp_path / "backup"), "--verify-only"]) == 1
    assert name in capsys.readouterr().err
    (gen / name).unlink()
    (gen / "extra").write_text("x")
    assert main(["restore", str(gen)]) == 1
    err = capsys.readouterr().err
    assert "extra" in err and name in err


@pytest.mark.django_db(transaction=True)
def test_an_altered_manifest_or_another_backup_key_is_refused(tmp_path, settings):
    """The manifest is MAC'd under the backup key; a backup made under another key says so."""
    from baomi.core.errors import ValidationFailed

    result = backup.create_backup(tmp_path / "backup")
    manifest = json.loads((result.path / "MANIFEST.json").read_text())
    manifest["audit_checkpoint"]["last_id"] += 1  # claims the backup holds more than it does
    (result.path / "MANIFEST.json").write_text(json.dumps(manifest))
    with pytest.raises(ValidationFailed, match="清单"):
        backup.verify_backup(result.path)
    settings.BACKUP_KEY_FILE = tmp_path / "other.key"
    backup.ensure_backup_key()
    with pytest.raises(ValidationFailed, match="备份密钥"):
        backup.verify_backup(result.path)


@pytest.mark.django_db(transaction=True)
def test_the_dump_is_encrypted(tmp_path):
    """The database dump holds the ledgers only encrypted: a title is found in the decrypted
    dump (SQLite) and nowhere in the files on disk."""
    from baomi.accounts.models import Department

    marker = "备份明文检测-部门名称-7Q9"
    Department.objects.create(name=marker)
    result = backup.create_backup(tmp_path / "backup")
    assert not files_contain(tmp_path / "backup", [marker.encode(), marker.encode("utf-16-le")])
    if result.manifest["engine"] == "sqlite":
        image = backup._sqlite_image(result.path, backup.verify_backup(result.path))
        assert marker.encode() in image, "the search would find the title in a plaintext dump"


def test_backup_refuses_bad_targets(tmp_path, db, settings):
    """The backup root holds only backups, is not inside the data or key directory, and keys
    may not be put inside it."""
    from baomi.core.errors import ValidationFailed

    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "x").write_text("x")
    with pytest.raises(ValidationFailed):
        backup.create_backup(tmp_path / "full")
    with pytest.raises(ValidationFailed, match="密钥"):
        backup.create_backup(tmp_path / "new", keys_to=tmp_path / "new" / "keys")
    with pytest.raises(ValidationFailed):
        backup.create_backup(Path(settings.DATA_DIR) / "backups")
    with pytest.raises(ValidationFailed):
        backup.create_backup(tmp_path / "new", keep=0)
    with pytest.raises(ValidationFailed):
        backup.verify_backup(tmp_path / "nowhere")
    (tmp_path / "odd").mkdir()
    (tmp_path / "odd" / "MANIFEST.json").write_text(json.dumps({"format": 99, "files": {}}))
    with pytest.raises(ValidationFailed):
        backup.verify_backup(tmp_path / "odd")
