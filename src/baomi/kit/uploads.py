"""Upload size limits, one per kind of file (issue 11 §6, SEC-7), configured in
``settings.UPLOAD_LIMITS_MB`` (``BAOMI_UPLOAD_LIMITS_MB="content=512,evidence=20,..."``).

- :func:`limited` wraps an upload (or any binary stream) for ``vault.store``: it refuses a
  declared size over the limit at once, and counts while the vault reads it in chunks, so a
  stream without a size (an API body) is cut off at the limit too — nothing is read whole
  into memory, and the vault writes no blob for a refused file (its ``store`` erases the
  partial file when the read raises).
- :class:`LimitedUploadHandler`, first in ``FILE_UPLOAD_HANDLERS``, stops receiving a file in
  the request itself once it passes the largest limit of any kind, so an oversized upload
  never fills the temporary directory; the form then names the limit.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.utils.translation import gettext as _

from baomi.core.errors import ValidationFailed

#: the defaults, in MB, per kind of upload; ``settings.UPLOAD_LIMITS_MB`` overrides them
DEFAULT_LIMITS_MB = {
    "content": 512,  # carriers' electronic content (CAR-2)
    "evidence": 20,  # inspection evidence, review attachments (SUP-1, PER-2)
    "governance": 20,  # regulation and plan files, campaign materials (SUP-9..11)
    "publication": 20,  # texts to be screened before publication (SUP-3)
    "import": 50,  # spreadsheets of a ledger import
}


def limit_mb(kind: str) -> int:
    """The limit of ``kind`` in MB (configured, else the default; unknown kinds get the smallest)."""
    return int(_limits().get(kind, min(_limits().values())))


def _limits() -> dict[str, int]:
    publication = getattr(settings, "PUBLICATION_MAX_UPLOAD_MB", None)  # the older, app-level setting
    return {
        **DEFAULT_LIMITS_MB,
        **({"publication": publication} if publication else {}),
        **getattr(settings, "UPLOAD_LIMITS_MB", {}),
    }


def largest_mb() -> int:
    return max(_limits().values())


def too_large(kind: str, field: str) -> ValidationFailed:
    message = _("The file is larger than %(mb)s MB.") % {"mb": limit_mb(kind)}
    return ValidationFailed(message, fields={field: [message]})


class _Limited:
    """A read-only view of ``stream`` that raises :func:`too_large` past ``limit`` bytes."""

    def __init__(self, stream: Any, limit: int, kind: str, field: str):
        self._stream, self._limit, self._kind, self._field, self._read = stream, limit, kind, field, 0

    def read(self, n: int = -1) -> bytes:
        want = self._limit + 1 - self._read if n is None or n < 0 else min(n, self._limit + 1 - self._read)
        data = self._stream.read(max(want, 1))
        self._read += len(data)
        if self._read > self._limit:
            raise too_large(self._kind, self._field)
        return bytes(data)

    def __getattr__(self, name: str) -> Any:  # name, size, content_type, seek ... of the upload
        return getattr(self._stream, name)


def limited(stream: Any, kind: str, *, field: str = "file") -> Any:
    """``stream`` (an upload, a file, bytes) checked against the limit of ``kind`` — at once
    when its size is known, else while it is read. Bytes are returned unchanged when small."""
    limit = limit_mb(kind) * 1024 * 1024
    if isinstance(stream, (bytes, bytearray, memoryview)):
        if len(stream) > limit:
            raise too_large(kind, field)
        return stream
    size = getattr(stream, "size", None)
    if isinstance(size, int) and size > limit:
        raise too_large(kind, field)
    return _Limited(stream, limit, kind, field)


class LimitedUploadHandler(FileUploadHandler):
    """Stops receiving a file of the request once it passes the largest upload limit (the file
    is then skipped; Django reads and discards the rest without storing it)."""

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self._received = 0
        self._limit = largest_mb() * 1024 * 1024

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        self._received += len(raw_data)
        if self._received > self._limit:
            request = self.request
            if request is not None:
                request.META["baomi.upload_refused"] = largest_mb()
                if not request.path.startswith("/api/") and hasattr(request, "_messages"):
                    from django.contrib import messages

                    messages.error(request, _("The file is larger than %(mb)s MB.") % {"mb": largest_mb()})
            raise SkipFile()
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None
