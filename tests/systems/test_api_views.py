"""Information systems API and pages (SUP-7)."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from baomi.systems.models import InformationSystem
from tests.support.registers import device, system

pytestmark = pytest.mark.django_db


def _body(org, **kw):
    body = {"name": "内网", "code": "SM-9", "kind": "classified", "grade": "secret", "department": org.departments["OFFICE"].pk,
            "isolation": "物理隔离", "users_scope": "办公室", "system_admin": org.case_handler.pk,
            "security_admin": org.security_officer.pk, "auditor": org.staff_secret.pk}  # fmt: skip
    body.update(kw)
    return body


def test_api_lifecycle(org, api_client):
    api_client.force_authenticate(org.security_officer)
    r = api_client.post("/api/v1/information-systems/", _body(org), format="json")
    assert r.status_code == 201, r.content
    pk = r.json()["id"]
    r = api_client.post(f"/api/v1/information-systems/{pk}/go-live/", {}, format="json")
    assert r.status_code == 409 and r.json()["error"]["code"] == "invalid_transition"
    for kind in ("evaluation", "approval"):
        r = api_client.post(f"/api/v1/information-systems/{pk}/review/", {"kind": kind, "body": "机构", "reference": "1",
                            "held_on": "2026-01-01", "outcome": "passed"}, format="json")  # fmt: skip
        assert r.status_code == 200, r.content
    assert (
        api_client.post(f"/api/v1/information-systems/{pk}/go-live/", {}, format="json").json()["status"]
        == "live"
    )
    r = api_client.post(f"/api/v1/information-systems/{pk}/assess/", {"assessed_on": "2026-01-02", "reason": "periodic",
                        "assessor": "测评中心", "outcome": "passed"}, format="json")  # fmt: skip
    assert r.status_code == 201 and r.json()["next_due_on"] == "2028-01-02"
    api_client.force_authenticate(org.case_handler)
    r = api_client.post(f"/api/v1/information-systems/{pk}/patches/", {"applied_on": "2026-01-03", "reference": "KB1"},
                        format="json")  # fmt: skip
    assert r.status_code == 200


def test_api_grade_below_devices_is_a_chinese_400(org, api_client):
    pc = device(org, asset="PC-1", kind="computer", serial="WD-1")
    api_client.force_authenticate(org.security_officer)
    r = api_client.post(
        "/api/v1/information-systems/", _body(org, grade="confidential", devices=[pc.pk]), format="json"
    )
    assert r.status_code == 400 and "grade" in r.json()["error"]["fields"]
    assert not InformationSystem.objects.exists()


def test_pages(org, client):
    s = system(org, live=True)
    client.force_login(org.security_officer)
    html = client.get("/systems/").content.decode()
    assert f'href="/systems/{s.pk}/"' in html
    html = client.get(f"/systems/{s.pk}/").content.decode()
    assert "登记风险评估" in html and "登记补丁" in html
    r = client.get("/systems/", {"export": "xlsx"})
    assert list(load_workbook(io.BytesIO(r.content)).active.iter_rows(values_only=True))[3][0] == "SM-01"
    assert client.get("/systems/due/").status_code == 200
    client.force_login(org.sysadmin)
    assert client.get(f"/systems/{s.pk}/").status_code == 200  # IT sees every system
    assert "登记风险评估" not in client.get(f"/systems/{s.pk}/").content.decode()
    client.force_login(org.outsider)
    assert client.get(f"/systems/{s.pk}/").status_code == 404
