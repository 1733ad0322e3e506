"""The audit key: kept in a file outside the database and the data directory (SEC-3)."""

from __future__ import annotations

import functools
import hashlib
import hmac
import os
import secrets
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver


def write_random_key(path: Path, size: int = 32, *, text: bool = False) -> bool:
    """Create ``path`` (mode 0600) with a new random key; False if it exists already (never
    overwritten, even in a race: ``O_EXCL``)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return False
    with os.fdopen(fd, "wb") as fh:
        fh.write(secrets.token_urlsafe(50).encode() if text else os.urandom(size))
        fh.flush()
        os.fsync(fh.fileno())
    return True


def ensure_key_file(path: Path, size: int = 32) -> bool:
    """Create a random key file (mode 0600) if missing; return whether one was created.

    Only for a key nothing depends on yet: the audit key goes through :func:`_audit_key`, which
    refuses when entries exist (``baomi.ops.keyfiles``)."""
    return write_random_key(path, size)


#: What to do when the audit key file is missing: ``handler(path)`` creates it, or raises when
#: something depends on the key. The ground knows no audit trail, so ``baomi.ops`` installs
#: ``ops.keyfiles.ensure_audit_key`` when Django is ready (:func:`on_missing_audit_key`);
#: with none installed a missing key is refused (fail closed).
_missing_audit_key: Callable[[Path], None] | None = None


def on_missing_audit_key(handler: Callable[[Path], None]) -> None:
    global _missing_audit_key
    _missing_audit_key = handler


@functools.cache
def _audit_key(path: str) -> bytes:
    """The key, read once per process. A missing file is created only while the trail is empty;
    with entries it is :class:`~baomi.ops.keyfiles.KeyFileMissing` — never a silent new key,
    which would make the intact chain fail verification and seal new entries under it (SEC-3)."""
    p = Path(path)
    if not p.exists():
        if _missing_audit_key is None:
            raise FileNotFoundError(f"the audit key {p} is missing and no key policy is installed")
        _missing_audit_key(p)
    return p.read_bytes()


def audit_key() -> bytes:
    return _audit_key(str(settings.AUDIT_KEY_FILE))


# --- MAC schemes ---------------------------------------------------------------------------------
#
# Each audit entry and seal records the scheme its MAC was made under (``mac_scheme``), so verify
# uses the recorded one: changing BAOMI_CIPHER starts new entries under the new algorithm while
# the old ones still verify (issue 19 §5). Scheme codes never change once written (they are in
# the MACs). NULL (``LEGACY``): entries and seals written before schemes were recorded — their
# algorithm was the BAOMI_CIPHER of the day, so they verify under whichever of the two matches.

LEGACY = None
SCHEME_DIGEST = {1: "sm3", 2: "sha256"}
SCHEME_NAME = {1: "HMAC-SM3", 2: "HMAC-SHA-256"}
_BY_NAME = {name: code for code, name in SCHEME_NAME.items()}

_params: tuple[bytes, str, int] | None = None


def _hmac_params() -> tuple[bytes, str, int]:
    # Read once: settings are a lazy object and mac() runs for every entry written and verified.
    global _params
    if _params is None:
        scheme = 2 if settings.CIPHER == "aes" else 1
        _params = (audit_key(), SCHEME_DIGEST[scheme], scheme)
    return _params


@receiver(setting_changed)
def _forget(setting: str, **kwargs: object) -> None:
    global _params
    if setting in {"AUDIT_KEY_FILE", "CIPHER"}:
        _params = None


def current_scheme() -> int:
    """The scheme new MACs are made under: HMAC-SM3 (1), or HMAC-SHA-256 (2) with ``aes``."""
    return _hmac_params()[2]


def mac(data: bytes) -> str:
    """HMAC-SM3 (HMAC-SHA-256 when the cipher is ``aes``) of ``data`` under the audit key."""
    return mac_with(_hmac_params()[1], data)


_pads: dict[tuple[bytes, str], tuple[Any, Any]] = {}


def _keyed(key: bytes, digest: str) -> tuple[Any, Any]:
    """The hash states after the key's inner and outer pads (RFC 2104), made once per key."""
    pads = _pads.get((key, digest))
    if pads is None:
        block = hashlib.new(digest).block_size
        k = hashlib.new(digest, key).digest() if len(key) > block else key
        k = k.ljust(block, b"\0")
        pads = (
            hashlib.new(digest, bytes(b ^ 0x36 for b in k)),
            hashlib.new(digest, bytes(b ^ 0x5C for b in k)),
        )
        _pads[(key, digest)] = pads
    return pads


def macer(digest: str) -> Callable[[bytes], str]:
    """:func:`mac_with` for one hash, with the key's pad states bound: for loops over many MACs
    (verify), where the per-call look-ups add up."""
    inner, outer = _keyed(_hmac_params()[0], digest)
    inner_copy, outer_copy = inner.copy, outer.copy

    def mac_of(data: bytes) -> str:
        h = inner_copy()
        h.update(data)
        o = outer_copy()
        o.update(h.digest())
        return o.hexdigest()

    return mac_of


def mac_with(digest: str, data: bytes) -> str:
    """HMAC of ``data`` under the audit key with the named hash (``sm3``, ``sha256``), as hex.

    HMAC = H((K ⊕ opad) ‖ H((K ⊕ ipad) ‖ data)) with both pad states precomputed and copied
    (OpenSSL hashes through ``hashlib``): the same value as ``hmac.digest`` (tested), at less
    than half the cost for SM3 — verify computes one per entry of the whole trail.
    """
    inner, outer = _keyed(_hmac_params()[0], digest)
    h = inner.copy()
    h.update(data)
    o = outer.copy()
    o.update(h.digest())
    return o.hexdigest()


def legacy_digests() -> tuple[str, str]:
    """The two algorithms a legacy (unrecorded) MAC may be under, the configured one first."""
    first = _hmac_params()[1]
    return (first, "sha256" if first == "sm3" else "sm3")


def mac_equal(a: str, b: str) -> bool:
    return hmac.compare_digest(a, b)


def algorithm_name() -> str:
    return SCHEME_NAME[current_scheme()]


def digest_of_name(name: str) -> str | None:
    """The hash of an algorithm name as a checkpoint records it ("HMAC-SM3"), or None."""
    code = _BY_NAME.get(name)
    return SCHEME_DIGEST[code] if code else None
