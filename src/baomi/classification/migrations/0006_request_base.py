"""The classification and need-to-know expansion requests on the shared request base
(baomi.kit.requests, issue 10): the proposal's proposed_by / proposed_at take the base's names
requested_by / requested_at (columns renamed); the expansion request takes the base's verbose
names (no SQL). Rows and stored status values (pending, pending_upward, refused …) stay."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('classification', '0005_request_recorded_authority'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RenameField(model_name="classificationrequest", old_name="proposed_by", new_name="requested_by"),
        migrations.RenameField(model_name="classificationrequest", old_name="proposed_at", new_name="requested_at"),
        migrations.AlterModelOptions(
            name="classificationrequest",
            options={
                "ordering": ["-requested_at", "-id"],
                "verbose_name": "classification request",
                "verbose_name_plural": "classification requests",
            },
        ),
        migrations.AlterField(
            model_name='expansionrequest',
            name='decided_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='decided by'),
        ),
        migrations.AlterField(
            model_name='expansionrequest',
            name='requested_by',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='requested by'),
        ),
    ]
