"""Statistics as xlsx (one sheet per table, header row frozen) and as CSV (OPS-3)."""

from __future__ import annotations

import csv
import io
import re
from typing import Any

from baomi.reports.statistics import Table

_SHEET_BAD = re.compile(r"[\[\]:*?/\\]")


def to_xlsx(tables: list[Table], *, heading: str) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    wb.remove(wb.active)  # type: ignore[arg-type]
    used: set[str] = set()
    for table in tables:
        name = _SHEET_BAD.sub(" ", table.title)[:31] or table.key[:31]
        while name in used:
            name = name[:28] + f"_{len(used)}"
        used.add(name)
        ws = wb.create_sheet(name)
        ws.append(table.headers)
        for cell in ws[1]:
            cell.font = Font(bold=True)
        for row in table.rows:
            ws.append([c.value for c in row])
        ws.freeze_panes = "B2"  # the header row and the label column stay in view
        ws.column_dimensions["A"].width = 22
    wb.properties.title = heading
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def to_csv(tables: list[Table], *, heading: str) -> bytes:
    """One file: for each table its title on a line, its header and rows, then a blank line.
    UTF-8 with a byte-order mark so spreadsheet programs read the Chinese."""
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow([heading])
    w.writerow([])
    for table in tables:
        w.writerow([table.title])
        w.writerow(table.headers)
        for row in table.rows:
            w.writerow([_plain(c.value) for c in row])
        w.writerow([])
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def _plain(value: Any) -> Any:
    # A label starting with = + - @ would be a formula in a spreadsheet (CSV injection).
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value
