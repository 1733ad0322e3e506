"""The second factor in a real browser (SEC-1): forced enrolment by QR code at the first login of
a person cleared for 机密, recovery codes, then password → code on the next login. Codes are
computed with pyotp from the key shown on the page, as a phone would."""

import re

import pytest

from baomi.accounts import totp
from tests.e2e.conftest import login
from tests.support.personas import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _light_argon2(settings):
    """Still argon2, with light parameters: these journeys sign in many times."""
    settings.PASSWORD_HASHERS = ["tests.accounts.helpers.LightArgon2PasswordHasher"]


def test_enrol_then_sign_in_with_code(page, org, shot):
    login(page, "staff_secret", PASSWORD, second_factor=False)
    # The click returns once the next page starts loading: wait for it to be there.
    page.wait_for_url(re.compile(r"/accounts/login/enrol/"))
    page.wait_for_load_state()
    assert page.locator(".enrol-qr svg").count() == 1
    shot(page, "totp-enrol")
    secret = page.get_attribute("[data-totp-secret]", "data-totp-secret")
    # A wrong first code is refused in Chinese.
    good = totp.code_for(secret, totp.current_step())
    page.fill("input[name=code]", f"{(int(good) + 1) % 1000000:06d}")
    page.click("button[type=submit]")
    page.wait_for_selector("text=动态码不正确")
    shot(page, "totp-enrol-wrong")
    page.fill("input[name=code]", good)
    page.click("button[type=submit]")
    page.wait_for_selector(".recovery-codes code")
    codes = page.locator(".recovery-codes code").all_inner_texts()
    assert len(codes) == 10
    shot(page, "totp-recovery-codes")
    page.click("text=继续")
    page.wait_for_selector("text=您好")

    page.click("text=退出")
    login(page, "staff_secret", PASSWORD, second_factor=False)
    page.wait_for_url(re.compile(r"/accounts/login/code/"))
    page.wait_for_load_state()
    shot(page, "totp-code")
    # The code already used at enrolment is a replay: refused.
    page.fill("input[name=code]", good)
    page.click("button[type=submit]")
    page.wait_for_selector("text=动态码不正确或已被使用")
    page.fill("input[name=code]", codes[0])  # a recovery code, once
    page.click("button[type=submit]")
    page.wait_for_selector("text=您好")
    assert "剩余 9 个" in page.content()
    shot(page, "totp-signed-in-recovery")
    page.click("text=个人中心")
    page.wait_for_selector("text=已登记")
    assert "剩余 9 个恢复码" in page.content()
    shot(page, "totp-profile-enrolled")


def test_login_helper_passes_the_second_factor_repeatedly(page, org):
    """The shared e2e ``login`` helper signs a 机密+ persona in three times in a row (enrolment,
    then codes of successive steps), so other apps' journeys can switch people freely."""
    for _ in range(3):
        login(page, "security_officer", PASSWORD)
        page.wait_for_selector("text=您好")
        page.click("text=退出")
        page.wait_for_selector("input[name=username]")
