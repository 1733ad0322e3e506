"""Marked Office downloads (issue 13, CAR-13, CLS-7): a docx or xlsx download carries 份号 and
the mark in its header and the reader's watermark (name, time, carrier number); classified
content that cannot be marked is refused in favour of a PDF, and the refusal does not use up the
approved request. Tested by opening the downloaded file and reading its header."""

from __future__ import annotations

import io

import pytest
from django.test import Client
from django.urls import reverse

from baomi.carriers import services
from baomi.carriers.services import content
from baomi.core.errors import ValidationFailed
from tests.carriers.factories import make_carrier

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def a_docx() -> bytes:
    from docx import Document

    doc = Document()
    doc.sections[0].header.paragraphs[0].text = "原有页眉"
    doc.add_paragraph("关于某专项工作的请示正文")
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def an_xlsx() -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.title = "预算"
    wb.active["A1"] = "专项经费"
    wb.create_sheet("明细")["A1"] = 42
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _uploaded(org, data: bytes, content_type: str):
    carrier = make_carrier(org, kind="electronic", scope=[org.case_handler])
    content.upload_content(org.staff_secret, carrier, io.BytesIO(data), content_type=content_type)
    carrier.refresh_from_db()
    services.approve_download(
        org.unit_head, services.request_download(org.case_handler, carrier, reason="编辑")
    )
    return carrier


def _download(org, carrier):
    c = Client()
    c.force_login(org.case_handler)
    return c.get(reverse("carriers:download-content", args=[carrier.pk]))


def test_a_docx_download_carries_the_mark_and_the_readers_watermark(org):
    from docx import Document

    carrier = _uploaded(org, a_docx(), DOCX)
    r = _download(org, carrier)
    assert r.status_code == 200 and "attachment" in r["Content-Disposition"]
    doc = Document(io.BytesIO(b"".join(r.streaming_content) if r.streaming else r.content))
    header = [p.text for p in doc.sections[0].header.paragraphs]
    assert header[:2] == [carrier.copy_number, "机密★10年"]  # 份号 line 1, mark line 2
    assert "case_handler" in header[2] and carrier.registry_number in header[2]  # the watermark
    assert "原有页眉" in header  # the document's own header is kept
    assert any("case_handler" in p.text for p in doc.sections[0].footer.paragraphs)
    assert "关于某专项工作的请示正文" in [p.text for p in doc.paragraphs]


def test_an_xlsx_download_carries_the_mark_on_every_sheet(org):
    from openpyxl import load_workbook

    carrier = _uploaded(org, an_xlsx(), XLSX)
    r = _download(org, carrier)
    assert r.status_code == 200
    wb = load_workbook(io.BytesIO(b"".join(r.streaming_content) if r.streaming else r.content))
    assert [ws.title for ws in wb.worksheets] == ["预算", "明细"] and wb["预算"]["A1"].value == "专项经费"
    for ws in wb.worksheets:
        assert ws.oddHeader.left.text == f"{carrier.copy_number}\n机密★10年"
        assert (
            "case_handler" in ws.oddHeader.right.text and carrier.registry_number in ws.oddFooter.center.text
        )


def test_classified_content_that_cannot_be_marked_is_refused_and_the_request_kept(org):
    carrier = _uploaded(org, b"PK\x03\x04 not really a zip", "application/zip")
    with pytest.raises(ValidationFailed, match="PDF"):
        content.download_content(org.case_handler, carrier)
    broken = _uploaded(org, b"PK\x03\x04 docx bytes", DOCX)  # says docx, is not one
    with pytest.raises(ValidationFailed, match="PDF"):
        content.download_content(org.case_handler, broken)
    from baomi.carriers.models import DownloadRequest

    assert DownloadRequest.objects.get(carrier=broken).used_at is None  # still usable
