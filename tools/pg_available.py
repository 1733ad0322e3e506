"""Exit 0 when the PostgreSQL server for tests answers (BAOMI_TEST_POSTGRES_URL or the local
socket), 1 otherwise. Used by ``make test`` to decide whether to run the PostgreSQL pass."""

from __future__ import annotations

import os
import sys

import psycopg

url = os.environ.get("BAOMI_TEST_POSTGRES_URL", "postgresql:///postgres?host=/var/run/postgresql")
try:
    params = psycopg.conninfo.conninfo_to_dict(url)
    params["dbname"] = "postgres"  # the test database itself is created by the test run
    with psycopg.connect(**params, connect_timeout=3) as conn:
        conn.execute("SELECT 1")
except Exception as exc:
    print(f"PostgreSQL: {exc}", file=sys.stderr)
    sys.exit(1)
sys.exit(0)
