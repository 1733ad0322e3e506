"""Person picker benchmark (issue 13, kit/pickers.py): first suggestions among the 10,000
people of the ledger benchmark's registry (bench/ledger/generate.py), on PostgreSQL.

    .venv/bin/python bench/picker/run.py
    BAOMI_BENCH_REPEAT=200 .venv/bin/python bench/picker/run.py

It loads 10,000 people in 500 departments (and a few carriers) into its own database
(BAOMI_BENCH_PICKER_DB, default ``baomi_bench_picker``), then times, as the 绝密-cleared
security officer through the full stack (Django test client: session, middleware, the
endpoint, the policy narrowing, the HTML fragment):

* ``search`` — the picker's request for two typed characters (``GET
  /accounts/pick/people/<purpose>/?q=..``) for a mix of queries: two-character Chinese name
  prefixes, pinyin initials, username prefixes and department words; for the ``people`` purpose
  and for ``carriers.custodian`` of a 机密 carrier (the clearance filter);
* ``search_query`` — the search query alone (the selectors, no HTTP stack);
* ``search_no_index`` — the same requests with PostgreSQL's index scans switched off in the
  same run (``enable_indexscan``/``enable_bitmapscan`` off): what the prefix indexes buy;
* ``listing`` — what the forms did before: render one ``<select>`` of every active person
  (10,000 options), as the old person fields sent on every form page.

Goal: ``search`` p95 ≤ 100 ms. The last line is one JSON object.
"""

from __future__ import annotations

import json
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "ledger"))
DB = os.environ.get("BAOMI_BENCH_PICKER_DB", "baomi_bench_picker")
HOST = os.environ.get("BAOMI_BENCH_PGHOST", "/var/run/postgresql")
USERS = int(os.environ.get("BAOMI_BENCH_USERS", "10000"))
REPEAT = int(os.environ.get("BAOMI_BENCH_REPEAT", "100"))
GOAL_P95_MS = 100.0
_tmp = tempfile.mkdtemp(prefix="baomi-bench-picker-")
os.environ["BAOMI_DATABASE_URL"] = f"postgresql:///{DB}?host={HOST}"
os.environ.setdefault("BAOMI_DATA_DIR", os.path.join(_tmp, "data"))
os.environ.setdefault("BAOMI_KEY_DIR", os.path.join(_tmp, "keys"))
os.environ.setdefault("BAOMI_ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
os.environ.pop("BAOMI_TEST_DB", None)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "baomi.settings")


def ensure_database() -> None:
    import psycopg

    with psycopg.connect(f"dbname=postgres host={HOST}", autocommit=True) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DB]).fetchone():
            conn.execute(f'DROP DATABASE "{DB}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{DB}"')


def pct(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def summary(samples: list[float]) -> dict[str, float]:
    return {"p50": round(statistics.median(samples), 1), "p95": round(pct(samples, 0.95), 1),
            "max": round(max(samples), 1), "n": len(samples)}  # fmt: skip


def main() -> int:
    ensure_database()
    import django

    django.setup()
    load = os.getloadavg()[0]
    from django import forms
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from baomi.accounts.models import Department, User
    from baomi.carriers.models import Carrier
    from baomi.carriers.queries import people
    from baomi.kit.pickers import person_label

    call_command("migrate", verbosity=0)
    from generate import generate

    connection.ensure_connection()
    info = generate(connection.connection, 2000, n_users=USERS)
    with connection.cursor() as cur:
        cur.execute("VACUUM ANALYZE")
    officer = User.objects.get(pk=info["officer"])
    carrier = Carrier.objects.filter(level="secret").order_by("pk").first()
    rng = random.Random(13)
    names = list(User.objects.values_list("full_name", "name_initials", "username"))
    depts = [d[:2] for d in Department.objects.values_list("name", flat=True)]
    queries: list[str] = []
    for _ in range(REPEAT):
        name, initials, username = rng.choice(names)
        queries.append(rng.choice([name[:2], initials[:2], username[:3], rng.choice(depts)]))
    client = Client()
    client.force_login(officer)
    urls = [("/accounts/pick/people/people/", None)]
    if carrier is not None:
        urls.append(("/accounts/pick/people/carriers.custodian/", json.dumps({"carrier": str(carrier.pk)})))

    def run(no_index: bool) -> tuple[list[float], int]:
        samples, hits = [], 0
        with connection.cursor() as cur:
            for flag in ("enable_indexscan", "enable_bitmapscan", "enable_indexonlyscan"):
                cur.execute(f"SET {flag} = {'off' if no_index else 'on'}")
        for i, q in enumerate(queries):
            url, forward = urls[i % len(urls)]
            params = {"q": q, **({"forward": forward} if forward else {})}
            t = time.perf_counter()
            r = client.get(url, params)
            samples.append((time.perf_counter() - t) * 1000)
            assert r.status_code == 200, r.status_code
            hits += r.content.count(b"data-value=")
        return samples, hits

    from baomi.accounts import selectors
    from baomi.kit import pickers

    def query_only() -> list[float]:
        samples = []
        for q in queries:
            t = time.perf_counter()
            base = pickers.narrow("people", officer, selectors.pickable_people(officer), {})
            list(selectors.search_people(base, q)[: selectors.PICK_PAGE])
            samples.append((time.perf_counter() - t) * 1000)
        return samples

    run(False)  # warm up
    search, hits = run(False)
    search_query = query_only()
    search_no_index, hits_no_index = run(True)
    run(False)
    assert hits == hits_no_index, (hits, hits_no_index)

    class Old(forms.Form):
        person = forms.ModelChoiceField(queryset=people(officer))

    Old.base_fields["person"].label_from_instance = person_label  # type: ignore[attr-defined]
    listing = []
    for _ in range(max(10, REPEAT // 10)):
        t = time.perf_counter()
        html = str(Old()["person"])
        listing.append((time.perf_counter() - t) * 1000)
    options = html.count("<option")
    result = {
        "bench": "picker", "users": info["users"], "departments": info["departments"],
        "queries": len(queries), "suggestions_returned": hits,
        "search_ms": summary(search), "search_query_ms": summary(search_query),
        "search_no_index_ms": summary(search_no_index),
        "listing_all_ms": summary(listing), "listing_options": options,
        "load_average": round(load, 1), "goal_p95_ms": GOAL_P95_MS, "goal_met": summary(search)["p95"] <= GOAL_P95_MS,
    }  # fmt: skip
    print(json.dumps(result, ensure_ascii=False))
    return 0 if result["goal_met"] else 1


if __name__ == "__main__":
    sys.exit(main())
