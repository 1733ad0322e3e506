"""The 销毁清单 (destruction list) as a PDF (CAR-11, CAR-13).

As many carriers a page as fit: registry number, 份号, kind, level, document number, title (both in full,
wrapped in their columns), pages; then the reason, approval, method or facility, the two witnesses and the date. The
list names classified titles, so it carries the highest mark of its carriers top-left and the
exporter's watermark, and the export is issued by the one audited export service.
"""

from __future__ import annotations

import io
from typing import Any

from django.utils import timezone

from baomi.access import policy
from baomi.audit.events import AuditEvent
from baomi.carriers import integrity, watermark
from baomi.carriers.models import DestructionRequest
from baomi.core import levels
from baomi.core.levels import MARK_WORD, Level
from baomi.kit.exports import issue_export
from baomi.kit.service import service

ROW = 16  # a row's height with one line per cell
LINE = 12  # each further line of a wrapped cell
BOTTOM = 40  # no row below this (the watermark line sits at 14)
FOOTER_HEIGHT = 190  # the last page's reason, approval, witnesses and signature lines
#: the width each column may fill (to the next column, less a gap)
WIDTHS = (86, 34, 24, 94, 184, 30)
#: the flag on a carrier whose integrity check failed, for the security officer (issue 11 §4)
FLAG = "完整性校验失败"


def _who(user: Any) -> str:
    return (user.full_name or user.username) if user else "—"


@service
def render_destruction_list(actor: Any, req: DestructionRequest) -> bytes:
    """Render the 销毁清单 of a destruction request. *Requires* ``export_list``; a list holding a
    carrier whose integrity check failed only for the security officer, who sees it flagged
    「完整性校验失败」 (:class:`~baomi.carriers.integrity.IntegrityHold` for anyone else). *Audits*
    DESTRUCTION_LIST_EXPORTED (and INTEGRITY_FAILED per tampered carrier)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    policy.require(actor, "export_list", req)
    carriers = list(req.carriers.select_related("item", "custodian").order_by("registry_number"))
    # CLS-7, R-CRYPTO-5 (issue 11 §4): a tampered carrier is never left off silently. The security
    # officer gets it flagged; anyone else is refused (IntegrityHold, naming no carrier).
    flagged = {c.pk for c in integrity.hold_tampered(actor, "export_list", carriers, overseer_sees=True)}
    # The export is issued first by the one export service: the list's 份号 is the next number
    # of the destruction lists' own sequence (R-MARK-5, issue 12 §4), recorded in the entry.
    number = issue_export(actor, AuditEvent.DESTRUCTION_LIST_EXPORTED, req, document="carriers.destruction_list",
                          fmt="pdf", rows=len(carriers), details={"carriers": len(carriers)}).number  # fmt: skip
    buf = io.BytesIO()
    width, height = A4
    c = canvas.Canvas(buf, pagesize=A4)
    font = watermark._font()
    mark = list_mark(carriers, req.level)
    now = timezone.localtime()
    stamp = watermark.watermark_text(actor, now, f"销毁清单#{req.pk}")
    left = 20 * watermark.MM
    top0 = height - watermark.TOP_MARGIN - 24
    cols = [(left, "登记编号"), (left + 92, "份号"), (left + 132, "密级"), (left + 162, "文号"),
            (left + 262, "标题"), (left + 452, "页数")]  # fmt: skip
    # Titles and document numbers wrap in their columns, in full (issue 13: they were cut at 26
    # and 14 characters); pages break where the rows no longer fit.
    rows = [_row_lines(carrier, font, flagged=carrier.pk in flagged) for carrier in carriers]
    chunks = _paginate(rows, first_y=top0 - 98, bottom=BOTTOM, footer=FOOTER_HEIGHT)
    for page_no, chunk in enumerate(chunks, 1):
        top = top0 + 24
        c.setFont(font, 16)
        c.drawString(left, top, number)  # line 1: 份号, top-left (R-MARK-5)
        c.drawString(left, top - 24, mark)  # line 2: 密级★保密期限
        c.drawString(left + 0.3, top - 24, mark)  # drawn twice, offset: a bold stroke for 黑体
        top -= 24
        c.setFont(font, 18)
        c.drawCentredString(width / 2, top - 36, "涉密载体销毁清单")
        c.setFont(font, 9)
        c.drawString(left, top - 56, f"清单编号：XH-{req.pk}    第 {page_no} / {len(chunks)} 页")
        y = top - 80
        for x, head in cols:
            c.drawString(x, y, head)
        c.line(left, y - 4, width - left, y - 4)
        y -= 18
        for cells in chunk:
            for (x, _head), lines in zip(cols, cells, strict=True):
                for i, line in enumerate(lines):
                    c.drawString(x, y - i * LINE, line)
            y -= ROW + LINE * (max(len(lines) for lines in cells) - 1)
        if page_no == len(chunks):
            y -= 12
            lines = [
                f"销毁事由：{req.reason}",
                "申请人：{}    申请时间：{}".format(_who(req.requested_by), timezone.localtime(req.requested_at).strftime("%Y-%m-%d")),
                "审批人：{}    审批时间：{}".format(_who(req.decided_by), timezone.localtime(req.decided_at).strftime("%Y-%m-%d") if req.decided_at else "—"),
                "销毁方式：{}    销毁地点/机构：{}".format(req.get_method_display() or "—", req.facility or "—"),
                "监销人：{}、{}    销毁日期：{}".format(_who(req.witness_1), _who(req.witness_2), req.destroyed_on or "—"),
                f"执行人：{_who(req.executed_by)}",
                f"载体合计：{len(carriers)} 件",
            ]  # fmt: skip
            if flagged:
                lines.append(f"{FLAG}：{len(flagged)} 件，保密办处理前不得销毁")
            for line in lines:
                c.drawString(left, y, line)
                y -= 18
            c.drawString(left, y - 20, "监销人签字：________________    ________________")
        c.setFont(font, 7)
        c.drawString(left, 14, stamp)
        c.showPage()
    c.save()  # lint: allow — a reportlab canvas, not a model
    return watermark.stamp_pdf(buf.getvalue(), copy_number="", mark="", text=stamp)


def wrap(text: str, font: str, size: float, width: float) -> list[str]:
    """``text`` broken into lines no wider than ``width`` points, character by character (CJK
    has no spaces to break at); never an empty list."""
    from reportlab.pdfbase import pdfmetrics

    lines, line = [], ""
    for ch in text:
        if line and pdfmetrics.stringWidth(line + ch, font, size) > width:
            lines.append(line)
            line = ""
        line += ch
    return [*lines, line]


def _row_lines(carrier: Any, font: str, *, flagged: bool = False) -> list[list[str]]:
    title = f"【{FLAG}】{carrier.title}" if flagged else carrier.title
    values = [carrier.registry_number, carrier.copy_number, MARK_WORD.get(carrier.level, carrier.level),
              carrier.item.reference, title, str(carrier.pages or "")]  # fmt: skip
    return [wrap(v, font, 9, w) for v, w in zip(values, WIDTHS, strict=True)]


def _paginate(
    rows: list[list[list[str]]], *, first_y: float, bottom: float, footer: float
) -> list[list[Any]]:
    """Split the rows into pages by height; the last page keeps room for the footer lines."""
    pages: list[list[Any]] = [[]]
    y = first_y
    for cells in rows:
        h = ROW + LINE * (max(len(lines) for lines in cells) - 1)
        if y - h < bottom and pages[-1]:
            pages.append([])
            y = first_y
        pages[-1].append(cells)
        y -= h
    if y - footer < bottom and pages[-1]:
        pages.append([])
    return pages


def list_mark(carriers: list[Any], level: str) -> str:
    """The list's mark: the full mark (密级★保密期限) of its highest-level carrier, the longest
    period among those (R-MARK-5, R-MARK-6); the bare level word when there is no carrier."""
    if not carriers:
        return MARK_WORD.get(level, str(Level(level).label))
    top = levels.highest([c.level for c in carriers])
    marks = [c.mark_text() for c in carriers if c.level == top]
    return max(marks, key=_period_weight)


def _period_weight(mark: str) -> tuple[int, int]:
    """Order marks of one level by period: 长期 first, then the longest in months."""
    period = mark.partition("★")[2]
    if period == "长期":
        return (2, 0)
    digits = "".join(ch for ch in period if ch.isdigit())
    if period.endswith("年") and digits and len(digits) <= 4:
        return (1, int(digits) * 12)
    if period.endswith("个月") and digits:
        return (1, int(digits))
    return (0, 0)
