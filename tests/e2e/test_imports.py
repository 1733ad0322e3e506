"""A background ledger import in a real browser (issue 19 §4): the run's page polls its JSON
status, shows the rows written on a progress bar, and shows the result once the run ends."""

from __future__ import annotations

import pytest

from baomi.imports import services
from baomi.imports.models import ImportRun
from tests.e2e.conftest import login
from tests.imports.test_items_import import row, workbook
from tests.support.personas import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_run_page_shows_progress_then_the_result(page, org, shot):
    run = services.queue_import(org.security_officer, "items", workbook([row("办〔2019〕12号")]), mode="all",
                                file_name="定密事项台账.xlsx")  # fmt: skip
    ImportRun.objects.filter(pk=run.pk).update(status="running")
    services.write_progress(run.pk, "writing", 40, 100)
    login(page, "security_officer", PASSWORD)
    page.goto(page.base_url + f"/imports/runs/{run.pk}/")
    page.wait_for_selector("[data-import-text]:has-text('40 / 100')")
    assert page.locator("progress").get_attribute("value") == "40"
    assert "正在写入" in page.locator("[data-import-text]").inner_text()
    shot(page, "imports-run-progress")

    ImportRun.objects.filter(pk=run.pk).update(status="queued")
    assert services.run_queued_imports() == [run.pk]
    page.wait_for_selector("text=已导入 1 条记录", timeout=20000)  # the page reloads itself
    shot(page, "imports-run-done")
