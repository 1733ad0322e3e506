"""Media and devices through their services (SUP-6, R-CAR-14, R-SITE-3)."""

from __future__ import annotations

import datetime as dt

import pytest

from baomi.core.errors import InvalidTransition, ValidationFailed
from baomi.core.levels import Level
from baomi.devices import services
from baomi.devices.events import DevicesEvent
from baomi.devices.models import Device
from baomi.incidents.models import Incident
from tests.support.assertions import assert_audited, last_audit_id
from tests.support.registers import contractor, device, today

pytestmark = pytest.mark.django_db


def _register(org, **kw):
    args = {"asset_number": "U-99", "kind": "usb_drive", "model_name": "U盘", "serial": "ABC123", "usb_vendor": "0781",
            "usb_product": "5567", "level": Level.SECRET, "custodian": org.staff_secret,
            "department": org.departments["OFFICE"]}  # fmt: skip
    args.update(kw)
    return services.register_device(org.security_officer, **args)


def test_register_and_commission_a_usb_drive(org):
    d = device(org, vendor="0781", product="55AB")
    assert (
        d.status == "in_use"
        and d.usb_product == "55ab"
        and d.identity == "usb:0781:55ab:4C530001230110118393"
    )
    assert d.next_check_on > today()
    assert_audited(DevicesEvent.DEVICE_REGISTERED, d, org.security_officer)
    assert_audited(DevicesEvent.DEVICE_COMMISSIONED, d, org.security_officer)


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"serial": "AB 12"}, "serial", "空格"),
        ({"serial": 'AB"12'}, "serial", "引号"),
        ({"serial": "序列号"}, "serial", "序列号只能"),
        ({"serial": ""}, "serial", "序列号"),
        ({"usb_vendor": "781"}, "usb_vendor", "十六进制"),
        ({"usb_product": "55g7"}, "usb_product", "十六进制"),
        ({"kind": "computer", "usb_vendor": "0781", "usb_product": ""}, "usb_vendor", "移动存储介质"),
        ({"custodian": "outsider"}, "custodian", "保管人"),
        ({"level": Level.INTERNAL}, "level", "秘密"),
    ],
)
def test_bad_identity_is_refused_in_chinese_and_changes_nothing(org, changes, field, words):
    """SUP-6: a serial in the wrong format gets a clear Chinese message and writes nothing."""
    since = last_audit_id()
    if "custodian" in changes:
        changes["custodian"] = getattr(org, changes["custodian"])
    with pytest.raises(ValidationFailed) as err:
        _register(org, **changes)
    assert field in err.value.fields and words in str(err.value), str(err.value)
    assert not Device.objects.exists()
    from baomi.audit.models import AuditEntry

    assert not AuditEntry.objects.filter(id__gt=since, event=int(DevicesEvent.DEVICE_REGISTERED)).exists()


def test_a_duplicate_serial_is_refused(org):
    """SUP-6: a serial is registered once (the same USB vendor:product:serial; a disk serial in any case)."""
    device(org, asset="U-1")
    with pytest.raises(ValidationFailed) as err:
        _register(org, asset_number="U-2", serial="4C530001230110118393")
    assert "已登记（资产编号 U-1）" in str(err.value)
    _register(
        org, asset_number="U-3", serial="4C530001230110118393", usb_product="5568"
    )  # another product: fine
    device(org, asset="PC-1", kind="computer", serial="wd-wx12")
    with pytest.raises(ValidationFailed):
        _register(org, asset_number="PC-2", kind="computer", serial="WD-WX12", usb_vendor="", usb_product="")
    assert Device.objects.count() == 3


def test_maintenance_only_by_a_qualified_contractor_on_site(org):
    """SUP-6, R-SITE-3: repair qualification covering the level, current; a cleared supervisor."""
    d = device(org, asset="PC-1", kind="computer", serial="WD-1")
    expired = contractor(org, name="过期公司", code="91110108MA01ABCD4X", expires_in=-1)
    with pytest.raises(ValidationFailed) as err:
        services.start_maintenance(org.security_officer, d, contractor=expired, technician="钱工",
                                   supervisor=org.staff_secret, fault="硬盘故障")  # fmt: skip
    assert "contractor" in err.value.fields
    good = contractor(org)
    with pytest.raises(ValidationFailed) as err:
        services.start_maintenance(org.security_officer, d, contractor=good, technician="钱工",
                                   supervisor=org.outsider, fault="硬盘故障")  # fmt: skip
    assert "supervisor" in err.value.fields
    m = services.start_maintenance(org.security_officer, d, contractor=good, technician="钱工",
                                   supervisor=org.staff_secret, fault="硬盘故障")  # fmt: skip
    d.refresh_from_db()
    assert d.status == "maintenance" and m.qualification.contractor == good
    services.finish_maintenance(org.security_officer, d, result="更换硬盘，原盘交保密办")
    d.refresh_from_db()
    assert d.status == "in_use"


def test_scrapping_needs_sanitising_and_a_qualified_destruction_body(org):
    d = device(org, level=Level.TOP_SECRET, custodian=org.security_officer)
    grade_b = contractor(org, kind="destruction", grade="grade_b")
    args = {"sanitised_on": today(), "sanitisation": "消磁粉碎", "destruction_ref": "销毁〔2026〕1号"}
    with pytest.raises(ValidationFailed) as err:
        services.scrap_device(
            org.security_officer, d, destroyed_by=grade_b, **args
        )  # 乙级 does not reach 绝密
    assert "destroyed_by" in err.value.fields
    grade_a = contractor(org, name="销毁中心", code="12110000400012345K", kind="destruction", grade="grade_a")
    with pytest.raises(ValidationFailed) as err:
        services.scrap_device(org.security_officer, d, destroyed_by=grade_a, **{**args, "sanitisation": ""})
    assert "sanitisation" in err.value.fields
    services.scrap_device(org.security_officer, d, destroyed_by=grade_a, **args)
    d.refresh_from_db()
    assert d.status == "scrapped" and d.destroyed_by == grade_a
    with pytest.raises(InvalidTransition):
        services.commission_device(org.security_officer, d)


def test_a_loss_opens_an_incident_and_leaves_the_whitelist(org):
    d = device(org)
    services.report_lost(org.staff_secret, d, note="会后遗失")
    d.refresh_from_db()
    assert d.status == "lost" and Incident.objects.filter(pk=d.incident_id, source="device").exists()
    assert_audited(DevicesEvent.DEVICE_LOST, d, org.staff_secret)
    from baomi.devices.selectors import whitelist_media

    assert not whitelist_media(department=org.departments["OFFICE"]).exists()
    services.found_device(org.security_officer, d, note="在会议室找回，检查无异常")
    assert whitelist_media(department=org.departments["OFFICE"]).exists()


def test_checks_move_the_due_date_and_reminders_are_raised_once(org):
    d = device(org)
    with pytest.raises(ValidationFailed) as err:
        services.check_device(org.staff_secret, d, checked_on=today(), result="problem")
    assert "note" in err.value.fields
    services.check_device(org.staff_secret, d, checked_on=today() - dt.timedelta(days=200), result="ok")
    d.refresh_from_db()
    assert d.next_check_on < today() + dt.timedelta(days=30)
    assert services.raise_reminders()["reminders"] == 1
    assert services.raise_reminders()["reminders"] == 0


def test_media_bind_only_to_computers(org):
    pc = device(org, asset="PC-1", kind="computer", serial="WD-1")
    printer = device(org, asset="DY-1", kind="printer", serial="PR-1")
    with pytest.raises(ValidationFailed) as err:
        _register(org, hosts=[printer])
    assert "hosts" in err.value.fields
    d = _register(org, hosts=[pc])
    assert list(d.hosts.all()) == [pc]
