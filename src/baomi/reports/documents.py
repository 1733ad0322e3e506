"""The annual report as documents (SUP-14): an editable docx (python-docx) and a PDF in the
layout of GB/T 9704-2012 (党政机关公文格式) drawn with reportlab.

Both carry, top left, the 份号 (six digits: the number of the audit entry of the download, so a
printed copy leads back to who took it) and the mark (工作秘密: 「内部」 or 「内部事项 注意保管」,
never ★); then the 发文机关标志 in red with the red separator line, the 标题, the 主送机关, the
正文 with numbered headings (一、 then （一）), the tables and charts as 附件, and the 成文日期
under the unit's name. A4, type area 156 × 225 mm, top margin 37 mm, left 28 mm.
"""

from __future__ import annotations

import io
from datetime import date
from typing import Any

from django.conf import settings

from baomi.reports import charts

CN_NUM = "〇一二三四五六七八九"
HEADING_NUMBERS = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二", "十三", "十四"]
MM = 72 / 25.4
RED = (0.78, 0.0, 0.0)


def cn_date(day: date) -> str:
    """成文日期 in Arabic numerals, as GB/T 9704-2012 §7.3.5.5 prescribes: 2027年1月15日."""
    return f"{day.year}年{day.month}月{day.day}日"


def unit_name() -> str:
    return str(getattr(settings, "UNIT_NAME", "本单位"))


def recipient() -> str:
    return str(getattr(settings, "REPORT_TO", "同级保密行政管理部门"))


def title_of(year: int) -> str:
    return f"{unit_name()}关于{year}年度保密工作情况的报告"


def _chart_for(fig: dict[str, Any]) -> str | None:
    """The chart drawn for a table in the reports, or None."""
    rows = fig["rows"]
    if fig["key"] == "carriers_level_status" and rows:
        return str(charts.bar([r[0] for r in rows], [r[-1] for r in rows], title=fig["title"]))
    if fig["key"] == "flows_month" and len(rows) > 1:
        months = [str(r[0])[-2:].lstrip("0") + "月" for r in rows[:-1]]
        series = [(fig["headers"][i], [r[i] for r in rows[:-1]]) for i in (1, 2, 3, 4, 5)]
        return str(charts.lines(months, series, title=fig["title"]))
    if fig["key"] == "personnel_category" and rows:
        return str(charts.bar([r[0] for r in rows], [r[-1] for r in rows], title=fig["title"]))
    return None


def _fmt(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


# --- docx ---------------------------------------------------------------------------------------


def to_docx(report: Any, *, copy_number: str, mark: str, on: date) -> bytes:
    from docx import Document
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt, RGBColor

    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    normal = doc.styles["Normal"]
    normal.font.name = "FangSong"
    normal.font.size = Pt(16)  # 3号
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), "仿宋_GB2312")  # type: ignore[union-attr]

    def para(text: str, *, size: float = 16, bold: bool = False, align: Any = None, colour: Any = None,
             font: str = "") -> Any:  # fmt: skip
        p = doc.add_paragraph()
        run = p.add_run(text)
        run.font.size = Pt(size)
        run.bold = bold
        if font:
            run.font.name = font
            run._element.rPr.rFonts.set(qn("w:eastAsia"), font)  # type: ignore[union-attr]
        if colour:
            run.font.color.rgb = colour
        if align is not None:
            p.alignment = align
        return p

    para(copy_number, font="黑体")
    para(mark, bold=True, font="黑体")
    para(f"{unit_name()}文件", size=36, colour=RGBColor(0xC8, 0, 0), align=WD_ALIGN_PARAGRAPH.CENTER,
         font="方正小标宋简体")  # fmt: skip
    para("━" * 22, colour=RGBColor(0xC8, 0, 0), align=WD_ALIGN_PARAGRAPH.CENTER, size=12)
    para(title_of(report.year), size=22, align=WD_ALIGN_PARAGRAPH.CENTER, font="方正小标宋简体")
    para(f"{recipient()}：")
    figures = report.figures_by_key()
    attachments: list[dict[str, Any]] = []
    for n, sec in enumerate(report.sections):
        para(f"{HEADING_NUMBERS[n]}、{sec['title']}", font="黑体")
        for line in (sec.get("text") or "").splitlines() or [""]:
            p = para(line)
            p.paragraph_format.first_line_indent = Pt(32)
        attachments += [figures[k] for k in sec.get("tables", []) if k in figures]
    if attachments:
        para("附件：" + "；".join(f"{i}. {f['title']}" for i, f in enumerate(attachments, 1)))
    para(unit_name(), align=WD_ALIGN_PARAGRAPH.RIGHT)
    para(cn_date(on), align=WD_ALIGN_PARAGRAPH.RIGHT)
    for i, fig in enumerate(attachments, 1):
        doc.add_page_break()
        para(f"附件{i}", font="黑体")
        para(fig["title"], size=18, align=WD_ALIGN_PARAGRAPH.CENTER, font="方正小标宋简体")
        table = doc.add_table(rows=1, cols=len(fig["headers"]))
        table.style = "Table Grid"
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        for cell, head in zip(table.rows[0].cells, fig["headers"], strict=True):
            cell.text = str(head)
        for row in fig["rows"]:
            cells = table.add_row().cells
            for cell, value in zip(cells, row, strict=True):
                cell.text = _fmt(value)
        for row in table.rows:
            for cell in row.cells:
                for p in cell.paragraphs:
                    for run in p.runs:
                        run.font.size = Pt(9 if len(fig["headers"]) > 6 else 11)
        svg = _chart_for(fig)
        if svg:
            doc.add_picture(io.BytesIO(charts.png(svg)), width=Mm(150))
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


# --- PDF (GB/T 9704) --------------------------------------------------------------------------------


def to_pdf(report: Any, *, copy_number: str, mark: str, on: date, stamp: str = "") -> bytes:
    from reportlab.lib import colors
    from reportlab.lib.enums import TA_CENTER, TA_RIGHT
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.utils import ImageReader
    from reportlab.platypus import Image, PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle
    from reportlab.platypus.flowables import HRFlowable

    from baomi.carriers.watermark import _font

    font = _font()
    body = ParagraphStyle(
        "body", fontName=font, fontSize=16, leading=28.9, firstLineIndent=32, wordWrap="CJK"
    )
    plain = ParagraphStyle("plain", parent=body, firstLineIndent=0)
    heading = ParagraphStyle("heading", parent=plain, fontSize=16)
    title = ParagraphStyle("title", parent=plain, fontSize=22, leading=35, alignment=TA_CENTER)
    masthead = ParagraphStyle("masthead", parent=plain, fontSize=34, leading=44, alignment=TA_CENTER,
                              textColor=colors.Color(*RED))  # fmt: skip
    right = ParagraphStyle("right", parent=plain, alignment=TA_RIGHT)
    small = ParagraphStyle("small", parent=plain, fontSize=9, leading=12)

    story: list[Any] = [
        Paragraph(copy_number, plain),
        Paragraph(f"<b>{mark}</b>", plain),
        Spacer(1, 6 * MM),
        Paragraph(f"{unit_name()}文件", masthead),
        Spacer(1, 3 * MM),
        HRFlowable(width="100%", thickness=1.5, color=colors.Color(*RED), spaceAfter=8 * MM),
        Paragraph(title_of(report.year), title),
        Spacer(1, 6 * MM),
        Paragraph(f"{recipient()}：", plain),
    ]
    figures = report.figures_by_key()
    attachments: list[dict[str, Any]] = []
    for n, sec in enumerate(report.sections):
        story.append(Paragraph(f"{HEADING_NUMBERS[n]}、{sec['title']}", heading))
        for line in (sec.get("text") or "").splitlines():
            story.append(Paragraph(_escape(line), body))
        attachments += [figures[k] for k in sec.get("tables", []) if k in figures]
    if attachments:
        story.append(Spacer(1, 8 * MM))
        items = "<br/>".join(f"{i}. {_escape(f['title'])}" for i, f in enumerate(attachments, 1))
        story.append(Paragraph(f"附件：{items}", plain))
    story += [Spacer(1, 12 * MM), Paragraph(unit_name(), right), Paragraph(cn_date(on), right)]
    for i, fig in enumerate(attachments, 1):
        story += [
            PageBreak(),
            Paragraph(f"附件{i}", heading),
            Paragraph(_escape(fig["title"]), title),
            Spacer(1, 4 * MM),
        ]
        data = [[Paragraph(_escape(str(h)), small) for h in fig["headers"]]]
        data += [[Paragraph(_escape(_fmt(v)), small) for v in row] for row in fig["rows"]]
        first = 26 * MM
        rest = (156 * MM - first) / max(len(fig["headers"]) - 1, 1)
        t = Table(data, repeatRows=1, hAlign="CENTER", colWidths=[first] + [rest] * (len(fig["headers"]) - 1))
        t.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                               ("BACKGROUND", (0, 0), (-1, 0), colors.Color(0.94, 0.94, 0.94))]))  # fmt: skip
        story.append(t)
        svg = _chart_for(fig)
        if svg:
            image = charts.png(svg)
            w, h = ImageReader(io.BytesIO(image)).getSize()
            width = 150 * MM
            story += [Spacer(1, 6 * MM), Image(io.BytesIO(image), width=width, height=width * h / w)]

    def page(canvas: Any, doc: Any) -> None:
        canvas.saveState()
        canvas.setFont(font, 14)  # 4号 page number, "— 1 —", outside edge (GB/T 9704 §7.5)
        text = f"— {doc.page} —"
        if doc.page % 2:
            canvas.drawRightString(A4[0] - 26 * MM, 20 * MM, text)
        else:
            canvas.drawString(28 * MM, 20 * MM, text)
        if stamp:
            canvas.setFont(font, 7)
            canvas.setFillColor(colors.Color(0.5, 0.5, 0.5))
            canvas.drawString(28 * MM, 10 * MM, stamp)
        canvas.restoreState()

    buf = io.BytesIO()
    doc = SimpleDocTemplate(buf, pagesize=A4, topMargin=37 * MM, bottomMargin=35 * MM, leftMargin=28 * MM,
                            rightMargin=26 * MM, title=title_of(report.year), author=unit_name())  # fmt: skip
    doc.build(story, onFirstPage=page, onLaterPages=page)
    return buf.getvalue()


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def year_cn(year: int) -> str:
    return "".join(CN_NUM[int(d)] for d in str(year))
