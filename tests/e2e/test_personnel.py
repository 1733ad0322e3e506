"""Personnel in a real browser: onboarding a person to clearance (PER-2) and an exit blocked by
an outstanding carrier (PER-5, R-PER-6). Screenshots in test-artifacts/screenshots/."""

import pytest

from baomi.personnel import services
from tests.e2e.conftest import login, pick
from tests.personnel.factories import carrier_for, onboarded, today
from tests.support.personas import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


def test_onboarding_a_person_to_clearance(page, org, shot):
    """The security officer opens a file, records review, training and pledge; only then the
    clearance is granted from the category (PER-1, PER-2, R-AC-4)."""
    person = org.staff_work_secret
    login(page, "security_officer", PASSWORD)
    page.wait_for_selector("text=退出")
    # an agreement text to sign
    page.goto(page.base_url + "/personnel/agreements/")
    page.select_option("select[name=kind]", "pledge")
    page.fill("input[name=version]", "2026版")
    page.fill("textarea[name=text]", "本人郑重承诺遵守保密法律法规，履行保密义务。")
    page.click("text=新增版本 >> nth=-1")
    page.wait_for_selector("text=版本已新增")
    # open the file
    page.goto(page.base_url + "/personnel/new/")
    pick(page, "user", "st", "staff_work_secret（staff_work_secret）")
    page.select_option("select[name=category]", "important")
    page.fill("input[name=secret_post]", "机要秘书")
    page.click("button:has-text('建档')")
    page.wait_for_selector("text=涉密人员档案已建立")
    file_url = page.url
    # pre-assignment review
    page.select_option("form[action$='/review/'] select[name=kind]", "pre_assignment")
    page.select_option("form[action$='/review/'] select[name=result]", "passed")
    page.click("form[action$='/review/'] button[type=submit]")
    page.wait_for_selector("text=保密审查已登记")
    # granting is refused while training and pledge are missing
    page.click("text=完成准入并授予涉密资格")
    page.wait_for_selector("text=保密准入尚未完成")
    shot(page, "personnel-onboarding-refused")
    # training
    page.goto(page.base_url + "/personnel/training/")
    page.fill("input[name=title]", "新任涉密人员岗前保密培训")
    page.select_option("select[name=kind]", "course")
    page.click("button:has-text('登记培训')")
    page.wait_for_selector("text=培训已登记")
    pick(page, "user", "st", "staff_work_secret（staff_work_secret）")
    page.click("button:has-text('登记') >> nth=-1")
    page.wait_for_selector("text=参训情况已登记")
    # pledge
    page.goto(file_url)
    page.select_option("form[action$='/pledge/'] select[name=version]", index=1)
    page.click("form[action$='/pledge/'] button[type=submit]")
    page.wait_for_selector("text=签订情况已登记")
    page.click("text=完成准入并授予涉密资格")
    page.wait_for_selector("text=保密准入已完成")
    assert page.locator(".bigfact").inner_text() == "机密"
    shot(page, "personnel-onboarded")
    person.refresh_from_db()
    assert person.clearance == "secret"


def test_exit_blocked_by_an_outstanding_carrier(page, org, shot):
    """The exit page lists the carrier still held and refuses to complete (PER-5, R-PER-6)."""
    so, person = org.security_officer, org.staff_secret
    file = onboarded(so, person, "important")
    carrier = carrier_for(person, level="secret")
    case = services.start_exit(so, file, approved_on=today())
    login(page, "security_officer", PASSWORD)
    page.wait_for_selector("text=退出")
    page.goto(page.base_url + f"/personnel/exits/{case.pk}/")
    assert carrier.registry_number in page.locator("#outstanding").inner_text()
    page.click("form[action$='/interview/'] button[type=submit]")
    page.wait_for_selector("text=谈话已登记")
    page.once("dialog", lambda d: d.accept())
    page.click("text=撤销权限")
    page.wait_for_selector("text=全部权限已撤销")
    page.fill("form[action$='/separation/'] input[name=years]", "2")
    page.click("form[action$='/separation/'] button[type=submit]")
    page.wait_for_selector("text=脱密期已确定")
    page.click("text=办结离岗离职")
    page.wait_for_selector("text=离岗离职尚不能完成")
    assert "涉密载体和设备已全部清退" in page.locator(".msg.error").inner_text()
    shot(page, "personnel-exit-blocked")
    page.goto(page.base_url + "/personnel/?status=exiting")
    assert "staff_secret" in page.locator("table.data").inner_text()
    shot(page, "personnel-list")
    page.goto(page.base_url + "/personnel/due/")
    shot(page, "personnel-due")
    case.refresh_from_db()
    assert case.completed_at is None


def test_violation_report_form_for_everyone(page, org, shot):
    """Any staff member reports; the page says only the security office sees who (PER-8)."""
    login(page, "staff_confidential", PASSWORD)
    page.wait_for_selector("text=退出")
    # 违规举报 sits beside 报告保密事件 (issue 13, role-fit navigation).
    page.click("nav.mainnav summary:has-text('监督检查')")
    page.click("nav.mainnav >> text=违规举报")
    page.select_option("select[name=kind]", "leak")
    page.fill("textarea[name=description]", "发现有人在互联网邮箱中传输内部文件。")
    shot(page, "personnel-report-form")
    page.click("button:has-text('提交举报')")
    page.wait_for_selector("text=保密办已收到您的举报")
    assert "举报人" not in page.content()
