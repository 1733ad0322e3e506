"""``baomi keys …`` (master keys, SEC-4), ``baomi vault verify`` (alias ``check``, STYLE 2.6) and
``baomi vault migrate --to s3`` (docs/vault.md "Storage backends").

Key commands act with the operating-system account that runs them (holding the key file is
the authority to manage keys); the audit entries name it as ``os:<user>``. See docs/vault.md
for the rotation procedure.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from baomi.audit.events import AuditEvent
from baomi.audit.models import AuditEntry
from baomi.audit.record import record
from baomi.ops import keyfiles
from baomi.vault import storage
from baomi.vault.services import (
    key_usage,
    migrate_blobs,
    retire_master_key,
    rewrap_data_keys,
    rotate_master_key,
    verify_vault,
)


@dataclass(frozen=True)
class Operator:
    """The operating-system account running a key command (not a baomi account)."""

    username: str
    is_authenticated: bool = False


def operator() -> Operator:
    try:
        name = getpass.getuser()
    except (KeyError, OSError):
        name = str(os.getuid())
    return Operator(f"os:{name}")


def register(sub: Any) -> None:
    keys = sub.add_parser("keys", help=_("Manage the master and audit keys")).add_subparsers(
        dest="keys_command", metavar="VERB"
    )
    p = keys.add_parser(
        "init",
        help=_(
            "Create the keys of a new installation (never overwrites a key, never replaces one data depends on)"
        ),
    )
    p.add_argument(
        "--new-installation",
        action="store_true",
        help=_("Create missing keys even though data depends on them: the old data is given up"),
    )
    p.set_defaults(func=cmd_keys_init, needs_keys=False)
    p = keys.add_parser("list", help=_("List master keys and how many data keys each wraps"))
    p.set_defaults(func=cmd_keys_list)
    p = keys.add_parser("rotate", help=_("Create a new master key and rewrap every data key under it"))
    p.set_defaults(func=cmd_keys_rotate)
    p = keys.add_parser(
        "rewrap", help=_("Rewrap data keys still under an older master key (resume a rotation)")
    )
    p.set_defaults(func=cmd_keys_rewrap)
    p = keys.add_parser("retire", help=_("Erase an older master key once no data key uses it"))
    p.add_argument("key_id", metavar="KEYID")
    p.set_defaults(func=cmd_keys_retire)

    vault = sub.add_parser("vault", help=_("Encrypted content store")).add_subparsers(
        dest="vault_command", metavar="VERB"
    )
    p = vault.add_parser(
        "verify",
        aliases=["check"],
        help=_("Decrypt every blob, compare digests, list orphan and missing files"),
    )
    p.add_argument(
        "--remove-orphans",
        action="store_true",
        help=_("Delete orphan and stale temporary files older than an hour"),
    )
    p.set_defaults(func=cmd_vault_verify)
    p = vault.add_parser(
        "migrate", help=_("Move every blob to another store, verifying each copy (resumable, no downtime)")
    )
    p.add_argument("--to", required=True, choices=["local", "s3"], help=_("The store to move the blobs to"))
    p.set_defaults(func=cmd_vault_migrate)


def cmd_keys_init(ns: argparse.Namespace) -> int:
    """Create each missing key that nothing depends on yet (a new installation); refuse, creating
    nothing, when a missing key has dependants — restore it from the key backup instead —
    unless ``--new-installation`` says the old keys are given up (SEC-3, SEC-4)."""

    labels = {
        keyfiles.MASTER: _("no encrypted file depends on it yet"),
        keyfiles.AUDIT: _("no audit entry depends on it yet"),
        keyfiles.SECRET: _("no user account depends on it yet"),
        keyfiles.BACKUP: _("no backup has been made with it yet"),
    }
    result = keyfiles.init_keys(new_installation=ns.new_installation)
    if result.refused:
        for name in result.refused:
            print(f"错误: {keyfiles.missing_message(name)}", file=sys.stderr)
        print(_("No key was created."), file=sys.stderr)
        return 1
    for name in result.created:
        print(_("Key file created: {path}").format(path=keyfiles.key_path(name)))
        if name in result.replaced_in_use:
            print(
                _(
                    "NEW INSTALLATION as requested: {count} records depended on the old key and no "
                    "longer verify or decrypt under this one."
                ).format(count=result.replaced_in_use[name])
            )
        else:
            print("  " + _("New installation: {why}.").format(why=labels[name]))
    if result.created:
        print(
            _(
                "Warning: these keys are on the same machine as the data; in production keep the master "
                "key in a dedicated place (see docs/vault.md)."
            )
        )
        print(_("Back the keys up now, apart from the data: baomi backup-keys DIR"))
        _audit_created(result)
    else:
        print(_("Every key is present; nothing was changed."))
    return 0


def _audit_created(result: Any) -> None:
    from django.db import connection, transaction

    if AuditEntry._meta.db_table not in connection.introspection.table_names():
        return  # before `migrate`: there is no trail to write to yet
    with transaction.atomic():
        record(operator(), AuditEvent.KEYS_CREATED, ("core.keys", "", ", ".join(result.created)),
               details={"created": result.created, "new_installation": bool(result.replaced_in_use),
                        "records_depending_on_old_keys": result.replaced_in_use})  # fmt: skip


def cmd_keys_list(ns: argparse.Namespace) -> int:
    states = {
        "active": pgettext("master key state", "active"),
        "previous": pgettext("master key state", "previous (unwrap only)"),
        "retired": pgettext("master key state", "retired"),
    }
    for usage in key_usage():
        print(
            _("{key_id}  {state}  created {created}  data keys: {count}").format(
                key_id=usage.key.id,
                state=states.get(usage.key.state, usage.key.state),
                created=usage.key.created or "-",
                count=usage.blobs,
            )
        )
    return 0


def _print_rewrap(result: Any) -> int:
    print(_("Active master key: {key_id}").format(key_id=result.key_id))
    print(_("Data keys rewrapped: {count}").format(count=result.rewrapped))
    for blob_id in result.failed:
        print(_("Could not rewrap the data key of blob {blob}").format(blob=blob_id))
    return 1 if result.failed else 0


def cmd_keys_rotate(ns: argparse.Namespace) -> int:
    return _print_rewrap(rotate_master_key(operator()))


def cmd_keys_rewrap(ns: argparse.Namespace) -> int:
    return _print_rewrap(rewrap_data_keys(operator()))


def cmd_keys_retire(ns: argparse.Namespace) -> int:
    retire_master_key(operator(), ns.key_id)
    print(_("Master key {key_id} retired: its material has been erased.").format(key_id=ns.key_id))
    return 0


def cmd_vault_verify(ns: argparse.Namespace) -> int:
    kinds = {
        "damaged": _("damaged"),
        "missing": _("file missing"),
        "orphan": _("orphan file (no record)"),
        "leftover": _("file of destroyed content still present"),
        "stale_temp": _("stale temporary file"),
        "unavailable": _("store unavailable"),
    }
    report = verify_vault(operator(), remove_orphans=ns.remove_orphans)
    for problem in report.problems:
        print(
            _("PROBLEM {kind}: {name} {reason}").format(
                kind=kinds.get(problem.kind, problem.kind), name=problem.name, reason=problem.reason
            )
        )
    for name in report.removed:
        print(_("Removed: {name}").format(name=name))
    print(
        _("Checked {checked} blobs ({shredded} destroyed), {problems} problems.").format(
            checked=report.checked, shredded=report.shredded, problems=len(report.problems)
        )
    )
    return 0 if report.ok else 1


def cmd_vault_migrate(ns: argparse.Namespace) -> int:
    target = storage.get(ns.to)
    print(_("Moving blobs to {store}").format(store=target.describe()), flush=True)
    seen = [0]

    def progress(blob: Any, moved: int) -> None:
        seen[0] += 1
        if seen[0] % 100 == 0:
            print(_("{count} blobs done").format(count=seen[0]), flush=True)

    report = migrate_blobs(operator(), ns.to, progress=progress)
    for problem in report.failed:
        print(
            _("NOT MOVED {name}: {reason}").format(name=problem.name, reason=problem.reason or problem.kind)
        )
    print(
        _("Moved {moved} blobs ({mib} MiB); removed {swept} originals left by an earlier run.").format(
            moved=report.moved, mib=round(report.bytes / (1 << 20), 1), swept=report.swept
        )
    )
    if report.stopped:
        print(_("Stopped early, the store is unavailable: {reason}").format(reason=report.stopped))
        print(_("Run the same command again when the store answers; it resumes."))
    return 0 if report.ok else 1
