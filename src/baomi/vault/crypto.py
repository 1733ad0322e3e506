"""Cipher providers: the one seam between the vault and a cryptographic implementation (SEC-4).

Everything the vault does with a cipher goes through a :class:`CipherProvider`:

- ``seal(key, nonce, data, aad)`` / ``open(key, nonce, sealed, aad)`` — authenticated encryption
  with associated data (AEAD); ``sealed`` is ciphertext followed by the 16-byte tag, and
  ``open`` raises :class:`DecryptionFailed` when the tag does not verify;
- ``new_key()`` — a fresh random data key of ``key_size`` bytes;
- ``derive_kek(master, label)`` — the key-encryption key this provider uses under a master key;
- ``wrap_key`` / ``unwrap_key`` — AEAD key wrapping (random nonce ‖ sealed key) with the same
  cipher, so a data key is protected by exactly the algorithm its content uses;
- ``new_digest()`` — the provider's hash for plaintext digests (SM3 for SM4, SHA-256 for AES).

Two software providers ship, both on OpenSSL through ``cryptography`` (never a pure-Python
cipher): ``sm4`` = SM4-GCM (GB/T 32907 block cipher in GCM mode, RFC 8998) with SM3
(GB/T 32905), the default; and ``aes`` = AES-256-GCM with SHA-256. ``settings.CIPHER`` names
the provider for new content; content records its cipher, so both kinds read side by side.

An accredited hardware module (密码机, R-ARCH-2) replaces the software implementation by
subclassing :class:`CipherProvider` with the same ``name``/``code`` (or a new one) and calling
:func:`register_provider` at start-up (an ``AppConfig.ready`` of a deployment plug-in). The
stream format, the services and the key ring do not change; see docs/vault.md
"Hardware module".
"""

from __future__ import annotations

import hashlib
import os
from abc import ABC, abstractmethod
from typing import Protocol

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

NONCE_SIZE = 12
TAG_SIZE = 16


class DecryptionFailed(Exception):
    """An AEAD tag did not verify (wrong key, altered data, wrong nonce or associated data)."""


class Digest(Protocol):
    """A running hash: ``update`` with bytes, then ``hexdigest`` once."""

    name: str

    def update(self, data: bytes) -> None: ...

    def hexdigest(self) -> str: ...


class OpenSSLDigest:
    """A :class:`Digest` from ``hashlib`` — OpenSSL's SM3 / SHA-256, which release the GIL on
    large updates, so the vault can hash on one core while it encrypts on another."""

    over_tags = False

    def __init__(self, name: str):
        self.name = name
        self._hash = hashlib.new(name)

    def update(self, data: bytes) -> None:
        self._hash.update(data)  # lint: allow (hash, not a model)

    def hexdigest(self) -> str:
        return self._hash.hexdigest()


class HashDigest:
    """A :class:`Digest` over a ``cryptography`` hash algorithm (OpenSSL), where ``hashlib``
    lacks the algorithm."""

    over_tags = False

    def __init__(self, name: str, algorithm: hashes.HashAlgorithm):
        self.name = name
        self._hash = hashes.Hash(algorithm)

    def update(self, data: bytes) -> None:
        self._hash.update(data)  # lint: allow (hash, not a model)

    def hexdigest(self) -> str:
        return self._hash.finalize().hex()


class TagDigest:
    """A content digest over the authenticated tags of a blob's records, in order (name
    ``tag-<hash>``, e.g. ``tag-sha256``).

    Each 16-byte tag authenticates its chunk, its index and final flag, the header and the blob
    id under the blob's secret data key, so the sequence of tags commits to the whole file: a
    record that fails its tag is reported by decryption, and a file re-encrypted or replaced as
    a whole (even by someone holding the data key) yields other tags. Hashing 16 bytes per chunk
    instead of every plaintext byte removes the second full pass over the content that a
    plaintext digest costs — for AES-GCM, whose cipher runs at several GB/s, SHA-256 of the
    plaintext was the vault's bottleneck (docs/vault.md, docs/benchmarks.md).
    """

    over_tags = True

    def __init__(self, hash_name: str):
        self.name = f"tag-{hash_name}"
        self._hash = hashlib.new(hash_name)

    def update(self, tag: bytes) -> None:
        self._hash.update(tag)  # lint: allow (hash, not a model)

    def hexdigest(self) -> str:
        return self._hash.hexdigest()


class CipherProvider(ABC):
    """One AEAD cipher with its key size, header code and digest (see the module docstring).

    Subclasses set ``name`` (the value of ``settings.CIPHER`` and of ``Blob.cipher``), ``code``
    (the cipher byte of the stream header, 1..255, stable forever), ``key_size``,
    ``digest_name`` and implement :meth:`seal`, :meth:`open` and :meth:`_hash_algorithm`.
    Nonces are 12 bytes and tags 16 bytes for every provider.
    """

    name: str
    code: int
    key_size: int
    digest_name: str
    nonce_size = NONCE_SIZE
    tag_size = TAG_SIZE

    @abstractmethod
    def seal(self, key: bytes, nonce: bytes, data: bytes, aad: bytes) -> bytes:
        """Encrypt and authenticate ``data`` (and ``aad``); return ciphertext ‖ 16-byte tag."""

    @abstractmethod
    def open(self, key: bytes, nonce: bytes, sealed: bytes, aad: bytes) -> bytes:
        """Verify and decrypt ``sealed``; raise :class:`DecryptionFailed` on any mismatch."""

    @abstractmethod
    def _hash_algorithm(self) -> hashes.HashAlgorithm:
        """The hash for digests and key derivation."""

    def new_key(self) -> bytes:
        """A fresh random data key (OpenSSL's CSPRNG through ``os.urandom``)."""
        return os.urandom(self.key_size)

    # New content's digest: over the plaintext (False), or over the records' tags (TagDigest).
    digest_over_tags = False

    def new_digest(self) -> Digest:
        """A digest of plaintext with the provider's hash (SM3, SHA-256)."""
        if self.digest_name in hashlib.algorithms_available:
            return OpenSSLDigest(self.digest_name)
        return HashDigest(self.digest_name, self._hash_algorithm())

    def content_digest(self) -> Digest:
        """The digest recorded for new content (``Blob.digest_algorithm`` is its name)."""
        return TagDigest(self.digest_name) if self.digest_over_tags else self.new_digest()

    def digest_for(self, algorithm: str) -> Digest | None:
        """A fresh digest of the kind a blob recorded — plaintext or tags — or None if unknown;
        blobs stored before tag digests existed keep verifying by their plaintext digest."""
        if algorithm == self.digest_name:
            return self.new_digest()
        if algorithm == f"tag-{self.digest_name}":
            return TagDigest(self.digest_name)
        return None

    def derive_kek(self, master: bytes, label: bytes) -> bytes:
        """The key-encryption key for this cipher under ``master`` (HKDF with the provider's hash).

        A 32-byte master key thus serves both ciphers without ever using the same key bytes
        for two algorithms.
        """
        info = b"baomi/vault/kek/" + self.name.encode() + b"/" + label
        return HKDF(algorithm=self._hash_algorithm(), length=self.key_size, salt=None, info=info).derive(
            master
        )

    def wrap_key(self, kek: bytes, data_key: bytes, aad: bytes) -> bytes:
        """AEAD key wrap: random 12-byte nonce ‖ seal(kek, nonce, data_key, aad)."""
        nonce = os.urandom(self.nonce_size)
        return nonce + self.seal(kek, nonce, data_key, aad)

    def unwrap_key(self, kek: bytes, wrapped: bytes, aad: bytes) -> bytes:
        """Inverse of :meth:`wrap_key`; raises :class:`DecryptionFailed` when it does not verify."""
        if len(wrapped) != self.nonce_size + self.key_size + self.tag_size:
            raise DecryptionFailed("wrapped key has the wrong length")
        nonce, sealed = wrapped[: self.nonce_size], wrapped[self.nonce_size :]
        return self.open(kek, nonce, sealed, aad)


class SM4GCMProvider(CipherProvider):
    """SM4-GCM (GB/T 32907 in GCM, RFC 8998) with SM3 digests, in OpenSSL — the default."""

    name = "sm4"
    code = 1
    key_size = 16
    digest_name = "sm3"

    def seal(self, key: bytes, nonce: bytes, data: bytes, aad: bytes) -> bytes:
        encryptor = Cipher(algorithms.SM4(key), modes.GCM(nonce)).encryptor()
        encryptor.authenticate_additional_data(aad)
        out = encryptor.update(data) + encryptor.finalize()  # lint: allow (cipher, not a model)
        return out + encryptor.tag

    def open(self, key: bytes, nonce: bytes, sealed: bytes, aad: bytes) -> bytes:
        if len(sealed) < TAG_SIZE:
            raise DecryptionFailed("sealed data shorter than a tag")
        view = memoryview(sealed)
        try:
            decryptor = Cipher(algorithms.SM4(key), modes.GCM(nonce, bytes(view[-TAG_SIZE:]))).decryptor()
            decryptor.authenticate_additional_data(aad)
            out = decryptor.update(view[:-TAG_SIZE])  # lint: allow (cipher, not a model)
            return out + decryptor.finalize()
        except (InvalidTag, ValueError) as exc:
            raise DecryptionFailed(str(exc) or "tag mismatch") from None

    def _hash_algorithm(self) -> hashes.HashAlgorithm:
        return hashes.SM3()


class AES256GCMProvider(CipherProvider):
    """AES-256-GCM (NIST SP 800-38D) with SHA-256 digests, in OpenSSL."""

    name = "aes"
    code = 2
    key_size = 32
    digest_name = "sha256"
    digest_over_tags = True  # SHA-256 of the plaintext would cost more than the cipher itself

    def seal(self, key: bytes, nonce: bytes, data: bytes, aad: bytes) -> bytes:
        return AESGCM(key).encrypt(nonce, data, aad)

    def open(self, key: bytes, nonce: bytes, sealed: bytes, aad: bytes) -> bytes:
        try:
            return AESGCM(key).decrypt(nonce, sealed, aad)
        except (InvalidTag, ValueError) as exc:
            raise DecryptionFailed(str(exc) or "tag mismatch") from None

    def _hash_algorithm(self) -> hashes.HashAlgorithm:
        return hashes.SHA256()


_PROVIDERS: dict[str, CipherProvider] = {}


def register_provider(provider: CipherProvider) -> None:
    """Install ``provider`` under its name, replacing any provider of that name (hardware module).

    The header code must stay unique: two names may not share one code.
    """
    for other in _PROVIDERS.values():
        if other.code == provider.code and other.name != provider.name:
            raise ValueError(f"cipher code {provider.code} is already used by {other.name!r}")
    _PROVIDERS[provider.name] = provider


def get_provider(name: str) -> CipherProvider:
    """The provider called ``name``; ``LookupError`` when none is registered."""
    try:
        return _PROVIDERS[name]
    except KeyError:
        raise LookupError(f"no cipher provider {name!r}") from None


def provider_for_code(code: int) -> CipherProvider:
    """The provider whose header cipher byte is ``code``; ``LookupError`` when none."""
    for provider in _PROVIDERS.values():
        if provider.code == code:
            return provider
    raise LookupError(f"no cipher provider with code {code}")


def default_provider() -> CipherProvider:
    """The provider named by ``settings.CIPHER`` (``sm4`` unless configured)."""
    from django.conf import settings

    return get_provider(settings.CIPHER)


register_provider(SM4GCMProvider())
register_provider(AES256GCMProvider())
