"""Exports of the publication review (SUP-3): the review register (xlsx) and a review form per
request (PDF).

Each export is issued by the one audited export service (``baomi.kit.exports``) before the file
is built, in the same transaction; its 份号 — the next number of the document's own sequence
(issue 12 §4) — is printed on the file (line 1), so a sheet found on a desk leads back to who exported
it. The register lists requests and decisions, never hits' titles. The form lists the hits as
the exporter may see them — a hit beyond their clearance reads the same message as on screen —
and carries the mark of the highest item it names (CLS-5: a compilation takes the highest
level of its parts; R-MARK-5: mark on line 2), plus a watermark naming the exporter.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import gettext as _

from baomi.access.policy import require
from baomi.core import levels
from baomi.kit import sheets
from baomi.kit.exports import issue_export
from baomi.kit.service import service
from baomi.publication import selectors
from baomi.publication.events import PublicationEvent
from baomi.publication.models import PublicationRequest

CID_FONT = "STSong-Light"  # reportlab's built-in CID font for Simplified Chinese
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_ROWS = 5000


@dataclass
class Export:
    filename: str
    content_type: str
    data: bytes
    number: str


def _decided(req: PublicationRequest, stage: str) -> Any:
    found = [d for d in req.decisions.all() if d.stage == stage]
    return found[-1] if found else None


@service
def export_register(actor: Any, *, status: str = "", year: int | None = None) -> Export:
    """The review register as xlsx (SUP-3): every request the exporter may oversee, with the
    decisions, reviewers and publication records. *Requires* ``export_publication_register``.
    *Audits* PUBLICATION_REGISTER_EXPORTED (rows and filters)."""
    require(actor, "export_publication_register")
    rows = list(selectors.register(actor, status=status, year=year)[: MAX_ROWS + 1])
    if len(rows) > MAX_ROWS:
        from baomi.core.errors import ValidationFailed

        raise ValidationFailed(
            _("An export holds at most %(max)s rows; narrow the filters first.") % {"max": MAX_ROWS}
        )
    ticket = issue_export(actor, PublicationEvent.PUBLICATION_REGISTER_EXPORTED,
                          ("publication.register", year or "all", "register"), document="publication.register",
                          fmt="xlsx", rows=len(rows), filters={"status": status, "year": year},
                          details={"status": status, "year": year})  # fmt: skip
    number, watermark = ticket.number, ticket.watermark
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    ws = wb.active
    ws.title = sheets.sheet_name(_("Review register"))
    sheets.mark_sheet(ws, sheets.internal_mark(), number=number, watermark=watermark)
    ws["A1"] = number
    ws["A2"] = _("Publication review register")
    ws["A2"].font = Font(bold=True, size=14)
    ws["A3"] = watermark
    ws["A3"].font = Font(italic=True, color="808080")
    header = [_("Number"), _("Subject"), _("Submitter"), _("Department"), _("Publication channel"), _("Submitted on"),
              _("Intended publication date"), _("Due date"), _("Status"), _("Hits"), _("Department review"),
              _("Security office review"), _("Decision"), _("Reasons"), _("Published")]  # fmt: skip
    for col, name in enumerate(header, 1):
        cell = ws.cell(row=5, column=col, value=name)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="F0F2F5")
    for r, req in enumerate(rows, 6):
        dept, office = _decided(req, "department"), _decided(req, "office")
        final = office or dept
        run = selectors.latest_run(req)
        published = "；".join(f"{p.published_on} {p.where}" for p in req.publications.all())
        values = [req.number, req.title, req.submitter.get_short_name(), req.department.name,
                  str(req.get_channel_display()), timezone.localtime(req.submitted_at).strftime("%Y-%m-%d"),
                  req.intended_on.isoformat(), req.due_on.isoformat() if req.due_on else "",
                  str(req.get_status_display()), run.total if run else 0,
                  dept.decided_by.get_short_name() if dept else "", office.decided_by.get_short_name() if office else "",
                  str(final.get_outcome_display()) if final else "", final.reasons if final else "", published]  # fmt: skip
        for col, value in enumerate(values, 1):
            ws.cell(row=r, column=col, value=value).alignment = Alignment(
                vertical="top", wrap_text=col in (2, 14)
            )
    for col, width in enumerate([14, 40, 10, 14, 14, 12, 12, 12, 14, 6, 10, 10, 14, 40, 30], 1):
        ws.column_dimensions[get_column_letter(col)].width = width
    ws.freeze_panes = "A6"
    buf = io.BytesIO()
    wb.save(buf)  # lint: allow an openpyxl workbook, not a model
    return Export(f"publication-register-{number}.xlsx", XLSX, buf.getvalue(), number)


@service
def export_review_form(actor: Any, req: PublicationRequest) -> Export:
    """The review form of one request as PDF (SUP-3, R-PUB-1: the review record naming the
    reviewers): facts, screening hits as the exporter may see them, decisions with reasons,
    referrals, the approved version's digest and the publication records.
    *Requires* ``export`` on the request (never its submitter). *Audits* PUBLICATION_FORM_EXPORTED."""
    require(actor, "export", req)
    run = selectors.latest_run(req)
    hits = selectors.hits_for(actor, req, run, audit=False) if run else []
    top = _top_item(actor, [h for h in hits if h.visible and h.item_id])
    mark = top.mark_text() if top else ""
    ticket = issue_export(actor, PublicationEvent.PUBLICATION_FORM_EXPORTED, req, document="publication.form",
                          fmt="pdf", rows=len(hits), filters={"request": req.pk},
                          details={"hits": len(hits), "hidden": sum(1 for h in hits if not h.visible),
                                   "level": top.level if top else ""})  # fmt: skip
    number, watermark = ticket.number, ticket.watermark
    data = _form_pdf(req, hits, number=number, mark=mark, watermark=watermark)
    return Export(f"publication-{req.number}-{number}.pdf", "application/pdf", data, number)


def _top_item(actor: Any, hits: list[Any]) -> Any:
    from baomi.classification import selectors as classification

    ids = {h.item_id for h in hits}
    items = list(classification.items(actor).filter(pk__in=ids)) if ids else []
    if not items:
        return None
    top = levels.highest([i.level for i in items])
    return next(i for i in items if i.level == top)


def _form_pdf(req: PublicationRequest, hits: list[Any], *, number: str, mark: str, watermark: str) -> bytes:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate, Paragraph, Spacer, Table, TableStyle

    if CID_FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(CID_FONT))
    page_w, page_h = A4
    margin, line = 18 * mm, 6 * mm

    def header(canvas: Any, doc: Any) -> None:
        canvas.saveState()
        canvas.setFont(CID_FONT, 11)
        canvas.drawString(margin, page_h - margin, number)  # line 1: export number
        if mark:
            canvas.setFont(CID_FONT, 13)
            canvas.setFillColor(colors.HexColor("#8B0000"))
            canvas.drawString(margin, page_h - margin - line, mark)  # line 2: the mark
        canvas.setFillColor(colors.Color(0.55, 0.1, 0.1, alpha=0.12))
        canvas.setFont(CID_FONT, 16)
        canvas.translate(page_w / 2, page_h / 2)
        canvas.rotate(35)
        for dy in (-200, 0, 200):
            canvas.drawCentredString(0, dy, watermark)
        canvas.restoreState()

    frame = Frame(margin, 15 * mm, page_w - 2 * margin, page_h - margin - 2 * line - 18 * mm, id="body")
    doc = BaseDocTemplate(io.BytesIO(), pagesize=A4, title=req.number, author="baomi")
    doc.addPageTemplates([PageTemplate(id="form", frames=[frame], onPage=header)])
    h1 = ParagraphStyle("h1", fontName=CID_FONT, fontSize=16, leading=22, alignment=1)
    h2 = ParagraphStyle("h2", fontName=CID_FONT, fontSize=12, leading=18, spaceBefore=8)
    body = ParagraphStyle("b", fontName=CID_FONT, fontSize=9.5, leading=13, wordWrap="CJK")

    def p(text: Any) -> Any:
        return Paragraph(escape(str(text)), body)

    def table(rows: list[list[Any]], widths: list[float]) -> Any:
        t = Table([[p(c) for c in row] for row in rows], colWidths=[w * mm for w in widths], repeatRows=1)
        t.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.3, colors.HexColor("#BFBFBF")),
                               ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#F0F2F5")),
                               ("VALIGN", (0, 0), (-1, -1), "TOP")]))  # fmt: skip
        return t

    facts: list[list[Any]] = [
        [_("Number"), req.number, _("Status"), req.get_status_display()],
        [_("Subject"), req.title, _("Publication channel"), f"{req.get_channel_display()} {req.channel_detail}"],
        [_("Submitter"), f"{req.submitter.get_short_name()} · {req.department.name}", _("Submitted on"),
         timezone.localtime(req.submitted_at).strftime("%Y-%m-%d")],
        [_("Intended publication date"), req.intended_on, _("Due date"), req.due_on or "—"],
    ]  # fmt: skip
    story: list[Any] = [Paragraph(escape(_("Publication review form")), h1), Spacer(1, 3 * mm),
                        table(facts, [28, 60, 28, 58])]  # fmt: skip
    story.append(Paragraph(escape(_("Screening")), h2))
    if hits:
        rows: list[list[Any]] = [[_("Kind of hit"), _("Found in"), _("Match")]]
        for h in hits:
            if not h.visible:
                rows.append([_("Registry"), "—", h.message])
            else:
                what = f"{h.mark} {h.title}".strip() if (h.item_id or h.carrier_id) else h.shown or h.match
                rows.append([h.kind_label, h.where, what])
        story.append(table(rows, [36, 36, 102]))
    else:
        story.append(p(_("No hits.")))
    story.append(Paragraph(escape(_("Decisions")), h2))
    rows = [[_("Stage"), _("Decision"), _("Reviewer"), _("Date"), _("Reasons")]]
    for d in selectors.decisions(req):
        rows.append([d.get_stage_display(), d.get_outcome_display(), d.decided_by.get_short_name(),
                     timezone.localtime(d.decided_at).strftime("%Y-%m-%d"),
                     d.reasons + (f"（{d.get_ground_display()}）" if d.ground else "")])  # fmt: skip
    story.append(table(rows, [24, 26, 20, 20, 84]))
    for ref in selectors.referrals(req):
        story.append(p(_("Referred to %(authority)s on %(day)s: %(question)s — answer: %(answer)s")
                       % {"authority": ref.authority, "day": ref.referred_on, "question": ref.question,
                          "answer": ref.answer or "—"}))  # fmt: skip
    if req.approved_version_id:
        v = req.approved_version
        assert v is not None
        story.append(Paragraph(escape(_("Approved version")), h2))
        story.append(p(f"{v.algorithm.upper()} {v.digest}"))
        if v.storage_digest:
            story.append(p(_("These digests are the encrypted storage's, recorded before versions were fingerprinted "
                             "by their content; no file reproduces them. Record the publication by attaching the "
                             "published file: it is compared with the approved files themselves.")))  # fmt: skip
        for part in selectors.version_parts(req):
            story.append(p(f"{part.name} · {part.size} B · {part.digest}"))
    for rec in selectors.publications(req):
        story.append(
            p(_("Published at %(where)s on %(day)s") % {"where": rec.where, "day": rec.published_on})
        )
    story.append(Spacer(1, 4 * mm))
    story.append(Paragraph(escape(watermark), body))
    out = io.BytesIO()
    doc.filename = out
    doc.build(story)
    return out.getvalue()
