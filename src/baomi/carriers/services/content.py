"""Electronic content of carriers: upload, view and download through the vault (CAR-2,
CAR-4, CAR-13, R-AC-3).

Content is never stored or served in the clear outside the vault: uploads stream into
``vault.store``; reads stream out of ``vault.open_stream`` after the policy check, and every
read is an audit entry on the carrier with the item id, so the 知悉记录 of an item can be
derived from the trail. PDFs are stamped (份号, mark, watermark) before they leave the server;
docx and xlsx downloads carry 份号 and the mark in their headers and the reader's watermark
(issue 13); classified content in any other format is refused in favour of a PDF.
"""

from __future__ import annotations

import importlib
import io
from collections.abc import Iterable, Iterator
from typing import IO, Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from baomi.access import policy
from baomi.audit.events import AuditEvent
from baomi.audit.record import record
from baomi.carriers import lifecycle, watermark
from baomi.carriers.choices import CarrierKind, RequestStatus
from baomi.carriers.models import Carrier, DownloadRequest
from baomi.carriers.services.download import needs_download_approval
from baomi.core import levels
from baomi.core.errors import CeilingExceeded, ValidationFailed
from baomi.kit import uploads
from baomi.kit.service import internal, service
from baomi.kit.spool import EncryptedSpool

EXTENSIONS = {
    "application/pdf": "pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/msword": "doc",
    "application/vnd.ms-excel": "xls",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
    "text/plain": "txt",
    "application/zip": "zip",
}


def _vault() -> Any:
    return importlib.import_module("baomi.vault.services")


def _lock(carrier: Carrier) -> Carrier:
    return Carrier.objects.select_for_update(of=("self",)).select_related("item", "blob").get(pk=carrier.pk)


@internal
def filename_for(carrier: Carrier) -> str:
    """A download name from the registry number, never the (classified) title (CAR-2). A pure
    helper of the views and the download service: no policy, no writes."""
    ext = EXTENSIONS.get(carrier.blob.content_type if carrier.blob is not None else "", "bin")
    return f"{carrier.registry_number}-{carrier.copy_number}.{ext}"


@internal
def is_pdf(carrier: Carrier) -> bool:
    """Whether the content is a PDF (shown inline, watermarked). A pure predicate."""
    return bool(carrier.blob is not None and carrier.blob.content_type == "application/pdf")


# First bytes of programs: Windows PE (MZ), ELF, Mach-O (both byte orders, 32/64 bit, fat), and
# scripts starting with #!.
PROGRAM_MAGIC = (b"MZ", b"\x7fELF", b"\xfe\xed\xfa\xce", b"\xfe\xed\xfa\xcf", b"\xce\xfa\xed\xfe",
                 b"\xcf\xfa\xed\xfe", b"\xca\xfe\xba\xbe", b"#!")  # fmt: skip


def _refuse_programs(head: bytes, filename: str) -> None:
    """Issue 12 §5: an executable uploaded as a classified document's content is refused."""
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    refused = {e.strip().lower() for e in settings.CARRIERS_REFUSED_EXTENSIONS.split(",") if e.strip()}
    if head.startswith(PROGRAM_MAGIC) or ext in refused:
        msg = _("This file is a program (executable or script), not a document; it cannot be the content of a "
                "classified carrier.")  # fmt: skip
        raise ValidationFailed(msg, fields={"file": [msg]})


@service
def upload_content(
    actor: Any, carrier: Carrier, stream: IO[bytes], *, content_type: str = "", filename: str = ""
) -> Carrier:
    """Store the electronic content of a carrier, encrypted by the vault (CAR-2, SEC-4), streamed
    in chunks and refused past the ``content`` upload limit (``kit.uploads``, issue 11 §6). A
    program (an executable or script, by its first bytes or its name) is not the content of a
    classified document and is refused (``CARRIERS_REFUSED_EXTENSIONS``).

    *Requires* ``upload`` (custodian or security office) on an electronic carrier in custody
    without content yet. *Audits* CONTENT_UPLOADED (and the vault's BLOB_STORED)."""
    carrier = _lock(carrier)
    policy.require(actor, "upload", carrier)
    lifecycle.require_state(carrier.status, "upload")
    if not levels.within_ceiling(carrier.level):
        raise CeilingExceeded()
    if carrier.kind != CarrierKind.ELECTRONIC:
        raise ValidationFailed(_("Only electronic files carry content."))
    if carrier.blob_id is not None:
        raise ValidationFailed(
            _("This carrier already has its content; register a new carrier for a new version.")
        )
    head = stream.read(8)
    if hasattr(stream, "seek"):
        stream.seek(0)
    _refuse_programs(head, filename)
    if head[:5] == b"%PDF-":
        content_type = "application/pdf"
    elif content_type == "application/pdf":
        raise ValidationFailed(_("The file is not a valid PDF."))
    blob = _vault().store(
        actor, uploads.limited(stream, "content"), content_type=content_type or "application/octet-stream",
        target=carrier,
    )  # fmt: skip
    carrier.blob = blob
    carrier.save(update_fields=["blob"])
    record(actor, AuditEvent.CONTENT_UPLOADED, carrier,
           details={"item_id": carrier.item_id, "blob_id": str(blob.pk), "size": blob.size})  # fmt: skip
    return carrier


def _plain(actor: Any, carrier: Carrier) -> Iterator[bytes]:
    return iter(_vault().open_stream(actor, carrier.blob, target=carrier))


@internal
def stamp_limit() -> int:
    """The largest docx or xlsx, in bytes, that is marked for download (SEC-4): the Office
    libraries open a whole file in memory. PDFs have no such limit — they are stamped by an
    incremental update in bounded memory (issue 11 §6) — beyond the upload limit (``kit.uploads``)."""
    return int(settings.CARRIERS_STAMP_MAX_MB) << 20


def _check_stampable(carrier: Carrier) -> None:
    """Refuse, before a byte is decrypted, an Office file too large to be marked in memory."""
    size = carrier.blob.size if carrier.blob is not None else 0
    if size > stamp_limit():
        raise ValidationFailed(
            _(
                "This file (%(size)s MB) is larger than %(max)s MB, the most that can be stamped with "
                "the copy number, mark and watermark; it cannot be viewed or downloaded here. Ask the "
                "security office to split it into smaller files."
            )
            % {"size": -(-size // (1 << 20)), "max": settings.CARRIERS_STAMP_MAX_MB}
        )


@internal
def read_for_stamping(chunks: Iterable[bytes]) -> io.BytesIO:
    """The decrypted chunks in one buffer, read once (no second copy), refused past the limit."""
    data = io.BytesIO()
    limit = stamp_limit()
    for chunk in chunks:
        data.write(chunk)
        if data.tell() > limit:
            raise ValidationFailed(_("The file is too large to be stamped for viewing."))
    data.seek(0)
    return data


def _read_all(chunks: Iterable[bytes]) -> bytes:
    return read_for_stamping(chunks).getvalue()


class StampedPdf:
    """A stamped PDF as it leaves the server: the original bytes from an encrypted spool, chunk
    by chunk, then the update that stamps every page (``watermark.stamp_update``). Iterate it
    (a ``StreamingHttpResponse`` does) and close it; ``bytes(...)`` joins it for small uses."""

    CHUNK = 1 << 20

    def __init__(self, spool: EncryptedSpool) -> None:
        self._spool = spool
        self.size = spool.size

    def __iter__(self) -> Iterator[bytes]:
        try:
            self._spool.seek(0)
            while block := self._spool.read(self.CHUNK):
                yield block
        finally:
            self.close()

    def __bytes__(self) -> bytes:
        return b"".join(self)

    def close(self) -> None:
        self._spool.close()


_UNSTAMPABLE = _(
    "This PDF is protected by a password or damaged, so it cannot be stamped with the copy number, "
    "mark and watermark and is not handed out. Register the content again as a PDF without a "
    "password, or ask the security office."
)


def _stamped(actor: Any, carrier: Carrier, chunks: Iterable[bytes]) -> StampedPdf:
    """Stamp a PDF with bounded memory (CAR-13, SEC-4, issue 11 §6): the decrypted content goes
    into an encrypted, nameless spool (``kit.spool``) — every chunk authenticated before the
    response starts — and the stamp is appended to it as an incremental update."""
    spool = EncryptedSpool()
    try:
        for chunk in chunks:
            spool.append(chunk)
        watermark.stamp_update(
            spool, spool.size, spool.append, copy_number=carrier.copy_number, mark=carrier.mark_text(),
            text=watermark.watermark_text(actor, timezone.localtime(), carrier.registry_number),
        )  # fmt: skip
    except watermark.CannotStamp:
        spool.close()
        raise ValidationFailed(_UNSTAMPABLE) from None
    except BaseException:
        spool.close()
        raise
    return StampedPdf(spool)


def _marked_office(actor: Any, carrier: Carrier, content_type: str, chunks: Iterable[bytes]) -> bytes:
    """A docx or xlsx with 份号 and mark in its headers and the reader's watermark (CAR-13)."""
    try:
        return watermark.mark_office(
            _read_all(chunks), content_type, copy_number=carrier.copy_number, mark=carrier.mark_text(),
            text=watermark.watermark_text(actor, timezone.localtime(), carrier.registry_number),
        )  # fmt: skip
    except watermark.CannotMark:
        raise ValidationFailed(_UNMARKABLE) from None


_UNMARKABLE = _(
    "This file cannot carry the classification mark and watermark, so it is not handed out; "
    "register the content as a PDF (it is then stamped) or ask the security office."
)


@internal
def must_be_marked(carrier: Carrier) -> bool:
    """Whether content leaving the server must carry the mark (CAR-13, CLS-7): everything with a
    mark — state secrets and 工作秘密. A pure predicate."""
    return bool(carrier.mark_text())


@service
def view_content(actor: Any, carrier: Carrier) -> StampedPdf:
    """Render a PDF carrier for reading, stamped with 份号, mark and watermark (CAR-2, CAR-13).

    *Requires* ``read_content`` (clearance and scope, custody or holding). Non-PDF content is
    offered as a download only. *Audits* CONTENT_VIEWED with the item id (知悉记录)."""
    carrier = _lock(carrier)
    policy.require(actor, "read_content", carrier)
    lifecycle.require_state(carrier.status, "read_content")
    if carrier.blob_id is None:
        raise ValidationFailed(_("This carrier has no electronic content."))
    if not is_pdf(carrier):
        raise ValidationFailed(_("Only PDF files can be viewed; ask for a download instead."))
    body = _stamped(actor, carrier, _plain(actor, carrier))  # refused here, before anything is recorded
    record(actor, AuditEvent.CONTENT_VIEWED, carrier,
           details={"item_id": carrier.item_id, "blob_id": str(carrier.blob_id), "watermarked": True})  # fmt: skip
    return body


@service
def download_content(actor: Any, carrier: Carrier) -> tuple[Iterable[bytes] | bytes, str, str]:
    """Download the content: classified content only with an approved, unused download
    request of this person (CAR-4); PDFs stamped, docx and xlsx marked in their headers, any
    other marked content refused (CAR-13, issue 13); 绝密 only with the originator's
    consent (R-AC-3, checked by the policy). *Requires* ``download``. *Audits*
    CONTENT_DOWNLOADED with the item id. Returns (bytes or chunks, content type, file name)."""
    carrier = _lock(carrier)
    policy.require(actor, "download", carrier)
    lifecycle.require_state(carrier.status, "download")
    if carrier.blob_id is None:
        raise ValidationFailed(_("This carrier has no electronic content."))
    req = None
    if needs_download_approval(carrier):
        req = (
            DownloadRequest.objects.select_for_update()
            .filter(carrier=carrier, requested_by=actor, status=RequestStatus.APPROVED, used_at__isnull=True)
            .order_by("decided_at")
            .first()
        )
        if req is None:
            raise ValidationFailed(_("Downloading classified content needs an approved download request."))
        req.used_at = timezone.now()
        req.status = RequestStatus.DONE
        req.save(update_fields=["used_at", "status"])
    content_type = carrier.blob.content_type if carrier.blob is not None else ""
    office = content_type in watermark.MARKABLE and must_be_marked(carrier)
    if not is_pdf(carrier) and not office and must_be_marked(carrier):
        # A marked carrier leaves marked or not at all (issue 13): the refusal rolls back the
        # request's use, so it can be used again once the content is a PDF.
        raise ValidationFailed(_UNMARKABLE)
    stamped = is_pdf(carrier) or office
    if office:
        _check_stampable(carrier)
    if not stamped:
        # Streamed as it is decrypted: authenticate the whole file first, so a damaged one is
        # refused before the first byte rather than broken off half-way (SEC-4, issue 11 §4).
        _vault().authenticate(carrier.blob)
    record(actor, AuditEvent.CONTENT_DOWNLOADED, carrier,
           details={"item_id": carrier.item_id, "blob_id": str(carrier.blob_id), "request_id": req.pk if req else None,
                    "watermarked": stamped})  # fmt: skip
    body: Iterable[bytes] | bytes
    if is_pdf(carrier):
        body = _stamped(actor, carrier, _plain(actor, carrier))
    elif office:
        body = _marked_office(actor, carrier, content_type, _plain(actor, carrier))
    else:
        body = _plain(actor, carrier)
    return body, content_type or "application/octet-stream", filename_for(carrier)


@service
def record_damaged_content(actor: Any, carrier: Carrier, error: Any) -> None:
    """Record that a carrier's encrypted content failed authentication when ``actor`` asked for
    it (SEC-3, SEC-4, issue 11 §4): the read itself rolled back with its service, so the failure
    is written here, as INTEGRITY_FAILED on the carrier (the monitoring raises an alert for the
    security officer). No policy check: it records a refusal the policy had already allowed
    to be tried, and writes nothing but the audit entry."""
    record(actor, AuditEvent.INTEGRITY_FAILED, carrier, outcome="failed",
           details={"item_id": carrier.item_id, "blob_id": str(carrier.blob_id),
                    "reason": getattr(error, "reason", "") or type(error).__name__})  # fmt: skip


@internal
def copy_blobs(actor: Any, parent: Carrier, count: int, *, request_id: int | None = None) -> list[Any]:
    """Encrypt ``count`` independent copies of a carrier's content for its child carriers
    (CAR-4, CAR-5): each copy is a NEW blob with its own random data key, never the parent's row.

    A helper of ``services.approve_copy``, which has checked ``approve`` on the copy request
    (绝密 only with the originator's consent, R-AC-3) before calling it. Runs OUTSIDE any
    transaction of the caller, so that on SQLite the write lock is not held while the content
    is decrypted and encrypted again (the vault's note on ``store``). Each read of the parent
    goes through ``vault.open_stream`` (BLOB_READ on the parent) and is audited as
    CONTENT_COPY_READ on the parent with the item id (知悉记录, CAR-2); the vault audits each
    new blob as BLOB_STORED. Returns the new blobs, not yet linked to any carrier; the caller
    links them or discards them with :func:`discard_blobs`."""
    source = parent.blob
    if source is None or parent.kind != CarrierKind.ELECTRONIC:
        return []
    made: list[Any] = []
    try:
        for _i in range(count):
            with _vault().open_stream(actor, source, target=parent) as reader:
                with transaction.atomic():
                    record(actor, AuditEvent.CONTENT_COPY_READ, parent,
                           details={"item_id": parent.item_id, "blob_id": str(source.pk), "request_id": request_id})  # fmt: skip
                made.append(_vault().store(actor, reader, content_type=source.content_type))
    except BaseException:
        discard_blobs(actor, made)
        raise
    return made


@internal
def discard_blobs(actor: Any, blobs: Iterable[Any]) -> None:
    """Crypto-shred copies made by :func:`copy_blobs` that were never linked (the approval
    failed after the copying); the vault audits BLOB_SHREDDED. No policy: the blobs belong
    to no carrier and nobody can read them."""
    for blob in blobs:
        _vault().shred(actor, blob)


@internal
def link_copy(actor: Any, child: Carrier, blob: Any, *, parent: Carrier, request_id: int) -> None:
    """Link a copied blob to a freshly registered child carrier and audit CONTENT_COPIED on the
    child (CAR-4, CAR-5). Runs inside ``services.approve_copy``'s service transaction, which
    checked the policy; the child keeps the parent's mark (registered with the item's level)."""
    child.blob = blob
    child.save(update_fields=["blob"])
    record(actor, AuditEvent.CONTENT_COPIED, child,
           details={"item_id": child.item_id, "blob_id": str(blob.pk), "source_blob_id": str(parent.blob_id),
                    "parent_id": parent.pk, "request_id": request_id, "size": blob.size})  # fmt: skip


@internal
def shred(actor: Any, carrier: Carrier) -> None:
    """Crypto-shred a carrier's content (CAR-11): the vault destroys the data key and the file
    and audits BLOB_SHREDDED. Called inside ``execute_destruction``, which checked policy."""
    _vault().shred(actor, carrier.blob, target=carrier)
