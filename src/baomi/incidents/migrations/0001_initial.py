"""Take over the incident model of the supervision stub without touching its table (state only).

The table ``supervision_incident`` and every row in it stay as they are; 0002 renames the table
once the foreign keys of carriers and personnel point here and supervision has let go."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("supervision", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Incident",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("title", models.CharField(max_length=300, verbose_name="title")),
                        ("description", models.TextField(blank=True, verbose_name="description")),
                        ("source", models.CharField(blank=True, max_length=50, verbose_name="source")),
                        ("source_ref", models.CharField(blank=True, max_length=100, verbose_name="source reference")),
                        ("level", models.CharField(blank=True, max_length=20, verbose_name="level")),
                        ("status", models.CharField(choices=[("open", "Open"), ("investigating", "Under investigation"), ("closed", "Closed")], default="open", editable=False, max_length=20, verbose_name="status")),
                        ("discovered_at", models.DateTimeField(default=django.utils.timezone.now, verbose_name="discovered at")),
                        ("opened_at", models.DateTimeField(default=django.utils.timezone.now, editable=False, verbose_name="opened at")),
                        ("opened_by", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name="+", to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        "verbose_name": "incident",
                        "verbose_name_plural": "incidents",
                        "ordering": ["-opened_at"],
                        "db_table": "supervision_incident",
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
