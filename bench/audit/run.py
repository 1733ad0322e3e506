"""Audit benchmark (SEC-3): what auditing costs a write, and what verifying the chain costs.

Run: ``.venv/bin/python bench/audit/run.py`` (``make bench`` runs it). The last line is one JSON
object. Two parts (``BAOMI_BENCH_PARTS``, default ``writes,verify``), each on SQLite and
PostgreSQL:

**writes** — writes per second with 1 and 4 concurrent writer processes (each on its own
department row), median of 3 alternating runs (``BAOMI_BENCH_REPEAT``) of 4 s
(``BAOMI_BENCH_SECONDS``), in five variants:

* ``plain``: the peers' yardstick — ``obj.save(update_fields=…)`` of a loaded object, autocommit,
  no lock: what django-auditlog's and django-simple-history's benchmarks divide by;
* ``plain_audited``: the same save plus ``record()`` in one transaction (what those packages
  add to a save: one more row);
* ``unaudited``: baomi's service write — one transaction, ``select_for_update`` of the row, a
  change, ``save(update_fields=…)``;
* ``audited``: that plus ``record()`` (entry with its own MAC, queued by a trigger; a sealer
  process seals every 0.5 s alongside, as the job would, and must keep up);
* ``naive``: ``record()`` plus the obvious chain — lock one chain-head row, chain, move it.

Reported: each rate, the ratios on both yardsticks (audited ÷ unaudited service write;
plain_audited ÷ plain and audited ÷ plain on the peers'), and the milliseconds auditing adds per
write (1000/audited − 1000/unaudited, and the same for the plain pair).

**verify** — a sealed history of ``BAOMI_BENCH_HISTORY`` entries (default ``100000,1000000``,
loaded in bulk by bench/audit/history.py), then ``BAOMI_BENCH_NEWEST`` (10 000) newer ones:

* the scheduled (incremental) verify of the newest entries from a verification record at the
  end of the history, with its rolling window of ``BAOMI_AUDIT_VERIFY_SWEEP`` (10 000) older
  seals and without it, best of 5, at each history size — the goal is the same cost (within
  1.5×) with 100k and 1M entries behind;
* the full verify against a plain read of the same entry rows (``values_list(...).iterator()``,
  what the previous figures divided by) and the entry-and-seal rows verify reads, best of 3, at
  the first history size — the goal is ≤ 3× the plain read.

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
REPEAT = int(os.environ.get("BAOMI_BENCH_REPEAT", "3"))
PARTS = os.environ.get("BAOMI_BENCH_PARTS", "writes,verify").split(",")
HISTORY = [int(n) for n in os.environ.get("BAOMI_BENCH_HISTORY", "100000,1000000").split(",")]
NEWEST = int(os.environ.get("BAOMI_BENCH_NEWEST", "10000"))
MODES = ("plain", "plain_audited", "unaudited", "audited", "naive")


def _setup_django(backend: str, tmp: str, pg_url: str = PG_URL) -> None:
    os.environ["BAOMI_DATA_DIR"] = os.path.join(tmp, "data")
    os.environ["BAOMI_KEY_DIR"] = os.path.join(tmp, "keys")
    os.environ["DJANGO_SETTINGS_MODULE"] = "baomi.settings"
    if backend == "postgres":
        os.environ["BAOMI_DATABASE_URL"] = pg_url
    else:
        os.environ.pop("BAOMI_DATABASE_URL", None)
    Path(os.environ["BAOMI_DATA_DIR"]).mkdir(parents=True, exist_ok=True)
    import django

    django.setup()


NAIVE_HEAD = "bench_naive_chain_head"


def _naive_link(connection: Any, entry: Any) -> None:
    """The obvious design, for comparison: lock one chain head, chain the entry, move the head."""
    from baomi.audit.record import canonical
    from baomi.core import keys

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
        if mode.startswith("plain"):
            dept = Department.objects.get(pk=dept_id)
            while time.time() < end:
                old = dept.sort_order
                dept.sort_order = old + 1
                if mode == "plain":
                    dept.save(update_fields=["sort_order"])  # autocommit, as the peers measure
                else:
                    with transaction.atomic():
                        dept.save(update_fields=["sort_order"])
                        record(None, AuditEvent.DEPARTMENT_UPDATED, dept,
                               details={"changed": {"sort_order": [old, old + 1]}})  # fmt: skip
                n += 1
        while not mode.startswith("plain") and time.time() < end:
            with transaction.atomic():
                dept = Department.objects.select_for_update().get(pk=dept_id)
                old = dept.sort_order
                dept.sort_order = old + 1
                dept.save(update_fields=["sort_order"])
                if mode != "unaudited":
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
    audited = mode in ("audited", "plain_audited")
    sealer = ctx.Process(target=_sealer, args=(backend, tmp, stop, sealer_out)) if audited else None
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
    from django.db import connection

    from baomi.accounts.models import Department

    call_command("migrate", verbosity=0)
    depts = [Department.objects.create(name=f"基准部门{i}", code=f"BENCH{i}").pk for i in range(4)]
    with connection.cursor() as cur:
        cur.execute(
            f"CREATE TABLE {NAIVE_HEAD} (id integer PRIMARY KEY, seq bigint NOT NULL, mac text NOT NULL)"
        )
        cur.execute(f"INSERT INTO {NAIVE_HEAD} VALUES (1, 0, '')")  # noqa: S608 - constant
    connection.close()
    figures: dict = {}
    if "writes" in PARTS:
        figures.update(_writes(backend, tmp, depts))
    if "verify" in PARTS:
        figures["verify"] = _verify(backend)
    connection.close()
    return figures


def _ms(rate: float) -> float:
    return 1000.0 / rate


def _writes(backend: str, tmp: str, depts: list[int]) -> dict:
    from baomi.audit import chain

    figures: dict = {}
    for writers in (1, 4):
        # Alternate the variants and take the median of each: the machine is shared.
        runs: dict[str, list[float]] = {m: [] for m in MODES}
        for _ in range(REPEAT):
            for mode in runs:
                runs[mode].append(_rate(backend, tmp, depts, writers, mode)["writes_per_s"])
        rate = {m: statistics.median(runs[m]) for m in MODES}
        figures[f"writers_{writers}"] = {
            **{f"{m}_writes_per_s": rate[m] for m in MODES},
            "service_yardstick": {
                "audited_over_unaudited": round(rate["audited"] / rate["unaudited"], 2),
                "naive_over_unaudited": round(rate["naive"] / rate["unaudited"], 2),
                "added_ms_per_write": round(_ms(rate["audited"]) - _ms(rate["unaudited"]), 3),
            },
            "peers_yardstick": {
                "plain_audited_over_plain": round(rate["plain_audited"] / rate["plain"], 2),
                "audited_service_over_plain": round(rate["audited"] / rate["plain"], 2),
                "added_ms_per_write": round(_ms(rate["plain_audited"]) - _ms(rate["plain"]), 3),
            },
        }
    for mode in MODES:
        figures[f"growth_4_vs_1_{mode}"] = round(
            figures["writers_4"][f"{mode}_writes_per_s"] / figures["writers_1"][f"{mode}_writes_per_s"], 2
        )
    chain_after_writes = chain.verify()
    figures["chain_valid_after_concurrent_writes"] = chain_after_writes.ok
    figures["entries_sealed"] = chain_after_writes.checked
    return figures


def _history_worker(backend: str, tmp: str, pg_url: str, size: int, conn: Any) -> None:
    """One database with ``size`` sealed entries behind a verification record and NEWEST after
    it; then timed runs on command, so the parent can alternate between the history sizes."""
    _setup_django(backend, tmp, pg_url)
    Path(os.environ["BAOMI_DATA_DIR"]).mkdir(parents=True, exist_ok=True)
    from django.core.management import call_command

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import history
    from django.conf import settings

    from baomi.audit import chain
    from baomi.audit.models import AuditEntry
    from baomi.audit.record import MAC_FIELDS

    call_command("migrate", verbosity=0)
    t = time.perf_counter()
    history.extend(size)
    loaded = time.perf_counter() - t
    anchor = history.anchor_here()
    history.extend(NEWEST)
    conn.send({"entries_behind": anchor, "load_s": round(loaded, 1), "rows": chain.head()[0]})

    def scheduled(sweep: int) -> int:
        result = chain.verify_scheduled(sweep=sweep)
        assert result.ok and result.kind == "scheduled", result.findings[:3]
        return result.checked

    def full() -> int:
        result = chain.verify(seal_first=False)
        assert result.ok, result.findings[:3]
        return result.checked

    actions = {
        "scheduled": lambda: scheduled(settings.AUDIT_VERIFY_SWEEP),
        "scheduled_without_window": lambda: scheduled(0),
        "plain_read": lambda: sum(
            1 for _ in AuditEntry.objects.order_by("id").values_list("id", *MAC_FIELDS, "mac").iterator(5000)
        ),
        "entry_and_seal_read": lambda: sum(1 for _ in chain._stream()),
        "full_verify": full,
    }
    while True:
        command = conn.recv()
        if command is None:
            return
        t = time.perf_counter()
        count = actions[command]()
        conn.send((time.perf_counter() - t, count))


def _pg_url_for(name: str) -> str:
    """PG_URL with another database name."""
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(PG_URL)
    return urlunsplit(parts._replace(path="/" + name))


def _verify(backend: str) -> dict:
    """Each history size in its own database and process, loaded side by side; then the timed
    runs alternate between them (a burst of load on the shared machine hits both alike)."""
    from django.conf import settings

    ctx = mp.get_context("spawn")
    workers = []
    for size in HISTORY:
        tmp = tempfile.mkdtemp(prefix=f"baomi-bench-audit-{size}-")
        name = f"baomi_bench_audit_{size}"
        if backend == "postgres":
            problem = _pg_ready(name)
            assert problem is None, problem
        parent, child = ctx.Pipe()
        proc = ctx.Process(target=_history_worker, args=(backend, tmp, _pg_url_for(name), size, child))
        proc.start()
        workers.append((size, parent, proc))
    out: dict = {"newest": NEWEST, "sweep": settings.AUDIT_VERIFY_SWEEP, "history": {}}
    for size, parent, _proc in workers:
        out["history"][str(size)] = parent.recv()
    best: dict[tuple[int, str], float] = {}
    counts: dict[tuple[int, str], int] = {}

    def run(rounds: int, commands: tuple[str, ...], sizes: list[int]) -> None:
        for _ in range(rounds):
            for command in commands:
                for size, parent, _proc in workers:
                    if size not in sizes:
                        continue
                    parent.send(command)
                    seconds, count = parent.recv()
                    key = (size, command)
                    best[key] = min(best.get(key, float("inf")), seconds)
                    counts[key] = count

    run(5, ("scheduled", "scheduled_without_window"), HISTORY)
    run(3, ("plain_read", "entry_and_seal_read", "full_verify"), HISTORY[:1])
    for _size, parent, proc in workers:
        parent.send(None)
        proc.join()
    for size in HISTORY:
        row = out["history"][str(size)]
        row["scheduled_verify_s"] = round(best[(size, "scheduled")], 3)
        row["scheduled_checked"] = counts[(size, "scheduled")]
        row["scheduled_verify_without_window_s"] = round(best[(size, "scheduled_without_window")], 3)
        if (size, "full_verify") in best:
            read, joined, full = (
                best[(size, c)] for c in ("plain_read", "entry_and_seal_read", "full_verify")
            )
            row["full_verify"] = {
                "rows": counts[(size, "full_verify")],
                "plain_read_s": round(read, 3),
                "entry_and_seal_read_s": round(joined, 3),
                "verify_s": round(full, 3),
                "ratio_to_plain_read": round(full / read, 2),
                "ratio_to_entry_and_seal_read": round(full / joined, 2),
                "verify_rows_per_s": round(counts[(size, "full_verify")] / full),
            }
    if len(HISTORY) > 1:
        first, last = out["history"][str(HISTORY[0])], out["history"][str(HISTORY[-1])]
        out["scheduled_ratio_largest_over_smallest"] = round(
            last["scheduled_verify_s"] / first["scheduled_verify_s"], 2
        )
        out["scheduled_without_window_ratio"] = round(
            last["scheduled_verify_without_window_s"] / first["scheduled_verify_without_window_s"], 2
        )
    return out


def _pg_ready(name: str | None = None) -> str | None:
    """Drop and create the database ``name`` (default: the one of PG_URL); the error, if any."""
    import psycopg

    params = psycopg.conninfo.conninfo_to_dict(PG_URL)
    default = params.pop("dbname")
    name = name or default
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
