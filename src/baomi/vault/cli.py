"""``baomi keys …`` and ``baomi vault …``."""

from __future__ import annotations

import argparse
import os
import secrets
from typing import Any


def register(sub: Any) -> None:
    keys = sub.add_parser("keys", help="密钥管理").add_subparsers(dest="keys_command", metavar="VERB")
    p = keys.add_parser("init", help="创建缺少的主密钥、审计密钥 (不覆盖已有密钥)")
    p.set_defaults(func=cmd_keys_init)


def cmd_keys_init(ns: argparse.Namespace) -> int:
    from django.conf import settings

    from baomi.audit.keys import ensure_key_file

    made = []
    for path in (settings.MASTER_KEY_FILE, settings.AUDIT_KEY_FILE):
        if ensure_key_file(path):
            made.append(str(path))
    secret = settings.KEY_DIR / "django-secret.key"
    if not secret.exists() and not os.environ.get("BAOMI_SECRET_KEY"):
        secret.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(secret, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_urlsafe(50))
        made.append(str(secret))
    for made_path in made:
        print(f"已创建密钥文件: {made_path}")
    if made:
        print("警告: 演示密钥与数据在同一台机器上; 生产环境的主密钥应放在专用位置 (见 docs/operations.md)。")
    return 0
