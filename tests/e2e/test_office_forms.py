"""The rest of the office-ready UI (issue 13) in Chromium at 1366×768: uncleared staff and the
system administrator see only menus they can use; the security officer names people and
departments by typing in the personnel, inspections and department forms, prints a transfer's
审批表 from the list and reads its history on the signing screen; a case handler reads the
history of their loan request on the approvals page. Screenshots ``forms-*``."""

from __future__ import annotations

import pytest
from django.utils import timezone

from baomi.carriers import services
from baomi.inspections.models import Plan
from baomi.personnel.models import PersonnelFile
from tests.carriers.factories import make_carrier
from tests.e2e.conftest import login, pick
from tests.inspections.factories import default_template
from tests.support.personas import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


def as_user(page, username: str) -> None:
    page.context.clear_cookies()
    login(page, username, PASSWORD)
    page.wait_for_selector("text=退出")


def test_pickers_request_history_and_role_fit_menus(page, org, shot):
    carrier = make_carrier(org, scope=[org.case_handler])
    services.request_loan(org.case_handler, carrier, place="阅文室", due_on=timezone.localdate(),
                          reason="起草答复意见")  # fmt: skip
    sent = services.send_carrier(org.staff_secret, make_carrier(org, pages=3), receiver=org.security_officer,
                                 channel="jiyao_tongxin", envelope_number="JY-9")  # fmt: skip
    default_template()

    # Uncleared staff: no 定密管理, 载体管理 or 人员管理 — nothing could ever be in them.
    as_user(page, "staff_uncleared")
    nav = page.locator("nav.mainnav").inner_text()
    assert "定密管理" not in nav and "载体管理" not in nav and "人员管理" not in nav and "监督检查" in nav
    shot(page, "forms-nav-uncleared")

    # The system administrator: the department form names its head by typing.
    as_user(page, "sysadmin")
    assert "定密管理" not in page.locator("nav.mainnav").inner_text()
    page.goto(page.base_url + "/accounts/departments/")
    pick(page, "head", "st", "staff_secret（staff_secret）")
    shot(page, "forms-department-head-picker")

    # The security officer opens a personnel file for a person found by two letters.
    as_user(page, "security_officer")
    page.goto(page.base_url + "/personnel/new/")
    pick(page, "user", "st", "staff_work_secret（staff_work_secret）")
    page.select_option("select[name=category]", "important")
    shot(page, "forms-personnel-new")
    page.click("button:has-text('建档')")
    page.wait_for_selector("text=涉密人员档案已建立")
    assert PersonnelFile.objects.filter(user=org.staff_work_secret).exists()

    # An inspection plan: the lead and the departments by typing.
    page.goto(page.base_url + "/inspections/plans/new/")
    page.fill("input[name=title]", "财务科专项检查")
    pick(page, "lead", "se", "security_officer（security_officer）")
    pick(page, "departments", "财务", "本单位 / 财务科")
    shot(page, "forms-inspection-plan")
    page.click("button:has-text('创建计划')")
    page.wait_for_selector("text=已创建检查计划")
    plan = Plan.objects.get(title="财务科专项检查")
    assert list(plan.departments.values_list("code", flat=True)) == ["FIN"]

    # Transfers: each row prints its 审批表; the signing screen shows the transfer's history.
    page.goto(page.base_url + "/carriers/transfers/")
    assert page.locator(f"a[href$='/forms/transfer/{sent.pk}.pdf']").count() == 2  # to sign, unsigned
    shot(page, "forms-transfers")
    page.click(f"a[href$='/transfers/{sent.pk}/sign/']")
    history = page.locator("#request-history").inner_text()
    assert "发出" in history and "staff_secret" in history and "JY-9" in history
    shot(page, "forms-sign-history")

    # An ordinary role: the case handler reads the history of their loan request.
    as_user(page, "case_handler")
    page.goto(page.base_url + "/carriers/approvals/")
    page.click("details.history summary >> nth=0")
    text = page.locator("details.history >> nth=0").inner_text()
    assert "提出申请" in text and "起草答复意见" in text
    shot(page, "forms-approvals-history")
