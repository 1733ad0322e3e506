"""Sheet names and marks of every xlsx (issue 13, CLS-5, CLS-7, R-MARK-5)."""

from __future__ import annotations

import io

from openpyxl import Workbook, load_workbook

from baomi.kit import sheets


def test_sheet_names_are_what_excel_accepts_and_unique():
    used: set[str] = set()
    assert sheets.sheet_name("台账/明细[2026]:*?", used) == "台账 明细 2026"
    assert sheets.sheet_name("台账/明细[2026]:*?", used) == "台账 明细 2026(2)"
    assert len(sheets.sheet_name("很" * 40)) == 31


def test_the_mark_of_a_list_is_its_highest_level_and_longest_period():
    assert (
        sheets.export_mark([("secret", "机密★5年"), ("secret", "机密★长期"), ("confidential", "秘密★10年")])
        == "机密★长期"
    )
    assert sheets.export_mark([("work_secret", "内部"), ("public", "")]) == "内部"
    assert sheets.export_mark([]) == "内部"


def test_the_mark_goes_into_the_printed_header():
    wb = Workbook()
    sheets.mark_sheet(wb.active, "机密★10年", number="000042", watermark="李娜 2026-12-06 10:00")
    buf = io.BytesIO()
    wb.save(buf)
    ws = load_workbook(io.BytesIO(buf.getvalue())).active
    assert (
        ws.oddHeader.left.text == "000042\n机密★10年" and ws.oddFooter.center.text == "李娜 2026-12-06 10:00"
    )
