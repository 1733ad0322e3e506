"""Blob files on disk (SEC-4, STYLE 2.6): opaque random names, atomic writes, erasure.

A blob file lives at ``BLOB_DIR/<first two hex digits>/<32 hex digits>``; the name is random
(``secrets.token_hex``), never derived from a title, number or any metadata. A file is written
to ``.tmp-<name>`` in the same directory, flushed and fsynced, renamed into place and the
directory fsynced, so a crash leaves either no file or a complete one. The web server must
never serve ``BLOB_DIR`` (docs/vault.md).
"""

from __future__ import annotations

import contextlib
import os
import secrets
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from django.conf import settings

TEMP_PREFIX = ".tmp-"


def root() -> Path:
    return Path(settings.BLOB_DIR)


def new_storage_name() -> str:
    """A fresh opaque name: 128 random bits as 32 hex digits."""
    return secrets.token_hex(16)


def path_for(name: str) -> Path:
    if len(name) != 32 or any(c not in "0123456789abcdef" for c in name):
        raise ValueError("not a blob storage name")
    return root() / name[:2] / name


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@contextlib.contextmanager
def atomic_writer(name: str) -> Iterator[BinaryIO]:
    """Yield a file to write blob ``name`` into; it appears under its name only when complete."""
    final = path_for(name)
    final.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    tmp = final.with_name(TEMP_PREFIX + name)
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    fh = os.fdopen(fd, "wb")
    try:
        yield fh
        fh.flush()
        os.fsync(fh.fileno())
        fh.close()
        os.rename(tmp, final)
        _fsync_dir(final.parent)
    except BaseException:
        fh.close()
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
        raise


def open_for_reading(name: str) -> tuple[BinaryIO, int]:
    """Open blob ``name``; return the file and its size. ``FileNotFoundError`` if missing."""
    fh = open(path_for(name), "rb")  # noqa: SIM115  # closed by the reader that consumes it
    return fh, os.fstat(fh.fileno()).st_size


def exists(name: str) -> bool:
    return path_for(name).exists()


def erase(name: str) -> bool:
    """Unlink blob ``name`` and fsync its directory; return whether a file was there.

    Overwriting in place is not attempted: on journalling, copy-on-write and flash storage it
    does not reach the old blocks. The content is unreadable because its data key is gone
    (crypto-shredding); removing the file only frees the space.
    """
    path = path_for(name)
    try:
        path.unlink()
    except FileNotFoundError:
        return False
    _fsync_dir(path.parent)
    return True


@dataclass(frozen=True)
class StoredFile:
    name: str
    path: Path
    temporary: bool
    age_seconds: float


def iter_files() -> Iterator[StoredFile]:
    """Every file under ``BLOB_DIR`` (blob files and leftover temporary files)."""
    base = root()
    if not base.exists():
        return
    now = time.time()
    for sub in sorted(base.iterdir()):
        if not sub.is_dir():
            yield StoredFile(sub.name, sub, False, now - sub.stat().st_mtime)
            continue
        for entry in sorted(sub.iterdir()):
            temporary = entry.name.startswith(TEMP_PREFIX)
            name = entry.name[len(TEMP_PREFIX) :] if temporary else entry.name
            yield StoredFile(name, entry, temporary, now - entry.stat().st_mtime)
