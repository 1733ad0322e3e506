"""Ledger visibility index (CAR-12, docs/ledger.md): covering indexes on the need-to-know scope
table, so "which items may this person see today" (person or department, with dates) is an
index-only scan. The ledger filter reads them for every page; the largest department's scope is
17,500 items. Raw SQL on classification_itemscope, model state untouched; both databases."""

from django.db import migrations

INDEXES = [
    ("ledger_itemscope_dept_cover", "(department_id, item_id, starts_on, ends_on)"),
    ("ledger_itemscope_user_cover", "(user_id, item_id, starts_on, ends_on)"),
]


def forwards(apps, schema_editor):
    for name, columns in INDEXES:
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON classification_itemscope {columns}")


def backwards(apps, schema_editor):
    for name, _ in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("carriers", "0003_ledger_search_indexes"), ("classification", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
