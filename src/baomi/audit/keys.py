"""The audit key: kept in a file outside the database and the data directory (SEC-3)."""

from __future__ import annotations

import functools
import hmac
from pathlib import Path

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver


def ensure_key_file(path: Path, size: int = 32) -> bool:
    """Create a random key file (mode 0600) if missing; return whether one was created.

    Only for a key nothing depends on yet: the audit key goes through :func:`_audit_key`, which
    refuses when entries exist (``baomi.core.keyfiles``)."""
    from baomi.core.keyfiles import write_random_key

    return write_random_key(path, size)


@functools.cache
def _audit_key(path: str) -> bytes:
    """The key, read once per process. A missing file is created only while the trail is empty;
    with entries it is :class:`~baomi.core.keyfiles.KeyFileMissing` — never a silent new key,
    which would make the intact chain fail verification and seal new entries under it (SEC-3)."""
    from baomi.core.keyfiles import ensure_audit_key

    p = Path(path)
    ensure_audit_key(p)
    return p.read_bytes()


def audit_key() -> bytes:
    return _audit_key(str(settings.AUDIT_KEY_FILE))


_params: tuple[bytes, str] | None = None


def _hmac_params() -> tuple[bytes, str]:
    # Read once: settings are a lazy object and mac() runs for every entry written and verified.
    global _params
    if _params is None:
        _params = (audit_key(), "sha256" if settings.CIPHER == "aes" else "sm3")
    return _params


@receiver(setting_changed)
def _forget(setting: str, **kwargs: object) -> None:
    global _params
    if setting in {"AUDIT_KEY_FILE", "CIPHER"}:
        _params = None


def mac(data: bytes) -> str:
    """HMAC-SM3 (HMAC-SHA-256 when the cipher is ``aes``) of ``data`` under the audit key.

    One call into OpenSSL (``hmac.digest``), the same primitive ``cryptography`` wraps.
    """
    key, digest = _hmac_params()
    return hmac.digest(key, data, digest).hex()


def mac_equal(a: str, b: str) -> bool:
    return hmac.compare_digest(a, b)


def algorithm_name() -> str:
    return "HMAC-SHA-256" if settings.CIPHER == "aes" else "HMAC-SM3"
