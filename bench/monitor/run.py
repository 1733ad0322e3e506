"""Monitoring benchmark (SEC-5): the evaluator over a large audit trail on PostgreSQL.

    .venv/bin/python bench/monitor/run.py                          # 1,000,000 entries
    BAOMI_BENCH_ENTRIES=300000 .venv/bin/python bench/monitor/run.py

Two questions, in one run and one database (``baomi_bench_monitor``, via the local socket):

1. **Throughput**: evaluating every default rule over the whole trail, entries per second,
   against a plain sequential scan of the same rows read the same way (seals joined with their
   entries, in sequence order, keyset batches of 2000) without any rule.
2. **Incremental cost**: the time to evaluate the next 10,000 entries with 100,000 entries behind
   the cursor, and again with ``BAOMI_BENCH_ENTRIES`` (1,000,000) behind it. Goal: equal within
   1.5× — the cost does not grow with the table.

The trail is generated fast but real: entries with their own MAC, inserted by COPY (the
queue trigger fires), then sealed by the real sealer (``chain.seal_pending``). 2,000 people in 50
departments; mostly reads of classified items and carriers in the working hours of working days
(the published calendar, 调休 included), some sign-ins, failures, downloads, prints, exports and
denials, one entry in 200 at night or on a day off. The last line is one
JSON object.
"""

from __future__ import annotations

import json
import os
import random
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
DB = os.environ.get("BAOMI_BENCH_DB", "baomi_bench_monitor")
HOST = os.environ.get("BAOMI_BENCH_PGHOST", "/var/run/postgresql")
N = int(os.environ.get("BAOMI_BENCH_ENTRIES", "1000000"))
SMALL = int(os.environ.get("BAOMI_BENCH_SMALL", "100000"))
STEP = 10_000
USERS = 2000
DEPTS = 50
_tmp = tempfile.mkdtemp(prefix="baomi-bench-monitor-")
os.environ["BAOMI_DATABASE_URL"] = f"postgresql:///{DB}?host={HOST}"
os.environ.setdefault("BAOMI_DATA_DIR", os.path.join(_tmp, "data"))
os.environ.setdefault("BAOMI_KEY_DIR", os.path.join(_tmp, "keys"))
os.environ.pop("BAOMI_TEST_DB", None)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "baomi.settings")
sys.path.insert(0, str(ROOT / "src"))


def fresh_database() -> None:
    import psycopg

    with psycopg.connect(f"dbname=postgres host={HOST}", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{DB}"')
        conn.execute(f'CREATE DATABASE "{DB}"')


class Trail:
    """Writes realistic entries with valid MACs by COPY, in time order."""

    def __init__(self, users: list[tuple[int, str, str]]) -> None:
        from baomi.audit.events import AuditEvent as E

        self.users = users
        self.rng = random.Random(2026)
        self.when = datetime(2026, 3, 2, 0, 30, tzinfo=UTC)  # 08:30 in Shanghai, a Monday
        self.mix = (
            [(E.ITEM_VIEWED, "classification.item")] * 30 + [(E.CONTENT_VIEWED, "carriers.carrier")] * 30
            + [(E.LOGIN_SUCCEEDED, "accounts.user")] * 10 + [(E.CARRIER_UPDATED, "carriers.carrier")] * 10
            + [(E.LOGIN_FAILED, "accounts.user")] * 5 + [(E.CONTENT_DOWNLOADED, "carriers.carrier")] * 5
            + [(E.ACCESS_DENIED, "carriers.carrier")] * 4 + [(E.CARRIER_PRINTED, "carriers.carrier")] * 3
            + [(E.LEDGER_EXPORTED, "carriers.ledger")] * 2 + [(E.LOGGED_OUT, "accounts.user")]
        )  # fmt: skip

    def _tick(self) -> datetime:
        """The next entry's time: working hours of working days (the published calendar), with
        one entry in 200 at night or on a day off, as in an office."""
        from baomi.monitoring.workcalendar import WorkCalendar

        self.calendar = getattr(self, "calendar", None) or WorkCalendar(load=False)
        self.when += timedelta(seconds=self.rng.expovariate(1 / 1.2))
        while not self.calendar.is_working_time(self.when) and self.rng.random() < 0.995:
            self.when += timedelta(minutes=30)  # skip the night and the days off, mostly
        return self.when

    def write(self, n: int) -> float:
        from django.db import connection, transaction

        from baomi.audit.chain import MAC_FIELDS, bound, canonical_row
        from baomi.audit.models import AuditEntry
        from baomi.core import keys

        # The MAC binds the entry's id (audit/chain.py): take the ids from the table's sequence.
        cols = [f.column for f in AuditEntry._meta.concrete_fields]
        scheme = keys.current_scheme()
        digest = keys.SCHEME_DIGEST[scheme]
        with connection.cursor() as cur:
            cur.execute("SELECT nextval(pg_get_serial_sequence('audit_auditentry', 'id')) FROM generate_series(1, %s)",
                        [n])  # fmt: skip
            ids = [r[0] for r in cur.fetchall()]
        start = time.perf_counter()
        levels = ["confidential", "secret", "work_secret", "internal", "top_secret"]
        with transaction.atomic(), connection.cursor() as cur:
            copy_sql = f"COPY {AuditEntry._meta.db_table} ({', '.join(cols)}) FROM STDIN"
            with cur.connection.cursor().copy(copy_sql) as copy:
                for pk in ids:
                    uid, name, roles = self.rng.choice(self.users)
                    event, ttype = self.rng.choice(self.mix)
                    tid = str(self.rng.randrange(1, 200_000))
                    level = self.rng.choice(levels) if ttype != "accounts.user" else ""
                    outcome = "denied" if event == 900 else ("failed" if event == 101 else "ok")
                    values = {
                        "time": self._tick(), "actor_id": uid, "actor_name": name, "actor_roles": roles,
                        "event": int(event), "target_type": ttype, "target_id": tid, "target_label": f"#{tid}",
                        "target_level": level, "outcome": outcome, "ip": "10.0.0.1", "channel": "web",
                        "request_id": "", "details": {},
                    }  # fmt: skip
                    data = bound(scheme, pk, canonical_row([values[f] for f in MAC_FIELDS]))
                    values.update(id=pk, mac=keys.mac_with(digest, data), mac_scheme=scheme, details="{}")
                    copy.write_row([values[c] for c in cols])
        return time.perf_counter() - start


def scan(after: int) -> tuple[int, float]:
    """The same rows, read the same way as the evaluator, without rules."""
    from baomi.monitoring.services import _read

    start = time.perf_counter()
    n, cursor = 0, after
    while True:
        rows = _read(cursor, 2000)
        if not rows:
            return n, time.perf_counter() - start
        n += len(rows)
        cursor = rows[-1].seq


def main() -> int:
    fresh_database()
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from baomi.accounts.models import Department, User
    from baomi.audit import chain
    from baomi.monitoring import services
    from baomi.monitoring.models import Alert, MonitorCursor

    call_command("migrate", verbosity=0)
    depts = Department.objects.bulk_create([Department(name=f"部门{i}", code=f"D{i}") for i in range(DEPTS)])
    people = User.objects.bulk_create(
        [User(username=f"u{i}", full_name=f"用户{i}", department=depts[i % DEPTS]) for i in range(USERS)]
    )
    roles = ["staff"] * (USERS - 3) + ["system_administrator", "security_officer", "auditor"]
    users = [(u.pk, u.username, roles[i]) for i, u in enumerate(people)]
    trail = Trail(users)
    out: dict[str, Any] = {"benchmark": "monitor", "entries": N, "small": SMALL, "step": STEP}

    def write(n: int) -> None:
        gen = trail.write(n)
        t0 = time.perf_counter()
        chain.seal_pending()
        out.setdefault("generate_s", 0.0)
        out.setdefault("seal_s", 0.0)
        out["generate_s"] += round(gen, 1)
        out["seal_s"] += round(time.perf_counter() - t0, 1)
        with connection.cursor() as cur:
            cur.execute("ANALYZE audit_auditentry; ANALYZE audit_auditseal")

    def evaluate() -> tuple[int, float]:
        t0 = time.perf_counter()
        result = services.evaluate(seal=False)
        return result["read"], time.perf_counter() - t0

    # 1. SMALL entries behind the cursor, then the next STEP.
    write(SMALL)
    read, secs = evaluate()
    out["full_small"] = {"read": read, "seconds": round(secs, 2), "entries_per_s": round(read / secs)}
    write(STEP)
    read, secs = evaluate()
    out["next_step_with_small_behind_s"] = round(secs, 3)
    # 2. N behind: fill up, evaluate all of it from the start (throughput) against the scan.
    write(N - SMALL - STEP)
    with connection.cursor() as cur:  # start the evaluator afresh over the whole trail
        cur.execute("TRUNCATE monitoring_alertentry, monitoring_alert, monitoring_monitorcursor")
    scanned, scan_s = scan(0)
    read, secs = evaluate()
    out["full"] = {
        "read": read, "seconds": round(secs, 1), "entries_per_s": round(read / secs),
        "scan_entries_per_s": round(scanned / scan_s), "evaluate_vs_scan": round(secs / scan_s, 2),
        "alerts": Alert.objects.count(),
    }  # fmt: skip
    write(STEP)
    read, secs = evaluate()
    out["next_step_with_full_behind_s"] = round(secs, 3)
    out["incremental_ratio"] = round(
        out["next_step_with_full_behind_s"] / out["next_step_with_small_behind_s"], 2
    )
    state = MonitorCursor.objects.get().state
    out["state_bytes"] = len(json.dumps(state))
    print(json.dumps(out, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
