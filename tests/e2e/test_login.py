"""Login in a real browser (SEC-1): the Chinese UI, the home page, wrong passwords, the lockout."""

import pytest

from tests.e2e.conftest import login
from tests.support.personas import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _light_argon2(settings):
    """Still argon2, with light parameters: these journeys sign in many times."""
    settings.PASSWORD_HASHERS = ["tests.accounts.helpers.LightArgon2PasswordHasher"]


def test_login_shows_chinese_home(page, org, shot):
    """A headless browser sending en-US still gets the Chinese UI; login lands on the home page."""
    login(page, "staff_work_secret", PASSWORD)
    page.wait_for_selector("text=您好")
    assert "首页" in page.content()
    assert "退出" in page.content()
    shot(page, "home-staff")


def test_wrong_password_is_refused_in_chinese(page, org, shot):
    page.goto(page.base_url + "/accounts/login/")
    shot(page, "login")
    login(page, "staff_work_secret", "wrong-password")
    assert "用户名或口令错误" in page.content()
    shot(page, "login-refused")


def test_five_wrong_passwords_lock_the_account(page, org, shot, settings):
    """Five wrong passwords lock the account; then the right password is refused too (SEC-1)."""
    settings.LOCKOUT_THRESHOLD = 5
    for _ in range(5):
        login(page, "staff_work_secret", "Wrong@Pass0000")
        assert "用户名或口令错误, 或账号已被锁定" in page.content()
    login(page, "staff_work_secret", PASSWORD)
    assert "账号已被锁定" in page.content()
    assert "/accounts/login/" in page.url
    assert page.locator("text=您好").count() == 0
    shot(page, "login-locked")
    from baomi.accounts.models import User

    assert User.objects.get(username="staff_work_secret").is_locked()
