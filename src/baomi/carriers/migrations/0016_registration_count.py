# Carriers counted by the UTC day of their registration × level, kept by triggers in every
# writer's transaction as the count of 0014 is (carriers/tally.py; OPS-1 speed): the security
# office's registrations per month without reading the year's index entries. The day is the UTC
# date, so no time zone is built into the database; a month in the local zone is its whole UTC
# days from here plus the hours at its two ends from the registry (tally.registered). Filled
# once from the registry as it stands.

from django.db import migrations, models

_PG = [
    """
    CREATE FUNCTION carriers_registered_move() RETURNS trigger AS $$
    BEGIN
        IF TG_OP IN ('UPDATE', 'DELETE') THEN
            INSERT INTO carriers_registrationcount (day, level, n)
            VALUES ((OLD.registered_at AT TIME ZONE 'UTC')::date, OLD.level, -1);
        END IF;
        IF TG_OP IN ('INSERT', 'UPDATE') THEN
            INSERT INTO carriers_registrationcount (day, level, n)
            VALUES ((NEW.registered_at AT TIME ZONE 'UTC')::date, NEW.level, 1);
        END IF;
        RETURN NULL;
    END $$ LANGUAGE plpgsql
    """,
    "CREATE TRIGGER carriers_registered_insert_delete AFTER INSERT OR DELETE ON carriers_carrier "
    "FOR EACH ROW EXECUTE FUNCTION carriers_registered_move()",
    "CREATE TRIGGER carriers_registered_update AFTER UPDATE OF level, registered_at ON carriers_carrier "
    "FOR EACH ROW WHEN (OLD.level IS DISTINCT FROM NEW.level OR OLD.registered_at IS DISTINCT FROM "
    "NEW.registered_at) EXECUTE FUNCTION carriers_registered_move()",
]
_PG_DROP = [
    "DROP TRIGGER IF EXISTS carriers_registered_update ON carriers_carrier",
    "DROP TRIGGER IF EXISTS carriers_registered_insert_delete ON carriers_carrier",
    "DROP FUNCTION IF EXISTS carriers_registered_move()",
]
# Django keeps SQLite datetimes as UTC text ("2026-03-01 07:00:00.000000"): date() is its UTC day.
_ROW = "INSERT INTO carriers_registrationcount (day, level, n) VALUES (date({0}.registered_at), {0}.level, {1});"
_SQLITE = [
    f"CREATE TRIGGER carriers_registered_insert AFTER INSERT ON carriers_carrier BEGIN {_ROW.format('NEW', 1)} END",
    # As in 0014: a flush of a test database deletes table by table in no fixed order, and with
    # the count emptied first the carriers' deletion would leave -1 rows behind.
    "CREATE TRIGGER carriers_registered_delete AFTER DELETE ON carriers_carrier "
    f"WHEN EXISTS (SELECT 1 FROM carriers_registrationcount) BEGIN {_ROW.format('OLD', -1)} END",
    "CREATE TRIGGER carriers_registered_update AFTER UPDATE OF level, registered_at ON carriers_carrier "
    "WHEN OLD.level IS NOT NEW.level OR OLD.registered_at IS NOT NEW.registered_at "
    f"BEGIN {_ROW.format('OLD', -1)} {_ROW.format('NEW', 1)} END",
]
_SQLITE_DROP = [f"DROP TRIGGER IF EXISTS carriers_registered_{op}" for op in ("insert", "delete", "update")]
_FILL = {
    "postgresql": "INSERT INTO carriers_registrationcount (day, level, n) "
    "SELECT (registered_at AT TIME ZONE 'UTC')::date, level, COUNT(*) FROM carriers_carrier GROUP BY 1, 2",
    "sqlite": "INSERT INTO carriers_registrationcount (day, level, n) "
    "SELECT date(registered_at), level, COUNT(*) FROM carriers_carrier GROUP BY 1, 2",
}


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    statements = {"postgresql": _PG, "sqlite": _SQLITE}.get(vendor)
    if statements is None:  # pragma: no cover - only SQLite and PostgreSQL are supported
        raise RuntimeError(f"no registration count triggers for {vendor}")
    for sql in [*statements, _FILL[vendor]]:
        schema_editor.execute(sql)


def backwards(apps, schema_editor):
    drops = _PG_DROP if schema_editor.connection.vendor == "postgresql" else _SQLITE_DROP
    for sql in drops:
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [
        ("carriers", "0015_item_cells_index"),
    ]

    operations = [
        migrations.CreateModel(
            name="RegistrationCount",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("day", models.DateField(verbose_name="registered on (UTC)")),
                ("level", models.CharField(max_length=20, verbose_name="level")),
                ("n", models.IntegerField(verbose_name="carriers")),
            ],
            options={
                "verbose_name": "registration count",
                "verbose_name_plural": "registration counts",
                "indexes": [models.Index(fields=["day", "level"], name="carrier_registered_day")],
            },
        ),
        migrations.RunPython(forwards, backwards),
    ]
