"""The personnel policy matrix for travel abroad's screens (STYLE 2.10): ``request_travel`` and
``travel_list`` (PER-6, R-PER-5, R-PER-8). Every active account may open them — the service
decides who needs approval and the rows are filtered by the travel rule — and a refusal through a
service or a page looks like not found and is audited (CAR-3, SEC-3)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse

from baomi.access import policy
from baomi.access.errors import AccessDenied
from baomi.audit.events import AuditEvent
from baomi.personnel import selectors, services
from baomi.personnel.models import TravelRequest
from tests.personnel.factories import onboarded, today
from tests.support.assertions import assert_audited, assert_denied, assert_not_audited, last_audit_id
from tests.support.personas import PERSONAS

ALL = sorted(PERSONAS)


def _trip(actor, traveller):
    return services.request_travel(actor, traveller=traveller, destination="新加坡", purpose="学术会议",
                                   departs_on=today() + timedelta(days=10),
                                   returns_on=today() + timedelta(days=15))  # fmt: skip


@pytest.mark.parametrize("action", ["request_travel", "travel_list"])
@pytest.mark.parametrize("persona", ALL)
def test_travel_screens_are_open_to_every_active_account(org, action, persona):
    """PER-6: anyone may open the travel list and ask to travel (whether approval is needed is the
    service's check, R-PER-8); a disabled account may do neither (SEC-1)."""
    me = getattr(org, persona)
    assert policy.can(me, action) is True
    me.is_active = False
    assert policy.can(me, action) is False


def test_request_travel_for_someone_else_is_refused_and_audited(org):
    """PER-6, SEC-3: ``request_travel`` covers one's own trip only — filing for another person
    needs the security office (``manage_personnel``); the refusal is audited and nothing is
    filed; the traveller's own request is audited TRAVEL_REQUESTED."""
    onboarded(org.security_officer, org.staff_secret, "important")
    since = last_audit_id()
    with pytest.raises(AccessDenied):
        _trip(org.dept_head, org.staff_secret)
    assert_audited(AuditEvent.ACCESS_DENIED, actor=org.dept_head, outcome="denied", since=since)
    assert_not_audited(AuditEvent.TRAVEL_REQUESTED, since=since)
    assert not TravelRequest.objects.exists()
    travel = _trip(org.staff_secret, org.staff_secret)
    assert_audited(AuditEvent.TRAVEL_REQUESTED, travel, org.staff_secret, since=since)
    filed = _trip(org.security_officer, org.staff_secret)
    assert filed.traveller_id == org.staff_secret.pk


@pytest.mark.parametrize(
    ("persona", "listed"),
    [
        ("staff_secret", True),  # PER-6: the traveller
        ("dept_head", True),  # R-PER-5: the department head gives the personnel opinion
        ("security_officer", True),  # R-PER-5: the security office's opinion
        ("unit_head", True),  # the approver
        ("leading_group", True),  # the approver
        ("staff_other_dept", False),
        ("staff_confidential", False),
        ("sysadmin", False),
        ("auditor", False),
    ],
)
def test_travel_list_shows_a_trip_only_to_those_concerned(org, persona, listed):
    """PER-6, R-PER-5: the travel list shows a trip to the traveller, to those who give opinions
    and to the approvers — nobody else."""
    onboarded(org.security_officer, org.staff_secret, "important")
    travel = _trip(org.staff_secret, org.staff_secret)
    assert (travel in selectors.travel_requests(getattr(org, persona))) is listed


def test_another_persons_trip_is_not_found_and_audited(org, client, api_client):
    """PER-6, CAR-3: a colleague of another department opening someone's trip gets 404 (page and
    API), the page's refusal leaving an ACCESS_DENIED entry; the list page opens but does not name
    the trip."""
    onboarded(org.security_officer, org.staff_secret, "important")
    travel = _trip(org.staff_secret, org.staff_secret)
    client.force_login(org.staff_other_dept)
    page = client.get(reverse("personnel:travel-list"))
    assert page.status_code == 200
    assert travel not in list(page.context["requests"])
    since = last_audit_id()
    assert_denied(client.get(reverse("personnel:travel", args=[travel.pk])), actor=org.staff_other_dept,
                  since=since)  # fmt: skip
    api_client.force_authenticate(org.staff_other_dept)
    # The API answers the same 404, and its refusal is audited too (SEC-3).
    since = last_audit_id()
    assert_denied(api_client.get(f"/api/v1/personnel/travel/{travel.pk}/"), actor=org.staff_other_dept,
                  since=since)  # fmt: skip
