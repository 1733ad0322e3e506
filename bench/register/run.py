"""Registration benchmark (CAR-1 under load, docs/ledger.md): concurrent clients registering
carriers through ``baomi.carriers.services.register_carrier`` on PostgreSQL.

    .venv/bin/python bench/register/run.py
    BAOMI_BENCH_CLIENTS=8 BAOMI_BENCH_SECONDS=20 .venv/bin/python bench/register/run.py

Each client is its own process with its own connection, as the security officer, registering
one copy at a time of random items in two kinds (so every client contends for the same
registry-sequence rows). Afterwards it checks the registry: per year and kind the sequences are
exactly 1..last (no duplicate, no gap), every registry number is unique, the sequence row's
``last`` equals the highest number, and every registration has its audit entry. The last line
is one JSON object: registrations per second, duplicates, gaps, deadlocks, errors.
"""

from __future__ import annotations

import json
import multiprocessing as mp
import os
import random
import sys
import tempfile
import time
from typing import Any

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))  # bench/fixtures.py
DB = os.environ.get("BAOMI_BENCH_REGISTER_DB", "baomi_bench_register")
HOST = os.environ.get("BAOMI_BENCH_PGHOST", "/var/run/postgresql")
CLIENTS = int(os.environ.get("BAOMI_BENCH_CLIENTS", "8"))
SECONDS = float(os.environ.get("BAOMI_BENCH_SECONDS", "20"))
ITEMS = 40
BENCH_PASSWORD = os.environ.get("BAOMI_BENCH_PASSWORD", "Bench@Pass2026")  # a throw-away database
KINDS = ("paper", "electronic")
_tmp = tempfile.mkdtemp(prefix="baomi-bench-register-")
os.environ["BAOMI_DATABASE_URL"] = f"postgresql:///{DB}?host={HOST}"
os.environ.setdefault("BAOMI_DATA_DIR", os.path.join(_tmp, "data"))
os.environ.setdefault("BAOMI_KEY_DIR", os.path.join(_tmp, "keys"))
os.environ.pop("BAOMI_TEST_DB", None)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "baomi.settings")


def ensure_database() -> None:
    import psycopg

    with psycopg.connect(f"dbname=postgres host={HOST}", autocommit=True) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DB]).fetchone():
            conn.execute(f'DROP DATABASE "{DB}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{DB}"')


def setup() -> dict[str, Any]:
    """A department, the security officer, a custodian and live items (bootstrap services)."""
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
    made = [
        Item.objects.create(
            title=f"基准测试事项{i}", level="confidential" if i % 3 else "secret", status="determined",
            duration_kind="period", duration_value=10, duration_unit="year", department=dept, proposed_by=officer,
        )
        for i in range(ITEMS)
    ]  # fmt: skip
    bind_items(made)  # bench/fixtures.py: as the services would have
    hold_clearances([officer, keeper])
    items = [item.pk for item in made]
    return {"officer": officer.pk, "keeper": keeper.pk, "items": items}


def client(n: int, ids: dict[str, Any], start_at: float, out: Any) -> None:
    import django

    django.setup()
    from django.db import connection
    from psycopg import errors as pg_errors

    from baomi.accounts.models import User
    from baomi.carriers.services import register_carrier
    from baomi.classification.models import Item

    connection.close()
    officer = User.objects.get(pk=ids["officer"])
    keeper = User.objects.get(pk=ids["keeper"])
    items = list(Item.objects.filter(pk__in=ids["items"]))
    rng = random.Random(n)
    done = deadlocks = errors = 0
    messages: list[str] = []
    while time.time() < start_at:
        time.sleep(0.01)
    stop = start_at + SECONDS
    while time.time() < stop:
        try:
            register_carrier(officer, item=rng.choice(items), kind=rng.choice(KINDS), custodian=keeper,
                             storage_place="保密室A柜")  # fmt: skip
            done += 1
        except Exception as exc:
            cause = exc.__cause__ or exc
            if isinstance(cause, pg_errors.DeadlockDetected) or "deadlock" in str(exc).lower():
                deadlocks += 1
            else:
                errors += 1
            if len(messages) < 3:
                messages.append(f"{type(exc).__name__}: {exc}"[:200])
    out.put({"client": n, "done": done, "deadlocks": deadlocks, "errors": errors, "messages": messages})


def check(ids: dict[str, Any]) -> dict[str, Any]:
    from django.db.models import Count, Max

    from baomi.audit.events import AuditEvent
    from baomi.audit.models import AuditEntry
    from baomi.carriers.models import Carrier, RegistrySequence

    rows = Carrier.objects.count()
    numbers = Carrier.objects.values("registry_number").distinct().count()
    duplicates = rows - numbers
    gaps = 0
    dup_seq = 0
    for seq in RegistrySequence.objects.all():
        got = sorted(Carrier.objects.filter(year=seq.year, kind=seq.kind).values_list("sequence", flat=True))
        dup_seq += len(got) - len(set(got))
        gaps += len(set(range(1, seq.last + 1)) - set(got))
        top = Carrier.objects.filter(year=seq.year, kind=seq.kind).aggregate(m=Max("sequence"))["m"] or 0
        gaps += abs(top - seq.last)
    copies = Carrier.objects.values("item_id", "copy_number").annotate(n=Count("id")).filter(n__gt=1).count()
    audited = AuditEntry.objects.filter(event=int(AuditEvent.CARRIER_REGISTERED)).count()
    return {"carriers": rows, "duplicate_numbers": duplicates + dup_seq, "skipped_numbers": gaps,
            "duplicate_copy_numbers": copies, "audit_entries": audited}  # fmt: skip


def main() -> int:
    ensure_database()
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    try:
        from baomi.carriers.services import register_carrier  # noqa: F401
    except ImportError:
        print(json.dumps({"bench": "register", "skipped": "register_carrier is not available"}))
        return 0
    call_command("migrate", verbosity=0)
    ids = setup()
    connection.close()
    ctx = mp.get_context("fork")
    out = ctx.Queue()
    start_at = time.time() + 2.0
    procs = [ctx.Process(target=client, args=(n, ids, start_at, out)) for n in range(CLIENTS)]
    for p in procs:
        p.start()
    results = [out.get(timeout=SECONDS + 120) for _ in procs]
    for p in procs:
        p.join()
    verdict = check(ids)
    done = sum(r["done"] for r in results)
    summary = {
        "bench": "register",
        "database": "postgresql",
        "clients": CLIENTS,
        "cpus": os.cpu_count(),
        "loadavg_1min": round(os.getloadavg()[0], 1),
        "seconds": SECONDS,
        "registrations": done,
        "registrations_per_second": round(done / SECONDS, 1),
        "deadlocks": sum(r["deadlocks"] for r in results),
        "errors": sum(r["errors"] for r in results),
        **verdict,
        "consistent": verdict["carriers"] == done == verdict["audit_entries"],
        "messages": [m for r in results for m in r["messages"]][:5],
    }
    print(json.dumps(summary, ensure_ascii=False, separators=(",", ":")))
    ok = (summary["deadlocks"] == summary["errors"] == summary["duplicate_numbers"] == summary["skipped_numbers"]
          == summary["duplicate_copy_numbers"] == 0 and summary["consistent"])  # fmt: skip
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
