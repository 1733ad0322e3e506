"""The travel request on the shared request base (baomi.kit.requests, issue 10): four fields take
the base's names — created_by → requested_by, created_at → requested_at, purpose → reason,
decision_note → decision_reason. Columns are renamed; rows and stored status values stay."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("personnel", "0003_incident_moved"),
    ]

    operations = [
        migrations.RenameField(model_name="travelrequest", old_name="created_by", new_name="requested_by"),
        migrations.RenameField(model_name="travelrequest", old_name="created_at", new_name="requested_at"),
        migrations.RenameField(model_name="travelrequest", old_name="purpose", new_name="reason"),
        migrations.RenameField(model_name="travelrequest", old_name="decision_note", new_name="decision_reason"),
        migrations.AlterModelOptions(
            name="travelrequest",
            options={"ordering": ["-requested_at", "-id"], "verbose_name": "travel request"},
        ),
    ]
