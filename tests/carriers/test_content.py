"""Electronic content through the vault: upload, stamped view, approved download, 绝密
blocking, crypto-shredding on destruction (CAR-2, CAR-4, CAR-11, CAR-13, R-AC-3)."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader
from reportlab.pdfgen import canvas

from baomi.access.errors import AccessDenied
from baomi.audit.events import AuditEvent
from baomi.carriers import services
from baomi.carriers.services import content
from baomi.core.errors import ValidationFailed
from baomi.core.levels import Level
from tests.carriers.factories import make_carrier
from tests.support.assertions import assert_audited

pytestmark = pytest.mark.django_db


def a_pdf(text: str = "hello secret body") -> bytes:
    buf = io.BytesIO()
    c = canvas.Canvas(buf)
    c.drawString(100, 500, text)
    c.showPage()
    c.save()
    return buf.getvalue()


def pdf_text(data) -> str:
    """The text of a PDF: bytes, or the stamped stream a content service returns (issue 11 §6)."""
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(bytes(data))).pages)


@pytest.fixture
def electronic(org):
    carrier = make_carrier(org, kind="electronic", scope=[org.case_handler])
    content.upload_content(org.staff_secret, carrier, io.BytesIO(a_pdf()), content_type="application/pdf")
    carrier.refresh_from_db()
    return carrier


def test_upload_is_encrypted_and_audited(org, electronic):
    """CAR-2: the content is stored by the vault; the upload is audited with the item id."""
    assert electronic.blob is not None and electronic.blob.content_type == "application/pdf"
    entry = assert_audited(AuditEvent.CONTENT_UPLOADED, electronic, org.staff_secret)
    assert entry.details["item_id"] == electronic.item_id
    with pytest.raises(ValidationFailed):
        content.upload_content(org.staff_secret, electronic, io.BytesIO(b"again"))


def test_view_stamps_copy_number_mark_and_watermark(org, electronic):
    """CAR-13, R-MARK-5: 份号 line 1, mark line 2, watermark with user, time, number."""
    data = content.view_content(org.case_handler, electronic)
    text = pdf_text(data)
    assert "hello secret body" in text
    assert electronic.copy_number in text
    assert "机密★10年" in text
    assert electronic.registry_number in text and "case_handler" in text
    lines = [ln for ln in text.splitlines() if ln.strip()]
    assert lines.index(electronic.copy_number) < lines.index("机密★10年")
    entry = assert_audited(AuditEvent.CONTENT_VIEWED, electronic, org.case_handler)
    assert entry.details["item_id"] == electronic.item_id
    with pytest.raises(AccessDenied):
        content.view_content(org.staff_other_dept, electronic)


def test_download_needs_approval_and_is_used_once(org, electronic):
    """CAR-4: a download of classified content needs the unit head's approval, once."""
    with pytest.raises(ValidationFailed):
        content.download_content(org.case_handler, electronic)
    req = services.request_download(org.case_handler, electronic, reason="离线修改")
    services.approve_download(org.unit_head, req)
    body, ctype, name = content.download_content(org.case_handler, electronic)
    assert ctype == "application/pdf" and name.startswith(electronic.registry_number)
    assert electronic.copy_number in pdf_text(body)
    assert_audited(AuditEvent.CONTENT_DOWNLOADED, electronic, org.case_handler)
    with pytest.raises(ValidationFailed):
        content.download_content(org.case_handler, electronic)


def test_non_pdf_is_download_only(org):
    """CAR-2: non-PDF content is offered as a download only. (Issue 13 changed what leaves: the
    docx is now marked in its header — tests/carriers/test_office_marks.py — so the body is no
    longer the uploaded bytes, and the upload is a real docx.)"""
    from tests.carriers.test_office_marks import a_docx

    carrier = make_carrier(org, kind="electronic", scope=[org.case_handler])
    content.upload_content(org.staff_secret, carrier, io.BytesIO(a_docx()),
                           content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document")  # fmt: skip
    carrier.refresh_from_db()
    with pytest.raises(ValidationFailed):
        content.view_content(org.case_handler, carrier)
    req = services.request_download(org.case_handler, carrier, reason="编辑")
    services.approve_download(org.unit_head, req)
    body, _ctype, name = content.download_content(org.case_handler, carrier)
    assert bytes(body).startswith(b"PK\x03\x04")
    assert name.endswith(".docx")


def test_top_secret_download_blocked_without_consent(org):
    """R-AC-3: 绝密 download is blocked unless the originator consented."""
    carrier = make_carrier(org, Level.TOP_SECRET, kind="electronic", custodian=org.authority_top_secret)
    content.upload_content(org.authority_top_secret, carrier, io.BytesIO(a_pdf()))
    carrier.refresh_from_db()
    with pytest.raises(AccessDenied):
        services.request_download(org.authority_top_secret, carrier, reason="x")
    services.record_consent(org.unit_head, carrier, download=True, originator="发文机关", reference="同意函")
    req = services.request_download(org.authority_top_secret, carrier, reason="x")
    services.approve_download(org.unit_head, req)
    assert content.download_content(org.authority_top_secret, carrier)[2]


def test_destruction_shreds_content(org, electronic):
    """CAR-11: destruction crypto-shreds the content; the carrier stays as destroyed."""
    req = services.request_destruction(org.security_officer, [electronic], reason="到期")
    services.approve_destruction(org.unit_head, req)
    services.execute_destruction(org.security_officer, req, method="crypto_shred", witness_1=org.staff_secret,
                                 witness_2=org.dept_head)  # fmt: skip
    electronic.refresh_from_db()
    electronic.blob.refresh_from_db()
    assert electronic.status == "destroyed"
    assert electronic.blob.shredded_at is not None and electronic.blob.wrapped_key is None
    assert_audited(AuditEvent.BLOB_SHREDDED, electronic)


def test_holding_a_carrier_is_not_knowing_it(org):
    """CAR-3, R-SCOPE-2: a custodian outside the item's need-to-know scope holds the carrier and
    sees its ledger row, may lend it on behalf and take it out, but may not read, download,
    copy or print its content — that is refused as not found and audited — until the scope is
    extended to them."""
    from baomi.access import policy
    from baomi.carriers.models import Carrier
    from baomi.classification import services as classification

    keeper = org.staff_secret
    carrier = make_carrier(org, kind="electronic", scope=[org.case_handler], outsider_custodian=True)
    content.upload_content(keeper, carrier, io.BytesIO(a_pdf()), content_type="application/pdf")
    carrier.refresh_from_db()
    assert policy.can(keeper, "view", carrier)
    assert policy.can(keeper, "lend", carrier) and policy.can(keeper, "take_out", carrier)
    for action in ("read_content", "download", "copy", "print"):
        assert not policy.can(keeper, action, carrier), action
    readable = policy.visible(keeper, Carrier.objects.all(), "read_content")
    assert not readable.filter(pk=carrier.pk).exists()
    assert policy.visible(keeper, Carrier.objects.all(), "view").filter(pk=carrier.pk).exists()
    with pytest.raises(AccessDenied):
        content.view_content(keeper, carrier)
    assert_audited(AuditEvent.ACCESS_DENIED, actor=keeper, outcome="denied")
    with pytest.raises(AccessDenied):
        services.request_download(keeper, carrier, reason="工作需要")
    classification.grant_scope(org.security_officer, carrier.item, user=keeper, reason="保管并使用")
    keeper.forget_roles()
    assert "hello secret body" in pdf_text(content.view_content(keeper, carrier))
    assert policy.visible(keeper, Carrier.objects.all(), "read_content").filter(pk=carrier.pk).exists()


def test_a_pdf_above_the_office_marking_limit_is_stamped_whole(org, settings):
    """SEC-4, CAR-13 (issue 11 §6): a PDF is stamped by an incremental update in bounded memory,
    so ``BAOMI_CARRIERS_STAMP_MAX_MB`` no longer refuses it (it bounds docx and xlsx marking, done
    in memory). Before, a file above it was refused, and a 120 MB PDF raised a worker from 122 to
    355 MB. The original bytes leave unchanged, the stamp follows them."""
    settings.CARRIERS_STAMP_MAX_MB = 1
    big = make_carrier(org, kind="electronic", scope=[org.case_handler])
    original = a_pdf("x" * 400_000) + b"%" * (2 << 20)  # trailing bytes after %%EOF, as some producers leave
    content.upload_content(org.staff_secret, big, io.BytesIO(original), content_type="application/pdf")
    big.refresh_from_db()
    assert big.blob.size > 1 << 20
    data = bytes(content.view_content(org.case_handler, big))
    assert data.startswith(original)
    text = pdf_text(data)
    assert "xxxx" in text and big.copy_number in text and "机密★10年" in text
    assert_audited(AuditEvent.CONTENT_VIEWED, big, org.case_handler)
