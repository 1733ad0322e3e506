"""``baomi accounts …``: the operator's recovery verbs on the server (SEC-1, SEC-2).

- ``reset-password USER``: a temporary password, to be changed at the next sign-in; the only
  way to reset the password of the security officer or the auditor (三员分立 keeps the system
  administrator from doing it in the UI).
- ``unlock USER``: lift a lockout.
- ``demo-code USER``: the current second-factor code of a demo account (its fixed demo secret);
  refused outside a demo database.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from baomi.accounts import selectors, services, totp


def register(sub: Any) -> None:
    accounts = sub.add_parser("accounts", help="账号运维 (重置口令、解锁、演示动态码)")
    verbs = accounts.add_subparsers(dest="accounts_command", metavar="VERB")
    p = verbs.add_parser("reset-password", help="重置口令 (生成临时口令, 下次登录必须修改)")
    p.add_argument("username")
    p.set_defaults(func=cmd_reset_password)
    p = verbs.add_parser("unlock", help="解除账号锁定")
    p.add_argument("username")
    p.set_defaults(func=cmd_unlock)
    p = verbs.add_parser("demo-code", help="演示账号当前的动态码 (仅演示数据)")
    p.add_argument("username")
    p.set_defaults(func=cmd_demo_code)


def _user(username: str) -> Any:
    user = selectors.user_by_username(username)
    if user is None:
        print(f"无此用户: {username}", file=sys.stderr)
    return user


def cmd_reset_password(ns: argparse.Namespace) -> int:
    user = _user(ns.username)
    if user is None:
        return 1
    password = services.reset_password_from_console(user)
    print(f"{user.username} 的临时口令: {password}")
    print("请当面或以密封方式交付; 下次登录时必须修改。")
    return 0


def cmd_unlock(ns: argparse.Namespace) -> int:
    user = _user(ns.username)
    if user is None:
        return 1
    services.unlock_from_console(user)
    print(f"已解除锁定: {user.username}")
    return 0


def cmd_demo_code(ns: argparse.Namespace) -> int:
    user = _user(ns.username)
    if user is None:
        return 1
    secret = totp.demo_secret(user.username)
    if not selectors.demo_loaded() or not user.totp_secret:
        print("仅用于演示数据中预先登记的账号。", file=sys.stderr)
        return 1
    if totp.unseal(user.totp_secret, user.pk) != secret:
        print("该账号的第二因子不是演示密钥 (已重新登记), 请使用手机验证器。", file=sys.stderr)
        return 1
    print(totp.code_for(secret, totp.current_step()))
    return 0
