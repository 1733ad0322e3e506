"""Core commands: ``baomi init``, ``baomi demo``, ``baomi scheduler``."""

from __future__ import annotations

import argparse
import getpass
import sys
from typing import Any


def register(sub: Any) -> None:
    p = sub.add_parser("init", help="创建三员 (系统管理员、安全保密管理员、安全审计员) 账号")
    p.add_argument("--sysadmin", default="sysadmin")
    p.add_argument("--security-officer", default="secofficer")
    p.add_argument("--auditor", default="auditor")
    p.add_argument("--password", help="初始口令 (不给则交互输入); 首次登录必须修改")
    p.set_defaults(func=cmd_init)

    p = sub.add_parser("demo", help="加载演示数据 (幂等)")
    p.add_argument("--accounts", action="store_true", help="只列出演示账号")
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser("scheduler", help="运行定时任务 (到期解密、提醒等)")
    p.add_argument("--once", action="store_true", help="运行一轮后退出")
    p.add_argument("--interval", type=int, default=60)
    p.set_defaults(func=cmd_scheduler)


def cmd_init(ns: argparse.Namespace) -> int:
    from baomi.accounts.bootstrap import create_administrators

    password = ns.password or getpass.getpass("三员初始口令: ")
    created = create_administrators(
        sysadmin=ns.sysadmin, security_officer=ns.security_officer, auditor=ns.auditor, password=password
    )
    for username in created:
        print(f"已创建: {username}")
    if not created:
        print("三员账号已存在, 未作改动。")
    return 0


def cmd_demo(ns: argparse.Namespace) -> int:
    from baomi.core import demo

    if ns.accounts:
        demo.print_accounts(sys.stdout)
        return 0
    loaded = demo.load()
    print("演示数据已加载。" if loaded else "演示数据已存在, 未重复加载。")
    return 0


def cmd_scheduler(ns: argparse.Namespace) -> int:
    from baomi.core import jobs

    jobs.run_forever(interval=ns.interval, once=ns.once)
    return 0
