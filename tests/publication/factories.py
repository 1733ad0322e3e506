"""Helpers that build publication states through the services."""

from __future__ import annotations

import io
from datetime import date, timedelta
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from baomi.classification.models import Item, ItemScope
from baomi.publication import services
from tests.support.integrity import bind

SECRET_TITLE = "关于某型装备部署调整的实施方案"
SECRET_POINT = "第三批次装备的具体部署位置"


def today() -> date:
    return timezone.localdate()


def make_item(org: Any, level: str = "secret", *, title: str = SECRET_TITLE, points: str = SECRET_POINT,
              reference: str = "办〔2026〕9号", scope: list[Any] | None = None, department: str = "OFFICE",
              status: str = "determined") -> Item:  # fmt: skip
    """A classified item written directly (the classification services are not this app's)."""
    item = Item.objects.create(
        title=title, reference=reference, level=level, secret_points=points,
        duration_kind="period" if level not in ("work_secret", "internal", "public") else "",
        duration_value=10 if level not in ("work_secret", "internal", "public") else None,
        duration_unit="year" if level not in ("work_secret", "internal", "public") else "",
        department=org.departments[department], proposed_by=org.case_handler,
    )  # fmt: skip
    Item.objects.filter(pk=item.pk).update(status=status)
    item.refresh_from_db()
    for person in scope or []:
        ItemScope.objects.create(item=item, user=person)
    return bind(item)


def upload(name: str, data: bytes, content_type: str = "application/octet-stream") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


def docx_bytes(*paragraphs: str) -> bytes:
    import docx

    document = docx.Document()
    for p in paragraphs:
        document.add_paragraph(p)
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def xlsx_bytes(rows: list[list[Any]]) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    for row in rows:
        wb.active.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def pdf_bytes(text: str) -> bytes:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    if "STSong-Light" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buf = io.BytesIO()
    c = canvas.Canvas(buf)
    c.setFont("STSong-Light", 12)
    c.drawString(72, 720, text)
    c.showPage()
    c.save()
    return buf.getvalue()


def submit(user: Any, text: str = "本单位2026年一季度政务服务工作情况通报。", **kw: Any) -> Any:
    defaults: dict[str, Any] = {
        "title": "2026年一季度政务服务工作情况", "channel": "website", "intended_on": today() + timedelta(days=3),
        "formed_on": today(), "deadline_kind": "proactive",
    }  # fmt: skip
    defaults.update(kw)
    return services.submit_request(user, text=text, **defaults)


def to_office(org: Any, req: Any) -> Any:
    """Department review agreed (the OFFICE department's head)."""
    return services.review_department(org.dept_head, req, agree=True, reasons="部门审查同意，报保密办。")
