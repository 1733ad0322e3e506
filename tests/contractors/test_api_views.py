"""Contractors API and pages (SUP-13): the envelope, 404 for the forbidden, links, xlsx."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from baomi.contractors.events import ContractorsEvent
from baomi.contractors.models import Contractor
from tests.support.assertions import assert_audited, last_audit_id
from tests.support.registers import contractor

pytestmark = pytest.mark.django_db


def test_api_register_qualify_engage(org, api_client):
    api_client.force_authenticate(org.security_officer)
    r = api_client.post(
        "/api/v1/contractors/", {"name": "某销毁中心", "credit_code": "12110000400012345K"}, format="json"
    )
    assert r.status_code == 201, r.content
    pk = r.json()["id"]
    r = api_client.post(f"/api/v1/contractors/{pk}/qualifications/", {"kind": "destruction", "grade": "grade_a",
                        "number": "BMXH-A-1", "issued_on": "2025-01-01", "expires_on": "2099-01-01"}, format="json")  # fmt: skip
    assert r.status_code == 201 and r.json()["state"] == "valid"
    r = api_client.post(f"/api/v1/contractors/{pk}/engagements/", {"kind": "destruction", "level": "top_secret",
                        "scope": "销毁", "agreement_ref": "保协2号", "agreement_signed_on": "2025-12-01",
                        "starts_on": "2025-12-01", "ends_on": "2025-12-31", "responsible": org.security_officer.pk},
                        format="json")  # fmt: skip
    assert r.status_code == 201, r.content
    assert api_client.get("/api/v1/qualifications/?state=expired").json()["count"] == 0
    r = api_client.post(f"/api/v1/engagements/{r.json()['id']}/close/", {"result": "完成"}, format="json")
    assert r.json()["status"] == "closed"


def test_api_bad_code_and_forbidden(org, api_client):
    api_client.force_authenticate(org.security_officer)
    r = api_client.post("/api/v1/contractors/", {"name": "x", "credit_code": "123"}, format="json")
    assert r.status_code == 400 and "credit_code" in r.json()["error"]["fields"]
    c = contractor(org)
    api_client.force_authenticate(org.staff_secret)
    assert api_client.get(f"/api/v1/contractors/{c.pk}/").status_code == 404
    assert (
        api_client.post(f"/api/v1/contractors/{c.pk}/suspend/", {"reason": "x"}, format="json").status_code
        == 404
    )
    assert Contractor.objects.get().status == "active"


def test_pages_link_and_export(org, client):
    c = contractor(org)
    client.force_login(org.security_officer)
    html = client.get("/contractors/qualifications/").content.decode()
    assert f'href="/contractors/{c.pk}/"' in html and "有效" in html
    html = client.get(f"/contractors/{c.pk}/").content.decode()
    assert "登记保密资质" in html and "委托涉密业务" in html
    since = last_audit_id()
    r = client.get("/contractors/", {"export": "xlsx"})
    rows = list(load_workbook(io.BytesIO(r.content)).active.iter_rows(values_only=True))
    assert rows[3][0] == "某维修公司"
    assert_audited(ContractorsEvent.CONTRACTORS_EXPORTED, actor=org.security_officer, since=since)
    assert client.get("/contractors/engagements/", {"export": "xlsx"}).status_code == 200
    client.force_login(org.dept_head)
    assert client.get("/contractors/").status_code == 200
    assert "登记保密资质" not in client.get(f"/contractors/{c.pk}/").content.decode()
    client.force_login(org.outsider)
    assert client.get("/contractors/").status_code == 404


def test_an_expired_engagement_form_shows_the_chinese_refusal(org, client):
    c = contractor(org, expires_in=-3)
    client.force_login(org.security_officer)
    r = client.post(f"/contractors/{c.pk}/engage/", {"kind": "repair", "level": "secret", "scope": "维修",
                    "agreement_ref": "保协", "agreement_signed_on": "2025-01-01", "starts_on": "2025-01-02",
                    "ends_on": "2099-01-01", "responsible": org.security_officer.pk}, follow=True)  # fmt: skip
    assert "过期资质不能作为依据" in r.content.decode()
