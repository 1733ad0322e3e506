"""The travel request on the shared request base (issue 10): the traveller is its beneficiary,
whoever filed it its requester, and the rule base refuses the decision to both (R-ROLE-5,
R-PER-5); the API keeps ``purpose``."""

from __future__ import annotations

from datetime import timedelta

import pytest

from baomi.access.errors import AccessDenied
from baomi.access.policy import can, visible
from baomi.personnel import services
from baomi.personnel.models import TravelRequest
from tests.personnel.factories import onboarded, today

pytestmark = pytest.mark.django_db


def _filed_by_officer(org):
    so, person = org.security_officer, org.staff_secret
    onboarded(so, person, "important")
    travel = services.request_travel(so, traveller=person, destination="新加坡", purpose="学术会议",
                                     departs_on=today() + timedelta(days=10), returns_on=today() + timedelta(days=15))  # fmt: skip
    services.give_travel_opinion(org.dept_head, travel, side="personnel", opinion="agree")
    services.give_travel_opinion(org.security_officer, travel, side="security", opinion="agree")
    return travel


def test_whoever_filed_the_request_does_not_decide_it(org):
    """R-ROLE-5: the security officer who filed for the traveller may not also approve it, even
    holding an approver's role; the unit head may."""
    from baomi.accounts import services as acc

    travel = _filed_by_officer(org)
    assert travel.owner_ids() == {org.security_officer.pk, org.staff_secret.pk}
    acc.assign_role(None, org.security_officer, "unit_head", bootstrap=True)
    org.security_officer.forget_roles()
    assert not can(org.security_officer, "decide", travel)
    qs = TravelRequest.objects.filter(pk=travel.pk)
    assert not visible(org.security_officer, qs, "decide").exists()
    with pytest.raises(AccessDenied):
        services.decide_travel(org.security_officer, travel, approve=True)
    done = services.decide_travel(org.unit_head, travel, approve=True, note="  同意  ")
    assert (done.status, done.decided_by, done.decision_reason) == ("approved", org.unit_head, "同意")


def test_the_api_keeps_purpose(org):
    """The request base calls it ``reason``; the API still reads and writes ``purpose``."""
    from rest_framework.test import APIClient

    travel = _filed_by_officer(org)
    client = APIClient()
    client.force_authenticate(org.staff_secret)
    body = client.get(f"/api/v1/personnel/travel/{travel.pk}/").json()
    assert body["purpose"] == "学术会议" and "reason" not in body
