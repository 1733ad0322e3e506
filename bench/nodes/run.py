"""Nodes benchmark (issue 18, OPS-2, docs/operations.md section 10): audited registrations and
ledger reads per second through one gunicorn node, then through two nodes on the same PostgreSQL.

    .venv/bin/python bench/nodes/run.py
    BAOMI_BENCH_SECONDS=10 BAOMI_BENCH_CLIENTS=8 BAOMI_BENCH_WORKERS=2 BAOMI_BENCH_REPEAT=2 .venv/bin/python bench/nodes/run.py

It uses its own database (``BAOMI_BENCH_NODES_DB``, default ``baomi_bench_nodes``, dropped and
created, through the local socket), a security officer with an API token, a custodian and 40
classified items. For each configuration — one node, two nodes — it starts the nodes (gunicorn,
``BAOMI_BENCH_WORKERS`` workers × 4 threads each, every node its own data directory, shared keys
and secret key) and drives them from ``BAOMI_BENCH_CLIENTS`` client threads in two client
processes, spread round-robin over the nodes, for ``BAOMI_BENCH_SECONDS`` each:

- registrations: ``POST /api/v1/carriers/`` (one paper or electronic copy of a random item: the
  registry sequence row, the carrier, its audit entry, in one transaction);
- ledger reads: ``GET /api/v1/carriers/ledger/`` (the first page of the permission-filtered
  ledger, newest first, with its total).

The configurations alternate ``BAOMI_BENCH_REPEAT`` times and the best rate of each is kept.
Afterwards it checks the registry (no duplicate or skipped number) and the audit chain
(``chain.verify``). The last line is one JSON object. On one machine the nodes, PostgreSQL and the
clients share its cores: read the two-node gain with the core count and load average it prints.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import multiprocessing as mp
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))  # bench/fixtures.py
DB = os.environ.get("BAOMI_BENCH_NODES_DB", "baomi_bench_nodes")
HOST = os.environ.get("BAOMI_BENCH_PGHOST", "/var/run/postgresql")
SECONDS = float(os.environ.get("BAOMI_BENCH_SECONDS", "10"))
CLIENTS = int(os.environ.get("BAOMI_BENCH_CLIENTS", "8"))
WORKERS = int(os.environ.get("BAOMI_BENCH_WORKERS", "2"))
REPEAT = int(os.environ.get("BAOMI_BENCH_REPEAT", "2"))
ITEMS = 40
BENCH_PASSWORD = os.environ.get("BAOMI_BENCH_PASSWORD", "Bench@Pass2026")  # a throw-away database
_tmp = Path(tempfile.mkdtemp(prefix="baomi-bench-nodes-"))
os.environ["BAOMI_DATABASE_URL"] = f"postgresql:///{DB}?host={HOST}"
os.environ["BAOMI_DATA_DIR"] = str(_tmp / "data")
os.environ["BAOMI_KEY_DIR"] = str(_tmp / "keys")
os.environ.setdefault("BAOMI_SECRET_KEY", "bench-nodes-" + os.urandom(16).hex())
os.environ.pop("BAOMI_TEST_DB", None)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "baomi.settings")


def ensure_database() -> bool:
    import psycopg

    try:
        with psycopg.connect(f"dbname=postgres host={HOST}", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{DB}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{DB}"')
    except psycopg.OperationalError as exc:
        print(f"nodes: skipped, PostgreSQL does not answer at {HOST}: {exc}", flush=True)
        return False
    return True


def setup() -> dict[str, Any]:
    from fixtures import bind_items, hold_clearances

    from baomi.accounts import services as accounts
    from baomi.accounts.choices import Role
    from baomi.classification.models import Item
    from baomi.core.keys import ensure_key_file
    from baomi.vault.services import ensure_master_key

    ensure_master_key()
    from django.conf import settings

    ensure_key_file(settings.AUDIT_KEY_FILE)
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
    _token, key = accounts.create_token(officer, name="bench")
    return {"keeper": keeper.pk, "items": items, "token": key}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_nodes(count: int) -> list[tuple[subprocess.Popen, int]]:
    nodes = []
    for n in range(count):
        port = free_port()
        env = dict(os.environ, BAOMI_DATA_DIR=str(_tmp / f"node{n}"), BAOMI_LOG_LEVEL="ERROR")
        Path(env["BAOMI_DATA_DIR"]).mkdir(parents=True, exist_ok=True)
        proc = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "baomi.wsgi:application", "--bind", f"127.0.0.1:{port}",
             "--workers", str(WORKERS), "--threads", "4", "--timeout", "120"],
            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
        )  # fmt: skip
        nodes.append((proc, port))
    for proc, port in nodes:
        deadline, ready = time.monotonic() + 60, threading.Event()
        while not ready.is_set():
            if proc.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"a node did not start (exit {proc.poll()})")
            with contextlib.suppress(OSError):
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                conn.request("GET", "/healthz")
                if conn.getresponse().status == 200:
                    ready.set()
            ready.wait(0.1)
    return nodes


def stop_nodes(nodes: list[tuple[subprocess.Popen, int]]) -> None:
    for proc, _port in nodes:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
    for proc, _port in nodes:
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def client_process(ports: list[int], threads: int, first: int, kind: str, ids: dict[str, Any], start_at: float,
                   out: Any) -> None:  # fmt: skip
    """``threads`` client threads, thread i talking to node ``(first + i) % len(ports)``."""
    counts = {"ok": 0, "failed": 0}
    lock = threading.Lock()
    headers = {"Authorization": f"Bearer {ids['token']}", "Content-Type": "application/json",
               "Host": "127.0.0.1"}  # fmt: skip

    def run(i: int) -> None:
        rng = random.Random(first + i)
        port = ports[(first + i) % len(ports)]
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        ok = failed = 0
        while time.time() < start_at:
            time.sleep(0.001)
        stop = start_at + SECONDS
        while time.time() < stop:
            try:
                if kind == "register":
                    body = json.dumps({"item": rng.choice(ids["items"]), "kind": rng.choice(["paper", "electronic"]),
                                       "custodian": ids["keeper"], "storage_place": "保密室A柜"})  # fmt: skip
                    conn.request("POST", "/api/v1/carriers/", body=body, headers=headers)
                    want = 201
                else:
                    conn.request("GET", "/api/v1/carriers/ledger/", headers=headers)
                    want = 200
                response = conn.getresponse()
                response.read()
                if response.status == want:
                    ok += 1
                else:
                    failed += 1
            except (OSError, http.client.HTTPException):
                failed += 1
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        with lock:
            counts["ok"] += ok
            counts["failed"] += failed

    workers = [threading.Thread(target=run, args=(i,)) for i in range(threads)]
    for t in workers:
        t.start()
    for t in workers:
        t.join()
    out.put(counts)


def drive(ports: list[int], kind: str, ids: dict[str, Any]) -> dict[str, float]:
    out: Any = mp.Queue()
    start_at = time.time() + 1.0
    half = CLIENTS // 2
    procs = [mp.Process(target=client_process, args=(ports, n, first, kind, ids, start_at, out))
             for n, first in ((half, 0), (CLIENTS - half, half))]  # fmt: skip
    for p in procs:
        p.start()
    results = [out.get() for _ in procs]
    for p in procs:
        p.join()
    ok = sum(r["ok"] for r in results)
    return {"per_second": round(ok / SECONDS, 1), "ok": ok, "failed": sum(r["failed"] for r in results)}


def check() -> dict[str, Any]:
    from django.db.models import Max

    from baomi.audit import chain
    from baomi.carriers.models import Carrier, RegistrySequence

    rows = Carrier.objects.count()
    duplicates = rows - Carrier.objects.values("registry_number").distinct().count()
    gaps = 0
    for seq in RegistrySequence.objects.all():
        top = Carrier.objects.filter(year=seq.year, kind=seq.kind).aggregate(m=Max("sequence"))["m"] or 0
        got = Carrier.objects.filter(year=seq.year, kind=seq.kind).count()
        gaps += abs(top - seq.last) + (top - got)
    verified = chain.verify()
    return {"carriers": rows, "duplicate_numbers": duplicates, "skipped_numbers": gaps,
            "chain_valid": not verified.findings, "chain_entries": verified.checked}  # fmt: skip


def main() -> int:
    if not ensure_database():
        print(json.dumps({"bench": "nodes", "skipped": "PostgreSQL unavailable"}))
        return 0
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    ids = setup()
    from django.db import connection

    connection.close()
    load = os.getloadavg()[0]
    best: dict[str, dict[str, float]] = {}
    try:
        for _ in range(REPEAT):
            for count in (1, 2):
                nodes = start_nodes(count)
                try:
                    ports = [port for _proc, port in nodes]
                    for kind in ("register", "ledger"):
                        got = drive(ports, kind, ids)
                        name = f"{kind}_{count}_node"
                        print(f"{count} node(s), {kind}: {got}", flush=True)
                        if got["per_second"] > best.get(name, {}).get("per_second", -1):
                            best[name] = got
                finally:
                    stop_nodes(nodes)
        result: dict[str, Any] = {
            "bench": "nodes", "cores": os.cpu_count(), "load_average_start": round(load, 1),
            "load_average_end": round(os.getloadavg()[0], 1), "clients": CLIENTS, "workers_per_node": WORKERS,
            "threads_per_worker": 4, "seconds": SECONDS, "repeat": REPEAT,
        }  # fmt: skip
        for kind in ("register", "ledger"):
            one, two = best[f"{kind}_1_node"], best[f"{kind}_2_node"]
            result[f"{kind}_per_second_1_node"] = one["per_second"]
            result[f"{kind}_per_second_2_nodes"] = two["per_second"]
            result[f"{kind}_ratio"] = (
                round(two["per_second"] / one["per_second"], 2) if one["per_second"] else None
            )
            result[f"{kind}_failed"] = one["failed"] + two["failed"]
        result.update(check())
        print(json.dumps(result, ensure_ascii=False))
        ok = result["chain_valid"] and not result["duplicate_numbers"] and not result["skipped_numbers"]
        return 0 if ok else 1
    finally:
        shutil.rmtree(_tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
