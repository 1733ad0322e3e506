"""``baomi keys …`` (master keys, SEC-4) and ``baomi vault verify`` (STYLE 2.6).

Key commands act with the operating-system account that runs them (holding the key file is
the authority to manage keys); the audit entries name it as ``os:<user>``. See docs/vault.md
for the rotation procedure.
"""

from __future__ import annotations

import argparse
import getpass
import os
import secrets
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import pgettext


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
    p = keys.add_parser("init", help=_("Create missing master and audit keys (never overwrites a key)"))
    p.set_defaults(func=cmd_keys_init)
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
        "verify", help=_("Decrypt every blob, compare digests, list orphan and missing files")
    )
    p.add_argument(
        "--remove-orphans",
        action="store_true",
        help=_("Delete orphan and stale temporary files older than an hour"),
    )
    p.set_defaults(func=cmd_vault_verify)


def cmd_keys_init(ns: argparse.Namespace) -> int:
    from django.conf import settings

    from baomi.core.keys import ensure_key_file
    from baomi.vault.services import ensure_master_key

    made = []
    if ensure_master_key():
        made.append(str(settings.MASTER_KEY_FILE))
    if ensure_key_file(settings.AUDIT_KEY_FILE):
        made.append(str(settings.AUDIT_KEY_FILE))
    secret = settings.KEY_DIR / "django-secret.key"
    if not secret.exists() and not os.environ.get("BAOMI_SECRET_KEY"):
        secret.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(secret, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_urlsafe(50))
        made.append(str(secret))
    for made_path in made:
        print(_("Key file created: {path}").format(path=made_path))
    if made:
        print(
            _(
                "Warning: these keys are on the same machine as the data; in production keep the master "
                "key in a dedicated place (see docs/vault.md)."
            )
        )
    return 0


def cmd_keys_list(ns: argparse.Namespace) -> int:
    from baomi.vault.services import key_usage

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
    from baomi.vault.services import rotate_master_key

    return _print_rewrap(rotate_master_key(operator()))


def cmd_keys_rewrap(ns: argparse.Namespace) -> int:
    from baomi.vault.services import rewrap_data_keys

    return _print_rewrap(rewrap_data_keys(operator()))


def cmd_keys_retire(ns: argparse.Namespace) -> int:
    from baomi.vault.services import retire_master_key

    retire_master_key(operator(), ns.key_id)
    print(_("Master key {key_id} retired: its material has been erased.").format(key_id=ns.key_id))
    return 0


def cmd_vault_verify(ns: argparse.Namespace) -> int:
    from baomi.vault.services import verify_vault

    kinds = {
        "damaged": _("damaged"),
        "missing": _("file missing"),
        "orphan": _("orphan file (no record)"),
        "leftover": _("file of destroyed content still present"),
        "stale_temp": _("stale temporary file"),
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
