"""Printing a 审批表 in a real browser (issue 13): the requester finds their approved loan on the
approvals page, clicks 打印审批表 and gets the PDF form — 份号 and mark top left, the decision and
the approver's name — ready to be signed and filed."""

from __future__ import annotations

import pytest
from django.utils import timezone
from pypdf import PdfReader

from baomi.carriers import services
from tests.carriers.factories import make_carrier
from tests.e2e.conftest import login
from tests.support.personas import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_requester_prints_the_approved_loan_form(page, org, shot):
    carrier = make_carrier(org, scope=[org.case_handler])
    loan = services.request_loan(org.case_handler, carrier, place="阅文室", due_on=timezone.localdate(),
                                 reason="起草答复意见")  # fmt: skip
    services.approve_loan(org.unit_head, loan, note="同意")
    login(page, "case_handler", PASSWORD)
    page.goto(page.base_url + "/carriers/approvals/")
    shot(page, "print-approvals-mine")
    with page.expect_download() as dl:
        page.click(f"a[href='/carriers/forms/loan/{loan.pk}.pdf']")
    assert dl.value.suggested_filename.endswith(".pdf")
    reader = PdfReader(dl.value.path())
    lines = [line.strip() for line in reader.pages[0].extract_text().splitlines() if line.strip()]
    assert lines[1] == "机密★10年" and lines[2] == "涉密载体借阅审批表"
    text = "".join("".join(p.extract_text().split()) for p in reader.pages)
    assert "已批准" in text and org.unit_head.full_name in text and carrier.registry_number in text
