"""The audit key: kept in a file outside the database and the data directory (SEC-3)."""

from __future__ import annotations

import functools
import hmac
import os
from pathlib import Path

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver


def ensure_key_file(path: Path, size: int = 32) -> bool:
    """Create a random key file (mode 0600) if missing; return whether one was created."""
    if path.exists():
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(os.urandom(size))
    return True


@functools.cache
def _audit_key(path: str) -> bytes:
    p = Path(path)
    ensure_key_file(p)
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
