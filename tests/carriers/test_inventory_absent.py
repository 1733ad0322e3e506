"""Inventories that can always be finished (CAR-8): rows start unchecked (counted blind); the
exit hands a leaver's open lists to the department head (PER-5); the security office hands a
list over or signs in place of an absent custodian with a reason and a witness, audited; a
missing carrier opens an incident the incidents app lists."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from baomi.accounts import services as accounts
from baomi.audit.events import AuditEvent
from baomi.carriers import services
from baomi.carriers.models import InventoryEntry
from baomi.personnel import services as personnel
from tests.carriers.factories import make_carrier
from tests.personnel.factories import onboarded
from tests.support.assertions import assert_audited, last_audit_id

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


@pytest.fixture(autouse=True)
def _dates_of_the_day_the_test_runs() -> None:
    """The day each test runs, not the day the module was collected: a suite that crosses
    midnight would otherwise ask for days already past."""
    global TODAY
    TODAY = timezone.localdate()


def _api(user) -> APIClient:
    c = APIClient()
    c.force_authenticate(user)
    return c


def test_rows_start_unchecked_not_present(org):
    """CAR-8: a row is counted blind — the form shows 未清点 selected, not 在位, so saving
    without looking is refused."""
    carrier = make_carrier(org)
    campaign = services.start_inventory(org.security_officer, title="年度清点", due_on=TODAY)
    c = Client()
    c.force_login(org.staff_secret)
    body = c.get(reverse("carriers:inventory", args=[campaign.pk])).content.decode()
    assert '<option value="" selected>— 未清点 —</option>' in body
    assert 'value="confirmed" selected' not in body
    entry = InventoryEntry.objects.get(campaign=campaign, carrier=carrier)
    c.post(reverse("carriers:inventory-check", args=[entry.pk]), {"result": "", "note": ""})
    entry.refresh_from_db()
    assert entry.result == "pending"


def test_exit_hands_open_lists_to_the_department_head(org):
    """CAR-8, PER-5: starting an exit gives the leaver's unsigned lists to the head of their
    department, who checks and signs them; the inventory closes; a missing carrier opens an
    incident the security office finds in the incidents app."""
    so = org.security_officer
    kept, lost = (
        make_carrier(org, custodian=org.staff_confidential, level="confidential"),
        make_carrier(org, custodian=org.staff_confidential, level="confidential"),
    )
    campaign = services.start_inventory(so, title="年度清点", due_on=TODAY)
    file = onboarded(so, org.staff_confidential, "general")
    since = last_audit_id()
    personnel.start_exit(so, file, approved_on=TODAY)
    assert_audited(AuditEvent.INVENTORY_HANDED_OVER, actor=so, since=since)
    assert set(campaign.entries.values_list("custodian_id", flat=True)) == {org.dept_head.pk}
    head = _api(org.dept_head)
    entries = {
        e["carrier"]: e["id"]
        for e in head.get(f"/api/v1/carrier-inventories/{campaign.pk}/").json()["entries"]
    }
    assert head.post(f"/api/v1/carrier-inventory-entries/{entries[kept.pk]}/check/", {"result": "confirmed"},
                     format="json").status_code == 200  # fmt: skip
    assert head.post(f"/api/v1/carrier-inventory-entries/{entries[lost.pk]}/check/",
                     {"result": "missing", "note": "移交时未见"}, format="json").status_code == 200  # fmt: skip
    assert head.post(f"/api/v1/carrier-inventories/{campaign.pk}/sign/", format="json").status_code == 200
    assert (
        _api(so).post(f"/api/v1/carrier-inventories/{campaign.pk}/close/", format="json").status_code == 200
    )
    incident = campaign.entries.get(carrier=lost).incident
    listed = _api(so).get("/api/v1/incidents/").json()["results"]
    assert incident is not None and incident.pk in {i["id"] for i in listed}


def test_officer_signs_in_place_of_a_custodian_who_left(org):
    """CAR-8: the custodian left (account disabled) without signing; the security office checks
    the list and signs in place with a reason and a witness (audited); the inventory closes."""
    so = org.security_officer
    carrier = make_carrier(org, custodian=org.staff_other_dept)
    campaign = services.start_inventory(so, title="年度清点", due_on=TODAY)
    accounts.set_active(so.__class__.objects.get(username="sysadmin"), org.staff_other_dept, False)
    api = _api(so)
    url = f"/api/v1/carrier-inventories/{campaign.pk}/"
    r = api.post(url + "close/", format="json")
    assert r.status_code == 400 and "尚有 1 名责任人未签字确认" in r.json()["error"]["message"]
    body = {
        "custodian": org.staff_other_dept.pk,
        "witness": org.staff_secret.pk,
        "reason": "该同志已调离本单位",
    }
    r = api.post(url + "sign-in-place/", body, format="json")
    assert r.status_code == 400 and r.json()["error"]["message"] == "请先清点清单上的每一件载体再签字确认。"
    entry = campaign.entries.get(carrier=carrier)
    assert api.post(f"/api/v1/carrier-inventory-entries/{entry.pk}/check/", {"result": "confirmed"},
                    format="json").status_code == 200  # fmt: skip
    r = api.post(url + "sign-in-place/", {**body, "witness": so.pk}, format="json")
    assert r.status_code == 400 and "witness" in r.json()["error"]["fields"]
    r = api.post(url + "sign-in-place/", {**body, "reason": " "}, format="json")
    assert r.status_code == 400
    since = last_audit_id()
    assert api.post(url + "sign-in-place/", body, format="json").status_code == 200
    assert_audited(AuditEvent.INVENTORY_SIGNED_IN_PLACE, actor=so, since=since)
    sign = campaign.signoffs.get(custodian=org.staff_other_dept)
    assert (sign.signed_by, sign.witness, sign.reason) == (so, org.staff_secret, "该同志已调离本单位")
    assert api.post(url + "close/", format="json").status_code == 200


def test_officer_hands_a_list_over(org):
    """CAR-8: the security office gives an absent custodian's list to another person cleared for
    it; only the security office may (another custodian is refused as not found)."""
    so = org.security_officer
    make_carrier(org, custodian=org.staff_other_dept)
    campaign = services.start_inventory(so, title="年度清点", due_on=TODAY + dt.timedelta(days=3))
    body = {"from_user": org.staff_other_dept.pk, "to_user": org.staff_secret.pk, "reason": "长期病假"}
    url = f"/api/v1/carrier-inventories/{campaign.pk}/hand-over/"
    assert _api(org.staff_other_dept).post(url, body, format="json").status_code == 404
    r = _api(so).post(url, {**body, "to_user": org.staff_work_secret.pk}, format="json")
    assert r.status_code == 400 and "涉密资格不足" in r.json()["error"]["fields"]["to_user"][0]  # CAR-3
    r = _api(so).post(url, body, format="json")
    assert r.status_code == 200 and r.json()["moved"] == 1
    assert set(campaign.entries.values_list("custodian_id", flat=True)) == {org.staff_secret.pk}
