"""The vault on S3-compatible object storage, against a real SeaweedFS (issue 18; SEC-4, SEC-6,
CAR-2, CAR-11): the same encrypted format, streamed both ways, opaque keys, shredding, the
check, the migration, and the faults — the store going down in the middle of an upload, an
altered or truncated object, wrong credentials. No mock: tests/support/seaweed.py starts the
server; a broken connection is a real one (``CutProxy``)."""

from __future__ import annotations

import io
import os
import re

import pytest
from django.urls import reverse

from baomi.audit.events import AuditEvent
from baomi.cli import main
from baomi.vault import services, storage, stream
from baomi.vault.errors import StoreMisconfigured, StoreUnavailable, VaultIntegrityError
from baomi.vault.models import Blob
from tests.support.assertions import assert_audited, assert_not_audited, last_audit_id
from tests.support.seaweed import BUCKET, CutProxy

pytestmark = [pytest.mark.django_db, pytest.mark.s3]
MIB = 1 << 20


def read_all(blob) -> bytes:
    with services.open_stream(None, blob) as reader:
        return b"".join(reader)


def object_key(blob) -> str:
    return storage.get("s3").key_for(blob.storage_name)


def run(argv: list[str], capsys) -> tuple[int, str]:
    code = main(argv)
    out = capsys.readouterr()
    return code, out.out + out.err


@pytest.mark.parametrize("size", [0, 1, 4097, 3 * 4096])
def test_round_trip_on_s3_each_cipher(s3_settings, seaweed, s3_prefix, cipher, small_chunks, size):
    """SEC-4: content stored through the S3 backend reads back exactly with both ciphers; the
    object is the same encrypted format as a file, under an opaque key; nothing goes to disk."""
    data = os.urandom(size)
    blob = services.store(None, data)
    assert blob.location == "s3"
    assert read_all(blob) == data
    key = object_key(blob)
    assert re.fullmatch(rf"{s3_prefix}/[0-9a-f]{{2}}/[0-9a-f]{{32}}", key)
    assert key.rsplit("/", 1)[-1] == blob.storage_name != str(blob.id).replace("-", "")
    raw = seaweed.client().get_object(Bucket=BUCKET, Key=key)["Body"].read()
    records = max(1, -(-size // small_chunks))
    assert raw[:4] == b"BMVT" and len(raw) == stream.HEADER_SIZE + size + 16 * records
    assert not storage.root().exists() or not any(storage.root().rglob("*"))


def test_multipart_upload_streams_a_large_blob(s3_settings, seaweed, settings):
    """A blob larger than a part (5 MiB) goes up as a multipart upload, parts in flight at once,
    and comes back through a streaming GET; the plaintext never appears in the object."""
    settings.CIPHER = "aes"
    marker = b"CLASSIFIED-MARKER-" * 1000
    data = marker + os.urandom(12 * MIB)
    blob = services.store(None, io.BytesIO(data))
    head = seaweed.client().head_object(Bucket=BUCKET, Key=object_key(blob))
    assert "-" in head["ETag"], "a multipart object (its ETag counts the parts)"
    assert read_all(blob) == data
    raw = seaweed.client().get_object(Bucket=BUCKET, Key=object_key(blob))["Body"].read()
    assert b"CLASSIFIED-MARKER" not in raw
    assert not seaweed.client().list_multipart_uploads(Bucket=BUCKET).get("Uploads")


def test_reader_resumes_a_broken_stream_and_seeks_with_ranges(s3_settings, seaweed, settings):
    """A GET that breaks mid-way resumes with a Range request from the byte where it stopped;
    ``seek`` is a ranged read; an object replaced while it is read is refused (If-Match)."""
    settings.CIPHER = "aes"
    blob = services.store(None, os.urandom(3 * MIB))
    store = storage.get()
    raw = seaweed.client().get_object(Bucket=BUCKET, Key=object_key(blob))["Body"].read()
    fh, size = store.open(blob.storage_name)
    assert size == len(raw)
    first = fh.read(1000)
    fh._body.close()  # the connection drops
    assert first + fh.read() == raw
    fh.seek(len(raw) - 100)
    assert fh.read(100) == raw[-100:]
    fh.seek(10)
    assert fh.read(5) == raw[10:15]
    fh.close()
    fh, _ = store.open(blob.storage_name)
    fh.read(10)
    fh._body.close()
    seaweed.client().put_object(Bucket=BUCKET, Key=object_key(blob), Body=raw[::-1])
    with pytest.raises(StoreUnavailable) as caught:
        fh.read()
    assert "changed" in caught.value.reason


def test_shred_deletes_the_object_and_records_it(s3_settings, seaweed, django_capture_on_commit_callbacks):
    """CAR-11: destroying content erases the data key, then deletes the object after commit;
    the audit entry names the store."""
    blob = services.store(None, b"to be destroyed")
    key = object_key(blob)
    since = last_audit_id()
    with django_capture_on_commit_callbacks(execute=True):
        services.shred(None, blob)
    assert key not in seaweed.keys(key)
    entry = assert_audited(AuditEvent.BLOB_SHREDDED, blob, since=since)
    assert entry.details["store"] == "s3"


def test_store_down_during_an_upload(org, settings, seaweed, s3_prefix, capsys):
    """The object store goes away in the middle of a carrier's upload: the page says so in
    Chinese, the carrier has no content and no audit entry claims it, no row exists; the
    unfinished upload left in the store is what `baomi vault check` reports and removes."""
    from django.test import Client

    from tests.carriers.factories import make_carrier

    proxy = CutProxy(seaweed.endpoint, cut_after=7 * MIB)  # in the second 5 MiB part
    settings.BLOB_STORE = "s3"
    settings.BLOB_S3 = seaweed.blob_settings(s3_prefix, endpoint=proxy.endpoint, concurrency=1)
    settings.CIPHER = "aes"
    carrier = make_carrier(org, kind="electronic", scope=[org.case_handler])
    client = Client()
    client.force_login(org.staff_secret)
    since = last_audit_id()
    upload = io.BytesIO(os.urandom(12 * MIB))
    upload.name = "report.zip"
    response = client.post(reverse("carriers:action", args=[carrier.pk, "upload"]), {"file": upload})
    assert proxy.cut_happened.is_set()
    assert response.status_code == 200
    assert "加密内容存储暂时无法访问" in response.content.decode()
    carrier.refresh_from_db()
    assert carrier.blob_id is None
    assert not Blob.objects.exists()
    assert_not_audited(AuditEvent.CONTENT_UPLOADED, carrier, since=since)
    assert_not_audited(AuditEvent.BLOB_STORED, since=since)
    assert not seaweed.keys(s3_prefix), "no object became visible"

    proxy.restore()
    settings.VAULT_ORPHAN_GRACE_SECONDS = 0
    code, out = run(["vault", "check"], capsys)
    assert code == 1 and "问题 [残留临时文件]" in out
    code, out = run(["vault", "check", "--remove-orphans"], capsys)
    assert "已删除" in out
    assert not seaweed.client().list_multipart_uploads(Bucket=BUCKET, Prefix=s3_prefix).get("Uploads")
    code, out = run(["vault", "check"], capsys)
    assert code == 0, out


def test_store_down_when_reading_is_a_clear_error(s3_settings, seaweed, settings):
    """Reading while the store is unreachable raises StoreUnavailable (503, Chinese), not a crash."""
    blob = services.store(None, b"content")
    settings.BLOB_S3 = {**settings.BLOB_S3, "endpoint": "http://127.0.0.1:9"}  # nothing listens there
    with pytest.raises(StoreUnavailable) as caught:
        services.open_stream(None, blob)
    assert caught.value.status == 503 and "无法访问" in str(caught.value)


@pytest.mark.parametrize("damage", ["truncate", "flip", "append", "swap"])
def test_altered_or_truncated_object_is_refused(s3_settings, seaweed, small_chunks, damage, capsys):
    """SEC-4: an object cut short, altered, extended, or replaced by another blob's object fails
    authentication like a damaged file; `baomi vault check` lists it as damaged."""
    blob = services.store(None, os.urandom(3 * 4096 + 5))
    other = services.store(None, os.urandom(3 * 4096 + 5))
    client = seaweed.client()
    raw = client.get_object(Bucket=BUCKET, Key=object_key(blob))["Body"].read()
    changed = {
        "truncate": raw[: -(4096 + 16 + 5)],
        "flip": raw[:30] + bytes([raw[30] ^ 1]) + raw[31:],
        "append": raw + raw[-21:],
        "swap": client.get_object(Bucket=BUCKET, Key=object_key(other))["Body"].read(),
    }[damage]
    client.put_object(Bucket=BUCKET, Key=object_key(blob), Body=changed)
    with pytest.raises(VaultIntegrityError):
        read_all(blob)
    code, out = run(["vault", "verify"], capsys)
    assert code == 1 and f"问题 [已损坏]: {blob.pk}" in out and str(other.pk) not in out


def test_vault_check_on_s3_lists_orphans_missing_and_leftovers(s3_settings, seaweed, settings, capsys):
    """`baomi vault check` on the object store: an object without a row (orphan), a row whose
    object is gone (missing), an object of destroyed content (leftover); --remove-orphans
    deletes orphans and leftovers, never a live blob."""
    live = services.store(None, b"live")
    missing = services.store(None, b"missing")
    seaweed.client().delete_object(Bucket=BUCKET, Key=object_key(missing))
    leftover = services.store(None, b"leftover")
    Blob.objects.filter(pk=leftover.pk).update(wrapped_key=None, shredded_at="2026-01-01T00:00:00Z")
    orphan = storage.new_storage_name()
    with storage.get().writer(orphan) as fh:
        fh.write(b"no row")
    settings.VAULT_ORPHAN_GRACE_SECONDS = 0
    since = last_audit_id()
    code, out = run(["vault", "check"], capsys)
    assert code == 1
    assert f"问题 [文件缺失]: {missing.pk}" in out
    assert f"问题 [已销毁内容的文件仍然存在]: {leftover.pk}" in out
    assert f"问题 [孤立文件 (无对应记录)]: {orphan}" in out
    assert str(live.pk) not in out
    entry = assert_audited(AuditEvent.VAULT_VERIFIED, since=since, outcome="failed")
    assert entry.details["stores"] == ["s3"] and entry.details["problems"] == 3
    code, out = run(["vault", "check", "--remove-orphans"], capsys)
    assert f"已删除: {orphan}" in out
    assert not storage.get().exists(orphan) and not storage.get().exists(leftover.storage_name)
    assert read_all(live) == b"live"


def test_wrong_credentials_stop_at_start_up_with_a_clear_message(s3_settings, settings, capsys):
    """Wrong credentials are found when a node starts (`startup_check`, run by baomi.wsgi and
    `baomi scheduler`), with one Chinese message and the store's reason — and a request that
    still meets them gets the same message with 503, never a 500 page."""
    settings.BLOB_S3 = {**settings.BLOB_S3, "secret_access_key": "not-the-secret"}
    with pytest.raises(StoreMisconfigured) as caught:
        storage.startup_check()
    assert "拒绝了本服务器的配置" in str(caught.value) and "SignatureDoesNotMatch" in caught.value.reason
    code, out = run(["scheduler", "--once"], capsys)
    assert code == 1 and "拒绝了本服务器的配置" in out and "SignatureDoesNotMatch" in out
    settings.BLOB_S3 = {**settings.BLOB_S3, "access_key_id": "nobody"}
    with pytest.raises(StoreMisconfigured) as caught:
        services.store(None, b"x")
    assert caught.value.status == 503 and "InvalidAccessKeyId" in caught.value.reason
    assert not Blob.objects.exists()


@pytest.mark.django_db(transaction=True)  # the originals go after the real commit
def test_migrate_to_s3_and_back_without_downtime(settings, seaweed, s3_prefix, capsys):
    """`baomi vault migrate --to s3` moves every blob (verifying each copy's SHA-256 before the
    original is deleted); a reader opened before the move keeps reading; destroyed content is
    not moved; a second run has nothing to do; `--to local` moves them back."""
    blobs = {services.store(None, os.urandom(n)): None for n in (70_000, 10, 0)}
    for blob in blobs:
        blobs[blob] = read_all(blob)
    gone = services.store(None, b"destroyed")
    services.shred(None, gone)
    reader = services.open_stream(None, next(iter(blobs)))  # 70 000 bytes, not read yet
    settings.BLOB_STORE = "s3"
    settings.BLOB_S3 = seaweed.blob_settings(s3_prefix)
    since = last_audit_id()
    code, out = run(["vault", "migrate", "--to", "s3"], capsys)
    assert code == 0, out
    assert "已迁移 3 个" in out
    entry = assert_audited(AuditEvent.VAULT_MIGRATED, ("vault.store", "s3"), since=since, outcome="ok")
    assert entry.details["moved"] == 3
    assert set(Blob.objects.filter(shredded_at=None).values_list("location", flat=True)) == {"s3"}
    assert [f for f in storage.root().rglob("*") if f.is_file()] == []
    assert len(seaweed.keys(s3_prefix)) == 3
    assert b"".join(reader) == next(iter(blobs.values()))
    for blob, data in blobs.items():
        blob.refresh_from_db()
        assert read_all(blob) == data
    code, out = run(["vault", "migrate", "--to", "s3"], capsys)
    assert code == 0 and "已迁移 0 个" in out
    code, out = run(["vault", "migrate", "--to", "local"], capsys)
    assert code == 0 and "已迁移 3 个" in out
    assert seaweed.keys(s3_prefix) == []
    for blob, data in blobs.items():
        blob.refresh_from_db()
        assert blob.location == "local" and read_all(blob) == data


@pytest.mark.django_db(transaction=True)  # the originals go after the real commit
def test_migrate_resumes_after_a_cut_and_keeps_a_damaged_original(settings, seaweed, s3_prefix, capsys):
    """A run cut off after the switch leaves the original behind: the next run sweeps it. A run
    cut off before the switch left a copy: it is overwritten. A blob whose file has the wrong
    length is not moved and is listed; exit 1."""
    settings.BLOB_STORE = "s3"
    settings.BLOB_S3 = seaweed.blob_settings(s3_prefix)
    settings.BLOB_STORE = "local"
    switched, copied, damaged = (services.store(None, os.urandom(5000)) for _ in range(3))
    local, s3 = storage.get("local"), storage.get("s3")
    for blob in (switched, copied):
        s3.put_file(local.path_for(blob.storage_name), blob.storage_name)
    Blob.objects.filter(pk=switched.pk).update(location="s3")  # cut after the commit
    with open(local.path_for(damaged.storage_name), "ab") as fh:
        fh.write(b"extra")
    settings.BLOB_STORE = "s3"
    code, out = run(["vault", "migrate", "--to", "s3"], capsys)
    assert code == 1
    assert f"未迁移 {damaged.pk}" in out and "已迁移 1 个" in out and "清除了 1 个" in out
    assert not local.exists(switched.storage_name) and not local.exists(copied.storage_name)
    assert local.exists(damaged.storage_name)
    for blob in (switched, copied):
        blob.refresh_from_db()
        assert blob.location == "s3" and len(read_all(blob)) == 5000
    assert Blob.objects.get(pk=damaged.pk).location == "local"


def test_migrate_stops_when_the_target_is_down(settings, seaweed, s3_prefix):
    """The target store refusing at the start is a clear error; nothing moves."""
    services.store(None, b"stays")
    settings.BLOB_S3 = seaweed.blob_settings(s3_prefix, endpoint="http://127.0.0.1:9")
    with pytest.raises(StoreUnavailable):
        services.migrate_blobs(None, "s3")
    assert Blob.objects.get().location == "local"
