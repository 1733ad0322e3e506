"""The supervision registers in a real browser — journeys, not fields (SUP-4..6, SUP-12):
a key place, its cabinet and a USB drive to the endpoints' whitelist; a visit refused at the
door until the key place's responsible person approves; a meeting that cannot close while a
carrier issued at it is out. Screenshots in test-artifacts/screenshots/."""

import datetime as dt
from pathlib import Path

import pytest
from django.utils import timezone

from baomi.core.levels import Level
from baomi.meetings import services as meetings
from tests.carriers.factories import make_carrier
from tests.e2e.conftest import login, pick
from tests.support.personas import PASSWORD
from tests.support.registers import place

pytestmark = pytest.mark.django_db(transaction=True)


def switch_to(page, username: str) -> None:
    """Sign out and sign in as another person."""
    page.goto(page.base_url + "/")
    page.click("button:has-text('退出')")
    page.wait_for_selector("input[name=username]")
    login(page, username, PASSWORD)
    page.wait_for_selector("text=退出")


def test_a_key_place_a_cabinet_and_a_usb_drive_on_the_whitelist(page, org, shot):
    """SUP-5, SUP-6: register and confirm a key place, add its cabinet, register a USB drive
    (a wrong serial is refused in Chinese, nothing stored), then download the whitelist."""
    login(page, "security_officer", PASSWORD)
    page.wait_for_selector("text=退出")
    page.goto(page.base_url + "/sites/places/new/")
    page.fill("input[name=name]", "机要室")
    page.fill("input[name=code]", "KP-E2E")
    page.select_option("select[name=kind]", "confidential_office")
    pick(page, "department", "办公", "本单位 / 办公室")
    page.select_option("select[name=level]", "secret")
    pick(page, "responsible", "st", "staff_secret（staff_secret）")
    page.check("input[name=access_control]")
    page.click("button:has-text('保存')")
    page.wait_for_selector("text=已登记保密要害部位")
    page.fill("form[action$='/confirm/'] input[name=reference]", "市保函〔2026〕9号")
    page.click("form[action$='/confirm/'] button[type=submit]")
    page.wait_for_selector("text=已登记确认情况")
    page.fill("form[action$='/cabinet/'] input[name=number]", "E-01")
    page.fill("form[action$='/cabinet/'] input[name=name]", "机要室保密柜E-01")
    pick(page, "custodian", "st", "staff_secret（staff_secret）", within="form[action$='/cabinet/']")
    page.click("form[action$='/cabinet/'] button[type=submit]")
    page.wait_for_selector("text=已登记保密柜")
    shot(page, "registers-key-place")
    page.goto(page.base_url + "/devices/new/")
    page.fill("input[name=asset_number]", "U-E2E")
    page.select_option("select[name=kind]", "usb_drive")
    page.fill("input[name=model_name]", "加密U盘")
    page.fill("input[name=serial]", "4C53 0001")  # a space: refused
    page.fill("input[name=usb_vendor]", "0781")
    page.fill("input[name=usb_product]", "5567")
    page.select_option("select[name=level]", "secret")
    pick(page, "custodian", "st", "staff_secret（staff_secret）")
    pick(page, "department", "办公", "本单位 / 办公室")
    page.click("button:has-text('保存')")
    page.wait_for_selector("text=序列号只能由字母、数字和常用符号组成")
    shot(page, "registers-device-bad-serial")
    page.fill("input[name=serial]", "4C530001")
    page.click("button:has-text('保存')")
    page.wait_for_selector("text=已登记涉密设备")
    page.click("form[action$='/commission/'] button[type=submit]")
    page.wait_for_selector("text=设备已启用")
    page.goto(page.base_url + "/devices/whitelist/")
    pick(page, "department", "办公", "本单位 / 办公室")
    with page.expect_download() as download:
        page.click("button:has-text('导出')")
    text = Path(download.value.path()).read_text(encoding="utf-8")
    assert 'allow id 0781:5567 serial "4C530001"' in text and text.rstrip().endswith("block")


def test_a_visit_refused_at_the_door_until_the_place_approves(page, org, shot):
    """SUP-4: a visit ending before it starts is refused; a visit into a key place cannot check
    in until the place's responsible person approves; the number is shown masked."""
    place(org, code="KP-V", responsible=org.dept_head, name="档案室")
    login(page, "staff_secret", PASSWORD)
    page.wait_for_selector("text=退出")
    page.goto(page.base_url + "/visitors/new/")
    page.fill("input[name=visitor_name]", "钱某")
    page.select_option("select[name=id_type]", "resident_id")
    page.fill("input[name=id_number]", "110101198003070017")
    page.fill("input[name=organisation]", "某检查组")
    page.fill("input[name=purpose]", "查阅档案")
    page.select_option("select[name=places]", label="档案室（KP-V）")
    pick(page, "escort", "st", "staff_secret（staff_secret）")
    start = timezone.localtime() + dt.timedelta(minutes=5)
    page.fill("input[name=expected_start]", start.strftime("%Y-%m-%dT%H:%M"))
    page.fill("input[name=expected_end]", (start - dt.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"))
    page.click("button:has-text('保存')")
    page.wait_for_selector("text=离开时间不能早于到达时间")
    page.fill("input[name=expected_end]", (start + dt.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"))
    page.click("button:has-text('保存')")
    page.wait_for_selector("text=已登记来访")
    assert "**************0017" in page.content() and "110101198003070017" not in page.content()
    visit_url = page.url
    page.click("button:has-text('进入登记')")
    page.wait_for_selector("text=尚未批准：档案室")
    shot(page, "registers-visit-refused")
    switch_to(page, "dept_head")
    page.goto(page.base_url + "/visitors/approvals/")
    page.click("text=钱某")
    page.click("form[action$='/approve/'] button[type=submit]")
    page.wait_for_selector("text=已批准进入")
    switch_to(page, "staff_secret")
    page.goto(visit_url)
    page.click("button:has-text('进入登记')")
    page.wait_for_selector("text=已登记访客进入")


def test_a_meeting_cannot_close_while_a_carrier_is_out(page, org, shot):
    """SUP-12, R-SITE-2: the attendee list refuses a person below the level; a carrier issued is
    lent through the registry once the meeting is approved, handed out, and the meeting closes
    only when it is back."""
    venue = place(org, code="KP-H", kind="meeting_room", name="涉密会议室")
    copy = make_carrier(org, Level.SECRET, custodian=org.security_officer, scope=[org.case_handler])
    now = timezone.now()
    m = meetings.plan_meeting(org.security_officer, title="专题会", level=Level.SECRET, plan="会前提醒，会后清点",
                              venue=venue, starts_at=now - dt.timedelta(hours=1), ends_at=now + dt.timedelta(hours=1))  # fmt: skip
    login(page, "security_officer", PASSWORD)
    page.wait_for_selector("text=退出")
    page.goto(page.base_url + f"/meetings/{m.pk}/")
    # The picker offers nobody cleared below the meeting's level (the service refuses them too).
    box = page.locator(
        "form[action$='/attendee/'] autocomplete-select:has(select[name=user]) input.picker-input"
    )
    box.click()
    box.press_sequentially("staff_")
    suggestions = ".autocomplete-light-box:not([hidden]) [data-value]"
    page.locator(f"{suggestions}:has-text('staff_secret')").first.wait_for()
    assert page.locator(f"{suggestions}:has-text('staff_confidential')").count() == 0
    pick(page, "user", "ca", "case_handler（case_handler）", within="form[action$='/attendee/']")
    page.click("form[action$='/attendee/'] button[type=submit]")
    page.wait_for_selector("text=已加入名单")
    page.select_option("form[action$='/issue/'] select[name=carrier]", str(copy.pk))
    page.select_option("form[action$='/issue/'] select[name=attendee]", index=1)
    page.click("form[action$='/issue/'] button[type=submit]")
    page.wait_for_selector("text=已向载体台账申请借阅")
    switch_to(page, "unit_head")
    page.goto(page.base_url + f"/meetings/{m.pk}/")
    page.click("form[action$='/approve/'] button[type=submit]")
    page.wait_for_selector("text=已批准会议")
    switch_to(page, "security_officer")
    page.goto(page.base_url + f"/meetings/{m.pk}/")
    page.click("button:has-text('会议开始')")
    page.wait_for_selector("text=会议已开始")
    page.click("button:has-text('发放（已签收）')")
    page.wait_for_selector("text=已发放并签收")
    page.click("button:has-text('结束会议')")
    page.wait_for_selector(f"text=载体尚未收回（{copy.registry_number}）")
    shot(page, "registers-meeting-refused-close")
    page.click("button:has-text('已收回')")
    page.wait_for_selector("text=已收回。")
    page.click("button:has-text('结束会议')")
    page.wait_for_selector("text=会议已结束")


def test_a_place_check_finding_is_rectified_in_the_loop(page, org, shot):
    """SUP-5, SUP-1 整改 (issue 16 §1): the officer records a place check with findings; the
    check's page shows the rectification task of the loop; the place's responsible person reports
    on the task's page, the officer verifies it there, and back on the check it is rectified."""
    from baomi.sites import services as sites

    chk = sites.plan_check(org.security_officer, place(org, name="档案室"), planned_on=timezone.localdate())
    login(page, "security_officer", PASSWORD)
    page.wait_for_selector("text=退出")
    page.goto(page.base_url + f"/sites/checks/{chk.pk}/")
    form = "form[action$='/record/']"
    page.fill(f"{form} textarea[name=findings]", "保密柜密码三个月未更换")
    page.fill(f"{form} input[name=rectify_by]", (timezone.localdate() + dt.timedelta(days=14)).isoformat())
    page.click(f"{form} button[type=submit]")
    page.wait_for_selector("text=已登记检查结果")
    page.wait_for_selector("h2:has-text('整改')")
    shot(page, "registers-place-check-task-in-the-loop")
    task = page.locator("table.data a[href^='/inspections/rectification/']").first
    task_url = task.get_attribute("href")
    task.click()
    page.wait_for_selector(f"a[href='/sites/checks/{chk.pk}/']")  # the task names its check
    switch_to(page, "staff_secret")
    page.goto(page.base_url + task_url)
    page.fill("textarea[name=report]", "已更换密码并登记")
    page.click("button:has-text('提交验收')")
    page.wait_for_selector("text=整改情况已提交验收")
    switch_to(page, "security_officer")
    page.goto(page.base_url + task_url)
    page.click("button:has-text('验收通过')")
    page.wait_for_selector("text=整改已验收通过")
    page.click(f"a[href='/sites/checks/{chk.pk}/']")
    page.wait_for_selector(".badge:has-text('已整改')")
    shot(page, "registers-place-check-rectified")
