"""The carrier registry in a real browser (CAR-1, CAR-4..8, CAR-11): register, lend and
return, copy with approval, transfer and sign, inventory with a missing carrier, destroy."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from baomi.carriers import services
from baomi.carriers.models import Carrier, InventoryCampaign
from tests.carriers.factories import make_carrier, make_item
from tests.e2e.conftest import login, pick
from tests.support.personas import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


def as_user(page, username: str) -> None:
    page.context.clear_cookies()
    login(page, username, PASSWORD)
    page.wait_for_selector("text=退出")


def test_register_lend_and_return(page, org, shot):
    """CAR-1, CAR-6: the security office registers copies; a loan is asked, approved, returned."""
    item = make_item(org, scope=[org.case_handler])
    as_user(page, "security_officer")
    page.goto(page.base_url + "/carriers/register/")
    page.select_option("select[name=item]", str(item.pk))
    page.select_option("select[name=kind]", "paper")
    page.fill("input[name=copies]", "3")
    pick(page, "custodian", "st", "staff_secret（staff_secret）")
    page.fill("input[name=storage_place]", "办公室保密柜A-01")
    page.fill("input[name=pages]", "6")
    page.fill("input[name=produced_at]", "办公室文印室")
    page.fill("input[name=produced_on_device]", "涉密打印机 DY-01")
    shot(page, "carriers-register-form")
    page.click("main button[type=submit]")
    page.wait_for_load_state()
    shot(page, "carriers-register-result")
    page.wait_for_selector("text=已登记 3 件载体")
    assert "份号 000001" in page.content() and "机密★10年" in page.content()
    shot(page, "carriers-detail-registered")
    carrier = Carrier.objects.filter(item=item).order_by("sequence").first()

    as_user(page, "case_handler")
    page.goto(page.base_url + f"/carriers/{carrier.pk}/")
    page.click("text=申请借阅")
    page.fill("input[name=place]", "第二会议室")
    page.fill("input[name=due_on]", (timezone.localdate() + dt.timedelta(days=3)).isoformat())
    page.fill("input[name=reason]", "起草答复意见")
    shot(page, "carriers-loan-form")
    page.click("main button[type=submit]")
    page.wait_for_selector("text=借阅申请已提交审批")

    as_user(page, "dept_head")
    page.goto(page.base_url + "/carriers/approvals/")
    assert carrier.registry_number in page.content()
    shot(page, "carriers-approvals")
    page.click("form.decide button.primary")
    page.wait_for_selector("text=已批准")
    carrier.refresh_from_db()
    assert carrier.status == "on_loan"

    as_user(page, "staff_secret")
    page.goto(page.base_url + f"/carriers/{carrier.pk}/")
    page.click("text=登记归还")
    page.click("main button[type=submit]")
    page.wait_for_selector("text=已登记归还")
    shot(page, "carriers-detail-history")
    carrier.refresh_from_db()
    assert carrier.status == "registered"


def test_copy_with_approval_then_transfer_and_sign(page, org, shot):
    """CAR-4, CAR-5: copy approved by the unit head; sent by 机要通信; the receiver counts and signs."""
    carrier = make_carrier(org, scope=[org.case_handler], pages=6)
    as_user(page, "staff_secret")
    page.goto(page.base_url + f"/carriers/{carrier.pk}/do/copy/")
    page.fill("input[name=copies]", "2")
    page.fill("input[name=reason]", "分送政策法规处")
    page.click("main button[type=submit]")
    page.wait_for_selector("text=复制申请已提交单位负责人审批")

    as_user(page, "unit_head")
    page.goto(page.base_url + "/carriers/approvals/")
    page.click("form.decide button.primary")
    page.wait_for_selector("text=已批准")
    assert Carrier.objects.filter(parent=carrier).count() == 2

    as_user(page, "staff_secret")
    page.goto(page.base_url + f"/carriers/{carrier.pk}/do/transfer/")
    pick(page, "receiver", "ca", "case_handler（case_handler）")
    page.select_option("select[name=channel]", "jiyao_tongxin")
    page.fill("input[name=envelope_number]", "JY-2026-0042")
    shot(page, "carriers-transfer-form")
    page.click("main button[type=submit]")
    page.wait_for_selector("text=待接收人签收")

    as_user(page, "case_handler")
    page.goto(page.base_url + "/carriers/transfers/")
    page.click("main a.btn.primary")
    page.fill("input[name=counted]", "5")
    page.click("main button[type=submit]")
    page.wait_for_selector("text=清点数量与登记不符")
    shot(page, "carriers-sign-mismatch")
    page.fill("input[name=counted]", "6")
    page.click("main button[type=submit]")
    page.wait_for_selector("text=已签收")
    carrier.refresh_from_db()
    assert carrier.custodian == org.case_handler


def test_inventory_with_missing_carrier_then_destroy(page, org, shot):
    """CAR-8, CAR-11: a missing carrier opens an incident; another is destroyed with a list."""
    kept = make_carrier(org)
    lost = make_carrier(org)
    as_user(page, "security_officer")
    page.goto(page.base_url + "/carriers/inventories/")
    page.fill("input[name=title]", "2026年第一季度清点")
    page.click("main button[type=submit]")
    page.wait_for_selector("text=清点已发起")

    as_user(page, "staff_secret")
    campaign = InventoryCampaign.objects.get()
    page.goto(page.base_url + f"/carriers/inventories/{campaign.pk}/")
    rows = page.locator("form.check")
    for i in range(rows.count()):
        form = page.locator("form.check").nth(i)
        entry_action = form.get_attribute("action")
        entry = campaign.entries.get(pk=int(entry_action.strip("/").split("/")[-2]))
        if entry.carrier_id == lost.pk:
            form.locator("select").select_option("missing")
            form.locator("input[name=note]").fill("柜内未见")
        else:  # rows start uncounted (CAR-8, counted blind): say what was found
            form.locator("select").select_option("confirmed")
        with page.expect_navigation():
            form.locator("button").click()
    shot(page, "carriers-inventory-checked")
    page.click("text=签字确认我的清单")
    page.wait_for_selector("text=您的清单已签字确认")
    lost.refresh_from_db()
    assert lost.status == "missing"

    req = services.request_destruction(org.security_officer, [kept], reason="保密期限届满，无保存价值")
    as_user(page, "unit_head")
    page.goto(page.base_url + f"/carriers/destructions/{req.pk}/")
    page.click("button[value=approve]")
    page.wait_for_selector("text=已批准")
    as_user(page, "security_officer")
    page.goto(page.base_url + f"/carriers/destructions/{req.pk}/")
    page.select_option("select[name=method]", "facility")
    page.fill("input[name=facility]", "市保密局涉密载体销毁中心")
    pick(page, "witness_1", "st", "staff_secret（staff_secret）")
    pick(page, "witness_2", "de", "dept_head（dept_head）")
    shot(page, "carriers-destruction-execute")
    page.click("text=已销毁，登记")
    page.wait_for_selector("text=载体已销毁")
    shot(page, "carriers-destruction-done")
    kept.refresh_from_db()
    assert kept.status == "destroyed"
    with page.expect_download() as dl:
        page.click("text=下载销毁清单")
    assert dl.value.suggested_filename.endswith(".pdf")


def test_inventory_whose_custodian_left_is_finished(page, org, shot):
    """CAR-8 (issue 12 §2): the custodian left without signing; the security officer counts the
    row blind (未清点 preselected, not 在位), signs in the custodian's place with a reason and a
    witness, and closes the inventory."""
    from baomi.accounts import services as accounts

    carrier = make_carrier(org, custodian=org.staff_other_dept)
    campaign = services.start_inventory(
        org.security_officer, title="2026年度清点", due_on=timezone.localdate()
    )
    accounts.set_active(org.sysadmin, org.staff_other_dept, False)
    as_user(page, "security_officer")
    page.goto(page.base_url + f"/carriers/inventories/{campaign.pk}/")
    page.wait_for_selector("text=已离岗")
    row = page.locator("table.data tr", has_text=carrier.registry_number).last
    assert row.locator("select[name=result]").input_value() == ""  # counted blind
    page.click("button:has-text('结束清点')")
    page.wait_for_selector("text=尚有 1 名责任人未签字确认")
    row = page.locator("table.data tr", has_text=carrier.registry_number).last
    row.locator("select[name=result]").select_option("confirmed")
    row.locator("button[type=submit]").click()
    page.wait_for_load_state()
    form = page.locator("form[action$='/sign-in-place/']")
    form.locator("select[name=witness]").select_option(str(org.staff_secret.pk))
    form.locator("input[name=reason]").fill("该同志已调离本单位，由保密办会同见证人清点")
    shot(page, "carriers-inventory-sign-in-place")
    form.locator("button[type=submit]").click()
    page.wait_for_selector("text=已代责任人签字确认")
    page.click("button:has-text('结束清点')")
    page.wait_for_selector("text=清点已结束")
    shot(page, "carriers-inventory-closed-after-sign-in-place")
    campaign.refresh_from_db()
    assert campaign.status == "closed"
