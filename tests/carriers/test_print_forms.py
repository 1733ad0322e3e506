"""Printable 审批表 of the carrier requests (issue 13, CAR-4/5/6/9/11/13): each approval prints
as a PDF form with 份号 (its audit number) on line 1 and the mark on line 2 top left, the
decision, the names and the dates, and the reader's watermark; only for who may view the
request (others get the 404), and each print is audited."""

from __future__ import annotations

import io

from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from baomi.audit.events import AuditEvent
from baomi.carriers import services
from tests.carriers.factories import make_carrier
from tests.support.assertions import assert_audited, assert_denied, last_audit_id


def client_for(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def pdf_lines(response):
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    text = "\n".join(page.extract_text() for page in reader.pages)
    return [line.strip() for line in text.splitlines() if line.strip()], text


def test_an_approved_loan_prints_as_a_signed_form(org):
    carrier = make_carrier(org, scope=[org.case_handler])
    due = timezone.localdate()
    req = services.request_loan(org.case_handler, carrier, place="阅文室", due_on=due, reason="起草答复意见")
    services.approve_loan(org.unit_head, req, note="同意，当日归还")
    since = last_audit_id()
    lines, text = pdf_lines(
        client_for(org.case_handler).get(reverse("carriers:request-form", args=["loan", req.pk]))
    )
    entry = assert_audited(AuditEvent.APPROVAL_FORM_PRINTED, req, org.case_handler, since=since)
    assert lines[0] == f"{entry.pk:06d}"  # 份号, line 1 (R-MARK-5)
    assert lines[1] == "机密★10年"  # the mark, line 2
    assert "涉密载体借阅审批表" in text and f"JY-{req.pk}" in text
    assert carrier.registry_number in text and "起草答复意见" in text and "阅文室" in text
    assert "已批准" in text and "同意，当日归还" in text and due.isoformat() in text
    assert org.unit_head.full_name in text  # the approver, by name
    assert "case_handler" in text  # the reader's watermark names them


def test_every_carrier_request_kind_prints_and_strangers_get_404(org):
    carrier = make_carrier(org, scope=[org.case_handler])
    today = timezone.localdate()
    so = org.security_officer
    forms = {
        "copy": services.request_copy(org.case_handler, carrier, copies=2, custodian=org.staff_secret, reason="会议分发"),
        "take_out": services.request_take_out(org.case_handler, carrier, destination="市政府", abroad=False, reason="汇报",
                                              protective_measures="专人携带，密码箱", leaves_on=today, returns_on=today),
        "destruction": services.request_destruction(so, [carrier], reason="到期" + "很长的销毁事由" * 10),
    }  # fmt: skip
    titles = {
        "copy": "涉密载体复制审批表",
        "take_out": "涉密载体携带外出审批表",
        "destruction": "涉密载体销毁审批表",
    }
    for kind, req in forms.items():
        lines, text = pdf_lines(client_for(so).get(reverse("carriers:request-form", args=[kind, req.pk])))
        assert lines[1] == "机密★10年", kind
        assert titles[kind] in text and "待审批" in text, kind
        since = last_audit_id()
        assert_denied(client_for(org.staff_other_dept).get(reverse("carriers:request-form", args=[kind, req.pk])),
                      actor=org.staff_other_dept, since=since)  # fmt: skip
    assert client_for(so).get(reverse("carriers:request-form", args=["nonsense", 1])).status_code == 404
