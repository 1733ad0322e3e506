"""Demo incidents (SUP-2, R-INC-1): an open incident with its 24-hour clock running — a paper
copy reported lost six hours ago, marked missing in the registry, one of the two upward reports
made — beside the incidents the carriers and personnel demos opened through the seam.

Runs after the accounts, carriers and personnel demos (the demo_after of its AppConfig).
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from baomi.accounts.models import User
from baomi.carriers.models import Carrier
from baomi.incidents import services


def load() -> None:
    users = {u.username: u for u in User.objects.filter(username__in=["secofficer", "wangfang", "lina"])}
    if len(users) < 3:
        return  # the accounts demo did not load
    so, wang, lina = users["secofficer"], users["wangfang"], users["lina"]
    carrier = Carrier.objects.filter(custodian=wang, status="registered", kind="paper").order_by("id").first()
    now = timezone.now().replace(microsecond=0)
    found = now - timedelta(hours=6, minutes=20)
    incident = services.report_incident(
        wang, kind="lost_carrier", title="会议纪要纸质件一份遗失",
        description="参加外单位会议返回途中发现随身携带的会议纪要（纸质件）一份遗失，已沿途查找未果。",
        discovered_at=found, place="返程途中（出租车）", carriers=[carrier] if carrier else [],
    )  # fmt: skip
    if carrier is not None:
        services.involve_carrier(so, incident, carrier, lost=True)
    services.assign_incident(so, incident, handler=lina)
    services.record_action(so, incident, text="通知出租车公司协查，调取行车记录；组织办公室全面清点同批载体。",
                           occurred_at=found + timedelta(minutes=40), taken_by=lina)  # fmt: skip
    services.report_upward(so, incident, recipient="same_level", reported_at=found + timedelta(hours=2),
                           channel="phone", reference="市保密局值班电话记录 2026-0417")  # fmt: skip
    services.record_note(
        lina, incident, text="当事人陈述：会后将纪要放入公文包，乘出租车返回，下车时未发现遗失。"
    )
