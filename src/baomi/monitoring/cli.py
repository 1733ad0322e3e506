"""``baomi monitoring <verb>``: run the evaluator, list alerts, seed the working calendar (SEC-5)."""

from __future__ import annotations

import argparse
from typing import Any

from django.utils import timezone

from baomi.core.errors import NotFound
from baomi.monitoring import selectors, services


def register(sub: Any) -> None:
    p = sub.add_parser("monitoring", help="安全监控: 审计日志告警")
    verbs = p.add_subparsers(dest="verb", metavar="VERB")

    e = verbs.add_parser("evaluate", help="立即按监控规则检查新的审计记录")
    e.set_defaults(func=cmd_evaluate)

    a = verbs.add_parser("alerts", help="列出告警 (收件人: 安全保密管理员或安全审计员)")
    a.add_argument("--as", dest="operator", required=True, help="操作员用户名")
    a.add_argument("--status", default="open", help="open | new | acknowledged | closed | escalated | all")
    a.set_defaults(func=cmd_alerts)

    c = verbs.add_parser("seed-calendar", help="按国务院公布的节假日安排 (含调休) 写入本单位工作日历")
    c.add_argument("--as", dest="operator", required=True, help="操作员用户名 (安全保密管理员)")
    c.add_argument("--year", type=int, default=None, help="年份 (默认今年)")
    c.set_defaults(func=cmd_seed_calendar)
    p.set_defaults(func=lambda ns: p.print_help() or 2)


def _operator(username: str) -> Any:
    from baomi.accounts.selectors import user_by_username

    user = user_by_username(username)
    if user is None:
        raise NotFound()
    return user


def cmd_evaluate(ns: argparse.Namespace) -> int:
    result = services.evaluate(audit_run=True)
    print(f"已检查 {result['read']} 条审计记录, 新告警 {result['raised']} 条 (链序号 {result['seq']})")
    return 0


def cmd_alerts(ns: argparse.Namespace) -> int:
    actor = _operator(ns.operator)
    status = "" if ns.status == "all" else ns.status
    for alert in selectors.alerts(actor, {"status": status})[:200]:
        when = timezone.localtime(alert.raised_at).strftime("%Y-%m-%d %H:%M")
        subject = selectors.subject_text(actor, alert)
        print(
            f"#{alert.pk}\t{when}\t{alert.get_rule_display()}\t{subject}\t{alert.count}\t{alert.get_status_display()}"
        )
    return 0


def cmd_seed_calendar(ns: argparse.Namespace) -> int:
    from baomi.classification import services as cls_services
    from baomi.core.errors import ValidationFailed

    actor = _operator(ns.operator)
    year = ns.year or timezone.localdate().year
    try:
        counts = cls_services.seed_calendar(actor, year)
    except ValidationFailed:
        print(f"{year} 年的节假日安排尚未收录 (chinesecalendar); 请在工作日历中手工维护。")
        return 1
    print(
        f"已写入 {year} 年公布的节假日和调休工作日: 新增 {counts['added']} 个, 更新 {counts['changed']} 个, "
        f"保留保密管理员的设置 {counts['kept']} 个"
    )
    return 0
