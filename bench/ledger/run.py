"""Ledger benchmark (CAR-12 at scale, docs/ledger.md): the permission-filtered ledger on
PostgreSQL with 1,000,000 carriers, 200,000 items, 10,000 users and 500 departments.

    .venv/bin/python bench/ledger/run.py                       # full size
    BAOMI_BENCH_CARRIERS=100000 .venv/bin/python bench/ledger/run.py
    BAOMI_BENCH_REUSE=1 ...                                    # keep data loaded by a previous run

It uses its own database (BAOMI_BENCH_DB, default ``baomi_bench_ledger``, via the local socket),
migrates it, bulk-loads it (bench/ledger/generate.py) and measures p50/p95 over
BAOMI_BENCH_REPEAT runs (default 30) for three people — a staff member with a narrow scope, the
head of the largest department, a 绝密-cleared security officer — and six cases: first page,
page 200 (newest first, 50 a page, keyset), the total (exact or "more than 1,000, about N"), and
1-, 2- and 4-character Chinese title searches (page and total). For each person and each of
the ledger and the searches it also counts the visible rows exactly and reports the total the
ledger shows ÷ that count (``estimate_over_exact``; goal 0.75–1.25). Each case is timed at the query
level (the selector: visibility inputs, page, total) and through the API (Django test client,
the full stack: session, middleware, DRF, JSON). A repeated request finds its "about N" kept
from the first (until the next committed change), so the first page and the 函 search are also
fetched through the API after a committed change entry before each request
(``api_after_change``): the first view after a change. The last line is one JSON object.
"""

from __future__ import annotations

import json
import logging
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
DB = os.environ.get("BAOMI_BENCH_DB", "baomi_bench_ledger")
HOST = os.environ.get("BAOMI_BENCH_PGHOST", "/var/run/postgresql")
N = int(os.environ.get("BAOMI_BENCH_CARRIERS", "1000000"))
REPEAT = int(os.environ.get("BAOMI_BENCH_REPEAT", "30"))
_tmp = tempfile.mkdtemp(prefix="baomi-bench-ledger-")
os.environ["BAOMI_DATABASE_URL"] = f"postgresql:///{DB}?host={HOST}"
os.environ.setdefault("BAOMI_DATA_DIR", os.path.join(_tmp, "data"))
# Kept beside the reused data: the marks' MACs and the audit trail were written under these keys
# (a fresh key per run made every reused row read as tampered — the policy alarms each one).
os.environ.setdefault("BAOMI_KEY_DIR", os.path.join(tempfile.gettempdir(), f"{DB}-keys"))
os.environ.setdefault("BAOMI_ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
os.environ.pop("BAOMI_TEST_DB", None)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "baomi.settings")

SEARCHES = {"search_1": "函", "search_2": "预算", "search_4": "安全检查"}
DEEP_PAGE = 200
PAGE = 50
ANCHOR_P95_MS = {"first_page": 20, "page_200": 185, "total": 200, "search_4_narrow": 180}


def ensure_database() -> None:
    import psycopg

    with psycopg.connect(f"dbname=postgres host={HOST}", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DB]).fetchone():
            conn.execute(f'CREATE DATABASE "{DB}"')


def pct(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def timed(fn: Any, repeat: int, before: Any = None) -> dict[str, float]:
    """p50/p95 of ``fn`` over ``repeat`` runs after 3 warm-up runs; ``before`` runs untimed first."""
    for _ in range(3):
        if before:
            before()
        fn()
    samples = []
    for _ in range(repeat):
        if before:
            before()
        t = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - t) * 1000)
    return {"p50": round(statistics.median(samples), 1), "p95": round(pct(samples, 0.95), 1)}


def main() -> int:
    ensure_database()
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.http import QueryDict
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from baomi.accounts.models import User
    from baomi.carriers import ledger
    from baomi.carriers.models import Carrier

    call_command("migrate", verbosity=0)
    with connection.cursor() as cur:
        # Fresh statistics after any migration (new columns have none) and a visibility map for
        # index-only scans — what autovacuum provides in production.
        cur.execute("VACUUM ANALYZE")
    info: dict[str, Any]

    meta = Path(tempfile.gettempdir()) / f"{DB}.json"
    reuse = os.environ.get("BAOMI_BENCH_REUSE") == "1" and meta.exists()
    if reuse:
        from generate import loaded_marks_verify

        info = json.loads(meta.read_text())
        reuse = info.get("carriers") == N and Carrier.objects.count() == N and loaded_marks_verify()
    if not reuse:
        from generate import generate

        connection.ensure_connection()
        info = generate(connection.connection, N)
        meta.write_text(json.dumps(info))
        print(f"loaded: {info}", flush=True)
        from generate import loaded_marks_verify

        assert loaded_marks_verify(), (
            "the generated marks do not verify: the bench would measure tampered rows"
        )

    from generate import hold_generated_clearances

    hold_generated_clearances()
    # A running installation seals every minute (audit/jobs.py): its queue holds a minute of
    # entries, not every entry of earlier runs (the change position reads the queue).
    from baomi.audit.chain import seal_pending

    # Entries of runs from before the keys were kept (a new key per run) seal as bad, a log line
    # each: counted, not printed.
    logging.getLogger("baomi.audit").setLevel(logging.CRITICAL)
    print(f"sealed {seal_pending()} queued audit entries", flush=True)
    officer = User.objects.get(pk=info["officer"])
    head = User.objects.get(pk=info["head_of_largest"])
    narrow = (
        User.objects.filter(department_id=info["small_department"], clearance="confidential")
        .exclude(headed_departments__isnull=False)
        .order_by("pk")
        .first()
    ) or User.objects.filter(department_id=info["small_department"]).order_by("-pk").first()
    people = {"narrow_staff": narrow, "department_head": head, "top_secret_officer": officer}

    def selector(user: Any, query: str, with_total: bool = True) -> ledger.Page:
        user.forget_roles()
        params = QueryDict(query)
        flt = ledger.parse_filters(params)
        qs = ledger.ledger_query(user, flt)
        return ledger.fetch_page(
            qs, flt, cursor=params.get("cursor") or None, size=PAGE, with_total=with_total
        )

    def count_only(user: Any, query: str) -> ledger.Total:
        user.forget_roles()
        flt = ledger.parse_filters(QueryDict(query))
        return ledger.count_rows(ledger.ledger_queryset(user, flt))

    from baomi.audit.events import AuditEvent
    from baomi.audit.record import record

    def somebody_changes_something() -> None:
        """A committed change entry (not a read): it moves the change position (audit/cache.py)
        as any change does. The bench's own trail, written directly."""
        with transaction.atomic():
            record(officer, AuditEvent.SETTING_CHANGED, officer, details={"bench": "a change"})

    results: dict[str, Any] = {}
    queries: dict[str, int] = {}
    load_start = os.getloadavg()[0]
    for who, user in people.items():
        visible = ledger.ledger_queryset(user, ledger.Filters())
        total = ledger.count_rows(visible)
        # The cursor of page 200: the last row of page 199 (or the deepest page there is).
        depth = min(DEEP_PAGE, max(1, -(-total.value // PAGE)) if total.exact else DEEP_PAGE)
        anchor = visible.values_list("registered_at", "pk")[(depth - 1) * PAGE - 1] if depth > 1 else None
        deep_query = ""
        if anchor:
            row = Carrier(registered_at=anchor[0], pk=anchor[1])
            deep_query = "cursor=" + ledger.encode_cursor(row, "next", total)
        client = Client()
        client.force_login(user)
        cases: dict[str, tuple[Any, Any, str]] = {
            "first_page": (lambda u=user: selector(u, "", False), None, ""),
            f"page_{DEEP_PAGE}": (lambda u=user, q=deep_query: selector(u, q, False), None, deep_query),
            "total": (lambda u=user: count_only(u, ""), None, ""),
        }
        for name, term in SEARCHES.items():
            cases[name] = (lambda u=user, t=term: selector(u, f"q={t}", True), None, f"q={term}")
        person: dict[str, Any] = {"visible": total.as_dict(), "deep_page_number": depth}
        # The estimate against the truth (CAR-12, issue 20 §3): the shown total ÷ an exact count
        # (counted here for the bench only), for the ledger and each search.
        accuracy: dict[str, Any] = {}
        for label, query in [("all", ""), *((name, f"q={term}") for name, term in SEARCHES.items())]:
            shown = selector(user, query, True).total
            exact = ledger.ledger_queryset(user, ledger.parse_filters(QueryDict(query))).count()
            figure = shown.value if shown.exact else shown.estimate
            accuracy[label] = {"exact": exact, "shown": shown.as_dict(),
                               "estimate_over_exact": round(figure / exact, 3) if figure and exact else None}  # fmt: skip
        person["estimate_accuracy"] = accuracy
        print(f"{who:20s} totals {json.dumps(accuracy, ensure_ascii=False)}", flush=True)
        for case, (fn, _, api_query) in cases.items():
            query_ms = timed(fn, REPEAT)
            url = "/api/v1/carriers/ledger/?scope=unit" + (f"&{api_query}" if api_query else "")

            def api(url: str = url, client: Client = client) -> None:
                response = client.get(url)
                assert response.status_code == 200, response.content[:300]

            api_ms = timed(api, REPEAT)
            with CaptureQueriesContext(connection) as ctx:
                api()
            queries[f"{who}.{case}"] = len(ctx.captured_queries)
            person[case] = {"query": query_ms, "api": api_ms}
            if case in ("first_page", "search_1"):
                # The first view after a change: the kept estimate (ledger.estimate_total) is for
                # an older position; what is remembered across changes stays, as in production.
                person[case]["api_after_change"] = timed(api, REPEAT, before=somebody_changes_something)
            fresh = person[case].get("api_after_change")
            print(f"{who:20s} {case:12s} query p50 {query_ms['p50']:7.1f} p95 {query_ms['p95']:7.1f} | "
                  f"api p50 {api_ms['p50']:7.1f} p95 {api_ms['p95']:7.1f} ms"
                  + (f" | after a change p50 {fresh['p50']:7.1f} p95 {fresh['p95']:7.1f}" if fresh else ""),
                  flush=True)  # fmt: skip
        results[who] = person

    worst_api = max(
        max(c["api"]["p95"], c.get("api_after_change", {}).get("p95", 0))
        for p in results.values()
        for k, c in p.items()
        if isinstance(c, dict) and "api" in c
    )
    ratios = [
        a["estimate_over_exact"]
        for p in results.values()
        for a in p["estimate_accuracy"].values()
        if a["estimate_over_exact"] is not None
    ]
    summary = {
        "bench": "ledger",
        "estimate_over_exact_range": [min(ratios), max(ratios)] if ratios else None,
        "estimate_goal_met": all(0.75 <= r <= 1.25 for r in ratios),
        "database": "postgresql",
        "size": {k: info[k] for k in ("carriers", "items", "users", "departments", "scopes")},
        "load_seconds": info.get("load_seconds"),
        "load_with_indexes_seconds": info.get("with_indexes_seconds"),
        "repeat": REPEAT,
        "cpus": os.cpu_count(),
        "loadavg_1min": [round(load_start, 1), round(os.getloadavg()[0], 1)],
        "page_size": PAGE,
        "searches": SEARCHES,
        "results_ms": results,
        "queries_per_api_request": sorted(set(queries.values())),
        "worst_api_p95_ms": worst_api,
        "api_goal_met": worst_api <= 100,
        "anchor_guardian_p95_ms": ANCHOR_P95_MS,
    }
    print(json.dumps(summary, ensure_ascii=False, separators=(",", ":")))
    return 0


if __name__ == "__main__":
    sys.exit(main())
