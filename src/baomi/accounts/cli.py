"""``baomi accounts …``: the operator's recovery verbs on the server (SEC-1, SEC-2).

- ``reset-password USER``: the password stops working, every session and API token ends, and
  the person fetches a one-time password from the security officer in person — the operator
  learns none, as in the UI (R-ROLE-1..3, issue 11 §1); the only way to reset the password of
  the security officer or the auditor (三员分立 keeps the system administrator from doing it in
  the UI). ``--sealed-letter FILE`` writes the one-time password into a new file for a printed,
  sealed letter instead (for the account nobody can hand over to: the only security officer);
  it is never printed on the console.
- ``unlock USER``: lift a lockout.
- ``demo-code USER``: the current second-factor code of a demo account (its fixed demo secret);
  refused outside a demo database.
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any

from baomi.accounts import selectors, services, totp


def register(sub: Any) -> None:
    accounts = sub.add_parser("accounts", help="账号运维 (重置口令、解锁、演示动态码)")
    verbs = accounts.add_subparsers(dest="accounts_command", metavar="VERB")
    p = verbs.add_parser(
        "reset-password", help="重置口令 (原口令失效; 一次性口令由安全保密管理员当面交付本人)"
    )
    p.add_argument("username")
    p.add_argument("--sealed-letter", metavar="FILE", default="",
                   help="将一次性口令写入新文件, 打印后密封交付本人 (不在屏幕显示)")  # fmt: skip
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
    letter = None
    if ns.sealed_letter:
        try:
            # A new file only, readable by its owner alone: never overwrite, never on screen.
            letter = os.open(ns.sealed_letter, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except OSError as exc:
            print(f"无法新建密封函文件 {ns.sealed_letter}: {exc.strerror}", file=sys.stderr)
            return 1
    services.reset_password_from_console(user)
    print(f"已重置 {user.username} 的口令: 原口令、全部会话和 API 令牌均已失效。")
    if letter is None:
        print("请本人持身份证件到安全保密管理员处, 当面领取一次性口令 (账号页“向本人显示一次性口令”)。")
        return 0
    password = services.seal_password_letter(user)
    with os.fdopen(letter, "w", encoding="utf-8") as out:
        out.write(f"账号: {user.username}\n一次性口令: {password}\n"
                  "仅限本人使用; 首次登录须绑定本人的动态口令并设置新口令。\n")  # fmt: skip
    print(f"一次性口令已写入 {ns.sealed_letter}: 打印后删除该文件, 密封交付本人。")
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
