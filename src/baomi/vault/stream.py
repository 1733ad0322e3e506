"""The vault's streaming AEAD format, version 1 (SEC-4, CAR-2); byte layout in docs/vault.md.

A blob file is a 20-byte header followed by records. Each record seals one chunk of
``chunk_size`` plaintext bytes (the last chunk 0..chunk_size bytes) and is ciphertext ‖ 16-byte
tag. Chunk *i* is sealed with

- nonce = nonce prefix (7 random bytes from the header) ‖ *i* (4 bytes, big-endian) ‖ final
  flag (1 byte: 1 on the last chunk, 0 otherwise), and
- associated data = the 20 header bytes ‖ the blob id (16 bytes),

the STREAM construction of Hoang, Reyhanitabar, Rogaway and Vizár (as in age and Tink). So a
flipped byte fails that chunk's tag; swapped or reordered chunks fail because the index is in
the nonce; a file cut at a record boundary fails because its new last record was sealed with
flag 0; an appended record fails because the old last record was sealed with flag 1; an
altered header (another cipher, chunk size or prefix) fails every tag; a file moved to another
blob's row fails because the blob id is bound in. Memory stays at about two chunks whatever
the blob's size.

Django-free apart from the translated error messages, so it can be measured on its own.
"""

from __future__ import annotations

import io
import os
import queue
import struct
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any, BinaryIO

from django.utils.translation import gettext_lazy as _

from baomi.vault.crypto import CipherProvider, DecryptionFailed, Digest
from baomi.vault.errors import VaultIntegrityError

MAGIC = b"BMVT"
VERSION = 1
_HEADER = struct.Struct(">4sBBHI7sB")  # magic, version, cipher, reserved, chunk size, prefix, reserved
HEADER_SIZE = _HEADER.size  # 20
PREFIX_SIZE = 7
MIN_CHUNK_SIZE = 4096
MAX_CHUNK_SIZE = 16 * 1024 * 1024
DEFAULT_CHUNK_SIZE = 1024 * 1024
MAX_CHUNKS = 2**32

MSG_HEADER = _("The encrypted file's header is not valid.")
MSG_CIPHER = _("The encrypted file's header names another cipher or chunk size than its record.")
MSG_CHUNK = _(
    "Chunk {index} of the encrypted content failed authentication: it was altered, reordered or does not "
    "belong to this content."
)
MSG_LENGTH = _("The encrypted content ends in the wrong place: it was truncated or extended.")


def integrity_error(message: Any, reason: str, **params: Any) -> VaultIntegrityError:
    """A :class:`VaultIntegrityError` with a translated message and an English ``reason``."""
    text = _lazy_format(message, **params)
    error = VaultIntegrityError(text, **params)
    error.reason = reason
    return error


def _lazy_format(message: Any, **params: Any) -> Any:
    if not params:
        return message
    from django.utils.functional import lazy

    return lazy(lambda: str(message).format(**params), str)()


@dataclass(frozen=True)
class Header:
    """The 20 bytes at the start of every blob file (see docs/vault.md)."""

    cipher_code: int
    chunk_size: int
    nonce_prefix: bytes

    def pack(self) -> bytes:
        return _HEADER.pack(MAGIC, VERSION, self.cipher_code, 0, self.chunk_size, self.nonce_prefix, 0)

    @classmethod
    def unpack(cls, data: bytes) -> Header:
        if len(data) != HEADER_SIZE:
            raise integrity_error(MSG_HEADER, "header truncated")
        magic, version, cipher_code, reserved, chunk_size, prefix, reserved2 = _HEADER.unpack(data)
        if magic != MAGIC or version != VERSION or reserved or reserved2:
            raise integrity_error(MSG_HEADER, "bad magic, version or reserved bytes")
        if not MIN_CHUNK_SIZE <= chunk_size <= MAX_CHUNK_SIZE:
            raise integrity_error(MSG_HEADER, "chunk size out of range")
        return cls(cipher_code, chunk_size, prefix)


def chunk_nonce(prefix: bytes, index: int, final: bool) -> bytes:
    """Nonce of chunk ``index``: prefix (7) ‖ index (4, big-endian) ‖ final flag (1)."""
    return prefix + index.to_bytes(4, "big") + (b"\x01" if final else b"\x00")


def plaintext_chunks(source: Any, chunk_size: int) -> Iterator[bytes]:
    """Cut ``source`` into chunks of exactly ``chunk_size`` bytes (the last may be shorter).

    ``source`` is bytes, a binary file-like object (``read(n)``: files, Django uploads,
    sockets — short reads are completed) or an iterable of bytes (a generator, ``chunks()``).
    """
    if isinstance(source, bytes | bytearray | memoryview):
        source = io.BytesIO(bytes(source))
    read = getattr(source, "read", None)
    if read is not None:
        while True:
            block = read(chunk_size)
            if not block:
                return
            while len(block) < chunk_size:
                more = read(chunk_size - len(block))
                if not more:
                    break
                block += more
            yield bytes(block)
            if len(block) < chunk_size:
                return
    else:
        buffer = bytearray()
        for piece in source:
            buffer += piece
            while len(buffer) >= chunk_size:
                yield bytes(buffer[:chunk_size])
                del buffer[:chunk_size]
        if buffer:
            yield bytes(buffer)


def encrypt(
    provider: CipherProvider,
    key: bytes,
    blob_id: bytes,
    source: Any,
    out: BinaryIO,
    *,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    digest: Digest | None = None,
) -> int:
    """Write ``source`` to ``out`` in format version 1; return the plaintext size.

    ``digest`` (if given) is updated with every plaintext byte — or, for a digest over tags
    (``over_tags``), with each record's tag in order. One chunk of look-ahead decides
    which chunk is the last, so an empty source gives one empty final chunk and a source of an
    exact multiple of ``chunk_size`` ends with a full final chunk.
    """
    if not MIN_CHUNK_SIZE <= chunk_size <= MAX_CHUNK_SIZE:
        raise ValueError("chunk size out of range")
    header = Header(provider.code, chunk_size, os.urandom(PREFIX_SIZE)).pack()
    aad = header + blob_id
    prefix = header[12:19]
    out.write(header)
    chunks = plaintext_chunks(source, chunk_size)
    current = next(chunks, b"")
    index = size = 0
    # Past the first chunk, hashing and writing run on two helper threads (hashlib and file
    # writes release the GIL) while this thread encrypts; bounded queues keep memory flat.
    hasher: Worker | None = None
    writer: Worker | None = None
    tags = digest if digest is not None and getattr(digest, "over_tags", False) else None
    plain = digest if tags is None else None
    tag_size = provider.tag_size
    try:
        for following in chunks:
            if writer is None:
                hasher = Worker(plain.update) if plain is not None else None
                writer = Worker(out.write)
            if hasher is not None:
                hasher.put(current)
            sealed = provider.seal(key, chunk_nonce(prefix, index, False), current, aad)
            if tags is not None:
                tags.update(sealed[-tag_size:])  # lint: allow (hash, not a model)
            writer.put(sealed)
            size += len(current)
            index += 1
            current = following
        if index >= MAX_CHUNKS:
            raise ValueError("content too large for the chunk counter")
        final = provider.seal(key, chunk_nonce(prefix, index, True), current, aad)
        if tags is not None:
            tags.update(final[-tag_size:])  # lint: allow (hash, not a model)
        if writer is None:
            if plain is not None:
                plain.update(current)  # lint: allow (hash, not a model)
            out.write(final)
        else:
            if hasher is not None:
                hasher.put(current)
            writer.put(final)
    finally:
        for worker in (hasher, writer):
            if worker is not None:
                worker.finish()
    return size + len(current)


_STOP = object()


class Worker:
    """Apply ``fn`` to items on a background thread, at most ``depth`` items queued.

    ``put`` re-raises the first error ``fn`` raised (later items are dropped, so ``put`` never
    blocks on a dead worker); ``finish`` waits for the queue to drain and re-raises it too.
    """

    def __init__(self, fn: Callable[[Any], Any], depth: int = 2):
        self._fn = fn
        self._queue: queue.Queue[Any] = queue.Queue(maxsize=depth)
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="baomi-vault-worker", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while True:
            item = self._queue.get()
            if item is _STOP:
                return
            if self._error is None:
                try:
                    self._fn(item)
                except BaseException as exc:  # re-raised in the caller's thread
                    self._error = exc

    def put(self, item: Any) -> None:
        if self._error is not None:
            raise self._error
        self._queue.put(item)

    def finish(self) -> None:
        if self._thread.is_alive():
            self._queue.put(_STOP)
            self._thread.join()
        if self._error is not None:
            error, self._error = self._error, None
            raise error


def plaintext_size(file_size: int, chunk_size: int, tag_size: int = 16) -> int | None:
    """The plaintext size a well-formed file of ``file_size`` bytes holds, or None if impossible."""
    body = file_size - HEADER_SIZE
    record = chunk_size + tag_size
    if body < tag_size:
        return None
    count = max(1, -(-body // record))
    last = body - (count - 1) * record
    if last < tag_size:
        return None
    return body - count * tag_size


def decrypt(
    provider: CipherProvider,
    key: bytes,
    blob_id: bytes,
    f: BinaryIO,
    *,
    file_size: int,
    chunk_size: int,
    expected_size: int | None = None,
    on_tag: Callable[[bytes], Any] | None = None,
) -> Iterator[bytes]:
    """Yield the authenticated plaintext chunks of the file ``f`` (positioned at its start);
    ``on_tag`` (if given) receives each record's tag once the record authenticated.

    The header must name ``provider`` and ``chunk_size`` (the values recorded for the blob).
    The header and the layout are checked against ``file_size`` and ``expected_size`` at once,
    before this function returns and before any plaintext is released; each chunk is released only after its tag verified. Raises
    :class:`VaultIntegrityError` with a translated message on any failure.
    """
    header_bytes = f.read(HEADER_SIZE)
    header = Header.unpack(header_bytes)
    if header.cipher_code != provider.code or header.chunk_size != chunk_size:
        raise integrity_error(MSG_CIPHER, "header cipher or chunk size differs from the record")
    size = plaintext_size(file_size, chunk_size, provider.tag_size)
    if size is None or (expected_size is not None and size != expected_size):
        raise integrity_error(MSG_LENGTH, "file length does not match the recorded size")
    return _records(provider, key, header, header_bytes + blob_id, f, file_size, on_tag)


def _records(
    provider: CipherProvider,
    key: bytes,
    header: Header,
    aad: bytes,
    f: BinaryIO,
    file_size: int,
    on_tag: Callable[[bytes], Any] | None = None,
) -> Iterator[bytes]:
    chunk_size = header.chunk_size
    record = chunk_size + provider.tag_size
    body = file_size - HEADER_SIZE
    count = max(1, -(-body // record))
    lengths = [record] * (count - 1) + [body - (count - 1) * record]
    for index, sealed in enumerate(_read_ahead(f, lengths) if count > 1 else [f.read(lengths[0])]):
        final = index == count - 1
        if len(sealed) != lengths[index]:
            raise integrity_error(MSG_LENGTH, "file shorter than its size (changed while reading)")
        try:
            plaintext = provider.open(key, chunk_nonce(header.nonce_prefix, index, final), sealed, aad)
        except DecryptionFailed:
            raise _classify_failure(provider, key, header.nonce_prefix, index, final, sealed, aad) from None
        if on_tag is not None:
            on_tag(sealed[-provider.tag_size :])
        yield plaintext
    if f.read(1):
        raise integrity_error(MSG_LENGTH, "file longer than its size (changed while reading)")


def _read_ahead(f: BinaryIO, lengths: list[int], depth: int = 2) -> Iterator[bytes]:
    """Yield ``f.read(n)`` for each ``n`` in ``lengths``, read on a background thread up to
    ``depth`` records ahead (file reads release the GIL, so reading overlaps decryption)."""
    slots: queue.Queue[Any] = queue.Queue(maxsize=depth)
    stop = threading.Event()

    def run() -> None:
        try:
            for n in lengths:
                data = f.read(n)
                while not stop.is_set():
                    try:
                        slots.put(data, timeout=0.1)
                        break
                    except queue.Full:
                        continue
                if stop.is_set() or len(data) != n:
                    return
        except BaseException as exc:  # handed to the consuming thread
            slots.put(exc)
        else:
            slots.put(_STOP)

    thread = threading.Thread(target=run, name="baomi-vault-reader", daemon=True)
    thread.start()
    try:
        while True:
            item = slots.get()
            if item is _STOP:
                return
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        stop.set()
        while thread.is_alive():
            try:
                slots.get_nowait()
            except queue.Empty:
                thread.join(0.05)


def _classify_failure(
    provider: CipherProvider, key: bytes, prefix: bytes, index: int, final: bool, sealed: bytes, aad: bytes
) -> VaultIntegrityError:
    """Name the failure: a chunk sealed with the other final flag means a cut or an append."""
    try:
        provider.open(key, chunk_nonce(prefix, index, not final), sealed, aad)
    except DecryptionFailed:
        return integrity_error(MSG_CHUNK, f"chunk {index} failed authentication", index=index)
    if final:
        return integrity_error(MSG_LENGTH, f"truncated after chunk {index}")
    return integrity_error(MSG_LENGTH, f"data appended after final chunk {index}")


class PlaintextReader:
    """A read-only binary file-like over decrypted chunks; iterate it for chunks as they come.

    ``read(n)`` returns up to ``n`` bytes (all remaining with ``n < 0``); iteration yields the
    authenticated chunks. Closing (or leaving the ``with`` block) closes the underlying file.
    A :class:`VaultIntegrityError` raised mid-way means the content as a whole is bad.
    """

    def __init__(self, chunks: Iterator[bytes], closer: Any = None, *, size: int | None = None):
        self._chunks = chunks
        self._closer = closer
        self._buffer = b""  # the current chunk; bytes before _pos were already returned
        self._pos = 0
        self.size = size
        self.closed = False

    def _rest(self) -> bytes:
        rest = self._buffer[self._pos :] if self._pos else self._buffer
        self._buffer, self._pos = b"", 0
        return rest

    def __iter__(self) -> Iterator[bytes]:
        if self._pos < len(self._buffer):
            yield self._rest()
        try:
            yield from self._chunks
        finally:
            self.close()

    def read(self, n: int = -1) -> bytes:
        """Up to ``n`` bytes (everything left with ``n < 0``); ``b""`` at the end.

        Small reads (``FileResponse`` asks for 4 KiB at a time) copy only what they return.
        """
        if n is None or n < 0:
            return b"".join([self._rest(), *self._chunks])
        parts: list[bytes] = []
        wanted = n
        while wanted > 0:
            if self._pos >= len(self._buffer):
                chunk = next(self._chunks, None)
                if chunk is None:
                    break
                self._buffer, self._pos = chunk, 0
                continue
            piece = self._buffer[self._pos : self._pos + wanted]
            self._pos += len(piece)
            wanted -= len(piece)
            parts.append(piece)
        return parts[0] if len(parts) == 1 else b"".join(parts)

    def readable(self) -> bool:
        return True

    def close(self) -> None:
        if not self.closed:
            self.closed = True
            close = getattr(self._chunks, "close", None)
            if close is not None:
                close()
            if self._closer is not None:
                self._closer.close()

    def __enter__(self) -> PlaintextReader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def iter_all(chunks: Iterable[bytes]) -> int:
    """Consume ``chunks``; return the number of bytes (for verification and benchmarks)."""
    return sum(len(c) for c in chunks)
