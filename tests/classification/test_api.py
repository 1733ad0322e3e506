"""The REST API under /api/v1/classification/: selectors for reads, services for writes,
transitions as POST actions, structured errors, forbidden is 404 (CAR-3, SEC-7)."""

from __future__ import annotations

from datetime import date

import pytest

from baomi.audit.events import AuditEvent
from baomi.classification.choices import ItemStatus
from baomi.core.levels import Level
from tests.support.assertions import assert_audited, last_audit_id

pytestmark = pytest.mark.django_db
BASE = "/api/v1/classification"


def as_(api_client, user):
    api_client.force_authenticate(user)
    return api_client


def test_propose_approve_and_read(api_client, org):
    c = as_(api_client, org.case_handler)
    r = c.post(f"{BASE}/items/", {
        "title": "采购方案", "reference": "办〔2026〕50号", "level": Level.CONFIDENTIAL,
        "department": org.departments["OFFICE"].pk, "basis_text": "第2条", "duration_kind": "period",
        "duration_value": 6, "duration_unit": "month", "period_start": date.today().isoformat(),
        "scope_users": [org.staff_secret.pk],
    }, format="json")  # fmt: skip
    assert r.status_code == 201, r.content
    item_id = r.json()["id"]
    assert r.json()["mark"] == "秘密★6个月" and r.json()["status"] == ItemStatus.PROPOSED
    req_id = c.get(f"{BASE}/requests/").json()["results"][0]["id"]
    r = c.post(f"{BASE}/requests/{req_id}/approve/", {}, format="json")
    assert r.status_code == 404 and r.json()["error"]["code"] == "not_found"  # a handler decides nothing
    c = as_(api_client, org.authority_secret)
    assert c.get(f"{BASE}/requests/?queue=1").json()["count"] == 1
    r = c.post(f"{BASE}/requests/{req_id}/approve/", {"reason": "同意"}, format="json")
    assert r.status_code == 200 and r.json()["status"] == "approved"
    c = as_(api_client, org.staff_secret)
    r = c.get(f"{BASE}/items/{item_id}/")
    assert r.json()["status"] == ItemStatus.DETERMINED and r.json()["mark_tampered"] is False
    assert c.get(f"{BASE}/notices/").json()["count"] == 1


def test_bad_input_is_structured(api_client, org):
    c = as_(api_client, org.case_handler)
    r = c.post(f"{BASE}/items/", {"title": "x", "level": Level.SECRET, "department": org.departments["OFFICE"].pk,
                                   "basis_text": "第2条"}, format="json")  # fmt: skip
    assert r.status_code == 400
    assert "duration_kind" in r.json()["error"]["fields"]
    r = c.post(f"{BASE}/items/", {"title": "x", "level": "bogus"}, format="json")
    assert r.status_code == 400 and r.json()["error"]["code"] == "invalid"


def test_forbidden_is_404_and_audited(api_client, org, determined):
    c = as_(api_client, org.staff_other_dept)
    since = last_audit_id()
    assert c.get(f"{BASE}/items/{determined.pk}/").status_code == 404
    assert_audited(AuditEvent.ACCESS_DENIED, actor=org.staff_other_dept, since=since)
    assert c.get(f"{BASE}/items/").json()["count"] == 0


def test_change_and_scope_actions(api_client, org, determined):
    c = as_(api_client, org.case_handler)
    r = c.post(f"{BASE}/items/{determined.pk}/change/", {"kind": "lift", "reason": "已公开"}, format="json")
    assert r.status_code == 201 and r.json()["kind"] == "lift"
    c = as_(api_client, org.security_officer)
    r = c.post(
        f"{BASE}/items/{determined.pk}/scope/",
        {"user": org.dept_head.pk, "reason": "工作需要"},
        format="json",
    )
    assert r.status_code == 201
    assert len(c.get(f"{BASE}/items/{determined.pk}/scope/").json()) == 3
    c = as_(api_client, org.staff_secret)
    assert c.post(f"{BASE}/items/{determined.pk}/scope/", {"user": org.outsider.pk, "reason": "x"},
                  format="json").status_code == 404  # fmt: skip


def test_guide_api(api_client, org):
    c = as_(api_client, org.security_officer)
    r = c.post(f"{BASE}/guide/", {"code": "G-1", "title": "人事任免", "level": Level.SECRET, "duration_kind": "period",
                                  "duration_value": 10, "duration_unit": "year"}, format="json")  # fmt: skip
    assert r.status_code == 201
    pk = r.json()["id"]
    assert c.patch(f"{BASE}/guide/{pk}/", {"active": False}, format="json").json()["active"] is False
    c = as_(api_client, org.case_handler)
    assert c.get(f"{BASE}/guide/").json()["count"] == 1
    assert c.post(f"{BASE}/guide/", {"code": "G-2", "title": "x", "level": Level.SECRET, "duration_kind": "period"},
                  format="json").status_code == 404  # fmt: skip


def test_acknowledge_notice(api_client, org, determined):
    c = as_(api_client, org.staff_secret)
    pk = c.get(f"{BASE}/notices/?unread=1").json()["results"][0]["id"]
    assert c.post(f"{BASE}/notices/{pk}/acknowledge/").json()["acknowledged_at"]
    assert c.get(f"{BASE}/notices/?unread=1").json()["count"] == 0


def test_schema_lists_the_endpoints(api_client, org):
    c = as_(api_client, org.staff_secret)
    schema = c.get("/api/schema/", {"format": "json"}).json()
    assert f"{BASE}/requests/{{id}}/approve/" in schema["paths"]
    assert f"{BASE}/items/{{id}}/change/" in schema["paths"]
