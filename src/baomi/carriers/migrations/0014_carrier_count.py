# Carriers counted by department × level × status, kept by triggers in every writer's
# transaction (carriers/tally.py; OPS-1 speed): rows are added (+1 for the new cell, -1 for the
# old one), never updated, so writers never wait on a shared counter. Filled once from the
# registry as it stands.

from django.db import migrations, models

_PG = [
    """
    CREATE FUNCTION carriers_count_move() RETURNS trigger AS $$
    BEGIN
        IF TG_OP IN ('UPDATE', 'DELETE') THEN
            INSERT INTO carriers_carriercount (department_id, level, status, n)
            VALUES (OLD.department_id, OLD.level, OLD.status, -1);
        END IF;
        IF TG_OP IN ('INSERT', 'UPDATE') THEN
            INSERT INTO carriers_carriercount (department_id, level, status, n)
            VALUES (NEW.department_id, NEW.level, NEW.status, 1);
        END IF;
        RETURN NULL;
    END $$ LANGUAGE plpgsql
    """,
    "CREATE TRIGGER carriers_count_insert_delete AFTER INSERT OR DELETE ON carriers_carrier "
    "FOR EACH ROW EXECUTE FUNCTION carriers_count_move()",
    "CREATE TRIGGER carriers_count_update AFTER UPDATE OF department_id, level, status ON carriers_carrier "
    "FOR EACH ROW WHEN (OLD.department_id IS DISTINCT FROM NEW.department_id OR OLD.level IS DISTINCT FROM "
    "NEW.level OR OLD.status IS DISTINCT FROM NEW.status) EXECUTE FUNCTION carriers_count_move()",
]
_PG_DROP = [
    "DROP TRIGGER IF EXISTS carriers_count_update ON carriers_carrier",
    "DROP TRIGGER IF EXISTS carriers_count_insert_delete ON carriers_carrier",
    "DROP FUNCTION IF EXISTS carriers_count_move()",
]
_ROW = "INSERT INTO carriers_carriercount (department_id, level, status, n) VALUES ({0}.department_id, {0}.level, {0}.status, {1});"
_SQLITE = [
    f"CREATE TRIGGER carriers_count_insert AFTER INSERT ON carriers_carrier BEGIN {_ROW.format('NEW', 1)} END",
    # Django's flush of a test database on SQLite deletes table by table in no fixed order: with
    # the count emptied first, the carriers' deletion would leave -1 rows behind. A count with no
    # row while carriers exist cannot happen otherwise, so that case adds nothing.
    "CREATE TRIGGER carriers_count_delete AFTER DELETE ON carriers_carrier "
    f"WHEN EXISTS (SELECT 1 FROM carriers_carriercount) BEGIN {_ROW.format('OLD', -1)} END",
    "CREATE TRIGGER carriers_count_update AFTER UPDATE OF department_id, level, status ON carriers_carrier "
    "WHEN OLD.department_id IS NOT NEW.department_id OR OLD.level IS NOT NEW.level OR OLD.status IS NOT NEW.status "
    f"BEGIN {_ROW.format('OLD', -1)} {_ROW.format('NEW', 1)} END",
]
_SQLITE_DROP = [f"DROP TRIGGER IF EXISTS carriers_count_{op}" for op in ("insert", "delete", "update")]
_FILL = (
    "INSERT INTO carriers_carriercount (department_id, level, status, n) "
    "SELECT department_id, level, status, COUNT(*) FROM carriers_carrier GROUP BY department_id, level, status"
)


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    statements = {"postgresql": _PG, "sqlite": _SQLITE}.get(vendor)
    if statements is None:  # pragma: no cover - only SQLite and PostgreSQL are supported
        raise RuntimeError(f"no carrier count triggers for {vendor}")
    for sql in [*statements, _FILL]:
        schema_editor.execute(sql)


def backwards(apps, schema_editor):
    drops = _PG_DROP if schema_editor.connection.vendor == "postgresql" else _SQLITE_DROP
    for sql in drops:
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [
        ("carriers", "0013_flow_indexes"),
    ]

    operations = [
        migrations.CreateModel(
            name="CarrierCount",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("department_id", models.BigIntegerField(verbose_name="department")),
                ("level", models.CharField(max_length=20, verbose_name="level")),
                ("status", models.CharField(max_length=20, verbose_name="status")),
                ("n", models.IntegerField(verbose_name="carriers")),
            ],
            options={
                "verbose_name": "carrier count",
                "verbose_name_plural": "carrier counts",
            },
        ),
        migrations.RunPython(forwards, backwards),
    ]
