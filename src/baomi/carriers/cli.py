"""``baomi carriers <verb>``: registry work from the command line, always as a named operator
account (``--as``) so the policy and the audit trail see a person (STYLE 2.9)."""

from __future__ import annotations

import argparse
import datetime as dt
from typing import Any

from baomi.carriers import queries, services
from baomi.carriers.choices import CarrierKind
from baomi.core.errors import NotFound, ValidationFailed


def register(sub: Any) -> None:
    p = sub.add_parser("carriers", help="涉密载体登记与管理")
    verbs = p.add_subparsers(dest="verb", metavar="VERB")

    r = verbs.add_parser("register", help="登记载体 (每份一个编号和份号)")
    r.add_argument("--as", dest="operator", required=True, help="操作员用户名 (保密办)")
    r.add_argument("--item", type=int, required=True, help="涉密事项编号")
    r.add_argument("--kind", choices=CarrierKind.values, required=True)
    r.add_argument("--custodian", required=True, help="责任人用户名")
    r.add_argument("--copies", type=int, default=1)
    r.add_argument("--place", default="", help="存放位置")
    r.add_argument("--pages", type=int)
    r.add_argument("--originator", default="")
    r.set_defaults(func=cmd_register)

    o = verbs.add_parser("overdue", help="列出逾期未还的借阅")
    o.add_argument("--as", dest="operator", required=True)
    o.set_defaults(func=cmd_overdue)

    u = verbs.add_parser("unsigned", help="列出未签收的传递")
    u.add_argument("--as", dest="operator", required=True)
    u.set_defaults(func=cmd_unsigned)

    i = verbs.add_parser("inventory", help="发起定期清点")
    i.add_argument("--as", dest="operator", required=True)
    i.add_argument("--title", required=True)
    i.add_argument("--days", type=int, default=14, help="几天内完成")
    i.set_defaults(func=cmd_inventory)

    s = verbs.add_parser("show", help="显示一个载体 (按登记编号)")
    s.add_argument("--as", dest="operator", required=True)
    s.add_argument("number")
    s.set_defaults(func=cmd_show)
    p.set_defaults(func=lambda ns: p.print_help() or 2)


def _operator(username: str) -> Any:
    user = queries.people_by_username(username)
    if user is None:
        raise NotFound()
    return user


def cmd_register(ns: argparse.Namespace) -> int:
    actor = _operator(ns.operator)
    item = queries.registrable_items(actor).filter(pk=ns.item).first()
    custodian = queries.people_by_username(ns.custodian)
    if item is None or custodian is None:
        raise ValidationFailed("未找到该事项或责任人。")
    made = services.register_carrier(actor, item=item, kind=ns.kind, custodian=custodian, copies=ns.copies,
                                     storage_place=ns.place, pages=ns.pages, originator=ns.originator)  # fmt: skip
    for c in made:
        print(f"{c.registry_number}\t份号 {c.copy_number}")
    return 0


def cmd_overdue(ns: argparse.Namespace) -> int:
    actor = _operator(ns.operator)
    rows = list(queries.overdue_loans(actor))
    for loan in rows:
        print(
            f"{loan.carrier.registry_number}\t{loan.borrower.username}\t应还 {loan.due_on:%Y-%m-%d}\t{loan.place}"
        )
    print(f"共 {len(rows)} 件逾期。")
    return 0


def cmd_unsigned(ns: argparse.Namespace) -> int:
    actor = _operator(ns.operator)
    rows = list(queries.unsigned_transfers(actor))
    for t in rows:
        print(
            f"{t.carrier.registry_number}\t{t.sender.username} → {t.receiver.username}\t{t.envelope_number}"
        )
    print(f"共 {len(rows)} 件未签收。")
    return 0


def cmd_inventory(ns: argparse.Namespace) -> int:
    from django.utils import timezone

    actor = _operator(ns.operator)
    campaign = services.start_inventory(actor, title=ns.title,
                                        due_on=timezone.localdate() + dt.timedelta(days=ns.days))  # fmt: skip
    print(f"清点 #{campaign.pk} 已发起, 共 {campaign.entries.count()} 件。")
    return 0


def cmd_show(ns: argparse.Namespace) -> int:
    actor = _operator(ns.operator)
    carrier = queries.carrier_by_number(actor, ns.number)  # a refusal is audited (CAR-3)
    print(f"{carrier.registry_number}  份号 {carrier.copy_number}  {carrier.mark_text()}")
    print(
        f"状态: {carrier.get_status_display()}  责任人: {carrier.custodian.username}  存放: {carrier.storage_place}"
    )
    return 0
