"""``baomi inspections …``: measured checks and the scheduler's sweeps (SUP-1).

``probes`` computes every measured check now, as the named account (the figures are counts; the
exceptions are labels that are not classified); ``open-due`` opens the runs of plans that fall
due; ``remind`` raises the day's reminders.
"""

from __future__ import annotations

import argparse
from datetime import date
from typing import Any

from baomi.core.errors import NotFound


def register(sub: Any) -> None:
    ins = sub.add_parser("inspections", help="保密检查与整改").add_subparsers(
        dest="inspections_command", metavar="VERB"
    )
    p = ins.add_parser("probes", help="按系统记录计算数据核查项")
    p.add_argument("--as", dest="actor", required=True, help="以此账号的权限查询")
    p.add_argument("--on", default="", help="核查日期 YYYY-MM-DD (默认今天)")
    p.set_defaults(func=cmd_probes)
    p = ins.add_parser("open-due", help="立即为到期的检查计划开始检查")
    p.set_defaults(func=cmd_open_due)
    p = ins.add_parser("remind", help="立即发出检查和整改提醒")
    p.set_defaults(func=cmd_remind)


def _actor(username: str) -> Any:
    from baomi.inspections.selectors import people

    user = people().filter(username=username).first()
    if user is None:
        raise NotFound()
    return user


def cmd_probes(ns: argparse.Namespace) -> int:
    from django.utils import timezone

    from baomi.access.policy import require
    from baomi.kit import probes

    actor = _actor(ns.actor)
    require(actor, "inspection_list")
    on = date.fromisoformat(ns.on) if ns.on else timezone.localdate()
    for key, p in probes.probes().items():
        m = probes.measure(key, on)
        sample = "、".join(e["label"] for e in m.exceptions[:5])
        print(f"{m.count:>7}  {p.label}  [{key}]" + (f"  {sample}" if sample else ""))
    return 0


def cmd_open_due(ns: argparse.Namespace) -> int:
    from baomi.inspections.services import open_due_runs

    print(f"开始检查 {open_due_runs()['runs_opened']} 项")
    return 0


def cmd_remind(ns: argparse.Namespace) -> int:
    from baomi.inspections.services import raise_reminders

    result = raise_reminders()
    print(f"检查提醒 {result['runs']} 条, 整改提醒 {result['tasks']} 条")
    return 0
