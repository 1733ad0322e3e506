"""Carrier pages (CAR-1..11): the policy decides, forbidden looks like not found."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from baomi.carriers import services
from baomi.carriers.models import Carrier, InventoryCampaign, LoanRequest
from tests.carriers.factories import make_carrier, make_item
from tests.support.assertions import assert_denied, last_audit_id

pytestmark = pytest.mark.django_db
TOMORROW = (timezone.localdate() + dt.timedelta(days=1)).isoformat()


def client_for(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_detail_shows_mark_copy_number_history_and_allowed_actions(org):
    """CAR-1/CAR-13: the page shows the mark, 份号 and history; buttons follow the policy."""
    carrier = make_carrier(org, scope=[org.case_handler])
    html = client_for(org.case_handler).get(reverse("carriers:detail", args=[carrier.pk])).content.decode()
    assert "机密★10年" in html and carrier.copy_number in html and carrier.registry_number in html
    assert reverse("carriers:action", args=[carrier.pk, "lend"]) in html
    assert reverse("carriers:action", args=[carrier.pk, "seal"]) not in html
    assert "载体登记" in html  # history from the audit trail, translated
    html = (
        client_for(org.security_officer).get(reverse("carriers:detail", args=[carrier.pk])).content.decode()
    )
    assert reverse("carriers:action", args=[carrier.pk, "seal"]) in html


def test_forbidden_detail_and_action_look_like_not_found(org):
    """CAR-3: out of scope → 404, audited."""
    carrier = make_carrier(org)
    since = last_audit_id()
    assert_denied(client_for(org.staff_other_dept).get(reverse("carriers:detail", args=[carrier.pk])),
                  actor=org.staff_other_dept, since=since)  # fmt: skip
    since = last_audit_id()
    url = reverse("carriers:action", args=[carrier.pk, "seal"])
    assert_denied(client_for(org.dept_head).post(url, {"place": "x"}), actor=org.dept_head, since=since)


def test_register_form(org):
    """CAR-1: the registration form registers N copies and reports their numbers."""
    item = make_item(org)
    c = client_for(org.security_officer)
    assert c.get(reverse("carriers:register")).status_code == 200
    r = c.post(reverse("carriers:register"), {
        "item": item.pk, "kind": "paper", "copies": 3, "custodian": org.staff_secret.pk,
        "storage_place": "保密柜A-02", "pages": 4, "made_on": timezone.localdate().isoformat(),
    })  # fmt: skip
    assert r.status_code == 302
    assert Carrier.objects.filter(item=item).count() == 3
    r = c.post(reverse("carriers:register"), {"item": item.pk, "kind": "paper", "copies": 1,
                                               "custodian": org.outsider.pk, "storage_place": "x",
                                               "made_on": timezone.localdate().isoformat()})  # fmt: skip
    assert r.status_code == 200 and "密级" in r.content.decode()
    assert client_for(org.staff_secret).get(reverse("carriers:register")).status_code == 404


def test_lend_approve_return_through_pages(org):
    """CAR-6: request on the action page, approve in the queue, return on the action page."""
    carrier = make_carrier(org, scope=[org.case_handler])
    r = client_for(org.case_handler).post(reverse("carriers:action", args=[carrier.pk, "lend"]),
                                          {"place": "阅文室", "due_on": TOMORROW, "reason": "学习"})  # fmt: skip
    assert r.status_code == 302
    head = client_for(org.dept_head)
    page = head.get(reverse("carriers:approvals")).content.decode()
    assert carrier.registry_number in page
    loan = carrier_loan = LoanRequest.objects.get(carrier=carrier)
    assert (
        head.post(reverse("carriers:decide", args=["loan", loan.pk, "approve"]), {"note": "同意"}).status_code
        == 302
    )
    carrier.refresh_from_db()
    assert carrier.status == "on_loan" and carrier_loan
    r = client_for(org.staff_secret).post(
        reverse("carriers:action", args=[carrier.pk, "return"]), {"note": ""}
    )
    assert r.status_code == 302
    carrier.refresh_from_db()
    assert carrier.status == "registered"


def test_transfer_refuses_courier_and_sign_page(org):
    """CAR-5: the form offers no post/courier; a forged value is refused; the receiver signs."""
    carrier = make_carrier(org, pages=3)
    c = client_for(org.staff_secret)
    url = reverse("carriers:action", args=[carrier.pk, "transfer"])
    form = c.get(url).content.decode()
    assert 'value="jiyao_jiaotong"' in form and 'value="courier"' not in form and 'value="post"' not in form
    r = c.post(url, {"receiver": org.case_handler.pk, "channel": "courier", "envelope_number": "1"})
    assert r.status_code == 200
    r = c.post(url, {"receiver": org.case_handler.pk, "channel": "jiyao_tongxin", "envelope_number": "JY-9"})
    assert r.status_code == 302
    t = carrier.transfers.get()
    receiver = client_for(org.case_handler)
    assert carrier.registry_number in receiver.get(reverse("carriers:transfers")).content.decode()
    r = receiver.post(reverse("carriers:sign", args=[t.pk]), {"counted": 2})
    assert r.status_code == 200 and "不符" in r.content.decode()
    assert receiver.post(reverse("carriers:sign", args=[t.pk]), {"counted": 3}).status_code == 302
    carrier.refresh_from_db()
    assert carrier.custodian == org.case_handler


def test_inventory_pages(org):
    """CAR-8: start, check, sign, close through the pages."""
    carrier = make_carrier(org)
    so = client_for(org.security_officer)
    r = so.post(reverse("carriers:inventories"), {"title": "年度清点", "due_on": TOMORROW})
    assert r.status_code == 302
    campaign = InventoryCampaign.objects.get()
    entry = campaign.entries.get(carrier=carrier)
    holder = client_for(org.staff_secret)
    assert (
        carrier.registry_number
        in holder.get(reverse("carriers:inventory", args=[campaign.pk])).content.decode()
    )
    holder.post(reverse("carriers:inventory-check", args=[entry.pk]), {"result": "missing", "note": "未找到"})
    holder.post(reverse("carriers:inventory-sign", args=[campaign.pk]))
    carrier.refresh_from_db()
    assert carrier.status == "missing"
    so.post(reverse("carriers:inventory-close", args=[campaign.pk]))
    campaign.refresh_from_db()
    assert campaign.status == "closed"


def test_destruction_pages_and_list_pdf(org):
    """CAR-11: approve and execute on the page; the 销毁清单 PDF downloads."""
    carrier = make_carrier(org)
    req = services.request_destruction(org.security_officer, [carrier], reason="到期")
    client_for(org.unit_head).post(reverse("carriers:destruction", args=[req.pk]), {"step": "approve"})
    r = client_for(org.security_officer).post(reverse("carriers:destruction", args=[req.pk]), {
        "step": "execute", "method": "facility", "facility": "市保密局销毁中心", "witness_1": org.staff_secret.pk,
        "witness_2": org.dept_head.pk, "destroyed_on": timezone.localdate().isoformat(),
    })  # fmt: skip
    assert r.status_code == 302
    carrier.refresh_from_db()
    assert carrier.status == "destroyed"
    pdf = client_for(org.security_officer).get(reverse("carriers:destruction-pdf", args=[req.pk]))
    assert pdf.status_code == 200 and b"".join(pdf.streaming_content).startswith(b"%PDF")
    assert (
        client_for(org.staff_other_dept).get(reverse("carriers:destruction-pdf", args=[req.pk])).status_code
        == 404
    )


def test_workbench_and_dashboard_tasks(org):
    """OPS-1: what I hold and what waits for me."""
    carrier = make_carrier(org, scope=[org.case_handler])
    services.request_loan(org.case_handler, carrier, place="阅文室", due_on=timezone.localdate(), reason="学")
    html = client_for(org.staff_secret).get(reverse("carriers:workbench")).content.decode()
    assert carrier.registry_number in html
    home = client_for(org.dept_head).get("/").content.decode()
    assert "等待您审批" in home or "待您审批" in home


def test_review_notice_on_the_workbench(org):
    """CAR-10: the authority sees the archiving review on 我的载体 and marks it handled."""
    carrier = make_carrier(org)
    review = services.archive_carrier(org.security_officer, carrier, place="档案室")
    c = client_for(org.authority_top_secret)
    html = c.get(reverse("carriers:workbench")).content.decode()
    assert carrier.registry_number in html and reverse("carriers:handle-review", args=[review.pk]) in html
    assert c.post(reverse("carriers:handle-review", args=[review.pk])).status_code == 302
    review.refresh_from_db()
    assert review.handled_at is not None
    assert (
        client_for(org.staff_other_dept).post(reverse("carriers:handle-review", args=[review.pk])).status_code
        == 404
    )


def test_upload_view_and_download_through_pages(org):
    """CAR-2/CAR-4/CAR-13: upload on the action page; reading returns a stamped PDF; a download
    without approval is refused with a message, with approval it is served once."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.carriers.test_content import a_pdf, pdf_text

    carrier = make_carrier(org, kind="electronic", scope=[org.case_handler])
    so = client_for(org.staff_secret)
    upload = SimpleUploadedFile("draft.pdf", a_pdf(), content_type="application/pdf")
    assert (
        so.post(reverse("carriers:action", args=[carrier.pk, "upload"]), {"file": upload}).status_code == 302
    )
    reader = client_for(org.case_handler)
    r = reader.get(reverse("carriers:view-content", args=[carrier.pk]))
    assert (
        r.status_code == 200 and r["Content-Type"] == "application/pdf" and r["Cache-Control"] == "no-store"
    )
    assert carrier.copy_number in pdf_text(b"".join(r.streaming_content))  # streamed (issue 11 §6)
    r = reader.get(reverse("carriers:download-content", args=[carrier.pk]))
    assert r.status_code == 302
    req = services.request_download(org.case_handler, carrier, reason="离线修改")
    services.approve_download(org.unit_head, req)
    r = reader.get(reverse("carriers:download-content", args=[carrier.pk]))
    assert r.status_code == 200 and "attachment" in r["Content-Disposition"]
    since = last_audit_id()
    assert_denied(client_for(org.staff_other_dept).get(reverse("carriers:view-content", args=[carrier.pk])),
                  actor=org.staff_other_dept, since=since)  # fmt: skip
