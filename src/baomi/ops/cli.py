"""Core commands: ``baomi init``, ``baomi demo``, ``baomi scheduler``."""

from __future__ import annotations

import argparse
import getpass
import sys
from typing import Any

from baomi.accounts.bootstrap import create_administrators
from baomi.audit.events import AuditEvent
from baomi.audit.record import record
from baomi.kit import demo, jobs
from baomi.ops.backup import copy_keys, create_backup, restore_backup, verify_restore
from baomi.vault.storage import startup_check


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

    p = sub.add_parser("backup", help="加密备份数据库和加密文件 (不含密钥; 见 docs/operations.md)")
    p.add_argument("dest", nargs="?", help="备份根目录, 每次备份在其中新建一代 (默认 BAOMI_BACKUP_DIR)")
    p.add_argument("--keep", type=int, help="保留最近几代备份, 更早的删除 (默认 BAOMI_BACKUP_KEEP)")
    p.add_argument("--keys-to", help="同时把密钥复制到另一个目录 (须与备份分开存放)")
    p.set_defaults(func=cmd_backup)

    p = sub.add_parser(
        "backup-keys", help="把主密钥、审计密钥和备份密钥复制到单独的介质 (与数据备份分开保管)"
    )
    p.add_argument("dest", help="目标目录 (如单独的 U 盘); 权限设为 0700, 密钥文件 0600")
    p.set_defaults(func=cmd_backup_keys)

    p = sub.add_parser("restore", help="从备份恢复数据库和加密文件")
    p.add_argument("src", help="一代备份的目录, 或备份根目录 (取最新一代)")
    p.add_argument("--force", action="store_true", help="覆盖已有数据")
    p.add_argument(
        "--verify-only",
        action="store_true",
        help="不恢复: 在临时数据库中试恢复, 校验审计链并解密每个文件, 不触动现有系统",
    )
    p.set_defaults(func=cmd_restore, needs_keys=False)  # restores data before (or without) its keys

    p = sub.add_parser("scheduler", help="运行定时任务 (到期解密、提醒等)")
    p.add_argument("--once", action="store_true", help="运行一轮后退出")
    p.add_argument("--interval", type=int, default=60)
    p.set_defaults(func=cmd_scheduler)


def cmd_init(ns: argparse.Namespace) -> int:
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
    if ns.accounts:
        demo.print_accounts(sys.stdout)
        return 0
    loaded = demo.load()
    print("演示数据已加载。" if loaded else "演示数据已存在, 未重复加载。")
    return 0


def cmd_scheduler(ns: argparse.Namespace) -> int:
    startup_check()  # wrong object-store settings stop the scheduler at once, with the reason
    jobs.run_forever(interval=ns.interval, once=ns.once)
    return 0


def cmd_backup(ns: argparse.Namespace) -> int:
    from pathlib import Path

    result = create_backup(Path(ns.dest) if ns.dest else None, keep=ns.keep,
                           keys_to=Path(ns.keys_to) if ns.keys_to else None)  # fmt: skip
    m = result.manifest
    record(None, AuditEvent.BACKUP_CREATED, None,
           details={"engine": m["engine"], "generation": m["name"], "files": len(m["files"]),
                    "blobs_copied": m["blobs"]["copied"], "blobs_linked": m["blobs"]["linked"],
                    "pruned": [p.name for p in result.pruned], "cipher": m["encryption"]["cipher"],
                    "audit_checkpoint": m["audit_checkpoint"], "keys_copied": bool(ns.keys_to),
                    **({"keys_to": str(Path(ns.keys_to).resolve())} if ns.keys_to else {})})  # fmt: skip
    print(
        f"备份完成: {result.path} (数据库已加密 {m['encryption']['cipher'].upper()}; "
        f"新复制 {m['blobs']['copied']} 个文件, 沿用上一代 {m['blobs']['linked']} 个; "
        f"审计检查点 #{m['audit_checkpoint']['last_id']})"
    )
    for old in result.pruned:
        print(f"已删除过期的备份: {old}")
    if not ns.keys_to:
        print("注意: 备份不含密钥。主密钥、审计密钥和备份密钥须另行备份并分开保管 (baomi backup-keys)。")
    return 0


def cmd_backup_keys(ns: argparse.Namespace) -> int:
    from pathlib import Path

    copied = copy_keys(Path(ns.dest))
    # The target names the medium: a missing key's message points to it (ops/keyfiles.py).
    dest = str(Path(ns.dest).resolve())
    record(None, AuditEvent.BACKUP_CREATED, ("core.keybackup", "", dest),
           details={"keys_only": True, "files": len(copied)})  # fmt: skip
    for path in copied:
        print(f"已复制密钥: {path}")
    print("请将该介质与数据备份分开、加封保管, 并登记。")
    return 0


def cmd_restore(ns: argparse.Namespace) -> int:
    from pathlib import Path

    if ns.verify_only:
        report = verify_restore(Path(ns.src))
        m = report.manifest
        print(f"备份文件完整: {m['path']} ({len(m['files'])} 个文件, 创建于 {m['created_at']})")
        print(f"审计链: {'完好' if report.chain_ok else '校验失败'}, {report.entries} 条; "
              f"检查点 #{m['audit_checkpoint']['last_id']} {'存在' if report.checkpoint_found else '缺失'}")  # fmt: skip
        print(f"加密文件: 已解密校验 {report.blobs_checked} 个, 问题 {len(report.blob_problems)} 个")
        for problem in report.blob_problems[:20]:
            print(f"  问题: {problem}")
        for note in report.notes[:20]:
            print(f"  提示: {note}")
        if not report.ok:
            print("备份不能完整恢复。", file=sys.stderr)
            return 1
        print("备份可以完整恢复 (未触动现有系统)。")
        return 0
    m = restore_backup(Path(ns.src), force=ns.force)
    record(None, AuditEvent.BACKUP_RESTORED, None,
           details={"created_at": m["created_at"], "generation": m.get("name", ""),
                    "audit_checkpoint": m["audit_checkpoint"]})  # fmt: skip
    print(f"已恢复 {m['created_at']} 的备份; 审计记录截至 #{m['audit_checkpoint']['last_id']}。")
    return 0
