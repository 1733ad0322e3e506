"""The audit key: kept in a file outside the database and the data directory (SEC-3)."""

from __future__ import annotations

import functools
import hmac
import os
from pathlib import Path

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives import hmac as crypto_hmac
from django.conf import settings


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


def mac(data: bytes) -> str:
    """HMAC-SM3 (HMAC-SHA-256 when the cipher is ``aes``) of ``data`` under the audit key."""
    algorithm: hashes.HashAlgorithm = hashes.SHA256() if settings.CIPHER == "aes" else hashes.SM3()
    h = crypto_hmac.HMAC(audit_key(), algorithm)
    h.update(data)  # lint: allow (hash, not a model)
    return h.finalize().hex()


def mac_equal(a: str, b: str) -> bool:
    return hmac.compare_digest(a, b)


def algorithm_name() -> str:
    return "HMAC-SHA-256" if settings.CIPHER == "aes" else "HMAC-SM3"
