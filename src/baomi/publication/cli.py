"""``baomi publication <verb>``: the screening matcher and the review register from the command
line, always as a named operator account (``--as``) so the policy and the audit trail see a
person (STYLE 2.9)."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from baomi.accounts.selectors import user_by_username
from baomi.core.errors import NotFound


def register(sub: Any) -> None:
    p = sub.add_parser("publication", help="信息公开保密审查")
    verbs = p.add_subparsers(dest="verb", metavar="VERB")
    m = verbs.add_parser("matcher", help="建立 (或重建) 台账比对索引并显示其规模 (保密办)")
    m.add_argument("--as", dest="operator", required=True, help="操作员用户名 (保密办)")
    m.add_argument("--rebuild", action="store_true", help="丢弃本进程已有的索引后重建")
    m.set_defaults(func=cmd_matcher)
    r = verbs.add_parser("register", help="导出信息公开保密审查登记簿 (xlsx)")
    r.add_argument("--as", dest="operator", required=True)
    r.add_argument("--year", type=int)
    r.add_argument("--status", default="")
    r.add_argument("--out", type=Path, required=True, help="输出文件")
    r.set_defaults(func=cmd_register)
    p.set_defaults(func=lambda ns: p.print_help() or 2)


def _operator(username: str) -> Any:
    user = user_by_username(username)
    if user is None:
        raise NotFound()
    return user


def cmd_matcher(ns: argparse.Namespace) -> int:
    from baomi.publication import services

    print(json.dumps(services.build_matcher(_operator(ns.operator), rebuild=ns.rebuild), ensure_ascii=False))
    return 0


def cmd_register(ns: argparse.Namespace) -> int:
    from baomi.publication import exports

    export = exports.export_register(_operator(ns.operator), status=ns.status, year=ns.year)
    ns.out.write_bytes(export.data)
    print(f"{ns.out} ({export.number})")
    return 0
