"""Encrypted, incremental backups and their restore (SEC-6): ``baomi backup`` and ``baomi
restore``. docs/operations.md §5–6 describes the whole procedure, including the keys.

``baomi backup ROOT`` (ROOT defaults to ``BAOMI_BACKUP_DIR``) writes a new *generation*
``ROOT/<YYYYmmdd-HHMMSS>/``::

    MANIFEST.json    format 2: time, engine, the encryption (cipher, key fingerprint, salt),
                     sha256 and size of every file, counts, the audit checkpoint (last entry id
                     and MAC), which blobs were copied and which linked; MAC'd under the backup key
    db.sqlite3.enc   SQLite: a consistent online copy (SQLite's backup API), encrypted
    db.pgdump.enc    PostgreSQL: ``pg_dump --format=custom`` piped straight into the cipher
    blobs/...        the encrypted blob files, byte for byte (they are encrypted already), from
                     the blob directory and from the object store (baomi.vault.storage)

The database dump is encrypted with the vault's stream format (docs/vault.md: chunked AEAD,
SM4-GCM or AES-256-GCM after ``BAOMI_CIPHER``) under a file key derived from the **backup
key** (``BAOMI_BACKUP_KEY_FILE``, ``backup.key`` beside the other keys; created on first use)
and a random salt: titles, 密点, personnel files and audit details never reach the backup
volume in clear, and no plaintext is written to disk on the way (PostgreSQL's dump is piped;
SQLite's is copied in memory). Blob files unchanged since the previous generation (same name
and size: blob files are never rewritten) are hard-linked to it, not copied again (a copy
where the file system cannot link). After a successful backup the oldest generations beyond
``keep`` (``BAOMI_BACKUP_KEEP``, 30) are deleted; a linked blob lives as long as any
generation holds it. A generation is written under ``.tmp-<name>`` and renamed when complete.

Keys are **never** written into a backup: a backup that holds its own keys decrypts itself.
``--keys-to DIR`` (and ``baomi backup-keys``) copies the key files to a *separate* place.

``restore --verify-only`` proves that a generation restores without touching the live system:
every file against the manifest, the manifest's MAC, then the dump is decrypted into a scratch
database (a private temporary SQLite file, or a scratch PostgreSQL database created and dropped
again — the role needs ``CREATEDB``, or name one in ``BAOMI_BACKUP_VERIFY_DATABASE_URL``) and a
separate process checks there that the audit chain verifies up to the manifest's checkpoint
and that every blob of the generation decrypts to its recorded digest under the current keys.

``restore`` checks the same files first and refuses a damaged backup; it refuses to overwrite a
database that holds data unless ``force=True``. Entries written after the backup are gone:
the manifest's audit checkpoint says where the restored chain ends, and the restore itself is
audited in the restored database. Backups of format 1 (unencrypted directories, before this
format) still verify and restore.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import os
import secrets
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, BinaryIO

from django.conf import settings
from django.db import connections
from django.utils import timezone
from django.utils.translation import gettext as _

from baomi.core.errors import ValidationFailed

FORMAT = 2
LEGACY_FORMAT = 1
MANIFEST = "MANIFEST.json"
TMP_PREFIX = ".tmp-"
CHUNK_SIZE = 1024 * 1024
DUMP_NAMES = {"sqlite": "db.sqlite3.enc", "postgresql": "db.pgdump.enc"}
LEGACY_DUMP_NAMES = {"sqlite": "db.sqlite3", "postgresql": "db.pgdump"}


@dataclass(frozen=True)
class BackupResult:
    path: Path
    manifest: dict[str, Any]
    pruned: list[Path] = field(default_factory=list)


@dataclass
class VerifyReport:
    """What ``restore --verify-only`` found in a scratch restore of one generation."""

    manifest: dict[str, Any]
    chain_ok: bool = False
    entries: int = 0
    checkpoint_found: bool = False
    blobs_checked: int = 0
    blob_problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.chain_ok and self.checkpoint_found and not self.blob_problems


# -- keys ----------------------------------------------------------------------------------------


def backup_key_file() -> Path:
    return Path(getattr(settings, "BACKUP_KEY_FILE", Path(settings.KEY_DIR) / "backup.key"))


def ensure_backup_key() -> bool:
    """Create the backup key (32 random bytes, mode 0600) if missing and no backup was made yet;
    return whether created. Missing after a backup: :class:`~baomi.ops.keyfiles.KeyFileMissing`
    (restore it from the key backup — a new one would be on no key backup medium)."""
    from baomi.core.keys import ensure_key_file
    from baomi.ops import keyfiles

    path = backup_key_file()
    if not path.exists() and keyfiles.status(keyfiles.BACKUP).in_use:
        raise keyfiles.KeyFileMissing(keyfiles.missing_message(keyfiles.BACKUP))
    return ensure_key_file(path)


def _backup_key() -> bytes:
    path = backup_key_file()
    try:
        return path.read_bytes()
    except OSError:
        raise ValidationFailed(
            _("The backup key {path} cannot be read: put back the key copy made with the backup.").format(
                path=path
            )
        ) from None


def _fingerprint(key: bytes) -> str:
    return hashlib.sha256(b"baomi/backup/key-id\0" + key).hexdigest()[:16]


def _file_key(provider: Any, key: bytes, salt: bytes) -> bytes:
    return provider.derive_kek(key, b"backup/" + salt.hex().encode())


def _manifest_mac(key: bytes, manifest: dict[str, Any]) -> str:
    body = {k: v for k, v in manifest.items() if k != "mac"}
    canonical = json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()
    return hmac.new(key, b"baomi/backup/manifest\0" + canonical, "sha256").hexdigest()


# -- helpers -------------------------------------------------------------------------------------


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)  # lint: allow (a hash, not a model)
    return h.hexdigest()


def _engine() -> str:
    vendor = connections["default"].vendor
    if vendor not in {"sqlite", "postgresql"}:  # pragma: no cover - the two supported databases
        raise ValidationFailed(_("Backups support SQLite and PostgreSQL only."))
    return vendor


def _db_settings() -> dict[str, Any]:
    return connections["default"].settings_dict


def _pg_args(name: str | None = None) -> tuple[list[str], dict[str, str]]:
    db = _db_settings()
    args = ["--dbname", str(name or db["NAME"])]
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


def _pg_program(name: str) -> str:
    program = shutil.which(name)
    if program is None:
        raise ValidationFailed(_("{program} is not installed on this machine.").format(program=name))
    return program


def _pg_failed(name: str, stderr: bytes | str) -> ValidationFailed:
    text = stderr.decode(errors="replace") if isinstance(stderr, bytes) else stderr
    return ValidationFailed(_("{program} failed: {error}").format(program=name, error=text.strip()[-500:]))


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


def default_root() -> Path:
    return Path(getattr(settings, "BACKUP_DIR", Path(settings.DATA_DIR).parent / "backups"))


def generations(root: Path) -> list[Path]:
    """The complete generations under ``root``, oldest first."""
    if not root.is_dir():
        return []
    found = [
        p for p in root.iterdir() if p.is_dir() and not p.name.startswith(".") and (p / MANIFEST).is_file()
    ]
    return sorted(found, key=lambda p: p.name)


def resolve_generation(src: Path) -> Path:
    """``src`` itself when it is a generation, else the newest generation under it."""
    src = Path(src)
    if (src / MANIFEST).is_file():
        return src
    found = generations(src)
    if not found:
        raise ValidationFailed(_("This is not a backup (no readable MANIFEST.json)."))
    return found[-1]


def _load_manifest(gen: Path) -> dict[str, Any]:
    try:
        manifest = json.loads((gen / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raise ValidationFailed(_("This is not a backup (no readable MANIFEST.json).")) from None
    if not isinstance(manifest, dict) or manifest.get("format") not in {FORMAT, LEGACY_FORMAT}:
        raise ValidationFailed(_("Unknown backup format."))
    return manifest


# -- writing -------------------------------------------------------------------------------------


def _dump_sqlite(out: BinaryIO, provider: Any, key: bytes, salt: bytes) -> int:
    """Copy the live database into memory (SQLite's online backup API: a consistent snapshot
    while the server writes) and encrypt its image into ``out``: no plaintext file."""
    connections["default"].ensure_connection()
    source = connections["default"].connection
    assert source is not None
    memory = sqlite3.connect(":memory:")
    try:
        source.backup(memory)
        image = memory.serialize()
    finally:
        memory.close()
    from baomi.vault import stream

    return stream.encrypt(provider, _file_key(provider, key, salt), salt, image, out, chunk_size=CHUNK_SIZE)


def _dump_postgresql(out: BinaryIO, provider: Any, key: bytes, salt: bytes) -> int:
    """``pg_dump --format=custom`` to a pipe, encrypted as it arrives: no plaintext file."""
    from baomi.vault import stream

    args, env = _pg_args()
    with tempfile.TemporaryFile() as errors:
        proc = subprocess.Popen(  # noqa: S603 - fixed program and arguments
            [_pg_program("pg_dump"), "--format=custom", "--no-owner", *args],
            stdout=subprocess.PIPE, stderr=errors, env=env,
        )  # fmt: skip
        assert proc.stdout is not None
        try:
            size = stream.encrypt(
                provider, _file_key(provider, key, salt), salt, proc.stdout, out, chunk_size=CHUNK_SIZE
            )
        finally:
            proc.stdout.close()
            code = proc.wait()
        if code != 0:
            errors.seek(0)
            raise _pg_failed("pg_dump", errors.read())
    return size


def _copy_blobs(
    stage: Path, previous: Path | None, previous_files: dict[str, Any]
) -> tuple[dict[str, Any], int, int]:
    """Copy the blob directory into ``stage/blobs``; files unchanged since ``previous`` are
    hard-linked to it. Returns (manifest entries, copied, linked)."""
    from baomi.vault.storage import TEMP_PREFIX as BLOB_TEMP

    files: dict[str, Any] = {}
    copied = linked = 0
    blob_dir = Path(settings.BLOB_DIR)
    if not blob_dir.exists():
        return _copy_objects(stage, previous, previous_files, files, 0, 0)
    for path in sorted(blob_dir.rglob("*")):
        if not path.is_file() or path.name.startswith(BLOB_TEMP):
            continue
        rel = "blobs/" + path.relative_to(blob_dir).as_posix()
        target = stage / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        size = path.stat().st_size
        known = previous_files.get(rel)
        if (
            previous is not None
            and known is not None
            and known["size"] == size
            and (previous / rel).is_file()
        ):
            try:
                os.link(previous / rel, target)
                files[rel] = {"sha256": known["sha256"], "size": size}
                linked += 1
                continue
            except OSError:  # another file system, or links not allowed: copy instead
                pass
        shutil.copyfile(path, target)
        files[rel] = {"sha256": _sha256(target), "size": size}
        copied += 1
    return _copy_objects(stage, previous, previous_files, files, copied, linked)


def _copy_objects(
    stage: Path,
    previous: Path | None,
    previous_files: dict[str, Any],
    files: dict[str, Any],
    copied: int,
    linked: int,
) -> tuple[dict[str, Any], int, int]:
    """Add the blobs kept in an object store (SEC-6, docs/vault.md): an object already in
    ``previous`` is linked to it (objects are never rewritten), the others are downloaded."""
    from baomi.vault import storage as blob_storage

    for kind in blob_storage.kinds_in_use():
        if kind == blob_storage.LOCAL:
            continue
        store = blob_storage.get(kind)
        fresh = []
        for obj in store.iter_objects():
            if obj.temporary or not blob_storage.NAME_RE.match(obj.name):
                continue
            rel = f"blobs/{obj.name[:2]}/{obj.name}"
            known = previous_files.get(rel)
            if previous is not None and known is not None and (previous / rel).is_file():
                target = stage / rel
                target.parent.mkdir(parents=True, exist_ok=True)
                try:
                    os.link(previous / rel, target)
                    files[rel] = known
                    linked += 1
                    continue
                except OSError:
                    pass
            fresh.append(obj.name)
        for name in store.export_to(stage / "blobs", names=fresh):
            target = stage / "blobs" / name[:2] / name
            files[f"blobs/{name[:2]}/{name}"] = {"sha256": _sha256(target), "size": target.stat().st_size}
            copied += 1
    return files, copied, linked


def _new_generation_name(root: Path) -> str:
    base = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    name, n = base, 1
    while (root / name).exists():
        n += 1
        name = f"{base}-{n}"
    return name


def create_backup(
    root: Path | None = None, *, keep: int | None = None, keys_to: Path | None = None
) -> BackupResult:
    """Write a new encrypted generation under ``root`` and prune beyond ``keep`` generations."""
    from baomi.vault.crypto import default_provider

    root = Path(root) if root is not None else default_root()
    keep = int(keep if keep is not None else getattr(settings, "BACKUP_KEEP", 30))
    if keep < 1:
        raise ValidationFailed(_("At least one backup generation must be kept."))
    if root.exists() and not root.is_dir():
        raise ValidationFailed(_("The backup directory must be new, empty, or hold only baomi backups."))
    if root.exists():
        strangers = [
            p.name
            for p in root.iterdir()
            if not p.name.startswith(TMP_PREFIX) and not (p / MANIFEST).is_file()
        ]
        if strangers:
            raise ValidationFailed(_("The backup directory must be new, empty, or hold only baomi backups."))
    if keys_to is not None and (_inside(keys_to, root) or _inside(root, keys_to)):
        raise ValidationFailed(_("Keys must be kept apart from the backup, not inside it."))
    if _inside(root, Path(settings.DATA_DIR)) or _inside(root, Path(settings.KEY_DIR)):
        raise ValidationFailed(_("Backups must be kept outside the data and key directories."))
    root.mkdir(parents=True, exist_ok=True, mode=0o700)
    for leftover in root.glob(TMP_PREFIX + "*"):  # an interrupted earlier run
        shutil.rmtree(leftover, ignore_errors=True)

    ensure_backup_key()
    key = _backup_key()
    provider = default_provider()
    engine = _engine()
    existing = generations(root)
    previous = existing[-1] if existing else None
    previous_files = _load_manifest(previous).get("files", {}) if previous is not None else {}

    name = _new_generation_name(root)
    stage = root / (TMP_PREFIX + name)
    stage.mkdir(mode=0o700)
    try:
        checkpoint, counts = _audit_checkpoint(), _counts()
        salt = secrets.token_bytes(16)
        dump = DUMP_NAMES[engine]
        with (stage / dump).open("wb") as out:
            plain_size = (_dump_sqlite if engine == "sqlite" else _dump_postgresql)(out, provider, key, salt)
            out.flush()
            os.fsync(out.fileno())
        files = {dump: {"sha256": _sha256(stage / dump), "size": (stage / dump).stat().st_size}}
        blob_files, copied, linked = _copy_blobs(stage, previous, previous_files)
        files.update(blob_files)
        manifest: dict[str, Any] = {
            "format": FORMAT,
            "name": name,
            "created_at": timezone.now().isoformat(),
            "engine": engine,
            "cipher": settings.CIPHER,
            "encryption": {
                "cipher": provider.name,
                "key": backup_key_file().name,
                "key_fingerprint": _fingerprint(key),
                "salt": salt.hex(),
                "chunk_size": CHUNK_SIZE,
                "dump": dump,
                "dump_plaintext_size": plain_size,
            },
            "audit_checkpoint": checkpoint,
            "counts": counts,
            "blobs": {"copied": copied, "linked": linked, "previous": previous.name if previous else None},
            "files": files,
        }
        manifest["mac"] = _manifest_mac(key, manifest)
        (stage / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")
        os.rename(stage, root / name)
    except BaseException:
        shutil.rmtree(stage, ignore_errors=True)
        raise
    pruned = prune(root, keep)
    if keys_to is not None:
        copy_keys(Path(keys_to))
    return BackupResult(root / name, manifest, pruned)


def prune(root: Path, keep: int) -> list[Path]:
    """Delete the oldest generations beyond the newest ``keep``; return what was deleted."""
    found = generations(root)
    old = found[: max(len(found) - keep, 0)]
    for gen in old:
        shutil.rmtree(gen)
    return old


def copy_keys(dest: Path) -> list[Path]:
    """Copy the master, audit and backup key files, and the Django secret's file when the secret
    comes from one (it protects every TOTP enrolment), to ``dest`` (mode 0700 directory, 0600 files)."""
    dest.mkdir(parents=True, exist_ok=True, mode=0o700)
    os.chmod(dest, 0o700)
    copied = []
    secret = getattr(settings, "SECRET_KEY_FILE", None)
    for key in (
        Path(settings.MASTER_KEY_FILE),
        Path(settings.AUDIT_KEY_FILE),
        backup_key_file(),
        *([Path(secret)] if secret else []),
    ):
        if key.exists():
            target = dest / key.name
            shutil.copyfile(key, target)
            os.chmod(target, 0o600)
            copied.append(target)
    return copied


# -- reading -------------------------------------------------------------------------------------


def verify_backup(src: Path) -> dict[str, Any]:
    """Check every file of a generation against its manifest (and the manifest's MAC); return
    the manifest. ``src`` is a generation or a backup root (its newest generation)."""
    gen = resolve_generation(Path(src))
    manifest = _load_manifest(gen)
    if manifest["format"] == FORMAT:
        key = _backup_key()
        if manifest["encryption"]["key_fingerprint"] != _fingerprint(key):
            raise ValidationFailed(
                _("This backup was made under another backup key; put back the key copy made with it.")
            )
        if not hmac.compare_digest(str(manifest.get("mac", "")), _manifest_mac(key, manifest)):
            raise ValidationFailed(_("The backup's manifest was altered."))
    listed = set(manifest["files"])
    present = {p.relative_to(gen).as_posix() for p in gen.rglob("*") if p.is_file() and p.name != MANIFEST}
    bad = sorted(listed ^ present)
    for name in sorted(listed & present):
        if _sha256(gen / name) != manifest["files"][name]["sha256"]:
            bad.append(name)
    if bad:
        raise ValidationFailed(
            _("The backup is damaged or incomplete: {files}").format(files=", ".join(bad[:10]))
        )
    manifest["path"] = str(gen)
    return manifest


def _plain_dump(gen: Path, manifest: dict[str, Any]) -> Iterator[bytes]:
    """The decrypted database dump of a verified generation, chunk by chunk."""
    if manifest["format"] == LEGACY_FORMAT:
        with (gen / LEGACY_DUMP_NAMES[manifest["engine"]]).open("rb") as fh:
            yield from iter(lambda: fh.read(CHUNK_SIZE), b"")
        return
    from baomi.vault import stream
    from baomi.vault.crypto import get_provider
    from baomi.vault.errors import VaultIntegrityError

    enc = manifest["encryption"]
    provider = get_provider(enc["cipher"])
    salt = bytes.fromhex(enc["salt"])
    path = gen / enc["dump"]
    with path.open("rb") as fh:
        try:
            yield from stream.decrypt(
                provider, _file_key(provider, _backup_key(), salt), salt, fh,
                file_size=path.stat().st_size, chunk_size=enc["chunk_size"],
                expected_size=enc["dump_plaintext_size"],
            )  # fmt: skip
        except VaultIntegrityError as exc:
            raise ValidationFailed(
                _("The database dump does not decrypt: {error}").format(error=exc)
            ) from None


def _sqlite_image(gen: Path, manifest: dict[str, Any]) -> bytes:
    return b"".join(_plain_dump(gen, manifest))


def _restore_sqlite_image(image: bytes, target: sqlite3.Connection) -> None:
    # Header bytes 18-19 say "WAL" for the server's database; an in-memory image cannot be in
    # WAL mode, so it is read as a rollback-journal database (the pages are the same).
    if image[18:20] == b"\x02\x02":
        image = image[:18] + b"\x01\x01" + image[20:]
    memory = sqlite3.connect(":memory:")
    try:
        memory.deserialize(image)
        memory.backup(target)
    finally:
        memory.close()


def _pg_restore(gen: Path, manifest: dict[str, Any], dbname: str | None = None) -> None:
    """Stream the decrypted dump into ``pg_restore`` (replacing what the database holds)."""
    args, env = _pg_args(dbname)
    restore_args = ["--clean", "--if-exists", "--no-owner", "--single-transaction", *args]
    with tempfile.TemporaryFile() as errors:
        proc = subprocess.Popen(  # noqa: S603 - fixed program and arguments
            [_pg_program("pg_restore"), *restore_args], stdin=subprocess.PIPE, stderr=errors, env=env
        )
        assert proc.stdin is not None
        try:
            for chunk in _plain_dump(gen, manifest):
                proc.stdin.write(chunk)
        except BrokenPipeError:
            pass
        finally:
            with contextlib.suppress(BrokenPipeError):
                proc.stdin.close()
            code = proc.wait()
        if code != 0:
            errors.seek(0)
            raise _pg_failed("pg_restore", errors.read())


def _has_data() -> bool:
    from django.db.utils import DatabaseError

    from baomi.accounts.models import User

    try:
        return User.objects.exists()
    except DatabaseError:  # not migrated yet: an empty database
        return False


def restore_backup(src: Path, *, force: bool = False) -> dict[str, Any]:
    """Restore the database and the blobs from a generation (or a root's newest one)."""
    manifest = verify_backup(src)
    gen = Path(manifest["path"])
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
        image = _sqlite_image(gen, manifest)
        connections["default"].ensure_connection()
        target = connections["default"].connection
        assert target is not None
        _restore_sqlite_image(image, target)
    else:
        _pg_restore(gen, manifest)
    from baomi.vault import storage as blob_storage

    # Back where the restored rows say: the blob directory is replaced, an object store gets the
    # backup's objects and loses those the backup does not hold (baomi.vault.storage).
    blob_storage.import_blobs(gen / "blobs")
    connections["default"].close()
    return manifest


# -- proving a restore ---------------------------------------------------------------------------


@contextlib.contextmanager
def _scratch_database(gen: Path, manifest: dict[str, Any], workdir: Path) -> Iterator[str]:
    """A scratch database holding the generation's data; yields its ``BAOMI_DATABASE_URL``."""
    if manifest["engine"] == "sqlite":
        path = workdir / "restored.sqlite3"
        target = sqlite3.connect(path)
        try:
            _restore_sqlite_image(_sqlite_image(gen, manifest), target)
        finally:
            target.close()
        yield f"sqlite:///{path}"
        return
    import psycopg
    from psycopg import sql

    db = _db_settings()
    given = os.environ.get("BAOMI_BACKUP_VERIFY_DATABASE_URL", "")
    if given:
        import dj_database_url

        _pg_restore(gen, manifest, str(dj_database_url.parse(given)["NAME"]))
        yield given
        return
    name = f"{db['NAME']}_verify_{secrets.token_hex(4)}"
    params = {k: v for k, v in {"host": db.get("HOST"), "port": db.get("PORT"), "user": db.get("USER"),
                                "password": db.get("PASSWORD")}.items() if v}  # fmt: skip
    with psycopg.connect(dbname="postgres", autocommit=True, **params) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        _pg_restore(gen, manifest, name)
        url = f"postgresql:///{name}"
        if db.get("HOST"):
            url += f"?host={db['HOST']}" + (f"&port={db['PORT']}" if db.get("PORT") else "")
        if db.get("USER"):
            url = url.replace("postgresql:///", f"postgresql://{db['USER']}@/", 1)
        yield url
    finally:
        with psycopg.connect(dbname="postgres", autocommit=True, **params) as conn:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def verify_restore(src: Path) -> VerifyReport:
    """``restore --verify-only``: restore a generation into a scratch database and prove there
    that the audit chain verifies and every blob decrypts. The live system is not touched."""
    manifest = verify_backup(src)
    gen = Path(manifest["path"])
    with tempfile.TemporaryDirectory(prefix="baomi-verify-") as tmp:
        workdir = Path(tmp)
        os.chmod(workdir, 0o700)
        with _scratch_database(gen, manifest, workdir) as url:
            env = {k: v for k, v in os.environ.items() if not k.startswith(("BAOMI_TEST_", "DJANGO_"))}
            env.update(
                BAOMI_DATABASE_URL=url,
                BAOMI_DATA_DIR=str(workdir / "data"),
                BAOMI_BLOB_DIR=str(gen / "blobs"),
                BAOMI_BLOB_STORE="local",
                BAOMI_KEY_DIR=str(settings.KEY_DIR),
                BAOMI_MASTER_KEY_FILE=str(settings.MASTER_KEY_FILE),
                BAOMI_AUDIT_KEY_FILE=str(settings.AUDIT_KEY_FILE),
                BAOMI_CIPHER=str(settings.CIPHER),
                BAOMI_SECRET_KEY=secrets.token_urlsafe(50),
                BAOMI_LOG_LEVEL="ERROR",
                DJANGO_SETTINGS_MODULE="baomi.settings",
            )
            env.pop("BAOMI_TEST_DB", None)
            db = _db_settings()
            if db.get("PASSWORD"):
                env["PGPASSWORD"] = str(db["PASSWORD"])
            checkpoint = json.dumps(manifest["audit_checkpoint"])
            proc = subprocess.run(  # noqa: S603 - this interpreter, this module
                [sys.executable, "-m", "baomi.ops.backup", "check-restored", checkpoint],
                env=env, capture_output=True, text=True, check=False, cwd=workdir,
            )  # fmt: skip
    try:
        found = json.loads(proc.stdout.strip().splitlines()[-1])
    except (ValueError, IndexError):
        raise ValidationFailed(
            _("The restored copy could not be checked: {error}").format(error=proc.stderr.strip()[-500:])
        ) from None
    return VerifyReport(
        manifest=manifest,
        chain_ok=found["chain_ok"],
        entries=found["entries"],
        checkpoint_found=found["checkpoint_found"],
        blobs_checked=found["blobs_checked"],
        blob_problems=found["blob_problems"],
        notes=found["notes"],
    )


def _check_restored(checkpoint: dict[str, Any]) -> dict[str, Any]:
    """Run in the scratch restore's own process (``python -m baomi.ops.backup``)."""
    from baomi.audit import chain
    from baomi.audit.context import audit_context
    from baomi.audit.models import AuditEntry
    from baomi.vault.cli import operator
    from baomi.vault.models import Blob
    from baomi.vault.services import verify_vault

    # This is the scratch copy: every blob is read from the backup's own files (BLOB_DIR), not
    # from the store the live rows name (the live bucket is not touched).
    scratch = Blob.objects.exclude(location="local")
    scratch.update(location="local")  # lint: allow (the scratch copy, never the live database)
    with audit_context("cli"):
        result = chain.verify()
        last = AuditEntry.objects.filter(pk=checkpoint["last_id"]).values_list("mac", flat=True).first()
        found = checkpoint["last_id"] == 0 or (
            last is not None and hmac.compare_digest(last, checkpoint["last_mac"])
        )
        vault = verify_vault(operator())
    fatal = {"damaged", "missing"}
    return {
        "chain_ok": result.first is None,
        "entries": AuditEntry.objects.count(),
        "checkpoint_found": bool(found),
        "blobs_checked": vault.checked,
        "blob_problems": [
            f"{p.kind}: {p.name} {p.reason}".strip() for p in vault.problems if p.kind in fatal
        ],
        "notes": [f"{p.kind}: {p.name}" for p in vault.problems if p.kind not in fatal],
    }


def _main(argv: list[str]) -> int:  # pragma: no cover - run as a subprocess by verify_restore
    import django

    django.setup()
    if argv[:1] != ["check-restored"] or len(argv) != 2:
        sys.stderr.write("usage: python -m baomi.ops.backup check-restored CHECKPOINT_JSON\n")
        return 2
    sys.stdout.write(json.dumps(_check_restored(json.loads(argv[1]))) + "\n")
    return 0


def generation_time(gen: Path) -> datetime | None:
    """When a generation was made (its manifest), or None if unreadable."""
    try:
        return datetime.fromisoformat(_load_manifest(gen)["created_at"])
    except (ValidationFailed, KeyError, ValueError):
        return None


if __name__ == "__main__":  # pragma: no cover
    sys.exit(_main(sys.argv[1:]))
