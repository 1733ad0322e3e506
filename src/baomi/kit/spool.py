"""Uploads larger than ``FILE_UPLOAD_MAX_MEMORY_SIZE`` wait on disk encrypted (SEC-4, R-CRYPTO-1).

Django's own ``TemporaryFileUploadHandler`` writes such an upload in plaintext to the system's
temporary directory until the view hands it to the vault: a 秘密 document would lie readable in
``/tmp`` for the length of the request (and for ever after a crash). This handler writes it
instead under a key that exists only in the worker's memory, with the configured cipher
(``BAOMI_CIPHER``: SM4 or AES) in CTR mode, to ``DATA_DIR/uploads`` (mode 0700), and the file is
unlinked as soon as it is created: nothing is left on disk when the process ends, however it ends.

The uploaded file reads back decrypted with random access (``seek``/``read``/``chunks``), so the
vault and every form read it as they read Django's; it has no ``temporary_file_path``, so nothing
can move the ciphertext somewhere as if it were the file.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler

BLOCK = 16  # both SM4 and AES: 128-bit blocks, so the CTR counter advances once per 16 bytes


def spool_dir() -> Path:
    """``DATA_DIR/uploads``, created private to the service user."""
    path = Path(settings.DATA_DIR) / "uploads"
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    return path


class EncryptedSpool:
    """A write-once, then read-many file of ciphertext under a key held only here."""

    def __init__(self) -> None:
        self._key, self._nonce = os.urandom(16), int.from_bytes(os.urandom(16), "big")
        fd, name = tempfile.mkstemp(prefix="up-", dir=spool_dir())
        os.unlink(name)  # nameless from the start: gone with the descriptor, even after a crash
        self._fh = os.fdopen(fd, "w+b")
        self._size = 0
        self._pos = 0
        self._writer = self._cipher(0).encryptor()

    def _cipher(self, offset: int) -> Cipher:
        algorithm = (
            algorithms.SM4 if str(getattr(settings, "CIPHER", "sm4")).lower() == "sm4" else algorithms.AES
        )
        counter = (self._nonce + offset // BLOCK) % (1 << 128)
        return Cipher(algorithm(self._key), modes.CTR(counter.to_bytes(16, "big")))

    # --- writing (the handler) ---
    def append(self, data: bytes) -> None:
        self._fh.seek(0, os.SEEK_END)
        self._fh.write(self._writer.update(data))
        self._size += len(data)

    # --- reading (the view, the vault) ---
    @property
    def size(self) -> int:
        return self._size

    def seek(self, pos: int, whence: int = os.SEEK_SET) -> int:
        base = {os.SEEK_SET: 0, os.SEEK_CUR: self._pos, os.SEEK_END: self._size}[whence]
        self._pos = max(0, base + pos)
        return self._pos

    def tell(self) -> int:
        return self._pos

    def read(self, n: int = -1) -> bytes:
        if self._pos >= self._size:
            return b""
        want = self._size - self._pos if n is None or n < 0 else min(n, self._size - self._pos)
        self._fh.seek(self._pos)
        data = self._fh.read(want)
        skip = self._pos % BLOCK
        decryptor = self._cipher(self._pos).decryptor()
        plain = decryptor.update(b"\0" * skip + data)[skip:]
        self._pos += len(plain)
        return plain

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    @property
    def closed(self) -> bool:
        return self._fh.closed

    def close(self) -> None:
        self._fh.close()


class EncryptedUploadedFile(UploadedFile):
    """An upload held in an :class:`EncryptedSpool` (Django's ``UploadedFile`` interface)."""

    def __init__(self, name: Any, content_type: Any, charset: str | None, content_type_extra: Any) -> None:
        self.spool = EncryptedSpool()
        super().__init__(self.spool, name, content_type, 0, charset, content_type_extra)  # type: ignore[arg-type]

    def close(self) -> None:
        self.spool.close()


class EncryptedTemporaryUploadHandler(FileUploadHandler):
    """Stores a large upload encrypted on disk instead of in plaintext (replaces Django's
    ``TemporaryFileUploadHandler`` in ``FILE_UPLOAD_HANDLERS``)."""

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self.upload = EncryptedUploadedFile(
            self.file_name, self.content_type, self.charset, self.content_type_extra
        )
        self.file = self.upload  # Django's parser closes ``handler.file`` when a request fails

    def upload_interrupted(self) -> None:
        if hasattr(self, "upload"):
            self.upload.close()  # the spool has no name: closing it frees the disk

    def receive_data_chunk(self, raw_data: bytes, start: int) -> None:
        self.upload.spool.append(raw_data)
        return None

    def file_complete(self, file_size: int) -> EncryptedUploadedFile:
        self.upload.spool.seek(0)
        self.upload.size = file_size
        return self.upload
