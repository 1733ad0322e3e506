"""The auditor in a real browser (SEC-3): logs in, opens the audit trail, filters it, opens an
entry; a staff member who types the address gets the not-found page."""

import pytest

from baomi.audit.context import audit_context
from baomi.audit.events import AuditEvent
from baomi.audit.record import record
from tests.e2e.conftest import login
from tests.support.personas import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


def test_auditor_browses_and_filters_the_trail(page, org, shot):
    with audit_context("web", "192.0.2.44"):
        record(org.staff_secret, AuditEvent.ACCESS_DENIED, ("carriers.carrier", 7, "载体 BM-2026-007", "secret"),
               outcome="denied", details={"action": "view"})  # fmt: skip
        record(org.security_officer, AuditEvent.CLEARANCE_CHANGED, org.staff_confidential,
               details={"clearance": ["confidential", "secret"]})  # fmt: skip
    login(page, "auditor", PASSWORD)
    page.click("nav.mainnav summary:has-text('系统管理')")  # the grouped navigation (OPS-1)
    page.click("nav.mainnav >> text=审计日志")
    page.wait_for_selector("h1:has-text('审计日志')")
    assert page.locator("table.audit-table tbody tr").count() >= 3
    shot(page, "audit-list")

    page.select_option("select[name=outcome]", "denied")
    page.fill("input[name=target]", "BM-2026-007")
    page.click("button:has-text('筛选')")
    page.wait_for_selector("text=已筛选")
    rows = page.locator("table.audit-table tbody tr")
    assert rows.count() == 1
    assert "拒绝访问" in rows.first.inner_text() and "192.0.2.44" in rows.first.inner_text()
    shot(page, "audit-filtered")

    rows.first.locator("a").first.click()
    page.wait_for_selector("text=完整性")
    assert "等待封存" in page.content() or "序号" in page.content()
    shot(page, "audit-detail")


def test_staff_gets_not_found(page, org, shot):
    login(page, "staff_secret", PASSWORD)
    page.wait_for_selector("text=您好")
    assert "审计日志" not in page.locator("nav.mainnav").inner_text()
    response = page.goto(page.base_url + "/audit/")
    assert response.status == 404
    shot(page, "audit-refused")


def test_auditor_sees_the_scheduled_verification_on_the_start_page(page, org, shot):
    """Issue 20 §2: the scheduled verify's last result is on the auditor's start page."""
    from baomi.audit import services

    services.scheduled_verify()  # the first run: a full verify, the anchor
    services.scheduled_verify()  # then incremental
    login(page, "auditor", PASSWORD)
    page.goto(page.base_url + "/")
    text = page.inner_text("main") if page.locator("main").count() else page.content()
    assert "审计链校验 (定时" in text and "完好至序号" in text
    shot(page, "auditor-home-verification")
