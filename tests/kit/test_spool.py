"""Large uploads wait on disk encrypted, never in plaintext (SEC-4, R-CRYPTO-1; baomi.kit.spool).

Django's default handler would write any upload over ``FILE_UPLOAD_MAX_MEMORY_SIZE`` (2 MB) to
the temporary directory as it came. These tests read what actually lies on disk (through the
process's open descriptors: the spool file has no name) and what a view reads back.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from baomi.kit.spool import EncryptedTemporaryUploadHandler, spool_dir
from baomi.vault import services as vault
from tests.carriers.factories import make_carrier
from tests.carriers.test_content import a_pdf
from tests.carriers.test_views import client_for

MARKER = "绝密★机密情报 ".encode()


def _spooled_files() -> list[bytes]:
    """The bytes of every open, nameless file of this process in the spool directory."""
    found = []
    prefix = str(spool_dir())
    for fd in os.listdir("/proc/self/fd"):
        try:
            target = os.readlink(f"/proc/self/fd/{fd}")
        except OSError:
            continue
        if target.startswith(prefix):
            found.append(Path(f"/proc/self/fd/{fd}").read_bytes())
    return found


@pytest.mark.parametrize("cipher", ["sm4", "aes"])
def test_the_spooled_upload_is_ciphertext_and_reads_back_whole(settings, tmp_path, cipher):
    settings.DATA_DIR, settings.CIPHER = tmp_path, cipher
    payload = MARKER * 70_000 + b"tail"  # about 1.3 MB, fed in odd-sized chunks
    handler = EncryptedTemporaryUploadHandler()
    handler.new_file("file", "报告.txt", "text/plain", len(payload))
    for start in range(0, len(payload), 65_537):
        handler.receive_data_chunk(payload[start : start + 65_537], start)
    upload = handler.file_complete(len(payload))
    assert oct(spool_dir().stat().st_mode & 0o777) == "0o700"
    assert os.listdir(spool_dir()) == []  # nameless from the start
    on_disk = _spooled_files()
    assert len(on_disk) == 1 and len(on_disk[0]) == len(payload)
    assert MARKER not in on_disk[0] and "机密".encode() not in on_disk[0]
    assert upload.size == len(payload) and b"".join(upload.chunks(chunk_size=100_003)) == payload
    upload.seek(12_345)  # random access at an offset inside a cipher block
    assert upload.read(777) == payload[12_345 : 12_345 + 777]
    upload.seek(-4, os.SEEK_END)
    assert upload.read() == b"tail" and upload.read() == b""
    upload.close()
    assert _spooled_files() == []


@pytest.mark.django_db
def test_a_large_upload_through_the_page_arrives_intact(org):
    """An upload over the in-memory limit goes through the encrypted spool into the vault intact
    (CAR-2)."""
    assert "baomi.kit.spool.EncryptedTemporaryUploadHandler" in settings.FILE_UPLOAD_HANDLERS
    assert "django.core.files.uploadhandler.TemporaryFileUploadHandler" not in settings.FILE_UPLOAD_HANDLERS
    body = a_pdf() + b"\n%" + os.urandom(3 * 1024 * 1024)  # past FILE_UPLOAD_MAX_MEMORY_SIZE
    assert len(body) > settings.FILE_UPLOAD_MAX_MEMORY_SIZE
    carrier = make_carrier(org, kind="electronic", scope=[org.case_handler])
    upload = SimpleUploadedFile("大文件.pdf", body, content_type="application/pdf")
    r = client_for(org.staff_secret).post(
        reverse("carriers:action", args=[carrier.pk, "upload"]), {"file": upload}
    )
    assert r.status_code == 302
    carrier.refresh_from_db()
    with vault.open_stream(org.case_handler, carrier.blob, target=carrier) as stream:
        assert stream.read() == body  # what the vault holds is the upload, byte for byte
