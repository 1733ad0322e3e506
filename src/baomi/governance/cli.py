"""``baomi governance <verb>``: load the regulation templates and print the self-inspection
figures, always as a named operator account (``--as``) so the policy and the audit trail see a
person (STYLE 2.9)."""

from __future__ import annotations

import argparse
import datetime as dt
import json
from pathlib import Path
from typing import Any

from baomi.accounts.selectors import user_by_username
from baomi.core.errors import NotFound


def register(sub: Any) -> None:
    p = sub.add_parser("governance", help="保密工作领导小组、责任书、保密制度、应急预案、宣传教育")
    verbs = p.add_subparsers(dest="verb", metavar="VERB")
    r = verbs.add_parser("load-regulations", help="把九个保密制度模板登记为现行制度 (保密办)")
    r.add_argument("--as", dest="operator", required=True, help="操作员用户名 (保密办)")
    r.add_argument("--approver", required=True, help="批准人用户名 (单位负责人或领导小组成员)")
    r.add_argument("--file", type=Path, help="模板文件 (默认随系统提供的模板)")
    r.set_defaults(func=cmd_load)
    c = verbs.add_parser("checks", help="自查自评指标: 责任书签订、制度复审、应急演练")
    c.add_argument("--as", dest="operator", required=True)
    c.add_argument("--on", type=dt.date.fromisoformat, help="日期 YYYY-MM-DD (默认今天)")
    c.set_defaults(func=cmd_checks)
    p.set_defaults(func=lambda ns: p.print_help() or 2)


def _person(username: str) -> Any:
    user = user_by_username(username)
    if user is None:
        raise NotFound()
    return user


def cmd_load(ns: argparse.Namespace) -> int:
    from baomi.governance import services

    made = services.load_template_regulations(
        _person(ns.operator), approved_by=_person(ns.approver), path=ns.file
    )
    for reg in made:
        print(f"{reg.code} {reg.title}")
    print(f"共登记 {len(made)} 项制度")
    return 0


def cmd_checks(ns: argparse.Namespace) -> int:
    from django.utils import timezone

    from baomi.access.policy import can, deny
    from baomi.governance import selectors

    operator = _person(ns.operator)
    if not can(operator, "statements_list"):
        raise deny(operator, "statements_list", ("governance.checks", "checks", "checks"))
    on = ns.on or timezone.localdate()
    figures = {"on": on.isoformat(), "statements": selectors.statement_figures(on),
               "regulation_reviews": selectors.regulation_review_figures(on), "drills": selectors.drill_figures(on)}  # fmt: skip
    print(json.dumps(figures, ensure_ascii=False))
    return 0
