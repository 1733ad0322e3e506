"""Login in a real browser (SEC-1): the Chinese UI, the home page, a wrong password refused."""

import pytest

from tests.e2e.conftest import login
from tests.support.personas import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


def test_login_shows_chinese_home(page, org, shot):
    """A headless browser sending en-US still gets the Chinese UI; login lands on the home page."""
    login(page, "staff_secret", PASSWORD)
    page.wait_for_selector("text=您好")
    assert "首页" in page.content()
    assert "退出" in page.content()
    shot(page, "home-staff")


def test_wrong_password_is_refused_in_chinese(page, org, shot):
    login(page, "staff_secret", "wrong-password")
    assert "用户名或口令错误" in page.content()
    shot(page, "login-refused")
