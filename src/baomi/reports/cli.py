"""``baomi report <verb>``: the annual report and the statistics from the command line, always as
a named operator (``--as``) so the policy and the audit trail see a person (STYLE 2.9)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from django.utils import timezone

from baomi.core.errors import NotFound
from baomi.reports import services
from baomi.reports.statistics import Period


def register(sub: Any) -> None:
    p = sub.add_parser("report", help="统计报表和年度保密工作报告")
    verbs = p.add_subparsers(dest="verb", metavar="VERB")

    a = verbs.add_parser("annual", help="按记录起草年度保密工作报告, 输出 docx 和 PDF")
    a.add_argument("--as", dest="operator", required=True, help="操作员用户名 (安全保密管理员)")
    a.add_argument("--year", type=int, default=None, help="年份 (默认今年)")
    a.add_argument("--out", default=".", help="输出目录")
    a.add_argument("--format", default="docx,pdf", help="docx,pdf")
    g = a.add_mutually_exclusive_group()
    g.add_argument("--keep-edited", action="store_true", help="重新起草时保留已修改的文字")
    g.add_argument("--overwrite", action="store_true", help="重新起草时覆盖已修改的文字")
    a.add_argument("--register", action="store_true", help="登记为工作秘密事项并加密存档")
    a.set_defaults(func=cmd_annual)

    s = verbs.add_parser("statistics", help="导出统计数据 (xlsx 或 csv)")
    s.add_argument("--as", dest="operator", required=True)
    s.add_argument("--year", type=int, default=None)
    s.add_argument("--format", choices=services.FORMATS, default="xlsx")
    s.add_argument("--out", required=True, help="输出文件")
    s.set_defaults(func=cmd_statistics)
    p.set_defaults(func=lambda ns: p.print_help() or 2)


def _operator(username: str) -> Any:
    from baomi.accounts.selectors import user_by_username

    user = user_by_username(username)
    if user is None:
        raise NotFound()
    return user


def cmd_annual(ns: argparse.Namespace) -> int:
    actor = _operator(ns.operator)
    year = ns.year or timezone.localdate().year
    report = services.draft_annual_report(actor, year, overwrite=ns.overwrite, keep_edited=ns.keep_edited)
    out = Path(ns.out)
    out.mkdir(parents=True, exist_ok=True)
    for fmt in [f.strip() for f in ns.format.split(",") if f.strip()]:
        data, name = services.export_annual_report(actor, report, fmt)
        (out / name).write_bytes(data)
        print(out / name)
    if ns.register:
        report = services.register_annual_report(actor, report)
        print(f"已登记为工作秘密事项 #{report.item_id}, PDF 已加密存档")
    return 0


def cmd_statistics(ns: argparse.Namespace) -> int:
    actor = _operator(ns.operator)
    period = Period.year(ns.year or timezone.localdate().year)
    Path(ns.out).write_bytes(services.export_statistics(actor, ns.format, period))
    print(ns.out)
    return 0
