"""Exchange with other units in a real browser (issue 12 §3; CAR-4, CAR-5, R-CAR-3): the
security officer adds an external unit; a 机密 dispatch (发文) is asked by the custodian,
approved by the department head, sent, and its returned receipt (回执) recorded; a carrier from
another unit is registered as received (收文) with its number and 份号 kept."""

from __future__ import annotations

import pytest
from django.utils import timezone

from baomi.carriers.models import Carrier, Dispatch, IncomingCarrier
from tests.carriers.factories import make_carrier, make_item
from tests.e2e.conftest import login, pick
from tests.support.personas import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


def as_user(page, username: str) -> None:
    page.context.clear_cookies()
    login(page, username, PASSWORD)
    page.wait_for_selector("text=退出")


def test_dispatch_with_its_receipt_and_an_incoming_carrier(page, org, shot):
    """Issue 12 §3: 发文 with approval and 回执, and 收文, walked end to end."""
    carrier = make_carrier(org, pages=5)
    item = make_item(
        org, scope=[org.staff_secret], external_originator="市委办公室", reference="市委办〔2026〕12号"
    )

    as_user(page, "security_officer")
    page.goto(page.base_url + "/carriers/exchange/units/")
    page.fill("input[name=name]", "省国家保密局")
    page.fill("input[name=contact]", "机要室")
    page.click("main form:has(input[value=add]) button[type=submit]")
    page.wait_for_selector("text=已保存")
    page.fill("input[name=name]", "市委办公室")
    page.click("main form:has(input[value=add]) button[type=submit]")
    page.wait_for_selector("#units >> text=市委办公室")
    shot(page, "exchange-units")

    # 发文: the custodian asks; 机密 waits for the department head.
    as_user(page, "staff_secret")
    page.goto(page.base_url + f"/carriers/{carrier.pk}/")
    page.click("#dispatch-link")
    page.wait_for_selector("text=须经部门负责人批准")
    page.select_option("select[name=unit]", label="省国家保密局")
    page.select_option("select[name=channel]", "jiyao_jiaotong")
    page.fill("input[name=envelope_number]", "JT-2026-0107")
    page.fill("input[name=reason]", "按要求报送专项工作情况")
    shot(page, "exchange-dispatch-form")
    page.click("main button[type=submit]")
    page.wait_for_selector("text=等待部门负责人审批")
    dispatch = Dispatch.objects.get(carrier=carrier)
    assert dispatch.status == "pending"

    as_user(page, "dept_head")
    page.goto(page.base_url + "/carriers/exchange/")
    page.click(f"text={carrier.registry_number}")
    page.fill("input[name=reason]", "同意报送")
    page.click("button[value=approve]")
    shot(page, "exchange-dispatch-approved")
    page.wait_for_selector("text=决定已登记")

    as_user(page, "staff_secret")
    page.goto(page.base_url + f"/carriers/exchange/dispatches/{dispatch.pk}/")
    page.click("button[value=send]")
    page.wait_for_selector("text=已发出。回执返回后请登记")
    carrier.refresh_from_db()
    assert carrier.status == "dispatched"
    page.fill("input[name=returned_on]", timezone.localdate().isoformat())
    page.fill("input[name=signer]", "王芳")
    page.click("form:has(input[value=receipt]) button[type=submit]")
    page.wait_for_selector("text=回执已登记")
    assert "王芳" in page.inner_text("#receipt")
    shot(page, "exchange-dispatch-receipt")

    # 收文: the security office registers a carrier received from another unit.
    as_user(page, "security_officer")
    page.goto(page.base_url + "/carriers/exchange/")
    page.click("text=登记外单位来文")
    page.select_option("select[name=unit]", label="市委办公室")
    page.fill("input[name=their_number]", "市委办〔2026〕12号")
    page.fill("input[name=their_copy_number]", "000017")
    page.select_option("select[name=item]", str(item.pk))
    page.select_option("select[name=kind]", "paper")
    page.fill("input[name=pages]", "4")
    page.select_option("select[name=channel]", "jiyao_tongxin")
    page.fill("input[name=envelope_number]", "JY-88")
    pick(page, "custodian", "st", "staff_secret（staff_secret）")
    page.fill("input[name=storage_place]", "办公室保密柜A-02")
    shot(page, "exchange-incoming-form")
    page.click("main button[type=submit]")
    page.wait_for_selector("text=已收文并登记为")
    incoming = IncomingCarrier.objects.get()
    assert "000017" in page.inner_text("#incoming-facts")
    assert Carrier.objects.get(pk=incoming.carrier_id).status == "registered"
    shot(page, "exchange-incoming-detail")
    page.goto(page.base_url + "/carriers/exchange/")
    assert "市委办〔2026〕12号" in page.inner_text("#incoming")
    assert "王芳" in page.inner_text("#dispatches")
    shot(page, "exchange-overview")
