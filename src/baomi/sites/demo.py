"""Demo key departments, places and cabinets, consistent with the carriers demo: the cabinets
are named as the demo carriers' storage places (办公室保密柜A-01, 保密办密件柜B-01 …), so the
registry's free text links to them; one place awaits confirmation, one check has findings
under rectification and one place is overdue for its check (SUP-5)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth import get_user_model
from django.utils import timezone

from baomi.accounts.models import Department
from baomi.core.levels import Level
from baomi.registers.demo_people import pick
from baomi.sites import services
from baomi.sites.models import KeyPlace

# code, name, kind, department, level, responsible, measures, confirmed, cabinets (number, name, custodian)
PLACES = [
    ("KP-01", "办公室机要室", "confidential_office", "OFFICE", Level.SECRET, "lina", "acd", True,
     [("A-01", "办公室保密柜A-01", "wangfang"), ("A-02", "办公室保密柜A-02", "wangfang")]),
    ("KP-02", "保密办密件室", "archive", "SECRECY", Level.TOP_SECRET, "secofficer", "acds", True,
     [("B-01", "保密办密件柜B-01", "secofficer"), ("B-02", "保密办密件柜B-02", "secofficer"),
      ("B-03", "保密办密件库3号柜", "secofficer")]),
    ("KP-03", "局长办公室", "office", "ORG", Level.TOP_SECRET, "zhangwei", "ac", True,
     [("J-01", "局长室保密柜", "zhangwei")]),
    ("KP-04", "档案室", "archive", "OFFICE", Level.SECRET, "lina", "acd", True,
     [("D-01", "档案室涉密档案柜", "lina")]),
    ("KP-05", "综合科办公室", "office", "GENERAL", Level.CONFIDENTIAL, "liuyang qianhao", "a", False,
     [("C-02", "综合科保密柜C-02", "liuyang qianhao")]),
    ("KP-06", "涉密会议室", "meeting_room", "OFFICE", Level.SECRET, "lina", "acs", True, []),
    ("KP-07", "信息中心涉密机房", "machine_room", "IT", Level.SECRET, "secofficer", "acds", True, []),
    ("KP-08", "保密办设备间", "archive", "SECRECY", Level.SECRET, "secofficer", "acd", True,
     [("S-01", "保密办设备间", "secofficer")]),
]  # fmt: skip
MEASURES = {"a": "access_control", "c": "cctv", "d": "alarm", "s": "shielding"}


def load() -> None:
    users = {u.username: u for u in get_user_model().objects.filter(is_active=True)}
    depts = {d.code: d for d in Department.objects.all()}
    if not {"secofficer", "zhangwei", "lina", "wangfang", "liuyang"} <= set(users) or "SECRECY" not in depts:
        return  # the accounts demo did not load
    so = users["secofficer"]
    today = timezone.localdate()
    services.designate_department(so, department=depts["SECRECY"], level=Level.TOP_SECRET, responsible=so,
                                  reason="集中管理绝密级载体，承担全局保密工作")  # fmt: skip
    kd = services.designate_department(so, department=depts["OFFICE"], level=Level.SECRET,
                                       responsible=pick(users, Level.SECRET, "lina"),
                                       reason="大量处理机密级、秘密级公文")  # fmt: skip
    services.confirm_department(
        so, kd, confirmed_on=today - dt.timedelta(days=200), reference="市保函〔2025〕18号"
    )
    places = {}
    for code, name, kind, dept, level, resp, measures, confirmed, cabinets in PLACES:
        fitted: dict[str, Any] = {MEASURES[m]: True for m in measures}
        place = services.register_place(
            so, name=name, code=code, kind=kind, department=depts[dept], level=level, responsible=pick(users, level, *resp.split()),
            location=f"机关大楼{code[-1]}层", **fitted,
        )  # fmt: skip
        if confirmed:
            services.confirm_place(
                so, place, confirmed_on=today - dt.timedelta(days=180), reference="市保函〔2025〕18号"
            )
        for number, cab_name, custodian in cabinets:
            services.add_cabinet(
                so,
                place=place,
                number=number,
                name=cab_name,
                custodian=pick(users, level, *custodian.split()),
            )
        places[code] = place
    # A check passed last month, one with findings under rectification, one planned.
    done = services.plan_check(so, places["KP-02"], planned_on=today - dt.timedelta(days=30))
    services.record_check(so, done, checked_on=today - dt.timedelta(days=30))
    found = services.plan_check(so, places["KP-05"], planned_on=today - dt.timedelta(days=10))
    services.record_check(so, found, checked_on=today - dt.timedelta(days=10),
                          findings="保密柜密码三个月未更换；门禁登记不全", rectify_by=today + dt.timedelta(days=20))  # fmt: skip
    services.plan_check(so, places["KP-01"], planned_on=today + dt.timedelta(days=7))
    # Demo: the archive's quarterly check is overdue.
    KeyPlace.objects.filter(pk=places["KP-04"].pk).update(next_check_on=today - dt.timedelta(days=12))
