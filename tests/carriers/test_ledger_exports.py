"""Ledger exports and pages (CAR-12, CAR-13): xlsx and PDF with 份号 and mark, marks per row, a
watermark naming user and time, an audit entry per export; the API with cursors; denials."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from baomi.audit.events import AuditEvent
from baomi.audit.models import AuditEntry
from baomi.carriers.exports import export_ledger
from tests.carriers.ledger_factories import make_carrier, make_item
from tests.support.assertions import assert_audited, last_audit_id
from tests.support.personas import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    """Personas need passwords, not argon2's cost: these tests are about ledgers."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def rows(org):
    start = timezone.now() - timedelta(hours=5)
    secret = make_item(org, "secret", "OFFICE", "机密事项")
    conf = make_item(org, "confidential", "OFFICE", "秘密事项")
    return [
        make_carrier(org, secret, org.staff_secret, title="年度财务预算编制方案", at=start),
        make_carrier(
            org, conf, org.staff_secret, title="保密工作会议纪要<草稿>&附件", at=start + timedelta(minutes=1)
        ),
        make_carrier(
            org,
            make_item(org, "top_secret"),
            org.staff_other_dept,
            title="核心事项载体",
            at=start + timedelta(minutes=2),
        ),
    ]


def test_xlsx_has_copy_number_mark_and_row_marks(org, rows):
    """The xlsx export opens, has 份号 on line 1 and the mark on line 2, a mark on every row and
    the watermark with user and time; it is audited (CAR-12, CAR-13)."""
    from django.http import QueryDict

    since = last_audit_id()
    result = export_ledger(org.staff_secret, QueryDict("scope=personal"), "xlsx")
    entry = assert_audited(AuditEvent.LEDGER_EXPORTED, actor=org.staff_secret, since=since)
    assert entry.details["rows"] == 2 and entry.details["format"] == "xlsx"
    ws = load_workbook(io.BytesIO(result.data)).active
    # Issue 12 §4: the 份号 is the ledger's own export number, recorded in the entry.
    assert ws["A1"].value == entry.details["number"] == result.number
    assert ws["A2"].value == "机密★10年"  # the highest level of the rows
    assert "staff_secret" in ws["A4"].value and str(timezone.localdate().year) in ws["A4"].value
    body = list(ws.iter_rows(min_row=7, values_only=True))
    assert [(r[0], r[3]) for r in body] == [
        ("秘密★10年", "保密工作会议纪要<草稿>&附件"),
        ("机密★10年", "年度财务预算编制方案"),
    ]
    assert "绝密" not in str([c.value for row in ws.iter_rows() for c in row])  # nothing above clearance


def test_pdf_has_copy_number_on_line_one_and_mark_on_line_two(org, rows):
    """PDF export (GB/T 9704): 份号 line 1, mark line 2, each row's mark, watermark (CAR-13)."""
    from django.http import QueryDict

    since = last_audit_id()
    result = export_ledger(org.security_officer, QueryDict("scope=unit"), "pdf")
    entry = assert_audited(AuditEvent.LEDGER_EXPORTED, actor=org.security_officer, since=since)
    text = PdfReader(io.BytesIO(result.data)).pages[0].extract_text()
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    assert lines[0] == entry.details["number"]
    assert lines[1] == "绝密★10年"
    assert "security_officer" in text and "年度财务预算编制方案" in text
    assert (
        text.count("绝密★") == 2 and text.count("机密★") == 1 and text.count("秘密★") == 1
    )  # line 2 + one per row
    assert entry.details["filters"]["search_chars"] == 0 and "q" not in entry.details["filters"]


def test_export_through_the_page_and_search_words_stay_out_of_the_audit(client, org, rows):
    """The page's export button posts the current filters; the audit keeps the search length,
    never the words (CAR-2, CAR-13)."""
    client.login(username="staff_secret", password=PASSWORD)
    since = last_audit_id()
    response = client.post("/carriers/ledger/export/xlsx/", {"query": "scope=unit&q=预算"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    entry = assert_audited(AuditEvent.LEDGER_EXPORTED, actor=org.staff_secret, since=since)
    assert entry.details["rows"] == 1 and entry.details["filters"]["search_chars"] == 2
    assert "预算" not in str(entry.details)
    bad = client.post("/carriers/ledger/export/doc/", {"query": "scope=unit"})
    assert bad.status_code == 400


def test_ledger_page_shows_marks_filters_and_total(client, org, rows):
    """The ledger page lists visible rows with their marks, the total and the filters (CAR-12)."""
    client.login(username="staff_secret", password=PASSWORD)
    html = client.get("/carriers/ledger/?scope=unit").content.decode()
    assert "年度财务预算编制方案" in html and "保密工作会议纪要&lt;草稿&gt;&amp;附件" in html
    assert "核心事项载体" not in html
    assert html.count('class="row-mark') == 2
    bad = client.get("/carriers/ledger/?scope=unit&date_from=2026-99-01")
    assert bad.status_code == 200 and "errorlist" in bad.content.decode()


def test_api_ledger_with_cursor_and_denial(api_client, org, rows):
    """GET /api/v1/carriers/ledger/ pages with cursors and hides what the policy denies (CAR-12)."""
    api_client.force_authenticate(org.security_officer)
    data = api_client.get("/api/v1/carriers/ledger/", {"scope": "unit", "page_size": 2}).json()
    assert data["count"] == {"value": 3, "exact": True, "estimate": None}
    assert [r["mark"] for r in data["results"]] == ["绝密★10年", "秘密★10年"]
    more = api_client.get(data["next"]).json()
    assert [r["title"] for r in more["results"]] == ["年度财务预算编制方案"] and more["next"] is None
    api_client.force_authenticate(org.outsider)
    data = api_client.get("/api/v1/carriers/ledger/", {"custodian": org.staff_secret.pk}).json()
    assert data["results"] == [] and data["count"]["value"] == 0
    err = api_client.get("/api/v1/carriers/ledger/", {"scope": "all"})
    assert err.status_code == 400 and err.json()["error"]["fields"]["scope"]
    err = api_client.get("/api/v1/carriers/ledger/", {"page_size": "many"})
    assert err.status_code == 400 and err.json()["error"]["fields"]["page_size"] == ["请输入整数。"]
    api_client.force_authenticate(None)
    assert api_client.get("/api/v1/carriers/ledger/").status_code in (401, 403)


def test_api_export(api_client, org, rows):
    """POST /api/v1/carriers/ledger/export/pdf/ returns the marked PDF and audits it (CAR-13)."""
    api_client.force_authenticate(org.staff_secret)
    since = last_audit_id()
    response = api_client.post("/api/v1/carriers/ledger/export/pdf/?scope=personal")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert_audited(AuditEvent.LEDGER_EXPORTED, actor=org.staff_secret, since=since)


def test_pdf_columns_hold_any_mark(org):
    """Issue 13: a long mark (a declassification condition) wraps inside the mark column
    instead of running over the 登记编号 beside it; every glyph of the mark column ends left of
    where the registry number column starts."""
    from django.http import QueryDict
    from reportlab.lib.units import mm
    from reportlab.pdfbase.pdfmetrics import stringWidth

    from baomi.carriers.exports import CID_FONT, MARK_COLUMNS_MM

    item = make_item(org, "secret", "OFFICE", "条件解密事项")
    item.duration_kind, item.duration_value, item.duration_unit = "condition", None, ""
    item.condition = "项目验收并经主管部门批准公开之日"
    item.save()
    carrier = make_carrier(org, item, org.staff_secret, title="条件解密的载体")
    mark = carrier.mark_text()
    assert len(mark) > 12, mark
    result = export_ledger(org.security_officer, QueryDict("scope=unit"), "pdf")
    page = PdfReader(io.BytesIO(result.data)).pages[0]
    chunks: list[tuple[str, float, float]] = []

    def visit(text, cm, tm, font, size):
        if text.strip():
            chunks.append((text, tm[4] * cm[0] + cm[4], size * (tm[0] or 1) * (cm[0] or 1)))

    page.extract_text(visitor_text=visit)
    left = 15 * mm
    registry_x = left + MARK_COLUMNS_MM[0] * mm
    header = next(i for i, (t, _x, _s) in enumerate(chunks) if t.strip() == "国家秘密标志")
    table = chunks[header + 1 :]  # the table's body, below its header row
    mark_chunks = [(t, x, s) for t, x, s in table if left - 1 <= x < registry_x - 1]
    assert "".join(t.strip() for t, _x, _s in mark_chunks) == mark
    for text, x, _size in mark_chunks:
        assert x + stringWidth(text.strip(), CID_FONT, 8.5) <= registry_x + 0.5, (text, x)
    assert any(
        t.strip().startswith(carrier.registry_number) and abs(x - registry_x - 6) < 3 for t, x, _s in table
    )


def test_exports_leave_out_tampered_rows_as_the_page_does(org, rows):
    """CLS-7, R-CRYPTO-5 (issue 11 §4): a carrier whose level was lowered directly in the
    database, and one whose item's level was, are left out of the custodian's xlsx and PDF exports
    exactly as the ledger page (``policy.screen``) leaves them out; the security officer's export
    keeps them. Before, the exports listed them under the tampered level."""
    from django.http import QueryDict

    from baomi.carriers.ledger import ledger_page
    from baomi.carriers.models import Carrier
    from baomi.classification.models import Item

    budget, minutes, _top = rows
    Carrier.objects.filter(pk=budget.pk).update(level="confidential")  # 机密 → 秘密, no MAC
    Item.objects.filter(pk=minutes.item_id).update(level="internal")  # its item: 秘密 → 内部
    query = QueryDict("scope=personal")
    assert [c.pk for c in ledger_page(org.staff_secret, query)[1].rows] == []
    since = last_audit_id()
    xlsx = export_ledger(org.staff_secret, query, "xlsx")
    assert xlsx.rows == 0
    ws = load_workbook(io.BytesIO(xlsx.data)).active
    cells = str([c.value for row in ws.iter_rows(min_row=7) for c in row])
    assert "年度财务预算编制方案" not in cells and "保密工作会议纪要" not in cells
    pdf = export_ledger(org.staff_secret, query, "pdf")
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.data)).pages)
    assert "年度财务预算编制方案" not in text and "保密工作会议纪要" not in text
    alarms = {
        e.target_id for e in AuditEntry.objects.filter(id__gt=since, event=int(AuditEvent.INTEGRITY_FAILED))
    }
    assert alarms == {str(budget.pk), str(minutes.pk)}
    officer = export_ledger(org.security_officer, QueryDict("scope=unit"), "xlsx")
    assert officer.rows == 3
