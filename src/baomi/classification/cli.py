"""Classification commands: ``baomi classification expire`` (CLS-9) and ``remind`` (R-DECL-4)."""

from __future__ import annotations

import argparse
from datetime import date
from typing import Any

from baomi.audit.context import audit_context
from baomi.classification import services
from baomi.core.errors import ValidationFailed


def register(sub: Any) -> None:
    group = sub.add_parser("classification", help="定密管理: 到期解密、到期提醒")
    verbs = group.add_subparsers(dest="verb", metavar="VERB", required=True)
    p = verbs.add_parser("expire", help="到期自动解密 (保密期限届满或解密时间已到)")
    p.add_argument("--dry-run", action="store_true", help="只列出将解密的事项, 不作改动")
    p.add_argument("--date", help="按该日期计算 (YYYY-MM-DD), 默认今天")
    p.set_defaults(func=cmd_expire)

    p = verbs.add_parser("remind", help="发送保密期限届满提醒")
    p.add_argument("--date", help="按该日期计算 (YYYY-MM-DD), 默认今天")
    p.set_defaults(func=cmd_remind)


def _day(text: str | None) -> date | None:
    """``YYYY-MM-DD`` or nothing; anything else is a clear error, not a traceback (SEC-7)."""

    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValidationFailed(f"日期格式应为 YYYY-MM-DD: {text}") from None


def cmd_expire(ns: argparse.Namespace) -> int:
    with audit_context("cli"):
        ids = services.expire_items(_day(ns.date), dry_run=ns.dry_run)
    verb = "将解密" if ns.dry_run else "已解密"
    print(f"{verb} {len(ids)} 项" + (f": {', '.join('#' + str(i) for i in ids)}" if ids else ""))
    return 0


def cmd_remind(ns: argparse.Namespace) -> int:
    with audit_context("cli"):
        ids = services.send_expiry_reminders(_day(ns.date))
    print(f"已提醒 {len(ids)} 项")
    return 0
