"""The key places API (SUP-5): anonymous 401, forbidden 404, refusals in the error envelope."""

from __future__ import annotations

import pytest

from baomi.audit.events import AuditEvent
from baomi.sites.models import KeyPlace
from tests.support.assertions import assert_audited, last_audit_id
from tests.support.registers import place

pytestmark = pytest.mark.django_db


def _body(org, **extra):
    body = {"name": "机要室", "code": "KP-09", "kind": "confidential_office", "department": org.departments["OFFICE"].pk,
            "level": "secret", "responsible": org.staff_secret.pk, "access_control": True}  # fmt: skip
    body.update(extra)
    return body


def test_anonymous_is_401(api_client):
    assert api_client.get("/api/v1/key-places/").status_code == 401


def test_register_confirm_and_list_places(org, api_client):
    api_client.force_authenticate(org.security_officer)
    r = api_client.post("/api/v1/key-places/", _body(org), format="json")
    assert r.status_code == 201, r.content
    pk = r.json()["id"]
    r = api_client.post(f"/api/v1/key-places/{pk}/confirm/", {"confirmed_on": "2026-01-05", "reference": "保函1号"},
                        format="json")  # fmt: skip
    assert r.status_code == 200 and r.json()["status"] == "confirmed"
    r = api_client.post(f"/api/v1/key-places/{pk}/cabinets/", {"number": "Z-1", "name": "机要室保密柜Z-1",
                        "custodian": org.staff_secret.pk}, format="json")  # fmt: skip
    assert r.status_code == 201 and r.json()["level"] == "secret"
    assert api_client.get("/api/v1/cabinets/").json()["count"] == 1
    r = api_client.post(f"/api/v1/key-places/{pk}/plan-check/", {"planned_on": "2026-02-01"}, format="json")
    chk = r.json()["id"]
    r = api_client.post(f"/api/v1/place-checks/{chk}/record/", {"checked_on": "2026-01-05", "findings": "柜锁松动"},
                        format="json")  # fmt: skip
    assert r.status_code == 400 and "rectify_by" in r.json()["error"]["fields"]


def test_bad_input_answers_the_envelope_in_chinese(org, api_client):
    place(org, code="KP-09")
    api_client.force_authenticate(org.security_officer)
    r = api_client.post("/api/v1/key-places/", _body(org), format="json")
    assert r.status_code == 400
    err = r.json()["error"]
    assert err["code"] == "invalid" and "编号" in err["message"] and "code" in err["fields"]
    assert KeyPlace.objects.count() == 1


def test_forbidden_looks_like_not_found_and_is_audited(org, api_client):
    p = place(org)
    since = last_audit_id()
    api_client.force_authenticate(org.outsider)
    assert api_client.get(f"/api/v1/key-places/{p.pk}/").status_code == 404
    assert api_client.get("/api/v1/key-places/").json()["count"] == 0
    assert_audited(AuditEvent.ACCESS_DENIED, actor=org.outsider, since=since)
    api_client.force_authenticate(org.dept_head)
    r = api_client.post(f"/api/v1/key-places/{p.pk}/revoke/", {"reason": "x"}, format="json")
    assert r.status_code == 404
    p.refresh_from_db()
    assert p.status == "confirmed"


def test_key_departments_api(org, api_client):
    api_client.force_authenticate(org.security_officer)
    r = api_client.post("/api/v1/key-departments/", {"department": org.departments["OFFICE"].pk, "level": "secret",
                        "responsible": org.dept_head.pk}, format="json")  # fmt: skip
    assert r.status_code == 201, r.content
    pk = r.json()["id"]
    r = api_client.post(f"/api/v1/key-departments/{pk}/confirm/", {"confirmed_on": "2026-01-01", "reference": "x"},
                        format="json")  # fmt: skip
    assert r.json()["status"] == "confirmed"
    assert api_client.post(f"/api/v1/key-departments/{pk}/revoke/", {"reason": "调整"}, format="json").json()[
        "status"] == "revoked"  # fmt: skip
