"""Demo information systems (SUP-7, R-SYS): the classified office network on PC-07 and U-12,
live, whose biennial risk assessment is overdue; a classified document system tested and
evaluated, waiting for the 保密局's approval; the public web portal, an ordinary office system."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.utils import timezone

from baomi.accounts.models import Department
from baomi.core.levels import Level
from baomi.devices.models import Device
from baomi.registers.demo_people import pick
from baomi.sites.models import KeyPlace
from baomi.systems import services


def load() -> None:
    users = {u.username: u for u in get_user_model().objects.filter(is_active=True)}
    if "secofficer" not in users:
        return
    so, today = users["secofficer"], timezone.localdate()
    depts = {d.code: d for d in Department.objects.all()}
    devices = {d.asset_number: d for d in Device.objects.all()}
    room = KeyPlace.objects.filter(code="KP-07").first()
    admin = pick(users, Level.SECRET, "wangfang")
    auditor = next(
        u for name in ("lina", "zhangwei") if (u := pick(users, Level.SECRET, name)) not in (admin, so)
    )
    net = services.register_system(
        so, name="涉密办公内网", code="SM-NET-01", kind="classified", grade=Level.SECRET, department=depts["OFFICE"],
        place=room, isolation="物理隔离，与互联网和政务外网无任何连接；USB 端口按白名单管控", users_scope="办公室、综合科涉密人员",
        user_count=12, system_admin=admin, security_admin=so, auditor=auditor,
        devices=[d for k, d in devices.items() if k in ("PC-07", "U-12", "MM-01")],
    )  # fmt: skip
    services.record_review(so, net, kind="evaluation", body="国家保密科技测评中心某分中心", reference="测评〔2023〕0412号",
                           held_on=today - dt.timedelta(days=830), outcome="passed")  # fmt: skip
    services.record_review(so, net, kind="approval", body="市保密局", reference="市保审〔2023〕21号",
                           held_on=today - dt.timedelta(days=815), outcome="passed")  # fmt: skip
    services.go_live(so, net, on=today - dt.timedelta(days=800))
    # The last risk assessment was 25 months ago: the biennial one is overdue (R-SYS-3).
    services.record_assessment(so, net, assessed_on=today - dt.timedelta(days=760), reason="periodic",
                               assessor="国家保密科技测评中心某分中心", outcome="issues",
                               findings="审计日志保存期限不足6个月，已整改")  # fmt: skip
    services.record_patch(admin, net, applied_on=today - dt.timedelta(days=20), reference="SEC-2026-011",
                          description="操作系统安全补丁（离线导入）")  # fmt: skip
    services.record_drill(admin, net, held_on=today - dt.timedelta(days=90), scenario="主服务器硬盘故障，从备份恢复",
                          outcome="passed", recovery_minutes=95)  # fmt: skip
    docs = services.register_system(
        so, name="机要文件流转系统", code="SM-DOC-02", kind="classified", grade=Level.SECRET, department=depts["SECRECY"],
        place=room, isolation="独立组网，物理隔离", users_scope="保密办、办公室机要人员", user_count=5,
        system_admin=admin, security_admin=so, auditor=auditor,
    )  # fmt: skip
    services.record_review(so, docs, kind="evaluation", body="国家保密科技测评中心某分中心", reference="测评〔2026〕0033号",
                           held_on=today - dt.timedelta(days=10), outcome="passed")  # fmt: skip
    portal = services.register_system(
        so, name="门户网站", code="BG-WEB-01", kind="office", grade=Level.PUBLIC, department=depts["IT"],
        isolation="互联网区，与内网物理隔离；信息发布先审后发", users_scope="全体工作人员（发布）", user_count=30,
        system_admin=users.get("sysadmin") or admin, security_admin=so, auditor=users.get("auditor") or auditor,
    )  # fmt: skip
    services.go_live(so, portal, on=today - dt.timedelta(days=400))
