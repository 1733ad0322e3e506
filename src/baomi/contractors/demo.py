"""Demo contractors: a repair company and a destruction centre with current qualifications,
a printer whose qualification has expired (it cannot be chosen) and one that expires within
the month, and an engagement (SUP-13, R-SITE-3)."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.utils import timezone

from baomi.contractors import services
from baomi.core.levels import Level

CONTRACTORS = [
    # name, credit code, contact, [(kind, grade, number, issued days ago, expires in days)]
    (
        "某涉密资质维修公司",
        "91110108MA01ABCD3X",
        "钱工",
        [("repair", "grade_b", "BMWX-B-2024-0031", 400, 700)],
    ),
    (
        "市保密局涉密载体销毁中心",
        "12110000400012345K",
        "孙主任",
        [("destruction", "grade_a", "BMXH-A-2023-0002", 700, 400)],
    ),
    (
        "某印务有限公司",
        "91110105MA02EFGH4Y",
        "周经理",
        [("production", "grade_b", "BMYZ-B-2021-0107", 1200, -20)],
    ),
    (
        "某信息系统集成公司",
        "91110108MA03JKLM5W",
        "吴工",
        [("integration", "grade_a", "BMJC-A-2023-0045", 800, 25)],
    ),
]


def load() -> None:
    users = {u.username: u for u in get_user_model().objects.filter(is_active=True)}
    if "secofficer" not in users:
        return
    so, today = users["secofficer"], timezone.localdate()
    made = {}
    for name, code, contact, quals in CONTRACTORS:
        c = services.register_contractor(
            so, name=name, credit_code=code, contact=contact, phone="010-6000 0000"
        )
        for kind, grade, number, ago, left in quals:
            services.add_qualification(so, c, kind=kind, grade=grade, number=number, issuer="国家保密局",
                                       issued_on=today - dt.timedelta(days=ago),
                                       expires_on=today + dt.timedelta(days=left))  # fmt: skip
        made[name] = c
    services.start_engagement(
        so, made["某涉密资质维修公司"], kind="repair", level=Level.SECRET, scope="涉密计算机和打印机现场维修",
        agreement_ref="保协〔2026〕3号", agreement_signed_on=today - dt.timedelta(days=30),
        starts_on=today - dt.timedelta(days=30), ends_on=today + dt.timedelta(days=335), responsible=so,
    )  # fmt: skip
