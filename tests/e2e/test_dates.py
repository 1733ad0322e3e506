"""One date rule on screen: ``2026-11-28`` in tables and text alike (core/formats/zh_Hans).
Screenshots ``dates-personnel-file`` and ``dates-user-detail`` in test-artifacts/screenshots/."""

import re

import pytest

from tests.e2e.conftest import login
from tests.personnel.factories import onboarded, today
from tests.support.personas import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)

CHINESE_DATE = re.compile(r"\d{4}年\d{1,2}月\d{1,2}日")


def test_dates_show_one_way(page, org, shot):
    """A personnel file (dates of review, pledge, history) and an account page show numeric
    dates only — no 2026年11月28日 next to 2026-11-28 (PER-1, ORG-1)."""
    file = onboarded(org.security_officer, org.staff_work_secret)
    login(page, "security_officer", PASSWORD)
    page.wait_for_selector("text=退出")
    for url, name in [(f"/personnel/{file.pk}/", "dates-personnel-file"),
                      (f"/accounts/users/{org.staff_work_secret.pk}/", "dates-user-detail")]:  # fmt: skip
        page.goto(page.base_url + url)
        text = page.inner_text("main") if page.query_selector("main") else page.inner_text("body")
        shot(page, name)
        assert today().isoformat() in text, name
        assert not CHINESE_DATE.search(text), (name, CHINESE_DATE.findall(text))
