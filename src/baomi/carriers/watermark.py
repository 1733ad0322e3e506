"""Stamping PDFs with the mark, the 份号 and a visible watermark (CAR-13, R-MARK-5).

Every page gets, top-left inside the type area (GB/T 9704 §7.2): line 1 the six-digit 份号,
line 2 the mark (``机密★10年``) in a bold face; and a diagonal, light watermark naming the
user, the time and the carrier's registry number, repeated across the page. Done server-side
with reportlab (overlay) and pypdf (merge); nothing is sent to the browser unstamped.
"""

from __future__ import annotations

import io
from typing import Any

# pypdf and reportlab (about 20 MB resident) are imported where a PDF is stamped, not when Django
# starts: every web worker, the scheduler and each CLI call would carry them (SEC-4).

FONT = "STSong-Light"  # a standard CID font: no font file to ship, every PDF viewer has it
_font_ready = False

# GB/T 9704: type area starts 37 mm from the top and 28 mm from the left edge of A4.
MM = 72 / 25.4
TOP_MARGIN = 37 * MM
LEFT_MARGIN = 28 * MM


def _font() -> str:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    global _font_ready
    if not _font_ready:
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))
        _font_ready = True
    return FONT


def watermark_text(user: Any, when: Any, registry_number: str) -> str:
    """The watermark line: user, time, carrier number (CAR-13)."""
    name = getattr(user, "full_name", "") or getattr(user, "username", "")
    return "{} {} {} {}".format(
        name, getattr(user, "username", ""), when.strftime("%Y-%m-%d %H:%M"), registry_number
    )


def _overlay(width: float, height: float, *, copy_number: str, mark: str, text: str) -> bytes:
    from reportlab.lib.colors import Color
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=(width, height))
    font = _font()
    scale = min(width / (210 * MM), height / (297 * MM), 1.0) or 1.0
    top = height - TOP_MARGIN * scale
    left = LEFT_MARGIN * scale
    size = 16 * scale  # 3号 ≈ 16 pt
    c.setFillColor(Color(0, 0, 0))
    c.setFont(font, size)
    c.drawString(left, top, copy_number)  # line 1: 份号
    c.setFont(font, size)
    c.drawString(left, top - size * 1.5, mark)  # line 2: mark (密级★保密期限)
    c.drawString(left + 0.3, top - size * 1.5, mark)  # drawn twice, offset: a bold stroke for 黑体
    # The visible watermark: light grey, diagonal, repeated.
    c.setFillColor(Color(0.5, 0.5, 0.5, alpha=0.3))
    c.setFont(font, 13 * scale)
    c.saveState()
    c.translate(width / 2, height / 2)
    c.rotate(35)
    step_y = 90 * scale
    step_x = pdfmetrics.stringWidth(text, font, 13 * scale) + 60 * scale
    span = (width**2 + height**2) ** 0.5  # cover the page whatever the rotation
    cols = int(span / step_x / 2) + 1
    rows = int(span / step_y / 2) + 1
    for row in range(-rows, rows + 1):
        shift = (row % 2) * step_x / 2  # staggered rows read as a pattern, not as columns
        for col in range(-cols, cols + 1):
            c.drawCentredString(col * step_x + shift, row * step_y, text)
    c.restoreState()
    # A footer line that survives cropping.
    c.setFillColor(Color(0.3, 0.3, 0.3, alpha=0.8))
    c.setFont(font, 8 * scale)
    c.drawString(left, 14 * scale, text)
    c.showPage()
    c.save()  # lint: allow — a reportlab canvas, not a model
    return buf.getvalue()


def stamp_pdf(data: bytes | io.BytesIO, *, copy_number: str, mark: str, text: str) -> bytes:
    """Return ``data`` (a PDF, or a buffer holding one) with every page stamped (CAR-13,
    R-MARK-5). pypdf holds the whole document while writing it: the caller bounds the size
    (``services.content.stamp_limit``, SEC-4)."""
    from pypdf import PdfReader, PdfWriter

    source = data if isinstance(data, io.BytesIO) else io.BytesIO(data)
    writer = PdfWriter(clone_from=PdfReader(source))
    for page in writer.pages:
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        stamp = PdfReader(io.BytesIO(_overlay(width, height, copy_number=copy_number, mark=mark, text=text)))
        page.merge_page(stamp.pages[0])
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def is_pdf(head: bytes, content_type: str = "") -> bool:
    return head.startswith(b"%PDF-") or content_type == "application/pdf"


# --- Office files (issue 13, CAR-13, CLS-7) ---------------------------------------------------
# A docx or xlsx leaves with 份号 and the mark in the header of every page (line 1 and line 2,
# left) and the watermark line — reader, time, carrier number — in the header's right and the
# footer. Other formats that cannot carry them are refused in favour of the stamped PDF
# (``services.content.download_content``).

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MARKABLE = (DOCX, XLSX)


class CannotMark(Exception):
    """The file is not a document the Office libraries can open, so it cannot be marked."""


def _docx_headers(doc: Any) -> list[Any]:
    parts = []
    odd_even = bool(doc.settings.odd_and_even_pages_header_footer)
    for section in doc.sections:
        parts.append((section.header, section.footer))
        if section.different_first_page_header_footer:
            parts.append((section.first_page_header, section.first_page_footer))
        if odd_even:
            parts.append((section.even_page_header, section.even_page_footer))
    return parts


def mark_docx(data: bytes, *, copy_number: str, mark: str, text: str) -> bytes:
    """``data`` (a docx) with 份号, mark and watermark in every header and footer."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt, RGBColor

    try:
        doc = Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises several kinds for a file that is no docx
        raise CannotMark(str(exc)) from exc
    for header, footer in _docx_headers(doc):
        header.is_linked_to_previous = False
        first = header.paragraphs[0] if header.paragraphs else header.add_paragraph()
        lines = [(copy_number, False), (mark, True)]
        for value, bold in lines:
            para = first.insert_paragraph_before()
            para.alignment = WD_ALIGN_PARAGRAPH.LEFT
            run = para.add_run(value)
            run.bold = bold
            run.font.size = Pt(14)
        note = first.insert_paragraph_before()
        note.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        grey = note.add_run(text)
        grey.font.size = Pt(8)
        grey.font.color.rgb = RGBColor(0x80, 0x80, 0x80)
        footer.is_linked_to_previous = False
        line = footer.add_paragraph()
        line.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = line.add_run(text)
        run.font.size = Pt(8)
        run.font.color.rgb = RGBColor(0x80, 0x80, 0x80)
    out = io.BytesIO()
    doc.save(out)  # lint: allow — a python-docx document, not a model
    return out.getvalue()


def mark_xlsx(data: bytes, *, copy_number: str, mark: str, text: str) -> bytes:
    """``data`` (an xlsx) with 份号 and mark in the printed header of every sheet and the
    watermark in its footer. openpyxl does not carry drawings (charts, pictures) through a load
    and save; such a workbook is better registered as a PDF (docs/carriers.md)."""
    from openpyxl import load_workbook

    try:
        wb = load_workbook(io.BytesIO(data), rich_text=True)
    except Exception as exc:  # openpyxl raises several kinds for a file that is no xlsx
        raise CannotMark(str(exc)) from exc
    for ws in wb.worksheets:
        for header, footer in ((ws.oddHeader, ws.oddFooter), (ws.evenHeader, ws.evenFooter),
                               (ws.firstHeader, ws.firstFooter)):  # fmt: skip
            header.left.text = f"{copy_number}\n{mark}"
            header.right.text = text
            footer.center.text = text
    out = io.BytesIO()
    wb.save(out)  # lint: allow — an openpyxl workbook, not a model
    return out.getvalue()


def mark_office(data: bytes, content_type: str, *, copy_number: str, mark: str, text: str) -> bytes:
    """Mark a docx or xlsx (:data:`MARKABLE`); :class:`CannotMark` for anything else."""
    if content_type == DOCX:
        return mark_docx(data, copy_number=copy_number, mark=mark, text=text)
    if content_type == XLSX:
        return mark_xlsx(data, copy_number=copy_number, mark=mark, text=text)
    raise CannotMark(content_type)
