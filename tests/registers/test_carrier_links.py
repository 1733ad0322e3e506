"""The carrier registry names the registers (SUP-5, SUP-6, SUP-13; R-CAR-12, R-SITE-3): its
storage place is a registered cabinet, a 绝密 carrier only in a place confirmed for 绝密, an
electronic carrier names its device, a medium is not scrapped under a live carrier, outside
repair and destruction name a qualified contractor. Free text is never lost."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps

from baomi.carriers import services as carriers
from baomi.carriers.models import Carrier
from baomi.core.errors import ValidationFailed
from baomi.core.levels import Level
from baomi.devices import services as devices
from baomi.sites.events import SitesEvent
from tests.carriers.factories import make_carrier, make_item
from tests.support.assertions import assert_audited
from tests.support.registers import cabinet, contractor, device, place, today

pytestmark = pytest.mark.django_db


def _register(org, item, **kw):
    return carriers.register_carrier(org.security_officer, item=item, kind=kw.pop("kind", "paper"),
                                     custodian=kw.pop("custodian", org.security_officer), **kw)[0]  # fmt: skip


def test_a_registered_cabinet_is_chosen_or_named(org):
    p = place(org, level=Level.SECRET)
    cab = cabinet(org, p, number="A-01", name="办公室保密柜A-01", custodian=org.security_officer)
    item = make_item(org, Level.SECRET)
    chosen = _register(org, item, cabinet=cab)
    assert chosen.cabinet == cab and chosen.storage_place == "办公室保密柜A-01"
    named = _register(org, item, storage_place=" 办公室保密柜 A-01 ")  # spaces ignored
    assert named.cabinet == cab
    elsewhere = _register(org, item, storage_place="阅文室临时柜")
    assert (
        elsewhere.cabinet is None and elsewhere.storage_place == "阅文室临时柜"
    )  # kept, shown as unregistered


def test_top_secret_only_in_a_place_confirmed_for_top_secret(org):
    """R-CAR-12."""
    item = make_item(org, Level.TOP_SECRET)
    secret_place = place(org, code="KP-S", level=Level.SECRET)
    secret_cab = cabinet(org, secret_place, number="S-1", custodian=org.security_officer)
    with pytest.raises(ValidationFailed) as err:
        _register(org, item, cabinet=secret_cab)
    assert "storage_place" in err.value.fields and "机密" in str(err.value)
    unconfirmed = place(
        org, code="KP-T0", level=Level.TOP_SECRET, responsible=org.security_officer, confirmed=False
    )
    cab0 = cabinet(org, unconfirmed, number="T-0", custodian=org.security_officer)
    with pytest.raises(ValidationFailed) as err:
        _register(org, item, cabinet=cab0)
    assert "R-CAR-12" in str(err.value) or "绝密" in str(err.value)
    with pytest.raises(ValidationFailed):
        _register(org, item, storage_place="某个未登记的柜子")  # a cabinet register is kept: refused
    confirmed = place(org, code="KP-T1", level=Level.TOP_SECRET, responsible=org.security_officer)
    cab1 = cabinet(org, confirmed, number="T-1", custodian=org.security_officer)
    assert _register(org, item, cabinet=cab1).cabinet == cab1
    assert Carrier.objects.filter(item=item).count() == 1


def test_sealing_names_a_cabinet_too(org):
    p = place(org, level=Level.SECRET)
    cab = cabinet(org, p, number="F-9", name="封存柜F-9", custodian=org.security_officer)
    carrier = make_carrier(org, Level.SECRET, custodian=org.security_officer)
    carriers.seal_carrier(org.security_officer, carrier, place="封存柜F-9")
    carrier.refresh_from_db()
    assert carrier.cabinet == cab and carrier.status == "sealed"


def test_existing_free_text_is_linked_and_never_lost(org):
    """The old free text: linking (and the migration) links the carriers whose words name a
    registered cabinet; other words stay."""
    a = make_carrier(org, Level.SECRET)  # storage_place "保密柜A-01" (the factory's words)
    b = make_carrier(org, Level.SECRET)
    Carrier.objects.filter(pk=b.pk).update(storage_place="某处")  # written before any cabinet existed
    p = place(org)
    cab = cabinet(org, p, number="A-01", name="保密柜A-01")
    assert carriers.link_storage_places(org.security_officer) == {"linked": 1, "not_fitting": 0}
    a.refresh_from_db()
    b.refresh_from_db()
    assert a.cabinet == cab and b.cabinet is None and b.storage_place == "某处"
    assert_audited(SitesEvent.STORAGE_PLACES_LINKED, None, org.security_officer)
    c = _register(org, make_item(org, Level.SECRET, reference="办〔2026〕10号"), storage_place="保密柜 A-01")
    assert c.cabinet == cab  # named at registration
    Carrier.objects.filter(pk=c.pk).update(cabinet=None)
    assert carriers.link_storage_places(org.security_officer)["linked"] == 1
    Carrier.objects.filter(pk=a.pk).update(cabinet=None)
    migration = importlib.import_module("baomi.carriers.migrations.0008_registers_links")
    migration.link_storage_places(apps, None)
    assert Carrier.objects.get(pk=a.pk).cabinet == cab
    assert Carrier.objects.get(pk=b.pk).storage_place == "某处"


def test_an_electronic_carrier_names_its_device_and_the_medium_is_not_scrapped_under_it(org):
    pc = device(org, asset="PC-1", kind="computer", serial="WD-1", level=Level.CONFIDENTIAL,
                custodian=org.security_officer)  # fmt: skip
    item = make_item(org, Level.SECRET)
    with pytest.raises(ValidationFailed) as err:
        _register(org, item, kind="electronic", device=pc)
    assert "device" in err.value.fields
    usb = device(org, asset="U-1", level=Level.SECRET, custodian=org.security_officer)
    with pytest.raises(ValidationFailed):
        _register(org, item, kind="paper", device=usb)
    on_usb = _register(org, item, kind="electronic", device=usb)
    body = contractor(org, kind="destruction", grade="grade_a")
    args = {"sanitised_on": today(), "sanitisation": "消磁", "destroyed_by": body, "destruction_ref": "X-1"}
    with pytest.raises(ValidationFailed) as err:
        devices.scrap_device(org.security_officer, usb, **args)
    assert "1" in str(err.value) and "在册载体" in str(err.value)
    req = carriers.request_destruction(org.security_officer, [on_usb], reason="报废介质")
    carriers.approve_destruction(org.unit_head, req)
    carriers.execute_destruction(org.security_officer, req, method="crypto_shred", witness_1=org.staff_secret,
                                 witness_2=org.dept_head)  # fmt: skip
    devices.scrap_device(org.security_officer, usb, **args)


def test_outside_repair_and_destruction_name_a_qualified_contractor(org):
    """R-SITE-3: once contractors are registered, an outside body is one of them, qualified."""
    carrier = make_carrier(org, Level.SECRET, custodian=org.security_officer)
    expired = contractor(org, name="过期维修公司", code="91110108MA01ABCD4X", expires_in=-1)
    with pytest.raises(ValidationFailed) as err:
        carriers.start_repair(org.security_officer, carrier, technician="钱工", place="机房", fault="故障",
                              outside=True, company="某街边修理店", supervisor=org.security_officer)  # fmt: skip
    assert "contractor" in err.value.fields
    with pytest.raises(ValidationFailed):
        carriers.start_repair(org.security_officer, carrier, technician="钱工", place="机房", fault="故障",
                              outside=True, contractor=expired, supervisor=org.security_officer)  # fmt: skip
    good = contractor(org)
    rec = carriers.start_repair(org.security_officer, carrier, technician="钱工", place="机房", fault="故障",
                                outside=True, company="某维修公司", supervisor=org.security_officer)  # fmt: skip
    assert rec.contractor == good
    other = make_carrier(org, Level.SECRET, custodian=org.security_officer)
    req = carriers.request_destruction(org.security_officer, [other], reason="清理")
    carriers.approve_destruction(org.unit_head, req)
    with pytest.raises(ValidationFailed) as err:
        carriers.execute_destruction(org.security_officer, req, method="facility", facility="某废品站",
                                     witness_1=org.staff_secret, witness_2=org.dept_head)  # fmt: skip
    assert "contractor" in err.value.fields
    centre = contractor(org, name="销毁中心", code="12110000400012345K", kind="destruction", grade="grade_a")
    done = carriers.execute_destruction(org.security_officer, req, method="facility", contractor=centre,
                                        witness_1=org.staff_secret, witness_2=org.dept_head)  # fmt: skip
    assert done.contractor == centre and done.facility == "销毁中心"


def test_pages_show_the_cabinet_and_the_unregistered_words(org, client):
    p = place(org)
    cab = cabinet(org, p, number="A-01", name="保密柜A-01", custodian=org.security_officer)
    kept = make_carrier(org, Level.SECRET)  # "保密柜A-01": named at registration
    loose = make_carrier(org, Level.SECRET)
    Carrier.objects.filter(pk=loose.pk).update(storage_place="走廊铁皮柜", cabinet=None)
    client.force_login(org.security_officer)
    html = client.get(f"/carriers/{kept.pk}/").content.decode()
    assert f'href="/sites/cabinets/{cab.pk}/"' in html
    assert "未登记" in client.get(f"/carriers/{loose.pk}/").content.decode()
    html = client.get(f"/sites/cabinets/{cab.pk}/").content.decode()
    assert f'href="/carriers/{kept.pk}/"' in html
    assert "关联载体存放位置" in client.get("/sites/cabinets/").content.decode()
    r = client.post("/carriers/link-storage/", follow=True)
    assert r.status_code == 200 and "件载体关联到保密柜" in r.content.decode()
