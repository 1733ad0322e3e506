"""Vault services: store, open_stream, shred, with their audit entries (SEC-4, CAR-2, CAR-11)."""

from __future__ import annotations

import hashlib
import io
import os

import pytest

from baomi.audit.events import AuditEvent
from baomi.vault import services, storage, stream
from baomi.vault.crypto import get_provider
from baomi.vault.errors import BlobShredded, KeyUnavailable, VaultIntegrityError
from baomi.vault.models import Blob
from tests.support.assertions import assert_audited, assert_not_audited, last_audit_id

pytestmark = pytest.mark.django_db


def read_all(blob, actor=None, target=None) -> bytes:
    with services.open_stream(actor, blob, target=target) as reader:
        return b"".join(reader)


@pytest.mark.parametrize("size", [0, 1, 4095, 4096, 4097, 3 * 4096, 3 * 4096 + 17])
def test_round_trip_each_cipher_and_edge_size(cipher, small_chunks, size):
    """Content of any size — empty, one byte, exact multiples of the chunk — reads back exactly
    with both ciphers, and the recorded digest is SM3 of the plaintext for SM4 and SHA-256 for
    AES — since issue 20 §4 SHA-256 over the records' authenticated tags (SEC-4)."""
    data = os.urandom(size)
    blob = services.store(None, data, content_type="application/pdf")
    assert blob.cipher == cipher
    assert blob.size == size
    assert blob.chunk_size == small_chunks
    assert read_all(blob) == data
    records = max(1, -(-size // small_chunks))
    raw = storage.path_for(blob.storage_name).read_bytes()
    if cipher == "sm4":
        digest = get_provider(cipher).new_digest()
        digest.update(data)
        assert blob.digest == digest.hexdigest()
        assert blob.digest_algorithm == "sm3"
    else:
        body = raw[stream.HEADER_SIZE :]
        ends = [min((i + 1) * (small_chunks + 16), len(body)) for i in range(records)]
        assert blob.digest == hashlib.sha256(b"".join(body[e - 16 : e] for e in ends)).hexdigest()
        assert blob.digest_algorithm == "tag-sha256"
    assert len(raw) == stream.HEADER_SIZE + size + 16 * records


def test_file_is_ciphertext_with_an_opaque_name_and_private_mode(small_chunks):
    """The file never holds the plaintext, its name is random hex unrelated to the content
    type or id, and only the service account can read it (SEC-4, STYLE 2.6)."""
    data = b"TOP-SECRET-MARKER " * 1000
    blob = services.store(None, data, content_type="text/plain")
    path = storage.path_for(blob.storage_name)
    raw = path.read_bytes()
    assert b"TOP-SECRET-MARKER" not in raw
    assert raw[:4] == b"BMVT"
    assert len(blob.storage_name) == 32 and str(blob.id).replace("-", "") != blob.storage_name
    assert path.stat().st_mode & 0o077 == 0
    assert not [p for p in path.parent.iterdir() if p.name.startswith(".tmp-")]
    other = services.store(None, data)
    assert other.storage_name != blob.storage_name


def test_store_accepts_file_like_and_iterables(small_chunks):
    """Uploads (file-like with short reads) and generators of uneven pieces store the same bytes."""

    class Trickle(io.RawIOBase):
        def __init__(self, data: bytes):
            self.data = io.BytesIO(data)

        def readable(self) -> bool:
            return True

        def read(self, n: int = -1) -> bytes:
            return self.data.read(min(n, 1000) if n and n > 0 else n)

    data = os.urandom(10_000)
    assert read_all(services.store(None, Trickle(data))) == data
    pieces = (data[i : i + 777] for i in range(0, len(data), 777))
    assert read_all(services.store(None, pieces)) == data


def test_reader_read_n_and_read_all(small_chunks):
    """The reader works like a binary file: read(n) in pieces, read() for the rest."""
    data = os.urandom(9000)
    blob = services.store(None, data)
    with services.open_stream(None, blob) as reader:
        assert reader.readable()
        assert reader.read(10) == data[:10]
        assert reader.read(5000) == data[10:5010]
        assert reader.read() == data[5010:]
        assert reader.read(1) == b""
    assert reader.closed


def test_store_and_read_are_audited_with_the_target(user, small_chunks):
    """BLOB_STORED and BLOB_READ name the actor and the target the content belongs to, with the
    blob id in the details and never the content (CAR-2, SEC-3)."""
    since = last_audit_id()
    target = ("carriers.carrier", "42", "JM-2026-0001")
    blob = services.store(user, b"secret words", target=target)
    stored = assert_audited(AuditEvent.BLOB_STORED, target, user, since=since)
    assert stored.details["blob"] == str(blob.id)
    assert stored.details["cipher"] == "sm4"
    assert "secret words" not in str(stored.details)
    read_all(blob, user, target)
    read = assert_audited(AuditEvent.BLOB_READ, target, user, since=since)
    assert read.details["blob"] == str(blob.id)
    read_all(blob, user)
    assert_audited(AuditEvent.BLOB_READ, blob, user, since=since)


def test_digest_algorithm_field_defaults_to_sm3():
    """Rows written before the field existed were SM4 with SM3 digests (migration 0002)."""
    assert Blob._meta.get_field("digest_algorithm").default == "sm3"


# --- tampering ------------------------------------------------------------------------------

RECORD = 4096 + 16


def stored_file(small_chunks, chunks: int = 3, extra: int = 0):
    data = os.urandom(chunks * small_chunks + extra)
    blob = services.store(None, data)
    return blob, storage.path_for(blob.storage_name), data


def expect_integrity_error(blob, *, at_open: bool) -> VaultIntegrityError:
    if at_open:
        with pytest.raises(VaultIntegrityError) as info:
            services.open_stream(None, blob)
    else:
        reader = services.open_stream(None, blob)
        with pytest.raises(VaultIntegrityError) as info:
            b"".join(reader)
        assert reader.closed
    assert info.value.code == "vault_integrity"
    return info.value


def test_a_flipped_byte_fails_its_chunk_with_a_chinese_message(small_chunks):
    """A single flipped ciphertext bit makes that chunk fail authentication (SEC-4, CAR-2)."""
    blob, path, _ = stored_file(small_chunks)
    raw = bytearray(path.read_bytes())
    raw[stream.HEADER_SIZE + RECORD + 100] ^= 0x01
    path.write_bytes(bytes(raw))
    error = expect_integrity_error(blob, at_open=False)
    assert error.reason == "chunk 1 failed authentication"
    assert "第 1" in str(error) or "1" in str(error)
    assert "完整性" in str(error) or "校验" in str(error) or "认证" in str(error)


def test_reordered_chunks_fail(small_chunks):
    """Swapping two chunks fails: the chunk index is bound into each nonce (SEC-4)."""
    blob, path, _ = stored_file(small_chunks)
    raw = path.read_bytes()
    h = stream.HEADER_SIZE
    path.write_bytes(raw[:h] + raw[h + RECORD : h + 2 * RECORD] + raw[h : h + RECORD] + raw[h + 2 * RECORD :])
    assert expect_integrity_error(blob, at_open=False).reason == "chunk 0 failed authentication"


def test_truncated_and_appended_files_fail_before_any_plaintext(small_chunks):
    """A file cut at a chunk boundary, or with a chunk appended, is refused when opened (SEC-4)."""
    blob, path, _ = stored_file(small_chunks, chunks=3)
    raw = path.read_bytes()
    path.write_bytes(raw[:-RECORD])
    assert "length" in expect_integrity_error(blob, at_open=True).reason
    path.write_bytes(raw + raw[stream.HEADER_SIZE : stream.HEADER_SIZE + RECORD])
    assert "length" in expect_integrity_error(blob, at_open=True).reason
    path.write_bytes(raw[:-1])
    expect_integrity_error(blob, at_open=True)


def test_final_flag_detects_truncation_and_append_without_a_recorded_size(small_chunks):
    """Even without the recorded size the final-chunk flag detects a cut or an extension (SEC-4)."""
    blob, path, _ = stored_file(small_chunks, chunks=3)
    provider = get_provider("sm4")
    from baomi.vault.services import _data_key, _ring

    key = _data_key(_ring(), provider, blob)
    raw = path.read_bytes()

    def decrypt(data: bytes) -> bytes:
        chunks = stream.decrypt(
            provider, key, blob.id.bytes, io.BytesIO(data), file_size=len(data), chunk_size=small_chunks
        )
        return b"".join(chunks)

    assert len(decrypt(raw)) == 3 * small_chunks
    with pytest.raises(VaultIntegrityError) as info:
        decrypt(raw[:-RECORD])
    assert info.value.reason == "truncated after chunk 1"
    with pytest.raises(VaultIntegrityError) as info:
        decrypt(raw + raw[stream.HEADER_SIZE : stream.HEADER_SIZE + RECORD])
    assert info.value.reason == "data appended after final chunk 2"


@pytest.mark.parametrize(
    ("offset", "value"),
    [(5, 2), (0, ord("X")), (4, 9), (6, 1), (10, 0x20), (12, None)],
    ids=["cipher", "magic", "version", "reserved", "chunk-size", "nonce-prefix"],
)
def test_an_altered_header_fails(small_chunks, offset, value):
    """Another cipher byte, magic, version, reserved byte, chunk size or nonce prefix in the
    header is refused: the header is checked and bound into every chunk (SEC-4)."""
    blob, path, _ = stored_file(small_chunks, chunks=1)
    raw = bytearray(path.read_bytes())
    raw[offset] = raw[offset] ^ 0xFF if value is None else value
    path.write_bytes(bytes(raw))
    expect_integrity_error(blob, at_open=offset != 12)


def test_a_file_swapped_with_another_blobs_file_fails(small_chunks):
    """A blob file copied over another blob's file does not decrypt: blob id and key differ."""
    _a, path_a, _ = stored_file(small_chunks, chunks=1)
    b, path_b, _ = stored_file(small_chunks, chunks=1)
    path_b.write_bytes(path_a.read_bytes())
    expect_integrity_error(b, at_open=False)


def test_a_tampered_wrapped_key_or_missing_file_fails_clearly(small_chunks):
    """A damaged wrapped data key or a missing file is an integrity error, not a crash (SEC-7)."""
    blob, _path, _ = stored_file(small_chunks, chunks=1)
    wrapped = bytearray(blob.wrapped_key)
    wrapped[-1] ^= 1
    Blob.objects.filter(pk=blob.pk).update(wrapped_key=bytes(wrapped))
    assert expect_integrity_error(blob, at_open=True).reason == "wrapped data key failed authentication"
    blob2, path2, _ = stored_file(small_chunks, chunks=1)
    path2.unlink()
    assert expect_integrity_error(blob2, at_open=True).reason == "file missing"
    Blob.objects.filter(pk=blob2.pk).update(cipher="des")
    expect_integrity_error(blob2, at_open=True)


# --- shredding ------------------------------------------------------------------------------


def test_shred_destroys_key_and_file_keeps_the_row(user, small_chunks, django_capture_on_commit_callbacks):
    """Shredding erases the wrapped data key and the file, keeps the row with shredded_at, is
    audited once, and reading afterwards fails with a clear error (CAR-11)."""
    blob, path, _ = stored_file(small_chunks, chunks=2)
    since = last_audit_id()
    with django_capture_on_commit_callbacks(execute=True):
        services.shred(user, blob)
    row = Blob.objects.get(pk=blob.pk)
    assert row.wrapped_key is None
    assert row.shredded_at is not None
    assert not path.exists()
    entry = assert_audited(AuditEvent.BLOB_SHREDDED, blob, user, since=since)
    assert entry.details["key_id"] == blob.key_id
    with pytest.raises(BlobShredded) as info:
        services.open_stream(user, blob)
    assert info.value.status == 410
    assert "销毁" in str(info.value)
    again = last_audit_id()
    services.shred(user, row)
    assert_not_audited(AuditEvent.BLOB_SHREDDED, since=again)
    assert_not_audited(AuditEvent.BLOB_READ, since=since)


def test_shred_rolled_back_keeps_key_and_file(small_chunks, django_capture_on_commit_callbacks):
    """If the caller's transaction rolls back, the key and the file are both still there."""
    from django.db import transaction

    blob, path, data = stored_file(small_chunks, chunks=1)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():
        services.shred(None, blob)
        raise RuntimeError("caller failed")
    assert path.exists()
    assert read_all(blob) == data


def test_missing_key_ring_with_existing_blobs_is_an_error(settings, tmp_path, small_chunks):
    """A missing key file (an unmounted key volume) never silently becomes a new key (SEC-4)."""
    blob, _, _ = stored_file(small_chunks, chunks=1)
    settings.MASTER_KEY_FILE = tmp_path / "elsewhere" / "master.key"
    with pytest.raises(KeyUnavailable):
        services.open_stream(None, blob)
    with pytest.raises(KeyUnavailable):
        services.store(None, b"x")
    assert not settings.MASTER_KEY_FILE.exists()


def test_content_keeps_its_cipher_when_the_setting_changes(settings, small_chunks):
    """Changing BAOMI_CIPHER affects new content only; old content reads with its own cipher (SEC-4)."""
    settings.CIPHER = "aes"
    old = services.store(None, b"stored under AES")
    settings.CIPHER = "sm4"
    new = services.store(None, b"stored under SM4")
    assert (old.cipher, new.cipher) == ("aes", "sm4")
    assert storage.path_for(old.storage_name).read_bytes()[5] == 2
    assert storage.path_for(new.storage_name).read_bytes()[5] == 1
    assert read_all(old) == b"stored under AES"
    assert read_all(new) == b"stored under SM4"


def test_reader_works_as_a_django_file_response(small_chunks):
    """The reader can be handed to FileResponse; the response streams the plaintext and closes it."""
    from django.http import FileResponse

    data = os.urandom(3 * small_chunks + 5)
    reader = services.open_stream(None, services.store(None, data))
    response = FileResponse(reader, content_type="application/octet-stream")
    assert b"".join(response.streaming_content) == data
    response.close()
    assert reader.closed


def test_reader_small_reads_across_chunk_boundaries(small_chunks):
    """read(n) with sizes that straddle chunk boundaries returns every byte once, in order."""
    data = os.urandom(5 * small_chunks + 123)
    with services.open_stream(None, services.store(None, data)) as reader:
        pieces = list(iter(lambda: reader.read(3000), b""))
    assert b"".join(pieces) == data
    assert all(len(p) == 3000 for p in pieces[:-1])


def _check(blob: Blob) -> str | None:
    from baomi.vault.keyring import keystore

    return services.check_blob(keystore(), Blob.objects.get(pk=blob.pk))


def test_aes_content_verifies_by_its_tag_digest_without_hashing_the_plaintext(settings, small_chunks):
    """Issue 20 §4: new AES content records SHA-256 over its records' tags; `vault verify`
    authenticates every record and checks that digest — no second pass over the plaintext."""
    settings.CIPHER = "aes"
    blob = services.store(None, os.urandom(3 * 4096 + 5))
    assert blob.digest_algorithm == "tag-sha256"
    assert _check(blob) is None
    Blob.objects.filter(pk=blob.pk).update(digest="0" * 64)
    assert _check(blob) == "解密后的内容与记录的摘要不符。"


def test_the_tag_digest_catches_content_replaced_by_someone_holding_the_data_key(settings, small_chunks):
    """Even a file re-encrypted whole under the blob's own data key (every record authentic)
    differs in its tags, so it fails the recorded digest: the digest commits to the content."""
    from baomi.vault.keyring import keystore

    settings.CIPHER = "aes"
    blob = services.store(None, b"A" * 9000)
    provider = get_provider("aes")
    data_key = services._data_key(keystore(), provider, blob)
    path = storage.path_for(blob.storage_name)
    with path.open("wb") as fh:
        stream.encrypt(provider, data_key, blob.id.bytes, b"B" * 9000, fh, chunk_size=small_chunks)
    with services.open_stream(None, blob) as reader:
        assert b"".join(reader) == b"B" * 9000  # authentic under the data key...
    assert _check(blob) == "解密后的内容与记录的摘要不符。"  # ...but not the content stored


def test_aes_content_stored_with_a_plaintext_digest_still_verifies(settings, small_chunks):
    """Backward compatible: AES blobs stored before tag digests recorded SHA-256 of the
    plaintext (``sha256``); they keep verifying by it, and a wrong one still fails."""
    settings.CIPHER = "aes"
    data = os.urandom(2 * 4096 + 100)
    blob = services.store(None, data)
    Blob.objects.filter(pk=blob.pk).update(digest=hashlib.sha256(data).hexdigest(), digest_algorithm="sha256")
    assert _check(blob) is None
    Blob.objects.filter(pk=blob.pk).update(digest=hashlib.sha256(b"other").hexdigest())
    assert _check(blob) == "解密后的内容与记录的摘要不符。"
    Blob.objects.filter(pk=blob.pk).update(digest_algorithm="md5")
    assert _check(blob) == "解密后的内容与记录的摘要不符。"
