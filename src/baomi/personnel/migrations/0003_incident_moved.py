"""The incident model moved from supervision to incidents (state only: same table, same rows)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("personnel", "0002_labels"),
        ("incidents", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="violationreport",
                    name="incident",
                    field=models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name="+", to="incidents.incident"),
                ),
                migrations.AlterField(
                    model_name="sanction",
                    name="incident",
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name="+", to="incidents.incident", verbose_name="incident"),
                ),
            ],
            database_operations=[],
        ),
    ]
