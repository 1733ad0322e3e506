"""``baomi import carriers|items|personnel FILE.xlsx --as USER [--dry-run] [--valid-only] [--report OUT]``
and ``baomi import KIND --template OUT``: the ledgers an office already keeps, imported through
the services a hand entry uses, as a named operator (STYLE 2.9). Exit status 1 when a row was
refused (and, without ``--valid-only``, nothing was imported)."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from baomi.core.errors import NotFound, ValidationFailed
from baomi.imports import services
from baomi.imports.ledgers import LEDGERS


def register(sub: Any) -> None:
    p = sub.add_parser(
        "import", help=_("Import an existing ledger from an Excel file (carriers, items, personnel)")
    )
    p.add_argument("kind", choices=sorted(LEDGERS), help=_("which ledger"))
    p.add_argument("file", nargs="?", type=Path, help=_("the .xlsx file (made from the template)"))
    p.add_argument("--as", dest="operator", help=_("operator user name (the security office)"))
    p.add_argument("--dry-run", action="store_true", help=_("check every row, import nothing"))
    p.add_argument("--valid-only", action="store_true",
                   help=_("import the rows that pass and report the others (default: all or nothing)"))  # fmt: skip
    p.add_argument("--report", type=Path, help=_("write the refused rows with their reasons to this .xlsx"))
    p.add_argument("--template", type=Path, metavar="OUT", help=_("write the empty template to OUT and stop"))
    p.set_defaults(func=cmd_import)


def _operator(username: str | None) -> Any:
    from baomi.carriers.queries import people_by_username

    user = people_by_username(username or "")
    if user is None:
        raise NotFound()
    return user


def cmd_import(ns: argparse.Namespace) -> int:
    if ns.template is not None:
        ns.template.write_bytes(services.template(ns.kind))
        print(_("Template written: {path}").format(path=ns.template))
        return 0
    if ns.file is None or not ns.operator:
        raise ValidationFailed(_("Name the file and the operator (--as)."))
    actor = _operator(ns.operator)
    data = ns.file.read_bytes()
    started = time.monotonic()
    rows = services.read(ns.kind, data)
    print(_("{rows} rows read from {file}.").format(rows=len(rows), file=ns.file.name), file=sys.stderr)

    def progress(done: int, total: int) -> None:
        print(_("… {done}/{total}").format(done=done, total=total), file=sys.stderr, flush=True)

    result = services.import_ledger(actor, ns.kind, rows, dry_run=ns.dry_run, valid_only=ns.valid_only,
                                    source=data, progress=progress)  # fmt: skip
    refused = result.refused
    for row in refused[:50]:
        print(_("Row {row}: {reason}").format(row=row.number, reason="；".join(row.errors)))
    if len(refused) > 50:
        print(_("… and {count} more refused rows (see the report).").format(count=len(refused) - 50))
    if ns.report is not None and refused:
        ns.report.write_bytes(result.report())
        print(_("Report of the refused rows: {path}").format(path=ns.report))
    seconds = time.monotonic() - started
    if ns.dry_run:
        print(_("Dry run: {ok} rows would be imported, {refused} refused; nothing was written.").format(
            ok=len(rows) - len(refused), refused=len(refused)))  # fmt: skip
    elif result.imported:
        print(_("Imported {count} records in {seconds:.1f} s; {refused} rows refused.").format(
            count=result.imported, seconds=seconds, refused=len(refused)))  # fmt: skip
    else:
        print(_("Nothing was imported: {refused} rows refused (use --valid-only to import the others).").format(
            refused=len(refused)))  # fmt: skip
    return 1 if refused else 0
