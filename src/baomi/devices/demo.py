"""Demo media and devices, consistent with the carriers demo: the computer PC-07 and the USB
drives U-12 and U-31 the demo carriers name, printers DY-01..03, a cryptographic device, one
medium in maintenance by the qualified repair company, one scrapped by the destruction centre,
one lost (incident open), and one whose check is overdue (SUP-6)."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.utils import timezone

from baomi.accounts.models import Department
from baomi.contractors.models import Contractor
from baomi.core.levels import Level
from baomi.devices import services
from baomi.devices.models import Device
from baomi.registers.demo_people import pick
from baomi.sites.models import KeyPlace

# asset, kind, model, serial, vendor, product, level, custodian, department, place code
DEVICES = [
    ("PC-07", "computer", "联想 开天 M90z", "WD-WX12A3456789", "", "", Level.SECRET, "wangfang", "OFFICE", "KP-01"),
    ("PC-11", "computer", "长城 世恒 DF7", "S3Z9NB0K123456", "", "", Level.TOP_SECRET, "secofficer", "SECRECY", "KP-02"),
    ("U-12", "usb_drive", "金士顿 DT 加密U盘", "001CC0EC3450F0B1A9D1", "0951", "1666", Level.SECRET, "wangfang", "OFFICE",
     "KP-01"),
    ("U-31", "usb_drive", "爱国者 L8202 加密U盘", "AA04012700012345", "090c", "1000", Level.CONFIDENTIAL, "liuyang qianhao",
     "GENERAL", None),
    ("HD-02", "portable_disk", "希捷 涉密移动硬盘", "NAA4LMXK", "0bc2", "2322", Level.SECRET, "secofficer", "SECRECY",
     "KP-02"),
    ("U-40", "usb_drive", "朗科 U336 加密U盘", "1234567890ABCDEF", "0dd8", "1400", Level.SECRET, "lina", "OFFICE", "KP-01"),
    ("DY-01", "printer", "惠普 M403 涉密打印机", "PHBGM12345", "", "", Level.SECRET, "wangfang", "OFFICE", "KP-01"),
    ("DY-02", "printer", "奔图 P3010 涉密打印机", "CN2AB1C2D3", "", "", Level.CONFIDENTIAL, "secofficer", "SECRECY", None),
    ("MM-01", "crypto_device", "普通密码机 SJJ1012", "SJJ1012-00087", "", "", Level.SECRET, "secofficer", "SECRECY",
     "KP-02"),
]  # fmt: skip


def load() -> None:
    users = {u.username: u for u in get_user_model().objects.filter(is_active=True)}
    if not {"secofficer", "wangfang", "liuyang", "lina"} <= set(users):
        return
    so, today = users["secofficer"], timezone.localdate()
    depts = {d.code: d for d in Department.objects.all()}
    places = {p.code: p for p in KeyPlace.objects.all()}
    made: dict[str, Device] = {}
    for asset, kind, model, serial, vendor, product, level, custodian, dept, place in DEVICES:
        hosts = [made["PC-07"]] if asset == "U-12" else []
        made[asset] = services.register_device(
            so, asset_number=asset, kind=kind, model_name=model, serial=serial, usb_vendor=vendor, usb_product=product,
            level=level, custodian=pick(users, level, *custodian.split()), department=depts[dept], place=places.get(place or ""), hosts=hosts,
            procured_on=today - dt.timedelta(days=400),
        )  # fmt: skip
        services.commission_device(so, made[asset], on=today - dt.timedelta(days=380))
        # The half-yearly checks were done on time: the last one a few weeks ago.
        services.check_device(
            so, made[asset], checked_on=today - dt.timedelta(days=20 + 7 * len(made)), result="ok"
        )
    # Demo: U-31's half-yearly check is overdue.
    Device.objects.filter(pk=made["U-31"].pk).update(next_check_on=today - dt.timedelta(days=15))
    repairer = Contractor.objects.filter(name="某涉密资质维修公司").first()
    if repairer is not None:
        services.start_maintenance(so, made["DY-01"], contractor=repairer, technician="钱工", supervisor=so,
                                   fault="卡纸，定影组件异常")  # fmt: skip
    destroyer = Contractor.objects.filter(name="市保密局涉密载体销毁中心").first()
    if destroyer is not None:
        services.scrap_device(so, made["HD-02"], sanitised_on=today - dt.timedelta(days=3), sanitisation="消磁后物理粉碎",
                              destroyed_by=destroyer, destruction_ref="销毁〔2026〕027号")  # fmt: skip
    lost = made["U-40"]
    services.report_lost(lost.custodian, lost, note="外出开会返回后在包内未找到，最后一次使用在涉密会议室")
