"""The incident grows its journal, links, reports, notices and clock (SUP-2, R-INC-1..5).

The table of the supervision stub is renamed ``incidents_incident``; every row stays. Existing
rows get their kind from what opened them (a missing carrier or an inventory's missing entry:
lost carrier; a violation report of a suspected leak: suspected leak), their carriers linked,
and the reporting deadline fixed at discovery + ``INCIDENT_REPORT_HOURS`` where it applies.
"""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


def classify_existing(apps, schema_editor):
    """Give the rows the stub stored a kind, their carriers and a deadline."""
    from datetime import timedelta

    Incident = apps.get_model("incidents", "Incident")
    IncidentCarrier = apps.get_model("incidents", "IncidentCarrier")
    Carrier = apps.get_model("carriers", "Carrier")
    InventoryEntry = apps.get_model("carriers", "InventoryEntry")
    ViolationReport = apps.get_model("personnel", "ViolationReport")
    hours = int(getattr(settings, "INCIDENT_REPORT_HOURS", 24))
    clock_kinds = {"lost_carrier", "suspected_leak", "network_data"}
    state_secret = {"confidential", "secret", "top_secret"}
    for incident in Incident.objects.all():
        kind, carriers = "other", []
        if incident.source == "carrier":
            kind = "lost_carrier"
            carriers = [(c, True) for c in Carrier.objects.filter(registry_number=incident.source_ref)]
        for entry in InventoryEntry.objects.filter(incident_id=incident.pk):
            lost = entry.result == "missing"
            kind = "lost_carrier" if lost else kind
            carriers.append((entry.carrier, lost))
        if incident.source == "violation_report":
            if ViolationReport.objects.filter(incident_id=incident.pk, kind="leak").exists():
                kind = "suspected_leak"
        incident.kind = kind
        if kind in clock_kinds or incident.level in state_secret:
            incident.deadline_at = incident.discovered_at + timedelta(hours=hours)
        incident.save(update_fields=["kind", "deadline_at"])
        for carrier, lost in carriers:
            IncidentCarrier.objects.get_or_create(incident=incident, carrier=carrier, defaults={"lost": lost})


class Migration(migrations.Migration):

    dependencies = [
        ('carriers', '0005_incident_moved'),
        ('classification', '0003_expansion_designee'),
        ('incidents', '0001_initial'),
        ('personnel', '0003_incident_moved'),
        ('supervision', '0002_incident_moved'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='IncidentCarrier',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('lost', models.BooleanField(default=False, verbose_name='lost')),
                ('added_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='added at')),
            ],
            options={
                'verbose_name': 'carrier involved',
            },
        ),
        migrations.CreateModel(
            name='IncidentEntry',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('action', 'Remedial action'), ('note', 'Investigation note'), ('notification', 'Notification (通报)'), ('addendum', 'Addendum')], max_length=20, verbose_name='kind')),
                ('text', models.TextField(verbose_name='text')),
                ('occurred_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='time')),
                ('audience', models.CharField(blank=True, max_length=300, verbose_name='notified to')),
                ('recorded_at', models.DateTimeField(default=django.utils.timezone.now, editable=False, verbose_name='recorded at')),
            ],
            options={
                'verbose_name': 'incident entry',
                'ordering': ['occurred_at', 'id'],
            },
        ),
        migrations.CreateModel(
            name='IncidentItem',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('added_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='added at')),
            ],
            options={
                'verbose_name': 'item involved',
            },
        ),
        migrations.CreateModel(
            name='PersonalInfoNotice',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('audience', models.CharField(choices=[('individuals', 'The individuals concerned'), ('supervisor', 'The supervising department')], max_length=20, verbose_name='notified to')),
                ('notified_at', models.DateTimeField(verbose_name='notified at')),
                ('channel', models.CharField(choices=[('phone', 'Telephone'), ('confidential_fax', 'Confidential fax'), ('confidential_mail', 'Confidential mail service (机要通信)'), ('document', 'Official document'), ('in_person', 'In person'), ('secure_network', 'Classified network'), ('other', 'Other')], max_length=30, verbose_name='channel')),
                ('info_types', models.CharField(max_length=300, verbose_name='types of information')),
                ('cause', models.CharField(max_length=300, verbose_name='cause')),
                ('likely_harm', models.CharField(max_length=300, verbose_name='likely harm')),
                ('measures', models.CharField(max_length=300, verbose_name='measures taken')),
                ('remedies', models.CharField(max_length=300, verbose_name='what individuals can do')),
                ('contact', models.CharField(max_length=200, verbose_name='contact')),
                ('recorded_at', models.DateTimeField(default=django.utils.timezone.now, editable=False, verbose_name='recorded at')),
            ],
            options={
                'verbose_name': 'personal-information notice',
                'ordering': ['notified_at', 'id'],
            },
        ),
        migrations.CreateModel(
            name='UpwardReport',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('recipient', models.CharField(choices=[('same_level', 'Same-level secrecy administration'), ('superior', 'Superior department')], max_length=20, verbose_name='recipient')),
                ('reported_at', models.DateTimeField(verbose_name='reported at')),
                ('channel', models.CharField(choices=[('phone', 'Telephone'), ('confidential_fax', 'Confidential fax'), ('confidential_mail', 'Confidential mail service (机要通信)'), ('document', 'Official document'), ('in_person', 'In person'), ('secure_network', 'Classified network'), ('other', 'Other')], max_length=30, verbose_name='channel')),
                ('reference', models.CharField(max_length=200, verbose_name='reference')),
                ('late', models.BooleanField(default=False, editable=False, verbose_name='late')),
                ('recorded_at', models.DateTimeField(default=django.utils.timezone.now, editable=False, verbose_name='recorded at')),
            ],
            options={
                'verbose_name': 'upward report',
                'ordering': ['reported_at', 'id'],
            },
        ),
        migrations.AlterModelOptions(
            name='incident',
            options={'ordering': ['-opened_at', '-id'], 'verbose_name': 'incident', 'verbose_name_plural': 'incidents'},
        ),
        migrations.AddField(
            model_name='incident',
            name='case_filed_at',
            field=models.DateTimeField(blank=True, editable=False, null=True, verbose_name='case filed at'),
        ),
        migrations.AddField(
            model_name='incident',
            name='case_filed_by',
            field=models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='incident',
            name='case_number',
            field=models.CharField(blank=True, editable=False, max_length=100, verbose_name='case number'),
        ),
        migrations.AddField(
            model_name='incident',
            name='closed_at',
            field=models.DateTimeField(blank=True, editable=False, null=True, verbose_name='closed at'),
        ),
        migrations.AddField(
            model_name='incident',
            name='closed_by',
            field=models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='incident',
            name='concluded_at',
            field=models.DateTimeField(blank=True, editable=False, null=True, verbose_name='concluded at'),
        ),
        migrations.AddField(
            model_name='incident',
            name='concluded_by',
            field=models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='incident',
            name='conclusion',
            field=models.TextField(blank=True, editable=False, verbose_name='conclusion'),
        ),
        migrations.AddField(
            model_name='incident',
            name='deadline_at',
            field=models.DateTimeField(blank=True, editable=False, null=True, verbose_name='report deadline'),
        ),
        migrations.AddField(
            model_name='incident',
            name='handler',
            field=models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='handled_incidents', to=settings.AUTH_USER_MODEL, verbose_name='handler'),
        ),
        migrations.AddField(
            model_name='incident',
            name='kind',
            field=models.CharField(choices=[('lost_carrier', 'Lost carrier'), ('suspected_leak', 'Suspected leak'), ('network_data', 'Network or data incident'), ('personal_information', 'Personal-information incident'), ('other', 'Other')], default='other', max_length=30, verbose_name='kind'),
        ),
        migrations.AddField(
            model_name='incident',
            name='overdue_at',
            field=models.DateTimeField(blank=True, editable=False, null=True, verbose_name='deadline missed at'),
        ),
        migrations.AddField(
            model_name='incident',
            name='place',
            field=models.CharField(blank=True, max_length=200, verbose_name='where'),
        ),
        migrations.AddField(
            model_name='incident',
            name='reminded_hours',
            field=models.PositiveSmallIntegerField(default=0, editable=False),
        ),
        migrations.AddField(
            model_name='incident',
            name='review_result',
            field=models.CharField(blank=True, choices=[('leaked', 'State secret leaked'), ('possibly_leaked', 'Leak cannot be ruled out'), ('not_leaked', 'No leak'), ('not_secret', 'No state secret involved')], editable=False, max_length=20, verbose_name='review conclusion'),
        ),
        migrations.AlterField(
            model_name='incident',
            name='status',
            field=models.CharField(choices=[('open', 'Open'), ('investigating', 'Under investigation'), ('concluded', 'Concluded'), ('closed', 'Closed')], default='open', editable=False, max_length=20, verbose_name='status'),
        ),
        migrations.AddIndex(
            model_name='incident',
            index=models.Index(fields=['status', 'deadline_at'], name='incident_clock'),
        ),
        migrations.AlterModelTable(
            name='incident',
            table=None,
        ),
        migrations.AddField(
            model_name='incidentcarrier',
            name='added_by',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='incidentcarrier',
            name='carrier',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='carriers.carrier', verbose_name='carrier'),
        ),
        migrations.AddField(
            model_name='incidentcarrier',
            name='incident',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='carrier_links', to='incidents.incident'),
        ),
        migrations.AddField(
            model_name='incidententry',
            name='actor',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='by'),
        ),
        migrations.AddField(
            model_name='incidententry',
            name='incident',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='entries', to='incidents.incident'),
        ),
        migrations.AddField(
            model_name='incidententry',
            name='recorded_by',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='incidentitem',
            name='added_by',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='incidentitem',
            name='incident',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='item_links', to='incidents.incident'),
        ),
        migrations.AddField(
            model_name='incidentitem',
            name='item',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='classification.item', verbose_name='classified item'),
        ),
        migrations.AddField(
            model_name='personalinfonotice',
            name='incident',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='notices', to='incidents.incident'),
        ),
        migrations.AddField(
            model_name='personalinfonotice',
            name='recorded_by',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='upwardreport',
            name='incident',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='upward_reports', to='incidents.incident'),
        ),
        migrations.AddField(
            model_name='upwardreport',
            name='recorded_by',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddConstraint(
            model_name='incidentcarrier',
            constraint=models.UniqueConstraint(fields=('incident', 'carrier'), name='incident_carrier_once'),
        ),
        migrations.AddConstraint(
            model_name='incidentitem',
            constraint=models.UniqueConstraint(fields=('incident', 'item'), name='incident_item_once'),
        ),
        migrations.AddConstraint(
            model_name='personalinfonotice',
            constraint=models.UniqueConstraint(fields=('incident', 'audience'), name='incident_notice_once'),
        ),
        migrations.AddConstraint(
            model_name='upwardreport',
            constraint=models.UniqueConstraint(fields=('incident', 'recipient'), name='incident_report_once'),
        ),
        migrations.RunPython(classify_existing, migrations.RunPython.noop, elidable=False),
    ]
