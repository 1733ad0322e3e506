"""Stamping PDFs with the mark, the 份号 and a visible watermark (CAR-13, R-MARK-5).

Every page gets, top-left inside the type area (GB/T 9704 §7.2): line 1 the six-digit 份号,
line 2 the mark (``机密★10年``) in a bold face; and a diagonal, light watermark naming the
user, the time and the carrier's registry number, repeated across the page. Done server-side
with reportlab (overlay) and pypdf (merge); nothing is sent to the browser unstamped.
"""

from __future__ import annotations

import io
from typing import Any

from pypdf import PdfReader, PdfWriter
from reportlab.lib.colors import Color
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

FONT = "STSong-Light"  # a standard CID font: no font file to ship, every PDF viewer has it
_font_ready = False

# GB/T 9704: type area starts 37 mm from the top and 28 mm from the left edge of A4.
MM = 72 / 25.4
TOP_MARGIN = 37 * MM
LEFT_MARGIN = 28 * MM


def _font() -> str:
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


def stamp_pdf(data: bytes, *, copy_number: str, mark: str, text: str) -> bytes:
    """Return ``data`` (a PDF) with every page stamped (CAR-13, R-MARK-5)."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    for page in writer.pages:
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        stamp = PdfReader(io.BytesIO(_overlay(width, height, copy_number=copy_number, mark=mark, text=text)))
        page.merge_page(stamp.pages[0])
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def is_pdf(head: bytes, content_type: str = "") -> bool:
    return head.startswith(b"%PDF-") or content_type == "application/pdf"
