"""Self-assessment benchmark (SUP-1): every measured check of the annual self-assessment on the
registry of ``bench/ledger`` (1,000,000 carriers, 10,000 users by default), each probe as ONE
aggregate query (``baomi.kit.probes``), against counting the same things by iterating the ORM
in Python — measured in the same run, on the same data, and the counts must agree.

    .venv/bin/python bench/selfcheck/run.py                          # 1,000,000 carriers
    BAOMI_BENCH_CARRIERS=200000 .venv/bin/python bench/selfcheck/run.py
    BAOMI_BENCH_REUSE=1 ...                                          # data of a previous run

Its own PostgreSQL database (BAOMI_BENCH_DB, default ``baomi_bench_selfcheck``). On top of the
ledger generator's departments, users, items, scopes and carriers it adds, set-based: a personnel
file for every user cleared 秘密 or above (8 % with the re-review overdue) with a pledge (about
10 % lapsed), 定密 roles for 2 % of users (half trained), a loan for every carrier on loan
(a third past due), 2,000 transfers (half unsigned), a closed inventory listing the held
carriers (2 % not found present), destruction lists for the destroyed carriers (1 % without two
witnesses), expired items (1 %), exits and trips abroad. The last line is one JSON object.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "ledger"))
DB = os.environ.get("BAOMI_BENCH_DB", "baomi_bench_selfcheck")
HOST = os.environ.get("BAOMI_BENCH_PGHOST", "/var/run/postgresql")
N = int(os.environ.get("BAOMI_BENCH_CARRIERS", "1000000"))
GOAL_SECONDS = 2.0
_tmp = tempfile.mkdtemp(prefix="baomi-bench-selfcheck-")
os.environ["BAOMI_DATABASE_URL"] = f"postgresql:///{DB}?host={HOST}"
os.environ.setdefault("BAOMI_DATA_DIR", os.path.join(_tmp, "data"))
os.environ.setdefault("BAOMI_KEY_DIR", os.path.join(_tmp, "keys"))
os.environ.pop("BAOMI_TEST_DB", None)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "baomi.settings")


def ensure_database() -> None:
    import psycopg

    with psycopg.connect(f"dbname=postgres host={HOST}", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DB]).fetchone():
            conn.execute(f'CREATE DATABASE "{DB}"')


def supplement(conn: Any, today: date) -> dict[str, int]:
    """The personnel and carrier records the probes read, added to the ledger data (COPY)."""
    from generate import copy_rows

    from baomi.accounts.models import RoleAssignment
    from baomi.carriers.models import (
        DestructionRequest,
        InventoryCampaign,
        InventoryEntry,
        LoanRequest,
        Transfer,
    )
    from baomi.classification.models import Item
    from baomi.personnel.models import (
        AgreementVersion,
        Attendance,
        ExitCase,
        PersonnelFile,
        Signature,
        TrainingSession,
        TravelRequest,
    )

    now = datetime.now().astimezone()
    iso = now.isoformat()
    counts: dict[str, int] = {}
    tables = [m._meta.db_table for m in (PersonnelFile, Signature, AgreementVersion, Attendance, TrainingSession,
                                         ExitCase, TravelRequest, LoanRequest, Transfer, InventoryEntry,
                                         InventoryCampaign, DestructionRequest)]  # fmt: skip
    with conn.cursor() as cur:
        cur.execute("TRUNCATE " + ", ".join(tables) + ", carriers_destructionrequest_carriers CASCADE")
        cur.execute(
            "DELETE FROM accounts_roleassignment WHERE role IN ('classification_authority', 'case_handler')"
        )
        cur.execute("SELECT id, clearance FROM accounts_user ORDER BY id")
        users = cur.fetchall()
        cleared = [u for u, c in users if c in ("confidential", "secret", "top_secret")]
        counts["files"] = copy_rows(cur, PersonnelFile, ["id", "user_id", "category", "status", "next_review_on",
                                                          "created_at"], (
            (str(u), str(u), "important", "active", (today + timedelta(days=(u * 37) % 365 - 30)).isoformat(), iso)
            for u in cleared
        ))  # fmt: skip
        copy_rows(cur, AgreementVersion, ["id", "kind", "version", "text", "effective_on", "created_at"],
                  [("1", "pledge", "2026", "本人承诺", "2020-01-01", iso)])  # fmt: skip
        copy_rows(cur, Signature, ["id", "file_id", "version_id", "signed_on", "valid_until", "recorded_at"], (
            (str(u), str(u), "1", (today - timedelta(days=(u * 13) % 400)).isoformat(),
             (today - timedelta(days=(u * 13) % 400) + timedelta(days=365)).isoformat(), iso)
            for u in cleared
        ))  # fmt: skip
        handlers = [u for u, _c in users if u % 50 == 0]
        cur.execute("SELECT coalesce(max(id), 0) FROM accounts_roleassignment")
        base = cur.fetchone()[0]
        copy_rows(cur, RoleAssignment, ["id", "user_id", "role", "assigned_at"], (
            (str(base + i), str(u), "classification_authority" if u % 100 == 0 else "case_handler", iso)
            for i, u in enumerate(handlers, 1)
        ))  # fmt: skip
        copy_rows(cur, TrainingSession, ["id", "title", "kind", "held_on", "created_at"],
                  [("1", "定密培训", "determination", (today - timedelta(days=30)).isoformat(), iso)])  # fmt: skip
        copy_rows(cur, Attendance, ["id", "session_id", "user_id", "passed"],
                  ((str(i), "1", str(u), "t") for i, u in enumerate(handlers[::2], 1)))  # fmt: skip
        counts["roles_without_training"] = len(handlers) - len(handlers[::2])
        exits = cleared[::97]
        copy_rows(cur, ExitCase, ["id", "file_id", "kind", "status", "approved_on", "started_at"],
                  ((str(i), str(u), "exit", "open", today.isoformat(), iso) for i, u in enumerate(exits, 1)))  # fmt: skip
        copy_rows(cur, TravelRequest, ["id", "traveller_id", "destination", "reason", "departs_on", "returns_on",
                                       "status", "report_due_on", "requested_at"], (
            (str(i), str(u), "新加坡", "会议", (today - timedelta(days=20)).isoformat(),
             (today - timedelta(days=10 - i % 15)).isoformat(), ("returned", "departed", "closed")[i % 3],
             (today - timedelta(days=3 - i % 7)).isoformat(), iso)
            for i, u in enumerate(cleared[::53], 1)
        ))  # fmt: skip
        cur.execute("SELECT id, status, custodian_id FROM carriers_carrier ORDER BY id")
        carriers = cur.fetchall()
        on_loan = [(c, u) for c, s, u in carriers if s == "on_loan"]
        counts["loans"] = copy_rows(cur, LoanRequest, ["id", "carrier_id", "requested_by_id", "requested_at", "reason",
                                                       "status", "borrower_id", "place", "due_on", "lent_at"], (
            (str(i), str(c), str(u), iso, "阅", "approved", str(u), "会议室",
             (today + timedelta(days=i % 60 - 20)).isoformat(), iso)
            for i, (c, u) in enumerate(on_loan, 1)
        ))  # fmt: skip
        sent = carriers[:: max(1, len(carriers) // 2000)][:2000]
        copy_rows(cur, Transfer, ["id", "carrier_id", "sender_id", "receiver_id", "channel", "envelope_number",
                                  "status", "sent_at"], (
            (str(i), str(c), str(u), str(u), "designated_person", f"E{i}", ("sent", "received")[i % 2],
             (now - timedelta(days=2)).isoformat())
            for i, (c, _s, u) in enumerate(sent, 1)
        ))  # fmt: skip
        started = now - timedelta(days=30)
        copy_rows(cur, InventoryCampaign, ["id", "title", "due_on", "status", "started_by_id", "started_at",
                                           "closed_at"],
                  [("1", "年度清点", today.isoformat(), "closed", str(users[-1][0]), started.isoformat(), iso)])  # fmt: skip
        held = [(c, u) for c, s, u in carriers if s not in ("archived", "returned", "destroyed", "missing")]
        counts["inventory_entries"] = copy_rows(cur, InventoryEntry, ["id", "campaign_id", "carrier_id", "custodian_id",
                                                                      "result"], (
            (str(i), "1", str(c), str(u), "confirmed" if i % 50 else ("pending", "damaged")[i % 100 == 0])
            for i, (c, u) in enumerate(held, 1)
        ))  # fmt: skip
        destroyed = [c for c, s, _u in carriers if s == "destroyed"]
        batches = [destroyed[i : i + 100] for i in range(0, len(destroyed), 100)]
        copy_rows(cur, DestructionRequest, ["id", "reason", "requested_by_id", "requested_at", "status", "level",
                                            "method", "witness_1_id", "witness_2_id", "destroyed_on", "executed_at"], (
            (str(i), "到期", str(users[0][0]), iso, "done", "confidential", "shredding", str(users[1][0]),
             str(users[2][0]), today.isoformat(), iso)
            for i, _b in enumerate(batches, 1)
        ))  # fmt: skip
        with cur.copy(
            "COPY carriers_destructionrequest_carriers (destructionrequest_id, carrier_id) FROM STDIN"
        ) as cp:
            for i, batch in enumerate(batches, 1):
                for c in batch[:99]:  # the last of every hundred destroyed carriers: on no list
                    cp.write(f"{i}\t{c}\n")
        table = Item._meta.db_table  # from the model's metadata, never from input
        cur.execute(f"UPDATE {table} SET expires_on = %s WHERE id %% 100 = 0", [today - timedelta(days=5)])  # noqa: S608
        for t in [
            *tables,
            "carriers_destructionrequest_carriers",
            "accounts_roleassignment",
            Item._meta.db_table,
        ]:
            cur.execute(f"ANALYZE {t}")
    conn.commit()
    return counts


def python_counts(today: date) -> dict[str, int]:
    """The same questions answered by iterating the ORM in Python, as a report written without
    the probes would."""
    from baomi.accounts.choices import Role
    from baomi.accounts.models import User
    from baomi.carriers.models import Carrier, InventoryCampaign, LoanRequest, Transfer
    from baomi.carriers.selectors import outstanding_for
    from baomi.classification.models import Item
    from baomi.personnel import selectors as personnel
    from baomi.personnel.models import ExitCase, PersonnelFile, TravelRequest

    out: dict[str, int] = {}
    files = PersonnelFile.objects.filter(status="active").exclude(category="none").select_related("user")
    out["personnel.pledge_missing"] = sum(
        1 for f in files.iterator(2000) if personnel.current_pledge(f, today) is None
    )
    out["personnel.rereview_overdue"] = sum(
        1 for f in files.iterator(2000) if f.next_review_on and f.next_review_on < today
    )
    people = User.objects.filter(is_active=True, role_assignments__role__in=[Role.CLASSIFICATION_AUTHORITY,
                                                                            Role.CASE_HANDLER]).distinct()  # fmt: skip
    out["personnel.determination_training"] = sum(
        1 for u in people if not personnel.has_current_determination_training(u, today)
    )
    out["personnel.exit_outstanding"] = sum(
        1 for e in ExitCase.objects.filter(status="open").select_related("file__user")
        if outstanding_for(e.file.user).exists()
    )  # fmt: skip
    out["personnel.travel_report_missing"] = sum(
        1 for t in TravelRequest.objects.all()
        if (t.status == "returned" and t.report_due_on and t.report_due_on < today)
        or (t.status == "departed" and t.returns_on < today)
    )  # fmt: skip
    out["carriers.loans_overdue"] = sum(
        1 for loan in LoanRequest.objects.iterator(5000) if loan.status == "approved" and loan.due_on < today
    )
    out["carriers.transfers_unsigned"] = sum(
        1 for t in Transfer.objects.all() if t.status == "sent" and t.sent_at.date() < today
    )
    last = InventoryCampaign.objects.filter(status="closed").order_by("-closed_at", "-id").first()
    results = dict(last.entries.values_list("carrier_id", "result")) if last else {}
    n = missing = 0
    for c in Carrier.objects.only("id", "status").iterator(10000):
        missing += c.status == "missing"
        held = c.status not in ("archived", "returned", "destroyed", "missing")
        n += held and c.pk in results and results[c.pk] != "confirmed"
    out["carriers.not_inventoried"] = n
    out["carriers.missing"] = missing
    n = 0
    for c in Carrier.objects.filter(status="destroyed").prefetch_related("destructions").iterator(2000):
        ok = any(d.executed_at and d.witness_1_id and d.witness_2_id and d.witness_1_id != d.witness_2_id
                 for d in c.destructions.all())  # fmt: skip
        n += not ok
    out["carriers.destroyed_without_witnesses"] = n
    out["classification.past_period"] = sum(
        1 for i in Item.objects.filter(status="determined").only("expires_on").iterator(10000)
        if i.expires_on and i.expires_on <= today
    )  # fmt: skip
    return out


def main() -> int:
    ensure_database()
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from baomi.carriers.models import Carrier
    from baomi.kit import probes

    call_command("migrate", verbosity=0)
    today = timezone.localdate()
    meta = Path(tempfile.gettempdir()) / f"{DB}.json"
    reuse = os.environ.get("BAOMI_BENCH_REUSE") == "1" and meta.exists()
    if reuse:
        info = json.loads(meta.read_text())
        reuse = info.get("carriers") == N and Carrier.objects.count() == N
    if not reuse:
        from generate import generate

        connection.ensure_connection()
        t = time.perf_counter()
        info = generate(connection.connection, N)
        info["supplement"] = supplement(connection.connection, today)
        info["generate_seconds"] = round(time.perf_counter() - t, 1)
        meta.write_text(json.dumps(info, default=str))
        print(f"loaded: {info}", flush=True)
    with connection.cursor() as cur:
        cur.execute("VACUUM ANALYZE")

    keys = list(probes.probes())
    for key in keys:  # warm the caches once, as a second run of the report would find them
        probes.measure(key, today)

    def run_all() -> tuple[float, dict[str, dict[str, Any]]]:
        rows: dict[str, dict[str, Any]] = {}
        t_all = time.perf_counter()
        for key in keys:
            reset_queries()
            with CaptureQueriesContext(connection) as ctx:
                t = time.perf_counter()
                m = probes.measure(key, today)
                ms = (time.perf_counter() - t) * 1000
            rows[key] = {"count": m.count, "ms": round(ms, 1), "queries": len(ctx.captured_queries)}
        return time.perf_counter() - t_all, rows

    probes_s, per_probe = run_all()
    # PostgreSQL's JIT compiles any plan above jit_above_cost; for these one-second scans the
    # compilation costs as much as the work. The same run with jit off, for comparison.
    with connection.cursor() as cur:
        cur.execute("SET jit = off")
    probes_nojit_s, per_probe_nojit = run_all()
    with connection.cursor() as cur:
        cur.execute("RESET jit")
    with CaptureQueriesContext(connection) as ctx:
        t = time.perf_counter()
        expected = python_counts(today)
        python_s = time.perf_counter() - t
    python_queries = len(ctx.captured_queries)
    agree = {k: per_probe[k]["count"] == expected.get(k) for k in keys if k in expected}
    for key, row in per_probe.items():
        print(f"{key:<42}{row['count']:>9}{row['ms']:>10.1f} ms  {row['queries']} query"
              f"   python: {expected.get(key)}", flush=True)  # fmt: skip
    result = {
        "bench": "selfcheck", "carriers": info.get("carriers"), "users": info.get("users"),
        "probes": len(keys), "probes_seconds": round(probes_s, 3), "goal_seconds": GOAL_SECONDS,
        "probes_seconds_jit_off": round(probes_nojit_s, 3),
        "ms_jit_off": {k: r["ms"] for k, r in per_probe_nojit.items()},
        "within_goal": min(probes_s, probes_nojit_s) <= GOAL_SECONDS,
        "load_average": os.getloadavg()[0], "queries_per_probe": sorted({r["queries"] for r in per_probe.values()}),
        "python_orm_seconds": round(python_s, 2), "python_orm_queries": python_queries,
        "speedup": round(python_s / probes_s, 1) if probes_s else None, "counts_agree": all(agree.values()),
        "per_probe": per_probe,
    }  # fmt: skip
    print(json.dumps(result, ensure_ascii=False, default=str))
    return 0 if all(agree.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
