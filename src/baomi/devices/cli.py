"""``baomi devices whitelist``: the USBGuard rules file (or CSV) of the registered, in-use
removable media of a department or a computer (SUP-6), for the endpoints to load. It acts as
a named baomi account (``--as``), so the policy decides and the export is audited as in the UI.

    baomi devices whitelist --as secofficer --department OFFICE --output /etc/usbguard/rules.conf
    baomi devices whitelist --as secofficer --computer PC-07 --format csv
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from baomi.core.errors import NotFound


def register(sub: Any) -> None:
    dev = sub.add_parser("devices", help="涉密移动存储介质和设备").add_subparsers(
        dest="devices_command", metavar="VERB"
    )
    p = dev.add_parser("whitelist", help="导出在用已登记移动存储介质的 USBGuard 白名单 (其余一律阻止) 或 CSV")
    p.add_argument("--as", dest="actor", required=True, help="操作员用户名 (保密办)")
    scope = p.add_mutually_exclusive_group(required=True)
    scope.add_argument("--department", help="部门编码 (含下级部门)")
    scope.add_argument("--computer", help="涉密计算机的资产编号")
    p.add_argument("--format", dest="fmt", choices=["usbguard", "csv"], default="usbguard")
    p.add_argument("--output", help="写入此文件 (默认输出到屏幕)")
    p.set_defaults(func=cmd_whitelist)


def _actor(username: str) -> Any:
    from baomi.devices.selectors import people

    user = people().filter(username=username).first()
    if user is None:
        raise NotFound()
    return user


def cmd_whitelist(ns: argparse.Namespace) -> int:
    from baomi.devices import selectors, services

    actor = _actor(ns.actor)
    department = computer = None
    if ns.department:
        department = selectors.department_by_code(ns.department)
        if department is None:
            raise NotFound()
    else:
        computer = selectors.device_by_asset(actor, ns.computer)
        if computer is None:
            raise NotFound()
    wl = services.export_whitelist(actor, department=department, computer=computer, fmt=ns.fmt)
    if ns.output:
        Path(ns.output).write_text(wl.text, encoding="utf-8")
        print(
            f"已导出 {len(wl.media)} 件在用移动存储介质到 {ns.output} (导出编号 {wl.number})", file=sys.stderr
        )
    else:
        sys.stdout.write(wl.text)
    return 0
