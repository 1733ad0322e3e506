"""Commands on a database not yet migrated (OPS): `baomi keys list` and the others say in
Chinese what to run first — never a Python traceback. Runs against an empty SQLite file, or an
empty PostgreSQL database in the PostgreSQL pass."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid

import pytest

CHILD = "import sys; from baomi.cli import main; sys.exit(main(sys.argv[1:]))"


@pytest.fixture
def empty_database(tmp_path):
    """Environment for a child process whose database exists but has no tables."""
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="baomi.settings", BAOMI_DATA_DIR=str(tmp_path / "data"),
               BAOMI_KEY_DIR=str(tmp_path / "keys"))  # fmt: skip
    (tmp_path / "data").mkdir()
    if os.environ.get("BAOMI_TEST_DB") != "postgres":
        env.pop("BAOMI_DATABASE_URL", None)
        yield env
        return
    import psycopg
    from psycopg.conninfo import conninfo_to_dict, make_conninfo

    name = f"baomi_unmigrated_{uuid.uuid4().hex[:8]}"
    params = conninfo_to_dict(
        os.environ.get("BAOMI_TEST_POSTGRES_URL", "postgresql:///baomi?host=/var/run/postgresql")
    )
    admin = make_conninfo(**{**params, "dbname": "postgres"})
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        env["BAOMI_TEST_POSTGRES_URL"] = (
            f"postgresql:///{name}?host={params.get('host', '/var/run/postgresql')}"
        )
        yield env
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.mark.parametrize("command", [["keys", "list"], ["audit", "verify"]])
def test_commands_on_an_unmigrated_database_say_what_to_run(empty_database, command):
    """OPS, issue 12 §5: the message names `baomi migrate`; no traceback reaches the person."""
    done = subprocess.run([sys.executable, "-c", CHILD, *command], env=empty_database, capture_output=True,
                          text=True, timeout=300)  # fmt: skip
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr
    assert "数据库尚未建立" in done.stderr and "baomi migrate" in done.stderr
