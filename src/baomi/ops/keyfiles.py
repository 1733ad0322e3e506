"""The four key files (SEC-3, SEC-4, SEC-6): a missing key is an error, never a new key.

| key | file (setting) | what depends on it |
|---|---|---|
| ``audit`` | ``AUDIT_KEY_FILE`` | every audit entry and seal (their MACs), the mark MACs |
| ``master`` | ``MASTER_KEY_FILE`` (or the configured ``VAULT_KEYSTORE``) | every blob's data key |
| ``secret`` | ``SECRET_KEY_FILE`` (unless ``BAOMI_SECRET_KEY`` is set) | sessions, every TOTP enrolment and recovery code |
| ``backup`` | ``BACKUP_KEY_FILE`` | every backup generation (its files and manifest MAC) |

``baomi keys init`` creates all four at installation, so the key backup taken right after it
(``baomi backup-keys``) holds the backup key too — before, the backup key appeared only at the
first backup, and a key backup made at installation lacked the one key that opens the backups.
The backup key does not stop the server or other commands when it is missing (nothing the
running system reads depends on it); ``baomi backup`` refuses instead of making a new one once a
backup exists (:func:`ensure_backup_key`), since new backups under a key that is on no key
backup medium would be lost with the machine.

A key is created only while nothing depends on it (no audit entry, no blob, no user): a fresh
installation, where a new key endangers nothing. When something does depend on it and the file
is gone — a restore without the key directory, a wrong ``BAOMI_KEY_DIR``, an unmounted key
volume — a new key would silently make an intact audit chain look tampered with, content
unreadable, or every second factor invalid. So the server (``baomi.wsgi``), the scheduler and
its sealer, ``baomi audit verify`` and every ``baomi`` command stop instead, with a message that
names the file and the key backup that holds it (:func:`require_keys`, :class:`KeyFileMissing`).
``baomi keys init`` creates keys on the same rule, or — told explicitly with
``--new-installation`` — for an installation whose old keys are given up (docs/operations.md).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from baomi.core.errors import BaomiError
from baomi.core.keys import write_random_key

log = logging.getLogger("baomi.keys")

AUDIT, MASTER, SECRET, BACKUP = "audit", "master", "secret", "backup"
KEYS = (MASTER, AUDIT, SECRET, BACKUP)
#: the keys without which the running system cannot work: the server and commands stop
GUARDED = (MASTER, AUDIT, SECRET)


class KeyFileMissing(BaomiError):
    """A key file is missing while data depends on it: restore it, never replace it (SEC-3/4)."""

    code = "key_file_missing"
    status = 503
    default_message = gettext_lazy("A key file of this installation is missing.")


@dataclass(frozen=True)
class KeyStatus:
    """One key: where it lives, whether it is there, and how much depends on it."""

    name: str
    path: Path | None  # None: the Django secret comes from BAOMI_SECRET_KEY, not from a file
    present: bool
    in_use: bool


def _model(name: str) -> Any:
    if name in (AUDIT, BACKUP):
        from baomi.audit.models import AuditEntry

        return AuditEntry
    if name == MASTER:
        from baomi.vault.models import Blob

        return Blob
    from baomi.accounts.models import User

    return User


def _table_exists(model: Any) -> bool:
    return model._meta.db_table in connection.introspection.table_names()


def _dependants(name: str, *, count: bool = False) -> int:
    """How many rows depend on the key (0 or 1 unless ``count``); 0 before ``migrate``."""
    model = _model(name)
    if not _table_exists(model):
        return 0
    with transaction.atomic():  # a savepoint: an error here must not poison the caller's transaction
        qs = model._default_manager.all()
        if name == BACKUP:  # the backups made (a copy of the keys alone is not one)
            from baomi.audit.events import AuditEvent

            qs = qs.filter(event=int(AuditEvent.BACKUP_CREATED)).exclude(target_type="core.keybackup")
        return qs.count() if count else int(qs.exists())


def key_path(name: str) -> Path | None:
    if name == AUDIT:
        return Path(settings.AUDIT_KEY_FILE)
    if name == MASTER:
        return Path(settings.MASTER_KEY_FILE)
    if name == BACKUP:
        return Path(getattr(settings, "BACKUP_KEY_FILE", Path(settings.KEY_DIR) / "backup.key"))
    secret = getattr(settings, "SECRET_KEY_FILE", None)
    return Path(secret) if secret else None


def is_present(name: str) -> bool:
    if name == MASTER:
        from baomi.vault.keyring import keystore

        return keystore().exists()
    path = key_path(name)
    return path is None or path.exists()


def status(name: str) -> KeyStatus:
    present = is_present(name)
    return KeyStatus(name, key_path(name), present, in_use=bool(_dependants(name)))


# --- messages ---------------------------------------------------------------------------------


def _last_key_backup() -> str:
    """Where the latest key backup went, from the audit trail (``baomi backup-keys``)."""
    from baomi.audit.events import AuditEvent
    from baomi.audit.models import AuditEntry

    if not _table_exists(AuditEntry):
        return ""
    rows = (
        AuditEntry.objects.filter(event=int(AuditEvent.BACKUP_CREATED))
        .order_by("-id")
        .values_list("time", "target_type", "target_label", "details")[:50]
    )
    for when, target_type, label, details in rows:
        dest = label if target_type == "core.keybackup" else (details or {}).get("keys_to", "")
        if dest:
            return _("the latest key backup, written on {date} to {dest}").format(
                date=timezone.localtime(when).strftime("%Y-%m-%d %H:%M"), dest=dest
            )
    return ""


def backup_hint() -> str:
    return _last_key_backup() or _(
        "the key backup medium written by baomi backup-keys; the audit trail records none"
    )


def missing_message(name: str) -> str:
    """The message that stops everything: which file, what depends on it, where its copy is."""
    path = key_path(name)
    params: dict[str, Any] = {"path": path, "name": path.name if path else "", "backup": backup_hint()}
    params["count"] = _dependants(name, count=True)
    if name == AUDIT:
        return _(
            "The audit key is not available: {path} does not exist, but the audit trail already holds "
            "{count} entries signed with it. A new key would make the intact trail fail verification as if "
            "it had been tampered with, so none is created. Restore {name} from the key backup ({backup}) "
            "to {path} and start again; only for a deliberately new installation run: "
            "baomi keys init --new-installation"
        ).format(**params)
    if name == MASTER:
        return _(
            "The master key is not available: {path} does not exist, but {count} encrypted files have "
            "their data keys wrapped by it. A new key would leave that content unreadable for ever, so "
            "none is created. Restore {name} from the key backup ({backup}; it must be a backup taken "
            "after the last key rotation) to {path} and start again; only for a deliberately new "
            "installation run: baomi keys init --new-installation"
        ).format(**params)
    if name == BACKUP:
        return _(
            "The backup key is not available: {path} does not exist, but {count} backups were made with "
            "it. A new key would open none of them, and backups made under it would be on no key backup "
            "medium, so none is created. Restore {name} from the key backup ({backup}) to {path}; only "
            "for a deliberately new installation run: baomi keys init --new-installation"
        ).format(**params)
    return _(
        "The Django secret key is not available: {path} does not exist and BAOMI_SECRET_KEY is not set, "
        "but {count} user accounts depend on it. A new key would invalidate every second-factor "
        "enrolment, every recovery code and every session, so none is created. Restore {name} from the "
        "key backup ({backup}) to {path} and start again; only for a deliberately new installation run: "
        "baomi keys init --new-installation"
    ).format(**params)


# --- the guard ----------------------------------------------------------------------------------


def missing_in_use() -> list[str]:
    """The keys that are missing although something depends on them."""
    return [name for name in GUARDED if not is_present(name) and _dependants(name)]


def require_keys(*, server: bool = False) -> None:
    """Stop with :class:`KeyFileMissing` when a key that data depends on is missing.

    Called by the server at start (``server=True``: it also refuses to sign sessions with the
    development placeholder when the secret file is missing, data or not), by ``baomi``
    before every command but ``keys init`` and ``restore``, and by the audit key's loader.
    """
    if server and not is_present(SECRET):
        raise KeyFileMissing(
            _(
                "The Django secret key is not available: {path} does not exist and BAOMI_SECRET_KEY is not "
                "set. Run baomi keys init (new installation) or restore the file from the key backup, then "
                "start the server again."
            ).format(path=key_path(SECRET))
        )
    try:
        missing = missing_in_use()
    except DatabaseError:
        if not server:
            raise
        # The database is down: the key loaders still refuse at first use (audit, vault).
        log.warning("key check skipped at start: the database does not answer")
        return
    if missing:
        raise KeyFileMissing("\n".join(missing_message(name) for name in missing))


def ensure_audit_key(path: Path) -> None:
    """Create the audit key file if it is missing and no audit entry exists (first start);
    otherwise :class:`KeyFileMissing` (installed into ``baomi.core.keys`` by the ops app: called
    when it loads the key)."""
    if path.exists():
        return
    if _dependants(AUDIT):
        raise KeyFileMissing(missing_message(AUDIT))
    write_random_key(path, 32)


@dataclass
class InitResult:
    created: list[str]
    refused: list[str]
    replaced_in_use: dict[str, int]


def init_keys(*, new_installation: bool = False) -> InitResult:
    """``baomi keys init``: create each missing key nothing depends on yet; refuse (create
    nothing at all) when a missing key has dependants, unless ``new_installation``."""
    from baomi.vault.services import ensure_master_key

    statuses = [status(name) for name in KEYS]
    missing = [s for s in statuses if not s.present]
    refused = [s.name for s in missing if s.in_use]
    if refused and not new_installation:
        return InitResult([], refused, {})
    replaced = {s.name: _dependants(s.name, count=True) for s in missing if s.in_use}
    created = []
    for s in missing:
        if s.name == MASTER:
            made = ensure_master_key()
        else:
            assert s.path is not None
            made = write_random_key(s.path, text=s.name == SECRET)
        if made:
            created.append(s.name)
    return InitResult(created, [], replaced)
