# Carriers get the integrity binding items have (issue 11 §4, CLS-7, R-CRYPTO-5): a MAC over the
# level, registry number, 份号, kind and item, checked by the access policy. The rows that exist
# are bound here, as they stand: they were written by the services before the binding existed.
# On SQLite adding the column rebuilds carriers_carrier and drops the search triggers: they are
# made again and the FTS table rebuilt, as in 0005 (baomi.carriers.ledger.ensure_search_index).

from django.db import migrations, models

BATCH = 2000


def bind_existing(apps, schema_editor):
    from baomi.carriers import integrity

    Carrier = apps.get_model("carriers", "Carrier")
    rows = Carrier.objects.using(schema_editor.connection.alias).filter(mark_mac="").order_by("pk")
    fields = ("pk", "registry_number", "copy_number", "kind", "item_id", "level", "mark_mac")
    while True:
        # Bound rows leave the filter, so the first batch is always the next one.
        batch = list(rows.only(*fields)[:BATCH])
        if not batch:
            return
        for carrier in batch:
            carrier.mark_mac = integrity.compute_mac(carrier)
        Carrier.objects.using(schema_editor.connection.alias).bulk_update(batch, ["mark_mac"])


def restore_search_index(apps, schema_editor):
    from baomi.carriers.ledger import ensure_search_index

    ensure_search_index(rebuild=True)


class Migration(migrations.Migration):

    dependencies = [
        ("carriers", "0007_request_base"),
    ]

    operations = [
        migrations.AddField(
            model_name="carrier",
            name="mark_mac",
            field=models.CharField(blank=True, editable=False, max_length=64, verbose_name="mark MAC"),
        ),
        migrations.RunPython(restore_search_index, migrations.RunPython.noop, elidable=False),
        migrations.RunPython(bind_existing, migrations.RunPython.noop, elidable=False),
    ]
