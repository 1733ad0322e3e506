"""The incident model now belongs to the incidents app (state only: the table stays)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("supervision", "0001_initial"),
        ("incidents", "0001_initial"),
        ("carriers", "0005_incident_moved"),
        ("personnel", "0003_incident_moved"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=[migrations.DeleteModel(name="Incident")],
                                            database_operations=[]),
    ]
