"""Account management in a real browser (SEC-2, ORG-1): the system administrator creates an
account and keeps the department tree; the security officer assigns roles and sees the 三员分立
refusal; a person creates an API token on their own page."""

import pytest

from baomi.accounts import services
from baomi.accounts.choices import Role
from tests.e2e.conftest import login, pick
from tests.support.personas import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _light_argon2(settings):
    """Still argon2, with light parameters: these journeys sign in many times."""
    settings.PASSWORD_HASHERS = ["tests.accounts.helpers.LightArgon2PasswordHasher"]


def test_system_administrator_creates_an_account(page, org, shot):
    login(page, "sysadmin", PASSWORD)
    page.click("nav.mainnav summary:has-text('系统管理')")  # the grouped navigation (OPS-1)
    page.click("nav.mainnav >> text=账号管理")
    page.wait_for_selector("table.data")
    shot(page, "accounts-users")
    page.click("text=新建账号")
    page.fill("input[name=username]", "xiaoming")
    page.fill("input[name=full_name]", "王小明")
    pick(page, "department", "财务", "财务科")
    page.select_option("select[name=person_type]", value="intern")
    page.fill("input[name=post]", "实习生")
    shot(page, "accounts-user-create")
    page.click("button:has-text('保存')")
    page.wait_for_selector("text=王小明")
    assert page.locator("[data-temporary-password]").count() == 0  # R-ROLE-1..3: no password shown
    page.wait_for_selector("[data-awaiting-handover]")
    shot(page, "accounts-user-detail-sysadmin")
    page.click("nav.mainnav summary:has-text('系统管理')")
    page.click("nav.mainnav >> text=部门")
    page.wait_for_selector("table.dept-tree")
    shot(page, "accounts-departments")


def test_security_officer_hands_the_one_time_password_over(page, org, shot):
    """After a reset the security officer, with the person present, shows the one-time password
    once; the person signs in with it, enrols their own second factor and chooses a password
    (R-ROLE-1..3)."""
    services.reset_password(org.sysadmin, org.staff_work_secret)
    login(page, "security_officer", PASSWORD)
    page.goto(page.base_url + f"/accounts/users/{org.staff_work_secret.pk}/")
    page.check("input[name=identity_checked]")
    shot(page, "accounts-handover")
    page.click("button:has-text('向本人显示一次性口令')")
    password = page.inner_text("[data-temporary-password]")
    assert len(password) >= 12
    shot(page, "accounts-temporary-password")
    page.context.clear_cookies()  # the person signs in on their own
    login(page, "staff_work_secret", password)  # enrols the person's own second factor
    page.wait_for_selector("input[name=new_password]")
    page.fill("input[name=new_password]", "Mine@Pass2027")
    page.fill("input[name=new_password2]", "Mine@Pass2027")
    page.click("button[type=submit]")
    page.wait_for_url(page.base_url + "/")


def test_security_officer_assigns_roles_and_sees_separation(page, org, shot):
    services.assign_role(org.security_officer, org.staff_work_secret, Role.AUDITOR)
    login(page, "security_officer", PASSWORD)
    page.goto(page.base_url + f"/accounts/users/{org.staff_work_secret.pk}/")
    page.select_option("select[name=role]", value=Role.SYSTEM_ADMINISTRATOR)
    page.click("button:has-text('授予角色')")
    page.wait_for_selector(".msg.error")
    assert "三员分立" in page.inner_text(".msg.error")
    shot(page, "accounts-separation-refused")
    page.select_option("select[name=role]", value=Role.CASE_HANDLER)
    page.click("button:has-text('授予角色')")
    page.wait_for_selector(".msg.success")
    assert page.locator("select[name=clearance]").count() == 0  # derived from the personnel file
    shot(page, "accounts-user-detail-officer")


def test_own_account_page_with_token(page, org, shot):
    login(page, "staff_work_secret", PASSWORD)
    page.click("text=个人中心")
    page.fill("input[name=name]", "报表脚本")
    page.click("button:has-text('创建令牌')")
    key = page.inner_text("code.token-key")
    assert key.startswith("bm_")
    shot(page, "accounts-profile-token")
    page.reload()
    assert key not in page.content()
