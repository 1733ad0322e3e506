"""Exports of inspections (SUP-1): the run's checklist and results as xlsx, its report as a PDF
laid out after GB/T 9704 (党政机关公文格式), and the rectification list as xlsx. Each export is
audited (RUN_EXPORTED, RECTIFICATION_EXPORTED).

GB/T 9704 as used here: A4; top margin 37 mm, inner (left) margin 28 mm; a type area of
156 mm × 225 mm holding 22 lines of 28 characters; the title in 2号 (22 pt) centred, body text
in 3号 (16 pt), first-level headings "一、" in 黑体 weight; the page number "— 1 —" in 4号 (14 pt)
below the type area; the issuing office and the date at the end, right-aligned. The PDF uses
the CID font STSong-Light (no font file needed; viewers substitute their Song face).
"""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from baomi.access.policy import require
from baomi.inspections import selectors, services
from baomi.inspections.events import InspectionEvent
from baomi.inspections.models import Run
from baomi.kit import sheets
from baomi.kit.exports import issue_export
from baomi.kit.service import service

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PDF = "application/pdf"
CN_NUM = "一二三四五六七八九十"


def _who(user: Any) -> str:
    return (user.full_name or user.username) if user else ""


def _result_score(a: Any) -> str:
    if a.result == "compliant":
        return str(a.item.score)
    if a.result == "non_compliant":
        return "0"
    return "—"


@service
def export_run(actor: Any, run: Run, fmt: str) -> tuple[bytes, str, str]:
    """The run as ``xlsx`` (checklist, results, measured figures, findings) or ``pdf`` (the
    report). *Requires* ``export``. *Audits* RUN_EXPORTED."""
    require(actor, "export", run)
    number = issue_export(actor, InspectionEvent.RUN_EXPORTED, run, document="inspections.run", fmt=fmt,
                          rows=run.answers.count(),
                          filters={"run": run.pk}).number  # fmt: skip
    if fmt == "xlsx":
        return _run_xlsx(actor, run), f"inspection-{run.pk}-{number}.xlsx", XLSX
    return _run_pdf(actor, run), f"inspection-{run.pk}-{number}.pdf", PDF


@service
def export_tasks(actor: Any, tasks: Any) -> tuple[bytes, str, str]:
    """The rectification list (整改台账) the viewer sees, as xlsx. *Requires*
    ``rectification_list``. *Audits* RECTIFICATION_EXPORTED."""
    require(actor, "rectification_list")
    rows = list(tasks)
    issue_export(actor, InspectionEvent.RECTIFICATION_EXPORTED, ("inspections.task", "list", "整改台账"),
                 document="inspections.rectification_list", fmt="xlsx", rows=len(rows))  # fmt: skip
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = sheets.sheet_name(_("Rectification list"))
    today = timezone.localdate()
    ws.append([_("Task"), _("Finding"), _("Inspection"), _("Department"), _("Severity"), _("Problem found"),
               _("Measures required"), _("Owner"), _("Deadline"), _("Status"), _("Overdue"), _("Submitted at"),
               _("Verified by"), _("Verified at")])  # fmt: skip
    for t in rows:
        f = t.finding
        ws.append([t.pk, f.pk, f.source_title, f.department.name if f.department_id else f.place, f.get_severity_display(),
                   f.description, t.measures, _who(t.owner), t.deadline, t.get_status_display(),
                   _("Yes") if t.is_overdue(today) else "", _local(t.submitted_at), _who(t.verified_by),
                   _local(t.verified_at)])  # fmt: skip
    _widths(ws, [8, 8, 30, 14, 8, 40, 40, 12, 12, 14, 8, 18, 12, 18])
    return _save(wb), "rectification.xlsx", XLSX


def _local(dt: Any) -> str:
    return timezone.localtime(dt).strftime("%Y-%m-%d %H:%M") if dt else ""


def _widths(ws: Any, widths: list[int]) -> None:
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    for i, w in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(i)].width = w
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in ws.iter_rows():
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")


def _save(wb: Any) -> bytes:
    for ws in wb.worksheets:  # 「内部」 in the printed header of every sheet (issue 13)
        sheets.mark_sheet(ws, sheets.internal_mark())
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _run_xlsx(actor: Any, run: Run) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = sheets.sheet_name(_("Checklist"))
    ws.append([_("Area"), _("No."), _("Check item"), _("How to check"), _("Score"), _("Result"), _("Points"),
               _("Note"), _("Measured figure"), _("Exceptions"), _("Reason for overriding")])  # fmt: skip
    for a in selectors.answers_of(run):
        m = a.measured or {}
        ws.append([f"{a.item.area.number}. {a.item.area.title}", f"{a.item.area.number}.{a.item.number}", a.item.text,
                   a.item.how_to_check, float(a.item.score), a.get_result_display() if a.result else "",
                   _result_score(a), a.note, m.get("count", ""),
                   "、".join(e.get("label", "") for e in m.get("exceptions", [])), a.override_reason])  # fmt: skip
    _widths(ws, [18, 6, 48, 30, 6, 10, 6, 30, 8, 40, 30])
    ws2 = wb.create_sheet(sheets.sheet_name(_("Scores")))
    ws2.append([_("Area"), _("Points"), _("Out of"), _("Percent")])
    rows = services.area_scores(run)
    for r in rows:
        ws2.append([f"{r['number']}. {r['title']}", float(r["score"]), float(r["max"]), r["percent"]])
    total = sum((r["score"] for r in rows), Decimal(0))
    total_max = sum((r["max"] for r in rows), Decimal(0))
    ws2.append(
        [_("Total"), float(total), float(total_max), round(100 * total / total_max) if total_max else None]
    )
    _widths(ws2, [30, 10, 10, 10])
    ws3 = wb.create_sheet(sheets.sheet_name(_("Findings")))
    ws3.append(
        [_("Finding"), _("Check item"), _("Department"), _("Severity"), _("Problem found"), _("Status")]
    )
    for f in selectors.findings(actor, run=run):
        ws3.append([f.pk, f"{f.item.area.number}.{f.item.number}" if f.item is not None else "",
                    f.department.name if f.department is not None else f.place, f.get_severity_display(), f.description,
                    f.get_status_display()])  # fmt: skip
    _widths(ws3, [8, 8, 14, 8, 60, 10])
    return _save(wb)


def _run_pdf(actor: Any, run: Run) -> bytes:
    from reportlab.lib import colors
    from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_RIGHT
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    font = "STSong-Light"
    pdfmetrics.registerFont(UnicodeCIDFont(font))
    width, height = A4
    body_w, body_h = 156 * mm, 225 * mm
    left, top = 28 * mm, 37 * mm
    leading = body_h / 22  # 22 lines in the type area
    title = ParagraphStyle("title", fontName=font, fontSize=22, leading=leading * 1.4, alignment=TA_CENTER,
                           spaceAfter=leading)  # fmt: skip
    body = ParagraphStyle("body", fontName=font, fontSize=16, leading=leading, firstLineIndent=32,
                          alignment=TA_JUSTIFY, wordWrap="CJK")  # fmt: skip
    head = ParagraphStyle("head", parent=body, firstLineIndent=32)
    cell = ParagraphStyle("cell", fontName=font, fontSize=11, leading=14, wordWrap="CJK")
    right = ParagraphStyle("right", parent=body, alignment=TA_RIGHT, firstLineIndent=0)

    def bold(text: str) -> str:
        return f'<font name="{font}"><b>{text}</b></font>'

    story: list[Any] = [Paragraph(_("Report on %(title)s") % {"title": _esc(run.title)}, title)]
    rows = services.area_scores(run)
    total = sum((r["score"] for r in rows), Decimal(0))
    total_max = sum((r["max"] for r in rows), Decimal(0))
    inspectors = "、".join(_who(u) for u in [run.lead, *run.inspectors.exclude(pk=run.lead_id)])
    sections = 0

    def section(text: str) -> None:
        nonlocal sections
        story.append(Paragraph(bold(f"{CN_NUM[sections]}、{text}"), head))
        sections += 1

    section(_("Basic facts"))
    story.append(Paragraph(_esc(_(
        "Kind: %(kind)s. Scope: %(scope)s. Checklist: %(template)s. Inspectors: %(who)s. Opened %(opened)s; "
        "status: %(status)s."
    ) % {"kind": run.get_kind_display(), "scope": run.scope_label, "template": str(run.template),
         "who": inspectors, "opened": _local(run.opened_at), "status": run.get_status_display()}), body))  # fmt: skip
    section(_("Results"))
    story.append(Paragraph(_esc(_("Total score %(score)s of %(max)s (%(percent)s%%).") % {
        "score": total, "max": total_max, "percent": round(100 * total / total_max) if total_max else "—"}), body))  # fmt: skip
    table: list[list[Any]] = [[Paragraph(_("Area"), cell), Paragraph(_("Points"), cell), Paragraph(_("Out of"), cell),
              Paragraph(_("Percent"), cell)]]  # fmt: skip
    for r in rows:
        table.append([Paragraph(_esc(f"{r['number']}. {r['title']}"), cell), str(r["score"]), str(r["max"]),
                      f"{r['percent']}%" if r["percent"] is not None else "—"])  # fmt: skip
    t = Table(table, colWidths=[86 * mm, 22 * mm, 22 * mm, 26 * mm], repeatRows=1)
    t.setStyle(TableStyle([("FONT", (0, 0), (-1, -1), font, 11), ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                           ("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("ALIGN", (1, 1), (-1, -1), "CENTER")]))  # fmt: skip
    story += [t, Spacer(1, leading / 2)]
    measured = [a for a in selectors.answers_of(run) if a.measured]
    if measured:
        section(_("Checks measured from the records"))
        for a in measured:
            m = a.measured or {}
            text = _("%(item)s: %(count)s found") % {
                "item": selectors.probe_label(a.item.probe),
                "count": m.get("count"),
            }
            if a.override_reason:
                text += _("; overridden: %(reason)s") % {"reason": a.override_reason}
            story.append(Paragraph(_esc(text), body))
    section(_("Problems found and rectification"))
    findings = list(selectors.findings(actor, run=run).prefetch_related("tasks", "tasks__owner"))
    if not findings:
        story.append(Paragraph(_("No problem was found."), body))
    for i, f in enumerate(findings, 1):
        where = f.department.name if f.department is not None else f.place
        text = f"{i}. [{f.get_severity_display()}] {where}：{f.description}"
        story.append(Paragraph(_esc(text), body))
        for task in f.tasks.all():
            story.append(Paragraph(_esc(_("Rectification: %(measures)s — owner %(owner)s, by %(deadline)s, %(status)s.")
                                        % {"measures": task.measures, "owner": _who(task.owner),
                                           "deadline": task.deadline, "status": task.get_status_display()}), body))  # fmt: skip
    if run.summary:
        section(_("Summary"))
        story.append(Paragraph(_esc(run.summary), body))
    story += [Spacer(1, leading), Paragraph(_("Security office"), right),
              Paragraph(_cn_date(run.completed_at or timezone.now()), right)]  # fmt: skip

    def page_number(canvas: Any, doc: Any) -> None:
        canvas.setFont(font, 14)
        text = f"— {doc.page} —"
        y = height - top - body_h - 7 * mm  # below the type area
        if doc.page % 2:
            canvas.drawRightString(left + body_w - 7 * mm, y, text)  # odd pages: right, 一字 in
        else:
            canvas.drawString(left + 7 * mm, y, text)

    buf = io.BytesIO()
    doc = SimpleDocTemplate(buf, pagesize=A4, leftMargin=left, rightMargin=width - left - body_w, topMargin=top,
                            bottomMargin=height - top - body_h, title=run.title, author="baomi")  # fmt: skip
    doc.build(story, onFirstPage=page_number, onLaterPages=page_number)
    return buf.getvalue()


def _esc(text: Any) -> str:
    from xml.sax.saxutils import escape

    return escape(str(text))


def _cn_date(dt: Any) -> str:
    d = timezone.localtime(dt).date()
    return f"{d.year}年{d.month}月{d.day}日"
