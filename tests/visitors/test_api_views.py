"""Visitors API and pages (SUP-4): the envelope, masked numbers, approvals, the journey."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from baomi.visitors.models import Visit, VisitApproval
from tests.support.registers import RESIDENT_ID, place, visit

pytestmark = pytest.mark.django_db


def _body(org, **kw):
    now = timezone.now()
    body = {"visitor_name": "钱某", "id_type": "resident_id", "id_number": RESIDENT_ID, "organisation": "某公司",
            "host": org.staff_secret.pk, "purpose": "洽谈", "expected_start": now.isoformat(),
            "expected_end": (now + dt.timedelta(hours=2)).isoformat()}  # fmt: skip
    body.update(kw)
    return body


def test_api_register_approve_check_in(org, api_client):
    p = place(org, responsible=org.dept_head)
    api_client.force_authenticate(org.staff_secret)
    r = api_client.post(
        "/api/v1/visits/", _body(org, places=[p.pk], escort=org.staff_secret.pk), format="json"
    )
    assert r.status_code == 201, r.content
    data = r.json()
    assert data["id_masked"].endswith("0017") and RESIDENT_ID not in r.content.decode()
    r = api_client.post(f"/api/v1/visits/{data['id']}/check-in/")
    assert r.status_code == 400 and "批准" in r.json()["error"]["message"]
    api_client.force_authenticate(org.dept_head)
    approvals = api_client.get("/api/v1/visit-approvals/").json()["results"]
    assert len(approvals) == 1
    assert (
        api_client.post(
            f"/api/v1/visit-approvals/{approvals[0]['id']}/approve/", {}, format="json"
        ).status_code
        == 200
    )
    api_client.force_authenticate(org.staff_secret)
    assert api_client.post(f"/api/v1/visits/{data['id']}/check-in/").json()["status"] == "on_site"
    assert api_client.post(f"/api/v1/visits/{data['id']}/reveal-identity/").status_code == 404
    api_client.force_authenticate(org.security_officer)
    assert api_client.post(f"/api/v1/visits/{data['id']}/reveal-identity/").json() == {
        "id_number": RESIDENT_ID
    }


def test_api_a_visit_ending_before_it_starts_is_a_chinese_400(org, api_client):
    api_client.force_authenticate(org.staff_secret)
    now = timezone.now()
    r = api_client.post("/api/v1/visits/", _body(org, expected_end=(now - dt.timedelta(hours=1)).isoformat()),
                        format="json")  # fmt: skip
    assert r.status_code == 400 and "expected_end" in r.json()["error"]["fields"]
    assert "离开时间不能早于到达时间" in r.json()["error"]["message"]
    assert not Visit.objects.exists()


def test_pages_mask_link_and_export(org, client):
    p = place(org, responsible=org.dept_head)
    v = visit(org, places=[p])
    client.force_login(org.staff_secret)
    html = client.get("/visitors/").content.decode()
    assert f'href="/visitors/{v.pk}/"' in html and "**************0017" in html and RESIDENT_ID not in html
    html = client.get(f"/visitors/{v.pk}/").content.decode()
    assert "所有要害部位负责人批准前，不能登记进入" in html
    assert f'href="/sites/places/{p.pk}/"' not in html  # the host may not open the place's page
    r = client.post(f"/visitors/{v.pk}/check-in/", follow=True)
    assert "尚未批准" in r.content.decode()
    client.force_login(org.dept_head)
    html = client.get("/visitors/approvals/").content.decode()
    assert f'href="/visitors/{v.pk}/"' in html and f'href="/sites/places/{p.pk}/"' in html
    approval = VisitApproval.objects.get(visit=v)
    client.post(f"/visitors/approvals/{approval.pk}/approve/", {"reason": "同意"})
    client.force_login(org.staff_secret)
    client.post(f"/visitors/{v.pk}/check-in/")
    v.refresh_from_db()
    assert v.status == "on_site"
    client.force_login(org.security_officer)
    html = client.post(f"/visitors/{v.pk}/reveal/").content.decode()
    assert RESIDENT_ID in html
    r = client.get("/visitors/", {"export": "xlsx"})
    rows = list(load_workbook(io.BytesIO(r.content)).active.iter_rows(values_only=True))
    assert rows[3][2] == "**************0017"
    assert client.get("/visitors/closing/").status_code == 200
    client.force_login(org.outsider)
    assert client.get(f"/visitors/{v.pk}/").status_code == 404


def test_the_new_visit_form_shows_the_time_error(org, client):
    client.force_login(org.staff_secret)
    r = client.post("/visitors/new/", {"visitor_name": "x", "id_type": "passport", "id_number": "E1234567",
                    "organisation": "y", "host": org.staff_secret.pk, "purpose": "z",
                    "expected_start": "2026-03-01T10:00", "expected_end": "2026-03-01T09:00"})  # fmt: skip
    assert r.status_code == 200 and "离开时间不能早于到达时间" in r.content.decode()
    assert not Visit.objects.exists()
