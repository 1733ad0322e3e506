"""Master keys: the key ring file and the seam for a hardware module (SEC-4, R-ARCH-2).

Data keys are wrapped by a master key; master keys never enter the database or the data
directory. :class:`MasterKeyStore` is what the services use: wrap under the active key,
unwrap under a named key, add a key (rotation), retire a key. :class:`FileKeyRing` keeps the
keys in one JSON file at ``settings.MASTER_KEY_FILE`` (mode 0600, replaced atomically)::

    {"format": "baomi-master-key-ring", "version": 1,
     "keys": [{"id": "mk-20261128-9f3a1c2b", "created": "2026-11-28T00:30:00+00:00",
               "state": "active", "material": "<base64 of 32 random bytes>"}, ...]}

``state`` is ``active`` (exactly one: wraps new data keys), ``previous`` (unwraps only, until
every data key it wrapped has been rewrapped) or ``retired`` (the material is erased; the
entry stays as a record). A raw 32-byte file (what ``baomi keys init`` wrote before key
rings) reads as a ring with the single active key ``mk-initial``; the first rotation turns it
into a ring file. The two formats are told apart by length alone: a ring file is always longer
than 32 bytes, and a raw key may begin with any byte, ``{`` included.

A hardware module keeps its keys inside the device: implement :class:`MasterKeyStore` over
the module's wrap/unwrap calls and name the class in ``settings.VAULT_KEYSTORE``
(docs/vault.md "Hardware module").
"""

from __future__ import annotations

import base64
import contextlib
import datetime as dt
import fcntl
import json
import os
import secrets
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from baomi.vault.crypto import CipherProvider, DecryptionFailed
from baomi.vault.errors import KeyUnavailable

RING_FORMAT = "baomi-master-key-ring"
RING_VERSION = 1
MASTER_KEY_SIZE = 32
LEGACY_KEY_ID = "mk-initial"

ACTIVE, PREVIOUS, RETIRED = "active", "previous", "retired"


@dataclass(frozen=True)
class MasterKey:
    """One entry of the ring. ``material`` is None once the key is retired."""

    id: str
    created: str
    state: str
    material: bytes | None


class MasterKeyStore(Protocol):
    """What the vault needs from wherever master keys live (file today, hardware tomorrow)."""

    def exists(self) -> bool:
        """Whether the store holds any key yet."""

    def create(self) -> bool:
        """Create the first active key if there is none; return whether one was created."""

    def list_keys(self) -> list[MasterKey]:
        """Every key, oldest first (material may be withheld by a hardware store)."""

    def active_key_id(self) -> str:
        """The id of the key that wraps new data keys."""

    def wrap(self, provider: CipherProvider, data_key: bytes, aad: bytes) -> tuple[str, bytes]:
        """Wrap ``data_key`` under the active key; return (key id, wrapped bytes)."""

    def unwrap(self, provider: CipherProvider, key_id: str, wrapped: bytes, aad: bytes) -> bytes:
        """Unwrap under ``key_id``; raise :class:`KeyUnavailable` or ``DecryptionFailed``."""

    def add_key(self) -> str:
        """Add a new active key (the old active becomes ``previous``); return its id."""

    def retire(self, key_id: str) -> None:
        """Erase a ``previous`` key's material (the caller checked nothing uses it)."""


def new_key_id() -> str:
    today = dt.datetime.now(dt.UTC).strftime("%Y%m%d")
    return f"mk-{today}-{secrets.token_hex(4)}"


class FileKeyRing:
    """The software master key store: a JSON key ring file outside the database and data dir."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self._lock = threading.Lock()
        self._cache: tuple[tuple[int, int, int], list[MasterKey]] | None = None
        self._keks: dict[tuple[str, str], bytes] = {}

    # --- reading ---------------------------------------------------------------------------
    def exists(self) -> bool:
        return self.path.exists()

    def list_keys(self) -> list[MasterKey]:
        """The ring as it is on disk now (re-read when the file changed: rotation by another
        process takes effect without a restart)."""
        try:
            st = self.path.stat()
        except OSError:
            raise KeyUnavailable() from None
        stamp = (st.st_ino, st.st_mtime_ns, st.st_size)
        with self._lock:
            if self._cache is not None and self._cache[0] == stamp:
                return self._cache[1]
            try:
                raw = self.path.read_bytes()
            except OSError:  # unreadable (permissions, I/O error): no key, not a crash (SEC-7)
                raise KeyUnavailable() from None
            keys = self._parse(raw)
            self._cache = (stamp, keys)
            return keys

    @staticmethod
    def _parse(raw: bytes) -> list[MasterKey]:
        # Told apart by structure, never by content: a raw key is exactly 32 bytes of anything
        # (1 key in 256 begins with "{"), and a ring can never be 32 bytes long — its format
        # name alone, which every ring holds, is longer (test_keys: every first byte value).
        if len(raw) == MASTER_KEY_SIZE:
            return [MasterKey(LEGACY_KEY_ID, "", ACTIVE, raw)]
        try:
            data = json.loads(raw)
            if data.get("format") != RING_FORMAT or data.get("version") != RING_VERSION:
                raise ValueError("not a key ring")
            keys = [
                MasterKey(
                    id=str(k["id"]),
                    created=str(k.get("created", "")),
                    state=str(k["state"]),
                    material=base64.b64decode(k["material"]) if k.get("material") else None,
                )
                for k in data["keys"]
            ]
        except (ValueError, KeyError, TypeError, AttributeError):
            raise KeyUnavailable() from None
        if sum(1 for k in keys if k.state == ACTIVE) != 1:
            raise KeyUnavailable()
        return keys

    def _key(self, key_id: str) -> MasterKey:
        for key in self.list_keys():
            if key.id == key_id and key.material is not None:
                return key
        raise KeyUnavailable()

    def active_key_id(self) -> str:
        return next(k.id for k in self.list_keys() if k.state == ACTIVE)

    def _kek(self, provider: CipherProvider, key: MasterKey) -> bytes:
        cache_key = (key.id, provider.name)
        kek = self._keks.get(cache_key)
        if kek is None:
            assert key.material is not None
            kek = provider.derive_kek(key.material, key.id.encode())
            self._keks[cache_key] = kek
        return kek

    def wrap(self, provider: CipherProvider, data_key: bytes, aad: bytes) -> tuple[str, bytes]:
        key = self._key(self.active_key_id())
        return key.id, provider.wrap_key(self._kek(provider, key), data_key, aad)

    def unwrap(self, provider: CipherProvider, key_id: str, wrapped: bytes, aad: bytes) -> bytes:
        key = self._key(key_id)
        return provider.unwrap_key(self._kek(provider, key), wrapped, aad)

    # --- writing (CLI only: init, rotate, retire) --------------------------------------------
    def create(self) -> bool:
        with self._write_lock():
            if self.path.exists():
                return False
            self._write([MasterKey(new_key_id(), _now(), ACTIVE, os.urandom(MASTER_KEY_SIZE))])
            return True

    def add_key(self) -> str:
        with self._write_lock():
            keys = [
                MasterKey(k.id, k.created, PREVIOUS if k.state == ACTIVE else k.state, k.material)
                for k in self.list_keys()
            ]
            new = MasterKey(new_key_id(), _now(), ACTIVE, os.urandom(MASTER_KEY_SIZE))
            self._write([*keys, new])
            return new.id

    def retire(self, key_id: str) -> None:
        with self._write_lock():
            keys = self.list_keys()
            if not any(k.id == key_id and k.state == PREVIOUS for k in keys):
                raise KeyUnavailable()
            self._write([MasterKey(k.id, k.created, RETIRED, None) if k.id == key_id else k for k in keys])
            self._keks = {ck: v for ck, v in self._keks.items() if ck[0] != key_id}

    @contextlib.contextmanager
    def _write_lock(self) -> Iterator[None]:
        self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd = os.open(self.path.with_name(self.path.name + ".lock"), os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
            os.close(fd)

    def _write(self, keys: list[MasterKey]) -> None:
        data: dict[str, Any] = {
            "format": RING_FORMAT,
            "version": RING_VERSION,
            "keys": [
                {
                    "id": k.id,
                    "created": k.created,
                    "state": k.state,
                    "material": base64.b64encode(k.material).decode() if k.material else None,
                }
                for k in keys
            ],
        }
        tmp = self.path.with_name(f".{self.path.name}.{secrets.token_hex(6)}.tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(fd, "w") as fh:
                json.dump(data, fh, indent=1)
                fh.write("\n")
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, self.path)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                tmp.unlink()
            raise
        dir_fd = os.open(self.path.parent, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)
        with self._lock:
            self._cache = None


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


_STORES: dict[str, MasterKeyStore] = {}


def keystore() -> MasterKeyStore:
    """The configured master key store: ``settings.VAULT_KEYSTORE`` (a dotted class path taking
    the key file path) or the :class:`FileKeyRing` at ``settings.MASTER_KEY_FILE``."""
    from django.conf import settings
    from django.utils.module_loading import import_string

    dotted = getattr(settings, "VAULT_KEYSTORE", "") or "baomi.vault.keyring.FileKeyRing"
    cache_key = f"{dotted}:{settings.MASTER_KEY_FILE}"
    store = _STORES.get(cache_key)
    if store is None:
        store = import_string(dotted)(Path(settings.MASTER_KEY_FILE))
        _STORES[cache_key] = store
    return store


__all__ = ["ACTIVE", "PREVIOUS", "RETIRED", "DecryptionFailed", "FileKeyRing", "MasterKey", "MasterKeyStore"]
