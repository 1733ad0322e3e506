# The carriers a reader's scope reaches are counted by department × level × status from one index
# alone (OPS-1 speed, carriers.rules.visible_cells). It leads with the item, so it also serves
# every lookup the item's own index served, which goes.
#
# The item's index is dropped by name, not by altering the field: on SQLite altering a field
# rebuilds the table, and the rebuilt table would lose its triggers (the kept count of 0014, the
# ledger's full-text index).

import django.db.models.deletion
from django.db import migrations, models

ITEM_INDEX = "carriers_carrier_item_id_d6e81abd"  # the name Django gave the foreign key's index


class Migration(migrations.Migration):
    dependencies = [
        ("carriers", "0014_carrier_count"),
        ("classification", "0007_flow_indexes"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="carrier",
            index=models.Index(fields=["item", "department", "level", "status"], name="carrier_item_cells"),
        ),
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="carrier",
                    name="item",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="carriers",
                        to="classification.item",
                        verbose_name="classified item",
                    ),
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    f'DROP INDEX IF EXISTS "{ITEM_INDEX}"',
                    reverse_sql=f'CREATE INDEX "{ITEM_INDEX}" ON "carriers_carrier" ("item_id")',
                ),
            ],
        ),
    ]
