"""Demo alerts (SEC-5): a few of each kind, so the dashboards are alive on first run.

Most come from the real evaluator over audit entries the demo writes: someone guessing the
name "admin", 王芳 downloading twenty carriers in a few minutes, the temporary hire 赵磊 refused
again and again, 李娜 opening twenty classified items, the system administrator trying to read a
carrier, a failed verification. The two that depend on the clock (access late at night and a
stalled sealer) are written directly with the times they would have had.
"""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from baomi.access import policy
from baomi.accounts import services as accounts
from baomi.accounts.models import User
from baomi.audit.events import AuditEvent
from baomi.audit.record import record
from baomi.carriers.models import Carrier
from baomi.classification.models import Item
from baomi.core.levels import STATE_SECRET_LEVELS
from baomi.monitoring import services
from baomi.monitoring.choices import Audience, KeyKind, RuleKind
from baomi.monitoring.detectors import AlertSpec
from baomi.monitoring.models import Alert

NAMES = ("secofficer", "auditor", "sysadmin", "lina", "wangfang", "liuyang", "zhaolei")


def load() -> None:
    u = {user.username: user for user in User.objects.filter(username__in=NAMES)}
    carriers = list(Carrier.objects.order_by("id")[:40])
    if set(NAMES) - set(u) or not carriers:
        return  # the accounts or carriers demo did not load
    items = list(Item.objects.filter(level__in=STATE_SECRET_LEVELS).order_by("id")[:20])
    secret = [c for c in carriers if c.level in STATE_SECRET_LEVELS]
    for _ in range(6):
        accounts.register_login_failure("admin")  # a name that is no account
    with transaction.atomic():
        for i in range(22):
            record(
                u["wangfang"],
                AuditEvent.CONTENT_DOWNLOADED,
                carriers[i % len(carriers)],
                details={"demo": True},
            )
        for c in carriers[:11]:
            policy.deny(u["zhaolei"], "view", c)
        for target in (items + secret)[:20]:
            event = AuditEvent.ITEM_VIEWED if isinstance(target, Item) else AuditEvent.CONTENT_VIEWED
            record(u["lina"], event, target, details={"demo": True})
        policy.deny(u["sysadmin"], "read_content", carriers[0])
        record(u["auditor"], AuditEvent.AUDIT_VERIFIED, None, outcome="failed",
               details={"demo": True, "problems": 1, "note": "演示: 一条记录在封存前被改动"})  # fmt: skip
    services.evaluate()
    now = timezone.now()
    night = timezone.localtime(now).replace(hour=22, minute=40) - timedelta(days=1)
    with transaction.atomic():
        services.raise_alert(AlertSpec(
            rule=RuleKind.OFF_HOURS, audience=Audience.SECURITY_OFFICER, key=f"u{u['liuyang'].pk}",
            key_kind=KeyKind.ACCOUNT, subject_label="liuyang", subject_user_id=u["liuyang"].pk,
            subject_department_id=None, subject_level="", time=night, rows=[],
            details=[[night.timestamp(), None, int(AuditEvent.LOGIN_SUCCEEDED), "accounts.user", str(u["liuyang"].pk),
                   "刘洋 (liuyang)", ""],
                  [(night + timedelta(minutes=3)).timestamp(), None, int(AuditEvent.CONTENT_VIEWED),
                   "carriers.carrier", str(carriers[0].pk), carriers[0].registry_number, carriers[0].level]],
        ), now=night + timedelta(minutes=4))  # fmt: skip
        # CLS-7, R-CRYPTO-5: a carrier whose level no longer matches its MAC (issue 11 §4).
        services.raise_alert(AlertSpec(
            rule=RuleKind.INTEGRITY_FAILURE, audience=Audience.SECURITY_OFFICER, key="system",
            key_kind=KeyKind.SYSTEM, subject_label="", subject_user_id=None, subject_department_id=None,
            subject_level="", time=now - timedelta(hours=5), rows=[],
            details=[[(now - timedelta(hours=5)).timestamp(), None, int(AuditEvent.INTEGRITY_FAILED),
                      "carriers.carrier", str(carriers[-1].pk), carriers[-1].registry_number, carriers[-1].level]],
        ), now=now - timedelta(hours=5))  # fmt: skip
        services.raise_alert(AlertSpec(
            rule=RuleKind.SEALER_LAG, audience=Audience.AUDITOR, key="system", key_kind=KeyKind.SYSTEM,
            subject_label="14", subject_user_id=None, subject_department_id=None, subject_level="",
            time=now - timedelta(days=3), rows=[],
        ), now=now - timedelta(days=3))  # fmt: skip
    # One alert already handled, to show the lifecycle.
    lag = Alert.objects.filter(rule=RuleKind.SEALER_LAG).first()
    if lag is not None:
        services.acknowledge_alert(u["auditor"], lag)
        services.close_alert(u["auditor"], lag, note="调度程序重启后已补封, 审计链校验通过")
