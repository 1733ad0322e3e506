"""The incident model moved from supervision to incidents (state only: same table, same rows)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("carriers", "0004_ledger_visibility_index"),
        ("incidents", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="inventoryentry",
                    name="incident",
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name="+", to="incidents.incident"),
                ),
            ],
            database_operations=[],
        ),
    ]
