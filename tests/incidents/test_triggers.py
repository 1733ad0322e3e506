"""R-INC-5 below the ORM: on PostgreSQL a closed incident and its records refuse UPDATE and
DELETE whoever sends them; an addendum can still be added."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction

from baomi.incidents import services
from baomi.incidents.models import Incident, IncidentEntry, UpwardReport
from tests.incidents.factories import concluded, open_one

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


def refused(sql: str, params: list) -> bool:
    try:
        with transaction.atomic(), connection.cursor() as cur:
            cur.execute(sql, params)
    except DatabaseError as exc:
        return "closed" in str(exc)
    return False


def test_closed_incident_and_its_records_refuse_update_and_delete(org):
    incident = concluded(org)
    services.close_incident(org.security_officer, incident)
    entry = IncidentEntry.objects.filter(incident=incident).first()
    report = UpwardReport.objects.filter(incident=incident).first()
    assert refused("UPDATE incidents_incident SET title = 'x' WHERE id = %s", [incident.pk])
    assert refused("DELETE FROM incidents_incident WHERE id = %s", [incident.pk])
    assert refused("UPDATE incidents_incidententry SET text = 'x' WHERE id = %s", [entry.pk])
    assert refused("DELETE FROM incidents_incidententry WHERE id = %s", [entry.pk])
    assert refused("UPDATE incidents_upwardreport SET reference = 'x' WHERE id = %s", [report.pk])
    assert refused("DELETE FROM incidents_upwardreport WHERE id = %s", [report.pk])
    services.add_addendum(org.security_officer, incident, text="补充")  # INSERT still allowed
    assert Incident.objects.get(pk=incident.pk).title == incident.title


def test_open_incident_may_change(org):
    incident = open_one(org)
    with connection.cursor() as cur:
        cur.execute("UPDATE incidents_incident SET place = 'x' WHERE id = %s", [incident.pk])
    assert Incident.objects.get(pk=incident.pk).place == "x"
