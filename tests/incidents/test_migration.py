"""The incident leaves the supervision stub with every row it had (SUP-2 "Shape first"): the
incidents an inventory, a missing carrier and a violation report opened before the move are
still there afterwards — kind, carriers and deadline filled in — and still linked from the
inventory entry and the violation report."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from tests.support import migrations

# The first migration of the move in each app; everything that depends on one of them is
# unapplied to get back to the stub (other apps' later migrations included).
MOVE = [
    ("incidents", "0001_initial"),
    ("carriers", "0005_incident_moved"),
    ("personnel", "0003_incident_moved"),
    ("supervision", "0002_incident_moved"),
]


@pytest.mark.django_db(transaction=True)
def test_rows_survive_the_move():
    executor = MigrationExecutor(connection)
    leaves = executor.loader.graph.leaf_nodes()
    targets, before = migrations.before(executor.loader.graph, MOVE)
    executor.migrate(targets)
    try:
        old = executor.loader.project_state(before).apps
        User = old.get_model("accounts", "User")
        Dept = old.get_model("accounts", "Department")
        Item = old.get_model("classification", "Item")
        Carrier = old.get_model("carriers", "Carrier")
        Campaign = old.get_model("carriers", "InventoryCampaign")
        Entry = old.get_model("carriers", "InventoryEntry")
        Report = old.get_model("personnel", "ViolationReport")
        OldIncident = old.get_model("supervision", "Incident")
        dept = Dept.objects.create(name="办公室", code="M-OFFICE")
        user = User.objects.create(username="m-officer", full_name="保密员", department=dept)
        item = Item.objects.create(title="t", level="secret", department=dept, proposed_by=user,
                                   duration_kind="period", duration_value=10, duration_unit="year")  # fmt: skip
        carrier = Carrier.objects.create(registry_number="M-2026-0001", year=2026, kind="paper", sequence=1,
                                         copy_number="000001", item=item, level="secret", title="t",
                                         custodian=user, department=dept, registered_by=user)  # fmt: skip
        found = timezone.now() - timedelta(days=2)
        lost = OldIncident.objects.create(title="载体丢失", source="inventory", source_ref="1", level="secret",
                                          discovered_at=found, opened_by=user)  # fmt: skip
        campaign = Campaign.objects.create(title="清点", due_on=found.date(), started_by=user)
        Entry.objects.create(
            campaign=campaign, carrier=carrier, custodian=user, result="missing", incident=lost
        )
        leak = OldIncident.objects.create(title="违规报告 #1", source="violation_report", source_ref="1",
                                          discovered_at=found, opened_by=user)  # fmt: skip
        Report.objects.create(kind="leak", description="d", reporter=user, status="incident", incident=leak)
        other = OldIncident.objects.create(title="脱密期违规", source="separation_breach", source_ref="9",
                                           discovered_at=found)  # fmt: skip
        executor.loader.build_graph()
        executor.migrate(leaves)
        from baomi.carriers.models import InventoryEntry
        from baomi.incidents.models import Incident, IncidentCarrier
        from baomi.personnel.models import ViolationReport

        assert Incident._meta.db_table == "incidents_incident"
        rows = {i.pk: i for i in Incident.objects.all()}
        assert set(rows) == {lost.pk, leak.pk, other.pk}
        assert rows[lost.pk].kind == "lost_carrier" and rows[lost.pk].deadline_at == found + timedelta(
            hours=24
        )
        assert rows[lost.pk].title == "载体丢失" and rows[lost.pk].opened_by_id == user.pk
        assert IncidentCarrier.objects.filter(incident_id=lost.pk, carrier_id=carrier.pk, lost=True).exists()
        assert rows[leak.pk].kind == "suspected_leak"
        assert rows[other.pk].kind == "other" and rows[other.pk].deadline_at is None
        assert InventoryEntry.objects.get(carrier_id=carrier.pk).incident_id == lost.pk
        assert ViolationReport.objects.get(incident_id=leak.pk).incident.title == "违规报告 #1"
    finally:
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())
