"""The Content-Security-Policy in a real browser (issue 11 §6): with scripts allowed only from
this server's files, the filters still submit on change (app.js, ``data-autosubmit``), and the
API browsers (Swagger UI, ReDoc) render — the browser reports no CSP violation on the way."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import SHOTS, login
from tests.support.personas import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


def _shots():
    SHOTS.mkdir(parents=True, exist_ok=True)
    return SHOTS  # the viewport only: the API pages are too long for a full-page shot


def test_filters_and_api_browsers_work_under_the_policy(page, org):
    violations: list[str] = []
    page.on(
        "console",
        lambda m: violations.append(page.url + " " + m.text[:200])
        if "Content Security Policy" in m.text
        else None,
    )
    login(page, "security_officer", PASSWORD)
    page.wait_for_selector("text=退出")
    page.goto(page.base_url + "/governance/regulations/")
    page.select_option("select[name=status]", "all")
    page.wait_for_url("**/governance/regulations/?status=all")
    page.goto(page.base_url + "/personnel/travel/")
    page.select_option("select[name=status]", index=1)
    page.wait_for_url("**/personnel/travel/?status=*")
    page.goto(page.base_url + "/api/docs/")
    page.wait_for_selector(".swagger-ui .opblock", timeout=30000)
    page.screenshot(path=str(_shots() / "csp-swagger.png"))
    page.goto(page.base_url + "/api/redoc/")
    page.wait_for_selector("redoc h1", timeout=90000)  # ReDoc parses the whole schema: slow under load
    page.screenshot(path=str(_shots() / "csp-redoc.png"))
    assert not violations, violations
