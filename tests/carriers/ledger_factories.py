"""Generated ledger data for the ledger tests (CAR-12): items at every level, scopes naming people
and departments (some expired, some not yet valid), carriers held across departments."""

from __future__ import annotations

import random
from datetime import timedelta
from typing import Any

from django.utils import timezone

from baomi.carriers.models import Carrier
from baomi.classification.models import Item, ItemScope
from baomi.core.levels import Level
from tests.support.integrity import bind

TITLES = [
    "关于加强保密管理工作的通知", "年度财务预算编制方案", "安全检查工作报告", "保密工作会议纪要",
    "人事任免请示", "信息系统安全检查情况通报", "重要会议筹备方案", "涉密人员培训计划",
    "网络安全应急预案", "函：关于设备采购事宜", "密码设备使用登记", "专项审计工作底稿",
]  # fmt: skip
KINDS = ["paper", "electronic", "medium", "device", "secret_product"]
_seq = {"n": 0}


def make_item(org: Any, level: str, dept_code: str = "OFFICE", title: str = "事项") -> Item:
    # Bound like the services bind (R-CRYPTO-5): the policy refuses an item's carriers when the
    # item's mark fails its MAC (issue 11 §4). Bind again after changing its scope.
    return bind(Item.objects.create(
        title=title, level=level, duration_kind="period", duration_value=10, duration_unit="year",
        department=org.departments[dept_code], proposed_by=org.case_handler,
    ))  # fmt: skip


def make_carrier(org: Any, item: Item, custodian: Any, *, title: str | None = None, kind: str = "paper",
                 department: Any = None, at: Any = None, status: str = "registered") -> Carrier:  # fmt: skip
    _seq["n"] += 1
    n = _seq["n"]
    now = at or timezone.now()
    return bind(Carrier.objects.create(
        registry_number=f"BM-{now.year}-{kind[:1].upper()}-{n:06d}", year=now.year, kind=kind, sequence=n,
        copy_number=f"{n % 100:03d}", item=item, level=item.level, title=title or item.title, status=status,
        custodian=custodian, department=department or custodian.department, registered_by=org.security_officer,
        registered_at=now,
    ))  # fmt: skip


def generate(org: Any, n_items: int = 30, per_item: int = 3, seed: int = 7) -> list[Carrier]:
    """A mixed registry: every level, person and department scopes with and without dates."""
    rng = random.Random(seed)
    today = timezone.localdate()
    users = list(org.users.values())
    depts = list(org.departments.values())
    carriers = []
    base = timezone.now() - timedelta(days=400)
    all_levels = list(Level.values)
    for i in range(n_items):
        level = all_levels[i % len(all_levels)]
        item = make_item(org, level, rng.choice(["OFFICE", "FIN", "SEC", "IT"]), TITLES[i % len(TITLES)])
        for _ in range(rng.randint(0, 2)):
            window = rng.choice([(None, None), (today - timedelta(days=30), None), (None, today - timedelta(days=1)),
                                 (today + timedelta(days=2), None), (today - timedelta(days=5), today)])  # fmt: skip
            if rng.random() < 0.5:
                ItemScope.objects.create(
                    item=item, user=rng.choice(users), starts_on=window[0], ends_on=window[1]
                )
            else:
                ItemScope.objects.create(item=item, department=rng.choice(depts), starts_on=window[0],
                                         ends_on=window[1])  # fmt: skip
        bind(item)
        for j in range(per_item):
            holder = rng.choice(users)
            carriers.append(make_carrier(
                org, item, holder, kind=KINDS[(i + j) % len(KINDS)],
                department=rng.choice(depts) if rng.random() < 0.2 else holder.department,
                at=base + timedelta(hours=i * 7 + j, minutes=rng.randint(0, 50)),
                title=f"{TITLES[(i + j) % len(TITLES)]}（第{j + 1}份）",
            ))  # fmt: skip
    return carriers
