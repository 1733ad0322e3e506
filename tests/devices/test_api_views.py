"""Devices API and pages (SUP-6): bad serials answer in Chinese and change nothing; pages link
what they name; the register exports xlsx; the forbidden sees a 404."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from baomi.devices.events import DevicesEvent
from baomi.devices.models import Device
from tests.support.assertions import assert_audited, assert_denied, last_audit_id
from tests.support.registers import device, place

pytestmark = pytest.mark.django_db


def _body(org, **kw):
    body = {"asset_number": "U-9", "kind": "usb_drive", "model_name": "U盘", "serial": "SN-1", "usb_vendor": "0781",
            "usb_product": "5567", "level": "secret", "custodian": org.staff_secret.pk,
            "department": org.departments["OFFICE"].pk}  # fmt: skip
    body.update(kw)
    return body


def test_api_register_commission_check(org, api_client):
    api_client.force_authenticate(org.security_officer)
    r = api_client.post("/api/v1/devices/", _body(org), format="json")
    assert r.status_code == 201, r.content
    pk = r.json()["id"]
    assert api_client.post(f"/api/v1/devices/{pk}/commission/").json()["status"] == "in_use"
    r = api_client.post(
        f"/api/v1/devices/{pk}/check/", {"checked_on": "2025-06-01", "result": "ok"}, format="json"
    )
    assert r.status_code == 201
    r = api_client.post(f"/api/v1/devices/{pk}/report-lost/", {"note": "遗失"}, format="json")
    assert r.json()["status"] == "lost" and r.json()["incident"]


@pytest.mark.parametrize(
    ("changes", "field"), [({"serial": "A B"}, "serial"), ({"usb_vendor": "xyz1"}, "usb_vendor")]
)
def test_api_bad_serial_is_a_chinese_400(org, api_client, changes, field):
    api_client.force_authenticate(org.security_officer)
    r = api_client.post("/api/v1/devices/", _body(org, **changes), format="json")
    assert r.status_code == 400
    err = r.json()["error"]
    assert (
        err["code"] == "invalid"
        and field in err["fields"]
        and any("\u4e00" <= c <= "\u9fff" for c in err["message"])
    )
    assert not Device.objects.exists()


def test_api_duplicate_serial_is_refused(org, api_client):
    device(org, serial="SN-1", vendor="0781", product="5567")
    api_client.force_authenticate(org.security_officer)
    r = api_client.post("/api/v1/devices/", _body(org), format="json")
    assert r.status_code == 400 and "已登记" in r.json()["error"]["message"]
    assert Device.objects.count() == 1


def test_pages(org, client):
    p = place(org)
    d = device(org, place=p)
    client.force_login(org.security_officer)
    html = client.get("/devices/").content.decode()
    assert f'href="/devices/{d.pk}/"' in html and f'href="/sites/places/{p.pk}/"' in html
    html = client.get(f"/devices/{d.pk}/").content.decode()
    assert "报告丢失" in html and "报废" in html
    since = last_audit_id()
    r = client.get("/devices/", {"export": "xlsx", "kind": "removable"})
    rows = list(load_workbook(io.BytesIO(r.content)).active.iter_rows(values_only=True))
    assert rows[3][0] == "U-01"
    assert_audited(DevicesEvent.DEVICES_EXPORTED, actor=org.security_officer, since=since)
    r = client.post("/devices/new/", {"asset_number": "U-2", "kind": "usb_drive", "model_name": "x", "serial": "坏序列号",
                    "usb_vendor": "0781", "usb_product": "5567", "level": "secret", "custodian": org.staff_secret.pk,
                    "department": org.departments["OFFICE"].pk, "procured_on": "2025-01-01", "check_months": 6},
                    follow=True)  # fmt: skip
    assert "序列号只能由字母" in r.content.decode() and Device.objects.count() == 1
    client.force_login(org.staff_secret)  # the custodian
    html = client.get(f"/devices/{d.pk}/").content.decode()
    assert "报告丢失" in html and "<h2>报废</h2>" not in html
    client.force_login(org.outsider)
    since = last_audit_id()
    assert_denied(client.get(f"/devices/{d.pk}/"), actor=org.outsider, since=since)
