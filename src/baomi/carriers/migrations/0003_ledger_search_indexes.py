"""Ledger indexes (CAR-12, docs/ledger.md): newest-first per custodian and per department, and
the substring search on title and registry number — pg_trgm GIN indexes (plus a one- and
two-character gram index for short terms) on PostgreSQL, an FTS5 trigram table kept by triggers
on SQLite. Raw SQL so the model state is untouched."""

from django.db import migrations

COMMON = [
    ("CREATE INDEX IF NOT EXISTS ledger_carrier_custodian_newest "
     "ON carriers_carrier (custodian_id, registered_at DESC, id DESC)",
     "DROP INDEX IF EXISTS ledger_carrier_custodian_newest"),
    ("CREATE INDEX IF NOT EXISTS ledger_carrier_dept_newest "
     "ON carriers_carrier (department_id, registered_at DESC, id DESC)",
     "DROP INDEX IF EXISTS ledger_carrier_dept_newest"),
]
POSTGRES = [
    ("CREATE EXTENSION IF NOT EXISTS pg_trgm", None),
    ("CREATE INDEX IF NOT EXISTS ledger_carrier_title_trgm ON carriers_carrier USING gin (title gin_trgm_ops)",
     "DROP INDEX IF EXISTS ledger_carrier_title_trgm"),
    ("CREATE INDEX IF NOT EXISTS ledger_carrier_number_trgm "
     "ON carriers_carrier USING gin (registry_number gin_trgm_ops)",
     "DROP INDEX IF EXISTS ledger_carrier_number_trgm"),
    # Trigrams cannot answer one- or two-character terms; every single character and every
    # pair of adjacent characters of the title can (exact for such terms, see docs/ledger.md).
    ("CREATE OR REPLACE FUNCTION ledger_short_grams(t text) RETURNS text[] "
     "LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$ "
     "SELECT coalesce(array_agg(DISTINCT g), '{}') FROM ("
     "SELECT substr(t, i, 1) AS g FROM generate_series(1, char_length(t)) AS i "
     "UNION SELECT substr(t, i, 2) FROM generate_series(1, char_length(t) - 1) AS i) AS grams $$",
     "DROP FUNCTION IF EXISTS ledger_short_grams(text)"),
    ("CREATE INDEX IF NOT EXISTS ledger_carrier_title_grams "
     "ON carriers_carrier USING gin (ledger_short_grams(title))",
     "DROP INDEX IF EXISTS ledger_carrier_title_grams"),
]
SQLITE_FTS = [  # the same statements as baomi.carriers.ledger.SQLITE_FTS_SQL, frozen here
    "CREATE VIRTUAL TABLE IF NOT EXISTS carriers_carrier_fts USING fts5(title, registry_number, "
    "content='carriers_carrier', content_rowid='id', tokenize='trigram')",
    "CREATE TRIGGER IF NOT EXISTS carriers_carrier_fts_ai AFTER INSERT ON carriers_carrier BEGIN "
    "INSERT INTO carriers_carrier_fts(rowid, title, registry_number) "
    "VALUES (new.id, new.title, new.registry_number); END",
    "CREATE TRIGGER IF NOT EXISTS carriers_carrier_fts_ad AFTER DELETE ON carriers_carrier BEGIN "
    "INSERT INTO carriers_carrier_fts(carriers_carrier_fts, rowid, title, registry_number) "
    "VALUES ('delete', old.id, old.title, old.registry_number); END",
    "CREATE TRIGGER IF NOT EXISTS carriers_carrier_fts_au AFTER UPDATE OF title, registry_number "
    "ON carriers_carrier BEGIN "
    "INSERT INTO carriers_carrier_fts(carriers_carrier_fts, rowid, title, registry_number) "
    "VALUES ('delete', old.id, old.title, old.registry_number); "
    "INSERT INTO carriers_carrier_fts(rowid, title, registry_number) "
    "VALUES (new.id, new.title, new.registry_number); END",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS carriers_carrier_fts_ai",
    "DROP TRIGGER IF EXISTS carriers_carrier_fts_ad",
    "DROP TRIGGER IF EXISTS carriers_carrier_fts_au",
    "DROP TABLE IF EXISTS carriers_carrier_fts",
]


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    statements = [up for up, _ in COMMON]
    if vendor == "postgresql":
        statements += [up for up, _ in POSTGRES]
    for sql in statements:
        schema_editor.execute(sql)
    if vendor == "sqlite":
        for sql in SQLITE_FTS:
            schema_editor.execute(sql)
        schema_editor.execute("INSERT INTO carriers_carrier_fts(carriers_carrier_fts) VALUES ('rebuild')")


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    statements = [down for _, down in COMMON]
    if vendor == "postgresql":
        statements += [down for _, down in reversed(POSTGRES) if down]
    if vendor == "sqlite":
        statements += SQLITE_DROP
    for sql in statements:
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("carriers", "0002_lifecycle")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
