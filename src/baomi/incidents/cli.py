"""``baomi incidents …``: the incident register and the reporting clock (SUP-2, R-INC-1).

Commands act as a named baomi account (``--as``), so the policy decides exactly as in the UI;
``clock`` runs the scheduler's sweep now (reminders, missed deadlines).
"""

from __future__ import annotations

import argparse
from typing import Any

from baomi.core.errors import NotFound


def register(sub: Any) -> None:
    inc = sub.add_parser("incidents", help="保密事件").add_subparsers(
        dest="incidents_command", metavar="VERB"
    )
    p = inc.add_parser("list", help="列出保密事件及上报时限")
    p.add_argument("--as", dest="actor", required=True, help="以此账号的权限查询")
    p.add_argument("--status", default="")
    p.add_argument("--clock", default="", choices=["", "running", "overdue"], help="只列上报未完成/已超时的")
    p.set_defaults(func=cmd_list)
    p = inc.add_parser("clock", help="立即执行上报时限检查: 提醒与超时记录")
    p.set_defaults(func=cmd_clock)


def _actor(username: str) -> Any:
    from baomi.incidents.selectors import people

    user = people().filter(username=username).first()
    if user is None:
        raise NotFound()
    return user


def cmd_list(ns: argparse.Namespace) -> int:
    from django.utils import timezone

    from baomi.incidents import selectors

    actor = _actor(ns.actor)
    rows = selectors.incidents(actor, status=ns.status, clock=ns.clock)
    now = timezone.now()
    for i in rows:
        c = selectors.clock_of(i, now)
        state = {"running": f"剩余 {c.remaining_text}", "overdue": f"已超时 {c.remaining_text}",
                 "met": "已按时上报", "met_late": "已上报(超时)"}.get(c.state, "—")  # fmt: skip
        print(f"#{i.pk:<6}{i.get_status_display():<8}{i.get_kind_display():<12}{state:<18}{i.title}")
    print(f"共 {rows.count()} 起")
    return 0


def cmd_clock(ns: argparse.Namespace) -> int:
    from baomi.incidents.services import tick

    result = tick()
    print(f"提醒 {result['reminders']} 条, 新超时 {result['overdue']} 起")
    return 0
