"""Governance records in a real browser (ORG-2, SUP-10): the security officer loads the nine
regulation templates, issues and records a responsibility statement, and the overview lists the
departments still without one. Screenshots in test-artifacts/screenshots/."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import login, pick
from tests.support.personas import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


def test_templates_statement_and_overview(page, org, shot):
    login(page, "security_officer", PASSWORD)
    page.wait_for_selector("text=退出")
    page.goto(page.base_url + "/governance/regulations/")
    pick(page, "approved_by", "un", "unit_head（unit_head）", within="form[action$='/templates/']")
    page.click("form[action$='/templates/'] button[type=submit]")
    page.wait_for_selector("text=保密制度模板已导入")
    assert page.locator("table.data tbody tr").count() == 9
    shot(page, "governance-regulations")
    page.goto(page.base_url + "/governance/statements/")
    pick(page, "department", "办公", "本单位 / 办公室")
    page.click("button:has-text('印发')")
    page.wait_for_selector("text=责任书已印发")
    page.click(f"#board >> text={org.departments['OFFICE'].name}")
    page.click("form[action$='/sign/department/'] button[type=submit]")
    page.wait_for_selector("text=签订情况已登记")
    pick(page, "signatory", "un", "unit_head（unit_head）")
    page.click("form[action$='/sign/unit/'] button[type=submit]")
    page.wait_for_selector("#status:has-text('已签订')")
    page.goto(page.base_url + "/governance/")
    missing = page.locator("#missing").inner_text()
    assert org.departments["FIN"].name in missing and org.departments["OFFICE"].name not in missing
    assert "1 / 4" in page.locator("#fig-statements").inner_text()
    shot(page, "governance-overview")
