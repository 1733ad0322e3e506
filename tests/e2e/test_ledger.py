"""The ledger in a real browser (CAR-12, CAR-13): tabs, filters, Chinese search, marks on every
row, keyset paging and an export download."""

from __future__ import annotations

import io
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from tests.carriers.ledger_factories import make_carrier, make_item
from tests.e2e.conftest import login
from tests.support.personas import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)

TITLES = ["2026年度财务预算编制方案", "保密工作会议纪要", "信息系统安全检查情况通报", "关于设备采购事宜的函",
          "涉密人员培训计划", "网络安全应急预案"]  # fmt: skip
PLACES = ["保密室A柜", "机要室", "档案室3号柜"]


@pytest.fixture
def registry(org):
    start = timezone.now() - timedelta(days=20)
    items = [
        make_item(org, lv, "OFFICE", "事项") for lv in ("internal", "confidential", "secret", "top_secret")
    ]
    holders = [org.staff_secret, org.case_handler, org.dept_head, org.staff_other_dept]
    made = []
    for i in range(64):
        c = make_carrier(org, items[i % 4], holders[i % 4], title=TITLES[i % len(TITLES)],
                         kind=["paper", "electronic", "medium"][i % 3], at=start + timedelta(hours=7 * i),
                         status="on_loan" if i % 9 == 0 else "registered")  # fmt: skip
        c.storage_place = PLACES[i % 3]
        c.save(update_fields=["storage_place"])
        made.append(c)
    return made


def test_ledger_filters_search_pages_and_export(page, org, registry, shot):
    """The security officer filters by level, searches 预算, pages with the cursor and exports
    the filtered ledger to Excel with marks (CAR-12, CAR-13)."""
    login(page, "security_officer", PASSWORD)
    page.goto(page.base_url + "/carriers/ledger/")
    page.wait_for_selector("h1:has-text('涉密载体台账')")
    assert page.locator("table.ledger-table tbody tr").count() == 50
    assert page.locator("[data-testid=ledger-count]").inner_text().strip().startswith("共 64")
    shot(page, "ledger-unit")

    page.click("text=下一页")
    page.wait_for_url("**cursor=**")
    assert page.locator("table.ledger-table tbody tr").count() == 14

    page.goto(page.base_url + "/carriers/ledger/")
    page.select_option("select[name=level]", "secret")
    page.fill("input[name=q]", "预算")
    page.click("button:has-text('筛选')")
    page.wait_for_url("**q=**")
    rows = page.locator("table.ledger-table tbody tr")
    assert rows.count() >= 1
    for i in range(rows.count()):
        assert "预算" in rows.nth(i).inner_text() and "机密" in rows.nth(i).inner_text()
    shot(page, "ledger-filtered")

    with page.expect_download() as info:
        page.click("button:has-text('导出 Excel')")
    ws = load_workbook(io.BytesIO(Path(info.value.path()).read_bytes())).active
    assert ws["A2"].value.startswith("机密")
    body = [r for r in ws.iter_rows(min_row=7, values_only=True) if r[0]]
    assert body and all(r[0].startswith("机密") and "预算" in r[3] for r in body)


def test_staff_sees_only_their_ledger_rows(page, org, registry, shot):
    """A staff member's ledgers show what they hold or may know, never above their clearance;
    the personal tab lists their custody (CAR-3, CAR-12)."""
    login(page, "staff_confidential", PASSWORD)
    page.goto(page.base_url + "/carriers/ledger/?scope=unit")
    page.wait_for_selector("h1:has-text('涉密载体台账')")
    assert "没有符合筛选条件的载体" in page.content()
    page.context.clear_cookies()
    login(page, "staff_secret", PASSWORD)
    page.wait_for_selector("text=退出")
    page.goto(page.base_url + "/carriers/ledger/?scope=personal")
    page.wait_for_selector("main >> text=个人台账")
    marks = page.locator("table.ledger-table .row-mark").all_inner_texts()
    assert len(marks) == 16 and set(marks) == {
        "内部（非涉密）"
    }  # staff_secret holds the internal (non-secret) copies
    shot(page, "ledger-personal")
