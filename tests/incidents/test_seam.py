"""The seam through which carriers, personnel and devices open incidents without importing the
incidents app (``baomi.kit.incidents``, docs/architecture.md "How the apps meet"): the incident
is opened by the incidents app's receiver in the sender's transaction (SUP-2, CAR-8)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured

from baomi.audit.events import AuditEvent
from baomi.carriers import services as carriers
from baomi.carriers.choices import CarrierStatus
from baomi.incidents.models import Incident, IncidentCarrier
from baomi.incidents.signals import open_discovered
from baomi.kit.incidents import discovered
from tests.carriers.factories import make_carrier
from tests.support.assertions import assert_audited, assert_not_audited, last_audit_id

pytestmark = pytest.mark.django_db


def test_missing_carrier_opens_its_incident_in_the_same_transaction(org):
    """CAR-8: the incident is opened and the carrier linked as lost before the carrier's own
    entry, which names the incident."""
    carrier = make_carrier(org)
    since = last_audit_id()
    carriers.mark_missing(org.security_officer, carrier, note="柜中未见")
    incident = Incident.objects.get(source="carrier", source_ref=carrier.registry_number)
    assert incident.kind == "lost_carrier" and incident.level == carrier.level
    assert IncidentCarrier.objects.filter(incident=incident, carrier=carrier, lost=True).exists()
    opened = assert_audited(AuditEvent.INCIDENT_OPENED, incident, org.security_officer, since=since)
    missing = assert_audited(AuditEvent.CARRIER_MISSING, carrier, org.security_officer, since=since)
    assert opened.pk < missing.pk
    assert missing.details["incident_id"] == incident.pk


def test_without_the_incidents_receiver_nothing_is_changed(org):
    """SUP-2: an incident is a duty; with nobody to open it the sender's change rolls back."""
    carrier = make_carrier(org)
    since = last_audit_id()
    assert discovered.disconnect(dispatch_uid="incidents.open_discovered")
    try:
        with pytest.raises(ImproperlyConfigured):
            carriers.mark_missing(org.security_officer, carrier, note="柜中未见")
    finally:
        discovered.connect(open_discovered, dispatch_uid="incidents.open_discovered")
    carrier.refresh_from_db()
    assert carrier.status != CarrierStatus.MISSING
    assert not Incident.objects.filter(source_ref=carrier.registry_number).exists()
    assert_not_audited(AuditEvent.CARRIER_MISSING, carrier, since=since)
