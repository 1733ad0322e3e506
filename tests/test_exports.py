"""Every export goes through one audited service (issue 12 §4, SEC-3, R-MARK-5): who, which
document, which filter, how many rows, and the document's own 份号 from a per-document
sequence — not the audit entry id."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from django.http import QueryDict
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from baomi.audit.events import AuditEvent
from baomi.audit.models import AuditEntry
from baomi.carriers.exports import export_ledger
from tests.carriers.factories import make_carrier
from tests.support.assertions import assert_audited, last_audit_id

SRC = Path(__file__).resolve().parents[1] / "src" / "baomi"
# Modules that write a file but are not exports of the system's records, or whose caller
# issues the export (named): each with its reason.
NOT_EXPORTS = {
    "carriers/demo.py": "demo content uploaded into the vault, not an export",
    "carriers/watermark.py": "the watermarked reading view of a carrier's own content (CONTENT_VIEWED)",
    "imports/sheets.py": "the blank import template and the report on the user's own uploaded rows",
    "audit/export.py": "built for audit/views.entry_export, issued by audit.services.exported",
    "reports/exports.py": "built for reports.services.export_statistics, which issues it",
    "reports/documents.py": "built for reports.services.export_annual_report, which issues it",
    "registers/exports.py": "built for each register's export service, which issues it (devices.services)",
}
WRITES_A_FILE = re.compile(r"Workbook\(|csv\.writer\(|canvas\.Canvas\(|Document\(\)")


def client_for(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_every_module_that_writes_a_file_issues_it_through_the_one_service():
    """Issue 12 §4: a module that builds an xlsx, csv or pdf calls ``issue_export`` (or is
    listed above with the reason it is not an export of records)."""
    writers = sorted(
        str(p.relative_to(SRC))
        for p in SRC.rglob("*.py")
        if WRITES_A_FILE.search(p.read_text(encoding="utf-8"))
    )
    unissued = [
        w for w in writers if w not in NOT_EXPORTS and "issue_export(" not in (SRC / w).read_text("utf-8")
    ]
    assert unissued == []
    assert {w for w in NOT_EXPORTS if w in writers} == set(NOT_EXPORTS)  # no stale exemptions


@pytest.mark.django_db
def test_the_three_unaudited_exports_are_audited_with_filter_rows_and_number(org):
    """Issue 12 §4: the item register xlsx, the user CSV and the personnel CSV are audited —
    who, which filter, how many rows — and carry their own 份号 on line 1."""
    officer = client_for(org.security_officer)
    since = last_audit_id()
    r = officer.get(reverse("classification:items"), {"export": "xlsx", "level": "secret"})
    entry = assert_audited(AuditEvent.ITEM_REGISTER_EXPORTED, actor=org.security_officer, since=since)
    assert entry.details["document"] == "classification.items" and entry.details["filters"] == {
        "level": "secret"
    }
    ws = load_workbook(io.BytesIO(r.content)).active
    assert ws["A1"].value == entry.details["number"] == "000001"
    assert entry.details["rows"] == ws.max_row - 2

    r = officer.get(reverse("accounts:users"), {"export": "csv", "state": "disabled"})
    entry = assert_audited(AuditEvent.USERS_EXPORTED, actor=org.security_officer, since=since)
    body = r.content.decode("utf-8-sig").splitlines()
    assert body[0].startswith(f"份号,{entry.details['number']},")
    assert entry.details["filters"] == {"state": "disabled"} and entry.details["rows"] == len(body) - 2

    r = officer.get(reverse("personnel:list") + "?export=csv&category=important")
    entry = assert_audited(AuditEvent.PERSONNEL_LIST_EXPORTED, actor=org.security_officer, since=since)
    assert entry.details["filters"] == {"category": "important"} and entry.details["format"] == "csv"
    assert r.content.decode("utf-8-sig").splitlines()[0].startswith(f"份号,{entry.details['number']},")


@pytest.mark.django_db
def test_each_document_has_its_own_sequence_not_the_audit_id(org):
    """R-MARK-5, issue 12 §4: ledger exports are numbered 000001, 000002 … whatever else was
    exported or audited in between; the number is recorded in the entry, not taken from it."""
    make_carrier(org)
    first = export_ledger(org.security_officer, QueryDict("scope=unit"), "xlsx")
    client_for(org.security_officer).get(reverse("classification:items"), {"export": "xlsx"})
    second = export_ledger(org.security_officer, QueryDict("scope=unit"), "pdf")
    assert (first.number, second.number) == ("000001", "000002")
    entries = AuditEntry.objects.filter(event=AuditEvent.LEDGER_EXPORTED).order_by("id")
    assert [e.details["number"] for e in entries] == ["000001", "000002"]
    assert entries.last().pk != 2 and entries.last().details["document"] == "carriers.ledger"
