"""Carrier API (CAR-1..11): transitions are POST actions; errors are structured; forbidden
is 404 and audited."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from baomi.carriers.models import Carrier
from tests.carriers.factories import make_carrier, make_item
from tests.support.assertions import assert_denied, last_audit_id

pytestmark = pytest.mark.django_db
TOMORROW = (timezone.localdate() + dt.timedelta(days=1)).isoformat()


def as_user(api_client, user):
    api_client.force_authenticate(user)
    return api_client


def test_register_and_retrieve(org, api_client):
    """CAR-1: POST /api/v1/carriers/ registers N copies."""
    item = make_item(org)
    c = as_user(api_client, org.security_officer)
    r = c.post("/api/v1/carriers/", {"item": item.pk, "kind": "paper", "custodian": org.staff_secret.pk,
                                     "copies": 2, "pages": 3}, format="json")  # fmt: skip
    assert r.status_code == 201, r.content
    numbers = [x["copy_number"] for x in r.json()["carriers"]]
    assert numbers == ["000001", "000002"]
    pk = r.json()["carriers"][0]["id"]
    r = c.get(f"/api/v1/carriers/{pk}/")
    assert r.status_code == 200 and r.json()["mark"] == "机密★10年"


def test_lend_approve_return(org, api_client):
    """CAR-6: POST /api/v1/carriers/{id}/lend/, approve on the loan, return."""
    carrier = make_carrier(org, scope=[org.case_handler])
    r = as_user(api_client, org.case_handler).post(f"/api/v1/carriers/{carrier.pk}/lend/",
                                                   {"place": "阅文室", "due_on": TOMORROW, "reason": "学习"},
                                                   format="json")  # fmt: skip
    assert r.status_code == 200, r.content
    loan_id = r.json()["id"]
    r = as_user(api_client, org.unit_head).post(
        f"/api/v1/carrier-loans/{loan_id}/approve/", {}, format="json"
    )
    assert r.status_code == 200
    assert Carrier.objects.get(pk=carrier.pk).status == "on_loan"
    r = as_user(api_client, org.staff_secret).post(
        f"/api/v1/carriers/{carrier.pk}/return/", {}, format="json"
    )
    assert r.status_code == 200 and r.json()["status"] == "done"


def test_errors_are_structured_in_chinese(org, api_client):
    """SEC-7/CAR-5: a forbidden channel is a 400 with a Chinese message; a bad state is 409."""
    carrier = make_carrier(org)
    c = as_user(api_client, org.staff_secret)
    r = c.post(f"/api/v1/carriers/{carrier.pk}/transfer/", {"receiver": org.case_handler.pk, "channel": "courier",
                                                           "envelope_number": "1"}, format="json")  # fmt: skip
    assert r.status_code == 400
    assert "机要" in r.json()["error"]["message"] and "channel" in r.json()["error"]["fields"]
    r = as_user(api_client, org.security_officer).post(f"/api/v1/carriers/{carrier.pk}/unseal/",
                                                       {"place": "x"}, format="json")  # fmt: skip
    assert r.status_code == 409 and r.json()["error"]["code"] == "invalid_transition"


def test_forbidden_is_not_found_and_audited(org, api_client):
    """CAR-3: out of scope → 404, ACCESS_DENIED."""
    carrier = make_carrier(org)
    since = last_audit_id()
    r = as_user(api_client, org.staff_other_dept).get(f"/api/v1/carriers/{carrier.pk}/")
    assert_denied(r, actor=org.staff_other_dept, since=since)
    since = last_audit_id()
    r = as_user(api_client, org.dept_head).post(
        f"/api/v1/carriers/{carrier.pk}/seal/", {"place": "x"}, format="json"
    )
    assert_denied(r, actor=org.dept_head, since=since)


def test_destruction_via_api(org, api_client):
    """CAR-11: request, approve, execute through the API."""
    carrier = make_carrier(org)
    so = as_user(api_client, org.security_officer)
    r = so.post(f"/api/v1/carriers/{carrier.pk}/destroy_request/", {"reason": "到期"}, format="json")
    assert r.status_code == 200
    req_id = r.json()["id"]
    assert as_user(api_client, org.unit_head).post(f"/api/v1/carrier-destructions/{req_id}/approve/", {},
                                                   format="json").status_code == 200  # fmt: skip
    r = as_user(api_client, org.security_officer).post(f"/api/v1/carrier-destructions/{req_id}/execute/", {
        "method": "shredding", "witness_1": org.staff_secret.pk, "witness_2": org.dept_head.pk}, format="json")  # fmt: skip
    assert r.status_code == 200
    assert Carrier.objects.get(pk=carrier.pk).status == "destroyed"


def test_schema_lists_carrier_actions(org, api_client):
    """STYLE 2.9: the OpenAPI schema documents the transitions."""
    r = as_user(api_client, org.security_officer).get("/api/schema/")
    assert r.status_code == 200
    text = r.content.decode()
    assert "/api/v1/carriers/{id}/lend/" in text and "/api/v1/carrier-transfers/{id}/receive/" in text
