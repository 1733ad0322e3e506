"""Publication review in a real browser (SUP-3, R-PUB-1..4): submit → screened → reviewed →
published, with a hit beyond the department head's clearance that never shows its title; and a
refused publication. Screenshots in test-artifacts/screenshots/."""

from __future__ import annotations

import re

import pytest

from baomi.publication import registry
from tests.e2e.conftest import login
from tests.publication.factories import make_item
from tests.support.personas import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)
HIDDEN = "与一项超出您知悉范围的涉密事项相符，请提交保密办"


@pytest.fixture(autouse=True)
def _fresh_matcher():
    registry.forget()
    yield
    registry.forget()


def as_user(browser, live_server, username):
    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="en-US")
    p = context.new_page()
    p.set_default_timeout(15000)
    p.base_url = live_server.url
    login(p, username, PASSWORD)
    p.wait_for_selector("text=退出")
    return p


def submit(p, subject, text):
    p.goto(p.base_url + "/publication/new/")
    p.fill("input[name=title]", subject)
    p.select_option("select[name=channel]", "website")
    p.fill("textarea[name=text]", text)
    p.click("button:has-text('提交审查')")
    p.wait_for_selector("text=已提交，等待保密审查")
    return p.url


def test_submit_screen_review_publish(browser, live_server, org, shot):
    top = make_item(org, "top_secret", title="关于某绝密工程总体部署的报告", points="", reference="")
    submitter = as_user(browser, live_server, "staff_confidential")
    url = submit(submitter, "2026年一季度工作情况", f"一季度工作情况如下。{top.title}的有关内容已落实。")
    assert "信息公开保密审查正在进行" in submitter.content() and "与台账比对" not in submitter.content()
    shot(submitter, "publication-submitted")

    head = as_user(browser, live_server, "dept_head")
    head.goto(url)
    panel = head.locator("#hits").inner_text()
    assert HIDDEN in panel and "绝密" not in panel
    shot(head, "publication-hidden-hit")
    head.fill("form[action$='/forward/'] textarea[name=reasons]", "本部门审查同意，报保密办审定。")
    head.click("button:has-text('同意并报保密办')")
    head.wait_for_selector("text=已同意并报保密办")

    officer = as_user(browser, live_server, "security_officer")
    officer.goto(url)
    assert top.title in officer.locator("#hits").inner_text()
    officer.fill("form[action$='/approve/'] textarea[name=reasons]", "同意公开。")
    officer.click("form[action$='/approve/'] button.primary")
    officer.wait_for_selector("text=国家秘密不得公开")
    officer.fill("form[action$='/approve/'] textarea[name=reasons]", "删除涉密内容后同意公开。")
    officer.fill(
        "form[action$='/approve/'] textarea[name=redacted_text]", "一季度工作情况如下。有关工作已落实。"
    )
    officer.click("button:has-text('删节后同意公开')")
    officer.wait_for_selector("text=删节版本已固定")
    shot(officer, "publication-approved")

    submitter.goto(url)
    digest = re.search(r"[0-9a-f]{64}", submitter.locator("#version p.digest").inner_text()).group(0)
    submitter.fill("form[action$='/publish/'] input[name=where]", "门户网站/政务公开")
    submitter.fill("form[action$='/publish/'] input[name=digest]", "0" * 64)
    submitter.click("form[action$='/publish/'] button[type=submit]")
    submitter.wait_for_selector("text=摘要值不一致")
    submitter.fill("form[action$='/publish/'] input[name=where]", "门户网站/政务公开")
    submitter.fill("form[action$='/publish/'] input[name=digest]", digest)
    submitter.click("form[action$='/publish/'] button[type=submit]")
    submitter.wait_for_selector("text=发布情况已登记")
    assert submitter.locator("#status").inner_text() == "已发布"
    shot(submitter, "publication-published")


def test_a_refused_publication(browser, live_server, org, shot):
    submitter = as_user(browser, live_server, "staff_confidential")
    url = submit(submitter, "某项目过程性材料", "某项目的讨论稿，尚在研究中。")
    head = as_user(browser, live_server, "dept_head")
    head.goto(url)
    head.fill("form[action$='/forward/'] textarea[name=reasons]", "属于过程性信息。")
    head.select_option("form[action$='/forward/'] select[name=ground]", "internal")
    head.click("button:has-text('不同意公开')")
    head.wait_for_selector("text=该信息不予公开")
    submitter.goto(url)
    assert submitter.locator("#status").inner_text() == "不予公开"
    assert "属于过程性信息" in submitter.content() and "登记发布" not in submitter.content()
    shot(submitter, "publication-refused")
