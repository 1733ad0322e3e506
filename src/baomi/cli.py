"""The ``baomi`` console command: ``baomi <app> <verb>`` and Django's own management commands.

App commands live in each app's ``cli`` part (``baomi.<app>.cli`` with ``register(subparsers)``),
found by the app registry (``baomi.kit.registry``). Every
command runs inside an audit context with channel ``cli``, so what it changes is audited like a
web request (STYLE 2.4). ``baomi`` reads ``BAOMI_DATA_DIR`` and the other variables like the
server does.
"""

from __future__ import annotations

import argparse
import os
import sys

DJANGO_COMMANDS = {
    "migrate", "makemigrations", "collectstatic", "shell", "check", "showmigrations", "dbshell",
    "compilemessages", "makemessages", "sqlmigrate", "diffsettings", "runserver", "test",
}  # fmt: skip


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="baomi", description="baomi 保密管理系统")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    from baomi.kit import registry

    for _app, module in registry.modules("cli"):
        module.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "baomi.settings")
    args = list(sys.argv[1:] if argv is None else argv)
    if args[:1] == ["check"] and "--deploy" in args and "--help" not in args:
        # Django's deployment checks and baomi's own, with a Chinese report (ops/deploycheck.py).
        import django

        django.setup()
        from baomi.ops import deploycheck

        return deploycheck.main(args[1:])
    if args and args[0] in DJANGO_COMMANDS:
        from django.core.management import execute_from_command_line

        if args[0] == "migrate":
            from django.conf import settings

            settings.DATA_DIR.mkdir(parents=True, exist_ok=True)
        if args[0] == "runserver" and not _keys_present(server=True):
            return 1
        execute_from_command_line(["baomi", *args])
        return 0
    import django

    django.setup()
    from baomi.audit.context import audit_context
    from baomi.core.errors import BaomiError

    parser = build_parser()
    ns = parser.parse_args(args)
    if not getattr(ns, "func", None):
        parser.print_help()
        return 2
    from django.db import DatabaseError

    try:
        # A key that data depends on being missing stops every command (SEC-3, SEC-4), except the
        # two that repair an installation: `keys init` (its own rule) and `restore`.
        if getattr(ns, "needs_keys", True) and not _keys_present():
            return 1
        with audit_context("cli"):
            try:
                result = ns.func(ns)
            except BaomiError as exc:
                print(f"错误: {exc}", file=sys.stderr)
                return 1
    except DatabaseError:
        if not _migrations_pending():
            raise
        # OPS: a database not yet created or not upgraded says what to run, not a traceback.
        print(NOT_MIGRATED, file=sys.stderr)
        return 1
    return int(result or 0)


NOT_MIGRATED = (
    "错误: 数据库尚未建立，或尚未升级到本版本（缺少数据表）。请先运行 baomi migrate，"
    "新安装再运行 baomi init 创建三员账号，然后重试。"
)


def _migrations_pending() -> bool:
    """Whether the database lacks migrations this version has (a fresh or an old database)."""
    from django.db import DatabaseError, connection
    from django.db.migrations.executor import MigrationExecutor

    try:
        executor = MigrationExecutor(connection)
        return bool(executor.migration_plan(executor.loader.graph.leaf_nodes()))
    except DatabaseError:
        return True


def _keys_present(*, server: bool = False) -> bool:
    import django

    django.setup()
    from baomi.ops.keyfiles import KeyFileMissing, require_keys

    try:
        require_keys(server=server)
    except KeyFileMissing as exc:
        print(f"错误: {exc}", file=sys.stderr)
        return False
    return True


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
