# Carrier requests on the shared request base (baomi.kit.requests): the field is renamed
# decision_note -> decision_reason, its column stays "decision_note" (no SQL on either database).

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('carriers', '0006_merge_0005_carrier_former_number_0005_incident_moved'),
    ]

    operations = [
        migrations.AlterField(
            model_name='copyrequest',
            name='decision_note',
            field=models.CharField(blank=True, db_column='decision_note', max_length=300, verbose_name='decision note'),
        ),
        migrations.RenameField(
            model_name='copyrequest',
            old_name='decision_note',
            new_name='decision_reason',
        ),
        migrations.AlterField(
            model_name='destructionrequest',
            name='decision_note',
            field=models.CharField(blank=True, db_column='decision_note', max_length=300, verbose_name='decision note'),
        ),
        migrations.RenameField(
            model_name='destructionrequest',
            old_name='decision_note',
            new_name='decision_reason',
        ),
        migrations.AlterField(
            model_name='downloadrequest',
            name='decision_note',
            field=models.CharField(blank=True, db_column='decision_note', max_length=300, verbose_name='decision note'),
        ),
        migrations.RenameField(
            model_name='downloadrequest',
            old_name='decision_note',
            new_name='decision_reason',
        ),
        migrations.AlterField(
            model_name='loanrequest',
            name='decision_note',
            field=models.CharField(blank=True, db_column='decision_note', max_length=300, verbose_name='decision note'),
        ),
        migrations.RenameField(
            model_name='loanrequest',
            old_name='decision_note',
            new_name='decision_reason',
        ),
        migrations.AlterField(
            model_name='takeoutrequest',
            name='decision_note',
            field=models.CharField(blank=True, db_column='decision_note', max_length=300, verbose_name='decision note'),
        ),
        migrations.RenameField(
            model_name='takeoutrequest',
            old_name='decision_note',
            new_name='decision_reason',
        ),
    ]
