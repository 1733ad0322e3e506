"""Importing a ledger an office already keeps (issue 19): read, resolve, check every row
through the services a hand entry uses, then write all rows or none — or, when the officer
chooses, the rows that pass — and report each refused row with its reason.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import threading
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from baomi.access import policy
from baomi.audit.events import AuditEvent
from baomi.audit.record import record
from baomi.core.errors import BaomiError
from baomi.imports import sheets
from baomi.imports.events import ImportEvent
from baomi.imports.ledgers import Ledger, Progress, ledger
from baomi.imports.models import ImportRun, RunStatus
from baomi.kit.service import internal, own_transaction, service

log = logging.getLogger("baomi.imports")
SHOWN_REFUSED = 20


@dataclass
class ImportResult:
    """What an import did: every row (with its reasons), how many records were made."""

    kind: str
    rows: list[sheets.SheetRow]
    imported: int
    dry_run: bool
    valid_only: bool

    @property
    def refused(self) -> list[sheets.SheetRow]:
        return [r for r in self.rows if not r.ok]

    @property
    def committed(self) -> bool:
        return self.imported > 0

    def report(self) -> bytes:
        """The error report: the refused rows with a reason column (xlsx)."""
        return sheets.report(ledger(self.kind).columns, self.rows)


@internal
def template(kind: str) -> bytes:
    """The empty ledger with its Chinese headers, to fill in and upload. Writes nothing; no
    policy (the template holds no data)."""
    spec = ledger(kind)
    return sheets.template(spec.columns, spec.title)


@internal
def read(kind: str, data: Any) -> list[sheets.SheetRow]:
    """The records of an uploaded spreadsheet, each already checked for the sheet's faults.
    Reads the file only; :func:`import_ledger` checks the policy."""
    return sheets.read(data, ledger(kind).columns)


@service
def import_ledger(
    actor: Any, kind: str, rows: list[sheets.SheetRow], *, dry_run: bool = False, valid_only: bool = False,
    source: bytes = b"", progress: Progress | None = None,
) -> ImportResult:  # fmt: skip
    """Import the rows of a ledger (carriers, items, personnel).

    Every row is resolved as the hand-entry form would (items the actor may register, active
    accounts, departments) and held to the services' own rules; nothing is written unless every
    row passes, or ``valid_only`` is chosen (then the rows that pass are written and the others
    reported). ``dry_run`` only checks. Rows are written by the ledger's services, which audit
    each record (and a carriers batch takes its numbers in one step).

    *Requires* the ledger's hand-entry action (``carriers.register``,
    ``record_existing_determination``, ``manage_personnel``).
    *Audits* LEDGER_IMPORTED (counts and the file's sha256; outcome ``failed`` when nothing was
    imported), and ACCESS_DENIED for each row the policy refused. A dry run audits only refusals.
    """
    spec: Ledger = ledger(kind)
    policy.require(actor, spec.action)
    spec.resolve(actor, rows)
    spec.check(actor, rows)
    ready = [r for r in rows if r.ok]
    imported = 0
    if not dry_run and ready and (valid_only or len(ready) == len(rows)):
        imported = spec.apply(actor, ready, progress)
    for row in rows:
        if row.denied is not None:
            exc = row.denied
            record(actor, AuditEvent.ACCESS_DENIED, exc.target, outcome="denied",
                   details={"action": exc.action, "service": "import_ledger", "reason": exc.reason,
                            "row": row.number})  # fmt: skip
    if not dry_run:
        record(actor, ImportEvent.LEDGER_IMPORTED, None, outcome="ok" if imported else "failed",
               details={"ledger": kind, "rows": len(rows), "imported": imported,
                        "refused": len(rows) - len(ready), "valid_only": valid_only,
                        "file_sha256": hashlib.sha256(source).hexdigest() if source else ""})  # fmt: skip
    return ImportResult(kind, rows, imported, dry_run, valid_only)


# -- background runs (progress for long imports) -------------------------------------------------


def _key() -> bytes:
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF

    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"baomi-import-v1").derive(
        settings.SECRET_KEY.encode()
    )


def _seal(data: bytes, label: str) -> bytes:
    """A queued ledger and a run's report hold titles and names: kept sealed (AES-256-GCM under
    a key derived from ``SECRET_KEY``, as the TOTP secrets), the label as associated data."""
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    if not data:
        return b""
    nonce = os.urandom(12)
    return b"v1" + nonce + AESGCM(_key()).encrypt(nonce, data, label.encode())


@internal
def unseal(stored: bytes, label: str) -> bytes:
    """The plaintext of :func:`_seal` (a pure function; the caller has checked the policy)."""
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    stored = bytes(stored)
    if not stored:
        return b""
    if stored[:2] != b"v1":
        raise ValueError("unknown sealed import format")
    return AESGCM(_key()).decrypt(stored[2:14], stored[14:], label.encode())


def _progress_path(run_id: int) -> Path:
    return Path(settings.DATA_DIR) / "imports" / f"run-{int(run_id)}.json"


@internal
def write_progress(run_id: int, phase: str, done: int = 0, total: int = 0) -> None:
    """Publish how far a run got. The import writes all rows in one transaction (all or none),
    so its progress cannot be a row of the database (nobody else would see it before the end):
    it is a small file next to the database, replaced atomically; the status endpoint reads it.
    Writes no model; no policy (called by :func:`run_queued_imports` only)."""
    path = _progress_path(run_id)
    path.parent.mkdir(parents=True, exist_ok=True)
    # A temporary name of this writer's own: two writers never rename each other's file.
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}")
    tmp.write_text(json.dumps({"phase": phase, "done": done, "total": total}))
    os.replace(tmp, path)


@internal
def read_progress(run_id: int) -> dict[str, Any]:
    """The last published progress of a run (``{}`` when none). Reads a file only; the caller
    has checked the policy on the run."""
    try:
        data: dict[str, Any] = json.loads(_progress_path(run_id).read_text())
        return data
    except (OSError, ValueError):
        return {}


def _clear_progress(run_id: int) -> None:
    _progress_path(run_id).unlink(missing_ok=True)


@service
def queue_import(actor: Any, kind: str, data: bytes, *, mode: str, file_name: str = "") -> ImportRun:
    """Queue a large ledger file for the scheduler's ``imports.run`` job (the upload request
    would time out); the job imports it as :func:`import_ledger` does, as ``actor``.

    *Requires* the ledger's hand-entry action. *Audits* LEDGER_IMPORT_QUEUED (ledger, mode,
    the file's sha256 and size)."""
    spec = ledger(kind)
    policy.require(actor, spec.action)
    if mode not in ("check", "all", "valid"):
        raise ValueError(mode)
    digest = hashlib.sha256(data).hexdigest()
    run = ImportRun(
        actor=actor,
        kind=kind,
        mode=mode,
        file_name=file_name[:200],
        file_sha256=digest,
        source=_seal(data, f"source:{digest}"),
    )
    run.save()
    record(actor, ImportEvent.LEDGER_IMPORT_QUEUED, run,
           details={"ledger": kind, "mode": mode, "file_sha256": digest, "bytes": len(data)})  # fmt: skip
    return run


def _claim() -> ImportRun | None:
    with transaction.atomic():
        run = (
            ImportRun.objects.select_for_update(skip_locked=True)
            .filter(status=RunStatus.QUEUED)
            .order_by("created_at", "id")
            .first()
        )
        if run is None:
            return None
        run.status = RunStatus.RUNNING
        run.started_at = timezone.now()
        run.save(update_fields=["status", "started_at"])
    return run


def _finish(run: ImportRun, status: str, result: dict[str, Any], report: bytes = b"") -> None:
    run.status = status
    run.result = result
    run.report = _seal(report, f"report:{run.file_sha256}")
    run.source = b""  # the uploaded ledger is not kept once the run has ended
    run.finished_at = timezone.now()
    run.save(update_fields=["status", "result", "report", "source", "finished_at"])


INTERRUPTED_AFTER = timedelta(hours=2)


def _fail_interrupted() -> None:
    """A run still "running" long after it started was cut off (the scheduler stopped): its
    transaction rolled back, nothing of it was written. It ends as failed — the officer uploads
    the file again — rather than running twice behind their back."""
    stale = ImportRun.objects.filter(
        status=RunStatus.RUNNING, started_at__lt=timezone.now() - INTERRUPTED_AFTER
    )
    for run in stale:
        _finish(run, RunStatus.FAILED, {"error": _("The import was interrupted; nothing was imported. Upload the "
                                                   "file again.")})  # fmt: skip
        _clear_progress(run.pk)


@own_transaction
def run_queued_imports(*, limit: int = 5) -> list[int]:
    """Run the queued imports, oldest first (the ``imports.run`` job). Each run is claimed
    with ``skip_locked`` (one server runs it) and imported through :func:`import_ledger` as the
    officer who queued it — the service checks the policy again and audits every record and the
    import; the run row keeps the counts, the first refused rows and the report, and the file
    is dropped. Progress goes to :func:`write_progress`. A file that cannot be read ends the
    run as failed with the reason; so does a run cut off by a stopped scheduler
    (:func:`_fail_interrupted`)."""
    _fail_interrupted()
    done: list[int] = []
    for _i in range(limit):
        run = _claim()
        if run is None:
            break
        run_id: int = run.pk
        done.append(run_id)
        data = unseal(run.source, f"source:{run.file_sha256}")
        write_progress(run_id, "reading")
        try:
            rows = read(run.kind, data)
            write_progress(run_id, "checking", 0, len(rows))

            def progress(count: int, total: int, run_id: int = run_id) -> None:
                write_progress(run_id, "writing", count, total)

            outcome = import_ledger(run.actor, run.kind, rows, dry_run=run.mode == "check",
                                    valid_only=run.mode == "valid", source=data, progress=progress)  # fmt: skip
        except BaomiError as exc:
            _finish(run, RunStatus.FAILED, {"error": str(exc)})
        except Exception:  # a broken file must not stop the queue; the reason is logged
            log.exception("import run %s failed", run.pk)
            _finish(run, RunStatus.FAILED, {"error": _("The import failed; the error is in the server log.")})
        else:
            refused = outcome.refused
            result = {
                "rows": len(rows), "imported": outcome.imported, "refused": len(refused),
                "dry_run": outcome.dry_run, "valid_only": outcome.valid_only,
                "shown": [{"row": r.number, "reason": "；".join(r.errors)} for r in refused[:SHOWN_REFUSED]],
            }  # fmt: skip
            _finish(run, RunStatus.DONE, result, outcome.report() if refused else b"")
        _clear_progress(run.pk)
    return done


@internal
def run_status(run: ImportRun) -> dict[str, Any]:
    """What the upload page polls: the run's state and, while it runs, its progress. Reads
    only; the caller has checked ``view`` on the run."""
    status: dict[str, Any] = {
        "status": run.status,
        "finished": run.status in (RunStatus.DONE, RunStatus.FAILED),
    }
    if run.status == RunStatus.RUNNING:
        status.update(read_progress(run.pk))
    return status
