"""A destruction list holding a tampered carrier (CLS-7, R-CRYPTO-5, CAR-11, issue 11 §4).

A carrier whose level was lowered in the database fails its integrity check. It is never left
off a destruction record silently: the security officer, who oversees integrity, gets the 销毁清单
with the carrier flagged 「完整性校验失败」; anyone else is refused the list with a Chinese message
that names no carrier and sends them to the security office; approving or carrying out the list
is refused the same way, for the officer too, until the office has dealt with it. Each refusal
is audited (ACCESS_DENIED, reason ``integrity_failed``) and alarmed (INTEGRITY_FAILED). Through
the pages and the API; runs on SQLite and PostgreSQL.
"""

from __future__ import annotations

import io

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader
from rest_framework.test import APIClient

from baomi.audit.events import AuditEvent
from baomi.audit.models import AuditEntry
from baomi.carriers import services
from baomi.carriers.choices import RequestStatus
from baomi.carriers.models import Carrier
from tests.carriers.factories import make_carrier
from tests.support.assertions import assert_audited, last_audit_id

pytestmark = pytest.mark.django_db

MESSAGE = "本批载体中有载体未通过完整性校验"


def client_for(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def api_for(user) -> APIClient:
    c = APIClient()
    c.force_authenticate(user)
    return c


def tamper(carrier) -> None:
    Carrier.objects.filter(pk=carrier.pk).update(level="confidential")  # 机密 → 秘密, no new MAC


@pytest.fixture
def batch(org):
    """An approved list of two carriers, one of them tampered with since."""
    intact, tampered = make_carrier(org, title="完好的载体"), make_carrier(org, title="被改动的载体")
    req = services.request_destruction(org.security_officer, [intact, tampered], reason="保密期限届满")
    services.approve_destruction(org.unit_head, req)
    tamper(tampered)
    return req, intact, tampered


def _refused(entry_since: int, actor, tampered, action: str) -> None:
    denied = assert_audited(AuditEvent.ACCESS_DENIED, tampered, actor, outcome="denied", since=entry_since)
    assert denied.details["reason"] == "integrity_failed" and denied.details["action"] == action
    assert_audited(AuditEvent.INTEGRITY_FAILED, tampered, actor, outcome="denied", since=entry_since)


def test_the_security_officer_gets_the_list_with_the_carrier_flagged(org, batch):
    """The overseer sees the alarm: every carrier listed, the tampered one flagged, the count of
    flagged carriers under the list; the export and the alarm are recorded."""
    req, intact, tampered = batch
    since = last_audit_id()
    r = client_for(org.security_officer).get(reverse("carriers:destruction-pdf", args=[req.pk]))
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    text = PdfReader(io.BytesIO(b"".join(r.streaming_content))).pages[0].extract_text()
    assert intact.registry_number in text and tampered.registry_number in text
    assert "【完整性校验失败】被改动的载体" in text.replace("\n", "")
    assert "【完整性校验失败】完好的载体" not in text.replace("\n", "")
    assert "完整性校验失败：1 件" in text
    assert_audited(AuditEvent.DESTRUCTION_LIST_EXPORTED, req, org.security_officer, since=since)
    assert_audited(AuditEvent.INTEGRITY_FAILED, tampered, org.security_officer, outcome="ok", since=since)


def test_anyone_else_is_refused_the_list_with_a_message_naming_no_carrier(org, batch):
    """The unit head may export the list, but not while it holds a tampered carrier: a Chinese
    message that names none, sends to the security office, and is audited as a refusal."""
    req, _intact, tampered = batch
    since = last_audit_id()
    c = client_for(org.unit_head)
    r = c.get(reverse("carriers:destruction-pdf", args=[req.pk]))
    assert r.status_code == 302 and r["Location"] == reverse("carriers:destruction", args=[req.pk])
    said = [str(m) for m in get_messages(r.wsgi_request)]
    assert len(said) == 1 and MESSAGE in said[0] and "保密办" in said[0]
    assert tampered.registry_number not in said[0] and "被改动" not in said[0]
    _refused(since, org.unit_head, tampered, "export_list")
    assert not AuditEntry.objects.filter(
        id__gt=since, event=int(AuditEvent.DESTRUCTION_LIST_EXPORTED)
    ).exists()


def test_carrying_out_the_list_is_refused_until_the_office_deals_with_it(org, batch):
    """Not even the security officer destroys a batch holding a tampered carrier — page and
    API alike; nothing is destroyed and the list stays approved."""
    req, intact, tampered = batch
    today = timezone.localdate().isoformat()
    since = last_audit_id()
    r = client_for(org.security_officer).post(reverse("carriers:destruction", args=[req.pk]), {
        "step": "execute", "method": "shredding", "witness_1": org.staff_secret.pk,
        "witness_2": org.dept_head.pk, "destroyed_on": today,
    })  # fmt: skip
    assert r.status_code == 302
    said = [str(m) for m in get_messages(r.wsgi_request)]
    assert any(MESSAGE in m and tampered.registry_number not in m for m in said)
    _refused(since, org.security_officer, tampered, "execute_destruction")
    since = last_audit_id()
    r = api_for(org.security_officer).post(f"/api/v1/carrier-destructions/{req.pk}/execute/", {
        "method": "shredding", "witness_1": org.staff_secret.pk, "witness_2": org.dept_head.pk}, format="json")  # fmt: skip
    assert r.status_code == 409, r.content
    error = r.json()["error"]
    assert error["code"] == "integrity_hold" and MESSAGE in error["message"]
    _refused(since, org.security_officer, tampered, "execute_destruction")
    req.refresh_from_db()
    assert req.status == RequestStatus.APPROVED
    assert set(Carrier.objects.filter(pk__in=[intact.pk, tampered.pk]).values_list("status", flat=True)) == {
        "registered"}  # fmt: skip


def test_approving_a_list_with_a_tampered_carrier_is_refused(org):
    """The unit head does not decide on a level nobody can trust: the API says why (409)."""
    intact, tampered = make_carrier(org), make_carrier(org)
    req = services.request_destruction(org.security_officer, [intact, tampered], reason="到期")
    tamper(tampered)
    since = last_audit_id()
    r = api_for(org.unit_head).post(f"/api/v1/carrier-destructions/{req.pk}/approve/", {}, format="json")
    assert r.status_code == 409 and r.json()["error"]["code"] == "integrity_hold"
    _refused(since, org.unit_head, tampered, "approve")
    req.refresh_from_db()
    assert req.status == RequestStatus.PENDING


def test_an_intact_list_is_exported_as_before(org):
    """Without a tampered carrier nothing changes: the unit head gets the list, unflagged."""
    carrier = make_carrier(org)
    req = services.request_destruction(org.security_officer, [carrier], reason="到期")
    services.approve_destruction(org.unit_head, req)
    r = client_for(org.unit_head).get(reverse("carriers:destruction-pdf", args=[req.pk]))
    assert r.status_code == 200
    text = PdfReader(io.BytesIO(b"".join(r.streaming_content))).pages[0].extract_text()
    assert carrier.registry_number in text and "完整性校验失败" not in text


def test_the_page_flags_the_carrier_to_the_office_and_lists_it_to_nobody_else(org, batch):
    """The list's own page follows the PDF: the security officer sees every carrier, the tampered
    one flagged 「完整性校验失败」; the unit head sees the intact one and the held batch's message,
    not the tampered carrier's number, title or (lowered) level — and each view is alarmed."""
    req, intact, tampered = batch
    since = last_audit_id()
    page = (
        client_for(org.security_officer).get(reverse("carriers:destruction", args=[req.pk])).content.decode()
    )
    assert intact.registry_number in page and tampered.registry_number in page
    assert (
        "⚠ 完整性校验失败</strong> 被改动的载体" in page
        and "⚠ 完整性校验失败</strong> 完好的载体" not in page
    )
    assert MESSAGE in page
    assert_audited(AuditEvent.INTEGRITY_FAILED, tampered, org.security_officer, outcome="ok", since=since)
    since = last_audit_id()
    page = client_for(org.unit_head).get(reverse("carriers:destruction", args=[req.pk])).content.decode()
    assert intact.registry_number in page and "完好的载体" in page
    assert tampered.registry_number not in page and "被改动的载体" not in page
    assert MESSAGE in page and "完整性校验失败</strong>" not in page
    assert_audited(AuditEvent.INTEGRITY_FAILED, tampered, org.unit_head, outcome="denied", since=since)


def test_an_intact_lists_page_says_nothing_of_integrity(org):
    carrier = make_carrier(org, title="完好的载体")
    req = services.request_destruction(org.security_officer, [carrier], reason="到期")
    page = client_for(org.unit_head).get(reverse("carriers:destruction", args=[req.pk])).content.decode()
    assert carrier.registry_number in page and MESSAGE not in page and "完整性校验失败" not in page


def test_a_held_list_offers_only_what_can_be_done(org, batch):
    """The services refuse to approve or carry out a held list; its page does not offer either
    (it used to, and said why only after the press): it says why at once, and the unit head can
    still reject the list."""
    pending = services.request_destruction(org.security_officer, [make_carrier(org), make_carrier(org)],
                                           reason="到期")  # fmt: skip
    url = reverse("carriers:destruction", args=[pending.pk])
    page = client_for(org.unit_head).get(url).content.decode()
    assert 'value="approve"' in page and 'value="reject"' in page and "不能批准" not in page
    tamper(pending.carriers.first())
    page = client_for(org.unit_head).get(url).content.decode()
    assert 'value="approve"' not in page and 'value="reject"' in page
    assert "本清单不能批准；可以驳回" in page
    req, _intact, _tampered = batch  # approved, then one carrier tampered with
    page = (
        client_for(org.security_officer).get(reverse("carriers:destruction", args=[req.pk])).content.decode()
    )
    assert 'value="execute"' not in page and "本清单不能执行销毁" in page
    services.reject_destruction(org.unit_head, pending, note="载体异常")  # what the page offers, works
    pending.refresh_from_db()
    assert pending.status == RequestStatus.REJECTED


def test_an_intact_approved_list_can_be_carried_out_from_its_page(org):
    carrier = make_carrier(org)
    req = services.request_destruction(org.security_officer, [carrier], reason="到期")
    url = reverse("carriers:destruction", args=[req.pk])
    # The requester cannot decide his own list: the page says who does, instead of an empty panel.
    page = client_for(org.security_officer).get(url).content.decode()
    assert 'value="approve"' not in page and "等待单位负责人审批" in page
    services.approve_destruction(org.unit_head, req)
    page = client_for(org.security_officer).get(url).content.decode()
    assert 'value="execute"' in page and "不能执行销毁" not in page and "下一步" not in page
    page = client_for(org.unit_head).get(url).content.decode()
    assert 'value="execute"' not in page and "已批准，由保密办执行销毁" in page
