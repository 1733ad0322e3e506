"""Importing a ledger an office already keeps (issue 19): read, resolve, check every row
through the services a hand entry uses, then write all rows or none — or, when the officer
chooses, the rows that pass — and report each refused row with its reason.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from baomi.access import policy
from baomi.audit.events import AuditEvent
from baomi.audit.record import record
from baomi.imports import sheets
from baomi.imports.events import ImportEvent
from baomi.imports.ledgers import Ledger, Progress, ledger
from baomi.kit.service import internal, service


@dataclass
class ImportResult:
    """What an import did: every row (with its reasons), how many records were made."""

    kind: str
    rows: list[sheets.SheetRow]
    imported: int
    dry_run: bool
    valid_only: bool

    @property
    def refused(self) -> list[sheets.SheetRow]:
        return [r for r in self.rows if not r.ok]

    @property
    def committed(self) -> bool:
        return self.imported > 0

    def report(self) -> bytes:
        """The error report: the refused rows with a reason column (xlsx)."""
        return sheets.report(ledger(self.kind).columns, self.rows)


@internal
def template(kind: str) -> bytes:
    """The empty ledger with its Chinese headers, to fill in and upload. Writes nothing; no
    policy (the template holds no data)."""
    spec = ledger(kind)
    return sheets.template(spec.columns, spec.title)


@internal
def read(kind: str, data: Any) -> list[sheets.SheetRow]:
    """The records of an uploaded spreadsheet, each already checked for the sheet's faults.
    Reads the file only; :func:`import_ledger` checks the policy."""
    return sheets.read(data, ledger(kind).columns)


@service
def import_ledger(
    actor: Any, kind: str, rows: list[sheets.SheetRow], *, dry_run: bool = False, valid_only: bool = False,
    source: bytes = b"", progress: Progress | None = None,
) -> ImportResult:  # fmt: skip
    """Import the rows of a ledger (carriers, items, personnel).

    Every row is resolved as the hand-entry form would (items the actor may register, active
    accounts, departments) and held to the services' own rules; nothing is written unless every
    row passes, or ``valid_only`` is chosen (then the rows that pass are written and the others
    reported). ``dry_run`` only checks. Rows are written by the ledger's services, which audit
    each record (and a carriers batch takes its numbers in one step).

    *Requires* the ledger's hand-entry action (``carriers.register``,
    ``record_existing_determination``, ``manage_personnel``).
    *Audits* LEDGER_IMPORTED (counts and the file's sha256; outcome ``failed`` when nothing was
    imported), and ACCESS_DENIED for each row the policy refused. A dry run audits only refusals.
    """
    spec: Ledger = ledger(kind)
    policy.require(actor, spec.action)
    spec.resolve(actor, rows)
    spec.check(actor, rows)
    ready = [r for r in rows if r.ok]
    imported = 0
    if not dry_run and ready and (valid_only or len(ready) == len(rows)):
        imported = spec.apply(actor, ready, progress)
    for row in rows:
        if row.denied is not None:
            exc = row.denied
            record(actor, AuditEvent.ACCESS_DENIED, exc.target, outcome="denied",
                   details={"action": exc.action, "service": "import_ledger", "reason": exc.reason,
                            "row": row.number})  # fmt: skip
    if not dry_run:
        record(actor, ImportEvent.LEDGER_IMPORTED, None, outcome="ok" if imported else "failed",
               details={"ledger": kind, "rows": len(rows), "imported": imported,
                        "refused": len(rows) - len(ready), "valid_only": valid_only,
                        "file_sha256": hashlib.sha256(source).hexdigest() if source else ""})  # fmt: skip
    return ImportResult(kind, rows, imported, dry_run, valid_only)
