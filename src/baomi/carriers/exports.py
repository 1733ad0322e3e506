"""Ledger exports to xlsx and PDF with marks and a watermark (CAR-12, CAR-13, R-MARK-5).

Every export is issued by the one export service (``baomi.kit.exports.issue_export``:
LEDGER_EXPORTED, written before the file is built, in the same transaction); the export's 份号
is the next number of the ledger's own sequence (issue 12 §4), recorded in the entry, so a sheet
found on a desk leads back to who exported it, when and with which filters. The search words are not copied into the audit
trail (they may be content); their length is.

Layout of the PDF (GB/T 9704): 份号 on line 1 and the mark on line 2, top left, on every page;
each row shows its own mark; a diagonal watermark names the user, the time and the export
number. The xlsx carries the same lines above the table, a mark column and the watermark text
in the header and footer of every printed page.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from baomi.access import policy
from baomi.audit.events import AuditEvent
from baomi.carriers.ledger import (
    SCOPE_LABELS,
    Filters,
    ledger_queryset,
    mark_for,
    parse_filters,
    row_mark,
    rows_with_marks,
    with_row_marks,
)
from baomi.carriers.models import Carrier
from baomi.core import levels
from baomi.core.errors import ValidationFailed
from baomi.kit import sheets
from baomi.kit.exports import issue_export
from baomi.kit.service import service

EXPORT_MAX_ROWS = 5000
FORMATS = ("xlsx", "pdf")
#: PDF column widths (landscape A4 less the margins: 267 mm): the mark column holds a short
#: mark on one line and wraps a long one inside itself.
MARK_COLUMNS_MM = (26, 34, 12, 62, 20, 16, 20, 25, 30, 22)
CID_FONT = "STSong-Light"  # reportlab's built-in Adobe CID font for Simplified Chinese: no file needed


@dataclass
class Export:
    filename: str
    content_type: str
    data: bytes
    number: str
    rows: int


def _columns() -> list[str]:
    return [_("Mark"), _("Registry number"), _("Copy number"), _("Title"), _("Kind"), _("Status"), _("Custodian"),
            _("Department"), _("Storage place"), _("Registered on")]  # fmt: skip


def _row(c: Carrier) -> list[str]:
    return [
        row_mark(c),
        c.registry_number,
        c.copy_number,
        c.title,
        str(c.get_kind_display()),
        str(c.get_status_display()),
        c.custodian.get_short_name(),
        c.department.name,
        c.storage_place,
        timezone.localtime(c.registered_at).strftime("%Y-%m-%d"),
    ]


def document_mark(rows: list[Carrier]) -> str:
    """The export's mark: the highest level among its rows (CLS-5: a compilation takes the
    highest level of its sources)."""
    if not rows:
        return mark_for(levels.Level.PUBLIC)
    top = levels.highest([c.level for c in rows])
    return row_mark(next(c for c in rows if c.level == top))


@service
def export_ledger(actor: Any, params: Any, fmt: str) -> Export:
    """Export the ledger the user is looking at (same filters, same visibility) — CAR-12/13."""
    if fmt not in FORMATS:
        raise ValidationFailed(
            gettext_lazy("Unknown export format."), fields={"format": [str(_("Unknown value."))]}
        )
    flt = parse_filters(params)
    rows = rows_with_marks(with_row_marks(ledger_queryset(actor, flt))[: EXPORT_MAX_ROWS + 1])
    # CLS-7, R-CRYPTO-5: as on the ledger page, a row whose level or number fails its MAC — or
    # whose item's mark does — is left out (the security officer's export keeps it), alarmed.
    rows = policy.screen(actor, rows)
    if len(rows) > EXPORT_MAX_ROWS:
        raise ValidationFailed(
            gettext_lazy("An export holds at most %(max)s rows; narrow the filters first.")
            % {"max": EXPORT_MAX_ROWS}
        )
    top = levels.highest([c.level for c in rows]) if rows else levels.Level.PUBLIC
    ticket = issue_export(actor, AuditEvent.LEDGER_EXPORTED, ("carriers.ledger", flt.scope, f"ledger:{flt.scope}", top),
                          document="carriers.ledger", fmt=fmt, rows=len(rows), filters=flt.as_details())  # fmt: skip
    number, watermark = ticket.number, ticket.watermark
    title = _("Carrier ledger — %(scope)s") % {"scope": SCOPE_LABELS[flt.scope]}
    base = f"ledger-{flt.scope}-{number}"
    if fmt == "xlsx":
        data = build_xlsx(rows, number=number, mark=document_mark(rows), title=title, watermark=watermark)
        return Export(f"{base}.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", data,
                      number, len(rows))  # fmt: skip
    data = build_pdf(rows, number=number, mark=document_mark(rows), title=title, watermark=watermark, flt=flt)
    return Export(f"{base}.pdf", "application/pdf", data, number, len(rows))


def build_xlsx(rows: list[Carrier], *, number: str, mark: str, title: str, watermark: str) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    ws = wb.active
    ws.title = sheets.sheet_name(_("Ledger"))
    ws["A1"] = number  # 份号, line 1 (GB/T 9704)
    ws["A2"] = mark  # mark, line 2
    ws["A1"].font = Font(bold=True)
    ws["A2"].font = Font(bold=True, color="8B0000", size=13)
    ws["A3"] = title
    ws["A3"].font = Font(bold=True, size=14)
    ws["A4"] = watermark
    ws["A4"].font = Font(italic=True, color="808080")
    header_row = 6
    thin = Side(style="thin", color="BFBFBF")
    for col, name in enumerate(_columns(), 1):
        cell = ws.cell(row=header_row, column=col, value=name)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="F0F2F5")
        cell.border = Border(bottom=thin, top=thin)
    for r, carrier in enumerate(rows, header_row + 1):
        for col, value in enumerate(_row(carrier), 1):
            cell = ws.cell(row=r, column=col, value=value)
            cell.alignment = Alignment(vertical="top", wrap_text=col == 4)
            if col == 1:
                cell.font = Font(bold=True, color="8B0000")
    for col, width in enumerate([10, 20, 7, 44, 12, 10, 12, 16, 16, 12], 1):
        ws.column_dimensions[get_column_letter(col)].width = width
    ws.freeze_panes = ws.cell(row=header_row + 1, column=1)
    ws.print_title_rows = f"{header_row}:{header_row}"
    ws.page_setup.orientation = "landscape"
    sheets.mark_sheet(ws, mark, number=number, watermark=watermark)
    buf = io.BytesIO()
    wb.save(buf)  # lint: allow an openpyxl workbook, not a model
    return buf.getvalue()


def build_pdf(
    rows: list[Carrier], *, number: str, mark: str, title: str, watermark: str, flt: Filters
) -> bytes:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate, Paragraph, Spacer, Table, TableStyle

    if CID_FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(CID_FONT))
    page_w, page_h = landscape(A4)
    margin = 15 * mm
    line = 6 * mm

    def header(canvas: Any, doc: Any) -> None:
        canvas.saveState()
        canvas.setFont(CID_FONT, 12)
        canvas.drawString(margin, page_h - margin, number)  # line 1: 份号
        canvas.setFont(CID_FONT, 14)
        canvas.setFillColor(colors.HexColor("#8B0000"))
        canvas.drawString(margin, page_h - margin - line, mark)  # line 2: mark
        canvas.setFillColor(colors.black)
        canvas.setFont(CID_FONT, 8)
        canvas.drawRightString(page_w - margin, 8 * mm, _("Page %(page)s") % {"page": doc.page})
        canvas.restoreState()

    def stamp(canvas: Any, doc: Any) -> None:
        canvas.saveState()
        canvas.setFont(CID_FONT, 20)
        canvas.setFillColor(colors.Color(0.55, 0.1, 0.1, alpha=0.13))
        canvas.translate(page_w / 2, page_h / 2)
        canvas.rotate(28)
        for dy in (-160, -40, 80, 200):
            canvas.drawCentredString(0, dy, watermark)
        canvas.restoreState()

    frame = Frame(margin, 14 * mm, page_w - 2 * margin, page_h - margin - 2 * line - 18 * mm, id="body")
    doc = BaseDocTemplate(io.BytesIO(), pagesize=(page_w, page_h), title=title, author="baomi")
    doc.addPageTemplates([PageTemplate(id="ledger", frames=[frame], onPage=header, onPageEnd=stamp)])
    h = ParagraphStyle("h", fontName=CID_FONT, fontSize=15, leading=20, alignment=1)
    small = ParagraphStyle("s", fontName=CID_FONT, fontSize=8.5, leading=11)
    cell = ParagraphStyle("c", fontName=CID_FONT, fontSize=8.5, leading=11, wordWrap="CJK")
    meta = _("%(count)s rows · %(watermark)s") % {"count": len(rows), "watermark": watermark}
    story: list[Any] = [Paragraph(escape(title), h), Paragraph(escape(meta), small), Spacer(1, 4 * mm)]
    data: list[list[Any]] = [_columns()]
    # The mark wraps inside its own column: a long mark (机密★2031-06-30, 机密★<condition>) used
    # to run over the 登记编号 beside it (issue 13).
    mark_cell = ParagraphStyle("m", parent=cell, textColor=colors.HexColor("#8B0000"))
    for c in rows:
        values: list[Any] = _row(c)
        values[0] = Paragraph(escape(values[0]), mark_cell)
        values[3] = Paragraph(escape(values[3]), cell)
        values[8] = Paragraph(escape(values[8]), cell)
        data.append(values)
    if not rows:
        data.append([_("No carriers match."), *[""] * 9])
    widths = [x * mm for x in MARK_COLUMNS_MM]
    table = Table(data, colWidths=widths, repeatRows=1)
    table.setStyle(
        TableStyle([
            ("FONT", (0, 0), (-1, -1), CID_FONT, 8.5),
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#F0F2F5")),
            ("TEXTCOLOR", (0, 1), (0, -1), colors.HexColor("#8B0000")),
            ("LINEBELOW", (0, 0), (-1, -1), 0.3, colors.HexColor("#BFBFBF")),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ])
    )  # fmt: skip
    story.append(table)
    out = io.BytesIO()
    doc.filename = out
    doc.build(story)
    return out.getvalue()
