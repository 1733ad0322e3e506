"""The streaming format's failure paths: source and disk errors, abandoned readers (SEC-4, SEC-7)."""

from __future__ import annotations

import io
import os
import threading

import pytest

from baomi.vault import services, storage, stream
from baomi.vault.crypto import get_provider
from baomi.vault.models import Blob

pytestmark = pytest.mark.django_db


def blob_files() -> list[str]:
    return [f.name for f in storage.iter_files()]


def test_a_failing_source_leaves_no_file_and_no_row(small_chunks):
    """If the upload breaks mid-way, nothing is stored: no file, no temporary file, no row."""

    def broken():
        yield os.urandom(small_chunks)
        yield os.urandom(small_chunks)
        raise OSError("connection reset")

    with pytest.raises(OSError, match="connection reset"):
        services.store(None, broken())
    assert blob_files() == []
    assert not Blob.objects.exists()


class FailingFile(io.BytesIO):
    def __init__(self, fail_after: int):
        super().__init__()
        self.writes = 0
        self.fail_after = fail_after

    def write(self, data) -> int:  # type: ignore[override]
        self.writes += 1
        if self.writes > self.fail_after:
            raise OSError("No space left on device")
        return super().write(data)


def test_a_disk_error_while_writing_is_raised():
    """A write error on the background writer reaches the caller (never a silent short file)."""
    provider = get_provider("aes")
    source = (os.urandom(4096) for _ in range(20))
    with pytest.raises(OSError, match="No space"):
        stream.encrypt(provider, provider.new_key(), os.urandom(16), source, FailingFile(3), chunk_size=4096)


def test_closing_a_reader_midway_closes_the_file_and_stops_the_read_ahead(small_chunks):
    """A download abandoned after one chunk releases its file and its helper thread."""
    blob = services.store(None, os.urandom(50 * small_chunks))
    before = threading.active_count()
    reader = services.open_stream(None, blob)
    first = next(iter(reader))
    assert len(first) == small_chunks
    reader.close()
    assert reader.closed
    for thread in threading.enumerate():
        if thread.name == "baomi-vault-reader":
            thread.join(2)
    assert threading.active_count() <= before


def test_plaintext_size_rejects_impossible_lengths():
    """File lengths that no well-formed blob can have are refused before decrypting."""
    assert stream.plaintext_size(stream.HEADER_SIZE + 16, 4096) == 0
    assert stream.plaintext_size(stream.HEADER_SIZE + 15, 4096) is None
    assert stream.plaintext_size(stream.HEADER_SIZE + 4112 + 10, 4096) is None
    assert stream.plaintext_size(stream.HEADER_SIZE + 4112 + 17, 4096) == 4097


def test_chunk_size_outside_the_format_limits_is_refused():
    """The format allows 4 KiB to 16 MiB chunks; anything else is a programming error."""
    provider = get_provider("sm4")
    with pytest.raises(ValueError, match="chunk size"):
        stream.encrypt(provider, provider.new_key(), os.urandom(16), b"", io.BytesIO(), chunk_size=1024)
