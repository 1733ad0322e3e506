"""Backup and restore of the database and the encrypted blobs (SEC-6): ``baomi backup`` and
``baomi restore``. docs/operations.md describes the whole procedure, including the keys.

A backup is a directory::

    MANIFEST.json        format, time, database engine, sha256 and size of every file, counts,
                         and the audit checkpoint (last entry id and its MAC)
    db.sqlite3           SQLite: a consistent copy made with SQLite's online backup API
    db.pgdump            PostgreSQL: ``pg_dump --format=custom`` (needs pg_dump on the PATH)
    blobs/...            the encrypted blob files, byte for byte (they stay encrypted), from the
                         blob directory and from the object store (baomi.vault.storage)

Keys are **never** written into the backup: a backup that holds its own keys decrypts itself.
``--keys-to DIR`` copies the key files to a *separate* place (another medium, kept elsewhere);
without the master key the blobs are unreadable, without the audit key the chain cannot be
verified — back the keys up once, separately, and again after every rotation.

``restore`` checks every file against the manifest first and refuses a damaged backup; it
refuses to overwrite a database that holds data unless ``force=True``. After a restore, entries
written after the backup are gone: the manifest's audit checkpoint says where the restored chain
ends, and the restore itself is audited in the restored database.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection, connections
from django.utils import timezone
from django.utils.translation import gettext as _

from baomi.core.errors import ValidationFailed

FORMAT = 1
MANIFEST = "MANIFEST.json"


@dataclass(frozen=True)
class BackupResult:
    path: Path
    manifest: dict[str, Any]


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)  # lint: allow (a hash, not a model)
    return h.hexdigest()


def _engine() -> str:
    vendor = connection.vendor
    if vendor not in {"sqlite", "postgresql"}:  # pragma: no cover - the two supported databases
        raise ValidationFailed(_("Backups support SQLite and PostgreSQL only."))
    return vendor


def _pg_args() -> tuple[list[str], dict[str, str]]:
    db = settings.DATABASES["default"]
    args = ["--dbname", str(db["NAME"])]
    if db.get("HOST"):
        args += ["--host", str(db["HOST"])]
    if db.get("PORT"):
        args += ["--port", str(db["PORT"])]
    if db.get("USER"):
        args += ["--username", str(db["USER"])]
    env = dict(os.environ)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    return args, env


def _run_pg_tool(name: str, args: list[str], env: dict[str, str]) -> None:
    """Run ``pg_dump``/``pg_restore`` found on the PATH; a failure is a clean error, not a crash."""
    program = shutil.which(name)
    if program is None:
        raise ValidationFailed(_("{program} is not installed on this machine.").format(program=name))
    proc = subprocess.run([program, *args], env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if proc.returncode != 0:
        raise ValidationFailed(
            _("{program} failed: {error}").format(program=name, error=proc.stderr.strip()[-500:])
        )


def _audit_checkpoint() -> dict[str, Any]:
    from baomi.audit.models import AuditEntry

    last = AuditEntry.objects.order_by("-id").values("id", "mac").first()
    return {"last_id": last["id"], "last_mac": last["mac"]} if last else {"last_id": 0, "last_mac": ""}


def _counts() -> dict[str, int]:
    from baomi.accounts.models import User
    from baomi.audit.models import AuditEntry

    return {"users": User.objects.count(), "audit_entries": AuditEntry.objects.count()}


def _inside(child: Path, parent: Path) -> bool:
    child, parent = child.resolve(), parent.resolve()
    return child == parent or parent in child.parents


def create_backup(dest: Path, *, keys_to: Path | None = None) -> BackupResult:
    """Write a backup of the database and the blobs into the new directory ``dest``."""
    dest = Path(dest)
    if dest.exists() and any(dest.iterdir()):
        raise ValidationFailed(_("The backup directory must be new or empty."))
    if keys_to is not None and (_inside(keys_to, dest) or _inside(dest, keys_to)):
        raise ValidationFailed(_("Keys must be kept apart from the backup, not inside it."))
    dest.mkdir(parents=True, exist_ok=True)
    engine = _engine()
    checkpoint, counts = _audit_checkpoint(), _counts()
    if engine == "sqlite":
        target = sqlite3.connect(dest / "db.sqlite3")
        try:
            connections["default"].ensure_connection()
            source = connections["default"].connection
            assert source is not None
            source.backup(target)  # a consistent online copy, even while the server writes
        finally:
            target.close()
    else:
        args, env = _pg_args()
        _run_pg_tool(
            "pg_dump", ["--format=custom", "--no-owner", "--file", str(dest / "db.pgdump"), *args], env
        )
    from baomi.vault import storage as blob_storage

    blob_storage.export_blobs(dest / "blobs")  # the blob directory and/or the object store
    files = {
        str(p.relative_to(dest)): {"sha256": _sha256(p), "size": p.stat().st_size}
        for p in sorted(dest.rglob("*"))
        if p.is_file()
    }
    manifest = {
        "format": FORMAT,
        "created_at": timezone.now().isoformat(),
        "engine": engine,
        "cipher": settings.CIPHER,
        "audit_checkpoint": checkpoint,
        "counts": counts,
        "files": files,
    }
    (dest / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")
    if keys_to is not None:
        copy_keys(Path(keys_to))
    return BackupResult(dest, manifest)


def copy_keys(dest: Path) -> list[Path]:
    """Copy the master and audit key files, and the Django secret's file when the secret comes
    from one (it protects every TOTP enrolment), to ``dest`` (mode 0700 directory, 0600 files)."""
    dest.mkdir(parents=True, exist_ok=True, mode=0o700)
    os.chmod(dest, 0o700)
    copied = []
    secret = getattr(settings, "SECRET_KEY_FILE", None)
    for key in (
        Path(settings.MASTER_KEY_FILE),
        Path(settings.AUDIT_KEY_FILE),
        *([Path(secret)] if secret else []),
    ):
        if key.exists():
            target = dest / key.name
            shutil.copyfile(key, target)
            os.chmod(target, 0o600)
            copied.append(target)
    return copied


def verify_backup(src: Path) -> dict[str, Any]:
    """Check every file of the backup against its manifest; return the manifest."""
    src = Path(src)
    try:
        manifest = json.loads((src / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raise ValidationFailed(_("This is not a backup (no readable MANIFEST.json).")) from None
    if manifest.get("format") != FORMAT:
        raise ValidationFailed(_("Unknown backup format."))
    listed = set(manifest["files"])
    present = {str(p.relative_to(src)) for p in src.rglob("*") if p.is_file() and p.name != MANIFEST}
    bad = sorted(listed ^ present)
    for name in sorted(listed & present):
        if _sha256(src / name) != manifest["files"][name]["sha256"]:
            bad.append(name)
    if bad:
        raise ValidationFailed(
            _("The backup is damaged or incomplete: {files}").format(files=", ".join(bad[:10]))
        )
    return manifest


def _has_data() -> bool:
    from django.db.utils import DatabaseError

    from baomi.accounts.models import User

    try:
        return User.objects.exists()
    except DatabaseError:  # not migrated yet: an empty database
        return False


def restore_backup(src: Path, *, force: bool = False) -> dict[str, Any]:
    """Restore the database and the blobs from ``src`` (made by :func:`create_backup`)."""
    manifest = verify_backup(src)
    if settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        Path(settings.DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    engine = _engine()
    if manifest["engine"] != engine:
        raise ValidationFailed(
            _("This backup is of a {backup} database; the configured one is {engine}.").format(
                backup=manifest["engine"], engine=engine
            )
        )
    if _has_data() and not force:
        raise ValidationFailed(_("The database already holds data; restore with --force to replace it."))
    if engine == "sqlite":
        source = sqlite3.connect(Path(src) / "db.sqlite3")
        try:
            connections["default"].ensure_connection()
            target = connections["default"].connection
            assert target is not None
            source.backup(target)
        finally:
            source.close()
    else:
        args, env = _pg_args()
        restore_args = ["--clean", "--if-exists", "--no-owner", "--single-transaction", *args]
        _run_pg_tool("pg_restore", [*restore_args, str(Path(src) / "db.pgdump")], env)
    from baomi.vault import storage as blob_storage

    if (Path(src) / "blobs").exists():
        blob_storage.import_blobs(Path(src) / "blobs")  # back where the restored rows say
    connections["default"].close()
    return manifest
