"""The xlsx export of a register (SUP-4..8, SUP-12/13): a title line, who exported it and
when (the audit entry's number), then the table. Each app's ``export_*`` service writes the
audit entry first and passes its number here, so a sheet found on a desk leads back to the
export (same rule as the carrier ledgers, CAR-13)."""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font


def _plain(value: Any) -> Any:
    if value is None:
        return ""
    if hasattr(value, "text") and hasattr(value, "url"):  # a Cell
        value = value.text
    if isinstance(value, int | float):
        return value
    return str(value)


def xlsx_bytes(title: str, headers: Sequence[Any], rows: Iterable[Sequence[Any]], *, actor: Any,
               number: Any) -> bytes:  # fmt: skip
    """One sheet: the title, the exporter, time and export number, a header row, the rows."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = str(title)[:31]
    ws.append([str(title)])
    ws["A1"].font = Font(bold=True, size=14)
    who = getattr(actor, "full_name", "") or getattr(actor, "username", "")
    when = timezone.localtime().strftime("%Y-%m-%d %H:%M")
    ws.append(
        [_("Exported by {who} at {when}, export no. {number}").format(who=who, when=when, number=number)]
    )
    ws.append([str(h) for h in headers])
    for c in ws[3]:
        c.font = Font(bold=True)
    for row in rows:
        ws.append([_plain(v) for v in row])
    for i, _h in enumerate(headers, start=1):
        ws.column_dimensions[ws.cell(row=3, column=i).column_letter].width = 18
    buf = io.BytesIO()
    wb.save(buf)  # lint: allow (an openpyxl workbook, not a model)
    return buf.getvalue()
