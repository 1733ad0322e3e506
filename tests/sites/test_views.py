"""Key places UI (SUP-5): lists link every thing they name, forms show Chinese errors, the
xlsx export is audited, forbidden pages look absent."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from baomi.sites.events import SitesEvent
from baomi.sites.models import Cabinet
from tests.support.assertions import assert_audited, assert_denied, last_audit_id
from tests.support.registers import cabinet, place

pytestmark = pytest.mark.django_db


def test_place_list_links_places_and_exports_xlsx(org, client):
    p = place(org)
    cabinet(org, p)
    client.force_login(org.security_officer)
    r = client.get("/sites/")
    html = r.content.decode()
    assert r.status_code == 200 and f'href="/sites/places/{p.pk}/"' in html and "要害部门部位" in html
    since = last_audit_id()
    r = client.get("/sites/", {"export": "xlsx"})
    assert r["Content-Type"].startswith("application/vnd.openxmlformats")
    ws = load_workbook(io.BytesIO(r.content)).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[3][0] == "KP-01" and "导出编号" in rows[1][0]
    assert_audited(SitesEvent.SITES_EXPORTED, actor=org.security_officer, since=since)
    for url in ("/sites/departments/", "/sites/cabinets/", "/sites/checks/"):
        assert client.get(url, {"export": "xlsx"}).status_code == 200


def test_place_page_offers_the_officer_its_actions(org, client):
    p = place(org, confirmed=False)
    client.force_login(org.security_officer)
    html = client.get(f"/sites/places/{p.pk}/").content.decode()
    assert "登记保密局确认" in html and "登记保密柜" in html and "尚未经保密局确认" in html
    client.force_login(org.dept_head)
    html = client.get(f"/sites/places/{p.pk}/").content.decode()
    assert "<h2>登记保密柜</h2>" not in html and "<h2>安排检查</h2>" not in html


def test_a_duplicate_cabinet_number_shows_a_chinese_message_and_changes_nothing(org, client):
    p = place(org)
    cabinet(org, p, number="A-01")
    client.force_login(org.security_officer)
    r = client.post(f"/sites/places/{p.pk}/cabinet/", {"number": "A-01", "name": "重复柜", "custodian": org.staff_secret.pk},
                    follow=True)  # fmt: skip
    assert "该编号已被其他保密柜使用" in r.content.decode()
    assert Cabinet.objects.count() == 1


def test_new_place_form(org, client):
    client.force_login(org.security_officer)
    r = client.post("/sites/places/new/", {"name": "机要室", "code": "KP-7", "kind": "archive",
                    "department": org.departments["OFFICE"].pk, "level": "secret", "responsible": org.staff_secret.pk,
                    "check_months": 3})  # fmt: skip
    assert r.status_code == 302
    r = client.get(r["Location"])
    assert "KP-7" in r.content.decode()


def test_forbidden_pages_look_absent(org, client):
    p = place(org)
    client.force_login(org.outsider)
    since = last_audit_id()
    assert_denied(client.get(f"/sites/places/{p.pk}/"), actor=org.outsider, since=since)
    assert client.get("/sites/").status_code == 404
    assert client.get("/sites/places/new/").status_code == 404
