"""Supervision in a real browser (SUP-1, SUP-2): the grouped navigation for every demo role, an
annual self-assessment with measured checks, a finding rectified and verified, and an incident
reported and reported upward within its 24-hour clock. Screenshots in
test-artifacts/screenshots/."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from baomi.inspections import services
from tests.e2e.conftest import login, pick
from tests.inspections.factories import default_template, small_template, today
from tests.support.personas import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)

# Demo accounts: entries their menus must (and must not) hold — the policy decides each.
ROLES = {
    "secofficer": ({"保密检查", "整改", "检查表与计划", "保密事件", "报告保密事件"}, {"审计日志"}),
    "zhangwei": ({"保密检查", "整改", "保密事件", "报告保密事件"}, {"检查表与计划", "审计日志", "账号管理"}),
    "lina": (
        {"保密检查", "整改", "保密事件", "报告保密事件"},
        {"检查表与计划", "审计日志"},
    ),  # handles the incident
    "wangfang": ({"报告保密事件"}, {"检查表与计划", "审计日志", "账号管理"}),
    "liuyang": ({"报告保密事件", "保密检查"}, {"检查表与计划", "保密事件", "审计日志"}),  # heads 综合科
    "chenjing": ({"报告保密事件", "保密检查"}, {"检查表与计划", "保密事件"}),  # heads 财务科
    "zhaolei": ({"报告保密事件"}, {"保密检查", "检查表与计划", "保密事件"}),
    "sysadmin": ({"账号管理"}, {"检查表与计划", "保密事件", "审计日志"}),
    "auditor": ({"审计日志"}, {"检查表与计划", "保密事件", "账号管理"}),
}


def test_grouped_navigation_for_every_demo_role(page, shot, settings):
    """The entries are grouped into sections (定密管理 · 载体管理 · 人员管理 · 监督检查 · 统计报表 ·
    系统管理); each role sees only what the policy gives it, in one row at 1366×768 (OPS-1)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    from baomi.kit import demo
    from baomi.kit.demo import DEMO_PASSWORD

    default_template()
    demo.load()
    for username, (present, absent) in ROLES.items():
        page.context.clear_cookies()
        login(page, username, DEMO_PASSWORD)
        page.wait_for_selector("text=退出")
        bar = page.locator("nav.mainnav")
        entries = set(bar.locator("a").all_text_contents())
        assert present <= entries, (username, entries)
        assert not (absent & entries), (username, entries)
        box = bar.bounding_box()
        assert box is not None and box["height"] < 60, (username, box)  # one row
        summaries = bar.locator("details.navsec > summary")
        sections = summaries.all_inner_texts()
        assert len(sections) == len(set(sections))
        for section in bar.locator("details.navsec").all():  # no empty menu
            assert section.locator("a").count() > 0, (username, section.inner_text())
        target = "系统管理" if username in ("sysadmin", "auditor") else "监督检查"
        bar.locator("details.navsec > summary", has_text=target).click()
        shot(page, f"nav-{username}")


def test_annual_self_assessment_with_measured_checks(page, org, shot):
    """The security officer plans the annual self-assessment, opens it, sees the figures measured
    from the records with the exceptions as links, confirms one and overrides another with a
    reason (SUP-1, R-SITE-4)."""
    from tests.personnel.factories import onboarded

    file = onboarded(org.security_officer, org.staff_secret, "important")
    from baomi.personnel.models import PersonnelFile

    PersonnelFile.objects.filter(pk=file.pk).update(next_review_on=today() - timedelta(days=3))
    default_template()
    login(page, "security_officer", PASSWORD)
    page.wait_for_selector("text=退出")
    page.click("nav.mainnav summary:has-text('监督检查')")
    page.click("nav.mainnav >> text=检查表与计划")
    page.click("text=新建检查计划")
    page.fill("input[name=title]", "2026年度保密工作自查自评")
    page.select_option("select[name=kind]", "annual")
    pick(page, "lead", "se", "security_officer（security_officer）")
    page.click("button:has-text('创建计划')")
    page.wait_for_selector("text=已创建检查计划")
    page.click("button:has-text('立即开始本周期检查')")
    page.wait_for_selector("text=已开始本周期检查")
    page.click("table.data a:has-text('2026年度保密工作自查自评')")
    page.wait_for_selector("text=保密工作责任制")
    item = page.locator(".item", has_text="按期开展涉密人员保密复审")
    assert item.locator(".figure").inner_text() == "1"
    assert item.locator("a", has_text="staff_secret").count() == 1  # the exception, as a link
    item.locator("summary:has-text('改判')").click()
    item.locator("input[name=reason]").fill("该人员复审已于本周完成，记录待补录")
    item.locator("button:has-text('改判')").click()
    page.wait_for_selector("text=已改判核查结果")
    pledge = page.locator(".item", has_text="涉密人员签订有效的保密承诺书")
    pledge.locator("button:has-text('确认')").click()
    page.wait_for_selector("text=已确认核查结果")
    page.locator(".item", has_text="按期开展涉密人员保密复审").scroll_into_view_if_needed()
    shot(page, "inspection-annual-measured")
    # follow an exception link: the personnel file opens for the security officer
    page.locator(".item", has_text="按期开展涉密人员保密复审").locator("a", has_text="staff_secret").click()
    page.wait_for_selector("text=staff_secret")
    assert f"/personnel/{file.pk}/" in page.url


def test_finding_rectified_and_verified(page, org, shot):
    """A finding goes to the head of the department; he reports the rectification; the
    inspector returns it once, then verifies it, and the finding closes (SUP-1)."""
    officer = org.security_officer
    run = services.open_run(officer, template=small_template(org), kind="quarterly", title="第二季度保密巡查",
                            lead=officer, due_on=today(), department=org.departments["OFFICE"])  # fmt: skip
    services.answer_item(officer, run.answers.get(), result="non_compliant", note="保密柜未上锁")
    finding = services.record_finding(officer, run, description="保密柜未上锁", item=run.answers.get().item)
    services.complete_run(officer, run)
    login(page, "security_officer", PASSWORD)
    page.goto(page.base_url + f"/inspections/findings/{finding.pk}/")
    page.fill("textarea[name=measures]", "立即上锁，建立每日下班检查记录")
    page.click("button:has-text('指定')")
    page.wait_for_selector("text=已下达整改任务")
    task_url = page.locator("table.data a").first.get_attribute("href")
    page.context.clear_cookies()
    login(page, "dept_head", PASSWORD)
    page.goto(page.base_url + "/")
    page.click("text=我的整改任务")
    page.click(f"a[href='{task_url}'] >> nth=0")
    page.fill("textarea[name=report]", "已上锁")
    page.click("button:has-text('提交验收')")
    page.wait_for_selector("text=整改情况已提交验收")
    page.context.clear_cookies()
    login(page, "security_officer", PASSWORD)
    page.goto(page.base_url + task_url)
    page.click("summary:has-text('退回重新整改')")
    page.fill("input[name=reason]", "请附检查记录")
    page.click("button:has-text('退回')")
    page.wait_for_selector("text=整改已退回")
    page.context.clear_cookies()
    login(page, "dept_head", PASSWORD)
    page.goto(page.base_url + task_url)
    page.fill("textarea[name=report]", "已上锁，检查记录见附件")
    page.set_input_files("input[name=evidence]", files=[{"name": "记录.txt", "mimeType": "text/plain",
                                                          "buffer": "每日检查记录".encode()}])  # fmt: skip
    page.click("button:has-text('提交验收')")
    page.wait_for_selector("text=整改情况已提交验收")
    page.context.clear_cookies()
    login(page, "security_officer", PASSWORD)
    page.goto(page.base_url + task_url)
    page.click("button:has-text('验收通过')")
    page.wait_for_selector("text=整改已验收通过")
    page.click(f"a[href='/inspections/findings/{finding.pk}/']")
    page.wait_for_selector(".head-row .badge:has-text('已整改')")
    shot(page, "inspection-finding-verified")


def test_incident_reported_and_reported_upward_within_the_clock(page, org, shot):
    """A staff member reports a lost carrier; the security officer sees the clock running,
    marks the carrier missing, records both reports upward within 24 hours (SUP-2, R-INC-1)."""
    from tests.carriers.factories import make_carrier

    carrier = make_carrier(org, "confidential", custodian=org.staff_secret)
    login(page, "staff_secret", PASSWORD)
    page.click("nav.mainnav summary:has-text('监督检查')")
    page.click("nav.mainnav >> text=报告保密事件")
    page.select_option("select[name=kind]", "lost_carrier")
    page.fill("input[name=title]", "出差途中遗失文件一份")
    page.fill("textarea[name=description]", "乘高铁返回途中发现文件袋遗失")
    found = timezone.localtime() - timedelta(hours=3)
    page.fill("input[name=discovered_at]", found.strftime("%Y-%m-%dT%H:%M"))
    page.fill("input[name=carriers]", carrier.registry_number)
    page.click("button:has-text('提交报告')")
    page.wait_for_selector("text=感谢您的报告")
    incident_url = page.url
    page.context.clear_cookies()
    login(page, "security_officer", PASSWORD)
    page.goto(page.base_url + "/")
    page.wait_for_selector("text=待上报的保密事件")
    shot(page, "incident-dashboard-clock")
    page.goto(incident_url)
    page.wait_for_selector(".clock.running")
    assert "剩余" in page.locator(".clock").inner_text()
    page.click("button:has-text('在台账中登记为丢失')")
    page.wait_for_selector("text=已关联载体")
    for recipient, channel, reference in [("same_level", "phone", "值班电话记录 0417"),
                                          ("superior", "document", "报告〔2026〕5号")]:  # fmt: skip
        page.select_option("#upward_recipient", recipient)
        page.select_option("#upward_channel", channel)
        page.fill("#upward_reference", reference)
        page.click("button:has-text('登记报告')")
        page.wait_for_selector("text=已登记向上报告")
    page.wait_for_selector(".clock.met")
    assert "已按时向两个部门报告" in page.locator(".clock").inner_text()
    shot(page, "incident-reported-upward")
