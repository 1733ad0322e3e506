"""Every export goes through one audited service (issue 12 §4, SEC-3, R-MARK-5).

Whatever leaves the system as a file — a ledger or register as xlsx, csv or pdf, a list, a
report — is issued by :func:`issue_export` before the file is built, in the same transaction:
it takes the document's own 份号 from its per-document sequence (``core.ExportSequence``, not
the audit entry id), and writes one audit entry with who, which document, which filter, how
many rows, the format and the number. The file then prints the number (and the watermark text
this returns), so a copy found on a desk leads back to the entry.

    ticket = issue_export(actor, AuditEvent.LEDGER_EXPORTED, target, document="carriers.ledger",
                          filters=flt.as_details(), rows=len(rows), fmt="xlsx")
    build_xlsx(rows, number=ticket.number, watermark=ticket.watermark)

Each document keeps its app's event code (so the monitoring rules keep seeing them); the
entry's details always hold ``document``, ``number``, ``format``, ``rows`` and ``filters``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from baomi.audit.record import record
from baomi.core.models import ExportSequence
from baomi.kit.service import service

NUMBER_WIDTH = 6


@dataclass(frozen=True)
class ExportTicket:
    """What an issued export carries: its 份号, when, who, and the watermark line."""

    document: str
    number: str
    time: datetime
    entry_id: int
    watermark: str


@service
def issue_export(
    actor: Any, event: int, target: Any = None, *, document: str, fmt: str, rows: int,
    filters: dict[str, Any] | None = None, details: dict[str, Any] | None = None,
) -> ExportTicket:  # fmt: skip
    """Issue one export of ``document`` (a stable name, e.g. ``"carriers.ledger"``): take its
    next 份号 and audit ``event`` on ``target`` with who, the filter, the row count, the format
    and the number. The caller has checked the policy for what it exports (the rows come from
    its selectors). *Audits* ``event``."""
    number = f"{ExportSequence.take(document):0{NUMBER_WIDTH}d}"
    entry = record(
        actor,
        event,
        target,
        details={"document": document, "number": number, "format": fmt, "rows": rows,
                 "filters": filters or {}, **(details or {})},
    )  # fmt: skip
    stamp = timezone.localtime(entry.time).strftime("%Y-%m-%d %H:%M:%S")
    who = f"{actor.get_short_name()}（{actor.get_username()}）" if actor is not None else ""
    watermark = _("Exported by %(who)s at %(time)s · export %(number)s") % {"who": who, "time": stamp,
                                                                              "number": number}  # fmt: skip
    return ExportTicket(document, number, entry.time, entry.pk, watermark)
