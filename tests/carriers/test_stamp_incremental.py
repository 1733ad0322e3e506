"""PDFs are stamped by an incremental update (CAR-13, R-MARK-5, SEC-4, issue 11 §6).

The original file's bytes leave unchanged, followed by an appended section (ISO 32000-1 §7.5.6)
that draws the stamp — 份号, mark, and the reader's watermark — over every page. pypdf (also in
strict mode) and poppler's ``pdftotext`` read the result and find the stamp on every page and the
original text intact, for a classic cross-reference table and for a cross-reference stream. A
password-protected or unreadable PDF is refused with a clear Chinese message, never a server
error. Runs on SQLite and PostgreSQL.
"""

from __future__ import annotations

import io
import re
import subprocess
import zlib

import pytest
from django.urls import reverse
from pypdf import PdfReader, PdfWriter
from reportlab.pdfgen import canvas

from baomi.audit.events import AuditEvent
from baomi.audit.models import AuditEntry
from baomi.carriers import watermark
from baomi.carriers.services import content
from baomi.vault import storage
from baomi.vault import stream as vault_stream
from tests.carriers.factories import make_carrier
from tests.support.assertions import assert_audited, last_audit_id
from tests.support.tools import tool

pytestmark = pytest.mark.django_db

SIZES = [(595.2756, 841.8898), (841.8898, 595.2756), (420, 595)]  # A4, A4 landscape, A5


def a_multi_page_pdf() -> bytes:
    """Three pages of three sizes, each with its own text; the last one rotated."""
    buf = io.BytesIO()
    c = canvas.Canvas(buf)
    for n, size in enumerate(SIZES):
        c.setPageSize(size)
        c.setPageRotation(90 if n == 2 else 0)
        c.drawString(60, 300, f"original body of page {n + 1}")
        c.showPage()
    c.save()
    return buf.getvalue()


def with_xref_stream(pdf: bytes) -> bytes:
    """The same PDF with its cross-reference table replaced by a cross-reference stream (PDF 1.5),
    as Word and most current producers write them."""
    reader = PdfReader(io.BytesIO(pdf))
    offsets = dict(reader.xref[0])
    body = pdf[: pdf.rindex(b"xref")]
    number = max(offsets) + 1
    offsets[number] = len(body)
    rows = (
        b"\x00"
        + bytes(4)
        + b"\xff\xff"
        + b"".join(b"\x01" + offsets.get(n, 0).to_bytes(4, "big") + b"\x00\x00" for n in range(1, number + 1))
    )
    data = zlib.compress(rows)
    root, info = reader.trailer.raw_get("/Root"), reader.trailer.raw_get("/Info")
    head = (
        f"{number} 0 obj\n<< /Type /XRef /Size {number + 1} /W [1 4 2] /Root {root.idnum} 0 R "
        f"/Info {info.idnum} 0 R /Filter /FlateDecode /Length {len(data)} >>\nstream\n"
    ).encode()
    return body + head + data + b"\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n" % len(body)


def stamped_text(data: bytes, *, strict: bool = False) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(data), strict=strict).pages]


def _uploaded(org, data: bytes):
    carrier = make_carrier(org, kind="electronic", scope=[org.case_handler])
    content.upload_content(org.staff_secret, carrier, io.BytesIO(data), content_type="application/pdf")
    carrier.refresh_from_db()
    return carrier


@pytest.mark.parametrize("xref", ["table", "stream"])
def test_every_page_carries_the_stamp_and_keeps_its_content(org, client, xref):
    """CAR-13, R-MARK-5: through the page, every page of a multi-page PDF has 份号, mark and the
    reader's watermark; the original bytes lead the response unchanged; pypdf in strict mode
    reads the update (with /Prev to the original cross-reference, a table or a stream)."""
    original = a_multi_page_pdf() if xref == "table" else with_xref_stream(a_multi_page_pdf())
    carrier = _uploaded(org, original)
    client.force_login(org.case_handler)
    r = client.get(reverse("carriers:view-content", args=[carrier.pk]))
    assert (
        r.status_code == 200 and r["Content-Type"] == "application/pdf" and r["Cache-Control"] == "no-store"
    )
    data = b"".join(r.streaming_content)
    assert int(r["Content-Length"]) == len(data)
    assert data.startswith(original)
    update = data[len(original) :]
    assert (b"\nxref\n" in update) == (xref == "table") and b"/Prev" in update
    for strict in (False, True):
        pages = stamped_text(data, strict=strict)
        assert len(pages) == 3
        for n, text in enumerate(pages):
            assert f"original body of page {n + 1}" in text
            assert carrier.copy_number in text and "机密★10年" in text and carrier.registry_number in text
    boxes = [[list(p.mediabox), p.rotation] for p in PdfReader(io.BytesIO(data)).pages]
    assert boxes == [[list(p.mediabox), p.rotation] for p in PdfReader(io.BytesIO(original)).pages]
    assert_audited(AuditEvent.CONTENT_VIEWED, carrier, org.case_handler)


@pytest.mark.parametrize("xref", ["table", "stream"])
def test_a_second_reader_sees_the_stamp_on_every_page(org, tmp_path, xref):
    """A reader other than pypdf — poppler, as in most Linux PDF viewers — reads the update
    without complaint and shows 份号, mark and the watermark line on every page (``-raw``: in the
    order drawn, as the diagonal watermark crosses the page's own lines)."""
    pdftotext = tool("pdftotext", "poppler-utils")
    original = a_multi_page_pdf() if xref == "table" else with_xref_stream(a_multi_page_pdf())
    carrier = _uploaded(org, original)
    path = tmp_path / "stamped.pdf"
    path.write_bytes(bytes(content.view_content(org.case_handler, carrier)))
    done = subprocess.run([pdftotext, "-raw", str(path), "-"], capture_output=True, text=True, check=True)
    assert "Error" not in done.stderr, done.stderr
    pages = done.stdout.split("\f")[:3]
    assert len(pages) == 3
    for n, text in enumerate(pages):
        text = re.sub(r"\s", "", text)  # the rotated page comes out a word a line
        assert f"originalbodyofpage{n + 1}" in text
        assert carrier.registry_number in text and carrier.copy_number in text and "机密★10年" in text


def test_the_stamp_looks_as_the_merged_overlay_did(tmp_path):
    """One code path, same look: the page renders pixel for pixel as it did when pypdf merged
    reportlab's overlay into a rewritten copy of the whole document (before issue 11 §6)."""
    pdftoppm = tool("pdftoppm", "poppler-utils")
    from PIL import Image, ImageChops

    original = a_multi_page_pdf()
    marks = {"copy_number": "000007", "mark": "机密★10年", "text": "张三 zs 2026-12-06 BM-2026-E-000001"}
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(original)))
    for page in writer.pages[:2]:  # the unrotated pages: the merge stamped rotated ones the same way
        size = float(page.mediabox.width), float(page.mediabox.height)
        page.merge_page(PdfReader(io.BytesIO(watermark._overlay(*size, **marks))).pages[0])
    before = io.BytesIO()
    writer.write(before)
    renders = {}
    for name, data in (("before", before.getvalue()), ("after", watermark.stamp_pdf(original, **marks))):
        (tmp_path / f"{name}.pdf").write_bytes(data)
        subprocess.run([pdftoppm, "-r", "50", "-png", "-l", "2", str(tmp_path / f"{name}.pdf"),
                        str(tmp_path / name)], check=True)  # fmt: skip
        renders[name] = sorted(tmp_path.glob(f"{name}-*.png"))
    assert len(renders["after"]) == 2
    for old, new in zip(renders["before"], renders["after"], strict=True):
        assert (
            ImageChops.difference(Image.open(old).convert("RGB"), Image.open(new).convert("RGB")).getbbox()
            is None
        )


def _encrypted() -> bytes:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(a_multi_page_pdf())))
    writer.encrypt("口令")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.mark.parametrize("kind", ["password", "broken"])
def test_a_pdf_that_cannot_be_stamped_is_refused_in_chinese(org, client, kind):
    """A password-protected PDF (its pages cannot be drawn on) or one too damaged to read is
    refused with a clear Chinese message on the carrier's page — not a server error — and
    nothing is recorded as viewed."""
    data = _encrypted() if kind == "password" else b"%PDF-1.7\n" + bytes(range(256)) * 64
    carrier = _uploaded(org, data)
    client.force_login(org.case_handler)
    since = last_audit_id()
    r = client.get(reverse("carriers:view-content", args=[carrier.pk]), follow=True)
    assert r.status_code == 200 and not r.has_header("Content-Disposition")
    assert "口令" in r.content.decode() and "损坏" in r.content.decode()
    assert not AuditEntry.objects.filter(
        pk__gt=since, event=int(AuditEvent.CONTENT_VIEWED), target_id=str(carrier.pk)
    ).exists()


def test_a_damaged_pdf_is_refused_before_a_byte_is_sent(org, client, settings):
    """SEC-4, issue 11 §4: the whole PDF is decrypted and authenticated into the spool before the
    response starts, so a file altered in storage gives a message and a record, no bytes."""
    settings.VAULT_CHUNK_SIZE = 4096
    original = a_multi_page_pdf()
    carrier = _uploaded(org, original)
    path = storage.path_for(carrier.blob.storage_name)
    raw = bytearray(path.read_bytes())
    raw[vault_stream.HEADER_SIZE + 10] ^= 0x01
    path.write_bytes(bytes(raw))
    client.force_login(org.case_handler)
    since = last_audit_id()
    r = client.get(reverse("carriers:view-content", args=[carrier.pk]), follow=True)
    assert r.status_code == 200 and original[:200] not in r.content
    assert re.search("认证|完整|校验|不一致", r.content.decode())
    assert_audited(AuditEvent.INTEGRITY_FAILED, carrier, org.case_handler, outcome="failed", since=since)
