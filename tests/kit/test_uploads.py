"""Upload size limits per kind, streamed (issue 11 §6, SEC-7): a file past its kind's limit is
refused with a Chinese message and leaves no blob in the vault — whether its size is declared
(an upload) or only found while streaming (a body without a size); a request whose file passes
the largest limit of all is not even received."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from baomi.carriers.services import content
from baomi.core.errors import ValidationFailed
from baomi.kit import uploads
from baomi.vault.models import Blob
from tests.carriers.factories import make_carrier

pytestmark = pytest.mark.django_db
MB = 1024 * 1024


class _Unsized(io.RawIOBase):
    """A stream that does not say how long it is (like a chunked request body)."""

    def __init__(self, size: int):
        self._size = self._left = size

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        n = min(len(buffer), self._left)
        buffer[:n] = b"%" * n if n else b""
        self._left -= n
        return n

    def seek(self, offset: int, whence: int = 0) -> int:  # rewound after the type is sniffed
        assert (offset, whence) == (0, 0)
        self._left = self._size
        return 0


@pytest.fixture
def small_limits(settings):
    settings.UPLOAD_LIMITS_MB = {"content": 1, "evidence": 1, "governance": 1, "publication": 1, "import": 1}


def test_the_limits_are_configured_per_kind(settings):
    """Defaults per kind, overridden by settings (BAOMI_UPLOAD_LIMITS_MB)."""
    settings.UPLOAD_LIMITS_MB = {"content": 7}
    assert uploads.limit_mb("content") == 7
    assert uploads.limit_mb("evidence") == uploads.DEFAULT_LIMITS_MB["evidence"]
    assert uploads.largest_mb() == max(
        7, *(v for k, v in uploads.DEFAULT_LIMITS_MB.items() if k != "content")
    )


def test_a_declared_oversized_upload_is_refused_before_the_vault(org, small_limits):
    """CAR-2: a 2 MB file where 1 MB is allowed: a Chinese field error, no blob written."""
    carrier = make_carrier(org, kind="electronic")
    before = Blob.objects.count()
    upload = SimpleUploadedFile("a.pdf", b"%PDF-" + b"0" * (2 * MB), content_type="application/pdf")
    with pytest.raises(ValidationFailed) as exc:
        content.upload_content(org.staff_secret, carrier, upload, content_type="application/pdf")
    assert "1 MB" in str(exc.value.message) and "file" in exc.value.fields
    assert Blob.objects.count() == before


def test_an_unsized_stream_is_cut_off_at_the_limit(org, small_limits):
    """A stream without a size is counted while the vault reads it: cut at the limit, the
    partial encrypted file erased, no blob row."""
    carrier = make_carrier(org, kind="electronic")
    before = Blob.objects.count()
    with pytest.raises(ValidationFailed):
        content.upload_content(org.staff_secret, carrier, _Unsized(3 * MB), content_type="application/pdf")
    assert Blob.objects.count() == before
    carrier.refresh_from_db()
    assert carrier.blob_id is None
    # Within the limit, the same kind of stream is stored.
    content.upload_content(
        org.staff_secret, carrier, _Unsized(MB // 2), content_type="application/octet-stream"
    )
    carrier.refresh_from_db()
    assert carrier.blob.size == MB // 2


def test_a_file_past_every_limit_is_not_received(org, client, small_limits):
    """The upload handler stops receiving a file past the largest limit (nothing is stored on
    disk or in the vault); the page answers with a form error, never a 500."""
    carrier = make_carrier(org, kind="electronic")
    client.force_login(org.staff_secret)
    upload = SimpleUploadedFile("a.pdf", b"%PDF-" + b"0" * (2 * MB), content_type="application/pdf")
    response = client.post(reverse("carriers:action", args=[carrier.pk, "upload"]), {"file": upload})
    assert response.status_code in (200, 400)
    assert response.wsgi_request.META.get("baomi.upload_refused") == 1
    assert "文件超过 1 MB" in response.content.decode()
    carrier.refresh_from_db()
    assert carrier.blob_id is None
