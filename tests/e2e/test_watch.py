"""Role dashboards, monitoring alerts and the annual report in a real browser (OPS-1, SEC-5,
SUP-14), on the demo data: each role's start page with its figures and charts, a figure followed
to the list it counts, an alert closed, the annual report downloaded. Screenshots at 1366×768 and
1920×1080 go to test-artifacts/screenshots."""

from __future__ import annotations

import pytest
from django.utils import timezone

from baomi.kit.demo import DEMO_PASSWORD
from tests.e2e.conftest import login

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def demo(settings):
    from baomi.kit import demo

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    demo.load()


def as_user(page, username: str) -> None:
    page.context.clear_cookies()
    login(page, username, DEMO_PASSWORD)
    page.wait_for_selector("text=退出")


def both_sizes(page, shot, name: str) -> None:
    shot(page, f"{name}-1366")
    page.set_viewport_size({"width": 1920, "height": 1080})
    shot(page, f"{name}-1920")
    page.set_viewport_size({"width": 1366, "height": 768})


def test_each_role_sees_its_dashboard(page, demo, shot):
    """OPS-1: the officer sees the regime with charts; a figure leads to the list it counts; the
    auditor sees the trail's health; the unit head a summary; a department head the department;
    staff their to-dos."""
    as_user(page, "secofficer")
    page.wait_for_selector("[data-dashboard=regime] figure.chart svg")
    assert page.locator(".dash-panel").count() >= 6
    both_sizes(page, shot, "dashboard-security-officer")
    link = page.locator(".dash-panel").first.locator("ul.figures a").first
    expected = link.inner_text().strip()
    link.click()
    page.wait_for_selector("[data-testid=ledger-count]")
    assert expected in page.inner_text("[data-testid=ledger-count]")

    for username, kind, name in [("auditor", "audit", "auditor"), ("zhangwei", "summary", "unit-head"),
                                 ("chenjing", "department", "department-head"), ("zhaolei", "staff", "staff")]:  # fmt: skip
        as_user(page, username)
        page.goto(page.base_url + "/")
        page.wait_for_selector("[data-dashboard]")
        both_sizes(page, shot, f"dashboard-{name}")
        assert page.get_attribute("[data-dashboard]", "data-dashboard") == kind
        assert page.locator(".dash-todo").count() == 1
        if kind == "department":
            # 陈静 heads 财务科 (cleared for 工作秘密): her panel counts its two 工作秘密 copies and
            # leads to exactly those in the ledger.
            panel = page.locator(".dash-panel", has_text="本部门载体")
            figure = panel.locator("ul.figures a").first
            assert figure.inner_text().strip() == "2"
            figure.click()
            page.wait_for_selector("[data-testid=ledger-count]")
            assert "2" in page.inner_text("[data-testid=ledger-count]")
            assert page.locator("table tbody tr", has_text="财务科").count() == 2
    as_user(page, "auditor")
    assert page.locator("text=审计日志运行状况").count() == 1


def test_alert_closed_and_statistics(page, demo, shot):
    """SEC-5: the officer opens a new alert and closes it with a note; OPS-3: the statistics page."""
    as_user(page, "secofficer")
    page.goto(page.base_url + "/monitoring/?status=new")
    shot(page, "monitoring-alerts")
    page.locator("table.data a").first.click()
    page.wait_for_selector("text=事件经过")
    shot(page, "monitoring-alert")
    page.fill("textarea[name=note]", "已电话核实, 系本人操作")
    page.click("text=填写说明并关闭")
    page.wait_for_selector("text=告警已关闭。")
    page.goto(page.base_url + "/reports/statistics/")
    page.wait_for_selector("#carriers_level_status figure.chart svg")
    both_sizes(page, shot, "statistics")


def test_annual_report_download(page, demo, shot):
    """SUP-14: the report page, redraft keeping the edited text, download Word and PDF."""
    year = timezone.localdate().year
    as_user(page, "secofficer")
    page.goto(page.base_url + f"/reports/annual/{year}/")
    page.wait_for_selector("text=涉密载体管理情况")
    shot(page, "annual-report")
    page.check("input[value=keep]")
    page.click("text=按当前记录重新起草")
    page.wait_for_selector("text=已按记录起草报告。")
    assert "党组" in page.input_value("textarea[name=text-responsibility]")
    for label, ext in (("下载 Word (可编辑)", "docx"), ("下载 PDF", "pdf")):
        with page.expect_download() as info:
            page.click(f"text={label}")
        assert info.value.suggested_filename == f"annual-report-{year}.{ext}"
