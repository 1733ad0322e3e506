from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("vault", "0002_blob_digest_algorithm")]

    operations = [
        migrations.AddField(
            model_name="blob",
            name="location",
            field=models.CharField(default="local", editable=False, max_length=10, verbose_name="store"),
        ),
    ]
