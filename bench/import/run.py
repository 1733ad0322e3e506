"""Import benchmark (issue 19): a carrier ledger of 10,000 rows imported from an xlsx file,
against registering the same rows one by one through ``register_carrier`` in the same run.

    .venv/bin/python bench/import/run.py                      # PostgreSQL (local socket)
    BAOMI_BENCH_IMPORT_SQLITE=1 .venv/bin/python bench/import/run.py
    BAOMI_BENCH_ROWS=2000 .venv/bin/python bench/import/run.py

A fresh database (PostgreSQL ``baomi_bench_import``, dropped and created; or a temporary SQLite
file) with a department, the security officer, a custodian and 40 live items. The same N rows
(item, kind, custodian, storage place, date made, pages) are registered twice: one by one —
one ``register_carrier`` call and transaction per row, as a hand entry does — and as an
import — the spreadsheet read, every row resolved and checked, and the batch registered by
``import_ledger`` (``register_carriers``). Afterwards: every carrier has its audit entry, the
numbers are unique and gapless per series, 份号 unique per item. The last line is one JSON
object: rows per second of both, the speed-up, the checks.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import random
import sys
import tempfile
import time
from typing import Any

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))  # bench/fixtures.py
ROWS = int(os.environ.get("BAOMI_BENCH_ROWS", "10000"))
SQLITE = os.environ.get("BAOMI_BENCH_IMPORT_SQLITE") == "1"
DB = os.environ.get("BAOMI_BENCH_IMPORT_DB", "baomi_bench_import")
HOST = os.environ.get("BAOMI_BENCH_PGHOST", "/var/run/postgresql")
ITEMS = 40
BENCH_PASSWORD = os.environ.get("BAOMI_BENCH_PASSWORD", "Bench@Pass2026")  # a throw-away database
_tmp = tempfile.mkdtemp(prefix="baomi-bench-import-")
os.environ["BAOMI_DATABASE_URL"] = (
    f"sqlite:///{_tmp}/bench.sqlite3" if SQLITE else f"postgresql:///{DB}?host={HOST}"
)
os.environ.setdefault("BAOMI_DATA_DIR", os.path.join(_tmp, "data"))
os.environ.setdefault("BAOMI_KEY_DIR", os.path.join(_tmp, "keys"))
os.environ.pop("BAOMI_TEST_DB", None)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "baomi.settings")


def ensure_database() -> None:
    if SQLITE:
        return
    import psycopg

    with psycopg.connect(f"dbname=postgres host={HOST}", autocommit=True) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DB]).fetchone():
            conn.execute(f'DROP DATABASE "{DB}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{DB}"')


def setup() -> tuple[Any, Any, list[Any]]:
    from fixtures import bind_items, hold_clearances

    from baomi.accounts import services as accounts
    from baomi.accounts.choices import Role
    from baomi.classification.models import Item

    dept = accounts.create_department(None, name="保密办", code="SEC", bootstrap=True)
    officer = accounts.create_user(None, username="officer", full_name="保密员", password=BENCH_PASSWORD,
                                   department=dept, bootstrap=True)  # fmt: skip
    accounts.assign_role(None, officer, Role.SECURITY_OFFICER, bootstrap=True)
    accounts.set_clearance(None, officer, "top_secret", bootstrap=True)
    keeper = accounts.create_user(None, username="keeper", full_name="责任人", password=BENCH_PASSWORD,
                                  department=dept, bootstrap=True)  # fmt: skip
    accounts.set_clearance(None, keeper, "secret", bootstrap=True)
    items = [
        Item.objects.create(
            title=f"基准测试事项{i}", reference=f"基准〔2019〕{i}号", level="confidential" if i % 3 else "secret",
            status="determined", duration_kind="period", duration_value=10, duration_unit="year", department=dept,
            proposed_by=officer,
        )
        for i in range(ITEMS)
    ]  # fmt: skip
    bind_items(items)  # bench/fixtures.py: as the services would have
    hold_clearances([officer, keeper])
    return officer, keeper, items


def ledger_rows(items: list[Any]) -> list[dict[str, Any]]:
    rng = random.Random(19)
    rows = []
    for n in range(ROWS):
        item = rng.choice(items)
        rows.append({"item": item, "kind": rng.choice(["paper", "electronic"]), "place": f"保密柜{n % 30:02d}",
                     "made_on": dt.date(2015 + n % 8, 1 + n % 12, 1 + n % 28), "pages": 1 + n % 40,
                     "number": f"{n:05d}"})  # fmt: skip
    return rows


def workbook(rows: list[dict[str, Any]]) -> bytes:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(["原编号", "原份号", "定密事项", "载体类型", "责任人", "存放地点", "制作日期", "页数"])
    kinds = {"paper": "纸质文件", "electronic": "电子文件"}
    for r in rows:
        sheet.append([f"I-{r['number']}", "1", r["item"].reference, kinds[r["kind"]], "keeper", r["place"],
                      r["made_on"], r["pages"]])  # fmt: skip
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def check() -> dict[str, Any]:
    from django.db.models import Count, Max

    from baomi.audit.events import AuditEvent
    from baomi.audit.models import AuditEntry
    from baomi.carriers.models import Carrier, RegistrySequence

    rows = Carrier.objects.count()
    duplicates = rows - Carrier.objects.values("registry_number").distinct().count()
    gaps = 0
    for seq in RegistrySequence.objects.all():
        got = Carrier.objects.filter(year=seq.year, kind=seq.kind)
        count, top = got.count(), got.aggregate(m=Max("sequence"))["m"] or 0
        gaps += abs(seq.last - count) + abs(top - seq.last)
    copies = Carrier.objects.values("item_id", "copy_number").annotate(n=Count("id")).filter(n__gt=1).count()
    audited = AuditEntry.objects.filter(event=int(AuditEvent.CARRIER_REGISTERED)).count()
    return {"carriers": rows, "duplicate_numbers": duplicates, "skipped_numbers": gaps,
            "duplicate_copy_numbers": copies, "audit_entries": audited}  # fmt: skip


def main() -> int:
    ensure_database()
    import django

    django.setup()
    from django.core.management import call_command

    from baomi.audit.context import audit_context
    from baomi.carriers.services import register_carrier
    from baomi.imports import services

    call_command("migrate", verbosity=0)
    officer, keeper, items = setup()
    rows = ledger_rows(items)
    data = workbook(rows)

    with audit_context("cli"):
        started = time.perf_counter()
        for r in rows:
            register_carrier(officer, item=r["item"], kind=r["kind"], custodian=keeper, storage_place=r["place"],
                             made_on=r["made_on"], pages=r["pages"], former_number=f"O-{r['number']}")  # fmt: skip
        one_by_one = time.perf_counter() - started

        started = time.perf_counter()
        read = services.read("carriers", data)
        result = services.import_ledger(officer, "carriers", read, source=data)
        imported = time.perf_counter() - started
    assert result.imported == ROWS, [r.errors for r in result.refused[:5]]
    checks = check()
    ok = (checks["carriers"] == 2 * ROWS and checks["audit_entries"] == 2 * ROWS
          and not checks["duplicate_numbers"] and not checks["skipped_numbers"]
          and not checks["duplicate_copy_numbers"])  # fmt: skip
    summary = {
        "database": "sqlite" if SQLITE else "postgresql",
        "rows": ROWS,
        "one_by_one_seconds": round(one_by_one, 2),
        "one_by_one_rows_per_s": round(ROWS / one_by_one, 1),
        "import_seconds": round(imported, 2),
        "import_rows_per_s": round(ROWS / imported, 1),
        "speedup": round(one_by_one / imported, 2),
        **checks,
        "ok": ok,
    }
    print(json.dumps(summary, ensure_ascii=False))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "src"))
    sys.exit(main())
