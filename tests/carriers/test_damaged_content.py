"""A damaged encrypted file asked for as a download (issue 11 §4; SEC-3, SEC-4, CAR-2).

The download of non-PDF content is streamed as it is decrypted; a file altered in storage used
to break the stream off half-way (a bare server error, the tail of the file never sent). Now the
whole file is authenticated before the first byte: the person gets a clear Chinese message, the
failure is recorded (INTEGRITY_FAILED on the carrier), the approved download is not used up, and
no byte of unauthenticated content is ever released. Runs on SQLite and PostgreSQL.
"""

from __future__ import annotations

import io

import pytest
from django.urls import reverse

from baomi.audit.events import AuditEvent
from baomi.carriers import services
from baomi.carriers.models import DownloadRequest
from baomi.carriers.services import content
from baomi.vault import storage, stream
from tests.carriers.factories import make_carrier
from tests.support.assertions import assert_audited, last_audit_id

pytestmark = pytest.mark.django_db

BODY = b"PK\x03\x04" + bytes(range(256)) * 40  # a 10 KiB "docx": three 4 KiB chunks


@pytest.fixture
def damaged(org, settings):
    settings.VAULT_CHUNK_SIZE = 4096
    carrier = make_carrier(org, kind="electronic", scope=[org.case_handler])
    content.upload_content(org.staff_secret, carrier, io.BytesIO(BODY),
                           content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document")  # fmt: skip
    carrier.refresh_from_db()
    req = services.request_download(org.case_handler, carrier, reason="编辑")
    services.approve_download(org.unit_head, req)
    path = storage.path_for(carrier.blob.storage_name)
    raw = bytearray(path.read_bytes())
    raw[stream.HEADER_SIZE + 2 * (4096 + 16) + 10] ^= 0x01  # the last chunk: the first two are good
    path.write_bytes(bytes(raw))
    return carrier


def test_a_damaged_file_is_refused_with_a_chinese_message_and_recorded(org, client, damaged):
    """SEC-4: no stream broken off half-way and no byte released — a message, a record, and the
    approved download still unused."""
    client.force_login(org.case_handler)
    since = last_audit_id()
    r = client.get(reverse("carriers:download-content", args=[damaged.pk]), follow=True)
    assert r.status_code == 200
    assert not r.has_header("Content-Disposition")
    page = r.content.decode()
    assert "认证" in page or "完整" in page or "校验" in page or "不一致" in page, page[-2000:]
    assert BODY[:100] not in r.content
    entry = assert_audited(
        AuditEvent.INTEGRITY_FAILED, damaged, org.case_handler, outcome="failed", since=since
    )
    assert entry.details["item_id"] == damaged.item_id
    assert DownloadRequest.objects.get(carrier=damaged).used_at is None
