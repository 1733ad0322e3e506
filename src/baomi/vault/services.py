"""Vault services: store, read, shred encrypted content; manage master keys; verify (SEC-4, CAR-2).

The vault does not decide access: its callers (the carriers app) check the policy first and
then call :func:`store`, :func:`open_stream` or :func:`shred` with the acting user and the
object the content belongs to (``target``), which the vault's audit entries name. Key
management (:func:`rotate_master_key`, :func:`rewrap_data_keys`, :func:`retire_master_key`)
and :func:`verify_vault` are run by operators through ``baomi keys …`` / ``baomi vault …``.

Key hierarchy: master key (key ring, outside the database) → per-blob data key (random,
wrapped with the blob's own cipher under a key derived from the master key, stored in
``Blob.wrapped_key``) → content (streaming AEAD, :mod:`baomi.vault.stream`). docs/vault.md
describes the format byte by byte.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from baomi.audit.events import AuditEvent
from baomi.audit.models import Outcome
from baomi.audit.record import record
from baomi.kit.service import internal, service
from baomi.vault import storage
from baomi.vault import stream as fmt
from baomi.vault.crypto import CipherProvider, DecryptionFailed, default_provider, get_provider
from baomi.vault.errors import (
    BlobShredded,
    KeyInUse,
    KeyUnavailable,
    StoreMisconfigured,
    StoreUnavailable,
    VaultIntegrityError,
)
from baomi.vault.keyring import ACTIVE, MasterKey, MasterKeyStore, keystore
from baomi.vault.models import Blob

DATA_KEY_AAD = b"baomi/vault/data-key/v1\x00"
# Leftover temporary files and orphans younger than this may belong to a store in progress.
ORPHAN_GRACE_SECONDS = 3600

MSG_MISSING = _("The encrypted file of this content is missing.")
MSG_DATA_KEY = _("The data key of this content failed its integrity check.")
MSG_UNKNOWN_CIPHER = _("This content was stored with a cipher that is not available.")
MSG_DIGEST = _("The decrypted content does not match its recorded digest.")


@internal
def chunk_size() -> int:
    """Chunk size for new blobs: ``settings.VAULT_CHUNK_SIZE`` or 1 MiB (a pure helper)."""
    return int(getattr(settings, "VAULT_CHUNK_SIZE", fmt.DEFAULT_CHUNK_SIZE))


def _key_aad(blob_id: uuid.UUID, cipher: str) -> bytes:
    """Associated data of a wrapped data key: binds it to its blob and cipher."""
    return DATA_KEY_AAD + blob_id.bytes + cipher.encode()


def _ring(*, create: bool = False) -> MasterKeyStore:
    """The master key store. It is created on first use only while no blob exists, so a missing
    key file in a working installation (an unmounted key volume) is an error, never a new key."""
    ring = keystore()
    if not ring.exists():
        if not create or Blob.objects.exists():
            raise KeyUnavailable()
        ring.create()
    return ring


def _provider(blob: Blob) -> CipherProvider:
    try:
        return get_provider(blob.cipher)
    except LookupError:
        raise fmt.integrity_error(MSG_UNKNOWN_CIPHER, f"unknown cipher {blob.cipher!r}") from None


def _data_key(ring: MasterKeyStore, provider: CipherProvider, blob: Blob) -> bytes:
    if blob.shredded_at is not None or blob.wrapped_key is None:
        raise BlobShredded()
    try:
        return ring.unwrap(provider, blob.key_id, bytes(blob.wrapped_key), _key_aad(blob.id, blob.cipher))
    except DecryptionFailed:
        raise fmt.integrity_error(MSG_DATA_KEY, "wrapped data key failed authentication") from None


# --- content --------------------------------------------------------------------------------


@internal
def store(actor: Any, stream: Any, *, content_type: str = "", target: Any = None) -> Blob:
    """Encrypt content into a new blob and return its row (SEC-4, CAR-2).

    ``stream`` is bytes, a binary file-like object (an upload, an open file) or an
    iterable of bytes; it is read once, in chunks, so memory stays constant. The content is
    encrypted with ``settings.CIPHER`` (SM4-GCM by default) under a fresh random data key,
    written to an opaque random file name atomically (temporary file, fsync, rename), and its
    digest computed on the way (SM3 of the plaintext for SM4; for AES, SHA-256 of the records'
    authenticated tags, ``tag-sha256`` — see ``crypto.TagDigest``; ``digest_algorithm``
    records which). ``target`` is the object the content belongs to (e.g. the carrier), named
    in the audit entry; the blob itself is named when it is None.

    Not a ``@service``: it runs inside the caller's service (the carriers app) and encrypts
    before opening its own short transaction.
    *Requires*: nothing — the caller has authorised the action (the vault decides no access).
    *Audits*: BLOB_STORED (blob id, size, cipher, master key id; never content).
    *Raises*: :class:`KeyUnavailable` when the master key ring is missing; ``OSError`` when
    the disk fails, :class:`StoreUnavailable` / :class:`StoreMisconfigured` when the object store
    fails or refuses (no row is written then, and the store keeps nothing visible).

    The file is written before the database row, outside any transaction this function opens;
    a caller that holds a transaction holds it (and on SQLite the write lock) while the content
    is encrypted — call ``store`` before the service that links the blob when content is large.
    If the caller's transaction later rolls back, the file stays as an orphan without a key;
    ``baomi vault verify`` lists it and ``--remove-orphans`` removes it.
    """
    provider = default_provider()
    ring = _ring(create=True)
    backend = storage.get()
    blob_id = uuid.uuid4()
    name = storage.new_storage_name()
    data_key = provider.new_key()
    digest = provider.content_digest()
    size_chunk = chunk_size()
    with backend.writer(name) as fh:
        size = fmt.encrypt(
            provider, data_key, blob_id.bytes, stream, fh, chunk_size=size_chunk, digest=digest
        )
    try:
        # Wrapped last, so a rotation that ran during a long upload is not missed.
        key_id, wrapped = ring.wrap(provider, data_key, _key_aad(blob_id, provider.name))
        with transaction.atomic():
            blob = Blob(
                id=blob_id,
                storage_name=name,
                cipher=provider.name,
                key_id=key_id,
                wrapped_key=wrapped,
                chunk_size=size_chunk,
                size=size,
                digest=digest.hexdigest(),
                digest_algorithm=digest.name,
                content_type=(content_type or "")[:100],
                location=backend.kind,
            )
            blob.save(force_insert=True)
            record(
                actor,
                AuditEvent.BLOB_STORED,
                target if target is not None else blob,
                details={"blob": str(blob.id), "size": size, "cipher": provider.name, "key_id": key_id},
            )
    except BaseException:
        storage.erase_quietly(backend.kind, name)
        raise
    return blob


@internal
def open_stream(actor: Any, blob: Blob, *, target: Any = None) -> fmt.PlaintextReader:
    """Open a blob's plaintext for reading; the caller has already authorised the read (CAR-2).

    Returns a :class:`~baomi.vault.fmt.PlaintextReader`: iterate it for authenticated
    plaintext chunks (at most ``chunk_size`` bytes each), or ``read(n)`` it like a binary file;
    close it (or use ``with``) when done. It suits ``FileResponse``/``StreamingHttpResponse``.
    Memory stays at about two chunks whatever the blob's size.

    Not a ``@service``: a read, called inside the caller's service after its policy check.
    *Requires*: nothing — the carriers app checks ``read_content``/``download`` first.
    *Audits*: BLOB_READ with ``target`` (the carrier; the blob when None) and the blob id,
    written when the stream is opened, in its own transaction (or the caller's).
    *Raises* before returning: :class:`BlobShredded` (data key destroyed),
    :class:`KeyUnavailable` (master key missing), :class:`VaultIntegrityError` (file missing,
    wrong header, wrong length, data key fails authentication), :class:`StoreUnavailable`. While reading:
    :class:`VaultIntegrityError` when a chunk fails authentication — a chunk is released only
    after its tag verified, but the content as a whole must then be treated as damaged.
    """
    blob = Blob.objects.get(pk=blob.pk)  # fresh: another request may have shredded it
    provider = _provider(blob)
    data_key = _data_key(_ring(), provider, blob)
    try:
        fh, file_size = storage.get(blob.location).open(blob.storage_name)
    except FileNotFoundError:
        raise fmt.integrity_error(MSG_MISSING, "file missing") from None
    try:
        chunks = fmt.decrypt(
            provider,
            data_key,
            blob.id.bytes,
            fh,
            file_size=file_size,
            chunk_size=blob.chunk_size,
            expected_size=blob.size,
        )
        with transaction.atomic():
            record(
                actor,
                AuditEvent.BLOB_READ,
                target if target is not None else blob,
                details={"blob": str(blob.id), "size": blob.size},
            )
    except BaseException:
        fh.close()
        raise
    return fmt.PlaintextReader(chunks, fh, size=blob.size)


@service
def shred(actor: Any, blob: Blob, *, target: Any = None) -> Blob:
    """Destroy a blob's content by destroying its data key (crypto-shredding, CAR-11).

    The wrapped data key is erased from the row and ``shredded_at`` set; the row stays as the
    record. The file is unlinked once the transaction commits (if the caller's transaction
    rolls back, key and file both stay); in an object store the object is deleted. If the store
    is down then, the object stays behind, unreadable, and ``baomi vault verify`` lists it as a
    leftover (``--remove-orphans`` deletes it). Without the data key the content cannot be decrypted
    from any copy of the file; copies of the *wrapped* key in database backups become useless
    once the master key that wrapped it is rotated and retired (docs/vault.md "Shredding").
    A blob already shredded is returned unchanged (idempotent, no second audit entry).

    *Requires*: nothing — the carriers app authorises destruction first.
    *Audits*: BLOB_SHREDDED (blob id, master key id) with ``target`` (the blob when None).
    """
    blob = Blob.objects.select_for_update().get(pk=blob.pk)
    if blob.shredded_at is not None:
        return blob
    key_id = blob.key_id
    blob.wrapped_key = None
    blob.shredded_at = timezone.now()
    blob.save(update_fields=["wrapped_key", "shredded_at"])
    record(
        actor,
        AuditEvent.BLOB_SHREDDED,
        target if target is not None else blob,
        details={"blob": str(blob.id), "key_id": key_id, "store": blob.location},
    )
    name, location = blob.storage_name, blob.location
    transaction.on_commit(lambda: storage.erase_quietly(location, name))
    return blob


# --- master keys ----------------------------------------------------------------------------


@internal
def ensure_master_key() -> bool:
    """Create the master key ring with one active key if it does not exist (``baomi keys init``).

    Idempotent: an existing ring is never touched. Returns whether a ring was created.
    *Policy*: none — run by the operator who can write the key directory (``baomi keys init``).
    """
    ring = keystore()
    if ring.exists():
        return False
    return ring.create()


@dataclass
class KeyUsage:
    key: MasterKey
    blobs: int


@internal
def key_usage() -> list[KeyUsage]:
    """Every master key with the number of live data keys wrapped under it (``baomi keys list``).

    *Policy*: none — key commands are run by the operator who can read the key file.
    """
    counts: dict[str, int] = {}
    for key_id in Blob.objects.filter(wrapped_key__isnull=False).values_list("key_id", flat=True).iterator():
        counts[key_id] = counts.get(key_id, 0) + 1
    return [KeyUsage(k, counts.get(k.id, 0)) for k in _ring().list_keys()]


@dataclass
class RewrapResult:
    key_id: str
    rewrapped: int = 0
    failed: list[str] = field(default_factory=list)


@internal
def rewrap_data_keys(actor: Any, *, batch: int = 200, audit: bool = True) -> RewrapResult:
    """Rewrap every live data key not under the active master key (the second half of rotation).

    Works in batches of ``batch`` rows, each in its own transaction with the rows locked, so
    the application keeps running (content reads use whichever key a row names at that
    moment, and both keys are in the ring). Idempotent: run it again after an interruption.
    Blobs whose data key cannot be unwrapped are listed in ``failed`` and left unchanged.
    Not a ``@service``: it opens one transaction per batch. *Policy*: none — run by the operator
    who can read the key file (``baomi keys rewrap``).

    *Audits*: KEYS_ROTATED with ``"rewrap_only": true`` (``audit=False`` is for
    :func:`rotate_master_key`, which writes its own entry).
    """
    ring = _ring()
    active = ring.active_key_id()
    result = RewrapResult(active)
    last_pk: uuid.UUID | None = None
    while True:
        with transaction.atomic():
            qs = Blob.objects.filter(wrapped_key__isnull=False).exclude(key_id=active).order_by("pk")
            if last_pk is not None:
                qs = qs.filter(pk__gt=last_pk)
            rows = list(qs.select_for_update()[:batch])
            for blob in rows:
                last_pk = blob.pk
                try:
                    provider = get_provider(blob.cipher)
                    aad = _key_aad(blob.id, blob.cipher)
                    data_key = ring.unwrap(provider, blob.key_id, bytes(blob.wrapped_key or b""), aad)
                    blob.key_id, blob.wrapped_key = ring.wrap(provider, data_key, aad)
                except (LookupError, DecryptionFailed, KeyUnavailable):
                    result.failed.append(str(blob.pk))
                    continue
                blob.save(update_fields=["key_id", "wrapped_key"])
                result.rewrapped += 1
        if len(rows) < batch:
            break
    if audit:
        _audit_keys(
            actor,
            AuditEvent.KEYS_ROTATED,
            active,
            {"rewrap_only": True, "rewrapped": result.rewrapped, "failed": len(result.failed)},
            outcome=Outcome.FAILED if result.failed else Outcome.OK,
        )
    return result


def _audit_keys(
    actor: Any, event: AuditEvent, key_id: str, details: dict[str, Any], outcome: str = "ok"
) -> None:
    with transaction.atomic():
        record(actor, event, ("vault.masterkey", key_id, key_id), outcome=outcome, details=details)


@internal
def rotate_master_key(actor: Any) -> RewrapResult:
    """Rotate the master key without downtime (SEC-4): add a new active key, rewrap every data key.

    The new key is written to the ring first (the old one stays, as ``previous``), so content
    stored before, during and after the rotation reads throughout. Content itself is never
    re-encrypted: only the small wrapped data keys change. Retire the old key afterwards with
    :func:`retire_master_key`. Not a ``@service`` (batched transactions); *Policy*: none — run by
    the operator who can write the key file (``baomi keys rotate``).

    *Audits*: KEYS_ROTATED (new key id, previous key id, number rewrapped, failures).
    """
    ring = _ring(create=True)
    previous = ring.active_key_id()
    new_id = ring.add_key()
    result = rewrap_data_keys(actor, audit=False)
    _audit_keys(
        actor,
        AuditEvent.KEYS_ROTATED,
        new_id,
        {"previous": previous, "rewrapped": result.rewrapped, "failed": len(result.failed)},
        outcome=Outcome.FAILED if result.failed else Outcome.OK,
    )
    return result


@internal
def retire_master_key(actor: Any, key_id: str) -> None:
    """Erase a previous master key from the ring, only when no live data key is wrapped under it.

    *Audits*: KEY_RETIRED. *Policy*: none — run by the operator who can write the key file.
    *Raises*: :class:`KeyInUse` while any unshredded blob names the key, or for the active key;
    :class:`KeyUnavailable` for an unknown or already retired key.
    """
    ring = _ring()
    keys = {k.id: k for k in ring.list_keys()}
    key = keys.get(key_id)
    if key is None or key.material is None:
        raise KeyUnavailable(_("There is no master key {key_id} to retire.").format(key_id=key_id))
    if key.state == ACTIVE:
        raise KeyInUse(_("The active master key cannot be retired; rotate first."))
    in_use = Blob.objects.filter(key_id=key_id, wrapped_key__isnull=False).count()
    if in_use:
        raise KeyInUse(
            _(
                "Master key {key_id} still wraps the data keys of {count} blobs; run `baomi keys rewrap` first."
            ).format(key_id=key_id, count=in_use)
        )
    ring.retire(key_id)
    _audit_keys(actor, AuditEvent.KEY_RETIRED, key_id, {"key_id": key_id})


# --- verification ---------------------------------------------------------------------------


@dataclass
class Problem:
    kind: str  # damaged | missing | orphan | leftover | stale_temp | unavailable
    name: str  # blob id, the object's storage name for objects without a row, or the store
    reason: str = ""  # translated reason (damaged, unavailable) or the object's place in its store


@dataclass
class VerifyReport:
    checked: int = 0
    shredded: int = 0
    problems: list[Problem] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


MISSING = "missing"


def _grace_seconds() -> float:
    """Temporaries and orphans younger than this may belong to a store in progress
    (``settings.VAULT_ORPHAN_GRACE_SECONDS``, default an hour)."""
    return float(getattr(settings, "VAULT_ORPHAN_GRACE_SECONDS", ORPHAN_GRACE_SECONDS))


def _store_error_text(exc: Exception) -> str:
    reason = getattr(exc, "reason", "")
    return f"{exc} ({reason})" if reason else str(exc)


@internal
def check_blob(ring: MasterKeyStore, blob: Blob) -> str | None:
    """Decrypt ``blob`` completely (every record authenticated) and compare size and digest —
    of the plaintext, or of the records' tags, as the blob recorded.

    A helper of :func:`verify_vault`. Returns None when good, :data:`MISSING` when the object is
    absent, otherwise a translated reason. Raises :class:`VaultIntegrityError`,
    :class:`KeyUnavailable`, :class:`BlobShredded`, :class:`StoreUnavailable`.
    """
    provider = _provider(blob)
    data_key = _data_key(ring, provider, blob)
    try:
        fh, file_size = storage.get(blob.location).open(blob.storage_name)
    except FileNotFoundError:
        return MISSING
    with fh:
        digest = provider.digest_for(blob.digest_algorithm)
        if digest is None:
            return str(MSG_DIGEST)
        over_tags = getattr(digest, "over_tags", False)
        size = 0
        for chunk in fmt.decrypt(
            provider,
            data_key,
            blob.id.bytes,
            fh,
            file_size=file_size,
            chunk_size=blob.chunk_size,
            expected_size=blob.size,
            on_tag=digest.update if over_tags else None,
        ):
            if not over_tags:
                digest.update(chunk)
            size += len(chunk)
    if size != blob.size or digest.hexdigest() != blob.digest:
        return str(MSG_DIGEST)
    return None


@internal
def authenticate(blob: Blob) -> None:
    """Authenticate every record of ``blob`` without releasing a byte, before a caller streams it
    (issue 11 §4, SEC-4): a damaged file is then refused with a clear message before the first
    byte goes out, instead of breaking off a download half-way. Costs one extra decryption pass.

    Not a ``@service``: a read inside the caller's service, after its policy check. *Audits*
    nothing (the caller audits the read, or the failure). *Raises* :class:`VaultIntegrityError`
    (missing, altered, truncated, wrong digest), :class:`BlobShredded`, :class:`KeyUnavailable`.
    """
    blob = Blob.objects.get(pk=blob.pk)
    problem = check_blob(_ring(), blob)
    if problem == MISSING:
        raise fmt.integrity_error(MSG_MISSING, "file missing")
    if problem is not None:
        raise fmt.integrity_error(MSG_DIGEST, "digest mismatch")


@internal
def verify_vault(
    actor: Any, *, remove_orphans: bool = False, progress: Callable[[Blob], None] | None = None
) -> VerifyReport:
    """Check every blob and every stored object (SEC-4, STYLE 2.6) — ``baomi vault verify``
    (alias ``baomi vault check``), on the local directory and on the object store alike.

    Every live blob is decrypted completely from the store its row names and its size and
    digest compared; a shredded blob must have no object left (a *leftover*: the deletion after
    commit failed). Objects of a store without a row for that store are orphans (an upload whose
    transaction rolled back, or the source copy of a migration that was cut off); temporaries
    (``.tmp-`` files, unfinished multipart uploads) older than an hour are stale. A store that
    cannot be reached is a problem of its own. With ``remove_orphans`` orphans and stale
    temporaries older than an hour, and leftovers, are deleted (none has a data key anywhere).
    Runs without a long transaction; reads no content out. *Policy*: none — run by the operator.

    *Audits*: VAULT_VERIFIED (counts; outcome ``failed`` when there are problems).
    """
    report = VerifyReport()
    grace = _grace_seconds()
    ring = _ring() if Blob.objects.exists() else None
    live: dict[str, set[str]] = {kind: set() for kind in storage.KINDS}
    shredded: dict[str, dict[str, str]] = {kind: {} for kind in storage.KINDS}
    down: dict[str, str] = {}
    for blob in Blob.objects.order_by("created_at", "pk").iterator():
        if progress is not None:
            progress(blob)
        if blob.shredded_at is not None:
            report.shredded += 1
            shredded.setdefault(blob.location, {})[blob.storage_name] = str(blob.pk)
            continue
        live.setdefault(blob.location, set()).add(blob.storage_name)
        if blob.location in down:
            continue  # its store is down: listed once, below
        assert ring is not None
        try:
            reason = check_blob(ring, blob)
        except (VaultIntegrityError, KeyUnavailable) as exc:
            reason = str(exc)
        except (StoreUnavailable, StoreMisconfigured) as exc:
            down[blob.location] = _store_error_text(exc)
            report.problems.append(Problem("unavailable", blob.location, down[blob.location]))
            continue
        report.checked += 1
        if reason == MISSING:
            report.problems.append(Problem("missing", str(blob.pk)))
        elif reason:
            report.problems.append(Problem("damaged", str(blob.pk), reason))
    for kind in storage.kinds_in_use():
        if kind in down:
            continue
        try:
            store = storage.get(kind)
            for obj in store.iter_objects():
                if obj.temporary:
                    if obj.age_seconds < grace:
                        continue  # a store in progress
                    problem = Problem("stale_temp", obj.name, obj.location)
                elif obj.name in live.get(kind, ()):
                    continue
                elif obj.name in shredded.get(kind, {}):
                    problem = Problem("leftover", shredded[kind][obj.name], obj.location)
                else:
                    problem = Problem("orphan", obj.name, obj.location)
                if remove_orphans and (problem.kind == "leftover" or obj.age_seconds >= grace):
                    store.remove(obj)
                    report.removed.append(obj.name)
                else:
                    report.problems.append(problem)
        except (StoreUnavailable, StoreMisconfigured) as exc:
            report.problems.append(Problem("unavailable", kind, _store_error_text(exc)))
    with transaction.atomic():
        record(
            actor,
            AuditEvent.VAULT_VERIFIED,
            None,
            outcome=Outcome.OK if report.ok else Outcome.FAILED,
            details={
                "checked": report.checked,
                "shredded": report.shredded,
                "problems": len(report.problems),
                "removed": len(report.removed),
                "stores": storage.kinds_in_use(),
            },
        )
    return report


# --- moving blobs between stores --------------------------------------------------------------

MSG_COPY_MISMATCH = _("The copy in the new store does not match the original; the original was kept.")
MSG_COPY_LENGTH = _("The encrypted object's length does not match its record; it was not moved.")


@dataclass
class MigrateReport:
    to: str
    moved: int = 0
    bytes: int = 0
    swept: int = 0
    failed: list[Problem] = field(default_factory=list)
    stopped: str = ""  # why the run stopped early (a store is down), empty when it finished

    @property
    def ok(self) -> bool:
        return not self.failed and not self.stopped


def _sha256_of(fh: Any) -> tuple[str, int]:
    h = hashlib.sha256()
    n = 0
    for block in iter(lambda: fh.read(storage.MIB), b""):
        h.update(block)  # lint: allow (a hash, not a model)
        n += len(block)
    return h.hexdigest(), n


def _move_blob(blob: Blob, target: storage.BlobStore) -> int:
    """Copy one blob to ``target``, verify the copy, switch the row, delete the original after
    commit. Returns the bytes moved (0 when the row changed meanwhile)."""
    source = storage.get(blob.location)
    name = blob.storage_name
    fh, size = source.open(name)
    if fmt.plaintext_size(size, blob.chunk_size) != blob.size:
        fh.close()
        raise fmt.integrity_error(MSG_COPY_LENGTH, "object length does not match the record")
    h = hashlib.sha256()
    with fh, target.writer(name) as out:
        for block in iter(lambda: fh.read(storage.MIB), b""):
            h.update(block)  # lint: allow (a hash, not a model)
            out.write(block)
    copy, copy_size = target.open(name)
    with copy:
        digest, read = _sha256_of(copy)
    if read != size or copy_size != size or digest != h.hexdigest():
        target.erase(name)
        raise fmt.integrity_error(MSG_COPY_MISMATCH, "copy digest differs from the source")
    with transaction.atomic():
        row = Blob.objects.select_for_update().get(pk=blob.pk)
        if row.location != blob.location:
            return 0  # another migration moved it meanwhile
        if row.shredded_at is not None:  # destroyed meanwhile: the copy must go too
            transaction.on_commit(lambda: storage.erase_quietly(target.kind, name))
            return 0
        row.location = target.kind
        row.save(update_fields=["location"])
        transaction.on_commit(lambda: storage.erase_quietly(source.kind, name))
    return size


@internal
def migrate_blobs(
    actor: Any, to: str, *, batch: int = 200, progress: Callable[[Blob, int], None] | None = None
) -> MigrateReport:
    """Move every live blob to the store ``to`` (``local`` or ``s3``) — ``baomi vault migrate``.

    Without downtime: each blob is copied byte for byte (still encrypted; no key is needed),
    the copy read back and its SHA-256 compared with the original's, then the row's
    ``location`` switched in a short transaction (the row locked), and the original deleted
    only after that commit. Reads use whichever store the row names at that moment, so they
    keep working throughout; set ``BAOMI_BLOB_STORE=to`` on every node first so new content
    goes there. Resumable: run it again after an interruption — blobs already moved are
    skipped, a copy left by a cut-off run is overwritten, and originals whose row already
    names ``to`` (or that were destroyed) are swept from the other store. Blobs that cannot be
    read, or whose copy does not match, stay where they are and are listed; a store that goes
    down stops the run (run it again later).
    Not a ``@service`` (one short transaction per blob). *Policy*: none — run by the operator.

    *Audits*: VAULT_MIGRATED (target, moved, bytes, swept, failed; outcome ``failed`` if any).
    """
    if to not in storage.KINDS:
        raise StoreMisconfigured(_("Unknown store {kind}: choose local or s3.").format(kind=to))
    target = storage.get(to)
    target.check()
    report = MigrateReport(to)
    last_pk: uuid.UUID | None = None
    while not report.stopped:
        qs = Blob.objects.filter(shredded_at__isnull=True).exclude(location=to).order_by("pk")
        if last_pk is not None:
            qs = qs.filter(pk__gt=last_pk)
        rows = list(qs[:batch])
        if not rows:
            break
        for blob in rows:
            last_pk = blob.pk
            try:
                moved = _move_blob(blob, target)
            except FileNotFoundError:
                report.failed.append(Problem("missing", str(blob.pk)))
                continue
            except VaultIntegrityError as exc:
                report.failed.append(Problem("damaged", str(blob.pk), str(exc)))
                continue
            except (StoreUnavailable, StoreMisconfigured) as exc:
                report.stopped = _store_error_text(exc)
                break
            if moved:
                report.moved += 1
                report.bytes += moved
            if progress is not None:
                progress(blob, moved)
    if not report.stopped:
        report.swept = _sweep_moved(to)
    with transaction.atomic():
        record(
            actor,
            AuditEvent.VAULT_MIGRATED,
            ("vault.store", to, to),
            outcome=Outcome.OK if report.ok else Outcome.FAILED,
            details={"to": to, "moved": report.moved, "bytes": report.bytes, "swept": report.swept,
                     "failed": len(report.failed), "stopped": bool(report.stopped)},
        )  # fmt: skip
    return report


def _sweep_moved(to: str) -> int:
    """Delete, from the other stores, objects whose row lives in ``to`` or was destroyed (the
    originals of a migration cut off between commit and delete)."""
    swept = 0
    for kind in storage.KINDS:
        if kind == to or kind not in storage.kinds_in_use():
            continue
        store = storage.get(kind)
        objects = [o for o in store.iter_objects() if not o.temporary and storage.NAME_RE.match(o.name)]
        for start in range(0, len(objects), 500):
            part = objects[start : start + 500]
            rows = {
                name: (location, shredded_at)
                for name, location, shredded_at in Blob.objects.filter(
                    storage_name__in=[o.name for o in part]
                ).values_list("storage_name", "location", "shredded_at")
            }
            for obj in part:
                row = rows.get(obj.name)
                if row is not None and (row[0] != kind or row[1] is not None):
                    store.remove(obj)
                    swept += 1
    return swept
