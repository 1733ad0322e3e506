"""Reading a ledger spreadsheet and writing its template and error report (xlsx, openpyxl).

The first row holds the column headers (the template's Chinese headers; their order does not
matter, unknown columns are ignored); every later row that is not empty is one record. What a
spreadsheet can get wrong is caught here, row by row, before any service sees it:

- a merged cell in the data (what it shows on several rows is stored on one): every row it
  touches is refused — unmerge and fill each row;
- a cell longer than :data:`MAX_CELL` characters;
- a missing required value.

Limits: :data:`MAX_BYTES` per file, :data:`MAX_ROWS` records. The report repeats each refused
row's values (cut to :data:`REPORT_CELL` characters) with its spreadsheet row number and the
reason.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, BinaryIO

from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from baomi.core.errors import ValidationFailed

MAX_BYTES = 20 * 1024 * 1024
MAX_ROWS = 50_000
MAX_CELL = 2_000
REPORT_CELL = 200


@dataclass(frozen=True)
class Column:
    """One column of a ledger: its header (translated), the field it fills, and a hint shown
    in the template under the header."""

    header: Any
    field: str
    required: bool = False
    hint: Any = ""


@dataclass
class SheetRow:
    """One record of the spreadsheet: its row number, its cells by field, what is wrong with
    it (Chinese reasons), and what the ledger resolved it to."""

    number: int
    values: dict[str, Any]
    errors: list[str] = field(default_factory=list)
    target: Any = None
    denied: Any = None  # the AccessDenied of a row the policy refused (audited by the import)

    @property
    def ok(self) -> bool:
        return not self.errors

    def text(self, name: str) -> str:
        """A cell as text: numbers without a trailing .0, dates as YYYY-MM-DD, stripped."""
        value = self.values.get(name)
        if value is None:
            return ""
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if isinstance(value, dt.datetime):
            value = value.date()
        if isinstance(value, dt.date):
            return value.isoformat()
        return str(value).strip()


def _load(data: bytes | BinaryIO) -> Any:
    from openpyxl import load_workbook

    raw = data if isinstance(data, bytes) else data.read(MAX_BYTES + 1)
    if len(raw) > MAX_BYTES:
        raise ValidationFailed(
            _("The file is larger than {size} MB.").format(size=MAX_BYTES // (1024 * 1024))
        )
    try:
        return load_workbook(io.BytesIO(raw), data_only=True)
    except Exception:  # openpyxl raises many kinds of errors for a file that is not xlsx
        raise ValidationFailed(_("This is not an Excel workbook (.xlsx).")) from None


def _header_key(value: Any) -> str:
    return re.sub(r"[\s*＊]", "", str(value or ""))


def read(data: bytes | BinaryIO, columns: Sequence[Column]) -> list[SheetRow]:
    """The records of the first worksheet, each checked for the sheet's own faults."""
    sheet = _load(data).worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    header = next(rows, None)
    if header is None:
        raise ValidationFailed(_("The worksheet is empty."))
    wanted = {_header_key(c.header): c for c in columns}
    position: dict[str, int] = {}
    for index, value in enumerate(header):
        column = wanted.get(_header_key(value))
        if column is not None:
            position[column.field] = index
    missing = [str(c.header) for c in columns if c.required and c.field not in position]
    if missing:
        raise ValidationFailed(
            _("Required columns are missing: {columns}. Use the template.").format(columns="、".join(missing))
        )
    merged: dict[int, list[str]] = {}
    for cells in sheet.merged_cells.ranges:
        if cells.max_row < 2:
            continue  # merged headers are harmless
        for number in range(max(cells.min_row, 2), cells.max_row + 1):
            merged.setdefault(number, []).append(cells.coord)
    records: list[SheetRow] = []
    required = [c for c in columns if c.required]
    for number, cells in enumerate(rows, start=2):
        values = {name: cells[i] if i < len(cells) else None for name, i in position.items()}
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in values.values()):
            continue
        if len(records) >= MAX_ROWS:
            raise ValidationFailed(_("More than {rows} records: split the file.").format(rows=MAX_ROWS))
        row = SheetRow(number, values)
        if number in merged:
            row.errors.append(
                _("Merged cells ({cells}): unmerge them and fill in every row.").format(
                    cells=", ".join(merged[number])
                )
            )
        for column in columns:
            value = values.get(column.field)
            if isinstance(value, str) and len(value) > MAX_CELL:
                row.errors.append(
                    _("{column}: {length} characters, at most {max}.").format(
                        column=column.header, length=len(value), max=MAX_CELL
                    )
                )
                values[column.field] = value[:REPORT_CELL]
        for column in required:
            if not row.text(column.field) and not row.errors:
                row.errors.append(_("{column}: required.").format(column=column.header))
        records.append(row)
    return records


def _workbook(columns: Sequence[Column], extra: Iterable[Any] = ()) -> tuple[Any, Any]:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    headers = [str(c.header) for c in columns] + [str(h) for h in extra]
    sheet.append(headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for index, header in enumerate(headers, start=1):
        sheet.column_dimensions[sheet.cell(1, index).column_letter].width = max(12, len(header) * 2 + 4)
    sheet.freeze_panes = "A2"
    return book, sheet


def _save(book: Any) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def template(columns: Sequence[Column], title: Any) -> bytes:
    """An empty ledger with the Chinese headers (required ones marked *) and a hint sheet."""
    from openpyxl.comments import Comment

    book, sheet = _workbook(columns)
    sheet.title = str(title)[:31]
    for index, column in enumerate(columns, start=1):
        cell = sheet.cell(1, index)
        if column.required:
            cell.value = f"{column.header}*"
        if column.hint:
            cell.comment = Comment(str(column.hint), "baomi")
    notes = book.create_sheet(str(pgettext_lazy("ledger import", "Notes")))
    notes.append(
        [
            str(pgettext_lazy("ledger import", "Column")),
            str(pgettext_lazy("ledger import", "Required")),
            str(pgettext_lazy("ledger import", "How to fill it")),
        ]
    )
    for column in columns:
        notes.append([str(column.header), "✓" if column.required else "", str(column.hint)])
    notes.column_dimensions["A"].width = 16
    notes.column_dimensions["C"].width = 80
    return _save(book)


def report(columns: Sequence[Column], rows: Iterable[SheetRow]) -> bytes:
    """The refused rows with their values, their spreadsheet row number and the reason."""
    book, sheet = _workbook(
        columns, [pgettext_lazy("ledger import", "Row"), pgettext_lazy("ledger import", "Reason")]
    )
    sheet.title = str(pgettext_lazy("ledger import", "Refused rows"))
    for row in rows:
        if row.ok:
            continue
        cells = [row.text(c.field)[:REPORT_CELL] for c in columns]
        sheet.append([*cells, row.number, "；".join(row.errors)])
    sheet.column_dimensions[sheet.cell(1, len(columns) + 2).column_letter].width = 60
    return _save(book)
