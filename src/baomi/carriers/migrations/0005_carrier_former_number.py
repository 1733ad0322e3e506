"""A carrier's former number (imports of the ledgers an office kept before, issue 19). On
SQLite, adding the column rebuilds carriers_carrier and drops the search triggers: they are
made again and the FTS table rebuilt (baomi.carriers.ledger.ensure_search_index)."""

from django.db import migrations, models


def restore_search_index(apps, schema_editor):
    from baomi.carriers.ledger import ensure_search_index

    ensure_search_index(rebuild=True)


class Migration(migrations.Migration):
    dependencies = [("carriers", "0004_ledger_visibility_index")]

    operations = [
        migrations.AddField(
            model_name="carrier",
            name="former_number",
            field=models.CharField(blank=True, db_index=True, max_length=60, verbose_name="former number"),
        ),
        migrations.RunPython(restore_search_index, migrations.RunPython.noop, elidable=False),
    ]
