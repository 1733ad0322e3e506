"""Demo data assets (SUP-8, R-DATA): important statistics whose yearly assessment is due next
month, a personal-information register, general open data, and a data set flagged for an
aggregation-risk review."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.utils import timezone

from baomi.accounts.models import Department
from baomi.dataassets import services
from baomi.systems.models import InformationSystem


def load() -> None:
    users = {u.username: u for u in get_user_model().objects.filter(is_active=True)}
    if not {"secofficer", "lina"} <= set(users):
        return
    so, lina, today = users["secofficer"], users["lina"], timezone.localdate()
    depts = {d.code: d for d in Department.objects.all()}
    portal = InformationSystem.objects.filter(code="BG-WEB-01").first()
    stats = services.register_asset(
        so, name="全市重点行业运行监测数据", code="DA-001", category="statistics", grade="important",
        department=depts["POLICY"], owner=lina, officer=so, measures="专网存储、加密备份、数据标签、最小授权访问",
        processors="市统计局（联合处理）", records=2_400_000,
    )  # fmt: skip
    services.record_assessment(so, stats, assessed_on=today - dt.timedelta(days=340), assessor="本单位数据安全工作组",
                               outcome="issues", findings="备份介质未异地存放，已整改",
                               reported_on=today - dt.timedelta(days=330))  # fmt: skip
    services.register_asset(
        so, name="来访人员登记信息", code="DA-002", category="personal", grade="general", department=depts["SECRECY"],
        owner=so, measures="证件号码加密存储、脱敏显示、按需查看并审计", records=3_000, personal_information=True,
    )  # fmt: skip
    services.register_asset(
        so, name="政务公开信息", code="DA-003", category="government", grade="general", department=depts["IT"],
        owner=users.get("sysadmin") or so, system=portal, measures="先审后发，发布记录留存",
    )  # fmt: skip
    grid = services.register_asset(
        so, name="重点单位位置与人员分布汇总", code="DA-004", category="geographic", grade="important",
        department=depts["POLICY"], owner=lina, officer=so, measures="内网存储，限定知悉范围",
    )  # fmt: skip
    services.flag_aggregation(lina, grid, note="多源数据汇聚后可能反映重点目标分布，申请保密审查")
