"""The classification UI: pages render in Chinese, forms call services, forbidden is 404 and
audited (CAR-3, SEC-7, CLS-4, CLS-7, R-SCOPE-3/4)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from baomi.audit.events import AuditEvent
from baomi.classification.choices import ItemStatus
from baomi.classification.models import Item, Notice
from baomi.core.levels import Level
from tests.classification.conftest import determine, propose
from tests.support.assertions import assert_audited, assert_denied, last_audit_id

pytestmark = pytest.mark.django_db


def login(client, user):
    client.force_login(user)
    return client


def test_register_filters_and_exports(client, org, determined):
    login(client, org.staff_secret)
    r = client.get(reverse("classification:items"), {"level": Level.SECRET, "q": "计划"})
    assert r.status_code == 200
    body = r.content.decode()
    assert "机密★5年" in body and "涉密事项" in body
    r = client.get(reverse("classification:items"), {"export": "xlsx"})
    assert r["Content-Type"].startswith("application/vnd.openxmlformats")


def test_detail_shows_mark_banner_and_logs_knowledge(client, org, determined):
    """The detail page shows the mark; a 机密 view is an entry of the knowledge record (CLS-7, R-SCOPE-3)."""
    login(client, org.staff_secret)
    r = client.get(reverse("classification:item", args=[determined.pk]))
    assert r.status_code == 200
    assert "mark-banner" in r.content.decode() and "机密★5年" in r.content.decode()
    assert_audited(AuditEvent.ITEM_VIEWED, determined, org.staff_secret)


def test_forbidden_item_is_not_found_and_audited(client, org, determined):
    login(client, org.staff_other_dept)
    since = last_audit_id()
    r = client.get(reverse("classification:item", args=[determined.pk]))
    assert_denied(r, actor=org.staff_other_dept, since=since)


def test_propose_form_and_approval(client, org):
    """Handler proposes through the form; the authority approves from the queue (CLS-4)."""
    login(client, org.case_handler)
    r = client.get(reverse("classification:propose"))
    assert r.status_code == 200 and "duration_kind" in r.content.decode()
    # R-DUR-4: the form does not pre-fill a duration.
    assert 'name="duration_value" value=' not in r.content.decode()
    r = client.post(reverse("classification:propose"), {
        "title": "招标方案", "reference": "办〔2026〕99号", "department": org.departments["OFFICE"].pk,
        "origin": "original", "level": Level.CONFIDENTIAL, "basis_text": "第5条", "duration_kind": "period",
        "duration_value": 2, "duration_unit": "year", "start_basis": "marked_issue_date", "period_start": "2026-02-01",
        "scope_users": [org.staff_secret.pk],
    })  # fmt: skip
    item = Item.objects.get(reference="办〔2026〕99号")
    assert r.status_code == 302 and item.status == ItemStatus.PROPOSED
    client.logout()
    login(client, org.authority_secret)
    r = client.get(reverse("classification:queue"))
    assert "招标方案" in r.content.decode()
    req = item.requests.get()
    r = client.post(reverse("classification:request", args=[req.pk]), {"action": "approve", "reason": "同意"})
    assert r.status_code == 302
    item.refresh_from_db()
    assert item.status == ItemStatus.DETERMINED


def test_propose_errors_are_chinese(client, org):
    login(client, org.case_handler)
    r = client.post(reverse("classification:propose"), {
        "title": "x", "department": org.departments["OFFICE"].pk, "origin": "original", "level": Level.SECRET,
        "basis_text": "第5条", "start_basis": "marked_issue_date",
    })  # fmt: skip
    assert r.status_code == 200
    assert "国家秘密" in r.content.decode()  # needs a period, a date or a condition


def test_guide_suggestion_endpoint(client, org):
    from baomi.classification import services

    entry = services.create_guide_entry(org.security_officer, code="A-1", title="干部任免", level=Level.SECRET,
                                        duration_kind="period", duration_value=5, duration_unit="year")  # fmt: skip
    login(client, org.case_handler)
    r = client.get(reverse("classification:guide-suggestion", args=[entry.pk]))
    assert r.json()["duration_value"] == 5 and r.json()["level"] == Level.SECRET
    client.logout()
    login(client, org.staff_secret)
    assert client.get(reverse("classification:guide-suggestion", args=[entry.pk])).status_code == 404


def test_guide_crud(client, org):
    login(client, org.security_officer)
    r = client.post(reverse("classification:guide-new"), {"code": "B-2", "title": "预算编制", "level": Level.CONFIDENTIAL,
                                                          "duration_kind": "period", "duration_value": 3,
                                                          "duration_unit": "year", "active": "on"})  # fmt: skip
    assert r.status_code == 302
    r = client.post(reverse("classification:guide-new"), {"code": "B-3", "title": "x", "level": Level.CONFIDENTIAL,
                                                          "duration_kind": "period", "duration_value": 15,
                                                          "duration_unit": "year"})  # fmt: skip
    assert (r.status_code == 200 and "法定" in r.content.decode()) or "最长" in r.content.decode()
    assert "B-2" in client.get(reverse("classification:guide")).content.decode()


def test_notices_page_and_acknowledge(client, org, determined):
    login(client, org.staff_secret)
    r = client.get(reverse("classification:notices"))
    assert "确认收到" in r.content.decode()
    notice = Notice.objects.filter(recipient=org.staff_secret).first()
    client.post(reverse("classification:notice-ack", args=[notice.pk]))
    notice.refresh_from_db()
    assert notice.acknowledged_at is not None


def test_change_history_shows_cancelled_mark(client, org, determined):
    from baomi.classification import services

    req = services.propose_change(org.case_handler, determined, kind="lift", reason="公开")
    services.approve_request(org.authority_secret, req)
    login(client, org.staff_secret)
    body = client.get(reverse("classification:item", args=[determined.pk])).content.decode()
    assert '<s class="mark-cancelled"' in body and "解密" in body


def test_knowledge_record_page_and_export(client, org, determined):
    login(client, org.staff_secret)
    client.get(reverse("classification:item", args=[determined.pk]))
    client.logout()
    login(client, org.security_officer)
    r = client.get(reverse("classification:knowledge", args=[determined.pk]))
    assert "staff_secret" in r.content.decode()
    r = client.get(reverse("classification:knowledge", args=[determined.pk]), {"export": "xlsx"})
    assert r["Content-Type"].startswith("application/vnd.openxmlformats")
    assert_audited(AuditEvent.KNOWLEDGE_RECORD_EXPORTED, determined, org.security_officer)
    client.logout()
    login(client, org.staff_secret)
    assert client.get(reverse("classification:knowledge", args=[determined.pk])).status_code == 404


def test_every_page_renders(client, org, determined):
    """Smoke: every screen of the app renders for the people who use it."""
    from baomi.classification import services

    campaign = services.open_review(org.security_officer, year=2026)
    matter = services.open_matter(org.security_officer, determined, kind="dispute",
                                  claims=[{"party": "市局", "level": Level.SECRET}])  # fmt: skip
    login(client, org.security_officer)
    for name, args in [("items", []), ("guide", []), ("guide-new", []), ("matters", []), ("matter", [matter.pk]),
                       ("calendar", []), ("campaigns", []), ("campaign", [campaign.pk]), ("notices", []),
                       ("expansions", []), ("matter-open", [determined.pk])]:  # fmt: skip
        assert client.get(reverse(f"classification:{name}", args=args)).status_code == 200, name
    client.logout()
    login(client, org.authority_top_secret)
    row = campaign.decisions.first()
    assert client.get(reverse("classification:review-decide", args=[row.pk])).status_code == 200
    assert client.get(reverse("classification:change", args=[determined.pk])).status_code == 404
    client.logout()
    login(client, org.case_handler)
    assert client.get(reverse("classification:change", args=[determined.pk])).status_code == 200


def test_expansion_flow_in_ui(client, org, determined):
    login(client, org.outsider)
    r = client.post(reverse("classification:expansions"), {"reference": "不存在的文号", "reason": "工作需要"})
    assert r.status_code == 302
    client.logout()
    login(client, org.case_handler)
    client.post(reverse("classification:expansion-request", args=[determined.pk]),
                {"person": org.staff_other_dept.pk, "reason": "会签"})  # fmt: skip
    client.logout()
    login(client, org.unit_head)
    body = client.get(reverse("classification:expansions")).content.decode()
    assert "会签" in body
    x = determined.expansions.get()
    client.post(reverse("classification:expansion-decide", args=[x.pk]), {"action": "approve"})
    from baomi.classification import selectors

    assert selectors.in_scope(org.staff_other_dept, determined)


def test_dashboard_tasks(client, org):
    propose(org)
    from baomi.classification.dashboard import tasks

    labels = {t["label"]: t["count"] for t in tasks(org.authority_secret)}
    assert any(c == 1 for c in labels.values())
    _ = determine


def test_tampered_mark_shows_as_tampered(client, org, determined):
    """A level changed behind the services' back fails the mark MAC and the page says so (R-CRYPTO-5)."""
    Item.objects.filter(pk=determined.pk).update(level=Level.CONFIDENTIAL)
    # Issue 11 §4: a tampered mark is refused to its readers and shown, flagged, to the
    # security officer, who sees the alarm (tests/access/test_integrity.py).
    login(client, org.staff_secret)
    assert client.get(reverse("classification:item", args=[determined.pk])).status_code == 404
    login(client, org.security_officer)
    body = client.get(reverse("classification:item", args=[determined.pk])).content.decode()
    assert "tampered" in body and "校验失败" in body
