"""Audit benchmark (SEC-3): audited service writes per second against the same write unaudited,
with 1 and 4 concurrent writers, on SQLite and PostgreSQL; and verify speed against a plain read.

Run: ``.venv/bin/python bench/audit/run.py`` (``make bench`` runs it). The last line is one JSON
object. Each figure is the median of 3 alternating runs (``BAOMI_BENCH_REPEAT``) of 4 s
(``BAOMI_BENCH_SECONDS``); verify is the best of 5 over 20 000 entries against the best of 5 plain
reads of the same entry rows (and of the entry and seal rows verify reads). Each write is one transaction: ``select_for_update`` of a department row, a change,
``save(update_fields=…)`` and — in the audited variant — ``record()``; each writer process has its
own row, so the writers do not wait for each other's row lock. While the audited variant runs, a
sealer process seals the queue every 0.5 s, as the scheduler job would, and it must keep up. For
comparison the obvious design runs too: ``record()`` plus locking, chaining and moving one
chain-head row in every transaction ("naive").
PostgreSQL uses its own database ``baomi_bench_audit`` through the local socket; it is skipped
(and the output says so) only when the server does not answer.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
PG_URL = os.environ.get(
    "BAOMI_BENCH_POSTGRES_URL", "postgresql:///baomi_bench_audit?host=/var/run/postgresql"
)
SECONDS = float(os.environ.get("BAOMI_BENCH_SECONDS", "4"))
VERIFY_ROWS = int(os.environ.get("BAOMI_BENCH_VERIFY_ROWS", "20000"))
REPEAT = int(os.environ.get("BAOMI_BENCH_REPEAT", "3"))


def _setup_django(backend: str, tmp: str) -> None:
    os.environ["BAOMI_DATA_DIR"] = os.path.join(tmp, "data")
    os.environ["BAOMI_KEY_DIR"] = os.path.join(tmp, "keys")
    os.environ["DJANGO_SETTINGS_MODULE"] = "baomi.settings"
    if backend == "postgres":
        os.environ["BAOMI_DATABASE_URL"] = PG_URL
    else:
        os.environ.pop("BAOMI_DATABASE_URL", None)
    Path(os.environ["BAOMI_DATA_DIR"]).mkdir(parents=True, exist_ok=True)
    import django

    django.setup()


NAIVE_HEAD = "bench_naive_chain_head"


def _naive_link(connection: Any, entry: Any) -> None:
    """The obvious design, for comparison: lock one chain head, chain the entry, move the head."""
    from baomi.core import keys
    from baomi.audit.record import canonical

    lock = " FOR UPDATE" if connection.vendor == "postgresql" else ""
    with connection.cursor() as cur:
        cur.execute(f"SELECT seq, mac FROM {NAIVE_HEAD} WHERE id = 1{lock}")  # noqa: S608 - constant
        seq, previous = cur.fetchone()
        mac = keys.mac(canonical(entry) + previous.encode())
        cur.execute(f"UPDATE {NAIVE_HEAD} SET seq = %s, mac = %s WHERE id = 1", [seq + 1, mac])  # noqa: S608


def _writer(
    backend: str, tmp: str, dept_id: int, mode: str, seconds: float, start_at: float, out: mp.Queue
) -> None:
    _setup_django(backend, tmp)
    from django.db import connection, transaction

    from baomi.accounts.models import Department
    from baomi.audit.context import audit_context
    from baomi.audit.events import AuditEvent
    from baomi.audit.record import record

    connection.ensure_connection()
    while time.time() < start_at:
        time.sleep(0.001)
    n = 0
    begun = time.time()  # a writer that started late runs late, for the full time
    end = begun + seconds
    with audit_context("web", "10.0.0.7"):
        while time.time() < end:
            with transaction.atomic():
                dept = Department.objects.select_for_update().get(pk=dept_id)
                old = dept.sort_order
                dept.sort_order = old + 1
                dept.save(update_fields=["sort_order"])
                if mode != "plain":
                    entry = record(None, AuditEvent.DEPARTMENT_UPDATED, dept,
                                   details={"changed": {"sort_order": [old, old + 1]}})  # fmt: skip
                    if mode == "naive":
                        _naive_link(connection, entry)
            n += 1
    connection.close()
    out.put(n / (time.time() - begun))


def _sealer(backend: str, tmp: str, stop: mp.Event, out: mp.Queue) -> None:
    _setup_django(backend, tmp)
    from django.db import connection

    from baomi.audit import chain

    sealed = 0
    while not stop.is_set():
        sealed += chain.seal_pending()
        stop.wait(0.5)
    sealed += chain.seal_pending()
    connection.close()
    out.put(sealed)


def _rate(backend: str, tmp: str, depts: list[int], writers: int, mode: str) -> dict[str, float]:
    ctx = mp.get_context("spawn")
    out: mp.Queue = ctx.Queue()
    stop = ctx.Event()
    sealer_out: mp.Queue = ctx.Queue()
    sealer = ctx.Process(target=_sealer, args=(backend, tmp, stop, sealer_out)) if mode == "audited" else None
    if sealer:
        sealer.start()
    start_at = time.time() + 3.0  # time for the spawned processes to start Django
    procs = [ctx.Process(target=_writer, args=(backend, tmp, depts[i], mode, SECONDS, start_at, out))
             for i in range(writers)]  # fmt: skip
    for p in procs:
        p.start()
    rates = [out.get() for _ in procs]
    for p in procs:
        p.join()
    result = {"writes_per_s": round(sum(rates), 1)}
    if sealer:
        stop.set()
        result["sealed"] = sealer_out.get()
        sealer.join()
    return result


def measure(backend: str) -> dict:
    tmp = tempfile.mkdtemp(prefix="baomi-bench-audit-")
    _setup_django(backend, tmp)
    from django.core.management import call_command
    from django.db import connection, transaction

    from baomi.accounts.models import Department
    from baomi.audit import chain
    from baomi.audit.events import AuditEvent
    from baomi.audit.models import AuditEntry
    from baomi.audit.record import MAC_FIELDS, record

    call_command("migrate", verbosity=0)
    depts = [Department.objects.create(name=f"基准部门{i}", code=f"BENCH{i}").pk for i in range(4)]
    with connection.cursor() as cur:
        cur.execute(
            f"CREATE TABLE {NAIVE_HEAD} (id integer PRIMARY KEY, seq bigint NOT NULL, mac text NOT NULL)"
        )
        cur.execute(f"INSERT INTO {NAIVE_HEAD} VALUES (1, 0, '')")  # noqa: S608 - constant
    connection.close()
    figures: dict = {}
    for writers in (1, 4):
        # Alternate the two variants and take the median of each: the machine is shared.
        runs: dict[str, list[float]] = {"plain": [], "audited": [], "naive": []}
        for _ in range(REPEAT):
            for mode in runs:
                runs[mode].append(_rate(backend, tmp, depts, writers, mode)["writes_per_s"])
        plain, audited, naive = (statistics.median(runs[m]) for m in ("plain", "audited", "naive"))
        figures[f"writers_{writers}"] = {
            "unaudited_writes_per_s": plain,
            "audited_writes_per_s": audited,
            "ratio": round(audited / plain, 2),
            "naive_locked_head_writes_per_s": naive,
            "naive_ratio": round(naive / plain, 2),
        }
    for key, name in (("audited_writes_per_s", "growth_4_vs_1_audited"),
                      ("unaudited_writes_per_s", "growth_4_vs_1_unaudited"),
                      ("naive_locked_head_writes_per_s", "growth_4_vs_1_naive")):  # fmt: skip
        figures[name] = round(figures["writers_4"][key] / figures["writers_1"][key], 2)
    chain_after_writes = chain.verify()
    figures["chain_valid_after_concurrent_writes"] = chain_after_writes.ok
    figures["entries_sealed"] = chain_after_writes.checked

    # Verify speed: the whole chain against a plain read of the same entry rows.
    have = AuditEntry.objects.count()
    with transaction.atomic():
        dept = Department.objects.get(pk=depts[0])
        for i in range(max(VERIFY_ROWS - have, 0)):
            record(None, AuditEvent.DEPARTMENT_UPDATED, dept, details={"changed": {"sort_order": [i, i + 1]}})
    chain.seal_pending()
    rows = AuditEntry.objects.count()

    def plain_read() -> int:
        return sum(
            1 for _ in AuditEntry.objects.order_by("id").values_list("id", *MAC_FIELDS, "mac").iterator(5000)
        )

    def joined_read() -> int:
        return sum(1 for _ in chain._stream())

    best = {"read": float("inf"), "joined": float("inf"), "verify": float("inf")}
    for _ in range(5):
        for name, fn in (("read", plain_read), ("joined", joined_read), ("verify", None)):
            t = time.perf_counter()
            if fn is None:
                result = chain.verify(seal_first=False)
                assert result.ok, result.findings[:3]
            else:
                assert fn() == rows
            best[name] = min(best[name], time.perf_counter() - t)
    figures["verify"] = {
        "rows": rows,
        "plain_read_s": round(best["read"], 3),
        "entry_and_seal_read_s": round(best["joined"], 3),
        "verify_s": round(best["verify"], 3),
        "ratio": round(best["verify"] / best["read"], 2),
        "ratio_to_entry_and_seal_read": round(best["verify"] / best["joined"], 2),
        "verify_rows_per_s": round(rows / best["verify"]),
    }
    connection.close()
    return figures


def _pg_ready() -> str | None:
    import psycopg

    params = psycopg.conninfo.conninfo_to_dict(PG_URL)
    name = params.pop("dbname")
    try:
        with psycopg.connect(**params, dbname="postgres", connect_timeout=3, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')
    except Exception as exc:
        return str(exc)
    return None


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--backend", choices=["sqlite", "postgres"])
    ns = parser.parse_args()
    if ns.backend:
        print(json.dumps(measure(ns.backend), ensure_ascii=False))
        return 0
    results: dict = {"benchmark": "audit", "seconds_per_run": SECONDS}
    for backend in ("sqlite", "postgres"):
        if backend == "postgres":
            problem = _pg_ready()
            if problem:
                print(f"PostgreSQL does not answer, skipped: {problem}", file=sys.stderr)
                results["postgres"] = {"skipped": f"PostgreSQL does not answer: {problem}"}
                continue
        proc = subprocess.run([sys.executable, __file__, "--backend", backend], capture_output=True, text=True,
                              cwd=ROOT)  # fmt: skip
        if proc.returncode != 0:
            print(proc.stdout, proc.stderr, file=sys.stderr)
            return 1
        results[backend] = json.loads(proc.stdout.strip().splitlines()[-1])
        print(f"{backend}: {json.dumps(results[backend], ensure_ascii=False)}")
    print(json.dumps(results, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
