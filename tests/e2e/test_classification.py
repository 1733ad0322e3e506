"""Determination in a real browser (CLS-4, CLS-7, CLS-11, R-DET-2): the case handler proposes
with a guide suggestion, the authority approves from the queue, the scope sees the mark."""

import pytest

from baomi.classification import services
from baomi.core.levels import Level
from tests.e2e.conftest import login, pick
from tests.support.personas import PASSWORD, train_determiners

pytestmark = pytest.mark.django_db(transaction=True)


def test_handler_proposes_and_authority_approves(page, org, shot):
    train_determiners(org)  # R-DET-12: both have current 定密 training
    services.create_guide_entry(org.security_officer, code="BGS-01", title="党组会议纪要", level=Level.SECRET,
                                duration_kind="period", duration_value=10, duration_unit="year",
                                scope_note="党组成员", basis_ref="保密事项范围 第三条")  # fmt: skip
    login(page, "case_handler", PASSWORD)
    page.goto(page.base_url + "/classification/propose/")
    page.fill("input[name=title]", "2026年度重大项目布局会议纪要")
    page.fill("input[name=reference]", "办〔2026〕1号")
    page.select_option("select[name=guide_entry]", label="BGS-01 党组会议纪要")
    page.wait_for_selector("#suggest", state="visible")
    # The guide suggests level and period (CLS-11), never more than the entry says (R-DUR-4).
    assert page.input_value("select[name=level]") == Level.SECRET
    assert page.input_value("input[name=duration_value]") == "10"
    page.fill("input[name=period_start]", "2026-01-15")
    pick(page, "scope_users", "st", "staff_secret（staff_secret）")
    shot(page, "classification-propose")
    page.click("button:has-text('提交拟定密')")
    page.wait_for_selector("text=自即日起按拟定密级保护")
    assert "机密★10年" in page.inner_text(".mark-banner")
    shot(page, "classification-proposed")
    page.click("text=退出")

    login(page, "authority_secret", PASSWORD)
    page.goto(page.base_url + "/classification/queue/")
    page.click("text=2026年度重大项目布局会议纪要")
    shot(page, "classification-decide")
    page.fill("textarea[name=reason]", "同意按一览表定密")
    page.click("button[value=approve]")
    page.wait_for_selector("text=已批准")
    assert "已定密" in page.content()
    shot(page, "classification-determined")
    page.click("text=退出")

    login(page, "staff_secret", PASSWORD)
    page.goto(page.base_url + "/classification/notices/")
    assert "机密★10年" in page.content()
    page.click("button:has-text('确认收到')")
    page.wait_for_selector("text=已确认收到")
    shot(page, "classification-notices")


def test_demo_registry_screens(page, shot, settings):
    """The demo registry as the security office sees it: register, a lifted item with its
    cancelled mark and 「解密」 (R-MARK-7/8), disputes with deadlines, the annual review."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    from baomi.accounts import demo as accounts_demo
    from baomi.classification import demo
    from baomi.classification.models import Item
    from baomi.kit.demo import DEMO_PASSWORD

    accounts_demo.load()
    demo.load()
    login(page, "secofficer", DEMO_PASSWORD)
    page.goto(page.base_url + "/classification/")
    assert "绝密★20年" in page.content() and "内部" in page.content()
    shot(page, "classification-register")
    lifted = Item.objects.get(reference="办〔2025〕15号")
    page.goto(page.base_url + f"/classification/items/{lifted.pk}/")
    assert page.locator("s.mark-cancelled").first.inner_text() == "秘密★3年"
    assert page.locator(".mark-declassified").first.inner_text() == "解密"
    shot(page, "classification-lifted")
    page.goto(page.base_url + "/classification/matters/")
    assert page.locator("td.overdue").count() >= 1
    shot(page, "classification-matters")
    page.goto(page.base_url + "/classification/reviews/")
    page.click("text=年度定密事项审核")
    shot(page, "classification-review")
    page.goto(page.base_url + "/classification/guide/")
    shot(page, "classification-guide")

    page.click("text=退出")
    # The authority's start page lists what waits for them (OPS-1).
    login(page, "lina", DEMO_PASSWORD)
    page.goto(page.base_url + "/")
    assert "待您审批的定密申请" in page.content()
    shot(page, "classification-home-authority")
