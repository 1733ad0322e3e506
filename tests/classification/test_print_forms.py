"""Printable 审批表 of classification requests (issue 13, CLS-4, CLS-8, R-SCOPE-2): the 定密
proposal and the need-to-know expansion print with 份号 and the item's mark top left, the
proposed values, the decision and the names; audited; a stranger gets the 404."""

from __future__ import annotations

import io

from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from baomi.audit.events import AuditEvent
from baomi.classification import services
from tests.classification.conftest import determine
from tests.support.assertions import assert_audited, last_audit_id


def get(user, url):
    c = Client()
    c.force_login(user)
    return c.get(url)


def pdf_text(response):
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)


def flat(text):
    """The text without the line breaks and spaces the layout put in."""
    return "".join(text.split())


def test_the_determination_and_the_expansion_print_as_forms(org):
    item = determine(org, title="关于年度保密检查工作的安排", scope_users=[org.case_handler])
    req = item.requests.get()
    since = last_audit_id()
    text = pdf_text(get(org.case_handler, reverse("classification:request-form", args=[req.pk])))
    entry = assert_audited(AuditEvent.APPROVAL_FORM_PRINTED, req, org.case_handler, since=since)
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    assert lines[:2] == [f"{entry.pk:06d}", "机密★5年"]
    assert (
        "定密审批表" in flat(text)
        and f"DM-{req.pk}" in flat(text)
        and "关于年度保密检查工作的安排" in flat(text)
    )
    assert (
        "保密事项范围第3条" in flat(text)
        and org.authority_top_secret.full_name in flat(text)
        and "同意" in flat(text)
    )
    x = services.request_expansion(org.case_handler, item, person=org.staff_other_dept, reason="会商需要")
    text = pdf_text(get(org.case_handler, reverse("classification:expansion-form", args=[x.pk])))
    assert (
        "知悉范围扩大审批表" in flat(text)
        and "会商需要" in flat(text)
        and org.staff_other_dept.full_name in flat(text)
    )
    assert get(org.staff_uncleared, reverse("classification:request-form", args=[req.pk])).status_code == 404
