from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="jobrun",
            name="audited",
            field=models.BooleanField(default=False, verbose_name="audited"),
        ),
    ]
