"""Demo visits (SUP-4): an inspector from the municipal 保密局 in the archive with the approval
given, a contractor's engineer waiting for the machine room's approval, a visitor still on
site from yesterday (the security officer sees them at closing time), and a visit that left."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.utils import timezone

from baomi.sites.models import KeyPlace
from baomi.visitors import services


def load() -> None:
    users = {u.username: u for u in get_user_model().objects.filter(is_active=True)}
    places = {p.code: p for p in KeyPlace.objects.select_related("responsible")}
    if "secofficer" not in users or "KP-04" not in places:
        return
    so, now = users["secofficer"], timezone.now()
    archive, machine = places["KP-04"], places["KP-07"]
    inspector = services.register_visit(
        so, visitor_name="赵建华", id_type="resident_id", id_number="110101198003070017", organisation="市保密局",
        host=so, purpose="年度保密检查：涉密档案管理", places=[archive], escort=archive.responsible,
        expected_start=now - dt.timedelta(hours=2), expected_end=now + dt.timedelta(hours=3),
    )  # fmt: skip
    for approval in inspector.approvals.all():
        services.approve_visit(approval.place.responsible, approval, reason="同意，由负责人全程陪同")
    services.check_in(so, inspector)
    services.register_visit(
        so, visitor_name="孙磊", id_type="resident_id", id_number="110101199003070038", organisation="某信息系统集成公司",
        host=so, purpose="涉密机房网络设备巡检", places=[machine], escort=so,
        expected_start=now + dt.timedelta(days=1), expected_end=now + dt.timedelta(days=1, hours=4),
    )  # fmt: skip
    stayed = services.register_visit(
        so, visitor_name="李敏", id_type="passport", id_number="E12345678", organisation="省档案馆",
        host=so, purpose="档案数字化交流", expected_start=now - dt.timedelta(days=1, hours=3),
        expected_end=now - dt.timedelta(days=1),
    )  # fmt: skip
    services.check_in(so, stayed, at=now - dt.timedelta(days=1, hours=2))
    left = services.register_visit(
        so, visitor_name="周强", id_type="resident_id", id_number="110101198507070010", organisation="某涉密资质维修公司",
        host=so, purpose="打印机维修", expected_start=now - dt.timedelta(days=2, hours=4),
        expected_end=now - dt.timedelta(days=2, hours=1),
    )  # fmt: skip
    services.check_in(so, left, at=now - dt.timedelta(days=2, hours=4))
    services.check_out(so, left, at=now - dt.timedelta(days=2, hours=2))
